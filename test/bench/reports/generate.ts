import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Alias, Rng } from './random.js';
import { DEPARTMENT_KINDS, type BenchCategory, type BenchRefs } from './reference.js';

/**
 * 10,000,000 petitions as one row each: what happened to each up to the run's start ("now"), drawn
 * from distributions a city's 12345 data shows, streamed into an UNLOGGED table with COPY FROM STDIN.
 * The rollups are then built from it with set-based SQL (rollup.ts), and the full-scan baseline
 * reads it directly (queries.ts).
 */

export const FACTS_TABLE = 'bench_petition_facts';

/**
 * One row per petition, as of `now`. Events that had not happened by then are NULL. A task that
 * was returned (退单) was first dispatched to `return_unit` at `return_dispatched_at`, then
 * re-dispatched to `unit` at `dispatched_at`; a redone petition (重办) was completed at
 * `redo_completed_at`, rated dissatisfied at `redo_rated_at`, and given a new handling deadline
 * `redo_due_at` before its final completion `completed_at`.
 */
export const FACTS_DDL = `
  CREATE UNLOGGED TABLE ${FACTS_TABLE} (
    district uuid NOT NULL,
    street uuid,
    community uuid,
    category uuid NOT NULL,
    channel text NOT NULL,
    received_at timestamptz NOT NULL,
    routed boolean NOT NULL,          -- a routing rule dispatched it at intake (SUBMIT → dispatched)
    returned smallint NOT NULL,       -- 0/1: returned by return_unit
    return_unit uuid,
    return_dispatched_at timestamptz,
    unit uuid,                        -- the lead unit now (NULL: waiting for dispatch)
    dispatched_at timestamptz,        -- dispatched to unit
    sign_due_at timestamptz,
    signed_at timestamptz,
    handling_due_at timestamptz,      -- from the first dispatch (returns do not restart it)
    redone smallint NOT NULL,         -- 0/1: sent back after a dissatisfied rating
    redo_completed_at timestamptz,
    redo_rated_at timestamptz,
    redo_due_at timestamptz,
    completed_at timestamptz,
    satisfaction text,
    resolved boolean,
    rated_at timestamptz,
    no_feedback_at timestamptz,       -- closed at the feedback deadline without a rating
    open boolean NOT NULL,            -- in an open state now (awaiting dispatch, dispatched, handling)
    overdue boolean NOT NULL          -- open and past its handling deadline now
  )`;

const COLUMNS = [
  'district', 'street', 'community', 'category', 'channel', 'received_at', 'routed', 'returned', 'return_unit', 'return_dispatched_at',
  'unit', 'dispatched_at', 'sign_due_at', 'signed_at', 'handling_due_at', 'redone', 'redo_completed_at', 'redo_rated_at', 'redo_due_at',
  'completed_at', 'satisfaction', 'resolved', 'rated_at', 'no_feedback_at', 'open', 'overdue',
];

// ---------------------------------------------------------------------------------------------
// The distributions (shares and medians; see test/bench/README.md "reports")

const CHANNELS: readonly [string, number][] = [
  ['hotline', 0.8], ['mobile', 0.07], ['web', 0.05], ['online_column', 0.03], ['walk_in', 0.02], ['open311', 0.02], ['letter', 0.01],
];
/** Jan … Dec: Spring Festival dip, summer peak (noise, water, heat), heating complaints in winter. */
const MONTH_FACTOR = [0.95, 0.8, 0.95, 1.0, 1.05, 1.15, 1.3, 1.3, 1.1, 0.95, 1.0, 1.05];
/** Sunday … Saturday. */
const WEEKDAY_FACTOR = [0.68, 1.0, 1.0, 1.0, 1.0, 0.98, 0.72];
/** China local hour 0 … 23: the hotline's day. */
const HOUR_FACTOR = [0.15, 0.1, 0.08, 0.06, 0.06, 0.1, 0.3, 0.8, 1.5, 2.0, 2.1, 1.9, 1.3, 1.4, 1.9, 2.0, 1.9, 1.6, 1.2, 1.1, 1.0, 0.9, 0.6, 0.3];
const SEASON_FACTOR = (season: BenchCategory['season'], month: number): number => {
  if (season === 'winter') return month >= 10 || month <= 2 ? 3 : 0.3;
  if (season === 'summer') return month >= 5 && month <= 8 ? 1.6 : 0.8;
  return 1;
};

