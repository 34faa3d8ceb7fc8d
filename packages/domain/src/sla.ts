import type { Urgency } from './petition.js';

/**
 * First-cut SLA durations (shared/DOMAIN.md defaults) in clock time.
 * Working-day maths and per-category policies replace this when the calendar lands.
 */
export const SLA_DEFAULTS: Record<Urgency, { signForMs: number; handlingMs: number }> = {
  emergency: { signForMs: 30 * 60_000, handlingMs: 2 * 3_600_000 },
  utilities: { signForMs: 3_600_000, handlingMs: 24 * 3_600_000 },
  normal: { signForMs: 2 * 3_600_000, handlingMs: 7 * 86_400_000 },
  complex: { signForMs: 86_400_000, handlingMs: 21 * 86_400_000 },
};

/** Residents are asked for feedback within this window after completion. */
export const FEEDBACK_WINDOW_MS = 3 * 86_400_000;

export type DeadlineKind = 'sign_for' | 'handling' | 'feedback';

export function dueAt(kind: DeadlineKind, slaClass: Urgency, from: Date): Date {
  const ms = kind === 'sign_for' ? SLA_DEFAULTS[slaClass].signForMs
    : kind === 'handling' ? SLA_DEFAULTS[slaClass].handlingMs
      : FEEDBACK_WINDOW_MS;
  return new Date(from.getTime() + ms);
}
