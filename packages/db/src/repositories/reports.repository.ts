import { sql } from 'kysely';
import {
  addHistogram, dimensionKeys, emptyCounters, HISTOGRAM_BUCKETS, histogramBucket, monthStart, REPORT_COUNTERS, REPORT_DIMENSIONS, reportDeltas, splitByMonth,
  type Counters, type ReportDimension, type ReportEvent, type ReportPetition, type ReportSettings,
} from '@petitions/domain';
import type { DbOrTx, Tx } from '../connection.js';

/** One rollup row of a time grain: `period` is the day, or the month's first day. */
interface PeriodRow {
  dim: ReportDimension;
  district_id: string;
  period: string;
  key: string;
  counters: Counters;
  sign_hist: number[] | null;
  complete_hist: number[] | null;
}

interface OpenRow {
  dim: ReportDimension;
  district_id: string;
  key: string;
  open: number;
  overdue: number;
}

function oneHot(seconds: number): number[] {
  const h = new Array<number>(HISTOGRAM_BUCKETS).fill(0);
  h[histogramBucket(seconds)] = 1;
  return h;
}

/**
 * The report counts of a batch of events, summed per rollup row so each row is written once
 * (an upsert may not touch the same row twice in one statement).
 */
export class RollupBatch {
  private readonly daily = new Map<string, PeriodRow>();
  private readonly monthly = new Map<string, PeriodRow>();
  private readonly open = new Map<string, OpenRow>();

  add(petition: ReportPetition, event: ReportEvent): void {
    const { days, open } = reportDeltas(event);
    for (const d of days) {
      const keys = dimensionKeys(petition, d.unit);
      for (const dim of REPORT_DIMENSIONS) {
        for (const [rows, period] of [[this.daily, d.day], [this.monthly, monthStart(d.day)]] as const) {
          const id = `${dim}\u0000${petition.districtId}\u0000${period}\u0000${keys[dim]}`;
          let row = rows.get(id);
          if (!row) {
            row = { dim, district_id: petition.districtId, period, key: keys[dim], counters: emptyCounters(), sign_hist: null, complete_hist: null };
            rows.set(id, row);
          }
          for (const [k, v] of Object.entries(d.counters) as [keyof Counters, number][]) row.counters[k] += v;
          if (d.signSeconds !== undefined) row.sign_hist = addHistogram(row.sign_hist, oneHot(d.signSeconds));
          if (d.completeSeconds !== undefined) row.complete_hist = addHistogram(row.complete_hist, oneHot(d.completeSeconds));
        }
      }
    }
    for (const o of open) {
      const keys = dimensionKeys(petition, o.unit);
      for (const dim of REPORT_DIMENSIONS) {
        const id = `${dim}\u0000${petition.districtId}\u0000${keys[dim]}`;
        const row = this.open.get(id) ?? { dim, district_id: petition.districtId, key: keys[dim], open: 0, overdue: 0 };
        row.open += o.open;
        row.overdue += o.overdue;
        this.open.set(id, row);
      }
    }
  }

  get size(): number {
    return this.daily.size + this.monthly.size + this.open.size;
  }

  /** Rows in primary-key order: concurrent batches then lock shared rows in the same order and cannot deadlock. */
  dailyRows(): PeriodRow[] {
    return sortPeriodRows(this.daily);
  }

  monthlyRows(): PeriodRow[] {
    return sortPeriodRows(this.monthly);
  }

  openRows(): OpenRow[] {
    return [...this.open.values()]
      .filter((r) => r.open !== 0 || r.overdue !== 0)
      .sort((a, b) => cmp(a.dim, b.dim) || cmp(a.district_id, b.district_id) || cmp(a.key, b.key));
  }

  clear(): void {
    this.daily.clear();
    this.monthly.clear();
    this.open.clear();
  }
}

const sortPeriodRows = (rows: Map<string, PeriodRow>) =>
  [...rows.values()].sort((a, b) => cmp(a.dim, b.dim) || cmp(a.district_id, b.district_id) || cmp(a.period, b.period) || cmp(a.key, b.key));

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Rows per statement: keeps each INSERT under Postgres's 65,535 parameters. */
const CHUNK = 1000;

