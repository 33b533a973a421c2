import type { InboxClock } from './inbox-clock';
import type { ClaimFence, InboxClaim, InboxRepository } from './inbox.repository';
import type { InboxDoc, InboxProgress } from './inbox.schema';

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
 * the claim number. The claim's first write (the send intent, or the end when nothing is sent)
 * also marks the event with the claim, fenced by the number the event was read at; until then
 * the claim document is the lease and the heartbeat renews that. Progress that need not be stored
 * before the next step (it can be redone harmlessly) waits in memory and goes out with the next
 * write, saving a round trip per step. Once the end is written, later renewals are dropped.
 */
export class ClaimedEvent {
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;
  private pending: InboxProgress = {};
  private readonly doc: InboxDoc;
  /** The claim number the stored event carries: the read one until the first write marks it. */
  private fenceSeq: number;

  constructor(
    private readonly inbox: InboxRepository,
    claim: InboxClaim,
    private readonly leaseMs: number,
    private readonly clock: InboxClock,
  ) {
    this.doc = claim.doc;
    this.fenceSeq = claim.fenceSeq;
  }

  /** Extends the lease (best effort: a failed renewal is retried by the next one). */
  renewLease(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.write(async () => {
      if (this.marked) await this.inbox.renewLease(this.doc._id, this.fenceSeq, this.leaseUntil());
      else await this.inbox.renewClaim(this.doc._id, this.doc.claimSeq, new Date(this.clock.now()));
    }).catch(() => undefined);
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
    const held = await this.write(async () =>
      this.settle(await this.inbox.saveProgress(this.fence(), patch, this.leaseUntil())),
    );
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
    return this.write(() => this.inbox.finish(this.fence(), state, lastError, patch));
  }

  /** `countAttempt` false: a deliberate wait (burst window, Meta's statuses), not a failure. */
  reschedule(
    runAt: Date,
    lastError: string | null,
    countAttempt: boolean,
    progress: InboxProgress = {},
  ): Promise<void> {
    this.closed = true;
    const patch = { ...this.take(), ...progress };
    const attempts = this.doc.attempts - (countAttempt ? 0 : 1);
    return this.write(() => this.inbox.reschedule(this.fence(), runAt, lastError, attempts, patch));
  }

  private get marked(): boolean {
    return this.fenceSeq === this.doc.claimSeq;
  }

  private fence(): ClaimFence {
    if (this.marked) return { id: this.doc._id, claimSeq: this.fenceSeq };
    const { claimSeq, workerId, attempts } = this.doc;
    return {
      id: this.doc._id,
      claimSeq: this.fenceSeq,
      mark: { claimSeq, workerId: workerId ?? '', attempts },
    };
  }

  /** After a write that applied, the event carries this claim's number. */
  private settle(held: boolean): boolean {
    if (held) this.fenceSeq = this.doc.claimSeq;
    return held;
  }

  private leaseUntil(): Date {
    return new Date(this.clock.now() + this.leaseMs);
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
