import type { ConnectionTestResult, ErrorBody, IntegrationStatus } from '@conecta/contracts';
import { FakeGraphApi } from '@conecta/graph-client/testing';
import { seedWorkspace, SeededWorkspace } from './support/auth';
import { captureLogs } from './support/logs';
import { startTestApp, TestApp } from './support/test-app';

// Tokens look like Meta's ("EA…"); the fake accepts whatever it was given.
const GOOD_TOKEN = 'EAAGoodToken0000000000000000000000000001';
const OTHER_TOKEN = 'EAAOtherToken000000000000000000000000002';
const EXPIRED_TOKEN = 'EAAExpiredToken00000000000000000000000003';
const MESSAGING_ONLY_TOKEN = 'EAAMessagingOnly00000000000000000000004';
const UNKNOWN_TOKEN = 'EAAUnknownToken00000000000000000000000005';
const WABA = '102290129340398';
const PHONE = '106540352242922';
const PHONE_2 = '106540352242923';
const OTHER_WABA = '102290129340399';
const OTHER_PHONE = '106540352242999';
const APP_SECRET = '0123456789abcdef0123456789abcdef';

/** Every log line the app writes (it logs at debug in this file). */
const logged: string[] = [];

describe('/api/v1/integrations', () => {
  const fake = new FakeGraphApi();
  let t: TestApp;
  let ws: SeededWorkspace;
  let other: SeededWorkspace;

  beforeAll(async () => {
    fake.addBusiness({
      wabaId: WABA,
      name: 'Lucky Shrub',
      tokens: [GOOD_TOKEN, OTHER_TOKEN, { token: EXPIRED_TOKEN, expired: true }],
      phoneNumbers: [
        { id: PHONE, displayPhoneNumber: '+1 555-010-0100', verifiedName: 'Lucky Shrub' },
        { id: PHONE_2, displayPhoneNumber: '+1 555-010-0101', verifiedName: 'Lucky Shrub 2' },
      ],
    });
    fake.addBusiness({
      wabaId: OTHER_WABA,
      name: 'Other Co',
      phoneNumbers: [
        { id: OTHER_PHONE, displayPhoneNumber: '+1 555-020-0200', verifiedName: 'Other' },
      ],
    });
    // GOOD_TOKEN sees both accounts (a business manager with two WABAs).
    fake.addToken({ token: GOOD_TOKEN }, [OTHER_WABA]);
    fake.addToken({ token: MESSAGING_ONLY_TOKEN, scopes: ['whatsapp_business_messaging'] }, [WABA]);
    const baseUrl = await fake.start();
    t = await startTestApp('integrations', {
      env: {
        WHATSAPP_BASE_URL: baseUrl,
        WHATSAPP_TIMEOUT_MS: '300',
        WHATSAPP_RETRY_MAX_ATTEMPTS: '3',
        WHATSAPP_RETRY_BASE_DELAY_MS: '10',
        WHATSAPP_RETRY_MAX_DELAY_MS: '50',
        INTEGRATION_HEALTHCHECK_INTERVAL_MS: '0',
        LOG_LEVEL: 'debug',
      },
    });
    captureLogs(logged);
    ws = await seedWorkspace(t, { name: 'Lucky Shrub' });
    other = await seedWorkspace(t, { name: 'Other' });
  });

  afterAll(async () => {
    await t?.close();
    await fake.stop();
  });

  beforeEach(() => fake.reset());

  const integrations = () => t.connection.collection('integrations');
  const input = (over: Record<string, unknown> = {}) => ({
    chatbotId: ws.chatbotId,
    phoneNumberId: PHONE,
    businessAccountId: WABA,
    accessToken: GOOD_TOKEN,
    appSecret: APP_SECRET,
    ...over,
  });

  async function expectNothingSaved(): Promise<void> {
    expect(await integrations().countDocuments({ workspaceId: { $exists: true } })).toBe(
      created ? 1 : 0,
    );
  }
  let created: IntegrationStatus | undefined;

  describe('POST (create) failures save nothing', () => {
    it('rejects an expired token (190/463) with 422 INVALID_CREDENTIALS on accessToken', async () => {
      const res = await ws.admin.post(
        '/api/v1/integrations',
        input({ accessToken: EXPIRED_TOKEN }),
      );
      expect(res.status).toBe(422);
      const body = res.body as ErrorBody;
      expect(body.error).toBe('INVALID_CREDENTIALS');
      expect(body.details?.fields).toEqual([
        expect.objectContaining({ field: 'accessToken', code: 'TOKEN_INVALID' }),
      ]);
      expect(body.details?.reason).toBe('TOKEN_INVALID');
      await expectNothingSaved();
      expect(fake.requestsTo('subscribed_apps')).toHaveLength(0);
    });

    it('rejects an unknown token with INVALID_CREDENTIALS', async () => {
      const res = await ws.admin.post(
        '/api/v1/integrations',
        input({ accessToken: UNKNOWN_TOKEN }),
      );
      expect(res.status).toBe(422);
      expect((res.body as ErrorBody).error).toBe('INVALID_CREDENTIALS');
      await expectNothingSaved();
    });

    it('rejects a wrong phone number id (100/33) with INVALID_PHONE_NUMBER on phoneNumberId', async () => {
      const res = await ws.admin.post(
        '/api/v1/integrations',
        input({ phoneNumberId: '999999999999' }),
      );
      expect(res.status).toBe(422);
      const body = res.body as ErrorBody;
      expect(body.error).toBe('INVALID_PHONE_NUMBER');
      expect(body.details?.fields?.[0]).toMatchObject({ field: 'phoneNumberId' });
      await expectNothingSaved();
    });

    it('rejects a number of another business account with PHONE_NUMBER_MISMATCH', async () => {
      const res = await ws.admin.post(
        '/api/v1/integrations',
        input({ phoneNumberId: OTHER_PHONE, businessAccountId: WABA }),
      );
      expect(res.status).toBe(422);
      const body = res.body as ErrorBody;
      expect(body.error).toBe('PHONE_NUMBER_MISMATCH');
      expect(body.details?.fields?.[0]).toMatchObject({ field: 'phoneNumberId' });
      await expectNothingSaved();
    });

    it('says a wrong WABA id is a wrong id (BUSINESS_ACCOUNT_NOT_FOUND on businessAccountId), not a token without permissions', async () => {
      const res = await ws.admin.post(
        '/api/v1/integrations',
        input({ businessAccountId: '555555555555555' }),
      );
      expect(res.status).toBe(422);
      const body = res.body as ErrorBody;
      expect(body.details?.reason).toBe('BUSINESS_ACCOUNT_NOT_FOUND');
      expect(body.details?.fields).toEqual([
        expect.objectContaining({ field: 'businessAccountId', code: 'BUSINESS_ACCOUNT_NOT_FOUND' }),
      ]);
      expect(body).not.toHaveProperty('details.messages');
      await expectNothingSaved();
    });

    it('rejects a token without whatsapp_business_management with PERMISSION_DENIED', async () => {
      const res = await ws.admin.post(
        '/api/v1/integrations',
        input({ accessToken: MESSAGING_ONLY_TOKEN }),
      );
      expect(res.status).toBe(422);
      const body = res.body as ErrorBody;
      expect(body.error).toBe('PERMISSION_DENIED');
      expect(body.details?.reason).toBe('TOKEN_LACKS_PERMISSION');
      expect(body.details?.fields?.[0]).toMatchObject({ field: 'accessToken' });
      await expectNothingSaved();
    });

    it('answers 502 CONNECTION_FAILED when Meta times out', async () => {
      fake.failNext('phone_number', 3, { delayMs: 1000 });
      const res = await ws.admin.post('/api/v1/integrations', input());
      expect(res.status).toBe(502);
      expect((res.body as ErrorBody).error).toBe('CONNECTION_FAILED');
      expect((res.body as ErrorBody).details?.fields).toBeUndefined();
      await expectNothingSaved();
    });

    it('answers 502 CONNECTION_FAILED when Meta keeps failing with 5xx', async () => {
      fake.failNext('business_account', 3, { httpStatus: 503 });
      const res = await ws.admin.post('/api/v1/integrations', input());
      expect(res.status).toBe(502);
      expect((res.body as ErrorBody).error).toBe('CONNECTION_FAILED');
      await expectNothingSaved();
    });

    it('names each invalid field (400 VALIDATION_FAILED) before calling Meta', async () => {
      const res = await ws.admin.post('/api/v1/integrations', {
        chatbotId: ws.chatbotId,
        phoneNumberId: '12ab',
        businessAccountId: '',
        accessToken: 'not-a-token',
        appSecret: 'xyz',
        extra: 1,
      });
      expect(res.status).toBe(400);
      const fields = ((res.body as ErrorBody).details?.fields ?? []).map((f) => f.field);
      expect(fields).toEqual(
        expect.arrayContaining([
          'phoneNumberId',
          'businessAccountId',
          'accessToken',
          'appSecret',
          'extra',
        ]),
      );
      expect(fake.requests).toHaveLength(0);
    });

    it('answers 404 for a chatbot of another workspace', async () => {
      const res = await ws.admin.post(
        '/api/v1/integrations',
        input({ chatbotId: other.chatbotId }),
      );
      expect(res.status).toBe(404);
      await expectNothingSaved();
    });

    it('lets agents read but not write (403)', async () => {
      const res = await ws.agent.post('/api/v1/integrations', input());
      expect(res.status).toBe(403);
      expect((await ws.agent.get('/api/v1/integrations')).status).toBe(200);
      await expectNothingSaved();
    });
  });

  describe('POST /test (unsaved credentials)', () => {
    it('reports the number, the account and each check without saving or subscribing', async () => {
      const res = await ws.admin.post('/api/v1/integrations/test', {
        phoneNumberId: PHONE,
        businessAccountId: WABA,
        accessToken: GOOD_TOKEN,
      });
      expect(res.status).toBe(200);
      const result = res.body as ConnectionTestResult;
      expect(result.success).toBe(true);
      expect(result.details).toMatchObject({
        phoneNumber: '+1 555-010-0100',
        businessName: 'Lucky Shrub',
        verificationStatus: 'VERIFIED',
        qualityRating: 'GREEN',
      });
      expect(result.checks.map((c) => [c.name, c.outcome])).toEqual([
        ['phone_number_found', 'passed'],
        ['phone_number_ready', 'passed'],
        ['business_account_access', 'passed'],
        ['phone_number_in_account', 'passed'],
        ['app_subscribed', 'warning'],
      ]);
      expect(fake.requestsTo('subscribed_apps').every((r) => r.method === 'GET')).toBe(true);
      await expectNothingSaved();
    });

    it('names the field of a failed test', async () => {
      const res = await ws.admin.post('/api/v1/integrations/test', {
        phoneNumberId: PHONE,
        businessAccountId: WABA,
        accessToken: EXPIRED_TOKEN,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        success: false,
        errorType: 'INVALID_CREDENTIALS',
        field: 'accessToken',
      });
    });
  });

  describe('a good create', () => {
    it('tests after Meta rate-limits twice, subscribes the app and saves it connected', async () => {
      fake.failNext('phone_number', 2, { code: 80007 });
      const res = await ws.admin.post('/api/v1/integrations', input({ webhookVerifyToken: '' }));
      expect(res.status).toBe(201);
      created = res.body as IntegrationStatus;
      expect(created).toMatchObject({
        platform: 'WHATSAPP',
        status: 'connected',
        isActive: true,
        chatbotId: ws.chatbotId,
        phoneNumberId: PHONE,
        businessAccountId: WABA,
        tokenLast4: GOOD_TOKEN.slice(-4),
        hasAppSecret: true,
        errorType: null,
        connection: expect.objectContaining({
          displayPhoneNumber: '+1 555-010-0100',
          businessName: 'Lucky Shrub',
          qualityRating: 'GREEN',
        }),
      });
      expect(created.webhook.callbackUrl).toMatch(/\/api\/whatsapp\/webhook$/);
      expect(created.webhook.verifyToken?.length).toBeGreaterThanOrEqual(16);
      expect(created.subscribedAt).not.toBeNull();
      const subscribe = fake.requestsTo('subscribed_apps').filter((r) => r.method === 'POST');
      expect(subscribe).toHaveLength(1);
      expect(subscribe[0]?.path).toContain(`/${WABA}/subscribed_apps`);
      expect(fake.requestsTo('phone_number')).toHaveLength(3);
    });

    it('never shows the token or app secret, and stores none in clear', async () => {
      for (const res of [
        await ws.admin.get(`/api/v1/integrations/${created?.id}`),
        await ws.admin.get(`/api/v1/integrations?chatbotId=${ws.chatbotId}`),
        await ws.agent.get('/api/v1/integrations'),
      ]) {
        expect(res.status).toBe(200);
        expect(JSON.stringify(res.body)).not.toContain(GOOD_TOKEN);
        expect(JSON.stringify(res.body)).not.toContain(APP_SECRET);
      }
      const raw = await integrations().findOne({});
      const text = JSON.stringify(raw);
      expect(text).not.toContain(GOOD_TOKEN);
      expect(text).not.toContain(APP_SECRET);
      expect(text).not.toContain(created?.webhook.verifyToken ?? 'no verify token');
      expect(raw?.accessToken).toMatchObject({
        v: 2,
        kid: expect.any(String),
        data: expect.any(String),
      });
    });

    it('shows the webhook verify token to admins only, never to agents', async () => {
      const token = created?.webhook.verifyToken;
      expect(token).toEqual(expect.any(String));
      const asAdmin = await ws.admin.get(`/api/v1/integrations/${created?.id}`).expect(200);
      expect(asAdmin.body.webhook.verifyToken).toBe(token);
      for (const res of [
        await ws.agent.get(`/api/v1/integrations/${created?.id}`).expect(200),
        await ws.agent.get('/api/v1/integrations').expect(200),
      ]) {
        expect(JSON.stringify(res.body)).not.toContain(String(token));
      }
      const one = await ws.agent.get(`/api/v1/integrations/${created?.id}`);
      expect(one.body.webhook).toEqual({
        callbackUrl: asAdmin.body.webhook.callbackUrl,
        verifyToken: null,
      });
    });

    it('gives the webhook decrypted credentials and matches the verify token', async () => {
      const { IntegrationRouting } =
        await import('../src/integrations/integration-routing.service');
      const service = t.app.get(IntegrationRouting);
      const active = await service.findActiveByPhoneNumberId(PHONE);
      expect(active).toMatchObject({
        id: created?.id,
        workspaceId: ws.workspaceId,
        accessToken: GOOD_TOKEN,
        appSecret: APP_SECRET,
        isActive: true,
      });
      expect(await service.matchesVerifyToken(created?.webhook.verifyToken ?? '')).toBe(true);
      expect(await service.matchesVerifyToken('nope-nope-nope')).toBe(false);
      expect(await service.findActiveByPhoneNumberId('123')).toBeNull();
    });

    it('answers 404 to another workspace, for reads and writes', async () => {
      const id = created?.id ?? '';
      expect((await other.admin.get(`/api/v1/integrations/${id}`)).status).toBe(404);
      expect(
        (await other.admin.patch(`/api/v1/integrations/${id}`, { isActive: false })).status,
      ).toBe(404);
      expect((await other.admin.delete(`/api/v1/integrations/${id}`)).status).toBe(404);
      expect((await other.admin.post(`/api/v1/integrations/${id}/test`)).status).toBe(404);
      expect((await other.admin.get('/api/v1/integrations')).body).toEqual([]);
    });
  });

  describe('conflicts', () => {
    it('answers 409 PHONE_NUMBER_ALREADY_CONNECTED for a number connected in any workspace', async () => {
      const res = await other.admin.post(
        '/api/v1/integrations',
        input({ chatbotId: other.chatbotId, accessToken: OTHER_TOKEN }),
      );
      expect(res.status).toBe(409);
      expect((res.body as ErrorBody).details).toMatchObject({
        reason: 'PHONE_NUMBER_ALREADY_CONNECTED',
        fields: [expect.objectContaining({ field: 'phoneNumberId' })],
      });
      expect(fake.requests).toHaveLength(0);
    });

    it('answers 409 CHATBOT_ALREADY_HAS_WHATSAPP for a second number on one chatbot', async () => {
      const res = await ws.admin.post('/api/v1/integrations', input({ phoneNumberId: PHONE_2 }));
      expect(res.status).toBe(409);
      expect((res.body as ErrorBody).details).toMatchObject({
        reason: 'CHATBOT_ALREADY_HAS_WHATSAPP',
        fields: [expect.objectContaining({ field: 'chatbotId' })],
      });
      expect(await integrations().countDocuments({})).toBe(1);
    });
  });

  describe('PATCH (update)', () => {
    it('keeps the good token when the new one fails the test', async () => {
      const before = await integrations().findOne({});
      const res = await ws.admin.patch(`/api/v1/integrations/${created?.id}`, {
        accessToken: EXPIRED_TOKEN,
      });
      expect(res.status).toBe(422);
      expect((res.body as ErrorBody).details?.fields?.[0]).toMatchObject({
        field: 'accessToken',
        code: 'TOKEN_INVALID',
      });
      const after = await integrations().findOne({});
      expect(after?.accessToken).toEqual(before?.accessToken);
      expect(after?.tokenLast4).toBe(GOOD_TOKEN.slice(-4));
      const { IntegrationRouting } =
        await import('../src/integrations/integration-routing.service');
      const active = await t.app.get(IntegrationRouting).findActiveByPhoneNumberId(PHONE);
      expect(active?.accessToken).toBe(GOOD_TOKEN);
    });

    it('tests edited ids with the stored token, which never travels, and stores nothing', async () => {
      const before = await integrations().findOne({});
      const res = await ws.admin.post(`/api/v1/integrations/${created?.id}/test`, {
        businessAccountId: OTHER_WABA,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        success: false,
        reason: 'PHONE_NUMBER_NOT_IN_ACCOUNT',
        field: 'phoneNumberId',
      });
      expect(res.text).not.toContain(GOOD_TOKEN);
      // Meta was asked about the edited account, with the stored token.
      const accountCalls = fake.requests.filter((r) => r.path.endsWith(OTHER_WABA));
      expect(accountCalls.length).toBeGreaterThan(0);
      expect(accountCalls.every((r) => r.headers.authorization === `Bearer ${GOOD_TOKEN}`)).toBe(
        true,
      );
      const after = await integrations().findOne({});
      expect(after?.businessAccountId).toBe(WABA);
      expect(after?.status).toBe(before?.status);
      await ws.admin
        .post(`/api/v1/integrations/${created?.id}/test`, { accessToken: 'EAAnope' })
        .expect(400);
    });

    it('rotates to a good new token after testing it', async () => {
      const res = await ws.admin.patch(`/api/v1/integrations/${created?.id}`, {
        accessToken: OTHER_TOKEN,
      });
      expect(res.status).toBe(200);
      expect((res.body as IntegrationStatus).tokenLast4).toBe(OTHER_TOKEN.slice(-4));
      expect(fake.requestsTo('phone_number')[0]?.headers.authorization).toBe(
        `Bearer ${OTHER_TOKEN}`,
      );
    });

    it('disconnects, keeping the integration, and reconnects after a test', async () => {
      const off = await ws.admin.patch(`/api/v1/integrations/${created?.id}`, { isActive: false });
      expect(off.status).toBe(200);
      expect(off.body).toMatchObject({ status: 'disconnected', isActive: false });
      expect(fake.requests).toHaveLength(0);
      const { IntegrationRouting } =
        await import('../src/integrations/integration-routing.service');
      const service = t.app.get(IntegrationRouting);
      expect(await service.findActiveByPhoneNumberId(PHONE)).toBeNull();
      expect(await service.findByPhoneNumberId(PHONE)).toMatchObject({ isActive: false });
      const on = await ws.admin.patch(`/api/v1/integrations/${created?.id}`, { isActive: true });
      expect(on.status).toBe(200);
      expect(on.body).toMatchObject({ status: 'connected', isActive: true });
      expect(fake.requestsTo('phone_number')).toHaveLength(1);
    });

    it('regenerates the verify token when asked with an empty one', async () => {
      const res = await ws.admin.patch(`/api/v1/integrations/${created?.id}`, {
        webhookVerifyToken: '',
      });
      expect(res.status).toBe(200);
      expect((res.body as IntegrationStatus).webhook.verifyToken).not.toBe(
        created?.webhook.verifyToken,
      );
    });

    it('rejects a malformed field naming it', async () => {
      const res = await ws.admin.patch(`/api/v1/integrations/${created?.id}`, {
        appSecret: 'short',
      });
      expect(res.status).toBe(400);
      expect((res.body as ErrorBody).details?.fields?.[0]).toMatchObject({
        field: 'appSecret',
        code: 'pattern',
      });
    });
  });

  describe('POST /:id/test and the honest status', () => {
    it('does not flip to error when Meta times out', async () => {
      fake.failNext('phone_number', 3, { delayMs: 1000 });
      const res = await ws.admin.post(`/api/v1/integrations/${created?.id}/test`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ success: false, errorType: 'CONNECTION_FAILED' });
      const after = await ws.admin.get(`/api/v1/integrations/${created?.id}`);
      expect(after.body).toMatchObject({ status: 'connected', errorType: null });
    });

    it('flips to error with the code the SPA words when the token expires', async () => {
      fake.expireToken(OTHER_TOKEN);
      const res = await ws.admin.post(`/api/v1/integrations/${created?.id}/test`);
      expect(res.body).toMatchObject({
        success: false,
        errorType: 'INVALID_CREDENTIALS',
        reason: 'TOKEN_INVALID',
        field: 'accessToken',
      });
      const after = (await ws.admin.get(`/api/v1/integrations/${created?.id}`))
        .body as IntegrationStatus;
      expect(after.status).toBe('error');
      expect(after.errorType).toBe('INVALID_CREDENTIALS');
      expect(after).not.toHaveProperty('errorMessage');
    });

    it('the health check restores connected once the token works again', async () => {
      await ws.admin
        .patch(`/api/v1/integrations/${created?.id}`, { accessToken: GOOD_TOKEN })
        .expect(200);
      const { IntegrationsHealthCheck } =
        await import('../src/integrations/integrations-health.service');
      const { IntegrationStatusService } =
        await import('../src/integrations/integration-status.service');
      await t.app
        .get(IntegrationStatusService)
        .markCredentialError(
          { id: created?.id ?? '', workspaceId: ws.workspaceId },
          'CONNECTION_FAILED',
          'x',
        );
      expect((await ws.admin.get(`/api/v1/integrations/${created?.id}`)).body.status).toBe(
        'connected',
      );
      fake.failNext('phone_number', 3, { httpStatus: 500 });
      await t.app.get(IntegrationsHealthCheck).sweep();
      expect((await ws.admin.get(`/api/v1/integrations/${created?.id}`)).body.status).toBe(
        'connected',
      );
      fake.setPhoneNumberStatus(PHONE, 'BANNED');
      await t.app.get(IntegrationsHealthCheck).sweep();
      const banned = (await ws.admin.get(`/api/v1/integrations/${created?.id}`))
        .body as IntegrationStatus;
      expect(banned).toMatchObject({ status: 'error', errorType: 'ACCOUNT_RESTRICTED' });
      fake.setPhoneNumberStatus(PHONE, 'CONNECTED');
      await t.app.get(IntegrationsHealthCheck).sweep();
      expect((await ws.admin.get(`/api/v1/integrations/${created?.id}`)).body.status).toBe(
        'connected',
      );
    });
  });

  describe('audit and logs', () => {
    it('audits every create, update, test, disconnect and delete without secrets', async () => {
      const res = await ws.admin.get('/api/v1/audit-log?limit=100');
      expect(res.status).toBe(200);
      const items = (res.body as { items: { action: string; outcome: string }[] }).items;
      const actions = new Set(items.map((i) => `${i.action}:${i.outcome}`));
      for (const a of [
        'integration.create:success',
        'integration.create:failure',
        'integration.update:success',
        'integration.update:failure',
        'integration.test:success',
        'integration.test:failure',
        'integration.disconnect:success',
      ]) {
        expect(actions).toContain(a);
      }
      const text = JSON.stringify(res.body);
      for (const secret of [GOOD_TOKEN, OTHER_TOKEN, EXPIRED_TOKEN, APP_SECRET]) {
        expect(text).not.toContain(secret);
      }
    });

    it('no log line contains a token or the app secret', () => {
      const text = logged.join('');
      expect(text.length).toBeGreaterThan(0);
      expect(text).toContain('/api/v1/integrations');
      for (const secret of [
        GOOD_TOKEN,
        OTHER_TOKEN,
        EXPIRED_TOKEN,
        MESSAGING_ONLY_TOKEN,
        APP_SECRET,
      ]) {
        expect(text).not.toContain(secret);
      }
    });
  });

  describe('DELETE', () => {
    it('deletes the integration and unsubscribes the app', async () => {
      const res = await ws.admin.delete(`/api/v1/integrations/${created?.id}`);
      expect(res.status).toBe(204);
      expect(await integrations().countDocuments({})).toBe(0);
      created = undefined;
      const unsub = fake.requestsTo('subscribed_apps').filter((r) => r.method === 'DELETE');
      expect(unsub).toHaveLength(1);
      expect((await ws.admin.get('/api/v1/integrations')).body).toEqual([]);
    });

    it('deletes even when Meta cannot unsubscribe', async () => {
      const made = await ws.admin.post('/api/v1/integrations', input());
      expect(made.status).toBe(201);
      fake.failNext('subscribed_apps', 3, { httpStatus: 500 });
      const res = await ws.admin.delete(
        `/api/v1/integrations/${(made.body as IntegrationStatus).id}`,
      );
      expect(res.status).toBe(204);
      expect(await integrations().countDocuments({})).toBe(0);
    });
  });
});
