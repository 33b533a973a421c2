import type { CreateIndexesOptions, Db, IndexSpecification } from 'mongodb';
import type { Migration } from './migration';

interface IndexDef {
  key: IndexSpecification;
  options: CreateIndexesOptions & { name: string };
}

// A phone number id is connected once across all workspaces; a chatbot has one integration per
// platform; lists filter by workspace and chatbot; the health check and webhook read active ones.
const INDEXES: IndexDef[] = [
  { key: { phoneNumberId: 1 }, options: { name: 'phone_number_id_unique', unique: true } },
  {
    key: { chatbotId: 1, platform: 1 },
    options: { name: 'chatbot_platform_unique', unique: true },
  },
  { key: { workspaceId: 1, chatbotId: 1 }, options: { name: 'workspace_chatbot' } },
  { key: { platform: 1, isActive: 1 }, options: { name: 'platform_active' } },
  { key: { businessAccountId: 1 }, options: { name: 'business_account' } },
  { key: { webhookVerifyTokenHash: 1 }, options: { name: 'verify_token_hash' } },
];

export const m0005Integrations: Migration = {
  id: '0005-integrations',
  description:
    'integrations indexes (unique phone number id, one integration per chatbot and platform)',
  async up(db: Db) {
    for (const index of INDEXES) {
      await db.collection('integrations').createIndex(index.key, index.options);
    }
  },
  async down(db: Db) {
    for (const index of [...INDEXES].reverse()) {
      const exists = await db
        .collection('integrations')
        .indexExists(index.options.name)
        .catch(() => false);
      if (exists) await db.collection('integrations').dropIndex(index.options.name);
    }
  },
};
