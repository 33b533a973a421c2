import { randomBytes } from 'node:crypto';
import { CSRF_COOKIE, CSRF_HEADER, Role, SESSION_COOKIE } from '@conecta/contracts';
import request, { Test } from 'supertest';
import { AccountsService } from '../../src/accounts/accounts.service';
import { ApiKeysService } from '../../src/api-keys/api-keys.service';
import type { AuthContext } from '../../src/common/auth/auth-context';
import { ChatbotsService } from '../../src/chatbots/chatbots.service';
import type { TestApp } from './test-app';
import { type WorkspaceId, workspaceIdOf } from '../../src/common/workspace-id';

/** Requests as one signed-in user: the session cookie and the CSRF header are set on each. */
export interface AuthedClient {
  userId: string;
  email: string;
  password: string;
  /** The raw `Cookie` header value (session and CSRF cookies). */
  cookie: string;
  csrfToken: string;
  get(path: string): Test;
  delete(path: string, body?: object): Test;
  post(path: string, body?: object): Test;
  patch(path: string, body?: object): Test;
  put(path: string, body?: object): Test;
}

export interface SeededWorkspace {
  workspaceId: WorkspaceId;
  chatbotId: string;
  admin: AuthedClient;
  agent: AuthedClient;
  /** A live API key of the workspace (role admin), for `Authorization: Bearer`. */
  apiKey: string;
}

/** Picks `name=value` pairs out of Set-Cookie headers. */
export function cookiesFrom(setCookie: string | string[] | undefined): Record<string, string> {
  const lines = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie];
  const out: Record<string, string> = {};
  for (const line of lines) {
    const [pair] = line.split(';');
    const eq = (pair ?? '').indexOf('=');
    if (eq > 0 && pair)
      out[pair.slice(0, eq).trim()] = decodeURIComponent(pair.slice(eq + 1).trim());
  }
  return out;
}

/** Signs in over HTTP and returns a client carrying that session. */
export async function signIn(t: TestApp, email: string, password: string): Promise<AuthedClient> {
  const server = t.app.getHttpServer();
  const res = await request(server).post('/api/v1/auth/login').send({ email, password });
  if (res.status !== 200)
    throw new Error(`sign-in of ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
  const jar = cookiesFrom(res.headers['set-cookie']);
  const session = jar[SESSION_COOKIE];
  const csrf = jar[CSRF_COOKIE];
  if (!session || !csrf) throw new Error('sign-in set no session or CSRF cookie');
  const cookie = `${SESSION_COOKIE}=${session}; ${CSRF_COOKIE}=${csrf}`;
  const userId = (res.body as { user: { id: string } }).user.id;
  const withAuth = (test: Test): Test => test.set('Cookie', cookie).set(CSRF_HEADER, csrf);
  const withBody = (test: Test, body?: object): Test =>
    body === undefined ? test : test.send(body);
  return {
    userId,
    email,
    password,
    cookie,
    csrfToken: csrf,
    get: (path) => withAuth(request(server).get(path)),
    delete: (path, body) => withBody(withAuth(request(server).delete(path)), body),
    post: (path, body) => withBody(withAuth(request(server).post(path)), body),
    patch: (path, body) => withBody(withAuth(request(server).patch(path)), body),
    put: (path, body) => withBody(withAuth(request(server).put(path)), body),
  };
}

/** An {@link AuthContext} for calling services directly in a test (as an admin of the workspace). */
export function systemAuth(
  workspaceId: string | WorkspaceId,
  role: Role = 'admin',
  userId: string | null = null,
): AuthContext {
  return { workspaceId: workspaceIdOf(workspaceId), userId, apiKeyId: null, role, ip: '127.0.0.1' };
}

/**
 * Creates a workspace with an admin, an agent, a chatbot and an API key through the real services,
 * then signs both users in over HTTP.
 */
export async function seedWorkspace(
  t: TestApp,
  opts: { name?: string } = {},
): Promise<SeededWorkspace> {
  const accounts = t.app.get(AccountsService);
  const tag = randomBytes(4).toString('hex');
  const workspace = await accounts.createWorkspace(opts.name ?? `Workspace ${tag}`);
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const adminEmail = `admin-${tag}@test.local`;
  const agentEmail = `agent-${tag}@test.local`;
  const admin = await accounts.createUser({
    workspaceId: workspace.id,
    email: adminEmail,
    name: `Admin ${tag}`,
    role: 'admin',
    password,
  });
  await accounts.createUser({
    workspaceId: workspace.id,
    email: agentEmail,
    name: `Agent ${tag}`,
    role: 'agent',
    password,
  });
  const auth = systemAuth(workspace.id, 'admin', admin.id);
  const chatbot = await t.app.get(ChatbotsService).create(auth, {
    name: `Bot ${tag}`,
    language: 'es',
    welcomeMessage: '¡Hola! Soy el asistente.',
    fallbackMessage: 'No entendí, un agente te responderá.',
    faq: [{ keywords: ['horario', 'hours'], answer: 'Abrimos de 9 a 18.' }],
  });
  const apiKey = await t.app.get(ApiKeysService).create(auth, `test key ${tag}`, 'admin');
  return {
    workspaceId: workspace.id,
    chatbotId: chatbot.id,
    admin: await signIn(t, adminEmail, password),
    agent: await signIn(t, agentEmail, password),
    apiKey: apiKey.key,
  };
}
