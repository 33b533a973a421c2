import { signPayload } from '@conecta/graph-client';
import request from 'supertest';
import { ChatbotsService } from '../src/chatbots/chatbots.service';
import { MAX_JSON_DEPTH } from '../src/common/json-body';
import { seedWorkspace, SeededWorkspace } from './support/auth';
import { startTestApp, TestApp } from './support/test-app';

/** `depth` nested arrays around a value: `[[[…1…]]]`. */
function nested(depth: number): string {
  return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

describe('HTTP hardening (bodies, cross-site requests, docs)', () => {
  let t: TestApp;
  let ws: SeededWorkspace;
  let publicId: string;
  const http = (): ReturnType<typeof request> => request(t.app.getHttpServer());

  beforeAll(async () => {
    t = await startTestApp('sec_http');
    ws = await seedWorkspace(t);
    publicId = (await t.app.get(ChatbotsService).get(ws.workspaceId, ws.chatbotId)).publicId;
  });
  afterAll(() => t.close());

  describe('deeply nested JSON (item 6)', () => {
    const deep = `{"email":"a@b.co","password":${nested(5000)}}`;

    it.each([
      ['the sign-in', '/api/v1/auth/login'],
      ['the public chat', `/api/v1/public/chatbots/PUBLIC/messages`],
      ['the webhook', '/api/whatsapp/webhook'],
      ['an unknown route', '/api/v1/nowhere'],
    ])('answers 400 TOO_DEEP on %s, before validation or authentication', async (_l, path) => {
      const res = await http()
        .post(path.replace('PUBLIC', publicId))
        .set('content-type', 'application/json')
        .set('x-hub-signature-256', signPayload(deep, 'test-app-secret'))
        .send(deep)
        .expect(400);
      expect(res.body).toMatchObject({
        error: 'BAD_REQUEST',
        details: { reason: 'TOO_DEEP', maxDepth: MAX_JSON_DEPTH },
      });
      await http().get('/api/health').expect(200);
    });

    it('refuses one level past the limit and accepts the limit itself', async () => {
      const at = (depth: number): string => `{"content":"hola","x":${nested(depth - 1)}}`;
      const over = await ws.admin
        .post('/api/v1/chatbots')
        .set('content-type', 'application/json')
        .send(at(MAX_JSON_DEPTH + 1))
        .expect(400);
      expect(over.body.details.reason).toBe('TOO_DEEP');
      // At the limit the body reaches validation (which refuses the unknown fields).
      const atLimit = await ws.admin
        .post('/api/v1/chatbots')
        .set('content-type', 'application/json')
        .send(at(MAX_JSON_DEPTH))
        .expect(400);
      expect(atLimit.body.error).toBe('VALIDATION_FAILED');
    });

    it('does not count brackets inside strings', async () => {
      const name = '[[[[{{{{'.repeat(10);
      const res = await ws.admin.post('/api/v1/chatbots', { name }).expect(201);
      expect(res.body.name).toBe(name);
    });
  });

  describe('NUL characters and invalid UTF-8 in stored text (item 17)', () => {
    it('refuses a chatbot name with a NUL character with 400, storing nothing', async () => {
      const before = await t.connection.collection('chatbots').countDocuments();
      const res = await ws.admin
        .post('/api/v1/chatbots')
        .set('content-type', 'application/json')
        .send('{"name":"Bot\\u0000evil"}')
        .expect(400);
      expect(res.body.details.reason).toBe('NUL_CHARACTER');
      expect(await t.connection.collection('chatbots').countDocuments()).toBe(before);
    });

    it('refuses a visitor message with a NUL character, and one with invalid UTF-8', async () => {
      const path = `/api/v1/public/chatbots/${publicId}/messages`;
      const nul = await http()
        .post(path)
        .set('content-type', 'application/json')
        .send('{"content":"hola\\u0000"}')
        .expect(400);
      expect(nul.body.details.reason).toBe('NUL_CHARACTER');
      const bad = Buffer.concat([
        Buffer.from('{"content":"hol'),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('a"}'),
      ]);
      // The exact bytes, not re-encoded by an HTTP client.
      const invalid = await t.app
        .getHttpAdapter()
        .getInstance()
        .inject({
          method: 'POST',
          url: path,
          headers: { 'content-type': 'application/json' },
          payload: bad,
        });
      expect(invalid.statusCode).toBe(400);
      expect(invalid.json()).toMatchObject({ details: { reason: 'INVALID_UTF8' } });
      expect(await t.connection.collection('messages').countDocuments({ content: /hol/ })).toBe(0);
    });

    it("lets Meta's webhook through with a NUL in a customer's text (not ours to refuse)", async () => {
      const body = JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [{ id: '1', changes: [{ field: 'messages', value: { text: 'a\u0000b' } }] }],
      });
      expect(body).toContain('\\u0000');
      const res = await http()
        .post('/api/whatsapp/webhook')
        .set('content-type', 'application/json')
        .set('x-hub-signature-256', signPayload(body, 'test-app-secret'))
        .send(body);
      expect(res.body?.details?.reason).not.toBe('NUL_CHARACTER');
      expect(res.status).toBeLessThan(500);
    });

    it('still accepts an escaped backslash followed by u0000 as plain text', async () => {
      const res = await ws.admin
        .post('/api/v1/chatbots')
        .set('content-type', 'application/json')
        .send('{"name":"C:\\\\u0000dir"}')
        .expect(201);
      expect(res.body.name).toBe('C:\\u0000dir');
    });
  });

  describe('login CSRF and cross-site state changes (item 7)', () => {
    it('refuses a form-encoded or text sign-in with 415 and sets no cookie', async () => {
      for (const [type, body] of [
        [
          'application/x-www-form-urlencoded',
          `email=${ws.admin.email}&password=${ws.admin.password}`,
        ],
        ['text/plain', JSON.stringify({ email: ws.admin.email, password: ws.admin.password })],
      ] as const) {
        const res = await http().post('/api/v1/auth/login').set('content-type', type).send(body);
        expect(res.status).toBe(415);
        expect(res.headers['set-cookie']).toBeUndefined();
      }
    });

    it('refuses a JSON sign-in started by another site', async () => {
      const creds = { email: ws.admin.email, password: ws.admin.password };
      const fromEvil = await http()
        .post('/api/v1/auth/login')
        .set('origin', 'https://evil.example')
        .send(creds)
        .expect(403);
      expect(fromEvil.body.details.reason).toBe('CROSS_SITE');
      expect(fromEvil.headers['set-cookie']).toBeUndefined();
      await http()
        .post('/api/v1/auth/login')
        .set('sec-fetch-site', 'cross-site')
        .send(creds)
        .expect(403);
      // The dashboard itself (same origin) signs in as before.
      await http()
        .post('/api/v1/auth/login')
        .set('sec-fetch-site', 'same-origin')
        .send(creds)
        .expect(200);
    });

    it('refuses a cookie request that changes state from another site, even with the CSRF token', async () => {
      const res = await ws.admin
        .post('/api/v1/chatbots', { name: 'Cross' })
        .set('origin', 'https://evil.example')
        .expect(403);
      expect(res.body.details.reason).toBe('CROSS_SITE');
      await ws.admin
        .post('/api/v1/chatbots', { name: 'Same' })
        .set('sec-fetch-site', 'same-site')
        .expect(403);
      // An API key is not a browser's ambient credential: no origin rule applies to it.
      await request(t.app.getHttpServer())
        .post('/api/v1/chatbots')
        .set('authorization', `Bearer ${ws.apiKey}`)
        .set('origin', 'https://integrator.example')
        .send({ name: 'Script' })
        .expect(201);
    });
  });
});
