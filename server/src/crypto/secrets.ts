/**
 * Secrets at rest (tokens, API keys): AES-256-GCM with a random 96-bit IV per value. The key id is
 * stored with each value (`v1.<keyId>.<iv>.<tag>.<ciphertext>`, base64url), so keys can rotate: new
 * values use the current key, old ones stay readable while their key is listed as previous.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

export interface EncryptionKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

export class SecretBox {
  private readonly keys: Map<string, Buffer>;

  constructor(
    private readonly current: EncryptionKey,
    previous: EncryptionKey[] = [],
  ) {
    this.keys = new Map([...previous, current].map((k) => [k.id, k.key]));
    for (const [id, key] of this.keys) {
      if (key.length !== 32) throw new Error(`encryption key ${id} must be 32 bytes`);
    }
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(this.current.id));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', this.current.id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  decrypt(sealed: string): string {
    const [version, keyId, iv, tag, ciphertext] = sealed.split('.');
    if (version !== 'v1' || !keyId || iv === undefined || tag === undefined || ciphertext === undefined) {
      throw new Error('not a sealed secret');
    }
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`unknown encryption key id ${keyId}`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(keyId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }

  encryptJson(value: unknown): string {
    return this.encrypt(JSON.stringify(value));
  }

  decryptJson<T = unknown>(sealed: string): T {
    return JSON.parse(this.decrypt(sealed)) as T;
  }

  /** A stable sub-key for another purpose (e.g. signing download links), derived from the current key. */
  deriveKey(purpose: string): Buffer {
    return createHmac('sha256', this.current.key).update(`apiup:${purpose}`).digest();
  }

  /** True when the value was sealed with an older key and should be re-encrypted. */
  needsRotation(sealed: string): boolean {
    return sealed.split('.')[1] !== this.current.id;
  }
}

export function generateKey(): Buffer {
  return randomBytes(32);
}
