import { describe, expect, it } from 'vitest';
import {
  CALENDAR_PROVISIONAL_YEARS, CHINA_CALENDAR_2025_2027, DEFAULT_WORKING_HOURS, WorkCalendar, type CalendarDay,
} from './calendar.js';
import {
  addDuration, DEFAULT_SLA_POLICIES, dueAt, ESCALATION_WORKING_DAYS, isWorkingBasis, reminderAt, remainingOf, resumeFrom,
  validateSlaDuration, type DurationUnit,
} from './sla.js';
import { URGENCIES } from './petition.js';
// Deterministic PRNG so a property failure reproduces.
import { mulberry32 } from '../../../test/support/random.js';

const cal = new WorkCalendar(CHINA_CALENDAR_2025_2027);
const at = (s: string): Date => new Date(s);
/** Compare as ISO strings so a failure shows both instants. */
const same = (actual: Date, expected: string): void => {
  expect(actual.toISOString()).toBe(new Date(expected).toISOString());
};

const weekday = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay();

describe('calendar data', () => {
  const byDate = new Map(CHINA_CALENDAR_2025_2027.map((d) => [d.date, d]));
  const block = (year: number, note: string): CalendarDay[] =>
    CHINA_CALENDAR_2025_2027.filter((d) => d.date.startsWith(`${year}-`) && !d.isWorkday && d.note.endsWith(note));

  it('has unique, valid dates within 2025–2027', () => {
    expect(byDate.size).toBe(CHINA_CALENDAR_2025_2027.length);
    for (const d of CHINA_CALENDAR_2025_2027) {
      expect(d.date).toMatch(/^202[5-7]-\d{2}-\d{2}$/);
      expect(new Date(`${d.date}T00:00:00Z`).toISOString().slice(0, 10)).toBe(d.date);
      expect(d.note.length).toBeGreaterThan(0);
    }
  });

  it('has make-up working days only on Saturdays and Sundays', () => {
    const makeUp = CHINA_CALENDAR_2025_2027.filter((d) => d.isWorkday);
    expect(makeUp.map((d) => d.date).sort()).toEqual([
      '2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11',
      '2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10',
    ]);
    for (const d of makeUp) {
      expect([0, 6]).toContain(weekday(d.date));
      expect(d.note).toMatch(/调休上班$/);
    }
  });

  it('counts each holiday block as the State Council notices say', () => {
    expect(block(2025, '元旦')).toHaveLength(1);
    expect(block(2025, '春节')).toHaveLength(8);
    expect(block(2025, '清明节')).toHaveLength(3);
    expect(block(2025, '劳动节')).toHaveLength(5);
    expect(block(2025, '端午节')).toHaveLength(3);
    expect(block(2025, '国庆节、中秋节')).toHaveLength(8);
    expect(block(2026, '元旦')).toHaveLength(3);
    expect(block(2026, '春节')).toHaveLength(9);
    expect(block(2026, '清明节')).toHaveLength(3);
    expect(block(2026, '劳动节')).toHaveLength(5);
    expect(block(2026, '端午节')).toHaveLength(3);
    expect(block(2026, '中秋节')).toHaveLength(3);
    expect(block(2026, '国庆节')).toHaveLength(7);
    expect(block(2026, '春节').map((d) => d.date)[0]).toBe('2026-02-15');
    expect(block(2026, '春节').map((d) => d.date)[8]).toBe('2026-02-23');
    expect(CHINA_CALENDAR_2025_2027.filter((d) => d.date.startsWith('2025-') && !d.isWorkday)).toHaveLength(28);
    expect(CHINA_CALENDAR_2025_2027.filter((d) => d.date.startsWith('2026-') && !d.isWorkday)).toHaveLength(33);
  });

  it('marks 2027 as provisional statutory days with no make-up days', () => {
    expect(CALENDAR_PROVISIONAL_YEARS).toEqual([2027]);
    const y2027 = CHINA_CALENDAR_2025_2027.filter((d) => d.date.startsWith('2027-'));
    expect(y2027.every((d) => !d.isWorkday && d.note.startsWith('暂定'))).toBe(true);
    expect(y2027.map((d) => d.date)).toEqual([
      '2027-01-01', '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-04-05',
      '2027-05-01', '2027-05-02', '2027-06-09', '2027-09-15', '2027-10-01', '2027-10-02', '2027-10-03',
    ]);
  });
});

