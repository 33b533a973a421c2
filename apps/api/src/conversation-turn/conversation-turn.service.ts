import { Injectable } from '@nestjs/common';
import type { Channel } from '@conecta/contracts';
import type { ChatbotRecord } from '../chatbots/chatbot.types';
import type { ConversationRecord, MessageRecord } from '../conversations/conversation.types';
import type { ConversationWriteBatch } from '../conversations/conversation-write-batch';
import { ConversationsService } from '../conversations/conversations.service';
import type { ResponderTurn } from '../responders/responder.types';
import { RespondersService } from '../responders/responders.service';
import type { WorkspaceId } from '../common/workspace-id';
import { fitOneMessage } from '../whatsapp-webhook/inbound-content';

/** How many earlier messages the responder sees. */
export const HISTORY_TURNS = 20;

/** Where a turn's reply is stored: a conversation of one workspace, on one channel. */
export interface TurnTarget {
  workspaceId: WorkspaceId;
  conversationId: string;
  channel: Channel;
  /** The conversation as just read or created: spares the ownership check of the insert. */
  conversation?: ConversationRecord;
}

/**
 * The chatbot's turn in a conversation, the same on every channel: the recent history, the
 * responder's answer to it, and that answer stored as the assistant's message (a handoff also
 * hands the conversation to a person). Sending it (on WhatsApp) is the caller's.
 */
@Injectable()
export class ConversationTurnService {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly responders: RespondersService,
  ) {}

  /** The messages the responder sees, oldest first. */
  history(target: Pick<TurnTarget, 'workspaceId' | 'conversationId'>): Promise<MessageRecord[]> {
    return this.conversations.recentHistory(
      target.workspaceId,
      target.conversationId,
      HISTORY_TURNS,
    );
  }

  /**
   * Answers the conversation and stores the reply. `history` is the caller's read of
   * {@link history} when it needed one first; `pending` marks a reply still to be sent; `batch`
   * holds the reply's search terms and event for the caller's flush.
   */
  async reply(
    chatbot: ChatbotRecord,
    target: TurnTarget,
    options: {
      history?: MessageRecord[];
      pending?: boolean;
      turns?: ResponderTurn[];
      batch?: ConversationWriteBatch;
    } = {},
  ): Promise<MessageRecord> {
    const history = options.history ?? (await this.history(target));
    // `turns`: the caller's own reading of the history (WhatsApp: transcripts, photos).
    const turns =
      options.turns ??
      history.filter((m) => !m.deleted).map((m) => ({ role: m.role, content: m.content }));
    const result = await this.responders.reply(chatbot, turns);
    // Each part of a split WhatsApp reply is billed: the chatbot may keep its replies to one.
    const content =
      target.channel === 'whatsapp' && chatbot.singleMessageReplies
        ? fitOneMessage(result.content)
        : result.content;
    const reply = await this.conversations.addMessage(
      {
        workspaceId: target.workspaceId,
        conversationId: target.conversationId,
        role: 'assistant',
        channel: target.channel,
        content,
        ...(options.pending ? { deliveryStatus: 'pending' as const } : {}),
        responseTime: result.responseTimeMs,
        ...(result.tokens !== undefined ? { tokens: result.tokens } : {}),
        ...(result.firstTokenLatencyMs !== undefined
          ? { firstTokenLatency: result.firstTokenLatencyMs }
          : {}),
      },
      target.conversation,
      options.batch,
    );
    // The reply was the handoff message: the conversation now waits for a person, the bot paused.
    if (result.handoff) {
      await this.conversations.handOff(target.workspaceId, target.conversationId, result.handoff);
    }
    return reply;
  }
}
