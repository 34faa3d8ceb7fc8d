import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobPayload } from '@petitions/queue';
import { deliverNotification } from '@petitions/notifier';
import { fireDueTimers, fireTimer } from '@petitions/scheduler';
import { applyCommands } from '@petitions/workflow-worker';
import { noiseComplaint, startTestSystem, type TestSystem } from '../support/system.js';

/**
 * Deadlines on the working-day calendar, driven by a clock the test moves: the worker applies
 * commands at the test's "now", and the scheduler fires from Postgres what is due by then.
 * Nothing sleeps; every instant below is worked out by hand from the State Council calendar.
 */
let sys: TestSystem;
beforeAll(async () => { sys = await startTestSystem({ worker: false, commandWaitMs: 0 }); });
afterAll(async () => { await sys.close(); });

const at = (iso: string) => new Date(iso);

/** The workflow worker, at a chosen moment: apply every pending command in order. */
async function applyPendingAt(now: Date): Promise<void> {
  const rows = await sys.tdb.db.selectFrom('commands').select(['id', 'petition_id']).where('status', '=', 'pending').orderBy('created_at').execute();
  if (rows.length > 0) await applyCommands(sys.tdb.db, rows.map((r) => ({ commandId: r.id, petitionId: r.petition_id })), { now });
}

async function firedTimers(petitionId: string): Promise<number> {
  return (await sys.tdb.db.selectFrom('timers').select('id').where('petition_id', '=', petitionId).where('state', '=', 'fired').execute()).length;
}

/**
 * The clock reaches `now`: the scheduler fires everything due (other tests' petitions too), the
 * worker applies it. Returns how many of this petition's timers fired.
 */
async function advanceTo(now: Date, petitionId: string): Promise<number> {
  const before = await firedTimers(petitionId);
  await fireDueTimers(sys.tdb.db, sys.q.queues, now);
  await applyPendingAt(now);
  return (await firedTimers(petitionId)) - before;
}

async function submitAt(now: Date, overrides: Record<string, unknown> = {}): Promise<{ id: string; leadUnitId: string }> {
  const res = await sys.app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs, overrides) });
  expect(res.statusCode).toBe(202);
  await applyPendingAt(now);
  const p = await sys.tdb.db.selectFrom('petitions').select(['id', 'lead_unit_id']).where('id', '=', res.json().petitionId).executeTakeFirstOrThrow();
  return { id: p.id, leadUnitId: p.lead_unit_id! };
}

async function commandAt(now: Date, petitionId: string, action: string, body: Record<string, unknown>, headers: Record<string, string>): Promise<void> {
  const res = await sys.app.inject({ method: 'POST', url: `/petitions/${petitionId}/${action}`, headers, payload: body });
  expect(res.statusCode, res.body).toBe(202);
  await applyPendingAt(now);
}

const handler = (unitId: string) => ({ 'x-actor-id': 'h1', 'x-actor-role': 'handler', 'x-actor-unit': unitId });
const head = (unitId: string) => ({ 'x-actor-id': 'boss', 'x-actor-role': 'department_head', 'x-actor-unit': unitId });

async function view(id: string) {
  return (await sys.app.inject({ method: 'GET', url: `/petitions/${id}` })).json();
}

async function deadline(id: string, kind: string): Promise<{ dueAt: string; state: string; basis: string; remainingMs: number | null } | undefined> {
  return ((await view(id)).deadlines as { kind: string; dueAt: string; state: string; basis: string; remainingMs: number | null }[]).find((d) => d.kind === kind);
}

async function timelineTypes(id: string): Promise<string[]> {
  return ((await view(id)).timeline as { type: string }[]).map((e) => e.type);
}

/** Deliver the petition's notifications from the outbox through the local channel; returns template → audience. */
async function deliveredNotifications(petitionId: string): Promise<string[]> {
  const rows = await sys.tdb.db.selectFrom('outbox').select('payload').where('queue', '=', 'notifications').execute();
  for (const r of rows) {
    const job = r.payload as JobPayload<'notifications', 'deliver'>;
    if (job.petitionId === petitionId) await deliverNotification(sys.tdb.db, job);
  }
  const stored = await sys.tdb.db.selectFrom('notifications').select(['template', 'audience']).where('petition_id', '=', petitionId).orderBy('created_at').execute();
  return stored.map((n) => `${n.template}→${n.audience}`);
}

