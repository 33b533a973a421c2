import { FakeGraphApi, buildStatusWebhook } from '@conecta/graph-client/testing';
import type { ObjectId } from 'mongodb';
import { InboxClock } from '../src/whatsapp-webhook/inbox-clock';
import { INTERRUPTED_SEND_WAIT_MS } from '../src/whatsapp-webhook/inbox.processor';
import { InboxWorker } from '../src/whatsapp-webhook/inbox.worker';
import { seedWorkspace, type SeededWorkspace } from './support/auth';
import { startTestApp, type TestApp } from './support/test-app';
import { connectNumber, waitFor, webhookTestEnv, type FakeNumber } from './support/whatsapp';

const A: FakeNumber = {
  wabaId: '102290129340555',
  phoneNumberId: '106540352242555',
  token: 'EAAExactlyOnceToken0000000000000000000001',
  appSecret: 'cccccccccccccccccccccccccccccccc',
};

let customerSeq = 0;
const newCustomer = (): string => `3470000${String(++customerSeq).padStart(4, '0')}`;

// A reply whose send may have reached Meta is never sent blindly again: the run records its intent
// before the call, and a run that finds the intent without an outcome waits for Meta's statuses of
// that send (tagged with the part) before deciding. The duplicate seen on an engine with atomic
// updates (501 replies for 500 messages) was a takeover resending what the first run had sent.
describe('exactly one reply per message when a send is interrupted', () => {
  const fake = new FakeGraphApi();
  let t: TestApp;
  let ws: SeededWorkspace;
  let webhookUrl: string;
  // The inbox clock stands ahead of the wall clock and moves only when a test moves it.
  let now = Date.now() + 60_000;

  beforeAll(async () => {
    const baseUrl = await fake.start();
    t = await startTestApp('whatsapp_exactly_once', {
      env: webhookTestEnv(baseUrl, {
        WEBHOOK_BURST_WINDOW_MS: '0',
        INBOX_CONCURRENCY: '2',
        INBOX_LEASE_MS: '2000',
        INBOX_RETRY_BASE_MS: '30',
      }),
    });
    jest.spyOn(t.app.get(InboxClock), 'now').mockImplementation(() => now);
    await t.app.listen(0, '127.0.0.1');
    webhookUrl = `${(await t.app.getUrl()).replace('[::1]', '127.0.0.1')}/api/whatsapp/webhook`;
    ws = await seedWorkspace(t, { name: 'Tienda única' });
    await connectNumber(fake, ws, A);
  });

  afterAll(async () => {
    await fake.stop();
    await t?.close();
  });

  beforeEach(() => fake.reset());

  const inbox = () => t.connection.collection('whatsapp_inbox');
  const messages = () => t.connection.collection('messages');
  const parts = () => t.connection.collection('message_parts');
  const textRequestsTo = (customer: string) =>
    fake
      .requestsTo('messages')
      .filter((r) => (r.body as { type?: string; to?: string }).type === 'text')
      .filter((r) => (r.body as { to?: string }).to === `+${customer}`);
  const acceptedTextsTo = (customer: string) =>
    fake.sentMessages().filter((m) => m.type === 'text' && m.to === `+${customer}`);

  const say = (customer: string, text: string) =>
    fake.sendInboundMessage({
      webhookUrl,
      appSecret: A.appSecret,
      phoneNumberId: A.phoneNumberId,
      from: customer,
      text,
    });
  const hola = (customer: string) => say(customer, 'hola');

  async function eventOf(wamid: string, state: string) {
    return waitFor(`the event ${state}`, () =>
      inbox()
        .findOne({ key: `m:${wamid}`, state })
        .then((d) => d ?? undefined),
    );
  }

  it('does not send again a reply Meta accepted when the run that sent it died before recording it; the tagged status records it', async () => {
    const customer = newCustomer();
    const inbound = await hola(customer);
    const done = await eventOf(inbound.wamid, 'done');
    const [first] = acceptedTextsTo(customer);
    if (!first) throw new Error('no reply');
    const replyId = String(done.progress.replyMessageId);
    // Rewind to "Meta accepted the send, then the run died": the intent is stored, the outcome
    // is not (no wamid on the reply, no part), and the claim's lease has run out.
    await messages().updateOne(
      { _id: (await messages().findOne({ externalMessageId: first.wamid }))?._id },
      { $set: { deliveryStatus: 'pending' }, $unset: { externalMessageId: '' } },
    );
    await parts().deleteMany({ messageId: replyId });
    await inbox().updateOne(
      { _id: done._id },
      {
        $set: {
          state: 'processing',
          workerId: 'dead-worker',
          leaseUntil: new Date(now - 1000),
          processedAt: null,
          'progress.sendingPart': 0,
          'progress.sendingSince': now,
          'progress.sentParts': [],
        },
      },
    );
    // The takeover finds the intent without an outcome: it waits instead of sending.
    const waiting = await waitFor('the takeover to wait', () =>
      inbox()
        .findOne({ _id: done._id, state: 'pending', claimSeq: done.claimSeq + 1 })
        .then((d) => d ?? undefined),
    );
    expect(waiting.runAt.getTime()).toBeGreaterThan(now);
    expect(textRequestsTo(customer)).toHaveLength(1);
    // Meta's status of that send arrives, tagged with the reply part.
    expect(first.payload.biz_opaque_callback_data).toBe(`conecta:reply:${replyId}:0`);
    await fake.sendWebhook(
      {
        webhookUrl,
        appSecret: A.appSecret,
        payload: buildStatusWebhook({
          wabaId: A.wabaId,
          phoneNumberId: A.phoneNumberId,
          wamid: first.wamid,
          status: 'sent',
          recipientId: customer,
          bizOpaqueCallbackData: `conecta:reply:${replyId}:0`,
        }),
      },
      'status',
    );
    await waitFor('the send recorded and its status applied', () =>
      messages()
        .findOne({ externalMessageId: first.wamid, deliveryStatus: 'sent' })
        .then((m) => m ?? undefined),
    );
    now = waiting.runAt.getTime() + 1;
    await waitFor('the event done', () =>
      inbox()
        .findOne({ _id: done._id, state: 'done' })
        .then((d) => d ?? undefined),
    );
    expect(textRequestsTo(customer)).toHaveLength(1);
    const reply = await messages().findOne({ externalMessageId: first.wamid });
    expect(String(reply?._id)).toBe(replyId);
    expect(reply?.deliveryStatus).toBe('sent');
  });

  it('sends an interrupted reply again once Meta has not confirmed it for INTERRUPTED_SEND_WAIT_MS', async () => {
    const customer = newCustomer();
    // The read receipt, then the reply: the connection drops after the request was written, so
    // whether Meta has the reply is unknown.
    fake.failNext('messages', 2, { drop: true });
    const inbound = await hola(customer);
    const retried = await waitFor('the dropped send', () =>
      inbox()
        .findOne({ key: `m:${inbound.wamid}`, state: 'pending', attempts: 1 })
        .then((d) => d ?? undefined),
    );
    expect(retried.progress).toMatchObject({ sendingPart: 0 });
    // Its retry is due: it waits for Meta's statuses of the dropped send rather than sending.
    now = retried.runAt.getTime() + 1;
    const waiting = await waitFor('the wait for Meta', () =>
      inbox()
        .findOne({ _id: retried._id, state: 'pending', claimSeq: retried.claimSeq + 1 })
        .then((d) => d ?? undefined),
    );
    expect(textRequestsTo(customer)).toHaveLength(1);
    expect(acceptedTextsTo(customer)).toHaveLength(0);
    // None came: past the wait, the reply counts as not sent and goes out once.
    now = retried.progress.sendingSince + INTERRUPTED_SEND_WAIT_MS + 1;
    expect(now).toBeGreaterThan(waiting.runAt.getTime());
    await eventOf(inbound.wamid, 'done');
    expect(textRequestsTo(customer)).toHaveLength(2);
    expect(acceptedTextsTo(customer)).toHaveLength(1);
  });

  describe('claims and queue order with the workers running', () => {
    const LEASE_MS = 2000;
    const claims = () =>
      t.connection.collection<{ _id: string; workerId: string; at: Date }>('whatsapp_inbox_claims');
    const worker = () => t.app.get(InboxWorker);
    const claimsOf = (id: ObjectId) =>
      claims()
        .find({ _id: { $regex: `^${String(id)}:` } })
        .toArray();

    /** The customer's messages, stored with the workers stopped, then `prepare` run on them. */
    async function storedWhileStopped(
      customer: string,
      texts: string[],
      prepare: (ids: ObjectId[]) => Promise<void>,
    ) {
      await worker().stop();
      try {
        const ids: ObjectId[] = [];
        for (const text of texts) {
          const { wamid } = await say(customer, text);
          const doc = await inbox().findOne({ key: `m:${wamid}` });
          if (!doc) throw new Error('not stored');
          ids.push(doc._id);
        }
        await prepare(ids);
        return ids;
      } finally {
        worker().start();
      }
    }

    /**
     * Another customer's message, stored after `ids`, answered: a poll that saw it saw the due
     * events among `ids` too, so whatever the workers were going to do with those, they did.
     */
    async function afterAPoll(): Promise<void> {
      const { wamid } = await hola(newCustomer());
      await eventOf(wamid, 'done');
    }

    /** The customer's thread in the order it was written. */
    async function threadOf(customer: string): Promise<string[]> {
      const conversation = await t.connection
        .collection('conversations')
        .findOne({ visitorId: customer });
      return (
        await messages().find({ conversationId: conversation?._id }).sort({ _id: 1 }).toArray()
      ).map((m) => (m.role === 'user' ? `user:${String(m.content)}` : 'reply'));
    }

    it('runs no later message of a customer while an older one waits for its retry, then both in order', async () => {
      const customer = newCustomer();
      const [first, second] = await storedWhileStopped(customer, ['uno', 'dos'], async ([id]) => {
        await inbox().updateOne({ _id: id }, { $set: { runAt: new Date(now + 60_000) } });
      });
      await afterAPoll();
      expect(await inbox().findOne({ _id: second })).toMatchObject({
        state: 'pending',
        claimSeq: 0,
      });
      expect(await claimsOf(second)).toHaveLength(0);
      expect(textRequestsTo(customer)).toHaveLength(0);
      now += 60_001;
      await waitFor('both answered', async () =>
        (await inbox().countDocuments({ _id: { $in: [first, second] }, state: 'done' })) === 2
          ? true
          : undefined,
      );
      expect(await threadOf(customer)).toEqual(['user:uno', 'reply', 'user:dos', 'reply']);
      expect(textRequestsTo(customer)).toHaveLength(2);
    });

    it('runs no later message of a customer while another worker holds the older one unwritten; takes that over a lease later (by the inbox clock), then the later one', async () => {
      const customer = newCustomer();
      const [first, second] = await storedWhileStopped(customer, ['uno', 'dos'], async ([id]) => {
        // Another process claimed it and has not written it yet (it is running, or it died).
        await claims().insertOne({
          _id: `${String(id)}:1`,
          workerId: 'other:1:abc',
          at: new Date(now),
        });
      });
      await afterAPoll();
      for (const id of [first, second]) {
        expect(await inbox().findOne({ _id: id })).toMatchObject({ state: 'pending', claimSeq: 0 });
      }
      expect(await claimsOf(first)).toHaveLength(1);
      expect(await claimsOf(second)).toHaveLength(0);
      expect(textRequestsTo(customer)).toHaveLength(0);
      // Its claim is a lease old: the other process died before writing. The next claim takes it.
      now += LEASE_MS;
      await waitFor('both answered', async () =>
        (await inbox().countDocuments({ _id: { $in: [first, second] }, state: 'done' })) === 2
          ? true
          : undefined,
      );
      expect(await inbox().findOne({ _id: first })).toMatchObject({ claimSeq: 2, attempts: 2 });
      expect(await threadOf(customer)).toEqual(['user:uno', 'reply', 'user:dos', 'reply']);
      expect(textRequestsTo(customer)).toHaveLength(2);
    });

    it('ends as dead, unsent, an event whose every allowed run died before an outcome, counting runs that died before writing it', async () => {
      const customer = newCustomer();
      const [id] = await storedWhileStopped(customer, ['hola'], async ([event]) => {
        // Seven runs were claimed and died (the last one after writing its claim on the event);
        // the eighth died between its claim and its first write. INBOX_MAX_ATTEMPTS is 8.
        await inbox().updateOne(
          { _id: event },
          {
            $set: {
              state: 'processing',
              claimSeq: 7,
              attempts: 7,
              workerId: 'dead:7',
              leaseUntil: new Date(now - LEASE_MS),
            },
          },
        );
        await claims().insertOne({
          _id: `${String(event)}:8`,
          workerId: 'dead:8',
          at: new Date(now - LEASE_MS),
        });
      });
      const dead = await waitFor('the event dead', () =>
        inbox()
          .findOne({ _id: id, state: 'dead' })
          .then((d) => d ?? undefined),
      );
      expect(dead).toMatchObject({
        claimSeq: 9,
        attempts: 9,
        lastError: expect.stringContaining('8 times'),
      });
      expect(
        fake
          .requestsTo('messages')
          .filter((r) => (r.body as { to?: string }).to === `+${customer}`),
      ).toHaveLength(0);
    });
  });
});
