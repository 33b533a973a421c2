import { CSRF_COOKIE, CSRF_HEADER, type ErrorBody } from '@conecta/contracts';

/** An error answered by the API, with its typed body. */
export class ApiError extends Error {
  constructor(readonly body: ErrorBody) {
    super(body.message);
    this.name = 'ApiError';
  }

  get status(): number {
    return this.body.statusCode;
  }

  get code(): string {
    return this.body.error;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** The API could not be reached at all (offline, server down): no answer to show. */
export class NetworkError extends Error {
  constructor() {
    super('The API is unreachable');
    this.name = 'NetworkError';
  }
}

export function isNetworkError(error: unknown): error is NetworkError {
  return error instanceof NetworkError;
}

/** Retry what may pass on a second try (unreachable, 5xx); a 4xx answer would only repeat. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (isApiError(error) && error.status < 500) return false;
  return failureCount < 1;
}

function isErrorBody(data: unknown): data is ErrorBody {
  return (
    typeof data === 'object' &&
    data !== null &&
    'error' in data &&
    'message' in data &&
    typeof (data as { message: unknown }).message === 'string'
  );
}

/** Reads a cookie by name from `document.cookie`. */
export function readCookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const [k, ...rest] = part.trim().split('=');
    if (k === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

async function parse<T>(res: Response): Promise<T> {
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const body: ErrorBody = isErrorBody(data)
      ? { ...data, statusCode: data.statusCode ?? res.status }
      : { statusCode: res.status, error: 'INTERNAL_ERROR', message: res.statusText || 'Error' };
    throw new ApiError(body);
  }
  return data as T;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/**
 * One JSON (or `FormData`) request to our API. Adds the CSRF header on state-changing requests, sends cookies
 * same-origin, throws {@link ApiError} on a non-2xx answer. No redirects, no toasts: callers decide.
 */
export async function apiRequest<T>(
  method: Method,
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<T> {
  const headers: Record<string, string> = { ...extraHeaders, accept: 'application/json' };
  // A form (a file upload) sets its own multipart content type with the boundary.
  const form = typeof FormData !== 'undefined' && body instanceof FormData ? body : null;
  if (body !== undefined && !form) headers['content-type'] = 'application/json';
  if (method !== 'GET') {
    const csrf = readCookie(CSRF_COOKIE);
    if (csrf) headers[CSRF_HEADER] = csrf;
  }
  // Absolute against the page, so the same call works in the browser and in Node's fetch (tests).
  let res: Response;
  try {
    res = await fetch(new URL(path, window.location.href), {
      method,
      credentials: 'same-origin',
      headers,
      body: form ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
  } catch {
    throw new NetworkError();
  }
  return parse<T>(res);
}

/** GET a JSON resource; throws {@link ApiError} on a non-2xx answer. */
export function apiGet<T>(path: string): Promise<T> {
  return apiRequest<T>('GET', path);
}
export function apiPost<T>(
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<T> {
  return apiRequest<T>('POST', path, body ?? {}, headers);
}
export function apiPut<T>(path: string, body: unknown): Promise<T> {
  return apiRequest<T>('PUT', path, body);
}
export function apiPatch<T>(path: string, body: unknown): Promise<T> {
  return apiRequest<T>('PATCH', path, body);
}
export function apiDelete<T = void>(path: string): Promise<T> {
  return apiRequest<T>('DELETE', path);
}

/** Builds a query string from the defined values only. */
export function query(
  params: Record<string, string | number | boolean | undefined | null>,
): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}