describe('deadlines on the working-day calendar', () => {
  it('crosses the Spring Festival week: make-up Saturdays count, the holiday does not, and reminder, 督办 and 通报 fire once each', async () => {
    // Friday 2026-02-13 10:00, the last working Friday before 春节 (2/15–2/23 off; 2/14 and 2/28 are make-up Saturdays).
    const p = await submitAt(at('2026-02-13T10:00:00+08:00'));
    // Two working hours to sign for: 10:00–12:00.
    expect(await deadline(p.id, 'sign_for')).toMatchObject({ dueAt: '2026-02-13T04:00:00.000Z', state: 'pending', basis: 'working' });
    // Five working days: 2/14 (Sat, make-up), 2/24, 2/25, 2/26, 2/27 → 2/27 17:30.
    expect(await deadline(p.id, 'handling')).toMatchObject({ dueAt: '2026-02-27T09:30:00.000Z', state: 'pending' });
    // 75% of 2,460 working minutes = 1,845: 360 on 2/13, 420 on each of 2/14, 2/24, 2/25, then 225 on 2/26 → 14:15.
    expect(await deadline(p.id, 'handling_reminder')).toMatchObject({ dueAt: '2026-02-26T06:15:00.000Z', state: 'pending' });

    await commandAt(at('2026-02-13T11:00:00+08:00'), p.id, 'sign-for', {}, handler(p.leadUnitId));
    expect((await deadline(p.id, 'sign_for'))).toBeUndefined(); // cancelled on sign-for
    // The task in the department's queue carries the handling deadline.
    const task = await sys.tdb.db.selectFrom('tasks').select('due_at').where('petition_id', '=', p.id).where('role', '=', 'lead').executeTakeFirstOrThrow();
    expect(task.due_at?.toISOString()).toBe('2026-02-27T09:30:00.000Z');

    // Through the holiday nothing is due.
    expect(await advanceTo(at('2026-02-26T14:14:59+08:00'), p.id)).toBe(0);
    expect(await advanceTo(at('2026-02-26T14:15:00+08:00'), p.id)).toBe(1);
    // Reminders and escalations are internal: the resident's public timeline does not show them.
    expect((await view(p.id)).timeline.at(-1)).toMatchObject({ type: 'HANDLING_REMINDER_DUE', visibility: 'internal' });
    expect(await advanceTo(at('2026-02-27T17:30:00+08:00'), p.id)).toBe(1);
    expect((await view(p.id)).timeline.at(-1)).toMatchObject({ type: 'HANDLING_DUE', visibility: 'internal', actor: { role: 'system' } });
    // 通报 five working days after the deadline: 2/28 (make-up Saturday), 3/2, 3/3, 3/4, 3/5.
    expect(await deadline(p.id, 'handling_escalation')).toMatchObject({ dueAt: '2026-03-05T09:30:00.000Z', state: 'pending' });
    expect(await advanceTo(at('2026-03-05T17:30:00+08:00'), p.id)).toBe(1);
    // Late firings (a redelivered job, the recovery sweep) record nothing new.
    expect(await advanceTo(at('2026-03-09T09:00:00+08:00'), p.id)).toBe(0);
    const types = await timelineTypes(p.id);
    for (const t of ['HANDLING_REMINDER_DUE', 'HANDLING_DUE', 'HANDLING_ESCALATION_DUE']) expect(types.filter((x) => x === t)).toHaveLength(1);

    // Each step reached the people it concerns, once.
    const sent = await deliveredNotifications(p.id);
    expect(sent).toEqual(expect.arrayContaining([
      'petition_received→resident', 'task_assigned→lead_unit', 'handling_reminder→lead_unit',
      'handling_overdue→supervisors', 'handling_escalated→leaders',
    ]));
    expect(new Set(sent).size).toBe(sent.length);
  });

  it('counts from the first working moment after a holiday for a request arriving at 23:59 on its eve', async () => {
    // 2025-09-30 23:59, eve of 国庆/中秋 (10/1–10/8 off; 10/11 is a make-up Saturday).
    const p = await submitAt(at('2025-09-30T23:59:00+08:00'));
    expect(await deadline(p.id, 'sign_for')).toMatchObject({ dueAt: '2025-10-09T03:00:00.000Z' }); // 09:00 + 2 h
    expect(await deadline(p.id, 'handling')).toMatchObject({ dueAt: '2025-10-14T09:30:00.000Z' }); // 10/9, 10/10, 10/11, 10/13, 10/14
  });

  it('runs emergencies on the clock, 24/7, holiday or not', async () => {
    const p = await submitAt(at('2026-01-01T08:00:00+08:00'), { urgency: 'emergency' });
    expect(await deadline(p.id, 'sign_for')).toMatchObject({ dueAt: '2026-01-01T00:30:00.000Z', basis: 'clock' });
    expect(await deadline(p.id, 'handling')).toMatchObject({ dueAt: '2026-01-01T02:00:00.000Z', basis: 'clock' });
    expect(await deadline(p.id, 'handling_reminder')).toMatchObject({ dueAt: '2026-01-01T01:30:00.000Z' });
  });

  it('keeps a handling deadline that ran out before the sign-for: the task is overdue at once, not given a fresh one', async () => {
    const p = await submitAt(at('2026-07-01T08:00:00+08:00'), { urgency: 'emergency' });
    // Nobody signs for it: the sign-for (08:30) and handling (10:00) deadlines pass and 督办 fires.
    await advanceTo(at('2026-07-01T10:05:00+08:00'), p.id);
    expect((await view(p.id)).timeline.map((e: { type: string }) => e.type)).toContain('HANDLING_DUE');
    await commandAt(at('2026-07-01T10:10:00+08:00'), p.id, 'sign-for', {}, handler(p.leadUnitId));
    const lead = ((await view(p.id)).tasks as { role: string; status: string; dueAt: string }[]).find((t) => t.role === 'lead' && t.status === 'in_progress');
    expect(lead?.dueAt).toBe('2026-07-01T02:00:00.000Z');
    const overdue = await sys.app.inject({ method: 'GET', url: `/units/${p.leadUnitId}/tasks?status=overdue`, headers: handler(p.leadUnitId) });
    expect(overdue.json().items.map((t: { petitionId: string }) => t.petitionId)).toContain(p.id);
  });

  it('moves the deadline and its reminder when an extension is approved, in working days', async () => {
    const p = await submitAt(at('2026-03-02T09:00:00+08:00')); // Monday
    await commandAt(at('2026-03-02T09:30:00+08:00'), p.id, 'sign-for', {}, handler(p.leadUnitId));
    expect(await deadline(p.id, 'handling')).toMatchObject({ dueAt: '2026-03-09T09:30:00.000Z' }); // 3/3..3/9
    await commandAt(at('2026-03-03T10:00:00+08:00'), p.id, 'extension-requests', { days: 3, reason: '需协调供电公司' }, handler(p.leadUnitId));
    await commandAt(at('2026-03-03T11:00:00+08:00'), p.id, 'extension-decisions', { approve: true }, head(p.leadUnitId));
    expect(await deadline(p.id, 'handling')).toMatchObject({ dueAt: '2026-03-12T09:30:00.000Z', state: 'pending' }); // +3 working days
    // The reminder is recomputed for the new period, 3/3 11:00 → 3/12 17:30 (3,240 working minutes):
    // 75% is 2,430: 300 on 3/3, 420 on each of 3/4, 3/5, 3/6, 3/9, 3/10, then 30 on 3/11 → 09:30.
    expect(await deadline(p.id, 'handling_reminder')).toMatchObject({ dueAt: '2026-03-11T01:30:00.000Z', state: 'pending' });
    // The old deadline (3/9 17:30) and its reminder were cancelled: nothing fires when they would have.
    expect(await advanceTo(at('2026-03-10T17:30:00+08:00'), p.id)).toBe(0);
    expect(await advanceTo(at('2026-03-11T09:30:00+08:00'), p.id)).toBe(1);
    expect(await timelineTypes(p.id)).not.toContain('HANDLING_DUE');
  });

  it('pauses the whole handling clock while suspended and gives back the working time left, across a holiday', async () => {
    const p = await submitAt(at('2026-04-27T09:00:00+08:00')); // Monday before 劳动节 (5/1–5/5 off, 5/9 make-up Saturday)
    await commandAt(at('2026-04-27T09:00:00+08:00'), p.id, 'sign-for', {}, handler(p.leadUnitId));
    expect(await deadline(p.id, 'handling')).toMatchObject({ dueAt: '2026-05-07T09:30:00.000Z' }); // 4/28,4/29,4/30,5/6,5/7
    await commandAt(at('2026-04-29T09:00:00+08:00'), p.id, 'suspension-requests', { reason: '等待鉴定结果' }, handler(p.leadUnitId));
    await commandAt(at('2026-04-29T09:00:00+08:00'), p.id, 'suspension-decisions', { approve: true }, head(p.leadUnitId));
    const paused = (await deadline(p.id, 'handling'))!;
    // Left at 4/29 09:00: all of 4/29, 4/30, 5/6, 5/7 = 4 × 420 working minutes.
    expect(paused).toMatchObject({ state: 'paused', basis: 'working', remainingMs: 4 * 420 * 60_000 });
    expect((await deadline(p.id, 'handling_reminder'))?.state).toBe('paused');
    // Time passes over the holiday while suspended: nothing fires.
    expect(await advanceTo(at('2026-05-08T09:00:00+08:00'), p.id)).toBe(0);
    // Resumed on the make-up Saturday 5/9 at 09:00: 5/9, 5/11, 5/12, 5/13.
    await commandAt(at('2026-05-09T09:00:00+08:00'), p.id, 'resume', {}, handler(p.leadUnitId));
    expect(await deadline(p.id, 'handling')).toMatchObject({ dueAt: '2026-05-13T09:30:00.000Z', state: 'pending' });
    expect((await deadline(p.id, 'handling_reminder'))?.state).toBe('pending');
  });

  it('cancels every deadline when the work is completed, so a timer firing for a state already left does nothing', async () => {
    const p = await submitAt(at('2026-06-01T09:00:00+08:00'));
    await commandAt(at('2026-06-01T10:00:00+08:00'), p.id, 'sign-for', {}, handler(p.leadUnitId));
    const reminderId = (await sys.tdb.db.selectFrom('timers').select('id').where('petition_id', '=', p.id).where('kind', '=', 'handling_reminder').executeTakeFirstOrThrow()).id;
    await commandAt(at('2026-06-02T10:00:00+08:00'), p.id, 'complete', { result: '已处理', resolved: true }, handler(p.leadUnitId));
    const left = await sys.tdb.db.selectFrom('timers').select(['kind', 'state']).where('petition_id', '=', p.id).where('state', 'in', ['pending', 'paused']).execute();
    expect(left).toEqual([{ kind: 'feedback', state: 'pending' }]);
    // Feedback is due the next working day (6/3 17:30).
    expect(await deadline(p.id, 'feedback')).toMatchObject({ dueAt: '2026-06-03T09:30:00.000Z' });
    expect(await fireTimer(sys.tdb.db, sys.q.queues, reminderId)).toBe('stale');
    // A handling event that was already in the queue when the petition moved on is ignored, not refused.
    await sys.tdb.db.insertInto('commands').values({
      id: crypto.randomUUID(), petition_id: p.id, type: 'HANDLING_DUE', payload: JSON.stringify({}),
      actor_id: 'system', actor_role: 'system', actor_unit_id: null,
    }).execute();
    const before = await timelineTypes(p.id);
    await applyPendingAt(at('2026-06-08T17:30:00+08:00'));
    expect(await timelineTypes(p.id)).toEqual(before);
    expect(await sys.tdb.db.selectFrom('commands').select('status').where('type', '=', 'HANDLING_DUE').where('petition_id', '=', p.id).executeTakeFirstOrThrow()).toEqual({ status: 'ignored' });
    // No answer by the feedback deadline: closed as no feedback.
    expect(await advanceTo(at('2026-06-03T17:30:00+08:00'), p.id)).toBe(1);
    expect(await view(p.id)).toMatchObject({ state: 'closed', outcome: 'no_feedback' });
  });
});
