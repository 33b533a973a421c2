import { signPayload } from '@conecta/graph-client';
import {
  buildInboundTextWebhook,
  metaJsonStringify,
  newWamid,
} from '@conecta/graph-client/testing';
import type { ObjectId } from 'mongodb';
import request from 'supertest';
import { ClaimLostError, ClaimedEvent } from '../src/whatsapp-webhook/inbox-claimed-event';
import type { InboxClock } from '../src/whatsapp-webhook/inbox-clock';
import { type InboxClaim, InboxRepository } from '../src/whatsapp-webhook/inbox.repository';
import type { InboxDoc } from '../src/whatsapp-webhook/inbox.schema';
import { startTestApp, type TestApp } from './support/test-app';

const LEASE_MS = 60_000;
/** A fixed instant the claims are timed from: the repository is given the time, never reads it. */
const T0 = Date.parse('2026-12-01T12:00:00.000Z');

// The claim of an inbox event, on the real database: one unique claim insert; the run's first write
// marks the event with it. A worker can die between the two (SIGKILL); the event must not stay
// claimed forever, and a run whose claim was taken over must write nothing.
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
    // Stored as ignored (no integration has the number): made a waiting event, as workers see them.
    await inbox().updateOne({ key: `m:${wamid}` }, { $set: { state: 'pending' } });
    const doc = await inbox().findOne({ key: `m:${wamid}` });
    if (!doc) throw new Error('the webhook stored no event');
    return doc;
  }

  const event = (id: ObjectId) => inbox().findOne({ _id: id });
  /** The inbox clock of a test: it moves only when the test moves it. */
  const clockAt = (ms: number): InboxClock => ({ now: () => ms });
  const writer = (claim: InboxClaim, at: number) =>
    new ClaimedEvent(repo, claim, LEASE_MS, clockAt(at));
  async function claimed(doc: InboxDoc, workerId: string, at: Date): Promise<InboxClaim> {
    const claim = await repo.claim(doc, workerId, LEASE_MS, at);
    if (!claim) throw new Error('not claimed');
    return claim;
  }

  it('gives an event to exactly one of several workers holding the same read; its first write marks it', async () => {
    const doc = await storedEvent();
    const now = new Date(T0);
    const results = await Promise.all(
      ['w1', 'w2', 'w3'].map((w) => repo.claim(doc, w, LEASE_MS, now)),
    );
    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    const [winner] = winners;
    if (!winner) throw new Error('no winner');
    expect(
      await claims()
        .find({ _id: { $regex: `^${String(doc._id)}:` } })
        .toArray(),
    ).toEqual([{ _id: `${String(doc._id)}:1`, workerId: winner.doc.workerId, at: now }]);
    // The claim alone is the lease: the event is not written until the run has something to write.
    expect(await event(doc._id)).toMatchObject({ state: 'pending', claimSeq: 0, attempts: 0 });
    await writer(winner, now.getTime()).saveProgress({ sendingPart: 0 });
    expect(await event(doc._id)).toMatchObject({
      state: 'processing',
      workerId: winner.doc.workerId,
      claimSeq: 1,
      attempts: 1,
      leaseUntil: new Date(now.getTime() + LEASE_MS),
      progress: { sendingPart: 0 },
    });
  });

  it('refuses a stale read once another worker claimed and wrote the event', async () => {
    const doc = await storedEvent();
    const now = new Date(T0);
    await writer(await claimed(doc, 'w1', now), now.getTime()).finish('done', null);
    // A lease later, a worker still holding the first read tries again.
    expect(await repo.claim(doc, 'w2', LEASE_MS, new Date(now.getTime() + LEASE_MS))).toBeNull();
    expect(await event(doc._id)).toMatchObject({ state: 'done', workerId: 'w1', claimSeq: 1 });
  });

  it('takes over a claim whose worker died before writing the event, once a lease old by the inbox clock, and counts its attempt', async () => {
    const doc = await storedEvent();
    const diedAt = new Date(T0);
    // The dead worker's claim insert landed; it never wrote the event.
    await claims().insertOne({ _id: `${String(doc._id)}:1`, workerId: 'dead', at: diedAt });
    // Within the lease the claimer may still be about to write it: nobody else may take it.
    expect(
      await repo.claim(doc, 'w2', LEASE_MS, new Date(diedAt.getTime() + LEASE_MS - 1)),
    ).toBeNull();
    expect(await event(doc._id)).toMatchObject({ state: 'pending', claimSeq: 0 });
    // After it, the next claim number is taken and the event marked at once.
    const later = new Date(diedAt.getTime() + LEASE_MS);
    const claim = await claimed(doc, 'w2', later);
    expect(claim.doc).toMatchObject({ workerId: 'w2', claimSeq: 2, attempts: 2 });
    expect(await event(doc._id)).toMatchObject({
      state: 'processing',
      workerId: 'w2',
      claimSeq: 2,
      attempts: 2,
      leaseUntil: new Date(later.getTime() + LEASE_MS),
    });
    // A third worker with the same old read loses to w2.
    expect(await repo.claim(doc, 'w3', LEASE_MS, later)).toBeNull();
  });

  it('gives an abandoned claim to exactly one of two workers taking it over at once with the same stale read', async () => {
    const doc = await storedEvent();
    const t0 = new Date(T0);
    await claims().insertOne({ _id: `${String(doc._id)}:1`, workerId: 'dead', at: t0 });
    const later = new Date(t0.getTime() + LEASE_MS);
    const results = await Promise.all(['w2', 'w3'].map((w) => repo.claim(doc, w, LEASE_MS, later)));
    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    expect(await event(doc._id)).toMatchObject({
      state: 'processing',
      workerId: winners[0]?.doc.workerId,
      claimSeq: 2,
      attempts: 2,
    });
    expect(await claims().countDocuments({ _id: { $regex: `^${String(doc._id)}:` } })).toBe(2);
  });

  it('keeps an unwritten claim while its heartbeat renews it; takes it over a lease after the last renewal', async () => {
    const doc = await storedEvent();
    const t0 = T0;
    const first = await claimed(doc, 'w1', new Date(t0));
    await writer(first, t0 + LEASE_MS / 2).renewLease();
    expect(await repo.claim(doc, 'w2', LEASE_MS, new Date(t0 + LEASE_MS))).toBeNull();
    expect(
      await repo.claim(doc, 'w2', LEASE_MS, new Date(t0 + LEASE_MS / 2 + LEASE_MS)),
    ).not.toBeNull();
    expect(await event(doc._id)).toMatchObject({ workerId: 'w2', claimSeq: 2 });
  });

  it('takes an abandoned claim over only once, even for workers holding older reads', async () => {
    const doc = await storedEvent();
    const t0 = new Date(T0);
    await claims().insertOne({ _id: `${String(doc._id)}:1`, workerId: 'dead', at: t0 });
    const later = new Date(t0.getTime() + LEASE_MS);
    expect(await repo.claim(doc, 'w2', LEASE_MS, later)).not.toBeNull();
    // Another worker with the first read finds claim 1 old too, but the event has moved on.
    expect(await repo.claim(doc, 'w3', LEASE_MS, new Date(later.getTime() + 1))).toBeNull();
    expect(await event(doc._id)).toMatchObject({ workerId: 'w2', claimSeq: 2 });
  });

  it('refuses every write of a run whose unwritten claim was taken over: its send intent throws ClaimLostError and nothing of it is stored', async () => {
    const doc = await storedEvent();
    const t0 = T0;
    const first = await claimed(doc, 'w1', new Date(t0));
    // The first run stalls past its lease without writing; another worker takes the event over.
    const second = await claimed(doc, 'w2', new Date(t0 + LEASE_MS));
    expect(second.doc.claimSeq).toBe(2);
    const stale = writer(first, t0 + LEASE_MS);
    await expect(
      stale.saveProgress({ replyMessageId: 'x', sendingPart: 0 }),
    ).rejects.toBeInstanceOf(ClaimLostError);
    await writer(first, t0 + LEASE_MS).finish('done', null, { replyMessageId: 'x' });
    const now = await event(doc._id);
    expect(now).toMatchObject({ state: 'processing', workerId: 'w2', claimSeq: 2 });
    expect(now?.progress.replyMessageId).toBeUndefined();
    expect(now?.progress.sendingPart).toBeUndefined();
    // The holder's writes go through.
    await writer(second, t0 + LEASE_MS).finish('done', null, { replyMessageId: 'y' });
    expect(await event(doc._id)).toMatchObject({
      state: 'done',
      progress: { replyMessageId: 'y' },
    });
  });

  it('fences a run whose lease ran out: once another claim took the event, its progress and end are refused (was: matched by the worker id that every loop of a process shares)', async () => {
    const doc = await storedEvent();
    const t0 = T0;
    const first = await claimed(doc, 'host:1', new Date(t0));
    await writer(first, t0).saveProgress({ replyMessageId: 'x' });
    // The first run's lease passes while it still works; another loop of the same process (same
    // worker id) reads the event afresh and takes it over.
    const fresh = await event(doc._id);
    if (!fresh) throw new Error('event gone');
    const second = await claimed(fresh, 'host:1', new Date(t0 + LEASE_MS));
    expect(second.doc).toMatchObject({ claimSeq: 2, attempts: 2 });
    const stale = writer(first, t0);
    // The step before a send (its intent) is refused: the old run stops before sending.
    await expect(stale.saveProgress({ sendingPart: 0 })).rejects.toBeInstanceOf(ClaimLostError);
    await writer(first, t0).finish('done', null);
    const now = await event(doc._id);
    expect(now).toMatchObject({ state: 'processing', claimSeq: 2 });
    expect(now?.progress.sendingPart).toBeUndefined();
    // The holder's writes go through.
    const holder = writer(second, t0 + LEASE_MS);
    await holder.saveProgress({ sendingPart: 0 });
    await holder.finish('done', null, { sendingPart: null });
    expect(await event(doc._id)).toMatchObject({ state: 'done', progress: { sendingPart: null } });
  });

  it('orders each queue by its oldest unfinished event in one query, whatever its state', async () => {
    const [a1, a2, b1] = [await storedEvent(), await storedEvent(), await storedEvent()];
    // Two events of one queue, one of another; a finished event never holds its queue up.
    await inbox().updateMany({ _id: { $in: [a1._id, a2._id] } }, { $set: { queueKey: 'q:a' } });
    await inbox().updateOne({ _id: b1._id }, { $set: { queueKey: 'q:b', state: 'done' } });
    const heads = await repo.oldestOpenOf(['q:a', 'q:b', 'q:none']);
    expect([...heads.entries()]).toEqual([['q:a', a1._id]]);
    // An older event waiting for a retry, or held by a run, still holds its queue.
    await inbox().updateOne({ _id: a1._id }, { $set: { runAt: new Date(T0 + LEASE_MS) } });
    expect((await repo.oldestOpenOf(['q:a'])).get('q:a')).toEqual(a1._id);
    await inbox().updateOne({ _id: a1._id }, { $set: { state: 'processing' } });
    expect((await repo.oldestOpenOf(['q:a'])).get('q:a')).toEqual(a1._id);
    await inbox().updateOne({ _id: a1._id }, { $set: { state: 'done' } });
    expect((await repo.oldestOpenOf(['q:a'])).get('q:a')).toEqual(a2._id);
  });
});
