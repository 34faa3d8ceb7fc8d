import type { Urgency } from './petition.js';
import type { WorkCalendar } from './calendar.js';
import {
  addDuration, DEFAULT_SLA_POLICIES, ESCALATION_WORKING_DAYS, isWorkingBasis, reminderAt, remainingOf, resumeFrom,
  type SlaPolicy,
} from './sla.js';

/** A policy row: `categoryId` null is the urgency's default for every category. */
export interface SlaPolicyEntry {
  categoryId: string | null;
  urgency: Urgency;
  policy: SlaPolicy;
}

/** 'working' deadlines count only working time when paused and resumed. */
export type TimerBasis = 'clock' | 'working';

export interface Deadline {
  dueAt: Date;
  basis: TimerBasis;
}

const MINUTE_MS = 60_000;

/**
 * The calendar and the SLA policies in force: everything needed to put a date on a deadline.
 * Built by the worker from the database (cached briefly); pure once built.
 */
export class DeadlineRules {
  private readonly byScope = new Map<string, SlaPolicy>();

  constructor(readonly calendar: WorkCalendar, policies: readonly SlaPolicyEntry[] = []) {
    for (const p of policies) this.byScope.set(`${p.categoryId ?? '*'}|${p.urgency}`, p.policy);
  }

  /** The category's own policy for this urgency, else the urgency's default row, else DOMAIN.md's defaults. */
  policyFor(categoryId: string | null, urgency: Urgency): SlaPolicy {
    return (categoryId ? this.byScope.get(`${categoryId}|${urgency}`) : undefined)
      ?? this.byScope.get(`*|${urgency}`)
      ?? DEFAULT_SLA_POLICIES[urgency];
  }

  due(kind: 'sign_for' | 'handling' | 'feedback', categoryId: string | null, urgency: Urgency, from: Date): Deadline {
    const policy = this.policyFor(categoryId, urgency);
    const d = kind === 'sign_for' ? policy.signFor : kind === 'handling' ? policy.handling : policy.feedback;
    return { dueAt: addDuration(this.calendar, from, d), basis: isWorkingBasis(d.unit) ? 'working' : 'clock' };
  }

  /** The 催办 reminder: the policy's share of the way from `start` to the handling deadline. */
  reminder(categoryId: string | null, urgency: Urgency, start: Date, handling: Deadline): Deadline {
    const policy = this.policyFor(categoryId, urgency);
    const at = reminderAt(this.calendar, start, handling.dueAt, policy.handling.unit, policy.reminderShare);
    return { dueAt: at, basis: handling.basis };
  }

  /** The 通报 to leaders: some working days after the handling deadline passed. */
  escalation(handlingDue: Date): Deadline {
    return { dueAt: this.calendar.addWorkingDays(handlingDue, ESCALATION_WORKING_DAYS), basis: 'working' };
  }

  /** A deadline moved by an approved extension: working days for working-time policies, calendar days otherwise. */
  extend(due: Date, days: number, basis: TimerBasis): Date {
    return basis === 'working' ? this.calendar.addWorkingDays(due, days) : new Date(due.getTime() + days * 86_400_000);
  }

  /** Time left on a running deadline in its basis (working ms or clock ms): what a suspension keeps. */
  remaining(now: Date, due: Date, basis: TimerBasis): number {
    return basis === 'working'
      ? Math.round(remainingOf(this.calendar, now, due, 'working_hours') * MINUTE_MS)
      : Math.max(0, due.getTime() - now.getTime());
  }

  /** When a paused deadline falls due again if resumed now. */
  resume(now: Date, remaining: number, basis: TimerBasis): Date {
    return basis === 'working' ? resumeFrom(this.calendar, now, remaining / MINUTE_MS, 'working_hours') : new Date(now.getTime() + remaining);
  }
}
