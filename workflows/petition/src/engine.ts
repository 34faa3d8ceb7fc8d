import { createActor, initialTransition, type AnyStateMachine, type ExecutableActionObject } from 'xstate';
import { INTENT_TYPES as INTENT_TYPES_V1, petitionMachineV1, type PetitionContext as PetitionContextV1, type PetitionIntent as PetitionIntentV1 } from './petition.v1.js';
import {
  INTENT_TYPES_V2, petitionMachineV2,
  type PetitionContextV2, type PetitionEventV2, type PetitionInputV2, type PetitionIntentV2,
} from './petition.v2.js';
import type { DeadlineKind } from '@petitions/domain';

/**
 * Persisted machines never change under a running petition: a snapshot records the machine
 * version it started with and is always resumed by that version's definition. New petitions
 * start on the current version; older ones finish on theirs.
 */
const MACHINES: Record<number, AnyStateMachine> = { 1: petitionMachineV1, 2: petitionMachineV2 };
export const CURRENT_PETITION_MACHINE_VERSION = 2;

/** Every event any version knows (version 2's are a superset of version 1's). */
export type PetitionEvent = PetitionEventV2;
export type PetitionInput = PetitionInputV2;
export type PetitionContext = PetitionContextV2 | PetitionContextV1;
export type PetitionIntent = PetitionIntentV2 | PetitionIntentV1;

export interface StoredSnapshot {
  machine: 'petition';
  version: number;
  /** State value plus context, as stored in petitions.snapshot. */
  value: string;
  context: PetitionContext;
}

export type Applied =
  /** `state`: the event means nothing in this state; `guard`: it does, but a rule refused it. */
  | { accepted: false; state: string; refusal: 'state' | 'guard' }
  | { accepted: true; state: string; stateChanged: boolean; snapshot: StoredSnapshot; intents: PetitionIntent[] };

function machineFor(version: number): AnyStateMachine {
  const machine = MACHINES[version];
  if (!machine) throw new Error(`No petition machine version ${version}`);
  return machine;
}

const intentTypes: ReadonlySet<string> = new Set<string>([...INTENT_TYPES_V1, ...INTENT_TYPES_V2]);

function toStored(version: number, snapshot: { value: unknown; context: unknown }): StoredSnapshot {
  // These machines have no children or history, so value + context is the whole persisted state.
  return { machine: 'petition', version, value: String(snapshot.value), context: snapshot.context as PetitionContext };
}

function toIntents(actions: readonly { type: string; params: unknown }[]): PetitionIntent[] {
  return actions
    .filter((a) => intentTypes.has(a.type))
    .map((a) => ({ type: a.type, params: a.params }) as PetitionIntent);
}

/**
 * xstate's `transition()` builds a throwaway actor per call, which runs the machine's context
 * factory every time and costs most of a transition. The same pure step with one inert scope per
 * machine, whose action executor only collects: nothing runs, nothing is spawned.
 */
type Scope = Parameters<AnyStateMachine['transition']>[2];
const scopes = new Map<AnyStateMachine, { scope: Scope; collected: ExecutableActionObject[] }>();
function pureTransition(machine: AnyStateMachine, snapshot: ReturnType<AnyStateMachine['resolveState']>, event: PetitionEvent) {
  let entry = scopes.get(machine);
  if (!entry) {
    const self = createActor(machine, { input: { petitionId: '', kind: 'request', slaClass: 'normal' } satisfies PetitionInput });
    const collected: ExecutableActionObject[] = [];
    const scope = {
      self, id: '', sessionId: '', system: self.system,
      defer: () => undefined, logger: () => undefined, stopChild: () => undefined, emit: () => undefined,
      actionExecutor: (action: ExecutableActionObject) => { collected.push(action); },
    } as unknown as Scope;
    entry = { scope, collected };
    scopes.set(machine, entry);
  }
  entry.collected.length = 0;
  const next = machine.transition(snapshot, event, entry.scope);
  return [next, [...entry.collected]] as const;
}

/** A new petition's snapshot in the intake state, on the current machine version. */
export function startPetition(input: PetitionInput, version: number = CURRENT_PETITION_MACHINE_VERSION): StoredSnapshot {
  const [snapshot] = initialTransition(machineFor(version), input);
  return toStored(version, snapshot);
}

/** Apply one event to a stored snapshot. Pure: the caller persists the result and interprets the intents. */
export function applyPetitionEvent(stored: StoredSnapshot, event: PetitionEvent): Applied {
  const machine = machineFor(stored.version);
  const current = machine.resolveState({ value: stored.value, context: stored.context });
  if (!current.can(event)) {
    const known = machine.getStateNodeById(`petition.${stored.value}`).events.includes(event.type);
    return { accepted: false, state: stored.value, refusal: known ? 'guard' : 'state' };
  }
  const [next, actions] = pureTransition(machine, current, event);
  const snapshot = toStored(stored.version, next);
  return {
    accepted: true,
    state: snapshot.value,
    stateChanged: snapshot.value !== stored.value,
    snapshot,
    intents: toIntents(actions),
  };
}

export interface RecordedEvent {
  type: string;
  actor: PetitionEvent['actor'];
  data: Record<string, unknown>;
}

/** Rebuild a petition's snapshot from its audit events alone: the proof that the log is complete. */
export function replayPetition(input: PetitionInput, events: readonly RecordedEvent[], version: number = CURRENT_PETITION_MACHINE_VERSION): StoredSnapshot {
  let stored = startPetition(input, version);
  for (const e of events) {
    const applied = applyPetitionEvent(stored, { ...e.data, type: e.type, actor: e.actor } as PetitionEvent);
    if (!applied.accepted) throw new Error(`Replay refused ${e.type} in state ${stored.value}`);
    stored = applied.snapshot;
  }
  return stored;
}

/** Event types the current machine knows, for the API and the worker. */
export const TIMER_EVENTS = ['SIGN_FOR_DUE', 'HANDLING_DUE', 'FEEDBACK_DUE', 'HANDLING_REMINDER_DUE', 'HANDLING_ESCALATION_DUE'] as const satisfies readonly PetitionEvent['type'][];
export type TimerEventType = (typeof TIMER_EVENTS)[number];
/** The event a fired deadline of each kind becomes. */
export const TIMER_EVENT_FOR_KIND: Record<DeadlineKind, TimerEventType> = {
  sign_for: 'SIGN_FOR_DUE',
  handling: 'HANDLING_DUE',
  feedback: 'FEEDBACK_DUE',
  handling_reminder: 'HANDLING_REMINDER_DUE',
  handling_escalation: 'HANDLING_ESCALATION_DUE',
};
