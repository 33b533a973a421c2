import type { IntegrationStatus } from '@conecta/contracts';
import { signPayload } from '@conecta/graph-client';
import {
  FakeGraphApi,
  WEBHOOK_KINDS,
  type MetaWebhookPayload,
  metaJsonStringify,
} from '@conecta/graph-client/testing';
import request from 'supertest';
import { seedWorkspace, type SeededWorkspace } from './support/auth';
import { IntegrationStatusService } from '../src/integrations/integration-status.service';
import { IntegrationsMetrics } from '../src/integrations/integrations-metrics.service';
import { TestClock, startTestApp, type TestApp } from './support/test-app';
import { connectNumber, waitFor, webhookTestEnv, type FakeNumber } from './support/whatsapp';

/** One WABA with two connected numbers (two workspaces, one app secret: one Meta app). */
const W = {
  wabaId: '102290129343333',
  token: 'EAANoticesTokenW00000000000000000000001',
  appSecret: 'c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3',
  one: { id: '106540352243331', display: '+1 555-010-0201' },
  two: { id: '106540352243332', display: '+1 555-010-0202' },
};
/** A WABA Meta restricts and bans in these tests. */
const R: FakeNumber = {
  wabaId: '102290129344444',
  phoneNumberId: '106540352244441',
  token: 'EAANoticesTokenR00000000000000000000002',
  appSecret: 'd4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4',
};
const SERVER_SECRET = 'test-app-secret';

