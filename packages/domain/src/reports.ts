import { chinaDay } from './china-time.js';

/**
 * Leaders' measures (shared/DOMAIN.md "Measures leaders read"): what each applied event adds to the
 * report rollups, and how the summed counters become rates, times, scores and ranking classes.
 * Pure: the worker (live, in the transition's transaction) and the rebuild command (from the event
 * log) both call `reportDeltas`, so the two cannot count differently.
 */

/** Counters kept per day × district × dimension value. Rates are computed from their sums. */
export const REPORT_COUNTERS = [
  'received', 'dispatched', 'signed_on_time', 'returned', 'completed', 'completed_on_time', 'redone',
  'rated', 'rated_resolved', 'satisfied', 'basically_satisfied', 'dissatisfied', 'no_feedback',
  'sign_count', 'sign_seconds', 'complete_count', 'complete_seconds',
] as const;
export type ReportCounter = (typeof REPORT_COUNTERS)[number];
export type Counters = Record<ReportCounter, number>;

/** The ways a report can be grouped; `category_street` feeds the hot-issue clusters. */
export const REPORT_DIMENSIONS = ['unit', 'street', 'community', 'category', 'channel', 'category_street'] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];
/** The groupings a leader chooses from (category × street is read only as hot issues). */
export const REPORT_GROUPINGS = ['unit', 'street', 'community', 'category', 'channel'] as const;
export type ReportGrouping = (typeof REPORT_GROUPINGS)[number];

/** States in which a petition is still being worked (未办结): counted as open, and overdue when late. */
export const OPEN_STATES: ReadonlySet<string> = new Set(['awaitingDispatch', 'dispatched', 'handling', 'suspended', 'reviewing']);

// ------------------------------------------------------------------------------------------------
// Durations: a log-scale histogram so p90 can be summed across days and groups.

/** Buckets per doubling: each bucket is 2^(1/4) ≈ 19 % wide, so an interpolated P90 is within a few per cent. */
const PER_DOUBLING = 4;
/** Bucket 0: under a second; bucket i ≥ 1: [2^((i-1)/4), 2^(i/4)) seconds; the last is open-ended (≥ 163 days). */
export const HISTOGRAM_BUCKETS = 96;

export function histogramBucket(seconds: number): number {
  if (!(seconds >= 1)) return 0;
  return Math.min(HISTOGRAM_BUCKETS - 1, 1 + Math.floor(PER_DOUBLING * Math.log2(seconds) + 1e-9));
}

function bucketBounds(i: number): [number, number] {
  if (i === 0) return [0, 1];
  return [2 ** ((i - 1) / PER_DOUBLING), 2 ** (i / PER_DOUBLING)];
}

/** Add histogram `h` into `into` (changed in place; a copy of `h` when `into` is null). */
export function addHistogram(into: number[] | null, h: readonly number[] | null): number[] | null {
  if (!h) return into;
  if (!into) return [...h];
  for (let i = 0; i < h.length; i++) into[i] = (into[i] ?? 0) + (h[i] ?? 0);
  return into;
}

/**
 * The q-quantile (nearest rank) in seconds, interpolated linearly inside its bucket; null when empty.
 * The open-ended last bucket answers its lower bound.
 */
export function histogramQuantile(hist: readonly number[] | null, q: number): number | null {
  if (!hist) return null;
  const n = hist.reduce((a, b) => a + b, 0);
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil(q * n));
  let before = 0;
  for (let i = 0; i < hist.length; i++) {
    const c = hist[i] ?? 0;
    if (c > 0 && before + c >= rank) {
      const [lo, hi] = bucketBounds(i);
      if (i === HISTOGRAM_BUCKETS - 1) return lo;
      return lo + ((hi - lo) * (rank - before)) / c;
    }
    before += c;
  }
  return null;
}

// ------------------------------------------------------------------------------------------------
// Event → counter deltas

/** What the worker knew when it applied an event, stored with the event (`petition_events.report_facts`). */
export interface ReportFacts {
  /** The lead unit before and after the transition (null: not dispatched). */
  unitBefore: string | null;
  unitAfter: string | null;
  /** The machine's handling-overdue flag before and after. */
  overdueBefore: boolean;
  overdueAfter: boolean;
  /** When the petition was received (its row's created_at), ISO. */
  receivedAt: string;
  /** SIGN_FOR and RETURN: when the lead task was dispatched and its sign-for deadline, ISO. */
  dispatchedAt?: string | null;
  signDueAt?: string | null;
  /** COMPLETE: the handling deadline then running (null when it had already passed). */
  handlingDueAt?: string | null;
}

export interface ReportEvent {
  type: string;
  /** The event's sequence number in its petition (1: the petition was received). */
  seq: number;
  fromState: string;
  toState: string;
  occurredAt: Date;
  /** The event's data (RATE: satisfaction and resolved). */
  data: Record<string, unknown>;
  facts: ReportFacts;
}

