/* eslint-disable @typescript-eslint/no-explicit-any -- migrations use Kysely<any>: they are frozen in time and must not import app types */
import { sql, type Kysely } from 'kysely';

// A month grain beside the daily one. A district-month dashboard summed ~1,800 daily rows (30 days
// × 60 categories), nearly all of its time spent adding duration histograms; report_monthly holds
// the same counts per China-local month, written in the same transaction, so a month reads 60 rows
// and a custom period reads its whole months here and only its partial months from report_daily.
const COUNTERS = [
  'received', 'dispatched', 'signed_on_time', 'returned', 'completed', 'completed_on_time', 'redone',
  'rated', 'rated_resolved', 'satisfied', 'basically_satisfied', 'dissatisfied', 'no_feedback',
  'sign_count', 'complete_count',
];

export async function up(db: Kysely<any>): Promise<void> {
  // The SQL version unnested and re-aggregated both arrays per row; PL/pgSQL adds in place, ~4× faster.
  await sql`
    CREATE OR REPLACE FUNCTION report_hist_add(a int[], b int[]) RETURNS int[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
    BEGIN
      IF b IS NULL THEN RETURN a; END IF;
      IF a IS NULL THEN RETURN b; END IF;
      FOR i IN 1 .. greatest(array_length(a, 1), array_length(b, 1)) LOOP
        a[i] := coalesce(a[i], 0) + coalesce(b[i], 0);
      END LOOP;
      RETURN a;
    END $$`.execute(db);

  let monthly = db.schema.createTable('report_monthly')
    .addColumn('dim', 'text', (c) => c.notNull())
    .addColumn('district_id', 'uuid', (c) => c.notNull())
    .addColumn('month', 'date', (c) => c.notNull().check(sql`extract(day FROM month) = 1`))
    .addColumn('key', 'text', (c) => c.notNull());
  for (const name of COUNTERS) monthly = monthly.addColumn(name, 'integer', (c) => c.notNull().defaultTo(0));
  await monthly
    .addColumn('sign_seconds', 'float8', (c) => c.notNull().defaultTo(0))
    .addColumn('complete_seconds', 'float8', (c) => c.notNull().defaultTo(0))
    .addColumn('sign_hist', sql`int[]`)
    .addColumn('complete_hist', sql`int[]`)
    .addPrimaryKeyConstraint('report_monthly_pkey', ['dim', 'district_id', 'month', 'key'])
    .execute();
  await sql`CREATE INDEX report_monthly_dim_month_idx ON report_monthly (dim, month)`.execute(db);

  // An upgraded installation keeps its history.
  const cols = [...COUNTERS, 'sign_seconds', 'complete_seconds'];
  await sql`
    INSERT INTO report_monthly (dim, district_id, month, key, ${sql.raw(cols.join(', '))}, sign_hist, complete_hist)
    SELECT dim, district_id, date_trunc('month', day)::date, key, ${sql.raw(cols.map((c) => `sum(${c})`).join(', '))},
      report_hist_sum(sign_hist), report_hist_sum(complete_hist)
    FROM report_daily GROUP BY 1, 2, 3, 4`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('report_monthly').execute();
  await sql`
    CREATE OR REPLACE FUNCTION report_hist_add(a int[], b int[]) RETURNS int[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT CASE WHEN a IS NULL THEN b WHEN b IS NULL THEN a ELSE
        (SELECT array_agg(coalesce(x, 0) + coalesce(y, 0) ORDER BY i) FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i)) END
    $$`.execute(db);
}
