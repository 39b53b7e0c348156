import { describe, expect, it } from 'vitest';
import { generateKey, SecretBox } from './secrets';

describe('SecretBox', () => {
  const k1 = { id: 'k1', key: generateKey() };
  const k2 = { id: 'k2', key: generateKey() };

  it('round-trips a secret and never stores the plaintext', () => {
    const box = new SecretBox(k1);
    const sealed = box.encrypt('pat-na1-secret-token');
    expect(sealed).not.toContain('secret-token');
    expect(box.decrypt(sealed)).toBe('pat-na1-secret-token');
  });

  it('uses a fresh IV so equal secrets seal differently', () => {
    const box = new SecretBox(k1);
    expect(box.encrypt('same')).not.toBe(box.encrypt('same'));
  });

  it('reads values sealed with a previous key after rotation and flags them for re-encryption', () => {
    const sealedWithOld = new SecretBox(k1).encrypt('old');
    const rotated = new SecretBox(k2, [k1]);
    expect(rotated.decrypt(sealedWithOld)).toBe('old');
    expect(rotated.needsRotation(sealedWithOld)).toBe(true);
    expect(rotated.needsRotation(rotated.encrypt('new'))).toBe(false);
  });

  it('rejects a tampered value', () => {
    const box = new SecretBox(k1);
    const parts = box.encrypt('value').split('.');
    parts[4] = Buffer.from('tampered').toString('base64url');
    expect(() => box.decrypt(parts.join('.'))).toThrow();
  });

  it('refuses a value sealed with an unknown key', () => {
    const sealed = new SecretBox(k2).encrypt('x');
    expect(() => new SecretBox(k1).decrypt(sealed)).toThrow(/unknown encryption key id k2/);
  });
});
