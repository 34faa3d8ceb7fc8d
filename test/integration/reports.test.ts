import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportsRepo } from '@petitions/db';
import { fireDueTimers, foldReportsOnce } from '@petitions/scheduler';
import { applyCommands } from '@petitions/workflow-worker';
import { noiseComplaint, startTestSystem, type TestSystem } from '../support/system.js';

/**
 * Leaders' reports on a hand-built month: five petitions received on Monday 2 March 2026 (no
 * holidays that month) and worked at chosen instants by a clock the test moves, so every measure
 * can be worked out by hand. The worker queues each event for the reports and the scheduler's
 * fold adds them to the rollups; the last test rebuilds them from the event log and finds the same rows.
 */
let sys: TestSystem;
beforeAll(async () => { sys = await startTestSystem({ worker: false, commandWaitMs: 0 }); });
afterAll(async () => { await sys.close(); });

const at = (iso: string) => new Date(iso);
const T0 = '2026-03-02T01:00:00Z'; // 09:00 in Beijing

async function applyPendingAt(now: Date): Promise<void> {
  const rows = await sys.tdb.db.selectFrom('commands').select(['id', 'petition_id']).where('status', '=', 'pending').orderBy('created_at').execute();
  if (rows.length > 0) await applyCommands(sys.tdb.db, rows.map((r) => ({ commandId: r.id, petitionId: r.petition_id })), { now });
  // As the scheduler would on its next pass: the applied events' counts into the rollups.
  await foldReportsOnce(sys.tdb.db);
}

async function advanceTo(now: string): Promise<void> {
  await fireDueTimers(sys.tdb.db, sys.q.queues, at(now));
  await applyPendingAt(at(now));
}

const handler = () => ({ 'x-actor-id': 'h1', 'x-actor-role': 'handler', 'x-actor-unit': sys.refs.unit('zz-js-cgj') });
const dispatcher = { 'x-actor-id': 'd1', 'x-actor-role': 'dispatcher' };
const followUp = { 'x-actor-id': 'f1', 'x-actor-role': 'follow_up' };
const supervisor = { 'x-actor-id': 's1', 'x-actor-role': 'supervisor' };

async function submitAt(now: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await sys.app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs, overrides) });
  expect(res.statusCode, res.body).toBe(202);
  // The API stamps receipt with its own clock; this test's clock is the worker's, so align them.
  await sys.tdb.db.updateTable('petitions').set({ created_at: at(now) }).where('id', '=', res.json().petitionId).execute();
  await applyPendingAt(at(now));
  return res.json().petitionId as string;
}

async function commandAt(now: string, id: string, action: string, body: Record<string, unknown>, headers: Record<string, string>): Promise<void> {
  const res = await sys.app.inject({ method: 'POST', url: `/petitions/${id}/${action}`, headers, payload: body });
  expect(res.statusCode, res.body).toBe(202);
  await applyPendingAt(at(now));
  const c = await sys.tdb.db.selectFrom('commands').select(['status', 'rejection_reason']).where('id', '=', res.json().commandId).executeTakeFirstOrThrow();
  expect(c, `${action} at ${now}`).toMatchObject({ status: 'applied' });
}

async function report(query: string, headers: Record<string, string> = supervisor) {
  const res = await sys.app.inject({ method: 'GET', url: `/reports/${query}`, headers });
  return res;
}

const DAY = 86_400;
const HOUR = 3_600;

