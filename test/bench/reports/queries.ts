import { Agent } from 'node:http';
import type pg from 'pg';
import { reportsRepo, type Db } from '@petitions/db';
import {
  addDays, addMonths, computeMeasures, emptyCounters, histogramQuantile, rankEntries, REPORT_COUNTERS,
  type Actor, type Counters, type ReportDimension, type ReportGrouping, type ReportSettings,
} from '@petitions/domain';
import type { ReferenceCache } from '../../../services/api/src/services/reference-cache.js';
import {
  hotIssues, loadReportSettings, nameResolver, rankingReport, reportScope, resolvePeriod, summaryReport, type Period,
} from '../../../services/api/src/services/reports.js';
import { httpRequest } from '../shared/http.js';
import { stats, type Stats } from '../shared/stats.js';
import type { Rng } from './random.js';
import { COUNTER_EVENT_COLUMNS, eventsSql, reportKey } from './rollup.js';

/**
 * The leaders' reports, timed: through the API's own service functions on the rollups (what a
 * GET /reports/… runs, minus HTTP), through the API process over HTTP, and computed straight from
 * the 10M facts (the full-scan baseline), with the same parameters drawn from the same sequence.
 */

export interface Timed {
  name: string;
  stats: Stats;
  /** Rows the last answer had (groups, ranked entries or hot issues). */
  rows: number;
}

/** The parameters queries vary over. */
export interface QueryPlan {
  districts: string[];
  /** The 12 calendar months up to now, 'YYYY-MM'. */
  months: string[];
  /** Today in China, 'YYYY-MM-DD'. */
  today: string;
}

/** The instant a China-local date starts. */
const chinaMidnight = (day: string) => new Date(`${day}T00:00:00+08:00`);

export function monthsUpTo(today: string): string[] {
  return Array.from({ length: 12 }, (_, i) => addMonths(today, i - 11).slice(0, 7));
}

/** A district-month: a district and a month drawn from the plan. */
export function districtMonth(plan: QueryPlan, rng: Rng): { districtId: string; period: Period } {
  const month = plan.months[rng.int(plan.months.length)]!;
  return { districtId: plan.districts[rng.int(plan.districts.length)]!, period: resolvePeriod('month', { date: `${month}-01` }) };
}

/** A city-year: the 365 days up to a day in the last 30 (custom period; its previous period is the 365 days before). */
export function cityYear(plan: QueryPlan, rng: Rng): Period {
  const to = addDays(plan.today, -rng.int(30));
  return resolvePeriod('custom', { from: addDays(to, -364), to });
}

export async function timeQuery(name: string, repeat: number, warmup: number, run: (i: number) => Promise<number>): Promise<Timed> {
  for (let i = 0; i < warmup; i++) await run(-1 - i);
  const ms: number[] = [];
  let rows = 0;
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    rows = await run(i);
    ms.push(performance.now() - t0);
  }
  return { name, stats: stats(ms), rows };
}

// ---------------------------------------------------------------------------------------------
// On the rollups, as the API's routes run them (scope, period, settings, report)

const ADMIN: Actor = { id: 'bench-leader', role: 'admin', unitId: null };

export interface ServiceContext {
  db: Db;
  reference: ReferenceCache;
}

export async function dashboardReport(ctx: ServiceContext, groupBy: ReportGrouping, districtId: string, period: Period) {
  const scope = await reportScope(ctx.db, ctx.reference, ADMIN, districtId);
  return summaryReport(ctx.db, ctx.reference, scope, period, groupBy, await loadReportSettings(ctx.db));
}

export async function cityRanking(ctx: ServiceContext, groupBy: 'street' | 'unit', period: Period) {
  const scope = await reportScope(ctx.db, ctx.reference, ADMIN, undefined);
  return rankingReport(ctx.db, ctx.reference, scope, period, groupBy, await loadReportSettings(ctx.db));
}

export async function hotIssueReport(ctx: ServiceContext, districtId: string | undefined, period: Period) {
  const scope = await reportScope(ctx.db, ctx.reference, ADMIN, districtId);
  return hotIssues(ctx.db, ctx.reference, scope, period, 10);
}

// ---------------------------------------------------------------------------------------------
// Straight from the facts: the same figures, one scan

export interface RawRow {
  key: string | null;
  counters: Counters;
  open: number;
  overdue: number;
  p90Sign: number | null;
  p90Complete: number | null;
}

const SUM_SELECT = [
  ...COUNTER_EVENT_COLUMNS.map((c) => `coalesce(sum(${c}), 0)::int AS ${c}`),
  'count(sign_secs)::int AS sign_count', 'coalesce(sum(sign_secs), 0)::float8 AS sign_seconds',
  'count(complete_secs)::int AS complete_count', 'coalesce(sum(complete_secs), 0)::float8 AS complete_seconds',
].join(', ');

