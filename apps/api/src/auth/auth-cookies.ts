import { Inject, Injectable } from '@nestjs/common';
import { CSRF_COOKIE, SESSION_COOKIE } from '@conecta/contracts';
import type { FastifyReply } from 'fastify';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

/** Writes and clears the session (httpOnly) and CSRF (readable) cookies. */
@Injectable()
export class AuthCookies {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  set(reply: FastifyReply, session: { token: string; csrfToken: string; expiresAt: Date }): void {
    const common = {
      path: '/',
      sameSite: 'lax' as const,
      secure: this.config.nodeEnv === 'production',
      expires: session.expiresAt,
    };
    void reply.setCookie(SESSION_COOKIE, session.token, { ...common, httpOnly: true });
    void reply.setCookie(CSRF_COOKIE, session.csrfToken, { ...common, httpOnly: false });
  }

  clear(reply: FastifyReply): void {
    const common = {
      path: '/',
      sameSite: 'lax' as const,
      secure: this.config.nodeEnv === 'production',
    };
    void reply.clearCookie(SESSION_COOKIE, { ...common, httpOnly: true });
    void reply.clearCookie(CSRF_COOKIE, common);
  }
}
