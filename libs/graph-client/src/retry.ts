export interface RetryPolicy {
  /** Total attempts, the first one included. 1 disables retries. */
  maxAttempts: number;
  /** Delay before the first retry; it doubles on each further retry. */
  baseDelayMs: number;
  /** Upper bound of one delay, Meta's suggested delays included. */
  maxDelayMs: number;
  /** Overall budget for a call, all attempts and delays included. */
  deadlineMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8000,
  deadlineMs: 30_000,
};

/**
 * Delay before retry number `retry` (1 = first retry): "equal jitter" exponential backoff. Delay n
 * lies in [e/2, e] with e = min(maxDelay, base * 2^(n-1)); below the cap the ranges touch without
 * overlapping, so delays grow. `hintMs` (a server's Retry-After) raises the floor, capped by
 * `maxDelayMs`.
 */
export function computeBackoffDelay(
  retry: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
  hintMs?: number,
): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const jittered = exp / 2 + (exp / 2) * Math.min(1, Math.max(0, random()));
  const withHint = hintMs !== undefined ? Math.max(jittered, hintMs) : jittered;
  return Math.round(Math.min(policy.maxDelayMs, withHint));
}

export function resolveRetryPolicy(partial: Partial<RetryPolicy> | undefined): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...partial };
  for (const [key, value] of Object.entries(policy)) {
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`retry.${key} must be a non-negative number`);
    }
  }
  if (policy.maxAttempts < 1) throw new RangeError('retry.maxAttempts must be at least 1');
  return policy;
}

/** The time source of the retry loop: the deadline reads `now`, the backoff waits in `sleep`. */
export interface RetryClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Wall-clock time and real timers. */
export const SYSTEM_CLOCK: RetryClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
