import { Body, Controller, Module, Post } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { IsString, MaxLength } from 'class-validator';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ObjectId } from 'mongodb';
import mongoose, { Schema } from 'mongoose';
import request from 'supertest';
import type { HealthResponse } from '@conecta/contracts';
import { AllExceptionsFilter } from '../src/common/filters/all-exceptions.filter';
import { SpaFallback } from '../src/common/spa-fallback';
import { createValidationPipe } from '../src/common/validation';
import { Migrator } from '../src/database/migrator';
import { m0016WorkspaceObjectIds } from '../src/database/migrations/0016-workspace-object-ids';
import { m0019IntegrationActivity } from '../src/database/migrations/0019-integration-activity';
import { m0021MessageFailureMetaWords } from '../src/database/migrations/0021-message-failure-meta-words';
import { startTestApp, testDbName, testMongoUri, TestApp } from './support/test-app';

describe('the embedded database', () => {
  it('writes and reads a document through mongoose', async () => {
    const dbName = testDbName('mongoose');
    const conn = await mongoose.createConnection(testMongoUri(), { dbName }).asPromise();
    try {
      const Note = conn.model('Note', new Schema({ text: String, n: Number }));
      await Note.create({ text: 'hola, señor', n: 42 });
      const found = await Note.findOne({ n: 42 }).lean();
      expect(found?.text).toBe('hola, señor');
    } finally {
      await conn.dropDatabase();
      await conn.close();
    }
  });
});

async function waitForHealth(
  server: Parameters<typeof request>[0],
  ready: (body: HealthResponse) => boolean,
): Promise<HealthResponse> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await request(server).get('/api/health').expect(200);
    if (ready(res.body as HealthResponse) || Date.now() > deadline)
      return res.body as HealthResponse;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('GET /api/health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('health');
  });
  afterAll(() => t.close());

  it('answers 200 with the database up and the version', async () => {
    const res = await request(t.app.getHttpServer()).get('/api/health').expect(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      db: 'up',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
    });
  });

  it('reports the inbox backlog and the worker heartbeat', async () => {
    const server = t.app.getHttpServer();
    const body = await waitForHealth(server, (b) => b.inbox !== undefined);
    expect(body.worker).toEqual({ state: 'running', lastHeartbeatSecondsAgo: expect.any(Number) });
    expect(body.inbox).toEqual({ pending: 0, processing: 0, dead: 0, oldestPendingAgeSeconds: 0 });
  });

  it('answers an unknown API path with the error shape and no stack', async () => {
    const res = await request(t.app.getHttpServer()).get('/api/v1/nothing-here').expect(404);
    expect(res.body).toEqual({ statusCode: 404, error: 'NOT_FOUND', message: expect.any(String) });
  });

  it('sends security headers', async () => {
    const res = await request(t.app.getHttpServer()).get('/api/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves the OpenAPI document', async () => {
    const res = await request(t.app.getHttpServer()).get('/api/docs-json').expect(200);
    expect(res.body.paths['/api/health']).toBeDefined();
  });
});