describe('WorkCalendar days', () => {
  it('counts a make-up Saturday as a working day and a weekday holiday as not', () => {
    expect(cal.isWorkday('2025-02-08')).toBe(true); // Sat, 春节调休上班
    expect(cal.isWorkday('2026-02-28')).toBe(true); // Sat, 春节调休上班
    expect(cal.isWorkday('2026-01-04')).toBe(true); // Sun, 元旦调休上班
    expect(cal.isWorkday('2025-10-08')).toBe(false); // Wed, 国庆
    expect(cal.isWorkday('2026-02-23')).toBe(false); // Mon, 春节
    expect(cal.isWorkday('2026-03-07')).toBe(false); // ordinary Saturday
    expect(cal.isWorkday('2026-03-04')).toBe(true); // ordinary Wednesday
    expect(cal.isWorkday('2030-01-02')).toBe(true); // beyond the table: Mon–Fri rule
    expect(() => cal.isWorkday('2026-02-30')).toThrow(/invalid date/);
  });

  it('gives the local date in UTC+8', () => {
    expect(cal.localDate(at('2026-11-21T20:30:00Z'))).toBe('2026-11-22');
    expect(cal.localDate(at('2026-11-21T15:59:59.999Z'))).toBe('2026-11-21');
    expect(new WorkCalendar([], { utcOffsetMinutes: 0 }).localDate(at('2026-11-21T20:30:00Z'))).toBe('2026-11-21');
  });

  it('counts 5 working days from Fri 2026-02-13 across the Spring Festival', () => {
    // 2/14 Sat make-up (1), 2/15–2/23 off, 2/24 (2), 2/25 (3), 2/26 (4), 2/27 (5).
    const from = at('2026-02-13T10:00:00+08:00');
    same(cal.addWorkingDays(from, 1), '2026-02-14T17:30:00+08:00');
    same(cal.addWorkingDays(from, 2), '2026-02-24T17:30:00+08:00');
    same(cal.addWorkingDays(from, 5), '2026-02-27T17:30:00+08:00');
    // The next one is the 2/28 make-up Saturday.
    same(cal.addWorkingDays(at('2026-02-27T10:00:00+08:00'), 1), '2026-02-28T17:30:00+08:00');
  });

  it('handles a request at 23:59 on the eve of the National Day holiday', () => {
    const eve = at('2025-09-30T23:59:00+08:00');
    // 10/9, 10/10, 10/11 (Sat make-up), 10/13, 10/14.
    same(cal.addWorkingDays(eve, 5), '2025-10-14T17:30:00+08:00');
    same(cal.addWorkingDays(eve, 1), '2025-10-09T17:30:00+08:00');
    same(cal.addWorkingMinutes(eve, 120), '2025-10-09T11:00:00+08:00');
    same(addDuration(cal, eve, { amount: 2, unit: 'working_hours' }), '2025-10-09T11:00:00+08:00');
    same(addDuration(cal, eve, { amount: 1, unit: 'working_days' }), '2025-10-09T17:30:00+08:00');
  });

  it('does not count the day of receipt even when it arrives before opening', () => {
    same(cal.addWorkingDays(at('2026-03-04T07:00:00+08:00'), 1), '2026-03-05T17:30:00+08:00');
    // 00:30 local on 3/5 is still 3/5 locally though 3/4 in UTC.
    same(cal.addWorkingDays(at('2026-03-04T16:30:00Z'), 1), '2026-03-06T17:30:00+08:00');
  });

  it('rejects bad arguments', () => {
    expect(() => cal.addWorkingDays(at('2026-03-04T10:00:00+08:00'), 0)).toThrow(RangeError);
    expect(() => cal.addWorkingDays(at('2026-03-04T10:00:00+08:00'), 1.5)).toThrow(RangeError);
    expect(() => cal.addWorkingMinutes(at('2026-03-04T10:00:00+08:00'), -1)).toThrow(RangeError);
    expect(() => cal.addWorkingMinutes(at('2026-03-04T10:00:00+08:00'), Number.NaN)).toThrow(RangeError);
    expect(() => cal.addWorkingMinutes(new Date(Number.NaN), 1)).toThrow(/invalid Date/);
  });
});

