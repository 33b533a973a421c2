import type { AnyBulkWriteOperation, Db, Document } from 'mongodb';
import type { Migration } from './migration';

const FIELDS = ['lastActivity', 'lastWebhookAt', 'lastSendOkAt'] as const;
const BATCH = 500;

/** Only the timestamps that are set (a null or absent one is no activity). */
function timesOf(doc: Document): Record<string, Date> {
  const times: Record<string, Date> = {};
  for (const field of FIELDS) if (doc[field] instanceof Date) times[field] = doc[field];
  return times;
}

/**
 * Activity timestamps leave the integration for their own document (`integration_activity`, `_id`
 * = the integration's): the store rewrites a whole document per update, so an activity write
 * racing a status write could put the old status back. Copies are upserts and the fields are
 * unset only after their copy, so a run that stopped halfway is simply run again.
 */
export const m0019IntegrationActivity: Migration = {
  id: '0019-integration-activity',
  description: 'integration activity timestamps in their own collection, integration_activity',
  async up(db: Db) {
    const integrations = db.collection('integrations');
    const activity = db.collection('integration_activity');
    const unset = Object.fromEntries(FIELDS.map((f) => [f, '']));
    for (;;) {
      const docs = await integrations
        .find(
          { $or: FIELDS.map((f) => ({ [f]: { $exists: true } })) },
          {
            projection: {
              _id: 1,
              workspaceId: 1,
              lastActivity: 1,
              lastWebhookAt: 1,
              lastSendOkAt: 1,
            },
          },
        )
        .limit(BATCH)
        .toArray();
      if (docs.length === 0) break;
      const copies: AnyBulkWriteOperation<Document>[] = docs
        .filter((doc) => Object.keys(timesOf(doc)).length > 0)
        .map((doc) => ({
          updateOne: {
            filter: { _id: doc._id },
            update: { $set: { workspaceId: doc.workspaceId, ...timesOf(doc) } },
            upsert: true,
          },
        }));
      if (copies.length > 0) await activity.bulkWrite(copies, { ordered: false });
      await integrations.updateMany({ _id: { $in: docs.map((d) => d._id) } }, { $unset: unset });
      if (docs.length < BATCH) break;
    }
  },
  async down(db: Db) {
    const integrations = db.collection('integrations');
    const activity = db.collection('integration_activity');
    for (;;) {
      const docs = await activity.find({}).limit(BATCH).toArray();
      if (docs.length === 0) break;
      const copies: AnyBulkWriteOperation<Document>[] = docs.map((doc) => ({
        updateOne: {
          filter: { _id: doc._id },
          update: {
            $set: Object.fromEntries(
              FIELDS.map((f) => [f, doc[f] instanceof Date ? doc[f] : null]),
            ),
          },
        },
      }));
      await integrations.bulkWrite(copies, { ordered: false });
      await activity.deleteMany({ _id: { $in: docs.map((d) => d._id) } });
      if (docs.length < BATCH) break;
    }
  },
};
