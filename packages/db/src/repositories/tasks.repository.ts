import { sql } from 'kysely';
import type { DbOrTx } from '../connection.js';
import { recordset, type WritePart } from '../write-together.js';
import type { Task } from '../schema.js';

/** Changed tasks, as a write of a batch. */
export function taskUpdatesWrite(updates: readonly Pick<Task, 'id' | 'status' | 'due_at'>[], now: Date): WritePart | null {
  if (updates.length === 0) return null;
  return ['w_task_updates', sql`
    UPDATE tasks t SET status = w.status, due_at = w.due_at, updated_at = ${now}
    FROM (${recordset(updates, 'id uuid, status text, due_at timestamptz')}) w
    WHERE t.id = w.id RETURNING t.id`];
}

/**
 * New tasks, as a write of a batch. Only one open task per unit and role is allowed, and a
 * re-dispatch to the same unit closes the old task and opens a new one in the same batch: write
 * the updates in an earlier statement.
 */
export function taskInsertsWrite(inserts: readonly Task[], now: Date): WritePart | null {
  if (inserts.length === 0) return null;
  return ['w_task_inserts', sql`
    INSERT INTO tasks (id, petition_id, unit_id, role, status, due_at, created_at, updated_at)
    SELECT id, petition_id, unit_id, role, status, due_at, ${now}, ${now}
    FROM (${recordset(inserts, 'id uuid, petition_id uuid, unit_id uuid, role text, status text, due_at timestamptz')}) r
    RETURNING id`];
}

/** The tabs of a department's queue. */
export const QUEUE_BUCKETS = ['to_sign', 'in_progress', 'awaiting_decision', 'cooperating', 'overdue', 'done'] as const;
export type QueueBucket = (typeof QUEUE_BUCKETS)[number];

/** What each tab shows: lead tasks by status, co-unit tasks, and anything open past its deadline. */
function inBucket(bucket: QueueBucket) {
  return sql<boolean>`${sql.raw(({
    to_sign: "tasks.role = 'lead' AND tasks.status = 'to_sign'",
    in_progress: "tasks.role = 'lead' AND tasks.status = 'in_progress'",
    // An extension or suspension the unit asked for, waiting for its head (待审批).
    awaiting_decision: `tasks.role = 'lead' AND tasks.status = 'in_progress' AND EXISTS (SELECT 1 FROM petitions dp WHERE dp.id = tasks.petition_id
      AND (jsonb_typeof(dp.snapshot #> '{context,pendingExtension}') = 'object' OR jsonb_typeof(dp.snapshot #> '{context,pendingSuspension}') = 'object'))`,
    cooperating: "tasks.role = 'co' AND tasks.status IN ('to_sign','in_progress')",
    // A suspended petition's clock is paused: it is not overdue while it waits.
    overdue: "tasks.status IN ('to_sign','in_progress') AND tasks.due_at < now() AND NOT EXISTS (SELECT 1 FROM petitions sp WHERE sp.id = tasks.petition_id AND sp.state = 'suspended')",
    done: "tasks.status = 'done'",
  } satisfies Record<QueueBucket, string>)[bucket])}`;
}

export async function listUnitTasks(db: DbOrTx, unitId: string, bucket: QueueBucket, limit: number, offset: number) {
  return db.selectFrom('tasks')
    .innerJoin('petitions', 'petitions.id', 'tasks.petition_id')
    .select(['tasks.id', 'tasks.petition_id', 'tasks.role', 'tasks.status', 'tasks.due_at', 'tasks.created_at',
      'petitions.tracking_no', 'petitions.title', 'petitions.urgency', 'petitions.state'])
    .where('tasks.unit_id', '=', unitId).where(inBucket(bucket))
    .orderBy(sql`tasks.due_at ASC NULLS LAST`).orderBy('tasks.created_at')
    .limit(limit).offset(offset).execute();
}

/** How many tasks each tab of a unit's queue holds. */
export async function countUnitTasks(db: DbOrTx, unitId: string): Promise<Record<QueueBucket, number>> {
  const { rows } = await sql<Record<QueueBucket, string>>`
    SELECT
      count(*) FILTER (WHERE ${inBucket('to_sign')})::text AS to_sign,
      count(*) FILTER (WHERE ${inBucket('in_progress')})::text AS in_progress,
      count(*) FILTER (WHERE ${inBucket('awaiting_decision')})::text AS awaiting_decision,
      count(*) FILTER (WHERE ${inBucket('cooperating')})::text AS cooperating,
      count(*) FILTER (WHERE ${inBucket('overdue')})::text AS overdue,
      count(*) FILTER (WHERE ${inBucket('done')})::text AS done
    FROM tasks WHERE unit_id = ${unitId}`.execute(db);
  const r = rows[0];
  return Object.fromEntries(QUEUE_BUCKETS.map((b) => [b, Number(r?.[b] ?? 0)])) as Record<QueueBucket, number>;
}
