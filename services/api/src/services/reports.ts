import { reportsRepo, type Db } from '@petitions/db';
import {
  addDays, addHistogram, addMonths, chinaDay, computeMeasures, DEFAULT_REPORT_SETTINGS, emptyCounters, monthEnd, monthStart, rankEntries, REPORT_COUNTERS,
  type Actor, type Channel, type Counters, type Measures, type RankingClass, type ReportGrouping, type ReportSettings, type Role,
} from '@petitions/domain';
import { AppError, errors } from '../errors.js';
import { requireRole } from '../roles.js';
import type { ReferenceCache } from './reference-cache.js';

/** Leaders read reports for their area; the supervision office (督查室) and admins read the whole installation. */
export const REPORT_ROLES: readonly Role[] = ['leader', 'supervisor', 'admin'];

export const PERIOD_KINDS = ['day', 'week', 'month', 'year', 'custom'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** The longest custom period: two years of daily rollups. */
const MAX_CUSTOM_DAYS = 731;

export interface Period {
  kind: PeriodKind;
  from: string;
  to: string;
  /** The period just before, of the same kind and length (growth and ranking moves compare with it). */
  previous: { from: string; to: string };
}

const invalidPeriod = (field: string, why: string) => new AppError(400, 'INVALID_PERIOD', `${field}: ${why}`, { field });

const DAY_MS = 86_400_000;
const toDate = (s: string) => new Date(`${s}T00:00:00Z`);
const fmt = (d: Date) => d.toISOString().slice(0, 10);

function realDate(field: string, s: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) throw invalidPeriod(field, `'${s}' is not a date; use YYYY-MM-DD`);
  const d = toDate(s);
  if (Number.isNaN(d.getTime()) || fmt(d) !== s) throw invalidPeriod(field, `${s} is not a real calendar date`);
  if (d.getUTCFullYear() < 2000 || d.getUTCFullYear() > 2100) throw invalidPeriod(field, `${s} is outside 2000–2100`);
  return s;
}


/**
 * The dates (China time, inclusive) a report covers: the day, the Monday-to-Sunday week, the
 * calendar month or year holding `date` (today when absent), or `from`–`to` for a custom period.
 */
export function resolvePeriod(kind: PeriodKind, q: { date?: string | undefined; from?: string | undefined; to?: string | undefined }, now = new Date()): Period {
  const anchor = q.date === undefined ? chinaDay(now) : realDate('date', q.date);
  if (kind !== 'custom' && (q.from !== undefined || q.to !== undefined)) {
    throw invalidPeriod(q.from !== undefined ? 'from' : 'to', `from and to are for period=custom; a ${kind} is chosen with date (any day in it)`);
  }
  switch (kind) {
    case 'day':
      return { kind, from: anchor, to: anchor, previous: { from: addDays(anchor, -1), to: addDays(anchor, -1) } };
    case 'week': {
      const monday = addDays(anchor, -((toDate(anchor).getUTCDay() + 6) % 7));
      return { kind, from: monday, to: addDays(monday, 6), previous: { from: addDays(monday, -7), to: addDays(monday, -1) } };
    }
    case 'month': {
      const prev = addDays(monthStart(anchor), -1);
      return { kind, from: monthStart(anchor), to: monthEnd(anchor), previous: { from: monthStart(prev), to: monthEnd(prev) } };
    }
    case 'year': {
      const y = Number(anchor.slice(0, 4));
      return { kind, from: `${y}-01-01`, to: `${y}-12-31`, previous: { from: `${y - 1}-01-01`, to: `${y - 1}-12-31` } };
    }
    case 'custom': {
      if (q.from === undefined || q.to === undefined) throw invalidPeriod(q.from === undefined ? 'from' : 'to', 'a custom period needs both from and to (YYYY-MM-DD)');
      const from = realDate('from', q.from);
      const to = realDate('to', q.to);
      const days = (toDate(to).getTime() - toDate(from).getTime()) / DAY_MS + 1;
      if (days < 1) throw invalidPeriod('to', `${to} is before from (${from})`);
      if (days > MAX_CUSTOM_DAYS) throw invalidPeriod('to', `a custom period may span at most ${MAX_CUSTOM_DAYS} days (${days} given)`);
      return { kind, from, to, previous: { from: addDays(from, -days), to: addDays(from, -1) } };
    }
  }
}

// ------------------------------------------------------------------------------------------------
// Scope

