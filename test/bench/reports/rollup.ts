import pg from 'pg';
import { HISTOGRAM_BUCKETS, histogramBucket, REPORT_COUNTERS, REPORT_DIMENSIONS, type ReportDimension } from '@petitions/domain';
import { FACTS_TABLE } from './generate.js';

/**
 * report_daily and report_open built from the petition facts with set-based SQL, with the
 * semantics of `reportDeltas` (packages/domain/src/reports.ts) as the live worker applies them:
 * each fact is expanded into the events that count (LATERAL VALUES), each event lands on its
 * China-local day and lead unit, and is summed per day × district × dimension value. The same
 * expansion, filtered and grouped directly, is the full-scan baseline (queries.ts).
 */

/** Columns of one expanded event after the petition's dimensions: what it is, when it counts, under which unit, what it adds. */
const VALUE_COLUMNS = [
  'kind', 'at', 'unit', 'received', 'dispatched', 'signed_on_time', 'returned', 'completed', 'completed_on_time', 'redone', 'rated',
  'rated_resolved', 'satisfied', 'basically_satisfied', 'dissatisfied', 'no_feedback', 'sign_secs', 'complete_secs', 'open', 'overdue',
] as const;

/**
 * The facts expanded into the events that count, as a subquery `ev` with the columns district,
 * street, community, category, channel and VALUE_COLUMNS: a UNION ALL with one scan of the facts
 * per kind of event. Kinds: 1 intake (SUBMIT: received, and when a rule routed it, dispatched plus
 * the first task's sign-for or return, which count on the dispatch day); 2 the first dispatch by a
 * dispatcher, with that task's sign-for or return; 3 the re-dispatch after a return, with its
 * sign-for; 4 the completion a redo replaced; 5 the dissatisfied rating that sent it back; 6 the
 * completion; 7 the rating or the close without feedback; with `openRow`, 0: an open petition's
 * count now under its current unit (at = NULL). `where` restricts the facts (columns as f.…).
 */
