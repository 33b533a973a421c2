import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  mayHaveReachedMeta,
  type AccountNoticeEvent,
  type InboundMessageEvent,
  type MessageEchoEvent,
  type StatusEvent,
  type WebhookErrorEvent,
} from '@conecta/graph-client';
import {
  FREE_ENTRY_POINT_WINDOW_MS,
  consentKeyword,
  type AdReferralView,
} from '@conecta/contracts';
import { AppError } from '../common/errors/app-error';
import { workspaceIdOf } from '../common/workspace-id';
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
import { ConversationTurnService } from '../conversation-turn/conversation-turn.service';
import type { ConversationWriteBatch } from '../conversations/conversation-write-batch';
import { ConversationsService } from '../conversations/conversations.service';
import { MessagePartsService } from '../conversations/message-parts.service';
import {
  AccountNoticesService,
  noticeKind,
  noticeTargets,
} from '../account-notices/account-notices.service';
import { MetricsService } from '../metrics/metrics.service';
import { IntegrationRouting } from '../integrations/integration-routing.service';
import { IntegrationStatusService } from '../integrations/integration-status.service';
import type { ActiveIntegration } from '../integrations/integrations.types';
import { GraphClientFactory } from '../whatsapp-graph/graph-client.factory';
import { toStoredInbound } from './inbound-content';
import { recipientOfConversation } from './outbound.service';
import { OutboundService, errorSummary } from './outbound.service';
import { MediaInbound } from '../media/media-inbound.service';
import { TemplatesService } from '../templates/templates.service';
import { InboxClock } from './inbox-clock';
import { NumberThrottleService } from './number-throttle.service';
import { InboxRepository } from './inbox.repository';
import { backoffMs } from './backoff';
import type { AgentReplyEvent, InboxDoc, InboxProgress } from './inbox.schema';

/**
 * How an inbox event ended, or when it should run again (with the progress to keep until then).
 * The worker writes it: the processor never writes the event.
 */
export type InboxOutcome =
  | { state: 'done' | 'ignored'; note?: string; progress?: InboxProgress }
  | { state: 'wait'; runAt: Date; note: string; progress?: InboxProgress };

/**
 * Hands the worker what a run has done so far; resolves once it is stored, so that a step with
 * effects outside (a send) never runs before the record that it may have happened. `deferred`
 * progress (a step that can be redone harmlessly) goes out with the worker's next write instead.
 * Rejects when the run no longer holds the event: it must stop before any effect outside.
 */
export type ReportProgress = (progress: InboxProgress, deferred?: boolean) => Promise<void>;

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

/**
 * How long a status may wait for its message: Meta can report a send before our own record of it
 * is stored. Past this, the wamid is one Conecta never sent (another app, the Business app).
 */
export const UNKNOWN_STATUS_WAIT_MS = 10 * 60_000;
/**
 * How long a reply part whose send was interrupted (the run died, or Meta's answer was lost) waits
 * for Meta's statuses of it (tagged with the part, see `sendTagOf`) before it counts as not sent
 * and is sent again. Meta reports `sent` within seconds of accepting a message.
 */
export const INTERRUPTED_SEND_WAIT_MS = 2 * 60_000;
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

/** The later of two times (null when neither is known). */
function latest(a: Date | null, b: Date): Date {
  return a && a.getTime() > b.getTime() ? a : b;
}

const CHANGED_NUMBER = new Set(['user_changed_number', 'customer_changed_number']);

/** An event's progress so far, and how to report a step of it (the worker writes it). */
function progressOf(doc: InboxDoc, report: ReportProgress) {
  const progress: InboxProgress = { ...doc.progress };
  const save = (patch: InboxProgress, deferred = false): Promise<void> => {
    Object.assign(progress, patch);
    return report(patch, deferred);
  };
  return { progress, save };
}

