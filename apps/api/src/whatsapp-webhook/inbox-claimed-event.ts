import type { ObjectId } from 'mongodb';
import type { InboxRepository } from './inbox.repository';
import type { InboxProgress } from './inbox.schema';

/** The event was taken over by another claim (this one's lease ran out): stop, write nothing. */
export class ClaimLostError extends Error {
  constructor() {
    super('the inbox event was claimed by another worker');
    this.name = 'ClaimLostError';
  }
}

/**
 * The one writer of an event while a claim holds it: lease renewals, the progress the processor
 * reports and the event's end go out one after another, never two at once (on FerretDB an update
 * rewrites the whole document, so concurrent ones could undo each other). Every write is fenced by
 * the claim number. Progress that need not be stored before the next step (it can be redone
 * harmlessly) waits in memory and goes out with the next write, saving a round trip per step.
 * Once the end is written, later renewals are dropped.
 */
export class ClaimedEvent {
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;
  private pending: InboxProgress = {};

  constructor(
    private readonly inbox: InboxRepository,
    private readonly id: ObjectId,
    private readonly claimSeq: number,
    private readonly leaseMs: number,
  ) {}

  /** Extends the lease (best effort: a failed renewal is retried by the next one). */
  renewLease(): void {
    if (this.closed) return;
    void this.write(() => this.inbox.renewLease(this.id, this.claimSeq, this.leaseMs)).catch(
      () => undefined,
    );
  }

  /**
   * Stores what the processor has done before it goes on (a retry resumes from here); with
   * `deferred`, only notes it for the next write. Throws {@link ClaimLostError} when another claim
   * holds the event now: the caller must not go on to an effect outside (a send).
   */
  async saveProgress(progress: InboxProgress, deferred = false): Promise<void> {
    Object.assign(this.pending, progress);
    if (deferred) return;
    const patch = this.take();
    const held = await this.write(() => this.inbox.saveProgress(this.id, this.claimSeq, patch));
    if (!held) {
      this.closed = true;
      throw new ClaimLostError();
    }
  }

  finish(
    state: 'done' | 'ignored' | 'dead',
    lastError: string | null,
    progress: InboxProgress = {},
  ): Promise<void> {
    this.closed = true;
    const patch = { ...this.take(), ...progress };
    return this.write(() => this.inbox.finish(this.id, this.claimSeq, state, lastError, patch));
  }

  reschedule(
    runAt: Date,
    lastError: string | null,
    countAttempt: boolean,
    progress: InboxProgress = {},
  ): Promise<void> {
    this.closed = true;
    const patch = { ...this.take(), ...progress };
    return this.write(() =>
      this.inbox.reschedule(this.id, this.claimSeq, runAt, lastError, countAttempt, patch),
    );
  }

  private take(): InboxProgress {
    const patch = this.pending;
    this.pending = {};
    return patch;
  }

  private write<T>(next: () => Promise<T>): Promise<T> {
    const result = this.chain.then(next, next);
    this.chain = result.catch(() => undefined);
    return result;
  }
}
