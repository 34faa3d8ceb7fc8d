import { describe, expect, it } from 'vitest';
import { getShortestPaths } from 'xstate/graph';
import type { Actor } from '@petitions/domain';
import { applyPetitionEvent, replayPetition, startPetition, type PetitionEvent, type PetitionInput, type StoredSnapshot } from './engine.js';
import { MAX_REDOS, MAX_RETURNS, PETITION_STATES, petitionMachineV2, type PetitionContextV2 } from './petition.v2.js';

const LEAD = '11111111-1111-4111-8111-111111111111';
const CO = '22222222-2222-4222-8222-222222222222';
const OTHER = '33333333-3333-4333-8333-333333333333';
const clerk: Actor = { id: 'c1', role: 'clerk', unitId: null };
const dispatcher: Actor = { id: 'd1', role: 'dispatcher', unitId: null };
const lead: Actor = { id: 'h1', role: 'handler', unitId: LEAD };
const head: Actor = { id: 'boss', role: 'department_head', unitId: LEAD };
const co: Actor = { id: 'h2', role: 'handler', unitId: CO };
const outsider: Actor = { id: 'h3', role: 'handler', unitId: OTHER };
const followUp: Actor = { id: 'f1', role: 'follow_up', unitId: null };
const resident: Actor = { id: 'r1', role: 'resident', unitId: null };
const system: Actor = { id: 'system', role: 'system', unitId: null };
const route = { leadUnitId: LEAD, coUnitIds: [CO], slaClass: 'normal' as const };
const request: PetitionInput = { petitionId: 'p1', kind: 'request', slaClass: 'normal' };
const inquiry: PetitionInput = { petitionId: 'p2', kind: 'inquiry', slaClass: 'normal' };

const E = {
  submit: { type: 'SUBMIT', route, actor: clerk },
  submitNoRule: { type: 'SUBMIT', route: null, actor: clerk },
  submitAnswered: { type: 'SUBMIT', route: null, directAnswer: '可到街道办事处办理', actor: clerk },
  answer: { type: 'ANSWER', answer: '政策如下……', actor: dispatcher },
  reject: { type: 'REJECT', reason: '不属于受理范围', actor: clerk },
  merge: { type: 'MERGE', originalId: 'p0', originalTrackingNo: '2026112100000001', actor: clerk },
  closeWithOriginal: { type: 'CLOSE_WITH_ORIGINAL', originalOutcome: 'resolved', actor: system },
  dispatch: { type: 'DISPATCH', route, actor: dispatcher },
  redispatch: { type: 'REDISPATCH', route: { ...route, leadUnitId: OTHER, coUnitIds: [] }, reason: '属地调整', actor: dispatcher },
  signFor: { type: 'SIGN_FOR', actor: lead },
  signForByOutsider: { type: 'SIGN_FOR', actor: outsider },
  return: { type: 'RETURN', reason: '不属于本单位职责', actor: lead },
  note: { type: 'NOTE', text: '已到现场查看', visibility: 'public', actor: lead },
  noteByOutsider: { type: 'NOTE', text: '?', visibility: 'internal', actor: outsider },
  opinion: { type: 'CO_OPINION', opinion: '同意牵头单位意见', actor: co },
  opinionByOutsider: { type: 'CO_OPINION', opinion: '?', actor: outsider },
  askExtension: { type: 'REQUEST_EXTENSION', days: 5, reason: '需协调多个部门', actor: lead },
  approveExtension: { type: 'DECIDE_EXTENSION', approve: true, actor: head },
  denyExtension: { type: 'DECIDE_EXTENSION', approve: false, actor: head },
  approveExtensionByHandler: { type: 'DECIDE_EXTENSION', approve: true, actor: lead },
  askSuspension: { type: 'REQUEST_SUSPENSION', reason: '等待法院判决', actor: lead },
  approveSuspension: { type: 'DECIDE_SUSPENSION', approve: true, actor: head },
  denySuspension: { type: 'DECIDE_SUSPENSION', approve: false, actor: head },
  resume: { type: 'RESUME', actor: lead },
  complete: { type: 'COMPLETE', result: '已处理完毕', resolved: true, actor: lead },
  completeReviewed: { type: 'COMPLETE', result: '已处理完毕', resolved: true, requiresReview: true, actor: lead },
  approveReview: { type: 'APPROVE_REVIEW', actor: dispatcher },
  sendBack: { type: 'SEND_BACK', reason: '答复不完整', actor: dispatcher },
  satisfied: { type: 'RATE', satisfaction: 'satisfied', resolved: true, actor: followUp },
  dissatisfied: { type: 'RATE', satisfaction: 'dissatisfied', resolved: false, actor: followUp },
  withdraw: { type: 'WITHDRAW', reason: '问题已自行解决', actor: resident },
  signForDue: { type: 'SIGN_FOR_DUE', actor: system },
  handlingDue: { type: 'HANDLING_DUE', actor: system },
  reminderDue: { type: 'HANDLING_REMINDER_DUE', actor: system },
  escalationDue: { type: 'HANDLING_ESCALATION_DUE', actor: system },
  feedbackDue: { type: 'FEEDBACK_DUE', actor: system },
} satisfies Record<string, PetitionEvent>;
const ALL_EVENTS: PetitionEvent[] = Object.values(E);

