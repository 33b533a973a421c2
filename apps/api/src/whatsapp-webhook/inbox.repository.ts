import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { InboxState } from '@conecta/contracts';
import { type Collection, MongoBulkWriteError, ObjectId } from 'mongodb';
import type { Connection } from 'mongoose';
import {
  INBOX_COLLECTION,
  INBOX_CLAIMS_COLLECTION,
  type InboxDoc,
  type InboxClaimDoc,
  type InboxProgress,
} from './inbox.schema';
import { isDuplicateKeyError, oid, workspaceOid } from '../database/repository-helpers';
import type { WorkspaceId } from '../common/workspace-id';

/** An event to store; its workspace id as callers hold it (stored as an ObjectId). */
export type NewInboxDoc = Omit<InboxDoc, '_id' | 'workspaceId'> & {
  workspaceId: WorkspaceId | null;
};

export interface InboxStats {
  /** Events waiting, and events a run has claimed but not written yet (a text being answered). */
  pending: number;
  /** Events a run has written: a reply being sent (its intent stored), or a taken-over run. */
  processing: number;
  dead: number;
  oldestOpenAt: Date | null;
}

const OPEN_STATES: InboxState[] = ['pending', 'processing'];

/** An event as one claim holds it. */
export interface InboxClaim {
  /** The event as read, with this claim's number (`claimSeq`), worker and attempt count. */
  doc: InboxDoc;
  /**
   * The claim number the stored event carries: the one it was read at until the claim's first
   * write marks the event (see {@link ClaimFence}), then `doc.claimSeq`.
   */
  fenceSeq: number;
}

/** Which claim may write an event, and what the claim's first write records on it. */
export interface ClaimFence {
  id: ObjectId;
  /** The claim number the stored event must carry for the write to apply. */
  claimSeq: number;
  /** With a claim's first write: the claim it marks on the event (its number becomes the fence). */
  mark?: { claimSeq: number; workerId: string; attempts: number };
}

function markSet(fence: ClaimFence): Record<string, unknown> {
  return fence.mark ? { ...fence.mark } : {};
}

/** The `$set` of a progress patch: each field set on its own, absent ones left alone. */
function progressSet(progress: InboxProgress): Record<string, unknown> {
  const set: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(progress)) {
    if (value !== undefined) set[`progress.${key}`] = value;
  }
  return set;
}

/**
 * The inbox collections, through the plain driver: the intake path is one `insertMany` and the
 * workers claim events through unique claim documents (see {@link claim}). Indexes are in migration 0006.
 */
@Injectable()
export class InboxRepository {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get events(): Collection<InboxDoc> {
    const db = this.connection.db;
    if (!db) throw new Error('database connection has no db handle');
    return db.collection<InboxDoc>(INBOX_COLLECTION);
  }

  private get claims(): Collection<InboxClaimDoc> {
    const db = this.connection.db;
    if (!db) throw new Error('database connection has no db handle');
    return db.collection<InboxClaimDoc>(INBOX_CLAIMS_COLLECTION);
  }

  /**
   * Stores events in one unordered bulk insert. Events whose key is already stored (a redelivered
   * webhook) count as duplicates; any other failure throws.
   */
  async insertMany(docs: NewInboxDoc[]): Promise<{ inserted: number; duplicates: number }> {
    if (docs.length === 0) return { inserted: 0, duplicates: 0 };
    try {
      const result = await this.events.insertMany(
        docs.map((d) => ({
          ...d,
          _id: new ObjectId(),
          workspaceId: d.workspaceId === null ? null : workspaceOid(d.workspaceId),
        })),
        { ordered: false },
      );
      return { inserted: result.insertedCount, duplicates: 0 };
    } catch (error) {
      if (error instanceof MongoBulkWriteError) {
        const errors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
        if (errors.length > 0 && errors.every(isDuplicateKeyError)) {
          return { inserted: docs.length - errors.length, duplicates: errors.length };
        }
      }
      if (isDuplicateKeyError(error) && docs.length === 1) return { inserted: 0, duplicates: 1 };
      throw error;
    }
  }