/** Upsert one grain's rows, adding to what is there. */
async function addPeriodRows(trx: Tx, table: 'report_daily' | 'report_monthly', rows: PeriodRow[]): Promise<void> {
  const t = sql.table(table);
  const period = sql.ref(table === 'report_daily' ? 'day' : 'month');
  const counters = REPORT_COUNTERS.map((k) => sql.ref(k));
  for (let i = 0; i < rows.length; i += CHUNK) {
    const values = rows.slice(i, i + CHUNK).map((r) => sql`(${r.dim}, ${r.district_id}::uuid, ${r.period}::date, ${r.key},
      ${sql.join(REPORT_COUNTERS.map((k) => r.counters[k]))}, ${r.sign_hist}::int[], ${r.complete_hist}::int[])`);
    await sql`
      INSERT INTO ${t} (dim, district_id, ${period}, key, ${sql.join(counters)}, sign_hist, complete_hist)
      VALUES ${sql.join(values)}
      ON CONFLICT (dim, district_id, ${period}, key) DO UPDATE SET
        ${sql.join(counters.map((k) => sql`${k} = ${t}.${k} + excluded.${k}`))},
        sign_hist = report_hist_add(${t}.sign_hist, excluded.sign_hist),
        complete_hist = report_hist_add(${t}.complete_hist, excluded.complete_hist)`.execute(trx);
  }
}

/** Add a batch's counts to the rollups. Call it last in the transaction: shared rows stay locked until commit. */
export async function writeRollups(trx: Tx, batch: RollupBatch): Promise<void> {
  await addPeriodRows(trx, 'report_daily', batch.dailyRows());
  await addPeriodRows(trx, 'report_monthly', batch.monthlyRows());
  const open = batch.openRows();
  for (let i = 0; i < open.length; i += CHUNK) {
    await trx.insertInto('report_open').values(open.slice(i, i + CHUNK))
      .onConflict((oc) => oc.columns(['dim', 'district_id', 'key']).doUpdateSet((eb) => ({
        open: eb('report_open.open', '+', eb.ref('excluded.open')),
        overdue: eb('report_open.overdue', '+', eb.ref('excluded.overdue')),
      })))
      .execute();
  }
}

// ------------------------------------------------------------------------------------------------
// Reading

export interface ReportQuery {
  dim: ReportDimension;
  /** Inclusive China-local dates, 'YYYY-MM-DD'. */
  from: string;
  to: string;
  /** null: every district. */
  districtIds: readonly string[] | null;
}

export interface SummedRow {
  key: string;
  counters: Counters;
  signHist: number[] | null;
  completeHist: number[] | null;
}

const sumColumns = REPORT_COUNTERS.map((k) => sql.raw(`coalesce(sum(${k}), 0)::float8 AS ${k}`));

function toSummed(r: Record<string, unknown>): SummedRow {
  const counters = emptyCounters();
  for (const k of REPORT_COUNTERS) counters[k] = Number(r[k] ?? 0);
  return { key: String(r.key), counters, signHist: (r.sign_hist as number[] | null) ?? null, completeHist: (r.complete_hist as number[] | null) ?? null };
}

/** A missing value ('' : no street, not dispatched …) is kept apart per district: 'none:<district id>'. */
const GROUP_KEY = sql`CASE WHEN key = '' THEN 'none:' || district_id::text ELSE key END`;
/** Category × street clusters without a street, likewise: '<category>|none:<district id>'. */
const CLUSTER_KEY = sql`CASE WHEN key LIKE '%|' THEN key || 'none:' || district_id::text ELSE key END`;

const districtFilter = (ids: readonly string[] | null) =>
  ids === null ? sql`` : ids.length === 0 ? sql`AND false` : sql`AND district_id = ANY(${[...ids]}::uuid[])`;

