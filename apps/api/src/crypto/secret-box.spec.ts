import { randomBytes } from 'node:crypto';
import { keyId } from '../config/app-config';
import { SecretBox, SecretBoxError } from './secret-box';

function key(): { id: string; key: Buffer } {
  const k = randomBytes(32);
  return { id: keyId(k), key: k };
}

function box(
  current: { id: string; key: Buffer },
  previous: { id: string; key: Buffer }[] = [],
): SecretBox {
  return new SecretBox({ encryption: { current, previous } });
}

describe('SecretBox', () => {
  it('seals and opens a secret, and the sealed form holds no plaintext', () => {
    const b = box(key());
    const sealed = b.seal('EAAG-secret-token-ñ');
    expect(JSON.stringify(sealed)).not.toContain('EAAG');
    expect(sealed).toEqual({
      v: 1,
      kid: b.currentKeyId,
      iv: expect.any(String),
      tag: expect.any(String),
      data: expect.any(String),
    });
    expect(b.open(sealed)).toBe('EAAG-secret-token-ñ');
  });

  it('uses a fresh IV each time', () => {
    const b = box(key());
    expect(b.seal('x').iv).not.toBe(b.seal('x').iv);
  });

  it('opens secrets sealed under a previous key and flags them for rotation', () => {
    const old = key();
    const sealedOld = box(old).seal('old secret');
    const rotated = box(key(), [old]);
    expect(rotated.open(sealedOld)).toBe('old secret');
    expect(rotated.needsRotation(sealedOld)).toBe(true);
    const resealed = rotated.reseal(sealedOld);
    expect(resealed.kid).toBe(rotated.currentKeyId);
    expect(rotated.needsRotation(resealed)).toBe(false);
    expect(rotated.open(resealed)).toBe('old secret');
  });

  it('refuses an unknown key id', () => {
    const sealed = box(key()).seal('s');
    expect(() => box(key()).open(sealed)).toThrow(SecretBoxError);
  });

  it('refuses tampered data', () => {
    const b = box(key());
    const sealed = b.seal('secret');
    const data = Buffer.from(sealed.data, 'base64');
    data[0] = (data[0] ?? 0) ^ 1;
    expect(() => b.open({ ...sealed, data: data.toString('base64') })).toThrow(SecretBoxError);
    expect(() => b.open({ ...sealed, tag: Buffer.alloc(16).toString('base64') })).toThrow(
      SecretBoxError,
    );
  });

  it('recognises sealed values', () => {
    expect(SecretBox.isSealed(box(key()).seal('s'))).toBe(true);
    expect(SecretBox.isSealed('plain')).toBe(false);
    expect(SecretBox.isSealed({ v: 1, kid: 'a' })).toBe(false);
  });
});
