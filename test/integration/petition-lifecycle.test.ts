import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayPetition } from '@petitions/petition-workflow';
import { noiseComplaint, startTestSystem, type TestSystem } from '../support/system.js';

let sys: TestSystem;
beforeAll(async () => { sys = await startTestSystem(); });
afterAll(async () => { await sys.close(); });

const asUnit = (unitId: string) => ({ 'x-actor-id': 'handler-1', 'x-actor-role': 'handler', 'x-actor-unit': unitId });

describe('a petition from intake to closed', () => {
  it('is submitted, routed, signed for, completed, rated and closed, with every step on the timeline', async () => {
    const { app, refs } = sys;
    const submit = await app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(refs) });
    expect(submit.statusCode).toBe(201);
    const created = submit.json();
    expect(created.trackingNo).toMatch(/^\d{16}$/);
    expect(created.state).toBe('dispatched');
    const cgj = refs.unit('zz-js-cgj');
    expect(created.leadUnit).toEqual({ id: cgj, name: '金水区城市管理局' });

    const queue = await app.inject({ method: 'GET', url: `/units/${cgj}/tasks?status=to_sign` });
    expect(queue.statusCode).toBe(200);
    expect(queue.json().items.map((t: { petitionId: string }) => t.petitionId)).toContain(created.petitionId);
    expect(queue.json().counts.to_sign).toBe(1);
    expect(queue.json().items[0].msLeft).toBeGreaterThan(0);

    const id = created.petitionId as string;
    // No body at all is fine for a command without fields.
    const sign = await app.inject({ method: 'POST', url: `/petitions/${id}/sign-for`, headers: asUnit(cgj) });
    expect(sign.statusCode).toBe(200);
    expect(sign.json().state).toBe('handling');

    // Nor does an empty JSON body (clients often send the header with nothing after it).
    const emptyJson = await app.inject({ method: 'POST', url: `/petitions/${id}/notes`, headers: { ...asUnit(cgj), 'content-type': 'application/json' }, payload: '' });
    expect(emptyJson.statusCode).toBe(400);
    expect(emptyJson.json()).toMatchObject({ code: 'MISSING_FIELD', field: 'text' });

    const complete = await app.inject({ method: 'POST', url: `/petitions/${id}/complete`, headers: asUnit(cgj), payload: { result: '已责令夜市22点后停止外放音响', resolved: true } });
    expect(complete.json().state).toBe('awaitingFeedback');

    const rate = await app.inject({ method: 'POST', url: `/petitions/${id}/rate`, headers: { 'x-actor-id': 'fu-1', 'x-actor-role': 'follow_up' }, payload: { satisfaction: 'satisfied', resolved: true } });
    expect(rate.json().state).toBe('closed');

    const view = (await app.inject({ method: 'GET', url: `/petitions/${id}` })).json();
    expect(view.state).toBe('closed');
    expect(view.outcome).toBe('resolved');
    expect(view.closedAt).not.toBeNull();
    expect(view.version).toBe(4);
    expect(view.contact).toEqual({ name: '王**', phone: '138****0001' });
    expect(view.timeline.map((e: { type: string; toState: string }) => `${e.type}->${e.toState}`)).toEqual([
      'SUBMIT->dispatched', 'SIGN_FOR->handling', 'COMPLETE->awaitingFeedback', 'RATE->closed',
    ]);
    expect(view.timeline[1].actor).toMatchObject({ id: 'handler-1', role: 'handler', unitId: cgj, unitName: '金水区城市管理局' });
    expect(view.tasks.find((t: { role: string }) => t.role === 'lead').status).toBe('done');

    // The audit log alone rebuilds the stored snapshot.
    const stored = await sys.tdb.db.selectFrom('petitions').select(['snapshot', 'kind', 'urgency']).where('id', '=', id).executeTakeFirstOrThrow();
    const rows = await sys.tdb.db.selectFrom('petition_events').selectAll().where('petition_id', '=', id).orderBy('seq').execute();
    const replayed = replayPetition({ petitionId: id, kind: stored.kind, slaClass: 'normal' },
      rows.map((r) => ({ type: r.type, actor: { id: r.actor_id, role: r.actor_role as 'handler', unitId: r.actor_unit_id }, data: r.data })));
    expect(replayed).toEqual(stored.snapshot);

    const byNumber = await app.inject({ method: 'GET', url: `/petitions/by-tracking-number/${created.trackingNo}` });
    expect(byNumber.json().id).toBe(id);
  });

  it('stores the contact encrypted, never in plain text', async () => {
    const { app, refs, tdb } = sys;
    const res = await app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(refs, { contact: { name: '李四', phone: '13800000077' } }) });
    const row = await tdb.db.selectFrom('petition_contacts').selectAll().where('petition_id', '=', res.json().petitionId).executeTakeFirstOrThrow();
    expect(row.phone_enc?.toString('utf8')).not.toContain('13800000077');
    expect(row.name_enc?.toString('utf8')).not.toContain('李四');
    expect(row.phone_masked).toBe('138****0077');
  });

  it('goes to the manual dispatch queue when no routing rule matches, and a dispatcher routes it', async () => {
    const { app, refs } = sys;
    const res = await app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(refs, { categoryId: refs.category('other.misc') }) });
    expect(res.statusCode).toBe(201);
    expect(res.json().state).toBe('awaitingDispatch');
    expect(res.json().leadUnit).toBeNull();
    const queue = await app.inject({ method: 'GET', url: '/petitions?state=awaitingDispatch' });
    expect(queue.json().items.map((p: { id: string }) => p.id)).toContain(res.json().petitionId);
    expect(queue.json().total).toBeGreaterThanOrEqual(1);
    // A queue is worked from its longest-waiting end; ids let the UI name category and area in its language.
    const second = await app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(refs, { categoryId: refs.category('other.misc') }) });
    type Item = { id: string; createdAt: string; categoryId: string; districtId: string };
    const ids = (items: Item[]) => items.map((p) => p.id).filter((id) => id === res.json().petitionId || id === second.json().petitionId);
    const oldest = (await app.inject({ method: 'GET', url: '/petitions?state=awaitingDispatch&order=oldest&limit=200' })).json<{ items: Item[] }>().items;
    const newest = (await app.inject({ method: 'GET', url: '/petitions?state=awaitingDispatch' })).json<{ items: Item[] }>().items;
    expect(ids(oldest)).toEqual([res.json().petitionId, second.json().petitionId]);
    expect(ids(newest)).toEqual([second.json().petitionId, res.json().petitionId]);
    expect(oldest.find((p) => p.id === res.json().petitionId)).toMatchObject({ categoryId: refs.category('other.misc'), districtId: refs.unit('zz-js') });
    const zjj = refs.unit('zz-js-zjj');
    const d = await app.inject({ method: 'POST', url: `/petitions/${res.json().petitionId}/dispatch`, headers: { 'x-actor-role': 'dispatcher' }, payload: { leadUnitId: zjj } });
    expect(d.statusCode).toBe(200);
    expect(d.json()).toMatchObject({ state: 'dispatched', leadUnit: { id: zjj } });
  });

  it('prefers a street-specific rule over the district rule', async () => {
    const { app, refs, tdb } = sys;
    const rule = await tdb.db.selectFrom('routing_rules').innerJoin('org_units', 'org_units.id', 'routing_rules.area_id')
      .select(['routing_rules.category_id', 'routing_rules.lead_unit_id', 'org_units.id as street_id', 'org_units.parent_id'])
      .where('org_units.kind', '=', 'street').executeTakeFirstOrThrow();
    const res = await app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(refs, {
      categoryId: rule.category_id, districtId: rule.parent_id, streetId: rule.street_id,
    }) });
    expect(res.json().leadUnit.id).toBe(rule.lead_unit_id);
  });

  it('rejects at intake with a reason and closes as rejected', async () => {
    const { app, refs } = sys;
    const res = await app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(refs, { categoryId: refs.category('other.misc') }) });
    const r = await app.inject({ method: 'POST', url: `/petitions/${res.json().petitionId}/reject`, payload: { reason: '不属于政府职能范围' } });
    expect(r.json().state).toBe('closed');
    const view = (await app.inject({ method: 'GET', url: `/petitions/${res.json().petitionId}` })).json();
    expect(view.outcome).toBe('rejected');
    expect(view.timeline.at(-1).data.reason).toBe('不属于政府职能范围');
  });
});

