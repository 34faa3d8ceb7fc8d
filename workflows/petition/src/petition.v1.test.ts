import { describe, expect, it } from 'vitest';
import { getShortestPaths, getSimplePaths } from 'xstate/graph';
import type { Actor } from '@petitions/domain';
import { applyPetitionEvent, replayPetition, startPetition as start } from './engine.js';
import { petitionMachineV1, type PetitionEvent, type PetitionInput } from './petition.v1.js';

// Version 1 is frozen: petitions started on it must keep behaving exactly like this.
const startPetition = (i: PetitionInput) => start(i, 1);

const LEAD = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const clerk: Actor = { id: 'c1', role: 'clerk', unitId: null };
const leadHandler: Actor = { id: 'h1', role: 'handler', unitId: LEAD };
const otherHandler: Actor = { id: 'h2', role: 'handler', unitId: OTHER };
const system: Actor = { id: 'system', role: 'system', unitId: null };
const route = { leadUnitId: LEAD, coUnitIds: [OTHER], slaClass: 'normal' as const };
const input: PetitionInput = { petitionId: 'p1', kind: 'request', slaClass: 'normal' };

/** One sample of every event the machine knows, including the ones its guards refuse. */
const EVENTS: PetitionEvent[] = [
  { type: 'SUBMIT', route, actor: clerk },
  { type: 'SUBMIT', route: null, actor: clerk },
  { type: 'REJECT', reason: '不属于受理范围', actor: clerk },
  { type: 'DISPATCH', route, actor: { id: 'd1', role: 'dispatcher', unitId: null } },
  { type: 'SIGN_FOR', actor: leadHandler },
  { type: 'SIGN_FOR', actor: otherHandler },
  { type: 'COMPLETE', result: '已处理', resolved: true, actor: leadHandler },
  { type: 'COMPLETE', result: '已处理', resolved: true, actor: otherHandler },
  { type: 'RATE', satisfaction: 'satisfied', resolved: true, actor: { id: 'f1', role: 'follow_up', unitId: null } },
  { type: 'RATE', satisfaction: 'dissatisfied', resolved: false, actor: { id: 'f1', role: 'follow_up', unitId: null } },
  { type: 'SIGN_FOR_DUE', actor: system },
  { type: 'HANDLING_DUE', actor: system },
  { type: 'FEEDBACK_DUE', actor: system },
];

const STATES = ['intake', 'awaitingDispatch', 'dispatched', 'handling', 'awaitingFeedback', 'closed'];

function run(events: PetitionEvent[]) {
  let stored = startPetition(input);
  const intents: string[] = [];
  for (const e of events) {
    const r = applyPetitionEvent(stored, e);
    if (!r.accepted) return { stored, intents, refusedAt: e };
    intents.push(...r.intents.map((i) => i.type));
    stored = r.snapshot;
  }
  return { stored, intents, refusedAt: null };
}

describe('petition machine v1 paths', () => {
  const paths = getSimplePaths(petitionMachineV1, { events: EVENTS, input });

  it('reaches every state', () => {
    const reached = new Set(paths.map((p) => String(p.state.value)));
    expect([...reached].sort()).toEqual([...STATES].sort());
  });

  it('walks every simple path through the pure engine to the same state, accepting every step', () => {
    expect(paths.length).toBeGreaterThan(8);
    for (const path of paths) {
      const events = path.steps.slice(1).map((s) => s.event);
      const r = run(events);
      expect(r.refusedAt).toBeNull();
      expect(r.stored.value).toBe(String(path.state.value));
      expect(r.stored.context).toEqual(path.state.context);
    }
  });

  it('ends every path to closed with an outcome and the tasks closed', () => {
    const toClosed = getShortestPaths(petitionMachineV1, { events: EVENTS, input }).filter((p) => p.state.value === 'closed');
    expect(toClosed.length).toBeGreaterThan(0);
    for (const path of getSimplePaths(petitionMachineV1, { events: EVENTS, input }).filter((p) => p.state.value === 'closed')) {
      expect(path.state.context.outcome).not.toBeNull();
      const r = run(path.steps.slice(1).map((s) => s.event));
      expect(r.intents).toContain('closeTasks');
    }
  });
});