const P_NO_STREET = 0.03;
const P_NO_COMMUNITY = 0.15;
/** Share dispatched at intake by a routing rule; the rest wait for a dispatcher. */
const P_ROUTED = 0.85;
const MANUAL_DISPATCH_MEDIAN_S = 40 * 60;
const P_RETURNED = 0.04;
const RETURN_MEDIAN_S = 2 * 3600;
const REDISPATCH_MEDIAN_S = 30 * 60;
/** Sign-for: deadline 4 h after dispatch; log-normal delay with ≈95 % inside it. */
const SIGN_DUE_S = 4 * 3600;
const SIGN_MEDIAN_S = 30 * 60;
const SIGN_SIGMA = 1.26;
/** Completion after receipt: median 40 % of the category's handling days, σ chosen for ≈90 % on time. */
const COMPLETE_MEDIAN_SHARE = 0.4;
const COMPLETE_SIGMA = 0.71;
/** Feedback (回访): rated within the 3-day window by 92 %; the rest close without feedback at its end. */
const FEEDBACK_WINDOW_S = 3 * 86400;
const P_RATED = 0.92;
const RATE_MEDIAN_S = 20 * 3600;
const SATISFACTION: readonly [string, number, number][] = [
  // answer, share, P(resident says resolved)
  ['satisfied', 0.86, 0.97], ['basically_satisfied', 0.11, 0.85], ['dissatisfied', 0.03, 0.2],
];
/** A dissatisfied rating sends the work back (重办) this often (the rest close unresolved). */
const P_REDO = 0.7;

const DAY_S = 86400;
const CHINA_OFFSET_S = 8 * 3600;

// ---------------------------------------------------------------------------------------------
// Fast timestamp text: day strings and hh:mm:ss strings looked up, not formatted per row.

class TimeText {
  private readonly days: string[] = [];
  private readonly hms: string[] = [];
  private readonly firstDay: number;

  constructor(fromSec: number, toSec: number) {
    this.firstDay = Math.floor(fromSec / DAY_S);
    const lastDay = Math.floor(toSec / DAY_S);
    for (let d = this.firstDay; d <= lastDay; d++) this.days.push(new Date(d * DAY_S * 1000).toISOString().slice(0, 10));
    const p2 = (n: number) => (n < 10 ? `0${n}` : String(n));
    for (let s = 0; s < DAY_S; s++) this.hms.push(` ${p2(Math.floor(s / 3600))}:${p2(Math.floor(s / 60) % 60)}:${p2(s % 60)}+00`);
  }

  /** UTC seconds → 'YYYY-MM-DD hh:mm:ss+00' (COPY text). */
  format(sec: number): string {
    const s = Math.floor(sec);
    const day = Math.floor(s / DAY_S);
    const text = this.days[day - this.firstDay];
    if (text === undefined) throw new Error(`timestamp ${new Date(s * 1000).toISOString()} outside the generator's range`);
    return text + this.hms[s - day * DAY_S]!;
  }
}

// ---------------------------------------------------------------------------------------------

export interface GenerationPlan {
  nowSec: number;
  fromSec: number;
  /** China-local days covered, with the UTC second each starts at. */
  dayStarts: number[];
  dayAlias: Alias;
  /** Per China day: its month (0–11). */
  dayMonth: number[];
  hourAlias: Alias;
  /** Category draw per month (season). */
  categoryAlias: Alias[];
  districtAlias: Alias;
  streetAlias: Alias[];
  communityAlias: Alias[];
  channelAlias: Alias;
  satisfactionAlias: Alias;
}

export function planGeneration(refs: BenchRefs, now: Date): GenerationPlan {
  const nowSec = Math.floor(now.getTime() / 1000);
  const fromSec = nowSec - 365 * DAY_S;
  // China days overlapping [from, now].
  const firstChinaDay = Math.floor((fromSec + CHINA_OFFSET_S) / DAY_S);
  const lastChinaDay = Math.floor((nowSec + CHINA_OFFSET_S) / DAY_S);
  const dayStarts: number[] = [];
  const dayMonth: number[] = [];
  const weights: number[] = [];
  for (let d = firstChinaDay; d <= lastChinaDay; d++) {
    const date = new Date(d * DAY_S * 1000);
    dayStarts.push(d * DAY_S - CHINA_OFFSET_S);
    dayMonth.push(date.getUTCMonth());
    weights.push(MONTH_FACTOR[date.getUTCMonth()]! * WEEKDAY_FACTOR[date.getUTCDay()]!);
  }
  return {
    nowSec, fromSec, dayStarts, dayMonth, dayAlias: new Alias(weights), hourAlias: new Alias(HOUR_FACTOR),
    categoryAlias: Array.from({ length: 12 }, (_, m) => new Alias(refs.categories.map((c) => c.weight * SEASON_FACTOR(c.season, m)))),
    districtAlias: new Alias(refs.districts.map((d) => d.share)),
    streetAlias: refs.districts.map((d) => new Alias(d.streets.map((s) => s.weight))),
    communityAlias: refs.streets.map((s) => new Alias(s.communityWeights)),
    channelAlias: new Alias(CHANNELS.map(([, w]) => w)),
    satisfactionAlias: new Alias(SATISFACTION.map(([, w]) => w)),
  };
}