describe('commands the current state does not allow', () => {
  it('answers 409 naming the state and writes nothing', async () => {
    const { app, refs, tdb } = sys;
    const res = await app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(refs) });
    const id = res.json().petitionId as string;
    const before = await tdb.db.selectFrom('petition_events').select('id').where('petition_id', '=', id).execute();
    const rate = await app.inject({ method: 'POST', url: `/petitions/${id}/rate`, headers: { 'x-actor-role': 'follow_up' }, payload: { satisfaction: 'satisfied', resolved: true } });
    expect(rate.statusCode).toBe(409);
    expect(rate.json()).toMatchObject({ code: 'TRANSITION_REJECTED', state: 'dispatched' });
    expect(rate.json().message).toContain('RATE');
    expect(rate.json().message).toContain('dispatched');
    const after = await tdb.db.selectFrom('petition_events').select('id').where('petition_id', '=', id).execute();
    expect(after.length).toBe(before.length);
    const p = await tdb.db.selectFrom('petitions').select(['state', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(p).toEqual({ state: 'dispatched', version: 1 });
  });

  it('refuses a sign-for by a unit that is not the lead unit: 409 if it can see the petition, 404 if not', async () => {
    const { app, refs } = sys;
    const res = await app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(refs) });
    // The street the problem is in sees it, but is not the unit that must handle it.
    const street = refs.unit('zz-js-duling');
    const sign = await app.inject({ method: 'POST', url: `/petitions/${res.json().petitionId}/sign-for`, headers: asUnit(street), payload: {} });
    expect(sign.statusCode).toBe(409);
    expect(sign.json().code).toBe('NOT_LEAD_UNIT');
    // An uninvolved department does not even learn that the petition exists.
    const other = await app.inject({ method: 'POST', url: `/petitions/${res.json().petitionId}/sign-for`, headers: asUnit(refs.unit('zz-js-jyj')), payload: {} });
    expect(other.statusCode).toBe(404);
    expect(other.json().code).toBe('PETITION_NOT_FOUND');
  });

  it('refuses a command from a role that may not send it (403), before any state check', async () => {
    const { app, refs } = sys;
    const res = await app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(refs) });
    const unit = res.json().leadUnit.id as string;
    // The unit that did the work cannot record the resident's satisfaction.
    const rate = await app.inject({ method: 'POST', url: `/petitions/${res.json().petitionId}/rate`, headers: asUnit(unit), payload: { satisfaction: 'satisfied', resolved: true } });
    expect(rate.statusCode).toBe(403);
    expect(rate.json()).toMatchObject({ code: 'ROLE_NOT_ALLOWED' });
    expect(rate.json().message).toContain('follow_up');
  });

  it('answers 404 for an unknown petition', async () => {
    const res = await sys.app.inject({ method: 'POST', url: '/petitions/00000000-0000-4000-8000-000000000000/sign-for', payload: {} });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ statusCode: 404, code: 'PETITION_NOT_FOUND' });
    expect(typeof res.json().reqId).toBe('string');
    const get = await sys.app.inject({ method: 'GET', url: '/petitions/00000000-0000-4000-8000-000000000000' });
    expect(get.statusCode).toBe(404);
  });
});
