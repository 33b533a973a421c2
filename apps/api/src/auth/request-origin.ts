import type { FastifyRequest } from 'fastify';
import { AppError } from '../common/errors/app-error';

/**
 * Refuses a state-changing browser request that another site started (login CSRF and CSRF in
 * depth): `Sec-Fetch-Site` must say same-origin (or none: typed by the user), and an `Origin`, when
 * sent, must be this server (its Host) or one of CORS_ORIGINS. Clients that send neither header
 * are not browsers acting for someone else (curl, API scripts) and pass.
 */
export function assertSameOrigin(request: FastifyRequest, allowedOrigins: readonly string[]): void {
  const site = request.headers['sec-fetch-site'];
  const origin = request.headers.origin;
  if (site === 'same-origin' || site === 'none') return;
  if (typeof origin === 'string' && origin !== 'null') {
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      host = '';
    }
    if (host !== '' && (host === request.host || allowedOrigins.includes(origin))) return;
    throw crossSite();
  }
  if (site !== undefined || origin === 'null') throw crossSite();
}

function crossSite(): AppError {
  return new AppError('FORBIDDEN', 'Cross-site request refused', { reason: 'CROSS_SITE' });
}
