import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timeRepo } from '@petitions/db';
import { startPetition, replayPetition } from '@petitions/petition-workflow';
import { relayOutboxOnce, fireTimer } from '@petitions/scheduler';
import { eventually } from '../support/fixtures.js';
import { noiseComplaint, startTestSystem, type TestSystem } from '../support/system.js';

let sys: TestSystem;
beforeAll(async () => { sys = await startTestSystem(); });
afterAll(async () => { await sys.close(); });

const handlerOf = (unitId: string) => ({ 'x-actor-id': 'h1', 'x-actor-role': 'handler', 'x-actor-unit': unitId });
const headOf = (unitId: string) => ({ 'x-actor-id': 'boss', 'x-actor-role': 'department_head', 'x-actor-unit': unitId });
const dispatcher = { 'x-actor-id': 'd1', 'x-actor-role': 'dispatcher' };
const followUp = { 'x-actor-id': 'f1', 'x-actor-role': 'follow_up' };

async function submit(overrides: Record<string, unknown> = {}) {
  const res = await sys.app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs, overrides) });
  expect(res.statusCode).toBe(201);
  return res.json<{ petitionId: string; trackingNo: string; state: string; leadUnit: { id: string } | null; duplicateCandidates: { id: string }[] }>();
}
async function command(id: string, path: string, payload: unknown, headers: Record<string, string> = {}) {
  return sys.app.inject({ method: 'POST', url: `/petitions/${id}/${path}`, headers, payload: payload as object });
}
async function ok(id: string, path: string, payload: unknown, headers: Record<string, string> = {}) {
  const res = await command(id, path, payload, headers);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().state as string;
}
const timer = (petitionId: string, kind: string) => sys.tdb.db.selectFrom('timers').selectAll()
  .where('petition_id', '=', petitionId).where('kind', '=', kind).where('state', 'in', ['pending', 'paused']).executeTakeFirst();
const view = async (id: string) => (await sys.app.inject({ method: 'GET', url: `/petitions/${id}` })).json();

describe('intake', () => {
  it('closes an inquiry answered at intake, and refuses a direct answer to a request', async () => {
    const r = await submit({ kind: 'inquiry', categoryId: sys.refs.category('inquiry.policy'), directAnswer: '可携带身份证到街道便民服务中心办理。' });
    expect(r.state).toBe('closed');
    expect((await view(r.petitionId)).outcome).toBe('answered');
    const bad = await sys.app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs, { directAnswer: '已答复' }) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'INVALID_FIELD', field: 'directAnswer' });
  });

  it('offers similar recent petitions of the same category and street as duplicates, and merges one into its original', async () => {
    const original = await submit({ title: '温州步行街夜市噪音扰民', content: '温州步行街夜市每晚十点以后音响声音很大，影响休息。' });
    const again = await submit({ title: '夜市太吵', content: '温州步行街夜市太吵了，晚上十点后还在放音乐，影响休息。' });
    expect(again.duplicateCandidates.map((c) => c.id)).toContain(original.petitionId);
    // Scored while the worker routes it, and again on a replay: never the petition itself, the same answer both times.
    const keyed = () => sys.app.inject({ method: 'POST', url: '/petitions', headers: { 'idempotency-key': 'dup-replay-1' },
      payload: noiseComplaint(sys.refs, { title: '夜市音响太响', content: '温州步行街夜市音响太响，晚上十点后还很吵，影响休息。' }) });
    const first = (await keyed()).json<{ petitionId: string; duplicateCandidates: { id: string }[] }>();
    const replay = (await keyed()).json<{ petitionId: string; duplicateCandidates: { id: string }[] }>();
    expect(replay.petitionId).toBe(first.petitionId);
    expect(first.duplicateCandidates.map((c) => c.id)).toEqual(expect.arrayContaining([original.petitionId, again.petitionId]));
    expect(first.duplicateCandidates.map((c) => c.id)).not.toContain(first.petitionId);
    expect(replay.duplicateCandidates.map((c) => c.id)).toEqual(first.duplicateCandidates.map((c) => c.id));
    const check = await sys.app.inject({ method: 'POST', url: '/petitions/duplicate-check', payload: {
      categoryId: sys.refs.category('city.noise'), districtId: sys.refs.unit('zz-js'), streetId: sys.refs.unit('zz-js-duling'),
      title: '夜市噪音', content: '温州步行街夜市晚上十点后音响很吵',
    } });
    expect(check.json()[0]).toMatchObject({ id: expect.any(String), similarity: expect.any(Number) });
    const unrelated = await sys.app.inject({ method: 'POST', url: '/petitions/duplicate-check', payload: {
      categoryId: sys.refs.category('city.noise'), districtId: sys.refs.unit('zz-js'), streetId: sys.refs.unit('zz-js-duling'),
      title: '施工', content: '地铁工地凌晨打桩',
    } });
    expect(unrelated.json().map((c: { id: string }) => c.id)).not.toContain(original.petitionId);

    expect(await ok(again.petitionId, 'merge', { originalId: original.petitionId })).toBe('merged');
    const refused = await command(again.petitionId, 'merge', { originalId: again.petitionId });
    expect(refused.statusCode).toBe(409);

    // The original runs its course; the merged one closes with it, by a follow-on command.
    const lead = original.leadUnit!.id;
    await ok(original.petitionId, 'sign-for', {}, handlerOf(lead));
    await ok(original.petitionId, 'complete', { result: '已整改', resolved: true }, handlerOf(lead));
    await ok(original.petitionId, 'rate', { satisfaction: 'satisfied', resolved: true }, followUp);
    await relayOutboxOnce(sys.tdb.db, sys.q.queues);
    await eventually(async () => (await view(again.petitionId)).state === 'closed');
    const merged = await view(again.petitionId);
    expect(merged.outcome).toBe('merged');
    expect(merged.timeline.at(-1)).toMatchObject({ type: 'CLOSE_WITH_ORIGINAL', actor: { role: 'system' } });
  });
});

