import { ObjectId, type Db } from 'mongodb';
import { contactSearchTerms, messageSearchTerms } from '@conecta/contracts';
import { searchableContact } from '../../conversations/conversation.views';
import type { Migration } from './migration';

const INDEXES = [
  {
    key: { workspaceId: 1, term: 1, conversationId: 1, kind: 1 },
    options: { name: 'workspace_term', unique: true },
  },
  { key: { conversationId: 1, kind: 1 }, options: { name: 'conversation_kind' } },
] as const;

const BATCH = 500;

/** Inserts terms, ignoring the ones already stored (unique index). */
async function insertTerms(
  db: Db,
  docs: { workspaceId: ObjectId; term: string; conversationId: ObjectId; kind: string }[],
): Promise<void> {
  for (let i = 0; i < docs.length; i += BATCH) {
    await db
      .collection('search_terms')
      .insertMany(docs.slice(i, i + BATCH), { ordered: false })
      .catch((err: { code?: number; writeErrors?: { code?: number }[] }) => {
        const errors = err.writeErrors ?? [err];
        if (!errors.every((e) => e.code === 11000)) throw err;
      });
  }
}

/**
 * Conversation search by normalized words (accents and case ignored, shown phone digits, visitor
 * short id): the `search_terms` index and its backfill from every stored conversation and message.
 */
export const m0014ConversationSearch: Migration = {
  id: '0014-conversation-search',
  description: 'conversation search terms (normalized words), indexed and backfilled',
  async up(db) {
    const terms = db.collection('search_terms');
    for (const index of INDEXES) await terms.createIndex({ ...index.key }, { ...index.options });
    const conversations = db.collection('conversations').find(
      {},
      {
        projection: {
          workspaceId: 1,
          channel: 1,
          visitorId: 1,
          contactName: 1,
          contactPhone: 1,
          contactUserId: 1,
          contactUsername: 1,
        },
      },
    );
    for await (const c of conversations) {
      const conversationId = c._id as ObjectId;
      // Terms keep the workspace as an ObjectId (as 0016 leaves every collection); the messages
      // are found by the workspace id as this conversation stores it.
      const workspaceId = new ObjectId(String(c.workspaceId));
      const docs = contactSearchTerms(
        searchableContact({
          channel: c.channel,
          visitorId: String(c.visitorId ?? ''),
          contactName: c.contactName ?? null,
          contactPhone: c.contactPhone ?? null,
          contactUserId: c.contactUserId ?? null,
          contactUsername: c.contactUsername ?? null,
        }),
      ).map((term) => ({ workspaceId, term, conversationId, kind: 'contact' }));
      const seen = new Set<string>();
      const messages = db
        .collection('messages')
        .find({ workspaceId: c.workspaceId, conversationId }, { projection: { content: 1 } });
      for await (const m of messages) {
        for (const term of messageSearchTerms(String(m.content ?? ''))) {
          if (seen.has(term)) continue;
          seen.add(term);
          docs.push({ workspaceId, term, conversationId, kind: 'message' });
        }
      }
      await insertTerms(db, docs);
    }
  },
  async down(db) {
    await db
      .collection('search_terms')
      .drop()
      .catch(() => undefined);
  },
};
