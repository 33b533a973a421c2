import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../common/errors/app-error';
import { RateLimiter } from '../common/rate-limit/rate-limiter';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

/**
 * Per-IP limit of the webhook: `rateLimitPerSecond` refill, bursts up to twice that. Per process
 * on purpose: it protects this process, and Meta retries a 429.
 */
@Injectable()
export class WebhookRateLimitGuard implements CanActivate {
  private readonly limiter: RateLimiter | null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const rate = config.webhook.rateLimitPerSecond;
    this.limiter =
      rate === 0
        ? null
        : new RateLimiter({ capacity: rate * 2, refillPerMs: rate / 1000, maxKeys: 10_000 });
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.limiter) return true;
    const ip = context.switchToHttp().getRequest<FastifyRequest>().ip;
    if (!this.limiter.take(ip, Date.now())) {
      throw new AppError('TOO_MANY_REQUESTS', 'Too many webhook requests; retry later');
    }
    return true;
  }
}