function run(input: PetitionInput, events: PetitionEvent[]) {
  let stored = startPetition(input);
  const intents: { type: string; params: unknown }[] = [];
  for (const e of events) {
    const r = applyPetitionEvent(stored, e);
    if (!r.accepted) throw new Error(`refused ${e.type} (${e.actor.id}) in ${stored.value}: ${r.refusal}`);
    intents.push(...r.intents);
    stored = r.snapshot;
  }
  return { stored, ctx: stored.context as PetitionContextV2, intents };
}

const refused = (stored: StoredSnapshot, e: PetitionEvent) => applyPetitionEvent(stored, e);

const STATES = [...PETITION_STATES];

describe('petition machine v2: every path', () => {
  // Shortest path to every distinct (state, context): bounded, because returns and redos are capped.
  // Notes and reminders only count up; leaving the counts out of a state's identity keeps the state space finite.
  const serializeState = (s: { value: unknown; context: PetitionContextV2 }) => JSON.stringify([s.value, { ...s.context, noteCount: 0, remindersSent: 0 }]);
  const paths = [request, inquiry].flatMap((input) =>
    getShortestPaths(petitionMachineV2, { events: ALL_EVENTS, input, serializeState }).map((p) => ({ p, input })));

  it('reaches every state, for requests and inquiries', () => {
    expect(new Set(paths.map(({ p }) => String(p.state.value)))).toEqual(new Set(STATES));
    expect(paths.length).toBeGreaterThan(50);
    console.log(`petition v2: ${paths.length} shortest paths to distinct (state, context) pairs`);
  });

  it('runs every path through the pure engine to the same snapshot, and replays it from the events', { timeout: 120_000 }, () => {
    for (const { p, input } of paths) {
      const events = p.steps.slice(1).map((s) => s.event);
      const r = run(input, events);
      expect(r.stored.value).toBe(String(p.state.value));
      expect(r.stored.context).toEqual(p.state.context);
      expect(replayPetition(input, events.map(({ type, actor, ...data }) => ({ type, actor, data })))).toEqual(r.stored);
    }
  });

  it('closes every closed path with an outcome, and never leaves a deadline running', { timeout: 60_000 }, () => {
    for (const { p, input } of paths.filter(({ p }) => p.state.value === 'closed')) {
      const r = run(input, p.steps.slice(1).map((s) => s.event));
      expect(r.ctx.outcome).not.toBeNull();
      const last = r.intents.slice(r.intents.findLastIndex((i) => i.type === 'closeTasks'));
      expect(last.map((i) => i.type)).toContain('closeFollowers');
      expect(r.intents.filter((i) => i.type === 'cancelDeadline').length).toBeGreaterThan(0);
    }
  });
});

