import { FakeGraphApi } from '@conecta/graph-client/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createApp } from '../src/app.factory';
import { RetentionJob } from '../src/conversations/retention.job';
import { JOB_RUNS_COLLECTION, untilSlotMiddle } from '../src/database/job-runs';
import { IntegrationsHealthCheck } from '../src/integrations/integrations-health.service';
import { IntegrationsMetrics } from '../src/integrations/integrations-metrics.service';
import { MediaDownloadWorker } from '../src/media/media-download.worker';
import { InboxWorker } from '../src/whatsapp-webhook/inbox.worker';
import {
  type TestApp,
  TestClock,
  startTestApp,
  testConfig,
  testMongoUri,
} from './support/test-app';
import { seedWorkspace } from './support/auth';
import { connectNumber } from './support/whatsapp';

const HOUR = 60 * 60_000;

// Processes of one deployment share one database: ROLE splits the HTTP side from the workers,
// and the scheduled jobs run once per slot across all of them. Every process reads the one test
// clock, which the tests move instead of waiting.
describe('ROLE and scheduled jobs across processes', () => {
  let first: TestApp;
  const others: NestFastifyApplication[] = [];
  const clock = new TestClock(Date.UTC(2026, 0, 5, 10));
  const fake = new FakeGraphApi();
  let graphEnv: Record<string, string>;

  /** Another process on the same database as `first`. */
  async function sibling(env: Record<string, string>): Promise<NestFastifyApplication> {
    const app = await createApp({
      config: testConfig({ ...graphEnv, ...env }),
      mongoUri: testMongoUri(),
      dbName: first.dbName,
      spaRoot: null,
      clock,
    });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    others.push(app);
    return app;
  }

  beforeAll(async () => {
    graphEnv = {
      WHATSAPP_BASE_URL: await fake.start(),
      WHATSAPP_RETRY_MAX_ATTEMPTS: '1',
      INTEGRATION_HEALTHCHECK_INTERVAL_MS: '600000',
    };
    first = await startTestApp('roles', { env: { ...graphEnv, INBOX_CONCURRENCY: '0' }, clock });
  });

  afterAll(async () => {
    for (const app of others) await app.close();
    await first.close();
    await fake.stop();
  });

  it('runs the hourly retention once per hour, whichever process gets there first', async () => {
    const second = await sibling({ INBOX_CONCURRENCY: '0' });
    const a = first.app.get(RetentionJob);
    const b = second.get(RetentionJob);
    clock.set(Date.UTC(2026, 0, 5, 10, 30));

    const both = await Promise.all([a.runScheduled(), b.runScheduled()]);
    expect(both.filter((r) => r !== null)).toHaveLength(1);
    // Later in the same hour: already done, by either process.
    clock.advance(29 * 60_000);
    expect(await a.runScheduled()).toBeNull();
    expect(await b.runScheduled()).toBeNull();
    // The next hour is a new slot, for one of them again.
    clock.advance(2 * 60_000);
    expect(await b.runScheduled()).not.toBeNull();
    expect(await a.runScheduled()).toBeNull();
    // Five hours, each process trying every hour: five passes in all.
    let passes = 0;
    for (let hour = 0; hour < 5; hour++) {
      clock.advance(HOUR);
      const round = await Promise.all([a.runScheduled(), b.runScheduled()]);
      passes += round.filter((r) => r !== null).length;
    }
    expect(passes).toBe(5);
    const slots = await first.connection
      .collection(JOB_RUNS_COLLECTION)
      .countDocuments({ job: 'message-retention' });
    expect(slots).toBe(7);
  });

  it('sweeps the integrations once per health-check interval across processes', async () => {
    const second = await sibling({ INBOX_CONCURRENCY: '0' });
    const a = first.app.get(IntegrationsHealthCheck);
    const b = second.get(IntegrationsHealthCheck);
    clock.set(Date.UTC(2026, 0, 5, 12) + 300_000);

    const both = await Promise.all([a.scheduledSweep(), b.scheduledSweep()]);
    expect(both.map((r) => r.swept).sort()).toEqual([false, true]);
    // Both try again in the middle of the next interval, whoever swept.
    expect(both.map((r) => r.nextInMs)).toEqual([600_000, 600_000]);
    clock.advance(299_000);
    expect((await a.scheduledSweep()).swept).toBe(false);
    clock.advance(1_000);
    expect((await a.scheduledSweep()).swept).toBe(true);
    expect((await b.scheduledSweep()).swept).toBe(false);
  });

  it('holds the slots a rate-limited sweep backs off for every process, not only its own', async () => {
    const second = await sibling({ INBOX_CONCURRENCY: '0' });
    const a = first.app.get(IntegrationsHealthCheck);
    const b = second.get(IntegrationsHealthCheck);
    await connectNumber(fake, await seedWorkspace(first), {
      wabaId: '190000000000019',
      phoneNumberId: '190000000000091',
      token: 'EAARolesHealthCheckToken0001',
      appSecret: 'ab'.repeat(16),
    });
    clock.set(Date.UTC(2026, 0, 6, 12) + 300_000);
    fake.failNext('phone_number', 1, { code: 80007 });

    const limited = await a.scheduledSweep();
    expect(limited).toEqual({ swept: true, nextInMs: 2 * 600_000 });
    // The next interval is the backoff's, for the other process too.
    clock.advance(600_000);
    expect((await b.scheduledSweep()).swept).toBe(false);
    const phoneCalls = fake.requestsTo('phone_number').length;
    // Then the interval recovers, whoever sweeps.
    clock.advance(600_000);
    expect(await b.scheduledSweep()).toEqual({ swept: true, nextInMs: 600_000 });
    expect(fake.requestsTo('phone_number').length).toBeGreaterThan(phoneCalls);
  });

  it('puts every process on the middle of a slot, where clocks a little apart still agree', () => {
    const slot = 600_000;
    const start = Date.UTC(2026, 0, 5, 12);
    expect(untilSlotMiddle(slot, new Date(start + 1_000))).toBe(899_000);
    expect(untilSlotMiddle(slot, new Date(start + 599_999))).toBe(300_001);
    expect(untilSlotMiddle(slot, new Date(start + 1_000), 4)).toBe(4 * slot + 299_000);
  });

  it('ROLE=api takes webhooks but runs no inbox workers and no scheduled jobs', async () => {
    const api = await sibling({ ROLE: 'api', INTEGRATION_HEALTHCHECK_INTERVAL_MS: '60000' });
    expect(api.get(InboxWorker).isRunning).toBe(false);
    expect(api.get(MediaDownloadWorker).isRunning).toBe(false);
    expect(api.get(IntegrationsHealthCheck).isScheduled).toBe(false);
    expect(api.get(IntegrationsMetrics).isRefreshing).toBe(false);
    // A slot nobody took: still not the API process's to run.
    clock.set(Date.UTC(2026, 1, 1, 0, 30));
    expect(await api.get(RetentionJob).runScheduled()).toBeNull();
    expect((await api.get(IntegrationsHealthCheck).scheduledSweep()).swept).toBe(false);
    const challenge = await request(api.getHttpServer()).get('/api/whatsapp/webhook').query({
      'hub.mode': 'subscribe',
      'hub.verify_token': 'test-verify-token',
      'hub.challenge': 'ch-1',
    });
    expect(challenge.status).toBe(200);
    expect(challenge.text).toBe('ch-1');
  });

  it('ROLE=worker runs the inbox workers and answers only health and metrics', async () => {
    const worker = await sibling({
      ROLE: 'worker',
      INBOX_CONCURRENCY: '1',
      INTEGRATION_HEALTHCHECK_INTERVAL_MS: '60000',
    });
    expect(worker.get(InboxWorker).isRunning).toBe(true);
    expect(worker.get(MediaDownloadWorker).isRunning).toBe(true);
    expect(worker.get(IntegrationsHealthCheck).isScheduled).toBe(true);
    expect(worker.get(IntegrationsMetrics).isRefreshing).toBe(true);
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
    clock.set(Date.UTC(2026, 2, 1, 0, 30));
    expect(await worker.get(RetentionJob).runScheduled()).not.toBeNull();
  });
});
