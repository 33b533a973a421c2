import request from 'supertest';
import { seedWorkspace, SeededWorkspace } from './support/auth';
import { startTestApp, TestApp } from './support/test-app';

describe('failed sign-in throttling', () => {
  let t: TestApp;
  let ws: SeededWorkspace;
  beforeAll(async () => {
    t = await startTestApp('throttle', {
      env: { LOGIN_MAX_FAILURES: '3', LOGIN_MAX_FAILURES_PER_IP: '8', LOGIN_LOCK_MINUTES: '5' },
    });
    ws = await seedWorkspace(t);
  });
  afterAll(() => t.close());

  const login = (email: string, password: string): request.Test =>
    request(t.app.getHttpServer()).post('/api/v1/auth/login').send({ email, password });

  it('locks an account after a burst of failures, even for the right password, with a generic answer', async () => {
    for (let i = 0; i < 3; i++) await login(ws.agent.email, `wrong-${i}`).expect(401);
    const locked = await login(ws.agent.email, ws.agent.password).expect(429);
    expect(locked.body).toEqual(
      expect.objectContaining({
        error: 'TOO_MANY_REQUESTS',
        message: 'Too many failed sign-in attempts. Try again later.',
      }),
    );
    expect(JSON.stringify(locked.body)).not.toMatch(/exist|unknown/i);
    // Another account from elsewhere is unaffected by that account's lock.
    await login(ws.admin.email, ws.admin.password).expect(200);
  });

  it('locks an unknown email the same way, so the lock does not reveal which emails exist', async () => {
    for (let i = 0; i < 3; i++) await login('ghost@test.local', `wrong-${i}`).expect(401);
    await login('ghost@test.local', 'whatever').expect(429);
  });

  it('locks the IP after too many failures across accounts', async () => {
    // 6 failures so far from this IP; two more reach the per-IP limit of 8.
    await login('other1@test.local', 'x').expect(401);
    await login('other2@test.local', 'x').expect(401);
    await login(ws.admin.email, ws.admin.password).expect(429);
  });

  it('counts in the database, so every API process sees the same lock', async () => {
    const docs = await t.connection.collection('login_failures').find({}).toArray();
    expect(docs.map((d) => d.key)).toEqual(
      expect.arrayContaining([`known:${ws.agent.email}|127.0.0.1`, 'ip:127.0.0.1']),
    );
  });

  it('lets the account in again once the lock expires', async () => {
    await t.connection
      .collection<{ _id: string }>('login_failures')
      .updateMany({}, { $set: { at: new Date(Date.now() - 3_600_000) } });
    await login(ws.agent.email, ws.agent.password).expect(200);
  });
});

describe('failed sign-in throttling under concurrency and against lock-outs', () => {
  let t: TestApp;
  let ws: SeededWorkspace;
  beforeAll(async () => {
    t = await startTestApp('throttle_race', {
      // Requests name their client address through the (trusted) loopback proxy.
      env: { LOGIN_MAX_FAILURES: '5', LOGIN_MAX_FAILURES_PER_IP: '1000', TRUST_PROXY: 'loopback' },
    });
    ws = await seedWorkspace(t);
  });
  afterAll(() => t.close());

  const login = (email: string, password: string, ip: string): request.Test =>
    request(t.app.getHttpServer())
      .post('/api/v1/auth/login')
      .set('x-forwarded-for', ip)
      .send({ email, password });

  it('evaluates at most the limit of 12 parallel wrong passwords (count and check in one step)', async () => {
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => login(ws.agent.email, `wrong-${i}`, '198.51.100.1')),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    const evaluated = await t.connection.collection('audit_log').countDocuments({
      action: 'auth.login',
      'actor.email': ws.agent.email,
      'metadata.reason': 'invalid-credentials',
    });
    expect(evaluated).toBe(5);
  });

  it('does not let a guesser lock the owner out of a place they signed in from before', async () => {
    // The admin signed in from 192.0.2.10 before (seedWorkspace signs in from 127.0.0.1).
    await login(ws.admin.email, ws.admin.password, '192.0.2.10').expect(200);
    for (let i = 0; i < 5; i++) {
      await login(ws.admin.email, `guess-${i}`, '203.0.113.66').expect(401);
    }
    // The guesser is locked out, also with the right password from a new place...
    await login(ws.admin.email, ws.admin.password, '203.0.113.66').expect(429);
    await login(ws.admin.email, ws.admin.password, '203.0.113.67').expect(429);
    // ...while the owner still gets in from their usual place.
    await login(ws.admin.email, ws.admin.password, '192.0.2.10').expect(200);
  });
});