describe('migrations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('migrations');
  });
  afterAll(() => t.close());

  it('are applied at start and can be rolled back and re-applied', async () => {
    const db = t.connection.db;
    if (!db) throw new Error('no db');
    const migrator = new Migrator(db);
    const before = await migrator.status();
    expect(before.every((m) => m.appliedAt !== null)).toBe(true);
    const last = before[before.length - 1];
    await expect(migrator.down()).resolves.toBe(last?.id);
    expect((await migrator.status()).at(-1)?.appliedAt).toBeNull();
    await expect(migrator.up()).resolves.toEqual([last?.id]);
  });

  it('0016 stores the workspace ids kept as strings as ObjectIds, and back on rollback', async () => {
    const db = t.connection.db;
    if (!db) throw new Error('no db');
    const hex = new ObjectId().toHexString();
    const names = ['conversations', 'messages', 'whatsapp_inbox'];
    for (const name of names) {
      // Distinct values for the collections' unique keys: MongoDB indexes a missing field as null.
      await db.collection(name).insertMany(
        ['m0016', 'm0016-null'].map((marker) => ({
          marker,
          workspaceId: marker === 'm0016' ? hex : null,
          chatbotId: new ObjectId(),
          channel: 'web',
          sessionId: `${marker}-${name}`,
          key: `${marker}-${name}`,
        })),
      );
    }
    const stored = async (name: string, marker: string): Promise<unknown> =>
      (await db.collection(name).findOne({ marker }))?.workspaceId;

    await m0016WorkspaceObjectIds.up(db);
    for (const name of names) {
      expect(await stored(name, 'm0016')).toEqual(new ObjectId(hex));
      expect(await stored(name, 'm0016-null')).toBeNull();
    }
    await m0016WorkspaceObjectIds.down(db);
    for (const name of names) expect(await stored(name, 'm0016')).toBe(hex);
    await m0016WorkspaceObjectIds.up(db);
    for (const name of names) {
      expect(await stored(name, 'm0016')).toEqual(new ObjectId(hex));
      await db.collection(name).deleteMany({ marker: /^m0016/ });
    }
  });

  it('0019 moves the activity timestamps of integrations to integration_activity, and back on rollback', async () => {
    const db = t.connection.db;
    if (!db) throw new Error('no db');
    const integrations = db.collection('integrations');
    const activity = db.collection('integration_activity');
    const workspaceId = new ObjectId();
    const [heard, silent] = [new ObjectId(), new ObjectId()];
    const at = new Date('2026-11-30T10:00:00.000Z');
    const sent = new Date('2026-11-30T09:00:00.000Z');
    await integrations.insertMany([
      {
        _id: heard,
        workspaceId,
        phoneNumberId: 'm0019-heard',
        chatbotId: 'm0019-heard',
        platform: 'WHATSAPP',
        errorType: 'INVALID_CREDENTIALS',
        lastActivity: at,
        lastWebhookAt: at,
        lastSendOkAt: sent,
      },
      {
        _id: silent,
        workspaceId,
        phoneNumberId: 'm0019-silent',
        chatbotId: 'm0019-silent',
        platform: 'WHATSAPP',
        lastActivity: null,
        lastWebhookAt: null,
        lastSendOkAt: null,
      },
    ]);

    await m0019IntegrationActivity.up(db);
    expect(await activity.findOne({ _id: heard })).toEqual({
      _id: heard,
      workspaceId,
      lastActivity: at,
      lastWebhookAt: at,
      lastSendOkAt: sent,
    });
    expect(await activity.findOne({ _id: silent })).toBeNull();
    expect(await integrations.findOne({ _id: heard })).toEqual({
      _id: heard,
      workspaceId,
      phoneNumberId: 'm0019-heard',
      chatbotId: 'm0019-heard',
      platform: 'WHATSAPP',
      errorType: 'INVALID_CREDENTIALS',
    });
    expect(await integrations.findOne({ _id: silent })).toEqual({
      _id: silent,
      workspaceId,
      phoneNumberId: 'm0019-silent',
      chatbotId: 'm0019-silent',
      platform: 'WHATSAPP',
    });

    await m0019IntegrationActivity.down(db);
    expect(await activity.countDocuments({ _id: { $in: [heard, silent] } })).toBe(0);
    expect(await integrations.findOne({ _id: heard })).toMatchObject({
      errorType: 'INVALID_CREDENTIALS',
      lastActivity: at,
      lastWebhookAt: at,
      lastSendOkAt: sent,
    });

    await m0019IntegrationActivity.up(db);
    expect(await activity.findOne({ _id: heard })).toMatchObject({ lastSendOkAt: sent });
    await integrations.deleteMany({ _id: { $in: [heard, silent] } });
    await activity.deleteMany({ _id: { $in: [heard, silent] } });
  });

  it("0021 leaves Meta's own words in stored failure reasons, takes out our English, and puts it back on rollback", async () => {
    const db = t.connection.db;
    if (!db) throw new Error('no db');
    const messages = db.collection('messages');
    const statuses = db.collection('message_part_statuses');
    const [wrapped, ours, metas, file] = [
      new ObjectId(),
      new ObjectId(),
      new ObjectId(),
      new ObjectId(),
    ];
    const summary = 'messages: Graph API error 100 (HTTP 400): (#100) Invalid parameter';
    const windowText = 'the 24-hour window is closed: only a template can be sent';
    const fileText = 'media_download: network error (ECONNRESET): socket hang up';
    // Distinct values for the unique keys: MongoDB indexes a missing field as null.
    await messages.insertMany([
      {
        _id: wrapped,
        externalMessageId: 'm0021-a',
        clientKey: 'm0021-a',
        errorCode: 100,
        errorReason: summary,
      },
      { _id: ours, externalMessageId: 'm0021-b', clientKey: 'm0021-b', errorReason: windowText },
      {
        _id: metas,
        externalMessageId: 'm0021-c',
        clientKey: 'm0021-c',
        errorReason: 'Re-engagement message',
      },
      {
        _id: file,
        externalMessageId: 'm0021-d',
        clientKey: 'm0021-d',
        media: { kind: 'image', failureCode: 'MEDIA_DOWNLOAD_FAILED', failureDetail: fileText },
      },
    ]);
    await statuses.insertOne({
      _id: 'm0021-wamid|failed' as never,
      errorCode: 100,
      errorReason: summary,
    });
    const integration = new ObjectId();
    const integrations = db.collection('integrations');
    await integrations.insertOne({
      _id: integration,
      phoneNumberId: 'm0021-phone',
      chatbotId: 'm0021-bot',
      errorType: 'INVALID_CREDENTIALS',
      errorDetail: 'phone_number: Graph API error 190 (HTTP 401): Error validating access token',
    });
    const stored = async () => ({
      integration: (await integrations.findOne({ _id: integration }))?.errorDetail,
      wrapped: (await messages.findOne({ _id: wrapped }))?.errorReason,
      ours: (await messages.findOne({ _id: ours }))?.errorReason,
      metas: (await messages.findOne({ _id: metas }))?.errorReason,
      file: (await messages.findOne({ _id: file }))?.media,
      part: (await statuses.findOne({ _id: 'm0021-wamid|failed' as never }))?.errorReason,
    });

    await m0021MessageFailureMetaWords.up(db);
    expect(await stored()).toEqual({
      integration: 'Error validating access token',
      wrapped: '(#100) Invalid parameter',
      ours: undefined,
      metas: 'Re-engagement message',
      file: { kind: 'image', failureCode: 'MEDIA_DOWNLOAD_FAILED' },
      part: '(#100) Invalid parameter',
    });
    expect((await messages.findOne({ _id: wrapped }))?.errorCode).toBe(100);

    await m0021MessageFailureMetaWords.down(db);
    expect(await stored()).toEqual({
      integration: 'phone_number: Graph API error 190 (HTTP 401): Error validating access token',
      wrapped: summary,
      ours: windowText,
      metas: 'Re-engagement message',
      file: { kind: 'image', failureCode: 'MEDIA_DOWNLOAD_FAILED', failureDetail: fileText },
      part: summary,
    });
    expect(await db.collection('migration_0021_failure_text').countDocuments()).toBe(0);

    await m0021MessageFailureMetaWords.up(db);
    expect((await stored()).wrapped).toBe('(#100) Invalid parameter');
    await messages.deleteMany({ _id: { $in: [wrapped, ours, metas, file] } });
    await statuses.deleteOne({ _id: 'm0021-wamid|failed' as never });
    await integrations.deleteOne({ _id: integration });
  });
});

