/* eslint-disable @typescript-eslint/no-explicit-any -- migrations use Kysely<any>: they are frozen in time and must not import app types */
import { sql, type Kysely } from 'kysely';

// Time: the working-day calendar, SLA policies, and timers that know whether they count working time.
export async function up(db: Kysely<any>): Promise<void> {
  // Only the exceptions to the Mon–Fri rule: holidays and make-up working days (调休).
  await db.schema.createTable('calendar_days')
    .addColumn('date', 'date', (c) => c.primaryKey())
    .addColumn('is_workday', 'boolean', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'text')
    .execute();

  // A policy per urgency, optionally narrowed to a category; a missing category row falls back to the urgency's default row.
  await db.schema.createTable('sla_policies')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('category_id', 'uuid', (c) => c.references('categories.id'))
    .addColumn('urgency', 'text', (c) => c.notNull().check(sql`urgency IN ('emergency','utilities','normal','complex')`))
    .addColumn('sign_for', 'jsonb', (c) => c.notNull())
    .addColumn('handling', 'jsonb', (c) => c.notNull())
    .addColumn('feedback', 'jsonb', (c) => c.notNull())
    .addColumn('reminder_share', 'real', (c) => c.notNull().defaultTo(0.75).check(sql`reminder_share > 0 AND reminder_share < 1`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'text')
    .execute();
  await sql`CREATE UNIQUE INDEX sla_policies_scope_idx ON sla_policies (COALESCE(category_id, '00000000-0000-0000-0000-000000000000'::uuid), urgency)`.execute(db);

  // 'working' timers pause and resume in working time; remaining_ms then holds working milliseconds.
  await db.schema.alterTable('timers')
    .addColumn('basis', 'text', (c) => c.notNull().defaultTo('clock').check(sql`basis IN ('clock','working')`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('timers').dropColumn('basis').execute();
  await db.schema.dropTable('sla_policies').execute();
  await db.schema.dropTable('calendar_days').execute();
}
