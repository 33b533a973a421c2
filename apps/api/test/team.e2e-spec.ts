import request from 'supertest';
import { CSRF_COOKIE, SESSION_COOKIE } from '@conecta/contracts';
import { ApiKeysService } from '../src/api-keys/api-keys.service';
import { cookiesFrom, seedWorkspace, SeededWorkspace, signIn, systemAuth } from './support/auth';
import { startTestApp, TestApp, TestClock } from './support/test-app';

const HOUR = 3_600_000;
const NEW_PASSWORD = 'a-long-enough-password';

describe('team: invitations, roles, deactivation, removal and own password', () => {
  let t: TestApp;
  let a: SeededWorkspace;
  let b: SeededWorkspace;
  const clock = new TestClock();

  beforeAll(async () => {
    t = await startTestApp('team', { clock, env: { INVITATION_TTL_HOURS: '48' } });
    a = await seedWorkspace(t, { name: 'A' });
    b = await seedWorkspace(t, { name: 'B' });
  });
  afterAll(() => t.close());

  const server = (): ReturnType<TestApp['app']['getHttpServer']> => t.app.getHttpServer();
  const accept = (body: object): request.Test =>
    request(server()).post('/api/v1/public/invitations/accept').send(body);
  const auditActions = async (ws: SeededWorkspace): Promise<string[]> => {
    const res = await ws.admin.get('/api/v1/audit-log?limit=100').expect(200);
    return (res.body.items as { action: string; outcome: string }[]).map(
      (e) => `${e.action}:${e.outcome}`,
    );
  };

  describe('invitations', () => {
    it('an admin invites with a role; the person sets a password through the link and is signed in', async () => {
      const created = await a.admin
        .post('/api/v1/invitations', { email: 'Nueva@Example.com', role: 'agent' })
        .expect(201);
      expect(created.body).toMatchObject({ email: 'nueva@example.com', role: 'agent' });
      expect(typeof created.body.token).toBe('string');
      expect(new Date(created.body.expiresAt).getTime() - clock.now().getTime()).toBe(48 * HOUR);

      const pending = await a.admin.get('/api/v1/invitations').expect(200);
      expect(pending.body.map((i: { id: string }) => i.id)).toEqual([created.body.id]);
      expect(pending.body[0].token).toBeUndefined();

      const preview = await request(server())
        .get(`/api/v1/public/invitations/${created.body.token}`)
        .expect(200);
      expect(preview.body).toMatchObject({
        email: 'nueva@example.com',
        role: 'agent',
        workspaceName: 'A',
      });

      const res = await accept({
        token: created.body.token,
        name: 'Nueva Agente',
        password: NEW_PASSWORD,
      }).expect(200);
      expect(res.body.user).toMatchObject({ email: 'nueva@example.com', role: 'agent' });
      expect(res.body.workspace.id).toBe(a.workspaceId);
      const jar = cookiesFrom(res.headers['set-cookie']);
      const cookie = `${SESSION_COOKIE}=${jar[SESSION_COOKIE]}; ${CSRF_COOKIE}=${jar[CSRF_COOKIE]}`;
      const me = await request(server()).get('/api/v1/auth/me').set('Cookie', cookie).expect(200);
      expect(me.body.user.name).toBe('Nueva Agente');
      // The password works for a later sign-in, and the invitation no longer shows as pending.
      await signIn(t, 'nueva@example.com', NEW_PASSWORD);
      expect((await a.admin.get('/api/v1/invitations').expect(200)).body).toEqual([]);
      expect(await auditActions(a)).toEqual(
        expect.arrayContaining(['invitation.create:success', 'invitation.accept:success']),
      );
    });

    it('refuses a second use of the same link with INVITATION_USED', async () => {
      const created = await a.admin
        .post('/api/v1/invitations', { email: 'once@example.com', role: 'admin' })
        .expect(201);
      await accept({ token: created.body.token, name: 'Once', password: NEW_PASSWORD }).expect(200);
      const again = await accept({
        token: created.body.token,
        name: 'Twice',
        password: 'another-long-password',
      }).expect(409);
      expect(again.body).toMatchObject({
        error: 'CONFLICT',
        details: { reason: 'INVITATION_USED' },
      });
      const preview = await request(server())
        .get(`/api/v1/public/invitations/${created.body.token}`)
        .expect(409);
      expect(preview.body.details.reason).toBe('INVITATION_USED');
      // The first password stays the one that works.
      await signIn(t, 'once@example.com', NEW_PASSWORD);
    });

    it('lets only one of three simultaneous uses of a link through', async () => {
      const created = await a.admin
        .post('/api/v1/invitations', { email: 'race@example.com', role: 'agent' })
        .expect(201);
      const results = await Promise.all(
        [1, 2, 3].map((n) =>
          accept({ token: created.body.token, name: `Race ${n}`, password: NEW_PASSWORD }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    });

    it('refuses an expired link with INVITATION_EXPIRED (the clock moves, nothing sleeps)', async () => {
      const created = await a.admin
        .post('/api/v1/invitations', { email: 'late@example.com', role: 'agent' })
        .expect(201);
      clock.advance(48 * HOUR - 1000);
      await request(server()).get(`/api/v1/public/invitations/${created.body.token}`).expect(200);
      clock.advance(1000);
      const res = await accept({
        token: created.body.token,
        name: 'Late',
        password: NEW_PASSWORD,
      }).expect(409);
      expect(res.body.details.reason).toBe('INVITATION_EXPIRED');
      await request(server())
        .post('/api/v1/auth/login')
        .send({ email: 'late@example.com', password: NEW_PASSWORD })
        .expect(401);
    });

    it('applies the first-admin password policy and an unknown token is 404', async () => {
      const created = await a.admin
        .post('/api/v1/invitations', { email: 'short@example.com', role: 'agent' })
        .expect(201);
      const short = await accept({
        token: created.body.token,
        name: 'Short',
        password: 'too-short',
      }).expect(400);
      expect(short.body.error).toBe('VALIDATION_FAILED');
      expect(short.body.details.fields[0]).toMatchObject({ field: 'password', code: 'minLength' });
      const unknown = await accept({
        token: 'x'.repeat(43),
        name: 'Nobody',
        password: NEW_PASSWORD,
      }).expect(404);
      expect(unknown.body.error).toBe('NOT_FOUND');
      const crossSite = await accept({
        token: created.body.token,
        name: 'Evil',
        password: NEW_PASSWORD,
      })
        .set('Origin', 'https://evil.example')
        .expect(403);
      expect(crossSite.body.details.reason).toBe('CROSS_SITE');
    });

    it('refuses to invite an email that already has a user (EMAIL_TAKEN) and unknown fields', async () => {
      const taken = await a.admin
        .post('/api/v1/invitations', { email: a.agent.email, role: 'agent' })
        .expect(409);
      expect(taken.body.details.reason).toBe('EMAIL_TAKEN');
      await a.admin
        .post('/api/v1/invitations', { email: 'x@example.com', role: 'owner' })
        .expect(400);
      await a.admin
        .post('/api/v1/invitations', { email: 'x@example.com', role: 'agent', admin: true })
        .expect(400);
    });

    it('a revoked invitation no longer works', async () => {
      const created = await a.admin
        .post('/api/v1/invitations', { email: 'revoked@example.com', role: 'agent' })
        .expect(201);
      await a.admin.delete(`/api/v1/invitations/${created.body.id}`).expect(204);
      await accept({ token: created.body.token, name: 'R', password: NEW_PASSWORD }).expect(404);
      await b.admin.delete(`/api/v1/invitations/${created.body.id}`).expect(404);
    });
  });

  describe('managing users', () => {
    it('lists only the workspace users with their role and state', async () => {
      const res = await b.admin.get('/api/v1/users').expect(200);
      expect(res.body).toHaveLength(2);
      expect(res.body.map((u: { email: string }) => u.email).sort()).toEqual(
        [b.admin.email, b.agent.email].sort(),
      );
      expect(res.body.every((u: { active: boolean }) => u.active)).toBe(true);
    });

    it('answers 403 to agents on every team operation, and 404 across workspaces', async () => {
      const id = b.admin.userId;
      for (const res of [
        await b.agent.get('/api/v1/users'),
        await b.agent.patch(`/api/v1/users/${id}`, { role: 'agent' }),
        await b.agent.post(`/api/v1/users/${id}/deactivate`),
        await b.agent.post(`/api/v1/users/${id}/reactivate`),
        await b.agent.delete(`/api/v1/users/${id}`),
        await b.agent.post('/api/v1/invitations', { email: 'z@example.com', role: 'admin' }),
        await b.agent.get('/api/v1/invitations'),
      ]) {
        expect(res.status).toBe(403);
        expect(res.body.error).toBe('FORBIDDEN');
      }
      await a.admin.patch(`/api/v1/users/${b.agent.userId}`, { role: 'admin' }).expect(404);
      await a.admin.post(`/api/v1/users/${b.agent.userId}/deactivate`).expect(404);
      await a.admin.delete(`/api/v1/users/${b.agent.userId}`).expect(404);
      await b.agent.get('/api/v1/auth/me').expect(200);
    });

    it('changes a role, and the new role applies on the next request', async () => {
      const ws = await seedWorkspace(t);
      await ws.agent.get('/api/v1/api-keys').expect(403);
      const res = await ws.admin
        .patch(`/api/v1/users/${ws.agent.userId}`, { role: 'admin' })
        .expect(200);
      expect(res.body.role).toBe('admin');
      await ws.agent.get('/api/v1/api-keys').expect(200);
      expect(await auditActions(ws)).toContain('user.role.change:success');
    });

    it('the last active admin cannot be demoted, deactivated or removed (LAST_ADMIN)', async () => {
      const ws = await seedWorkspace(t);
      const path = `/api/v1/users/${ws.admin.userId}`;
      for (const res of [
        await ws.admin.patch(path, { role: 'agent' }),
        await ws.admin.post(`${path}/deactivate`),
        await ws.admin.delete(path),
      ]) {
        expect(res.status).toBe(409);
        expect(res.body).toMatchObject({ error: 'CONFLICT', details: { reason: 'LAST_ADMIN' } });
      }
      await ws.admin.get('/api/v1/auth/me').expect(200);
      expect((await ws.admin.get('/api/v1/auth/me')).body.user.role).toBe('admin');
      expect(await auditActions(ws)).toEqual(
        expect.arrayContaining([
          'user.role.change:failure',
          'user.deactivate:failure',
          'user.remove:failure',
        ]),
      );
      // With a second admin, the first one can step down.
      await ws.admin.patch(`/api/v1/users/${ws.agent.userId}`, { role: 'admin' }).expect(200);
      await ws.admin.patch(path, { role: 'agent' }).expect(200);
    });

    it("deactivation stops the user's session and API keys at once; reactivation restores them", async () => {
      const ws = await seedWorkspace(t);
      const keys = t.app.get(ApiKeysService);
      const agentKey = await keys.create(
        systemAuth(ws.workspaceId, 'agent', ws.agent.userId),
        'agent key',
        'agent',
      );
      const withKey = (): request.Test =>
        request(server()).get('/api/v1/chatbots').set('Authorization', `Bearer ${agentKey.key}`);
      await ws.agent.get('/api/v1/auth/me').expect(200);
      await withKey().expect(200);

      const res = await ws.admin.post(`/api/v1/users/${ws.agent.userId}/deactivate`).expect(200);
      expect(res.body.active).toBe(false);
      const after = await ws.agent.get('/api/v1/auth/me').expect(401);
      expect(after.body.error).toBe('UNAUTHORIZED');
      await withKey().expect(401);
      await request(server())
        .post('/api/v1/auth/login')
        .send({ email: ws.agent.email, password: ws.agent.password })
        .expect(401);
      const listed = await ws.admin.get('/api/v1/users').expect(200);
      expect(listed.body.find((u: { id: string }) => u.id === ws.agent.userId).active).toBe(false);

      await ws.admin.post(`/api/v1/users/${ws.agent.userId}/reactivate`).expect(200);
      await withKey().expect(200);
      // The ended session stays ended; a new sign-in works.
      await ws.agent.get('/api/v1/auth/me').expect(401);
      await signIn(t, ws.agent.email, ws.agent.password);
      expect(await auditActions(ws)).toEqual(
        expect.arrayContaining(['user.deactivate:success', 'user.reactivate:success']),
      );
    });

    it('removal ends the sessions, revokes the keys the user created and frees the email', async () => {
      const ws = await seedWorkspace(t);
      const agentKey = await t.app
        .get(ApiKeysService)
        .create(systemAuth(ws.workspaceId, 'agent', ws.agent.userId), 'agent key', 'agent');
      await ws.admin.delete(`/api/v1/users/${ws.agent.userId}`).expect(204);
      await ws.agent.get('/api/v1/auth/me').expect(401);
      await request(server())
        .get('/api/v1/chatbots')
        .set('Authorization', `Bearer ${agentKey.key}`)
        .expect(401);
      const listed = await ws.admin.get('/api/v1/users').expect(200);
      expect(listed.body.map((u: { id: string }) => u.id)).toEqual([ws.admin.userId]);
      await ws.admin.delete(`/api/v1/users/${ws.agent.userId}`).expect(404);
      await ws.admin
        .post('/api/v1/invitations', { email: ws.agent.email, role: 'agent' })
        .expect(201);
      expect(await auditActions(ws)).toContain('user.remove:success');
    });
  });

  describe('own password', () => {
    it('requires the current password, ends the other sessions and keeps this one', async () => {
      const ws = await seedWorkspace(t);
      const other = await signIn(t, ws.agent.email, ws.agent.password);
      const wrong = await ws.agent
        .post('/api/v1/auth/password', {
          currentPassword: 'not-the-password',
          newPassword: NEW_PASSWORD,
        })
        .expect(403);
      expect(wrong.body).toMatchObject({
        error: 'FORBIDDEN',
        details: { reason: 'WRONG_PASSWORD' },
      });
      await other.get('/api/v1/auth/me').expect(200);

      const short = await ws.agent
        .post('/api/v1/auth/password', { currentPassword: ws.agent.password, newPassword: 'short' })
        .expect(400);
      expect(short.body.error).toBe('VALIDATION_FAILED');

      await ws.agent
        .post('/api/v1/auth/password', {
          currentPassword: ws.agent.password,
          newPassword: NEW_PASSWORD,
        })
        .expect(204);
      await ws.agent.get('/api/v1/auth/me').expect(200);
      await other.get('/api/v1/auth/me').expect(401);
      // The admin's session (another user) is untouched.
      await ws.admin.get('/api/v1/auth/me').expect(200);
      await request(server())
        .post('/api/v1/auth/login')
        .send({ email: ws.agent.email, password: ws.agent.password })
        .expect(401);
      await signIn(t, ws.agent.email, NEW_PASSWORD);
      expect(await auditActions(ws)).toEqual(
        expect.arrayContaining(['user.password.change:failure', 'user.password.change:success']),
      );
    });

    it('API keys have no password to change', async () => {
      await request(server())
        .post('/api/v1/auth/password')
        .set('Authorization', `Bearer ${a.apiKey}`)
        .send({ currentPassword: 'whatever', newPassword: NEW_PASSWORD })
        .expect(403);
    });
  });
});
