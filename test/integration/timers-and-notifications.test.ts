import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timeRepo } from '@petitions/db';
import { deliverNotification } from '@petitions/notifier';
import { fireTimer, relayOutboxOnce } from '@petitions/scheduler';
import { eventually } from '../support/fixtures.js';
import { noiseComplaint, startTestSystem, type TestSystem } from '../support/system.js';

let sys: TestSystem;
beforeAll(async () => { sys = await startTestSystem(); });
afterAll(async () => { await sys.close(); });

async function timerOf(petitionId: string, kind: string) {
  return sys.tdb.db.selectFrom('timers').selectAll().where('petition_id', '=', petitionId).where('kind', '=', kind).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
}

describe('deadlines', () => {
  it('schedules the sign-for deadline at dispatch and fires it as an internal timeline entry', async () => {
    const res = await sys.app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs) });
    const { petitionId } = res.json();
    const timer = await timerOf(petitionId, 'sign_for');
    expect(timer.state).toBe('pending');
    const created = await sys.tdb.db.selectFrom('petitions').select('created_at').where('id', '=', petitionId).executeTakeFirstOrThrow();
    // Normal urgency: two working hours to sign for, on the working-day calendar.
    const rules = await timeRepo.loadDeadlineRules(sys.tdb.db);
    const expected = rules.calendar.addWorkingMinutes(created.created_at, 120);
    expect(Math.abs(timer.due_at.getTime() - expected.getTime())).toBeLessThan(5_000);
    expect(rules.calendar.workingMinutesBetween(created.created_at, timer.due_at)).toBeCloseTo(120, 0);

    expect(await fireTimer(sys.tdb.db, sys.q.queues, timer.id)).toBe('fired');
    await eventually(async () => (await sys.tdb.db.selectFrom('commands').select('status').where('id', '=', timer.id).executeTakeFirst())?.status === 'applied');
    const view = (await sys.app.inject({ method: 'GET', url: `/petitions/${petitionId}` })).json();
    expect(view.state).toBe('dispatched');
    expect(view.timeline.at(-1)).toMatchObject({ type: 'SIGN_FOR_DUE', visibility: 'internal', actor: { role: 'system' } });
    // Firing again (a redelivered timer job) records nothing new.
    expect(await fireTimer(sys.tdb.db, sys.q.queues, timer.id)).toBe('stale');
    const events = await sys.tdb.db.selectFrom('petition_events').select('type').where('petition_id', '=', petitionId).execute();
    expect(events.filter((e) => e.type === 'SIGN_FOR_DUE')).toHaveLength(1);
  });

  it('cancels the sign-for deadline on sign-for, so a late timer does nothing', async () => {
    const res = await sys.app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs) });
    const { petitionId, leadUnit } = res.json();
    const timer = await timerOf(petitionId, 'sign_for');
    await sys.app.inject({ method: 'POST', url: `/petitions/${petitionId}/sign-for`, headers: { 'x-actor-role': 'handler', 'x-actor-unit': leadUnit.id }, payload: {} });
    expect((await timerOf(petitionId, 'sign_for')).state).toBe('cancelled');
    expect((await timerOf(petitionId, 'handling')).state).toBe('pending');
    expect(await fireTimer(sys.tdb.db, sys.q.queues, timer.id)).toBe('stale');
  });
});

describe('notifications', () => {
  it('delivers the new-task message to the lead unit once, in Chinese and English, without personal data', async () => {
    const res = await sys.app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs, { contact: { name: '钱七', phone: '13800004444' } }) });
    const { petitionId, trackingNo } = res.json();
    await relayOutboxOnce(sys.tdb.db, sys.q.queues);
    const jobs = await sys.q.queues.queue('notifications').getJobs(['waiting']);
    const job = jobs.find((j) => (j.data as { petitionId: string }).petitionId === petitionId);
    expect(job?.data).toMatchObject({ template: 'task_assigned', audience: 'lead_unit' });
    const data = job!.data as Parameters<typeof deliverNotification>[1];
    expect(await deliverNotification(sys.tdb.db, data)).toBe('delivered');
    expect(await deliverNotification(sys.tdb.db, data)).toBe('duplicate');
    const stored = await sys.tdb.db.selectFrom('notifications').selectAll().where('petition_id', '=', petitionId).execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.body_zh).toContain(trackingNo);
    expect(stored[0]!.body_zh).toContain('签收');
    expect(stored[0]!.body_en).toContain('sign for');
    expect(JSON.stringify(stored)).not.toContain('13800004444');
  });
});
