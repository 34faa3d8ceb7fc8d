import { hashPassword, lockoutMs, needsRehash, newToken, tokenHash, verifyPassword } from '@petitions/auth';
import { usersRepo, type Db, type User } from '@petitions/db';
import type { Actor } from '@petitions/domain';
import { AppError } from '../errors.js';

export interface SessionTtls {
  accessMs: number;
  refreshMs: number;
}

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: Date;
  refreshExpiresAt: Date;
  user: User;
}

const authErrors = {
  // One message for an unknown user and a wrong password: nothing tells them apart.
  invalidCredentials: () => new AppError(401, 'INVALID_CREDENTIALS', 'Wrong username or password'),
  locked: (until: Date) => new AppError(429, 'ACCOUNT_LOCKED', `Too many wrong passwords: try again after ${until.toISOString()}`, { retryAfterSeconds: Math.ceil((until.getTime() - Date.now()) / 1000) }),
  invalidToken: () => new AppError(401, 'INVALID_TOKEN', 'The token is not valid; sign in again'),
  expiredToken: () => new AppError(401, 'TOKEN_EXPIRED', 'The access token has expired; refresh it or sign in again'),
  refreshReused: () => new AppError(401, 'REFRESH_TOKEN_REUSED', 'This refresh token was already used; the session is revoked, sign in again'),
};

async function issue(db: Db, user: User, ttls: SessionTtls, now: Date): Promise<IssuedTokens> {
  const accessToken = newToken();
  const refreshToken = newToken();
  const accessExpiresAt = new Date(now.getTime() + ttls.accessMs);
  const refreshExpiresAt = new Date(now.getTime() + ttls.refreshMs);
  await usersRepo.createSession(db, {
    user_id: user.id, access_hash: tokenHash(accessToken), access_expires_at: accessExpiresAt,
    refresh_hash: tokenHash(refreshToken), refresh_expires_at: refreshExpiresAt,
  });
  return { accessToken, refreshToken, accessExpiresAt, refreshExpiresAt, user };
}

/** Sign in: Argon2id check, lockout with growing waits after repeated failures, a new session. */
export async function login(db: Db, username: string, password: string, ttls: SessionTtls, now = new Date()): Promise<IssuedTokens> {
  const user = await usersRepo.findUserByUsername(db, username);
  if (user?.locked_until && user.locked_until > now) throw authErrors.locked(user.locked_until);
  const ok = await verifyPassword(user?.password_hash ?? null, password);
  if (!user || !user.active) throw authErrors.invalidCredentials();
  if (!ok) {
    const after = await usersRepo.recordLoginFailure(db, user.id, lockoutMs, now);
    if (after.locked_until && after.locked_until > now) throw authErrors.locked(after.locked_until);
    throw authErrors.invalidCredentials();
  }
  await usersRepo.recordLoginSuccess(db, user.id, needsRehash(user.password_hash) ? await hashPassword(password) : undefined);
  return issue(db, user, ttls, now);
}

/** Exchange a refresh token for new tokens. A refresh token used twice revokes its session (it was stolen). */
export async function refresh(db: Db, refreshToken: string, ttls: SessionTtls, now = new Date()): Promise<IssuedTokens> {
  const hash = tokenHash(refreshToken);
  const found = await usersRepo.findSessionByRefreshHash(db, hash);
  if (!found) throw authErrors.invalidToken();
  const { session } = found;
  if (found.as === 'previous') {
    // An old refresh token came back: someone else holds a copy. End the session for both.
    await usersRepo.revokeSession(db, session.id, 'refresh token reused');
    throw authErrors.refreshReused();
  }
  if (session.revoked_at) throw authErrors.invalidToken();
  if (session.refresh_expires_at <= now) throw authErrors.expiredToken();
  const user = await usersRepo.findUserById(db, session.user_id);
  if (!user?.active) throw authErrors.invalidToken();
  const accessToken = newToken();
  const nextRefresh = newToken();
  const next = {
    access_hash: tokenHash(accessToken), access_expires_at: new Date(now.getTime() + ttls.accessMs),
    refresh_hash: tokenHash(nextRefresh), refresh_expires_at: new Date(now.getTime() + ttls.refreshMs),
  };
  // Two refreshes racing with the same token: one wins, the other is treated as reuse.
  if (!(await usersRepo.rotateSession(db, session.id, hash, next))) {
    await usersRepo.revokeSession(db, session.id, 'refresh token reused');
    throw authErrors.refreshReused();
  }
  return { accessToken, refreshToken: nextRefresh, accessExpiresAt: next.access_expires_at, refreshExpiresAt: next.refresh_expires_at, user };
}

/** The person behind an access token, or an error saying why not. */
export async function authenticate(db: Db, accessToken: string): Promise<{ actor: Actor; sessionId: string }> {
  const found = await usersRepo.findSessionByAccessHash(db, tokenHash(accessToken));
  if (found === 'expired') throw authErrors.expiredToken();
  if (!found) throw authErrors.invalidToken();
  return { actor: { id: found.user.id, role: found.user.role, unitId: found.user.unit_id }, sessionId: found.session.id };
}

export async function logout(db: Db, sessionId: string): Promise<void> {
  await usersRepo.revokeSession(db, sessionId, 'logout');
}
