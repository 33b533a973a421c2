const MAX_BACKOFF_MS = 5 * 60_000;

/** Exponential backoff of the n-th failed attempt (1-based), with 20 % jitter. */
export function backoffMs(attempt: number, baseMs: number, minMs = 0): number {
  const exp = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(minMs, Math.round(exp * (0.8 + Math.random() * 0.4)));
}
