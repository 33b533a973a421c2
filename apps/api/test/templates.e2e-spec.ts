import {
  CONSENT_CONFIRMATIONS,
  type ConversationView,
  type MessageView,
  type TemplateSyncResult,
  type TemplateView,
  type UsageView,
} from '@conecta/contracts';
import { type MessageTemplate, signPayload } from '@conecta/graph-client';
import {
  FakeGraphApi,
  buildInboundTextWebhook,
  metaJsonStringify,
  newWamid,
} from '@conecta/graph-client/testing';
import { ObjectId } from 'mongodb';
import request from 'supertest';
import { seedWorkspace, type SeededWorkspace } from './support/auth';
import { startTestApp, TestClock, type TestApp } from './support/test-app';
import { connectNumber, waitFor, webhookTestEnv, type FakeNumber } from './support/whatsapp';

const A: FakeNumber = {
  wabaId: '102290129341501',
  phoneNumberId: '106540352241501',
  token: 'EAAATemplatesTokenA000000000000000001',
  appSecret: 'c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3',
};
const B: FakeNumber = {
  wabaId: '102290129341502',
  phoneNumberId: '106540352241502',
  token: 'EAAATemplatesTokenB000000000000000002',
  appSecret: 'd4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4',
};

const C: FakeNumber = {
  wabaId: '102290129341503',
  phoneNumberId: '106540352241503',
  token: 'EAAATemplatesTokenC000000000000000003',
  appSecret: 'e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5',
};

const ORDER_UPDATE: MessageTemplate = {
  id: '900000000000001',
  name: 'order_update',
  language: 'es',
  category: 'UTILITY',
  status: 'APPROVED',
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Pedido {{1}}' },
    { type: 'BODY', text: 'Hola {{1}}, tu pedido {{2}} ya está en camino.' },
    { type: 'FOOTER', text: 'Tienda A' },
    {
      type: 'BUTTONS',
      buttons: [
        { type: 'URL', text: 'Seguir', url: 'https://tienda.example/track/{{1}}' },
        { type: 'QUICK_REPLY', text: 'Gracias' },
      ],
    },
  ],
  qualityScore: 'GREEN',
};
const PROMO: MessageTemplate = {
  id: '900000000000002',
  name: 'promo_pending',
  language: 'es',
  category: 'MARKETING',
  status: 'PENDING',
  components: [{ type: 'BODY', text: 'Descuento para ti' }],
};
/** Enough templates that a sync needs two pages of 100. */
const FILLERS: MessageTemplate[] = Array.from({ length: 103 }, (_, i) => ({
  id: String(910000000000000 + i),
  name: `filler_${String(i).padStart(3, '0')}`,
  language: 'en_US',
  category: 'MARKETING',
  status: i === 0 ? 'REJECTED' : 'APPROVED',
  components: [{ type: 'BODY', text: 'Hi {{first_name}}' }],
  parameterFormat: 'NAMED',
  ...(i === 0 ? { rejectedReason: 'INVALID_FORMAT' } : {}),
}));

let customerSeq = 0;
const newCustomer = (): string => `3471000${String(++customerSeq).padStart(4, '0')}`;

