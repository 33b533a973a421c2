import { Inject, Injectable } from '@nestjs/common';
import { AGENT_MESSAGE_RULES, type MessageView } from '@conecta/contracts';
import { AccountsService } from '../accounts/accounts.service';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import { ChatbotsService } from '../chatbots/chatbots.service';
import { CLOCK, type Clock } from '../common/clock';
import { AppError } from '../common/errors/app-error';
import type { ConversationRecord, MessageMedia } from '../conversations/conversation.types';
import { toMessageView } from '../conversations/conversation.views';
import { ConversationsService } from '../conversations/conversations.service';
import { IntegrationRouting } from '../integrations/integration-routing.service';
import type { ActiveIntegration } from '../integrations/integrations.types';
import { MediaService } from '../media/media.service';
import { InboxService } from '../whatsapp-webhook/inbox.service';

/**
 * A team member's reply: stored `pending` with its author, then sent by the inbox workers through
 * the same path as the bot's replies (WhatsApp), or read by the visitor's next poll (web).
 */
@Injectable()
export class AgentRepliesService {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly chatbots: ChatbotsService,
    private readonly accounts: AccountsService,
    private readonly integrations: IntegrationRouting,
    private readonly inbox: InboxService,
    private readonly audit: AuditService,
    private readonly media: MediaService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** `idempotencyKey`: a retried request with the same key answers the message stored the first time. */
  send(
    auth: Actor,
    conversationId: string,
    content: string,
    idempotencyKey: string | undefined,
  ): Promise<MessageView> {
    return this.store(auth, conversationId, { content }, idempotencyKey);
  }

  /**
   * A file (WhatsApp only): checked against Meta's limits before anything is stored, kept in
   * GridFS under its message, then uploaded and sent by id by the same worker as a text reply.
   */
  sendFile(
    auth: Actor,
    conversationId: string,
    file: { data: Buffer; mimeType: string; fileName: string },
    caption: string | undefined,
    idempotencyKey: string | undefined,
  ): Promise<MessageView> {
    const media = this.media.describeOutbound(file, caption);
    return this.store(
      auth,
      conversationId,
      { content: caption ?? `[${media.kind}: ${file.fileName}]`, media, data: file.data },
      idempotencyKey,
    );
  }

  private async store(
    auth: Actor,
    conversationId: string,
    reply: { content: string; media?: MessageMedia; data?: Buffer },
    idempotencyKey: string | undefined,
  ): Promise<MessageView> {
    const { content } = reply;
    const conversation = await this.conversations.getConversation(auth.workspaceId, conversationId);
    if (reply.media && conversation.channel !== 'whatsapp') {
      throw AppError.conflict(
        'NO_ACTIVE_INTEGRATION',
        'Files are sent on WhatsApp conversations only',
      );
    }
    if (
      idempotencyKey !== undefined &&
      !AGENT_MESSAGE_RULES.idempotencyKey.pattern.test(idempotencyKey)
    ) {
      throw AppError.validation([
        {
          field: 'Idempotency-Key',
          code: 'pattern',
          message: 'must be 1 to 100 printable characters',
        },
      ]);
    }
    const integration =
      conversation.channel === 'whatsapp' ? await this.checkCanSend(conversation) : null;
    const author = await this.authorOf(auth);
    const message = await this.conversations.addMessage(
      {
        workspaceId: auth.workspaceId,
        conversationId: conversation.id,
        role: 'assistant',
        channel: conversation.channel,
        content,
        author,
        ...(reply.media ? { media: reply.media } : {}),
        ...(idempotencyKey !== undefined
          ? { clientKey: `${conversation.id}:${idempotencyKey}` }
          : {}),
        ...(integration ? { deliveryStatus: 'pending' as const } : {}),
      },
      conversation,
    );
    if (
      message.content !== content ||
      message.authorUserId !== author.userId ||
      message.media?.sha256 !== reply.media?.sha256
    ) {
      throw AppError.conflict(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was used for another message',
      );
    }
    // Kept before it is queued: the worker uploads from this copy (a retried request keeps nothing twice).
    if (reply.data) await this.media.keepOutbound(message, reply.data);
    if (integration) {
      await this.inbox.enqueueAgentReply({
        workspaceId: auth.workspaceId,
        integrationId: integration.id,
        phoneNumberId: integration.phoneNumberId,
        conversationId: conversation.id,
        messageId: message.id,
      });
    }
    const chatbot = await this.chatbots
      .get(auth.workspaceId, conversation.chatbotId)
      .catch(() => null);
    await this.conversations.pauseForPerson(
      auth.workspaceId,
      conversation.id,
      chatbot ? chatbot.handoff.resumeAfterMinutes : null,
      auth.userId ?? undefined,
    );
    await this.audit.record({
      workspaceId: auth.workspaceId,
      actor: auth,
      action: 'message.send',
      target: { type: 'conversation', id: conversation.id },
      outcome: 'success',
      metadata: {
        messageId: message.id,
        channel: conversation.channel,
        length: content.length,
        ...(reply.media ? { file: reply.media.kind, size: reply.media.size } : {}),
      },
    });
    return toMessageView(message, conversation);
  }

  /** The number to send from; refuses outside the 24-hour window or without a connected number. */
  private async checkCanSend(conversation: ConversationRecord): Promise<ActiveIntegration> {
    const endsAt = await this.conversations.windowEndsAt(conversation);
    if (!endsAt || endsAt.getTime() <= this.clock.now().getTime()) {
      // Meta's rule, not a conflict: its own code (422 by the status table).
      throw new AppError(
        'OUTSIDE_CUSTOMER_SERVICE_WINDOW',
        'More than 24 hours since the customer last wrote: only a template can be sent',
        { reason: 'OUTSIDE_CUSTOMER_SERVICE_WINDOW', windowEndsAt: endsAt?.toISOString() ?? null },
      );
    }
    const phoneNumberId = conversation.sessionId.split(':')[0] ?? '';
    const integration = await this.integrations.findActiveByPhoneNumberId(phoneNumberId);
    if (!integration || integration.workspaceId !== conversation.workspaceId) {
      throw AppError.conflict('NO_ACTIVE_INTEGRATION', 'This WhatsApp number is not connected');
    }
    return integration;
  }

  private async authorOf(auth: Actor): Promise<{ userId: string; name: string }> {
    if (!auth.userId) return { userId: `apiKey:${auth.apiKeyId ?? 'unknown'}`, name: 'API' };
    const user = await this.accounts.getUser(auth.workspaceId, auth.userId);
    return { userId: user.id, name: user.name };
  }
}
