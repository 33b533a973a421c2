import { ObjectId } from 'mongodb';
import type { DemoInfo, ErrorBody, IntegrationStatus } from '@conecta/contracts';
import { signPayload } from '@conecta/graph-client';
import { FakeGraphApi, buildInboundTextWebhook } from '@conecta/graph-client/testing';
import request from 'supertest';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../src/app.factory';
import { ChatbotsService, chatbotKeyPlace } from '../src/chatbots/chatbots.service';
import { resealSecrets } from '../src/cli/reseal';
import { keyId, loadConfig } from '../src/config/app-config';
import { SecretBox } from '../src/crypto/secret-box';
import { IntegrationRouting } from '../src/integrations/integration-routing.service';
import { IntegrationsService } from '../src/integrations/integrations.service';
import { seedWorkspace, systemAuth } from './support/auth';
import {
  startTestApp,
  TEST_ENCRYPTION_KEY,
  testConfig,
  testMongoUri,
  TestApp,
} from './support/test-app';
import { waitFor } from './support/whatsapp';

const TOKEN_A = 'EAATokenOfWorkspaceA000000000000000000001';
const TOKEN_B = 'EAATokenOfWorkspaceB000000000000000000002';
const SECRET_A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const LLM_KEY = 'sk-llm-key-that-must-stay-secret-0001';
const NEW_KEY = Buffer.alloc(32, 9).toString('base64');

