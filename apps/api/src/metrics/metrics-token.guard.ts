import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../common/errors/app-error';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { safeEqual } from '../crypto/safe-equal';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Who may scrape `/metrics`: with METRICS_TOKEN set, a matching Bearer token; without it, only
 * loopback callers. Others get 401.
 */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const token = this.config.metricsToken;
    const authorization = request.headers.authorization;
    const allowed = token
      ? safeEqual(authorization?.replace(/^Bearer\s+/i, '') ?? '', token)
      : LOOPBACK.has(request.ip);
    if (!allowed) throw new AppError('UNAUTHORIZED', 'A valid metrics token is required');
    return true;
  }
}
