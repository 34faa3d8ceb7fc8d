import type { DbOrTx } from '../connection.js';
import type { Open311ApiKey } from '../schema.js';

/** Open311 API keys. Callers pass the key's SHA-256 (hex); the key itself is never stored. */
export async function createApiKey(db: DbOrTx, k: { name: string; keyHash: string }): Promise<Open311ApiKey> {
  return db.insertInto('open311_api_keys').values({ name: k.name, key_hash: k.keyHash }).returningAll().executeTakeFirstOrThrow();
}

/** The key with this hash, if it exists and was not revoked. */
export async function findActiveApiKeyByHash(db: DbOrTx, keyHash: string): Promise<Open311ApiKey | undefined> {
  return db.selectFrom('open311_api_keys').selectAll().where('key_hash', '=', keyHash).where('revoked_at', 'is', null).executeTakeFirst();
}

export async function listApiKeys(db: DbOrTx): Promise<Open311ApiKey[]> {
  return db.selectFrom('open311_api_keys').selectAll().orderBy('created_at', 'desc').orderBy('id').execute();
}

/** Revoke a key (once: revoking again keeps the first time). Undefined when there is no such key. */
export async function revokeApiKey(db: DbOrTx, id: string, now: Date): Promise<Open311ApiKey | undefined> {
  await db.updateTable('open311_api_keys').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).execute();
  return db.selectFrom('open311_api_keys').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Remember which key created a petition, and the media URL it sent (written with the petition). */
export async function recordKeyRequest(db: DbOrTx, r: { petitionId: string; apiKeyId: string; mediaUrl: string | null }): Promise<void> {
  await db.insertInto('open311_requests').values({ petition_id: r.petitionId, api_key_id: r.apiKeyId, media_url: r.mediaUrl }).execute();
}
