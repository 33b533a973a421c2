import type { Migration } from './migration';

/** Indexes of accounts, sessions, API keys, chatbots and the audit log (issue 4). */
export const m0004Accounts: Migration = {
  id: '0004-accounts',
  description: 'accounts, sessions, api keys, chatbots and audit log indexes',
  async up(db) {
    await db.collection('users').createIndex({ email: 1 }, { unique: true, name: 'email_unique' });
    await db.collection('users').createIndex({ workspaceId: 1 }, { name: 'workspace' });
    await db
      .collection('sessions')
      .createIndex({ tokenHash: 1 }, { unique: true, name: 'token_hash_unique' });
    await db.collection('sessions').createIndex({ expiresAt: 1 }, { name: 'expires_at' });
    await db
      .collection('api_keys')
      .createIndex({ keyHash: 1 }, { unique: true, name: 'key_hash_unique' });
    await db
      .collection('api_keys')
      .createIndex({ workspaceId: 1, createdAt: -1 }, { name: 'workspace_created' });
    await db
      .collection('chatbots')
      .createIndex({ publicId: 1 }, { unique: true, name: 'public_id_unique' });
    await db
      .collection('chatbots')
      .createIndex({ workspaceId: 1, createdAt: -1 }, { name: 'workspace_created' });
    await db
      .collection('audit_log')
      .createIndex({ workspaceId: 1, createdAt: -1, _id: -1 }, { name: 'workspace_newest' });
  },
  async down(db) {
    const drops: [string, string][] = [
      ['users', 'email_unique'],
      ['users', 'workspace'],
      ['sessions', 'token_hash_unique'],
      ['sessions', 'expires_at'],
      ['api_keys', 'key_hash_unique'],
      ['api_keys', 'workspace_created'],
      ['chatbots', 'public_id_unique'],
      ['chatbots', 'workspace_created'],
      ['audit_log', 'workspace_newest'],
    ];
    for (const [collection, index] of drops) {
      await db
        .collection(collection)
        .dropIndex(index)
        .catch(() => undefined);
    }
  },
};
