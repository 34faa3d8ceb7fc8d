import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../connection.js';
import type { Task } from '../schema.js';

export type OpenTaskStatus = 'to_sign' | 'in_progress';

export async function listOpenTasksForPetitions(trx: Tx, petitionIds: readonly string[]): Promise<Task[]> {
  if (petitionIds.length === 0) return [];
  return trx.selectFrom('tasks').selectAll()
    .where('petition_id', 'in', [...petitionIds]).where('status', 'in', ['to_sign', 'in_progress']).execute();
}

/** Insert new tasks and update changed ones, each kind in one statement. */
export async function writeTasks(trx: Tx, inserts: readonly Task[], updates: readonly Pick<Task, 'id' | 'status' | 'due_at'>[], now: Date): Promise<void> {
  if (inserts.length > 0) {
    await trx.insertInto('tasks').values(inserts.map((t) => ({ ...t, created_at: now, updated_at: now }))).execute();
  }
  if (updates.length > 0) {
    await sql`
      UPDATE tasks t SET status = w.status, due_at = w.due_at, updated_at = ${now}
      FROM (SELECT * FROM jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) AS x(id uuid, status text, due_at timestamptz)) w
      WHERE t.id = w.id`.execute(trx);
  }
}

export async function listUnitTasks(db: DbOrTx, unitId: string, status: OpenTaskStatus | 'done', limit: number, offset: number) {
  return db.selectFrom('tasks')
    .innerJoin('petitions', 'petitions.id', 'tasks.petition_id')
    .select(['tasks.id', 'tasks.petition_id', 'tasks.role', 'tasks.status', 'tasks.due_at', 'tasks.created_at',
      'petitions.tracking_no', 'petitions.title', 'petitions.urgency', 'petitions.state'])
    .where('tasks.unit_id', '=', unitId).where('tasks.status', '=', status)
    .orderBy(sql`tasks.due_at ASC NULLS LAST`).orderBy('tasks.created_at')
    .limit(limit).offset(offset).execute();
}

/** Open and done task counts of a unit, by status, plus how many open ones are past due. */
export async function countUnitTasks(db: DbOrTx, unitId: string): Promise<Record<string, number>> {
  const { rows } = await sql<{ status: string; n: string; overdue: string }>`
    SELECT status, count(*)::text AS n, count(*) FILTER (WHERE due_at < now() AND status IN ('to_sign','in_progress'))::text AS overdue
    FROM tasks WHERE unit_id = ${unitId} GROUP BY status`.execute(db);
  const counts: Record<string, number> = { to_sign: 0, in_progress: 0, done: 0, overdue: 0 };
  for (const r of rows) {
    counts[r.status] = Number(r.n);
    counts.overdue = (counts.overdue ?? 0) + Number(r.overdue);
  }
  return counts;
}
