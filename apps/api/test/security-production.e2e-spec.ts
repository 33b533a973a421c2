import request from 'supertest';
import { startTestApp, TestApp } from './support/test-app';

/** What a client can do with one header against a production server (NODE_ENV=production). */
describe('production defaults: forwarded headers and API docs', () => {
  describe('with the defaults (no TRUST_PROXY, no API_DOCS)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp('sec_prod', {
        env: { NODE_ENV: 'production', LOGIN_MAX_FAILURES_PER_IP: '3' },
      });
    });
    afterAll(() => t.close());
    const http = (): ReturnType<typeof request> => request(t.app.getHttpServer());

    it('does not serve /api/docs or /api/docs-json', async () => {
      await http().get('/api/docs').expect(404);
      await http().get('/api/docs-json').expect(404);
    });

    it('ignores X-Forwarded-For: a client cannot escape the per-IP sign-in lock by sending it', async () => {
      for (let i = 0; i < 3; i++) {
        await http()
          .post('/api/v1/auth/login')
          .set('x-forwarded-for', `198.51.100.${i}`)
          .send({ email: `nobody${i}@test.local`, password: 'wrong-password-1' })
          .expect(401);
      }
      const locked = await http()
        .post('/api/v1/auth/login')
        .set('x-forwarded-for', '198.51.100.77')
        .send({ email: 'someone@test.local', password: 'wrong-password-1' })
        .expect(429);
      expect(locked.body.error).toBe('TOO_MANY_REQUESTS');
      const keys = (await t.connection.collection('login_failures').find({}).toArray()).map((d) =>
        String(d.key),
      );
      expect(keys).toContain('ip:127.0.0.1');
      expect(keys.filter((k) => k.startsWith('ip:198.51.100.'))).toEqual([]);
    });
  });

  describe('with TRUST_PROXY naming the proxy and API_DOCS=true', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp('sec_proxy', {
        env: { NODE_ENV: 'production', TRUST_PROXY: 'loopback', API_DOCS: 'true' },
      });
    });
    afterAll(() => t.close());
    const http = (): ReturnType<typeof request> => request(t.app.getHttpServer());

    it('takes the client address from the trusted proxy: a remote client is not loopback for /metrics', async () => {
      await http().get('/metrics').expect(200);
      await http().get('/metrics').set('x-forwarded-for', '203.0.113.9').expect(401);
    });

    it('takes the address the trusted proxy saw, not the leftmost one the client wrote', async () => {
      // The client wrote 127.0.0.1; the proxy (loopback, trusted) appended the real peer.
      await http().get('/metrics').set('x-forwarded-for', '127.0.0.1, 203.0.113.9').expect(401);
    });

    it('serves an OpenAPI document that defines every security scheme it references', async () => {
      const doc = (await http().get('/api/docs-json').expect(200)).body as {
        components: {
          securitySchemes?: Record<string, { type: string; in?: string; name?: string }>;
        };
        paths: Record<string, Record<string, { security?: Record<string, unknown>[] }>>;
      };
      const schemes = doc.components.securitySchemes ?? {};
      expect(schemes.cookie).toEqual(
        expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'conecta_session' }),
      );
      const referenced = new Set<string>();
      for (const ops of Object.values(doc.paths)) {
        for (const op of Object.values(ops)) {
          for (const requirement of op.security ?? []) {
            Object.keys(requirement).forEach((k) => referenced.add(k));
          }
        }
      }
      expect(referenced.size).toBeGreaterThan(0);
      for (const name of referenced) expect(Object.keys(schemes)).toContain(name);
    });
  });
});
