import { type IndexDef, indexMigration } from './migration';

// Management webhooks are stored once per (inbox event, integration) and read newest first per
// integration and field; the parts of split replies and their statuses are read per message
// (their `_id` is the wamid, or `<wamid>|<status>`, so inserts are the dedup).
const INDEXES: IndexDef[] = [
  {
    collection: 'whatsapp_account_notices',
    key: { key: 1 },
    options: { name: 'account_notice_key_unique', unique: true },
  },
  {
    collection: 'whatsapp_account_notices',
    key: { integrationId: 1, field: 1, at: -1, _id: -1 },
    options: { name: 'account_notice_latest' },
  },
  {
    collection: 'message_parts',
    key: { messageId: 1 },
    options: { name: 'message_parts_message' },
  },
  {
    collection: 'message_part_statuses',
    key: { messageId: 1 },
    options: { name: 'message_part_statuses_message' },
  },
];

export const m0012AccountNoticesAndReplyParts = indexMigration(
  '0012-account-notices-and-reply-parts',
  'Account notices per integration; parts of split replies and their statuses',
  INDEXES,
);