export interface ReportScope {
  /** null: every district. */
  districtIds: string[] | null;
}

/**
 * The districts a person's report covers: a city's leader the city's districts (or one of them, by
 * `districtId`), a district's leader that district; the supervision office and admins any. Reports
 * are kept per district, so a leader of a smaller unit (a street) is refused rather than shown more.
 */
export async function reportScope(db: Db, reference: ReferenceCache, actor: Actor, districtId: string | undefined): Promise<ReportScope> {
  requireRole(actor.role, REPORT_ROLES, 'Reading reports');
  const district = districtId === undefined ? undefined : await reference.unit(districtId);
  if (districtId !== undefined && district?.kind !== 'district') {
    throw new AppError(400, 'UNKNOWN_DISTRICT', 'districtId: no district with this id', { field: 'districtId' });
  }
  if (actor.role !== 'leader' || !actor.unitId) return { districtIds: districtId ? [districtId] : null };
  const own = await reference.unit(actor.unitId);
  if (own?.kind === 'district') {
    if (districtId && districtId !== own.id) throw errors.unitNotFound();
    return { districtIds: [own.id] };
  }
  if (own?.kind !== 'city') {
    throw new AppError(403, 'REPORT_SCOPE_UNSUPPORTED', 'Reports are kept per district: they are open to leaders of a city or a district, not of a smaller unit');
  }
  // A city's districts are its children.
  if (districtId) {
    if (district?.parent_id !== own.id) throw errors.unitNotFound();
    return { districtIds: [districtId] };
  }
  const districts = await db.selectFrom('org_units').select('id').where('kind', '=', 'district').where('parent_id', '=', own.id).execute();
  return { districtIds: districts.map((d) => d.id) };
}

/** What a report covers, in words: a district, a city (all its districts) or 全部. */
export async function scopeLabel(reference: ReferenceCache, scope: ReportScope, lang: 'zh' | 'en'): Promise<string> {
  const all = lang === 'zh' ? '全部' : 'All districts';
  if (scope.districtIds === null || scope.districtIds.length === 0) return all;
  const first = await reference.unit(scope.districtIds[0]!);
  const unit = scope.districtIds.length === 1 ? first : first?.parent_id ? await reference.unit(first.parent_id) : undefined;
  if (!unit) return all;
  return lang === 'zh' ? unit.name : unit.name_en ?? unit.name;
}

// ------------------------------------------------------------------------------------------------
// Names

const CHANNEL_NAMES: Record<Channel, [string, string]> = {
  hotline: ['12345热线', '12345 hotline'], web: ['网站', 'Website'], mobile: ['掌上办', 'Mobile app'], walk_in: ['来访', 'Walk-in'],
  door_to_door: ['入户走访', 'Door-to-door visit'], symposium: ['座谈会', 'Symposium'], questionnaire: ['调查问卷', 'Questionnaire'],
  suggestion_box: ['意见箱', 'Suggestion box'], online_column: ['有事@我', 'Online column'], letter: ['来信', 'Letter'], open311: ['Open311', 'Open311'],
};
const NONE_NAMES: Record<ReportGrouping, [string, string]> = {
  unit: ['未派单', 'Not dispatched'], street: ['未指定街道', 'No street'], community: ['未指定社区', 'No community'],
  category: ['未分类', 'No category'], channel: ['未知渠道', 'Unknown channel'],
};

export interface Named { name: string; nameEn: string }

export async function nameOf(reference: ReferenceCache, dim: ReportGrouping, key: string): Promise<Named> {
  if (key === '') return { name: NONE_NAMES[dim][0], nameEn: NONE_NAMES[dim][1] };
  if (key.startsWith('none:')) {
    // No value, counted per district: "金水区·未指定街道".
    const d = await reference.unit(key.slice(5));
    return { name: `${d?.name ?? ''}·${NONE_NAMES[dim][0]}`, nameEn: `${d?.name_en ?? d?.name ?? ''} · ${NONE_NAMES[dim][1]}` };
  }
  if (dim === 'channel') {
    const [name, nameEn] = CHANNEL_NAMES[key as Channel] ?? [key, key];
    return { name, nameEn };
  }
  const found = dim === 'category' ? await reference.category(key) : await reference.unit(key);
  return found ? { name: found.name, nameEn: found.name_en ?? found.name } : { name: key, nameEn: key };
}

/**
 * Names for a report's rows. Streets carry their district when the report spans several districts
 * (two districts may both have a 人民路街道), and communities always carry their street.
 */
