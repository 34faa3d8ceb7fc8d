import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Residents' names, phones and addresses are encrypted in the application with AES-256-GCM.
 * Stored layout: 12-byte IV | 16-byte auth tag | ciphertext. The key id is stored beside the
 * value so keys can rotate; lookups by phone use a keyed HMAC, never the plaintext.
 */
export interface PersonalDataKeys {
  keyId: string;
  encryptionKey: Buffer;
  hmacKey: Buffer;
}

export function keysFromConfig(encryptionKeyBase64: string, hmacKeyBase64: string, keyId = 'k1'): PersonalDataKeys {
  const encryptionKey = Buffer.from(encryptionKeyBase64, 'base64');
  const hmacKey = Buffer.from(hmacKeyBase64, 'base64');
  if (encryptionKey.length !== 32 || hmacKey.length !== 32) throw new Error('Personal-data keys must be 32 bytes');
  return { keyId, encryptionKey, hmacKey };
}

export function encrypt(keys: PersonalDataKeys, plaintext: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.encryptionKey, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function decrypt(keys: PersonalDataKeys, stored: Buffer): string {
  const decipher = createDecipheriv('aes-256-gcm', keys.encryptionKey, stored.subarray(0, 12));
  decipher.setAuthTag(stored.subarray(12, 28));
  return Buffer.concat([decipher.update(stored.subarray(28)), decipher.final()]).toString('utf8');
}

/** Digits only, so "138-0013-8000" and "13800138000" find the same resident. */
export function normalisePhone(phone: string): string {
  return phone.replace(/\D/g, '');
}

export function phoneLookupHash(keys: PersonalDataKeys, phone: string): Buffer {
  return createHmac('sha256', keys.hmacKey).update(normalisePhone(phone)).digest();
}

/** 13812341234 → 138****1234; short numbers keep only their last 4 digits. */
export function maskPhone(phone: string): string {
  const d = normalisePhone(phone);
  if (d.length >= 11) return `${d.slice(0, 3)}****${d.slice(-4)}`;
  return d.length > 4 ? `${'*'.repeat(d.length - 4)}${d.slice(-4)}` : '****';
}

/** 张三丰 → 张**; a Latin name keeps its first letter. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  return `${chars[0]}${'*'.repeat(Math.max(1, chars.length - 1))}`;
}