describe('intake', () => {
  it('closes an inquiry answered at intake as answered, but not a request', () => {
    expect(run(inquiry, [E.submitAnswered]).ctx.outcome).toBe('answered');
    expect(run(request, [E.submitAnswered]).stored.value).toBe('awaitingDispatch');
  });

  it('lets a dispatcher answer an inquiry waiting for dispatch, but not a request', () => {
    expect(run(inquiry, [E.submitNoRule, E.answer]).ctx.outcome).toBe('answered');
    const waiting = run(request, [E.submitNoRule]).stored;
    expect(refused(waiting, E.answer)).toMatchObject({ accepted: false, refusal: 'guard' });
  });

  it('merges into another petition and closes when the original does', () => {
    const merged = run(request, [E.submit, E.merge]);
    expect(merged.stored.value).toBe('merged');
    expect(merged.ctx.mergedInto).toBe('p0');
    expect(merged.intents).toContainEqual({ type: 'closeTasks', params: { status: 'cancelled' } });
    expect(run(request, [E.submit, E.merge, E.closeWithOriginal]).ctx.outcome).toBe('merged');
    expect(refused(run(request, [E.submit]).stored, { ...E.merge, originalId: 'p1' })).toMatchObject({ accepted: false, refusal: 'guard' });
  });
});

describe('dispatch and returns', () => {
  it('starts the handling clock at the first dispatch and keeps it through returns and re-dispatch', () => {
    const r = run(request, [E.submit, E.return, E.dispatch, E.redispatch]);
    const schedules = r.intents.filter((i) => i.type === 'scheduleDeadline').map((i) => i.params);
    expect(schedules).toContainEqual({ kind: 'handling', restart: false });
    expect(schedules).not.toContainEqual({ kind: 'handling', restart: true });
    expect(r.intents).not.toContainEqual({ type: 'cancelDeadline', params: { kind: 'handling' } });
  });

  it(`counts returns per unit and makes the assignment final after ${MAX_RETURNS}`, () => {
    const once = run(request, [E.submit, E.return]);
    expect(once.stored.value).toBe('awaitingDispatch');
    expect(once.ctx.returnsByUnit).toEqual({ [LEAD]: 1 });
    expect(once.intents).toContainEqual({ type: 'returnTask', params: { unitId: LEAD } });
    const twice = run(request, [E.submit, E.return, E.dispatch, E.return, E.dispatch]);
    expect(twice.ctx.returnCount).toBe(MAX_RETURNS);
    expect(refused(twice.stored, E.return)).toMatchObject({ accepted: false, state: 'dispatched', refusal: 'guard' });
    expect(refused(twice.stored, E.signFor).accepted).toBe(true);
  });

  it('lets only the lead unit sign for or return', () => {
    const d = run(request, [E.submit]).stored;
    expect(refused(d, E.signForByOutsider)).toMatchObject({ accepted: false, refusal: 'guard' });
    expect(refused(d, { ...E.return, actor: outsider })).toMatchObject({ accepted: false, refusal: 'guard' });
  });

  it('re-dispatches to another unit, closing the old tasks and opening new ones', () => {
    const r = run(request, [E.submit, E.signFor, E.redispatch]);
    expect(r.stored.value).toBe('dispatched');
    expect(r.ctx.leadUnitId).toBe(OTHER);
    expect(r.intents.slice(-5).map((i) => i.type)).toEqual(['closeTasks', 'openTasks', 'scheduleDeadline', 'scheduleDeadline', 'notify']);
    expect(r.intents).toContainEqual({ type: 'openTasks', params: { leadUnitId: OTHER, coUnitIds: [] } });
  });
});

