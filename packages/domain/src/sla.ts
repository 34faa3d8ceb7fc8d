import { CHINA_CALENDAR_2025_2027, WorkCalendar } from './calendar.js';
import type { Urgency } from './petition.js';

export type DeadlineKind = 'sign_for' | 'handling' | 'feedback' | 'handling_reminder' | 'handling_escalation';

export type DurationUnit = 'minutes' | 'hours' | 'calendar_days' | 'working_hours' | 'working_days';

export interface SlaDuration {
  amount: number;
  unit: DurationUnit;
}

export interface SlaPolicy {
  signFor: SlaDuration;
  handling: SlaDuration;
  feedback: SlaDuration;
  /** share of the handling time at which the 催办 reminder fires, 0<x<1 */
  reminderShare: number;
}

/** shared/DOMAIN.md "Time limits"; emergencies and utilities run 24/7 on the clock. */
export const DEFAULT_SLA_POLICIES: Record<Urgency, SlaPolicy> = {
  emergency: {
    signFor: { amount: 30, unit: 'minutes' },
    handling: { amount: 2, unit: 'hours' },
    feedback: { amount: 1, unit: 'working_days' },
    reminderShare: 0.75,
  },
  utilities: {
    signFor: { amount: 60, unit: 'minutes' },
    handling: { amount: 24, unit: 'hours' },
    feedback: { amount: 1, unit: 'working_days' },
    reminderShare: 0.75,
  },
  normal: {
    signFor: { amount: 2, unit: 'working_hours' },
    handling: { amount: 5, unit: 'working_days' },
    feedback: { amount: 1, unit: 'working_days' },
    reminderShare: 0.75,
  },
  complex: {
    signFor: { amount: 1, unit: 'working_days' },
    handling: { amount: 15, unit: 'working_days' },
    feedback: { amount: 1, unit: 'working_days' },
    reminderShare: 0.75,
  },
};

/** Escalation to leaders (通报) this many working days after the handling deadline. */
export const ESCALATION_WORKING_DAYS = 5;

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export function isWorkingBasis(unit: DurationUnit): boolean {
  return unit === 'working_hours' || unit === 'working_days';
}

export function addDuration(cal: WorkCalendar, from: Date, d: SlaDuration): Date {
  switch (d.unit) {
    case 'minutes': return new Date(from.getTime() + Math.round(d.amount * MINUTE_MS));
    case 'hours': return new Date(from.getTime() + Math.round(d.amount * HOUR_MS));
    case 'calendar_days': return new Date(from.getTime() + Math.round(d.amount * DAY_MS));
    case 'working_hours': return cal.addWorkingMinutes(from, d.amount * 60);
    case 'working_days': return cal.addWorkingDays(from, d.amount);
  }
}

/** When the reminder fires: share of the way from start to due, measured in working time for working-basis durations, clock time otherwise. */
export function reminderAt(cal: WorkCalendar, start: Date, due: Date, unit: DurationUnit, share: number): Date {
  if (!(share > 0 && share < 1)) throw new RangeError(`reminderAt: share must be in (0, 1), got ${share}`);
  if (isWorkingBasis(unit)) {
    const at = cal.addWorkingMinutes(start, cal.workingMinutesBetween(start, due) * share);
    // Landing exactly on an interval end (12:00, 17:30) would fire while nobody works: move to the next start.
    return cal.addWorkingMinutes(at, 0);
  }
  return new Date(start.getTime() + Math.round((due.getTime() - start.getTime()) * share));
}

/** Remaining time of a running deadline for 挂起: working minutes for working-basis units, else clock ms; never negative. */
export function remainingOf(cal: WorkCalendar, now: Date, due: Date, unit: DurationUnit): number {
  if (isWorkingBasis(unit)) return cal.workingMinutesBetween(now, due);
  return Math.max(0, due.getTime() - now.getTime());
}

/** Inverse of remainingOf: the new due instant when a paused deadline resumes at `now`. */
export function resumeFrom(cal: WorkCalendar, now: Date, remaining: number, unit: DurationUnit): Date {
  if (!Number.isFinite(remaining) || remaining < 0) throw new RangeError(`resumeFrom: remaining must be finite and >= 0, got ${remaining}`);
  if (isWorkingBasis(unit)) return cal.addWorkingMinutes(now, remaining);
  return new Date(now.getTime() + Math.round(remaining));
}

/** Working hours per working day assumed for the size bound (DEFAULT_WORKING_HOURS is 7 h). */
const WORKING_HOURS_PER_DAY = 7;
const MAX_DAYS = 1000;

/** Returns an error message, or null when the duration is usable. */
export function validateSlaDuration(d: SlaDuration): string | null {
  const { amount, unit } = d;
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount <= 0) {
    return `amount must be a positive finite number, got ${String(amount)}`;
  }
  let days: number;
  switch (unit) {
    case 'minutes': days = amount / 1440; break;
    case 'hours': days = amount / 24; break;
    case 'calendar_days': days = amount; break;
    case 'working_hours': days = amount / WORKING_HOURS_PER_DAY; break;
    case 'working_days':
      // Deadlines in working days end at close of business; a fraction has no such end.
      if (!Number.isInteger(amount)) return `working_days amount must be a whole number, got ${amount}`;
      days = amount;
      break;
    default: return `unknown duration unit '${String(unit)}'`;
  }
  if (days > MAX_DAYS) return `duration ${amount} ${unit} exceeds ${MAX_DAYS} days`;
  return null;
}

let defaultCalendar: WorkCalendar | undefined;

function defaultCal(): WorkCalendar {
  defaultCalendar ??= new WorkCalendar(CHINA_CALENDAR_2025_2027);
  return defaultCalendar;
}

/**
 * @deprecated Uses DEFAULT_SLA_POLICIES and the built-in calendar; callers should move to
 * addDuration / reminderAt with their configured policy and calendar table.
 */
export function dueAt(kind: DeadlineKind, slaClass: Urgency, from: Date): Date {
  const cal = defaultCal();
  const policy = DEFAULT_SLA_POLICIES[slaClass];
  switch (kind) {
    case 'sign_for': return addDuration(cal, from, policy.signFor);
    case 'handling': return addDuration(cal, from, policy.handling);
    case 'feedback': return addDuration(cal, from, policy.feedback);
    case 'handling_reminder':
      return reminderAt(cal, from, addDuration(cal, from, policy.handling), policy.handling.unit, policy.reminderShare);
    case 'handling_escalation':
      return cal.addWorkingDays(addDuration(cal, from, policy.handling), ESCALATION_WORKING_DAYS);
  }
}

/**
 * Why a policy makes no sense, or null: its sign-for limit must not end after its handling
 * deadline, for a request arriving at any of `starts` (a week of mornings, evenings and nights).
 */
export function policyProblem(cal: WorkCalendar, p: SlaPolicy, starts: readonly Date[]): string | null {
  for (const s of starts) {
    if (addDuration(cal, s, p.signFor) > addDuration(cal, s, p.handling)) {
      return `the sign-for limit would end after the handling deadline (for a request at ${s.toISOString()}); make sign-for shorter or handling longer`;
    }
  }
  return null;
}

/** Arrival moments to check a policy against: each of the next 7 days at 09:30, 17:00 and 23:59 China time. */
export function typicalArrivals(from: Date): Date[] {
  const out: Date[] = [];
  const day0 = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  for (let d = 0; d < 7; d++) {
    for (const [h, m] of [[9, 30], [17, 0], [23, 59]] as const) out.push(new Date(day0 + d * 86_400_000 + (h - 8) * 3_600_000 + m * 60_000));
  }
  return out;
}