describe('returns', () => {
  it('sends a returned task back to dispatch without restarting the handling clock, and makes the third assignment final', async () => {
    const p = await submit();
    const first = p.leadUnit!.id;
    const handling = await timer(p.petitionId, 'handling');
    expect(await ok(p.petitionId, 'return', { reason: '不属于本单位职责' }, handlerOf(first))).toBe('awaitingDispatch');
    const tasks = await sys.tdb.db.selectFrom('tasks').select(['unit_id', 'status']).where('petition_id', '=', p.petitionId).execute();
    expect(tasks.find((t) => t.unit_id === first)?.status).toBe('returned');
    const second = sys.refs.unit('zz-js-zjj');
    await ok(p.petitionId, 'dispatch', { leadUnitId: second }, dispatcher);
    await ok(p.petitionId, 'return', { reason: '应由城管处理' }, handlerOf(second));
    await ok(p.petitionId, 'dispatch', { leadUnitId: first }, dispatcher);
    // Same handling deadline throughout: bouncing the order does not buy time.
    expect((await timer(p.petitionId, 'handling'))?.id).toBe(handling?.id);
    const third = await command(p.petitionId, 'return', { reason: '再退' }, handlerOf(first));
    expect(third.statusCode).toBe(409);
    expect(third.json().code).toBe('RETURN_NOT_ALLOWED');
    const row = await sys.tdb.db.selectFrom('petitions').select('return_count').where('id', '=', p.petitionId).executeTakeFirstOrThrow();
    expect(row.return_count).toBe(2);
  });

  it('refuses a return without a reason', async () => {
    const p = await submit();
    const res = await command(p.petitionId, 'return', {}, handlerOf(p.leadUnit!.id));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'MISSING_FIELD', field: 'reason' });
  });
});

