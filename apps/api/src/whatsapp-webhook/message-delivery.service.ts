import { Inject, Injectable } from '@nestjs/common';
import {
  CUSTOMER_SERVICE_WINDOW_MS,
  type MessageRetryRefusal,
  type MessageRetryResponse,
} from '@conecta/contracts';
import { CLOCK, type Clock } from '../common/clock';
import { AppError } from '../common/errors/app-error';
import type { ConversationRecord, MessageRecord } from '../conversations/conversation.types';
import { ConversationsService } from '../conversations/conversations.service';
import { MessagePartsService } from '../conversations/message-parts.service';
import { IntegrationRouting } from '../integrations/integration-routing.service';
import type { ActiveIntegration } from '../integrations/integrations.types';
import { MediaService } from '../media/media.service';
import { OutboundService, recipientOfConversation } from './outbound.service';
import type { WorkspaceId } from '../common/workspace-id';

function refuse(reason: MessageRetryRefusal, message: string): AppError {
  return new AppError('CONFLICT', message, { reason });
}

/** A user's actions on WhatsApp messages: retry a failed reply. */
@Injectable()
export class MessageDeliveryService {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly parts: MessagePartsService,
    private readonly integrations: IntegrationRouting,
    private readonly outbound: OutboundService,
    private readonly media: MediaService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * An agent sends a file (with an optional caption) to a WhatsApp conversation: checked against
   * Meta's limits before anything is stored or uploaded, kept in GridFS under its message, then
   * uploaded to Graph and sent by id through the one send path. Inside the 24-hour window only.
   */
  async sendFile(
    workspaceId: WorkspaceId,
    conversationId: string,
    file: { data: Buffer; mimeType: string; fileName: string },
    caption?: string,
  ): Promise<MessageRecord> {
    const conversation = await this.conversations.getConversation(workspaceId, conversationId);
    if (conversation.channel !== 'whatsapp') {
      throw refuse('NO_ACTIVE_INTEGRATION', 'Files are sent on WhatsApp conversations only');
    }
    const media = this.media.describeOutbound(file, caption);
    const history = await this.conversations.recentHistory(workspaceId, conversation.id, 50);
    if (!this.windowOpen(history)) {
      throw new AppError(
        'OUTSIDE_CUSTOMER_SERVICE_WINDOW',
        'More than 24 hours since the customer last wrote: only a template can be sent',
        { reason: 'OUTSIDE_CUSTOMER_SERVICE_WINDOW' },
      );
    }
    const integration = await this.integrationOf(workspaceId, conversation, true);
    const message = await this.conversations.addMessage(
      {
        workspaceId,
        conversationId: conversation.id,
        role: 'assistant',
        channel: 'whatsapp',
        content: caption ?? `[${media.kind}: ${media.fileName ?? ''}]`,
        deliveryStatus: 'pending',
        media,
      },
      conversation,
    );
    await this.media.keepOutbound(message, file.data);
    const outcome = await this.outbound.sendReply({
      integration,
      message,
      recipient: recipientOfConversation(conversation),
      sentParts: [],
      // The agent is waiting: a failure is shown on the message (and can be retried), not scheduled.
      mayRetry: false,
      retries: 0,
      log: { messageId: message.id, file: true },
    });
    if (outcome.state !== 'sent') {
      const { error } = outcome;
      throw new AppError(error.errorType, error.details ?? error.message, {
        code: error.code ?? null,
        messageId: message.id,
      });
    }
    return this.conversations.getMessage(workspaceId, message.id);
  }

  /** The customer wrote within the last 24 hours (Meta's customer-service window). */
  private windowOpen(history: MessageRecord[]): boolean {
    const lastInbound = history
      .filter((m) => m.role === 'user')
      .reduce<Date | undefined>((at, m) => (!at || m.createdAt > at ? m.createdAt : at), undefined);
    // The window runs from Meta's time of that message (by the injected clock), not from its arrival.
    return (
      lastInbound !== undefined &&
      this.clock.now().getTime() - lastInbound.getTime() < CUSTOMER_SERVICE_WINDOW_MS
    );
  }

  /** Sends a failed assistant message again, unless Meta's reason makes that pointless. */
  async retry(workspaceId: WorkspaceId, messageId: string): Promise<MessageRetryResponse> {
    const message = await this.conversations.getMessage(workspaceId, messageId);
    const conversation = await this.conversations.getConversation(
      workspaceId,
      message.conversationId,
    );
    if (message.role !== 'assistant' || conversation.channel !== 'whatsapp') {
      throw refuse('NOT_AN_ASSISTANT_MESSAGE', 'Only WhatsApp replies of the bot can be retried');
    }
    if (message.deliveryStatus !== 'failed') {
      throw refuse('NOT_FAILED', 'Only failed messages can be retried');
    }
    if (message.errorType === 'OUTSIDE_CUSTOMER_SERVICE_WINDOW') {
      // Pointless unless the customer wrote again (which reopens the 24-hour window).
      // "Wrote again" is stored after the failed reply (ids grow with insertion); its time is
      // Meta's, to the second, so it can read earlier than the reply made in the same second.
      const history = await this.conversations.recentHistory(workspaceId, conversation.id, 50);
      const reopened = this.windowOpen(history.filter((m) => m.id > message.id));
      if (!reopened) {
        // Meta's verdict on this conversation, not a conflict: its own code (422 by the table).
        throw new AppError(
          'OUTSIDE_CUSTOMER_SERVICE_WINDOW',
          'More than 24 hours since the customer last wrote: only a template can be sent',
          { reason: 'OUTSIDE_CUSTOMER_SERVICE_WINDOW' },
        );
      }
    }
    const integration = await this.integrationOf(workspaceId, conversation, true);
    // The failed part and those after it are sent again with new wamids; the good ones stay.
    const kept = await this.parts.keepForRetry(message.id);
    const pending = await this.conversations.markPending(workspaceId, message.id);
    const outcome = await this.outbound.sendReply({
      integration,
      message: pending,
      recipient: recipientOfConversation(conversation),
      sentParts: kept,
      // The user asked now: a failure is reported to them, not scheduled.
      mayRetry: false,
      retries: 0,
      log: { messageId: message.id, retry: true },
    });
    if (outcome.state !== 'sent') {
      const { error } = outcome;
      throw new AppError(error.errorType, error.details ?? error.message, {
        code: error.code ?? null,
      });
    }
    const [first] = outcome.wamids;
    if (!first) throw new Error('nothing was sent');
    return { id: message.id, deliveryStatus: 'pending', externalMessageId: first };
  }

  private async integrationOf(
    workspaceId: WorkspaceId,
    conversation: ConversationRecord,
    mustBeActive: boolean,
  ): Promise<ActiveIntegration> {
    const phoneNumberId = conversation.sessionId.split(':')[0] ?? '';
    const integration = await this.integrations.findByPhoneNumberId(phoneNumberId);
    if (
      !integration ||
      integration.workspaceId !== workspaceId ||
      (mustBeActive && !integration.isActive)
    ) {
      throw refuse('NO_ACTIVE_INTEGRATION', 'This WhatsApp number is not connected');
    }
    return integration;
  }
}
