import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../common/errors/app-error';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

const WINDOW_MS = 60_000;
const MAX_TRACKED_IPS = 10_000;

/**
 * At most PUBLIC_CHAT_RATE_LIMIT_PER_MINUTE messages per IP per minute (a sliding window of
 * timestamps). In memory and per process: it keeps one visitor from running up a chatbot's LLM
 * bill through one server.
 */
@Injectable()
export class PublicChatRateLimitGuard implements CanActivate {
  private readonly hits = new Map<string, number[]>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const limit = this.config.conversations.publicChatPerMinute;
    const ip = context.switchToHttp().getRequest<FastifyRequest>().ip;
    const now = Date.now();
    const recent = (this.hits.get(ip) ?? []).filter((at) => now - at < WINDOW_MS);
    if (recent.length >= limit) {
      this.hits.set(ip, recent);
      throw new AppError('TOO_MANY_REQUESTS', 'Too many messages; wait a minute and try again');
    }
    if (!this.hits.has(ip) && this.hits.size >= MAX_TRACKED_IPS) this.hits.clear();
    recent.push(now);
    this.hits.set(ip, recent);
    return true;
  }
}
