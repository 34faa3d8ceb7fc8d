import { sql } from 'kysely';
import type { Tx } from '../connection.js';
import type { Command, Task, Timer } from '../schema.js';

/** What applying a batch of commands reads once its petitions are locked. */
export interface BatchReads {
  /** The batch's commands, in the order they were recorded. */
  commands: Command[];
  /** Open tasks (to sign or in progress) of the petitions. */
  openTasks: Task[];
  /** Deadlines still running or paused (suspended). */
  openTimers: Timer[];
  /**
   * The handling deadline that already passed, for petitions whose handling clock has fired: a
   * task signed for after that keeps the passed deadline (it is overdue), not a fresh one.
   */
  lastFiredHandlingDue: Map<string, Date>;
}

type JsonRow = Record<string, unknown>;
const date = (v: unknown): Date => new Date(v as string);
const dateOrNull = (v: unknown): Date | null => (v === null ? null : date(v));

/**
 * Everything the worker reads about a batch after locking its petitions, in ONE round trip (four
 * reads as JSON arrays). Read after the lock statement, so whatever a concurrent batch applied to
 * these petitions is committed and seen. JSON carries timestamps as text: they become Dates here,
 * and a paused timer's remaining time becomes text, as the row types say.
 */
export async function readBatch(trx: Tx, commandIds: readonly string[], petitionIds: readonly string[]): Promise<BatchReads> {
  const { rows: [r] } = await sql<{ commands: JsonRow[]; tasks: JsonRow[]; timers: JsonRow[]; fired: JsonRow[] }>`
    SELECT
      (SELECT coalesce(json_agg(c ORDER BY c.created_at, c.id), '[]') FROM commands c WHERE c.id = ANY(${[...commandIds]}::uuid[])) AS commands,
      (SELECT coalesce(json_agg(t), '[]') FROM tasks t
        WHERE t.petition_id = ANY(${[...petitionIds]}::uuid[]) AND t.status IN ('to_sign', 'in_progress')) AS tasks,
      (SELECT coalesce(json_agg(m), '[]') FROM timers m
        WHERE m.petition_id = ANY(${[...petitionIds]}::uuid[]) AND m.state IN ('pending', 'paused')) AS timers,
      (SELECT coalesce(json_agg(f), '[]') FROM (
        SELECT DISTINCT ON (petition_id) petition_id, due_at FROM timers
        WHERE petition_id = ANY(${[...petitionIds]}::uuid[]) AND kind = 'handling' AND state = 'fired'
        ORDER BY petition_id, due_at DESC) f) AS fired`.execute(trx);
  return {
    commands: (r?.commands ?? []).map((c) => ({ ...c, created_at: date(c.created_at), applied_at: dateOrNull(c.applied_at) }) as Command),
    openTasks: (r?.tasks ?? []).map((t) => ({ ...t, due_at: dateOrNull(t.due_at), created_at: date(t.created_at), updated_at: date(t.updated_at) }) as Task),
    openTimers: (r?.timers ?? []).map((t) => ({
      ...t, due_at: date(t.due_at), created_at: date(t.created_at), remaining_ms: t.remaining_ms === null ? null : String(t.remaining_ms as number),
    }) as Timer),
    lastFiredHandlingDue: new Map((r?.fired ?? []).map((f) => [f.petition_id as string, date(f.due_at)])),
  };
}