describe('guards and timers', () => {
  it('lets only the lead unit sign for and complete', () => {
    const dispatched = run([EVENTS[0]!]).stored;
    const refused = applyPetitionEvent(dispatched, { type: 'SIGN_FOR', actor: otherHandler });
    expect(refused).toEqual({ accepted: false, state: 'dispatched', refusal: 'guard' });
    const signed = applyPetitionEvent(dispatched, { type: 'SIGN_FOR', actor: leadHandler });
    expect(signed.accepted && signed.state).toBe('handling');
    // A unit with no unit at all is not the lead unit either.
    expect(applyPetitionEvent(dispatched, { type: 'SIGN_FOR', actor: clerk }).accepted).toBe(false);
  });

  it('refuses a command unknown to the state as a state refusal', () => {
    const dispatched = run([EVENTS[0]!]).stored;
    expect(applyPetitionEvent(dispatched, EVENTS[8]!)).toEqual({ accepted: false, state: 'dispatched', refusal: 'state' });
  });

  it('ignores a timer for a state already left', () => {
    const handling = run([EVENTS[0]!, EVENTS[4]!]).stored;
    expect(applyPetitionEvent(handling, { type: 'SIGN_FOR_DUE', actor: system }).accepted).toBe(false);
    expect(applyPetitionEvent(handling, { type: 'FEEDBACK_DUE', actor: system }).accepted).toBe(false);
  });

  it('escalates an overdue sign-for without leaving the state', () => {
    const dispatched = run([EVENTS[0]!]).stored;
    const r = applyPetitionEvent(dispatched, { type: 'SIGN_FOR_DUE', actor: system });
    expect(r.accepted && r.state).toBe('dispatched');
    expect(r.accepted && r.intents).toEqual([{ type: 'notify', params: { template: 'sign_for_overdue', audience: 'supervisors' } }]);
  });

  it('closes as no_feedback when the feedback window passes', () => {
    const r = run([EVENTS[0]!, EVENTS[4]!, EVENTS[6]!, EVENTS[12]!]);
    expect(r.stored.value).toBe('closed');
    expect(r.stored.context.outcome).toBe('no_feedback');
  });

  it('records the resident\'s word on resolution, not the handler\'s', () => {
    const r = run([EVENTS[0]!, EVENTS[4]!, EVENTS[6]!, EVENTS[9]!]);
    expect(r.stored.context).toMatchObject({ outcome: 'unresolved', satisfaction: 'dissatisfied', resolved: false });
  });

  it('emits the intents the worker turns into tasks, timers and messages', () => {
    const dispatched = applyPetitionEvent(startPetition(input), EVENTS[0]!);
    expect(dispatched.accepted && dispatched.intents).toEqual([
      { type: 'openTasks', params: { leadUnitId: LEAD, coUnitIds: [OTHER] } },
      { type: 'scheduleDeadline', params: { kind: 'sign_for' } },
      { type: 'notify', params: { template: 'task_assigned', audience: 'lead_unit' } },
    ]);
  });
});

describe('snapshots', () => {
  it('survive a JSON round trip and carry the machine version', () => {
    const r = run([EVENTS[0]!, EVENTS[4]!]);
    const restored = JSON.parse(JSON.stringify(r.stored));
    expect(restored.version).toBe(1);
    const next = applyPetitionEvent(restored, EVENTS[6]!);
    expect(next.accepted && next.state).toBe('awaitingFeedback');
  });

  it('are reproduced by replaying the recorded events', () => {
    const events = [EVENTS[0]!, EVENTS[10]!, EVENTS[4]!, EVENTS[6]!, EVENTS[8]!];
    const direct = run(events).stored;
    const replayed = replayPetition(input, events.map(({ type, actor, ...data }) => ({ type, actor, data })), 1);
    expect(replayed).toEqual(direct);
  });

  it('refuse a version of the machine that does not exist', () => {
    expect(() => applyPetitionEvent({ ...startPetition(input), version: 99 }, EVENTS[0]!)).toThrow(/version 99/);
  });
});
