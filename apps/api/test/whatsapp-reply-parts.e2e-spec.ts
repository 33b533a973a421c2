import type { MessagePage } from '@conecta/contracts';
import { signPayload } from '@conecta/graph-client';
import {
  FakeGraphApi,
  buildStatusWebhook,
  metaJsonStringify,
  type MetaWebhookPayload,
} from '@conecta/graph-client/testing';
import { ObjectId } from 'mongodb';
import request from 'supertest';
import type { DeliveryUpdateStatus } from '../src/conversations/conversation.types';
import { ConversationsService } from '../src/conversations/conversations.service';
import { MessagePartsService } from '../src/conversations/message-parts.service';
import { IntegrationRouting } from '../src/integrations/integration-routing.service';
import { OutboundService } from '../src/whatsapp-webhook/outbound.service';
import { seedWorkspace, type SeededWorkspace } from './support/auth';
import { startTestApp, type TestApp } from './support/test-app';
import { connectNumber, waitFor, webhookTestEnv, type FakeNumber } from './support/whatsapp';

const N: FakeNumber = {
  wabaId: '102290129345555',
  phoneNumberId: '106540352245555',
  token: 'EAAPartsToken0000000000000000000000001',
  appSecret: 'e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5',
};
/** Three WhatsApp parts: each paragraph is near the 4,096-character limit. */
const LONG_REPLY = ['a', 'b', 'c'].map((c) => `${c.repeat(3000)}.`).join('\n\n');

let customerSeq = 0;
const newCustomer = (): string => `3462000${String(++customerSeq).padStart(4, '0')}`;

