import { type IndexDef, indexMigration } from './migration';

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

export const m0015MediaFiles = indexMigration(
  '0015-media-files',
  'Message files kept in GridFS and their download queue',
  INDEXES,
);
