import { createHmac, timingSafeEqual } from 'node:crypto';

const HEADER = /^sha256=([0-9a-fA-F]{64})$/;

/** The `X-Hub-Signature-256` value Meta would send for these exact bytes. */
export function signPayload(rawBody: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

/**
 * Checks `X-Hub-Signature-256` against HMAC-SHA256(rawBody, appSecret) in constant time. Returns
 * false, never throws, on a missing or malformed header, a missing body or an empty secret.
 */
export function verifySignature(
  rawBody: Buffer,
  header: string | undefined,
  appSecret: string,
): boolean {
  if (!Buffer.isBuffer(rawBody) || typeof header !== 'string') return false;
  if (typeof appSecret !== 'string' || appSecret.length === 0) return false;
  const match = HEADER.exec(header.trim());
  if (!match) return false;
  const received = Buffer.from(match[1], 'hex');
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return received.length === expected.length && timingSafeEqual(received, expected);
}