  /**
   * Some events that are due (pending and runAt passed, or processing with an expired lease).
   * Unsorted on purpose: both servers walk the `state` indexes (roughly oldest `runAt` first)
   * and stop at `limit`, where a sort would read every due event first — on a large backlog each
   * poll would cost the whole backlog. Order within a queue is enforced by {@link oldestOpenOf}.
   * `runAt` and leases are compared with the inbox clock (`now`).
   */
  async dueEvents(limit: number, now: Date): Promise<InboxDoc[]> {
    const [due, expired] = await Promise.all([
      this.events.find({ state: 'pending', runAt: { $lte: now } }, { limit }).toArray(),
      this.events.find({ state: 'processing', leaseUntil: { $lt: now } }, { limit }).toArray(),
    ]);
    return [...expired, ...due];
  }

  /** Backlog figures for metrics and health: events by open state, dead ones, the oldest pending. */
  async stats(): Promise<InboxStats> {
    const [pending, processing, dead, oldest] = await Promise.all([
      this.events.countDocuments({ state: 'pending' }),
      this.events.countDocuments({ state: 'processing' }),
      this.events.countDocuments({ state: 'dead' }),
      this.events.findOne(
        { state: { $in: OPEN_STATES } },
        { sort: { _id: 1 }, projection: { receivedAt: 1 } },
      ),
    ]);
    return { pending, processing, dead, oldestOpenAt: oldest?.receivedAt ?? null };
  }

  /** The oldest event of a queue that is not finished: the only one that may run next. */
  async oldestOpen(queueKey: string): Promise<InboxDoc | null> {
    return this.events.findOne({ queueKey, state: { $in: OPEN_STATES } }, { sort: { _id: 1 } });
  }

  /**
   * {@link oldestOpen} of several queues in one query: the id of each queue's oldest unfinished
   * event. An equality `$in` on the queue index's leading fields (served by both servers); the
   * minimum is taken here, a sort would not be.
   */
  async oldestOpenOf(queueKeys: string[]): Promise<Map<string, ObjectId>> {
    const heads = new Map<string, ObjectId>();
    if (queueKeys.length === 0) return heads;
    const open = await this.events
      .find(
        { queueKey: { $in: queueKeys }, state: { $in: OPEN_STATES } },
        { projection: { _id: 1, queueKey: 1 } },
      )
      .toArray();
    for (const { _id, queueKey } of open) {
      if (queueKey === null) continue;
      const head = heads.get(queueKey);
      if (!head || _id.toHexString() < head.toHexString()) heads.set(queueKey, _id);
    }
    return heads;
  }

