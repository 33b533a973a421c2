import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { MetricsService } from '../metrics/metrics.service';
import { InboxClock } from './inbox-clock';
import { InboxProcessor, InboxRetryError } from './inbox.processor';
import { errorSummary } from './outbound.service';
import { backoffMs } from './backoff';
import { ClaimLostError, ClaimedEvent } from './inbox-claimed-event';
import { type InboxClaim, InboxRepository } from './inbox.repository';
import type { InboxDoc } from './inbox.schema';

/** Events one worker handles from a conversation queue before giving others a turn. */
const DRAIN_LIMIT = 50;
/** Due events one poll reads (shared by the loops, see nextCandidate). */
const POLL_BATCH = 64;
const PRUNE_EVERY_MS = 10 * 60_000;
/**
 * A poll's candidates are read again after this (inbox clock). A run only finds out that its read
 * was stale at its first write, so a claim must never succeed on a stale read: its claim number is
 * taken, unless pruned, and claims are pruned only when this much older than any read tried.
 */
const CANDIDATES_MAX_AGE_MS = PRUNE_EVERY_MS / 2;
/** How often (at least) the first loop refreshes the backlog gauges. */
const STATS_EVERY_MS = 5_000;

/**
 * Polls the inbox and processes its events. Events of one queue (a conversation's messages, a
 * sent message's statuses) run in order, one at a time: only a queue's oldest unfinished event
 * may be claimed. Every claim carries a lease (by the inbox clock), renewed while the work runs;
 * an expired lease is taken over with a new claim. The loops of one process never try to claim an
 * event the process holds (`held`), so a claim costs nothing more in one process while it has
 * not written its event yet.
 * Started at application bootstrap with `INBOX_CONCURRENCY` loops; stopped on shutdown.
 */
