import { type AnyBulkWriteOperation, type Db, type Document, ObjectId } from 'mongodb';
import type { Migration } from './migration';

/** The collections that stored the workspace id as a string; every other one stores an ObjectId. */
const COLLECTIONS = ['conversations', 'messages', 'whatsapp_inbox'] as const;
const BATCH = 500;

/**
 * Rewrites `workspaceId` of each document whose stored value is of `from`'s type, in batches.
 * Each update matches the value it read, so a run that stopped halfway is simply run again.
 */
async function convert(
  db: Db,
  from: 'string' | 'objectId',
  to: (value: unknown) => unknown,
): Promise<void> {
  for (const name of COLLECTIONS) {
    const collection = db.collection(name);
    for (;;) {
      const docs = await collection
        .find({ workspaceId: { $type: from } }, { projection: { _id: 1, workspaceId: 1 } })
        .limit(BATCH)
        .toArray();
      const ops: AnyBulkWriteOperation<Document>[] = [];
      for (const doc of docs) {
        const next = to(doc.workspaceId);
        if (next === undefined) continue;
        ops.push({
          updateOne: {
            filter: { _id: doc._id, workspaceId: doc.workspaceId },
            update: { $set: { workspaceId: next } },
          },
        });
      }
      if (ops.length > 0) await collection.bulkWrite(ops, { ordered: false });
      // A batch with nothing convertible (malformed ids, left as they are) ends the collection.
      if (docs.length < BATCH || ops.length === 0) break;
    }
  }
}

/** One storage type for `workspaceId`: ObjectId, as in every other collection. */
export const m0016WorkspaceObjectIds: Migration = {
  id: '0016-workspace-object-ids',
  description: 'workspaceId stored as an ObjectId in conversations, messages and the inbox',
  async up(db) {
    await convert(db, 'string', (value) =>
      typeof value === 'string' && /^[a-f0-9]{24}$/i.test(value) ? new ObjectId(value) : undefined,
    );
  },
  async down(db) {
    await convert(db, 'objectId', (value) =>
      value instanceof ObjectId ? value.toHexString() : undefined,
    );
  },
};
