import type { InboxListResponse } from '@conecta/contracts';
import { signPayload } from '@conecta/graph-client';
import {
  FakeGraphApi,
  buildInboundTextWebhook,
  buildStatusWebhook,
  buildWebhookEnvelope,
  metaJsonStringify,
  newWamid,
} from '@conecta/graph-client/testing';
import { ObjectId } from 'mongodb';
import request from 'supertest';
import type { IntegrationErrorType } from '@conecta/contracts';
import { IntegrationStatusService } from '../src/integrations/integration-status.service';
import { IntegrationsRepository } from '../src/integrations/integrations.repository';
import { InboxClock } from '../src/whatsapp-webhook/inbox-clock';
import { InboxWorker } from '../src/whatsapp-webhook/inbox.worker';
import { seedWorkspace, type SeededWorkspace } from './support/auth';
import { startTestApp, type TestApp } from './support/test-app';
import { connectNumber, waitFor, webhookTestEnv, type FakeNumber } from './support/whatsapp';

const A: FakeNumber = {
  wabaId: '102290129340398',
  phoneNumberId: '106540352242922',
  token: 'EAAWebhookTokenA000000000000000000000001',
  appSecret: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
};
const B: FakeNumber = {
  wabaId: '102290129340777',
  phoneNumberId: '106540352242777',
  token: 'EAAWebhookTokenB000000000000000000000002',
  appSecret: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
};
const SERVER_SECRET = 'test-app-secret';
const BURST_MS = 250;

let customerSeq = 0;
/** A fresh customer number per test, so conversations do not mix. */
const newCustomer = (): string => `3460000${String(++customerSeq).padStart(4, '0')}`;

