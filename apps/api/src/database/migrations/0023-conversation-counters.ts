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
    collection: 'conversations',
    key: { workspaceId: 1, channel: 1, activityDay: 1, lastMessageAt: -1, _id: -1 },
    options: { name: 'workspace_channel_day_activity' },
  },
  {
    collection: 'conversations',
    key: { workspaceId: 1, status: 1, activityDay: 1, lastMessageAt: -1, _id: -1 },
    options: { name: 'workspace_status_day_activity' },
  },
  {
    collection: CONVERSATION_TALLIES_COLLECTION,
    key: { conversationId: 1, seq: -1 },
    options: { name: 'tallies_conversation_seq' },
  },
  {
    collection: CONVERSATION_TALLIES_COLLECTION,
    key: { pending: 1 },
    options: { name: 'tallies_pending', sparse: true },
  },
  {
    collection: CONVERSATION_COUNTS_COLLECTION,
    key: { workspaceId: 1 },
    options: { name: 'counts_workspace' },
  },
];
const indexes = indexMigration('0023', 'conversation counters indexes', INDEXES);

async function dropCounters(db: Db): Promise<void> {
  // Listed without a filter: mongo-java-server ignores a listCollections filter.
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
  for (const name of [CONVERSATION_TALLIES_COLLECTION, CONVERSATION_COUNTS_COLLECTION]) {
    if (names.includes(name)) await db.collection(name).drop();
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
    const conversations = db.collection('conversations');
    // One update per day (BATCH conversations at most): the embedded database writes the documents
    // of one update together, where one update per document took minutes at 10,000.
    const days = new Map<string, ObjectId[]>();
    const setDay = async (day: string, ids: ObjectId[]): Promise<void> => {
      await conversations.updateMany({ _id: { $in: ids } }, { $set: { activityDay: day } });
    };
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
        const ids = days.get(day) ?? [];
        days.set(day, ids);
        ids.push(doc._id as ObjectId);
      }
      if (batch.length === BATCH) {
        await tallies.bulkWrite(batch, { ordered: false });
        batch = [];
      }
    }
    if (batch.length > 0) await tallies.bulkWrite(batch, { ordered: false });
    // After the scan, not during it: a document changed under an open cursor could come round again.
    for (const [day, ids] of days) {
      for (let i = 0; i < ids.length; i += BATCH) await setDay(day, ids.slice(i, i + BATCH));
    }
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
