import { sql } from 'kysely';
import type { DbOrTx } from '../connection.js';
import { recordset, type WritePart } from '../write-together.js';
import type { Timer } from '../schema.js';

export type TimerUpdate = Pick<Timer, 'id' | 'state' | 'remaining_ms'>;

/** Timers ended, paused or moved, as a write of a batch. */
export function timerUpdatesWrite(updates: readonly TimerUpdate[]): WritePart | null {
  if (updates.length === 0) return null;
  return ['w_timer_updates', sql`
    UPDATE timers t SET state = w.state, remaining_ms = w.remaining_ms
    FROM (${recordset(updates, 'id uuid, state text, remaining_ms bigint')}) w
    WHERE t.id = w.id RETURNING t.id`];
}

/** New timers, as a write of a batch. A re-scheduled kind must not meet its predecessor on the open-unique index: write the updates in an earlier statement. */
export function timerInsertsWrite(inserts: readonly Timer[]): WritePart | null {
  if (inserts.length === 0) return null;
  return ['w_timer_inserts', sql`
    INSERT INTO timers (id, petition_id, kind, due_at, basis, state, created_at, remaining_ms)
    SELECT id, petition_id, kind, due_at, basis, state, created_at, remaining_ms
    FROM (${recordset(inserts, 'id uuid, petition_id uuid, kind text, due_at timestamptz, basis text, state text, created_at timestamptz, remaining_ms bigint')}) r
    RETURNING id`];
}

/** A page of pending timers due in (after, upTo], in (due_at, id) order: what the pump mirrors into Redis. */
export async function listPendingDueBetween(
  db: DbOrTx, after: { dueAt: Date; id: string } | null, upTo: Date, limit: number,
): Promise<Pick<Timer, 'id' | 'due_at'>[]> {
  let q = db.selectFrom('timers').select(['id', 'due_at']).where('state', '=', 'pending').where('due_at', '<=', upTo);
  if (after) q = q.where((eb) => eb(eb.refTuple('due_at', 'id'), '>', eb.tuple(after.dueAt, after.id)));
  return q.orderBy('due_at').orderBy('id').limit(limit).execute();
}

export async function countPending(db: DbOrTx): Promise<number> {
  const { rows } = await sql<{ n: string }>`SELECT count(*)::text AS n FROM timers WHERE state = 'pending'`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** The petition's current deadline of each kind: the latest one running, paused or already passed (fired). */
export async function listCurrentDeadlines(db: DbOrTx, petitionId: string): Promise<Timer[]> {
  return db.selectFrom('timers').selectAll().distinctOn('kind')
    .where('petition_id', '=', petitionId).where('state', '<>', 'cancelled')
    .orderBy('kind').orderBy('created_at', 'desc').execute();
}

/** Which timers to fire: these (their own jobs), or up to `limit` of those due by `dueBy`. */
export type TimersToFire = { ids: readonly string[] } | { dueBy: Date; limit: number };

/**
 * Fire pending timers in ONE statement: claim them, mark them fired and record one command each
 * (command id = timer id, so a timer fires once). Both ways of firing go through here, so the
 * command a timer becomes is written in one place. One statement is atomic: no transaction needed.
 * Returns the commands recorded. `events` maps a timer kind to its command type.
 */
export async function fireTimers(
  db: DbOrTx, which: TimersToFire, events: Record<string, string>, actor: { id: string; role: string },
): Promise<{ id: string; petition_id: string }[]> {
  if ('ids' in which && which.ids.length === 0) return [];
  const due = 'ids' in which
    // Named timers wait for a concurrent writer, then fire only if still pending (FOR UPDATE re-checks).
    ? sql`SELECT id FROM timers WHERE id = ANY(${[...which.ids]}::uuid[]) AND state = 'pending' FOR UPDATE`
    // SKIP LOCKED: several firers share the due work.
    : sql`SELECT id FROM timers WHERE state = 'pending' AND due_at <= ${which.dueBy} ORDER BY due_at LIMIT ${which.limit} FOR UPDATE SKIP LOCKED`;
  const { rows } = await sql<{ id: string; petition_id: string }>`
    WITH due AS (${due}), fired AS (
      UPDATE timers t SET state = 'fired' FROM due WHERE t.id = due.id
      RETURNING t.id, t.petition_id, t.kind, t.due_at
    )
    INSERT INTO commands (id, petition_id, type, payload, actor_id, actor_role, actor_unit_id)
    SELECT f.id, f.petition_id, (${JSON.stringify(events)}::jsonb ->> f.kind),
           jsonb_build_object('timerKind', f.kind, 'dueAt', to_char(f.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
           ${actor.id}, ${actor.role}, NULL
    FROM fired f
    ON CONFLICT (id) DO NOTHING
    RETURNING id, petition_id`.execute(db);
  return rows;
}