export function nameResolver(reference: ReferenceCache, dim: ReportGrouping, scope: ReportScope): (key: string) => Promise<Named> {
  const qualifyStreets = scope.districtIds === null || scope.districtIds.length > 1;
  return async (key) => {
    const own = await nameOf(reference, dim, key);
    if (key.startsWith('none:') || key === '' || (dim !== 'street' && dim !== 'community')) return own;
    if (dim === 'street' && !qualifyStreets) return own;
    const unit = await reference.unit(key);
    const parent = unit?.parent_id ? await reference.unit(unit.parent_id) : undefined;
    if (!parent) return own;
    // English street names usually carry their district already ("Jinshui District Dongfenglu Subdistrict").
    const parentEn = parent.name_en ?? parent.name;
    return { name: `${parent.name}·${own.name}`, nameEn: own.nameEn.startsWith(parentEn) ? own.nameEn : `${parentEn} · ${own.nameEn}` };
  };
}

// ------------------------------------------------------------------------------------------------
// Reports

export async function loadReportSettings(db: Db): Promise<ReportSettings> {
  return reportsRepo.loadSettings(db, DEFAULT_REPORT_SETTINGS);
}

export interface SummaryRow extends Named {
  key: string;
  measures: Measures;
}

export interface SummaryReport {
  period: Period;
  groupBy: ReportGrouping;
  total: Measures;
  rows: SummaryRow[];
}

function addCounters(into: Counters, c: Counters): void {
  for (const k of REPORT_COUNTERS) into[k] += c[k];
}

/** Every measure per group over a period, and for the whole scope. */
export async function summaryReport(db: Db, reference: ReferenceCache, scope: ReportScope, period: Period, groupBy: ReportGrouping, settings: ReportSettings): Promise<SummaryReport> {
  const q = { dim: groupBy, from: period.from, to: period.to, districtIds: scope.districtIds };
  const [summed, open, awaiting] = await Promise.all([
    reportsRepo.summarize(db, q), reportsRepo.openCounts(db, q), reportsRepo.awaitingSignFor(db, { ...q, now: new Date() }),
  ]);
  const total = { counters: emptyCounters(), signHist: null as number[] | null, completeHist: null as number[] | null, open: 0, overdue: 0, awaitingSignFor: 0 };
  const names = nameResolver(reference, groupBy, scope);
  const byKey = new Map(summed.map((r) => [r.key, r]));
  // Groups with open work but nothing in the period still belong in the report.
  for (const key of open.keys()) if (!byKey.has(key)) byKey.set(key, { key, counters: emptyCounters(), signHist: null, completeHist: null });
  const rows: SummaryRow[] = [];
  for (const r of byKey.values()) {
    const o = open.get(r.key) ?? { open: 0, overdue: 0 };
    addCounters(total.counters, r.counters);
    total.signHist = addHistogram(total.signHist, r.signHist);
    total.completeHist = addHistogram(total.completeHist, r.completeHist);
    total.open += o.open;
    total.overdue += o.overdue;
    const a = awaiting.get(r.key) ?? 0;
    total.awaitingSignFor += a;
    rows.push({ key: r.key, ...(await names(r.key)), measures: computeMeasures({ ...r, ...o, awaitingSignFor: a }, settings) });
  }
  rows.sort((a, b) => b.measures.received - a.measures.received || a.name.localeCompare(b.name, 'zh-CN'));
  return { period, groupBy, total: computeMeasures(total, settings), rows };
}

export interface RankingRow extends Named {
  key: string;
  rank: number | null;
  previousRank: number | null;
  classes: RankingClass[];
  score: number | null;
  received: number;
  responseRate: number | null;
  resolutionRate: number | null;
  satisfactionRate: number | null;
}