/**
 * The rollup rows of one dimension over a period, as a FROM item `r` (district_id, key, period,
 * counters, histograms): its whole months from report_monthly, the days outside them from report_daily.
 */
function rollupRows(q: ReportQuery & { key?: string }) {
  const { months, days } = splitByMonth(q.from, q.to);
  const where = sql`dim = ${q.dim} ${districtFilter(q.districtIds)} ${q.key === undefined ? sql`` : sql`AND key = ${q.key}`}`;
  const cols = sql.join([...REPORT_COUNTERS, 'sign_hist', 'complete_hist'].map((c) => sql.ref(c)));
  const parts = [];
  if (days.length > 0 || !months) {
    const ranges = days.length === 0 ? sql`false` : sql.join(days.map(([a, b]) => sql`day BETWEEN ${a}::date AND ${b}::date`), sql` OR `);
    parts.push(sql`SELECT district_id, key, day AS period, ${cols} FROM report_daily WHERE ${where} AND (${ranges})`);
  }
  if (months) parts.push(sql`SELECT district_id, key, month AS period, ${cols} FROM report_monthly WHERE ${where} AND month BETWEEN ${months[0]}::date AND ${months[1]}::date`);
  return sql`(${sql.join(parts, sql` UNION ALL `)}) r`;
}

/** Counters and duration histograms per dimension value over a period. */
export async function summarize(db: DbOrTx, q: ReportQuery & { withHistograms?: boolean }): Promise<SummedRow[]> {
  const hists = q.withHistograms === false
    ? sql`NULL::int[] AS sign_hist, NULL::int[] AS complete_hist`
    : sql`report_hist_sum(sign_hist) AS sign_hist, report_hist_sum(complete_hist) AS complete_hist`;
  const { rows } = await sql<Record<string, unknown>>`
    SELECT ${GROUP_KEY} AS key, ${sql.join(sumColumns)}, ${hists}
    FROM ${rollupRows(q)}
    GROUP BY 1`.execute(db);
  return rows.map(toSummed);
}

/** Counters per month (first day of the month as key) over a period: every event counts once per dimension, so one dimension sums to the totals. */
export async function monthlyTotals(db: DbOrTx, q: Omit<ReportQuery, 'dim'> & { dim?: ReportDimension; key?: string }): Promise<SummedRow[]> {
  const { rows } = await sql<Record<string, unknown>>`
    SELECT to_char(period, 'YYYY-MM') AS key, ${sql.join(sumColumns)},
      report_hist_sum(sign_hist) AS sign_hist, report_hist_sum(complete_hist) AS complete_hist
    FROM ${rollupRows({ ...q, dim: q.dim ?? 'channel' })}
    GROUP BY 1 ORDER BY 1`.execute(db);
  return rows.map(toSummed);
}

/** Open and overdue petitions now, per dimension value. */
export async function openCounts(db: DbOrTx, q: Pick<ReportQuery, 'dim' | 'districtIds'>): Promise<Map<string, { open: number; overdue: number }>> {
  const { rows } = await sql<{ key: string; open: number; overdue: number }>`
    SELECT ${GROUP_KEY} AS key, sum(open)::int AS open, sum(overdue)::int AS overdue
    FROM report_open WHERE dim = ${q.dim} ${districtFilter(q.districtIds)}
    GROUP BY 1 HAVING sum(open) <> 0 OR sum(overdue) <> 0`.execute(db);
  return new Map(rows.map((r) => [r.key, { open: r.open, overdue: r.overdue }]));
}

/** Requests received per category × street cluster over a period. */
export async function clusterVolumes(db: DbOrTx, q: Omit<ReportQuery, 'dim'>): Promise<Map<string, number>> {
  const { rows } = await sql<{ key: string; received: number }>`
    SELECT ${CLUSTER_KEY} AS key, sum(received)::int AS received FROM ${rollupRows({ ...q, dim: 'category_street' })}
    GROUP BY 1 HAVING sum(received) > 0`.execute(db);
  return new Map(rows.map((r) => [r.key, r.received]));
}