describe('WhatsApp webhook (/api/whatsapp/webhook) with the fake Graph API as Meta', () => {
  const fake = new FakeGraphApi();
  let t: TestApp;
  let ws: SeededWorkspace;
  let other: SeededWorkspace;
  let webhookUrl: string;
  let integrationA: string;

  beforeAll(async () => {
    const baseUrl = await fake.start();
    t = await startTestApp('whatsapp_webhook', {
      env: webhookTestEnv(baseUrl, {
        WEBHOOK_BURST_WINDOW_MS: String(BURST_MS),
        INBOX_CONCURRENCY: '3',
        INBOX_LEASE_MS: '2000',
        INBOX_MAX_ATTEMPTS: '4',
        INBOX_RETRY_BASE_MS: '30',
      }),
    });
    await t.app.listen(0, '127.0.0.1');
    webhookUrl = `${(await t.app.getUrl()).replace('[::1]', '127.0.0.1')}/api/whatsapp/webhook`;
    ws = await seedWorkspace(t, { name: 'Tienda A' });
    other = await seedWorkspace(t, { name: 'Tienda B' });
    integrationA = (await connectNumber(fake, ws, A)).id;
    await connectNumber(fake, other, B);
    fake.autoStatuses = { webhookUrl, appSecret: A.appSecret, delayMs: 5 };
  });

  afterAll(async () => {
    await fake.stop();
    await t?.close();
  });

  beforeEach(() => fake.reset());

  const inbox = () => t.connection.collection('whatsapp_inbox');
  const messages = () => t.connection.collection('messages');
  const conversations = () => t.connection.collection('conversations');
  const http = () => request(t.app.getHttpServer());
  const textsTo = (customer: string) =>
    fake.sentMessages().filter((m) => m.type === 'text' && m.to === `+${customer}`);

  function post(body: string, signature?: string) {
    const req = http().post('/api/whatsapp/webhook').set('content-type', 'application/json');
    if (signature) req.set('x-hub-signature-256', signature);
    return req.send(body);
  }

  /** A lease that ran out a second ago by the clock the workers read. */
  const leaseRanOut = () => new Date(t.app.get(InboxClock).now() - 1000);

  async function conversationOf(customer: string) {
    return waitFor(`the conversation of ${customer}`, () =>
      conversations()
        .findOne({ visitorId: customer })
        .then((c) => c ?? undefined),
    );
  }

  async function threadOf(customer: string) {
    const conversation = await conversationOf(customer);
    return messages().find({ conversationId: conversation._id }).sort({ createdAt: 1 }).toArray();
  }

  /** The customer writes "hola" to A; the bot's reply, once it is marked failed. */
  async function failedReplyTo(customer: string) {
    await fake.sendInboundMessage({
      webhookUrl,
      appSecret: A.appSecret,
      phoneNumberId: A.phoneNumberId,
      from: customer,
      text: 'hola',
    });
    return waitFor('the failed reply', async () => {
      const r = (await threadOf(customer)).find((m) => m.role === 'assistant');
      return r?.deliveryStatus === 'failed' ? r : undefined;
    });
  }

  async function inboxSettled(): Promise<void> {
    await waitFor('the inbox to settle', async () =>
      (await inbox().countDocuments({ state: { $in: ['pending', 'processing'] } })) === 0
        ? true
        : undefined,
    );
  }

  /**
   * The message events of one customer once the inbox has settled. Every one is finished, so none
   * can send again: what was sent by then is all that will ever be sent for them.
   */
  async function finishedMessagesOf(customer: string) {
    await inboxSettled();
    const events = await inbox()
      .find({ kind: 'message', queueKey: `${A.phoneNumberId}:${customer}` })
      .sort({ _id: 1 })
      .toArray();
    for (const e of events) expect(e.state).toBe('done');
    return events.map((e) => ({
      replied: e.progress?.replyMessageId !== undefined,
      merged: e.progress?.merged === true,
    }));
  }

  describe('GET verification', () => {
    it('answers the challenge as plain text for the server verify token', async () => {
      const res = await http()
        .get('/api/whatsapp/webhook')
        .query({
          'hub.mode': 'subscribe',
          'hub.verify_token': 'test-verify-token',
          'hub.challenge': '1158201444',
        })
        .expect(200);
      expect(res.text).toBe('1158201444');
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
    });

    it("answers the challenge for an integration's own verify token", async () => {
      const list = await ws.admin.get('/api/v1/integrations').expect(200);
      const token = (list.body as { webhook: { verifyToken: string } }[])[0].webhook.verifyToken;
      await http()
        .get('/api/whatsapp/webhook')
        .query({ 'hub.mode': 'subscribe', 'hub.verify_token': token, 'hub.challenge': 'abc' })
        .expect(200, 'abc');
    });

    it('refuses a wrong token or mode with 403', async () => {
      await http()
        .get('/api/whatsapp/webhook')
        .query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'nope', 'hub.challenge': '1' })
        .expect(403);
      await http()
        .get('/api/whatsapp/webhook')
        .query({
          'hub.mode': 'unsubscribe',
          'hub.verify_token': 'test-verify-token',
          'hub.challenge': '1',
        })
        .expect(403);
    });
  });

  describe('POST signature and shape', () => {
    const body = () =>
      metaJsonStringify(
        buildInboundTextWebhook({
          wabaId: A.wabaId,
          phoneNumberId: A.phoneNumberId,
          from: newCustomer(),
          text: 'hola',
        }),
      );

    it('rejects unsigned, wrongly signed and other-tenant-signed bodies with 401, storing nothing', async () => {
      const before = await inbox().countDocuments();
      const b = body();
      await post(b).expect(401);
      await post(b, 'sha256=' + '0'.repeat(64)).expect(401);
      const res = await post(b, signPayload(b, B.appSecret)).expect(401);
      expect(res.body).toEqual({
        statusCode: 401,
        error: 'UNAUTHORIZED',
        message: expect.any(String),
      });
      expect(await inbox().countDocuments()).toBe(before);
    });

    it('rejects a signed but malformed body with 400, storing nothing', async () => {
      const before = await inbox().countDocuments();
      const bad = JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [{ id: A.wabaId, changes: 'x' }],
      });
      const res = await post(bad, signPayload(bad, SERVER_SECRET)).expect(400);
      expect(res.body.error).toBe('BAD_REQUEST');
      expect(await inbox().countDocuments()).toBe(before);
    });

    it('refuses a validly signed body sent as text or a form with 415, storing nothing', async () => {
      const before = await inbox().countDocuments();
      const b = body();
      for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
        const res = await http()
          .post('/api/whatsapp/webhook')
          .set('content-type', type)
          .set('x-hub-signature-256', signPayload(b, A.appSecret))
          .send(b)
          .expect(415);
        expect(res.body.error).toBe('UNSUPPORTED_MEDIA_TYPE');
      }
      expect(await inbox().countDocuments()).toBe(before);
    });

    it('rejects a signed body that is not valid UTF-8 with 400, storing nothing', async () => {
      const before = await inbox().countDocuments();
      const raw = Buffer.from(body());
      const at = raw.indexOf('hola');
      // 0xC3 0x28 is an invalid two-byte sequence: JSON.parse would store it as U+FFFD.
      const bad = Buffer.concat([raw.subarray(0, at), Buffer.from([0xc3, 0x28]), raw.subarray(at)]);
      // Real bytes over a real socket: the client must not re-encode the body.
      const res = await fetch(webhookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': signPayload(bad, A.appSecret),
        },
        body: bad,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        error: 'BAD_REQUEST',
        details: { reason: 'INVALID_UTF8' },
      });
      expect(await inbox().countDocuments()).toBe(before);
    });

    it('accepts non-ASCII text signed over its exact (Meta-escaped) bytes', async () => {
      const customer = newCustomer();
      const text = 'Hola, ¿cómo está? ñandú 😀 a/b';
      const res = await fake.sendInboundMessage({
        webhookUrl,
        appSecret: A.appSecret,
        phoneNumberId: A.phoneNumberId,
        from: customer,
        text,
      });
      expect(res.status).toBe(200);
      const thread = await waitFor('the user message', async () => {
        const m = await threadOf(customer);
        return m.length > 0 ? m : undefined;
      });
      expect(thread[0]).toMatchObject({
        role: 'user',
        content: text,
        externalMessageId: res.wamid,
      });
    });

    it('acknowledges a number no integration knows and records it as ignored', async () => {
      const wamid = newWamid();
      const b = metaJsonStringify(
        buildInboundTextWebhook({
          wabaId: '1',
          phoneNumberId: '999000999',
          from: newCustomer(),
          text: 'x',
          wamid,
        }),
      );
      await post(b, signPayload(b, SERVER_SECRET)).expect(200);
      const doc = await inbox().findOne({ externalId: wamid });
      expect(doc).toMatchObject({
        state: 'ignored',
        lastError: 'no integration for this phone number',
      });
    });
  });

  describe('processing', () => {
    it('turns one text message into one conversation, one user message and one reply, with statuses in order', async () => {
      const customer = newCustomer();
      const sent = await fake.sendInboundMessage({
        webhookUrl,
        appSecret: A.appSecret,
        phoneNumberId: A.phoneNumberId,
        from: customer,
        text: '¿Cuál es el horario?',
        contactName: 'Ana',
      });
      expect(sent.status).toBe(200);
      const reply = await waitFor('the reply to be read', async () => {
        const thread = await threadOf(customer);
        const r = thread.find((m) => m.role === 'assistant');
        return r && r.deliveryStatus === 'read' ? r : undefined;
      });
      expect(reply).toMatchObject({
        content: expect.stringMatching(/Abrimos de 9 a 18/),
        channel: 'whatsapp',
      });
      expect(reply.pricing).toMatchObject({ category: 'service' });
      expect(reply.sentAt).toBeInstanceOf(Date);
      expect(textsTo(customer)).toHaveLength(1);
      expect(textsTo(customer)[0].wamid).toBe(reply.externalMessageId);
      expect(await conversations().countDocuments({ visitorId: customer })).toBe(1);
      const conversation = await conversationOf(customer);
      expect(conversation).toMatchObject({
        channel: 'whatsapp',
        sessionId: `${A.phoneNumberId}:${customer}`,
        contactName: 'Ana',
        messageCount: 2,
      });
      expect(fake.readReceipts).toContainEqual({
        phoneNumberId: A.phoneNumberId,
        wamid: sent.wamid,
        typing: true,
      });
    });

    it('answers a webhook delivered three times exactly once', async () => {
      const customer = newCustomer();
      const payload = buildInboundTextWebhook({
        wabaId: A.wabaId,
        phoneNumberId: A.phoneNumberId,
        from: customer,
        text: 'hola',
      });
      for (let i = 0; i < 3; i++) {
        const res = await fake.sendWebhook({ webhookUrl, appSecret: A.appSecret, payload });
        expect(res.status).toBe(200);
      }
      await waitFor('one reply', () => textsTo(customer).length === 1);
      expect(await finishedMessagesOf(customer)).toEqual([{ replied: true, merged: false }]);
      expect(textsTo(customer)).toHaveLength(1);
      const thread = await threadOf(customer);
      expect(thread.map((m) => m.role)).toEqual(['user', 'assistant']);
    });

    it('processes every message and status of a batched payload', async () => {
      // First a reply to get a wamid for the statuses of the batch.
      fake.autoStatuses = undefined;
      const c1 = newCustomer();
      await fake.sendInboundMessage({
        webhookUrl,
        appSecret: A.appSecret,
        phoneNumberId: A.phoneNumberId,
        from: c1,
        text: 'hola',
      });
      const first = await waitFor('the first reply', () => textsTo(c1)[0]);
      await fake.flushWebhooks();
      await inboxSettled();
      const c2 = newCustomer();
      const c3 = newCustomer();
      const target = { wabaId: A.wabaId, phoneNumberId: A.phoneNumberId };
      const m2 = buildInboundTextWebhook({ ...target, from: c2, text: 'horario' }).entry[0]
        .changes[0].value;
      const m3 = buildInboundTextWebhook({ ...target, from: c3, text: 'hola' }).entry[0].changes[0]
        .value;
      const failed = buildStatusWebhook({
        ...target,
        wamid: first.wamid,
        status: 'failed',
        recipientId: c1,
        errors: [{ code: 131026, title: 'Message undeliverable' }],
      }).entry[0].changes[0].value;
      const res = await fake.sendWebhook({
        webhookUrl,
        appSecret: A.appSecret,
        payload: buildWebhookEnvelope(A.wabaId, [m2, m3, failed]),
      });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({ received: 3, duplicates: 0 });
      await waitFor('both replies', () => textsTo(c2).length === 1 && textsTo(c3).length === 1);
      const r1 = await waitFor('the failed status', () =>
        messages()
          .findOne({ externalMessageId: first.wamid, deliveryStatus: 'failed' })
          .then((m) => m ?? undefined),
      );
      fake.autoStatuses = { webhookUrl, appSecret: A.appSecret, delayMs: 5 };
      expect(r1).toMatchObject({ errorCode: 131026, errorType: 'RECIPIENT_UNAVAILABLE' });
    });

    it('delivers a reply once after Meta throttles it (130429) twice', async () => {
      const customer = newCustomer();
      fake.autoStatuses = undefined;
      try {
        fake.failNext('messages', 2, { code: 130429, message: 'Rate limit hit' });
        await fake.sendInboundMessage({
          webhookUrl,
          appSecret: A.appSecret,
          phoneNumberId: A.phoneNumberId,
          from: customer,
          text: 'hola',
        });
        await waitFor('the reply', () => textsTo(customer).length === 1);
        await inboxSettled();
        expect(textsTo(customer)).toHaveLength(1);
        const attempts = fake
          .requestsTo('messages')
          .filter((r) => (r.body as { type?: string }).type === 'text');
        expect(attempts.length).toBeGreaterThanOrEqual(2);
        const reply = (await threadOf(customer)).find((m) => m.role === 'assistant');
        expect(reply?.externalMessageId).toBe(textsTo(customer)[0].wamid);
      } finally {
        fake.autoStatuses = { webhookUrl, appSecret: A.appSecret, delayMs: 5 };
      }
    });

    it('marks the reply failed with the window reason on 131047, and refuses a pointless retry', async () => {
      const customer = newCustomer();
      fake.failNext('messages', 2, {
        code: 131047,
        message: 'Re-engagement message',
        details: 'Message failed to send because more than 24 hours have passed',
      });
      const reply = await failedReplyTo(customer);
      expect(reply).toMatchObject({
        errorCode: 131047,
        errorType: 'OUTSIDE_CUSTOMER_SERVICE_WINDOW',
      });
      // Meta's own words; what the code means is the SPA's to say.
      expect(reply.errorReason).toBe(
        'Message failed to send because more than 24 hours have passed',
      );
      expect(textsTo(customer)).toHaveLength(0);
      const res = await ws.admin.post(`/api/v1/messages/${String(reply._id)}/retry`).expect(422);
      expect(res.body.details).toEqual({ reason: 'OUTSIDE_CUSTOMER_SERVICE_WINDOW' });
      await ws.agent.post(`/api/v1/messages/${String(reply._id)}/retry`).expect(403);
      await other.admin.post(`/api/v1/messages/${String(reply._id)}/retry`).expect(404);
    });

    it("stores only Meta's own message as the reason when Meta gives no details, never our English summary", async () => {
      const customer = newCustomer();
      fake.failNext('messages', 2, { code: 100, message: '(#100) Invalid parameter' });
      const reply = await failedReplyTo(customer);
      expect(reply).toMatchObject({
        errorCode: 100,
        errorType: 'INVALID_REQUEST',
        errorReason: '(#100) Invalid parameter',
      });
      const page = await ws.admin
        .get(`/api/v1/conversations/${String(reply.conversationId)}/messages`)
        .expect(200);
      const shown = (page.body as { items: { id: string }[] }).items.find(
        (m) => m.id === String(reply._id),
      );
      expect(shown).toMatchObject({
        failureCode: 100,
        failureType: 'INVALID_REQUEST',
        failureReason: '(#100) Invalid parameter',
      });
    });

    it('retries a failed reply on request once the cause is gone', async () => {
      const customer = newCustomer();
      fake.failNext('messages', 2, { code: 131026 });
      const reply = await failedReplyTo(customer);
      const res = await ws.admin.post(`/api/v1/messages/${String(reply._id)}/retry`).expect(200);
      expect(res.body).toEqual({
        id: String(reply._id),
        deliveryStatus: 'pending',
        externalMessageId: textsTo(customer)[0].wamid,
      });
      await ws.admin.post(`/api/v1/messages/${String(reply._id)}/retry`).expect(409);
    });

    it('makes one bot turn of three quick messages from one customer', async () => {
      const customer = newCustomer();
      for (const text of ['hola', 'quería saber', 'el horario']) {
        await fake.sendInboundMessage({
          webhookUrl,
          appSecret: A.appSecret,
          phoneNumberId: A.phoneNumberId,
          from: customer,
          text,
        });
      }
      await waitFor('the reply', () => textsTo(customer).length === 1);
      expect(await finishedMessagesOf(customer)).toEqual([
        { replied: false, merged: true },
        { replied: false, merged: true },
        { replied: true, merged: false },
      ]);
      expect(textsTo(customer)).toHaveLength(1);
      const thread = await threadOf(customer);
      expect(thread.map((m) => `${m.role}:${m.content}`)).toEqual([
        'user:hola',
        'user:quería saber',
        'user:el horario',
        expect.stringMatching(/^assistant:.*Abrimos de 9 a 18/s),
      ]);
      // Each message counted once, each by its own event's runs (stored, then answered after
      // the window, the count recorded in between).
      expect(await conversationOf(customer)).toMatchObject({
        messageCount: 4,
        customerMessageCount: 3,
        lastMessagePreview: expect.stringMatching(/Abrimos de 9 a 18/),
      });
    });
  });

  describe('worker failures', () => {
    const worker = () => t.app.get(InboxWorker);

    it('takes over an event whose worker died before starting it (expired lease) and answers once', async () => {
      await worker().stop();
      const customer = newCustomer();
      try {
        const sent = await fake.sendInboundMessage({
          webhookUrl,
          appSecret: A.appSecret,
          phoneNumberId: A.phoneNumberId,
          from: customer,
          text: 'hola',
        });
        const past = leaseRanOut();
        await inbox().updateOne(
          { externalId: sent.wamid },
          { $set: { state: 'processing', workerId: 'dead-worker', leaseUntil: past, attempts: 1 } },
        );
        // The dead worker's claim: a takeover needs the next claim.
        await inbox().updateOne({ externalId: sent.wamid }, { $set: { claimSeq: 1 } });
      } finally {
        worker().start();
      }
      await waitFor('the reply', () => textsTo(customer).length === 1);
      await inboxSettled();
      expect(textsTo(customer)).toHaveLength(1);
    });

    it('does not answer twice when a worker died after sending but before finishing', async () => {
      const customer = newCustomer();
      const sent = await fake.sendInboundMessage({
        webhookUrl,
        appSecret: A.appSecret,
        phoneNumberId: A.phoneNumberId,
        from: customer,
        text: 'hola',
      });
      await waitFor('the reply', () => textsTo(customer).length === 1);
      await inboxSettled();
      // Rewind the finished event to "claimed by a worker that died mid-event", progress kept.
      await inbox().updateOne(
        { externalId: sent.wamid },
        {
          $set: {
            state: 'processing',
            workerId: 'dead-worker',
            leaseUntil: leaseRanOut(),
            processedAt: null,
          },
        },
      );
      await waitFor(
        'the takeover',
        async () =>
          (await inbox().findOne({
            externalId: sent.wamid,
            state: 'done',
            workerId: { $ne: 'dead-worker' },
          })) ?? undefined,
      );
      expect(textsTo(customer)).toHaveLength(1);
      expect((await threadOf(customer)).filter((m) => m.role === 'assistant')).toHaveLength(1);
    });

    it('sends the reply a dead worker stored but never recorded, instead of a second one', async () => {
      const customer = newCustomer();
      const sent = await fake.sendInboundMessage({
        webhookUrl,
        appSecret: A.appSecret,
        phoneNumberId: A.phoneNumberId,
        from: customer,
        text: 'hola',
      });
      await waitFor('the reply', () => textsTo(customer).length === 1);
      await fake.flushWebhooks();
      await inboxSettled();
      // Rewind to "the worker stored its reply and died before recording it in the event".
      const [reply] = (await threadOf(customer)).filter((m) => m.role === 'assistant');
      await messages().updateOne(
        { _id: reply?._id },
        { $set: { deliveryStatus: 'pending' }, $unset: { externalMessageId: '' } },
      );
      await inbox().updateOne(
        { externalId: sent.wamid },
        {
          $set: {
            state: 'processing',
            workerId: 'dead-worker',
            leaseUntil: leaseRanOut(),
            processedAt: null,
          },
          // Nothing of the reply recorded: no id, no part sent, no send started.
          $unset: {
            'progress.replyMessageId': '',
            'progress.sentParts': '',
            'progress.sendingPart': '',
            'progress.sendingSince': '',
          },
        },
      );
      await waitFor(
        'the takeover',
        async () =>
          (await inbox().findOne({
            externalId: sent.wamid,
            state: 'done',
            workerId: { $ne: 'dead-worker' },
          })) ?? undefined,
      );
      const assistants = (await threadOf(customer)).filter((m) => m.role === 'assistant');
      expect(assistants).toHaveLength(1);
      expect(String(assistants[0]?._id)).toBe(String(reply?._id));
      // The stored reply itself went out again (Meta never confirmed the first one) and is recorded.
      expect(textsTo(customer)).toHaveLength(2);
      expect(textsTo(customer)[1]?.wamid).toEqual(expect.any(String));
      expect(assistants[0]?.externalMessageId).toBe(textsTo(customer)[1]?.wamid);
    });
  });

  describe('search terms and events of a run (written together, redone by a resumed run)', () => {
    const terms = () => t.connection.collection('search_terms');
    const events = () => t.connection.collection('workspace_events');

    /** The ids of the conversations of workspace A the dashboard's search finds for `q`. */
    async function found(q: string): Promise<string[]> {
      const res = await ws.admin
        .get(`/api/v1/conversations?q=${encodeURIComponent(q)}`)
        .expect(200);
      return (res.body as { items: { id: string }[] }).items.map((i) => i.id);
    }

    /** A customer named `name` writes `text`; their conversation and message, once answered. */
    async function answered(customer: string, name: string, text: string) {
      const sent = await fake.sendInboundMessage({
        webhookUrl,
        appSecret: A.appSecret,
        phoneNumberId: A.phoneNumberId,
        from: customer,
        text,
        contactName: name,
      });
      await waitFor('the reply', () => textsTo(customer).length === 1);
      // The fake's statuses of the reply (sent, delivered, read) come as webhooks of their own:
      // all applied before a test rewinds the run, or a late one would record the send again.
      await waitFor('the reply read', async () =>
        (await threadOf(customer)).some(
          (m) => m.role === 'assistant' && m.deliveryStatus === 'read',
        ),
      );
      await inboxSettled();
      const conversation = await conversationOf(customer);
      const thread = await threadOf(customer);
      const reply = thread.find((m) => m.role === 'assistant');
      const said = thread.find((m) => m.role === 'user');
      if (!reply || !said) throw new Error('no message or reply');
      return { sent, conversationId: String(conversation._id), said, reply };
    }

    /** A word of the reply the search finds it by (its longest). */
    const wordOf = (content: string): string =>
      content.split(/[^\p{L}]+/u).sort((x, y) => y.length - x.length)[0] ?? '';

    /**
     * Rewinds a run to "the worker stored the message and its unsent reply and died before any
     * recorded write" (no progress, the reply without its wamid, the lease of a dead worker) and
     * waits for another claim to finish the event.
     */
    async function resumeAfterDeath(run: Awaited<ReturnType<typeof answered>>) {
      await messages().updateOne(
        { _id: run.reply._id },
        { $set: { deliveryStatus: 'pending' }, $unset: { externalMessageId: '' } },
      );
      await inbox().updateOne(
        { externalId: run.sent.wamid },
        {
          $set: {
            state: 'processing',
            workerId: 'dead-worker',
            leaseUntil: leaseRanOut(),
            processedAt: null,
          },
          $unset: { progress: '' },
        },
      );
      await waitFor(
        'the takeover',
        async () =>
          (await inbox().findOne({
            externalId: run.sent.wamid,
            state: 'done',
            workerId: { $ne: 'dead-worker' },
          })) ?? undefined,
      );
    }

    async function expectFindableAndAnnounced(
      run: Awaited<ReturnType<typeof answered>>,
      words: string[],
    ): Promise<void> {
      for (const q of words) expect(await found(q)).toContain(run.conversationId);
      // The reply's word with the customer's own (every answered thread may share the reply's
      // word, more than a page of them): both are terms of this thread.
      expect(await found(`${words[0]} ${wordOf(String(run.reply.content))}`)).toEqual([
        run.conversationId,
      ]);
      const announced = await events()
        .find({ type: 'message', conversationId: run.conversationId })
        .toArray();
      expect(announced.map((e) => e.messageId)).toEqual(
        expect.arrayContaining([String(run.said._id), String(run.reply._id)]),
      );
    }

    it('makes a message and its reply findable by their words and the contact by name, and announces both, after one run', async () => {
      const run = await answered(newCustomer(), 'Rigoberta Xilófono', 'busco zarzaparrilla');
      await expectFindableAndAnnounced(run, ['zarzaparrilla', 'rigoberta', 'xilofono']);
    });

    it('indexes and announces the message and the reply again when the run died before its batch went out', async () => {
      const customer = newCustomer();
      const run = await answered(customer, 'Eustaquia Mandolina', 'quiero tamarindo');
      // Rewind to "the worker stored the message and its reply and died before its first
      // recorded write": the terms and events of the run never went out, and nothing of its
      // progress was recorded (it waits for that write too).
      const conversationId = new ObjectId(run.conversationId);
      await terms().deleteMany({ conversationId });
      await events().deleteMany({ conversationId: run.conversationId });
      expect(await found('tamarindo')).toEqual([]);
      expect(await found('eustaquia')).toEqual([]);
      await resumeAfterDeath(run);
      await expectFindableAndAnnounced(run, ['tamarindo', 'eustaquia', 'mandolina']);
      // The same message and reply, counted once: the resumed run stored nothing twice.
      const thread = await threadOf(customer);
      expect(thread.map((m) => String(m._id))).toEqual([
        String(run.said._id),
        String(run.reply._id),
      ]);
      expect((await conversationOf(customer)).messageCount).toBe(2);
    });

    // The run counts its messages with its batch, recording itself on the conversation: a
    // resumed run counts what the dead one did not, whichever part of the counts went out.
    it.each([
      ['none of the counts', 0],
      ["only the customer's message (a model's turn flushes before it thinks)", 1],
      ['both', 2],
    ])(
      'counts the message and the reply once when the run died after counting %s',
      async (_what, countedBefore) => {
        const customer = newCustomer();
        const run = await answered(customer, 'Eulalia Contadora', 'cuenta bien');
        const counted = await conversationOf(customer);
        expect(counted).toMatchObject({ messageCount: 2, customerMessageCount: 1 });
        const conversationId = new ObjectId(run.conversationId);
        const ids = [String(run.said._id), String(run.reply._id)].slice(0, countedBefore);
        await conversations().updateOne(
          { _id: conversationId },
          {
            $set: {
              messageCount: countedBefore,
              customerMessageCount: Math.min(countedBefore, 1),
              ...(countedBefore > 0 ? { countedIds: ids.join(',') } : {}),
            },
            ...(countedBefore === 0 ? { $unset: { countedBy: '', countedIds: '' } } : {}),
          },
        );
        await resumeAfterDeath(run);
        // The stored reply was sent, not a second one.
        const thread = await threadOf(customer);
        expect(thread.map((m) => String(m._id))).toEqual([
          String(run.said._id),
          String(run.reply._id),
        ]);
        expect(await conversationOf(customer)).toMatchObject({
          messageCount: 2,
          customerMessageCount: 1,
          lastMessagePreview: counted.lastMessagePreview,
          lastMessageAt: counted.lastMessageAt,
          lastCustomerMessageAt: counted.lastCustomerMessageAt,
        });
      },
    );
  });

  describe('admin inbox', () => {
    it('lists dead events of the workspace and replays one', async () => {
      const customer = newCustomer();
      await worker().stop();
      let wamid: string;
      try {
        wamid = (
          await fake.sendInboundMessage({
            webhookUrl,
            appSecret: A.appSecret,
            phoneNumberId: A.phoneNumberId,
            from: customer,
            text: 'hola',
          })
        ).wamid;
        await inbox().updateOne(
          { externalId: wamid },
          { $set: { state: 'dead', attempts: 4, lastError: 'Error: boom' } },
        );
      } finally {
        worker().start();
      }
      const list = await ws.admin.get('/api/v1/admin/inbox?state=dead').expect(200);
      const item = (list.body as InboxListResponse).items.find((i) => i.externalId === wamid);
      expect(item).toMatchObject({ kind: 'message', state: 'dead', lastError: 'Error: boom' });
      expect(JSON.stringify(list.body)).not.toContain(customer);
      const otherList = await other.admin.get('/api/v1/admin/inbox?state=dead').expect(200);
      expect(
        (otherList.body as InboxListResponse).items.find((i) => i.externalId === wamid),
      ).toBeUndefined();
      await ws.agent.get('/api/v1/admin/inbox').expect(403);
      await other.admin.post(`/api/v1/admin/inbox/${item?.id}/replay`).expect(404);
      await ws.admin.get('/api/v1/admin/inbox?state=nope').expect(400);
      await ws.admin.post(`/api/v1/admin/inbox/${item?.id}/replay`).expect(200);
      await waitFor('the replayed reply', () => textsTo(customer).length === 1);
      await ws.admin.post(`/api/v1/admin/inbox/${item?.id}/replay`).expect(409);
    });

    const worker = () => t.app.get(InboxWorker);
  });

  describe('credentials', () => {
    it("answers a user's retry that Meta refuses for the account (131031) with 422 ACCOUNT_RESTRICTED and marks the integration", async () => {
      const customer = newCustomer();
      fake.failNext('messages', 2, { code: 131026 });
      const reply = await failedReplyTo(customer);
      const before = await ws.admin.get(`/api/v1/integrations/${integrationA}`).expect(200);
      expect(before.body).toMatchObject({ status: 'connected' });
      fake.failNext('messages', 1, { code: 131031, details: 'Business account locked' });
      const res = await ws.admin.post(`/api/v1/messages/${String(reply._id)}/retry`).expect(422);
      expect(res.body).toMatchObject({ error: 'ACCOUNT_RESTRICTED' });
      const after = await ws.admin.get(`/api/v1/integrations/${integrationA}`).expect(200);
      expect(after.body).toMatchObject({ status: 'error', errorType: 'ACCOUNT_RESTRICTED' });
    });

    it('sets the integration to error when Meta says the token is invalid (190)', async () => {
      const customer = newCustomer();
      fake.failNext('messages', 2, { code: 190, message: 'Error validating access token' });
      const reply = await failedReplyTo(customer);
      expect(reply).toMatchObject({ errorCode: 190, errorType: 'INVALID_CREDENTIALS' });
      const res = await ws.admin.get(`/api/v1/integrations/${integrationA}`).expect(200);
      expect(res.body).toMatchObject({ status: 'error', errorType: 'INVALID_CREDENTIALS' });
      // The stored detail is Meta's own words, not the client's "messages: Graph API error 190 …".
      const row = await t.connection
        .collection('integrations')
        .findOne({ _id: new ObjectId(integrationA) });
      expect(row?.errorDetail).toBe('Error validating access token');
    });

    // The store rewrites a whole document per update: an activity write that read the integration
    // before a credential error was recorded used to write the old errorType back.
    it('keeps the credential error recorded while webhook and send activity is written at the same time', async () => {
      const status = t.app.get(IntegrationStatusService);
      const repo = t.app.get(IntegrationsRepository, { strict: false });
      const ref = { id: integrationA, workspaceId: ws.workspaceId };
      const errors: IntegrationErrorType[] = ['ACCOUNT_RESTRICTED', 'INVALID_CREDENTIALS'];
      // Enough open connections that the writes below really run side by side in the database.
      await Promise.all(
        Array.from({ length: 50 }, () => t.connection.collection('integrations').findOne({})),
      );
      for (let round = 0; round < 12; round++) {
        const errorType = errors[round % 2] ?? 'INVALID_CREDENTIALS';
        const at = new Date();
        const touches = Array.from({ length: 40 }, (_, i) =>
          repo.touchActivity(ws.workspaceId, integrationA, {
            lastActivity: at,
            ...(i % 2 === 0 ? { lastWebhookAt: at } : { lastSendOkAt: at }),
          }),
        );
        await Promise.all([
          ...touches.slice(0, 20),
          status.markCredentialError(ref, errorType, `round ${round}`),
          ...touches.slice(20),
        ]);
        const res = await ws.admin.get(`/api/v1/integrations/${integrationA}`).expect(200);
        expect(res.body).toMatchObject({
          status: 'error',
          errorType,
          lastActivity: at.toISOString(),
        });
      }
    });
  });
});
