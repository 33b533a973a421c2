import { signPayload } from '@conecta/graph-client';
import {
  buildInboundTextWebhook,
  metaJsonStringify,
  newWamid,
} from '@conecta/graph-client/testing';
import type { ObjectId } from 'mongodb';
import request from 'supertest';
import { ClaimLostError, ClaimedEvent } from '../src/whatsapp-webhook/inbox-claimed-event';
import { InboxRepository } from '../src/whatsapp-webhook/inbox.repository';
import type { InboxDoc } from '../src/whatsapp-webhook/inbox.schema';
import { startTestApp, type TestApp } from './support/test-app';

const LEASE_MS = 60_000;

// The claim of an inbox event, on the real database: one unique claim insert, then the event is
// marked. A worker can die between the two (SIGKILL); the event must not stay claimed forever.
describe('inbox claims', () => {
  let t: TestApp;
  let repo: InboxRepository;
  let n = 0;

  beforeAll(async () => {
    // No workers: the test plays them, with its own clock.
    t = await startTestApp('inbox_claim', { env: { INBOX_CONCURRENCY: '0' } });
    repo = t.app.get(InboxRepository);
  });

  afterAll(async () => {
    await t?.close();
  });

  const inbox = () => t.connection.collection<InboxDoc>('whatsapp_inbox');
  const claims = () =>
    t.connection.collection<{ _id: string; workerId: string; at: Date }>('whatsapp_inbox_claims');

  /** Stores one event through the webhook, as read by a worker's poll. */
  async function storedEvent(): Promise<InboxDoc> {
    const wamid = newWamid();
    n += 1;
    const body = metaJsonStringify(
      buildInboundTextWebhook({
        wabaId: '1',
        phoneNumberId: '999000999',
        from: `5215500000${String(n).padStart(3, '0')}`,
        text: 'hola',
        wamid,
      }),
    );
    await request(t.app.getHttpServer())
      .post('/api/whatsapp/webhook')
      .set('content-type', 'application/json')
      .set('x-hub-signature-256', signPayload(body, 'test-app-secret'))
      .send(body)
      .expect(200);
    const doc = await inbox().findOne({ key: `m:${wamid}` });
    if (!doc) throw new Error('the webhook stored no event');
    return doc;
  }

  const event = (id: ObjectId) => inbox().findOne({ _id: id });

  it('gives an event to exactly one of several workers holding the same read', async () => {
    const doc = await storedEvent();
    const now = new Date();
    const results = await Promise.all(
      ['w1', 'w2', 'w3'].map((w) => repo.claim(doc, w, LEASE_MS, now)),
    );
    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    expect(await event(doc._id)).toMatchObject({
      state: 'processing',
      workerId: winners[0]?.workerId,
      claimSeq: 1,
      attempts: 1,
    });
  });

  it('refuses a stale read once another worker claimed and marked the event', async () => {
    const doc = await storedEvent();
    const now = new Date();
    expect(await repo.claim(doc, 'w1', LEASE_MS, now)).not.toBeNull();
    // A lease later, a worker still holding the first read tries again.
    expect(await repo.claim(doc, 'w2', LEASE_MS, new Date(now.getTime() + LEASE_MS))).toBeNull();
    expect(await event(doc._id)).toMatchObject({ workerId: 'w1', claimSeq: 1 });
  });

  it('takes over a claim whose worker died before marking the event, once a lease old', async () => {
    const doc = await storedEvent();
    const diedAt = new Date();
    // The dead worker's claim insert landed; its mark of the event never did.
    await claims().insertOne({ _id: `${String(doc._id)}:1`, workerId: 'dead', at: diedAt });
    // Within the lease the claimer may still be about to mark it: nobody else may take it.
    expect(
      await repo.claim(doc, 'w2', LEASE_MS, new Date(diedAt.getTime() + LEASE_MS - 1)),
    ).toBeNull();
    expect(await event(doc._id)).toMatchObject({ state: 'ignored', claimSeq: 0 });
    // After it, the next claim number is taken and the event marked.
    const later = new Date(diedAt.getTime() + LEASE_MS);
    const claimed = await repo.claim(doc, 'w2', LEASE_MS, later);
    expect(claimed).toMatchObject({ workerId: 'w2', claimSeq: 2 });
    expect(await event(doc._id)).toMatchObject({
      state: 'processing',
      workerId: 'w2',
      claimSeq: 2,
      leaseUntil: new Date(later.getTime() + LEASE_MS),
    });
    // A third worker with the same old read loses to w2.
    expect(await repo.claim(doc, 'w3', LEASE_MS, later)).toBeNull();
  });

  it('takes an abandoned claim over only once, even for workers holding older reads', async () => {
    const doc = await storedEvent();
    const t0 = new Date();
    await claims().insertOne({ _id: `${String(doc._id)}:1`, workerId: 'dead', at: t0 });
    const later = new Date(t0.getTime() + LEASE_MS);
    expect(await repo.claim(doc, 'w2', LEASE_MS, later)).not.toBeNull();
    // Another worker with the first read finds claim 1 old too, but the event has moved on.
    expect(await repo.claim(doc, 'w3', LEASE_MS, new Date(later.getTime() + 1))).toBeNull();
    expect(await event(doc._id)).toMatchObject({ workerId: 'w2', claimSeq: 2 });
  });

  it('fences a run whose lease ran out: once another claim took the event, its progress and end are refused (was: matched by the worker id that every loop of a process shares)', async () => {
    const doc = await storedEvent();
    const t0 = new Date();
    const first = await repo.claim(doc, 'host:1', LEASE_MS, t0);
    if (!first) throw new Error('not claimed');
    // The first run's lease passes while it still works; another loop of the same process (same
    // worker id) reads the event afresh and takes it over.
    const fresh = await event(doc._id);
    if (!fresh) throw new Error('event gone');
    const expired = { ...fresh, leaseUntil: new Date(t0.getTime() - 1) };
    const second = await repo.claim(expired, 'host:1', LEASE_MS, new Date(t0.getTime() + LEASE_MS));
    expect(second).toMatchObject({ claimSeq: 2 });
    const stale = new ClaimedEvent(repo, doc._id, first.claimSeq, LEASE_MS);
    // The step before a send (its intent) is refused: the old run stops before sending.
    await expect(
      stale.saveProgress({ replyMessageId: 'x', sendingPart: 0 }),
    ).rejects.toBeInstanceOf(ClaimLostError);
    await new ClaimedEvent(repo, doc._id, first.claimSeq, LEASE_MS).finish('done', null);
    const now = await event(doc._id);
    expect(now).toMatchObject({ state: 'processing', claimSeq: 2 });
    expect(now?.progress.sendingPart).toBeUndefined();
    // The holder's writes go through.
    const holder = new ClaimedEvent(repo, doc._id, 2, LEASE_MS);
    await holder.saveProgress({ sendingPart: 0 });
    await holder.finish('done', null, { sendingPart: null });
    expect(await event(doc._id)).toMatchObject({ state: 'done', progress: { sendingPart: null } });
  });
});