function toRaw(r: Record<string, unknown>): RawRow {
  const counters = emptyCounters();
  for (const k of REPORT_COUNTERS) counters[k] = Number(r[k] ?? 0);
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return { key: (r.key as string | null) ?? null, counters, open: Number(r.open ?? 0), overdue: Number(r.overdue ?? 0), p90Sign: num(r.p90_sign), p90Complete: num(r.p90_complete) };
}

/** The district-month dashboard from the facts: per group and in total (key NULL), with exact P90s and the open counts now. */
export async function baselineDashboardRaw(pool: pg.Pool, dim: ReportDimension, districtId: string, period: Period): Promise<RawRow[]> {
  const key = reportKey(dim);
  const { rows } = await pool.query<Record<string, unknown>>(`
    SELECT ${key} AS key, ${SUM_SELECT},
      percentile_cont(0.9) WITHIN GROUP (ORDER BY sign_secs) AS p90_sign,
      percentile_cont(0.9) WITHIN GROUP (ORDER BY complete_secs) AS p90_complete,
      sum(open)::int AS open, sum(overdue)::int AS overdue
    FROM ${eventsSql({ openRow: true, where: 'f.district = $1' })}
    WHERE (at >= $2 AND at < $3) OR (kind = 0 AND open = 1)
    GROUP BY GROUPING SETS ((${key}), ())`,
  [districtId, chinaMidnight(period.from), chinaMidnight(addDays(period.to, 1))]);
  return rows.map(toRaw);
}

/** The city-wide counters per group for a period and the period before it (which must end where it starts), one scan. */
export async function baselineRankingRaw(pool: pg.Pool, dim: ReportDimension, period: Period): Promise<{ current: RawRow[]; previous: RawRow[] }> {
  if (addDays(period.previous.to, 1) !== period.from) throw new Error('baselineRankingRaw: the previous period must end the day before the period');
  const { rows } = await pool.query<Record<string, unknown>>(`
    SELECT at >= $2 AS cur, ${reportKey(dim)} AS key, ${SUM_SELECT}
    FROM ${eventsSql({ openRow: false })}
    WHERE at >= $1 AND at < $3
    GROUP BY 1, 2`,
  [chinaMidnight(period.previous.from), chinaMidnight(period.from), chinaMidnight(addDays(period.to, 1))]);
  return { current: rows.filter((r) => r.cur === true).map(toRaw), previous: rows.filter((r) => r.cur !== true).map(toRaw) };
}

/** The dashboard report from the facts, shaped as summaryReport's answer (P90s exact). */
export async function baselineDashboard(pool: pg.Pool, reference: ReferenceCache, settings: ReportSettings, groupBy: ReportGrouping, districtId: string, period: Period) {
  const raw = await baselineDashboardRaw(pool, groupBy, districtId, period);
  const measure = (r: RawRow) => ({
    ...computeMeasures({ counters: r.counters, signHist: null, completeHist: null, open: r.open, overdue: r.overdue }, settings),
    p90TimeToSign: r.p90Sign, p90TimeToComplete: r.p90Complete,
  });
  const names = nameResolver(reference, groupBy, { districtIds: [districtId] });
  const rows = [];
  for (const r of raw) if (r.key !== null) rows.push({ key: r.key, ...(await names(r.key)), measures: measure(r) });
  rows.sort((a, b) => b.measures.received - a.measures.received || a.name.localeCompare(b.name, 'zh-CN'));
  const total = raw.find((r) => r.key === null);
  return { period, groupBy, total: total ? measure(total) : null, rows };
}

/** The ranking from the facts, as rankingReport computes it from its two summaries. */
export async function baselineRanking(pool: pg.Pool, reference: ReferenceCache, settings: ReportSettings, groupBy: 'street' | 'unit', period: Period) {
  const { current, previous } = await baselineRankingRaw(pool, groupBy, period);
  // As rankingReport: petitions without a street (or not dispatched) are not a street (or unit) to rank.
  const measure = (rows: RawRow[]) => rows.filter((r) => r.key !== null && !r.key.startsWith('none:'))
    .map((r) => ({ key: r.key!, m: computeMeasures({ counters: r.counters, signHist: null, completeHist: null, open: 0, overdue: 0 }, settings) }));
  const cur = measure(current);
  const ranked = rankEntries(
    cur.map((c) => ({ key: c.key, score: c.m.compositeScore, received: c.m.received })),
    measure(previous).map((c) => ({ key: c.key, score: c.m.compositeScore, received: c.m.received })),
    settings.ranking,
  );
  const names = nameResolver(reference, groupBy, { districtIds: null });
  const rows = [];
  for (const e of ranked) rows.push({ ...e, ...(await names(e.key)) });
  return { period, groupBy, rows };
}

// ---------------------------------------------------------------------------------------------
// Cross-check: the rollups and the facts give the same counters

export interface Agreement {
  what: string;
  groups: number;
  mismatches: string[];
  /** |P90 from the histograms − exact P90| / exact, largest over the groups with ≥ 100 durations. */
  p90MaxRelDiff: { sign: number; complete: number } | null;
}

