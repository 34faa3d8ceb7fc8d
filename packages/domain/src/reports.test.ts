import { describe, expect, it } from 'vitest';
import {
  compositeScore, computeMeasures, DEFAULT_REPORT_SETTINGS, emptyCounters, HISTOGRAM_BUCKETS, histogramBucket, histogramQuantile,
  rankEntries, reportDeltas, type ReportEvent,
} from './reports.js';
import { addDays, chinaDay, splitByMonth } from './china-time.js';

const histOf = (seconds: number[]) => {
  const h = new Array<number>(HISTOGRAM_BUCKETS).fill(0);
  for (const s of seconds) h[histogramBucket(s)]! += 1;
  return h;
};

describe('duration histogram', () => {
  it('puts each duration in a bucket 2^(1/4) wide and reads P90 back within that bucket', () => {
    const minutes = [3, 7, 15, 40, 90, 180, 600, 1440, 4000, 20_000];
    for (const m of minutes) {
      const values = Array.from({ length: 50 }, () => m * 60);
      const p90 = histogramQuantile(histOf(values), 0.9)!;
      // Interpolated inside the value's own bucket: off by less than the bucket's width either way.
      expect(p90 / (m * 60)).toBeGreaterThan(2 ** -0.25);
      expect(p90 / (m * 60)).toBeLessThan(2 ** 0.25);
    }
  });

  it('takes the nearest rank: P90 of 1..10 hours is about 9 hours, of one value that value', () => {
    const p90 = histogramQuantile(histOf(Array.from({ length: 10 }, (_, i) => (i + 1) * 3600)), 0.9)!;
    expect(p90 / 3600).toBeGreaterThanOrEqual(9);
    expect(p90 / 3600).toBeLessThan(9 * 2 ** 0.25);
    expect(histogramQuantile(histOf([]), 0.9)).toBeNull();
    expect(histogramQuantile(null, 0.9)).toBeNull();
    expect(histogramQuantile(histOf([30]), 0.9)).toBeLessThanOrEqual(60);
  });
});

describe('report deltas', () => {
  const facts = { unitBefore: 'u1', unitAfter: 'u1', overdueBefore: false, overdueAfter: false, receivedAt: '2026-03-01T16:30:00Z' };
  const ev = (e: Partial<ReportEvent>): ReportEvent => ({ type: 'NOTE', seq: 5, fromState: 'handling', toState: 'handling', occurredAt: new Date('2026-03-02T02:00:00Z'), data: {}, facts, ...e });

  it('counts by the day in China: 16:30 UTC is already the next day', () => {
    expect(chinaDay('2026-03-01T16:30:00Z')).toBe('2026-03-02');
    expect(chinaDay('2026-03-01T15:59:59Z')).toBe('2026-03-01');
  });

  it('counts sign-for and return on the day the task was dispatched', () => {
    const sign = reportDeltas(ev({ type: 'SIGN_FOR', fromState: 'dispatched', toState: 'handling', facts: { ...facts, dispatchedAt: '2026-02-27T09:00:00Z', signDueAt: '2026-03-02T03:00:00Z' } }));
    expect(sign.days).toEqual([{ day: '2026-02-27', unit: 'u1', counters: { signed_on_time: 1, sign_count: 1, sign_seconds: 3 * 86_400 - 7 * 3600 }, signSeconds: 3 * 86_400 - 7 * 3600 }]);
    const late = reportDeltas(ev({ type: 'SIGN_FOR', fromState: 'dispatched', toState: 'handling', facts: { ...facts, dispatchedAt: '2026-03-02T01:00:00Z', signDueAt: '2026-03-02T01:30:00Z' } }));
    expect(late.days[0]!.counters.signed_on_time).toBe(0);
  });

  it('moves open and overdue counts between units on a re-dispatch and drops them at completion', () => {
    const moved = reportDeltas(ev({ type: 'REDISPATCH', fromState: 'handling', toState: 'dispatched', facts: { ...facts, unitAfter: 'u2', overdueBefore: true, overdueAfter: true } }));
    expect(moved.open).toEqual([{ unit: 'u1', open: -1, overdue: -1 }, { unit: 'u2', open: 1, overdue: 1 }]);
    expect(moved.days).toEqual([{ day: '2026-03-02', unit: 'u2', counters: { dispatched: 1 } }]);
    const done = reportDeltas(ev({ type: 'COMPLETE', fromState: 'handling', toState: 'awaitingFeedback', facts: { ...facts, handlingDueAt: '2026-03-09T09:30:00Z' } }));
    expect(done.open).toEqual([{ unit: 'u1', open: -1, overdue: 0 }]);
    expect(done.days[0]!.counters).toMatchObject({ completed: 1, completed_on_time: 1 });
    const note = reportDeltas(ev({}));
    expect(note).toEqual({ days: [], open: [] });
  });
});

describe('measures', () => {
  it('leaves a rate null when there is nothing to divide by, and scores on the rates that exist', () => {
    const m = computeMeasures({ counters: { ...emptyCounters(), dispatched: 4, signed_on_time: 3 }, signHist: null, completeHist: null, open: 2, overdue: 1 }, DEFAULT_REPORT_SETTINGS);
    expect(m).toMatchObject({ responseRate: 0.75, resolutionRate: null, satisfactionRate: null, onTimeRate: null, open: 2, overdue: 1 });
    expect(m.compositeScore).toBe(75);
    expect(compositeScore({ response: null, resolution: null, satisfaction: null }, DEFAULT_REPORT_SETTINGS.weights)).toBeNull();
  });
});

