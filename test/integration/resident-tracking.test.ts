import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noiseComplaint, startTestSystem, type TestSystem } from '../support/system.js';

/** Residents follow and rate their own petition with its tracking number and the last four digits of their phone. */
let sys: TestSystem;
beforeAll(async () => { sys = await startTestSystem(); });
afterAll(async () => { await sys.close(); });

const handler = (unit: string) => ({ 'x-actor-id': 'h1', 'x-actor-role': 'handler', 'x-actor-unit': unit });

async function submit(overrides: Record<string, unknown> = {}) {
  const res = await sys.app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs, overrides) });
  expect(res.statusCode).toBe(201);
  return res.json<{ petitionId: string; trackingNo: string; leadUnit: { id: string } }>();
}

const track = (trackingNo: string, last4: string, remoteAddress = '127.0.0.1') =>
  sys.app.inject({ method: 'GET', url: `/track/${trackingNo}?phoneLast4=${last4}`, remoteAddress });

describe('resident tracking', () => {
  it('shows the public timeline to whoever has the number and the phone digits, and nothing else to anyone', async () => {
    const p = await submit({ contact: { name: '孙八', phone: '138-0013-4321' } });
    await sys.app.inject({ method: 'POST', url: `/petitions/${p.petitionId}/notes`, headers: handler(p.leadUnit.id), payload: { text: '内部：协调执法队', visibility: 'internal' } });
    await sys.app.inject({ method: 'POST', url: `/petitions/${p.petitionId}/notes`, headers: handler(p.leadUnit.id), payload: { text: '已安排现场核查', visibility: 'public' } });
    const res = await track(p.trackingNo, '4321');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ trackingNo: p.trackingNo, state: 'dispatched' });
    expect(body.expectedBy).toEqual(expect.any(String));
    expect(body.timeline.map((e: { type: string }) => e.type)).toEqual(['SUBMIT', 'NOTE']);
    expect(body.timeline[1].text).toBe('已安排现场核查');
    expect(res.body).not.toContain('内部');
    expect(res.body).not.toContain('孙八');
    expect(res.body).not.toContain(p.leadUnit.id);
    // Wrong digits, an unknown number, and an anonymous petition all answer the same 404.
    const wrong = await track(p.trackingNo, '1234');
    const unknown = await track('2099010100000001', '4321');
    const anonymous = await submit({ contact: undefined });
    const anon = await track(anonymous.trackingNo, '0000');
    for (const r of [wrong, unknown, anon]) {
      expect(r.statusCode).toBe(404);
      expect(r.json().message).toBe(wrong.json().message);
    }
  });

  it('lets the resident rate the result of their own petition, and nobody without the digits', async () => {
    const p = await submit({ contact: { name: '周九', phone: '13900005678' } });
    const lead = handler(p.leadUnit.id);
    await sys.app.inject({ method: 'POST', url: `/petitions/${p.petitionId}/sign-for`, headers: lead, payload: {} });
    // Too early: the work is not done.
    const early = await sys.app.inject({ method: 'POST', url: `/track/${p.trackingNo}/rating`, payload: { phoneLast4: '5678', satisfaction: 'satisfied', resolved: true } });
    expect(early.statusCode).toBe(409);
    await sys.app.inject({ method: 'POST', url: `/petitions/${p.petitionId}/complete`, headers: lead, payload: { result: '已处理完毕', resolved: true } });
    const before = (await sys.tdb.db.selectFrom('commands').select('id').where('petition_id', '=', p.petitionId).execute()).length;
    const forged = await sys.app.inject({ method: 'POST', url: `/track/${p.trackingNo}/rating`, payload: { phoneLast4: '0000', satisfaction: 'dissatisfied', resolved: false } });
    expect(forged.statusCode).toBe(404);
    expect((await sys.tdb.db.selectFrom('commands').select('id').where('petition_id', '=', p.petitionId).execute()).length).toBe(before);
    const rated = await sys.app.inject({ method: 'POST', url: `/track/${p.trackingNo}/rating`, payload: { phoneLast4: '5678', satisfaction: 'basically_satisfied', resolved: true } });
    expect(rated.statusCode).toBe(200);
    expect(rated.json().state).toBe('closed');
    const after = (await track(p.trackingNo, '5678')).json();
    expect(after).toMatchObject({ state: 'closed', outcome: 'resolved' });
    expect(after.timeline.find((e: { type: string }) => e.type === 'COMPLETE').text).toBe('已处理完毕');
  });

  it('stops a client guessing the digits after 20 tries a minute', async () => {
    const p = await submit();
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await track(p.trackingNo, String(1000 + i), '10.9.9.9')).statusCode);
    expect(statuses.slice(0, 20).every((s) => s === 404)).toBe(true);
    expect(statuses[20]).toBe(429);
    // Another client is not affected.
    expect((await track(p.trackingNo, '0001', '10.9.9.10')).statusCode).toBe(200);
  });
});
