import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Channel, ConsentSource, ConsentState, ConversationCounts } from '@conecta/contracts';
import { FilterQuery, Model, Types } from 'mongoose';
import {
  defined,
  isDuplicateKeyError,
  oid,
  oids,
  workspaceOid,
} from '../database/repository-helpers';
import { activityDayOf } from './activity-day';
import { newestFirst } from './cursor';
import { Conversation, ConversationDoc } from './conversation.schema';
import { ConversationCountersRepository } from './conversation-counters.repository';
import type { CountedState } from './conversation-counts';
import type {
  ConversationCursor,
  ConversationFilter,
  ConversationHandlingPatch,
  ConversationRecord,
  FindOrCreateConversationInput,
} from './conversation.types';
import { type WorkspaceId, workspaceIdOf } from '../common/workspace-id';

const DAY_MS = 86_400_000;
/** Days per list query, newest first: a week of activity in four queries, most of a year in eight. */
const ACTIVITY_WINDOWS = [1, 2, 4, 8, 16, 32, 64, 128];

function activityDayStart(at: Date): number {
  return Math.floor(at.getTime() / DAY_MS) * DAY_MS;
}

function countedStateOf(
  d: Pick<ConversationDoc, 'chatbotId' | 'channel' | 'status' | 'assigneeId'>,
): CountedState {
  return {
    chatbotId: d.chatbotId,
    channel: d.channel,
    status: d.status,
    assigneeId: d.assigneeId ?? null,
  };
}