describe('ranking classes', () => {
  const r = DEFAULT_REPORT_SETTINGS.ranking;
  it('marks the top and bottom tenth, the risers and the ten with most requests', () => {
    // 20 streets: s00 best … s19 worst; s01 was 10th last month; s19 has the most requests.
    const current = Array.from({ length: 20 }, (_, i) => ({ key: `s${String(i).padStart(2, '0')}`, score: 100 - i, received: i === 19 ? 1000 : 100 + i }));
    const previous = current.map((e) => ({ ...e, score: e.key === 's01' ? 90.5 : e.score }));
    const ranked = rankEntries(current, previous, r);
    const classes = Object.fromEntries(ranked.map((e) => [e.key, e.classes]));
    expect(ranked.map((e) => e.rank)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(classes.s00).toEqual(['advanced']);
    expect(classes.s01).toEqual(['advanced', 'improved']); // from 10th to 2nd
    expect(classes.s18).toEqual(['rectify', 'governance']);
    expect(classes.s19).toEqual(['rectify', 'governance']);
    expect(ranked.filter((e) => e.classes.includes('governance')).map((e) => e.key)).toEqual(['s10', 's11', 's12', 's13', 's14', 's15', 's16', 's17', 's18', 's19']);
    expect(classes.s05).toEqual([]);
  });

  it('leaves units without a score, or with too few requests, unranked', () => {
    const ranked = rankEntries([{ key: 'a', score: null, received: 30 }, { key: 'b', score: 80, received: 10 }, { key: 'c', score: 90, received: 4 }], [], r);
    expect(ranked).toMatchObject([{ key: 'b', rank: 1 }, { key: 'a', rank: null, classes: ['governance'] }, { key: 'c', rank: null, classes: [] }]);
  });

  it('gives tied scores one rank (并列) and classes only where scores differ', () => {
    const same = Array.from({ length: 12 }, (_, i) => ({ key: `t${i}`, score: 100, received: 10 }));
    const all = rankEntries(same, [], { ...r, governanceCount: 0 });
    expect(all.every((e) => e.rank === 1 && e.classes.length === 0)).toBe(true);
    // 10 streets: two tied at the top, three tied at the bottom.
    const scores = [99, 99, 90, 85, 80, 75, 70, 60, 60, 60];
    const mixed = rankEntries(scores.map((score, i) => ({ key: `m${i}`, score, received: 10 })), [], { ...r, governanceCount: 0 });
    expect(mixed.map((e) => e.rank)).toEqual([1, 1, 3, 4, 5, 6, 7, 8, 8, 8]);
    expect(mixed.filter((e) => e.classes.includes('advanced')).map((e) => e.key)).toEqual(['m0', 'm1']);
    expect(mixed.filter((e) => e.classes.includes('rectify')).map((e) => e.key)).toEqual(['m7', 'm8', 'm9']);
  });
});

describe('splitting a period into whole months and loose days', () => {
  it('reads whole months from month rows and the rest from day rows', () => {
    expect(splitByMonth('2026-03-01', '2026-03-31')).toEqual({ months: ['2026-03-01', '2026-03-01'], days: [] });
    expect(splitByMonth('2026-01-01', '2026-12-31')).toEqual({ months: ['2026-01-01', '2026-12-01'], days: [] });
    expect(splitByMonth('2026-03-15', '2026-05-10')).toEqual({ months: ['2026-04-01', '2026-04-01'], days: [['2026-03-15', '2026-03-31'], ['2026-05-01', '2026-05-10']] });
    expect(splitByMonth('2026-03-10', '2026-04-30')).toEqual({ months: ['2026-04-01', '2026-04-01'], days: [['2026-03-10', '2026-03-31']] });
    expect(splitByMonth('2026-03-02', '2026-03-30')).toEqual({ months: null, days: [['2026-03-02', '2026-03-30']] });
    expect(splitByMonth('2026-03-10', '2026-04-05')).toEqual({ months: null, days: [['2026-03-10', '2026-04-05']] });
    expect(splitByMonth('2026-11-22', '2026-11-22')).toEqual({ months: null, days: [['2026-11-22', '2026-11-22']] });
  });

  it('knows the length of February', () => {
    expect(splitByMonth('2026-02-01', '2026-02-28').months).toEqual(['2026-02-01', '2026-02-01']);
    expect(splitByMonth('2028-02-01', '2028-02-28')).toEqual({ months: null, days: [['2028-02-01', '2028-02-28']] });
    expect(splitByMonth('2028-02-01', '2028-02-29').months).toEqual(['2028-02-01', '2028-02-01']);
  });

  it('covers every day of any period exactly once', () => {
    let seed = 7;
    const rand = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
    for (let trial = 0; trial < 300; trial++) {
      const from = addDays('2025-01-01', rand(900));
      const to = addDays(from, rand(400));
      const { months, days } = splitByMonth(from, to);
      const covered: string[] = [];
      for (const [a, b] of days) for (let d = a; d <= b; d = addDays(d, 1)) covered.push(d);
      if (months) {
        for (let d = months[0]; d.slice(0, 7) <= months[1].slice(0, 7); d = addDays(d, 1)) covered.push(d);
      }
      const expected: string[] = [];
      for (let d = from; d <= to; d = addDays(d, 1)) expected.push(d);
      expect(covered.sort()).toEqual(expected);
    }
  });
});