describe('handling', () => {
  it('moves the deadline when the head approves an extension, and refuses one after the deadline', async () => {
    const p = await submit();
    const lead = p.leadUnit!.id;
    await ok(p.petitionId, 'sign-for', {}, handlerOf(lead));
    const before = (await timer(p.petitionId, 'handling'))!;
    await ok(p.petitionId, 'extension-requests', { days: 5, reason: '需协调多部门' }, handlerOf(lead));
    // One request at a time, and the refusal says so rather than listing every rule.
    const twice = await command(p.petitionId, 'extension-requests', { days: 3, reason: '再申请' }, handlerOf(lead));
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('EXTENSION_PENDING');
    // The head finds it under 待审批 in the unit's queue, and it leaves that tab once decided.
    const awaitingDecision = async () => (await sys.app.inject({ method: 'GET', url: `/units/${lead}/tasks?status=awaiting_decision`, headers: headOf(lead) }))
      .json<{ counts: Record<string, number>; items: { petitionId: string }[] }>();
    const waiting = await awaitingDecision();
    expect(waiting.items.map((i) => i.petitionId)).toContain(p.petitionId);
    expect(waiting.counts.awaiting_decision).toBe(waiting.items.length);
    const byHandler = await command(p.petitionId, 'extension-decisions', { approve: true }, handlerOf(lead));
    expect(byHandler.statusCode).toBe(403);
    expect(byHandler.json().code).toBe('ROLE_NOT_ALLOWED');
    // The head of the street the problem is in sees it but does not decide; another department's head does not see it.
    const byStreetHead = await command(p.petitionId, 'extension-decisions', { approve: true }, headOf(sys.refs.unit('zz-js-duling')));
    expect(byStreetHead.statusCode).toBe(409);
    expect(byStreetHead.json().code).toBe('NOT_DEPARTMENT_HEAD');
    const byOtherHead = await command(p.petitionId, 'extension-decisions', { approve: true }, headOf(sys.refs.unit('zz-js-jyj')));
    expect(byOtherHead.statusCode).toBe(404);
    await ok(p.petitionId, 'extension-decisions', { approve: true }, headOf(lead));
    expect((await awaitingDecision()).items.map((i) => i.petitionId)).not.toContain(p.petitionId);
    const decidedAgain = await command(p.petitionId, 'extension-decisions', { approve: true }, headOf(lead));
    expect(decidedAgain.json().code).toBe('NO_PENDING_REQUEST');
    const after = (await timer(p.petitionId, 'handling'))!;
    // Normal urgency counts working days, so the five days are working days on the calendar.
    expect(after.basis).toBe('working');
    const rules = await timeRepo.loadDeadlineRules(sys.tdb.db);
    expect(after.due_at).toEqual(rules.calendar.addWorkingDays(before.due_at, 5));
    expect(after.due_at.getTime() - before.due_at.getTime()).toBeGreaterThanOrEqual(7 * 86_400_000);
    const task = await sys.tdb.db.selectFrom('tasks').select('due_at').where('petition_id', '=', p.petitionId).where('role', '=', 'lead').executeTakeFirstOrThrow();
    expect(task.due_at?.getTime()).toBe(after.due_at.getTime());

    // The deadline passes (the scheduler fires the timer): no more extensions.
    await fireTimer(sys.tdb.db, sys.q.queues, after.id);
    await eventually(async () => (await view(p.petitionId)).timeline.some((e: { type: string }) => e.type === 'HANDLING_DUE'));
    const late = await command(p.petitionId, 'extension-requests', { days: 3, reason: '再延期' }, handlerOf(lead));
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('DEADLINE_PASSED');
    // Nor a suspension: it would take an overdue petition off the overdue list.
    const suspendLate = await command(p.petitionId, 'suspension-requests', { reason: '等待法院裁定' }, handlerOf(lead));
    expect(suspendLate.statusCode).toBe(409);
    expect(suspendLate.json().code).toBe('DEADLINE_PASSED');
    expect((await view(p.petitionId)).state).toBe('handling');
  });

  it('pauses the clock while suspended and gives the remaining time back on resume', async () => {
    const p = await submit();
    const lead = p.leadUnit!.id;
    await ok(p.petitionId, 'sign-for', {}, handlerOf(lead));
    await ok(p.petitionId, 'suspension-requests', { reason: '等待法院判决' }, handlerOf(lead));
    expect(await ok(p.petitionId, 'suspension-decisions', { approve: true }, headOf(lead))).toBe('suspended');
    const paused = (await timer(p.petitionId, 'handling'))!;
    expect(paused.state).toBe('paused');
    const remaining = Number(paused.remaining_ms);
    expect(remaining).toBeGreaterThan(0);
    const resumedAt = Date.now();
    expect(await ok(p.petitionId, 'resume', {}, handlerOf(lead))).toBe('handling');
    const resumed = (await timer(p.petitionId, 'handling'))!;
    expect(resumed.state).toBe('pending');
    // The time left is working time: it runs again from the next working moment.
    const rules = await timeRepo.loadDeadlineRules(sys.tdb.db);
    expect(Math.abs(resumed.due_at.getTime() - rules.resume(new Date(resumedAt), remaining, 'working').getTime())).toBeLessThan(5_000);
  });

  it('takes opinions from cooperating units only, and lists their tasks under cooperating', async () => {
    const zjj = sys.refs.unit('zz-js-zjj');
    const p = await submit({ categoryId: sys.refs.category('other.misc') });
    await ok(p.petitionId, 'dispatch', { leadUnitId: sys.refs.unit('zz-js-cgj'), coUnitIds: [zjj] }, dispatcher);
    // The lead unit sees the petition but is not a co-unit; an uninvolved unit does not see it at all.
    expect((await command(p.petitionId, 'opinions', { opinion: '同意' }, handlerOf(sys.refs.unit('zz-js-cgj')))).json().code).toBe('NOT_CO_UNIT');
    expect((await command(p.petitionId, 'opinions', { opinion: '同意' }, handlerOf(sys.refs.unit('zz-js-jyj')))).json().code).toBe('PETITION_NOT_FOUND');
    await ok(p.petitionId, 'opinions', { opinion: '同意牵头单位意见' }, handlerOf(zjj));
    const queue = (await sys.app.inject({ method: 'GET', url: `/units/${zjj}/tasks?status=cooperating` })).json();
    expect(queue.items.map((t: { petitionId: string }) => t.petitionId)).toContain(p.petitionId);
    expect(queue.counts.cooperating).toBeGreaterThanOrEqual(1);
  });

  it('lists overdue tasks under overdue', async () => {
    const p = await submit();
    await sys.tdb.db.updateTable('tasks').set({ due_at: new Date(Date.now() - 60_000) }).where('petition_id', '=', p.petitionId).execute();
    const queue = (await sys.app.inject({ method: 'GET', url: `/units/${p.leadUnit!.id}/tasks?status=overdue` })).json();
    const item = queue.items.find((t: { petitionId: string }) => t.petitionId === p.petitionId);
    expect(item.msLeft).toBeLessThan(0);
    // A suspended petition's clock is paused: its task is not overdue while it waits.
    const s = await submit();
    const lead = s.leadUnit!.id;
    await ok(s.petitionId, 'sign-for', {}, handlerOf(lead));
    await ok(s.petitionId, 'suspension-requests', { reason: '等待鉴定' }, handlerOf(lead));
    expect(await ok(s.petitionId, 'suspension-decisions', { approve: true }, headOf(lead))).toBe('suspended');
    await sys.tdb.db.updateTable('tasks').set({ due_at: new Date(Date.now() - 60_000) }).where('petition_id', '=', s.petitionId).execute();
    const after = (await sys.app.inject({ method: 'GET', url: `/units/${lead}/tasks?status=overdue` })).json();
    expect(after.items.map((t: { petitionId: string }) => t.petitionId)).not.toContain(s.petitionId);
  });

  it('lets the resident withdraw before completion, not after', async () => {
    const p = await submit();
    expect(await ok(p.petitionId, 'withdraw', { reason: '已自行解决' })).toBe('closed');
    expect((await view(p.petitionId)).outcome).toBe('withdrawn');
    const q = await submit();
    await ok(q.petitionId, 'sign-for', {}, handlerOf(q.leadUnit!.id));
    await ok(q.petitionId, 'complete', { result: '已处理', resolved: true }, handlerOf(q.leadUnit!.id));
    const late = await command(q.petitionId, 'withdraw', { reason: '算了' });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'TRANSITION_REJECTED', state: 'awaitingFeedback' });
  });

  it('sends completions of a reviewed category through quality review', async () => {
    const category = sys.refs.category('city.noise');
    await sys.tdb.db.updateTable('categories').set({ requires_review: true }).where('id', '=', category).execute();
    try {
      const p = await submit();
      const lead = p.leadUnit!.id;
      await ok(p.petitionId, 'sign-for', {}, handlerOf(lead));
      expect(await ok(p.petitionId, 'complete', { result: '已处理', resolved: true }, handlerOf(lead))).toBe('reviewing');
      expect(await ok(p.petitionId, 'send-back', { reason: '未附现场照片' }, dispatcher)).toBe('handling');
      await ok(p.petitionId, 'complete', { result: '已处理，附照片', resolved: true }, handlerOf(lead));
      expect(await ok(p.petitionId, 'review-approval', {}, dispatcher)).toBe('awaitingFeedback');
    } finally {
      await sys.tdb.db.updateTable('categories').set({ requires_review: false }).where('id', '=', category).execute();
    }
  });
});