/** The ranking by composite score over a period (monthly by default), with the four classes. */
export async function rankingReport(db: Db, reference: ReferenceCache, scope: ReportScope, period: Period, groupBy: 'street' | 'unit', settings: ReportSettings): Promise<{ period: Period; groupBy: 'street' | 'unit'; rows: RankingRow[] }> {
  const base = { dim: groupBy, districtIds: scope.districtIds, withHistograms: false };
  const now = new Date();
  const [current, previous, awaiting, awaitingBefore] = await Promise.all([
    reportsRepo.summarize(db, { ...base, from: period.from, to: period.to }),
    reportsRepo.summarize(db, { ...base, ...period.previous }),
    reportsRepo.awaitingSignFor(db, { ...base, from: period.from, to: period.to, now }),
    reportsRepo.awaitingSignFor(db, { ...base, ...period.previous, now }),
  ]);
  // Petitions without a street (or not yet dispatched) are not a street (or unit) to rank.
  const measure = (rows: reportsRepo.SummedRow[], pending: Map<string, number>) => rows
    .filter((r) => !r.key.startsWith('none:'))
    .map((r) => ({ key: r.key, m: computeMeasures({ ...r, open: 0, overdue: 0, awaitingSignFor: pending.get(r.key) ?? 0 }, settings) }));
  const cur = measure(current, awaiting);
  const byKey = new Map(cur.map((c) => [c.key, c.m]));
  const ranked = rankEntries(
    cur.map((c) => ({ key: c.key, score: c.m.compositeScore, received: c.m.received })),
    measure(previous, awaitingBefore).map((c) => ({ key: c.key, score: c.m.compositeScore, received: c.m.received })),
    settings.ranking,
  );
  const names = nameResolver(reference, groupBy, scope);
  const rows: RankingRow[] = [];
  for (const e of ranked) {
    const m = byKey.get(e.key)!;
    rows.push({
      ...e, ...(await names(e.key)),
      responseRate: m.responseRate, resolutionRate: m.resolutionRate, satisfactionRate: m.satisfactionRate,
    });
  }
  return { period, groupBy, rows };
}

export interface TrendPoint {
  month: string;
  measures: Measures;
}

/** Month by month for the `months` months ending with the one holding `date`, with the change on the month before. */
export async function trendReport(db: Db, scope: ReportScope, endDate: string, months: number, settings: ReportSettings): Promise<{ from: string; to: string; points: TrendPoint[] }> {
  const first = addMonths(endDate, -(months - 1));
  const to = monthEnd(endDate);
  const [rows, awaiting] = await Promise.all([
    reportsRepo.monthlyTotals(db, { from: first, to, districtIds: scope.districtIds }),
    reportsRepo.awaitingSignFor(db, { dim: 'month', from: first, to, districtIds: scope.districtIds, now: new Date() }),
  ]);
  const byMonth = new Map(rows.map((r) => [r.key, r]));
  const points: TrendPoint[] = [];
  for (let i = 0; i < months; i++) {
    const month = addMonths(first, i).slice(0, 7);
    const r = byMonth.get(month);
    // Open and overdue are "now" figures, not a month's: the trend leaves them at 0 and does not show them.
    points.push({ month, measures: computeMeasures({
      counters: r?.counters ?? emptyCounters(), signHist: r?.signHist ?? null, completeHist: r?.completeHist ?? null,
      open: 0, overdue: 0, awaitingSignFor: awaiting.get(month) ?? 0,
    }, settings) });
  }
  return { from: first, to, points };
}

export interface HotIssue {
  categoryId: string;
  category: string;
  categoryEn: string;
  streetId: string | null;
  street: string;
  streetEn: string;
  received: number;
  previous: number;
  /** (received − previous) ÷ previous; null when there were none before. */
  growth: number | null;
}

/** 热点问题: the category × street clusters with most requests in the period, and their growth on the period before. */
export async function hotIssues(db: Db, reference: ReferenceCache, scope: ReportScope, period: Period, limit: number): Promise<{ period: Period; items: HotIssue[] }> {
  const [cur, prev] = await Promise.all([
    reportsRepo.clusterVolumes(db, { from: period.from, to: period.to, districtIds: scope.districtIds }),
    reportsRepo.clusterVolumes(db, { ...period.previous, districtIds: scope.districtIds }),
  ]);
  const top = [...cur.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, limit);
  const streetNames = nameResolver(reference, 'street', scope);
  const items: HotIssue[] = [];
  for (const [key, received] of top) {
    const [categoryId = '', streetKey = ''] = key.split('|');
    const cat = await nameOf(reference, 'category', categoryId);
    const street = await streetNames(streetKey);
    const previous = prev.get(key) ?? 0;
    items.push({
      categoryId, category: cat.name, categoryEn: cat.nameEn, streetId: streetKey.startsWith('none:') ? null : streetKey || null, street: street.name, streetEn: street.nameEn,
      received, previous, growth: previous > 0 ? (received - previous) / previous : null,
    });
  }
  return { period, items };
}
