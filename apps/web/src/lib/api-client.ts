import type { ErrorBody } from '@conecta/contracts';

/** An error answered by the API, with its typed body. */
export class ApiError extends Error {
  constructor(readonly body: ErrorBody) {
    super(body.message);
    this.name = 'ApiError';
  }

  get status(): number {
    return this.body.statusCode;
  }
}

async function parse<T>(res: Response): Promise<T> {
  const text = await res.text();
  const data: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const body =
      data && typeof data === 'object' && 'error' in data
        ? (data as ErrorBody)
        : { statusCode: res.status, error: 'INTERNAL_ERROR', message: res.statusText };
    throw new ApiError(body);
  }
  return data as T;
}

/** GET a JSON resource; throws {@link ApiError} on a non-2xx answer. */
export async function apiGet<T>(path: string): Promise<T> {
  return parse<T>(await fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json' } }));
}
