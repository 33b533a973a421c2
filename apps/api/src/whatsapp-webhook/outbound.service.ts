import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  CREDENTIAL_ERROR_TYPES,
  addressOf,
  GraphApiError,
  type MessageRecipient,
  metaRetryDelayMs,
  metaWordsOf,
} from '@conecta/graph-client';
import { CLOCK, type Clock } from '../common/clock';
import { AppError } from '../common/errors/app-error';
import type {
  ConversationRecord,
  DeliveryScope,
  MessageMedia,
  MessageRecord,
} from '../conversations/conversation.types';
import { ConversationsService } from '../conversations/conversations.service';
import { MessagePartsService } from '../conversations/message-parts.service';
import { IntegrationStatusService } from '../integrations/integration-status.service';
import type { ActiveIntegration } from '../integrations/integrations.types';
import { MediaService } from '../media/media.service';
import { MetricsService } from '../metrics/metrics.service';
import { GraphClientFactory } from '../whatsapp-graph/graph-client.factory';
import { splitText } from './inbound-content';
import { NumberThrottleService } from './number-throttle.service';

/** Meta's code for the business number's throughput limit. */
const THROUGHPUT_LIMIT = 130429;

/** How a send ended: every part accepted, worth another try later, or failed for good. */
export type SendOutcome =
  | { state: 'sent'; wamids: string[] }
  | { state: 'retry'; error: GraphApiError; retryAfterMs: number | undefined }
  | { state: 'failed'; error: GraphApiError };

export interface SendReplyInput {
  integration: ActiveIntegration;
  message: MessageRecord;
  recipient: MessageRecipient;
  /** The message's conversation as the caller has just read it (spares a read). */
  conversation?: ConversationRecord;
  /** wamids of the parts Meta already accepted (a resumed send skips them). */
  sentParts: readonly string[];
  /**
   * Called before each part goes to Meta, with the parts already accepted: stores the intent, so
   * that a run which dies before recording the outcome is known to have maybe sent it. Throws to
   * stop the send (the caller no longer holds the work).
   */
  beforePartSend?: (index: number, sent: readonly string[]) => Promise<void>;
  /** Called after each accepted part, before the next one is sent. */
  onPartSent?: (index: number, wamid: string, sent: readonly string[]) => Promise<void>;
  /** False when the caller cannot try again (its last attempt, or a user's request). */
  mayRetry: boolean;
  /** How many times this send was already retried (for Meta's 4^X advice on 131056). */
  retries: number;
  log: Record<string, unknown>;
}

const SEND_TAG = /^conecta:reply:([0-9a-f]{24}):(\d{1,3})$/;

/**
 * The tag a reply part is sent with (`biz_opaque_callback_data`, echoed by Meta in that send's
 * statuses): how a send whose outcome was lost is recognised when its statuses arrive.
 */
export function sendTagOf(messageId: string, part: number): string {
  return `conecta:reply:${messageId}:${part}`;
}

/** The reply part a send tag names, or null for any other (or no) tag. */
export function parseSendTag(tag: string | undefined): { messageId: string; part: number } | null {
  const m = tag ? SEND_TAG.exec(tag) : null;
  return m?.[1] && m[2] ? { messageId: m[1], part: Number(m[2]) } : null;
}

/** Tries a write until it is stored: the database may be away for a while (failover, restart). */
async function untilStored<T>(write: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= attempts || error instanceof AppError) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(4_000, 125 * 2 ** attempt)));
    }
  }
}

/**
 * The recipient of a WhatsApp conversation: its phone when known (Meta recommends it), else its
 * business-scoped user id.
 */
export function recipientOfConversation(
  c: Pick<ConversationRecord, 'visitorId' | 'contactPhone' | 'contactUserId'>,
): MessageRecipient {
  const phone = c.contactPhone ?? (/^\+?\d+$/.test(c.visitorId) ? c.visitorId : null);
  if (phone) return { phone };
  return { userId: c.contactUserId ?? c.visitorId };
}

/**
 * The one way an assistant message reaches WhatsApp: the bot's reply and a user's retry both send
 * through here. Splits the text into parts, addresses the phone (`to`) when known else the BSUID
 * (`recipient`), and on a final failure marks the message failed with Meta's code and detail and,
 * for credential errors, the integration.
 */
@Injectable()
export class OutboundService {
  private readonly logger = new Logger('Outbound');

