import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { messageSearchTerms } from '@conecta/contracts';
import { Model, Types } from 'mongoose';
import { workspaceIdOf, type WorkspaceId } from '../common/workspace-id';
import { isDuplicateKeyError, oid, oids, workspaceOid } from '../database/repository-helpers';
import { Message, MessageDoc } from './message.schema';
import { SearchTerm, SearchTermDoc, SearchTermKind } from './search-term.schema';

/** How many conversations one search can return (keeps `q` bounded on large workspaces). */
export const SEARCH_CONVERSATION_LIMIT = 1000;
/** The embedded database serves an `$in` of up to 200 values from an index (its pushdown). */
export const SEARCH_IN_CHUNK = 200;

/** One term of one conversation, as stored. */
export type SearchTermEntry = Omit<SearchTermDoc, '_id'>;

/** Where a run's terms wait to go out together (`ConversationWriteBatch`). */
export interface TermBatch {
  addTerms(entries: SearchTermEntry[]): void;
}

function entriesOf(
  workspaceId: WorkspaceId,
  conversationId: Types.ObjectId,
  kind: SearchTermKind,
  terms: string[],
): SearchTermEntry[] {
  const ws = workspaceOid(workspaceId);
  return terms.map((term) => ({ workspaceId: ws, term, conversationId, kind }));
}

/**
 * The conversation search index: normalized word starts (`libs/contracts` search.ts) kept on write,
 * matched by equality on `term` (an index lookup on the embedded database, never a regex scan).
 */
@Injectable()
export class SearchTermsRepository {
  constructor(
    @InjectModel(SearchTerm.name) private readonly terms: Model<SearchTerm>,
    @InjectModel(Message.name) private readonly messages: Model<Message>,
  ) {}

  /**
   * Makes the contact terms of a conversation exactly `terms` (a renamed contact loses its old
   * name). `created`: the conversation was just created, so it has no terms to compare with.
   * `batch`: the new terms go out with the batch instead of at once.
   */
  async setContactTerms(
    workspaceId: WorkspaceId,
    conversationId: string,
    terms: string[],
    created = false,
    batch?: TermBatch,
  ): Promise<void> {
    const _id = oid(conversationId);
    if (!_id) return;
    const stored = created ? new Set<string>() : await this.storedTerms(_id, 'contact');
    if (!created) {
      const wanted = new Set(terms);
      const stale = [...stored].filter((t) => !wanted.has(t));
      if (stale.length > 0) {
        await this.terms
          .deleteMany({ conversationId: _id, kind: 'contact', term: { $in: stale } })
          .exec();
      }
    }
    await this.write(
      entriesOf(
        workspaceId,
        _id,
        'contact',
        terms.filter((t) => !stored.has(t)),
      ),
      batch,
    );
  }

  /**
   * Adds the terms of one message's text to its conversation: one write (or the batch's), the
   * terms it already has refused by the unique index (cheaper than reading them first).
   */
  async addMessageTerms(
    workspaceId: WorkspaceId,
    conversationId: string,
    text: string,
    batch?: TermBatch,
  ): Promise<void> {
    const _id = oid(conversationId);
    if (!_id) return;
    await this.write(entriesOf(workspaceId, _id, 'message', messageSearchTerms(text)), batch);
  }

  /**
   * Inserts terms in one unordered write; a term the conversation already has (stored before, or
   * meanwhile by a concurrent write) is refused by the unique index, which is fine.
   */
  async insertTerms(entries: SearchTermEntry[]): Promise<void> {
    // A batch's texts share words ("hola" and the reply's "¡Hola!"): each goes once, as a
    // refused duplicate costs the embedded database a slow path.
    const unique = new Map<string, SearchTermEntry>();
    for (const e of entries) {
      unique.set(`${e.conversationId.toHexString()} ${e.kind} ${e.term}`, e);
    }
    if (unique.size === 0) return;
    try {
      await this.terms.collection.insertMany(
        [...unique.values()].map((e) => ({ ...e })),
        { ordered: false },
      );
    } catch (err) {
      // The driver gives one write error as itself, several as an array.
      const writeErrors = (err as { writeErrors?: unknown }).writeErrors;
      const errors = writeErrors === undefined ? [err] : [writeErrors].flat();
      const duplicate = (e: unknown): boolean =>
        isDuplicateKeyError(e) || isDuplicateKeyError((e as { err?: unknown }).err);
      if (!errors.every(duplicate)) throw err;
    }
  }

