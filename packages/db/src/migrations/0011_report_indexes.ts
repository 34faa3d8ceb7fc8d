/* eslint-disable @typescript-eslint/no-explicit-any -- migrations use Kysely<any>: they are frozen in time and must not import app types */
import { sql, type Kysely } from 'kysely';

// The worker reads the handling deadline that already passed when a late petition is signed for,
// so the task keeps it (and stays overdue) instead of getting a fresh one. Reports read the tasks
// still within their sign-for time (left out of 响应率).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX timers_fired_handling_idx ON timers (petition_id, due_at DESC) WHERE kind = 'handling' AND state = 'fired'`.execute(db);
  await sql`CREATE INDEX tasks_to_sign_due_idx ON tasks (due_at) WHERE status = 'to_sign' AND role = 'lead'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS tasks_to_sign_due_idx`.execute(db);
  await sql`DROP INDEX IF EXISTS timers_fired_handling_idx`.execute(db);
}
