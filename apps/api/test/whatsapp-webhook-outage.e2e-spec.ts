import net from 'node:net';
import { getConnectionToken } from '@nestjs/mongoose';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FakeGraphApi } from '@conecta/graph-client/testing';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { createApp } from '../src/app.factory';
import { seedWorkspace } from './support/auth';
import {
  dropTestDatabase,
  startTestApp,
  testConfig,
  testDbName,
  testMongoUri,
  type TestApp,
} from './support/test-app';
import { connectNumber, waitFor, type FakeNumber } from './support/whatsapp';

const N: FakeNumber = {
  wabaId: '102290129340555',
  phoneNumberId: '106540352242555',
  token: 'EAAOutageToken0000000000000000000000001',
  appSecret: 'cccccccccccccccccccccccccccccccc',
};

/**
 * A TCP proxy in front of the test database. Stopping it (and cutting its open connections) is an
 * honest database outage as the app sees it: every query fails until it starts again on the same
 * port. FerretDB cannot revoke permissions, and stopping the shared test server would break the
 * other test files.
 */
class DbProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  /** While down, the port stays bound (so no other process can take it) but every connection is reset. */
  private down = false;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<void> {
    this.down = false;
    if (this.server) return;
    const server = net.createServer((client) => {
      if (this.down) {
        client.destroy();
        return;
      }
      const upstream = net.connect(this.target.port, this.target.host);
      // One connection end to end: when either side closes or fails, both go (a half-open pair
      // would leave the driver waiting for an answer that cannot come).
      for (const [s, other] of [
        [client, upstream],
        [upstream, client],
      ] as const) {
        this.sockets.add(s);
        s.on('close', () => {
          this.sockets.delete(s);
          other.destroy();
        });
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', () => resolve()));
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  /** The outage: cuts every open connection and resets new ones until {@link start}. */
  async stop(): Promise<void> {
    this.down = true;
    for (const s of this.sockets) s.destroy();
  }

  async close(): Promise<void> {
    await this.stop();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('WhatsApp webhook when the database is unavailable', () => {
  const fake = new FakeGraphApi();
  const target = new URL(testMongoUri());
  const proxy = new DbProxy({ host: target.hostname, port: Number(target.port) });
  let app: NestFastifyApplication;
  let connection: Connection;
  const dbName = testDbName('webhook_outage');
  const monitorLog: string[] = [];

  beforeAll(async () => {
    await proxy.start();
    const baseUrl = await fake.start();
    const config = testConfig({
      WHATSAPP_BASE_URL: baseUrl,
      INTEGRATION_HEALTHCHECK_INTERVAL_MS: '0',
      WEBHOOK_BURST_WINDOW_MS: '0',
      INBOX_POLL_INTERVAL_MS: '20',
      INBOX_RETRY_BASE_MS: '20',
    });
    const proxied = new URL(testMongoUri());
    proxied.port = String(proxy.port);
    app = await createApp({ config, mongoUri: proxied.toString(), dbName, spaRoot: null });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    connection = app.get<Connection>(getConnectionToken());
    // What the driver saw, printed if the test fails: whether it kept checking the server and why
    // each check failed.
    const client = connection.getClient();
    const note = (what: string) => (e: { failure?: Error }) =>
      monitorLog.push(
        `${new Date().toISOString()} ${what}${e.failure ? `: ${e.failure.message}` : ''}`,
      );
    client.on('serverHeartbeatSucceeded', note('heartbeat ok'));
    client.on('serverHeartbeatFailed', note('heartbeat failed'));
  }, 90_000);

  afterAll(async () => {
    await fake.stop();
    await dropTestDatabase(connection, dbName).catch(() => undefined);
    await app?.close();
    await proxy.close();
  }, 60_000);

  it('answers 503 while the inbox cannot be written, and processes the redelivered webhook later', async () => {
    const t = {
      app,
      config: testConfig(),
      dbName,
      connection,
      close: async () => undefined,
    } as TestApp;
    const ws = await seedWorkspace(t, { name: 'Outage' });
    await connectNumber(fake, ws, N);
    await app.listen(0, '127.0.0.1');
    const webhookUrl = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/api/whatsapp/webhook`;
    const inbound = {
      webhookUrl,
      appSecret: N.appSecret,
      phoneNumberId: N.phoneNumberId,
      from: '34611111111',
      text: 'hola',
    };

    const firstOutageEntry = monitorLog.length;
    await proxy.stop();
    const during = await fake.sendInboundMessage(inbound);
    expect(during.status).toBe(503);

    await proxy.start();
    // Meta redelivers the same webhook (same wamid) until it gets a 200 — for days. The window is
    // wide because on a starved machine every insert can outlast the 5 s intake timeout for a
    // while: a 503 then is the right answer, and what is asserted is that a 200 comes at last.
    // (This test once failed for 120 s: the driver's monitor had hung on a closed socket and never
    // checked the server again. tools/patch-dependencies.js fixes that; see decision 0005.)
    const seen = new Map<string, number>();
    const redelivered = await waitFor(
      'a 200 after the outage',
      async () => {
        const res = await fake.sendInboundMessage({ ...inbound, wamid: during.wamid });
        const key = `${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
        return res.status === 200 ? res : undefined;
      },
      120_000,
    ).catch((err: Error) => {
      throw new Error(
        `${err.message}; answers: ${JSON.stringify([...seen])}; driver since the outage:\n` +
          monitorLog.slice(firstOutageEntry).join('\n'),
      );
    });
    expect(redelivered.wamid).toBe(during.wamid);
    await waitFor(
      'the reply',
      () =>
        fake.sentMessages().filter((m) => m.type === 'text' && m.to === '+34611111111').length ===
        1,
    );
    expect(
      await connection.collection('whatsapp_inbox').countDocuments({ externalId: during.wamid }),
    ).toBe(1);
  }, 200_000);
});

describe('WhatsApp webhook with WHATSAPP_ENABLED=false', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('webhook_disabled', { env: { WHATSAPP_ENABLED: 'false' } });
  }, 90_000);
  afterAll(() => t?.close(), 60_000);

  it('does not exist (404) for GET and POST', async () => {
    await request(t.app.getHttpServer())
      .get('/api/whatsapp/webhook')
      .query({
        'hub.mode': 'subscribe',
        'hub.verify_token': 'test-verify-token',
        'hub.challenge': '1',
      })
      .expect(404);
    await request(t.app.getHttpServer()).post('/api/whatsapp/webhook').send({}).expect(404);
  });
});
