import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type {
  PublicChatPollResponse,
  PublicChatRequest,
  PublicChatResponse,
} from '@conecta/contracts';
import { ChatbotsService } from '../chatbots/chatbots.service';
import { AppError } from '../common/errors/app-error';
import { perWindow, RateLimiter } from '../common/rate-limit/rate-limiter';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ConversationTurnService } from '../conversation-turn/conversation-turn.service';
import { ConversationsService } from '../conversations/conversations.service';

/** The `web` channel: a chatbot's public chat, answered by the same responder as WhatsApp. */
@Injectable()
export class WebChatService {
  /** Conversations one IP may start per hour: each costs a stored conversation and an LLM turn. */
  private readonly newConversations: RateLimiter;

  constructor(
    private readonly chatbots: ChatbotsService,
    private readonly conversations: ConversationsService,
    private readonly turn: ConversationTurnService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.newConversations = perWindow(
      config.conversations.publicChatNewConversationsPerHour,
      3_600_000,
    );
  }

  async send(publicId: string, input: PublicChatRequest, ip: string): Promise<PublicChatResponse> {
    const chatbot = await this.chatbots.getByPublicId(publicId);
    // A disabled public chat answers like an unknown one: nothing to learn from probing ids.
    if (!chatbot || !chatbot.publicChatEnabled) throw AppError.notFound('Chatbot');
    const sessionId = input.sessionId ?? randomBytes(18).toString('base64url');
    const known =
      input.sessionId !== undefined &&
      (await this.conversations.findSession(chatbot.workspaceId, chatbot.id, 'web', sessionId)) !==
        null;
    // A made-up sessionId starts a conversation too: both count against the same limit.
    if (!known && !this.newConversations.take(ip, Date.now())) {
      throw new AppError('TOO_MANY_REQUESTS', 'Too many new conversations; try again later', {
        reason: 'NEW_CONVERSATIONS',
      });
    }
    const conversation = await this.conversations.findOrCreate({
      workspaceId: chatbot.workspaceId,
      chatbotId: chatbot.id,
      channel: 'web',
      sessionId,
      visitorId: sessionId,
      visitorIp: ip,
    });
    const base = {
      workspaceId: chatbot.workspaceId,
      conversationId: conversation.id,
      channel: 'web' as const,
    };
    await this.conversations.addMessage(
      { ...base, role: 'user', content: input.content.trim() },
      conversation,
    );
    // A person handles it (or it is paused): stored, unanswered; their reply comes by poll.
    if (!(await this.conversations.botMayAnswer(chatbot.workspaceId, conversation.id))) {
      return { sessionId, reply: null };
    }
    const reply = await this.turn.reply(chatbot, { ...base, conversation });
    return {
      sessionId,
      reply: { id: reply.id, content: reply.content, createdAt: reply.createdAt.toISOString() },
    };
  }

  /** The team's replies in a visitor's conversation since `after` (the web chat polls for them). */
  async poll(publicId: string, sessionId: string, after: Date): Promise<PublicChatPollResponse> {
    const chatbot = await this.chatbots.getByPublicId(publicId);
    if (!chatbot || !chatbot.publicChatEnabled) throw AppError.notFound('Chatbot');
    const conversation = await this.conversations.findSession(
      chatbot.workspaceId,
      chatbot.id,
      'web',
      sessionId,
    );
    if (!conversation) return { items: [] };
    const messages = await this.conversations.agentMessagesAfter(
      chatbot.workspaceId,
      conversation.id,
      after,
    );
    return {
      items: messages.map((m) => ({
        id: m.id,
        content: m.content,
        createdAt: m.createdAt.toISOString(),
      })),
    };
  }
}
