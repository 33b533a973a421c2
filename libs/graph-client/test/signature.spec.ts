import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseWebhook, signPayload, verifySignature } from '@conecta/graph-client';
import { metaJsonStringify } from '@conecta/graph-client/testing';
import fc from 'fast-check';

const SECRET = 'app-secret-0123456789abcdef';
const raw = readFileSync(join(__dirname, 'fixtures', 'escaped-inbound.raw.txt'));

function hmacHex(body: Buffer | string, secret = SECRET): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

describe('verifySignature', () => {
  const header = `sha256=${hmacHex(raw)}`;

  it('accepts the HMAC-SHA256 of the exact bytes with the sha256= prefix', () => {
    expect(verifySignature(raw, header, SECRET)).toBe(true);
    expect(signPayload(raw, SECRET)).toBe(header);
  });

  it('accepts uppercase hex and surrounding whitespace', () => {
    expect(verifySignature(raw, `sha256=${hmacHex(raw).toUpperCase()}`, SECRET)).toBe(true);
    expect(verifySignature(raw, ` ${header} `, SECRET)).toBe(true);
  });

  it('rejects a signature made with another secret or over other bytes', () => {
    expect(verifySignature(raw, `sha256=${hmacHex(raw, 'other-secret')}`, SECRET)).toBe(false);
    expect(verifySignature(Buffer.concat([raw, Buffer.from(' ')]), header, SECRET)).toBe(false);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['without prefix', hmacHex(raw)],
    ['with the sha1 prefix', `sha1=${hmacHex(raw)}`],
    ['too short', header.slice(0, -2)],
    ['too long', `${header}00`],
    ['not hex', `sha256=${'z'.repeat(64)}`],
    ['a prefix only', 'sha256='],
  ])('returns false, without throwing, for a header that is %s', (_name, value) => {
    expect(verifySignature(raw, value, SECRET)).toBe(false);
  });

  it('returns false for a missing body or an empty secret', () => {
    expect(verifySignature(undefined as unknown as Buffer, header, SECRET)).toBe(false);
    expect(verifySignature(raw, header, '')).toBe(false);
    expect(verifySignature(raw, ['a'] as unknown as string, SECRET)).toBe(false);
  });

  it('verifies Meta’s escaped bytes, while a re-serialised body does not verify', () => {
    const text = raw.toString('utf8');
    expect(text).toContain('\\u00e9');
    expect(text).toContain('\\ud83d\\ude00');
    expect(text).toContain('https:\\/\\/example.com');
    const parsed: unknown = JSON.parse(text);
    const reserialised = Buffer.from(JSON.stringify(parsed));
    expect(verifySignature(raw, header, SECRET)).toBe(true);
    expect(verifySignature(reserialised, header, SECRET)).toBe(false);
    // And the parsed text is the real text.
    const result = parseWebhook(raw);
    expect(result.ok && result.events[0].kind === 'message' && result.events[0].content).toEqual({
      type: 'text',
      text: 'Café ñandú 😀 — mira https://example.com/a/b?x=1',
    });
  });

  it('property: a signed body verifies; any changed byte does not', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 512 }),
        fc.string({ minLength: 1, maxLength: 64 }),
        fc.nat(),
        (bytes, secret, index) => {
          const body = Buffer.from(bytes);
          const signature = signPayload(body, secret);
          expect(verifySignature(body, signature, secret)).toBe(true);
          const tampered = Buffer.from(body);
          tampered[index % tampered.length] ^= 0x01;
          expect(verifySignature(tampered, signature, secret)).toBe(false);
        },
      ),
    );
  });
});

describe('metaJsonStringify', () => {
  it('escapes non-ASCII as lowercase \\uXXXX and / as \\/ like Meta', () => {
    expect(metaJsonStringify({ t: 'é/😀' })).toBe('{"t":"\\u00e9\\/\\ud83d\\ude00"}');
    const reproduced = metaJsonStringify(JSON.parse(raw.toString('utf8')));
    expect(reproduced).toBe(raw.toString('utf8'));
  });

  it('property: output is ASCII and parses back to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = metaJsonStringify(value);
        expect([...text].every((ch) => ch.charCodeAt(0) < 0x80)).toBe(true);
        expect(text).not.toMatch(/(^|[^\\])\//);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});