function compareCounters(what: string, rollup: Map<string, { counters: Counters; open?: number; overdue?: number }>, facts: Map<string, RawRow>, withOpen: boolean): string[] {
  const out: string[] = [];
  for (const key of new Set([...rollup.keys(), ...facts.keys()])) {
    const a = rollup.get(key);
    const b = facts.get(key);
    for (const k of REPORT_COUNTERS) {
      const x = a?.counters[k] ?? 0;
      const y = b?.counters[k] ?? 0;
      if (x !== y && out.length < 10) out.push(`${what} key ${key || "''"} ${k}: rollup ${x}, facts ${y}`);
    }
    if (withOpen) {
      for (const k of ['open', 'overdue'] as const) {
        const x = a?.[k] ?? 0;
        const y = b?.[k] ?? 0;
        if (x !== y && out.length < 10) out.push(`${what} key ${key || "''"} ${k}: rollup ${x}, facts ${y}`);
      }
    }
  }
  return out;
}

export async function agreeDashboard(db: Db, pool: pg.Pool, dim: ReportDimension, districtId: string, period: Period): Promise<Agreement> {
  const q = { dim, from: period.from, to: period.to, districtIds: [districtId] };
  const [summed, open, raw] = await Promise.all([reportsRepo.summarize(db, q), reportsRepo.openCounts(db, q), baselineDashboardRaw(pool, dim, districtId, period)]);
  const rollup = new Map<string, { counters: Counters; open: number; overdue: number }>();
  for (const r of summed) rollup.set(r.key, { counters: r.counters, ...(open.get(r.key) ?? { open: 0, overdue: 0 }) });
  for (const [key, o] of open) if (!rollup.has(key)) rollup.set(key, { counters: emptyCounters(), ...o });
  const facts = new Map(raw.filter((r) => r.key !== null).map((r) => [r.key!, r]));
  let sign = 0;
  let complete = 0;
  for (const r of summed) {
    const f = facts.get(r.key);
    if (!f) continue;
    const rel = (h: number[] | null, exact: number | null, n: number) => {
      const approx = histogramQuantile(h, 0.9);
      return n >= 100 && approx !== null && exact ? Math.abs(approx - exact) / exact : 0;
    };
    sign = Math.max(sign, rel(r.signHist, f.p90Sign, r.counters.sign_count));
    complete = Math.max(complete, rel(r.completeHist, f.p90Complete, r.counters.complete_count));
  }
  return { what: `district-month by ${dim} (${period.from.slice(0, 7)})`, groups: rollup.size, mismatches: compareCounters(dim, rollup, facts, true), p90MaxRelDiff: { sign, complete } };
}

export async function agreeRanking(db: Db, pool: pg.Pool, dim: ReportDimension, period: Period): Promise<Agreement> {
  const [cur, prev, raw] = await Promise.all([
    reportsRepo.summarize(db, { dim, from: period.from, to: period.to, districtIds: null, withHistograms: false }),
    reportsRepo.summarize(db, { dim, ...period.previous, districtIds: null, withHistograms: false }),
    baselineRankingRaw(pool, dim, period),
  ]);
  const mismatches = [
    ...compareCounters(`${dim} current`, new Map(cur.map((r) => [r.key, r])), new Map(raw.current.map((r) => [r.key ?? '', r])), false),
    ...compareCounters(`${dim} previous`, new Map(prev.map((r) => [r.key, r])), new Map(raw.previous.map((r) => [r.key ?? '', r])), false),
  ];
  return { what: `city-year by ${dim} (${period.from} – ${period.to} and the year before)`, groups: cur.length + prev.length, mismatches, p90MaxRelDiff: null };
}

// ---------------------------------------------------------------------------------------------
// Over HTTP, through the API process

export class HttpClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 4 });

  constructor(private readonly port: number) {}

  /** GET as an admin; resolves with the number of rows / items in the answer. */
  async get(path: string): Promise<number> {
    const res = await httpRequest(this.agent, this.port, {
      method: 'GET', path, headers: { 'x-actor-id': 'bench-leader', 'x-actor-role': 'admin' }, timeoutMs: 60_000,
    });
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.body.slice(0, 200)}`);
    const json = JSON.parse(res.body) as { rows?: unknown[]; items?: unknown[] };
    return (json.rows ?? json.items ?? []).length;
  }

  close(): void {
    this.agent.destroy();
  }
}

export const summaryPath = (groupBy: ReportGrouping, districtId: string, period: Period) =>
  `/reports/summary?period=month&date=${period.from}&districtId=${districtId}&groupBy=${groupBy}`;
export const rankingPath = (groupBy: 'street' | 'unit', period: Period) =>
  `/reports/ranking?period=custom&from=${period.from}&to=${period.to}&groupBy=${groupBy}`;