  /**
   * Ids of the workspace's conversations where every word is an indexed term, at most
   * {@link SEARCH_CONVERSATION_LIMIT}. The rarest word gives the candidates; the others are
   * checked on those candidates only, so a common word ("hola") never reads its whole posting list.
   */
  async conversationIdsMatching(workspaceId: WorkspaceId, words: string[]): Promise<string[]> {
    if (words.length === 0) return [];
    const ws = workspaceOid(workspaceId);
    const sampled = await Promise.all(
      words.map(async (term) => ({
        term,
        ids: await this.idsOfTerm(ws, term, SEARCH_IN_CHUNK + 1),
      })),
    );
    sampled.sort((x, y) => x.ids.length - y.ids.length);
    const [rarest, ...others] = sampled;
    if (!rarest || rarest.ids.length === 0) return [];
    let candidates =
      rarest.ids.length <= SEARCH_IN_CHUNK
        ? rarest.ids
        : await this.idsOfTerm(ws, rarest.term, SEARCH_CONVERSATION_LIMIT);
    for (const { term } of others) {
      const kept: string[] = [];
      for (let i = 0; i < candidates.length; i += SEARCH_IN_CHUNK) {
        const chunk = candidates.slice(i, i + SEARCH_IN_CHUNK);
        const docs = await this.terms
          .find(
            { workspaceId: ws, term, conversationId: { $in: oids(chunk) } },
            { conversationId: 1 },
          )
          .lean<Pick<SearchTermDoc, 'conversationId'>[]>()
          .exec();
        const hit = new Set(docs.map((d) => d.conversationId.toHexString()));
        kept.push(...chunk.filter((id) => hit.has(id)));
      }
      candidates = kept;
      if (candidates.length === 0) break;
    }
    return candidates;
  }

  /** Forgets every term of these conversations (erasure). */
  async forgetConversations(conversationIds: string[]): Promise<void> {
    if (conversationIds.length === 0) return;
    await this.terms.deleteMany({ conversationId: { $in: oids(conversationIds) } }).exec();
  }

  /**
   * Rebuilds the message terms of conversations whose messages were deleted (retention), from the
   * messages left; a conversation left without messages loses its contact terms too.
   */
  async reindexMessages(conversationIds: string[]): Promise<void> {
    for (const conversationId of oids(conversationIds)) {
      await this.terms.deleteMany({ conversationId, kind: 'message' }).exec();
      const left = await this.messages
        .find({ conversationId }, { workspaceId: 1, content: 1 })
        .lean<Pick<MessageDoc, 'workspaceId' | 'content'>[]>()
        .exec();
      if (left.length === 0) {
        await this.terms.deleteMany({ conversationId }).exec();
        continue;
      }
      for (const m of left) {
        await this.addMessageTerms(
          workspaceIdOf(m.workspaceId),
          conversationId.toHexString(),
          m.content,
        );
      }
    }
  }

  /** Distinct conversations holding one term, at most `limit`. */
  private async idsOfTerm(ws: Types.ObjectId, term: string, limit: number): Promise<string[]> {
    const docs = await this.terms
      .find({ workspaceId: ws, term }, { conversationId: 1 })
      .limit(limit * 2)
      .lean<Pick<SearchTermDoc, 'conversationId'>[]>()
      .exec();
    return [...new Set(docs.map((d) => d.conversationId.toHexString()))].slice(0, limit);
  }

  private async storedTerms(
    conversationId: Types.ObjectId,
    kind: SearchTermKind,
  ): Promise<Set<string>> {
    const docs = await this.terms
      .find({ conversationId, kind }, { term: 1 })
      .lean<Pick<SearchTermDoc, 'term'>[]>()
      .exec();
    return new Set(docs.map((d) => d.term));
  }

  private async write(entries: SearchTermEntry[], batch: TermBatch | undefined): Promise<void> {
    if (batch) batch.addTerms(entries);
    else await this.insertTerms(entries);
  }
}
