import type { AnyBulkWriteOperation, Db, Document, ObjectId } from 'mongodb';
import {
  applyDelta,
  CONVERSATION_COUNTS_COLLECTION,
  CONVERSATION_TALLIES_COLLECTION,
  counterDelta,
  type CountedState,
  type CountsSnapshotDoc,
  snapshotId,
  type TallyDoc,
} from '../../conversations/conversation-counts';
import { activityDayOf } from '../../conversations/activity-day';
import { type IndexDef, indexMigration, type Migration } from './migration';

const BATCH = 1000;

const INDEXES: IndexDef[] = [
  {
    collection: 'conversations',
    key: { workspaceId: 1, activityDay: 1, lastMessageAt: -1, _id: -1 },
    options: { name: 'workspace_day_activity' },
  },
  {
    collection: CONVERSATION_TALLIES_COLLECTION,
    key: { conversationId: 1, seq: -1 },
    options: { name: 'conversation_seq' },
  },
  {
    collection: CONVERSATION_TALLIES_COLLECTION,
    key: { pending: 1 },
    options: { name: 'pending', sparse: true },
  },
  {
    collection: CONVERSATION_COUNTS_COLLECTION,
    key: { workspaceId: 1 },
    options: { name: 'workspace' },
  },
];
const indexes = indexMigration('0023', 'conversation counters indexes', INDEXES);

async function dropCounters(db: Db): Promise<void> {
  for (const name of [CONVERSATION_TALLIES_COLLECTION, CONVERSATION_COUNTS_COLLECTION]) {
    const exists = await db.listCollections({ name }, { nameOnly: true }).hasNext();
    if (exists) await db.collection(name).drop();
  }
}

/**
 * Conversation counts from counters (decision 0023): every existing conversation gets its first,
 * already-folded delta (its state now) and each workspace a first snapshot with the totals. Each
 * conversation also gets the day of its last message, by which the list reads day by day. A run
 * that stopped halfway starts over (`down`, then `up`): the tallies and snapshots are rebuilt
 * from the conversations, which stay as they are.
 */
export const m0023ConversationCounters: Migration = {
  id: '0023-conversation-counters',
  description:
    'conversation counts from counters: per-conversation tallies and workspace snapshots',
  async up(db: Db): Promise<void> {
    await dropCounters(db);
    await indexes.up(db);
    const tallies = db.collection<TallyDoc>(CONVERSATION_TALLIES_COLLECTION);
    const perWorkspace = new Map<string, { oid: ObjectId; counts: Map<string, number> }>();
    const cursor = db.collection('conversations').find(
      {},
      {
        projection: {
          workspaceId: 1,
          chatbotId: 1,
          channel: 1,
          status: 1,
          assigneeId: 1,
          lastMessageAt: 1,
          activityDay: 1,
        },
      },
    );
    let days: AnyBulkWriteOperation[] = [];
    let batch: AnyBulkWriteOperation<TallyDoc>[] = [];
    const at = new Date();
    for await (const doc of cursor as AsyncIterable<Document>) {
      const workspace = doc.workspaceId as ObjectId;
      const hex = workspace.toHexString();
      const state: CountedState = {
        chatbotId: String(doc.chatbotId),
        channel: String(doc.channel),
        status: String(doc.status ?? 'open'),
        assigneeId: (doc.assigneeId as string | null | undefined) ?? null,
      };
      const delta = counterDelta(null, state);
      const ws = perWorkspace.get(hex) ?? { oid: workspace, counts: new Map<string, number>() };
      perWorkspace.set(hex, ws);
      applyDelta(ws.counts, delta);
      const conversationId = (doc._id as ObjectId).toHexString();
      batch.push({
        insertOne: {
          document: {
            _id: `${conversationId}:1`,
            workspaceId: workspace,
            conversationId,
            seq: 1,
            state,
            ...delta,
            at,
          },
        },
      });
      const day = doc.lastMessageAt instanceof Date ? activityDayOf(doc.lastMessageAt) : null;
      if (day !== null && doc.activityDay !== day) {
        days.push({
          updateOne: { filter: { _id: doc._id }, update: { $set: { activityDay: day } } },
        });
      }
      if (batch.length === BATCH) {
        await tallies.bulkWrite(batch, { ordered: false });
        batch = [];
      }
      if (days.length === BATCH) {
        await db.collection('conversations').bulkWrite(days, { ordered: false });
        days = [];
      }
    }
    if (batch.length > 0) await tallies.bulkWrite(batch, { ordered: false });
    if (days.length > 0) await db.collection('conversations').bulkWrite(days, { ordered: false });
    const snapshots = db.collection<CountsSnapshotDoc>(CONVERSATION_COUNTS_COLLECTION);
    for (const [hex, ws] of perWorkspace) {
      await snapshots.insertOne({
        _id: snapshotId(hex, 1),
        workspaceId: ws.oid,
        gen: 1,
        counts: [...ws.counts].filter(([, n]) => n !== 0).map(([k, n]) => ({ k, n })),
        folded: [],
        at,
      });
    }
  },
  async down(db: Db): Promise<void> {
    await indexes.down(db);
    await dropCounters(db);
    await db.collection('conversations').updateMany({}, { $unset: { activityDay: '' } });
  },
};
