import { assign, setup } from 'xstate';
import type { Actor, DeadlineKind, Outcome, PetitionKind, Route, Satisfaction, Urgency } from '@petitions/domain';

/**
 * The petition's life as a pure state machine: 受理 → 派单 → 签收 → 办理 → 办结 → 回访 → 归档.
 * Actions are named intents the worker turns into rows (tasks, outbox); nothing here does I/O.
 * Time arrives as *_DUE events from the scheduler; a timer event for a state already left is
 * not accepted, and the worker records it as ignored.
 */

export interface PetitionContext {
  petitionId: string;
  kind: PetitionKind;
  leadUnitId: string | null;
  coUnitIds: string[];
  slaClass: Urgency;
  outcome: Outcome | null;
  satisfaction: Satisfaction | null;
  /** The resident's word once rated; the handler's claim at completion before that. */
  resolved: boolean | null;
}

export interface PetitionInput {
  petitionId: string;
  kind: PetitionKind;
  slaClass: Urgency;
}

type WithActor<E> = E & { actor: Actor };

export type PetitionEvent =
  | WithActor<{ type: 'SUBMIT'; route: Route | null }>
  | WithActor<{ type: 'REJECT'; reason: string }>
  | WithActor<{ type: 'DISPATCH'; route: Route }>
  | WithActor<{ type: 'SIGN_FOR' }>
  | WithActor<{ type: 'COMPLETE'; result: string; resolved: boolean }>
  | WithActor<{ type: 'RATE'; satisfaction: Satisfaction; resolved: boolean }>
  | WithActor<{ type: 'SIGN_FOR_DUE' }>
  | WithActor<{ type: 'HANDLING_DUE' }>
  | WithActor<{ type: 'FEEDBACK_DUE' }>;

export type PetitionEventType = PetitionEvent['type'];
export const TIMER_EVENTS = ['SIGN_FOR_DUE', 'HANDLING_DUE', 'FEEDBACK_DUE'] as const satisfies readonly PetitionEventType[];
export type TimerEventType = (typeof TIMER_EVENTS)[number];

export type NotificationAudience = 'lead_unit' | 'resident' | 'supervisors';

/** The intents a transition can emit, with their params. The worker interprets every one of them. */
export interface PetitionIntents {
  openTasks: { leadUnitId: string; coUnitIds: string[] };
  markTaskSigned: { unitId: string };
  closeTasks: { status: 'done' | 'cancelled' };
  scheduleDeadline: { kind: DeadlineKind };
  cancelDeadline: { kind: DeadlineKind };
  notify: { template: string; audience: NotificationAudience };
}
export type PetitionIntent = { [K in keyof PetitionIntents]: { type: K; params: PetitionIntents[K] } }[keyof PetitionIntents];
export const INTENT_TYPES = [
  'openTasks', 'markTaskSigned', 'closeTasks', 'scheduleDeadline', 'cancelDeadline', 'notify',
] as const satisfies readonly (keyof PetitionIntents)[];

// Intents have no body: the worker reads them from the action list `transition()` returns.
function intent<K extends keyof PetitionIntents>() {
  return (_: unknown, _params: PetitionIntents[K]) => undefined;
}

