import type { Actor } from '../actor';

/**
 * Who is calling over HTTP: a signed-in user (session cookie) or an API key (Bearer). Controllers
 * hand it to services as the {@link Actor}; services never depend on the HTTP layer's type.
 */
export type AuthContext = Actor;
