import http from 'node:http';
import type {
  AuditPage,
  ConversationCounts,
  ConversationListItem,
  ConversationView,
  CursorPage,
  MessagePage,
  MessageView,
  PublicChatPollResponse,
  PublicChatResponse,
} from '@conecta/contracts';
import { signPayload } from '@conecta/graph-client';
import {
  FakeGraphApi,
  WEBHOOK_KINDS,
  buildInboundTextWebhook,
  metaJsonStringify,
  newWamid,
} from '@conecta/graph-client/testing';
import request from 'supertest';
import { ChatbotsService } from '../src/chatbots/chatbots.service';
import { seedWorkspace, type SeededWorkspace } from './support/auth';
import { startTestApp, TestClock, type TestApp } from './support/test-app';
import { connectNumber, waitFor, webhookTestEnv, type FakeNumber } from './support/whatsapp';

const A: FakeNumber = {
  wabaId: '102290129341401',
  phoneNumberId: '106540352241401',
  token: 'EAAAgentsTokenA00000000000000000000001',
  appSecret: 'a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1',
};
const B: FakeNumber = {
  wabaId: '102290129341402',
  phoneNumberId: '106540352241402',
  token: 'EAAAgentsTokenB00000000000000000000002',
  appSecret: 'b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2',
};
const MINUTE = 60_000;

let customerSeq = 0;
const newCustomer = (): string => `3470000${String(++customerSeq).padStart(4, '0')}`;

