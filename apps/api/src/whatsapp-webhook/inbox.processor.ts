import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  type InboundMessageEvent,
  type MessageEchoEvent,
  type MessageRecipient,
  type StatusEvent,
  type WebhookErrorEvent,
} from '@conecta/graph-client';
import {
  CONSENT_CONFIRMATIONS,
  FREE_ENTRY_POINT_WINDOW_MS,
  consentKeyword,
  type AdReferralView,
} from '@conecta/contracts';
import { AppError } from '../common/errors/app-error';
import type { ChatbotRecord } from '../chatbots/chatbot.types';
import { ChatbotsService } from '../chatbots/chatbots.service';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import type {
  ConversationRecord,
  DeliveryUpdateStatus,
  MessageRecord,
  WhatsAppContact,
} from '../conversations/conversation.types';
import { ConversationsService } from '../conversations/conversations.service';
import { IntegrationRouting } from '../integrations/integration-routing.service';
import { IntegrationStatusService } from '../integrations/integration-status.service';
import type { ActiveIntegration } from '../integrations/integrations.types';
import type { ResponderTurn } from '../responders/responder.types';
import { RespondersService } from '../responders/responders.service';
import { GraphClientFactory } from '../whatsapp-graph/graph-client.factory';
import { toStoredInbound } from './inbound-content';
import { recipientOfConversation } from './outbound.service';
import { OutboundService, errorSummary } from './outbound.service';
import { InboxClock } from './inbox-clock';
import { InboxRepository } from './inbox.repository';
import { backoffMs } from './backoff';
import type { AgentReplyEvent, InboxDoc, InboxProgress } from './inbox.schema';

/** How an inbox event ended, or when it should run again. */
export type InboxOutcome =
  { state: 'done' | 'ignored'; note?: string } | { state: 'wait'; runAt: Date; note: string };

/** A failure worth another attempt later (the worker backs off; `retryAfterMs` is a minimum). */
export class InboxRetryError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'InboxRetryError';
  }
}

const HISTORY_TURNS = 20;
/**
 * How long a status may wait for its message: Meta can report a send before our own record of it
 * is stored. Past this, the wamid is one Conecta never sent (another app, the Business app).
 */
export const UNKNOWN_STATUS_WAIT_MS = 10 * 60_000;
/** Meta's statuses as delivery updates; `played` (a voice note was heard) implies read. */
const STATUS_MAP: Record<string, DeliveryUpdateStatus> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  played: 'read',
  failed: 'failed',
};

/**
 * What a message says about who sent it: the BSUID, the phone (absent for some username users)
 * and the username; a changed-number notice carries the new phone.
 */
export function identityOf(event: InboundMessageEvent): WhatsAppContact {
  const changed =
    event.content.type === 'system' &&
    CHANGED_NUMBER.has(event.content.system.type ?? '') &&
    event.content.system.waId
      ? event.content.system.waId
      : undefined;
  const phone = changed ?? event.waId ?? event.from;
  return {
    ...(phone ? { phone } : {}),
    ...(event.fromUserId ? { userId: event.fromUserId } : {}),
    ...(event.username ? { username: event.username } : {}),
  };
}

/** When a message was sent: Meta's `timestamp`, never later than its arrival. */
export function sentAt(event: { timestamp: string }, receivedAt: Date): Date {
  const ms = Number(event.timestamp) * 1000;
  return Number.isFinite(ms) && ms > 0 && ms < receivedAt.getTime() ? new Date(ms) : receivedAt;
}

/** A click-to-WhatsApp message's ad and free-entry-point window, timed from Meta's timestamp. */
export function entryPointOf(
  event: InboundMessageEvent,
  receivedAt: Date,
): { adReferral: AdReferralView; endsAt: Date } | undefined {
  const r = event.referral;
  if (!r) return undefined;
  return {
    adReferral: {
      sourceUrl: r.sourceUrl ?? null,
      sourceType: r.sourceType ?? null,
      headline: r.headline ?? null,
      body: r.body ?? null,
      mediaType: r.mediaType ?? null,
      ctwaClid: r.ctwaClid ?? null,
    },
    endsAt: new Date(sentAt(event, receivedAt).getTime() + FREE_ENTRY_POINT_WINDOW_MS),
  };
}

