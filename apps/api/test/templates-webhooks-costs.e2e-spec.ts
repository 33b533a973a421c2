import type {
  ChatbotView,
  ConversationView,
  MessageView,
  RateCardView,
  TemplateView,
  UsageView,
} from '@conecta/contracts';
import { type MessageTemplate, signPayload } from '@conecta/graph-client';
import {
  FakeGraphApi,
  type MetaWebhookPayload,
  WEBHOOK_KINDS,
  buildInboundTextWebhook,
  metaJsonStringify,
  newWamid,
} from '@conecta/graph-client/testing';
import request from 'supertest';
import { ONE_MESSAGE_INSTRUCTION } from '../src/responders/responders.service';
import { seedWorkspace, type SeededWorkspace } from './support/auth';
import { FakeLlmServer } from './support/fake-llm';
import { startTestApp, TestClock, type TestApp } from './support/test-app';
import { connectNumber, waitFor, webhookTestEnv, type FakeNumber } from './support/whatsapp';

const A: FakeNumber = {
  wabaId: '102290129342601',
  phoneNumberId: '106540352242601',
  token: 'EAAATemplWebhooksTokenA0000000000001',
  appSecret: 'f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6',
};

const ORDER: MessageTemplate = {
  id: '920000000000001',
  name: 'order_ready',
  language: 'es',
  category: 'UTILITY',
  status: 'APPROVED',
  components: [{ type: 'BODY', text: 'Hola {{1}}, tu pedido está listo.' }],
};
const PROMO: MessageTemplate = {
  id: '920000000000002',
  name: 'spring_sale',
  language: 'es',
  category: 'MARKETING',
  status: 'PENDING',
  components: [{ type: 'BODY', text: 'Rebajas de primavera' }],
};

/** Three WhatsApp messages' worth: each paragraph near the 4,096-character limit. */
const LONG_REPLY = ['a', 'b', 'c'].map((c) => `${c.repeat(3000)}.`).join('\n\n');

let customerSeq = 0;
const newCustomer = (): string => `3472000${String(++customerSeq).padStart(4, '0')}`;