export const petitionMachineV1 = setup({
  types: {
    context: {} as PetitionContext,
    events: {} as PetitionEvent,
    input: {} as PetitionInput,
  },
  actions: {
    openTasks: intent<'openTasks'>(),
    markTaskSigned: intent<'markTaskSigned'>(),
    closeTasks: intent<'closeTasks'>(),
    scheduleDeadline: intent<'scheduleDeadline'>(),
    cancelDeadline: intent<'cancelDeadline'>(),
    notify: intent<'notify'>(),
    assignRoute: assign(({ event }) =>
      (event.type === 'SUBMIT' || event.type === 'DISPATCH') && event.route
        ? { leadUnitId: event.route.leadUnitId, coUnitIds: event.route.coUnitIds, slaClass: event.route.slaClass }
        : {},
    ),
    recordRejection: assign({ outcome: 'rejected' as const }),
    recordCompletion: assign(({ event }) => (event.type === 'COMPLETE' ? { resolved: event.resolved } : {})),
    recordRating: assign(({ event }) =>
      event.type === 'RATE'
        ? { satisfaction: event.satisfaction, resolved: event.resolved, outcome: event.resolved ? 'resolved' as const : 'unresolved' as const }
        : {},
    ),
    recordNoFeedback: assign({ outcome: 'no_feedback' as const }),
  },
  guards: {
    hasRoute: ({ event }) => event.type === 'SUBMIT' && event.route !== null,
    actorIsLeadUnit: ({ context, event }) => context.leadUnitId !== null && event.actor.unitId === context.leadUnitId,
  },
}).createMachine({
  id: 'petition',
  context: ({ input }) => ({
    petitionId: input.petitionId,
    kind: input.kind,
    leadUnitId: null,
    coUnitIds: [],
    slaClass: input.slaClass,
    outcome: null,
    satisfaction: null,
    resolved: null,
  }),
  initial: 'intake',
  states: {
    intake: {
      on: {
        SUBMIT: [
          { guard: 'hasRoute', target: 'dispatched', actions: 'assignRoute' },
          { target: 'awaitingDispatch' },
        ],
        REJECT: { target: 'closed', actions: 'recordRejection' },
      },
    },
    awaitingDispatch: {
      entry: { type: 'notify', params: { template: 'awaiting_dispatch', audience: 'supervisors' } },
      on: {
        DISPATCH: { target: 'dispatched', actions: 'assignRoute' },
        REJECT: { target: 'closed', actions: 'recordRejection' },
      },
    },
    dispatched: {
      entry: [
        { type: 'openTasks', params: ({ context }) => ({ leadUnitId: context.leadUnitId ?? '', coUnitIds: context.coUnitIds }) },
        { type: 'scheduleDeadline', params: { kind: 'sign_for' } },
        { type: 'notify', params: { template: 'task_assigned', audience: 'lead_unit' } },
      ],
      exit: { type: 'cancelDeadline', params: { kind: 'sign_for' } },
      on: {
        SIGN_FOR: { guard: 'actorIsLeadUnit', target: 'handling' },
        SIGN_FOR_DUE: { actions: { type: 'notify', params: { template: 'sign_for_overdue', audience: 'supervisors' } } },
      },
    },
    handling: {
      entry: [
        { type: 'markTaskSigned', params: ({ context }) => ({ unitId: context.leadUnitId ?? '' }) },
        { type: 'scheduleDeadline', params: { kind: 'handling' } },
      ],
      exit: { type: 'cancelDeadline', params: { kind: 'handling' } },
      on: {
        COMPLETE: { guard: 'actorIsLeadUnit', target: 'awaitingFeedback', actions: 'recordCompletion' },
        HANDLING_DUE: { actions: { type: 'notify', params: { template: 'handling_overdue', audience: 'supervisors' } } },
      },
    },
    awaitingFeedback: {
      entry: [
        { type: 'closeTasks', params: { status: 'done' } },
        { type: 'scheduleDeadline', params: { kind: 'feedback' } },
        { type: 'notify', params: { template: 'feedback_request', audience: 'resident' } },
      ],
      exit: { type: 'cancelDeadline', params: { kind: 'feedback' } },
      on: {
        RATE: { target: 'closed', actions: 'recordRating' },
        FEEDBACK_DUE: { target: 'closed', actions: 'recordNoFeedback' },
      },
    },
    closed: {
      type: 'final',
      entry: [
        { type: 'closeTasks', params: { status: 'cancelled' } },
        { type: 'notify', params: { template: 'petition_closed', audience: 'resident' } },
      ],
    },
  },
});
