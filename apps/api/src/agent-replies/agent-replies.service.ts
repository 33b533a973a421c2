import { Inject, Injectable } from '@nestjs/common';
import {
  AGENT_MESSAGE_RULES,
  type MessageView,
  type TemplateSendRequest,
  type TemplateStartRequest,
  renderTemplate,
} from '@conecta/contracts';
import { AccountsService } from '../accounts/accounts.service';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import { ChatbotsService } from '../chatbots/chatbots.service';
import { CLOCK, type Clock } from '../common/clock';
import { AppError } from '../common/errors/app-error';
import type {
  ConversationRecord,
  MessageMedia,
  MessageTemplateSend,
} from '../conversations/conversation.types';
import { toMessageView } from '../conversations/conversation.views';
import { ConversationsService } from '../conversations/conversations.service';
import { IntegrationRouting } from '../integrations/integration-routing.service';
import type { ActiveIntegration } from '../integrations/integrations.types';
import { MediaService } from '../media/media.service';
import { templateComponents } from '../templates/template-payload';
import { TemplatesService } from '../templates/templates.service';
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
    private readonly templates: TemplatesService,
    private readonly media: MediaService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** `idempotencyKey`: a retried request with the same key answers the message stored the first time. */
  async send(
    auth: Actor,
    conversationId: string,
    content: string,
    idempotencyKey: string | undefined,
  ): Promise<MessageView> {
    const conversation = await this.conversations.getConversation(auth.workspaceId, conversationId);
    this.checkIdempotencyKey(idempotencyKey);
    const integration =
      conversation.channel === 'whatsapp' ? await this.checkCanSend(conversation) : null;
    return this.store(auth, conversation, integration, { content }, idempotencyKey, {
      length: content.length,
    });
  }

  /**
   * A file (WhatsApp only): checked against Meta's limits before anything is stored, kept in
   * GridFS under its message, then uploaded and sent by id by the same worker as a text reply.
   */
  async sendFile(
    auth: Actor,
    conversationId: string,
    file: { data: Buffer; mimeType: string; fileName: string },
    caption: string | undefined,
    idempotencyKey: string | undefined,
  ): Promise<MessageView> {
    const media = this.media.describeOutbound(file, caption);
    const conversation = await this.conversations.getConversation(auth.workspaceId, conversationId);
    this.checkIdempotencyKey(idempotencyKey);
    if (conversation.channel !== 'whatsapp') {
      throw AppError.conflict(
        'NO_ACTIVE_INTEGRATION',
        'Files are sent on WhatsApp conversations only',
      );
    }
    const integration = await this.checkCanSend(conversation);
    return this.store(
      auth,
      conversation,
      integration,
      { content: caption ?? `[${media.kind}: ${file.fileName}]`, media, data: file.data },
      idempotencyKey,
      { length: caption?.length ?? 0, file: media.kind, size: media.size },
    );
  }

  /**
   * An approved template, allowed outside the 24-hour window: checked against the synced template
   * (count and format of the values) before anything is stored or sent; the thread shows its text.
   */
  async sendTemplate(
    auth: Actor,
    conversationId: string,
    request: TemplateSendRequest,
    idempotencyKey: string | undefined,
  ): Promise<MessageView> {
    const conversation = await this.conversations.getConversation(auth.workspaceId, conversationId);
    this.checkIdempotencyKey(idempotencyKey);
    if (conversation.channel !== 'whatsapp') {
      throw AppError.validation([
        { field: 'id', code: 'channel', message: 'templates exist only on WhatsApp' },
      ]);
    }
    const integration = await this.integrationOf(conversation);
    const template = await this.templates.findForSend(auth.workspaceId, integration.id, request);
    if (template.category === 'MARKETING' && conversation.marketingOptedOut) {
      throw AppError.conflict(
        'MARKETING_OPTED_OUT',
        'This customer asked for no marketing messages',
      );
    }
    return this.store(
      auth,
      conversation,
      integration,
      {
        content: renderTemplate(template.components, request),
        template: {
          name: template.name,
          language: template.language,
          category: template.category,
          components: templateComponents(template.components, request),
        },
      },
      idempotencyKey,
      { template: template.name, category: template.category },
    );
  }

  /**
   * The only way a business writes first: a template to a phone number (E.164), which finds the
   * customer's thread on this number or creates it.
   */
  async startWithTemplate(
    auth: Actor,
    integrationId: string,
    request: TemplateStartRequest,
    idempotencyKey: string | undefined,
  ): Promise<MessageView> {
    this.checkIdempotencyKey(idempotencyKey);
    const integration = await this.templates.integrationOf(auth.workspaceId, integrationId);
    if (!integration.isActive) {
      throw AppError.conflict('NO_ACTIVE_INTEGRATION', 'This WhatsApp number is not connected');
    }
    // Checked before a thread exists, so a refused send leaves no empty conversation behind.
    await this.templates.findForSend(auth.workspaceId, integration.id, request);
    const waId = request.to.replace(/\D/g, '');
    const scope = {
      workspaceId: auth.workspaceId,
      chatbotId: integration.chatbotId,
      phoneNumberId: integration.phoneNumberId,
    };
    const conversation = await this.conversations.whatsAppThread(
      scope,
      { phone: waId },
      {
        workspaceId: auth.workspaceId,
        chatbotId: integration.chatbotId,
        sessionId: `${integration.phoneNumberId}:${waId}`,
        visitorId: waId,
        integrationId: integration.id,
        contact: { phone: waId },
      },
      { resumed: false },
    );
    const { to: _to, ...send } = request;
    return this.sendTemplate(auth, conversation.id, send, idempotencyKey);
  }

  private checkIdempotencyKey(idempotencyKey: string | undefined): void {
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
  }

  /** Stores the reply once per Idempotency-Key (with its file, if any), queues its send, pauses the bot, audits. */
  private async store(
    auth: Actor,
    conversation: ConversationRecord,
    integration: ActiveIntegration | null,
    body: { content: string; template?: MessageTemplateSend; media?: MessageMedia; data?: Buffer },
    idempotencyKey: string | undefined,
    auditMetadata: Record<string, unknown>,
  ): Promise<MessageView> {
    const author = await this.authorOf(auth);
    const message = await this.conversations.addMessage(
      {
        workspaceId: auth.workspaceId,
        conversationId: conversation.id,
        role: 'assistant',
        channel: conversation.channel,
        content: body.content,
        author,
        ...(body.template ? { template: body.template } : {}),
        ...(body.media ? { media: body.media } : {}),
        ...(idempotencyKey !== undefined
          ? { clientKey: `${conversation.id}:${idempotencyKey}` }
          : {}),
        ...(integration ? { deliveryStatus: 'pending' as const } : {}),
      },
      conversation,
    );
    if (
      message.content !== body.content ||
      message.authorUserId !== author.userId ||
      message.template?.name !== body.template?.name ||
      message.media?.sha256 !== body.media?.sha256
    ) {
      throw AppError.conflict(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was used for another message',
      );
    }
    // Kept before it is queued: the worker uploads from this copy (a retried request keeps nothing twice).
    if (body.data) await this.media.keepOutbound(message, body.data);
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
      metadata: { messageId: message.id, channel: conversation.channel, ...auditMetadata },
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
    return this.integrationOf(conversation);
  }

  /** The connected number a WhatsApp conversation is sent from. */
  private async integrationOf(conversation: ConversationRecord): Promise<ActiveIntegration> {
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
