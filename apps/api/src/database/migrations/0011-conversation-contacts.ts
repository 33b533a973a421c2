import { type IndexDef, indexMigration } from './migration';

// Every inbound WhatsApp message finds its customer's thread by BSUID, else by the phone the thread
// learned later (conversations.repository touchWhatsAppThread, findThreadByPhone).
const INDEXES: IndexDef[] = [
  {
    collection: 'conversations',
    key: { workspaceId: 1, chatbotId: 1, contactUserId: 1 },
    options: { name: 'chatbot_contact_user', sparse: true },
  },
  {
    collection: 'conversations',
    key: { workspaceId: 1, chatbotId: 1, contactPhone: 1 },
    options: { name: 'chatbot_contact_phone', sparse: true },
  },
];

export const m0011ConversationContacts = indexMigration(
  '0011-conversation-contacts',
  'WhatsApp customers found by BSUID or phone',
  INDEXES,
);