export function eventsSql(opts: { openRow: boolean; where?: string }): string {
  const firstUnit = 'CASE WHEN f.returned = 1 THEN f.return_unit ELSE f.unit END';
  const firstAt = 'CASE WHEN f.returned = 1 THEN f.return_dispatched_at ELSE f.dispatched_at END';
  // The sign-for of the task dispatched to f.unit, counted on its dispatch day.
  const signOnTime = 'coalesce((f.signed_at <= f.sign_due_at)::int, 0)';
  const signSecs = "date_part('epoch', f.signed_at - f.dispatched_at)";
  const is = (col: string, v: string) => `(f.${col} IS NOT DISTINCT FROM '${v}')::int`;
  const n = 'NULL::float8';
  // Each kind of event: the condition under which a fact has it, and its VALUE_COLUMNS after kind:
  // (at, unit, received, dispatched, signed_on_time, returned, completed, completed_on_time, redone, rated, rated_resolved,
  //  satisfied, basically_satisfied, dissatisfied, no_feedback, sign_secs, complete_secs, open, overdue). Common kinds first.
  const kinds: { kind: number; when: string; values: string }[] = [
    { kind: 1, when: 'true', values: `f.received_at, CASE WHEN f.routed THEN ${firstUnit} END, 1, f.routed::int,
      CASE WHEN f.routed AND f.returned = 0 THEN ${signOnTime} ELSE 0 END, CASE WHEN f.routed THEN f.returned::int ELSE 0 END,
      0, 0, 0, 0, 0, 0, 0, 0, 0, CASE WHEN f.routed AND f.returned = 0 THEN ${signSecs} END, ${n}, 0, 0` },
    { kind: 6, when: 'f.completed_at IS NOT NULL', values: `f.completed_at, f.unit, 0, 0, 0, 0,
      1, coalesce((f.completed_at <= CASE WHEN f.redone = 1 THEN f.redo_due_at ELSE f.handling_due_at END)::int, 0), 0, 0, 0, 0, 0, 0, 0,
      ${n}, date_part('epoch', f.completed_at - f.received_at), 0, 0` },
    { kind: 7, when: '(f.rated_at IS NOT NULL OR f.no_feedback_at IS NOT NULL)', values: `coalesce(f.rated_at, f.no_feedback_at), f.unit, 0, 0, 0, 0, 0, 0, 0,
      (f.rated_at IS NOT NULL)::int, CASE WHEN f.rated_at IS NOT NULL THEN coalesce(f.resolved, false)::int ELSE 0 END,
      ${is('satisfaction', 'satisfied')}, ${is('satisfaction', 'basically_satisfied')}, ${is('satisfaction', 'dissatisfied')},
      (f.no_feedback_at IS NOT NULL)::int, ${n}, ${n}, 0, 0` },
    ...(opts.openRow ? [{ kind: 0, when: 'f.open', values: `NULL::timestamptz, f.unit, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ${n}, ${n}, f.open::int, f.overdue::int` }] : []),
    { kind: 2, when: `NOT f.routed AND ${firstAt} IS NOT NULL`, values: `CASE WHEN NOT f.routed THEN ${firstAt} END, ${firstUnit}, 0, 1,
      CASE WHEN f.returned = 0 THEN ${signOnTime} ELSE 0 END, f.returned::int,
      0, 0, 0, 0, 0, 0, 0, 0, 0, CASE WHEN f.returned = 0 THEN ${signSecs} END, ${n}, 0, 0` },
    { kind: 3, when: 'f.returned = 1 AND f.dispatched_at IS NOT NULL', values: `CASE WHEN f.returned = 1 THEN f.dispatched_at END, f.unit, 0, 1, ${signOnTime}, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, ${signSecs}, ${n}, 0, 0` },
    { kind: 4, when: 'f.redo_completed_at IS NOT NULL', values: `f.redo_completed_at, f.unit, 0, 0, 0, 0,
      1, coalesce((f.redo_completed_at <= f.handling_due_at)::int, 0), 0, 0, 0, 0, 0, 0, 0,
      ${n}, date_part('epoch', f.redo_completed_at - f.received_at), 0, 0` },
    { kind: 5, when: 'f.redo_rated_at IS NOT NULL', values: `f.redo_rated_at, f.unit, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, ${n}, ${n}, 0, 0` },
  ];
  const dims = 'f.district, f.street, f.community, f.category, f.channel';
  // One scan of the facts per kind. (A LATERAL VALUES list over one scan is ~10× slower: Postgres
  // compiles its expressions again for every outer row.)
  const branches = kinds.map(({ kind, when, values }) =>
    `SELECT ${dims}, ${kind}, ${values} FROM ${FACTS_TABLE} f WHERE ${when}${opts.where ? ` AND (${opts.where})` : ''}`);
  return `(${branches.join('\n UNION ALL\n')}) AS ev(district, street, community, category, channel, ${VALUE_COLUMNS.join(', ')})`;
}

/**
 * The columns a dimension groups by (uuids, cheap to hash), and its value as `dimensionKeys` gives it
 * (stored in the rollups); `alias`: the columns' table, when they need one.
 */
export function dimGroup(dim: ReportDimension, alias?: string): { cols: string; key: string } {
  const col = (name: string) => (alias ? `${alias}.${name}` : name);
  switch (dim) {
    case 'unit': return { cols: col('unit'), key: `coalesce(${col('unit')}::text, '')` };
    case 'street': return { cols: col('street'), key: `coalesce(${col('street')}::text, '')` };
    case 'community': return { cols: col('community'), key: `coalesce(${col('community')}::text, '')` };
    case 'category': return { cols: col('category'), key: `${col('category')}::text` };
    case 'channel': return { cols: col('channel'), key: col('channel') };
    case 'category_street': return { cols: `${col('category')}, ${col('street')}`, key: `${col('category')}::text || '|' || coalesce(${col('street')}::text, '')` };
  }
}

