import { Injectable, Logger } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { ConversationCounts } from '@conecta/contracts';
import type { Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import type { WorkspaceId } from '../common/workspace-id';
import { isDuplicateKeyError, workspaceOid } from '../database/repository-helpers';
import {
  applyDelta,
  CONVERSATION_COUNTS_COLLECTION,
  CONVERSATION_TALLIES_COLLECTION,
  counterDelta,
  type CountedState,
  countsFromCounters,
  type CountsSnapshotDoc,
  sameCountedState,
  snapshotId,
  type TallyDoc,
} from './conversation-counts';

/** Unfolded deltas a read tolerates before it folds them into a new snapshot. */
const FOLD_AT = 100;
/** Deltas one snapshot takes in at most (its `folded` list stays a small document). */
const FOLD_MAX = 5000;
/** Settling one conversation gives up after this many lost races (its next change settles it). */
const SETTLE_ATTEMPTS = 20;

/**
 * Conversation counts kept as counters (decision 0023): insert-only deltas per conversation
 * transition plus a per-workspace snapshot they are folded into. Only unique inserts and
 * idempotent updates are used, so the counts stay exact on an engine whose updates are not
 * atomic (FerretDB) as on one whose are.
 */
@Injectable()
export class ConversationCountersRepository {
  private readonly logger = new Logger(ConversationCountersRepository.name);

  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get db() {
    const db = this.connection.db;
    if (!db) throw new Error('database connection has no db handle');
    return db;
  }

  private get tallies(): Collection<TallyDoc> {
    return this.db.collection<TallyDoc>(CONVERSATION_TALLIES_COLLECTION);
  }

  private get snapshots(): Collection<CountsSnapshotDoc> {
    return this.db.collection<CountsSnapshotDoc>(CONVERSATION_COUNTS_COLLECTION);
  }

  /**
   * Brings the counters in line with the conversation as it is now: `current` reads its counted
   * state (null once deleted). Call after every write that may change a counted field; `known` is
   * the state the write has just returned (spares a read), `created` says the write inserted it.
   *
   * Each pass compares the newest delta with the conversation and writes the difference as the
   * next delta; a writer that loses the unique insert reads again. A writer stops only when a read
   * made after its own insert agrees with it, so after the last change of a conversation its
   * newest delta is its state, however the writers interleaved.
   */
  async settle(
    workspaceId: WorkspaceId,
    conversationId: string,
    current: () => Promise<CountedState | null>,
    known?: { state: CountedState | null; created?: boolean },
  ): Promise<void> {
    let state = known ? known.state : await current();
    // The first delta of a new conversation needs no read: any later writer reads after it.
    if (known?.created && (await this.insertDelta(workspaceId, conversationId, 1, null, state))) {
      return;
    }
    for (let attempt = 0; attempt < SETTLE_ATTEMPTS; attempt++) {
      const head = await this.tallies
        .find({ conversationId }, { projection: { seq: 1, state: 1 } })
        .sort({ seq: -1 })
        .limit(1)
        .next();
      const before = head?.state ?? null;
      if (sameCountedState(before, state)) return;
      const inserted = await this.insertDelta(
        workspaceId,
        conversationId,
        (head?.seq ?? 0) + 1,
        before,
        state,
      );
      const written = state;
      state = await current();
      if (inserted && sameCountedState(written, state)) return;
    }
    this.logger.warn(
      `counters of conversation ${conversationId} not settled; its next change will`,
    );
  }

  private async insertDelta(
    workspaceId: WorkspaceId,
    conversationId: string,
    seq: number,
    before: CountedState | null,
    after: CountedState | null,
  ): Promise<boolean> {
    try {
      await this.tallies.insertOne({
        _id: `${conversationId}:${seq}`,
        workspaceId: workspaceOid(workspaceId),
        conversationId,
        seq,
        state: after,
        ...counterDelta(before, after),
        pending: workspaceId,
        at: new Date(),
      });
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  /** The counts of the workspace: its newest snapshot plus the deltas not folded into it yet. */
  async counts(
    workspaceId: WorkspaceId,
    chatbotId: string | undefined,
    viewerId: string | null,
  ): Promise<ConversationCounts> {
    const { counters } = await this.read(workspaceId);
    return countsFromCounters(counters, chatbotId, viewerId);
  }

  /**
   * Snapshot, deltas, snapshot again: a fold that lands between the two snapshot reads could
   * have taken deltas out of the middle read, so the read is repeated. A fold only happens every
   * {@link FOLD_AT} deltas, so one repeat is already rare.
   */
  private async read(workspaceId: WorkspaceId): Promise<{ counters: Map<string, number> }> {
    for (let attempt = 0; ; attempt++) {
      const snapshot = await this.latestSnapshot(workspaceId);
      const deltas = await this.tallies
        .find({ pending: workspaceId }, { projection: { plus: 1, minus: 1 } })
        .toArray();
      const again = await this.latestSnapshot(workspaceId);
      if ((again?.gen ?? 0) !== (snapshot?.gen ?? 0) && attempt < 5) continue;
      const counters = new Map((snapshot?.counts ?? []).map((c) => [c.k, c.n]));
      const folded = new Set(snapshot?.folded ?? []);
      const unfolded = deltas.filter((d) => !folded.has(d._id));
      for (const d of unfolded) applyDelta(counters, d);
      if (unfolded.length >= FOLD_AT) await this.fold(workspaceId, snapshot, unfolded);
      return { counters };
    }
  }

  private async latestSnapshot(workspaceId: WorkspaceId): Promise<CountsSnapshotDoc | null> {
    const docs = await this.snapshots.find({ workspaceId: workspaceOid(workspaceId) }).toArray();
    return docs.reduce<CountsSnapshotDoc | null>((a, b) => (a && a.gen >= b.gen ? a : b), null);
  }

  /**
   * Folds deltas into generation `gen + 1`. Everything generation `gen` folded is first marked
   * folded for good (idempotent: a fold that stopped halfway is finished here), so a snapshot only
   * ever needs to name its own deltas. Two folds of one generation race on a unique insert; the
   * loser changes nothing.
   */
  private async fold(
    workspaceId: WorkspaceId,
    base: CountsSnapshotDoc | null,
    unfolded: Pick<TallyDoc, '_id' | 'plus' | 'minus'>[],
  ): Promise<void> {
    if (base && base.folded.length > 0) {
      await this.tallies.updateMany({ _id: { $in: base.folded } }, { $unset: { pending: '' } });
    }
    const batch = unfolded.slice(0, FOLD_MAX);
    const counters = new Map((base?.counts ?? []).map((c) => [c.k, c.n]));
    for (const d of batch) applyDelta(counters, d);
    const gen = (base?.gen ?? 0) + 1;
    try {
      await this.snapshots.insertOne({
        _id: snapshotId(workspaceId, gen),
        workspaceId: workspaceOid(workspaceId),
        gen,
        counts: [...counters].filter(([, n]) => n !== 0).map(([k, n]) => ({ k, n })),
        folded: batch.map((d) => d._id),
        at: new Date(),
      });
    } catch (err) {
      if (isDuplicateKeyError(err)) return;
      throw err;
    }
    await this.tallies.updateMany(
      { _id: { $in: batch.map((d) => d._id) } },
      { $unset: { pending: '' } },
    );
    await this.snapshots.deleteMany({
      workspaceId: workspaceOid(workspaceId),
      gen: { $lt: gen - 1 },
    });
  }
}