describe('handling', () => {
  const handling = () => run(request, [E.submit, E.signFor]).stored;

  it('takes notes from those involved and opinions from co-units only', () => {
    expect(refused(handling(), E.note).accepted).toBe(true);
    expect(refused(handling(), E.noteByOutsider)).toMatchObject({ accepted: false, refusal: 'guard' });
    const withOpinion = run(request, [E.submit, E.signFor, E.opinion]);
    expect(withOpinion.ctx.coOpinionsFrom).toEqual([CO]);
    expect(refused(handling(), E.opinionByOutsider)).toMatchObject({ accepted: false, refusal: 'guard' });
  });

  it('extends the deadline when the head approves, only before it passes and one request at a time', () => {
    const approved = run(request, [E.submit, E.signFor, E.askExtension, E.approveExtension]);
    expect(approved.intents).toContainEqual({ type: 'extendDeadline', params: { kind: 'handling', days: 5 } });
    expect(approved.ctx.pendingExtension).toBeNull();
    const pending = run(request, [E.submit, E.signFor, E.askExtension]).stored;
    expect(refused(pending, E.askExtension)).toMatchObject({ accepted: false, refusal: 'guard' });
    expect(refused(pending, E.approveExtensionByHandler)).toMatchObject({ accepted: false, refusal: 'guard' });
    const overdue = run(request, [E.submit, E.signFor, E.handlingDue]).stored;
    expect(refused(overdue, E.askExtension)).toMatchObject({ accepted: false, refusal: 'guard' });
    const denied = run(request, [E.submit, E.signFor, E.askExtension, E.denyExtension]);
    expect(denied.intents.map((i) => i.type)).not.toContain('extendDeadline');
    expect(denied.ctx.pendingExtension).toBeNull();
    expect(refused(run(request, [E.submit, E.signFor]).stored, E.approveExtension)).toMatchObject({ accepted: false, refusal: 'guard' });
  });

  it('pauses the clock while suspended and resumes it after', () => {
    const s = run(request, [E.submit, E.signFor, E.askSuspension, E.approveSuspension]);
    expect(s.stored.value).toBe('suspended');
    expect(s.intents).toContainEqual({ type: 'pauseDeadline', params: { kind: 'handling' } });
    expect(refused(s.stored, { ...E.resume, actor: outsider })).toMatchObject({ accepted: false, refusal: 'guard' });
    const resumed = run(request, [E.submit, E.signFor, E.askSuspension, E.approveSuspension, E.resume]);
    expect(resumed.stored.value).toBe('handling');
    expect(resumed.intents.at(-2)).toEqual({ type: 'resumeDeadline', params: { kind: 'handling' } });
    expect(run(request, [E.submit, E.signFor, E.askSuspension, E.denySuspension]).stored.value).toBe('handling');
  });

  it('goes through quality review when the category asks for it, which can send the work back', () => {
    const reviewed = run(request, [E.submit, E.signFor, E.completeReviewed]);
    expect(reviewed.stored.value).toBe('reviewing');
    expect(run(request, [E.submit, E.signFor, E.completeReviewed, E.approveReview]).stored.value).toBe('awaitingFeedback');
    const back = run(request, [E.submit, E.signFor, E.completeReviewed, E.sendBack]);
    expect(back.stored.value).toBe('handling');
    expect(back.intents.at(-3)).toEqual({ type: 'scheduleDeadline', params: { kind: 'handling', restart: true } });
  });

  it('lets the resident withdraw before completion, not after', () => {
    for (const before of [[E.submit], [E.submit, E.signFor], [E.submit, E.signFor, E.askSuspension, E.approveSuspension], [E.submitNoRule]]) {
      expect(run(request, [...before, E.withdraw]).ctx.outcome).toBe('withdrawn');
    }
    const completed = run(request, [E.submit, E.signFor, E.complete]).stored;
    expect(refused(completed, E.withdraw)).toMatchObject({ accepted: false, refusal: 'state' });
  });
});

describe('feedback', () => {
  it(`sends dissatisfied results back to the same unit up to ${MAX_REDOS} times, then closes unresolved and flagged`, () => {
    const base = [E.submit, E.signFor, E.complete];
    const redo1 = run(request, [...base, E.dissatisfied]);
    expect(redo1.stored.value).toBe('handling');
    expect(redo1.ctx).toMatchObject({ redoCount: 1, leadUnitId: LEAD });
    expect(redo1.intents).toContainEqual({ type: 'reopenLeadTask', params: { unitId: LEAD } });
    expect(redo1.intents.filter((i) => i.type === 'scheduleDeadline').at(-1)?.params).toEqual({ kind: 'handling', restart: true });
    const redo2 = run(request, [...base, E.dissatisfied, E.complete, E.dissatisfied]);
    expect(redo2.ctx.redoCount).toBe(2);
    const closed = run(request, [...base, E.dissatisfied, E.complete, E.dissatisfied, E.complete, E.dissatisfied]);
    expect(closed.stored.value).toBe('closed');
    expect(closed.ctx).toMatchObject({ outcome: 'unresolved', flagged: true, redoCount: MAX_REDOS });
  });

  it('closes as resolved when satisfied, and as no-feedback when the window passes', () => {
    expect(run(request, [E.submit, E.signFor, E.complete, E.satisfied]).ctx).toMatchObject({ outcome: 'resolved', satisfaction: 'satisfied' });
    expect(run(request, [E.submit, E.signFor, E.complete, E.feedbackDue]).ctx.outcome).toBe('no_feedback');
  });

  it('refuses a rating on an open petition', () => {
    expect(refused(run(request, [E.submit, E.signFor]).stored, E.satisfied)).toMatchObject({ accepted: false, state: 'handling', refusal: 'state' });
  });
});

