import { type IndexDef, indexMigration } from './migration';

// The unique `key` deduplicates redelivered webhooks; workers look for due events by state and
// time, and walk one conversation queue in insertion order; admins list by workspace and state.
const INDEXES: IndexDef[] = [
  {
    collection: 'whatsapp_inbox',
    key: { key: 1 },
    options: { name: 'inbox_key_unique', unique: true },
  },
  {
    collection: 'whatsapp_inbox',
    key: { state: 1, runAt: 1 },
    options: { name: 'inbox_state_run_at' },
  },
  {
    collection: 'whatsapp_inbox',
    key: { state: 1, leaseUntil: 1 },
    options: { name: 'inbox_state_lease' },
  },
  {
    collection: 'whatsapp_inbox',
    key: { queueKey: 1, state: 1, _id: 1 },
    options: { name: 'inbox_queue_order' },
  },
  {
    collection: 'whatsapp_inbox',
    key: { workspaceId: 1, state: 1, _id: -1 },
    options: { name: 'inbox_workspace_state' },
  },
  {
    collection: 'whatsapp_inbox_claims',
    key: { at: 1 },
    options: { name: 'inbox_claims_at' },
  },
];

export const m0006WhatsappInbox = indexMigration(
  '0006-whatsapp-inbox',
  'WhatsApp webhook inbox: unique event key and worker indexes',
  INDEXES,
);
