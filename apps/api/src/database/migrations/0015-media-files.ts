import { type Db, ObjectId } from 'mongodb';
import { type IndexDef, type Migration, indexMigration } from './migration';

// Message files live in GridFS (`media.files`/`media.chunks`, whose own indexes the driver makes);
// erasure and export find them by conversation, retention by their message's time, and the
// download worker polls its due jobs (docs/decisions/0015-media-storage.md).
const INDEXES: IndexDef[] = [
  {
    collection: 'media.files',
    key: { 'metadata.workspaceId': 1, 'metadata.conversationId': 1 },
    options: { name: 'media_workspace_conversation' },
  },
  {
    collection: 'media.files',
    key: { 'metadata.messageCreatedAt': 1 },
    options: { name: 'media_message_created' },
  },
  {
    collection: 'media.chunks',
    key: { files_id: 1, n: 1 },
    options: { name: 'files_id_1_n_1', unique: true },
  },
  {
    collection: 'media_downloads',
    key: { state: 1, runAt: 1 },
    options: { name: 'media_downloads_due' },
  },
  {
    collection: 'media_downloads',
    key: { workspaceId: 1, conversationId: 1 },
    options: { name: 'media_downloads_conversation' },
  },
];

/** Meta keeps an inbound media id about 7 days (§7): older ones cannot be fetched any more. */
const MEDIA_ID_LIFETIME_MS = 7 * 24 * 3600_000;

interface LegacyMessage {
  _id: ObjectId;
  /** A string before migration 0016, an ObjectId after. */
  workspaceId: string | ObjectId;
  conversationId: ObjectId;
  createdAt: Date;
  media: { id?: string };
}

/**
 * Messages stored before files were kept have a media id and no state: those Meta may still hold
 * get a download job (the worker keeps them), the others are marked expired. Idempotent: a job's
 * id is its message's, and a message with a state is left alone.
 */
export async function backfillLegacyMedia(db: Db, now = new Date()): Promise<void> {
  const messages = db.collection<LegacyMessage>('messages');
  const legacy = messages.find({
    role: 'user',
    'media.id': { $exists: true },
    'media.state': { $exists: false },
  });
  for await (const m of legacy) {
    if (now.getTime() - m.createdAt.getTime() > MEDIA_ID_LIFETIME_MS) {
      await messages.updateOne(
        { _id: m._id },
        { $set: { 'media.state': 'failed', 'media.failureCode': 'MEDIA_EXPIRED' } },
      );
      continue;
    }
    const conversation = await db
      .collection<{ _id: ObjectId; sessionId: string; integrationId?: string | null }>(
        'conversations',
      )
      .findOne({ _id: m.conversationId });
    const phoneNumberId = conversation?.sessionId.split(':')[0];
    if (!conversation?.integrationId || !phoneNumberId || !m.media.id) continue;
    await db.collection<{ _id: string }>('media_downloads').updateOne(
      { _id: m._id.toHexString() },
      {
        $setOnInsert: {
          workspaceId:
            typeof m.workspaceId === 'string' ? new ObjectId(m.workspaceId) : m.workspaceId,
          conversationId: m.conversationId.toHexString(),
          integrationId: conversation.integrationId,
          phoneNumberId,
          mediaId: m.media.id,
          state: 'pending',
          attempts: 0,
          runAt: now,
          createdAt: now,
          lastError: null,
        },
      },
      { upsert: true },
    );
    await messages.updateOne({ _id: m._id }, { $set: { 'media.state': 'pending' } });
  }
}

const indexes = indexMigration(
  '0015-media-files',
  'Message files kept in GridFS and their download queue',
  INDEXES,
);

export const m0015MediaFiles: Migration = {
  ...indexes,
  async up(db) {
    await indexes.up(db);
    await backfillLegacyMedia(db);
  },
};