  /**
   * Claims an event as read in `doc`: inserts the unique claim `<id>:<claimSeq + 1>`, so that of
   * several workers holding the same (possibly stale) read exactly one wins. Null when another
   * claim holds it. The event itself is not written: the claim's first write marks it (see
   * {@link ClaimFence}), fenced by the number it was read at, and until then the claim document
   * is the lease ({@link renewClaim}).
   * A claimer that died before its first write left a claim and an unmarked event: once that
   * claim is a lease old (`now` is the inbox clock), the next number is taken instead. Such a
   * takeover, like the takeover of a run whose lease expired, marks the event at once: the run it
   * replaces is fenced by the number the event carries, and must be refused from now on.
   * `attempts` counts every claim, those of runs that died before writing too.
   */
  async claim(
    doc: InboxDoc,
    workerId: string,
    leaseMs: number,
    now: Date,
  ): Promise<InboxClaim | null> {
    const readSeq = doc.claimSeq ?? 0;
    let seq = readSeq + 1;
    for (;;) {
      try {
        await this.claims.insertOne({ _id: `${String(doc._id)}:${seq}`, workerId, at: now });
        break;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      // A live claim (the usual case: another process runs the event) settles it in one read.
      const taken = await this.claims.findOne({ _id: `${String(doc._id)}:${seq}` });
      if (taken === null || taken.at.getTime() > now.getTime() - leaseMs) return null;
      const current = await this.events.findOne({ _id: doc._id }, { projection: { claimSeq: 1 } });
      if (current === null || (current.claimSeq ?? 0) !== readSeq) return null;
      seq += 1;
    }
    const attempts = doc.attempts + (seq - readSeq);
    const claimed: InboxDoc = { ...doc, workerId, claimSeq: seq, attempts };
    if (doc.state !== 'processing' && seq === readSeq + 1) {
      return { doc: claimed, fenceSeq: readSeq };
    }
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const marked = await this.events.updateOne(
      { _id: doc._id, claimSeq: readSeq },
      { $set: { state: 'processing', workerId, leaseUntil, claimSeq: seq, attempts } },
    );
    if (marked.matchedCount === 0) return null;
    return { doc: { ...claimed, state: 'processing', leaseUntil }, fenceSeq: seq };
  }

  /**
   * Extends the lease of a claim that has not written its event yet: its claim document's `at`
   * (what a competitor's abandoned-claim check reads).
   */
  async renewClaim(id: ObjectId, claimSeq: number, at: Date): Promise<void> {
    await this.claims.updateOne({ _id: `${String(id)}:${claimSeq}` }, { $set: { at } });
  }

  /**
   * Forgets claims last renewed before `olderThan` (they only matter while their event may still
   * be claimed again). A claim that is still the lease of an unmarked run is renewed more often
   * than a lease, so a cutoff older than a lease never deletes it.
   */
  async pruneClaims(olderThan: Date): Promise<void> {
    await this.claims.deleteMany({ at: { $lt: olderThan } });
  }

  /**
   * Extends the lease of an event this claim holds. Every write to a claimed event (this, progress,
   * its end) is fenced by its claim number, not by the worker id (the loops of one process share
   * that): once another claim took the event over, the old holder's writes match nothing. They
   * come from the holder alone, one after another (see ClaimedEvent): on FerretDB an update is a
   * read-modify-write of the whole document, so two concurrent ones could undo each other.
   */
  async renewLease(id: ObjectId, claimSeq: number, leaseUntil: Date): Promise<boolean> {
    const res = await this.events.updateOne({ _id: id, claimSeq }, { $set: { leaseUntil } });
    return res.matchedCount > 0;
  }

  /**
   * Stores progress; false when this claim no longer holds the event. A claim's first write marks
   * the event processing under the lease `leaseUntil`.
   */
  async saveProgress(
    fence: ClaimFence,
    progress: InboxProgress,
    leaseUntil: Date,
  ): Promise<boolean> {
    const set = {
      ...progressSet(progress),
      ...(fence.mark ? { ...markSet(fence), state: 'processing' as const, leaseUntil } : {}),
    };
    if (Object.keys(set).length === 0) return true;
    const res = await this.events.updateOne(
      { _id: fence.id, claimSeq: fence.claimSeq },
      { $set: set },
    );
    return res.matchedCount > 0;
  }

  /** Ends an event (done, ignored or dead), with its last progress. Only the current claim may. */
  async finish(
    fence: ClaimFence,
    state: 'done' | 'ignored' | 'dead',
    lastError: string | null = null,
    progress: InboxProgress = {},
  ): Promise<void> {
    await this.events.updateOne(
      { _id: fence.id, claimSeq: fence.claimSeq },
      {
        $set: {
          ...progressSet(progress),
          ...markSet(fence),
          state,
          processedAt: new Date(),
          leaseUntil: null,
          lastError,
        },
      },
    );
  }

  /**
   * Puts an event back to wait until `runAt`, with the progress made so far and its attempt count
   * (a deliberate wait, such as the burst window, does not count the claim as a failed attempt).
   */
  async reschedule(
    fence: ClaimFence,
    runAt: Date,
    lastError: string | null,
    attempts: number,
    progress: InboxProgress = {},
  ): Promise<void> {
    await this.events.updateOne(
      { _id: fence.id, claimSeq: fence.claimSeq },
      {
        $set: {
          ...progressSet(progress),
          ...markSet(fence),
          state: 'pending',
          runAt,
          leaseUntil: null,
          workerId: null,
          lastError,
          attempts,
        },
      },
    );
  }

  /** True when a later inbound message of the same conversation is still waiting. */
  async newerMessageWaiting(queueKey: string, afterId: ObjectId): Promise<boolean> {
    const doc = await this.events.findOne(
      { queueKey, kind: 'message', state: { $in: OPEN_STATES }, _id: { $gt: afterId } },
      { projection: { _id: 1 } },
    );
    return doc !== null;
  }

  async list(
    workspaceId: WorkspaceId,
    state: InboxState | undefined,
    limit: number,
  ): Promise<InboxDoc[]> {
    return this.events
      .find(
        { workspaceId: workspaceOid(workspaceId), ...(state ? { state } : {}) },
        { sort: { _id: -1 }, limit, projection: { event: 0 } },
      )
      .toArray();
  }

  async findById(workspaceId: WorkspaceId, id: string): Promise<InboxDoc | null> {
    const _id = oid(id);
    if (!_id) return null;
    return this.events.findOne(
      { _id, workspaceId: workspaceOid(workspaceId) },
      { projection: { event: 0 } },
    );
  }

  /** Makes a dead event pending again, with a fresh attempt budget. */
  async replay(workspaceId: WorkspaceId, id: string): Promise<InboxDoc | null> {
    const _id = oid(id);
    if (!_id) return null;
    return this.events.findOneAndUpdate(
      { _id, workspaceId: workspaceOid(workspaceId), state: 'dead' },
      {
        $set: {
          state: 'pending',
          runAt: new Date(),
          attempts: 0,
          leaseUntil: null,
          workerId: null,
          lastError: null,
          processedAt: null,
        },
      },
      { returnDocument: 'after' },
    );
  }

  /**
   * Erasure: deletes every event of the workspace that names this customer (as sender, contact or
   * recipient of a status), whatever its state — dead letters included. Answers how many.
   */
  async eraseContact(workspaceId: WorkspaceId, waId: string): Promise<number> {
    const res = await this.events.deleteMany({
      workspaceId: workspaceOid(workspaceId),
      $or: [{ 'event.from': waId }, { 'event.waId': waId }, { 'event.recipientId': waId }],
    });
    return res.deletedCount;
  }

  /** Whether any event of the workspace names this customer. */
  async hasContact(workspaceId: WorkspaceId, waId: string): Promise<boolean> {
    const doc = await this.events.findOne(
      {
        workspaceId: workspaceOid(workspaceId),
        $or: [{ 'event.from': waId }, { 'event.waId': waId }, { 'event.recipientId': waId }],
      },
      { projection: { _id: 1 } },
    );
    return doc !== null;
  }

  /**
   * Retention: deletes up to `batchSize` finished events (done or ignored) processed before
   * `cutoff`; their raw payloads hold customers' numbers, names and text. Answers how many.
   */
  async purgeFinishedBefore(cutoff: Date, batchSize: number): Promise<number> {
    const ids = await this.events
      .find(
        { state: { $in: ['done', 'ignored'] }, processedAt: { $lt: cutoff } },
        { projection: { _id: 1 }, limit: batchSize },
      )
      .toArray();
    if (ids.length === 0) return 0;
    const res = await this.events.deleteMany({ _id: { $in: ids.map((d) => d._id) } });
    return res.deletedCount;
  }
}