describe('WhatsApp templates (sync, send outside the window) with the fake Graph API as Meta', () => {
  const fake = new FakeGraphApi();
  const clock = new TestClock();
  let t: TestApp;
  let ws: SeededWorkspace;
  let other: SeededWorkspace;
  let integrationId: string;

  beforeAll(async () => {
    const graphUrl = await fake.start();
    t = await startTestApp('templates', {
      clock,
      env: webhookTestEnv(graphUrl, { WEBHOOK_BURST_WINDOW_MS: '0', INBOX_RETRY_BASE_MS: '30' }),
    });
    await t.app.listen(0, '127.0.0.1');
    const baseUrl = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    ws = await seedWorkspace(t, { name: 'Tienda A' });
    other = await seedWorkspace(t, { name: 'Tienda B' });
    integrationId = (await connectNumber(fake, ws, A)).id;
    await connectNumber(fake, other, B);
    fake.addTemplates(A.wabaId, [ORDER_UPDATE, PROMO, ...FILLERS]);
    fake.autoStatuses = {
      webhookUrl: `${baseUrl}/api/whatsapp/webhook`,
      appSecret: A.appSecret,
      delayMs: 5,
    };
  });

  afterAll(async () => {
    await fake.stop();
    await t?.close();
  });

  const api = () => request(t.app.getHttpServer());
  const inbox = () => t.connection.collection('whatsapp_inbox');
  const templatesTo = (customer: string) =>
    fake.sentMessages().filter((m) => m.type === 'template' && m.to === `+${customer}`);

  async function settled(key: string) {
    return waitFor(`inbox event ${key} to settle`, async () => {
      const doc = await inbox().findOne({ key });
      return doc && !['pending', 'processing'].includes(doc.state as string) ? doc : undefined;
    });
  }

  /** A customer who last wrote `hoursAgo` hours ago (by the injected clock); their conversation id. */
  async function customerWhoWrote(hoursAgo: number): Promise<{ customer: string; id: string }> {
    const customer = newCustomer();
    const wamid = newWamid();
    const timestamp = String(Math.floor((clock.now().getTime() - hoursAgo * 3600_000) / 1000));
    const body = metaJsonStringify(
      buildInboundTextWebhook({
        wabaId: A.wabaId,
        phoneNumberId: A.phoneNumberId,
        from: customer,
        text: 'Hola',
        wamid,
        timestamp,
      }),
    );
    await api()
      .post('/api/whatsapp/webhook')
      .set('content-type', 'application/json')
      .set('x-hub-signature-256', signPayload(body, A.appSecret))
      .send(body)
      .expect(200);
    await settled(`m:${wamid}`);
    const c = await t.connection.collection('conversations').findOne({ visitorId: customer });
    if (!c) throw new Error(`no conversation for ${customer}`);
    return { customer, id: c._id.toHexString() };
  }

  /** The same customer writes again now; answers once the inbox has finished the message. */
  async function customerSays(customer: string, text: string): Promise<void> {
    const wamid = newWamid();
    const body = metaJsonStringify(
      buildInboundTextWebhook({
        wabaId: A.wabaId,
        phoneNumberId: A.phoneNumberId,
        from: customer,
        text,
        wamid,
      }),
    );
    await api()
      .post('/api/whatsapp/webhook')
      .set('content-type', 'application/json')
      .set('x-hub-signature-256', signPayload(body, A.appSecret))
      .send(body)
      .expect(200);
    await settled(`m:${wamid}`);
  }

  const list = async (as = ws.agent, id = integrationId) =>
    (await as.get(`/api/v1/integrations/${id}/templates`).expect(200)).body as TemplateView[];

  describe('sync', () => {
    it('reads every page of the WABA’s templates and lists them with their slots, status, quality and rejection reason', async () => {
      fake.reset();
      expect(await list()).toEqual([]);
      const result = (
        await ws.admin.post(`/api/v1/integrations/${integrationId}/templates/sync`).expect(200)
      ).body as TemplateSyncResult;
      expect(result).toEqual({ total: 105, added: 105, updated: 0, removed: 0 });
      const calls = fake.requestsTo('message_templates');
      expect(calls).toHaveLength(2);
      expect(calls[1]?.query.after).toBeTruthy();

      const templates = await list();
      expect(templates).toHaveLength(105);
      const order = templates.find((x) => x.name === 'order_update');
      expect(order).toMatchObject({
        language: 'es',
        category: 'UTILITY',
        status: 'APPROVED',
        qualityScore: 'GREEN',
        rejectedReason: null,
      });
      expect(order?.slots).toEqual([
        { component: 'header', index: 0, name: '1', format: 'text' },
        { component: 'body', index: 0, name: '1', format: 'text' },
        { component: 'body', index: 0, name: '2', format: 'text' },
        { component: 'button', index: 0, name: '1', format: 'text' },
      ]);
      expect(templates.find((x) => x.name === 'filler_000')).toMatchObject({
        status: 'REJECTED',
        rejectedReason: 'INVALID_FORMAT',
        slots: [{ component: 'body', index: 0, name: 'first_name', format: 'text' }],
      });
    });

    it('syncs a number’s templates when it is connected', async () => {
      const third = await seedWorkspace(t, { name: 'Tienda C' });
      fake.addBusiness({
        wabaId: C.wabaId,
        name: 'Business C',
        phoneNumbers: [
          { id: C.phoneNumberId, displayPhoneNumber: '+1 555-010-0103', verifiedName: 'C' },
        ],
      });
      fake.addTemplates(C.wabaId, [ORDER_UPDATE]);
      const integration = await connectNumber(fake, third, C);
      expect((await list(third.agent, integration.id)).map((x) => x.name)).toEqual([
        'order_update',
      ]);
    });

    it('applies a status change on the next sync without duplicating, and keeps each workspace to its own', async () => {
      fake.setTemplateStatus(A.wabaId, 'filler_001', 'en_US', 'PAUSED');
      const result = (
        await ws.admin.post(`/api/v1/integrations/${integrationId}/templates/sync`).expect(200)
      ).body as TemplateSyncResult;
      expect(result).toEqual({ total: 105, added: 0, updated: 105, removed: 0 });
      const templates = await list();
      expect(templates).toHaveLength(105);
      expect(templates.find((x) => x.name === 'filler_001')?.status).toBe('PAUSED');
      fake.setTemplateStatus(A.wabaId, 'filler_001', 'en_US', 'APPROVED');

      await other.admin.get(`/api/v1/integrations/${integrationId}/templates`).expect(404);
      await other.admin.post(`/api/v1/integrations/${integrationId}/templates/sync`).expect(404);
      await ws.agent.post(`/api/v1/integrations/${integrationId}/templates/sync`).expect(403);
    });
  });

  const values = {
    name: 'order_update',
    language: 'es',
    header: '#1234',
    body: ['Pablo', '#1234'],
    buttons: [{ index: 0, text: 'abc123' }],
  };

  describe('POST /api/v1/conversations/:id/templates', () => {
    it('sends an approved template outside the 24-hour window, stores its rendered text, and sees it delivered', async () => {
      const { customer, id } = await customerWhoWrote(30);
      await ws.agent.post(`/api/v1/conversations/${id}/messages`, { content: 'Hola' }).expect(422);

      const sent = (
        await ws.agent
          .post(`/api/v1/conversations/${id}/templates`, values)
          .set('Idempotency-Key', 'tpl-1')
          .expect(201)
      ).body as MessageView;
      expect(sent.content).toBe(
        'Pedido #1234\n\nHola Pablo, tu pedido #1234 ya está en camino.\n\nTienda A',
      );
      expect(sent.template).toEqual({ name: 'order_update', language: 'es', category: 'UTILITY' });
      expect(sent.sender).toBe('agent');

      await settled(`a:${sent.id}`);
      const [meta] = templatesTo(customer);
      expect(meta?.payload.template).toEqual({
        name: 'order_update',
        language: { code: 'es', policy: 'deterministic' },
        components: [
          { type: 'header', parameters: [{ type: 'text', text: '#1234' }] },
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Pablo' },
              { type: 'text', text: '#1234' },
            ],
          },
          {
            type: 'button',
            sub_type: 'url',
            index: '0',
            parameters: [{ type: 'text', text: 'abc123' }],
          },
        ],
      });
      await waitFor('the template read', async () => {
        const doc = await t.connection
          .collection('messages')
          .findOne({ externalMessageId: meta?.wamid });
        return doc?.deliveryStatus === 'read' ? doc : undefined;
      });

      // A retried request with the same key stores and sends nothing more.
      const again = (
        await ws.agent
          .post(`/api/v1/conversations/${id}/templates`, values)
          .set('Idempotency-Key', 'tpl-1')
          .expect(201)
      ).body as MessageView;
      expect(again.id).toBe(sent.id);
      expect(templatesTo(customer)).toHaveLength(1);
    });

    it('refuses values that do not fit the template (count, format) before any Graph call', async () => {
      const { customer, id } = await customerWhoWrote(1);
      const fewer = await ws.agent
        .post(`/api/v1/conversations/${id}/templates`, { ...values, body: ['Pablo'] })
        .expect(400);
      expect(fewer.body.error).toBe('VALIDATION_FAILED');
      expect(fewer.body.details.fields).toEqual([
        expect.objectContaining({ field: 'body', code: 'templateParameterCount' }),
      ]);
      const noButton = await ws.agent
        .post(`/api/v1/conversations/${id}/templates`, { ...values, buttons: [] })
        .expect(400);
      expect(noButton.body.details.fields).toEqual([
        expect.objectContaining({ field: 'buttons', code: 'templateParameterCount' }),
      ]);
      // A button value that is not an object (an array passes a nested check with nothing in it).
      const arrayButton = await ws.agent
        .post(`/api/v1/conversations/${id}/templates`, { ...values, buttons: [[]] })
        .expect(400);
      expect(arrayButton.body.details.fields).toEqual([
        expect.objectContaining({ field: 'buttons' }),
      ]);
      const newline = await ws.agent
        .post(`/api/v1/conversations/${id}/templates`, { ...values, body: ['Pablo\nPérez', '#1'] })
        .expect(400);
      expect(newline.body.details.fields).toEqual([
        expect.objectContaining({ field: 'body[0]', code: 'templateParameterFormat' }),
      ]);
      const unknownField = await ws.agent
        .post(`/api/v1/conversations/${id}/templates`, { ...values, footer: 'x' })
        .expect(400);
      expect(unknownField.body.error).toBe('VALIDATION_FAILED');

      const pending = await ws.agent
        .post(`/api/v1/conversations/${id}/templates`, { name: 'promo_pending', language: 'es' })
        .expect(409);
      expect(pending.body.details.reason).toBe('TEMPLATE_NOT_APPROVED');
      const missing = await ws.agent
        .post(`/api/v1/conversations/${id}/templates`, { ...values, language: 'en_US' })
        .expect(409);
      expect(missing.body.details.reason).toBe('TEMPLATE_NOT_FOUND');

      expect(templatesTo(customer)).toHaveLength(0);
      expect(
        await t.connection
          .collection('messages')
          .countDocuments({ conversationId: { $exists: true }, 'template.name': 'promo_pending' }),
      ).toBe(0);
    });

    it('keeps Meta’s 132015 when the template was paused after the sync: the message fails with that code', async () => {
      const { id } = await customerWhoWrote(30);
      fake.setTemplateStatus(A.wabaId, 'order_update', 'es', 'PAUSED');
      try {
        const sent = (
          await ws.agent.post(`/api/v1/conversations/${id}/templates`, values).expect(201)
        ).body as MessageView;
        await settled(`a:${sent.id}`);
        const page = (await ws.agent.get(`/api/v1/conversations/${id}/messages`).expect(200))
          .body as { items: MessageView[] };
        const failed = page.items.find((m) => m.id === sent.id);
        expect(failed).toMatchObject({
          deliveryStatus: 'failed',
          failureCode: 132015,
          failureType: 'TEMPLATE_ERROR',
        });
      } finally {
        fake.setTemplateStatus(A.wabaId, 'order_update', 'es', 'APPROVED');
      }
    });
  });

  describe('the 24-hour window', () => {
    it('the bot never attempts a free-form reply outside the window: its turn is marked as needing a template', async () => {
      const { customer, id } = await customerWhoWrote(25);
      expect(fake.sentMessages().filter((m) => m.to === `+${customer}`)).toHaveLength(0);
      const page = (await ws.agent.get(`/api/v1/conversations/${id}/messages`).expect(200))
        .body as { items: MessageView[] };
      const bot = page.items.filter((m) => m.sender === 'bot');
      expect(bot).toEqual([
        expect.objectContaining({
          deliveryStatus: 'failed',
          failureType: 'OUTSIDE_CUSTOMER_SERVICE_WINDOW',
          failureCode: null,
          // Never attempted, so Meta said nothing: the code alone, no English text of ours.
          failureReason: null,
        }),
      ]);

      const recent = await customerWhoWrote(23);
      await waitFor('the bot reply inside the window', () =>
        fake.sentMessages().some((m) => m.to === `+${recent.customer}` && m.type === 'text'),
      );
    });
  });

  describe('POST /api/v1/integrations/:id/templates/send (the business writes first)', () => {
    it('sends a template to a new E.164 number and creates its conversation; a refused send creates none', async () => {
      const to = '+34699000111';
      const sent = (
        await ws.agent
          .post(`/api/v1/integrations/${integrationId}/templates/send`, { ...values, to })
          .expect(201)
      ).body as MessageView;
      await settled(`a:${sent.id}`);
      expect(templatesTo('34699000111')).toHaveLength(1);
      // Read (with its pricing) before the next test: a late status would land in its usage totals.
      await waitFor('the first template read', async () => {
        const doc = await t.connection
          .collection('messages')
          .findOne({ _id: new ObjectId(sent.id) });
        return doc?.deliveryStatus === 'read' && doc.pricing ? true : undefined;
      });
      const conversation = await t.connection
        .collection('conversations')
        .findOne({ _id: new ObjectId(sent.conversationId) });
      expect(conversation).toMatchObject({ channel: 'whatsapp', visitorId: '34699000111' });

      const bad = await ws.agent
        .post(`/api/v1/integrations/${integrationId}/templates/send`, {
          ...values,
          to: '699000111',
        })
        .expect(400);
      expect(bad.body.details.fields).toEqual([expect.objectContaining({ field: 'to' })]);
      const before = await t.connection.collection('conversations').countDocuments();
      await ws.agent
        .post(`/api/v1/integrations/${integrationId}/templates/send`, {
          ...values,
          body: [],
          to: '+34699000222',
        })
        .expect(400);
      expect(await t.connection.collection('conversations').countDocuments()).toBe(before);
    });
  });

  describe('GET /api/v1/usage', () => {
    it('totals the delivered messages of the month by category, country and sender, billable and free', async () => {
      const month = clock.now().toISOString().slice(0, 7);
      const before = (
        await ws.admin
          .get(`/api/v1/usage?integrationId=${integrationId}&month=${month}`)
          .expect(200)
      ).body as UsageView;

      // A bot reply (service), a UTILITY template and a MARKETING template, all delivered.
      const { customer, id } = await customerWhoWrote(1);
      const utility = (
        await ws.agent.post(`/api/v1/conversations/${id}/templates`, values).expect(201)
      ).body as MessageView;
      const marketing = (
        await ws.agent
          .post(`/api/v1/conversations/${id}/templates`, {
            name: 'filler_002',
            language: 'en_US',
            body: ['Ana'],
          })
          .expect(201)
      ).body as MessageView;
      await settled(`a:${utility.id}`);
      await settled(`a:${marketing.id}`);
      await waitFor('three messages read', async () => {
        const sent = fake.sentMessages().filter((m) => m.to === `+${customer}`);
        const docs = await t.connection
          .collection('messages')
          .find({ externalMessageId: { $in: sent.map((m) => m.wamid) } })
          .toArray();
        return docs.length === 3 && docs.every((d) => d.deliveryStatus === 'read' && d.pricing)
          ? true
          : undefined;
      });

      const after = (
        await ws.admin
          .get(`/api/v1/usage?integrationId=${integrationId}&month=${month}`)
          .expect(200)
      ).body as UsageView;
      const diff = (view: UsageView, category: string) =>
        view.byCategory.find((r) => r.category === category) ?? {
          delivered: 0,
          billable: 0,
          free: 0,
        };
      for (const [category, billable, free] of [
        ['service', 0, 1],
        ['utility', 1, 0],
        ['marketing', 1, 0],
      ] as const) {
        expect(diff(after, category).billable - diff(before, category).billable).toBe(billable);
        expect(diff(after, category).free - diff(before, category).free).toBe(free);
      }
      expect(after.totals.delivered - before.totals.delivered).toBe(3);
      expect(after.bySender.template - before.bySender.template).toBe(2);
      expect(after.bySender.bot - before.bySender.bot).toBe(1);
      expect(after.byCountry.every((r) => r.callingCode === '34')).toBe(true);

      await ws.admin.get(`/api/v1/usage?integrationId=${integrationId}&month=2026-13`).expect(400);
      await other.admin
        .get(`/api/v1/usage?integrationId=${integrationId}&month=${month}`)
        .expect(404);
    });
  });

  describe('opt-out', () => {
    const marketing = { name: 'filler_003', language: 'en_US', body: ['Ana'] };
    const consentOf = async (id: string) =>
      ((await ws.agent.get(`/api/v1/conversations/${id}`).expect(200)).body as ConversationView)
        .marketingConsent;

    it('“no molestar” (any case, accents) opts the customer out, answers once, refuses MARKETING templates; ALTA opts back in', async () => {
      const { customer, id } = await customerWhoWrote(1);
      const textsTo = () =>
        fake
          .sentMessages()
          .filter((m) => m.type === 'text' && m.to === `+${customer}`)
          .map((m) => String((m.payload.text as { body: string }).body));
      const before = textsTo().length;
      await customerSays(customer, '  No Molestár ');
      expect(textsTo().slice(before)).toEqual([CONSENT_CONFIRMATIONS.opted_out]);
      const consent = await consentOf(id);
      expect(consent.optedOut).toBe(true);
      expect(consent.history).toEqual([
        expect.objectContaining({ state: 'opted_out', via: 'keyword' }),
      ]);

      const refused = await ws.agent
        .post(`/api/v1/conversations/${id}/templates`, marketing)
        .expect(409);
      expect(refused.body.details.reason).toBe('MARKETING_OPTED_OUT');
      // Utility templates still go.
      await ws.agent.post(`/api/v1/conversations/${id}/templates`, values).expect(201);

      await customerSays(customer, 'alta');
      expect((await consentOf(id)).optedOut).toBe(false);
      expect((await consentOf(id)).history.map((e) => e.state)).toEqual(['opted_out', 'opted_in']);
      await ws.agent.post(`/api/v1/conversations/${id}/templates`, marketing).expect(201);
    });

    it('a 131050 failure from Meta marks the customer opted out', async () => {
      const { id } = await customerWhoWrote(1);
      const auto = fake.autoStatuses;
      fake.autoStatuses = auto && { ...auto, sequence: ['failed'], failCode: 131050 };
      try {
        const sent = (
          await ws.agent.post(`/api/v1/conversations/${id}/templates`, marketing).expect(201)
        ).body as MessageView;
        await settled(`a:${sent.id}`);
        const consent = await waitFor('the opt-out from 131050', async () => {
          const c = await consentOf(id);
          return c.optedOut ? c : undefined;
        });
        expect(consent.history).toEqual([
          expect.objectContaining({ state: 'opted_out', via: 'meta_131050' }),
        ]);
      } finally {
        fake.autoStatuses = auto;
      }
      const refused = await ws.agent
        .post(`/api/v1/conversations/${id}/templates`, marketing)
        .expect(409);
      expect(refused.body.details.reason).toBe('MARKETING_OPTED_OUT');
    });
  });
});
