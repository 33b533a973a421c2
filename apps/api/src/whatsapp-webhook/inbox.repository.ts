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
  pending: number;
  processing: number;
  dead: number;
  oldestOpenAt: Date | null;
}

const OPEN_STATES: InboxState[] = ['pending', 'processing'];

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
   * poll would cost the whole backlog. Order within a queue is enforced by {@link oldestOpen}.
   * `runAt` is compared with the inbox clock (`dueAt`), leases with the wall clock.
   */
  async dueEvents(limit: number, dueAt: Date): Promise<InboxDoc[]> {
    const now = new Date();
    const [due, expired] = await Promise.all([
      this.events.find({ state: 'pending', runAt: { $lte: dueAt } }, { limit }).toArray(),
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
   * Claims an event as read in `doc`: inserts the unique claim `<id>:<claimSeq + 1>`, so that of
   * several workers holding the same (possibly stale) read exactly one wins; then marks the event
   * processing under a lease, only if no other claim marked it since `doc` was read. Null when
   * another worker claimed it first.
   * A claimer that died between its insert and its mark left a claim and an unmarked event:
   * once that claim is older than a lease (`now` is the clock), the next number is taken instead.
   */
  async claim(
    doc: InboxDoc,
    workerId: string,
    leaseMs: number,
    now: Date = new Date(),
  ): Promise<InboxDoc | null> {
    const readSeq = doc.claimSeq ?? 0;
    let seq = readSeq + 1;
    for (;;) {
      try {
        await this.claims.insertOne({ _id: `${String(doc._id)}:${seq}`, workerId, at: now });
        break;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      const [taken, current] = await Promise.all([
        this.claims.findOne({ _id: `${String(doc._id)}:${seq}` }),
        this.events.findOne({ _id: doc._id }, { projection: { claimSeq: 1 } }),
      ]);
      const abandoned =
        taken !== null &&
        current !== null &&
        (current.claimSeq ?? 0) === readSeq &&
        taken.at.getTime() <= now.getTime() - leaseMs;
      if (!abandoned) return null;
      seq += 1;
    }
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const marked = await this.events.updateOne(
      { _id: doc._id, claimSeq: readSeq },
      {
        $set: { state: 'processing', workerId, leaseUntil, claimSeq: seq },
        $inc: { attempts: 1 },
      },
    );
    if (marked.matchedCount === 0) return null;
    return {
      ...doc,
      state: 'processing',
      workerId,
      leaseUntil,
      claimSeq: seq,
      attempts: doc.attempts + 1,
    };
  }

  /** Forgets old claims (they only matter while their event may still be claimed again). */
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
  async renewLease(id: ObjectId, claimSeq: number, leaseMs: number): Promise<boolean> {
    const leaseUntil = new Date(Date.now() + leaseMs);
    const res = await this.events.updateOne({ _id: id, claimSeq }, { $set: { leaseUntil } });
    return res.matchedCount > 0;
  }

  /** Stores progress; false when this claim no longer holds the event. */
  async saveProgress(id: ObjectId, claimSeq: number, progress: InboxProgress): Promise<boolean> {
    const set = progressSet(progress);
    if (Object.keys(set).length === 0) return true;
    const res = await this.events.updateOne({ _id: id, claimSeq }, { $set: set });
    return res.matchedCount > 0;
  }

  /** Ends an event (done, ignored or dead), with its last progress. Only the current claim may. */
  async finish(
    id: ObjectId,
    claimSeq: number,
    state: 'done' | 'ignored' | 'dead',
    lastError: string | null = null,
    progress: InboxProgress = {},
  ): Promise<void> {
    await this.events.updateOne(
      { _id: id, claimSeq },
      {
        $set: {
          ...progressSet(progress),
          state,
          processedAt: new Date(),
          leaseUntil: null,
          lastError,
        },
      },
    );
  }

  /**
   * Puts an event back to wait until `runAt`, with the progress made so far. `countAttempt` false
   * undoes the claim's increment (a deliberate wait, such as the burst window, is not a failure).
   */
  async reschedule(
    id: ObjectId,
    claimSeq: number,
    runAt: Date,
    lastError: string | null,
    countAttempt: boolean,
    progress: InboxProgress = {},
  ): Promise<void> {
    await this.events.updateOne(
      { _id: id, claimSeq },
      {
        $set: {
          ...progressSet(progress),
          state: 'pending',
          runAt,
          leaseUntil: null,
          workerId: null,
          lastError,
        },
        ...(countAttempt ? {} : { $inc: { attempts: -1 } }),
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
