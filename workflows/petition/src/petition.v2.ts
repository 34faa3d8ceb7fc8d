import { and, assign, setup } from 'xstate';
import type { Actor, DeadlineKind, Outcome, PetitionKind, Route, Satisfaction, Urgency } from '@petitions/domain';

/**
 * Version 2 of the petition machine: the whole life of shared/DOMAIN.md.
 *
 *   intake ─SUBMIT─▶ dispatched ─SIGN_FOR─▶ handling ─COMPLETE─▶ (reviewing ─▶) awaitingFeedback ─RATE─▶ closed
 *      │               │  ▲  RETURN ▼          │  ▲ suspended            ▲ SEND_BACK           │ dissatisfied
 *      └─no rule─▶ awaitingDispatch ◀──────────┘  └── REDO (重办) ◀──────────────────────────┘
 *
 * Actions are named intents the worker turns into rows; guards hold the rules (who may act, how
 * many returns, when an extension may be asked). Time arrives as *_DUE events. A petition started
 * on version 1 keeps running on version 1 (see engine.ts).
 */

/** Every state a petition can be in (version 1 used a subset). */
export const PETITION_STATES = ['intake', 'awaitingDispatch', 'dispatched', 'handling', 'suspended', 'reviewing', 'awaitingFeedback', 'merged', 'closed'] as const;

/** After this many returns the dispatcher's assignment is final (审定). */
export const MAX_RETURNS = 2;
/** A dissatisfied resident can send the work back this many times; after that it closes unresolved. */
export const MAX_REDOS = 2;

export interface PendingRequest {
  requestedBy: string;
  reason: string;
  days?: number;
}

export interface PetitionContextV2 {
  petitionId: string;
  kind: PetitionKind;
  slaClass: Urgency;
  leadUnitId: string | null;
  coUnitIds: string[];
  /** Returns (退单) per unit, and in all: units that bounce orders are counted. */
  returnsByUnit: Record<string, number>;
  returnCount: number;
  /** Set once the handling deadline has passed; an extension can no longer be asked for. */
  handlingOverdue: boolean;
  pendingExtension: PendingRequest | null;
  pendingSuspension: PendingRequest | null;
  /** Co-units (配合单位) that have given their opinion. */
  coOpinionsFrom: string[];
  /** Progress notes so far. (A transition must change something for xstate to accept it.) */
  noteCount: number;
  redoCount: number;
  /** 催办 reminders sent before the handling deadline. */
  remindersSent: number;
  /** 0 on time; 1 escalated to supervisors at the deadline (督办); 2 reported to leaders (通报). */
  escalationLevel: number;
  /** Closed unresolved after the last redo: leaders see these. */
  flagged: boolean;
  mergedInto: string | null;
  outcome: Outcome | null;
  satisfaction: Satisfaction | null;
  /** The resident's word once rated; the handler's claim at completion before that. */
  resolved: boolean | null;
}

/**
 * What stops the lead unit asking for more time (an extension, a suspension), or null when it
 * may: one request of a kind at a time, and none once the handling deadline has passed (a
 * suspension would take an overdue petition off the overdue list). The guards below use it, and
 * the worker names the rule in its refusal. (Version 1 contexts have no request fields.)
 */
export function requestBlocker(kind: 'extension' | 'suspension', context: Partial<Pick<PetitionContextV2, 'pendingExtension' | 'pendingSuspension' | 'handlingOverdue'>>): 'REQUEST_PENDING' | 'DEADLINE_PASSED' | null {
  const pending = kind === 'extension' ? context.pendingExtension : context.pendingSuspension;
  if (pending != null) return 'REQUEST_PENDING';
  if (context.handlingOverdue === true) return 'DEADLINE_PASSED';
  return null;
}

export interface PetitionInputV2 {
  petitionId: string;
  kind: PetitionKind;
  slaClass: Urgency;
}

type WithActor<E> = E & { actor: Actor };

