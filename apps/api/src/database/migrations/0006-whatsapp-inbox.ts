import type { CreateIndexesOptions, Db, IndexSpecification } from 'mongodb';
import type { Migration } from './migration';

interface IndexDef {
  collection: string;
  key: IndexSpecification;
  options: CreateIndexesOptions & { name: string };
}

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

export const m0006WhatsappInbox: Migration = {
  id: '0006-whatsapp-inbox',
  description: 'WhatsApp webhook inbox: unique event key and worker indexes',
  async up(db: Db) {
    for (const index of INDEXES) {
      await db.collection(index.collection).createIndex(index.key, index.options);
    }
  },
  async down(db: Db) {
    for (const index of [...INDEXES].reverse()) {
      const exists = await db
        .collection(index.collection)
        .indexExists(index.options.name)
        .catch(() => false);
      if (exists) await db.collection(index.collection).dropIndex(index.options.name);
    }
  },
};
