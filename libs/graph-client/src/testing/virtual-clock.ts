import type { RetryClock } from '../retry';

/**
 * A clock for tests: `sleep` returns at once, records the delay and moves virtual time forward, so
 * a test asserts the delays the client computed instead of measuring wall-clock gaps.
 */
export class VirtualClock implements RetryClock {
  readonly sleeps: number[] = [];
  #now: number;

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.#now += ms;
  }
}
