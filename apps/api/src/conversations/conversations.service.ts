import { Injectable } from '@nestjs/common';
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
  ChannelCounts,
  ContactErasureResult,
  ContactExport,
  ConversationListItem,
  ConversationListQuery,
  ConversationView,
  CursorPage,
  MessagePage,
  UpdateConversationRequest,
} from '@conecta/contracts';
import { AppError } from '../common/errors/app-error';
import type {
  AddMessageInput,
  ConversationRecord,
  DeliveryScope,
  DeliveryUpdate,
  DeliveryUpdateResult,
  DeliveryUpdateStatus,
  FindOrCreateConversationInput,
  MessageRecord,
} from './conversation.types';
import {
  previewOf,
  searchableContact,
  toConversationView,
  toMessageView,
} from './conversation.views';
import { ConversationsRepository } from './conversations.repository';
import { MessagesRepository } from './messages.repository';
import { decodeCursor, encodeCursor } from './cursor';
import type { WorkspaceId } from '../common/workspace-id';
import { SEARCH_IN_CHUNK, SearchTermsRepository } from './search-terms.repository';

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
  ) {}

  // ---- write side (web channel, WhatsApp webhook) -------------------------------------------

  /** Whether the chatbot already has a conversation of this session on this channel. */
  hasSession(
    workspaceId: WorkspaceId,
    chatbotId: string,
    channel: FindOrCreateConversationInput['channel'],
    sessionId: string,
  ): Promise<boolean> {
    return this.repository.hasSession({ workspaceId, chatbotId, channel, sessionId });
  }

  /**
   * Idempotent on (chatbotId, channel, sessionId); never reopens a closed conversation. Keeps the
   * contact's search terms in step with what the list shows.
   */
  async findOrCreate(input: FindOrCreateConversationInput): Promise<ConversationRecord> {
    const conversation = await this.repository.findOrCreate(input, new Date());
    await this.searchTerms.setContactTerms(
      conversation.workspaceId,
      conversation.id,
      contactSearchTerms(searchableContact(conversation)),
    );
    return conversation;
  }

  /** The session key of a WhatsApp customer's existing thread (by BSUID, else by phone), or null. */
  findWhatsAppSession(
    scope: { workspaceId: WorkspaceId; chatbotId: string; phoneNumberId: string },
    who: { phone?: string; userId?: string },
  ): Promise<string | null> {
    return this.repository.findWhatsAppSession(scope, who);
  }

  /**
   * Stores a message and counts it on its conversation. A message whose `externalMessageId` is
   * already stored answers the stored one and changes nothing (webhook redelivery). `conversation`,
   * the record the caller has just read or created, spares the ownership check's query.
   */
  async addMessage(
    input: AddMessageInput,
    conversation?: ConversationRecord,
  ): Promise<MessageRecord> {
    const owned = await this.repository.ownsConversation(
      input.workspaceId,
      input.conversationId,
      conversation,
    );
    if (!owned) throw AppError.notFound('Conversation');
    const createdAt = input.createdAt ?? new Date();
    const { message, created } = await this.messageRepository.insertMessage(input, createdAt);
    if (created) {
      await this.repository.recordMessageOnConversation(
        input.workspaceId,
        input.conversationId,
        createdAt,
        previewOf(input.content, input.media?.kind),
        new Date(),
      );
      await this.searchTerms.addMessageTerms(
        input.workspaceId,
        input.conversationId,
        input.content,
      );
    }
    return message;
  }

  /** The last `limit` messages of a conversation, oldest first (the responder's history). */
  async recentHistory(
    workspaceId: WorkspaceId,
    conversationId: string,
    limit: number,
  ): Promise<MessageRecord[]> {
    const newestFirst = await this.messageRepository.messagesBefore(
      workspaceId,
      conversationId,
      null,
      Math.max(1, limit),
    );
    return newestFirst.reverse();
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
    return this.messageRepository.applyDeliveryStatus(scope.workspaceId, target.id, status, update);
  }

  /** Stores the wamid Meta returned for a sent message. */
  async setExternalId(
    workspaceId: WorkspaceId,
    messageId: string,
    externalMessageId: string,
  ): Promise<MessageRecord> {
    const message = await this.messageRepository.setExternalId(
      workspaceId,
      messageId,
      externalMessageId,
      new Date(),
    );
    if (!message) throw AppError.notFound('Message');
    return message;
  }

  /** Puts a failed message back to `pending` before a user's retry sends it again. */
  async markPending(workspaceId: WorkspaceId, messageId: string): Promise<MessageRecord> {
    const message = await this.messageRepository.markPending(workspaceId, messageId, new Date());
    if (!message) throw AppError.notFound('Message');
    return message;
  }

  async getMessage(workspaceId: WorkspaceId, messageId: string): Promise<MessageRecord> {
    const message = await this.messageRepository.findMessage(workspaceId, messageId);
    if (!message) throw AppError.notFound('Message');
    return message;
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

  async list(
    workspaceId: WorkspaceId,
    query: ConversationListQuery,
  ): Promise<CursorPage<ConversationListItem>> {
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
      rows.sort(
        (x, y) => y.lastMessageAt.getTime() - x.lastMessageAt.getTime() || (y.id < x.id ? -1 : 1),
      );
    }
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toConversationView),
      nextCursor:
        rows.length > limit && last ? encodeCursor({ at: last.lastMessageAt, id: last.id }) : null,
    };
  }

  async counts(workspaceId: WorkspaceId, chatbotId?: string): Promise<ChannelCounts> {
    const perChannel = await this.repository.countByChannel(workspaceId, chatbotId);
    const all = Object.values(perChannel).reduce((a, b) => a + b, 0);
    return { ...perChannel, all };
  }

  async view(workspaceId: WorkspaceId, conversationId: string): Promise<ConversationView> {
    return toConversationView(await this.getConversation(workspaceId, conversationId));
  }

  /** The newest page first; `nextCursor` goes back in time. Items are oldest first within a page. */
  async messages(
    workspaceId: WorkspaceId,
    conversationId: string,
    query: { cursor?: string; limit?: number },
  ): Promise<MessagePage> {
    const conversation = await this.getConversation(workspaceId, conversationId);
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

  /** Favorite or unfavorite; close (sets `endedAt`) or reopen (clears it). */
  async update(
    workspaceId: WorkspaceId,
    conversationId: string,
    patch: UpdateConversationRequest,
  ): Promise<ConversationView> {
    const current = await this.getConversation(workspaceId, conversationId);
    const now = new Date();
    const endedAt =
      patch.status === undefined || patch.status === current.status
        ? undefined
        : patch.status === 'closed'
          ? now
          : null;
    const updated = await this.repository.updateConversation(
      workspaceId,
      conversationId,
      { isFavorite: patch.isFavorite, status: patch.status, endedAt },
      now,
    );
    if (!updated) throw AppError.notFound('Conversation');
    return toConversationView(updated);
  }

  // ---- privacy --------------------------------------------------------------------------------

  /** Everything stored about one visitor of the workspace, with the phone masked. */
  async exportContact(
    workspaceId: WorkspaceId,
    channel: Channel,
    visitorId: string,
  ): Promise<ContactExport> {
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
