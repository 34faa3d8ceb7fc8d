/**
 * Working-day calendar for SLA deadlines: Mon–Fri plus an editable exception table
 * (public holidays and 调休 make-up working days). Pure, no I/O.
 */

export interface CalendarDay {
  /** 'YYYY-MM-DD', local date. */
  date: string;
  isWorkday: boolean;
  note: string;
}

type Block = readonly [firstDate: string, lastDate: string, note: string];

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

function dayIndexOf(date: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  // Rejects '2026-02-30' and the like, which Date.UTC would roll over.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return ms / DAY_MS;
}

function dateOfIndex(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Day 0 (1970-01-01) was a Thursday; returns 0 = Sunday … 6 = Saturday. */
function weekdayOfIndex(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

function holidays(blocks: readonly Block[]): CalendarDay[] {
  const out: CalendarDay[] = [];
  for (const [first, last, note] of blocks) {
    const a = dayIndexOf(first);
    const b = dayIndexOf(last);
    if (a === undefined || b === undefined || b < a) throw new Error(`bad holiday block ${first}..${last}`);
    for (let d = a; d <= b; d++) out.push({ date: dateOfIndex(d), isWorkday: false, note });
  }
  return out;
}

function makeUpDays(days: readonly (readonly [date: string, note: string])[]): CalendarDay[] {
  return days.map(([date, note]) => ({ date, isWorkday: true, note }));
}

/** Years whose entries are statutory days only, pending the State Council notice. */
export const CALENDAR_PROVISIONAL_YEARS: readonly number[] = [2027];

/** Statutory days per the 2024 revision of 全国年节及纪念日放假办法, no 调休 yet. */
const provisional = (name: string): string => `暂定:${name}(法定假日,待国务院办公厅2027年节假日安排通知发布后替换)`;

/**
 * Exceptions to the Mon–Fri rule, 2025–2027.
 * 2025: 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号, 2024-11-12).
 * 2026: 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04).
 * 2027: provisional, see CALENDAR_PROVISIONAL_YEARS.
 */
export const CHINA_CALENDAR_2025_2027: readonly CalendarDay[] = Object.freeze([
  // 2025
  ...holidays([
    ['2025-01-01', '2025-01-01', '元旦'],
    ['2025-01-28', '2025-02-04', '春节'],
    ['2025-04-04', '2025-04-06', '清明节'],
    ['2025-05-01', '2025-05-05', '劳动节'],
    ['2025-05-31', '2025-06-02', '端午节'],
    ['2025-10-01', '2025-10-08', '国庆节、中秋节'],
  ]),
  ...makeUpDays([
    ['2025-01-26', '春节调休上班'],
    ['2025-02-08', '春节调休上班'],
    ['2025-04-27', '劳动节调休上班'],
    ['2025-09-28', '国庆节、中秋节调休上班'],
    ['2025-10-11', '国庆节、中秋节调休上班'],
  ]),
  // 2026
  ...holidays([
    ['2026-01-01', '2026-01-03', '元旦'],
    ['2026-02-15', '2026-02-23', '春节'],
    ['2026-04-04', '2026-04-06', '清明节'],
    ['2026-05-01', '2026-05-05', '劳动节'],
    ['2026-06-19', '2026-06-21', '端午节'],
    ['2026-09-25', '2026-09-27', '中秋节'],
    ['2026-10-01', '2026-10-07', '国庆节'],
  ]),
  ...makeUpDays([
    ['2026-01-04', '元旦调休上班'],
    ['2026-02-14', '春节调休上班'],
    ['2026-02-28', '春节调休上班'],
    ['2026-05-09', '劳动节调休上班'],
    ['2026-09-20', '国庆节调休上班'],
    ['2026-10-10', '国庆节调休上班'],
  ]),
  // 2027: lunar dates checked by new-moon computation (正月初一 = 2027-02-06, conjunction 23:56 Beijing time).
  ...holidays([
    ['2027-01-01', '2027-01-01', provisional('元旦')],
    ['2027-02-05', '2027-02-08', provisional('春节')],
    ['2027-04-05', '2027-04-05', provisional('清明节')],
    ['2027-05-01', '2027-05-02', provisional('劳动节')],
    ['2027-06-09', '2027-06-09', provisional('端午节')],
    ['2027-09-15', '2027-09-15', provisional('中秋节')],
    ['2027-10-01', '2027-10-03', provisional('国庆节')],
  ]),
].map((d) => Object.freeze(d)));

/** [startMinute, endMinute) after local midnight. */
export type WorkingInterval = readonly [startMinute: number, endMinute: number];

/** 09:00–12:00, 13:30–17:30. */
export const DEFAULT_WORKING_HOURS: readonly WorkingInterval[] = Object.freeze([
  Object.freeze([540, 720] as const),
  Object.freeze([810, 1050] as const),
]);

export interface WorkCalendarOptions {
  workingHours?: readonly WorkingInterval[];
  /** Fixed offset from UTC; China has no DST. Default 480 (UTC+8). */
  utcOffsetMinutes?: number;
}

/** A run of this many non-working days means the table is broken; stop rather than spin. */
const MAX_IDLE_DAYS = 3 * 366;
/** Hard bound on any single scan, whatever the amount. */
const MAX_SCAN_DAYS = 50 * 366;

export class WorkCalendar {
  private readonly exceptions = new Map<number, boolean>();
  /** Interval bounds in ms after local midnight. */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly dayMs: number;
  private readonly offsetMs: number;
  private readonly lastEndMs: number;

  constructor(exceptions: readonly CalendarDay[], opts: WorkCalendarOptions = {}) {
    for (const e of exceptions) {
      const day = dayIndexOf(e.date);
      if (day === undefined) throw new Error(`WorkCalendar: invalid date '${e.date}' (expected YYYY-MM-DD)`);
      if (this.exceptions.has(day)) throw new Error(`WorkCalendar: duplicate calendar entry for ${e.date}`);
      this.exceptions.set(day, e.isWorkday);
    }

    const offset = opts.utcOffsetMinutes ?? 480;
    if (!Number.isInteger(offset) || Math.abs(offset) > 14 * 60) {
      throw new Error(`WorkCalendar: utcOffsetMinutes must be an integer within ±840, got ${offset}`);
    }
    this.offsetMs = offset * MINUTE_MS;

    const hours = opts.workingHours ?? DEFAULT_WORKING_HOURS;
    if (hours.length === 0) throw new Error('WorkCalendar: workingHours must contain at least one interval');
    let prevEnd = 0;
    let total = 0;
    for (const [s, e] of hours) {
      if (!Number.isFinite(s) || !Number.isFinite(e) || s < prevEnd || e <= s || e > 1440) {
        throw new Error(`WorkCalendar: working interval [${s}, ${e}] must be ascending, non-overlapping, within 0..1440`);
      }
      this.starts.push(Math.round(s * MINUTE_MS));
      this.ends.push(Math.round(e * MINUTE_MS));
      total += Math.round(e * MINUTE_MS) - Math.round(s * MINUTE_MS);
      prevEnd = e;
    }
    this.dayMs = total;
    this.lastEndMs = this.ends[this.ends.length - 1] ?? 0;
  }

  isWorkday(date: string): boolean {
    const day = dayIndexOf(date);
    if (day === undefined) throw new Error(`WorkCalendar: invalid date '${date}' (expected YYYY-MM-DD)`);
    return this.isWorkdayIndex(day);
  }

  localDate(at: Date): string {
    return dateOfIndex(this.split(at.getTime())[0]);
  }

  /** True inside a working interval [start, end) of a working day. */
  isWorkingTime(at: Date): boolean {
    const [day, ms] = this.split(at.getTime());
    if (!this.isWorkdayIndex(day)) return false;
    for (let i = 0; i < this.starts.length; i++) {
      if (ms >= this.starts[i]! && ms < this.ends[i]!) return true;
    }
    return false;
  }

  /** End of working hours (last interval end) on the n-th working day AFTER the local date of `from` (the day of receipt is not counted). n >= 1. */
  addWorkingDays(from: Date, n: number): Date {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`addWorkingDays: n must be an integer >= 1, got ${n}`);
    const start = this.split(from.getTime())[0];
    let day = start;
    let left = n;
    let idle = 0;
    while (left > 0) {
      day++;
      if (this.isWorkdayIndex(day)) {
        left--;
        idle = 0;
      } else {
        this.guardIdle(++idle, day);
      }
    }
    return this.instant(day, this.lastEndMs);
  }

  /** Add working time: only minutes inside working intervals of working days count. Starting outside working time starts at the next interval start. minutes >= 0 (fractional allowed). addWorkingMinutes(x, 0) returns the start of the next working moment if x is outside working time, else x. */
  addWorkingMinutes(from: Date, minutes: number): Date {
    if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`addWorkingMinutes: minutes must be finite and >= 0, got ${minutes}`);
    // Date has millisecond resolution, so work in whole ms to keep the inverse exact.
    let left = Math.round(minutes * MINUTE_MS);
    const [startDay, startMs] = this.split(from.getTime());
    let day = startDay;
    let pos = startMs;
    let idle = 0;
    for (;;) {
      if (this.isWorkdayIndex(day)) {
        idle = 0;
        // Whole day fits strictly: skip it without visiting intervals.
        if (pos === 0 && left > this.dayMs) {
          left -= this.dayMs;
        } else {
          for (let i = 0; i < this.starts.length; i++) {
            const e = this.ends[i]!;
            if (pos >= e) continue;
            const s = Math.max(pos, this.starts[i]!);
            if (left <= e - s) return this.instant(day, s + left);
            left -= e - s;
            pos = e;
          }
        }
      } else {
        this.guardIdle(++idle, day);
      }
      day++;
      pos = 0;
      if (day - startDay > MAX_SCAN_DAYS) {
        throw new RangeError(`addWorkingMinutes: ${minutes} minutes reach beyond ${MAX_SCAN_DAYS} days from ${dateOfIndex(startDay)}`);
      }
    }
  }

  /** Working minutes between a and b (0 if b <= a). Inverse of addWorkingMinutes. */
  workingMinutesBetween(a: Date, b: Date): number {
    const am = a.getTime();
    const bm = b.getTime();
    if (!(bm > am)) return 0;
    const [dayA, msA] = this.split(am);
    const [dayB, msB] = this.split(bm);
    if (dayA === dayB) return this.workedMs(dayA, msA, msB) / MINUTE_MS;
    let total = this.workedMs(dayA, msA, DAY_MS) + this.workedMs(dayB, 0, msB);
    for (let d = dayA + 1; d < dayB; d++) if (this.isWorkdayIndex(d)) total += this.dayMs;
    return total / MINUTE_MS;
  }

  private isWorkdayIndex(day: number): boolean {
    const e = this.exceptions.get(day);
    if (e !== undefined) return e;
    const w = weekdayOfIndex(day);
    return w >= 1 && w <= 5;
  }

  /** [local day index, ms after local midnight]. */
  private split(utcMs: number): [number, number] {
    if (!Number.isFinite(utcMs)) throw new RangeError('WorkCalendar: invalid Date');
    const local = utcMs + this.offsetMs;
    const day = Math.floor(local / DAY_MS);
    return [day, local - day * DAY_MS];
  }

  private instant(day: number, msOfDay: number): Date {
    return new Date(day * DAY_MS + msOfDay - this.offsetMs);
  }

  private workedMs(day: number, from: number, to: number): number {
    if (!this.isWorkdayIndex(day)) return 0;
    let sum = 0;
    for (let i = 0; i < this.starts.length; i++) {
      const overlap = Math.min(this.ends[i]!, to) - Math.max(this.starts[i]!, from);
      if (overlap > 0) sum += overlap;
    }
    return sum;
  }

  private guardIdle(idleDays: number, day: number): void {
    if (idleDays > MAX_IDLE_DAYS) {
      throw new Error(
        `WorkCalendar: no working day in the ${MAX_IDLE_DAYS} days up to ${dateOfIndex(day)}; check the calendar exceptions`,
      );
    }
  }
}
