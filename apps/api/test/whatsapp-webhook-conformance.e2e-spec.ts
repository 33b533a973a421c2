import { signPayload } from '@conecta/graph-client';
import {
  FakeGraphApi,
  WEBHOOK_KINDS,
  buildInboundTextWebhook,
  buildStatusWebhook,
  metaJsonStringify,
  newWamid,
} from '@conecta/graph-client/testing';
import request from 'supertest';
import { CLOCK, type Clock } from '../src/common/clock';
import { InboxClock } from '../src/whatsapp-webhook/inbox-clock';
import { UNKNOWN_STATUS_WAIT_MS } from '../src/whatsapp-webhook/inbox.processor';
import { seedWorkspace, type SeededWorkspace } from './support/auth';
import { startTestApp, type TestApp } from './support/test-app';
import { connectNumber, waitFor, webhookTestEnv, type FakeNumber } from './support/whatsapp';

/** Tenant A: one connected number; its WABA also has a sibling number nobody connected. */
const A: FakeNumber = {
  wabaId: '102290129341111',
  phoneNumberId: '106540352241111',
  token: 'EAAConformanceTokenA00000000000000000001',
  appSecret: 'a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1',
};
const A_SIBLING = '106540352241112';
/** Tenant B: another business, another app secret. */
const B: FakeNumber = {
  wabaId: '102290129342222',
  phoneNumberId: '106540352242222',
  token: 'EAAConformanceTokenB00000000000000000002',
  appSecret: 'b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2',
};
/** Tenant C: a number only the throughput-limit test uses. */
const C: FakeNumber = {
  wabaId: '102290129343333',
  phoneNumberId: '106540352243333',
  token: 'EAAConformanceTokenC00000000000000000003',
  appSecret: 'c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3',
};
const SERVER_SECRET = 'test-app-secret';

let customerSeq = 0;
const newCustomer = (): string => `3461000${String(++customerSeq).padStart(4, '0')}`;

/** A messages webhook for A's number from a customer with any of phone, BSUID and username. */
function inbound(
  who: { phone?: string; userId?: string; username?: string; name?: string },
  message: Record<string, unknown> = { type: 'text', text: { body: 'hola' } },
  wamid = newWamid(),
) {
  return metaJsonStringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: A.wabaId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: '15550100100',
                phone_number_id: A.phoneNumberId,
              },
              contacts: [
                {
                  profile: {
                    name: who.name ?? 'Ana',
                    ...(who.username ? { username: who.username } : {}),
                  },
                  ...(who.phone ? { wa_id: who.phone } : {}),
                  ...(who.userId ? { user_id: who.userId } : {}),
                },
              ],
              messages: [
                {
                  ...(who.phone ? { from: who.phone } : {}),
                  ...(who.userId ? { from_user_id: who.userId } : {}),
                  id: wamid,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  ...message,
                },
              ],
            },
          },
        ],
      },
    ],
  });
}

