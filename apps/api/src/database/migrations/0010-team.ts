import { indexMigration } from './migration';

/** Indexes of team invitations (issue 14). */
export const m0010Team = indexMigration('0010-team', 'team invitation indexes', [
  {
    collection: 'invitations',
    key: { tokenHash: 1 },
    options: { unique: true, name: 'token_hash_unique' },
  },
  {
    collection: 'invitations',
    key: { workspaceId: 1, createdAt: -1 },
    options: { name: 'workspace_created' },
  },
  { collection: 'sessions', key: { userId: 1 }, options: { name: 'user' } },
]);
