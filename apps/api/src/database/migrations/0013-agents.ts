import { type IndexDef, indexMigration } from './migration';

// Agents in the loop: the list filters by state and assignee (equality fields, then activity);
// an agent's send is stored once per Idempotency-Key; per-user read marks; workspace events read
// by (workspaceId, at) by every event stream.
const INDEXES: IndexDef[] = [
  {
    collection: 'conversations',
    key: { workspaceId: 1, status: 1, lastMessageAt: -1, _id: -1 },
    options: { name: 'workspace_status_activity' },
  },
  {
    collection: 'conversations',
    key: { workspaceId: 1, assigneeId: 1, lastMessageAt: -1, _id: -1 },
    options: { name: 'workspace_assignee_activity' },
  },
  {
    collection: 'messages',
    key: { clientKey: 1 },
    options: { name: 'client_key_unique', unique: true, sparse: true },
  },
  {
    collection: 'conversation_reads',
    key: { workspaceId: 1, userId: 1 },
    options: { name: 'workspace_user' },
  },
  {
    collection: 'workspace_events',
    key: { workspaceId: 1, at: 1 },
    options: { name: 'workspace_at' },
  },
  {
    collection: 'workspace_events',
    key: { at: 1 },
    options: { name: 'at' },
  },
];

export const m0013Agents = indexMigration(
  '0013-agents',
  'conversation state and assignee filters, idempotent agent sends, read marks, workspace events',
  INDEXES,
);