describe('npm run keys:rotate (resealSecrets)', () => {
  const fake = new FakeGraphApi();
  let t: TestApp;
  let rotated: NestFastifyApplication | undefined;

  beforeAll(async () => {
    fake.addBusiness({
      wabaId: '300000000000001',
      name: 'A',
      token: TOKEN_A,
      phoneNumbers: [
        { id: '310000000000001', displayPhoneNumber: '+34 600 000 001', verifiedName: 'A' },
      ],
    });
    fake.addBusiness({
      wabaId: '300000000000002',
      name: 'B',
      token: TOKEN_B,
      phoneNumbers: [
        { id: '310000000000002', displayPhoneNumber: '+34 600 000 002', verifiedName: 'B' },
      ],
    });
    const baseUrl = await fake.start();
    t = await startTestApp('int_rotation', {
      env: { WHATSAPP_BASE_URL: baseUrl, INTEGRATION_HEALTHCHECK_INTERVAL_MS: '0' },
    });
  });

  afterAll(async () => {
    await rotated?.close();
    await t?.close();
    await fake.stop();
  });

  it('re-encrypts every integration and chatbot secret under the new key, all still usable', async () => {
    const a = await seedWorkspace(t);
    const b = await seedWorkspace(t);
    const made: IntegrationStatus[] = [];
    for (const [ws, token, phone, waba, appSecret] of [
      [a, TOKEN_A, '310000000000001', '300000000000001', SECRET_A],
      [b, TOKEN_B, '310000000000002', '300000000000002', null],
    ] as const) {
      const res = await ws.admin.post('/api/v1/integrations', {
        chatbotId: ws.chatbotId,
        phoneNumberId: phone,
        businessAccountId: waba,
        accessToken: token,
        appSecret,
      });
      expect(res.status).toBe(201);
      made.push(res.body as IntegrationStatus);
    }
    await t.app.get(ChatbotsService).update(systemAuth(a.workspaceId), a.chatbotId, {
      responder: {
        type: 'openai-compatible',
        baseUrl: 'http://127.0.0.1:9/v1',
        model: 'm',
        apiKey: LLM_KEY,
      },
    });

    const db = t.connection.db;
    if (!db) throw new Error('no db handle');
    const newConfig = loadConfig({
      ENCRYPTION_KEY: NEW_KEY,
      ENCRYPTION_PREVIOUS_KEYS: TEST_ENCRYPTION_KEY,
      MONGODB_URI: testMongoUri(),
    }).config;
    const reports = await resealSecrets(db, new SecretBox(newConfig));
    expect(reports).toEqual([
      { collection: 'integrations', scanned: 2, updated: 2, secrets: 5 },
      expect.objectContaining({ collection: 'chatbots', updated: 1, secrets: 1 }),
    ]);
    // Idempotent: a second run changes nothing.
    const again = await resealSecrets(db, new SecretBox(newConfig));
    expect(again.every((r) => r.updated === 0)).toBe(true);

    const newKid = keyId(Buffer.from(NEW_KEY, 'base64'));
    const rawText = JSON.stringify(await db.collection('integrations').find({}).toArray());
    expect(rawText).not.toContain(TOKEN_A);
    expect(rawText).not.toContain(SECRET_A);
    const kids = [...rawText.matchAll(/"kid":"([0-9a-f]+)"/g)].map((m) => m[1]);
    expect(kids).toHaveLength(5);
    expect(new Set(kids)).toEqual(new Set([newKid]));
    const bot = JSON.stringify(
      await db.collection('chatbots').findOne({ 'responder.apiKey.kid': newKid }),
    );
    expect(bot).not.toContain(LLM_KEY);

    // An app that knows only the new key reads and uses every secret.
    rotated = await createApp({
      config: testConfig({
        ENCRYPTION_KEY: NEW_KEY,
        WHATSAPP_BASE_URL: fake.baseUrl,
        INTEGRATION_HEALTHCHECK_INTERVAL_MS: '0',
      }),
      mongoUri: testMongoUri(),
      dbName: t.dbName,
      spaRoot: null,
    });
    await rotated.init();
    const service = rotated.get(IntegrationRouting);
    expect(await service.findActiveByPhoneNumberId('310000000000001')).toMatchObject({
      accessToken: TOKEN_A,
      appSecret: SECRET_A,
    });
    expect(await service.findActiveByPhoneNumberId('310000000000002')).toMatchObject({
      accessToken: TOKEN_B,
      appSecret: null,
    });
    for (const [ws, integration] of [
      [a, made[0]],
      [b, made[1]],
    ] as const) {
      const result = await rotated
        .get(IntegrationsService)
        .retest(systemAuth(ws.workspaceId), integration?.id ?? '');
      expect(result.success).toBe(true);
      const view = await rotated
        .get(IntegrationsService)
        .get(systemAuth(ws.workspaceId), integration?.id ?? '');
      expect(view.webhook.verifyToken).toBe(integration?.webhook.verifyToken);
    }
    const chatbot = await rotated.get(ChatbotsService).get(a.workspaceId, a.chatbotId);
    const sealedKey = chatbot.responder.apiKey;
    if (!sealedKey) throw new Error('the chatbot lost its LLM key');
    expect(rotated.get(SecretBox).open(sealedKey, chatbotKeyPlace(a.chatbotId))).toBe(LLM_KEY);
  });

  it("refuses a token whose ciphertext was copied into another tenant's record", async () => {
    const a = await seedWorkspace(t);
    const b = await seedWorkspace(t);
    await t.connection.collection('integrations').deleteMany({});
    const made: IntegrationStatus[] = [];
    for (const [ws, token, phone, waba] of [
      [a, TOKEN_A, '310000000000001', '300000000000001'],
      [b, TOKEN_B, '310000000000002', '300000000000002'],
    ] as const) {
      const res = await ws.admin
        .post('/api/v1/integrations', {
          chatbotId: ws.chatbotId,
          phoneNumberId: phone,
          businessAccountId: waba,
          accessToken: token,
        })
        .expect(201);
      made.push(res.body as IntegrationStatus);
    }
    // Someone with write access to the database moves A's sealed token into B's integration.
    const integrations = t.connection.collection('integrations');
    const rowA = await integrations.findOne({ phoneNumberId: '310000000000001' });
    await integrations.updateOne(
      { phoneNumberId: '310000000000002' },
      { $set: { accessToken: rowA?.accessToken } },
    );
    const before = fake.requests.length;
    const res = await b.admin.post(`/api/v1/integrations/${made[1]?.id ?? ''}/test`);
    expect(res.status).toBe(500);
    // A's token was never sent anywhere on B's behalf.
    const sent = fake.requests.slice(before).map((r) => r.headers.authorization);
    expect(sent).not.toContain(`Bearer ${TOKEN_A}`);
  });
});

