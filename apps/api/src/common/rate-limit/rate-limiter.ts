/** One key's bucket: tokens left and when they were last counted. */
interface Bucket {
  tokens: number;
  at: number;
}

export interface RateLimiterOptions {
  /** Tokens a key may spend at once (the burst). */
  capacity: number;
  /** Tokens given back per millisecond. */
  refillPerMs: number;
  /** Keys remembered at most; past that the least recently seen key is forgotten (never all). */
  maxKeys: number;
}

/**
 * The app's one request limiter: a token bucket per key (an IP, usually) in a bounded LRU map, so
 * memory stays flat under a spray of addresses and a flood of new keys forgets only the coldest
 * ones. In memory and per process on purpose: it protects this process's CPU and the LLM bill
 * behind it; sign-in failures, which must hold across processes, are counted in the database.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly options: RateLimiterOptions) {}

  /** Spends one token of `key` at `now` (ms); false when none is left. */
  take(key: string, now: number): boolean {
    const { capacity, refillPerMs, maxKeys } = this.options;
    const seen = this.buckets.get(key);
    const bucket = seen
      ? { tokens: Math.min(capacity, seen.tokens + (now - seen.at) * refillPerMs), at: now }
      : { tokens: capacity, at: now };
    // Re-inserting moves the key to the young end of the Map's insertion order.
    this.buckets.delete(key);
    if (!seen && this.buckets.size >= maxKeys) {
      const oldest = this.buckets.keys().next();
      if (!oldest.done) this.buckets.delete(oldest.value);
    }
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    return allowed;
  }

  /** How many keys are remembered (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }
}

/** A limit of `count` per `windowMs`, refilled evenly (bursts up to `count`). */
export function perWindow(count: number, windowMs: number, maxKeys = 10_000): RateLimiter {
  return new RateLimiter({ capacity: count, refillPerMs: count / windowMs, maxKeys });
}
