import type { petitionsRepo } from '@petitions/db';
import type { ReportFacts } from '@petitions/domain';
import type { BatchState } from './batch-state.js';

interface ContextView {
  leadUnitId: string | null;
  handlingOverdue?: boolean;
}

/**
 * What the reports need to know about a command as it is applied, read before its intents run:
 * the lead task's dispatch time and sign-for deadline (SIGN_FOR, RETURN) and the handling deadline
 * (COMPLETE). Stored with the event so the rollups can be rebuilt from the log alone.
 */
export function reportFactsBefore(state: BatchState, petition: petitionsRepo.LockedPetition, before: ContextView, type: string): ReportFacts {
  const facts: ReportFacts = {
    unitBefore: before.leadUnitId,
    unitAfter: before.leadUnitId,
    overdueBefore: before.handlingOverdue === true,
    overdueAfter: before.handlingOverdue === true,
    receivedAt: petition.created_at.toISOString(),
  };
  if (type === 'SIGN_FOR' || type === 'RETURN') {
    const lead = state.openTasks.get(petition.id)?.find((t) => t.role === 'lead' && t.status === 'to_sign' && t.unit_id === before.leadUnitId);
    facts.dispatchedAt = lead ? lead.created_at.toISOString() : null;
    facts.signDueAt = lead?.due_at ? lead.due_at.toISOString() : null;
  }
  if (type === 'COMPLETE') {
    const handling = state.openTimers.get(`${petition.id}:handling`);
    facts.handlingDueAt = handling?.state === 'pending' ? handling.due_at.toISOString() : null;
  }
  return facts;
}

export function withOutcome(facts: ReportFacts, after: ContextView): ReportFacts {
  return { ...facts, unitAfter: after.leadUnitId, overdueAfter: after.handlingOverdue === true };
}
