import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../common/errors/app-error';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

interface Bucket {
  tokens: number;
  at: number;
}

const MAX_TRACKED_IPS = 10_000;

/**
 * A per-IP token bucket for the webhook: `rateLimitPerSecond` refill, bursts up to twice that.
 * In memory and per process on purpose: it protects this process, and Meta retries a 429.
 */
@Injectable()
export class WebhookRateLimitGuard implements CanActivate {
  private readonly buckets = new Map<string, Bucket>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const rate = this.config.webhook.rateLimitPerSecond;
    if (rate === 0) return true;
    const ip = context.switchToHttp().getRequest<FastifyRequest>().ip;
    const now = Date.now();
    const capacity = rate * 2;
    let bucket = this.buckets.get(ip);
    if (!bucket) {
      if (this.buckets.size >= MAX_TRACKED_IPS) this.buckets.clear();
      bucket = { tokens: capacity, at: now };
      this.buckets.set(ip, bucket);
    }
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * rate);
    bucket.at = now;
    if (bucket.tokens < 1) {
      throw new AppError('TOO_MANY_REQUESTS', 'Too many webhook requests; retry later');
    }
    bucket.tokens -= 1;
    return true;
  }
}