export type PetitionEventV2 =
  | WithActor<{ type: 'SUBMIT'; route: Route | null; directAnswer?: string | undefined }>
  | WithActor<{ type: 'ANSWER'; answer: string }>
  | WithActor<{ type: 'REJECT'; reason: string }>
  | WithActor<{ type: 'MERGE'; originalId: string; originalTrackingNo: string }>
  | WithActor<{ type: 'CLOSE_WITH_ORIGINAL'; originalOutcome: string }>
  | WithActor<{ type: 'DISPATCH'; route: Route }>
  | WithActor<{ type: 'REDISPATCH'; route: Route; reason: string }>
  | WithActor<{ type: 'SIGN_FOR' }>
  | WithActor<{ type: 'RETURN'; reason: string }>
  | WithActor<{ type: 'NOTE'; text: string; visibility: 'public' | 'internal' }>
  | WithActor<{ type: 'CO_OPINION'; opinion: string }>
  | WithActor<{ type: 'REQUEST_EXTENSION'; days: number; reason: string }>
  | WithActor<{ type: 'DECIDE_EXTENSION'; approve: boolean; comment?: string | undefined }>
  | WithActor<{ type: 'REQUEST_SUSPENSION'; reason: string }>
  | WithActor<{ type: 'DECIDE_SUSPENSION'; approve: boolean; comment?: string | undefined }>
  | WithActor<{ type: 'RESUME' }>
  | WithActor<{ type: 'COMPLETE'; result: string; resolved: boolean; requiresReview?: boolean | undefined }>
  | WithActor<{ type: 'APPROVE_REVIEW' }>
  | WithActor<{ type: 'SEND_BACK'; reason: string }>
  | WithActor<{ type: 'RATE'; satisfaction: Satisfaction; resolved: boolean }>
  | WithActor<{ type: 'WITHDRAW'; reason: string }>
  | WithActor<{ type: 'SIGN_FOR_DUE' }>
  | WithActor<{ type: 'HANDLING_DUE' }>
  | WithActor<{ type: 'FEEDBACK_DUE' }>
  | WithActor<{ type: 'HANDLING_REMINDER_DUE' }>
  | WithActor<{ type: 'HANDLING_ESCALATION_DUE' }>;

export type NotificationAudienceV2 = 'lead_unit' | 'co_units' | 'resident' | 'supervisors' | 'dispatchers' | 'department_head' | 'followers' | 'leaders';

/** The intents a transition can emit, with their params. The worker interprets every one of them. */
export interface PetitionIntentsV2 {
  openTasks: { leadUnitId: string; coUnitIds: string[] };
  markTaskSigned: { unitId: string };
  returnTask: { unitId: string };
  reopenLeadTask: { unitId: string };
  closeTasks: { status: 'done' | 'cancelled' };
  /** `restart: false` keeps a pending deadline of the kind: the handling clock survives returns. */
  scheduleDeadline: { kind: DeadlineKind; restart: boolean };
  cancelDeadline: { kind: DeadlineKind };
  extendDeadline: { kind: DeadlineKind; days: number };
  pauseDeadline: { kind: DeadlineKind };
  resumeDeadline: { kind: DeadlineKind };
  notify: { template: string; audience: NotificationAudienceV2 };
  /** Close every petition merged into this one, with this one's outcome. */
  closeFollowers: Record<string, never>;
}
export type PetitionIntentV2 = { [K in keyof PetitionIntentsV2]: { type: K; params: PetitionIntentsV2[K] } }[keyof PetitionIntentsV2];
export const INTENT_TYPES_V2 = [
  'openTasks', 'markTaskSigned', 'returnTask', 'reopenLeadTask', 'closeTasks', 'scheduleDeadline', 'cancelDeadline',
  'extendDeadline', 'pauseDeadline', 'resumeDeadline', 'notify', 'closeFollowers',
] as const satisfies readonly (keyof PetitionIntentsV2)[];

function intent<K extends keyof PetitionIntentsV2>() {
  return (_: unknown, _params: PetitionIntentsV2[K]) => undefined;
}

