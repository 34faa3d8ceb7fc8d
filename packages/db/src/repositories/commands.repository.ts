import { sql } from 'kysely';
import type { DbOrTx } from '../connection.js';
import { recordset, type WritePart } from '../write-together.js';
import type { Command, CommandStatus, NewCommand } from '../schema.js';

export type CommandRow = Command;

/** What a command came to, as stored: the API answers with it and the worker returns it to a redelivered job. */
export type StoredOutcome =
  | { status: 'applied' | 'ignored'; result: Record<string, unknown> }
  | { status: 'rejected'; code: string; reason: string; state: string }
  | { status: 'pending' };

export function outcomeOf(c: Command): StoredOutcome {
  if (c.status === 'pending') return { status: 'pending' };
  if (c.status === 'rejected') {
    const state = c.result?.state;
    return { status: 'rejected', code: c.rejection_code ?? 'TRANSITION_REJECTED', reason: c.rejection_reason ?? '', state: typeof state === 'string' ? state : '' };
  }
  return { status: c.status, result: c.result ?? {} };
}

export async function insertCommand(db: DbOrTx, row: NewCommand): Promise<void> {
  await db.insertInto('commands').values(row).execute();
}

export async function findCommandById(db: DbOrTx, id: string): Promise<Command | undefined> {
  return db.selectFrom('commands').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findCommandByIdempotencyKey(db: DbOrTx, key: string): Promise<Command | undefined> {
  return db.selectFrom('commands').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
}

export async function findCommandsByIds(db: DbOrTx, ids: readonly string[]): Promise<Command[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('commands').selectAll().where('id', 'in', [...ids]).orderBy('created_at').orderBy('id').execute();
}

export interface CommandOutcomeWrite {
  id: string;
  status: Exclude<CommandStatus, 'pending'>;
  result: Record<string, unknown> | null;
  rejectionCode: string | null;
  rejectionReason: string | null;
}

/**
 * Commands' outcomes, as a write of a batch. Only pending commands change: an outcome is final.
 * The expected status travels with each row instead of being a constant: `status = 'pending'`
 * would match the partial index of pending commands, which the statistics often call nearly
 * empty (they are taken between bursts), and the planner would then scan every pending command
 * once per row of the batch: 10,000 pending × 250 rows in a burst of deadlines. With the status
 * per row the batch drives the update through the primary key.
 */
export function commandOutcomesWrite(writes: readonly CommandOutcomeWrite[], now: Date): WritePart | null {
  if (writes.length === 0) return null;
  return ['w_command_outcomes', sql`
    UPDATE commands c SET status = w.status, result = w.result, rejection_code = w.rejection_code,
      rejection_reason = w.rejection_reason, applied_at = ${now}
    FROM (${recordset(writes.map((w) => ({
      id: w.id, status: w.status, result: w.result, rejection_code: w.rejectionCode, rejection_reason: w.rejectionReason,
      expected_status: 'pending',
    })), 'id uuid, status text, result jsonb, rejection_code text, rejection_reason text, expected_status text')}) w
    WHERE c.id = w.id AND c.status = w.expected_status RETURNING c.id`];
}

/** Commands recorded by the worker itself (follow-ons of a batch), as a write of a batch. */
export function commandInsertsWrite(rows: readonly NewCommand[]): WritePart | null {
  if (rows.length === 0) return null;
  return ['w_command_inserts', sql`
    INSERT INTO commands (id, petition_id, type, payload, actor_id, actor_role, actor_unit_id)
    SELECT id, petition_id, type, payload::jsonb, actor_id, actor_role, actor_unit_id
    FROM (${recordset(rows, 'id uuid, petition_id uuid, type text, payload text, actor_id text, actor_role text, actor_unit_id uuid')}) r
    RETURNING id`];
}

/** Commands recorded but not applied, oldest first: what the recovery sweep re-publishes. */
export async function listStalePending(db: DbOrTx, olderThan: Date, limit: number): Promise<Pick<Command, 'id' | 'petition_id'>[]> {
  return db.selectFrom('commands').select(['id', 'petition_id'])
    .where('status', '=', 'pending').where('created_at', '<', olderThan)
    .orderBy('created_at').limit(limit).execute();
}
