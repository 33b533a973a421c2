import request from 'supertest';
import { CSRF_HEADER } from '@conecta/contracts';
import { seedWorkspace, SeededWorkspace, signIn } from './support/auth';
import { startTestApp, TestApp } from './support/test-app';

describe('sign-in and sessions', () => {
  let t: TestApp;
  let ws: SeededWorkspace;
  beforeAll(async () => {
    t = await startTestApp('auth');
    ws = await seedWorkspace(t, { name: 'Acme' });
  });
  afterAll(() => t.close());

  it('GET /api/v1/auth/me answers the signed-in user and workspace', async () => {
    const res = await ws.admin.get('/api/v1/auth/me').expect(200);
    expect(res.body).toEqual({
      user: { id: ws.admin.userId, email: ws.admin.email, name: expect.any(String), role: 'admin' },
      workspace: { id: ws.workspaceId, name: 'Acme' },
    });
  });

  it('sets an httpOnly SameSite=Lax session cookie and a readable CSRF cookie', async () => {
    const res = await request(t.app.getHttpServer())
      .post('/api/v1/auth/login')
      .send({ email: ws.admin.email, password: ws.admin.password })
      .expect(200);
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    const session = cookies.find((c) => c.startsWith('conecta_session='));
    const csrf = cookies.find((c) => c.startsWith('conecta_csrf='));
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    expect(session).not.toMatch(/Secure/i);
    expect(csrf).not.toMatch(/HttpOnly/i);
  });

  it('answers a wrong password and an unknown email with the same 401', async () => {
    const server = t.app.getHttpServer();
    const wrong = await request(server)
      .post('/api/v1/auth/login')
      .send({ email: ws.agent.email, password: 'not the password' })
      .expect(401);
    const unknown = await request(server)
      .post('/api/v1/auth/login')
      .send({ email: 'nobody@test.local', password: 'not the password' })
      .expect(401);
    expect(wrong.body).toEqual({
      statusCode: 401,
      error: 'UNAUTHORIZED',
      message: 'Invalid email or password',
    });
    expect(unknown.body).toEqual(wrong.body);
  });

  it('refuses a state-changing session request without the CSRF header (403), but not a read', async () => {
    await ws.admin.get('/api/v1/chatbots').unset(CSRF_HEADER).expect(200);
    const res = await request(t.app.getHttpServer())
      .post('/api/v1/chatbots')
      .set('Cookie', ws.admin.cookie)
      .send({ name: 'Sin CSRF' })
      .expect(403);
    expect(res.body.error).toBe('FORBIDDEN');
    await request(t.app.getHttpServer())
      .post('/api/v1/chatbots')
      .set('Cookie', ws.admin.cookie)
      .set(CSRF_HEADER, 'forged')
      .send({ name: 'CSRF falso' })
      .expect(403);
  });

  it('logout ends the session', async () => {
    const client = await signIn(t, ws.agent.email, ws.agent.password);
    await client.get('/api/v1/auth/me').expect(200);
    await client.post('/api/v1/auth/logout').expect(204);
    await client.get('/api/v1/auth/me').expect(401);
  });

  it('refuses a forged session cookie', async () => {
    await request(t.app.getHttpServer())
      .get('/api/v1/auth/me')
      .set('Cookie', 'conecta_session=forged-token')
      .expect(401);
  });

  it('keeps /api/health public', async () => {
    await request(t.app.getHttpServer()).get('/api/health').expect(200);
  });

  it('documents both auth schemes in the OpenAPI document', async () => {
    const res = await request(t.app.getHttpServer()).get('/api/docs-json').expect(200);
    expect(res.body.components.securitySchemes).toEqual(
      expect.objectContaining({
        cookie: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'conecta_session' }),
        bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      }),
    );
    const listChatbots = res.body.paths['/api/v1/chatbots'].get;
    expect(listChatbots.security).toEqual(expect.arrayContaining([{ cookie: [] }, { bearer: [] }]));
    expect(res.body.paths['/api/v1/auth/login']).toBeDefined();
  });
});