/** Processes one claimed inbox event. Every step can run again after a crash without repeating a send. */
/** Meta's 131050: the customer stopped marketing messages (marks them opted out here too). */
const META_USER_STOPPED_MARKETING = 131050;

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
    private readonly turn: ConversationTurnService,
    private readonly graph: GraphClientFactory,
    private readonly outbound: OutboundService,
    private readonly clock: InboxClock,
    private readonly throttle: NumberThrottleService,
    private readonly parts: MessagePartsService,
    private readonly notices: AccountNoticesService,
    private readonly metrics: MetricsService,
    private readonly media: MediaInbound,
    private readonly templates: TemplatesService,
  ) {}

  async process(doc: InboxDoc, report: ReportProgress): Promise<InboxOutcome> {
    switch (doc.event.kind) {
      case 'message':
        return this.processMessage(doc, doc.event, report);
      case 'status':
        return this.processStatus(doc, doc.event);
      case 'echo':
        return this.processEcho(doc, doc.event);
      case 'error':
        return this.processError(doc, doc.event);
      case 'notice':
        return this.processNotice(doc, doc.event);
      case 'agent':
        return this.processAgentReply(doc, doc.event, report);
    }
  }

  // ---- management fields: templates, account, quality, alerts, display name -------------------

  /** Stored for every integration it is about (its WABA's, or the number it names). */
  private async processNotice(doc: InboxDoc, event: AccountNoticeEvent): Promise<InboxOutcome> {
    const ofWaba = await this.integrations.findByBusinessAccountIds([event.wabaId]);
    const targets = noticeTargets(event.notice, ofWaba);
    const field = event.notice.field;
    const kind = noticeKind(event.notice);
    this.metrics.accountNotices.inc({
      field,
      kind,
      outcome: targets.length > 0 ? 'stored' : 'ignored',
    });
    this.logger.log(
      {
        correlationId: doc.correlationId,
        wabaId: event.wabaId,
        field,
        kind,
        integrations: targets.map((t) => t.id),
      },
      targets.length > 0 ? 'account notice stored' : 'account notice for no integration ignored',
    );
    if (targets.length === 0) return { state: 'ignored', note: 'no integration serves it' };
    await this.notices.record(doc.key, event, targets, doc.receivedAt);
    // A status or category change applies to the stored templates at once (sends check them).
    await this.templates.applyNotice(event.notice, targets);
    return { state: 'done' };
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
    const conversation = await this.conversations.whatsAppThread(
      scope,
      { phone: event.to, userId: event.toUserId },
      {
        workspaceId: integration.workspaceId,
        chatbotId: integration.chatbotId,
        sessionId: `${event.phoneNumberId}:${event.toUserId ?? customer}`,
        visitorId: event.to ?? customer,
        integrationId: integration.id,
        contact: {
          ...(event.to ? { phone: event.to } : {}),
          ...(event.toUserId ? { userId: event.toUserId } : {}),
        },
      },
      { resumed: doc.attempts > 1 },
    );
    const stored = toStoredInbound(event.content);
    // The wamid's unique index makes a repeated echo answer the stored message.
    const echoed = await this.conversations.addMessage(
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
    await this.media.keepFile(echoed, integration);
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

  /**
   * The run's search terms and workspace events (the customer's message, a new thread's contact,
   * the reply) go out together: before the event's first write that is not deferred (the send's
   * intent), before a step that waits on a model, and however the run ends. A run that dies
   * before that recorded nothing either (its progress is deferred too): the resumed run stores
   * again, finding the stored message and reply, and announces them (see announceMessage).
   */
  private async processMessage(
    doc: InboxDoc,
    event: InboundMessageEvent,
    report: ReportProgress,
  ): Promise<InboxOutcome> {
    const batch = this.conversations.writeBatch({
      by: String(doc._id),
      resumed: doc.attempts > 1,
      ...(doc.progress?.counted ? { counted: doc.progress.counted } : {}),
      onCounted: (counted) => report({ counted }, true),
    });
    const flushFirst: ReportProgress = async (progress, deferred = false) => {
      if (!deferred) await batch.flush();
      return report(progress, deferred);
    };
    try {
      return await this.storeAndAnswer(doc, event, flushFirst, batch);
    } finally {
      await batch.flush();
    }
  }

  private async storeAndAnswer(
    doc: InboxDoc,
    event: InboundMessageEvent,
    report: ReportProgress,
    batch: ConversationWriteBatch,
  ): Promise<InboxOutcome> {
    const integration = await this.integrations.findActiveByPhoneNumberId(event.phoneNumberId);
    if (!integration) return { state: 'ignored', note: 'no active integration for this number' };
    let chatbot: ChatbotRecord;
    try {
      chatbot = await this.chatbots.getCached(integration.workspaceId, integration.chatbotId);
    } catch (error) {
      if (error instanceof AppError && error.code === 'NOT_FOUND') {
        return { state: 'ignored', note: 'the integration has no chatbot' };
      }
      throw error;
    }
    const waId = event.waId ?? event.from ?? event.fromUserId;
    if (!waId) return { state: 'ignored', note: 'message without a sender' };
    const stored = toStoredInbound(event.content);
    const { progress, save } = progressOf(doc, report);
    const log = { correlationId: doc.correlationId, inboxId: String(doc._id) };

    // Read or created in this run: spares addMessage's ownership check (absent on a resumed run).
    let conversation: ConversationRecord | undefined;
    // The whole thread, when this message started it (spares the history read).
    let thread: MessageRecord[] | undefined;
    if (!progress.stored) {
      const who = identityOf(event);
      const entryPoint = entryPointOf(event, doc.receivedAt);
      // The sender as it wrote (a changed-number notice comes from the old phone).
      const sender = { phone: event.waId ?? event.from, userId: event.fromUserId };
      // One thread per customer and number (see whatsAppThread); a new one is keyed by the BSUID
      // when there is one.
      conversation = await this.conversations.whatsAppThread(
        {
          workspaceId: integration.workspaceId,
          chatbotId: chatbot.id,
          phoneNumberId: event.phoneNumberId,
        },
        sender,
        {
          workspaceId: integration.workspaceId,
          chatbotId: chatbot.id,
          sessionId: `${event.phoneNumberId}:${who.userId ?? waId}`,
          visitorId: who.phone ?? waId,
          ...(event.contactName ? { contactName: event.contactName } : {}),
          integrationId: integration.id,
          contact: who,
          ...(entryPoint ? { entryPoint } : {}),
        },
        // A later attempt may follow a run that died before its batch went out.
        { batch, resumed: batch.resumed },
      );
      const message = await this.conversations.addMessage(
        {
          workspaceId: integration.workspaceId,
          conversationId: conversation.id,
          role: 'user',
          channel: 'whatsapp',
          content: stored.content,
          externalMessageId: event.wamid,
          ...(stored.media ? { media: stored.media } : {}),
          ...stored.details,
          ...(event.context?.id ? { replyToExternalId: event.context.id } : {}),
          // Meta's time, not ours: Meta retries for days and does not keep order.
          createdAt: sentAt(event, doc.receivedAt),
        },
        conversation,
        batch,
      );
      // The record stands for the thread for the rest of this run (its window now runs from this
      // message); a closed thread was opened again by the message: read afresh when needed.
      const found = conversation;
      // Not on a resumed run: its predecessor's counts may not have gone out (its reply would
      // then be missed, and sent twice).
      if (found.messageCount === 0 && !batch.resumed) thread = [message];
      conversation =
        found.status === 'closed'
          ? undefined
          : {
              ...found,
              lastCustomerMessageAt: latest(found.lastCustomerMessageAt, message.createdAt),
            };
      await this.media.keepFile(message, integration);
      await this.integrationStatus.recordActivity(integration, { webhookAt: doc.receivedAt });
      if (stored.needsReply) {
        // Read receipt and typing bubble are courtesy: a failure must not block the reply.
        await this.graph
          .forToken(integration.accessToken)
          .markAsRead(event.phoneNumberId, event.wamid, { typing: true })
          .catch((err: unknown) =>
            this.logger.warn({ ...log, err: errorSummary(err) }, 'mark as read failed'),
          );
      }
      // Redone harmlessly by a resumed run (the wamid is unique): stored with the next write.
      await save({ conversationId: found.id, userMessageId: message.id, stored: true }, true);
      // A step, not the event's end (the send logs that): below info.
      this.logger.debug({ ...log, conversationId: found.id }, 'inbound message stored');
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
      if (stored.media?.kind === 'audio' && progress.userMessageId) {
        // Open dashboards show the voice note while it is transcribed.
        await batch.flush();
        await this.media.transcribe(chatbot, integration.workspaceId, progress.userMessageId);
        // The transcript is written on the stored message: the thread kept in hand predates it.
        thread = undefined;
      }
      const target = {
        workspaceId: integration.workspaceId,
        conversationId,
        channel: 'whatsapp' as const,
        conversation,
      };
      const history = thread ?? (await this.turn.history(target));
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
      // Its count, terms and event may have died with that attempt's batch.
      if (reply) await this.conversations.announceFound(reply, batch);
      const said = mine === -1 ? undefined : history[mine];
      const consent =
        !reply && said
          ? consentKeyword(
              said.content,
              chatbot.consent.optOutKeywords,
              chatbot.consent.optInKeywords,
            )
          : null;
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
            content:
              consent === 'opted_out'
                ? chatbot.consent.optOutConfirmation
                : chatbot.consent.optInConfirmation,
            deliveryStatus: 'pending',
          },
          conversation,
          batch,
        );
      }
      if (!reply) {
        // Paused, waiting for a person or closed: the message is stored, the bot stays silent.
        if (
          !(await this.conversations.botMayAnswer(
            integration.workspaceId,
            conversationId,
            conversation,
          ))
        ) {
          return { state: 'done', note: 'the bot steps aside' };
        }
        // Only the rules answer at once: open dashboards show the message while a model thinks.
        if (chatbot.responder.type !== 'rules') await batch.flush();
        // Voice notes as their transcript, photos as image parts for a model that takes them.
        reply = await this.turn.reply(chatbot, target, {
          history,
          pending: true,
          turns: await this.media.turnsOf(chatbot, integration.workspaceId, history),
          batch,
        });
      }
      // Stored with the send's intent (or the wait before it): a run that dies before that finds
      // this pending reply in the history and sends it.
      await save({ replyMessageId: reply.id }, true);
    }
    const replyId = progress.replyMessageId;
    if (!replyId) throw new Error('inbox progress lost its reply id');
    const message =
      reply ?? (await this.conversations.getMessage(integration.workspaceId, replyId));
    // Read afresh (a closed thread the message opened again): with this run's counts written.
    if (!conversation) await batch.flush();
    const current =
      conversation ??
      (await this.conversations.getConversation(integration.workspaceId, conversationId));
    return this.sendReply(doc, integration, message, current, progress, save);
  }

  private async sendReply(
    doc: InboxDoc,
    integration: ActiveIntegration,
    message: MessageRecord,
    thread: ConversationRecord,
    progress: InboxProgress,
    save: (patch: InboxProgress, deferred?: boolean) => Promise<void>,
  ): Promise<InboxOutcome> {
    if (message.deliveryStatus === 'failed') return { state: 'done', note: 'reply failed' };
    // Meta said the number is over its throughput (130429, maybe to another process): wait for it.
    const heldUntil = await this.throttle.heldUntil(integration.phoneNumberId);
    if (heldUntil) return { state: 'wait', runAt: heldUntil, note: 'number throttled by Meta' };
    let sent = [...(progress.sentParts ?? [])];
    // A wamid on the message means its first part reached Meta before a crash: never resend it.
    if (sent.length === 0 && message.externalMessageId) sent.push(message.externalMessageId);
    const interrupted = progress.sendingPart ?? null;
    if (interrupted !== null && interrupted >= sent.length) {
      // A send of this part started and its outcome was never recorded: it may have reached the
      // customer. Meta's statuses of it (tagged with the part) record it; until they do, or until
      // INTERRUPTED_SEND_WAIT_MS has passed without them, it is not sent again.
      const recorded = await this.parts.recordedWamids(message.id);
      if (recorded.length > sent.length) sent = recorded;
      if (interrupted >= sent.length) {
        const now = this.clock.now();
        const left = (progress.sendingSince ?? now) + INTERRUPTED_SEND_WAIT_MS - now;
        if (left > 0) {
          return {
            state: 'wait',
            runAt: new Date(now + Math.min(left, this.config.webhook.inboxRetryBaseMs * 8)),
            note: 'waiting for Meta to confirm an interrupted send',
          };
        }
        this.logger.warn(
          { correlationId: doc.correlationId, messageId: message.id, part: interrupted },
          'an interrupted send was never confirmed by Meta: sending it again',
        );
      }
    }
    const outcome = await this.outbound.sendReply({
      integration,
      message,
      recipient: recipientOfConversation(thread),
      conversation: thread,
      sentParts: sent,
      // Stored before the call to Meta, fenced by this run's claim (see ClaimedEvent).
      beforePartSend: (index, all) =>
        save({ sentParts: [...all], sendingPart: index, sendingSince: this.clock.now() }),
      onPartSent: (_index, _wamid, all) => save({ sentParts: [...all], sendingPart: null }, true),
      mayRetry: !this.isFinalAttempt(doc),
      retries: Math.max(0, doc.attempts - 1),
      log: { correlationId: doc.correlationId, messageId: message.id },
    });
    if (outcome.state === 'retry') {
      const { error } = outcome;
      // Meta answered (or was never reached): nothing was sent. Otherwise the intent stays, and
      // the next run waits for Meta's statuses before sending again.
      if (!mayHaveReachedMeta(error)) await save({ sendingPart: null }, true);
      throw new InboxRetryError(
        `send failed: ${error.errorType} (${error.code ?? '-'})`,
        outcome.retryAfterMs,
      );
    }
    if (outcome.state === 'failed') {
      return {
        state: 'done',
        note: `reply failed: ${outcome.error.errorType}`,
        progress: { sendingPart: null },
      };
    }
    return { state: 'done' };
  }

  // ---- a team member's reply -----------------------------------------------------------------

  /** Sends an agent's stored reply through the same path, retries and statuses as the bot's. */
  private async processAgentReply(
    doc: InboxDoc,
    event: AgentReplyEvent,
    report: ReportProgress,
  ): Promise<InboxOutcome> {
    if (!doc.workspaceId) return { state: 'ignored', note: 'agent reply without a workspace' };
    const workspaceId = workspaceIdOf(doc.workspaceId);
    const message = await this.conversations
      .getMessage(workspaceId, event.messageId)
      .catch(() => null);
    if (!message) return { state: 'ignored', note: 'the message is gone' };
    if (message.deliveryStatus !== 'pending') return { state: 'done', note: 'already delivered' };
    const integration = await this.integrations.findActiveByPhoneNumberId(doc.phoneNumberId);
    if (!integration || integration.workspaceId !== workspaceId) {
      // Disconnected since the API accepted it (the API refuses a send without a number).
      return { state: 'ignored', note: 'no active integration for this number' };
    }
    const thread = await this.conversations.getConversation(workspaceId, event.conversationId);
    const { progress, save } = progressOf(doc, report);
    return this.sendReply(doc, integration, message, thread, progress, save);
  }

  // ---- statuses and errors ----------------------------------------------------------------------

  private async processStatus(doc: InboxDoc, event: StatusEvent): Promise<InboxOutcome> {
    const status = STATUS_MAP[event.status] ?? null;
    if (!status) return { state: 'ignored', note: `unknown status ${event.status}` };
    const error = event.errors[0];
    const metaWords = error ? (error.details ?? error.message ?? error.title) : undefined;
    // Verified for this integration only: applied to its own messages, never to another's.
    if (!doc.workspaceId) return { state: 'ignored', note: 'no integration for this number' };
    const scope = { workspaceId: workspaceIdOf(doc.workspaceId), phoneNumberId: doc.phoneNumberId };
    const update = {
      at: new Date(Number(event.timestamp) * 1000 || Date.now()),
      ...(error
        ? {
            errorCode: error.code,
            errorType: error.errorType,
            // Meta's own words (none when it sent none); the SPA says what the code means.
            ...(metaWords !== undefined ? { errorReason: metaWords } : {}),
          }
        : {}),
      ...(event.pricing ? { pricing: event.pricing } : {}),
    };
    // A part of a reply we sent is tracked by its own wamid; anything else by the message's.
    const apply = async () => {
      const viaPart = await this.parts.applyStatus(scope, event.wamid, status, update);
      return viaPart !== 'untracked'
        ? viaPart
        : this.conversations.setDeliveryStatus(scope, event.wamid, status, update);
    };
    let result = await apply();
    if (
      result === 'unknown-message' &&
      (await this.outbound.adoptSend(scope, event.wamid, event.bizOpaqueCallbackData))
    ) {
      // One of our sends whose outcome was lost, recorded now: the status applies to it.
      result = await apply();
    }
    if (
      result === 'applied' &&
      status === 'failed' &&
      error?.code === META_USER_STOPPED_MARKETING
    ) {
      await this.conversations.optOutByMeta(scope, event.wamid, update.at);
    }
    if (result === 'unknown-message') {
      // Our own send may not be recorded yet: wait a bounded time (by the inbox clock), then give up.
      const now = this.clock.now();
      const left = doc.receivedAt.getTime() + UNKNOWN_STATUS_WAIT_MS - now;
      if (left <= 0) return { state: 'ignored', note: 'no message with this wamid' };
      const waits = (doc.progress.statusWaits ?? 0) + 1;
      const step = backoffMs(waits, this.config.webhook.inboxRetryBaseMs);
      return {
        state: 'wait',
        runAt: new Date(now + Math.min(step, left)),
        note: 'status for a message not stored yet',
        progress: { statusWaits: waits },
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
