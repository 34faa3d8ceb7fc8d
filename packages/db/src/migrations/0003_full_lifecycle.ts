/* eslint-disable @typescript-eslint/no-explicit-any -- migrations use Kysely<any>: they are frozen in time and must not import app types */
import { sql, type Kysely } from 'kysely';

// The whole lifecycle: returns, redos, merges, suspensions (paused clocks) and quality review.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE tasks DROP CONSTRAINT tasks_status_check`.execute(db);
  await sql`ALTER TABLE tasks ADD CONSTRAINT tasks_status_check CHECK (status IN ('to_sign','in_progress','done','cancelled','returned'))`.execute(db);

  await db.schema.alterTable('petitions')
    .addColumn('merged_into', 'uuid', (c) => c.references('petitions.id'))
    .addColumn('flagged', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('return_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('redo_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`CREATE INDEX petitions_merged_into_idx ON petitions (merged_into) WHERE merged_into IS NOT NULL`.execute(db);
  // Duplicate candidates: same category and street, recent.
  await sql`CREATE INDEX petitions_duplicate_idx ON petitions (category_id, street_id, created_at)`.execute(db);

  await sql`ALTER TABLE timers DROP CONSTRAINT timers_state_check`.execute(db);
  await sql`ALTER TABLE timers ADD CONSTRAINT timers_state_check CHECK (state IN ('pending','fired','cancelled','paused'))`.execute(db);
  await db.schema.alterTable('timers').addColumn('remaining_ms', 'bigint').execute();
  await sql`DROP INDEX timers_pending_unique_idx`.execute(db);
  await sql`CREATE UNIQUE INDEX timers_pending_unique_idx ON timers (petition_id, kind) WHERE state IN ('pending','paused')`.execute(db);

  await db.schema.alterTable('categories').addColumn('requires_review', 'boolean', (c) => c.notNull().defaultTo(false)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('categories').dropColumn('requires_review').execute();
  await sql`DROP INDEX timers_pending_unique_idx`.execute(db);
  await sql`CREATE UNIQUE INDEX timers_pending_unique_idx ON timers (petition_id, kind) WHERE state = 'pending'`.execute(db);
  await db.schema.alterTable('timers').dropColumn('remaining_ms').execute();
  await sql`ALTER TABLE timers DROP CONSTRAINT timers_state_check`.execute(db);
  await sql`ALTER TABLE timers ADD CONSTRAINT timers_state_check CHECK (state IN ('pending','fired','cancelled'))`.execute(db);
  await sql`DROP INDEX petitions_duplicate_idx`.execute(db);
  await db.schema.alterTable('petitions').dropColumn('merged_into').dropColumn('flagged').dropColumn('return_count').dropColumn('redo_count').execute();
  await sql`ALTER TABLE tasks DROP CONSTRAINT tasks_status_check`.execute(db);
  await sql`ALTER TABLE tasks ADD CONSTRAINT tasks_status_check CHECK (status IN ('to_sign','in_progress','done','cancelled'))`.execute(db);
}
