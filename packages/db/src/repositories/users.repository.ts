import { sql } from 'kysely';
import type { DbOrTx } from '../connection.js';
import type { Session, User } from '../schema.js';

export type NewUser = Pick<User, 'username' | 'display_name' | 'role' | 'unit_id' | 'password_hash'>;

export async function createUser(db: DbOrTx, u: NewUser): Promise<User> {
  return db.insertInto('users').values(u).returningAll().executeTakeFirstOrThrow();
}

export async function findUserByUsername(db: DbOrTx, username: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where(sql<string>`lower(username)`, '=', username.toLowerCase()).executeTakeFirst();
}

export async function findUserById(db: DbOrTx, id: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listUsers(db: DbOrTx): Promise<User[]> {
  return db.selectFrom('users').selectAll().orderBy('username').execute();
}

export type UserChanges = Partial<Pick<User, 'display_name' | 'role' | 'unit_id' | 'password_hash' | 'active'>>;

export async function updateUser(db: DbOrTx, id: string, changes: UserChanges): Promise<User | undefined> {
  return db.updateTable('users').set({ ...changes, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirst();
}

/** Count a wrong password; lock the account until `lockedUntil` when the policy says so. */
export async function recordLoginFailure(db: DbOrTx, id: string, lockFor: (failures: number) => number, now: Date): Promise<User> {
  const u = await db.updateTable('users').set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) })).where('id', '=', id)
    .returningAll().executeTakeFirstOrThrow();
  const ms = lockFor(u.failed_logins);
  if (ms === 0) return u;
  return db.updateTable('users').set({ locked_until: new Date(now.getTime() + ms) }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function recordLoginSuccess(db: DbOrTx, id: string, passwordHash?: string): Promise<void> {
  await db.updateTable('users').set({ failed_logins: 0, locked_until: null, ...(passwordHash ? { password_hash: passwordHash } : {}) }).where('id', '=', id).execute();
}

export type NewSession = Pick<Session, 'user_id' | 'access_hash' | 'access_expires_at' | 'refresh_hash' | 'refresh_expires_at'>;
type Rotation = Omit<NewSession, 'user_id'>;

export async function createSession(db: DbOrTx, s: NewSession): Promise<Session> {
  return db.insertInto('sessions').values(s).returningAll().executeTakeFirstOrThrow();
}

/** The live session and its user for an access token hash; expired or revoked sessions are not returned. */
export async function findSessionByAccessHash(db: DbOrTx, accessHash: string): Promise<{ session: Session; user: User } | 'expired' | undefined> {
  const row = await db.selectFrom('sessions').innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('sessions').select(['users.username', 'users.display_name', 'users.role', 'users.unit_id', 'users.active', 'users.password_hash', 'users.failed_logins', 'users.locked_until', 'users.created_at as user_created_at', 'users.updated_at as user_updated_at'])
    .where('sessions.access_hash', '=', accessHash).executeTakeFirst();
  if (!row || row.revoked_at || !row.active) return undefined;
  if (row.access_expires_at.getTime() <= Date.now()) return 'expired';
  const session: Session = {
    id: row.id, user_id: row.user_id, access_hash: row.access_hash, access_expires_at: row.access_expires_at, refresh_hash: row.refresh_hash,
    refresh_expires_at: row.refresh_expires_at, previous_refresh_hash: row.previous_refresh_hash, created_at: row.created_at, revoked_at: row.revoked_at, revoked_reason: row.revoked_reason,
  };
  const user: User = {
    id: row.user_id, username: row.username, display_name: row.display_name, role: row.role, unit_id: row.unit_id, active: row.active,
    password_hash: row.password_hash, failed_logins: row.failed_logins, locked_until: row.locked_until, created_at: row.user_created_at, updated_at: row.user_updated_at,
  };
  return { session, user };
}

/** The session a refresh token belongs to now (`current`) or belonged to before its last rotation (`previous`). */
export async function findSessionByRefreshHash(db: DbOrTx, refreshHash: string): Promise<{ session: Session; as: 'current' | 'previous' } | undefined> {
  const current = await db.selectFrom('sessions').selectAll().where('refresh_hash', '=', refreshHash).executeTakeFirst();
  if (current) return { session: current, as: 'current' };
  const previous = await db.selectFrom('sessions').selectAll().where('previous_refresh_hash', '=', refreshHash).executeTakeFirst();
  return previous ? { session: previous, as: 'previous' } : undefined;
}

/** Replace both tokens of a live session (refresh rotation); false if it was revoked or rotated meanwhile. */
export async function rotateSession(db: DbOrTx, id: string, oldRefreshHash: string, next: Rotation): Promise<boolean> {
  const r = await db.updateTable('sessions').set({ ...next, previous_refresh_hash: oldRefreshHash }).where('id', '=', id).where('refresh_hash', '=', oldRefreshHash).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function revokeSession(db: DbOrTx, id: string, reason: string): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: new Date(), revoked_reason: reason }).where('id', '=', id).where('revoked_at', 'is', null).execute();
}

export async function revokeUserSessions(db: DbOrTx, userId: string, reason: string): Promise<number> {
  const r = await db.updateTable('sessions').set({ revoked_at: new Date(), revoked_reason: reason }).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows);
}
