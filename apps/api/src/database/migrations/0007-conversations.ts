import { type IndexDef, indexMigration } from './migration';

// The conversation list sorts by (lastMessageAt desc, _id desc) within a workspace, optionally by
// chatbot and channel; threads read by (conversationId, createdAt, _id); retention by createdAt.
const INDEXES: IndexDef[] = [
  {
    collection: 'conversations',
    key: { workspaceId: 1, lastMessageAt: -1, _id: -1 },
    options: { name: 'workspace_activity' },
  },
  {
    collection: 'conversations',
    key: { workspaceId: 1, channel: 1, lastMessageAt: -1, _id: -1 },
    options: { name: 'workspace_channel_activity' },
  },
  {
    collection: 'conversations',
    key: { workspaceId: 1, chatbotId: 1, lastMessageAt: -1, _id: -1 },
    options: { name: 'chatbot_activity' },
  },
  {
    collection: 'conversations',
    key: { workspaceId: 1, chatbotId: 1, channel: 1, lastMessageAt: -1, _id: -1 },
    options: { name: 'chatbot_channel_activity' },
  },
  {
    collection: 'conversations',
    key: { chatbotId: 1, channel: 1, sessionId: 1 },
    options: { name: 'chatbot_channel_session_unique', unique: true },
  },
  {
    collection: 'conversations',
    key: { workspaceId: 1, channel: 1, visitorId: 1 },
    options: { name: 'workspace_channel_visitor' },
  },
  {
    collection: 'messages',
    key: { conversationId: 1, createdAt: 1, _id: 1 },
    options: { name: 'conversation_time' },
  },
  {
    collection: 'messages',
    key: { externalMessageId: 1 },
    options: { name: 'external_message_id_unique', unique: true, sparse: true },
  },
  {
    collection: 'messages',
    key: { createdAt: 1 },
    options: { name: 'created_at' },
  },
];

export const m0007Conversations = indexMigration(
  '0007-conversations',
  'conversations and messages indexes',
  INDEXES,
);
