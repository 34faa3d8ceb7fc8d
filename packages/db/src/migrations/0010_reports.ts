/* eslint-disable @typescript-eslint/no-explicit-any -- migrations use Kysely<any>: they are frozen in time and must not import app types */
import { sql, type Kysely } from 'kysely';

// Leaders' reports. Each applied event records what the reports need to know about it
// (`report_facts`); the worker adds the event's counts to small rollup tables in the same
// transaction, and `pnpm run reports:rebuild` recomputes them from the event log.
//   report_daily  counters per China-local day × district × dimension value
//                 (dim: unit, street, community, category, channel, category_street)
//   report_open   petitions open and overdue now, per district × dimension value
// Durations are log-scale histograms (int[]), summed with report_hist_sum().
const COUNTERS = [
  'received', 'dispatched', 'signed_on_time', 'returned', 'completed', 'completed_on_time', 'redone',
  'rated', 'rated_resolved', 'satisfied', 'basically_satisfied', 'dissatisfied', 'no_feedback',
  'sign_count', 'complete_count',
];

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE petition_events ADD COLUMN report_facts jsonb`.execute(db);

  await sql`
    CREATE FUNCTION report_hist_add(a int[], b int[]) RETURNS int[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT CASE WHEN a IS NULL THEN b WHEN b IS NULL THEN a ELSE
        (SELECT array_agg(coalesce(x, 0) + coalesce(y, 0) ORDER BY i) FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i)) END
    $$`.execute(db);
  await sql`CREATE AGGREGATE report_hist_sum(int[]) (SFUNC = report_hist_add, STYPE = int[], COMBINEFUNC = report_hist_add, PARALLEL = SAFE)`.execute(db);

  let daily = db.schema.createTable('report_daily')
    .addColumn('dim', 'text', (c) => c.notNull())
    .addColumn('district_id', 'uuid', (c) => c.notNull())
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull());
  for (const name of COUNTERS) daily = daily.addColumn(name, 'integer', (c) => c.notNull().defaultTo(0));
  await daily
    .addColumn('sign_seconds', 'float8', (c) => c.notNull().defaultTo(0))
    .addColumn('complete_seconds', 'float8', (c) => c.notNull().defaultTo(0))
    .addColumn('sign_hist', sql`int[]`)
    .addColumn('complete_hist', sql`int[]`)
    .addPrimaryKeyConstraint('report_daily_pkey', ['dim', 'district_id', 'day', 'key'])
    .execute();
  // City-wide reports read one dimension over a period across districts.
  await sql`CREATE INDEX report_daily_dim_day_idx ON report_daily (dim, day)`.execute(db);

  await db.schema.createTable('report_open')
    .addColumn('dim', 'text', (c) => c.notNull())
    .addColumn('district_id', 'uuid', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('open', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('overdue', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('report_open_pkey', ['dim', 'district_id', 'key'])
    .execute();

  // One row: the choices the definitions leave open (weights, no-feedback rule, ranking classes).
  await db.schema.createTable('report_settings')
    .addColumn('id', 'boolean', (c) => c.primaryKey().defaultTo(true).check(sql`id`))
    .addColumn('settings', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'text')
    .execute();

  // The supervisors' overdue list reads open lead tasks past their deadline.
  await sql`CREATE INDEX tasks_open_due_idx ON tasks (due_at) WHERE status IN ('to_sign', 'in_progress') AND role = 'lead'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS tasks_open_due_idx`.execute(db);
  await db.schema.dropTable('report_settings').execute();
  await db.schema.dropTable('report_open').execute();
  await db.schema.dropTable('report_daily').execute();
  await sql`DROP AGGREGATE report_hist_sum(int[])`.execute(db);
  await sql`DROP FUNCTION report_hist_add(int[], int[])`.execute(db);
  await sql`ALTER TABLE petition_events DROP COLUMN report_facts`.execute(db);
}
