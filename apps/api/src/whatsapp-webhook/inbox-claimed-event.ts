import type { ObjectId } from 'mongodb';
import type { InboxRepository } from './inbox.repository';
import type { InboxProgress } from './inbox.schema';

/**
 * The one writer of an event while a worker holds it: lease renewals, the progress the processor
 * reports and the event's end go out one after another, never two at once (on FerretDB an update
 * rewrites the whole document, so concurrent ones could undo each other). Once the end is written,
 * later renewals are dropped.
 */
export class ClaimedEvent {
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly inbox: InboxRepository,
    private readonly id: ObjectId,
    private readonly workerId: string,
    private readonly leaseMs: number,
  ) {}

  /** Extends the lease (best effort: a failed renewal is retried by the next one). */
  renewLease(): void {
    if (this.closed) return;
    void this.write(() => this.inbox.renewLease(this.id, this.workerId, this.leaseMs)).catch(
      () => undefined,
    );
  }

  /** Stores what the processor has done, before it goes on (a retry resumes from here). */
  saveProgress(progress: InboxProgress): Promise<void> {
    return this.write(() => this.inbox.saveProgress(this.id, this.workerId, progress));
  }

  finish(state: 'done' | 'ignored' | 'dead', lastError: string | null): Promise<void> {
    this.closed = true;
    return this.write(() => this.inbox.finish(this.id, this.workerId, state, lastError));
  }

  reschedule(
    runAt: Date,
    lastError: string | null,
    countAttempt: boolean,
    progress?: InboxProgress,
  ): Promise<void> {
    this.closed = true;
    return this.write(() =>
      this.inbox.reschedule(this.id, this.workerId, runAt, lastError, countAttempt, progress),
    );
  }

  private write<T>(next: () => Promise<T>): Promise<T> {
    const result = this.chain.then(next, next);
    this.chain = result.catch(() => undefined);
    return result;
  }
}