describe('Agents in the loop (handoff, agent replies, states) with the fake Graph API as Meta', () => {
  const fake = new FakeGraphApi();
  const clock = new TestClock();
  let t: TestApp;
  let ws: SeededWorkspace;
  let other: SeededWorkspace;
  let baseUrl: string;

  beforeAll(async () => {
    const graphUrl = await fake.start();
    t = await startTestApp('agents', {
      clock,
      env: webhookTestEnv(graphUrl, {
        WEBHOOK_BURST_WINDOW_MS: '0',
        INBOX_RETRY_BASE_MS: '30',
        PUBLIC_CHAT_RATE_LIMIT_PER_MINUTE: '1000',
      }),
    });
    await t.app.listen(0, '127.0.0.1');
    baseUrl = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    ws = await seedWorkspace(t, { name: 'Tienda A' });
    other = await seedWorkspace(t, { name: 'Tienda B' });
    await connectNumber(fake, ws, A);
    await connectNumber(fake, other, B);
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

  const inbox = () => t.connection.collection('whatsapp_inbox');
  const conversations = () => t.connection.collection('conversations');
  const api = () => request(t.app.getHttpServer());
  const textsTo = (customer: string): string[] =>
    fake
      .sentMessages()
      .filter((m) => m.type === 'text' && m.to === `+${customer}`)
      .map((m) => String((m.payload.text as { body: string }).body));

  /** The customer writes; answers once the inbox has finished the message (nothing more will be sent for it). */
  async function customerSays(customer: string, text: string, timestamp?: string): Promise<void> {
    const wamid = newWamid();
    const body = metaJsonStringify(
      buildInboundTextWebhook({
        wabaId: A.wabaId,
        phoneNumberId: A.phoneNumberId,
        from: customer,
        text,
        wamid,
        ...(timestamp ? { timestamp } : {}),
      }),
    );
    await postSigned(body);
    await settled(`m:${wamid}`);
  }

  function postSigned(body: string) {
    return api()
      .post('/api/whatsapp/webhook')
      .set('content-type', 'application/json')
      .set('x-hub-signature-256', signPayload(body, A.appSecret))
      .send(body)
      .expect(200);
  }

  async function settled(key: string) {
    return waitFor(`inbox event ${key} to settle`, async () => {
      const doc = await inbox().findOne({ key });
      return doc && !['pending', 'processing'].includes(doc.state as string) ? doc : undefined;
    });
  }

  async function conversationIdOf(customer: string): Promise<string> {
    const c = await conversations().findOne({ visitorId: customer });
    if (!c) throw new Error(`no conversation for ${customer}`);
    return c._id.toHexString();
  }

  const view = async (id: string, as = ws.agent): Promise<ConversationView> =>
    (await as.get(`/api/v1/conversations/${id}`).expect(200)).body as ConversationView;

  async function agentSends(id: string, content: string, key?: string): Promise<MessageView> {
    const req = ws.agent.post(`/api/v1/conversations/${id}/messages`, { content });
    if (key) req.set('Idempotency-Key', key);
    return (await req.expect(201)).body as MessageView;
  }

  /** Waits for the agent's message to be sent and Meta's statuses to reach `read`. */
  async function delivered(message: MessageView): Promise<void> {
    await settled(`a:${message.id}`);
    await waitFor(`message ${message.id} read`, async () => {
      const doc = await t.connection.collection('messages').findOne({ content: message.content });
      return doc?.deliveryStatus === 'read' ? true : undefined;
    });
  }

  describe('handoff', () => {
    it('hands off on a keyword: pending, bot paused, the handoff message sent, and no bot reply to the next message', async () => {
      const customer = newCustomer();
      await customerSays(customer, 'Hola');
      expect(textsTo(customer)).toEqual(['¡Hola! Soy el asistente.']);

      await customerSays(customer, 'Quiero hablar con un ÁSESOR por favor');
      const id = await conversationIdOf(customer);
      const c = await view(id);
      expect(c.status).toBe('pending');
      expect(c.bot).toEqual({ state: 'paused', pausedUntil: null });
      const chatbot = await t.app.get(ChatbotsService).get(ws.workspaceId, ws.chatbotId);
      expect(textsTo(customer)).toEqual(['¡Hola! Soy el asistente.', chatbot.handoff.message]);

      await customerSays(customer, '¿Hay alguien?');
      expect(textsTo(customer)).toHaveLength(2);
      const thread = (await ws.agent.get(`/api/v1/conversations/${id}/messages`).expect(200))
        .body as MessagePage;
      // Customer messages carry Meta's time (whole seconds): count senders, not their order.
      expect(thread.items.map((m) => m.sender).sort()).toEqual([
        'bot',
        'bot',
        'customer',
        'customer',
        'customer',
      ]);

      const pending = (
        await ws.agent.get('/api/v1/conversations?status=pending&assignee=unassigned').expect(200)
      ).body as CursorPage<ConversationListItem>;
      expect(pending.items.map((i) => i.id)).toContain(id);
      const counts = (await ws.agent.get('/api/v1/conversations/counts').expect(200))
        .body as ConversationCounts;
      expect(counts.states.pending).toBeGreaterThanOrEqual(1);
      expect(counts.waiting).toBeGreaterThanOrEqual(1);

      const audit = await t.connection
        .collection('audit_log')
        .findOne({ action: 'conversation.handoff', 'target.id': id });
      expect(audit?.metadata).toMatchObject({ trigger: 'keyword', status: 'pending' });
    });

    it('pauses the bot when the owner writes from the WhatsApp Business app (smb_message_echoes)', async () => {
      const customer = newCustomer();
      await customerSays(customer, 'Hola');
      const echo = WEBHOOK_KINDS.messageEcho(A, customer, 'Te atiendo yo');
      await postSigned(metaJsonStringify(echo));
      const wamid = (echo.entry[0].changes[0].value as { message_echoes: { id: string }[] })
        .message_echoes[0].id;
      await settled(`m:${wamid}`);
      const c = await view(await conversationIdOf(customer));
      expect(c.bot.state).toBe('paused');
      await customerSays(customer, 'Gracias');
      expect(textsTo(customer)).toHaveLength(1);
    });
  });

  describe('POST /api/v1/conversations/:id/messages', () => {
    it("delivers an agent's reply once, with Meta's statuses, named in the thread; the bot pauses and the agent is assigned", async () => {
      const customer = newCustomer();
      await customerSays(customer, 'Hola');
      const id = await conversationIdOf(customer);
      const sent = await agentSends(id, 'Hola, soy Ana del equipo');
      expect(sent).toMatchObject({ sender: 'agent', deliveryStatus: 'pending' });
      expect(sent.authorName).toMatch(/^Agent /);
      await delivered(sent);
      expect(textsTo(customer).filter((x) => x === 'Hola, soy Ana del equipo')).toHaveLength(1);

      const c = await view(id);
      expect(c.assigneeId).toBe(ws.agent.userId);
      expect(c.bot.state).toBe('paused');
      expect(c.bot.pausedUntil).toBe(new Date(clock.now().getTime() + 30 * MINUTE).toISOString());
      const thread = (await ws.admin.get(`/api/v1/conversations/${id}/messages`).expect(200))
        .body as MessagePage;
      const mine = thread.items.find((m) => m.id === sent.id);
      expect(mine).toMatchObject({ sender: 'agent', deliveryStatus: 'read' });
      expect(
        await t.connection
          .collection('audit_log')
          .countDocuments({ action: 'message.send', 'target.id': id }),
      ).toBe(1);
    });

    it('stores and sends once for a retried request with the same Idempotency-Key', async () => {
      const customer = newCustomer();
      await customerSays(customer, 'Hola');
      const id = await conversationIdOf(customer);
      const [first, second] = await Promise.all([
        agentSends(id, 'Su pedido sale hoy', 'retry-key-1'),
        agentSends(id, 'Su pedido sale hoy', 'retry-key-1'),
      ]);
      expect(second.id).toBe(first.id);
      const third = await agentSends(id, 'Su pedido sale hoy', 'retry-key-1');
      expect(third.id).toBe(first.id);
      await delivered(first);
      expect(textsTo(customer).filter((x) => x === 'Su pedido sale hoy')).toHaveLength(1);
      expect(
        await t.connection.collection('messages').countDocuments({ content: 'Su pedido sale hoy' }),
      ).toBe(1);
      const reused = await ws.agent
        .post(`/api/v1/conversations/${id}/messages`, { content: 'Otra cosa' })
        .set('Idempotency-Key', 'retry-key-1')
        .expect(409);
      expect(reused.body.details).toEqual({ reason: 'IDEMPOTENCY_KEY_REUSED' });
    });

    it('refuses text over 4096 characters with a typed error, sending nothing', async () => {
      const customer = newCustomer();
      await customerSays(customer, 'Hola');
      const id = await conversationIdOf(customer);
      const res = await ws.agent
        .post(`/api/v1/conversations/${id}/messages`, { content: 'x'.repeat(4097) })
        .expect(400);
      expect(res.body.error).toBe('VALIDATION_FAILED');
      expect(res.body.details.fields).toEqual([
        expect.objectContaining({ field: 'content', code: 'maxLength' }),
      ]);
      expect(textsTo(customer)).toHaveLength(1);
    });

    it('refuses a WhatsApp send outside the 24-hour window with OUTSIDE_CUSTOMER_SERVICE_WINDOW and exposes its end', async () => {
      const customer = newCustomer();
      const longAgo = Math.floor((clock.now().getTime() - 25 * 3600_000) / 1000);
      await customerSays(customer, 'Hola', String(longAgo));
      const id = await conversationIdOf(customer);
      const c = await view(id);
      expect(c.windowEndsAt).toBe(new Date((longAgo + 24 * 3600) * 1000).toISOString());
      const res = await ws.agent
        .post(`/api/v1/conversations/${id}/messages`, { content: 'Hola' })
        .expect(422);
      expect(res.body.details).toMatchObject({ reason: 'OUTSIDE_CUSTOMER_SERVICE_WINDOW' });
      expect(
        await t.connection
          .collection('messages')
          .countDocuments({ authorUserId: ws.agent.userId, content: 'Hola' }),
      ).toBe(0);
    });

    it("computes the window from Meta's time of a late-delivered message: written 23 h 50 min ago, it ends 10 min after delivery, not 24 h", async () => {
      const customer = newCustomer();
      const written = Math.floor(clock.now().getTime() / 1000) - (23 * 3600 + 50 * 60);
      await customerSays(customer, 'Hola', String(written));
      const id = await conversationIdOf(customer);
      expect((await view(id)).windowEndsAt).toBe(
        new Date((written + 24 * 3600) * 1000).toISOString(),
      );
      // Open now: the agent's message goes out.
      const sent = await agentSends(id, 'Aquí estoy');
      await settled(`a:${sent.id}`);
      expect(textsTo(customer)).toContain('Aquí estoy');
      // 11 minutes later it is closed.
      clock.advance(11 * 60_000);
      const res = await ws.agent
        .post(`/api/v1/conversations/${id}/messages`, { content: 'Sigo aquí' })
        .expect(422);
      expect(res.body.details).toMatchObject({ reason: 'OUTSIDE_CUSTOMER_SERVICE_WINDOW' });
    });

    it('resumes the bot after the idle time by the injected clock, not before', async () => {
      const customer = newCustomer();
      await customerSays(customer, 'Hola');
      const id = await conversationIdOf(customer);
      await delivered(await agentSends(id, 'Te ayudo yo'));
      await customerSays(customer, '¿Y el horario?');
      expect(textsTo(customer)).toHaveLength(2);

      clock.advance(31 * MINUTE);
      expect((await view(id)).bot.state).toBe('active');
      await customerSays(customer, '¿Cuál es el horario?');
      expect(textsTo(customer)).toEqual([
        '¡Hola! Soy el asistente.',
        'Te ayudo yo',
        'Abrimos de 9 a 18.',
      ]);
      expect((await view(id)).status).toBe('open');
    });

    it("gives a web visitor the agent's reply on their next poll; the bot stays silent meanwhile", async () => {
      const chatbot = await t.app.get(ChatbotsService).get(ws.workspaceId, ws.chatbotId);
      const path = `/api/v1/public/chatbots/${chatbot.publicId}/messages`;
      const started = new Date().toISOString();
      const first = (await api().post(path).send({ content: 'Hola' }).expect(200))
        .body as PublicChatResponse;
      const c = await conversations().findOne({ sessionId: first.sessionId });
      const id = c?._id.toHexString() ?? '';
      await ws.agent.post(`/api/v1/conversations/${id}/take`).expect(200);
      const sent = await agentSends(id, 'Soy Ana, te leo');
      expect(sent.deliveryStatus).toBeNull();
      const poll = (
        await api().get(path).query({ sessionId: first.sessionId, after: started }).expect(200)
      ).body as PublicChatPollResponse;
      expect(poll.items.map((i) => i.content)).toEqual(['Soy Ana, te leo']);
      const next = (
        await api().post(path).send({ sessionId: first.sessionId, content: 'Gracias' }).expect(200)
      ).body as PublicChatResponse;
      expect(next.reply).toBeNull();
    });
  });

  describe('states, assignees and unread', () => {
    it('reopens a closed conversation on a new customer message and shows it unread', async () => {
      const customer = newCustomer();
      await customerSays(customer, 'Hola');
      const id = await conversationIdOf(customer);
      await ws.agent.get(`/api/v1/conversations/${id}/messages`).expect(200);
      expect((await view(id)).unreadCount).toBe(0);
      expect(
        (await ws.agent.post(`/api/v1/conversations/${id}/close`).expect(200)).body,
      ).toMatchObject({
        status: 'closed',
      });
      await customerSays(customer, 'Otra pregunta: horario');
      const c = await view(id);
      expect(c.status).toBe('open');
      expect(c.unreadCount).toBe(1);
      expect((await view(id, ws.admin)).unreadCount).toBe(2);
      expect(textsTo(customer)).toEqual(['¡Hola! Soy el asistente.', 'Abrimos de 9 a 18.']);
    });

    it('takes, assigns, filters by assignee and reopens; each change audited', async () => {
      const customer = newCustomer();
      await customerSays(customer, 'Hola');
      const id = await conversationIdOf(customer);
      const taken = (await ws.agent.post(`/api/v1/conversations/${id}/take`).expect(200))
        .body as ConversationView;
      expect(taken).toMatchObject({ assigneeId: ws.agent.userId, bot: { state: 'paused' } });
      const mine = (await ws.agent.get('/api/v1/conversations?assignee=mine').expect(200))
        .body as CursorPage<ConversationListItem>;
      expect(mine.items.map((i) => i.id)).toContain(id);
      const adminsOwn = (await ws.admin.get('/api/v1/conversations?assignee=mine').expect(200))
        .body as CursorPage<ConversationListItem>;
      expect(adminsOwn.items.map((i) => i.id)).not.toContain(id);

      await ws.admin
        .post(`/api/v1/conversations/${id}/assign`, { userId: ws.admin.userId })
        .expect(200);
      expect((await view(id)).assigneeId).toBe(ws.admin.userId);
      await ws.admin.post(`/api/v1/conversations/${id}/assign`, { userId: null }).expect(200);
      expect((await view(id)).assigneeId).toBeNull();

      await ws.agent.put(`/api/v1/conversations/${id}/bot`, { state: 'active' }).expect(200);
      expect((await view(id)).bot.state).toBe('active');
      const actions = await t.connection
        .collection('audit_log')
        .find({ 'target.id': id })
        .map((d) => d.action as string)
        .toArray();
      expect(actions).toEqual(
        expect.arrayContaining(['conversation.take', 'conversation.assign', 'conversation.bot']),
      );
      // The audit log names the conversation as the list does (contact name, else masked phone).
      const shown = await view(id);
      const log = (await ws.admin.get('/api/v1/audit-log').expect(200)).body as AuditPage;
      const take = log.items.find((e) => e.action === 'conversation.take' && e.target?.id === id);
      expect(take?.target).toEqual({
        type: 'conversation',
        id,
        name: shown.contactName ?? shown.maskedPhone,
      });
      expect(take?.target?.name).toEqual(expect.any(String));
    });

    it("keeps an agent out of another workspace's conversations and users", async () => {
      const customer = newCustomer();
      await customerSays(customer, 'Hola');
      const id = await conversationIdOf(customer);
      await other.agent.get(`/api/v1/conversations/${id}`).expect(404);
      await other.agent.get(`/api/v1/conversations/${id}/messages`).expect(404);
      await other.agent.post(`/api/v1/conversations/${id}/take`).expect(404);
      await other.agent
        .post(`/api/v1/conversations/${id}/messages`, { content: 'hola' })
        .expect(404);
      const list = (await other.agent.get('/api/v1/conversations').expect(200))
        .body as CursorPage<ConversationListItem>;
      expect(list.items.map((i) => i.id)).not.toContain(id);
      const assignees = (await other.agent.get('/api/v1/conversations/assignees').expect(200))
        .body as { id: string }[];
      expect(assignees.map((u) => u.id)).not.toContain(ws.agent.userId);
      const res = await ws.admin
        .post(`/api/v1/conversations/${id}/assign`, { userId: other.agent.userId })
        .expect(409);
      expect(res.body.details).toEqual({ reason: 'UNKNOWN_ASSIGNEE' });
      await other.agent.get('/api/v1/users').expect(403);
    });

    it('refuses an agent API key that tries to create keys', async () => {
      const created = await request(t.app.getHttpServer())
        .post('/api/v1/api-keys')
        .set('Authorization', `Bearer ${ws.apiKey}`)
        .send({ name: 'agent key', role: 'agent' })
        .expect(201);
      const agentKey = (created.body as { key: string }).key;
      await request(t.app.getHttpServer())
        .post('/api/v1/api-keys')
        .set('Authorization', `Bearer ${agentKey}`)
        .send({ name: 'escalated', role: 'admin' })
        .expect(403);
    });
  });

  describe('GET /api/v1/events', () => {
    it("streams the workspace's new messages to a signed-in user, and nothing of another workspace", async () => {
      const customer = newCustomer();
      await customerSays(customer, 'Hola');
      const id = await conversationIdOf(customer);
      let received = '';
      let otherReceived = '';
      const open = (cookie: string, sink: (chunk: string) => void) =>
        new Promise<http.ClientRequest>((resolve, reject) => {
          const req = http.get(`${baseUrl}/api/v1/events`, { headers: { cookie } }, (res) => {
            expect(res.statusCode).toBe(200);
            expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
            res.setEncoding('utf8');
            res.on('data', sink);
            resolve(req);
          });
          req.on('error', reject);
        });
      const mine = await open(ws.agent.cookie, (chunk) => (received += chunk));
      const theirs = await open(other.agent.cookie, (chunk) => (otherReceived += chunk));
      try {
        await customerSays(customer, '¿Siguen ahí?');
        await waitFor('the message event', () =>
          received.includes(`"conversationId":"${id}"`) && received.includes('event: message')
            ? true
            : undefined,
        );
        expect(otherReceived).not.toContain(id);
      } finally {
        mine.destroy();
        theirs.destroy();
      }
      await api().get('/api/v1/events').set('Authorization', `Bearer ${ws.apiKey}`).expect(403);
    });

    it('refuses query parameters with 400 instead of opening a stream (the abuse scenario waited forever)', async () => {
      const res = await ws.admin.get('/api/v1/events?__proto__[polluted]=1&$where=1').expect(400);
      expect(res.body).toMatchObject({ error: 'VALIDATION_FAILED' });
    });
  });
});