/** The value as the reports group it: a missing one ('') apart per district, 'none:<district id>' (reportsRepo's GROUP_KEY). */
export function reportKey(dim: ReportDimension): string {
  const none = "'none:' || district::text";
  switch (dim) {
    case 'unit': return `coalesce(unit::text, ${none})`;
    case 'street': return `coalesce(street::text, ${none})`;
    case 'community': return `coalesce(community::text, ${none})`;
    case 'category': return 'category::text';
    case 'channel': return 'channel';
    case 'category_street': return `category::text || '|' || coalesce(street::text, ${none})`;
  }
}

/** `histogramBucket` in SQL: 0 under a second, else 1 + floor(4·log2(seconds)), at most HISTOGRAM_BUCKETS − 1. */
export function bucketSql(seconds: string): string {
  return `CASE WHEN ${seconds} IS NULL THEN NULL WHEN ${seconds} >= 1
    THEN least(${HISTOGRAM_BUCKETS - 1}, 1 + floor(4 * ln(${seconds}) / ln(2.0) + 1e-9))::int ELSE 0 END`;
}

/**
 * The SQL bucket formula must be the domain's: compared on every whole second up to a day and on a
 * spread of longer durations up to a year. Throws on the first difference (the domain changed).
 */
export async function assertBucketFormula(client: pg.Client): Promise<void> {
  const seconds = [0, 0.5, ...Array.from({ length: 86_401 }, (_, i) => i), ...Array.from({ length: 4000 }, (_, i) => 86_400 + i * 7919)];
  const { rows } = await client.query<{ b: number }>(`SELECT ${bucketSql('s')} AS b FROM unnest($1::float8[]) WITH ORDINALITY u(s, i) ORDER BY i`, [seconds]);
  seconds.forEach((s, i) => {
    if (rows[i]?.b !== histogramBucket(s)) throw new Error(`rollup.ts bucketSql gives ${rows[i]?.b} for ${s} s, histogramBucket ${histogramBucket(s)}: update it to the domain's formula`);
  });
}

/** The China-local date of an instant (UTC+8, no daylight saving; a fixed offset is much cheaper than a zone name). */
export const CHINA_DAY = (ts: string) => `(${ts} AT TIME ZONE INTERVAL '+08:00')::date`;

/** Sparse (bucket, count) pairs → the dense int[HISTOGRAM_BUCKETS] the worker stores; NULL when there are none. */
const HIST_FUNCTION = `
  CREATE OR REPLACE FUNCTION bench_hist_dense(bs int[], ns int[]) RETURNS int[] LANGUAGE plpgsql IMMUTABLE AS $$
  DECLARE
    h int[] := array_fill(0, ARRAY[${HISTOGRAM_BUCKETS}]);
  BEGIN
    IF bs IS NULL THEN RETURN NULL; END IF;
    FOR i IN 1 .. array_length(bs, 1) LOOP
      h[bs[i] + 1] := h[bs[i] + 1] + ns[i];
    END LOOP;
    RETURN h;
  END $$`;

export const COUNTER_EVENT_COLUMNS = REPORT_COUNTERS.filter((c) => !['sign_count', 'sign_seconds', 'complete_count', 'complete_seconds'].includes(c));