describe('feature switches', () => {
  it('WHATSAPP_ENABLED=false answers 503 FEATURE_DISABLED on every integration endpoint', async () => {
    const t = await startTestApp('int_disabled', { env: { WHATSAPP_ENABLED: 'false' } });
    try {
      const ws = await seedWorkspace(t);
      for (const res of [
        await ws.admin.get('/api/v1/integrations'),
        await ws.agent.get('/api/v1/integrations'),
        await ws.admin.post('/api/v1/integrations/test', {}),
        await ws.admin.patch('/api/v1/integrations/aaaaaaaaaaaaaaaaaaaaaaaa', {}),
      ]) {
        expect(res.status).toBe(503);
        expect((res.body as ErrorBody).error).toBe('FEATURE_DISABLED');
      }
    } finally {
      await t.close();
    }
  });

  it('WHATSAPP_BETA_WORKSPACES turns WhatsApp off for workspaces not listed', async () => {
    const t = await startTestApp('int_beta', {
      env: { WHATSAPP_BETA_WORKSPACES: 'aaaaaaaaaaaaaaaaaaaaaaaa' },
    });
    try {
      const ws = await seedWorkspace(t);
      const res = await ws.admin.get('/api/v1/integrations');
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({
        error: 'FEATURE_DISABLED',
        details: { scope: 'workspace' },
      });
    } finally {
      await t.close();
    }
  });
});

