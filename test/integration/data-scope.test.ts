import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noiseComplaint, startTestSystem, type TestSystem } from '../support/system.js';

/**
 * Data scoping, route × role × in-scope / out-of-scope: a department sees its own work, a street
 * its area, a leader their subtree, the 12345 centre everything; a petition out of scope answers
 * 404 exactly as one that does not exist, and a command on it writes nothing.
 */
let sys: TestSystem;
interface Filed { id: string; trackingNo: string; commandId: string; leadUnitId: string; title: string }
let jinshui: Filed;
let erqi: Filed;

async function file(overrides: Record<string, unknown>): Promise<Filed> {
  const res = await sys.app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs, overrides) });
  expect(res.statusCode).toBe(201);
  const b = res.json();
  return { id: b.petitionId, trackingNo: b.trackingNo, commandId: b.commandId, leadUnitId: b.leadUnit.id, title: overrides.title as string };
}

beforeAll(async () => {
  sys = await startTestSystem();
  jinshui = await file({ title: '金水区杜岭街道夜市噪音' });
  erqi = await file({ title: '二七区德化街噪音扰民', districtId: sys.refs.unit('zz-eq'), streetId: sys.refs.unit('zz-eq-dehuajie') });
  expect(jinshui.leadUnitId).not.toBe(erqi.leadUnitId);
});
afterAll(async () => { await sys.close(); });

type Who = { name: string; headers: Record<string, string>; sees: ('jinshui' | 'erqi')[]; writes: boolean };

function people(): Who[] {
  const as = (role: string, unit?: string) => ({ 'x-actor-id': `${role}-${unit ?? 'none'}`, 'x-actor-role': role, ...(unit ? { 'x-actor-unit': unit } : {}) });
  return [
    { name: 'clerk of the 12345 centre', headers: as('clerk'), sees: ['jinshui', 'erqi'], writes: true },
    { name: 'supervisor', headers: as('supervisor'), sees: ['jinshui', 'erqi'], writes: true },
    { name: 'handler of the Jinshui lead unit', headers: as('handler', jinshui.leadUnitId), sees: ['jinshui'], writes: true },
    { name: 'head of the Erqi lead unit', headers: as('department_head', erqi.leadUnitId), sees: ['erqi'], writes: true },
    { name: 'handler of Duling street (the area)', headers: as('handler', sys.refs.unit('zz-js-duling')), sees: ['jinshui'], writes: true },
    { name: 'handler of an uninvolved street', headers: as('handler', sys.refs.unit('zz-eq-daxuelu')), sees: [], writes: true },
    { name: 'handler without a unit', headers: as('handler'), sees: [], writes: true },
    { name: 'leader of Jinshui district', headers: as('leader', sys.refs.unit('zz-js')), sees: ['jinshui'], writes: false },
    { name: 'leader of Zhengzhou city', headers: as('leader', sys.refs.unit('zz')), sees: ['jinshui', 'erqi'], writes: false },
    { name: 'leader of Zhumadian city (another city)', headers: as('leader', sys.refs.unit('zmd')), sees: [], writes: false },
  ];
}

const petitionOf = (k: 'jinshui' | 'erqi') => (k === 'jinshui' ? jinshui : erqi);

