import { initialTransition, transition } from 'xstate';
import {
  INTENT_TYPES, petitionMachineV1,
  type PetitionContext, type PetitionEvent, type PetitionInput, type PetitionIntent,
} from './petition.v1.js';

/**
 * Persisted machines never change under a running petition: a snapshot records the machine
 * version it started with, and is always resumed by that version's definition.
 */
const MACHINES = { 1: petitionMachineV1 } as const;
export type PetitionMachineVersion = keyof typeof MACHINES;
export const CURRENT_PETITION_MACHINE_VERSION: PetitionMachineVersion = 1;

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

function machineFor(version: number) {
  const machine = MACHINES[version as PetitionMachineVersion];
  if (!machine) throw new Error(`No petition machine version ${version}`);
  return machine;
}

const intentTypes: ReadonlySet<string> = new Set(INTENT_TYPES);

function toStored(version: number, snapshot: { value: unknown; context: PetitionContext }): StoredSnapshot {
  // This machine has no children or history, so value + context is the whole persisted state.
  return { machine: 'petition', version, value: String(snapshot.value), context: snapshot.context };
}

function toIntents(actions: readonly { type: string; params: unknown }[]): PetitionIntent[] {
  return actions
    .filter((a) => intentTypes.has(a.type))
    .map((a) => ({ type: a.type, params: a.params }) as PetitionIntent);
}

/** A new petition's snapshot in the intake state. */
export function startPetition(input: PetitionInput): StoredSnapshot {
  const [snapshot] = initialTransition(petitionMachineV1, input);
  return toStored(CURRENT_PETITION_MACHINE_VERSION, snapshot);
}

/** Apply one event to a stored snapshot. Pure: the caller persists the result and interprets the intents. */
export function applyPetitionEvent(stored: StoredSnapshot, event: PetitionEvent): Applied {
  const machine = machineFor(stored.version);
  const current = machine.resolveState({ value: stored.value, context: stored.context });
  if (!current.can(event)) {
    const known = machine.getStateNodeById(`petition.${stored.value}`).events.includes(event.type);
    return { accepted: false, state: stored.value, refusal: known ? 'guard' : 'state' };
  }
  const [next, actions] = transition(machine, current, event);
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
  const [initial] = initialTransition(machineFor(version), input);
  let stored = toStored(version, initial);
  for (const e of events) {
    const applied = applyPetitionEvent(stored, { ...e.data, type: e.type, actor: e.actor } as PetitionEvent);
    if (!applied.accepted) throw new Error(`Replay refused ${e.type} in state ${stored.value}`);
    stored = applied.snapshot;
  }
  return stored;
}
