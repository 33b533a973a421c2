import type { AuditEntryView } from '@conecta/contracts';
import request from 'supertest';
import { Types } from 'mongoose';
import { seedWorkspace, SeededWorkspace } from './support/auth';
import { startTestApp, TestApp } from './support/test-app';

const PUBLIC_ROUTES = [/^\/api\/v1\/auth\/login$/, /^\/api\/v1\/public\//, /webhook/];

describe('accounts: the boundary every feature relies on', () => {
  let t: TestApp;
  let a: SeededWorkspace;
  let b: SeededWorkspace;
  beforeAll(async () => {
    t = await startTestApp('accounts');
    a = await seedWorkspace(t, { name: 'A' });
    b = await seedWorkspace(t, { name: 'B' });
  });
  afterAll(() => t.close());

  describe('without sign-in', () => {
    it('answers 401 on every /api/v1 operation in the OpenAPI document except the public ones', async () => {
      const server = t.app.getHttpServer();
      const doc = (await request(server).get('/api/docs-json').expect(200)).body as {
        paths: Record<string, Record<string, unknown>>;
      };
      const id = new Types.ObjectId().toHexString();
      const checked: string[] = [];
      for (const [path, ops] of Object.entries(doc.paths)) {
        if (!path.startsWith('/api/v1/') || PUBLIC_ROUTES.some((r) => r.test(path))) continue;
        const url = path.replace(/\{[^}]+\}/g, id);
        for (const method of Object.keys(ops)) {
          if (!['get', 'post', 'patch', 'put', 'delete'].includes(method)) continue;
          const res = await request(server)[method as 'get'](url).send({});
          expect({ op: `${method} ${path}`, status: res.status }).toEqual({
            op: `${method} ${path}`,
            status: 401,
          });
          expect(res.body.error).toBe('UNAUTHORIZED');
          checked.push(`${method} ${path}`);
        }
      }
      expect(checked).toEqual(
        expect.arrayContaining([
          'get /api/v1/chatbots',
          'post /api/v1/chatbots',
          'patch /api/v1/chatbots/{id}',
          'delete /api/v1/chatbots/{id}',
          'get /api/v1/api-keys',
          'get /api/v1/audit-log',
          'get /api/v1/auth/me',
        ]),
      );
    });

    it('answers 401 to a made-up Bearer key and to a malformed Authorization header', async () => {
      const server = t.app.getHttpServer();
      await request(server)
        .get('/api/v1/chatbots')
        .set('Authorization', 'Bearer cnk_madeup')
        .expect(401);
      await request(server).get('/api/v1/chatbots').set('Authorization', 'Basic YTpi').expect(401);
    });
  });

  describe('workspace isolation', () => {
    it("lists only the workspace's own chatbots", async () => {
      const res = await a.admin.get('/api/v1/chatbots').expect(200);
      expect(res.body.map((c: { id: string }) => c.id)).toEqual([a.chatbotId]);
    });

    it("answers 404 when A reads, changes or deletes B's chatbot, and B's stays as it was", async () => {
      const path = `/api/v1/chatbots/${b.chatbotId}`;
      const read = await a.admin.get(path).expect(404);
      expect(read.body.error).toBe('NOT_FOUND');
      await a.admin.patch(path, { name: 'hijacked' }).expect(404);
      await a.admin.delete(path).expect(404);
      await request(t.app.getHttpServer())
        .get(path)
        .set('Authorization', `Bearer ${a.apiKey}`)
        .expect(404);
      const still = await b.admin.get(path).expect(200);
      expect(still.body.name).not.toBe('hijacked');
    });

    it("answers 404 when A revokes B's API key", async () => {
      const keys = await b.admin.get('/api/v1/api-keys').expect(200);
      const keyId = keys.body[0].id as string;
      await a.admin.post(`/api/v1/api-keys/${keyId}/revoke`).expect(404);
      await request(t.app.getHttpServer())
        .get('/api/v1/chatbots')
        .set('Authorization', `Bearer ${b.apiKey}`)
        .expect(200);
    });

    it("never shows B's audit entries to A", async () => {
      const res = await a.admin.get('/api/v1/audit-log?limit=100').expect(200);
      const targets = res.body.items.map((e: { target: { id: string } | null }) => e.target?.id);
      expect(targets).not.toContain(b.chatbotId);
      expect(targets).toContain(a.chatbotId);
    });
  });

  describe('roles', () => {
    it('lets an agent read chatbots but not create, change or delete them (403)', async () => {
      await a.agent.get('/api/v1/chatbots').expect(200);
      await a.agent.get(`/api/v1/chatbots/${a.chatbotId}`).expect(200);
      const created = await a.agent.post('/api/v1/chatbots', { name: 'Agente' }).expect(403);
      expect(created.body.error).toBe('FORBIDDEN');
      await a.agent.patch(`/api/v1/chatbots/${a.chatbotId}`, { name: 'x' }).expect(403);
      await a.agent.delete(`/api/v1/chatbots/${a.chatbotId}`).expect(403);
    });

    it('keeps API keys and the audit log to admins', async () => {
      await a.agent.get('/api/v1/api-keys').expect(403);
      await a.agent.post('/api/v1/api-keys', { name: 'mine' }).expect(403);
      await a.agent.get('/api/v1/audit-log').expect(403);
    });
  });

  describe('chatbots', () => {
    it('creates, updates and deletes a chatbot, with language defaults and validation naming the field', async () => {
      const created = await a.admin
        .post('/api/v1/chatbots', {
          name: 'Soporte',
          language: 'en',
          faq: [{ keywords: ['price'], answer: '10 USD' }],
        })
        .expect(201);
      expect(created.body).toEqual(
        expect.objectContaining({
          name: 'Soporte',
          language: 'en',
          welcomeMessage: 'Hi! How can I help you?',
          publicId: expect.stringMatching(/^cb_/),
          responder: expect.objectContaining({ type: 'rules', hasApiKey: false }),
          publicChatEnabled: true,
        }),
      );
      const id = created.body.id as string;
      const updated = await a.admin
        .patch(`/api/v1/chatbots/${id}`, { fallbackMessage: 'Ask a human' })
        .expect(200);
      expect(updated.body.fallbackMessage).toBe('Ask a human');
      expect(updated.body.name).toBe('Soporte');

      const bad = await a.admin.post('/api/v1/chatbots', { name: '', language: 'fr' }).expect(400);
      expect(bad.body.details.fields.map((f: { field: string }) => f.field)).toEqual(
        expect.arrayContaining(['name', 'language']),
      );
      const badUrl = await a.admin
        .patch(`/api/v1/chatbots/${id}`, {
          responder: { type: 'openai-compatible', baseUrl: 'ftp://x' },
        })
        .expect(400);
      expect(badUrl.body.details.fields[0].field).toBe('responder.baseUrl');

      await a.admin.delete(`/api/v1/chatbots/${id}`).expect(204);
      await a.admin.get(`/api/v1/chatbots/${id}`).expect(404);
    });

    it('stores the LLM key encrypted and never answers it', async () => {
      const res = await a.admin
        .patch(`/api/v1/chatbots/${a.chatbotId}`, {
          responder: {
            type: 'openai-compatible',
            baseUrl: 'http://127.0.0.1:9/v1',
            model: 'm',
            apiKey: 'sk-very-secret-llm-key',
          },
        })
        .expect(200);
      expect(res.body.responder).toEqual(
        expect.objectContaining({ hasApiKey: true, type: 'openai-compatible' }),
      );
      expect(JSON.stringify(res.body)).not.toContain('sk-very-secret');
      const raw = await t.connection
        .collection('chatbots')
        .findOne({ _id: new Types.ObjectId(a.chatbotId) });
      expect(JSON.stringify(raw)).not.toContain('sk-very-secret');
      expect(raw?.responder.apiKey).toEqual(
        expect.objectContaining({ v: 2, kid: expect.any(String) }),
      );
      // Omitting the key keeps it; null removes it.
      const kept = await a.admin
        .patch(`/api/v1/chatbots/${a.chatbotId}`, { responder: { type: 'rules' } })
        .expect(200);
      expect(kept.body.responder.hasApiKey).toBe(true);
      const removed = await a.admin
        .patch(`/api/v1/chatbots/${a.chatbotId}`, { responder: { type: 'rules', apiKey: null } })
        .expect(200);
      expect(removed.body.responder.hasApiKey).toBe(false);
    });
  });

  describe('API keys', () => {
    it('work as a Bearer token until revoked and never after; shown once, stored hashed', async () => {
      const server = t.app.getHttpServer();
      const created = await a.admin
        .post('/api/v1/api-keys', { name: 'CRM', role: 'admin' })
        .expect(201);
      const key = created.body.key as string;
      expect(key).toMatch(/^cnk_[A-Za-z0-9_-]{40,}$/);
      expect(created.body.prefix).toBe(key.slice(0, 12));

      const listed = await a.admin.get('/api/v1/api-keys').expect(200);
      expect(JSON.stringify(listed.body)).not.toContain(key);
      expect(JSON.stringify(listed.body)).not.toMatch(/hash/i);

      const raw = await t.connection
        .collection('api_keys')
        .findOne({ _id: new Types.ObjectId(created.body.id as string) });
      expect(JSON.stringify(raw)).not.toContain(key);

      // Bearer requests need no CSRF header.
      await request(server)
        .get('/api/v1/chatbots')
        .set('Authorization', `Bearer ${key}`)
        .expect(200);
      await request(server)
        .post('/api/v1/chatbots')
        .set('Authorization', `Bearer ${key}`)
        .send({ name: 'Por API' })
        .expect(201);
      const used = await a.admin.get('/api/v1/api-keys').expect(200);
      const mine = used.body.find((k: { id: string }) => k.id === created.body.id);
      expect(mine.lastUsedAt).not.toBeNull();

      const revoked = await a.admin.post(`/api/v1/api-keys/${created.body.id}/revoke`).expect(200);
      expect(revoked.body.revokedAt).not.toBeNull();
      await request(server)
        .get('/api/v1/chatbots')
        .set('Authorization', `Bearer ${key}`)
        .expect(401);
      await request(server)
        .post('/api/v1/chatbots')
        .set('Authorization', `Bearer ${key}`)
        .send({ name: 'Tarde' })
        .expect(401);
    });

    it('gives keys a role: an agent key cannot mint keys or act as an admin', async () => {
      const server = t.app.getHttpServer();
      const agentKey = await a.admin.post('/api/v1/api-keys', { name: 'Bot' }).expect(201);
      expect(agentKey.body.role).toBe('agent');
      const asAgent = (test: request.Test): request.Test =>
        test.set('Authorization', `Bearer ${agentKey.body.key as string}`);
      await asAgent(request(server).get('/api/v1/conversations')).expect(200);
      for (const role of [undefined, 'agent', 'admin']) {
        await asAgent(request(server).post('/api/v1/api-keys'))
          .send({ name: 'escalate', ...(role ? { role } : {}) })
          .expect(403);
      }
      await asAgent(request(server).get('/api/v1/api-keys')).expect(403);
      await asAgent(request(server).post('/api/v1/integrations')).send({}).expect(403);
      await a.admin.post('/api/v1/api-keys', { name: 'x', role: 'owner' }).expect(400);
    });

    it('lets an admin key create keys, recorded with the creating key in the key and the audit log', async () => {
      const server = t.app.getHttpServer();
      const adminKey = await a.admin
        .post('/api/v1/api-keys', { name: 'Ops', role: 'admin' })
        .expect(201);
      const child = await request(server)
        .post('/api/v1/api-keys')
        .set('Authorization', `Bearer ${adminKey.body.key as string}`)
        .send({ name: 'Child' })
        .expect(201);
      expect(child.body).toMatchObject({
        role: 'agent',
        createdBy: null,
        createdByKeyId: adminKey.body.id,
      });
      const entry = await t.connection
        .collection('audit_log')
        .findOne({ action: 'apiKey.create', 'target.id': child.body.id });
      expect(entry?.actor).toMatchObject({ type: 'apiKey', apiKeyId: adminKey.body.id });
      expect(entry?.metadata).toMatchObject({ role: 'agent' });
    });
  });

  describe('secrets never leave the API', () => {
    it('no answer carries a password hash, a key hash or a session token hash', async () => {
      const bodies = await Promise.all([
        a.admin.get('/api/v1/auth/me'),
        a.admin.get('/api/v1/api-keys'),
        a.admin.get('/api/v1/audit-log?limit=100'),
        a.admin.get('/api/v1/chatbots'),
        request(t.app.getHttpServer())
          .post('/api/v1/auth/login')
          .send({ email: a.admin.email, password: a.admin.password }),
      ]);
      for (const res of bodies) {
        const text = JSON.stringify(res.body);
        expect(text).not.toMatch(/scrypt\$/);
        expect(text).not.toMatch(/passwordHash|keyHash|tokenHash/);
        expect(text).not.toContain(a.admin.password);
      }
      const user = await t.connection.collection('users').findOne({ email: a.admin.email });
      expect(user?.passwordHash).toMatch(/^scrypt\$/);
      expect(JSON.stringify(user)).not.toContain(a.admin.password);
    });
  });

  describe('GET /api/v1/audit-log', () => {
    it('lists sign-ins, key changes and chatbot changes newest first, page by page without gaps', async () => {
      const first = await a.admin.get('/api/v1/audit-log?limit=3').expect(200);
      expect(first.body.items).toHaveLength(3);
      const all: { id: string; createdAt: string; action: string }[] = [...first.body.items];
      let cursor = first.body.nextCursor as string | null;
      while (cursor) {
        const page = await a.admin.get(`/api/v1/audit-log?limit=3&cursor=${cursor}`).expect(200);
        all.push(...page.body.items);
        cursor = page.body.nextCursor;
      }
      const full = await a.admin.get('/api/v1/audit-log?limit=100').expect(200);
      expect(all.map((e) => e.id)).toEqual(full.body.items.map((e: { id: string }) => e.id));
      expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
      const times = all.map((e) => Date.parse(e.createdAt));
      expect([...times].sort((x, y) => y - x)).toEqual(times);
      const actions = new Set(all.map((e) => e.action));
      for (const action of [
        'auth.login',
        'apiKey.create',
        'apiKey.revoke',
        'chatbot.create',
        'chatbot.update',
        'chatbot.delete',
      ]) {
        expect(actions).toContain(action);
      }
      const login = all.find((e) => e.action === 'auth.login');
      expect(login).toEqual(
        expect.objectContaining({
          outcome: 'success',
          ip: expect.any(String),
          actor: expect.objectContaining({ type: 'user' }),
        }),
      );
    });

    it('records a failed sign-in of a known account in its workspace', async () => {
      await request(t.app.getHttpServer())
        .post('/api/v1/auth/login')
        .send({ email: a.agent.email, password: 'wrong-password' })
        .expect(401);
      const res = await a.admin.get('/api/v1/audit-log?action=auth.login&limit=5').expect(200);
      expect(res.body.items[0]).toEqual(
        expect.objectContaining({
          action: 'auth.login',
          outcome: 'failure',
          actor: expect.objectContaining({ email: a.agent.email }),
        }),
      );
    });

    it('refuses a malformed cursor with 400', async () => {
      await a.admin.get('/api/v1/audit-log?cursor=nonsense').expect(400);
    });

    it('names who did it and what it was done to, as they are called now; a deleted target has no name', async () => {
      const bot = (
        await a.admin
          .post('/api/v1/chatbots', { name: 'Bot para auditar', language: 'es' })
          .expect(201)
      ).body as { id: string };
      await a.admin.patch(`/api/v1/chatbots/${bot.id}`, { name: 'Bot renombrado' }).expect(200);
      const key = (
        await a.admin
          .post('/api/v1/api-keys', { name: 'Clave de integración', role: 'admin' })
          .expect(201)
      ).body as { id: string; key: string };
      await request(t.app.getHttpServer())
        .post('/api/v1/chatbots')
        .set('Authorization', `Bearer ${key.key}`)
        .send({ name: 'Bot por API', language: 'es' })
        .expect(201);
      const entries = (await a.admin.get('/api/v1/audit-log?limit=10').expect(200)).body
        .items as AuditEntryView[];
      const update = entries.find((e) => e.action === 'chatbot.update');
      expect(update?.target).toEqual({ type: 'chatbot', id: bot.id, name: 'Bot renombrado' });
      expect(update?.actor.name).toEqual(expect.any(String));
      const byKey = entries.find((e) => e.action === 'chatbot.create' && e.actor.type === 'apiKey');
      expect(byKey?.actor.name).toBe('Clave de integración');
      await a.admin.delete(`/api/v1/chatbots/${bot.id}`).expect(204);
      const after = (await a.admin.get('/api/v1/audit-log?limit=10').expect(200)).body
        .items as AuditEntryView[];
      expect(after.find((e) => e.action === 'chatbot.update')?.target?.name).toBeNull();
    });
  });
});
