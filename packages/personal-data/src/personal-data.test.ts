import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decrypt, encrypt, keysFromConfig, maskName, maskPhone, phoneLookupHash } from './index.js';

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
