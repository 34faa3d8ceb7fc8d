import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../connection.js';
import { recordset, type WritePart } from '../write-together.js';
import type { NewOutboxRow, OutboxRow } from '../schema.js';

/** Outbox rows, as a write of a batch. Job ids are deterministic, so the same row written twice is refused by the unique index. */
export function outboxWrite(rows: readonly NewOutboxRow[]): WritePart | null {
  if (rows.length === 0) return null;
  return ['w_outbox', sql`
    INSERT INTO outbox (queue, job_name, job_id, payload, delay_until)
    SELECT queue, job_name, job_id, payload::jsonb, delay_until
    FROM (${recordset(rows, 'queue text, job_name text, job_id text, payload text, delay_until timestamptz')}) r
    ON CONFLICT (job_id) DO NOTHING RETURNING id`];
}

/** After this many failed publishes a row is left for an admin (dead letter) instead of retried. */
export const MAX_PUBLISH_ATTEMPTS = 5;

/** Claim unpublished rows; SKIP LOCKED lets several relays run side by side. */
export async function claimUnpublished(trx: Tx, limit: number): Promise<OutboxRow[]> {
  return trx.selectFrom('outbox').selectAll().where('published_at', 'is', null).where('attempts', '<', MAX_PUBLISH_ATTEMPTS)
    .orderBy('id').limit(limit).forUpdate().skipLocked().execute();
}

export async function recordPublishFailure(trx: Tx, id: string, error: string): Promise<void> {
  await trx.updateTable('outbox').set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error.slice(0, 1000) })).where('id', '=', id).execute();
}

export async function markPublished(trx: Tx, ids: readonly string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await trx.updateTable('outbox').set({ published_at: now }).where('id', 'in', [...ids]).execute();
}


/**
 * After Redis lost its data: notifications published but not yet delivered were lost with it.
 * Mark their outbox rows unpublished so the relay sends them again (the key makes a second
 * delivery of one that did arrive a no-op). Rows older than `since` are left alone.
 */
export async function unpublishUndeliveredNotifications(db: DbOrTx, since: Date): Promise<number> {
  const r = await sql`
    UPDATE outbox o SET published_at = NULL
    WHERE o.queue = 'notifications' AND o.published_at IS NOT NULL AND o.created_at >= ${since}
      AND NOT EXISTS (
        SELECT 1 FROM notifications n
        WHERE n.idempotency_key = o.job_id AND n.status IN ('delivered', 'skipped_anonymous', 'dead_letter'))`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}