/** Rows of COPY text, `count` petitions drawn with `rng`. */
function* factRows(refs: BenchRefs, plan: GenerationPlan, rng: Rng, count: number, chunkRows: number): Generator<string> {
  const text = new TimeText(plan.fromSec - DAY_S, plan.nowSec + 60 * DAY_S);
  const ts = (s: number | null) => (s === null ? '\\N' : text.format(s));
  const streetIndex = new Map(refs.streets.map((s, i) => [s.id, i]));
  const now = plan.nowSec;
  let out = '';
  for (let i = 0; i < count; i++) {
    // Where, what, when.
    const d = plan.districtAlias.draw(rng);
    const district = refs.districts[d]!;
    let street: string | null = null;
    let community: string | null = null;
    if (!rng.chance(P_NO_STREET)) {
      const s = district.streets[plan.streetAlias[d]!.draw(rng)]!;
      street = s.id;
      if (!rng.chance(P_NO_COMMUNITY)) community = s.communities[plan.communityAlias[streetIndex.get(s.id)!]!.draw(rng)]!;
    }
    let received = 0;
    let day = 0;
    do {
      day = plan.dayAlias.draw(rng);
      received = plan.dayStarts[day]! + plan.hourAlias.draw(rng) * 3600 + rng.int(3600);
    } while (received < plan.fromSec || received > now);
    const category = refs.categories[plan.categoryAlias[plan.dayMonth[day]!]!.draw(rng)]!;
    const channel = CHANNELS[plan.channelAlias.draw(rng)]![0];
    const lead = district.departments[category.department];
    const handlingS = category.handlingDays * DAY_S;

    // The life of the petition, cut at `now`.
    const routed = rng.chance(P_ROUTED);
    let returned = 0;
    let returnUnit: string | null = null;
    let returnDispatched: number | null = null;
    let unit: string | null = null;
    let dispatched: number | null = null;
    let signDue: number | null = null;
    let signed: number | null = null;
    let handlingDue: number | null = null;
    let redone = 0;
    let redoCompleted: number | null = null;
    let redoRated: number | null = null;
    let redoDue: number | null = null;
    let completed: number | null = null;
    let satisfaction: string | null = null;
    let resolved: boolean | null = null;
    let rated: number | null = null;
    let noFeedback: number | null = null;
    let open = true;
    let deadline: number | null = null;

    life: {
      const first = routed ? received : received + Math.round(rng.lognormal(MANUAL_DISPATCH_MEDIAN_S, 1.0));
      if (first > now) break life; // waiting for a dispatcher
      handlingDue = first + handlingS;
      deadline = handlingDue;
      if (rng.chance(P_RETURNED)) {
        const wrong = district.departments[DEPARTMENT_KINDS[(DEPARTMENT_KINDS.indexOf(category.department) + 1 + rng.int(DEPARTMENT_KINDS.length - 1)) % DEPARTMENT_KINDS.length]!];
        const returnAt = first + Math.round(rng.lognormal(RETURN_MEDIAN_S, 0.8));
        if (returnAt > now) { // with the wrong unit, not returned yet
          unit = wrong;
          dispatched = first;
          signDue = first + SIGN_DUE_S;
          break life;
        }
        returned = 1;
        returnUnit = wrong;
        returnDispatched = first;
        const again = returnAt + Math.round(rng.lognormal(REDISPATCH_MEDIAN_S, 0.8));
        if (again > now) break life; // back with the dispatchers
        dispatched = again;
      } else {
        dispatched = first;
      }
      unit = lead;
      signDue = dispatched + SIGN_DUE_S;
      const signAt = dispatched + Math.round(rng.lognormal(SIGN_MEDIAN_S, SIGN_SIGMA));
      if (signAt > now) break life;
      signed = signAt;
      let completeAt = Math.max(signAt + 600, received + Math.round(rng.lognormal(COMPLETE_MEDIAN_SHARE * handlingS, COMPLETE_SIGMA)));
      if (completeAt > now) break life;
      // Feedback, possibly a redo and a second round.
      for (let round = 0; ; round++) {
        if (!rng.chance(P_RATED)) {
          const closeAt = completeAt + FEEDBACK_WINDOW_S;
          completed = completeAt;
          open = false;
          if (closeAt <= now) noFeedback = closeAt;
          break life;
        }
        const rateAt = completeAt + Math.min(FEEDBACK_WINDOW_S - 60, Math.round(rng.lognormal(RATE_MEDIAN_S, 0.8)));
        const [answer, , pResolved] = SATISFACTION[plan.satisfactionAlias.draw(rng)]!;
        if (rateAt > now) { completed = completeAt; open = false; break life; } // awaiting feedback
        if (round === 0 && answer === 'dissatisfied' && rng.chance(P_REDO)) {
          redone = 1;
          redoCompleted = completeAt;
          redoRated = rateAt;
          redoDue = rateAt + handlingS;
          deadline = redoDue;
          completeAt = rateAt + Math.max(600, Math.round(rng.lognormal(COMPLETE_MEDIAN_SHARE * handlingS, COMPLETE_SIGMA)));
          if (completeAt > now) break life; // being redone
          continue;
        }
        completed = completeAt;
        satisfaction = answer;
        resolved = rng.chance(pResolved);
        rated = rateAt;
        open = false;
        break life;
      }
    }
    const overdue = open && deadline !== null && now > deadline;
    out += `${district.id}\t${street ?? '\\N'}\t${community ?? '\\N'}\t${category.id}\t${channel}\t${ts(received)}\t${routed ? 't' : 'f'}\t${returned}\t${returnUnit ?? '\\N'}\t${ts(returnDispatched)}\t` +
      `${unit ?? '\\N'}\t${ts(dispatched)}\t${ts(signDue)}\t${ts(signed)}\t${ts(handlingDue)}\t${redone}\t${ts(redoCompleted)}\t${ts(redoRated)}\t${ts(redoDue)}\t` +
      `${ts(completed)}\t${satisfaction ?? '\\N'}\t${resolved === null ? '\\N' : resolved ? 't' : 'f'}\t${ts(rated)}\t${ts(noFeedback)}\t${open ? 't' : 'f'}\t${overdue ? 't' : 'f'}\n`;
    if ((i + 1) % chunkRows === 0) {
      yield out;
      out = '';
    }
  }
  if (out) yield out;
}

