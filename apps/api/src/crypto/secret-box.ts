import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

/**
 * A secret sealed with AES-256-GCM; every field but `v` and `kid` is base64. Safe to store.
 * `v: 2` binds it to its place ({@link SealedPlace}) as associated data; `v: 1` (older) does not,
 * and is re-sealed as `v: 2` by `npm run keys:rotate`.
 */
export interface EncryptedSecret {
  v: 1 | 2;
  /** Id of the key that sealed it (see `keyId` in app-config). */
  kid: string;
  iv: string;
  tag: string;
  data: string;
}

export interface VersionedKey {
  id: string;
  key: Buffer;
}

/** Thrown when a sealed secret cannot be opened: unknown key id, or tampered data. */
export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

const IV_BYTES = 12;

/**
 * Where a sealed secret lives: collection, document id and field path. It is the associated data
 * of the seal, so a ciphertext copied to another record (another tenant's integration) or another
 * field (an app secret into a token) no longer opens.
 */
export interface SealedPlace {
  collection: string;
  id: string;
  field: string;
}

function aad(place: SealedPlace): Buffer {
  return Buffer.from(`conecta:${place.collection}:${place.id}:${place.field}`, 'utf8');
}

/**
 * Encrypts secrets at rest (LLM keys, WhatsApp tokens, app secrets) under the current key and opens
 * them with the current or any previous key, so keys can be rotated without downtime.
 */
@Injectable()
export class SecretBox {
  private readonly current: VersionedKey;
  private readonly keys: Map<string, Buffer>;

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'encryption'>) {
    this.current = config.encryption.current;
    this.keys = new Map([
      ...config.encryption.previous.map((k): [string, Buffer] => [k.id, k.key]),
      [this.current.id, this.current.key],
    ]);
  }

  /** Id of the key new secrets are sealed with. */
  get currentKeyId(): string {
    return this.current.id;
  }

  seal(plaintext: string, place: SealedPlace): EncryptedSecret {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(aad(place));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return {
      v: 2,
      kid: this.current.id,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    };
  }

  /**
   * Opens a sealed secret found at `place`; throws {@link SecretBoxError} if no key fits, the data
   * was altered or (v2) it was sealed for another place.
   */
  open(sealed: EncryptedSecret, place: SealedPlace): string {
    if (sealed.v !== 1 && sealed.v !== 2)
      throw new SecretBoxError(`unsupported sealed secret version ${String(sealed.v)}`);
    const key = this.keys.get(sealed.kid);
    if (!key) throw new SecretBoxError(`no encryption key with id ${sealed.kid}`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
      if (sealed.v === 2) decipher.setAAD(aad(place));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      return Buffer.concat([
        decipher.update(Buffer.from(sealed.data, 'base64')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new SecretBoxError('sealed secret failed authentication');
    }
  }

  /** True when the secret was sealed under another key, or without its place (v1). */
  needsRotation(sealed: EncryptedSecret): boolean {
    return sealed.kid !== this.current.id || sealed.v !== 2;
  }

  /** Re-seals under the current key, bound to `place` (the same value when it already is). */
  reseal(sealed: EncryptedSecret, place: SealedPlace): EncryptedSecret {
    return this.needsRotation(sealed) ? this.seal(this.open(sealed, place), place) : sealed;
  }

  /** Type guard for values read back from the database. */
  static isSealed(value: unknown): value is EncryptedSecret {
    if (typeof value !== 'object' || value === null) return false;
    const v = value as Record<string, unknown>;
    return (
      (v.v === 1 || v.v === 2) &&
      typeof v.kid === 'string' &&
      typeof v.iv === 'string' &&
      typeof v.tag === 'string' &&
      typeof v.data === 'string'
    );
  }
}
