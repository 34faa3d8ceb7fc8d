import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noiseComplaint, startTestSystem, type TestSystem } from '../support/system.js';

let sys: TestSystem;
beforeAll(async () => { sys = await startTestSystem(); });
afterAll(async () => { await sys.close(); });

async function counts() {
  const db = sys.tdb.db;
  const [p, c, e] = await Promise.all([
    db.selectFrom('petitions').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('commands').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('petition_contacts').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return [Number(p.n), Number(c.n), Number(e.n)];
}

describe('bad input at intake', () => {
  const cases: [string, (b: Record<string, unknown>) => Record<string, unknown>, string, string][] = [
    ['an unknown field', (b) => ({ ...b, priority: 'high' }), 'UNKNOWN_FIELD', 'priority'],
    ['an unknown nested field', (b) => ({ ...b, contact: { ...(b.contact as object), email: 'a@b.c' } }), 'UNKNOWN_FIELD', 'contact.email'],
    ['a wrong type', (b) => ({ ...b, title: 42 }), 'INVALID_FIELD', 'title'],
    ['an empty title', (b) => ({ ...b, title: '' }), 'INVALID_FIELD', 'title'],
    ['a title of spaces', (b) => ({ ...b, title: '   ' }), 'INVALID_FIELD', 'title'],
    ['an over-long title', (b) => ({ ...b, title: '长'.repeat(101) }), 'INVALID_FIELD', 'title'],
    ['over-long content', (b) => ({ ...b, content: 'x'.repeat(5001) }), 'INVALID_FIELD', 'content'],
    ['a missing content', (b) => { const { content: _c, ...rest } = b; return rest; }, 'MISSING_FIELD', 'content'],
    ['an unknown channel', (b) => ({ ...b, channel: 'fax' }), 'INVALID_FIELD', 'channel'],
    ['a malformed phone', (b) => ({ ...b, contact: { name: '张三', phone: 'call me' } }), 'INVALID_FIELD', 'contact.phone'],
    ['a category id that is not a uuid', (b) => ({ ...b, categoryId: 'noise' }), 'INVALID_FIELD', 'categoryId'],
    ['an unknown category', (b) => ({ ...b, categoryId: '00000000-0000-4000-8000-000000000001' }), 'UNKNOWN_CATEGORY', 'categoryId'],
    ['an unknown district', (b) => ({ ...b, districtId: '00000000-0000-4000-8000-000000000001' }), 'UNKNOWN_AREA', 'districtId'],
  ];

  for (const [what, change, code, field] of cases) {
    it(`refuses ${what} with 400 ${code} naming ${field}, and writes nothing`, async () => {
      const before = await counts();
      const res = await sys.app.inject({ method: 'POST', url: '/petitions', payload: change(noiseComplaint(sys.refs)) });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ statusCode: 400, code, field });
      expect(res.json().message).toContain(field);
      expect(await counts()).toEqual(before);
    });
  }

  it('says what to fix, not which pattern failed', async () => {
    const message = async (change: Record<string, unknown>) =>
      (await sys.app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs, change) })).json().message as string;
    expect(await message({ title: '   ' })).toBe('title: must not be blank');
    expect(await message({ contact: { name: '张三', phone: 'call me' } })).toContain('a phone number');
    expect(await message({ channel: 'fax' })).toContain('must be one of: hotline, web');
  });

  it('refuses a list filter on a state that does not exist', async () => {
    const res = await sys.app.inject({ method: 'GET', url: '/petitions?state=foo' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'INVALID_FIELD', field: 'state' });
    expect(res.json().message).toContain('awaitingDispatch');
  });

  it('refuses a street outside the given district', async () => {
    const res = await sys.app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs, { districtId: sys.refs.unit('zz-eq') }) });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'UNKNOWN_AREA', field: 'streetId' });
    expect(res.json().message).toContain('not in the given district');
  });

  it('refuses a body that is not JSON with a clear 400', async () => {
    const res = await sys.app.inject({ method: 'POST', url: '/petitions', headers: { 'content-type': 'application/json' }, payload: '{"title": ' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'INVALID_JSON', reqId: expect.any(String) });
    const poisoned = await sys.app.inject({ method: 'POST', url: '/petitions', headers: { 'content-type': 'application/json' }, payload: '{"__proto__": {"x": 1}}' });
    expect(poisoned.statusCode).toBe(400);
  });

  it('refuses a rejection without a reason', async () => {
    const created = await sys.app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs, { categoryId: sys.refs.category('other.misc') }) });
    const res = await sys.app.inject({ method: 'POST', url: `/petitions/${created.json().petitionId}/reject`, payload: { reason: ' ' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'INVALID_FIELD', field: 'reason' });
  });

  it('refuses a dispatch to a unit that does not exist', async () => {
    const created = await sys.app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs, { categoryId: sys.refs.category('other.misc') }) });
    const res = await sys.app.inject({ method: 'POST', url: `/petitions/${created.json().petitionId}/dispatch`, headers: { 'x-actor-role': 'dispatcher' }, payload: { leadUnitId: '00000000-0000-4000-8000-000000000009' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'UNKNOWN_UNIT', field: 'leadUnitId' });
  });
});

