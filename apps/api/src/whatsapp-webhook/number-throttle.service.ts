import { Injectable } from '@nestjs/common';
import { InboxClock } from './inbox-clock';
import { NumberThrottlesRepository } from './number-throttles.repository';

/**
 * How long a read of a number's hold is trusted in this process. A hold written by another process
 * is seen at most this late (its next send may then meet one more 130429, which holds it here too);
 * a hold written here is seen at once. Keeps the send path from paying a database read per reply.
 */
export const THROTTLE_CACHE_MS = 1_000;

/**
 * Meta's 130429 (the business number's throughput limit) holds every send from that number, in
 * every process, until a short time has passed; other numbers are not held. Times are the inbox
 * clock's, so the hold compares with the `runAt` the worker schedules by.
 */
@Injectable()
export class NumberThrottleService {
  private readonly cache = new Map<string, { until: number; readAt: number }>();

  constructor(
    private readonly repo: NumberThrottlesRepository,
    private readonly clock: InboxClock,
  ) {}

  /** Holds the number's sends for `ms` from now. */
  async hold(phoneNumberId: string, ms: number): Promise<Date> {
    const until = new Date(this.clock.now() + ms);
    await this.repo.hold(phoneNumberId, until);
    this.cache.set(phoneNumberId, { until: until.getTime(), readAt: Date.now() });
    return until;
  }

  /** When the number may send again, if it is held now; null when it may send. */
  async heldUntil(phoneNumberId: string): Promise<Date | null> {
    let entry = this.cache.get(phoneNumberId);
    if (!entry || Date.now() - entry.readAt >= THROTTLE_CACHE_MS) {
      const until = await this.repo.throttledUntil(phoneNumberId);
      entry = { until: until?.getTime() ?? 0, readAt: Date.now() };
      this.cache.set(phoneNumberId, entry);
    }
    return entry.until > this.clock.now() ? new Date(entry.until) : null;
  }
}
