import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures. The notifier sends `X-Petitions-Timestamp: <unix seconds>` and
 * `X-Petitions-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + rawBody)>`; a receiver
 * recomputes it over the raw body bytes it received, compares in constant time and refuses old
 * timestamps, so a captured request cannot be replayed later.
 */
export const SIGNATURE_HEADER = 'X-Petitions-Signature';
export const TIMESTAMP_HEADER = 'X-Petitions-Timestamp';
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

export function signBody(secret: string, timestamp: string, rawBody: string | Buffer): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
  return `sha256=${mac}`;
}

export interface VerifyOptions {
  /** Refuse timestamps further than this from now (seconds); default 300. */
  toleranceSec?: number;
  nowSec?: number;
}

/** The receiver's side (used by the tests; receivers in other languages do the same). */
export function verifySignature(
  secret: string, timestamp: string | undefined, rawBody: string | Buffer, signature: string | undefined, opts: VerifyOptions = {},
): boolean {
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  const now = opts.nowSec ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestamp)) > (opts.toleranceSec ?? 300)) return false;
  const expected = Buffer.from(signBody(secret, timestamp, rawBody));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