/** The petition's fixed attributes the reports group by. */
export interface ReportPetition {
  districtId: string;
  streetId: string | null;
  communityId: string | null;
  categoryId: string;
  channel: string;
}

/** Counters to add for one day and lead unit (unit '' = not dispatched). */
export interface DayDelta {
  day: string;
  unit: string;
  counters: Partial<Counters>;
  /** One duration to add to a histogram. */
  signSeconds?: number;
  completeSeconds?: number;
}

/** Change in the current open / overdue counts for a lead unit. */
export interface OpenDelta {
  unit: string;
  open: number;
  overdue: number;
}


/** Whole seconds: sums of integers are exact, so live and rebuilt rollups agree to the last digit. */
const secondsBetween = (from: string | Date, to: Date) => Math.max(0, Math.round((to.getTime() - new Date(from).getTime()) / 1000));

/**
 * What one applied event adds to the reports. Definitions (README "Report definitions"):
 * received counts on a petition's first event; dispatched, signed-on-time, time to sign and returns
 * count on the day the task was dispatched (so 响应率 and 退单率 compare like with like); completions,
 * ratings, redos and no-feedback closes count on the day they happen.
 */
export function reportDeltas(e: ReportEvent): { days: DayDelta[]; open: OpenDelta[] } {
  const f = e.facts;
  const today = chinaDay(e.occurredAt);
  const days: DayDelta[] = [];
  const add = (d: DayDelta) => days.push(d);
  if (e.seq === 1) add({ day: today, unit: f.unitAfter ?? '', counters: { received: 1 } });
  // A lead task is opened whenever the petition enters `dispatched` (a re-dispatch re-enters it).
  if (e.toState === 'dispatched' && (e.fromState !== 'dispatched' || e.type === 'REDISPATCH')) {
    add({ day: today, unit: f.unitAfter ?? '', counters: { dispatched: 1 } });
  }
  const cohortDay = f.dispatchedAt ? chinaDay(f.dispatchedAt) : today;
  switch (e.type) {
    case 'SIGN_FOR': {
      const onTime = f.signDueAt != null && e.occurredAt.getTime() <= new Date(f.signDueAt).getTime();
      const seconds = f.dispatchedAt ? secondsBetween(f.dispatchedAt, e.occurredAt) : undefined;
      add({
        day: cohortDay, unit: f.unitBefore ?? '',
        counters: { signed_on_time: onTime ? 1 : 0, ...(seconds === undefined ? {} : { sign_count: 1, sign_seconds: seconds }) },
        ...(seconds === undefined ? {} : { signSeconds: seconds }),
      });
      break;
    }
    case 'RETURN':
      add({ day: cohortDay, unit: f.unitBefore ?? '', counters: { returned: 1 } });
      break;
    case 'COMPLETE': {
      const onTime = !f.overdueBefore && f.handlingDueAt != null && e.occurredAt.getTime() <= new Date(f.handlingDueAt).getTime();
      const seconds = secondsBetween(f.receivedAt, e.occurredAt);
      add({
        day: today, unit: f.unitBefore ?? '',
        counters: { completed: 1, completed_on_time: onTime ? 1 : 0, complete_count: 1, complete_seconds: seconds },
        completeSeconds: seconds,
      });
      break;
    }
    case 'RATE': {
      const s = e.data.satisfaction;
      add({
        day: today, unit: f.unitBefore ?? '',
        counters: {
          rated: 1, rated_resolved: e.data.resolved === true ? 1 : 0,
          satisfied: s === 'satisfied' ? 1 : 0, basically_satisfied: s === 'basically_satisfied' ? 1 : 0, dissatisfied: s === 'dissatisfied' ? 1 : 0,
          // Dissatisfied and sent back to the same unit (重办).
          redone: e.toState === 'handling' ? 1 : 0,
        },
      });
      break;
    }
    case 'FEEDBACK_DUE':
      if (e.toState === 'closed') add({ day: today, unit: f.unitBefore ?? '', counters: { no_feedback: 1 } });
      break;
    default:
      break;
  }
  const open: OpenDelta[] = [];
  const wasOpen = OPEN_STATES.has(e.fromState) && e.seq > 1;
  const isOpen = OPEN_STATES.has(e.toState);
  const before = { unit: f.unitBefore ?? '', open: wasOpen ? 1 : 0, overdue: wasOpen && f.overdueBefore ? 1 : 0 };
  const after = { unit: f.unitAfter ?? '', open: isOpen ? 1 : 0, overdue: isOpen && f.overdueAfter ? 1 : 0 };
  if (before.unit === after.unit) {
    if (after.open !== before.open || after.overdue !== before.overdue) open.push({ unit: after.unit, open: after.open - before.open, overdue: after.overdue - before.overdue });
  } else {
    if (before.open || before.overdue) open.push({ unit: before.unit, open: -before.open, overdue: -before.overdue });
    if (after.open || after.overdue) open.push(after);
  }
  return { days, open };
}