describe('leaders\' reports', () => {
  let cgj: string;

  beforeAll(async () => {
    cgj = sys.refs.unit('zz-js-cgj');
    // A: signed for in 10 minutes, completed the next day, satisfied and resolved.
    // B: signed for three days late, completed on time, basically satisfied, not resolved.
    // C: returned once, dispatched again and signed for on time, still open past its deadline.
    // D: completed after its deadline, dissatisfied → redo, completed again on time, no feedback.
    // E: an inquiry answered at intake (received, never dispatched).
    const A = await submitAt(T0);
    const B = await submitAt(T0);
    const C = await submitAt(T0);
    const D = await submitAt(T0);
    await submitAt(T0, { kind: 'inquiry', categoryId: sys.refs.category('inquiry.policy'), directAnswer: '可携带身份证到街道便民服务中心办理。' });
    await commandAt('2026-03-02T01:05:00Z', D, 'sign-for', {}, handler());
    await commandAt('2026-03-02T01:10:00Z', A, 'sign-for', {}, handler());
    await commandAt('2026-03-02T01:20:00Z', C, 'return', { reason: '不属于本单位职责' }, handler());
    await commandAt('2026-03-02T02:00:00Z', C, 'dispatch', { leadUnitId: cgj }, dispatcher);
    await commandAt('2026-03-02T02:10:00Z', C, 'sign-for', {}, handler());
    await commandAt('2026-03-03T01:00:00Z', A, 'complete', { result: '已协调夜市管理方降低音量', resolved: true }, handler());
    await commandAt('2026-03-03T02:00:00Z', A, 'rate', { satisfaction: 'satisfied', resolved: true }, followUp);
    await advanceTo('2026-03-05T01:00:00Z');
    await commandAt('2026-03-05T01:00:00Z', B, 'sign-for', {}, handler());
    await commandAt('2026-03-05T02:00:00Z', B, 'complete', { result: '已约谈商户', resolved: true }, handler());
    await commandAt('2026-03-05T03:00:00Z', B, 'rate', { satisfaction: 'basically_satisfied', resolved: false }, followUp);
    // The handling deadline (5 working days: Monday 9 March 17:30) has passed for C and D.
    await advanceTo('2026-03-20T01:00:00Z');
    await commandAt('2026-03-20T01:00:00Z', D, 'complete', { result: '已处理', resolved: true }, handler());
    await commandAt('2026-03-20T02:00:00Z', D, 'rate', { satisfaction: 'dissatisfied', resolved: false }, followUp);
    await advanceTo('2026-03-23T01:00:00Z');
    await commandAt('2026-03-23T01:00:00Z', D, 'complete', { result: '重新处理：已加装隔音设施', resolved: true }, handler());
    // No answer within the feedback window (next working day): closed without feedback.
    await advanceTo('2026-03-25T01:00:00Z');
  });

  it('computes every measure of the month exactly', async () => {
    const res = await report('summary?period=month&date=2026-03-15&groupBy=unit');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.period).toMatchObject({ from: '2026-03-01', to: '2026-03-31', previous: { from: '2026-02-01', to: '2026-02-28' } });
    const t = body.total;
    expect(t).toMatchObject({
      received: 5,
      dispatched: 5, // A, B, D once; C twice (the return sends it back for a new dispatch)
      completed: 4, // A, B, and D twice
      rated: 3,
      noFeedback: 1,
      open: 1, // C
      overdue: 1, // C
    });
    expect(t.responseRate).toBeCloseTo(3 / 5, 10); // A, C (second task), D on time; B late; C's first task returned
    expect(t.returnRate).toBeCloseTo(1 / 5, 10);
    expect(t.onTimeRate).toBeCloseTo(3 / 4, 10); // D's first completion was late
    expect(t.redoRate).toBeCloseTo(1 / 4, 10);
    expect(t.resolutionRate).toBeCloseTo(1 / 3, 10); // only A said resolved
    expect(t.satisfactionRate).toBeCloseTo(2 / 3, 10);
    expect(t.satisfactionScore).toBeCloseTo((100 + 80 + 0) / 3, 10);
    expect(t.compositeScore).toBeCloseTo((30 * 60 + 35 * (100 / 3) + 35 * (200 / 3)) / 100, 10);
    // Times to sign: D 5 min, A 10 min, C 10 min after its second dispatch, B 3 days.
    expect(t.meanTimeToSign).toBeCloseTo((300 + 600 + 600 + 3 * DAY) / 4, 6);
    // P90 of four values is the largest (3 days), read from a histogram whose buckets are 2^(1/4) wide.
    expect(t.p90TimeToSign).toBeGreaterThanOrEqual(3 * DAY);
    expect(t.p90TimeToSign).toBeLessThanOrEqual(3 * DAY * 2 ** 0.25);
    // Times to complete, from receipt: A 1 day, B 3 days 1 hour, D 18 days and 21 days.
    expect(t.meanTimeToComplete).toBeCloseTo((1 * DAY + 3 * DAY + HOUR + 18 * DAY + 21 * DAY) / 4, 6);
    expect(t.p90TimeToComplete).toBeGreaterThanOrEqual(21 * DAY);
    expect(t.p90TimeToComplete).toBeLessThanOrEqual(21 * DAY * 2 ** 0.25);

    // By unit: everything is 城管局's but the inquiry, which was never dispatched.
    const rows = new Map((body.rows as { key: string; name: string; measures: { received: number; dispatched: number; open: number } }[]).map((r) => [r.key, r]));
    expect(rows.get(cgj)).toMatchObject({ name: '金水区城市管理局', measures: { received: 4, dispatched: 5, open: 1 } });
    // Not dispatched is counted per district.
    expect(rows.get(`none:${sys.refs.unit('zz-js')}`)).toMatchObject({ name: '金水区·未派单', measures: { received: 1, dispatched: 0 } });
  });

  it('applies the documented settings: no-feedback petitions counted as satisfied, other weights', async () => {
    const admin = { 'x-actor-id': 'a1', 'x-actor-role': 'admin' };
    const settings = (await report('settings', admin)).json();
    expect(settings).toMatchObject({ weights: { response: 30, resolution: 35, satisfaction: 35 }, noFeedback: 'excluded' });
    const put = await sys.app.inject({ method: 'PUT', url: '/reports/settings', headers: admin, payload: { ...settings, noFeedback: 'satisfied', weights: { response: 50, resolution: 0, satisfaction: 50 } } });
    expect(put.statusCode, put.body).toBe(200);
    try {
      const t = (await report('summary?period=month&date=2026-03-15')).json().total;
      expect(t.resolutionRate).toBeCloseTo(2 / 4, 10);
      expect(t.satisfactionRate).toBeCloseTo(3 / 4, 10);
      expect(t.satisfactionScore).toBeCloseTo((100 + 100 + 80 + 0) / 4, 10);
      expect(t.compositeScore).toBeCloseTo((50 * 60 + 50 * 75) / 100, 10);
    } finally {
      await sys.app.inject({ method: 'PUT', url: '/reports/settings', headers: admin, payload: settings });
    }
    const bad = await sys.app.inject({ method: 'PUT', url: '/reports/settings', headers: admin, payload: { ...settings, weights: { response: 0, resolution: 0, satisfaction: 0 } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'INVALID_FIELD' });
  });

  it('gives a custom period the same figures whether its days are read by the day or by the month', async () => {
    const month = (await report('summary?period=month&date=2026-03-15&groupBy=category')).json();
    // The loose days of February and April come from report_daily, the whole of March from report_monthly …
    const across = (await report('summary?period=custom&from=2026-02-20&to=2026-04-10&groupBy=category')).json();
    // … and here every day is read from report_daily.
    const days = (await report('summary?period=custom&from=2026-03-01&to=2026-03-30&groupBy=category')).json();
    expect(month.total.received).toBe(5);
    for (const other of [across, days]) {
      expect(other.total).toEqual(month.total);
      expect(other.rows).toEqual(month.rows);
    }
  });

  it('counts by period: the day of receipt, an empty month before, a week', async () => {
    const day = (await report('summary?period=day&date=2026-03-02')).json().total;
    expect(day).toMatchObject({ received: 5, dispatched: 5, completed: 0 });
    const feb = (await report('summary?period=month&date=2026-02-10')).json().total;
    expect(feb).toMatchObject({ received: 0, dispatched: 0, completed: 0, open: 1 });
    const week = (await report('summary?period=week&date=2026-03-05')).json();
    expect(week.period).toMatchObject({ from: '2026-03-02', to: '2026-03-08' });
    expect(week.total).toMatchObject({ received: 5, completed: 2, rated: 2 }); // A and B
  });

  it('groups by channel, street and category, ranks streets, and lists hot issues and overdue work', async () => {
    const byCategory = (await report('summary?period=month&date=2026-03-01&groupBy=category')).json().rows as { key: string; measures: { received: number } }[];
    expect(Object.fromEntries(byCategory.map((r) => [r.key, r.measures.received]))).toEqual({
      [sys.refs.category('city.noise')]: 4, [sys.refs.category('inquiry.policy')]: 1,
    });
    const ranking = (await report('ranking?date=2026-03-01')).json();
    expect(ranking.rows).toHaveLength(1);
    expect(ranking.rows[0]).toMatchObject({ key: sys.refs.unit('zz-js-duling'), rank: 1, received: 5, classes: ['governance'] });
    // Streets of the whole city are named with their district, once in each language.
    expect(ranking.rows[0]).toMatchObject({ name: '金水区·杜岭街道', nameEn: 'Jinshui District Duling Subdistrict' });
    const hot = (await report('hot-issues?date=2026-03-01')).json().items;
    expect(hot[0]).toMatchObject({ categoryId: sys.refs.category('city.noise'), streetId: sys.refs.unit('zz-js-duling'), received: 4, previous: 0, growth: null });
    const trend = (await report('trend?date=2026-03-01&months=3')).json().points as { month: string; measures: { received: number } }[];
    expect(trend.map((p) => [p.month, p.measures.received])).toEqual([['2026-01', 0], ['2026-02', 0], ['2026-03', 5]]);
    const overdue = (await report('overdue')).json();
    expect(overdue.total).toBe(1);
    expect(overdue.items[0]).toMatchObject({ step: 'handling', unitId: cgj, unit: '金水区城市管理局' });
  });

  it('downloads each report as CSV and XLSX with Chinese headers', async () => {
    const csv = await report('summary?period=month&date=2026-03-01&groupBy=unit&format=csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('attachment');
    const lines = csv.body.replace(/^\ufeff/, '').trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^承办单位,受理量,派单量,待签收\(未到期\),响应率\(%\),解决率\(%\),满意率\(%\)/);
    expect(lines.at(-1)).toMatch(/^合计,5,5,0,60,33\.33,66\.67,60,75,20,25,4,3,1,1,1,/);
    const xlsx = await report('ranking?date=2026-03-01&format=xlsx');
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.name).toBe('综合排名');
    // What, where and when above the headers: the supervisor reads every district (全部).
    expect(sheet.getRow(1).getCell(1).value).toBe('综合排名 全部 2026-03-01 ~ 2026-03-31');
    // Exported at the China wall-clock time (the machine's clock is UTC: 8 hours ahead of it).
    const exported = /^导出时间 (\d{4}-\d{2}-\d{2} \d{2}:\d{2}) \(北京时间\)$/.exec(sheet.getRow(2).getCell(1).text);
    expect(exported).not.toBeNull();
    expect(Math.abs(Date.parse(`${exported![1]!.replace(' ', 'T')}:00+08:00`) - Date.now())).toBeLessThan(5 * 60_000);
    expect(sheet.getRow(3).values).toEqual([undefined, '名次', '街道', '综合得分', '响应率(%)', '解决率(%)', '满意率(%)', '受理量', '上期名次', '类别']);
    // Several districts in the report: a street carries its district's name.
    expect(sheet.getRow(4).getCell(2).value).toBe('金水区·杜岭街道');
    // Columns fit their widest cell, a Chinese character counting twice: the street's name is not clipped.
    expect(sheet.getColumn(2).width).toBeGreaterThanOrEqual('金水区·杜岭街道'.length * 2);
    expect(sheet.getRow(4).getCell(9).value).toBe('治理(重点督办)');
    const en = await report('overdue?format=csv&lang=en');
    const [header, first] = en.body.replace(/^\ufeff/, '').split(/\r?\n/);
    expect(header).toBe('Tracking no.,Title,Category,Unit,Overdue step,Deadline (Beijing time),Overdue by (h)');
    // The deadline as a clerk reads it: China's wall clock, to the minute.
    const { items } = (await report('overdue')).json<{ items: { dueAt: string }[] }>();
    const china = new Date(Date.parse(items[0]!.dueAt) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
    expect(first!.split(',')[5]).toBe(china);
  });

  it('keeps each reader to their scope and refuses bad periods', async () => {
    const otherDistrict = { 'x-actor-id': 'l2', 'x-actor-role': 'leader', 'x-actor-unit': sys.refs.unit('zz-eq') };
    const own = { 'x-actor-id': 'l1', 'x-actor-role': 'leader', 'x-actor-unit': sys.refs.unit('zz-js') };
    expect((await report('summary?date=2026-03-01', own)).json().total.received).toBe(5);
    expect((await report('summary?date=2026-03-01', otherDistrict)).json().total.received).toBe(0);
    expect((await report('overdue', otherDistrict)).json().total).toBe(0);
    const peek = await report(`summary?date=2026-03-01&districtId=${sys.refs.unit('zz-js')}`, otherDistrict);
    expect(peek.statusCode).toBe(404);
    const street = await report('summary', { 'x-actor-id': 'l3', 'x-actor-role': 'leader', 'x-actor-unit': sys.refs.unit('zz-js-duling') });
    expect(street.statusCode).toBe(403);
    expect(street.json().code).toBe('REPORT_SCOPE_UNSUPPORTED');
    const handlerRes = await report('summary', handler());
    expect(handlerRes.json().code).toBe('ROLE_NOT_ALLOWED');
    for (const [q, field] of [['period=custom&from=2026-03-01', 'to'], ['period=custom&from=2026-03-05&to=2026-03-01', 'to'], ['date=2026-02-30', 'date'], ['period=custom&from=2024-01-01&to=2026-03-01', 'to'], ['period=day&from=2026-03-01&to=2026-03-05', 'from'], ['period=month&to=2026-03-05', 'to']] as const) {
      const res = await report(`summary?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json(), q).toMatchObject({ code: 'INVALID_PERIOD', field });
    }
    expect((await report('summary?groupBy=district')).statusCode).toBe(400);
  });

  it('leaves a task still within its sign-for time out of 响应率 until it is signed for', async () => {
    const now = new Date().toISOString();
    const id = await submitAt(now);
    const today = async () => (await report('summary?period=day')).json().total;
    // The month trend reads the same rule: its point for this month agrees with the month's summary.
    const thisMonth = async () => {
      const points = (await report('trend?months=2')).json().points as { measures: { responseRate: number | null; compositeScore: number | null } }[];
      const month = (await report('summary?period=month')).json().total;
      expect(points.at(-1)!.measures).toMatchObject({ responseRate: month.responseRate, compositeScore: month.compositeScore });
      return points.at(-1)!.measures.responseRate;
    };
    expect(await today()).toMatchObject({ received: 1, dispatched: 1, awaitingSignFor: 1, responseRate: null });
    expect(await thisMonth()).toBeNull();
    await commandAt(new Date().toISOString(), id, 'sign-for', {}, handler());
    expect(await today()).toMatchObject({ dispatched: 1, awaitingSignFor: 0, responseRate: 1 });
    expect(await thisMonth()).toBe(1);
  });

  it('rebuilds from the event log exactly the rollups the fold kept', async () => {
    const snapshot = async () => ({
      daily: await sys.tdb.db.selectFrom('report_daily').selectAll().orderBy('dim').orderBy('district_id').orderBy('day').orderBy('key').execute(),
      monthly: await sys.tdb.db.selectFrom('report_monthly').selectAll().orderBy('dim').orderBy('district_id').orderBy('month').orderBy('key').execute(),
      open: (await sys.tdb.db.selectFrom('report_open').selectAll().orderBy('dim').orderBy('district_id').orderBy('key').execute()).filter((r) => r.open !== 0 || r.overdue !== 0),
    });
    const live = await snapshot();
    expect(live.daily.length).toBeGreaterThan(0);
    await sys.tdb.db.transaction().execute((trx) => reportsRepo.rebuildRollups(trx));
    expect(await snapshot()).toEqual(live);
  });
});