describe('Idempotency-Key', () => {
  it('returns the first result again for a repeated key, and creates no second petition', async () => {
    const body = noiseComplaint(sys.refs, { title: '幂等测试' });
    const headers = { 'idempotency-key': 'intake-form-7f3a' };
    const first = await sys.app.inject({ method: 'POST', url: '/petitions', headers, payload: body });
    const second = await sys.app.inject({ method: 'POST', url: '/petitions', headers, payload: body });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    const rows = await sys.tdb.db.selectFrom('petitions').select('id').where('title', '=', '幂等测试').execute();
    expect(rows).toHaveLength(1);
  });

  it('answers concurrent repeats of one key with one petition', async () => {
    const body = noiseComplaint(sys.refs, { title: '并发幂等' });
    const headers = { 'idempotency-key': 'double-click-1' };
    const all = await Promise.all([1, 2, 3, 4].map(() => sys.app.inject({ method: 'POST', url: '/petitions', headers, payload: body })));
    expect(new Set(all.map((r) => r.json().petitionId)).size).toBe(1);
    const rows = await sys.tdb.db.selectFrom('petitions').select('id').where('title', '=', '并发幂等').execute();
    expect(rows).toHaveLength(1);
  });

  it('refuses the same key with a different body (422)', async () => {
    const headers = { 'idempotency-key': 'reused-key' };
    await sys.app.inject({ method: 'POST', url: '/petitions', headers, payload: noiseComplaint(sys.refs, { title: '第一次' }) });
    const res = await sys.app.inject({ method: 'POST', url: '/petitions', headers, payload: noiseComplaint(sys.refs, { title: '第二次' }) });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('applies a repeated command once', async () => {
    const created = await sys.app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs) });
    const id = created.json().petitionId as string;
    const unit = created.json().leadUnit.id as string;
    const headers = { 'idempotency-key': 'sign-1', 'x-actor-id': 'h1', 'x-actor-role': 'handler', 'x-actor-unit': unit };
    const a = await sys.app.inject({ method: 'POST', url: `/petitions/${id}/sign-for`, headers, payload: {} });
    const b = await sys.app.inject({ method: 'POST', url: `/petitions/${id}/sign-for`, headers, payload: {} });
    expect(a.statusCode).toBe(200);
    expect(b.json()).toEqual(a.json());
    const events = await sys.tdb.db.selectFrom('petition_events').select('type').where('petition_id', '=', id).execute();
    expect(events.map((e) => e.type)).toEqual(['SUBMIT', 'SIGN_FOR']);
  });
});

describe("category extra fields", () => {
  it('stores the values of the category\'s fields and shows them with their labels', async () => {
    const res = await sys.app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs, { details: { occurs_at_night: true, source: '施工' } }) });
    expect(res.statusCode).toBe(201);
    const view = (await sys.app.inject({ method: 'GET', url: `/petitions/${res.json().petitionId}` })).json();
    expect(view.details).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'source', value: '施工', label: expect.any(String) })]));
    // A chosen option has its English label beside the stored value; a yes/no field needs none.
    expect(view.details).toEqual(expect.arrayContaining([
      { key: 'source', label: '噪音来源', labelEn: 'Noise source', value: '施工', valueEn: 'Construction' },
      expect.not.objectContaining({ valueEn: expect.anything() }),
    ]));
  });

  it('refuses a missing required field, a value outside the options and a field the category does not have', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ occurs_at_night: true }, 'MISSING_FIELD', 'details.source'],
      [{ occurs_at_night: true, source: '隔壁邻居' }, 'INVALID_FIELD', 'details.source'],
      [{ occurs_at_night: 'yes', source: '夜市' }, 'INVALID_FIELD', 'details.occurs_at_night'],
      [{ occurs_at_night: true, source: '夜市', floor: 3 }, 'UNKNOWN_FIELD', 'details.floor'],
    ];
    for (const [details, code, field] of cases) {
      const res = await sys.app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs, { details }) });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code, field });
    }
    // A number field's bounds: no negative amount owed.
    const wages = sys.refs.category('jobs.wage_arrears');
    const negative = await sys.app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs, { categoryId: wages, details: { ...sys.refs.requiredDetails(wages), amount_yuan: -5 } }) });
    expect(negative.statusCode).toBe(400);
    expect(negative.json()).toMatchObject({ code: 'INVALID_FIELD', field: 'details.amount_yuan', message: expect.stringContaining('at least 0') });
  });
});
