import { Inject, Injectable } from '@nestjs/common';
import {
  contactSearchTerms,
  CONVERSATION_PAGE,
  MESSAGE_PAGE,
  maskPhone,
  PHONE_CHANNELS,
  searchQueryWords,
} from '@conecta/contracts';
import type {
  Channel,
  ConsentSource,
  ConsentState,
  ContactErasureResult,
  ConversationCounts,
  ContactExport,
  ConversationListItem,
  ConversationListQuery,
  ConversationView,
  CursorPage,
  MessagePage,
  UpdateConversationRequest,
} from '@conecta/contracts';
import { AccountsService } from '../accounts/accounts.service';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import { CLOCK, type Clock } from '../common/clock';
import { AppError } from '../common/errors/app-error';
import { EventsService } from '../events/events.service';
import type {
  AddMessageInput,
  ConversationHandlingPatch,
  ConversationRecord,
  DeliveryScope,
  DeliveryUpdate,
  DeliveryUpdateResult,
  DeliveryUpdateStatus,
  FindOrCreateConversationInput,
  MessageMediaUpdate,
  MessageRecord,
} from './conversation.types';
import {
  botSwitchAt,
  previewOf,
  searchableContact,
  toConversationView,
  toMessageView,
  windowEndsAt,
} from './conversation.views';
import { ConversationReadsRepository } from './conversation-reads.repository';
import {
  type BatchRun,
  ConversationWriteBatch,
  type MessageCount,
} from './conversation-write-batch';
import { ConversationsRepository, type ThreadContact } from './conversations.repository';
import { MessagesRepository } from './messages.repository';
import { decodeCursor, encodeCursor, newestFirst } from './cursor';
import type { WorkspaceId } from '../common/workspace-id';
import { SEARCH_IN_CHUNK, SearchTermsRepository } from './search-terms.repository';

/** The number whose WhatsApp threads are looked up. */
type WhatsAppThreadScope = { workspaceId: WorkspaceId; chatbotId: string; phoneNumberId: string };

/** What counting a stored message on its conversation takes. */
function countOf(message: MessageRecord): MessageCount {
  return {
    workspaceId: message.workspaceId,
    conversationId: message.conversationId,
    id: message.id,
    at: message.createdAt,
    preview: previewOf(message.content, message.media?.kind),
    fromCustomer: message.role === 'user',
  };
}

/** Whether two lists of search terms hold the same terms. */
function sameTerms(a: string[], b: string[]): boolean {
  const set = new Set(a);
  return a.length === b.length && b.every((t) => set.has(t));
}

function clampLimit(
  limit: number | undefined,
  page: { defaultLimit: number; maxLimit: number },
): number {
  if (limit === undefined || !Number.isFinite(limit) || limit < 1) return page.defaultLimit;
  return Math.min(Math.floor(limit), page.maxLimit);
}

/** What the retention job removed in one run. */
export interface RetentionResult {
  messagesDeleted: number;
  conversationsDeleted: number;
  batches: number;
}

/**
 * Conversations and messages of every channel: the write side used by the web channel and the
 * WhatsApp webhook, and the read side of the dashboard (masked, paged, workspace-scoped).
 */