describe('data scope: every route × role × in / out of scope', () => {
  it('reads: view by id, by tracking number, the command poll, and the list', async () => {
    for (const who of people()) {
      for (const k of ['jinshui', 'erqi'] as const) {
        const p = petitionOf(k);
        const inScope = who.sees.includes(k);
        for (const url of [`/petitions/${p.id}`, `/petitions/by-tracking-number/${p.trackingNo}`, `/commands/${p.commandId}`]) {
          const res = await sys.app.inject({ method: 'GET', url, headers: who.headers });
          expect(res.statusCode, `${who.name} GET ${url} (${k})`).toBe(inScope ? 200 : 404);
          if (!inScope) {
            // Nothing of the petition leaks: not its title, not its tracking number.
            expect(res.body).not.toContain(p.title);
            expect(res.body).not.toContain(p.trackingNo);
            expect(res.json().code).toMatch(/^(PETITION|COMMAND)_NOT_FOUND$/);
          }
        }
      }
      const list = await sys.app.inject({ method: 'GET', url: '/petitions?limit=200', headers: who.headers });
      expect(list.statusCode).toBe(200);
      const ids = (list.json().items as { id: string }[]).map((i) => i.id);
      expect(ids.includes(jinshui.id), `${who.name} lists jinshui`).toBe(who.sees.includes('jinshui'));
      expect(ids.includes(erqi.id), `${who.name} lists erqi`).toBe(who.sees.includes('erqi'));
      expect(list.json().total).toBe(who.sees.length);
    }
  });

  it('writes: a note on a petition out of scope answers 404 and records nothing; leaders write nothing', async () => {
    for (const who of people()) {
      for (const k of ['jinshui', 'erqi'] as const) {
        const p = petitionOf(k);
        const before = (await sys.tdb.db.selectFrom('commands').select('id').where('petition_id', '=', p.id).execute()).length;
        const res = await sys.app.inject({ method: 'POST', url: `/petitions/${p.id}/notes`, headers: who.headers, payload: { text: '范围测试', visibility: 'internal' } });
        const after = (await sys.tdb.db.selectFrom('commands').select('id').where('petition_id', '=', p.id).execute()).length;
        const label = `${who.name} POST note (${k})`;
        if (!who.sees.includes(k)) {
          expect(res.statusCode, label).toBe(404);
          expect(res.body).not.toContain(p.title);
          expect(after, label).toBe(before);
        } else if (!who.writes) {
          expect(res.statusCode, label).toBe(403);
          expect(res.json().code).toBe('ROLE_NOT_ALLOWED');
          expect(after, label).toBe(before);
        } else {
          // In scope and allowed by role: the machine decides (a street unit is not involved in the work).
          expect([200, 201, 409], label).toContain(res.statusCode);
          expect(after, label).toBe(before + 1);
        }
      }
    }
  });

  it('queues: a unit\'s tasks to its own people and the leaders above it, 404 to others', async () => {
    const cases: [string, Record<string, string>, string, number][] = [
      ['own unit', { 'x-actor-role': 'handler', 'x-actor-unit': jinshui.leadUnitId }, jinshui.leadUnitId, 200],
      ['another unit', { 'x-actor-role': 'handler', 'x-actor-unit': jinshui.leadUnitId }, erqi.leadUnitId, 404],
      ['centre', { 'x-actor-role': 'dispatcher' }, erqi.leadUnitId, 200],
      ['district leader, unit outside the district', { 'x-actor-role': 'leader', 'x-actor-unit': sys.refs.unit('zz-js') }, erqi.leadUnitId, 404],
    ];
    for (const [label, headers, unitId, status] of cases) {
      const res = await sys.app.inject({ method: 'GET', url: `/units/${unitId}/tasks`, headers });
      expect(res.statusCode, label).toBe(status);
      if (status === 404) expect(res.body).not.toContain(erqi.title);
    }
  });

  it('personal data: the full contact only for intake, follow-up and the lead unit, each read logged with its reason', async () => {
    const url = (reason?: string) => `/petitions/${jinshui.id}/contact${reason ? `?reason=${encodeURIComponent(reason)}` : ''}`;
    const logCount = async () => (await sys.tdb.db.selectFrom('personal_data_access_log').select('id').execute()).length;
    const as = (role: string, unit?: string) => ({ 'x-actor-id': `${role}-reader`, 'x-actor-role': role, ...(unit ? { 'x-actor-unit': unit } : {}) });
    const full = { name: '王小明', phone: '13800000001', address: '金水区杜岭街道某小区3号楼' };
    // The petition view shows the masked form to everyone.
    const view = (await sys.app.inject({ method: 'GET', url: `/petitions/${jinshui.id}`, headers: as('clerk') })).body;
    expect(view).not.toContain(full.phone);
    expect(view).not.toContain(full.name);

    for (const [who, headers] of [['clerk', as('clerk')], ['follow-up agent', as('follow_up')], ['lead unit handler', as('handler', jinshui.leadUnitId)]] as const) {
      const before = await logCount();
      const res = await sys.app.inject({ method: 'GET', url: url('回访电话'), headers });
      expect(res.statusCode, who).toBe(200);
      expect(res.json()).toEqual(full);
      expect(await logCount(), who).toBe(before + 1);
    }
    const last = await sys.tdb.db.selectFrom('personal_data_access_log').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(last).toMatchObject({ petition_id: jinshui.id, actor_role: 'handler', actor_unit_id: jinshui.leadUnitId, reason: '回访电话', fields: ['name', 'phone', 'address'] });

    const before = await logCount();
    const refused: [string, Record<string, string>, number][] = [
      ['street handler (sees the petition, does not handle it)', as('handler', sys.refs.unit('zz-js-duling')), 403],
      ['district leader', as('leader', sys.refs.unit('zz-js')), 403],
      ['supervisor', as('supervisor'), 403],
      ['handler of another department', as('handler', erqi.leadUnitId), 404],
    ];
    for (const [who, headers, status] of refused) {
      const res = await sys.app.inject({ method: 'GET', url: url('想看看'), headers });
      expect(res.statusCode, who).toBe(status);
      expect(res.body, who).not.toContain(full.phone);
    }
    expect((await sys.app.inject({ method: 'GET', url: url(), headers: as('clerk') })).statusCode).toBe(400);
    expect(await logCount()).toBe(before);
  });
});
