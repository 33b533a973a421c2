import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createApp } from '../src/app.factory';
import { RetentionJob } from '../src/conversations/retention.job';
import { IntegrationsHealthCheck } from '../src/integrations/integrations-health.service';
import { InboxWorker } from '../src/whatsapp-webhook/inbox.worker';
import { type TestApp, startTestApp, testConfig, testMongoUri } from './support/test-app';

// Processes of one deployment share one database: ROLE splits the HTTP side from the workers,
// and the scheduled jobs run once per slot across all of them (a clock passed in, not waited on).
describe('ROLE and scheduled jobs across processes', () => {
  let first: TestApp;
  const others: NestFastifyApplication[] = [];

  /** Another process on the same database as `first`. */
  async function sibling(env: Record<string, string>): Promise<NestFastifyApplication> {
    const app = await createApp({
      config: testConfig({ INTEGRATION_HEALTHCHECK_INTERVAL_MS: '600000', ...env }),
      mongoUri: testMongoUri(),
      dbName: first.dbName,
      spaRoot: null,
    });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    others.push(app);
    return app;
  }

  beforeAll(async () => {
    first = await startTestApp('roles', {
      env: { INTEGRATION_HEALTHCHECK_INTERVAL_MS: '600000', INBOX_CONCURRENCY: '0' },
    });
  });

  afterAll(async () => {
    for (const app of others) await app.close();
    await first.close();
  });

  it('runs the hourly retention once per hour, whichever process gets there first', async () => {
    const second = await sibling({ INBOX_CONCURRENCY: '0' });
    const a = first.app.get(RetentionJob);
    const b = second.get(RetentionJob);
    const hour = Date.UTC(2026, 0, 5, 10);

    const both = await Promise.all([
      a.runScheduled(new Date(hour + 1_000)),
      b.runScheduled(new Date(hour + 2_000)),
    ]);
    expect(both.filter((r) => r !== null)).toHaveLength(1);
    // Later in the same hour: already done.
    expect(await a.runScheduled(new Date(hour + 59 * 60_000))).toBeNull();
    expect(await b.runScheduled(new Date(hour + 59 * 60_000))).toBeNull();
    // The next hour is a new slot, for one of them again.
    expect(await b.runScheduled(new Date(hour + 61 * 60_000))).not.toBeNull();
    expect(await a.runScheduled(new Date(hour + 62 * 60_000))).toBeNull();
  });

  it('sweeps the integrations once per health-check interval across processes', async () => {
    const second = await sibling({ INBOX_CONCURRENCY: '0' });
    const a = first.app.get(IntegrationsHealthCheck);
    const b = second.get(IntegrationsHealthCheck);
    const t0 = Date.UTC(2026, 0, 5, 12);

    const both = await Promise.all([
      a.scheduledSweep(new Date(t0 + 1_000)),
      b.scheduledSweep(new Date(t0 + 1_500)),
    ]);
    expect(both.map((r) => r.swept).sort()).toEqual([false, true]);
    expect(both.every((r) => r.nextInMs === 600_000)).toBe(true);
    expect((await a.scheduledSweep(new Date(t0 + 599_000))).swept).toBe(false);
    expect((await a.scheduledSweep(new Date(t0 + 600_000))).swept).toBe(true);
    expect((await b.scheduledSweep(new Date(t0 + 601_000))).swept).toBe(false);
  });

  it('ROLE=api takes webhooks but runs no inbox workers and no scheduled jobs', async () => {
    const api = await sibling({ ROLE: 'api' });
    expect(api.get(InboxWorker).isRunning).toBe(false);
    expect(await api.get(RetentionJob).runScheduled(new Date(Date.UTC(2026, 1, 1)))).toBeNull();
    const challenge = await request(api.getHttpServer()).get('/api/whatsapp/webhook').query({
      'hub.mode': 'subscribe',
      'hub.verify_token': 'test-verify-token',
      'hub.challenge': 'ch-1',
    });
    expect(challenge.status).toBe(200);
    expect(challenge.text).toBe('ch-1');
  });

  it('ROLE=worker runs the inbox workers and answers only health and metrics', async () => {
    const worker = await sibling({ ROLE: 'worker', INBOX_CONCURRENCY: '1' });
    expect(worker.get(InboxWorker).isRunning).toBe(true);
    const http = request(worker.getHttpServer());
    expect((await http.get('/api/health')).status).toBe(200);
    expect((await http.get('/metrics')).status).toBe(200);
    for (const res of [
      await http.get('/api/v1/chatbots'),
      await http.post('/api/whatsapp/webhook').send({}),
      await http.get('/api/health/../v1/auth/me'),
      await http.get('/'),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ statusCode: 404, error: 'NOT_FOUND' });
      expect(JSON.stringify(res.body)).not.toMatch(/stack|at \w+ \(/);
    }
    // The jobs are the worker's: a slot nobody took yet is its to run.
    expect(
      await worker.get(RetentionJob).runScheduled(new Date(Date.UTC(2026, 2, 1))),
    ).not.toBeNull();
  });
});
