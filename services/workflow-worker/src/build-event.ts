import type { Command, petitionsRepo } from '@petitions/db';

type Petition = petitionsRepo.LockedPetition;
import type { Actor, Role, Route, Urgency } from '@petitions/domain';
import type { PetitionEvent } from '@petitions/petition-workflow';

/** What the worker looked up for a batch so events can be built without more queries. */
export interface Lookups {
  /** Routing-rule results for SUBMIT commands, by command id. */
  routes: Map<string, Route>;
  /** Categories whose completions go through quality review. */
  reviewedCategories: Set<string>;
}

export function actorOf(c: Pick<Command, 'actor_id' | 'actor_role' | 'actor_unit_id'>): Actor {
  return { id: c.actor_id, role: c.actor_role as Role, unitId: c.actor_unit_id };
}

function manualRoute(payload: Record<string, unknown>, petition: Petition): Route {
  return {
    leadUnitId: String(payload.leadUnitId),
    coUnitIds: (payload.coUnitIds as string[] | undefined) ?? [],
    slaClass: (payload.slaClass as Urgency | undefined) ?? (petition.urgency as Urgency),
  };
}

/**
 * Turn a stored command into the event the machine sees. Payloads were validated by the API
 * against the command's schema; the worker adds what only it knows (routing, review policy).
 * The result is stored on the audit event as applied, so replay needs nothing else.
 */
export function buildEvent(c: Command, petition: Petition, lookups: Lookups): PetitionEvent {
  const actor = actorOf(c);
  const payload = c.payload;
  switch (c.type) {
    case 'SUBMIT':
      return { type: 'SUBMIT', actor, route: lookups.routes.get(c.id) ?? null, directAnswer: payload.directAnswer as string | undefined };
    case 'DISPATCH':
      return { type: 'DISPATCH', actor, route: manualRoute(payload, petition) };
    case 'REDISPATCH':
      return { type: 'REDISPATCH', actor, route: manualRoute(payload, petition), reason: typeof payload.reason === 'string' ? payload.reason : '' };
    case 'COMPLETE':
      return {
        type: 'COMPLETE', actor, result: String(payload.result), resolved: Boolean(payload.resolved),
        requiresReview: lookups.reviewedCategories.has(petition.category_id),
      };
    default:
      // Every other command's payload is exactly its event's fields.
      return { ...payload, type: c.type, actor } as PetitionEvent;
  }
}

/** Events the resident's public timeline leaves out. */
const INTERNAL_EVENTS = new Set([
  'RETURN', 'REDISPATCH', 'CO_OPINION', 'REQUEST_EXTENSION', 'DECIDE_EXTENSION', 'REQUEST_SUSPENSION',
  'DECIDE_SUSPENSION', 'RESUME', 'APPROVE_REVIEW', 'SEND_BACK', 'SIGN_FOR_DUE', 'HANDLING_DUE', 'FEEDBACK_DUE',
  'HANDLING_REMINDER_DUE', 'HANDLING_ESCALATION_DUE',
]);

export function visibilityOf(event: PetitionEvent): 'public' | 'internal' {
  if (event.type === 'NOTE') return event.visibility;
  return INTERNAL_EVENTS.has(event.type) ? 'internal' : 'public';
}

export function eventData(event: PetitionEvent): Record<string, unknown> {
  const { type: _type, actor: _actor, ...data } = event;
  return data;
}