describe('the SPA', () => {
  let t: TestApp;
  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'conecta-spa-'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><div id="root"></div>');
    t = await startTestApp('spa', { spaRoot: root });
  });
  afterAll(() => t.close());

  it('is served at / and for client-side routes, but not for unknown API paths', async () => {
    const server = t.app.getHttpServer();
    await request(server)
      .get('/')
      .expect(200)
      .expect(/id="root"/);
    await request(server)
      .get('/conversaciones?channel=whatsapp')
      .expect(200)
      .expect(/id="root"/);
    await request(server).get('/api/v1/unknown').expect(404).expect('content-type', /json/);
  });
});

class EchoDto {
  @IsString()
  @MaxLength(5)
  name!: string;
}

@Controller('echo')
class EchoController {
  @Post()
  echo(@Body() body: EchoDto): EchoDto {
    return body;
  }
}

@Module({
  controllers: [EchoController],
  providers: [
    { provide: SpaFallback, useValue: new SpaFallback(null) },
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
  ],
})
class EchoModule {}

describe('validation and the error body', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [EchoModule] }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(
      new FastifyAdapter({ bodyLimit: 1024 }),
    );
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(() => app.close());

  it('rejects an unknown field, naming it', async () => {
    const res = await request(app.getHttpServer())
      .post('/echo')
      .send({ name: 'ana', role: 'admin' })
      .expect(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'VALIDATION_FAILED',
      message: expect.stringContaining('role'),
      details: { fields: [{ field: 'role', code: 'unknown', message: 'is not an allowed field' }] },
    });
  });

  it('names each invalid field', async () => {
    const res = await request(app.getHttpServer())
      .post('/echo')
      .send({ name: 'too long' })
      .expect(400);
    expect(res.body.details.fields).toEqual([
      expect.objectContaining({ field: 'name', code: 'maxLength' }),
    ]);
  });

  it('answers malformed JSON with 400 and no stack trace', async () => {
    const res = await request(app.getHttpServer())
      .post('/echo')
      .set('content-type', 'application/json')
      .send('{"name": ')
      .expect(400);
    expect(res.body.error).toBe('BAD_REQUEST');
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js:\d+/);
  });

  it('answers an oversized body with 413', async () => {
    const res = await request(app.getHttpServer())
      .post('/echo')
      .send({ name: 'x'.repeat(4096) })
      .expect(413);
    expect(res.body).toEqual({
      statusCode: 413,
      error: 'PAYLOAD_TOO_LARGE',
      message: 'Request body is too large',
    });
  });
});

describe('GET /metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('metrics', { env: { METRICS_TOKEN: 'scrape-me' } });
  });
  afterAll(() => t.close());

  it('requires the metrics token', async () => {
    const res = await request(t.app.getHttpServer()).get('/metrics').expect(401);
    expect(res.body.error).toBe('UNAUTHORIZED');
  });

  it('renders Prometheus text with the HTTP latency of earlier requests', async () => {
    const server = t.app.getHttpServer();
    await request(server).get('/api/health').expect(200);
    const res = await request(server)
      .get('/metrics')
      .set('authorization', 'Bearer scrape-me')
      .expect(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.text).toMatch(
      /conecta_http_request_seconds_count\{method="GET",route="\/api\/health",status="200"\} 1/,
    );
    expect(res.text).toContain('conecta_webhook_requests_total');
  });
});