describe('feedback', () => {
  it('sends a dissatisfied result back to the same unit with a fresh deadline, twice, then closes unresolved and flagged', async () => {
    const p = await submit();
    const lead = p.leadUnit!.id;
    await ok(p.petitionId, 'sign-for', {}, handlerOf(lead));
    for (let redo = 1; redo <= 2; redo++) {
      await ok(p.petitionId, 'complete', { result: `第${redo}次办结`, resolved: true }, handlerOf(lead));
      expect(await ok(p.petitionId, 'rate', { satisfaction: 'dissatisfied', resolved: false }, followUp)).toBe('handling');
      const open = await sys.tdb.db.selectFrom('tasks').select(['unit_id', 'status', 'due_at']).where('petition_id', '=', p.petitionId).where('status', '=', 'in_progress').execute();
      expect(open).toHaveLength(1);
      expect(open[0]!.unit_id).toBe(lead);
      expect(open[0]!.due_at!.getTime()).toBeGreaterThan(Date.now() + 4 * 86_400_000);
    }
    await ok(p.petitionId, 'complete', { result: '第3次办结', resolved: true }, handlerOf(lead));
    expect(await ok(p.petitionId, 'rate', { satisfaction: 'dissatisfied', resolved: false }, followUp)).toBe('closed');
    const row = await sys.tdb.db.selectFrom('petitions').select(['outcome', 'flagged', 'redo_count']).where('id', '=', p.petitionId).executeTakeFirstOrThrow();
    expect(row).toEqual({ outcome: 'unresolved', flagged: true, redo_count: 2 });

    // The whole audit log replays to the stored snapshot.
    const stored = await sys.tdb.db.selectFrom('petitions').select(['snapshot', 'kind']).where('id', '=', p.petitionId).executeTakeFirstOrThrow();
    const events = await sys.tdb.db.selectFrom('petition_events').selectAll().where('petition_id', '=', p.petitionId).orderBy('seq').execute();
    const replayed = replayPetition({ petitionId: p.petitionId, kind: stored.kind, slaClass: 'normal' },
      events.map((e) => ({ type: e.type, actor: { id: e.actor_id, role: e.actor_role as 'handler', unitId: e.actor_unit_id }, data: e.data })));
    expect(replayed).toEqual(stored.snapshot);
  });
});