  constructor(
    private readonly conversations: ConversationsService,
    private readonly parts: MessagePartsService,
    private readonly integrationStatus: IntegrationStatusService,
    private readonly graph: GraphClientFactory,
    private readonly metrics: MetricsService,
    private readonly media: MediaService,
    private readonly throttle: NumberThrottleService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async sendReply(input: SendReplyInput): Promise<SendOutcome> {
    const { integration, message } = input;
    // A template is one message; its `content` is only the rendered text shown in the thread.
    const parts = message.template ? [message.content] : splitText(message.content);
    if (
      !message.template &&
      input.sentParts.length === 0 &&
      (await this.windowClosed(message, input.conversation))
    ) {
      // Meta would refuse it with 131047: never attempted, marked as needing a template instead.
      return this.onFailure(
        { ...input, mayRetry: false },
        new GraphApiError({
          message: 'the 24-hour window is closed: only a template can be sent',
          endpoint: 'messages',
          method: 'POST',
          errorType: 'OUTSIDE_CUSTOMER_SERVICE_WINDOW',
          retryable: false,
          attempts: 0,
        }),
        0,
        message.media ? 1 : parts.length,
      );
    }
    if (message.media) {
      // A file is one message: sent once, by the id of its upload (made from our kept copy).
      if (input.sentParts.length > 0) return { state: 'sent', wamids: [...input.sentParts] };
      return this.sendFile(input, message.media);
    }
    const sent = [...input.sentParts];
    const client = this.graph.forToken(integration.accessToken);
    for (let i = sent.length; i < parts.length; i++) {
      await input.beforePartSend?.(i, sent);
      const tag = sendTagOf(message.id, i);
      let wamid: string;
      try {
        ({ wamid } = message.template
          ? await client.sendMessage(integration.phoneNumberId, {
              ...addressOf(input.recipient),
              type: 'template',
              template: {
                name: message.template.name,
                language: { code: message.template.language, policy: 'deterministic' },
                components: message.template.components,
              },
              biz_opaque_callback_data: tag,
            })
          : await client.sendText(integration.phoneNumberId, input.recipient, parts[i], {
              bizOpaqueCallbackData: tag,
            }));
      } catch (error) {
        if (!(error instanceof GraphApiError)) throw error;
        return this.onFailure(input, error, i, parts.length);
      }
      sent.push(wamid);
      // Meta has it: the wamid is recorded even if the database is away for a while, or a
      // takeover would not know this part reached the customer.
      await untilStored(() => this.recordSent(integration, message, i, parts.length, wamid));
      await untilStored(() => input.onPartSent?.(i, wamid, sent) ?? Promise.resolve());
    }
    await this.integrationStatus.recordActivity(integration, { sendOkAt: new Date() });
    this.metrics.messagesSent.inc({ outcome: 'sent', error_type: 'none' });
    this.logger.log({ ...input.log, parts: parts.length }, 'reply sent');
    return { state: 'sent', wamids: sent };
  }

  /** Records a part Meta accepted: its own wamid, and the first part's on the message itself. */
  private async recordSent(
    integration: Pick<ActiveIntegration, 'workspaceId' | 'phoneNumberId'>,
    message: MessageRecord,
    index: number,
    count: number,
    wamid: string,
  ): Promise<void> {
    if (count === 1) {
      // One part: its statuses apply to the message by its wamid, as for any single message.
      await this.conversations.setExternalId(integration.workspaceId, message.id, wamid);
      return;
    }
    // Each part of a split reply is tracked by its own wamid (the reply shows the least
    // advanced). Recorded first: until then a status for this wamid waits in the inbox.
    await this.parts.recordPart({
      workspaceId: integration.workspaceId,
      messageId: message.id,
      phoneNumberId: integration.phoneNumberId,
      index,
      count,
      wamid,
    });
    // The first part's wamid is kept on the message itself: a crash after it is never resent.
    if (index === 0) {
      await this.conversations.setExternalId(integration.workspaceId, message.id, wamid);
      // That write may have raced a status of this part: the shown status is recomputed after it.
      await this.parts.refresh(integration.workspaceId, message.id);
    }
  }

  /**
   * A status for a wamid never recorded, tagged (`biz_opaque_callback_data`) as a part of one of
   * our replies: a send whose outcome was lost (a crash, a timeout) did reach Meta. Records it as
   * that part, unless the part already has a wamid, so the interrupted send is not made again.
   * True when it was recorded.
   */
  async adoptSend(scope: DeliveryScope, wamid: string, tag: string | undefined): Promise<boolean> {
    const key = parseSendTag(tag);
    if (!key) return false;
    const message = await this.conversations
      .getMessage(scope.workspaceId, key.messageId)
      .catch(() => null);
    if (!message || message.role !== 'assistant' || message.channel !== 'whatsapp') return false;
    const conversation = await this.conversations
      .getConversation(scope.workspaceId, message.conversationId)
      .catch(() => null);
    if (!conversation?.sessionId.startsWith(`${scope.phoneNumberId}:`)) return false;
    const count = message.template || message.media ? 1 : splitText(message.content).length;
    const recorded = await this.parts.recordedWamids(message.id);
    if (key.part >= count || key.part !== recorded.length) return false;
    if (key.part === 0 && message.externalMessageId) return false;
    await this.recordSent(
      { workspaceId: scope.workspaceId, phoneNumberId: scope.phoneNumberId },
      message,
      key.part,
      count,
      wamid,
    );
    this.logger.log(
      { messageId: message.id, part: key.part },
      'interrupted send confirmed by Meta',
    );
    return true;
  }

  /** Whether WhatsApp's 24-hour window of this message's conversation is closed now. */
  private async windowClosed(message: MessageRecord, known?: ConversationRecord): Promise<boolean> {
    const conversation =
      known?.id === message.conversationId
        ? known
        : await this.conversations
            .getConversation(message.workspaceId, message.conversationId)
            .catch(() => null);
    if (!conversation || conversation.channel !== 'whatsapp') return false;
    const endsAt = await this.conversations.windowEndsAt(conversation);
    return !endsAt || endsAt.getTime() <= this.clock.now().getTime();
  }

  private async sendFile(input: SendReplyInput, media: MessageMedia): Promise<SendOutcome> {
    const { integration, message } = input;
    const client = this.graph.forToken(integration.accessToken);
    let wamid: string;
    try {
      let mediaId = media.id;
      if (!mediaId) {
        const kept = await this.media.read(integration.workspaceId, message.id);
        if (!kept) throw new Error('the file of this message is not kept');
        ({ id: mediaId } = await client.uploadMedia(integration.phoneNumberId, {
          data: kept.data,
          mimeType: kept.file.sniffedType ?? kept.file.declaredType ?? 'application/octet-stream',
          filename: kept.file.fileName,
        }));
        // Uploaded ids last 30 days: a retry sends the same upload.
        await this.conversations.updateMedia(integration.workspaceId, message.id, { id: mediaId });
      }
      ({ wamid } = await client.sendMedia(integration.phoneNumberId, input.recipient, {
        kind: media.kind,
        id: mediaId,
        ...(media.caption ? { caption: media.caption } : {}),
        ...(media.fileName ? { filename: media.fileName } : {}),
      }));
    } catch (error) {
      if (!(error instanceof GraphApiError)) throw error;
      return this.onFailure(input, error, 0, 1);
    }
    await untilStored(() => this.recordSent(integration, message, 0, 1, wamid));
    await input.onPartSent?.(0, wamid, [wamid]);
    await this.integrationStatus.recordActivity(integration, { sendOkAt: new Date() });
    this.metrics.messagesSent.inc({ outcome: 'sent', error_type: 'none' });
    this.logger.log({ ...input.log, kind: media.kind }, 'file sent');
    return { state: 'sent', wamids: [wamid] };
  }

  private async onFailure(
    input: SendReplyInput,
    error: GraphApiError,
    part: number,
    count: number,
  ): Promise<SendOutcome> {
    const { integration, message } = input;
    if (error.code === THROUGHPUT_LIMIT) {
      // The number's throughput limit: every send from this number holds off, not only this one.
      const ms = metaRetryDelayMs(error.code, input.retries + 1) ?? error.retryAfterMs ?? 1000;
      await this.throttle.hold(integration.phoneNumberId, ms);
    }
    if (error.retryable && input.mayRetry) {
      this.metrics.messagesSent.inc({ outcome: 'retried', error_type: error.errorType });
      this.logger.warn({ ...input.log, err: errorSummary(error) }, 'send failed; will retry');
      const advised = metaRetryDelayMs(error.code, input.retries + 1);
      return { state: 'retry', error, retryAfterMs: advised ?? error.retryAfterMs };
    }
    // The API keeps Meta's code and own words (none when Meta said nothing); the SPA says what the
    // code means. Never our English summary in `error.message`.
    const detail = metaWordsOf(error);
    await this.parts.recordRefusedPart({
      workspaceId: integration.workspaceId,
      messageId: message.id,
      phoneNumberId: integration.phoneNumberId,
      index: part,
      count,
      failure: {
        ...(error.code !== undefined ? { errorCode: error.code } : {}),
        errorType: error.errorType,
        ...(detail !== undefined ? { errorReason: detail } : {}),
      },
    });
    if (CREDENTIAL_ERROR_TYPES.has(error.errorType)) {
      await this.integrationStatus.markCredentialError(
        integration,
        error.errorType,
        detail ?? null,
      );
    }
    this.metrics.messagesSent.inc({ outcome: 'failed', error_type: error.errorType });
    this.logger.warn({ ...input.log, err: errorSummary(error) }, 'reply failed');
    return { state: 'failed', error };
  }
}

/** What of an error may reach a log line: codes and types, never bodies or tokens. */
export function errorSummary(error: unknown): Record<string, unknown> {
  if (error instanceof GraphApiError) {
    return {
      name: error.name,
      endpoint: error.endpoint,
      code: error.code,
      errorType: error.errorType,
      httpStatus: error.httpStatus,
      retryable: error.retryable,
    };
  }
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { message: String(error) };
}