/** One dimension's rows of report_daily, into an unlogged staging table (CREATE TABLE AS). */
function stagingSql(dim: ReportDimension): string {
  const { cols, key } = dimGroup(dim);
  const sums = COUNTER_EVENT_COLUMNS.map((c) => `sum(${c})::int AS ${c}`).join(', ');
  return `
    CREATE UNLOGGED TABLE bench_rollup_${dim} AS
    WITH ev AS (
      SELECT district, ${CHINA_DAY('at')} AS day, ${cols}, ${COUNTER_EVENT_COLUMNS.join(', ')}, sign_secs, complete_secs,
        CASE WHEN sign_secs IS NOT NULL THEN 1 WHEN complete_secs IS NOT NULL THEN 2 ELSE 0 END AS hk,
        ${bucketSql('coalesce(sign_secs, complete_secs)')} AS b
      FROM ${eventsSql({ openRow: false })}
      WHERE at IS NOT NULL
    ), by_bucket AS (
      SELECT district, day, ${cols}, hk, b, count(*)::int AS n, ${sums}, sum(sign_secs) AS sign_secs, sum(complete_secs) AS complete_secs
      FROM ev GROUP BY district, day, ${cols}, hk, b
    )
    SELECT '${dim}'::text AS dim, district AS district_id, day, ${key} AS key, ${sums},
      coalesce(sum(n) FILTER (WHERE hk = 1), 0)::int AS sign_count, coalesce(sum(n) FILTER (WHERE hk = 2), 0)::int AS complete_count,
      coalesce(sum(sign_secs), 0)::float8 AS sign_seconds, coalesce(sum(complete_secs), 0)::float8 AS complete_seconds,
      bench_hist_dense(array_agg(b) FILTER (WHERE hk = 1), array_agg(n) FILTER (WHERE hk = 1)) AS sign_hist,
      bench_hist_dense(array_agg(b) FILTER (WHERE hk = 2), array_agg(n) FILTER (WHERE hk = 2)) AS complete_hist
    FROM by_bucket GROUP BY district, day, ${cols}`;
}

const DAILY_COLUMNS = ['dim', 'district_id', 'day', 'key', ...COUNTER_EVENT_COLUMNS, 'sign_count', 'complete_count', 'sign_seconds', 'complete_seconds', 'sign_hist', 'complete_hist'];

export interface BuildResult {
  ms: number;
  /** Staging (the aggregation) per dimension, ms. */
  dimensionMs: Record<string, number>;
  loadMs: number;
  indexMs: number;
  /** report_monthly summed from report_daily, with its indexes. */
  monthlyMs: number;
  monthlyRows: number;
  openMs: number;
  analyzeMs: number;
  dailyRows: Record<string, number>;
  openRows: number;
  dailyBytes: number;
  openBytes: number;
}

/**
 * Build the rollups: each dimension aggregated into a staging table (`parallel` at once, one
 * connection each), then loaded into report_daily with its indexes dropped and re-created (the
 * same definitions as migration 0010), then report_open, then ANALYZE.
 */