export interface GenerationResult {
  rows: number;
  ms: number;
  rowsPerSecond: number;
  streams: number;
  tableBytes: number;
}

/** COPY `total` generated petitions into the facts table over `streams` connections at once. */
export async function generateFacts(
  databaseUrl: string, refs: BenchRefs, plan: GenerationPlan, total: number, streams: number, seed: number,
  progress: (rows: number) => void,
): Promise<GenerationResult> {
  const t0 = performance.now();
  let done = 0;
  let reported = 0;
  const CHUNK = 2000;
  const share = (k: number) => Math.floor((total * (k + 1)) / streams) - Math.floor((total * k) / streams);
  await Promise.all(Array.from({ length: streams }, async (_, k) => {
    const client = new pg.Client({ connectionString: databaseUrl, application_name: `bench-reports-copy-${k}` });
    await client.connect();
    try {
      const rng = new Rng(seed * 1000 + k + 1);
      const rows = factRows(refs, plan, rng, share(k), CHUNK);
      const source = Readable.from((function* () {
        for (const chunk of rows) {
          done += CHUNK;
          if (done - reported >= total / 10) { reported = done; progress(Math.min(done, total)); }
          yield chunk;
        }
      })());
      await pipeline(source, client.query(copyFrom(`COPY ${FACTS_TABLE} (${COLUMNS.join(', ')}) FROM STDIN`)));
    } finally {
      await client.end();
    }
  }));
  const ms = performance.now() - t0;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ bytes: string }>(`SELECT pg_total_relation_size('${FACTS_TABLE}')::text AS bytes`);
  await client.end();
  // The streams' shares add up to `total`.
  return { rows: total, ms, rowsPerSecond: total / (ms / 1000), streams, tableBytes: Number(rows[0]!.bytes) };
}
