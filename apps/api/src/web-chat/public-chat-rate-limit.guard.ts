import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../common/errors/app-error';
import { perWindow, RateLimiter } from '../common/rate-limit/rate-limiter';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

/**
 * At most PUBLIC_CHAT_RATE_LIMIT_PER_MINUTE messages per IP per minute: it keeps one visitor from
 * running up a chatbot's LLM bill through one server. New conversations have their own, tighter
 * limit (see {@link WebChatService}).
 */
@Injectable()
export class PublicChatRateLimitGuard implements CanActivate {
  private readonly limiter: RateLimiter;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.limiter = perWindow(config.conversations.publicChatPerMinute, 60_000);
  }

  canActivate(context: ExecutionContext): boolean {
    const ip = context.switchToHttp().getRequest<FastifyRequest>().ip;
    if (!this.limiter.take(ip, Date.now())) {
      throw new AppError('TOO_MANY_REQUESTS', 'Too many messages; wait a minute and try again');
    }
    return true;
  }
}