describe('demo mode', () => {
  it('is off outside demo mode: GET says so, the simulator answers 404', async () => {
    const t = await startTestApp('int_nodemo', { env: { WHATSAPP_DEMO: 'false' } });
    try {
      const ws = await seedWorkspace(t);
      expect((await ws.admin.get('/api/v1/demo')).body).toEqual({ enabled: false });
      const res = await ws.admin.post('/api/v1/demo/whatsapp/inbound', {
        from: '34600000001',
        text: 'hola',
      });
      expect(res.status).toBe(404);
    } finally {
      await t.close();
    }
  });

  it('hands out demo credentials that connect, and sends a signed inbound webhook to us', async () => {
    const t = await startTestApp('int_demo', {
      env: { WHATSAPP_DEMO: 'true', INTEGRATION_HEALTHCHECK_INTERVAL_MS: '0' },
    });
    try {
      const ws = await seedWorkspace(t);
      expect((await ws.agent.get('/api/v1/demo')).status).toBe(403);
      const info = (await ws.admin.get('/api/v1/demo')).body as DemoInfo;
      if (!info.enabled) throw new Error('demo mode should be on');
      const before = await ws.admin.post('/api/v1/demo/whatsapp/inbound', {
        from: '34600000001',
        text: 'hola',
      });
      expect(before.status).toBe(409);
      const made = await ws.admin.post('/api/v1/integrations', {
        chatbotId: ws.chatbotId,
        phoneNumberId: info.phoneNumberId,
        businessAccountId: info.businessAccountId,
        accessToken: info.accessToken,
        appSecret: info.appSecret,
      });
      expect(made.status).toBe(201);
      expect(made.body).toMatchObject({
        status: 'connected',
        connection: { businessName: 'Conecta Demo' },
      });
      const res = await ws.admin.post('/api/v1/demo/whatsapp/inbound', {
        from: '34600000001',
        text: 'hola',
        contactName: 'Lucía',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        wamid: expect.stringMatching(/^wamid\./),
        webhookStatus: 200,
      });
    } finally {
      await t.close();
    }
  });

  it('gives each workspace its own demo number and app secret, distinct from the server-wide one (17.14)', async () => {
    const t = await startTestApp('int_demo_tenants', {
      env: { WHATSAPP_DEMO: 'true', INTEGRATION_HEALTHCHECK_INTERVAL_MS: '0' },
    });
    try {
      const one = await seedWorkspace(t, { name: 'Uno' });
      const two = await seedWorkspace(t, { name: 'Dos' });
      const infoOf = async (ws: typeof one) => {
        const info = (await ws.admin.get('/api/v1/demo')).body as DemoInfo;
        if (!info.enabled) throw new Error('demo mode should be on');
        const made = await ws.admin.post('/api/v1/integrations', {
          chatbotId: ws.chatbotId,
          phoneNumberId: info.phoneNumberId,
          businessAccountId: info.businessAccountId,
          accessToken: info.accessToken,
          appSecret: info.appSecret,
        });
        expect(made.status).toBe(201);
        return info;
      };
      const a = await infoOf(one);
      const b = await infoOf(two);
      expect(b.phoneNumberId).not.toBe(a.phoneNumberId);
      expect(b.businessAccountId).not.toBe(a.businessAccountId);
      expect(b.accessToken).not.toBe(a.accessToken);
      expect(b.appSecret).not.toBe(a.appSecret);
      expect([a.appSecret, b.appSecret]).not.toContain(t.config.whatsapp.appSecret);
      // The same workspace always gets the same demo business.
      expect((await one.admin.get('/api/v1/demo')).body).toEqual(a);

      const res = await one.admin.post('/api/v1/demo/whatsapp/inbound', {
        from: '34600000009',
        text: 'hola',
      });
      expect(res.body).toMatchObject({ webhookStatus: 200 });
      const conversations = t.connection.collection('conversations');
      await waitFor('the demo conversation', () =>
        conversations
          .findOne({ workspaceId: new ObjectId(one.workspaceId) })
          .then((c) => c ?? undefined),
      );
      expect(
        await conversations.countDocuments({ workspaceId: new ObjectId(two.workspaceId) }),
      ).toBe(0);

      // Workspace two's demo secret cannot deliver into workspace one's demo number.
      const forged = JSON.stringify(
        buildInboundTextWebhook({
          wabaId: b.businessAccountId,
          phoneNumberId: a.phoneNumberId,
          from: '34600000010',
          text: 'intruso',
        }),
      );
      const posted = await request(t.app.getHttpServer())
        .post('/api/whatsapp/webhook')
        .set('content-type', 'application/json')
        .set('x-hub-signature-256', signPayload(forged, b.appSecret))
        .send(forged);
      expect(posted.status).toBe(200);
      expect(posted.body).toMatchObject({ ignored: 1 });
    } finally {
      await t.close();
    }
  });

  it("sends every kind of Meta notice about the demo account, signed with the workspace's own secret, and the integration shows it (issue 13)", async () => {
    const t = await startTestApp('int_demo_notices', {
      env: { WHATSAPP_DEMO: 'true', INTEGRATION_HEALTHCHECK_INTERVAL_MS: '0' },
    });
    try {
      const ws = await seedWorkspace(t);
      const info = (await ws.admin.get('/api/v1/demo')).body as DemoInfo;
      if (!info.enabled) throw new Error('demo mode should be on');
      expect((await ws.admin.post('/api/v1/demo/whatsapp/notice', { kind: 'alert' })).status).toBe(
        409,
      );
      await ws.admin
        .post('/api/v1/integrations', {
          chatbotId: ws.chatbotId,
          phoneNumberId: info.phoneNumberId,
          businessAccountId: info.businessAccountId,
          accessToken: info.accessToken,
          appSecret: info.appSecret,
        })
        .expect(201);
      expect(info.appSecret).not.toBe(t.config.whatsapp.appSecret);
      const view = async () =>
        ((await ws.admin.get('/api/v1/integrations')).body as IntegrationStatus[])[0];
      for (const kind of ['quality_downgrade', 'template_rejected', 'alert', 'restriction']) {
        const res = await ws.admin.post('/api/v1/demo/whatsapp/notice', { kind });
        expect(res.body).toEqual({ webhookStatus: 200 });
      }
      const shown = await waitFor('the notices on the integration', async () => {
        const v = await view();
        return v?.account.standing && v.account.templates.length > 0 && v.account.quality
          ? v
          : undefined;
      });
      expect(shown).toMatchObject({
        status: 'error',
        errorType: 'ACCOUNT_RESTRICTED',
        account: {
          quality: { event: 'DOWNGRADE', limit: 'TIER_250' },
          templates: [{ name: 'pedido_listo', event: 'REJECTED' }],
          alerts: [{ type: 'INCREASED_CAPABILITIES_ELIGIBILITY_DEFERRED' }],
          standing: { state: 'restricted' },
        },
      });
      await ws.admin.post('/api/v1/demo/whatsapp/notice', { kind: 'reinstatement' }).expect(200);
      await waitFor('the reinstatement', async () =>
        (await view())?.status === 'connected' ? true : undefined,
      );
      expect(
        (await ws.admin.post('/api/v1/demo/whatsapp/notice', { kind: 'ban_everyone' })).status,
      ).toBe(400);
    } finally {
      await t.close();
    }
  });
});
