import { FakeGraphApi } from '@conecta/graph-client/testing';
import { RetentionJob } from '../src/conversations/retention.job';
import { seedWorkspace, type SeededWorkspace } from './support/auth';
import { startTestApp, type TestApp } from './support/test-app';
import { connectNumber, waitFor, type FakeNumber } from './support/whatsapp';

const SHOP: FakeNumber = {
  wabaId: '102290129341717',
  phoneNumberId: '106540352241717',
  token: 'EAAErasureToken0000000000000000000000017',
  appSecret: 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee',
};
const CUSTOMER = '34611222333';
const OTHER = '34699888777';
const DAY_MS = 24 * 3_600_000;

/** Erasure of a WhatsApp customer through the real webhook, inbox and retention job. */
describe('contact erasure and inbox retention (item 8)', () => {
  const fake = new FakeGraphApi();
  let t: TestApp;
  let ws: SeededWorkspace;
  let webhookUrl: string;
  const inbox = () => t.connection.collection('whatsapp_inbox');

  beforeAll(async () => {
    const baseUrl = await fake.start();
    t = await startTestApp('erasure', {
      env: {
        WHATSAPP_BASE_URL: baseUrl,
        WHATSAPP_RETRY_MAX_ATTEMPTS: '1',
        INTEGRATION_HEALTHCHECK_INTERVAL_MS: '0',
        WEBHOOK_BURST_WINDOW_MS: '0',
        INBOX_POLL_INTERVAL_MS: '20',
        INBOX_RETENTION_DAYS: '7',
      },
    });
    await t.app.listen(0, '127.0.0.1');
    webhookUrl = `${(await t.app.getUrl()).replace('[::1]', '127.0.0.1')}/api/whatsapp/webhook`;
    ws = await seedWorkspace(t, { name: 'Erasure' });
    await connectNumber(fake, ws, SHOP);
  });
  afterAll(async () => {
    await fake.stop();
    await t?.close();
  });

  async function customerWrites(from: string, text: string): Promise<void> {
    const res = await fake.sendInboundMessage({
      webhookUrl,
      appSecret: SHOP.appSecret,
      phoneNumberId: SHOP.phoneNumberId,
      from,
      text,
      contactName: `Cliente ${from.slice(-3)}`,
    });
    expect(res.status).toBe(200);
  }

  const finished = (from: string) =>
    waitFor(`the inbox events of ${from} to finish`, async () => {
      const open = await inbox().countDocuments({
        'event.from': from,
        state: { $nin: ['done', 'ignored'] },
      });
      const all = await inbox().countDocuments({ 'event.from': from });
      return all > 0 && open === 0;
    });

  it('answers 404 for a contact the workspace never had, on export and erasure', async () => {
    const exported = await ws.admin.get('/api/v1/contacts/whatsapp/34600000000').expect(404);
    expect(exported.body.error).toBe('NOT_FOUND');
    await ws.admin.delete('/api/v1/contacts/whatsapp/34600000000').expect(404);
    await ws.admin.get('/api/v1/contacts/web/never-seen-session').expect(404);
  });

  it('erases the customer from conversations, messages, the inbox (dead letters too) and audit labels', async () => {
    await customerWrites(CUSTOMER, 'Hola, soy Ana, mi DNI es 12345678Z');
    await customerWrites(OTHER, 'Hola, soy Beto');
    await finished(CUSTOMER);
    await finished(OTHER);
    // One of the customer's events ended as a dead letter.
    await inbox().updateOne({ 'event.from': CUSTOMER }, { $set: { state: 'dead' } });
    await ws.admin.get(`/api/v1/contacts/whatsapp/${CUSTOMER}`).expect(200);
    const inboxBefore = await inbox().countDocuments({ 'event.from': CUSTOMER });
    expect(inboxBefore).toBeGreaterThan(0);

    const res = await ws.admin.delete(`/api/v1/contacts/whatsapp/${CUSTOMER}`).expect(200);
    expect(res.body.collections).toEqual({
      conversations: 1,
      messages: expect.any(Number),
      whatsapp_inbox: inboxBefore,
      audit_log: 1,
      media_files: 0,
    });
    expect(res.body.collections.messages).toBeGreaterThanOrEqual(2);

    // Nothing in any collection names the customer any more.
    for (const name of ['whatsapp_inbox', 'conversations', 'messages', 'audit_log']) {
      const docs = await t.connection.collection(name).find({}).toArray();
      const text = JSON.stringify(docs);
      expect(text).not.toContain(CUSTOMER);
      expect(text).not.toContain('12345678Z');
    }
    // The other customer is untouched, and the erasure is audited without the person's label.
    expect(await inbox().countDocuments({ 'event.from': OTHER })).toBeGreaterThan(0);
    const audit = await t.connection
      .collection('audit_log')
      .find({ action: { $in: ['contact.export', 'contact.erase'] } })
      .toArray();
    expect(audit.map((e) => e.target?.id)).toEqual(['whatsapp:erased', 'whatsapp:erased']);
    await ws.admin.delete(`/api/v1/contacts/whatsapp/${CUSTOMER}`).expect(404);
  });

  it('purges finished inbox events after INBOX_RETENTION_DAYS in the retention job, keeping open ones', async () => {
    await customerWrites('34655000111', 'mensaje reciente');
    await finished('34655000111');
    const pending = await inbox().insertOne({
      key: 'm:test-pending-event',
      kind: 'message',
      state: 'pending',
      processedAt: null,
      event: { from: '34655000222' },
    });
    const total = await inbox().countDocuments({ state: { $in: ['done', 'ignored'] } });
    expect(total).toBeGreaterThan(0);

    const job = t.app.get(RetentionJob);
    const notYet = await job.run(new Date(Date.now() + 6 * DAY_MS));
    expect(notYet?.inboxEventsDeleted).toBe(0);
    const later = await job.run(new Date(Date.now() + 8 * DAY_MS));
    expect(later?.inboxEventsDeleted).toBe(total);
    expect(await inbox().countDocuments({ state: { $in: ['done', 'ignored'] } })).toBe(0);
    expect(await inbox().countDocuments({ _id: pending.insertedId })).toBe(1);
  });
});
