import { http, HttpResponse } from 'msw';
import { server } from '../testing/server';
import { ApiError, apiGet, apiPost, NetworkError, query, shouldRetry } from './api-client';

describe('api client', () => {
  it('sends the CSRF cookie back in the x-csrf-token header on state-changing requests only', async () => {
    document.cookie = 'conecta_csrf=abc123; path=/';
    const seen: Record<string, string | null> = {};
    server.use(
      http.get('*/api/v1/thing', ({ request }) => {
        seen.get = request.headers.get('x-csrf-token');
        return HttpResponse.json({ ok: true });
      }),
      http.post('*/api/v1/thing', ({ request }) => {
        seen.post = request.headers.get('x-csrf-token');
        return HttpResponse.json({ ok: true });
      }),
    );
    await apiGet('/api/v1/thing');
    await apiPost('/api/v1/thing', { a: 1 });
    expect(seen).toEqual({ get: null, post: 'abc123' });
  });

  it('throws an ApiError carrying the error body, with no redirect', async () => {
    server.use(
      http.get('*/api/v1/thing', () =>
        HttpResponse.json(
          { statusCode: 401, error: 'UNAUTHORIZED', message: 'Sign in first' },
          { status: 401 },
        ),
      ),
    );
    const error = await apiGet('/api/v1/thing').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect((error as ApiError).code).toBe('UNAUTHORIZED');
    expect(window.location.pathname).toBe('/');
  });

  it('gives a typed error for a non-JSON failure too', async () => {
    server.use(http.get('*/api/v1/thing', () => new HttpResponse('Bad Gateway', { status: 502 })));
    const error = (await apiGet('/api/v1/thing').catch((e: unknown) => e)) as ApiError;
    expect(error.body).toMatchObject({ statusCode: 502, error: 'INTERNAL_ERROR' });
  });

  it('builds query strings from the defined values only', () => {
    expect(query({ a: 'x', b: undefined, c: '', d: 0, e: true })).toBe('?a=x&d=0&e=true');
    expect(query({})).toBe('');
  });
});

describe('shouldRetry', () => {
  it('retries an unreachable API or a 5xx once, never a 4xx answer', () => {
    const answer = (statusCode: number) => new ApiError({ statusCode, error: 'X', message: 'x' });
    expect(shouldRetry(0, new NetworkError())).toBe(true);
    expect(shouldRetry(1, new NetworkError())).toBe(false);
    expect(shouldRetry(0, answer(503))).toBe(true);
    expect(shouldRetry(0, answer(404))).toBe(false);
    expect(shouldRetry(0, answer(409))).toBe(false);
  });
});