describe('Template webhooks, opt-out settings, rate card and split replies (fake Graph API as Meta)', () => {
  const fake = new FakeGraphApi();
  const clock = new TestClock();
  let llm: FakeLlmServer;
  let t: TestApp;
  let ws: SeededWorkspace;
  let other: SeededWorkspace;
  let integrationId: string;

  beforeAll(async () => {
    const graphUrl = await fake.start();
    llm = await FakeLlmServer.start();
    t = await startTestApp('templates-webhooks-costs', {
      clock,
      env: webhookTestEnv(graphUrl, {
        WEBHOOK_BURST_WINDOW_MS: '0',
        INBOX_RETRY_BASE_MS: '30',
        LLM_BASE_URL: llm.baseUrl,
        LLM_MODEL: 'chat-model',
        LLM_API_KEY: 'server-llm-key',
      }),
    });
    await t.app.listen(0, '127.0.0.1');
    const baseUrl = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    ws = await seedWorkspace(t, { name: 'Tienda Webhooks' });
    other = await seedWorkspace(t, { name: 'Otra tienda' });
    integrationId = (await connectNumber(fake, ws, A)).id;
    fake.addTemplates(A.wabaId, [ORDER, PROMO]);
    await ws.admin.post(`/api/v1/integrations/${integrationId}/templates/sync`).expect(200);
    fake.autoStatuses = {
      webhookUrl: `${baseUrl}/api/whatsapp/webhook`,
      appSecret: A.appSecret,
      delayMs: 5,
    };
  });

  afterAll(async () => {
    await fake.stop();
    await llm?.stop();
    await t?.close();
  });

  const api = () => request(t.app.getHttpServer());
  const inbox = () => t.connection.collection('whatsapp_inbox');

  async function settled(key: string) {
    return waitFor(`inbox event ${key} to settle`, async () => {
      const doc = await inbox().findOne({ key });
      return doc && !['pending', 'processing'].includes(doc.state as string) ? doc : undefined;
    });
  }

  async function post(payload: MetaWebhookPayload): Promise<void> {
    const body = metaJsonStringify(payload);
    await api()
      .post('/api/whatsapp/webhook')
      .set('content-type', 'application/json')
      .set('x-hub-signature-256', signPayload(body, A.appSecret))
      .send(body)
      .expect(200);
  }

  /** Posts a management webhook signed with the app's secret; waits until its notice settled. */
  async function deliverNotice(payload: MetaWebhookPayload): Promise<void> {
    const before = await inbox().countDocuments({ kind: 'notice', state: 'done' });
    await post(payload);
    await waitFor('the notice to settle', async () =>
      (await inbox().countDocuments({ kind: 'notice', state: 'done' })) > before ? true : undefined,
    );
  }

  /** A customer writes `text` now; returns their conversation id once the inbox settled it. */
  async function customerSays(customer: string, text: string): Promise<string> {
    const wamid = newWamid();
    await post(
      buildInboundTextWebhook({
        wabaId: A.wabaId,
        phoneNumberId: A.phoneNumberId,
        from: customer,
        text,
        wamid,
      }),
    );
    await settled(`m:${wamid}`);
    const c = await t.connection.collection('conversations').findOne({ visitorId: customer });
    if (!c) throw new Error(`no conversation for ${customer}`);
    return c._id.toHexString();
  }

  const templates = async () =>
    (await ws.agent.get(`/api/v1/integrations/${integrationId}/templates`).expect(200))
      .body as TemplateView[];
  const templateNamed = async (name: string) => {
    const found = (await templates()).find((x) => x.name === name);
    if (!found) throw new Error(`no template ${name}`);
    return found;
  };

  describe('message_template_status_update and template_category_update webhooks', () => {
    it('apply status, rejection reason and category to the stored template at once and announce it on the workspace event stream', async () => {
      expect(await templates()).toHaveLength(2);
      expect(await templateNamed('spring_sale')).toMatchObject({ status: 'PENDING' });
      const send = { name: 'spring_sale', language: 'es' };
      const id = await customerSays(newCustomer(), 'Hola');
      const pending = await ws.agent
        .post(`/api/v1/conversations/${id}/templates`, send)
        .expect(409);
      expect(pending.body.details.reason).toBe('TEMPLATE_NOT_APPROVED');

      // Rejected, with Meta's reason; matched by Meta's id.
      await deliverNotice(
        WEBHOOK_KINDS.templateStatus(A.wabaId, {
          event: 'REJECTED',
          reason: 'PROMOTIONAL',
          name: 'spring_sale',
          templateId: PROMO.id,
        }),
      );
      expect(await templateNamed('spring_sale')).toMatchObject({
        status: 'REJECTED',
        rejectedReason: 'PROMOTIONAL',
        category: 'MARKETING',
      });

      // Approved after an appeal: the reason goes, and the template can be sent now.
      const events = t.connection.collection('workspace_events');
      const eventsBefore = await events.countDocuments({ type: 'templates' });
      await deliverNotice(
        WEBHOOK_KINDS.templateStatus(A.wabaId, {
          event: 'APPROVED',
          reason: 'NONE',
          name: 'spring_sale',
          templateId: PROMO.id,
        }),
      );
      const approved = await templateNamed('spring_sale');
      expect(approved.status).toBe('APPROVED');
      expect(approved.rejectedReason).toBeNull();
      expect(await events.countDocuments({ type: 'templates', integrationId })).toBe(
        eventsBefore + 1,
      );
      fake.setTemplateStatus(A.wabaId, 'spring_sale', 'es', 'APPROVED');
      await ws.agent.post(`/api/v1/conversations/${id}/templates`, send).expect(201);

      // Meta moves order_ready to MARKETING (found by name and language); an announced change
      // (correct_category) changes nothing yet.
      await deliverNotice(
        WEBHOOK_KINDS.templateCategory(A.wabaId, {
          name: 'order_ready',
          language: 'es',
          templateId: '1',
          correctCategory: 'MARKETING',
        }),
      );
      expect((await templateNamed('order_ready')).category).toBe('UTILITY');
      await deliverNotice(
        WEBHOOK_KINDS.templateCategory(A.wabaId, {
          name: 'order_ready',
          language: 'es',
          templateId: '1',
          previousCategory: 'UTILITY',
          newCategory: 'MARKETING',
        }),
      );
      expect((await templateNamed('order_ready')).category).toBe('MARKETING');

      // Paused at Meta: refused here before any Graph call.
      await deliverNotice(
        WEBHOOK_KINDS.templateStatus(A.wabaId, {
          event: 'PAUSED',
          reason: 'NONE',
          name: 'order_ready',
          templateId: ORDER.id,
          category: 'MARKETING',
        }),
      );
      expect((await templateNamed('order_ready')).status).toBe('PAUSED');
      const paused = await ws.agent
        .post(`/api/v1/conversations/${id}/templates`, {
          name: 'order_ready',
          language: 'es',
          body: ['Ana'],
        })
        .expect(409);
      expect(paused.body.details.reason).toBe('TEMPLATE_NOT_APPROVED');
      // Another workspace's templates are not touched, nor readable.
      await other.admin.get(`/api/v1/integrations/${integrationId}/templates`).expect(404);
    });
  });

  const textsTo = (customer: string) =>
    fake
      .sentMessages()
      .filter((m) => m.type === 'text' && m.to === `+${customer}`)
      .map((m) => String((m.payload.text as { body: string }).body));

  describe('per-chatbot opt-out keywords and confirmations', () => {
    const consentOf = async (id: string) =>
      ((await ws.agent.get(`/api/v1/conversations/${id}`).expect(200)).body as ConversationView)
        .marketingConsent;

    it('a custom keyword (whole message, any case, accents) opts out and is answered once with the custom confirmation; the old default no longer matches', async () => {
      const chatbot = `/api/v1/chatbots/${ws.chatbotId}`;
      const defaults = (await ws.admin.get(chatbot).expect(200)).body as ChatbotView;
      expect(defaults.consent.optOutKeywords).toEqual(['STOP', 'BAJA', 'CANCELAR', 'NO MOLESTAR']);
      expect(defaults.consent.optInKeywords).toEqual(['START', 'ALTA']);

      const consent = {
        optOutKeywords: ['Basta ya'],
        optInKeywords: ['VOLVER'],
        optOutConfirmation: 'Vale: sin promociones. Escribe VOLVER para recibirlas.',
        optInConfirmation: 'De nuevo recibirás nuestras promociones.',
      };
      // The shared rule: one keyword cannot opt out and in; unknown fields are refused.
      const both = await ws.admin
        .patch(chatbot, { consent: { ...consent, optInKeywords: ['basta YA'] } })
        .expect(400);
      expect(both.body.details.fields).toEqual([
        expect.objectContaining({
          field: 'consent.optInKeywords[0]',
          code: 'consentKeywordInBothLists',
        }),
      ]);
      await ws.admin.patch(chatbot, { consent: { ...consent, extra: true } }).expect(400);
      // An array passed the nested check (nothing in it to check) and reached the service: was 500.
      await ws.admin.patch(chatbot, { consent: [] }).expect(400);
      await ws.admin.patch(chatbot, { handoff: [] }).expect(400);
      // The same for the elements of a list of objects: `[[]]` and `[1]` are not entries.
      await ws.admin.patch(chatbot, { faq: [[]] }).expect(400);
      await ws.admin.patch(chatbot, { faq: [1] }).expect(400);
      await ws.agent.patch(chatbot, { consent }).expect(403);
      const saved = (await ws.admin.patch(chatbot, { consent }).expect(200)).body as ChatbotView;
      expect(saved.consent).toEqual(consent);

      const customer = newCustomer();
      const id = await customerSays(customer, 'Hola');
      const before = textsTo(customer).length;
      await customerSays(customer, '¡BASTA YÁ!');
      expect(textsTo(customer).slice(before)).toEqual([consent.optOutConfirmation]);
      expect((await consentOf(id)).optedOut).toBe(true);

      // "STOP" is no longer this chatbot's keyword: the bot answers it like any message.
      await customerSays(customer, 'STOP');
      expect(textsTo(customer).slice(before + 1)).not.toContain(consent.optOutConfirmation);
      expect((await consentOf(id)).history).toHaveLength(1);

      await customerSays(customer, 'volver');
      expect(textsTo(customer).at(-1)).toBe(consent.optInConfirmation);
      expect((await consentOf(id)).history.map((e) => e.state)).toEqual(['opted_out', 'opted_in']);
    });
  });

  /** The month's usage of the integration (by the injected clock). */
  const usage = async () =>
    (
      await ws.admin
        .get(
          `/api/v1/usage?integrationId=${integrationId}&month=${clock.now().toISOString().slice(0, 7)}`,
        )
        .expect(200)
    ).body as UsageView;

  /** Waits until every message Meta got for the customer has been read (statuses with pricing). */
  async function allRead(customer: string, expected: number): Promise<void> {
    await waitFor(`${expected} messages to ${customer} read`, async () => {
      const sent = fake.sentMessages().filter((m) => m.to === `+${customer}`);
      if (sent.length !== expected) return undefined;
      const docs = await t.connection
        .collection('message_part_statuses')
        .find({ wamid: { $in: sent.map((m) => m.wamid) }, status: 'read' })
        .toArray();
      const templates = await t.connection
        .collection('messages')
        .find({ externalMessageId: { $in: sent.map((m) => m.wamid) }, deliveryStatus: 'read' })
        .toArray();
      const read = new Set([
        ...docs.map((d) => d.wamid),
        ...templates.map((d) => d.externalMessageId),
      ]);
      return read.size === expected ? true : undefined;
    });
  }

  describe('GET/PUT /api/v1/usage/rate-card and the estimate', () => {
    it('is empty by default (no estimate), validates and audits a save, and prices billable counts by country then category default', async () => {
      const empty = (await ws.agent.get('/api/v1/usage/rate-card').expect(200))
        .body as RateCardView;
      expect(empty).toEqual({ currency: 'EUR', rates: [], updatedAt: null });
      expect((await usage()).estimate).toBeNull();

      const card = {
        currency: 'EUR',
        rates: [
          { category: 'marketing', callingCode: null, price: 0.05 },
          { category: 'marketing', callingCode: '34', price: 0.0613 },
          { category: 'utility', callingCode: null, price: 0.02 },
        ],
      };
      await ws.agent.put('/api/v1/usage/rate-card', card).expect(403);
      for (const [bad, field, code] of [
        [{ ...card, currency: 'euro' }, 'currency', 'pattern'],
        [{ ...card, currency: 'ABC' }, 'currency', 'currencyUnknown'],
        [{ ...card, rates: [...card.rates, card.rates[1]] }, 'rates[3]', 'rateRepeated'],
        [
          { ...card, rates: [{ category: 'promo', callingCode: null, price: 1 }] },
          'rates.0.category',
          undefined,
        ],
        [
          { ...card, rates: [{ category: 'utility', callingCode: '+34', price: 1 }] },
          'rates.0.callingCode',
          undefined,
        ],
        [
          { ...card, rates: [{ category: 'utility', callingCode: null, price: -1 }] },
          'rates.0.price',
          undefined,
        ],
        [{ ...card, tax: 21 }, 'tax', undefined],
        [{ ...card, rates: [[]] }, 'rates', undefined],
        [{ ...card, rates: [7] }, 'rates', undefined],
      ] as const) {
        const res = await ws.admin.put('/api/v1/usage/rate-card', bad).expect(400);
        const fields = res.body.details.fields as { field: string; code: string }[];
        expect(fields.map((f) => f.field)).toContain(field);
        if (code) expect(fields.find((f) => f.field === field)?.code).toBe(code);
      }
      const saved = (await ws.admin.put('/api/v1/usage/rate-card', card).expect(200))
        .body as RateCardView;
      expect(saved).toMatchObject(card);
      expect(saved.updatedAt).toEqual(expect.any(String));
      expect(
        await t.connection.collection('audit_log').countDocuments({ action: 'rateCard.update' }),
      ).toBe(1);
      // Another workspace has its own (empty) card.
      expect(
        ((await other.admin.get('/api/v1/usage/rate-card').expect(200)).body as RateCardView).rates,
      ).toEqual([]);

      // A marketing template to a Spanish number, delivered and read.
      fake.setTemplateStatus(A.wabaId, 'spring_sale', 'es', 'APPROVED');
      const customer = newCustomer();
      const before = await usage();
      const sent = (
        await ws.agent
          .post(`/api/v1/integrations/${integrationId}/templates/send`, {
            name: 'spring_sale',
            language: 'es',
            to: `+${customer}`,
          })
          .expect(201)
      ).body as MessageView;
      await settled(`a:${sent.id}`);
      await allRead(customer, 1);
      const after = await usage();
      const estimate = after.estimate;
      if (!estimate) throw new Error('no estimate with a saved card');
      expect(estimate.currency).toBe('EUR');
      const spain = estimate.priced.find(
        (r) => r.category === 'marketing' && r.callingCode === '34',
      );
      const billable =
        after.byCountry.find((r) => r.category === 'marketing' && r.callingCode === '34')
          ?.billable ?? 0;
      expect(billable).toBe(
        (before.byCountry.find((r) => r.category === 'marketing' && r.callingCode === '34')
          ?.billable ?? 0) + 1,
      );
      expect(spain).toEqual({
        category: 'marketing',
        callingCode: '34',
        billable,
        price: 0.0613,
        amount: Math.round(billable * 0.0613 * 1e6) / 1e6,
      });
      // What has no price is listed, not guessed; the total is the priced rows only.
      for (const row of after.byCountry.filter((r) => r.billable > 0)) {
        const priced = ['marketing', 'utility'].includes(row.category);
        expect(estimate.unpriced.some((u) => u.category === row.category)).toBe(!priced);
      }
      const sum = estimate.priced.reduce((s, r) => s + r.amount, 0);
      expect(estimate.total).toBeCloseTo(sum, 6);
    });
  });

  describe('split replies and the one-message setting', () => {
    it('counts each part of a split reply as a delivered message and the share of split replies; with the setting the bot keeps its reply to one message', async () => {
      const chatbot = `/api/v1/chatbots/${ws.chatbotId}`;
      await ws.admin
        .patch(chatbot, { responder: { type: 'openai-compatible' }, singleMessageReplies: false })
        .expect(200);
      llm.willAnswer({ kind: 'stream', chunks: [LONG_REPLY] });
      const before = await usage();

      const split = newCustomer();
      await customerSays(split, 'Cuéntame todo');
      await allRead(split, 3);
      expect(textsTo(split)).toHaveLength(3);

      const saved = (await ws.admin.patch(chatbot, { singleMessageReplies: true }).expect(200))
        .body as ChatbotView;
      expect(saved.singleMessageReplies).toBe(true);
      const single = newCustomer();
      const id = await customerSays(single, 'Cuéntame todo');
      await allRead(single, 1);
      const [text] = textsTo(single);
      expect(text?.length).toBeLessThanOrEqual(4096);
      expect(text).toBe(`${'a'.repeat(3000)}.…`);
      // The model was asked for one message first; the cut is the guard.
      const system = llm.requests.at(-1)?.body.messages?.find((m) => m.role === 'system');
      expect(system?.content).toContain(ONE_MESSAGE_INSTRUCTION);
      expect(
        llm.requests
          .at(-2)
          ?.body.messages?.find((m) => m.role === 'system')
          ?.content.includes(ONE_MESSAGE_INSTRUCTION) ?? false,
      ).toBe(false);
      const page = (await ws.agent.get(`/api/v1/conversations/${id}/messages`).expect(200))
        .body as { items: MessageView[] };
      // The thread shows what was sent.
      expect(page.items.filter((m) => m.sender === 'bot').map((m) => m.content)).toEqual([text]);

      const after = await usage();
      expect(after.replies.total - before.replies.total).toBe(2);
      expect(after.replies.split - before.replies.split).toBe(1);
      expect(after.replies.parts - before.replies.parts).toBe(4);
      expect(after.totals.delivered - before.totals.delivered).toBe(4);
      expect(after.bySender.bot - before.bySender.bot).toBe(4);
    });
  });
});