describe('split replies: every part tracked by its own wamid (issue 13 §4)', () => {
  const fake = new FakeGraphApi();
  let t: TestApp;
  let ws: SeededWorkspace;

  beforeAll(async () => {
    const baseUrl = await fake.start();
    t = await startTestApp('whatsapp_reply_parts', {
      env: webhookTestEnv(baseUrl, { WEBHOOK_BURST_WINDOW_MS: '0', INBOX_RETRY_BASE_MS: '20' }),
    });
    ws = await seedWorkspace(t);
    await connectNumber(fake, ws, N);
  });

  afterAll(async () => {
    await fake.stop();
    await t?.close();
  });

  const messages = () => t.connection.collection('messages');
  const inbox = () => t.connection.collection('whatsapp_inbox');

  /** Stores a three-part bot reply in a new thread and sends it through THE send path. */
  async function sendLongReply(): Promise<{
    conversationId: string;
    messageId: string;
    outcome: Awaited<ReturnType<OutboundService['sendReply']>>;
  }> {
    const conversations = t.app.get(ConversationsService);
    const customer = newCustomer();
    const conversation = await conversations.findOrCreate({
      workspaceId: ws.workspaceId,
      chatbotId: ws.chatbotId,
      channel: 'whatsapp',
      sessionId: `${N.phoneNumberId}:${customer}`,
      visitorId: customer,
      contact: { phone: customer },
    });
    // The customer wrote first: a free-form reply is sent only inside the 24-hour window.
    await conversations.addMessage(
      {
        workspaceId: ws.workspaceId,
        conversationId: conversation.id,
        role: 'user',
        channel: 'whatsapp',
        content: 'Hola',
      },
      conversation,
    );
    const reply = await conversations.addMessage(
      {
        workspaceId: ws.workspaceId,
        conversationId: conversation.id,
        role: 'assistant',
        channel: 'whatsapp',
        content: LONG_REPLY,
        deliveryStatus: 'pending',
      },
      conversation,
    );
    const integration = await t.app
      .get(IntegrationRouting)
      .findActiveByPhoneNumberId(N.phoneNumberId);
    if (!integration) throw new Error('no integration');
    const outcome = await t.app.get(OutboundService).sendReply({
      integration,
      message: reply,
      recipient: { phone: customer },
      sentParts: [],
      mayRetry: false,
      retries: 0,
      log: {},
    });
    return { conversationId: conversation.id, messageId: reply.id, outcome };
  }

  function status(
    wamid: string,
    s: DeliveryUpdateStatus,
    errors?: { code: number; details: string }[],
  ): MetaWebhookPayload {
    return buildStatusWebhook({
      wabaId: N.wabaId,
      phoneNumberId: N.phoneNumberId,
      wamid,
      status: s,
      recipientId: '34620000000',
      ...(errors ? { errors } : {}),
    });
  }

  /** Delivers statuses as Meta may: several in one POST, processed by concurrent workers. */
  async function deliver(...payloads: MetaWebhookPayload[]): Promise<void> {
    const body = metaJsonStringify({
      object: 'whatsapp_business_account',
      entry: payloads.flatMap((p) => p.entry),
    });
    await request(t.app.getHttpServer())
      .post('/api/whatsapp/webhook')
      .set('content-type', 'application/json')
      .set('x-hub-signature-256', signPayload(body, N.appSecret))
      .send(body)
      .expect(200);
    await waitFor('every status to be processed', async () =>
      (await inbox().countDocuments({
        kind: 'status',
        state: { $in: ['pending', 'processing'] },
      })) === 0
        ? true
        : undefined,
    );
  }

  const shown = (messageId: string) => messages().findOne({ _id: new ObjectId(messageId) });

  it('sends three parts and records each with its own wamid', async () => {
    const { messageId, outcome } = await sendLongReply();
    expect(outcome.state).toBe('sent');
    if (outcome.state !== 'sent') return;
    expect(outcome.wamids).toHaveLength(3);
    expect(new Set(outcome.wamids).size).toBe(3);
    const parts = await t.connection
      .collection('message_parts')
      .find({ messageId })
      .sort({ index: 1 })
      .toArray();
    expect(parts.map((p) => [p._id, p.index, p.count])).toEqual(
      outcome.wamids.map((w, i) => [w, i, 3]),
    );
    // Nothing reported yet: the reply waits for its parts.
    expect(await shown(messageId)).toMatchObject({ deliveryStatus: 'pending' });
  });

  it("shows part 2's failure on the reply with Meta's reason, even when parts 1 and 3 are delivered (was: delivered)", async () => {
    const { conversationId, messageId, outcome } = await sendLongReply();
    if (outcome.state !== 'sent') throw new Error('not sent');
    const [p1, p2, p3] = outcome.wamids as [string, string, string];
    await deliver(
      status(p1, 'delivered'),
      status(p2, 'failed', [{ code: 131049, details: 'Not delivered to maintain engagement' }]),
      status(p3, 'delivered'),
    );
    expect(await shown(messageId)).toMatchObject({
      deliveryStatus: 'failed',
      errorCode: 131049,
      errorReason: 'Not delivered to maintain engagement',
      failedPart: 1,
    });
    // A later read of another part does not hide the failure.
    await deliver(status(p3, 'read'));
    const page = (
      await ws.admin.get(`/api/v1/conversations/${conversationId}/messages`).expect(200)
    ).body as MessagePage;
    expect(page.items.find((m) => m.id === messageId)).toMatchObject({
      deliveryStatus: 'failed',
      failureCode: 131049,
      failureReason: 'Not delivered to maintain engagement',
      failedPart: 2,
    });
  });

  it('tells open dashboards (the workspace event stream) when a part status changes the reply (the demo thread stayed "Enviando")', async () => {
    const { conversationId, messageId, outcome } = await sendLongReply();
    if (outcome.state !== 'sent') throw new Error('not sent');
    const events = t.connection.collection('workspace_events');
    const statusEvents = () => events.countDocuments({ type: 'status', conversationId, messageId });
    expect(await statusEvents()).toBe(0);
    await deliver(status(outcome.wamids[0] as string, 'delivered'));
    expect(await statusEvents()).toBe(1);
    // A repeated status changes nothing and announces nothing.
    await deliver(status(outcome.wamids[0] as string, 'delivered'));
    expect(await statusEvents()).toBe(1);
  });

  it('shows the least advanced part: read + delivered + read is delivered; all read is read', async () => {
    const { messageId, outcome } = await sendLongReply();
    if (outcome.state !== 'sent') throw new Error('not sent');
    const [p1, p2, p3] = outcome.wamids as [string, string, string];
    await deliver(status(p1, 'read'), status(p2, 'delivered'), status(p3, 'read'));
    expect(await shown(messageId)).toMatchObject({ deliveryStatus: 'delivered' });
    // Meta skipped `delivered` for part 1 and 3: read implies it.
    await deliver(status(p2, 'read'));
    const doc = await shown(messageId);
    expect(doc).toMatchObject({ deliveryStatus: 'read' });
    expect(doc?.readAt).toBeInstanceOf(Date);
  });

  it('converges on the right status when every status of every part is applied at once, in any order', async () => {
    const parts = t.app.get(MessagePartsService);
    const scope = { workspaceId: ws.workspaceId, phoneNumberId: N.phoneNumberId };
    for (let round = 0; round < 3; round++) {
      const { messageId, outcome } = await sendLongReply();
      if (outcome.state !== 'sent') throw new Error('not sent');
      const at = new Date();
      const updates: [string, DeliveryUpdateStatus][] = outcome.wamids.flatMap((w, i) =>
        (i === 1 ? ['sent', 'delivered'] : ['sent', 'delivered', 'read']).map(
          (s) => [w, s] as [string, DeliveryUpdateStatus],
        ),
      );
      // A different interleaving each round: as listed, reversed, by status.
      if (round === 1) updates.reverse();
      if (round === 2) updates.sort((a, b) => a[1].localeCompare(b[1]));
      await Promise.all(updates.map(([w, s]) => parts.applyStatus(scope, w, s, { at })));
      expect(await shown(messageId)).toMatchObject({ deliveryStatus: 'delivered' });
    }
  });

  it('shows a part Meta refused when it was sent as the failed part, and a later status of part 1 does not hide it', async () => {
    // Part 1 is accepted, part 2 refused for good.
    fake.failNext('messages', 1, { delayMs: 0 });
    fake.failNext('messages', 1, { code: 131026, details: 'Message undeliverable' });
    const { messageId, outcome } = await sendLongReply();
    expect(outcome.state).toBe('failed');
    const part1 = await t.connection.collection('message_parts').findOne({ messageId, index: 0 });
    await deliver(status(String(part1?._id), 'read'));
    expect(await shown(messageId)).toMatchObject({
      deliveryStatus: 'failed',
      errorCode: 131026,
      errorReason: 'Message undeliverable',
      failedPart: 1,
    });
  });

  it("a user's retry of a reply whose part 2 failed sends parts 2 and 3 again, not part 1", async () => {
    fake.failNext('messages', 1, { delayMs: 0 });
    fake.failNext('messages', 1, { code: 131000, details: 'Something went wrong' });
    const { messageId, outcome } = await sendLongReply();
    expect(outcome.state).toBe('failed');
    const part1 = await t.connection.collection('message_parts').findOne({ messageId, index: 0 });
    await deliver(status(String(part1?._id), 'delivered'));
    const before = fake.sentMessages().length;
    const res = await ws.admin.post(`/api/v1/messages/${messageId}/retry`).expect(200);
    expect(res.body).toMatchObject({ deliveryStatus: 'pending', externalMessageId: part1?._id });
    const resent = fake.sentMessages().slice(before);
    expect(resent.map((m) => (m.payload as { text?: { body?: string } }).text?.body?.[0])).toEqual([
      'b',
      'c',
    ]);
    const parts = await t.connection
      .collection('message_parts')
      .find({ messageId })
      .sort({ index: 1 })
      .toArray();
    expect(parts.map((p) => p.index)).toEqual([0, 1, 2]);
    expect(parts[0]?._id).toBe(part1?._id);
    expect(String(parts[1]?._id)).not.toMatch(/^refused:/);
    expect(await shown(messageId)).toMatchObject({ deliveryStatus: 'pending' });
    expect((await shown(messageId))?.errorCode).toBeUndefined();
  });
});
