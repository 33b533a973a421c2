import { type IndexDef, indexMigration } from './migration';

// A phone number id is connected once across all workspaces; a chatbot has one integration per
// platform; lists filter by workspace and chatbot; the health check and webhook read active ones.
const INDEXES: IndexDef[] = [
  {
    collection: 'integrations',
    key: { phoneNumberId: 1 },
    options: { name: 'phone_number_id_unique', unique: true },
  },
  {
    collection: 'integrations',
    key: { chatbotId: 1, platform: 1 },
    options: { name: 'chatbot_platform_unique', unique: true },
  },
  {
    collection: 'integrations',
    key: { workspaceId: 1, chatbotId: 1 },
    options: { name: 'workspace_chatbot' },
  },
  {
    collection: 'integrations',
    key: { platform: 1, isActive: 1 },
    options: { name: 'platform_active' },
  },
  {
    collection: 'integrations',
    key: { businessAccountId: 1 },
    options: { name: 'business_account' },
  },
  {
    collection: 'integrations',
    key: { webhookVerifyTokenHash: 1 },
    options: { name: 'verify_token_hash' },
  },
];

export const m0005Integrations = indexMigration(
  '0005-integrations',
  'integrations indexes (unique phone number id, one integration per chatbot and platform)',
  INDEXES,
);