describe('WhatsApp webhook conformance: secrets, routing and tenancy (Meta §4.1)', () => {
  const fake = new FakeGraphApi();
  let t: TestApp;
  let a: SeededWorkspace;
  let b: SeededWorkspace;

  beforeAll(async () => {
    const baseUrl = await fake.start();
    t = await startTestApp('whatsapp_conformance', {
      env: webhookTestEnv(baseUrl, {
        WEBHOOK_BURST_WINDOW_MS: '0',
        INBOX_MAX_ATTEMPTS: '3',
        INBOX_RETRY_BASE_MS: '20',
      }),
    });
    a = await seedWorkspace(t, { name: 'Tienda A' });
    b = await seedWorkspace(t, { name: 'Tienda B' });
    await connectNumber(fake, a, A);
    // The sibling belongs to A's WABA at Meta (same app subscribed), but is not connected here.
    fake.addBusiness({
      wabaId: A.wabaId,
      name: 'Business A',
      token: A.token,
      phoneNumbers: [
        { id: A.phoneNumberId, displayPhoneNumber: '+1 555-010-0100', verifiedName: 'Shop' },
        { id: A_SIBLING, displayPhoneNumber: '+1 555-010-0101', verifiedName: 'Shop 2' },
      ],
    });
    await connectNumber(fake, b, B);
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

  function post(body: string, secret: string) {
    return http()
      .post('/api/whatsapp/webhook')
      .set('content-type', 'application/json')
      .set('x-hub-signature-256', signPayload(body, secret))
      .send(body);
  }

  async function settled(key: string) {
    return waitFor(`inbox event ${key} to settle`, async () => {
      const doc = await inbox().findOne({ key });
      return doc && !['pending', 'processing'].includes(doc.state as string) ? doc : undefined;
    });
  }

  async function replyTo(customer: string) {
    return waitFor(`the reply to ${customer}`, async () => {
      const conversation = await conversations().findOne({ visitorId: customer });
      if (!conversation) return undefined;
      const reply = await messages().findOne({
        conversationId: conversation._id,
        role: 'assistant',
        externalMessageId: { $exists: true },
      });
      return reply ?? undefined;
    });
  }

  describe('which secret (entry[].id and the server-wide one)', () => {
    it("accepts a template status update signed with the app's own secret (was 401)", async () => {
      const body = metaJsonStringify({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: A.wabaId,
            time: 1750000000,
            changes: [
              {
                field: 'message_template_status_update',
                value: {
                  event: 'APPROVED',
                  message_template_id: 1234567890,
                  message_template_name: 'welcome',
                  message_template_language: 'es',
                  reason: 'NONE',
                },
              },
            ],
          },
        ],
      });
      await post(body, A.appSecret).expect(200);
      await post(body, B.appSecret).expect(401);
    });

    it("accepts every webhook kind Meta sends to the WABA's app, signed with the app's secret", async () => {
      const target = { wabaId: A.wabaId, phoneNumberId: A.phoneNumberId };
      for (const payload of [
        WEBHOOK_KINDS.accountUpdate(A.wabaId),
        WEBHOOK_KINDS.qualityUpdate(A.wabaId),
        WEBHOOK_KINDS.accountAlert(A.wabaId),
        WEBHOOK_KINDS.messageEcho(target, newCustomer(), 'desde la app'),
      ]) {
        await post(metaJsonStringify(payload), A.appSecret).expect(200);
      }
    });

    it("acknowledges a message for an unconnected sibling number of the WABA, signed with the app's secret, as ignored (was 401)", async () => {
      const wamid = newWamid();
      const body = metaJsonStringify(
        buildInboundTextWebhook({
          wabaId: A.wabaId,
          phoneNumberId: A_SIBLING,
          from: newCustomer(),
          text: 'hola',
          wamid,
        }),
      );
      await post(body, A.appSecret).expect(200);
      expect(await inbox().findOne({ key: `m:${wamid}` })).toMatchObject({
        state: 'ignored',
        lastError: 'no integration for this phone number',
      });
    });

    it('stores and answers the connected number of a POST that also carries its sibling (was 401 mixed_app_secrets)', async () => {
      const served = newWamid();
      const sibling = newWamid();
      const customer = newCustomer();
      const one = buildInboundTextWebhook({
        wabaId: A.wabaId,
        phoneNumberId: A.phoneNumberId,
        from: customer,
        text: '¿Horario?',
        wamid: served,
      });
      const two = buildInboundTextWebhook({
        wabaId: A.wabaId,
        phoneNumberId: A_SIBLING,
        from: newCustomer(),
        text: 'otro',
        wamid: sibling,
      });
      one.entry[0].changes.push(...two.entry[0].changes);
      const body = metaJsonStringify(one);
      const res = await post(body, A.appSecret).expect(200);
      expect(res.body).toMatchObject({ received: 2, ignored: 1 });
      expect(await settled(`m:${served}`)).toMatchObject({ state: 'done' });
      expect(await inbox().findOne({ key: `m:${sibling}` })).toMatchObject({ state: 'ignored' });
      await replyTo(customer);
      expect(fake.sentMessages().filter((m) => m.to === `+${customer}`)).toHaveLength(1);
    });

    it('still accepts a body signed with the server-wide secret, and never routes it into an integration with its own secret', async () => {
      const wamid = newWamid();
      const body = metaJsonStringify(
        buildInboundTextWebhook({
          wabaId: A.wabaId,
          phoneNumberId: A.phoneNumberId,
          from: newCustomer(),
          text: 'hola',
          wamid,
        }),
      );
      await post(body, SERVER_SECRET).expect(200);
      expect(await inbox().findOne({ key: `m:${wamid}` })).toMatchObject({
        state: 'ignored',
        workspaceId: null,
      });
    });

    it("never lets one tenant's secret deliver messages into another tenant's number", async () => {
      const wamid = newWamid();
      // B's own WABA id, so B's secret is a candidate; the number is A's.
      const body = metaJsonStringify(
        buildInboundTextWebhook({
          wabaId: B.wabaId,
          phoneNumberId: A.phoneNumberId,
          from: newCustomer(),
          text: 'inyectado',
          wamid,
        }),
      );
      await post(body, B.appSecret).expect(200);
      expect(await inbox().findOne({ key: `m:${wamid}` })).toMatchObject({
        state: 'ignored',
        workspaceId: null,
      });
    });

    it('answers 200 and stores nothing for a signed object other than whatsapp_business_account (was 400)', async () => {
      const before = await inbox().countDocuments();
      const body = metaJsonStringify({
        object: 'page',
        entry: [{ id: A.wabaId, time: 1750000000, changes: [{ field: 'feed', value: {} }] }],
      });
      const res = await post(body, A.appSecret).expect(200);
      expect(res.body).toEqual({ received: 0, duplicates: 0, ignored: 1 });
      expect(await inbox().countDocuments()).toBe(before);
      await post(body, 'not-the-secret').expect(401);
    });
  });

  describe('replies: one outbound path', () => {
    const integrations = () => t.connection.collection('integrations');

    const fromUsername = (bsuid: string, wamid: string) =>
      inbound(
        { userId: bsuid, username: '@lu.shop' },
        { type: 'text', text: { body: '¿Horario?' } },
        wamid,
      );

    it('answers a user known only by BSUID with `recipient`, never with the BSUID in `to`', async () => {
      const bsuid = 'US.13491208655302741918';
      await post(fromUsername(bsuid, newWamid()), A.appSecret).expect(200);
      const sent = await waitFor('the reply', () =>
        fake.sentMessages().find((m) => m.recipient === bsuid),
      );
      expect(sent.to).toBeUndefined();
      expect(sent.payload).toMatchObject({ recipient: bsuid, type: 'text' });
      expect(sent.payload).not.toHaveProperty('to');
    });

    it('fails a reply Meta refuses for a BSUID (131062) at once, without retrying it', async () => {
      const bsuid = 'US.13491208655302749999';
      // The first failure goes to the read receipt (courtesy, ignored), the second to the reply.
      fake.failNext('messages', 2, { code: 131062, details: 'BSUID recipients are not supported' });
      const wamid = newWamid();
      await post(fromUsername(bsuid, wamid), A.appSecret).expect(200);
      expect(await settled(`m:${wamid}`)).toMatchObject({ state: 'done', attempts: 1 });
      const conversation = await conversations().findOne({ visitorId: bsuid });
      const reply = await messages().findOne({
        conversationId: conversation?._id,
        role: 'assistant',
      });
      expect(reply).toMatchObject({
        deliveryStatus: 'failed',
        errorCode: 131062,
        errorReason: 'BSUID recipients are not supported',
      });
      const sends = fake
        .requestsTo('messages')
        .filter((r) => (r.body as { type?: string } | undefined)?.type === 'text');
      expect(sends).toHaveLength(1);
    });

    it('waits 4^X s for the pair rate limit (131056) for that customer only; others are answered meanwhile', async () => {
      // The inbox clock runs with the wall clock, moved ahead by `ahead` instead of sleeping.
      let ahead = 0;
      const clock = t.app.get(InboxClock);
      const spy = jest.spyOn(clock, 'now').mockImplementation(() => Date.now() + ahead);
      try {
        const slow = newCustomer();
        const fast = newCustomer();
        fake.failNext('messages', 2, { code: 131056 }); // read receipt, then the reply
        const slowWamid = newWamid();
        const body = (from: string, wamid: string) =>
          metaJsonStringify(
            buildInboundTextWebhook({
              wabaId: A.wabaId,
              phoneNumberId: A.phoneNumberId,
              from,
              text: 'hola',
              wamid,
            }),
          );
        await post(body(slow, slowWamid), A.appSecret).expect(200);
        const waiting = await waitFor('the first 131056', async () => {
          const doc = await inbox().findOne({ key: `m:${slowWamid}` });
          return doc?.state === 'pending' && doc.attempts === 1 ? doc : undefined;
        });
        const failedAt = fake.requestsTo('messages').at(-1)?.receivedAt ?? 0;
        // The first retry comes after Meta's 4^0 = 1 s, not after the inbox's short backoff.
        expect((waiting.runAt as Date).getTime()).toBeGreaterThanOrEqual(
          Math.floor(failedAt) + 900,
        );
        // Another customer is not delayed behind it.
        await post(body(fast, newWamid()), A.appSecret).expect(200);
        await waitFor('the other reply', () =>
          fake.sentMessages().some((m) => m.to === `+${fast}`),
        );
        expect(await inbox().findOne({ key: `m:${slowWamid}` })).toMatchObject({ attempts: 1 });
        // Second refusal, once the inbox clock passes the first wait: 4^1 = 4 s.
        fake.failNext('messages', 1, { code: 131056 });
        ahead = (waiting.runAt as Date).getTime() - Date.now() + 1;
        const again = await waitFor('the second 131056', async () => {
          const doc = await inbox().findOne({ key: `m:${slowWamid}` });
          return doc?.state === 'pending' && doc.attempts === 2 ? doc : undefined;
        });
        const secondAt = (fake.requestsTo('messages').at(-1)?.receivedAt ?? 0) + ahead;
        expect((again.runAt as Date).getTime()).toBeGreaterThanOrEqual(Math.floor(secondAt) + 3900);
        ahead = (again.runAt as Date).getTime() - Date.now() + 1;
        await waitFor('the slow reply', () => fake.sentMessages().some((m) => m.to === `+${slow}`));
      } finally {
        spy.mockRestore();
      }
    });

    it("holds every reply of a number after Meta's throughput limit (130429) until the hold ends; another number is not held", async () => {
      // A number of its own: its hold outlives the test (by the wall clock), the other tests' numbers
      // must not inherit it.
      const c = await seedWorkspace(t, { name: 'Tienda 130429' });
      await connectNumber(fake, c, C);
      // The inbox clock stands still (ahead of the wall clock, so new events are due at once) and
      // moves only when the test moves it: nothing here depends on how long a step takes.
      let now = Date.now() + 60_000;
      const clock = t.app.get(InboxClock);
      const spy = jest.spyOn(clock, 'now').mockImplementation(() => now);
      const throttles = () =>
        t.connection.collection<{ _id: string; throttledUntil: Date }>('whatsapp_number_throttles');
      const body = (n: FakeNumber, from: string, wamid: string) =>
        metaJsonStringify(
          buildInboundTextWebhook({
            wabaId: n.wabaId,
            phoneNumberId: n.phoneNumberId,
            from,
            text: 'hola',
            wamid,
          }),
        );
      const textsTo = (customer: string) =>
        fake
          .requestsTo('messages')
          .filter((r) => (r.body as { to?: string } | undefined)?.to === `+${customer}`)
          .filter((r) => (r.body as { type?: string }).type === 'text');
      try {
        const first = newCustomer();
        const second = newCustomer();
        const ofB = newCustomer();
        fake.failNext('messages', 2, { code: 130429 }); // read receipt, then the reply
        const firstWamid = newWamid();
        await post(body(C, first, firstWamid), C.appSecret).expect(200);
        await waitFor('the 130429', async () => {
          const doc = await inbox().findOne({ key: `m:${firstWamid}` });
          return doc?.state === 'pending' && doc.attempts === 1 ? doc : undefined;
        });
        // The number is held a short time (Meta's advice: 1 s on the first refusal), in the database.
        const hold = await throttles().findOne({ _id: C.phoneNumberId });
        const heldUntil = hold?.throttledUntil.getTime() ?? 0;
        expect(heldUntil).toBe(now + 1000);
        expect(await throttles().findOne({ _id: B.phoneNumberId })).toBeNull();

        // Another customer of the same number: the reply is ready but waits for the hold.
        const secondWamid = newWamid();
        await post(body(C, second, secondWamid), C.appSecret).expect(200);
        const held = await waitFor('the held reply', async () => {
          const doc = await inbox().findOne({ key: `m:${secondWamid}` });
          const progress = doc?.progress as { replyMessageId?: string } | undefined;
          return doc?.state === 'pending' && progress?.replyMessageId ? doc : undefined;
        });
        expect((held.runAt as Date).getTime()).toBe(heldUntil);
        expect(held.lastError).toBeNull();
        expect(textsTo(second)).toHaveLength(0);

        // Another number is answered meanwhile.
        await post(body(B, ofB, newWamid()), B.appSecret).expect(200);
        await waitFor("B's reply", () => textsTo(ofB).length === 1 || undefined);
        expect(textsTo(second)).toHaveLength(0);
        expect(textsTo(first)).toHaveLength(1); // the refused one

        // Once the inbox clock passes the hold, the number sends both replies.
        now = heldUntil + 1;
        await waitFor('the held replies', () =>
          textsTo(second).length === 1 && textsTo(first).length === 2 ? true : undefined,
        );
      } finally {
        spy.mockRestore();
      }
    });

    it('allows the manual retry of a 131047 failure once the customer has written again', async () => {
      const customer = newCustomer();
      const inbound = (text: string) =>
        metaJsonStringify(
          buildInboundTextWebhook({
            wabaId: A.wabaId,
            phoneNumberId: A.phoneNumberId,
            from: customer,
            text,
          }),
        );
      fake.failNext('messages', 2, { code: 131047, details: 'Re-engagement message' });
      await post(inbound('hola'), A.appSecret).expect(200);
      const failed = await waitFor('the failed reply', async () => {
        const c = await conversations().findOne({ visitorId: customer });
        const r = c && (await messages().findOne({ conversationId: c._id, role: 'assistant' }));
        return r?.deliveryStatus === 'failed' ? r : undefined;
      });
      const refused = await a.admin.post(`/api/v1/messages/${String(failed._id)}/retry`);
      expect(refused.status).toBe(422);
      // The customer writes again a minute later: the window is open again.
      await post(inbound('¿sigues ahí?'), A.appSecret).expect(200);
      await waitFor('the second reply', () =>
        fake.sentMessages().some((m) => m.to === `+${customer}`),
      );
      const res = await a.admin.post(`/api/v1/messages/${String(failed._id)}/retry`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: String(failed._id), deliveryStatus: 'pending' });
    });

    it("computes the reopened 24-hour window from Meta's timestamp of a late-delivered message: it closes ~10 min after delivery, not 24 h", async () => {
      const customer = newCustomer();
      const inbound = (text: string, timestamp?: string) =>
        metaJsonStringify(
          buildInboundTextWebhook({
            wabaId: A.wabaId,
            phoneNumberId: A.phoneNumberId,
            from: customer,
            text,
            ...(timestamp ? { timestamp } : {}),
          }),
        );
      fake.failNext('messages', 2, { code: 131047, details: 'Re-engagement message' });
      await post(inbound('hola'), A.appSecret).expect(200);
      const failed = await waitFor('the failed reply', async () => {
        const c = await conversations().findOne({ visitorId: customer });
        const r = c && (await messages().findOne({ conversationId: c._id, role: 'assistant' }));
        return r?.deliveryStatus === 'failed' ? r : undefined;
      });
      // The customer wrote again 23 h 50 min ago; Meta delivers it only now.
      const deliveredAt = Date.now();
      const writtenAt = Math.floor(deliveredAt / 1000) - (23 * 3600 + 50 * 60);
      await post(inbound('¿sigues ahí?', String(writtenAt)), A.appSecret).expect(200);
      await waitFor('the late message', async () => {
        const c = await conversations().findOne({ visitorId: customer });
        return (
          (c &&
            (await messages().findOne({
              conversationId: c._id,
              role: 'user',
              createdAt: new Date(writtenAt * 1000),
            }))) ??
          undefined
        );
      });
      const clock = t.app.get<Clock>(CLOCK);
      const spy = jest.spyOn(clock, 'now');
      const retry = () => a.admin.post(`/api/v1/messages/${String(failed._id)}/retry`);
      try {
        // 11 minutes after delivery the window is closed again (24 h from Meta's time, not ours).
        spy.mockReturnValue(new Date(deliveredAt + 11 * 60_000));
        const closed = await retry();
        expect(closed.status).toBe(422);
        expect(closed.body).toMatchObject({
          error: 'OUTSIDE_CUSTOMER_SERVICE_WINDOW',
          details: { reason: 'OUTSIDE_CUSTOMER_SERVICE_WINDOW' },
        });
        // 9 minutes after delivery it is still open.
        spy.mockReturnValue(new Date(deliveredAt + 9 * 60_000));
        const open = await retry();
        expect(open.status).toBe(200);
      } finally {
        spy.mockRestore();
      }
    });

    it('sets the integration to error when a send says the account is restricted (131031)', async () => {
      fake.failNext('messages', 2, { code: 131031, details: 'Business account locked' });
      const wamid = newWamid();
      await post(
        metaJsonStringify(
          buildInboundTextWebhook({
            wabaId: A.wabaId,
            phoneNumberId: A.phoneNumberId,
            from: newCustomer(),
            text: 'hola',
            wamid,
          }),
        ),
        A.appSecret,
      ).expect(200);
      await settled(`m:${wamid}`);
      expect(await integrations().findOne({ phoneNumberId: A.phoneNumberId })).toMatchObject({
        health: 'error',
        errorType: 'ACCOUNT_RESTRICTED',
        errorDetail: 'Business account locked',
      });
      await integrations().updateOne(
        { phoneNumberId: A.phoneNumberId },
        { $set: { health: 'connected', errorType: null, errorDetail: null } },
      );
    });
  });

  describe('identity: BSUID first, the phone an attribute (Meta 2026)', () => {
    async function deliver(body: string) {
      const res = await post(body, A.appSecret).expect(200);
      await waitFor('the inbox to settle', async () =>
        (await inbox().countDocuments({ state: { $in: ['pending', 'processing'] } })) === 0
          ? true
          : undefined,
      );
      return res;
    }

    it('links a phone-keyed thread when the BSUID appears, continues it when the phone vanishes, and answers the phone with `to`', async () => {
      const phone = newCustomer();
      const userId = `US.${phone}0001`;
      await deliver(inbound({ phone }));
      await deliver(inbound({ phone, userId }));
      await deliver(inbound({ userId, username: '@ana.shop' }));
      const threads = await conversations()
        .find({ $or: [{ visitorId: phone }, { contactUserId: userId }] })
        .toArray();
      expect(threads).toHaveLength(1);
      expect(threads[0]).toMatchObject({
        contactPhone: phone,
        contactUserId: userId,
        contactUsername: '@ana.shop',
      });
      expect(
        await messages().countDocuments({ conversationId: threads[0]._id, role: 'user' }),
      ).toBe(3);
      await waitFor('three replies', () =>
        fake.sentMessages().filter((m) => m.to === `+${phone}`).length === 3 ? true : undefined,
      );
      expect(fake.sentMessages().filter((m) => m.recipient === userId)).toHaveLength(0);

      const list = await a.admin.get('/api/v1/conversations');
      const item = (list.body as { items: Record<string, unknown>[] }).items.find(
        (c) => c.id === String(threads[0]._id),
      );
      expect(item).toMatchObject({ username: '@ana.shop', visitorLabel: '@ana.shop' });
      expect(JSON.stringify(item)).not.toContain(userId);
    });

    it("continues a returning BSUID customer's thread and keeps the search in step with a new profile name", async () => {
      const phone = newCustomer();
      const userId = `US.7${phone}`;
      await deliver(inbound({ phone, userId, name: 'Marisol Quintanilla' }));
      await deliver(inbound({ phone, userId, name: 'Marisol Quintanilla' }));
      await deliver(inbound({ phone, userId, name: 'Rocío Quintanilla' }));
      const threads = await conversations().find({ contactUserId: userId }).toArray();
      expect(threads).toHaveLength(1);
      expect(threads[0]).toMatchObject({ contactName: 'Rocío Quintanilla', contactPhone: phone });
      expect(
        await messages().countDocuments({ conversationId: threads[0]._id, role: 'user' }),
      ).toBe(3);
      const found = async (q: string): Promise<boolean> => {
        const res = await a.admin
          .get(`/api/v1/conversations?q=${encodeURIComponent(q)}`)
          .expect(200);
        return (res.body as { items: { id: string }[] }).items.some(
          (c) => c.id === String(threads[0]._id),
        );
      };
      expect(await found('rocio quintanilla')).toBe(true);
      expect(await found('marisol')).toBe(false);
    });

    it('shows a short BSUID for a customer with neither username nor phone', async () => {
      const userId = `US.9${newCustomer()}4321`;
      await deliver(inbound({ userId }));
      const thread = await conversations().findOne({ contactUserId: userId });
      const list = await a.admin.get('/api/v1/conversations');
      const item = (list.body as { items: Record<string, unknown>[] }).items.find(
        (c) => c.id === String(thread?._id),
      );
      expect(item).toMatchObject({ maskedPhone: null, username: null, visitorLabel: 'US…4321' });
    });

    it('updates the contact on user_changed_number and masks the new number in its text', async () => {
      const phone = newCustomer();
      const newPhone = newCustomer();
      const userId = `US.${phone}0002`;
      await deliver(inbound({ phone, userId }));
      await deliver(
        inbound(
          { phone, userId },
          {
            type: 'system',
            system: {
              body: `User Ana changed from ${phone} to ${newPhone}`,
              type: 'user_changed_number',
              wa_id: newPhone,
            },
          },
        ),
      );
      const thread = await conversations().findOne({ contactUserId: userId });
      expect(thread).toMatchObject({ contactPhone: newPhone });
      expect(await conversations().countDocuments({ contactUserId: userId })).toBe(1);
      const res = await a.admin.get(`/api/v1/conversations/${String(thread?._id)}/messages`);
      const body = JSON.stringify(res.body);
      expect(body).toContain('changed from');
      expect(body).not.toContain(newPhone);
      expect(body).not.toContain(phone);
      // The next reply goes to the new number.
      await deliver(inbound({ phone: newPhone, userId }));
      await waitFor('a reply to the new number', () =>
        fake.sentMessages().some((m) => m.to === `+${newPhone}`),
      );
    });
  });

  describe("time: Meta's timestamp", () => {
    it('shows and sorts a message delivered 20 minutes late at its real time, keeping the newer preview', async () => {
      const customer = newCustomer();
      const now = Math.floor(Date.now() / 1000);
      const at = (seconds: number, text: string) =>
        metaJsonStringify(
          buildInboundTextWebhook({
            wabaId: A.wabaId,
            phoneNumberId: A.phoneNumberId,
            from: customer,
            text,
            timestamp: String(seconds),
          }),
        );
      await post(at(now, 'segundo'), A.appSecret).expect(200);
      await replyTo(customer);
      // Meta retried this one for 20 minutes.
      const lateWamid = newWamid();
      const late = metaJsonStringify(
        buildInboundTextWebhook({
          wabaId: A.wabaId,
          phoneNumberId: A.phoneNumberId,
          from: customer,
          text: 'primero',
          timestamp: String(now - 20 * 60),
          wamid: lateWamid,
        }),
      );
      await post(late, A.appSecret).expect(200);
      await settled(`m:${lateWamid}`);
      const conversation = await conversations().findOne({ visitorId: customer });
      const thread = await messages()
        .find({ conversationId: conversation?._id, role: 'user' })
        .sort({ createdAt: 1 })
        .toArray();
      expect(thread.map((m) => m.content)).toEqual(['primero', 'segundo']);
      expect((thread[0].createdAt as Date).getTime()).toBe((now - 20 * 60) * 1000);
      expect(conversation?.lastMessagePreview).not.toBe('primero');
    });
  });

  describe('click-to-WhatsApp ads (§6)', () => {
    it("keeps the ad on the conversation, returned by the API, and opens a 72 h free entry point from Meta's time", async () => {
      const customer = newCustomer();
      const sentSeconds = Math.floor(Date.now() / 1000) - 10 * 60;
      const body = WEBHOOK_KINDS.adReferral(A, customer, 'Vi vuestro anuncio', String(sentSeconds));
      await post(metaJsonStringify(body), A.appSecret).expect(200);
      await replyTo(customer);
      const thread = await conversations().findOne({ visitorId: customer });
      const res = await a.admin.get(`/api/v1/conversations/${String(thread?._id)}`).expect(200);
      expect(res.body).toMatchObject({
        adReferral: {
          sourceUrl: 'https://fb.me/ad',
          sourceType: 'ad',
          headline: 'Oferta de invierno',
          body: 'Escríbenos por WhatsApp',
          mediaType: 'image',
          ctwaClid: 'ARAkLkA8rmlFeiCktEJQ',
        },
        freeEntryPointEndsAt: new Date((sentSeconds + 72 * 3600) * 1000).toISOString(),
      });
      // A thread that did not start at an ad carries neither.
      const plain = newCustomer();
      await post(inbound({ phone: plain }), A.appSecret).expect(200);
      await replyTo(plain);
      const other = await conversations().findOne({ visitorId: plain });
      const list = await a.admin.get('/api/v1/conversations').expect(200);
      expect(
        (list.body as { items: Record<string, unknown>[] }).items.find(
          (c) => c.id === String(other?._id),
        ),
      ).toMatchObject({ adReferral: null, freeEntryPointEndsAt: null });
    });
  });

  describe('echoes from the WhatsApp Business app (§6 smb_message_echoes)', () => {
    it('stores the owner’s message in the thread as sent from the app, never answers it, and stores a repeated echo once', async () => {
      const customer = newCustomer();
      await post(inbound({ phone: customer }), A.appSecret).expect(200);
      await replyTo(customer);
      const sentBefore = fake.sentMessages().length;
      const echo = WEBHOOK_KINDS.messageEcho(A, customer, 'Te lo guardo hasta mañana');
      const wamid = String(
        (echo.entry[0].changes[0].value as { message_echoes: { id: string }[] }).message_echoes[0]
          .id,
      );
      await post(metaJsonStringify(echo), A.appSecret).expect(200);
      await settled(`m:${wamid}`);
      // Meta repeats it (or a second delivery reaches another instance): still one message.
      await post(metaJsonStringify(echo), A.appSecret).expect(200);
      expect(await messages().countDocuments({ externalMessageId: wamid })).toBe(1);
      expect(fake.sentMessages()).toHaveLength(sentBefore);
      const thread = await conversations().findOne({ visitorId: customer });
      const res = await a.admin
        .get(`/api/v1/conversations/${String(thread?._id)}/messages`)
        .expect(200);
      const items = (res.body as { items: Record<string, unknown>[] }).items;
      // Meta's echo time has whole seconds: it may sort just before the bot's reply.
      expect(items.filter((m) => m.sentFromBusinessApp === true)).toEqual([
        expect.objectContaining({ role: 'assistant', content: 'Te lo guardo hasta mañana' }),
      ]);
      expect(items.map((m) => m.role).sort()).toEqual(['assistant', 'assistant', 'user']);
      expect(await inbox().findOne({ key: `m:${wamid}` })).toMatchObject({ state: 'done' });
    });
  });

  describe('statuses of wamids Conecta never sent (§4)', () => {
    afterEach(() => jest.restoreAllMocks());

    it('waits for the message to be recorded (beyond INBOX_MAX_ATTEMPTS) and records the status as ignored once the inbox clock says the bounded wait is over', async () => {
      const status = (wamid: string) =>
        metaJsonStringify(
          buildStatusWebhook({
            wabaId: A.wabaId,
            phoneNumberId: A.phoneNumberId,
            wamid,
            status: 'delivered',
            recipientId: newCustomer(),
          }),
        );
      const waitedTwice = (key: string) =>
        waitFor(`${key} to wait twice`, async () => {
          const doc = await inbox().findOne({ key });
          const waits = (doc?.progress as { statusWaits?: number } | undefined)?.statusWaits;
          return doc && (waits ?? 0) >= 2 ? doc : undefined;
        });
      const foreign = newWamid();
      await post(status(foreign), A.appSecret).expect(200);
      const waiting = await waitedTwice(`s:${A.phoneNumberId}:${foreign}:delivered`);
      // Still waiting, not given up: more attempts than INBOX_MAX_ATTEMPTS do not end the wait.
      expect(waiting.state).not.toBe('ignored');
      const clock = t.app.get(InboxClock);
      jest
        .spyOn(clock, 'now')
        .mockReturnValue((waiting.receivedAt as Date).getTime() + UNKNOWN_STATUS_WAIT_MS);
      const done = await settled(`s:${A.phoneNumberId}:${foreign}:delivered`);
      expect(done).toMatchObject({ state: 'ignored', lastError: 'no message with this wamid' });
    });
  });

  describe('status tenancy (issue 17.4)', () => {
    it("does not let tenant A's signed webhook rewrite tenant B's message status; B's own status still applies", async () => {
      const customer = newCustomer();
      const inbound = metaJsonStringify(
        buildInboundTextWebhook({
          wabaId: B.wabaId,
          phoneNumberId: B.phoneNumberId,
          from: customer,
          text: 'hola B',
        }),
      );
      await post(inbound, B.appSecret).expect(200);
      const reply = await replyTo(customer);
      const wamidOfB = reply.externalMessageId as string;
      // A signs, for A's own number, a `failed` status carrying B's wamid.
      const attack = metaJsonStringify(
        buildStatusWebhook({
          wabaId: A.wabaId,
          phoneNumberId: A.phoneNumberId,
          wamid: wamidOfB,
          status: 'failed',
          recipientId: customer,
          errors: [{ code: 131026, title: 'Message undeliverable', details: 'texto de A' }],
        }),
      );
      // For A's number this wamid is one Conecta never sent: past the wait, it is ignored.
      jest
        .spyOn(t.app.get(InboxClock), 'now')
        .mockImplementation(() => Date.now() + UNKNOWN_STATUS_WAIT_MS);
      await post(attack, A.appSecret).expect(200);
      const attackDoc = await settled(`s:${A.phoneNumberId}:${wamidOfB}:failed`);
      jest.restoreAllMocks();
      expect(attackDoc.state).toBe('ignored');
      const untouched = await messages().findOne({ _id: reply._id });
      expect(untouched?.deliveryStatus).not.toBe('failed');
      expect(untouched?.errorReason).toBeUndefined();

      // B's genuine `failed` is not a duplicate of A's and is applied.
      const genuine = metaJsonStringify(
        buildStatusWebhook({
          wabaId: B.wabaId,
          phoneNumberId: B.phoneNumberId,
          wamid: wamidOfB,
          status: 'failed',
          recipientId: customer,
          errors: [{ code: 131026, title: 'Message undeliverable' }],
        }),
      );
      const res = await post(genuine, B.appSecret).expect(200);
      expect(res.body).toMatchObject({ duplicates: 0 });
      await settled(`s:${B.phoneNumberId}:${wamidOfB}:failed`);
      expect(await messages().findOne({ _id: reply._id })).toMatchObject({
        deliveryStatus: 'failed',
        errorCode: 131026,
      });
    });
  });
  describe('one app secret per WABA', () => {
    it('refuses to connect a number of a WABA whose other number uses another app secret (409 on appSecret)', async () => {
      const c = await seedWorkspace(t, { name: 'Tienda C' });
      const integrationsBefore = await t.connection.collection('integrations').countDocuments();
      const res = await c.admin.post('/api/v1/integrations', {
        chatbotId: c.chatbotId,
        phoneNumberId: A_SIBLING,
        businessAccountId: A.wabaId,
        accessToken: A.token,
        appSecret: 'c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3',
      });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        error: 'CONFLICT',
        details: {
          reason: 'APP_SECRET_DIFFERS_IN_BUSINESS_ACCOUNT',
          fields: [{ field: 'appSecret', code: 'APP_SECRET_DIFFERS_IN_BUSINESS_ACCOUNT' }],
        },
      });
      // Leaving it empty means the server-wide secret: also a split.
      const fallback = await c.admin.post('/api/v1/integrations', {
        chatbotId: c.chatbotId,
        phoneNumberId: A_SIBLING,
        businessAccountId: A.wabaId,
        accessToken: A.token,
      });
      expect(fallback.status).toBe(409);
      expect(await t.connection.collection('integrations').countDocuments()).toBe(
        integrationsBefore,
      );
    });

    it("connects a sibling with the same secret, then refuses to change its secret away from the WABA's", async () => {
      const d = await seedWorkspace(t, { name: 'Tienda D' });
      const created = await d.admin.post('/api/v1/integrations', {
        chatbotId: d.chatbotId,
        phoneNumberId: A_SIBLING,
        businessAccountId: A.wabaId,
        accessToken: A.token,
        appSecret: A.appSecret,
      });
      expect(created.status).toBe(201);
      const id = (created.body as { id: string }).id;
      const res = await d.admin.patch(`/api/v1/integrations/${id}`, {
        appSecret: 'd4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4',
      });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        details: { reason: 'APP_SECRET_DIFFERS_IN_BUSINESS_ACCOUNT' },
      });
    });
  });
});
