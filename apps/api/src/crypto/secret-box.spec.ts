import { randomBytes } from 'node:crypto';
import { keyId } from '../config/app-config';
import { createCipheriv } from 'node:crypto';
import { EncryptedSecret, SealedPlace, SecretBox, SecretBoxError } from './secret-box';

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

const AT: SealedPlace = {
  collection: 'integrations',
  id: '65f000000000000000000001',
  field: 'accessToken',
};

/** A secret as versions before associated data sealed it (v1: no place bound). */
function legacySeal(k: { id: string; key: Buffer }, plaintext: string): EncryptedSecret {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', k.key, iv);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    v: 1,
    kid: k.id,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

describe('SecretBox', () => {
  it('seals and opens a secret, and the sealed form holds no plaintext', () => {
    const b = box(key());
    const sealed = b.seal('EAAG-secret-token-ñ', AT);
    expect(JSON.stringify(sealed)).not.toContain('EAAG');
    expect(sealed).toEqual({
      v: 2,
      kid: b.currentKeyId,
      iv: expect.any(String),
      tag: expect.any(String),
      data: expect.any(String),
    });
    expect(b.open(sealed, AT)).toBe('EAAG-secret-token-ñ');
  });

  it('uses a fresh IV each time', () => {
    const b = box(key());
    expect(b.seal('x', AT).iv).not.toBe(b.seal('x', AT).iv);
  });

  it('opens secrets sealed under a previous key and flags them for rotation', () => {
    const old = key();
    const sealedOld = box(old).seal('old secret', AT);
    const rotated = box(key(), [old]);
    expect(rotated.open(sealedOld, AT)).toBe('old secret');
    expect(rotated.needsRotation(sealedOld)).toBe(true);
    const resealed = rotated.reseal(sealedOld, AT);
    expect(resealed.kid).toBe(rotated.currentKeyId);
    expect(rotated.needsRotation(resealed)).toBe(false);
    expect(rotated.open(resealed, AT)).toBe('old secret');
  });

  it('refuses an unknown key id', () => {
    const sealed = box(key()).seal('s', AT);
    expect(() => box(key()).open(sealed, AT)).toThrow(SecretBoxError);
  });

  it('refuses tampered data', () => {
    const b = box(key());
    const sealed = b.seal('secret', AT);
    const data = Buffer.from(sealed.data, 'base64');
    data[0] = (data[0] ?? 0) ^ 1;
    expect(() => b.open({ ...sealed, data: data.toString('base64') }, AT)).toThrow(SecretBoxError);
    expect(() => b.open({ ...sealed, tag: Buffer.alloc(16).toString('base64') }, AT)).toThrow(
      SecretBoxError,
    );
  });

  it('recognises sealed values', () => {
    expect(SecretBox.isSealed(box(key()).seal('s', AT))).toBe(true);
    expect(SecretBox.isSealed('plain')).toBe(false);
    expect(SecretBox.isSealed({ v: 1, kid: 'a' })).toBe(false);
  });

  it('binds a secret to its record and field: copied elsewhere it no longer opens', () => {
    const b = box(key());
    const sealed = b.seal('tenant-A-token', AT);
    expect(b.open(sealed, AT)).toBe('tenant-A-token');
    for (const elsewhere of [
      { ...AT, id: '65f000000000000000000002' },
      { ...AT, field: 'appSecret' },
      { ...AT, collection: 'chatbots' },
    ]) {
      expect(() => b.open(sealed, elsewhere)).toThrow(SecretBoxError);
    }
  });

  it('opens secrets sealed before places were bound (v1), and re-seals them bound', () => {
    const k = key();
    const b = box(k);
    const legacy = legacySeal(k, 'old-token');
    expect(b.open(legacy, AT)).toBe('old-token');
    expect(b.needsRotation(legacy)).toBe(true);
    const bound = b.reseal(legacy, AT);
    expect(bound.v).toBe(2);
    expect(b.needsRotation(bound)).toBe(false);
    expect(b.open(bound, AT)).toBe('old-token');
    expect(() => b.open(bound, { ...AT, id: '65f000000000000000000009' })).toThrow(SecretBoxError);
  });
});
