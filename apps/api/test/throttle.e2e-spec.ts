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
    const docs = await t.connection.collection('login_attempts').find({}).toArray();
    expect(docs.map((d) => d._id)).toEqual(
      expect.arrayContaining([`account:${ws.agent.email}`, 'ip:127.0.0.1']),
    );
  });

  it('lets the account in again once the lock expires', async () => {
    await t.connection.collection<{ _id: string }>('login_attempts').updateMany(
      {},
      {
        $set: {
          lockedUntil: new Date(Date.now() - 1000),
          windowStart: new Date(Date.now() - 3_600_000),
        },
      },
    );
    await login(ws.agent.email, ws.agent.password).expect(200);
  });
});
