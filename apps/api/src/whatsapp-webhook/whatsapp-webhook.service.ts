import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { type InboundMessageEvent, type WebhookEvent, parseWebhook } from '@conecta/graph-client';
import { AppError } from '../common/errors/app-error';
import { safeEqual } from '../crypto/safe-equal';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import type { ActiveIntegration } from '../integrations/integrations.types';
import { IntegrationRouting } from '../integrations/integration-routing.service';
import { MetricsService } from '../metrics/metrics.service';
import { InboxWorker } from './inbox.worker';
import { InboxRepository, type NewInboxDoc } from './inbox.repository';
import type { WebhookAck } from './webhook.types';

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** The conversation an inbound message belongs to: `phoneNumberId:waId`. */
export function conversationKey(event: InboundMessageEvent): string {
  return `${event.phoneNumberId}:${event.waId ?? event.from ?? event.fromUserId ?? 'unknown'}`;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`inbox write took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Meta's side of the webhook: the verification handshake and the durable intake. A 200 from
 * {@link receive} means every event of the payload is stored in the inbox.
 */
@Injectable()
export class WhatsAppWebhookService {
  private readonly logger = new Logger('WhatsAppWebhook');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly integrations: IntegrationRouting,
    private readonly inbox: InboxRepository,
    private readonly metrics: MetricsService,
    private readonly worker: InboxWorker,
  ) {}

  /** Meta's GET handshake: the challenge when the mode and a verify token match, else 403. */
  async verify(
    mode: string | undefined,
    token: string | undefined,
    challenge: string | undefined,
  ): Promise<string> {
    const serverToken = this.config.whatsapp.webhookVerifyToken;
    const ok =
      mode === 'subscribe' &&
      typeof token === 'string' &&
      token.length > 0 &&
      typeof challenge === 'string' &&
      challenge.length <= 256 &&
      ((serverToken !== undefined && safeEqual(token, serverToken)) ||
        (await this.integrations.matchesVerifyToken(token)));
    if (!ok) {
      this.metrics.webhookSuspicious.inc({ reason: 'bad_verify_token' });
      throw new AppError('FORBIDDEN', 'Webhook verification failed');
    }
    return challenge;
  }

  /** Validates a signed payload and stores its events; 400 when malformed, 503 when unstorable. */
  async receive(
    body: unknown,
    rawBody: Buffer | undefined,
    integrations: Map<string, ActiveIntegration | null>,
    correlationId: string,
  ): Promise<WebhookAck> {
    const started = process.hrtime.bigint();
    // JSON.parse would turn invalid UTF-8 into U+FFFD and store mangled text: refuse it instead.
    if (rawBody !== undefined && !isUtf8(rawBody)) {
      this.metrics.webhookRequests.inc({ outcome: 'malformed' });
      this.metrics.webhookSuspicious.inc({ reason: 'invalid_utf8' });
      throw new AppError('BAD_REQUEST', 'Malformed webhook payload', { reason: 'INVALID_UTF8' });
    }
    const parsed = parseWebhook(body);
    if (!parsed.ok) {
      this.metrics.webhookRequests.inc({ outcome: 'malformed' });
      this.metrics.webhookSuspicious.inc({ reason: parsed.error.code.toLowerCase() });
      throw new AppError('BAD_REQUEST', 'Malformed webhook payload', {
        reason: parsed.error.code,
        path: parsed.error.path,
      });
    }
    if (parsed.ignoredObject !== undefined) {
      this.metrics.webhookRequests.inc({ outcome: 'ignored' });
      this.logger.log(
        { correlationId, object: parsed.ignoredObject },
        'webhook for another object ignored',
      );
      return { received: 0, duplicates: 0, ignored: 1 };
    }
    const docs = this.toDocs(parsed.events, integrations, correlationId);
    let result: { inserted: number; duplicates: number };
    try {
      result = await withTimeout(this.inbox.insertMany(docs), this.config.webhook.intakeTimeoutMs);
    } catch (err) {
      this.metrics.webhookRequests.inc({ outcome: 'unavailable' });
      this.logger.error({ err, correlationId }, 'webhook not stored: answering 503');
      throw new AppError('SERVICE_UNAVAILABLE', 'The webhook could not be stored; retry later');
    }
    const ignored = docs.filter((d) => d.state === 'ignored').length;
    const outcome =
      docs.length > 0 && result.duplicates === docs.length
        ? 'duplicate'
        : ignored > 0 && ignored === docs.length
          ? 'ignored'
          : 'accepted';
    this.metrics.webhookRequests.inc({ outcome });
    this.metrics.intakeLatency.observe(Number(process.hrtime.bigint() - started) / 1e9);
    // This process's idle workers start at once instead of at their next poll.
    if (result.inserted > ignored) this.worker.wake();
    if (ignored > 0 || result.duplicates > 0) {
      this.logger.log(
        { correlationId, events: docs.length, duplicates: result.duplicates, ignored },
        'webhook stored',
      );
    }
    return { received: docs.length, duplicates: result.duplicates, ignored };
  }

  private toDocs(
    events: WebhookEvent[],
    integrations: Map<string, ActiveIntegration | null>,
    correlationId: string,
  ): NewInboxDoc[] {
    const now = new Date();
    // Inbound messages of one payload are stored oldest first: their storage order is the order
    // in which a conversation is processed.
    const ordered = [...events].sort((a, b) =>
      a.kind === 'message' && b.kind === 'message' ? Number(a.timestamp) - Number(b.timestamp) : 0,
    );
    return ordered.map((event): NewInboxDoc => {
      const integration = event.phoneNumberId ? integrations.get(event.phoneNumberId) : undefined;
      const ignoredBecause = !integration
        ? 'no integration for this phone number'
        : !integration.isActive
          ? 'integration disconnected'
          : null;
      const base = {
        phoneNumberId: event.phoneNumberId ?? '',
        workspaceId: integration?.workspaceId ?? null,
        integrationId: integration?.id ?? null,
        event,
        correlationId,
        receivedAt: now,
        runAt: now,
        attempts: 0,
        claimSeq: 0,
        leaseUntil: null,
        workerId: null,
        progress: {},
      };
      const state = ignoredBecause ? ('ignored' as const) : ('pending' as const);
      const finished = ignoredBecause ? { processedAt: now, lastError: ignoredBecause } : {};
      switch (event.kind) {
        case 'message':
          return {
            ...base,
            key: `m:${event.wamid}`,
            kind: 'message',
            state,
            queueKey: conversationKey(event),
            externalId: event.wamid,
            status: null,
            lastError: null,
            processedAt: null,
            ...finished,
          };
        case 'status':
          return {
            ...base,
            // The number is part of the key: a status some other number's webhook claims for this
            // wamid must not make the genuine one a "duplicate".
            key: `s:${event.phoneNumberId}:${event.wamid}:${event.status}`,
            kind: 'status',
            state,
            // One sent message's statuses one at a time: the monotonic update is read-then-write.
            queueKey: `s:${event.wamid}`,
            externalId: event.wamid,
            status: event.status,
            lastError: null,
            processedAt: null,
            ...finished,
          };
        case 'echo':
          return {
            ...base,
            // One namespace with messages: a wamid is stored once.
            key: `m:${event.wamid}`,
            kind: 'echo',
            state,
            // In line with the customer's own messages of the thread.
            queueKey: `${event.phoneNumberId}:${event.to ?? event.toUserId ?? 'unknown'}`,
            externalId: event.wamid,
            status: null,
            lastError: null,
            processedAt: null,
            ...finished,
          };
        case 'notice':
          // A management change names a WABA, not a number: the worker finds its integrations.
          // No id either: its content and Meta's time are its identity.
          return {
            ...base,
            workspaceId: null,
            integrationId: null,
            key: `n:${sha256(JSON.stringify(event)).toString('hex')}`,
            kind: 'notice',
            state: 'pending',
            queueKey: null,
            externalId: event.notice.field,
            status: null,
            lastError: null,
            processedAt: null,
          };
        case 'error':
          // value.errors[] carry no id: their content is their identity.
          return {
            ...base,
            key: `e:${sha256(JSON.stringify(event)).toString('hex')}`,
            kind: 'error',
            state: ignoredBecause ? 'ignored' : 'pending',
            queueKey: null,
            externalId: String(event.error.code),
            status: null,
            lastError: null,
            processedAt: null,
            ...finished,
          };
      }
    });
  }
}