describe('machine versions', () => {
  it('keeps a petition started on version 1 working on version 1 after version 2 ships', async () => {
    // A petition registered before v2: its stored snapshot says version 1.
    const p = await sys.app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs) });
    const id = p.json().petitionId as string;
    const lead = p.json().leadUnit.id as string;
    const v1 = startPetition({ petitionId: id, kind: 'request', slaClass: 'normal' }, 1);
    // Rewind it to intake on v1 and replay its SUBMIT through the worker, as if v1 had taken it.
    await sys.tdb.db.deleteFrom('tasks').where('petition_id', '=', id).execute();
    await sys.tdb.db.deleteFrom('timers').where('petition_id', '=', id).execute();
    await sys.tdb.db.deleteFrom('petition_events').where('petition_id', '=', id).execute();
    await sys.tdb.db.updateTable('petitions').set({ snapshot: JSON.stringify(v1), machine_version: 1, state: 'intake', version: 0, lead_unit_id: null }).where('id', '=', id).execute();
    await sys.tdb.db.updateTable('commands').set({ status: 'pending' }).where('petition_id', '=', id).execute();
    const { applyCommands } = await import('@petitions/workflow-worker');
    const cmd = await sys.tdb.db.selectFrom('commands').select('id').where('petition_id', '=', id).executeTakeFirstOrThrow();
    await applyCommands(sys.tdb.db, [{ commandId: cmd.id, petitionId: id }]);

    expect(await ok(id, 'sign-for', {}, handlerOf(lead))).toBe('handling');
    // v1 knows no returns: refused as not allowed in its state, nothing misapplied.
    expect((await command(id, 'extension-requests', { days: 2, reason: 'x' }, handlerOf(lead))).json().code).toBe('TRANSITION_REJECTED');
    await ok(id, 'complete', { result: '已处理', resolved: true }, handlerOf(lead));
    expect(await ok(id, 'rate', { satisfaction: 'satisfied', resolved: true }, followUp)).toBe('closed');
    const row = await sys.tdb.db.selectFrom('petitions').select(['snapshot', 'outcome']).where('id', '=', id).executeTakeFirstOrThrow();
    expect((row.snapshot as { version: number }).version).toBe(1);
    expect(row.outcome).toBe('resolved');
  });
});
