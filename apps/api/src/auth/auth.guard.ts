import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CSRF_COOKIE, CSRF_HEADER, Role, SESSION_COOKIE } from '@conecta/contracts';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { AppError } from '../common/errors/app-error';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { safeEqual } from '../crypto/safe-equal';
import type { AuthContext } from '../common/auth/auth-context';
import { AuthService } from './auth.service';
import {
  AuthedRequest,
  IS_PUBLIC_KEY,
  ROLES_KEY,
  SAME_ORIGIN_KEY,
} from '../common/auth/decorators';
import { assertSameOrigin } from './request-origin';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The global guard: every route needs a session cookie or an API key unless it is @Public.
 * Session requests that change state must also come from this site (Origin/Sec-Fetch-Site) and
 * pass the double-submit CSRF check; so must routes marked @SameOrigin (the sign-in).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly apiKeys: ApiKeysService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (context.getType() === 'http') {
      const request = context.switchToHttp().getRequest<AuthedRequest>();
      if (
        !SAFE_METHODS.has(request.method) &&
        this.reflector.getAllAndOverride<boolean>(SAME_ORIGIN_KEY, targets)
      ) {
        assertSameOrigin(request, this.config.corsOrigins);
      }
    }
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;
    if (context.getType() !== 'http') return false;

    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const auth = await this.authenticate(request);
    if (!auth) throw new AppError('UNAUTHORIZED', 'Sign in or send an API key');
    request.auth = auth;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(auth.role)) {
      throw new AppError('FORBIDDEN', 'Your role does not allow this');
    }
    return true;
  }

  private async authenticate(request: AuthedRequest): Promise<AuthContext | null> {
    const ip = request.ip;
    const header = request.headers.authorization;
    if (typeof header === 'string' && /^Bearer\s+/i.test(header)) {
      const identity = await this.apiKeys.authenticate(header.replace(/^Bearer\s+/i, '').trim());
      if (!identity) return null;
      // A key stops working at once with its creator's deactivation (and works again on reactivation).
      if (
        identity.createdBy &&
        !(await this.auth.isUserActive(identity.workspaceId, identity.createdBy))
      ) {
        return null;
      }
      return {
        workspaceId: identity.workspaceId,
        userId: null,
        apiKeyId: identity.id,
        role: identity.role,
        ip,
      };
    }
    const token = request.cookies?.[SESSION_COOKIE];
    if (!token) return null;
    const auth = await this.auth.authenticateSession(token, ip);
    if (auth && !SAFE_METHODS.has(request.method)) {
      assertSameOrigin(request, this.config.corsOrigins);
      this.checkCsrf(request);
    }
    return auth;
  }

  private checkCsrf(request: AuthedRequest): void {
    const cookie = request.cookies?.[CSRF_COOKIE];
    const header = request.headers[CSRF_HEADER];
    if (!cookie || typeof header !== 'string' || !safeEqual(cookie, header)) {
      throw new AppError('FORBIDDEN', 'Missing or invalid CSRF token', { reason: 'CSRF' });
    }
  }
}
