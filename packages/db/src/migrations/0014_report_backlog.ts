/* eslint-disable @typescript-eslint/no-explicit-any -- migrations use Kysely<any>: they are frozen in time and must not import app types */
import { sql, type Kysely } from 'kysely';

// Events whose report counts are not in the rollups yet. The worker appends one row per event in
// the transaction that applies it; the scheduler folds them into the rollups in large batches.
// Rollup rows are shared by every petition of a district and day: written by the worker they
// were row locks held to each commit, which made all of a district's transitions wait in line.
// Up to this migration the worker kept the rollups current itself, so the backlog starts empty.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE report_backlog (event_id bigint PRIMARY KEY)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE report_backlog`.execute(db);
}
