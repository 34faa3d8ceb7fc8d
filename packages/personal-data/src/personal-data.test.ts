import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canDecrypt, decrypt, encrypt, keysFromConfig, maskName, maskPhone, phoneLookupHash } from './index.js';

const keys = keysFromConfig(randomBytes(32).toString('base64'), randomBytes(32).toString('base64'));

describe('personal data', () => {
  it('round-trips through AES-256-GCM with a fresh IV each time', () => {
    const a = encrypt(keys, '张三 13800138000');
    const b = encrypt(keys, '张三 13800138000');
    expect(a.equals(b)).toBe(false);
    expect(decrypt(keys, a)).toBe('张三 13800138000');
  });

  it('refuses tampered ciphertext and the wrong key', () => {
    const c = encrypt(keys, '13800138000');
    c[c.length - 1] = c[c.length - 1]! ^ 1;
    expect(() => decrypt(keys, c)).toThrow();
    const other = keysFromConfig(randomBytes(32).toString('base64'), randomBytes(32).toString('base64'));
    expect(() => decrypt(other, encrypt(keys, 'x'))).toThrow();
  });

  it('hashes phones for lookup regardless of formatting, and only with the key', () => {
    expect(phoneLookupHash(keys, '138-0013-8000').equals(phoneLookupHash(keys, '13800138000'))).toBe(true);
    const other = keysFromConfig(randomBytes(32).toString('base64'), randomBytes(32).toString('base64'));
    expect(phoneLookupHash(other, '13800138000').equals(phoneLookupHash(keys, '13800138000'))).toBe(false);
  });

  it('masks phones and names for display', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone('0371-6789 1234')).toBe('037****1234');
    expect(maskPhone('12345')).toBe('*2345');
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('李')).toBe('李*');
  });

  it('refuses keys of the wrong length', () => {
    expect(() => keysFromConfig(randomBytes(16).toString('base64'), randomBytes(32).toString('base64'))).toThrow(/32 bytes/);
  });
});

describe('key rotation', () => {
  const b64 = () => randomBytes(32).toString('base64');
  it('reads values under a previous key id and writes under the current one', () => {
    const oldKey = b64();
    const hmac = b64();
    const before = keysFromConfig(oldKey, hmac, 'k1');
    const stored = encrypt(before, '李四 13900001111');
    const after = keysFromConfig(b64(), hmac, 'k2', `k1:${oldKey}`);
    expect(canDecrypt(after, 'k1')).toBe(true);
    expect(decrypt(after, stored, 'k1')).toBe('李四 13900001111');
    expect(() => decrypt(after, stored)).toThrow();
    expect(decrypt(after, encrypt(after, 'x'), 'k2')).toBe('x');
    expect(canDecrypt(after, 'k0')).toBe(false);
    expect(() => decrypt(after, stored, 'k0')).toThrow(/No personal-data key with id k0/);
  });

  it('refuses malformed previous keys and a key id given twice', () => {
    expect(() => keysFromConfig(b64(), b64(), 'k2', 'k1')).toThrow(/id:base64/);
    expect(() => keysFromConfig(b64(), b64(), 'k2', `k2:${b64()}`)).toThrow(/twice/);
    expect(() => keysFromConfig(b64(), b64(), 'k2', `k1:${randomBytes(16).toString('base64')}`)).toThrow(/32 bytes/);
    expect(() => keysFromConfig(b64(), b64(), 'bad id!')).toThrow(/key id/);
  });
});