/** The dimension values one petition's delta is counted under. */
export function dimensionKeys(p: ReportPetition, unit: string): Record<ReportDimension, string> {
  return {
    unit,
    street: p.streetId ?? '',
    community: p.communityId ?? '',
    category: p.categoryId,
    channel: p.channel,
    category_street: `${p.categoryId}|${p.streetId ?? ''}`,
  };
}

// ------------------------------------------------------------------------------------------------
// Counters → measures

/** Choices the definitions leave open, kept in `report_settings` and shown in the README. */
export interface ReportSettings {
  /** Weights of the composite score over 响应率, 解决率, 满意率 (a county's 30/35/35 by default). */
  weights: { response: number; resolution: number; satisfaction: number };
  /** Points per answer for the weighted satisfaction score (0–100). */
  satisfactionPoints: { satisfied: number; basically_satisfied: number; dissatisfied: number };
  /**
   * Petitions closed without the resident's feedback: 'excluded' leaves them out of 解决率 and
   * 满意率; 'satisfied' counts them as resolved and satisfied (some districts' rule).
   */
  noFeedback: 'excluded' | 'satisfied';
  /**
   * Monthly ranking: only those with at least `minReceived` requests in the period are ranked;
   * 先进 the top share by score, 整改 the bottom share, 进步 a rise of at least `improvedMinRise`
   * places, 治理 the `governanceCount` with most requests.
   */
  ranking: { advancedShare: number; rectifyShare: number; improvedMinRise: number; governanceCount: number; minReceived: number };
}

export const DEFAULT_REPORT_SETTINGS: ReportSettings = {
  weights: { response: 30, resolution: 35, satisfaction: 35 },
  satisfactionPoints: { satisfied: 100, basically_satisfied: 80, dissatisfied: 0 },
  noFeedback: 'excluded',
  ranking: { advancedShare: 0.1, rectifyShare: 0.1, improvedMinRise: 5, governanceCount: 10, minReceived: 5 },
};