describe('timers', () => {
  it('ignores a timer for a state already left', () => {
    const h = run(request, [E.submit, E.signFor]).stored;
    expect(refused(h, E.signForDue).accepted).toBe(false);
    expect(refused(h, E.feedbackDue).accepted).toBe(false);
    expect(refused(run(request, [E.submit, E.signFor, E.complete, E.satisfied]).stored, E.handlingDue).accepted).toBe(false);
  });

  it('reminds the lead unit, escalates to supervisors at the deadline and to leaders later, wherever the clock runs', () => {
    const step = (events: PetitionEvent[], last: PetitionEvent) => {
      const r = applyPetitionEvent(run(request, events).stored, last);
      if (!r.accepted) throw new Error(`refused ${last.type}`);
      return { ctx: r.snapshot.context as PetitionContextV2, intents: r.intents };
    };
    for (const before of [[E.submit], [E.submit, E.signFor], [E.submit, E.return]]) {
      const reminded = step(before, E.reminderDue);
      expect(reminded.ctx.remindersSent).toBe(1);
      expect(reminded.intents).toEqual([{ type: 'notify', params: { template: 'handling_reminder', audience: 'lead_unit' } }]);
      const r = step([...before, E.reminderDue], E.handlingDue);
      expect(r.ctx.handlingOverdue).toBe(true);
      expect(r.ctx.escalationLevel).toBe(1);
      expect(r.intents).toEqual([
        { type: 'notify', params: { template: 'handling_overdue', audience: 'supervisors' } },
        { type: 'scheduleDeadline', params: { kind: 'handling_escalation', restart: true } },
      ]);
      const reported = step([...before, E.handlingDue], E.escalationDue);
      expect(reported.ctx.escalationLevel).toBe(2);
      expect(reported.intents).toEqual([{ type: 'notify', params: { template: 'handling_escalated', audience: 'leaders' } }]);
    }
  });

  it('starts the handling clock with its reminder and stops all of it at completion', () => {
    const dispatched = run(request, [E.submit]);
    expect(dispatched.intents).toContainEqual({ type: 'scheduleDeadline', params: { kind: 'handling', restart: false } });
    const done = run(request, [E.submit, E.signFor, E.complete]);
    expect(done.intents).toContainEqual({ type: 'cancelDeadline', params: { kind: 'handling' } });
    expect(refused(done.stored, E.reminderDue).accepted).toBe(false);
    expect(refused(done.stored, E.escalationDue).accepted).toBe(false);
  });

  it('tells the resident on receipt, on completion and with the feedback request', () => {
    const residentTemplates = (intents: readonly { type: string; params: unknown }[]) =>
      intents.filter((i) => i.type === 'notify' && (i.params as { audience: string }).audience === 'resident').map((i) => (i.params as { template: string }).template);
    expect(residentTemplates(run(request, [E.submit]).intents)).toEqual(['petition_received']);
    const handled = run(request, [E.submit, E.signFor]).stored;
    const completed = applyPetitionEvent(handled, E.complete);
    expect(completed.accepted && residentTemplates(completed.intents)).toEqual(['petition_completed', 'feedback_request']);
  });
});

describe('versions', () => {
  it('keeps a petition started on version 1 on version 1', () => {
    const v1 = startPetition(request, 1);
    const submitted = applyPetitionEvent(v1, E.submit);
    expect(submitted.accepted && submitted.snapshot.version).toBe(1);
    // Version 1 never knew returns: the command is refused as unknown in that state, not misapplied.
    const r = submitted.accepted ? applyPetitionEvent(submitted.snapshot, E.return) : null;
    expect(r).toMatchObject({ accepted: false, refusal: 'state' });
    const signed = submitted.accepted ? applyPetitionEvent(submitted.snapshot, E.signFor) : null;
    expect(signed?.accepted && signed.snapshot.version).toBe(1);
  });

  it('starts new petitions on version 2', () => {
    expect(startPetition(request).version).toBe(2);
  });
});