/** The value of one sample line of the Prometheus text, or undefined. */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}} `));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

/** `conecta_integrations_in_error` by reason, as /metrics shows it after a refresh. */
async function gaugeByReason(t: TestApp): Promise<Record<string, number>> {
  await t.app.get(IntegrationsMetrics).refresh();
  const text = (await request(t.app.getHttpServer()).get('/metrics').expect(200)).text;
  const byReason: Record<string, number> = {};
  for (const m of text.matchAll(/^conecta_integrations_in_error\{reason="([A-Z_]+)"\} (\d+)$/gm)) {
    byReason[m[1] ?? ''] = Number(m[2]);
  }
  return byReason;
}

describe("Meta's management webhooks reach the owner (issue 13 §2)", () => {
  const fake = new FakeGraphApi();
  const clock = new TestClock();
  let t: TestApp;
  let one: SeededWorkspace;
  let two: SeededWorkspace;
  let r: SeededWorkspace;

  beforeAll(async () => {
    const baseUrl = await fake.start();
    t = await startTestApp('whatsapp_notices', {
      env: webhookTestEnv(baseUrl, { WEBHOOK_BURST_WINDOW_MS: '0' }),
      clock,
    });
    one = await seedWorkspace(t, { name: 'Número uno' });
    two = await seedWorkspace(t, { name: 'Número dos' });
    r = await seedWorkspace(t, { name: 'Restringida' });
    fake.addBusiness({
      wabaId: W.wabaId,
      name: 'Business W',
      token: W.token,
      phoneNumbers: [
        { id: W.one.id, displayPhoneNumber: W.one.display, verifiedName: 'Uno' },
        { id: W.two.id, displayPhoneNumber: W.two.display, verifiedName: 'Dos' },
      ],
    });
    for (const [ws, id] of [
      [one, W.one.id],
      [two, W.two.id],
    ] as const) {
      await ws.admin
        .post('/api/v1/integrations', {
          chatbotId: ws.chatbotId,
          phoneNumberId: id,
          businessAccountId: W.wabaId,
          accessToken: W.token,
          appSecret: W.appSecret,
        })
        .expect(201);
    }
    await connectNumber(fake, r, R);
  });

  afterAll(async () => {
    await fake.stop();
    await t?.close();
  });

  const inbox = () => t.connection.collection('whatsapp_inbox');
  const notices = () => t.connection.collection('whatsapp_account_notices');
  const inErrorGauge = () => gaugeByReason(t);

  /** Posts a webhook signed with the app's own secret and waits for its event to settle. */
  async function deliver(payload: MetaWebhookPayload, secret: string) {
    const body = metaJsonStringify(payload);
    const before = await inbox().countDocuments({ kind: 'notice' });
    await request(t.app.getHttpServer())
      .post('/api/whatsapp/webhook')
      .set('content-type', 'application/json')
      .set('x-hub-signature-256', signPayload(body, secret))
      .send(body)
      .expect(200);
    return waitFor('the notice to settle', async () => {
      const docs = await inbox().find({ kind: 'notice' }).sort({ _id: -1 }).toArray();
      const latest = docs[0];
      return docs.length > before && latest && ['done', 'ignored'].includes(latest.state as string)
        ? latest
        : undefined;
    });
  }

  async function integrationOf(ws: SeededWorkspace): Promise<IntegrationStatus> {
    const res = await ws.admin.get('/api/v1/integrations').expect(200);
    const [first] = res.body as IntegrationStatus[];
    if (!first) throw new Error('no integration');
    return first;
  }

  it("stores a template status change, signed with the app's secret, for every integration of the WABA with Meta's reason and detail, once", async () => {
    const payload = WEBHOOK_KINDS.templateStatus(W.wabaId, {
      event: 'REJECTED',
      reason: 'INVALID_FORMAT',
      name: 'pedido_listo',
      rejectionInfo: {
        reason: 'Variable parameters are not properly formatted.',
        recommendation: 'Use {{1}} style parameters.',
      },
    });
    expect(W.appSecret).not.toBe(SERVER_SECRET);
    const event = await deliver(payload, W.appSecret);
    expect(event).toMatchObject({ state: 'done', kind: 'notice' });
    for (const ws of [one, two]) {
      const view = await integrationOf(ws);
      expect(view.account.templates[0]).toMatchObject({
        name: 'pedido_listo',
        language: 'es',
        event: 'REJECTED',
        reason: 'INVALID_FORMAT',
        detail: 'Variable parameters are not properly formatted.',
      });
      // A rejected template is news, not a broken number.
      expect(view.status).toBe('connected');
    }
    // Meta retries: the same change is stored once per integration.
    const body = metaJsonStringify(payload);
    await request(t.app.getHttpServer())
      .post('/api/whatsapp/webhook')
      .set('content-type', 'application/json')
      .set('x-hub-signature-256', signPayload(body, W.appSecret))
      .send(body)
      .expect(200);
    expect(await notices().countDocuments({ 'notice.templateName': 'pedido_listo' })).toBe(2);
  });

  it('applies a quality and messaging-limit change only to the number it names, and ignores one for a number nobody connected', async () => {
    await deliver(
      WEBHOOK_KINDS.qualityUpdate(W.wabaId, {
        event: 'DOWNGRADE',
        displayPhoneNumber: '15550100202',
        limit: 'TIER_250',
        oldLimit: 'TIER_2K',
      }),
      W.appSecret,
    );
    expect((await integrationOf(two)).account.quality).toMatchObject({
      event: 'DOWNGRADE',
      limit: 'TIER_250',
      oldLimit: 'TIER_2K',
    });
    expect((await integrationOf(one)).account.quality).toBeNull();
    const ignored = await deliver(
      WEBHOOK_KINDS.qualityUpdate(W.wabaId, { displayPhoneNumber: '15550100299' }),
      W.appSecret,
    );
    expect(ignored).toMatchObject({ state: 'ignored', lastError: 'no integration serves it' });
  });

  it("lists open alerts with Meta's description; an alert Meta resolves closes; a number's alert stays on its number", async () => {
    await deliver(
      WEBHOOK_KINDS.accountAlert(W.wabaId, {
        alertType: 'INCREASED_CAPABILITIES_ELIGIBILITY_DEFERRED',
        description: 'Your business is not yet eligible for a higher messaging limit.',
      }),
      W.appSecret,
    );
    await deliver(
      WEBHOOK_KINDS.accountAlert(W.wabaId, {
        alertType: 'OBA_REJECTED',
        severity: 'CRITICAL',
        entityType: 'PHONE_NUMBER',
        entityId: W.one.id,
        description: 'Official business account request rejected.',
      }),
      W.appSecret,
    );
    expect((await integrationOf(one)).account.alerts.map((a) => a.type)).toEqual([
      'OBA_REJECTED',
      'INCREASED_CAPABILITIES_ELIGIBILITY_DEFERRED',
    ]);
    expect((await integrationOf(two)).account.alerts).toEqual([
      expect.objectContaining({
        type: 'INCREASED_CAPABILITIES_ELIGIBILITY_DEFERRED',
        severity: 'WARNING',
        description: 'Your business is not yet eligible for a higher messaging limit.',
      }),
    ]);
    await deliver(
      WEBHOOK_KINDS.accountAlert(W.wabaId, {
        alertType: 'INCREASED_CAPABILITIES_ELIGIBILITY_DEFERRED',
        status: 'NONE',
      }),
      W.appSecret,
    );
    expect((await integrationOf(two)).account.alerts).toEqual([]);
    expect((await integrationOf(one)).account.alerts.map((a) => a.type)).toEqual(['OBA_REJECTED']);
  });

  it('keeps the display-name decision of the number it names', async () => {
    await deliver(
      WEBHOOK_KINDS.nameUpdate(W.wabaId, {
        decision: 'REJECTED',
        displayPhoneNumber: '15550100201',
        name: 'Uno Oficial',
      }),
      W.appSecret,
    );
    expect((await integrationOf(one)).account.displayName).toMatchObject({
      decision: 'REJECTED',
      requestedName: 'Uno Oficial',
      rejectionReason: 'NAME_FORMAT_UNACCEPTABLE',
    });
    expect((await integrationOf(two)).account.displayName).toBeNull();
  });

  it('sets the integration to error (ACCOUNT_RESTRICTED) on a restriction and on a ban, and back to connected on reinstatement or expiry', async () => {
    await deliver(
      WEBHOOK_KINDS.accountUpdate(R.wabaId, {
        restrictions: [
          {
            restriction_type: 'RESTRICTED_BIZ_INITIATED_MESSAGING',
            expiration: new Date(clock.now().getTime() + 86_400_000).toISOString(),
          },
        ],
      }),
      R.appSecret,
    );
    let view = await integrationOf(r);
    expect(view).toMatchObject({ status: 'error', errorType: 'ACCOUNT_RESTRICTED' });
    expect(view).not.toHaveProperty('errorMessage');
    // The gauge counts it as the status says (not only credential errors), by reason.
    expect(await inErrorGauge()).toEqual({ ACCOUNT_RESTRICTED: 1 });
    expect(view.account.standing).toMatchObject({
      state: 'restricted',
      event: 'ACCOUNT_RESTRICTION',
      restrictions: [{ type: 'RESTRICTED_BIZ_INITIATED_MESSAGING' }],
    });
    // The restriction expires (by the injected clock): the number works again.
    clock.advance(2 * 86_400_000);
    expect(await integrationOf(r)).toMatchObject({ status: 'connected', errorType: null });
    expect(await inErrorGauge()).toEqual({});

    await deliver(
      WEBHOOK_KINDS.accountUpdate(R.wabaId, { banState: 'DISABLE', banDate: '2026-12-02' }),
      R.appSecret,
    );
    view = await integrationOf(r);
    expect(view).toMatchObject({ status: 'error', errorType: 'ACCOUNT_RESTRICTED' });
    expect(view.account.standing).toMatchObject({ state: 'banned', banState: 'DISABLE' });
    expect(await inErrorGauge()).toEqual({ ACCOUNT_RESTRICTED: 1 });

    await deliver(WEBHOOK_KINDS.accountUpdate(R.wabaId, { banState: 'REINSTATE' }), R.appSecret);
    view = await integrationOf(r);
    expect(view).toMatchObject({ status: 'connected', errorType: null });
    expect(view.account.standing).toMatchObject({ state: 'ok', banState: 'REINSTATE' });
    expect(await inErrorGauge()).toEqual({});
  });

  it('stores values Meta adds later as they came, without changing the status or failing', async () => {
    const event = await deliver(
      WEBHOOK_KINDS.accountUpdate(R.wabaId, { event: 'SOMETHING_NEW_IN_2027' }),
      R.appSecret,
    );
    expect(event.state).toBe('done');
    await deliver(
      WEBHOOK_KINDS.qualityUpdate(R.wabaId, {
        event: 'NEW_QUALITY_EVENT',
        displayPhoneNumber: '+1 555-010-0100',
        limit: 'TIER_9X',
      }),
      R.appSecret,
    );
    const view = await integrationOf(r);
    expect(view.status).toBe('connected');
    expect(view.account.quality).toMatchObject({ event: 'NEW_QUALITY_EVENT', limit: 'TIER_9X' });
  });

  it('counts every management webhook by field, known kind and outcome (bounded labels)', async () => {
    const text = (await request(t.app.getHttpServer()).get('/metrics').expect(200)).text;
    const name = 'conecta_whatsapp_account_notices_total';
    expect(
      sample(text, name, 'field="message_template_status_update",kind="rejected",outcome="stored"'),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, name, 'field="phone_number_quality_update",kind="downgrade",outcome="stored"'),
    ).toBe(1);
    expect(
      sample(text, name, 'field="phone_number_quality_update",kind="downgrade",outcome="ignored"'),
    ).toBe(1);
    expect(
      sample(text, name, 'field="phone_number_quality_update",kind="other",outcome="stored"'),
    ).toBe(1);
    expect(sample(text, name, 'field="account_update",kind="other",outcome="stored"')).toBe(1);
    // Meta's free-form values never become label values.
    expect(text).not.toContain('SOMETHING_NEW_IN_2027');
    expect(text).not.toContain('TIER_9X');
  });

  // Not a notice, but this suite's app runs on a test clock: the write limit reads it too.
  it("writes a number's activity at most once a second of the injected clock", async () => {
    const status = t.app.get(IntegrationStatusService);
    const row = await t.connection
      .collection('integrations')
      .findOne({ phoneNumberId: W.one.id }, { projection: { _id: 1 } });
    if (!row) throw new Error('integration of W.one not found');
    const ref = { id: String(row._id), workspaceId: one.workspaceId };
    const activity = () =>
      t.connection.collection('integration_activity').findOne({ _id: row._id });
    clock.advance(60_000);
    const first = new Date(clock.now().getTime() - 30_000);
    await status.recordActivity(ref, { webhookAt: first });
    expect(await activity()).toMatchObject({ lastWebhookAt: first, lastActivity: clock.now() });
    const second = new Date(first.getTime() + 1_000);
    clock.advance(999);
    await status.recordActivity(ref, { webhookAt: second });
    expect(await activity()).toMatchObject({ lastWebhookAt: first });
    clock.advance(1);
    await status.recordActivity(ref, { webhookAt: second });
    expect(await activity()).toMatchObject({ lastWebhookAt: second, lastActivity: clock.now() });
  });
});