export interface Measures {
  received: number;
  dispatched: number;
  /** Dispatched in the period and still within their sign-for time: left out of 响应率 until decided. */
  awaitingSignFor: number;
  /** 响应率, 解决率, 满意率, 按期办结率, 退单率, 重办率 as fractions (null: nothing to divide by). */
  responseRate: number | null;
  resolutionRate: number | null;
  satisfactionRate: number | null;
  /** The weighted satisfaction score, 0–100. */
  satisfactionScore: number | null;
  onTimeRate: number | null;
  returnRate: number | null;
  redoRate: number | null;
  completed: number;
  rated: number;
  noFeedback: number;
  open: number;
  overdue: number;
  /** Seconds. */
  meanTimeToSign: number | null;
  p90TimeToSign: number | null;
  meanTimeToComplete: number | null;
  p90TimeToComplete: number | null;
  /** Weighted over the three rates, 0–100. */
  compositeScore: number | null;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

export interface MeasureInput {
  counters: Counters;
  /** Tasks of the period still within their sign-for time now (0 when not known). */
  awaitingSignFor?: number;
  signHist: readonly number[] | null;
  completeHist: readonly number[] | null;
  open: number;
  overdue: number;
}

export function emptyCounters(): Counters {
  return Object.fromEntries(REPORT_COUNTERS.map((k) => [k, 0])) as Counters;
}

export function computeMeasures(m: MeasureInput, s: ReportSettings): Measures {
  const c = m.counters;
  const nf = s.noFeedback === 'satisfied' ? c.no_feedback : 0;
  const ratedBase = c.rated + nf;
  const points = s.satisfactionPoints;
  const awaiting = m.awaitingSignFor ?? 0;
  const responseRate = ratio(c.signed_on_time, c.dispatched - awaiting);
  const resolutionRate = ratio(c.rated_resolved + nf, ratedBase);
  const satisfactionRate = ratio(c.satisfied + c.basically_satisfied + nf, ratedBase);
  const satisfactionScore = ratio(
    (c.satisfied + nf) * points.satisfied + c.basically_satisfied * points.basically_satisfied + c.dissatisfied * points.dissatisfied,
    ratedBase,
  );
  return {
    received: c.received,
    dispatched: c.dispatched,
    awaitingSignFor: awaiting,
    responseRate,
    resolutionRate,
    satisfactionRate,
    satisfactionScore,
    onTimeRate: ratio(c.completed_on_time, c.completed),
    returnRate: ratio(c.returned, c.dispatched),
    redoRate: ratio(c.redone, c.completed),
    completed: c.completed,
    rated: c.rated,
    noFeedback: c.no_feedback,
    open: m.open,
    overdue: m.overdue,
    meanTimeToSign: ratio(c.sign_seconds, c.sign_count),
    p90TimeToSign: histogramQuantile(m.signHist, 0.9),
    meanTimeToComplete: ratio(c.complete_seconds, c.complete_count),
    p90TimeToComplete: histogramQuantile(m.completeHist, 0.9),
    compositeScore: compositeScore({ response: responseRate, resolution: resolutionRate, satisfaction: satisfactionRate }, s.weights),
  };
}

/**
 * Σ weight × rate (as a percentage) ÷ Σ weight over the rates that exist: a unit with no ratings yet
 * is scored on what it has. Null when none exists.
 */
export function compositeScore(rates: Record<keyof ReportSettings['weights'], number | null>, weights: ReportSettings['weights']): number | null {
  let sum = 0;
  let w = 0;
  for (const k of ['response', 'resolution', 'satisfaction'] as const) {
    const r = rates[k];
    if (r === null) continue;
    sum += weights[k] * r * 100;
    w += weights[k];
  }
  return w > 0 ? sum / w : null;
}

export const RANKING_CLASSES = ['advanced', 'improved', 'rectify', 'governance'] as const;
/** 先进 / 进步 / 整改 / 治理 (重点治理: the N with most requests). */
export type RankingClass = (typeof RANKING_CLASSES)[number];

export interface RankingEntry {
  key: string;
  score: number | null;
  received: number;
  /** Rank by score this period (1 = best) and the period before (null: not ranked then). */
  rank: number | null;
  previousRank: number | null;
  classes: RankingClass[];
}

/**
 * Rank by composite score, ties sharing a rank (并列: 1, 1, 3), among those with at least
 * `minReceived` requests; the rest are listed unranked and get no class. Classes: 治理 to the
 * `governanceCount` with most requests (ties at the cut included); 先进 to those ranked within the top share and 整改 to those
 * within the bottom share (counted from the bottom, ties included), but only where scores differ (no
 * one is 先进 or 整改 when all score the same, and no one is both); 进步 to those that rose at least
 * `improvedMinRise` places since the previous period (and are not 整改).
 */
export function rankEntries(
  current: readonly { key: string; score: number | null; received: number }[],
  previous: readonly { key: string; score: number | null; received: number }[],
  r: ReportSettings['ranking'],
): RankingEntry[] {
  const ranks = (list: readonly { key: string; score: number | null; received: number }[]) => {
    const eligible = list.filter((e) => e.score !== null && e.received >= r.minReceived).sort((a, b) => (b.score ?? 0) - (a.score ?? 0));
    const fromTop = new Map<string, number>();
    const fromBottom = new Map<string, number>();
    eligible.forEach((e, i) => fromTop.set(e.key, i > 0 && eligible[i - 1]!.score === e.score ? fromTop.get(eligible[i - 1]!.key)! : i + 1));
    for (let i = eligible.length - 1; i >= 0; i--) {
      const e = eligible[i]!;
      const next = eligible[i + 1];
      fromBottom.set(e.key, next && next.score === e.score ? fromBottom.get(next.key)! : eligible.length - i);
    }
    const scores = eligible.map((e) => e.score ?? 0);
    return { fromTop, fromBottom, n: eligible.length, spread: scores.length > 0 && Math.max(...scores) > Math.min(...scores) };
  };
  const cur = ranks(current);
  const prev = ranks(previous).fromTop;
  const top = Math.floor(cur.n * r.advancedShare);
  const bottom = Math.floor(cur.n * r.rectifyShare);
  const byVolume = [...current].filter((e) => e.received > 0 && e.received >= r.minReceived).sort((a, b) => b.received - a.received);
  const cut = byVolume[r.governanceCount - 1]?.received;
  const governance = new Set(r.governanceCount <= 0 ? [] : byVolume.filter((e) => cut === undefined || e.received >= cut).map((e) => e.key));
  const entries = current.map((e): RankingEntry => {
    const rank = cur.fromTop.get(e.key) ?? null;
    const previousRank = prev.get(e.key) ?? null;
    const classes: RankingClass[] = [];
    const advanced = cur.spread && rank !== null && rank <= top;
    const rectify = cur.spread && !advanced && rank !== null && (cur.fromBottom.get(e.key) ?? Infinity) <= bottom;
    if (advanced) classes.push('advanced');
    if (!rectify && rank !== null && previousRank !== null && previousRank - rank >= r.improvedMinRise) classes.push('improved');
    if (rectify) classes.push('rectify');
    if (governance.has(e.key)) classes.push('governance');
    return { key: e.key, score: e.score, received: e.received, rank, previousRank, classes };
  });
  return entries.sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || b.received - a.received || a.key.localeCompare(b.key));
}
