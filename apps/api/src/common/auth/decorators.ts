import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '@conecta/contracts';
import type { FastifyRequest } from 'fastify';
import type { AuthContext } from './auth-context';

export const IS_PUBLIC_KEY = 'conecta:isPublic';
export const ROLES_KEY = 'conecta:roles';
export const SAME_ORIGIN_KEY = 'conecta:sameOrigin';

/** The route needs no sign-in (health, login, webhooks, the public chat). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);

/** A public route a browser uses (the sign-in): another site may not post to it. */
export const SameOrigin = (): MethodDecorator & ClassDecorator =>
  SetMetadata(SAME_ORIGIN_KEY, true);

/** Only these roles may call the route; others get 403 FORBIDDEN. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES_KEY, roles);

export type AuthedRequest = FastifyRequest & { auth?: AuthContext };

/** The caller's {@link AuthContext}, set by the global auth guard. */
export const CurrentAuth = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthContext => {
    const auth = ctx.switchToHttp().getRequest<AuthedRequest>().auth;
    if (!auth)
      throw new Error('@CurrentAuth() used on a route without authentication (is it @Public?)');
    return auth;
  },
);
