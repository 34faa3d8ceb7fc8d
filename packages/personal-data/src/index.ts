import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Residents' names, phones and addresses are encrypted in the application with AES-256-GCM.
 * Stored layout: 12-byte IV | 16-byte auth tag | ciphertext. The key id is stored beside the
 * value so keys can rotate; lookups by phone use a keyed HMAC, never the plaintext.
 */
export interface PersonalDataKeys {
  /** The id new values are encrypted under, stored beside each value. */
  keyId: string;
  encryptionKey: Buffer;
  hmacKey: Buffer;
  /** Earlier encryption keys by id: still read, never written, until every value is re-encrypted. */
  previous: ReadonlyMap<string, Buffer>;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

function key32(base64: string, what: string): Buffer {
  const k = Buffer.from(base64, 'base64');
  if (k.length !== 32) throw new Error(`${what} must be 32 bytes`);
  return k;
}

/**
 * Keys from configuration. `previous` is "id:base64,id:base64" (the keys being rotated out).
 * The HMAC key for phone lookups is not rotated here: changing it means recomputing every hash.
 */
export function keysFromConfig(encryptionKeyBase64: string, hmacKeyBase64: string, keyId = 'k1', previous = ''): PersonalDataKeys {
  if (!KEY_ID.test(keyId)) throw new Error('Personal-data key id must be 1-32 letters, digits, _ or -');
  const encryptionKey = key32(encryptionKeyBase64, 'Personal-data keys');
  const hmacKey = key32(hmacKeyBase64, 'Personal-data keys');
  const old = new Map<string, Buffer>();
  for (const entry of previous.split(',').map((e) => e.trim()).filter(Boolean)) {
    const at = entry.indexOf(':');
    const id = entry.slice(0, at);
    if (at < 1 || !KEY_ID.test(id)) throw new Error(`Previous key "${entry.slice(0, 8)}…" must be written id:base64`);
    if (id === keyId || old.has(id)) throw new Error(`Key id ${id} is given twice`);
    old.set(id, key32(entry.slice(at + 1), `Previous key ${id}`));
  }
  return { keyId, encryptionKey, hmacKey, previous: old };
}

/** True if values stored under `keyId` can be read with these keys. */
export function canDecrypt(keys: PersonalDataKeys, keyId: string): boolean {
  return keyId === keys.keyId || keys.previous.has(keyId);
}

export function encrypt(keys: PersonalDataKeys, plaintext: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.encryptionKey, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** Decrypt a value stored under `keyId` (the current key when omitted). */
export function decrypt(keys: PersonalDataKeys, stored: Buffer, keyId: string = keys.keyId): string {
  const key = keyId === keys.keyId ? keys.encryptionKey : keys.previous.get(keyId);
  if (!key) throw new Error(`No personal-data key with id ${keyId}`);
  const decipher = createDecipheriv('aes-256-gcm', key, stored.subarray(0, 12));
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
