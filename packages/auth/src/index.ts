import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';

/**
 * Passwords and tokens. Argon2id with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane);
 * the parameters live in each hash, so raising them later re-hashes at the next sign-in.
 */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/** Why a new password is refused, in words a person can act on; null if it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  if (new Set(password).size < 4) return 'is too repetitive';
  return null;
}

export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

/** A hash for unknown users, so a wrong username costs the same time as a wrong password. */
let decoyHash: Promise<string> | undefined;

export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  decoyHash ??= argon2.hash('decoy password for timing', ARGON2_OPTIONS);
  try {
    const ok = await argon2.verify(hash ?? (await decoyHash), password);
    return hash !== null && ok;
  } catch {
    return false;
  }
}

export function needsRehash(hash: string): boolean {
  return argon2.needsRehash(hash, ARGON2_OPTIONS);
}

/** An opaque bearer token: 32 random bytes. Only its SHA-256 is stored, so a database leak signs nobody in. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Sign-in lockout: after this many wrong passwords in a row, the account waits, longer each time. */
export const LOCKOUT_AFTER_FAILURES = 5;
export function lockoutMs(consecutiveFailures: number): number {
  if (consecutiveFailures < LOCKOUT_AFTER_FAILURES) return 0;
  // 1, 2, 4, ... minutes, capped at an hour.
  return Math.min(60, 2 ** (consecutiveFailures - LOCKOUT_AFTER_FAILURES)) * 60_000;
}
