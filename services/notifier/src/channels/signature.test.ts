import { describe, expect, it } from 'vitest';
import { signBody, verifySignature } from './signature.js';

const SECRET = 'test-secret-0123456789abcdef0123456789';

describe('webhook signature', () => {
  it('is sha256= and the hex HMAC-SHA256 of "timestamp.body" over the UTF-8 bytes', () => {
    // Computed independently: printf '%s' '1700000000.{"a":"诉求"}' | openssl dgst -sha256 -hmac "$SECRET"
    expect(signBody(SECRET, '1700000000', '{"a":"诉求"}')).toBe('sha256=2b035f91d9b4869b9fa0515dd2c22660414899dd02e8755c2bb38206c014d39a');
    expect(signBody(SECRET, '1700000000', Buffer.from('{"a":"诉求"}'))).toBe(signBody(SECRET, '1700000000', '{"a":"诉求"}'));
  });

  it('verifies what it signed, and nothing altered', () => {
    const body = JSON.stringify({ idempotencyKey: 'k1', bodyZh: '【12345】工单' });
    const sig = signBody(SECRET, '1700000000', body);
    const at = { nowSec: 1_700_000_010 };
    expect(verifySignature(SECRET, '1700000000', body, sig, at)).toBe(true);
    expect(verifySignature(SECRET, '1700000000', `${body} `, sig, at)).toBe(false);
    expect(verifySignature(SECRET, '1700000001', body, sig, at)).toBe(false);
    expect(verifySignature(`${SECRET}x`, '1700000000', body, sig, at)).toBe(false);
    expect(verifySignature(SECRET, '1700000000', body, sig.replace('sha256=', 'sha1='), at)).toBe(false);
    expect(verifySignature(SECRET, '1700000000', body, undefined, at)).toBe(false);
    expect(verifySignature(SECRET, undefined, body, sig, at)).toBe(false);
  });

  it('refuses a timestamp outside the tolerance (a replayed request)', () => {
    const body = '{}';
    const sig = signBody(SECRET, '1700000000', body);
    expect(verifySignature(SECRET, '1700000000', body, sig, { nowSec: 1_700_000_000 + 301 })).toBe(false);
    expect(verifySignature(SECRET, '1700000000', body, sig, { nowSec: 1_700_000_000 + 301, toleranceSec: 600 })).toBe(true);
  });
});