describe('WorkCalendar working time', () => {
  it('runs across lunch and across a night', () => {
    same(cal.addWorkingMinutes(at('2026-03-04T11:00:00+08:00'), 120), '2026-03-04T14:30:00+08:00');
    same(cal.addWorkingMinutes(at('2026-03-04T17:00:00+08:00'), 60), '2026-03-05T09:30:00+08:00');
    same(cal.addWorkingMinutes(at('2026-03-06T17:00:00+08:00'), 60), '2026-03-09T09:30:00+08:00'); // over a weekend
    expect(cal.workingMinutesBetween(at('2026-03-04T11:00:00+08:00'), at('2026-03-04T14:30:00+08:00'))).toBe(120);
  });

  it('starts a request received at lunch at 13:30', () => {
    same(cal.addWorkingMinutes(at('2026-03-04T12:30:00+08:00'), 30), '2026-03-04T14:00:00+08:00');
    same(cal.addWorkingMinutes(at('2026-03-04T12:30:00+08:00'), 0), '2026-03-04T13:30:00+08:00');
    same(cal.addWorkingMinutes(at('2026-03-04T10:00:00+08:00'), 0), '2026-03-04T10:00:00+08:00');
    same(cal.addWorkingMinutes(at('2026-03-06T17:30:00+08:00'), 0), '2026-03-09T09:00:00+08:00');
  });

  it('ends exactly at an interval end when the time runs out there', () => {
    same(cal.addWorkingMinutes(at('2026-03-04T09:00:00+08:00'), 180), '2026-03-04T12:00:00+08:00');
    same(cal.addWorkingMinutes(at('2026-03-04T00:00:00+08:00'), 420), '2026-03-04T17:30:00+08:00');
    // Three full days: Wed, Thu (skipped whole), Fri.
    same(cal.addWorkingMinutes(at('2026-03-04T09:00:00+08:00'), 3 * 420), '2026-03-06T17:30:00+08:00');
  });

  it('counts the make-up Saturday and skips the Spring Festival in working hours', () => {
    same(cal.addWorkingMinutes(at('2026-02-13T16:30:00+08:00'), 120), '2026-02-14T10:00:00+08:00');
    same(cal.addWorkingMinutes(at('2026-02-14T16:30:00+08:00'), 120), '2026-02-24T10:00:00+08:00');
    // Fri 10–17:30 = 360, Sat 2/14 = 420, 2/24 09–10 = 60.
    expect(cal.workingMinutesBetween(at('2026-02-13T10:00:00+08:00'), at('2026-02-24T10:00:00+08:00'))).toBe(840);
    expect(cal.workingMinutesBetween(at('2026-02-24T10:00:00+08:00'), at('2026-02-13T10:00:00+08:00'))).toBe(0);
  });

  it('reports working time as half-open intervals on working days', () => {
    expect(cal.isWorkingTime(at('2026-03-04T09:00:00+08:00'))).toBe(true);
    expect(cal.isWorkingTime(at('2026-03-04T12:00:00+08:00'))).toBe(false);
    expect(cal.isWorkingTime(at('2026-02-14T10:00:00+08:00'))).toBe(true); // make-up Saturday
    expect(cal.isWorkingTime(at('2026-02-16T10:00:00+08:00'))).toBe(false); // 春节 Monday
  });

  it('honours custom working hours and offset', () => {
    const c = new WorkCalendar([], { workingHours: [[480, 1200]], utcOffsetMinutes: 0 });
    same(c.addWorkingMinutes(at('2026-03-04T19:00:00Z'), 120), '2026-03-05T09:00:00Z');
    same(c.addWorkingDays(at('2026-03-04T19:00:00Z'), 1), '2026-03-05T20:00:00Z');
  });

  it('rejects a broken table instead of looping', () => {
    const dead: CalendarDay[] = [];
    for (let d = Date.UTC(2026, 0, 1); d < Date.UTC(2029, 6, 1); d += 86_400_000) {
      dead.push({ date: new Date(d).toISOString().slice(0, 10), isWorkday: false, note: 'x' });
    }
    const c = new WorkCalendar(dead);
    expect(() => c.addWorkingDays(at('2026-01-01T10:00:00+08:00'), 1)).toThrow(/no working day/);
    expect(() => c.addWorkingMinutes(at('2026-01-01T10:00:00+08:00'), 1)).toThrow(/no working day/);
    expect(() => cal.addWorkingMinutes(at('2026-01-01T10:00:00+08:00'), 1e12)).toThrow(RangeError);
    expect(() => new WorkCalendar([], { workingHours: [] })).toThrow(/at least one/);
    expect(() => new WorkCalendar([], { workingHours: [[720, 540]] })).toThrow(/working interval/);
    expect(() => new WorkCalendar([], { workingHours: [[540, 720], [700, 800]] })).toThrow(/working interval/);
    expect(() => new WorkCalendar([{ date: '2026-13-01', isWorkday: false, note: '' }])).toThrow(/invalid date/);
    const dup = { date: '2026-03-04', isWorkday: false, note: '' };
    expect(() => new WorkCalendar([dup, dup])).toThrow(/duplicate/);
    expect(() => new WorkCalendar([], { utcOffsetMinutes: 1000 })).toThrow(/utcOffsetMinutes/);
  });

  it('inverts addWorkingMinutes for random starts and amounts', () => {
    const rnd = mulberry32(12345);
    const lo = Date.UTC(2024, 11, 20);
    const hi = Date.UTC(2027, 11, 31);
    for (let i = 0; i < 5000; i++) {
      const a = new Date(lo + Math.floor(rnd() * (hi - lo)));
      // Whole milliseconds: Date cannot hold finer instants.
      const m = Math.floor(rnd() * 20 * 420 * 60_000) / 60_000;
      const b = cal.addWorkingMinutes(a, m);
      expect(b.getTime()).toBeGreaterThanOrEqual(a.getTime());
      expect(Math.abs(cal.workingMinutesBetween(a, b) - m)).toBeLessThan(1e-6);
      if (m > 0) expect(cal.isWorkingTime(new Date(b.getTime() - 1))).toBe(true);
    }
  });

  it('always lands working days on a working day at 17:30', () => {
    const rnd = mulberry32(7);
    const lo = Date.UTC(2025, 0, 1);
    const hi = Date.UTC(2027, 11, 1);
    for (let i = 0; i < 2000; i++) {
      const a = new Date(lo + Math.floor(rnd() * (hi - lo)));
      const n = 1 + Math.floor(rnd() * 20);
      const due = cal.addWorkingDays(a, n);
      expect(cal.isWorkday(cal.localDate(due))).toBe(true);
      expect(due.toISOString().slice(11, 16)).toBe('09:30'); // 17:30 +08:00
      expect(cal.localDate(due) > cal.localDate(a)).toBe(true);
    }
  });

  it('is fast enough for ~10k deadline computations a second', () => {
    const rnd = mulberry32(99);
    const lo = Date.UTC(2025, 0, 1);
    const t0 = performance.now();
    for (let i = 0; i < 10_000; i++) {
      const a = new Date(lo + Math.floor(rnd() * 3 * 365 * 86_400_000));
      const due = cal.addWorkingDays(a, 15);
      reminderAt(cal, a, due, 'working_days', 0.75);
      cal.addWorkingMinutes(a, 120);
    }
    // Generous bound; typical runs take a few tens of ms.
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('SLA maths', () => {
  it('keeps clock durations on the clock across holidays', () => {
    const nye = at('2025-12-31T23:00:00+08:00');
    same(addDuration(cal, nye, DEFAULT_SLA_POLICIES.emergency.handling), '2026-01-01T01:00:00+08:00');
    same(dueAt('handling', 'emergency', nye), '2026-01-01T01:00:00+08:00');
    same(addDuration(cal, nye, { amount: 30, unit: 'minutes' }), '2025-12-31T23:30:00+08:00');
    same(addDuration(cal, at('2026-02-13T10:00:00+08:00'), { amount: 7, unit: 'calendar_days' }), '2026-02-20T10:00:00+08:00');
  });

  it('places the reminder in working time for working-day policies', () => {
    const start = at('2026-02-13T10:00:00+08:00');
    const due = addDuration(cal, start, DEFAULT_SLA_POLICIES.normal.handling);
    same(due, '2026-02-27T17:30:00+08:00');
    // 2460 working minutes × 0.75 = 1845: 360 + 420 + 420 + 420 leaves 225 on 2/26 → 14:15.
    same(reminderAt(cal, start, due, 'working_days', 0.75), '2026-02-26T14:15:00+08:00');
    // 75% of 4 working hours from 09:00 is 12:00 sharp: fire when work resumes.
    const s2 = at('2026-03-04T09:00:00+08:00');
    const d2 = addDuration(cal, s2, { amount: 4, unit: 'working_hours' });
    same(d2, '2026-03-04T14:30:00+08:00');
    same(reminderAt(cal, s2, d2, 'working_hours', 0.75), '2026-03-04T13:30:00+08:00');

    const rnd = mulberry32(2024);
    for (let i = 0; i < 2000; i++) {
      const s = new Date(Date.UTC(2025, 0, 1) + Math.floor(rnd() * 3 * 365 * 86_400_000));
      const units: DurationUnit[] = ['working_days', 'working_hours'];
      const unit = units[i % 2]!;
      const d = addDuration(cal, s, { amount: 1 + Math.floor(rnd() * 15), unit });
      const r = reminderAt(cal, s, d, unit, 0.75);
      expect(cal.isWorkingTime(r)).toBe(true);
      expect(r.getTime()).toBeLessThan(d.getTime());
      expect(r.getTime()).toBeGreaterThanOrEqual(s.getTime());
    }
  });

  it('places the reminder in clock time for clock policies', () => {
    const nye = at('2025-12-31T23:00:00+08:00');
    const due = addDuration(cal, nye, DEFAULT_SLA_POLICIES.emergency.handling);
    same(reminderAt(cal, nye, due, 'hours', 0.75), '2026-01-01T00:30:00+08:00');
    expect(() => reminderAt(cal, nye, due, 'hours', 1)).toThrow(RangeError);
  });

  it('round-trips a pause on a Friday and a resume after the National Day holiday', () => {
    const pausedAt = at('2026-09-18T15:00:00+08:00'); // Friday
    const due = at('2026-09-24T17:30:00+08:00');
    // Fri 150 + Sun 9/20 make-up 420 + Mon–Thu 4 × 420.
    const left = remainingOf(cal, pausedAt, due, 'working_days');
    expect(left).toBe(2250);
    const resumedAt = at('2026-10-08T09:00:00+08:00');
    // 10/8, 10/9, 10/10 (make-up Sat), 10/12, 10/13 use 2100; 150 left on 10/14.
    const newDue = resumeFrom(cal, resumedAt, left, 'working_days');
    same(newDue, '2026-10-14T11:30:00+08:00');
    expect(remainingOf(cal, resumedAt, newDue, 'working_days')).toBe(left);
  });

  it('round-trips clock deadlines in milliseconds and never goes negative', () => {
    const now = at('2026-01-01T00:00:00+08:00');
    const due = at('2026-01-01T02:00:00+08:00');
    expect(remainingOf(cal, now, due, 'hours')).toBe(7_200_000);
    same(resumeFrom(cal, at('2026-01-05T10:00:00+08:00'), 7_200_000, 'hours'), '2026-01-05T12:00:00+08:00');
    expect(remainingOf(cal, due, now, 'hours')).toBe(0);
    expect(remainingOf(cal, due, now, 'working_hours')).toBe(0);
    expect(() => resumeFrom(cal, now, -1, 'hours')).toThrow(RangeError);
  });

  it('classifies bases and validates durations', () => {
    expect(isWorkingBasis('working_hours')).toBe(true);
    expect(isWorkingBasis('working_days')).toBe(true);
    expect(isWorkingBasis('hours')).toBe(false);
    expect(isWorkingBasis('calendar_days')).toBe(false);
    expect(validateSlaDuration({ amount: 5, unit: 'working_days' })).toBeNull();
    expect(validateSlaDuration({ amount: 1.5, unit: 'hours' })).toBeNull();
    expect(validateSlaDuration({ amount: 1000, unit: 'calendar_days' })).toBeNull();
    expect(validateSlaDuration({ amount: 0, unit: 'hours' })).toMatch(/positive/);
    expect(validateSlaDuration({ amount: -1, unit: 'minutes' })).toMatch(/positive/);
    expect(validateSlaDuration({ amount: Number.NaN, unit: 'minutes' })).toMatch(/positive/);
    expect(validateSlaDuration({ amount: Number.POSITIVE_INFINITY, unit: 'minutes' })).toMatch(/positive/);
    expect(validateSlaDuration({ amount: 1001, unit: 'calendar_days' })).toMatch(/exceeds/);
    expect(validateSlaDuration({ amount: 24_001, unit: 'hours' })).toMatch(/exceeds/);
    expect(validateSlaDuration({ amount: 1001, unit: 'working_days' })).toMatch(/exceeds/);
    expect(validateSlaDuration({ amount: 1.5, unit: 'working_days' })).toMatch(/whole number/);
    expect(validateSlaDuration({ amount: 1, unit: 'fortnights' as DurationUnit })).toMatch(/unknown/);
  });

  it('ships valid default policies matching DOMAIN.md', () => {
    for (const u of URGENCIES) {
      const p = DEFAULT_SLA_POLICIES[u];
      expect(validateSlaDuration(p.signFor)).toBeNull();
      expect(validateSlaDuration(p.handling)).toBeNull();
      expect(validateSlaDuration(p.feedback)).toBeNull();
      expect(p.reminderShare).toBe(0.75);
    }
    expect(DEFAULT_SLA_POLICIES.normal.signFor).toEqual({ amount: 2, unit: 'working_hours' });
    expect(DEFAULT_SLA_POLICIES.complex.handling).toEqual({ amount: 15, unit: 'working_days' });
    expect(DEFAULT_WORKING_HOURS).toEqual([[540, 720], [810, 1050]]);
  });

  it('keeps the deprecated dueAt working on the default policies', () => {
    const from = at('2026-02-13T10:00:00+08:00');
    same(dueAt('sign_for', 'normal', from), '2026-02-13T12:00:00+08:00');
    same(dueAt('handling', 'normal', from), '2026-02-27T17:30:00+08:00');
    same(dueAt('feedback', 'normal', from), '2026-02-14T17:30:00+08:00');
    same(dueAt('handling_reminder', 'normal', from), '2026-02-26T14:15:00+08:00');
    // ESCALATION_WORKING_DAYS after 2/27: 2/28 (make-up Sat), 3/2, 3/3, 3/4, 3/5.
    expect(ESCALATION_WORKING_DAYS).toBe(5);
    same(dueAt('handling_escalation', 'normal', from), '2026-03-05T17:30:00+08:00');
    same(dueAt('sign_for', 'complex', from), '2026-02-14T17:30:00+08:00');
  });
});