const notify = (template: string, audience: NotificationAudienceV2) => ({ type: 'notify' as const, params: { template, audience } });
const WITHDRAW_TO_CLOSED = { WITHDRAW: { target: '#petition.closed', actions: 'recordWithdrawal' } } as const;
/**
 * The handling clock runs from the first dispatch until completion, through returns: reminder
 * (催办) to the lead unit before it ends, escalation (督办) to supervisors when it ends, and a
 * report (通报) to leaders when it is still open some working days later.
 */
const HANDLING_CLOCK_EVENTS = {
  HANDLING_REMINDER_DUE: { actions: ['recordReminder', notify('handling_reminder', 'lead_unit')] },
  HANDLING_DUE: {
    actions: ['markHandlingOverdue', notify('handling_overdue', 'supervisors'), { type: 'scheduleDeadline', params: { kind: 'handling_escalation', restart: true } }],
  },
  HANDLING_ESCALATION_DUE: { actions: ['recordLeaderEscalation', notify('handling_escalated', 'leaders')] },
} as const;

export const petitionMachineV2 = setup({
  types: {
    context: {} as PetitionContextV2,
    events: {} as PetitionEventV2,
    input: {} as PetitionInputV2,
  },
  actions: {
    openTasks: intent<'openTasks'>(),
    markTaskSigned: intent<'markTaskSigned'>(),
    returnTask: intent<'returnTask'>(),
    reopenLeadTask: intent<'reopenLeadTask'>(),
    closeTasks: intent<'closeTasks'>(),
    scheduleDeadline: intent<'scheduleDeadline'>(),
    cancelDeadline: intent<'cancelDeadline'>(),
    extendDeadline: intent<'extendDeadline'>(),
    pauseDeadline: intent<'pauseDeadline'>(),
    resumeDeadline: intent<'resumeDeadline'>(),
    notify: intent<'notify'>(),
    closeFollowers: intent<'closeFollowers'>(),
    assignRoute: assign(({ event }) =>
      (event.type === 'SUBMIT' || event.type === 'DISPATCH' || event.type === 'REDISPATCH') && event.route
        ? { leadUnitId: event.route.leadUnitId, coUnitIds: event.route.coUnitIds, slaClass: event.route.slaClass, coOpinionsFrom: [] }
        : {},
    ),
    recordReturn: assign(({ context, event }) => {
      const unit = event.actor.unitId ?? 'unknown';
      return {
        returnsByUnit: { ...context.returnsByUnit, [unit]: (context.returnsByUnit[unit] ?? 0) + 1 },
        returnCount: context.returnCount + 1,
        leadUnitId: null,
        coUnitIds: [],
      };
    }),
    recordAnswer: assign({ outcome: 'answered' as const }),
    recordRejection: assign({ outcome: 'rejected' as const }),
    recordWithdrawal: assign({ outcome: 'withdrawn' as const }),
    recordMerge: assign(({ event }) => (event.type === 'MERGE' ? { mergedInto: event.originalId } : {})),
    recordMergedClose: assign({ outcome: 'merged' as const }),
    recordCoOpinion: assign(({ context, event }) => ({
      coOpinionsFrom: event.actor.unitId && !context.coOpinionsFrom.includes(event.actor.unitId)
        ? [...context.coOpinionsFrom, event.actor.unitId] : context.coOpinionsFrom,
    })),
    recordExtensionRequest: assign(({ event }) =>
      event.type === 'REQUEST_EXTENSION' ? { pendingExtension: { requestedBy: event.actor.id, reason: event.reason, days: event.days } } : {}),
    clearExtensionRequest: assign({ pendingExtension: null }),
    recordSuspensionRequest: assign(({ event }) =>
      event.type === 'REQUEST_SUSPENSION' ? { pendingSuspension: { requestedBy: event.actor.id, reason: event.reason } } : {}),
    clearSuspensionRequest: assign({ pendingSuspension: null }),
    markHandlingOverdue: assign({ handlingOverdue: true, escalationLevel: 1 }),
    recordReminder: assign(({ context }) => ({ remindersSent: context.remindersSent + 1 })),
    recordLeaderEscalation: assign({ escalationLevel: 2 }),
    recordNote: assign(({ context }) => ({ noteCount: context.noteCount + 1 })),
    recordCompletion: assign(({ event }) => (event.type === 'COMPLETE' ? { resolved: event.resolved } : {})),
    recordRating: assign(({ event }) =>
      event.type === 'RATE'
        ? { satisfaction: event.satisfaction, resolved: event.resolved, outcome: event.resolved ? 'resolved' as const : 'unresolved' as const }
        : {}),
    recordRedo: assign(({ context, event }) => ({
      redoCount: context.redoCount + 1,
      satisfaction: event.type === 'RATE' ? event.satisfaction : context.satisfaction,
      resolved: null,
      handlingOverdue: false,
      escalationLevel: 0,
    })),
    recordUnresolvedAfterRedos: assign(({ event }) => ({
      satisfaction: event.type === 'RATE' ? event.satisfaction : null,
      resolved: false,
      outcome: 'unresolved' as const,
      flagged: true,
    })),
    recordNoFeedback: assign({ outcome: 'no_feedback' as const }),
  },
  guards: {
    hasDirectAnswer: ({ context, event }) => event.type === 'SUBMIT' && context.kind === 'inquiry' && (event.directAnswer ?? '').trim().length > 0,
    hasRoute: ({ event }) => event.type === 'SUBMIT' && event.route !== null,
    isInquiry: ({ context }) => context.kind === 'inquiry',
    actorIsLeadUnit: ({ context, event }) => context.leadUnitId !== null && event.actor.unitId === context.leadUnitId,
    actorIsCoUnit: ({ context, event }) => event.actor.unitId !== null && context.coUnitIds.includes(event.actor.unitId),
    actorIsInvolved: ({ context, event }) =>
      event.actor.role === 'dispatcher' || event.actor.role === 'supervisor' || event.actor.role === 'clerk'
      || (event.actor.unitId !== null && (event.actor.unitId === context.leadUnitId || context.coUnitIds.includes(event.actor.unitId))),
    mayReturn: ({ context, event }) =>
      context.leadUnitId !== null && event.actor.unitId === context.leadUnitId && context.returnCount < MAX_RETURNS,
    mayRequestExtension: ({ context, event }) =>
      context.leadUnitId !== null && event.actor.unitId === context.leadUnitId && requestBlocker('extension', context) === null,
    mayRequestSuspension: ({ context, event }) =>
      context.leadUnitId !== null && event.actor.unitId === context.leadUnitId && requestBlocker('suspension', context) === null,
    headDecidesExtension: ({ context, event }) =>
      context.pendingExtension !== null && event.actor.role === 'department_head' && event.actor.unitId === context.leadUnitId,
    headDecidesSuspension: ({ context, event }) =>
      context.pendingSuspension !== null && event.actor.role === 'department_head' && event.actor.unitId === context.leadUnitId,
    approved: ({ event }) => (event.type === 'DECIDE_EXTENSION' || event.type === 'DECIDE_SUSPENSION') && event.approve,
    needsReview: ({ event }) => event.type === 'COMPLETE' && event.requiresReview === true,
    // DECIDE_* carry the head's answer; the guard pairs it with headDecides* above.
    dissatisfiedWithRedoLeft: ({ context, event }) => event.type === 'RATE' && event.satisfaction === 'dissatisfied' && context.redoCount < MAX_REDOS,
    dissatisfiedNoRedoLeft: ({ context, event }) => event.type === 'RATE' && event.satisfaction === 'dissatisfied' && context.redoCount >= MAX_REDOS,
    notSelf: ({ context, event }) => event.type === 'MERGE' && event.originalId !== context.petitionId,
  },
}).createMachine({
  id: 'petition',
  context: ({ input }) => ({
    petitionId: input.petitionId,
    kind: input.kind,
    slaClass: input.slaClass,
    leadUnitId: null,
    coUnitIds: [],
    returnsByUnit: {},
    returnCount: 0,
    handlingOverdue: false,
    pendingExtension: null,
    pendingSuspension: null,
    coOpinionsFrom: [],
    noteCount: 0,
    redoCount: 0,
    remindersSent: 0,
    escalationLevel: 0,
    flagged: false,
    mergedInto: null,
    outcome: null,
    satisfaction: null,
    resolved: null,
  }),
  initial: 'intake',
  states: {
    intake: {
      on: {
        SUBMIT: [
          { guard: 'hasDirectAnswer', target: 'closed', actions: 'recordAnswer' },
          { guard: 'hasRoute', target: 'dispatched', actions: ['assignRoute', notify('petition_received', 'resident')] },
          { target: 'awaitingDispatch', actions: notify('petition_received', 'resident') },
        ],
        REJECT: { target: 'closed', actions: 'recordRejection' },
        MERGE: { guard: 'notSelf', target: 'merged', actions: 'recordMerge' },
        ...WITHDRAW_TO_CLOSED,
      },
    },
    awaitingDispatch: {
      entry: notify('awaiting_dispatch', 'dispatchers'),
      on: {
        DISPATCH: { target: 'dispatched', actions: 'assignRoute' },
        ANSWER: { guard: 'isInquiry', target: 'closed', actions: 'recordAnswer' },
        REJECT: { target: 'closed', actions: 'recordRejection' },
        MERGE: { guard: 'notSelf', target: 'merged', actions: 'recordMerge' },
        NOTE: { guard: 'actorIsInvolved', actions: 'recordNote' },
        ...HANDLING_CLOCK_EVENTS,
        ...WITHDRAW_TO_CLOSED,
      },
    },
    dispatched: {
      entry: [
        { type: 'openTasks', params: ({ context }) => ({ leadUnitId: context.leadUnitId ?? '', coUnitIds: context.coUnitIds }) },
        { type: 'scheduleDeadline', params: { kind: 'sign_for', restart: true } },
        // The handling clock starts at the first dispatch and is not restarted by returns.
        { type: 'scheduleDeadline', params: { kind: 'handling', restart: false } },
        notify('task_assigned', 'lead_unit'),
      ],
      exit: { type: 'cancelDeadline', params: { kind: 'sign_for' } },
      on: {
        SIGN_FOR: { guard: 'actorIsLeadUnit', target: 'handling' },
        RETURN: {
          guard: 'mayReturn', target: 'awaitingDispatch',
          actions: [
            { type: 'returnTask', params: ({ context }) => ({ unitId: context.leadUnitId ?? '' }) },
            'recordReturn',
            notify('task_returned', 'dispatchers'),
          ],
        },
        REDISPATCH: {
          target: 'dispatched', reenter: true,
          actions: [{ type: 'closeTasks', params: { status: 'cancelled' } }, 'assignRoute'],
        },
        NOTE: { guard: 'actorIsInvolved', actions: 'recordNote' },
        CO_OPINION: { guard: 'actorIsCoUnit', actions: 'recordCoOpinion' },
        MERGE: { guard: 'notSelf', target: 'merged', actions: 'recordMerge' },
        SIGN_FOR_DUE: { actions: notify('sign_for_overdue', 'supervisors') },
        ...HANDLING_CLOCK_EVENTS,
        ...WITHDRAW_TO_CLOSED,
      },
    },
    handling: {
      entry: { type: 'markTaskSigned', params: ({ context }) => ({ unitId: context.leadUnitId ?? '' }) },
      on: {
        COMPLETE: [
          { guard: and(['actorIsLeadUnit', 'needsReview']), target: 'reviewing', actions: 'recordCompletion' },
          { guard: 'actorIsLeadUnit', target: 'awaitingFeedback', actions: 'recordCompletion' },
        ],
        NOTE: { guard: 'actorIsInvolved', actions: 'recordNote' },
        CO_OPINION: { guard: 'actorIsCoUnit', actions: 'recordCoOpinion' },
        REQUEST_EXTENSION: { guard: 'mayRequestExtension', actions: ['recordExtensionRequest', notify('extension_requested', 'department_head')] },
        DECIDE_EXTENSION: [
          {
            guard: and(['headDecidesExtension', 'approved']),
            actions: [
              { type: 'extendDeadline', params: ({ context }) => ({ kind: 'handling' as const, days: context.pendingExtension?.days ?? 0 }) },
              'clearExtensionRequest',
              notify('extension_approved', 'lead_unit'),
            ],
          },
          { guard: 'headDecidesExtension', actions: ['clearExtensionRequest', notify('extension_denied', 'lead_unit')] },
        ],
        REQUEST_SUSPENSION: { guard: 'mayRequestSuspension', actions: ['recordSuspensionRequest', notify('suspension_requested', 'department_head')] },
        DECIDE_SUSPENSION: [
          { guard: and(['headDecidesSuspension', 'approved']), target: 'suspended', actions: ['clearSuspensionRequest', notify('suspension_approved', 'lead_unit')] },
          { guard: 'headDecidesSuspension', actions: ['clearSuspensionRequest', notify('suspension_denied', 'lead_unit')] },
        ],
        REDISPATCH: {
          target: 'dispatched',
          actions: [{ type: 'closeTasks', params: { status: 'cancelled' } }, 'assignRoute'],
        },
        ...HANDLING_CLOCK_EVENTS,
        ...WITHDRAW_TO_CLOSED,
      },
    },
    suspended: {
      entry: { type: 'pauseDeadline', params: { kind: 'handling' } },
      exit: { type: 'resumeDeadline', params: { kind: 'handling' } },
      on: {
        RESUME: { guard: 'actorIsLeadUnit', target: 'handling' },
        NOTE: { guard: 'actorIsInvolved', actions: 'recordNote' },
        ...WITHDRAW_TO_CLOSED,
      },
    },
    reviewing: {
      // The unit's clock stops when it completes; the centre's review time is not counted against it.
      entry: [{ type: 'cancelDeadline', params: { kind: 'handling' } }, notify('review_requested', 'dispatchers')],
      on: {
        APPROVE_REVIEW: { target: 'awaitingFeedback' },
        SEND_BACK: {
          target: 'handling',
          actions: [{ type: 'scheduleDeadline', params: { kind: 'handling', restart: true } }, notify('sent_back', 'lead_unit')],
        },
        NOTE: { guard: 'actorIsInvolved', actions: 'recordNote' },
      },
    },
    awaitingFeedback: {
      entry: [
        { type: 'cancelDeadline', params: { kind: 'handling' } },
        { type: 'closeTasks', params: { status: 'done' } },
        { type: 'scheduleDeadline', params: { kind: 'feedback', restart: true } },
        notify('petition_completed', 'resident'),
        notify('feedback_request', 'resident'),
      ],
      exit: { type: 'cancelDeadline', params: { kind: 'feedback' } },
      on: {
        RATE: [
          {
            guard: 'dissatisfiedWithRedoLeft', target: 'handling', actions: [
              'recordRedo',
              { type: 'reopenLeadTask', params: ({ context }) => ({ unitId: context.leadUnitId ?? '' }) },
              { type: 'scheduleDeadline', params: { kind: 'handling', restart: true } },
              notify('redo_assigned', 'lead_unit'),
            ],
          },
          { guard: 'dissatisfiedNoRedoLeft', target: 'closed', actions: ['recordUnresolvedAfterRedos', notify('unresolved_flagged', 'supervisors')] },
          { target: 'closed', actions: 'recordRating' },
        ],
        FEEDBACK_DUE: { target: 'closed', actions: 'recordNoFeedback' },
      },
    },
    merged: {
      entry: [{ type: 'closeTasks', params: { status: 'cancelled' } }, { type: 'cancelDeadline', params: { kind: 'sign_for' } }, { type: 'cancelDeadline', params: { kind: 'handling' } }, notify('petition_merged', 'resident')],
      on: {
        CLOSE_WITH_ORIGINAL: { target: 'closed', actions: 'recordMergedClose' },
      },
    },
    closed: {
      type: 'final',
      entry: [
        { type: 'closeTasks', params: { status: 'cancelled' } },
        { type: 'cancelDeadline', params: { kind: 'sign_for' } },
        { type: 'cancelDeadline', params: { kind: 'handling' } },
        { type: 'closeFollowers', params: {} },
        notify('petition_closed', 'resident'),
      ],
    },
  },
});
