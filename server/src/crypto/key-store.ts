import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateKey, SecretBox, type EncryptionKey } from './secrets';

/** The key settings (config.ts ENCRYPTION_*): the current key, its id, and older keys still read. */
export interface EncryptionSettings {
  keyId: string;
  key?: string;
  previousKeys: Array<{ id: string; key: string }>;
}

/**
 * Builds the SecretBox from config. In sandbox mode without a configured key, a key is generated
 * once and kept in `<DATA_DIR>/encryption-key.json` (mode 0600), so restarts can read old values.
 */
export function loadSecretBox(config: { mode: 'sandbox' | 'live'; dataDir: string; encryption: EncryptionSettings }): SecretBox {
  const previous = config.encryption.previousKeys.map((k) => ({ id: k.id, key: Buffer.from(k.key, 'base64') }));
  if (config.encryption.key) {
    return new SecretBox({ id: config.encryption.keyId, key: Buffer.from(config.encryption.key, 'base64') }, previous);
  }
  if (config.mode !== 'sandbox') throw new Error('ENCRYPTION_KEY is required outside sandbox mode');
  return new SecretBox(sandboxKey(config.dataDir), previous);
}

function sandboxKey(dataDir: string): EncryptionKey {
  const file = join(dataDir, 'encryption-key.json');
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { id: string; key: string };
    return { id: stored.id, key: Buffer.from(stored.key, 'base64') };
  }
  const key = { id: 'sandbox', key: generateKey() };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ id: key.id, key: key.key.toString('base64') }), { mode: 0o600 });
  return key;
}