@Injectable()
export class InboxWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('InboxWorker');
  readonly workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private running = false;
  private loops: Promise<void>[] = [];
  private wakers = new Set<() => void>();
  private candidates: InboxDoc[] = [];
  /** When (inbox clock) the candidates were read. */
  private polledAt = 0;
  /** Queues of which the last poll saw more than one due event (drained after the first). */
  private crowded = new Set<string>();
  private polling: Promise<void> | null = null;
  /** Ids of the events this process's loops have claimed and are running. */
  private readonly held = new Set<string>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly inbox: InboxRepository,
    private readonly processor: InboxProcessor,
    private readonly metrics: MetricsService,
    private readonly clock: InboxClock,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.whatsapp.enabled) this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    const n = this.config.webhook.inboxConcurrency;
    if (n === 0) return;
    this.running = true;
    this.loops = Array.from({ length: n }, (_, i) => this.loop(i));
    this.logger.log({ workerId: this.workerId, concurrency: n }, 'inbox workers started');
  }

  /** Ends the sleep of idle loops: new events were just stored. */
  wake(): void {
    for (const wake of this.wakers) wake();
  }

  /** Stops polling and waits for the events in hand to finish. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake();
    await Promise.allSettled(this.loops);
    this.loops = [];
  }

  private async loop(index: number): Promise<void> {
    let lastPrune = Date.now() + index * 1000;
    let lastStats = 0;
    let statsEveryMs = STATS_EVERY_MS;
    while (this.running) {
      let worked = false;
      try {
        this.metrics.workerHeartbeat.set(Date.now() / 1000);
        if (index === 0 && Date.now() - lastStats > statsEveryMs) {
          const started = Date.now();
          await this.refreshStats();
          lastStats = Date.now();
          // The counts read every open event on FerretDB: on a large backlog, count less often.
          statsEveryMs = Math.max(STATS_EVERY_MS, 10 * (lastStats - started));
        }
        worked = await this.tick();
        if (index === 0 && Date.now() - lastPrune > PRUNE_EVERY_MS) {
          lastPrune = Date.now();
          const cutoff = this.clock.now() - PRUNE_EVERY_MS - this.config.webhook.inboxLeaseMs;
          await this.inbox.pruneClaims(new Date(cutoff));
        }
      } catch (err) {
        this.logger.warn({ err: errorSummary(err) }, 'inbox poll failed');
      }
      if (!worked) await this.sleep(this.config.webhook.inboxPollIntervalMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }

  /** A pending event is due, and a lease expires, by the inbox clock (tests move it). */
  private isDue(doc: InboxDoc): boolean {
    const now = this.clock.now();
    return doc.state === 'pending'
      ? doc.runAt.getTime() <= now
      : doc.state === 'processing' && (doc.leaseUntil?.getTime() ?? 0) < now;
  }

  /**
   * The next due event to try. The loops share one list of candidates, refilled by one poll at a
   * time when it runs out, so a backlog costs one poll per {@link POLL_BATCH} events rather than
   * one per event. A candidate may be stale by the time it is tried; the claim settles that.
   */
  private async nextCandidate(): Promise<InboxDoc | undefined> {
    if (this.clock.now() - this.polledAt > CANDIDATES_MAX_AGE_MS) this.candidates = [];
    if (this.candidates.length === 0) {
      this.polling ??= this.poll().finally(() => {
        this.polling = null;
      });
      await this.polling;
    }
    return this.candidates.shift();
  }

  /**
   * Reads due events and keeps those that may run: only the oldest unfinished event of a queue
   * may (that is the ordering guarantee), whether the older ones are due or not, held here or
   * elsewhere. One query for the open events of all the polled queues decides it.
   */
  private async poll(): Promise<void> {
    this.polledAt = this.clock.now();
    const due = (await this.inbox.dueEvents(POLL_BATCH, new Date(this.clock.now()))).filter(
      (d) => !this.held.has(String(d._id)),
    );
    const seen = new Map<string, number>();
    for (const d of due) if (d.queueKey) seen.set(d.queueKey, (seen.get(d.queueKey) ?? 0) + 1);
    const heads = await this.inbox.oldestOpenOf([...seen.keys()]);
    this.crowded = new Set([...seen].filter(([, n]) => n > 1).map(([queueKey]) => queueKey));
    this.candidates = due.filter((d) => !d.queueKey || heads.get(d.queueKey)?.equals(d._id));
  }

  /** Claims and runs one due event (then the rest of its queue); false when nothing was due. */
  private async tick(): Promise<boolean> {
    // Bounded, so that due events other workers hold end the tick and the loop sleeps instead of
    // polling them again at once.
    for (let tried = 0; tried < POLL_BATCH && this.running; tried++) {
      const candidate = await this.nextCandidate();
      if (!candidate) return false;
      const outcome = await this.claimAndRun(candidate);
      if (outcome === 'not claimed') continue;
      const queueKey = candidate.queueKey;
      // The rest of its queue, when the poll saw more of it (a later event is found by the next
      // poll otherwise: a lookup per event for a queue that is almost always empty is not paid).
      if (outcome === 'finished' && queueKey && this.crowded.delete(queueKey)) {
        this.candidates = this.candidates.filter((c) => c.queueKey !== queueKey);
        await this.drain(queueKey);
      }
      return true;
    }
    return false;
  }

  /** Goes on with a conversation's next events, oldest first, until one is not due. */
  private async drain(queueKey: string): Promise<void> {
    for (let n = 0; n < DRAIN_LIMIT && this.running; n++) {
      const next = await this.inbox.oldestOpen(queueKey);
      if (!next || !this.isDue(next)) return;
      if ((await this.claimAndRun(next)) !== 'finished') return;
    }
  }

  /** Claims an event as read and runs it, unless a loop of this process holds it already. */
  private async claimAndRun(doc: InboxDoc): Promise<'not claimed' | 'finished' | 'open'> {
    const id = String(doc._id);
    if (this.held.has(id)) return 'not claimed';
    this.held.add(id);
    try {
      const claim = await this.inbox.claim(
        doc,
        this.workerId,
        this.config.webhook.inboxLeaseMs,
        new Date(this.clock.now()),
      );
      if (!claim) return 'not claimed';
      return (await this.run(claim)) ? 'finished' : 'open';
    } finally {
      this.held.delete(id);
    }
  }

  /** Runs one claimed event; true when it is finished (done, ignored or dead). */
  private async run(claim: InboxClaim): Promise<boolean> {
    const { inboxLeaseMs, inboxMaxAttempts, inboxRetryBaseMs } = this.config.webhook;
    const doc = claim.doc;
    // This worker alone writes the event while it holds it; the processor reports its progress.
    const event = new ClaimedEvent(this.inbox, claim, inboxLeaseMs, this.clock);
    const log = { correlationId: doc.correlationId, inboxId: String(doc._id), kind: doc.kind };
    if (doc.attempts > inboxMaxAttempts) {
      // Every allowed run stopped without an outcome (a poison event that kills the process):
      // the claims counted them, and it is not run again.
      await event.finish('dead', `stopped without an outcome ${inboxMaxAttempts} times`);
      this.observe(doc, 'dead');
      this.logger.error({ ...log, attempts: doc.attempts }, 'inbox event dead');
      return true;
    }
    const heartbeat = setInterval(
      () => void event.renewLease(),
      Math.max(50, Math.floor(inboxLeaseMs / 3)),
    );
    try {
      const outcome = await this.processor.process(doc, (progress, deferred) =>
        event.saveProgress(progress, deferred),
      );
      if (outcome.state === 'wait') {
        await event.reschedule(outcome.runAt, null, false, outcome.progress);
        return false;
      }
      await event.finish(outcome.state, outcome.note ?? null, outcome.progress);
      this.observe(doc, outcome.state);
      return true;
    } catch (error) {
      if (error instanceof ClaimLostError) {
        // Its lease ran out and another claim holds it now: that one finishes it.
        this.logger.warn(log, 'inbox event taken over by another claim; left to it');
        return false;
      }
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      if (doc.attempts >= inboxMaxAttempts) {
        await event.finish('dead', message);
        this.observe(doc, 'dead');
        this.logger.error(
          { ...log, err: errorSummary(error), attempts: doc.attempts },
          'inbox event dead',
        );
        return true;
      }
      const retryAfter = error instanceof InboxRetryError ? error.retryAfterMs : undefined;
      const delay = backoffMs(doc.attempts, inboxRetryBaseMs, retryAfter);
      await event.reschedule(new Date(this.clock.now() + delay), message, true);
      this.logger.warn(
        { ...log, err: errorSummary(error), attempts: doc.attempts, retryInMs: delay },
        'inbox event will be retried',
      );
      return false;
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Sets the inbox depth and oldest-pending-age gauges that /metrics and /api/health read. */
  async refreshStats(): Promise<void> {
    const stats = await this.inbox.stats();
    this.metrics.inboxDepth.set({ state: 'pending' }, stats.pending);
    this.metrics.inboxDepth.set({ state: 'processing' }, stats.processing);
    this.metrics.inboxDepth.set({ state: 'dead' }, stats.dead);
    this.metrics.inboxOldestPendingAge.set(
      stats.oldestOpenAt ? (Date.now() - stats.oldestOpenAt.getTime()) / 1000 : 0,
    );
  }

  private observe(doc: InboxDoc, outcome: string): void {
    this.metrics.processingLatency.observe(
      { kind: doc.kind, outcome },
      (Date.now() - doc.receivedAt.getTime()) / 1000,
    );
  }
}