const CHANGED_NUMBER = new Set(['user_changed_number', 'customer_changed_number']);

/** Processes one claimed inbox event. Every step can run again after a crash without repeating a send. */
@Injectable()
export class InboxProcessor {
  private readonly logger = new Logger('InboxProcessor');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly inbox: InboxRepository,
    private readonly integrations: IntegrationRouting,
    private readonly integrationStatus: IntegrationStatusService,
    private readonly chatbots: ChatbotsService,
    private readonly conversations: ConversationsService,
    private readonly responders: RespondersService,
    private readonly graph: GraphClientFactory,
    private readonly outbound: OutboundService,
    private readonly clock: InboxClock,
  ) {}

  async process(doc: InboxDoc, workerId: string): Promise<InboxOutcome> {
    switch (doc.event.kind) {
      case 'message':
        return this.processMessage(doc, doc.event, workerId);
      case 'status':
        return this.processStatus(doc, doc.event, workerId);
      case 'echo':
        return this.processEcho(doc, doc.event);
      case 'error':
        return this.processError(doc, doc.event);
      case 'agent':
        return this.processAgentReply(doc, doc.event, workerId);
    }
  }

  /** The event's progress so far, and how to record a step of it. */
  private progressOf(doc: InboxDoc, workerId: string) {
    const progress: InboxProgress = { ...doc.progress };
    const save = (patch: InboxProgress): Promise<void> => {
      Object.assign(progress, patch);
      return this.inbox.saveProgress(doc._id, workerId, patch);
    };
    return { progress, save };
  }

  private isFinalAttempt(doc: InboxDoc): boolean {
    return doc.attempts >= this.config.webhook.inboxMaxAttempts;
  }

  // ---- echoes: the business wrote from the WhatsApp Business app (coexistence) -----------------

  /** Stored in the customer's thread as the business's own outgoing message; never answered. */
  private async processEcho(doc: InboxDoc, event: MessageEchoEvent): Promise<InboxOutcome> {
    const integration = await this.integrations.findActiveByPhoneNumberId(event.phoneNumberId);
    if (!integration) return { state: 'ignored', note: 'no active integration for this number' };
    const customer = event.to ?? event.toUserId;
    if (!customer) return { state: 'ignored', note: 'echo without a recipient' };
    const scope = {
      workspaceId: integration.workspaceId,
      chatbotId: integration.chatbotId,
      phoneNumberId: event.phoneNumberId,
    };
    const sessionId =
      (await this.conversations.findWhatsAppSession(scope, {
        phone: event.to,
        userId: event.toUserId,
      })) ?? `${event.phoneNumberId}:${event.toUserId ?? customer}`;
    const conversation = await this.conversations.findOrCreate({
      workspaceId: integration.workspaceId,
      chatbotId: integration.chatbotId,
      channel: 'whatsapp',
      sessionId,
      visitorId: event.to ?? customer,
      integrationId: integration.id,
      contact: {
        ...(event.to ? { phone: event.to } : {}),
        ...(event.toUserId ? { userId: event.toUserId } : {}),
      },
    });
    const stored = toStoredInbound(event.content);
    // The wamid's unique index makes a repeated echo answer the stored message.
    await this.conversations.addMessage(
      {
        workspaceId: integration.workspaceId,
        conversationId: conversation.id,
        role: 'assistant',
        channel: 'whatsapp',
        content: stored.content,
        externalMessageId: event.wamid,
        sentFromBusinessApp: true,
        deliveryStatus: 'sent',
        ...(stored.media ? { media: stored.media } : {}),
        createdAt: sentAt(event, doc.receivedAt),
      },
      conversation,
    );
    // The owner answered in person: the bot steps aside as for an agent's reply.
    const chatbot = await this.chatbots
      .get(integration.workspaceId, integration.chatbotId)
      .catch(() => null);
    await this.conversations.pauseForPerson(
      integration.workspaceId,
      conversation.id,
      chatbot ? chatbot.handoff.resumeAfterMinutes : null,
    );
    return { state: 'done', note: 'echo from the WhatsApp Business app stored' };
  }

  // ---- inbound messages -------------------------------------------------------------------------

  private async processMessage(
    doc: InboxDoc,
    event: InboundMessageEvent,
    workerId: string,
  ): Promise<InboxOutcome> {
    const integration = await this.integrations.findActiveByPhoneNumberId(event.phoneNumberId);
    if (!integration) return { state: 'ignored', note: 'no active integration for this number' };
    let chatbot: ChatbotRecord;
    try {
      chatbot = await this.chatbots.get(integration.workspaceId, integration.chatbotId);
    } catch (error) {
      if (error instanceof AppError && error.code === 'NOT_FOUND') {
        return { state: 'ignored', note: 'the integration has no chatbot' };
      }
      throw error;
    }
    const waId = event.waId ?? event.from ?? event.fromUserId;
    if (!waId) return { state: 'ignored', note: 'message without a sender' };
    const stored = toStoredInbound(event.content);
    const { progress, save } = this.progressOf(doc, workerId);
    const log = { correlationId: doc.correlationId, inboxId: String(doc._id) };

    // Read or created in this run: spares addMessage's ownership check (absent on a resumed run).
    let conversation: ConversationRecord | undefined;
    if (!progress.stored) {
      const who = identityOf(event);
      const entryPoint = entryPointOf(event, doc.receivedAt);
      // The sender as it wrote (a changed-number notice comes from the old phone).
      const sender = { phone: event.waId ?? event.from, userId: event.fromUserId };
      // One thread per customer: found by BSUID, else by phone (a thread started before BSUIDs
      // is linked, not doubled); a new one is keyed by the BSUID when there is one.
      const sessionId =
        (await this.conversations.findWhatsAppSession(
          {
            workspaceId: integration.workspaceId,
            chatbotId: chatbot.id,
            phoneNumberId: event.phoneNumberId,
          },
          sender,
        )) ?? `${event.phoneNumberId}:${who.userId ?? waId}`;
      conversation = await this.conversations.findOrCreate({
        workspaceId: integration.workspaceId,
        chatbotId: chatbot.id,
        channel: 'whatsapp',
        sessionId,
        visitorId: who.phone ?? waId,
        ...(event.contactName ? { contactName: event.contactName } : {}),
        integrationId: integration.id,
        contact: who,
        ...(entryPoint ? { entryPoint } : {}),
      });
      const message = await this.conversations.addMessage(
        {
          workspaceId: integration.workspaceId,
          conversationId: conversation.id,
          role: 'user',
          channel: 'whatsapp',
          content: stored.content,
          externalMessageId: event.wamid,
          ...(stored.media ? { media: stored.media } : {}),
          ...(event.context?.id ? { replyToExternalId: event.context.id } : {}),
          // Meta's time, not ours: Meta retries for days and does not keep order.
          createdAt: sentAt(event, doc.receivedAt),
        },
        conversation,
      );
      await this.integrationStatus.recordActivity(integration.id, { webhookAt: doc.receivedAt });
      if (stored.needsReply) {
        // Read receipt and typing bubble are courtesy: a failure must not block the reply.
        await this.graph
          .forToken(integration.accessToken)
          .markAsRead(event.phoneNumberId, event.wamid, { typing: true })
          .catch((err: unknown) =>
            this.logger.warn({ ...log, err: errorSummary(err) }, 'mark as read failed'),
          );
      }
      await save({ conversationId: conversation.id, userMessageId: message.id, stored: true });
      this.logger.log({ ...log, conversationId: conversation.id }, 'inbound message stored');
    }
    if (!stored.needsReply) return { state: 'done', note: 'stored; no reply needed' };
    if (progress.merged) return { state: 'done', note: 'answered with a later message' };
    const conversationId = progress.conversationId;
    if (!conversationId) throw new Error('inbox progress lost its conversation id');

    let reply: MessageRecord | undefined;
    if (!progress.replyMessageId) {
      const window = this.config.webhook.burstWindowMs;
      if (window > 0 && doc.queueKey) {
        if (await this.inbox.newerMessageWaiting(doc.queueKey, doc._id)) {
          await save({ merged: true });
          return { state: 'done', note: 'answered with a later message' };
        }
        const due = doc.receivedAt.getTime() + window;
        if (due > Date.now()) {
          return { state: 'wait', runAt: new Date(due), note: 'burst window' };
        }
      }
      const history = await this.conversations.recentHistory(
        integration.workspaceId,
        conversationId,
        HISTORY_TURNS,
      );
      // An attempt that died between storing its reply and recording it left that reply unsent
      // after this message: send it rather than store a second one.
      const mine = history.findIndex((m) => m.id === progress.userMessageId);
      reply =
        mine === -1
          ? undefined
          : history
              .slice(mine + 1)
              .find(
                (m) =>
                  m.role === 'assistant' && m.deliveryStatus === 'pending' && !m.externalMessageId,
              );
      const said = mine === -1 ? undefined : history[mine];
      const consent = !reply && said ? consentKeyword(said.content) : null;
      if (consent && said) {
        // STOP / BAJA / START / ALTA as the whole message: recorded and answered once, even
        // while a person handles the thread; the bot does not answer it.
        await this.conversations.recordConsent(
          integration.workspaceId,
          conversationId,
          consent,
          'keyword',
          said.createdAt,
        );
        reply = await this.conversations.addMessage(
          {
            workspaceId: integration.workspaceId,
            conversationId,
            role: 'assistant',
            channel: 'whatsapp',
            content: CONSENT_CONFIRMATIONS[consent],
            deliveryStatus: 'pending',
          },
          conversation,
        );
      }
      if (!reply) {
        // Paused, waiting for a person or closed: the message is stored, the bot stays silent.
        if (!(await this.conversations.botMayAnswer(integration.workspaceId, conversationId))) {
          return { state: 'done', note: 'the bot steps aside' };
        }
        const turns: ResponderTurn[] = history
          .filter((m) => !m.deleted)
          .map((m) => ({ role: m.role, content: m.content }));
        const result = await this.responders.reply(chatbot, turns);
        reply = await this.conversations.addMessage(
          {
            workspaceId: integration.workspaceId,
            conversationId,
            role: 'assistant',
            channel: 'whatsapp',
            content: result.content,
            deliveryStatus: 'pending',
            responseTime: result.responseTimeMs,
            ...(result.tokens !== undefined ? { tokens: result.tokens } : {}),
            ...(result.firstTokenLatencyMs !== undefined
              ? { firstTokenLatency: result.firstTokenLatencyMs }
              : {}),
          },
          conversation,
        );
        if (result.handoff) progress.handoff = result.handoff;
      }
      await save({ replyMessageId: reply.id, handoff: progress.handoff });
    }
    if (progress.handoff) {
      await this.conversations.handOff(integration.workspaceId, conversationId, progress.handoff);
    }
    const replyId = progress.replyMessageId;
    if (!replyId) throw new Error('inbox progress lost its reply id');
    const message =
      reply ?? (await this.conversations.getMessage(integration.workspaceId, replyId));
    const thread = await this.conversations.getConversation(
      integration.workspaceId,
      conversationId,
    );
    return this.sendReply(
      doc,
      integration,
      message,
      recipientOfConversation(thread),
      progress,
      save,
    );
  }

  private async sendReply(
    doc: InboxDoc,
    integration: ActiveIntegration,
    message: MessageRecord,
    recipient: MessageRecipient,
    progress: InboxProgress,
    save: (patch: InboxProgress) => Promise<void>,
  ): Promise<InboxOutcome> {
    if (message.deliveryStatus === 'failed') return { state: 'done', note: 'reply failed' };
    const sent = [...(progress.sentParts ?? [])];
    // A wamid on the message means its first part reached Meta before a crash: never resend it.
    if (sent.length === 0 && message.externalMessageId) sent.push(message.externalMessageId);
    const outcome = await this.outbound.sendReply({
      integration,
      message,
      recipient,
      sentParts: sent,
      onPartSent: (_index, _wamid, all) => save({ sentParts: [...all] }),
      mayRetry: !this.isFinalAttempt(doc),
      retries: Math.max(0, doc.attempts - 1),
      log: { correlationId: doc.correlationId, messageId: message.id },
    });
    if (outcome.state === 'retry') {
      const { error } = outcome;
      throw new InboxRetryError(
        `send failed: ${error.errorType} (${error.code ?? '-'})`,
        outcome.retryAfterMs,
      );
    }
    if (outcome.state === 'failed') {
      return { state: 'done', note: `reply failed: ${outcome.error.errorType}` };
    }
    return { state: 'done' };
  }

  // ---- a team member's reply -----------------------------------------------------------------

  /** Sends an agent's stored reply through the same path, retries and statuses as the bot's. */
  private async processAgentReply(
    doc: InboxDoc,
    event: AgentReplyEvent,
    workerId: string,
  ): Promise<InboxOutcome> {
    if (!doc.workspaceId) return { state: 'ignored', note: 'agent reply without a workspace' };
    const message = await this.conversations
      .getMessage(doc.workspaceId, event.messageId)
      .catch(() => null);
    if (!message) return { state: 'ignored', note: 'the message is gone' };
    if (message.deliveryStatus !== 'pending') return { state: 'done', note: 'already delivered' };
    const integration = await this.integrations.findActiveByPhoneNumberId(doc.phoneNumberId);
    if (!integration || integration.workspaceId !== doc.workspaceId) {
      await this.conversations.markFailed(doc.workspaceId, message.id, {
        errorType: 'NO_ACTIVE_INTEGRATION',
        errorReason: 'the WhatsApp number is not connected',
      });
      return { state: 'done', note: 'no active integration for this number' };
    }
    const thread = await this.conversations.getConversation(doc.workspaceId, event.conversationId);
    const { progress, save } = this.progressOf(doc, workerId);
    return this.sendReply(
      doc,
      integration,
      message,
      recipientOfConversation(thread),
      progress,
      save,
    );
  }

  // ---- statuses and errors ----------------------------------------------------------------------

  private async processStatus(
    doc: InboxDoc,
    event: StatusEvent,
    workerId: string,
  ): Promise<InboxOutcome> {
    const status = STATUS_MAP[event.status] ?? null;
    if (!status) return { state: 'ignored', note: `unknown status ${event.status}` };
    const error = event.errors[0];
    // Verified for this integration only: applied to its own messages, never to another's.
    if (!doc.workspaceId) return { state: 'ignored', note: 'no integration for this number' };
    const scope = { workspaceId: doc.workspaceId, phoneNumberId: doc.phoneNumberId };
    const result = await this.conversations.setDeliveryStatus(scope, event.wamid, status, {
      at: new Date(Number(event.timestamp) * 1000 || Date.now()),
      ...(error
        ? {
            errorCode: error.code,
            errorType: error.errorType,
            // Meta's own words; the SPA says what the code means.
            errorReason: error.details ?? error.message ?? error.title ?? `error ${error.code}`,
          }
        : {}),
      ...(event.pricing ? { pricing: event.pricing } : {}),
    });
    if (result === 'unknown-message') {
      // Our own send may not be recorded yet: wait a bounded time (by the inbox clock), then give up.
      const now = this.clock.now();
      const left = doc.receivedAt.getTime() + UNKNOWN_STATUS_WAIT_MS - now;
      if (left <= 0) return { state: 'ignored', note: 'no message with this wamid' };
      const waits = (doc.progress.statusWaits ?? 0) + 1;
      await this.inbox.saveProgress(doc._id, workerId, { statusWaits: waits });
      const step = backoffMs(waits, this.config.webhook.inboxRetryBaseMs);
      return {
        state: 'wait',
        runAt: new Date(now + Math.min(step, left)),
        note: 'status for a message not stored yet',
      };
    }
    return { state: 'done', note: result === 'stale' ? 'stale status' : undefined };
  }

  private processError(doc: InboxDoc, event: WebhookErrorEvent): InboxOutcome {
    this.logger.warn(
      {
        correlationId: doc.correlationId,
        phoneNumberId: event.phoneNumberId,
        code: event.error.code,
        errorType: event.error.errorType,
      },
      'WhatsApp reported an error',
    );
    return { state: 'done' };
  }
}