/** The dimension value of a task's petition, keyed as the rollups are (see GROUP_KEY); or the China-local month of its dispatch. */
const TASK_KEY: Record<ReportDimension | 'month', ReturnType<typeof sql>> = {
  month: sql`to_char(t.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')`,
  unit: sql`t.unit_id::text`,
  street: sql`coalesce(p.street_id::text, 'none:' || p.district_id::text)`,
  community: sql`coalesce(p.community_id::text, 'none:' || p.district_id::text)`,
  category: sql`p.category_id::text`,
  channel: sql`p.channel`,
  category_street: sql`p.category_id::text || '|' || coalesce(p.street_id::text, 'none:' || p.district_id::text)`,
};

/**
 * Lead tasks dispatched in the period and still within their sign-for time now, per dimension
 * value: not yet a success or a failure, so 响应率 leaves them out. Few at any moment (a few hours of
 * dispatches), read live from the tasks.
 */
export async function awaitingSignFor(db: DbOrTx, q: Omit<ReportQuery, 'dim'> & { dim: ReportDimension | 'month'; now: Date }): Promise<Map<string, number>> {
  const { rows } = await sql<{ key: string; n: number }>`
    SELECT ${TASK_KEY[q.dim]} AS key, count(*)::int AS n
    FROM tasks t JOIN petitions p ON p.id = t.petition_id
    WHERE t.role = 'lead' AND t.status = 'to_sign' AND t.due_at > ${q.now}
      AND (t.created_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN ${q.from}::date AND ${q.to}::date
      ${q.districtIds === null ? sql`` : q.districtIds.length === 0 ? sql`AND false` : sql`AND p.district_id = ANY(${[...q.districtIds]}::uuid[])`}
    GROUP BY 1`.execute(db);
  return new Map(rows.map((r) => [r.key, r.n]));
}

export interface OverdueItem {
  petition_id: string;
  tracking_no: string;
  title: string;
  state: string;
  urgency: string;
  category_id: string;
  district_id: string;
  street_id: string | null;
  unit_id: string;
  task_status: string;
  due_at: Date;
}