@Injectable()
export class ConversationsService {
  constructor(
    private readonly repository: ConversationsRepository,
    private readonly messageRepository: MessagesRepository,
    private readonly searchTerms: SearchTermsRepository,
    private readonly reads: ConversationReadsRepository,
    private readonly events: EventsService,
    private readonly audit: AuditService,
    private readonly accounts: AccountsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  // ---- write side (web channel, WhatsApp webhook) -------------------------------------------

  /** The conversation of a session, or null. */
  findSession(
    workspaceId: WorkspaceId,
    chatbotId: string,
    channel: FindOrCreateConversationInput['channel'],
    sessionId: string,
  ): Promise<ConversationRecord | null> {
    return this.repository.findBySession({ workspaceId, chatbotId, channel, sessionId });
  }

  /**
   * A batch for the message counts, search terms and events of one run of the inbox (see
   * {@link ConversationWriteBatch}).
   */
  writeBatch(run?: BatchRun): ConversationWriteBatch {
    return new ConversationWriteBatch(this.searchTerms, this.events, this.repository, run);
  }

  /**
   * Idempotent on (chatbotId, channel, sessionId); never reopens a closed conversation. Keeps the
   * contact's search terms in step with what the list shows (with `batch`, written by its flush).
   * `known`: the thread's contact as the caller has just read it (its terms are rewritten only when
   * the write changed them).
   */
  async findOrCreate(
    input: FindOrCreateConversationInput,
    batch?: ConversationWriteBatch,
    known?: ThreadContact,
  ): Promise<ConversationRecord> {
    const now = new Date();
    const conversation = await this.repository.findOrCreate(input, now);
    // Created by this call (its creation time is ours): there are no terms to compare with. A
    // concurrent creator at the same millisecond only makes the insert meet its terms.
    const created = conversation.createdAt.getTime() === now.getTime();
    await this.keepContactTerms(conversation, created ? null : known, batch);
    return conversation;
  }

  /**
   * The WhatsApp thread of a message's sender, with what the message says about them recorded;
   * created when they have none. One thread per customer and number: by BSUID (one command for a
   * returning customer), else by phone (a thread started before BSUIDs is linked, not doubled); a
   * new one gets `input.sessionId` (the caller keys it by the BSUID when there is one).
   * The contact's search terms are rewritten when the message changed the contact, or always on
   * a `resumed` run: the run that died may have created the thread and lost its batch.
   */
  async whatsAppThread(
    scope: WhatsAppThreadScope,
    sender: { phone?: string; userId?: string },
    input: Omit<FindOrCreateConversationInput, 'channel'>,
    { batch, resumed }: { batch?: ConversationWriteBatch; resumed: boolean },
  ): Promise<ConversationRecord> {
    if (sender.userId) {
      const touched = await this.repository.touchWhatsAppThread(scope, sender.userId, input);
      if (touched) {
        await this.keepContactTerms(touched.after, resumed ? undefined : touched.before, batch);
        return touched.after;
      }
    }
    const thread = { ...input, channel: 'whatsapp' as const };
    if (!sender.phone) return this.findOrCreate(thread, batch);
    const { before, after } = await this.repository.upsertThreadByPhone(
      scope,
      sender.phone,
      thread,
      new Date(),
    );
    await this.keepContactTerms(after, resumed && before ? undefined : before, batch);
    return after;
  }

  /**
   * Makes a thread's contact search terms match it. `before`: the contact its terms were made
   * from (nothing to write when the terms are the same); null: a new thread (no terms yet);
   * undefined: unknown (the stored terms are read).
   */
  private async keepContactTerms(
    conversation: ConversationRecord,
    before: ThreadContact | null | undefined,
    batch?: ConversationWriteBatch,
  ): Promise<void> {
    const terms = contactSearchTerms(searchableContact(conversation));
    if (before && sameTerms(contactSearchTerms(searchableContact(before)), terms)) return;
    await this.searchTerms.setContactTerms(
      conversation.workspaceId,
      conversation.id,
      terms,
      before === null,
      batch,
    );
  }

  /**
   * Stores a message and counts it on its conversation. A message whose `externalMessageId` is
   * already stored answers the stored one and counts nothing (webhook redelivery), unless a
   * resumed run of the inbox finds it (see {@link announceFound}). `conversation`, the record the
   * caller has just read or created, spares the ownership check's query. `batch`: the message's
   * count, search terms and event go out with it (see {@link ConversationWriteBatch}).
   */
  async addMessage(
    input: AddMessageInput,
    conversation?: ConversationRecord,
    batch?: ConversationWriteBatch,
  ): Promise<MessageRecord> {
    const owned = await this.repository.ownsConversation(
      input.workspaceId,
      input.conversationId,
      conversation,
    );
    if (!owned) throw AppError.notFound('Conversation');
    const createdAt = input.createdAt ?? new Date();
    const { message, created } = await this.messageRepository.insertMessage(input, createdAt);
    if (!created) {
      // The run that stored it may have died before its batch went out.
      await this.announceFound(message, batch);
      return message;
    }
    const fromCustomer = input.role === 'user';
    if (!batch?.addCount(countOf(message))) {
      await this.repository.recordMessagesOnConversation(
        input.workspaceId,
        input.conversationId,
        [countOf(message)],
        new Date(),
      );
    }
    // A customer writing to a closed conversation opens it again (and it shows as unread).
    if (fromCustomer && (conversation?.status ?? 'closed') === 'closed') {
      if (
        await this.repository.reopenIfClosed(input.workspaceId, input.conversationId, new Date())
      ) {
        await this.events.publish(input.workspaceId, 'conversation', input.conversationId, {
          status: 'open',
        });
      }
    }
    await this.announceMessage(message, batch);
    return message;
  }

  /**
   * A message a run of the inbox found already stored: a resumed run counts it (unless the run
   * that stored it did, see recordMessagesOnConversation), indexes and announces it again.
   */
  async announceFound(message: MessageRecord, batch?: ConversationWriteBatch): Promise<void> {
    if (batch?.resumed) batch.addCount(countOf(message));
    await this.announceMessage(message, batch);
  }

  /**
   * Makes a stored message findable by its words and tells open dashboards of it: at once, or
   * with `batch`'s flush. Can run again for the same message (the terms are unique).
   */
  async announceMessage(message: MessageRecord, batch?: ConversationWriteBatch): Promise<void> {
    await this.searchTerms.addMessageTerms(
      message.workspaceId,
      message.conversationId,
      message.content,
      batch,
    );
    const change = {
      workspaceId: message.workspaceId,
      type: 'message' as const,
      conversationId: message.conversationId,
      messageId: message.id,
    };
    if (batch) batch.addChange(change);
    else await this.events.publishMany([change]);
  }

  /** The last `limit` messages of a conversation, oldest first (the responder's history). */
  async recentHistory(
    workspaceId: WorkspaceId,
    conversationId: string,
    limit: number,
  ): Promise<MessageRecord[]> {
    const newestOnTop = await this.messageRepository.messagesBefore(
      workspaceId,
      conversationId,
      null,
      Math.max(1, limit),
    );
    return newestOnTop.reverse();
  }

  /**
   * Applies a delivery status from Meta by wamid, only to a message sent from the scope's number
   * and workspace; never moves backwards, `failed` is terminal.
   */
  async setDeliveryStatus(
    scope: DeliveryScope,
    externalMessageId: string,
    status: DeliveryUpdateStatus,
    update: DeliveryUpdate,
  ): Promise<DeliveryUpdateResult> {
    // A wamid of another workspace or number is unknown: a webhook verified for one integration
    // never writes into another's messages.
    const target = await this.messageRepository.findByExternalId(
      scope.workspaceId,
      externalMessageId,
    );
    if (!target) return 'unknown-message';
    const sessionId = await this.repository.sessionIdOf(scope.workspaceId, target.conversationId);
    if (sessionId === null || !sessionId.startsWith(`${scope.phoneNumberId}:`)) {
      return 'unknown-message';
    }
    const result = await this.messageRepository.applyDeliveryStatus(
      scope.workspaceId,
      target.id,
      status,
      update,
    );
    if (result === 'applied') {
      await this.events.publish(scope.workspaceId, 'status', target.conversationId, {
        messageId: target.id,
      });
    }
    return result;
  }

  /** Stores the wamid Meta returned for a sent message. */
  async setExternalId(
    workspaceId: WorkspaceId,
    messageId: string,
    externalMessageId: string,
  ): Promise<void> {
    const found = await this.messageRepository.setExternalId(
      workspaceId,
      messageId,
      externalMessageId,
      new Date(),
    );
    if (!found) throw AppError.notFound('Message');
  }

  /** Puts a failed message back to `pending` before a user's retry sends it again. */
  async markPending(workspaceId: WorkspaceId, messageId: string): Promise<MessageRecord> {
    const message = await this.messageRepository.markPending(workspaceId, messageId, new Date());
    if (!message) throw AppError.notFound('Message');
    return message;
  }

  /** Records what the media step learned about a message's file. */
  async updateMedia(
    workspaceId: WorkspaceId,
    messageId: string,
    update: MessageMediaUpdate,
  ): Promise<MessageRecord> {
    const message = await this.messageRepository.updateMedia(workspaceId, messageId, update);
    if (!message) throw AppError.notFound('Message');
    return message;
  }

  /** The ids of a visitor's conversations (their files go with them on erasure). */
  async visitorConversationIds(
    workspaceId: WorkspaceId,
    channel: Channel,
    visitorId: string,
  ): Promise<string[]> {
    const found = await this.repository.visitorConversations(workspaceId, channel, visitorId);
    return found.map((c) => c.id);
  }

  async getMessage(workspaceId: WorkspaceId, messageId: string): Promise<MessageRecord> {
    const message = await this.messageRepository.findMessage(workspaceId, messageId);
    if (!message) throw AppError.notFound('Message');
    return message;
  }

  /**
   * Meta's 131050 ("user stopped marketing messages") on one of our sends: the customer is marked
   * opted out as if they had said the keyword.
   */
  async optOutByMeta(scope: DeliveryScope, externalMessageId: string, at: Date): Promise<void> {
    const target = await this.messageRepository.findByExternalId(
      scope.workspaceId,
      externalMessageId,
    );
    if (!target) return;
    await this.repository.recordConsent(scope.workspaceId, target.conversationId, {
      state: 'opted_out',
      via: 'meta_131050',
      at,
    });
  }

  /** The customer opted out of (or back into) marketing: state and history on the conversation. */
  recordConsent(
    workspaceId: WorkspaceId,
    conversationId: string,
    state: ConsentState,
    via: ConsentSource,
    at: Date,
  ): Promise<void> {
    return this.repository.recordConsent(workspaceId, conversationId, { state, via, at });
  }

  /** The messages of one number that Meta priced in [from, to), each with its customer's phone. */
  async pricedMessagesOfIntegration(
    workspaceId: WorkspaceId,
    integrationId: string,
    from: Date,
    to: Date,
  ): Promise<{ message: MessageRecord; phone: string | null }[]> {
    const conversations = await this.repository.phonesOfIntegration(workspaceId, integrationId);
    const phoneOf = new Map(conversations.map((c) => [c.id, c.phone]));
    const messages = await this.messageRepository.listPriced(
      workspaceId,
      conversations.map((c) => c.id),
      from,
      to,
    );
    return messages.map((message) => ({
      message,
      phone: phoneOf.get(message.conversationId) ?? null,
    }));
  }

  async getConversation(
    workspaceId: WorkspaceId,
    conversationId: string,
  ): Promise<ConversationRecord> {
    const conversation = await this.repository.findConversation(workspaceId, conversationId);
    if (!conversation) throw AppError.notFound('Conversation');
    return conversation;
  }

  // ---- read side (dashboard) ------------------------------------------------------------------

  /** `viewerId`: the signed-in user (their unread counts, `assignee=mine`); null for an API key. */
  async list(
    workspaceId: WorkspaceId,
    query: ConversationListQuery,
    viewerId: string | null = null,
  ): Promise<CursorPage<ConversationListItem>> {
    const assigneeId =
      query.assignee === undefined
        ? undefined
        : query.assignee === 'unassigned'
          ? null
          : query.assignee === 'mine'
            ? viewerId
            : query.assignee;
    if (assigneeId === undefined && query.assignee === 'mine') {
      throw AppError.conflict('NOT_A_USER', 'Only a signed-in user has conversations of their own');
    }
    const limit = clampLimit(query.limit, CONVERSATION_PAGE);
    const cursor = decodeCursor(query.cursor);
    // A search of signs only ("(.*") has no word to find: it finds nothing.
    const q = query.q?.trim() ?? '';
    const words = searchQueryWords(q);
    const searchMatches =
      q === '' ? null : await this.searchTerms.conversationIdsMatching(workspaceId, words);
    const filter = {
      chatbotId: query.chatbotId,
      channel: query.channel,
      status: query.status,
      favorite: query.favorite,
      ...(assigneeId !== undefined ? { assigneeId } : {}),
    };
    let rows: ConversationRecord[];
    if (searchMatches === null) {
      rows = await this.repository.listConversations(workspaceId, filter, cursor, limit + 1);
    } else {
      // By id lists the embedded database serves from its index (`SEARCH_IN_CHUNK` ids each),
      // merged in list order.
      rows = [];
      for (let i = 0; i < searchMatches.length; i += SEARCH_IN_CHUNK) {
        const chunk = searchMatches.slice(i, i + SEARCH_IN_CHUNK);
        rows.push(
          ...(await this.repository.listConversations(
            workspaceId,
            filter,
            cursor,
            limit + 1,
            chunk,
          )),
        );
      }
      rows.sort(newestFirst);
    }
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const views = await this.viewsFor(workspaceId, page, viewerId);
    return {
      items: views,
      nextCursor:
        rows.length > limit && last ? encodeCursor({ at: last.lastMessageAt, id: last.id }) : null,
    };
  }

  counts(
    workspaceId: WorkspaceId,
    chatbotId?: string,
    viewerId: string | null = null,
  ): Promise<ConversationCounts> {
    return this.repository.counts(workspaceId, chatbotId, viewerId);
  }

  async view(
    workspaceId: WorkspaceId,
    conversationId: string,
    viewerId: string | null = null,
  ): Promise<ConversationView> {
    const conversation = await this.getConversation(workspaceId, conversationId);
    const [view] = await this.viewsFor(workspaceId, [conversation], viewerId);
    if (!view) throw AppError.notFound('Conversation');
    return view;
  }

  /** Views as one user sees them: their unread counts, the bot switch as of now. */
  async viewsFor(
    workspaceId: WorkspaceId,
    conversations: ConversationRecord[],
    viewerId: string | null,
  ): Promise<ConversationView[]> {
    const reads = viewerId
      ? await this.reads.readCounts(
          workspaceId,
          viewerId,
          conversations.map((c) => c.id),
        )
      : null;
    const now = this.clock.now();
    return conversations.map((c) =>
      toConversationView(c, { now, readCount: reads ? (reads.get(c.id) ?? 0) : undefined }),
    );
  }

  /** The newest page first; `nextCursor` goes back in time. Items are oldest first within a page. */
  /** Reading the newest page marks the thread read for `viewerId`. */
  async messages(
    workspaceId: WorkspaceId,
    conversationId: string,
    query: { cursor?: string; limit?: number },
    viewerId: string | null = null,
  ): Promise<MessagePage> {
    const conversation = await this.getConversation(workspaceId, conversationId);
    if (viewerId && query.cursor === undefined) {
      await this.reads.markRead(
        workspaceId,
        viewerId,
        conversation.id,
        conversation.customerMessageCount,
        new Date(),
      );
    }
    const limit = clampLimit(query.limit, MESSAGE_PAGE);
    const rows = await this.messageRepository.messagesBefore(
      workspaceId,
      conversation.id,
      decodeCursor(query.cursor),
      limit + 1,
    );
    const page = rows.slice(0, limit);
    const oldest = page[page.length - 1];
    return {
      items: page.reverse().map((m) => toMessageView(m, conversation)),
      nextCursor:
        rows.length > limit && oldest
          ? encodeCursor({ at: oldest.createdAt, id: oldest.id })
          : null,
    };
  }

  /** Favorite or unfavorite; a state change goes through {@link close} or {@link reopen}. */
  async update(
    actor: Actor,
    conversationId: string,
    patch: UpdateConversationRequest,
  ): Promise<ConversationView> {
    if (patch.status === 'closed') await this.close(actor, conversationId);
    else if (patch.status === 'open') await this.reopen(actor, conversationId);
    else if (patch.status === 'pending') await this.take(actor, conversationId);
    if (patch.isFavorite === undefined)
      return this.view(actor.workspaceId, conversationId, actor.userId);
    return this.changeHandling(actor, actor.workspaceId, conversationId, 'favorite', {
      isFavorite: patch.isFavorite,
    });
  }

  // ---- handling: state, assignee, bot switch ----------------------------------------------------

  /** The caller takes the conversation: assigned to them, the bot paused until someone resumes it. */
  async take(actor: Actor, conversationId: string): Promise<ConversationView> {
    if (!actor.userId) {
      throw AppError.conflict('NOT_A_USER', 'Only a signed-in user can take a conversation');
    }
    const current = await this.getConversation(actor.workspaceId, conversationId);
    return this.changeHandling(actor, actor.workspaceId, conversationId, 'take', {
      assigneeId: actor.userId,
      botPaused: true,
      botPausedUntil: null,
      ...(current.status === 'closed' ? { status: 'pending', endedAt: null } : {}),
    });
  }

  /** Assigns to an active user of the workspace, or to nobody (`null`). */
  async assign(
    actor: Actor,
    conversationId: string,
    userId: string | null,
  ): Promise<ConversationView> {
    await this.getConversation(actor.workspaceId, conversationId);
    const user =
      userId === null ? null : await this.accounts.findUserOrNull(actor.workspaceId, userId);
    if (userId !== null && !user?.active) {
      throw AppError.conflict('UNKNOWN_ASSIGNEE', 'No active user of this workspace has this id');
    }
    return this.changeHandling(actor, actor.workspaceId, conversationId, 'assign', {
      assigneeId: userId,
    });
  }

  async close(actor: Actor, conversationId: string): Promise<ConversationView> {
    return this.changeHandling(actor, actor.workspaceId, conversationId, 'close', {
      status: 'closed',
      endedAt: this.clock.now(),
    });
  }

  /** Opens the conversation again for the bot. */
  async reopen(actor: Actor, conversationId: string): Promise<ConversationView> {
    return this.changeHandling(actor, actor.workspaceId, conversationId, 'reopen', {
      status: 'open',
      endedAt: null,
      botPaused: false,
      botPausedUntil: null,
    });
  }

  /** Pauses the bot (until a time, or until resumed) or resumes it; a resumed bot owns the thread. */
  async setBot(
    actor: Actor,
    conversationId: string,
    paused: boolean,
    until: Date | null,
  ): Promise<ConversationView> {
    const current = await this.getConversation(actor.workspaceId, conversationId);
    return this.changeHandling(
      actor,
      actor.workspaceId,
      conversationId,
      'bot',
      paused
        ? { botPaused: true, botPausedUntil: until }
        : {
            botPaused: false,
            botPausedUntil: null,
            ...(current.status === 'pending' ? { status: 'open' } : {}),
          },
    );
  }

  /** The bot hands the conversation to a person: waiting for one, the bot paused. */
  async handOff(workspaceId: WorkspaceId, conversationId: string, trigger: string): Promise<void> {
    await this.changeHandling(
      null,
      workspaceId,
      conversationId,
      'handoff',
      { status: 'pending', botPaused: true, botPausedUntil: null },
      { trigger },
    );
  }

  /**
   * A person wrote to the customer (an agent's reply, the WhatsApp Business app): the bot pauses
   * for `resumeAfterMinutes` of the injected clock (null: until resumed by hand). An agent's reply
   * assigns an unassigned conversation to them.
   */
  async pauseForPerson(
    workspaceId: WorkspaceId,
    conversationId: string,
    resumeAfterMinutes: number | null,
    assignTo?: string,
  ): Promise<void> {
    const current = await this.getConversation(workspaceId, conversationId);
    const now = this.clock.now();
    const updated = await this.repository.updateConversation(
      workspaceId,
      conversationId,
      {
        botPaused: true,
        botPausedUntil:
          resumeAfterMinutes === null
            ? null
            : new Date(now.getTime() + resumeAfterMinutes * 60_000),
        ...(assignTo && current.assigneeId === null ? { assigneeId: assignTo } : {}),
      },
      new Date(),
    );
    if (updated) {
      await this.events.publish(workspaceId, 'conversation', conversationId, {
        status: updated.status,
      });
    }
  }

  /**
   * Whether the bot may answer now: never on a closed conversation or while paused. A pause whose
   * time has passed ends here (by the injected clock) and the conversation is the bot's again.
   * `known`: the conversation as the caller read it moments ago (spares the read).
   */
  async botMayAnswer(
    workspaceId: WorkspaceId,
    conversationId: string,
    known?: ConversationRecord,
  ): Promise<boolean> {
    const c =
      known?.id === conversationId && known.workspaceId === workspaceId
        ? known
        : await this.getConversation(workspaceId, conversationId);
    if (c.status === 'closed') return false;
    if (botSwitchAt(c, this.clock.now()).state === 'paused') return false;
    if (c.botPaused || c.status === 'pending') {
      await this.repository.updateConversation(
        workspaceId,
        conversationId,
        { botPaused: false, botPausedUntil: null, status: 'open' },
        new Date(),
      );
      await this.events.publish(workspaceId, 'conversation', conversationId, { status: 'open' });
    }
    return true;
  }

  /** The end of the 24-hour window of a WhatsApp conversation (null: none yet, or not WhatsApp). */
  async windowEndsAt(conversation: ConversationRecord): Promise<Date | null> {
    if (conversation.channel !== 'whatsapp') return null;
    const known = windowEndsAt(conversation);
    if (known) return known;
    // Threads stored before the last customer message was kept on the conversation.
    const last = await this.messageRepository.lastCustomerMessageAt(
      conversation.workspaceId,
      conversation.id,
    );
    return last ? windowEndsAt({ channel: 'whatsapp', lastCustomerMessageAt: last }) : null;
  }

  /** Agent messages of a conversation after `after` (the web visitor's poll). */
  agentMessagesAfter(
    workspaceId: WorkspaceId,
    conversationId: string,
    after: Date,
  ): Promise<MessageRecord[]> {
    return this.messageRepository.agentMessagesAfter(workspaceId, conversationId, after);
  }

  private async changeHandling(
    actor: Actor | null,
    workspaceId: WorkspaceId,
    conversationId: string,
    action: 'take' | 'assign' | 'close' | 'reopen' | 'bot' | 'handoff' | 'favorite',
    patch: ConversationHandlingPatch & { isFavorite?: boolean },
    metadata: Record<string, unknown> = {},
  ): Promise<ConversationView> {
    const updated = await this.repository.updateConversation(
      workspaceId,
      conversationId,
      patch,
      new Date(),
    );
    if (!updated) throw AppError.notFound('Conversation');
    await this.events.publish(workspaceId, 'conversation', conversationId, {
      status: updated.status,
    });
    if (action !== 'favorite') {
      await this.audit.record({
        workspaceId,
        actor,
        action: `conversation.${action}`,
        target: { type: 'conversation', id: conversationId },
        outcome: 'success',
        metadata: {
          ...metadata,
          status: updated.status,
          assigneeId: updated.assigneeId,
          botPaused: updated.botPaused,
        },
      });
    }
    const [view] = await this.viewsFor(workspaceId, [updated], actor?.userId ?? null);
    if (!view) throw AppError.notFound('Conversation');
    return view;
  }

  /** The active users of the workspace a conversation can be assigned to. */
  async assignees(workspaceId: WorkspaceId): Promise<{ id: string; name: string }[]> {
    const users = await this.accounts.listUsers(workspaceId);
    return users.filter((u) => u.active).map((u) => ({ id: u.id, name: u.name }));
  }

  // ---- privacy --------------------------------------------------------------------------------

  /** Everything stored about one visitor of the workspace, with the phone masked. */
  async exportContact(
    workspaceId: WorkspaceId,
    channel: Channel,
    visitorId: string,
  ): Promise<Omit<ContactExport, 'files'>> {
    const conversations = await this.repository.visitorConversations(
      workspaceId,
      channel,
      visitorId,
    );
    const messages = await this.messageRepository.messagesOfConversations(
      workspaceId,
      conversations.map((c) => c.id),
    );
    return {
      channel,
      maskedPhone: PHONE_CHANNELS.includes(channel) ? maskPhone(visitorId) : null,
      exportedAt: new Date().toISOString(),
      conversations: conversations.map((c) => ({
        ...toConversationView(c),
        messages: messages.filter((m) => m.conversationId === c.id).map((m) => toMessageView(m, c)),
      })),
    };
  }

  /** Whether the workspace has any conversation with this visitor. */
  async hasContact(
    workspaceId: WorkspaceId,
    channel: Channel,
    visitorId: string,
  ): Promise<boolean> {
    return (await this.repository.visitorConversations(workspaceId, channel, visitorId)).length > 0;
  }

  /** Deletes every conversation, message and search term of one visitor of the workspace. */
  async eraseContact(
    workspaceId: WorkspaceId,
    channel: Channel,
    visitorId: string,
  ): Promise<Pick<ContactErasureResult, 'conversationsDeleted' | 'messagesDeleted'>> {
    const ids = await this.repository.visitorConversationIds(workspaceId, channel, visitorId);
    if (ids.length === 0) return { conversationsDeleted: 0, messagesDeleted: 0 };
    const messagesDeleted = await this.messageRepository.deleteOfConversations(workspaceId, ids);
    const conversationsDeleted = await this.repository.deleteMany(workspaceId, ids);
    await this.searchTerms.forgetConversations(ids);
    return { conversationsDeleted, messagesDeleted };
  }

  /**
   * Retention over every workspace: deletes messages older than `cutoff` in batches, then the
   * conversations left empty. Each batch is a separate query, so a large backlog never holds one
   * long operation.
   */
  async purgeOlderThan(
    cutoff: Date,
    batchSize: number,
    maxBatches = 1000,
  ): Promise<RetentionResult> {
    const result: RetentionResult = { messagesDeleted: 0, conversationsDeleted: 0, batches: 0 };
    while (result.batches < maxBatches) {
      const perConversation = await this.messageRepository.deleteOldMessagesAllWorkspaces(
        cutoff,
        batchSize,
      );
      if (perConversation.size === 0) break;
      result.batches++;
      let deleted = 0;
      for (const n of perConversation.values()) deleted += n;
      result.messagesDeleted += deleted;
      await this.repository.discountMessagesAllWorkspaces(perConversation);
      await this.searchTerms.reindexMessages([...perConversation.keys()]);
      if (deleted < batchSize) break;
    }
    while (result.batches < maxBatches) {
      const deleted = await this.repository.deleteOldConversationsAllWorkspaces(cutoff, batchSize);
      if (deleted === 0) break;
      result.batches++;
      result.conversationsDeleted += deleted;
      if (deleted < batchSize) break;
    }
    return result;
  }
}
