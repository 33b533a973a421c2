import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

/** A secret sealed with AES-256-GCM; every field but `v` and `kid` is base64. Safe to store. */
export interface EncryptedSecret {
  v: 1;
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

  seal(plaintext: string): EncryptedSecret {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return {
      v: 1,
      kid: this.current.id,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    };
  }

  /** Opens a sealed secret; throws {@link SecretBoxError} if no key fits or the data was altered. */
  open(sealed: EncryptedSecret): string {
    if (sealed.v !== 1)
      throw new SecretBoxError(`unsupported sealed secret version ${String(sealed.v)}`);
    const key = this.keys.get(sealed.kid);
    if (!key) throw new SecretBoxError(`no encryption key with id ${sealed.kid}`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      return Buffer.concat([
        decipher.update(Buffer.from(sealed.data, 'base64')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new SecretBoxError('sealed secret failed authentication');
    }
  }

  /** True when the secret was sealed under a key other than the current one. */
  needsRotation(sealed: EncryptedSecret): boolean {
    return sealed.kid !== this.current.id;
  }

  /** Re-seals under the current key (a no-op copy when it already is). */
  reseal(sealed: EncryptedSecret): EncryptedSecret {
    return this.needsRotation(sealed) ? this.seal(this.open(sealed)) : sealed;
  }

  /** Type guard for values read back from the database. */
  static isSealed(value: unknown): value is EncryptedSecret {
    if (typeof value !== 'object' || value === null) return false;
    const v = value as Record<string, unknown>;
    return (
      v.v === 1 &&
      typeof v.kid === 'string' &&
      typeof v.iv === 'string' &&
      typeof v.tag === 'string' &&
      typeof v.data === 'string'
    );
  }
}