/** Open lead tasks past their deadline (sign-for or handling), oldest first; suspended petitions' clocks are paused. */
export async function listOverdue(db: DbOrTx, q: { districtIds: readonly string[] | null; now: Date; limit: number; offset: number }): Promise<{ items: OverdueItem[]; total: number }> {
  const base = db.selectFrom('tasks')
    .innerJoin('petitions', 'petitions.id', 'tasks.petition_id')
    .where('tasks.role', '=', 'lead')
    .where('tasks.status', 'in', ['to_sign', 'in_progress'])
    .where('tasks.due_at', '<', q.now)
    .where('petitions.state', '!=', 'suspended')
    .$if(q.districtIds !== null, (qb) => (q.districtIds!.length === 0 ? qb.where(sql<boolean>`false`) : qb.where('petitions.district_id', 'in', [...q.districtIds!])));
  const [items, total] = await Promise.all([
    base.select([
      'petitions.id as petition_id', 'petitions.tracking_no', 'petitions.title', 'petitions.state', 'petitions.urgency', 'petitions.category_id',
      'petitions.district_id', 'petitions.street_id', 'tasks.unit_id', 'tasks.status as task_status', 'tasks.due_at',
    ]).orderBy('tasks.due_at').limit(q.limit).offset(q.offset).execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: items as OverdueItem[], total: Number(total.n) };
}

// ------------------------------------------------------------------------------------------------
// Settings and rebuild

export async function loadSettings(db: DbOrTx, defaults: ReportSettings): Promise<ReportSettings> {
  const row = await db.selectFrom('report_settings').select('settings').executeTakeFirst();
  if (!row) return defaults;
  // Settings saved before a field existed take its default.
  const s = row.settings;
  return {
    ...defaults, ...s,
    weights: { ...defaults.weights, ...s.weights },
    satisfactionPoints: { ...defaults.satisfactionPoints, ...s.satisfactionPoints },
    ranking: { ...defaults.ranking, ...s.ranking },
  };
}

export async function saveSettings(db: DbOrTx, settings: ReportSettings, by: string): Promise<void> {
  await db.insertInto('report_settings').values({ id: true, settings: JSON.stringify(settings), updated_at: new Date(), updated_by: by })
    .onConflict((oc) => oc.column('id').doUpdateSet({ settings: JSON.stringify(settings), updated_at: new Date(), updated_by: by }))
    .execute();
}

/** Events read per page while rebuilding. */
const REBUILD_PAGE = 5000;
/** Rollup rows held in memory before they are written. */
const REBUILD_FLUSH_ROWS = 50_000;

/** Events with what the rollups need of them and of their petition. */
const reportEvents = (trx: Tx) => trx.selectFrom('petition_events as e')
  .innerJoin('petitions as p', 'p.id', 'e.petition_id')
  .select(['e.id', 'e.type', 'e.seq', 'e.from_state', 'e.to_state', 'e.occurred_at', 'e.data', 'e.report_facts',
    'p.district_id', 'p.street_id', 'p.community_id', 'p.category_id', 'p.channel'])
  .where('e.report_facts', 'is not', null);

function addEvents(batch: RollupBatch, rows: Awaited<ReturnType<ReturnType<typeof reportEvents>['execute']>>): void {
  for (const r of rows) {
    if (!r.report_facts) continue;
    batch.add(
      { districtId: r.district_id, streetId: r.street_id, communityId: r.community_id, categoryId: r.category_id, channel: r.channel },
      { type: r.type, seq: r.seq, fromState: r.from_state, toState: r.to_state, occurredAt: r.occurred_at, data: r.data, facts: r.report_facts },
    );
  }
}

/**
 * Fold up to `limit` events of the backlog into the rollups, in the caller's transaction: the
 * backlog rows go and the counts arrive together, so each event is counted exactly once. Rows
 * another folder holds are skipped; rollup rows are written in key order, so folders running at
 * once cannot deadlock. Returns the number of events folded.
 */
export async function foldBacklog(trx: Tx, limit: number): Promise<number> {
  const claimed = await sql<{ event_id: string }>`
    DELETE FROM report_backlog WHERE event_id IN (
      SELECT event_id FROM report_backlog ORDER BY event_id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING event_id`.execute(trx);
  if (claimed.rows.length === 0) return 0;
  const batch = new RollupBatch();
  addEvents(batch, await reportEvents(trx).where(sql<boolean>`e.id = ANY(${claimed.rows.map((r) => r.event_id)}::bigint[])`).execute());
  await writeRollups(trx, batch);
  return claimed.rows.length;
}

/** Events waiting to be folded into the rollups. */
export async function backlogSize(db: DbOrTx): Promise<number> {
  const r = await db.selectFrom('report_backlog').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Recompute every rollup from the event log, in one transaction. TRUNCATE locks the rollup tables
 * and the backlog first: a worker that commits meanwhile waits on the backlog, and its events are
 * folded in after the rebuild; events are read READ COMMITTED, so those committed before the lock
 * are all seen, and their backlog rows go with the TRUNCATE.
 */
export async function rebuildRollups(trx: Tx, onProgress?: (events: number) => void): Promise<{ events: number }> {
  await sql`TRUNCATE report_daily, report_monthly, report_open, report_backlog`.execute(trx);
  const batch = new RollupBatch();
  let after = '0';
  let events = 0;
  for (;;) {
    const page = await reportEvents(trx).where(sql`e.id`, '>', sql`${after}::bigint`).orderBy(sql`e.id`).limit(REBUILD_PAGE).execute();
    if (page.length === 0) break;
    addEvents(batch, page);
    events += page.length;
    after = String(page[page.length - 1]!.id);
    if (batch.size >= REBUILD_FLUSH_ROWS) { await writeRollups(trx, batch); batch.clear(); }
    onProgress?.(events);
  }
  await writeRollups(trx, batch);
  return { events };
}