export async function buildRollups(databaseUrl: string, parallel: number, log: (line: string) => void): Promise<BuildResult> {
  const t0 = performance.now();
  const connect = async (name: string) => {
    const c = new pg.Client({ connectionString: databaseUrl, application_name: `bench-reports-${name}` });
    await c.connect();
    // The build's own session: memory for the hash aggregates, no parallel workers (the dimensions run side by side instead).
    await c.query(`SET work_mem = '1GB'; SET max_parallel_workers_per_gather = 0; SET jit = off`);
    return c;
  };
  const main = await connect('build');
  const dimensionMs: Record<string, number> = {};
  try {
    await assertBucketFormula(main);
    await main.query(HIST_FUNCTION);
    const queue = [...REPORT_DIMENSIONS].sort((a, b) => (a === 'category_street' ? -1 : b === 'category_street' ? 1 : 0));
    await Promise.all(Array.from({ length: Math.min(parallel, queue.length) }, async (_, w) => {
      const c = await connect(`build-${w}`);
      try {
        for (let dim = queue.shift(); dim !== undefined; dim = queue.shift()) {
          const t = performance.now();
          await c.query(`DROP TABLE IF EXISTS bench_rollup_${dim}`);
          await c.query(stagingSql(dim));
          const took = performance.now() - t;
          dimensionMs[dim] = took;
          log(`rollup: ${dim} aggregated in ${(took / 1000).toFixed(1)} s`);
        }
      } finally {
        await c.end();
      }
    }));

    let t = performance.now();
    await main.query('TRUNCATE report_daily, report_open');
    await main.query('ALTER TABLE report_daily DROP CONSTRAINT report_daily_pkey');
    await main.query('DROP INDEX report_daily_dim_day_idx');
    for (const dim of REPORT_DIMENSIONS) {
      await main.query(`INSERT INTO report_daily (${DAILY_COLUMNS.join(', ')}) SELECT ${DAILY_COLUMNS.join(', ')} FROM bench_rollup_${dim} ORDER BY district_id, day, key`);
      await main.query(`DROP TABLE bench_rollup_${dim}`);
    }
    const loadMs = performance.now() - t;
    t = performance.now();
    await main.query('SET maintenance_work_mem = \'1GB\'');
    await main.query('ALTER TABLE report_daily ADD CONSTRAINT report_daily_pkey PRIMARY KEY (dim, district_id, day, key)');
    await main.query('CREATE INDEX report_daily_dim_day_idx ON report_daily (dim, day)');
    const indexMs = performance.now() - t;

    // The month grain, summed from the days (the migration's backfill does the same).
    t = performance.now();
    const monthSums = [...COUNTER_EVENT_COLUMNS, 'sign_count', 'complete_count', 'sign_seconds', 'complete_seconds'].map((c) => `sum(${c})`).join(', ');
    await main.query('TRUNCATE report_monthly');
    await main.query('ALTER TABLE report_monthly DROP CONSTRAINT report_monthly_pkey');
    await main.query('DROP INDEX report_monthly_dim_month_idx');
    await main.query(`
      INSERT INTO report_monthly (${DAILY_COLUMNS.join(', ').replace('day', 'month')})
      SELECT dim, district_id, date_trunc('month', day)::date, key, ${monthSums}, report_hist_sum(sign_hist), report_hist_sum(complete_hist)
      FROM report_daily GROUP BY 1, 2, 3, 4 ORDER BY 2, 3, 4`);
    await main.query('ALTER TABLE report_monthly ADD CONSTRAINT report_monthly_pkey PRIMARY KEY (dim, district_id, month, key)');
    await main.query('CREATE INDEX report_monthly_dim_month_idx ON report_monthly (dim, month)');
    const monthlyMs = performance.now() - t;

    // Open now: every (dim, district, key) that ever counted had an open petition (the live worker
    // keeps those rows, at 0 when nothing is open), with the counts of the petitions open now.
    t = performance.now();
    const openKeys = REPORT_DIMENSIONS.map((dim) => `('${dim}', ${dimGroup(dim, 'f').key})`).join(', ');
    await main.query(`
      INSERT INTO report_open (dim, district_id, key, open, overdue)
      SELECT k.dim, k.district_id, k.key, coalesce(o.open, 0), coalesce(o.overdue, 0)
      FROM (SELECT DISTINCT dim, district_id, key FROM report_daily) k
      LEFT JOIN (
        SELECT d.dim, f.district AS district_id, d.key, count(*)::int AS open, (count(*) FILTER (WHERE f.overdue))::int AS overdue
        FROM ${FACTS_TABLE} f CROSS JOIN LATERAL (VALUES ${openKeys}) d(dim, key)
        WHERE f.open GROUP BY 1, 2, 3
      ) o USING (dim, district_id, key)`);
    const openMs = performance.now() - t;

    t = performance.now();
    await main.query('ANALYZE report_daily');
    await main.query('ANALYZE report_open');
    await main.query('ANALYZE report_monthly');
    const analyzeMs = performance.now() - t;

    const { rows } = await main.query<{ dim: string; n: string }>('SELECT dim, count(*)::text AS n FROM report_daily GROUP BY dim ORDER BY dim');
    const { rows: sizes } = await main.query<{ daily: string; open: string; open_rows: string; monthly_rows: string }>(
      `SELECT pg_total_relation_size('report_daily')::text AS daily, pg_total_relation_size('report_open')::text AS open,
        (SELECT count(*) FROM report_open)::text AS open_rows, (SELECT count(*) FROM report_monthly)::text AS monthly_rows`,
    );
    return {
      ms: performance.now() - t0, dimensionMs, loadMs, indexMs, monthlyMs, monthlyRows: Number(sizes[0]!.monthly_rows), openMs, analyzeMs,
      dailyRows: Object.fromEntries(rows.map((r) => [r.dim, Number(r.n)])),
      openRows: Number(sizes[0]!.open_rows), dailyBytes: Number(sizes[0]!.daily), openBytes: Number(sizes[0]!.open),
    };
  } finally {
    await main.end();
  }
}