function toConversation(d: ConversationDoc): ConversationRecord {
  return {
    id: d._id.toHexString(),
    workspaceId: workspaceIdOf(d.workspaceId),
    chatbotId: d.chatbotId,
    channel: d.channel,
    sessionId: d.sessionId,
    visitorId: d.visitorId,
    visitorIp: d.visitorIp ?? null,
    contactName: d.contactName ?? null,
    integrationId: d.integrationId ?? null,
    contactPhone: d.contactPhone ?? null,
    contactUserId: d.contactUserId ?? null,
    contactUsername: d.contactUsername ?? null,
    adReferral: d.adReferral ?? null,
    freeEntryPointEndsAt: d.freeEntryPointEndsAt ?? null,
    status: d.status,
    assigneeId: d.assigneeId ?? null,
    botPaused: d.botPaused ?? false,
    botPausedUntil: d.botPausedUntil ?? null,
    customerMessageCount: d.customerMessageCount ?? 0,
    lastCustomerMessageAt: d.lastCustomerMessageAt ?? null,
    marketingOptedOut: d.marketingOptedOut ?? false,
    consentHistory: d.consentHistory ?? [],
    isFavorite: d.isFavorite ?? false,
    messageCount: d.messageCount ?? 0,
    lastMessageAt: d.lastMessageAt,
    lastMessagePreview: d.lastMessagePreview ?? '',
    startedAt: d.startedAt,
    endedAt: d.endedAt ?? null,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

/**
 * The only place that knows how conversations are stored (their messages are
 * {@link MessagesRepository}'s). Reads, updates and deletes take the workspace id; the exceptions
 * are named for what they are (`…AllWorkspaces` for the retention job).
 */
/** What a message tells about its sender, as `$set` fields (absent ones are left as they are). */
function contactSet(
  input: Pick<FindOrCreateConversationInput, 'contactName' | 'contact' | 'entryPoint'>,
): Partial<Conversation> {
  const contact = input.contact ?? {};
  return {
    ...(input.contactName !== undefined ? { contactName: input.contactName } : {}),
    ...(contact.phone !== undefined ? { contactPhone: contact.phone } : {}),
    ...(contact.userId !== undefined ? { contactUserId: contact.userId } : {}),
    ...(contact.username !== undefined ? { contactUsername: contact.username } : {}),
    ...(input.entryPoint
      ? {
          adReferral: input.entryPoint.adReferral,
          freeEntryPointEndsAt: input.entryPoint.endsAt,
        }
      : {}),
  };
}

/** The fields a thread's contact search terms are made from (see searchableContact). */
export type ThreadContact = Pick<
  ConversationRecord,
  'channel' | 'visitorId' | 'contactName' | 'contactPhone' | 'contactUserId' | 'contactUsername'
>;

function threadContactOf(
  d: Pick<ConversationDoc, 'channel' | 'visitorId'> &
    Partial<
      Pick<ConversationDoc, 'contactName' | 'contactPhone' | 'contactUserId' | 'contactUsername'>
    >,
): ThreadContact {
  return {
    channel: d.channel,
    visitorId: d.visitorId,
    contactName: d.contactName ?? null,
    contactPhone: d.contactPhone ?? null,
    contactUserId: d.contactUserId ?? null,
    contactUsername: d.contactUsername ?? null,
  };
}

/**
 * What a new conversation is inserted with besides its key and the contact's `$set` fields: a
 * driver upsert, every value of its stored type, every field of the schema with its default, as
 * mongoose's upsert wrote them (conversations-service e2e).
 */
function newConversationFields(input: FindOrCreateConversationInput, now: Date) {
  const contact = input.contact ?? {};
  return {
    ...(contact.phone === undefined ? { contactPhone: null } : {}),
    ...(contact.userId === undefined ? { contactUserId: null } : {}),
    ...(contact.username === undefined ? { contactUsername: null } : {}),
    ...(input.entryPoint ? {} : { adReferral: null, freeEntryPointEndsAt: null }),
    visitorId: input.visitorId,
    visitorIp: input.visitorIp ?? null,
    integrationId: input.integrationId ?? null,
    status: 'open',
    assigneeId: null,
    botPaused: false,
    botPausedUntil: null,
    customerMessageCount: 0,
    lastCustomerMessageAt: null,
    marketingOptedOut: false,
    consentHistory: [],
    isFavorite: false,
    messageCount: 0,
    lastMessageAt: now,
    activityDay: activityDayOf(now),
    lastMessagePreview: '',
    startedAt: now,
    endedAt: null,
    createdAt: now,
    updatedAt: now,
    ...(input.contactName === undefined ? { contactName: null } : {}),
  } as const;
}

function newestOf<T extends { at: Date }>(messages: T[]): T {
  return messages.reduce((a, b) => (b.at > a.at ? b : a));
}

/** Matches a session key of one WhatsApp number (`<phoneNumberId>:…`). */
function sessionOfNumber(phoneNumberId: string): RegExp {
  return new RegExp(`^${phoneNumberId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:`);
}

@Injectable()
export class ConversationsRepository {
  private readonly logger = new Logger('ConversationsRepository');

  constructor(
    @InjectModel(Conversation.name) private readonly conversations: Model<Conversation>,
    private readonly counters: ConversationCountersRepository,
  ) {}

  /**
   * Every write that can change a counted field (chatbot, channel, state, assignee) or delete a
   * conversation ends here: the counters follow the conversation (decision 0023).
   */
  private track(
    workspaceId: WorkspaceId,
    id: string,
    known?: { state: CountedState | null; created?: boolean },
  ): Promise<void> {
    return this.counters.settle(workspaceId, id, () => this.countedState(id), known);
  }

  private async countedState(id: string): Promise<CountedState | null> {
    const doc = await this.conversations
      .findOne({ _id: oid(id) }, { chatbotId: 1, channel: 1, status: 1, assigneeId: 1 })
      .lean<Pick<ConversationDoc, 'chatbotId' | 'channel' | 'status' | 'assigneeId'>>()
      .exec();
    return doc ? countedStateOf(doc) : null;
  }

  async findBySession(
    key: Pick<FindOrCreateConversationInput, 'workspaceId' | 'chatbotId' | 'channel' | 'sessionId'>,
  ): Promise<ConversationRecord | null> {
    const doc = await this.conversations
      .findOne({
        workspaceId: key.workspaceId,
        chatbotId: key.chatbotId,
        channel: key.channel,
        sessionId: key.sessionId,
      })
      .lean<ConversationDoc>()
      .exec();
    return doc ? toConversation(doc) : null;
  }

  async findOrCreate(input: FindOrCreateConversationInput, now: Date): Promise<ConversationRecord> {
    const key = {
      workspaceId: workspaceOid(input.workspaceId),
      chatbotId: input.chatbotId,
      channel: input.channel,
      sessionId: input.sessionId,
    };
    const set = contactSet(input);
    const update = {
      $setOnInsert: newConversationFields(input, now),
      ...(Object.keys(set).length > 0 ? { $set: set } : {}),
    };
    for (let attempt = 0; ; attempt++) {
      try {
        const doc = (await this.conversations.collection.findOneAndUpdate(key, update, {
          upsert: true,
          returnDocument: 'after',
        })) as ConversationDoc | null;
        if (!doc) throw new Error('upsert returned no conversation');
        const conversation = toConversation(doc);
        if (conversation.createdAt.getTime() === now.getTime()) {
          await this.track(conversation.workspaceId, conversation.id, {
            state: countedStateOf(doc),
            created: true,
          });
        }
        return conversation;
      } catch (err) {
        // Two first messages of one session at once: the loser of the unique index reads the winner.
        if (!isDuplicateKeyError(err) || attempt > 0) throw err;
      }
    }
  }

  /**
   * A sender's thread of this number by the phone it records (every WhatsApp thread does,
   * migration 0024: one keyed by the phone, or one that learned it later), with the message's
   * contact details recorded; when none records it, a new thread keyed by `input.sessionId`. One
   * command either way. Answers the thread's contact before the write (what its search terms were
   * made from; null for a new thread, undefined when unknown) and the thread after it. Of two
   * threads that record the phone, the older one. Not by the phone's session key: a thread whose customer changed number
   * keeps that key, and the number's new owner is not that customer (when such a thread holds the
   * key a new one would get, the number's new owner writes into it, as before BSUIDs). The BSUID
   * is looked up before, by touchWhatsAppThread.
   */
  async upsertThreadByPhone(
    scope: { workspaceId: WorkspaceId; chatbotId: string; phoneNumberId: string },
    phone: string,
    input: FindOrCreateConversationInput,
    now: Date,
  ): Promise<{ before: ThreadContact | null | undefined; after: ConversationRecord }> {
    const set = contactSet(input);
    const { contactPhone: _fromTheFilter, ...fields } = newConversationFields(input, now) as Record<
      string,
      unknown
    >;
    const _id = new Types.ObjectId();
    const inserted = {
      _id,
      workspaceId: workspaceOid(scope.workspaceId),
      chatbotId: scope.chatbotId,
      channel: 'whatsapp',
      contactPhone: phone,
      sessionId: input.sessionId,
      ...fields,
    };
    try {
      const doc = (await this.conversations.collection.findOneAndUpdate(
        {
          workspaceId: inserted.workspaceId,
          chatbotId: scope.chatbotId,
          channel: 'whatsapp',
          contactPhone: phone,
          sessionId: sessionOfNumber(scope.phoneNumberId),
        },
        {
          $setOnInsert: { _id, sessionId: input.sessionId, ...fields },
          ...(Object.keys(set).length > 0 ? { $set: set } : {}),
        },
        { upsert: true, returnDocument: 'before', sort: { _id: 1 } },
      )) as ConversationDoc | null;
      if (doc) return { before: threadContactOf(doc), after: toConversation({ ...doc, ...set }) };
    } catch (err) {
      // Two first messages of one customer at once, or the new key held by a thread that no longer
      // records this phone: the thread that holds the key.
      if (!isDuplicateKeyError(err)) throw err;
      return { before: undefined, after: await this.findOrCreate(input, now) };
    }
    const doc = { ...inserted, ...set } as unknown as ConversationDoc;
    await this.track(scope.workspaceId, _id.toHexString(), {
      state: countedStateOf(doc),
      created: true,
    });
    return { before: null, after: toConversation(doc) };
  }

  /**
   * A returning customer's usual case in one command: the thread of this number that knows the
   * BSUID, with the message's contact details recorded. Answers the thread before and after the
   * write (its search terms were made from `before`); null when no thread knows the BSUID yet.
   * Of two such threads (only a race can make them) the older one is taken.
   */
  async touchWhatsAppThread(
    scope: { workspaceId: WorkspaceId; chatbotId: string; phoneNumberId: string },
    userId: string,
    input: Pick<FindOrCreateConversationInput, 'contactName' | 'contact' | 'entryPoint'>,
  ): Promise<{ before: ThreadContact; after: ConversationRecord } | null> {
    const set = contactSet(input);
    const doc = (await this.conversations.collection.findOneAndUpdate(
      {
        workspaceId: workspaceOid(scope.workspaceId),
        chatbotId: scope.chatbotId,
        channel: 'whatsapp',
        contactUserId: userId,
        sessionId: sessionOfNumber(scope.phoneNumberId),
      },
      { $set: { ...set, contactUserId: userId } },
      { returnDocument: 'before', sort: { _id: 1 } },
    )) as ConversationDoc | null;
    if (!doc) return null;
    return { before: threadContactOf(doc), after: toConversation({ ...doc, ...set }) };
  }

  async findConversation(workspaceId: WorkspaceId, id: string): Promise<ConversationRecord | null> {
    const _id = oid(id);
    if (!_id) return null;
    const doc = await this.conversations
      .findOne({ _id, workspaceId })
      .lean<ConversationDoc>()
      .exec();
    return doc ? toConversation(doc) : null;
  }

  async updateConversation(
    workspaceId: WorkspaceId,
    id: string,
    patch: ConversationHandlingPatch & { isFavorite?: boolean },
    now: Date,
  ): Promise<ConversationRecord | null> {
    const _id = oid(id);
    if (!_id) return null;
    const doc = await this.conversations
      .findOneAndUpdate(
        { _id, workspaceId },
        { $set: { ...defined(patch), updatedAt: now } },
        { new: true, timestamps: false },
      )
      .lean<ConversationDoc>()
      .exec();
    if (doc && (patch.status !== undefined || patch.assigneeId !== undefined)) {
      await this.track(workspaceId, id, { state: countedStateOf(doc) });
    }
    return doc ? toConversation(doc) : null;
  }

  /** One page of the list, newest activity first; `searchMatches` restricts it (the search's ids). */
  async listConversations(
    workspaceId: WorkspaceId,
    filter: ConversationFilter,
    cursor: ConversationCursor | null,
    limit: number,
    searchMatches: string[] | null = null,
  ): Promise<ConversationRecord[]> {
    // Plain fields stay at the top level (the embedded database can use an index only for those);
    // the cursor's `$or` goes under `$and`.
    const query: FilterQuery<Conversation> = { workspaceId };
    if (filter.chatbotId !== undefined) query.chatbotId = filter.chatbotId;
    if (filter.channel !== undefined) query.channel = filter.channel;
    if (filter.status !== undefined) query.status = filter.status;
    if (filter.favorite !== undefined) query.isFavorite = filter.favorite ? true : { $ne: true };
    if (searchMatches !== null) query._id = { $in: oids(searchMatches) };
    if (filter.assigneeId !== undefined) query.assigneeId = filter.assigneeId;
    const and: FilterQuery<Conversation>[] = [];
    if (cursor) {
      const cursorId = oid(cursor.id);
      if (cursorId) {
        // The plain upper bound lets MongoDB's index scan start at the cursor.
        query.lastMessageAt = { $lte: cursor.at };
        and.push({
          $or: [
            { lastMessageAt: { $lt: cursor.at } },
            { lastMessageAt: cursor.at, _id: { $lt: cursorId } },
          ],
        });
      }
    }
    if (and.length > 0) query.$and = and;
    // Days only where an index leads with the filter and the day (migration 0023): the whole
    // workspace, one channel, one state. Other filters keep the single query.
    const byDay =
      searchMatches === null &&
      filter.chatbotId === undefined &&
      filter.assigneeId === undefined &&
      (filter.channel === undefined || filter.status === undefined);
    if (!byDay) return this.page(query, limit);
    // Day by day, newest first, in windows of growing size: the embedded database reads only the
    // conversations of the days asked for (an equality on an indexed field), not the workspace's.
    const rows: ConversationRecord[] = [];
    let top = activityDayStart(cursor ? cursor.at : new Date(Date.now() + DAY_MS));
    for (const size of ACTIVITY_WINDOWS) {
      const days = Array.from({ length: size }, (_, i) =>
        activityDayOf(new Date(top - i * DAY_MS)),
      );
      rows.push(...(await this.page({ ...query, activityDay: { $in: days } }, limit)));
      if (rows.length >= limit) return rows.slice(0, limit);
      top -= size * DAY_MS;
    }
    // The rest of the list in one sorted query: older than the windows, or a day out of them
    // (a conversation stored without one), so merged in list order.
    const found = rows.map((r) => oid(r.id));
    const rest = await this.page(
      found.length > 0 ? { ...query, _id: { $nin: found } } : query,
      limit,
    );
    return [...rows, ...rest].sort(newestFirst).slice(0, limit);
  }

  private async page(
    query: FilterQuery<Conversation>,
    limit: number,
  ): Promise<ConversationRecord[]> {
    const docs = await this.conversations
      .find(query)
      .sort({ lastMessageAt: -1, _id: -1 })
      .limit(limit)
      .lean<ConversationDoc[]>()
      .exec();
    return docs.map(toConversation);
  }

  /** The counts beside the list, from the counters (decision 0023), not from the conversations. */
  counts(
    workspaceId: WorkspaceId,
    chatbotId: string | undefined,
    viewerId: string | null,
  ): Promise<ConversationCounts> {
    return this.counters.counts(workspaceId, chatbotId, viewerId);
  }

  /**
   * Counts new messages on their conversation in one write; the preview and time follow the newest
   * message (the first one always: a webhook's message may carry a time before the conversation
   * was created), the 24-hour window the newest customer message.
   *
   * `marked.by`, an inbox event whose messages may be counted again (a resumed run): the
   * conversation records the event and the ids counted for it so far, and counts only the ids not
   * among them. `marked.prior`: those ids as the event last recorded them (its own earlier write,
   * or its inbox progress), which spares a read. Answers the ids as recorded now. Runs of one
   * thread's events do not overlap (the inbox's queue order, its claims), so the record only has
   * to tell one event's writes apart. Unmarked (web chat, agent replies), every call counts.
   */
  async recordMessagesOnConversation(
    workspaceId: WorkspaceId,
    conversationId: string,
    messages: { id: string; at: Date; preview: string; fromCustomer: boolean }[],
    now: Date,
    marked?: { by: string; prior?: string },
  ): Promise<string | undefined> {
    const _id = oid(conversationId);
    if (!_id || messages.length === 0) return marked?.prior;
    const ws = workspaceOid(workspaceId);
    const by = marked?.by;
    // The usual case, one command: nothing else counted for this event, or what `prior` says, and
    // the newest message is the thread's newest.
    let pending = messages;
    let seen: Pick<ConversationDoc, 'countedBy' | 'countedIds'> | null =
      marked?.prior === undefined ? null : { countedBy: by, countedIds: marked.prior };
    let newer: Record<string, unknown> = {
      $or: [{ lastMessageAt: { $lte: newestOf(pending).at } }, { messageCount: 0 }],
    };
    for (let attempt = 0; attempt < 5; attempt++) {
      const ids = [
        ...(seen && seen.countedBy === by && seen.countedIds ? seen.countedIds.split(',') : []),
        ...pending.map((m) => m.id),
      ].join(',');
      const newest = newestOf(pending);
      const customer = pending.filter((m) => m.fromCustomer);
      const res = await this.conversations.collection.updateOne(
        {
          _id,
          workspaceId: ws,
          ...(by === undefined
            ? {}
            : seen
              ? { countedBy: seen.countedBy ?? null, countedIds: seen.countedIds ?? null }
              : { countedBy: { $ne: by } }),
          ...newer,
        },
        {
          $inc: { messageCount: pending.length, customerMessageCount: customer.length },
          $set: {
            ...(Object.keys(newer).length > 0
              ? {
                  lastMessageAt: newest.at,
                  activityDay: activityDayOf(newest.at),
                  lastMessagePreview: newest.preview,
                }
              : {}),
            updatedAt: now,
            ...(by === undefined ? {} : { countedBy: by, countedIds: ids }),
          },
          ...(customer.length > 0
            ? { $max: { lastCustomerMessageAt: newestOf(customer).at } }
            : {}),
        },
      );
      if (res.matchedCount > 0) return by === undefined ? undefined : ids;
      if (by === undefined) {
        // Unmarked, only the time can have missed: an older message counts without moving the
        // preview (no match even then: the conversation is gone).
        if (Object.keys(newer).length === 0) return undefined;
        newer = {};
        continue;
      }
      // Counted before by this event, an older message, or a record other than `prior`: what is
      // left to count, as of now.
      const doc = await this.conversations.collection.findOne(
        { _id, workspaceId: ws },
        { projection: { countedBy: 1, countedIds: 1, lastMessageAt: 1, messageCount: 1 } },
      );
      if (!doc) return undefined;
      seen = { countedBy: doc.countedBy, countedIds: doc.countedIds };
      const counted = new Set(doc.countedBy === by ? (doc.countedIds ?? '').split(',') : []);
      pending = pending.filter((m) => !counted.has(m.id));
      if (pending.length === 0) return doc.countedIds;
      const at = newestOf(pending).at;
      newer =
        doc.messageCount === 0 || doc.lastMessageAt <= at
          ? { lastMessageAt: doc.lastMessageAt }
          : {};
    }
    this.logger.warn(`messages of conversation ${conversationId} not counted after 5 attempts`);
    return undefined;
  }

  /** A customer wrote to a closed conversation: it opens again, with the bot answering. */
  async reopenIfClosed(
    workspaceId: WorkspaceId,
    conversationId: string,
    now: Date,
  ): Promise<boolean> {
    const _id = oid(conversationId);
    if (!_id) return false;
    const res = await this.conversations
      .updateOne(
        { _id, workspaceId, status: 'closed' },
        {
          $set: {
            status: 'open',
            endedAt: null,
            botPaused: false,
            botPausedUntil: null,
            updatedAt: now,
          },
        },
        { timestamps: false },
      )
      .exec();
    if (res.modifiedCount === 0) return false;
    await this.track(workspaceId, conversationId);
    return true;
  }

  /**
   * Whether the conversation belongs to the workspace. `verified`, a record of it the caller has
   * just read, answers without a query.
   */
  async ownsConversation(
    workspaceId: WorkspaceId,
    id: string,
    verified?: ConversationRecord,
  ): Promise<boolean> {
    const _id = oid(id);
    if (!_id) return false;
    if (verified && verified.id === id && verified.workspaceId === workspaceId) return true;
    return (await this.conversations.exists({ _id, workspaceId }).exec()) !== null;
  }

  async visitorConversations(
    workspaceId: WorkspaceId,
    channel: Channel,
    visitorId: string,
  ): Promise<ConversationRecord[]> {
    const docs = await this.conversations
      .find({ workspaceId, channel, visitorId })
      .sort({ lastMessageAt: -1, _id: -1 })
      .lean<ConversationDoc[]>()
      .exec();
    return docs.map(toConversation);
  }

  /** Ids of every conversation of one visitor of the workspace. */
  async visitorConversationIds(
    workspaceId: WorkspaceId,
    channel: Channel,
    visitorId: string,
  ): Promise<string[]> {
    const convs = await this.conversations
      .find({ workspaceId, channel, visitorId }, { _id: 1 })
      .lean<Pick<ConversationDoc, '_id'>[]>()
      .exec();
    return convs.map((c) => c._id.toHexString());
  }

  /** Records a consent change of the conversation's customer (a keyword, or Meta's 131050). */
  async recordConsent(
    workspaceId: WorkspaceId,
    id: string,
    event: { state: ConsentState; via: ConsentSource; at: Date },
  ): Promise<void> {
    await this.conversations
      .updateOne(
        { _id: oid(id), workspaceId },
        {
          $set: { marketingOptedOut: event.state === 'opted_out' },
          $push: { consentHistory: event },
        },
      )
      .exec();
  }

  /** The WhatsApp conversations of one number, with the customer's phone (usage by country). */
  async phonesOfIntegration(
    workspaceId: WorkspaceId,
    integrationId: string,
  ): Promise<{ id: string; phone: string | null }[]> {
    const convs = await this.conversations
      .find({ workspaceId, integrationId }, { _id: 1, contactPhone: 1, visitorId: 1 })
      .lean<Pick<ConversationDoc, '_id' | 'contactPhone' | 'visitorId'>[]>()
      .exec();
    return convs.map((c) => ({
      id: c._id.toHexString(),
      phone: c.contactPhone ?? (/^\+?\d+$/.test(c.visitorId) ? c.visitorId : null),
    }));
  }

  /** Deletes these conversations of the workspace (their messages first: see MessagesRepository). */
  async deleteMany(workspaceId: WorkspaceId, ids: string[]): Promise<number> {
    const result = await this.conversations
      .deleteMany({ workspaceId, _id: { $in: oids(ids) } })
      .exec();
    for (const id of ids) await this.track(workspaceId, id);
    return result.deletedCount;
  }

  /** The session id of a conversation of the workspace (which number it talks through), or null. */
  async sessionIdOf(workspaceId: WorkspaceId, conversationId: string): Promise<string | null> {
    const _id = oid(conversationId);
    if (!_id) return null;
    const doc = await this.conversations
      .findOne({ _id, workspaceId }, { sessionId: 1 })
      .lean<Pick<ConversationDoc, '_id' | 'sessionId'>>()
      .exec();
    return doc ? doc.sessionId : null;
  }

  /** Retention: lowers `messageCount` by what was deleted. */
  async discountMessagesAllWorkspaces(perConversation: Map<string, number>): Promise<void> {
    for (const [hex, n] of perConversation) {
      await this.conversations
        .updateOne(
          { _id: new Types.ObjectId(hex) },
          { $inc: { messageCount: -n } },
          { timestamps: false },
        )
        .exec();
    }
  }

  /**
   * Retention: deletes up to `batchSize` conversations whose last message is older than `cutoff`.
   * Run after the old messages are gone: no message is newer than its conversation's
   * `lastMessageAt`, so these conversations are empty.
   */
  async deleteOldConversationsAllWorkspaces(cutoff: Date, batchSize: number): Promise<number> {
    const batch = await this.conversations
      .find({ lastMessageAt: { $lt: cutoff } }, { _id: 1, workspaceId: 1 })
      .limit(batchSize)
      .lean<Pick<ConversationDoc, '_id' | 'workspaceId'>[]>()
      .exec();
    if (batch.length === 0) return 0;
    const result = await this.conversations
      .deleteMany({ _id: { $in: batch.map((c) => c._id) }, lastMessageAt: { $lt: cutoff } })
      .exec();
    // A conversation that got a message meanwhile is still there: settling reads it back.
    for (const c of batch) await this.track(workspaceIdOf(c.workspaceId), c._id.toHexString());
    return result.deletedCount;
  }
}
