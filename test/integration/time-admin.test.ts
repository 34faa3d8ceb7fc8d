import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timeRepo } from '@petitions/db';
import { eventually } from '../support/fixtures.js';
import { noiseComplaint, startTestSystem, type TestSystem } from '../support/system.js';

const ADMIN = { 'x-actor-id': 'wang.admin', 'x-actor-role': 'admin' };
const CLERK = { 'x-actor-id': 'li.clerk', 'x-actor-role': 'clerk' };
const SUPERVISOR = { 'x-actor-id': 'zhao.supervisor', 'x-actor-role': 'supervisor' };
const RESIDENT = { 'x-actor-id': 'resident-1', 'x-actor-role': 'resident' };

/** Beijing wall-clock time as an instant. */
const bj = (local: string) => new Date(`${local}+08:00`).toISOString();

const NORMAL_DEFAULT = {
  categoryId: null, urgency: 'normal',
  signFor: { amount: 2, unit: 'working_hours' }, handling: { amount: 5, unit: 'working_days' },
  feedback: { amount: 1, unit: 'working_days' }, reminderShare: 0.75,
};

describe('time administration API', () => {
  let sys: TestSystem;
  beforeAll(async () => { sys = await startTestSystem({ worker: false }); });
  afterAll(async () => { await sys?.close(); });

  const preview = async (q: Record<string, string>, headers: Record<string, string> = CLERK) => {
    const res = await sys.app.inject({ method: 'GET', url: `/deadlines/preview?${new URLSearchParams(q).toString()}`, headers });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    return { ...body, at: Object.fromEntries(body.deadlines.map((d: { kind: string; dueAt: string }) => [d.kind, d.dueAt])) as Record<string, string> };
  };
  const calendarRows = () => sys.tdb.db.selectFrom('calendar_days').selectAll().orderBy('date').execute();
  const policyRows = () => sys.tdb.db.selectFrom('sla_policies').selectAll().orderBy('id').execute();

  it('reads 2026 with 春节 2026-02-15..23 and the make-up Saturday 2026-02-14, sorted; 2027 is provisional', async () => {
    const res = await sys.app.inject({ method: 'GET', url: '/calendar?year=2026', headers: CLERK });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ year: 2026, provisional: false });
    const dates = body.days.map((d: { date: string }) => d.date);
    expect(dates).toEqual([...dates].sort());
    expect(dates.every((d: string) => d.startsWith('2026-'))).toBe(true);
    const spring = body.days.filter((d: { note: string }) => d.note === '春节');
    expect(spring.map((d: { date: string }) => d.date)).toEqual(
      ['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23']);
    expect(spring.every((d: { isWorkday: boolean }) => !d.isWorkday)).toBe(true);
    expect(body.days).toContainEqual({ date: '2026-02-14', isWorkday: true, note: '春节调休上班' });

    const y2027 = (await sys.app.inject({ method: 'GET', url: '/calendar?year=2027', headers: SUPERVISOR })).json();
    expect(y2027.provisional).toBe(true);
    expect(y2027.days.length).toBeGreaterThan(0);

    const bad = await sys.app.inject({ method: 'GET', url: '/calendar?year=1999', headers: CLERK });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'INVALID_FIELD', field: 'year' });
    expect((await sys.app.inject({ method: 'GET', url: '/calendar?year=next', headers: CLERK })).json()).toMatchObject({ code: 'INVALID_FIELD', field: 'year' });
    const resident = await sys.app.inject({ method: 'GET', url: '/calendar?year=2026', headers: RESIDENT });
    expect(resident.statusCode).toBe(403);
    expect(resident.json()).toMatchObject({ code: 'ROLE_NOT_ALLOWED' });
  });

  it('previews the deadlines in force: make-up Saturday counts, working hours, reminder and 通报', async () => {
    const p = await preview({ urgency: 'normal', from: bj('2026-02-27T11:00:00') });
    expect(p).toMatchObject({ urgency: 'normal', category: null, policySource: 'default', policy: { handling: { amount: 5, unit: 'working_days' }, reminderShare: 0.75 } });
    expect(p.deadlines.map((d: { kind: string }) => d.kind)).toEqual(['sign_for', 'handling_reminder', 'handling', 'handling_escalation', 'feedback']);
    // Two working hours from Friday 11:00: one before lunch, one after 13:30.
    expect(p.at.sign_for).toBe(bj('2026-02-27T14:30:00'));
    // Saturday 2026-02-28 is a make-up working day (春节调休上班): 02-28, 03-02, 03-03, 03-04, 03-05.
    expect(p.at.handling).toBe(bj('2026-03-05T17:30:00'));
    expect(p.at.feedback).toBe(bj('2026-02-28T17:30:00'));
    // 通报: five working days after the handling deadline.
    expect(p.at.handling_escalation).toBe(bj('2026-03-12T17:30:00'));
    expect(p.at.handling_reminder > p.at.sign_for && p.at.handling_reminder < p.at.handling).toBe(true);
    expect(p.deadlines.find((d: { kind: string }) => d.kind === 'handling').basis).toBe('working');

    const emergency = await preview({ urgency: 'emergency', from: bj('2026-02-17T23:00:00') });
    // 24/7 on the clock, holiday or not.
    expect(emergency.at.sign_for).toBe(bj('2026-02-17T23:30:00'));
    expect(emergency.at.handling).toBe(bj('2026-02-18T01:00:00'));
    expect(emergency.deadlines.find((d: { kind: string }) => d.kind === 'handling').basis).toBe('clock');

    const badFrom = await sys.app.inject({ method: 'GET', url: '/deadlines/preview?from=yesterday', headers: CLERK });
    expect(badFrom.json()).toMatchObject({ statusCode: 400, code: 'INVALID_FIELD', field: 'from' });
    const unknown = await sys.app.inject({ method: 'GET', url: `/deadlines/preview?categoryId=${crypto.randomUUID()}`, headers: CLERK });
    expect(unknown.json()).toMatchObject({ statusCode: 400, code: 'UNKNOWN_CATEGORY', field: 'categoryId' });
  });

  it('an admin marks a Monday as a holiday and the preview moves; deleting the day restores it', async () => {
    const from = bj('2026-02-28T10:00:00');
    const before = await preview({ from });
    expect(before.at.feedback).toBe(bj('2026-03-02T17:30:00'));
    expect(before.at.handling).toBe(bj('2026-03-06T17:30:00'));

    const put = await sys.app.inject({ method: 'PUT', url: '/calendar/2026-03-02', headers: ADMIN, payload: { isWorkday: false, note: '  临时停工  ' } });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toEqual({ date: '2026-03-02', isWorkday: false, note: '临时停工' });
    const stored = await sys.tdb.db.selectFrom('calendar_days').select(['note', 'updated_by']).where('date', '=', '2026-03-02').executeTakeFirstOrThrow();
    expect(stored).toEqual({ note: '临时停工', updated_by: 'wang.admin' });
    const listed = (await sys.app.inject({ method: 'GET', url: '/calendar?year=2026', headers: CLERK })).json();
    expect(listed.days).toContainEqual({ date: '2026-03-02', isWorkday: false, note: '临时停工' });

    const after = await preview({ from });
    expect(after.at.feedback).toBe(bj('2026-03-03T17:30:00'));
    expect(after.at.handling).toBe(bj('2026-03-09T17:30:00'));

    // Editing the same day again replaces its note.
    const again = await sys.app.inject({ method: 'PUT', url: '/calendar/2026-03-02', headers: ADMIN, payload: { isWorkday: false, note: '停电检修' } });
    expect(again.json()).toMatchObject({ note: '停电检修' });

    const del = await sys.app.inject({ method: 'DELETE', url: '/calendar/2026-03-02', headers: ADMIN });
    expect(del.statusCode).toBe(204);
    expect(del.body).toBe('');
    expect((await preview({ from })).at.feedback).toBe(bj('2026-03-02T17:30:00'));
    const missing = await sys.app.inject({ method: 'DELETE', url: '/calendar/2026-03-02', headers: ADMIN });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'CALENDAR_DAY_NOT_FOUND' });

    // A weekend worked (调休) is an exception too.
    const saturday = await sys.app.inject({ method: 'PUT', url: '/calendar/2026-03-07', headers: ADMIN, payload: { isWorkday: true, note: '补班' } });
    expect(saturday.statusCode).toBe(200);
    expect((await preview({ from: bj('2026-03-06T10:00:00') })).at.feedback).toBe(bj('2026-03-07T17:30:00'));
    expect((await sys.app.inject({ method: 'DELETE', url: '/calendar/2026-03-07', headers: ADMIN })).statusCode).toBe(204);
  });

  it('refuses a clerk or supervisor with 403 and changes nothing', async () => {
    const [days, policies] = [await calendarRows(), await policyRows()];
    const attempts = [
      { method: 'PUT' as const, url: '/calendar/2026-03-02', headers: CLERK, payload: { isWorkday: false, note: '放假' } },
      { method: 'DELETE' as const, url: '/calendar/2026-02-14', headers: CLERK },
      { method: 'PUT' as const, url: '/sla-policies', headers: SUPERVISOR, payload: { ...NORMAL_DEFAULT, handling: { amount: 1, unit: 'working_days' } } },
      { method: 'DELETE' as const, url: `/sla-policies/${sys.refs.category('city.noise')}/normal`, headers: CLERK },
      { method: 'PUT' as const, url: '/calendar/2026-03-02', payload: { isWorkday: false, note: '放假' } },
    ];
    for (const a of attempts) {
      const res = await sys.app.inject(a);
      expect(res.statusCode, `${a.method} ${a.url}`).toBe(403);
      expect(res.json()).toMatchObject({ statusCode: 403, code: 'ROLE_NOT_ALLOWED' });
      expect(res.json().reqId).toBeTruthy();
    }
    expect(await calendarRows()).toEqual(days);
    expect(await policyRows()).toEqual(policies);
    // Staff may read the policies and preview.
    expect((await sys.app.inject({ method: 'GET', url: '/sla-policies', headers: CLERK })).statusCode).toBe(200);
    expect((await sys.app.inject({ method: 'GET', url: '/sla-policies', headers: RESIDENT })).statusCode).toBe(403);
  });

  it('refuses invalid dates, pointless exceptions and bad notes with 400, writing nothing', async () => {
    const days = await calendarRows();
    const put = (date: string, payload: unknown) => sys.app.inject({ method: 'PUT', url: `/calendar/${date}`, headers: ADMIN, payload: payload as object });

    const feb30 = await put('2025-02-30', { isWorkday: false, note: '放假' });
    expect(feb30.statusCode).toBe(400);
    expect(feb30.json()).toMatchObject({ code: 'INVALID_DATE', field: 'date' });
    expect(feb30.json().message).toContain('2025-02-30');
    expect((await put('2026-3-2', { isWorkday: false, note: '放假' })).json()).toMatchObject({ code: 'INVALID_DATE', field: 'date' });
    expect((await sys.app.inject({ method: 'DELETE', url: '/calendar/2026-13-01', headers: ADMIN })).json()).toMatchObject({ code: 'INVALID_DATE', field: 'date' });

    const saturdayOff = await put('2026-03-07', { isWorkday: false, note: '放假' });
    expect(saturdayOff.statusCode).toBe(400);
    expect(saturdayOff.json()).toMatchObject({ code: 'NOT_AN_EXCEPTION' });
    expect(saturdayOff.json().message).toMatch(/Saturday.*only a Monday to Friday can be marked as a holiday/);
    const wednesdayOn = await put('2026-03-04', { isWorkday: true, note: '上班' });
    expect(wednesdayOn.json()).toMatchObject({ statusCode: 400, code: 'NOT_AN_EXCEPTION' });
    expect(wednesdayOn.json().message).toMatch(/Wednesday.*only a Saturday or Sunday can be marked as a make-up working day/);

    expect((await put('2026-03-02', { isWorkday: false, note: '   ' })).json()).toMatchObject({ code: 'INVALID_FIELD', field: 'note' });
    expect((await put('2026-03-02', { isWorkday: false, note: '假'.repeat(41) })).json()).toMatchObject({ code: 'INVALID_FIELD', field: 'note' });
    expect((await put('2026-03-02', { isWorkday: 'no', note: '放假' })).json()).toMatchObject({ code: 'INVALID_FIELD', field: 'isWorkday' });
    expect((await put('2026-03-02', { isWorkday: false })).json()).toMatchObject({ code: 'MISSING_FIELD', field: 'note' });
    expect((await put('2026-03-02', { isWorkday: false, note: '放假', extra: 1 })).json()).toMatchObject({ code: 'UNKNOWN_FIELD', field: 'extra' });
    expect(await calendarRows()).toEqual(days);
  });

  it('lets a weekend day of an official holiday block keep its type and change its note', async () => {
    // 春节 2026-02-15..23 includes Sunday 02-15 and Saturday 02-21: the State Council lists them, so they stay editable.
    const put = (date: string, payload: object) => sys.app.inject({ method: 'PUT', url: `/calendar/${date}`, headers: ADMIN, payload });
    const sunday = await put('2026-02-15', { isWorkday: false, note: '春节（腊月廿八）' });
    expect(sunday.statusCode, sunday.body).toBe(200);
    expect(sunday.json()).toEqual({ date: '2026-02-15', isWorkday: false, note: '春节（腊月廿八）' });
    // A Monday of the block cannot become a working day: that is no exception at all.
    expect((await put('2026-02-16', { isWorkday: true, note: '上班' })).json()).toMatchObject({ statusCode: 400, code: 'NOT_AN_EXCEPTION' });
    expect((await put('2026-02-15', { isWorkday: false, note: '春节' })).statusCode).toBe(200);
    const days = (await sys.app.inject({ method: 'GET', url: '/calendar?year=2026', headers: CLERK })).json().days;
    expect(days).toContainEqual({ date: '2026-02-15', isWorkday: false, note: '春节' });
    expect(days).toContainEqual({ date: '2026-02-16', isWorkday: false, note: '春节' });
  });

  it('refuses an unknown category or a bad duration with 400, writing nothing', async () => {
    const policies = await policyRows();
    const put = (payload: unknown) => sys.app.inject({ method: 'PUT', url: '/sla-policies', headers: ADMIN, payload: payload as object });
    const noise = sys.refs.category('city.noise');

    const unknown = await put({ ...NORMAL_DEFAULT, categoryId: crypto.randomUUID() });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'UNKNOWN_CATEGORY', field: 'categoryId' });

    const zero = await put({ ...NORMAL_DEFAULT, categoryId: noise, handling: { amount: 0, unit: 'working_days' } });
    expect(zero.statusCode).toBe(400);
    expect(zero.json()).toMatchObject({ code: 'INVALID_DURATION', field: 'handling.amount' });
    expect(zero.json().message).toContain('positive');
    expect((await put({ ...NORMAL_DEFAULT, handling: { amount: 2.5, unit: 'working_days' } })).json())
      .toMatchObject({ code: 'INVALID_DURATION', field: 'handling.amount' });
    expect((await put({ ...NORMAL_DEFAULT, feedback: { amount: 5000, unit: 'calendar_days' } })).json())
      .toMatchObject({ code: 'INVALID_DURATION', field: 'feedback.amount' });
    expect((await put({ ...NORMAL_DEFAULT, signFor: { amount: -1, unit: 'minutes' } })).json())
      .toMatchObject({ code: 'INVALID_DURATION', field: 'signFor.amount' });
    expect((await put({ ...NORMAL_DEFAULT, handling: { amount: 2, unit: 'weeks' } })).json())
      .toMatchObject({ code: 'INVALID_FIELD', field: 'handling.unit' });
    expect((await put({ ...NORMAL_DEFAULT, reminderShare: 1 })).json()).toMatchObject({ code: 'INVALID_FIELD', field: 'reminderShare' });
    expect((await put({ ...NORMAL_DEFAULT, urgency: 'soon' })).json()).toMatchObject({ code: 'INVALID_FIELD', field: 'urgency' });
    // A sign-for limit that ends after the handling deadline (10 working days vs 5; 3 h vs 1 h) is refused.
    expect((await put({ ...NORMAL_DEFAULT, signFor: { amount: 10, unit: 'working_days' } })).json())
      .toMatchObject({ code: 'INCONSISTENT_POLICY', field: 'signFor' });
    expect((await put({ ...NORMAL_DEFAULT, urgency: 'emergency', signFor: { amount: 3, unit: 'hours' }, handling: { amount: 1, unit: 'hours' } })).json())
      .toMatchObject({ code: 'INCONSISTENT_POLICY', field: 'signFor' });
    expect(await policyRows()).toEqual(policies);
  });

  it('a category override changes the preview for that category only; deleting it restores the default', async () => {
    const noise = sys.refs.category('city.noise');
    const other = sys.refs.categories.find((c) => c.id !== noise)!.id;
    const from = bj('2026-02-27T10:00:00');

    const list = (await sys.app.inject({ method: 'GET', url: '/sla-policies', headers: CLERK })).json();
    expect(list.filter((p: { category: unknown }) => p.category === null).map((p: { urgency: string }) => p.urgency))
      .toEqual(['emergency', 'utilities', 'normal', 'complex']);
    expect(list.find((p: { urgency: string }) => p.urgency === 'normal')).toMatchObject({
      category: null, signFor: { amount: 2, unit: 'working_hours' }, handling: { amount: 5, unit: 'working_days' }, reminderShare: 0.75, updatedBy: 'system',
    });

    const put = await sys.app.inject({
      method: 'PUT', url: '/sla-policies', headers: ADMIN,
      payload: { ...NORMAL_DEFAULT, categoryId: noise, handling: { amount: 2, unit: 'working_days' }, reminderShare: 0.8 },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ category: { id: noise }, urgency: 'normal', handling: { amount: 2, unit: 'working_days' }, reminderShare: 0.8, updatedBy: 'wang.admin' });
    // A signed-in admin's change is stamped with their account id, and the list names the account.
    const account = await sys.tdb.db.insertInto('users').values({ username: 'li.admin', display_name: '李管理', role: 'admin', password_hash: 'x' })
      .returning('id').executeTakeFirstOrThrow();
    await sys.tdb.db.updateTable('sla_policies').set({ updated_by: account.id }).where('category_id', '=', noise).execute();
    const named = (await sys.app.inject({ method: 'GET', url: '/sla-policies', headers: CLERK })).json()
      .find((p: { category: { id: string } | null }) => p.category?.id === noise);
    expect(named).toMatchObject({ updatedBy: account.id, updatedByName: '李管理' });
    expect(put.json().category.name).toBeTruthy();

    const forNoise = await preview({ categoryId: noise, from });
    expect(forNoise.policySource).toBe('category');
    expect(forNoise.category).toMatchObject({ id: noise });
    expect(forNoise.at.handling).toBe(bj('2026-03-02T17:30:00'));
    const forOther = await preview({ categoryId: other, from });
    expect(forOther.policySource).toBe('default');
    expect(forOther.at.handling).toBe(bj('2026-03-05T17:30:00'));
    expect((await preview({ from })).at.handling).toBe(bj('2026-03-05T17:30:00'));
    // Other urgencies of the same category keep their defaults.
    expect((await preview({ categoryId: noise, urgency: 'complex', from })).policySource).toBe('default');

    // The defaults can be changed but not deleted.
    const dflt = await sys.app.inject({ method: 'DELETE', url: '/sla-policies/default/normal', headers: ADMIN });
    expect(dflt.statusCode).toBe(409);
    expect(dflt.json()).toMatchObject({ code: 'SLA_DEFAULT_NOT_DELETABLE' });
    expect((await sys.app.inject({ method: 'DELETE', url: '/sla-policies/not-an-id/normal', headers: ADMIN })).json())
      .toMatchObject({ code: 'INVALID_FIELD', field: 'categoryId' });

    const del = await sys.app.inject({ method: 'DELETE', url: `/sla-policies/${noise}/normal`, headers: ADMIN });
    expect(del.statusCode).toBe(204);
    const restored = await preview({ categoryId: noise, from });
    expect(restored.policySource).toBe('default');
    expect(restored.at.handling).toBe(bj('2026-03-05T17:30:00'));
    const gone = await sys.app.inject({ method: 'DELETE', url: `/sla-policies/${noise}/normal`, headers: ADMIN });
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({ code: 'SLA_POLICY_NOT_FOUND' });
  });

  it('an edited default applies to every category without its own policy', async () => {
    const from = bj('2026-02-27T10:00:00');
    const put = await sys.app.inject({ method: 'PUT', url: '/sla-policies', headers: ADMIN, payload: { ...NORMAL_DEFAULT, handling: { amount: 7, unit: 'calendar_days' } } });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ category: null, handling: { amount: 7, unit: 'calendar_days' } });
    const p = await preview({ categoryId: sys.refs.category('city.noise'), from });
    expect(p.at.handling).toBe(bj('2026-03-06T10:00:00'));
    expect(p.deadlines.find((d: { kind: string }) => d.kind === 'handling').basis).toBe('clock');
    expect((await sys.app.inject({ method: 'PUT', url: '/sla-policies', headers: ADMIN, payload: NORMAL_DEFAULT })).statusCode).toBe(200);
    expect((await preview({ from })).at.handling).toBe(bj('2026-03-05T17:30:00'));
  });

  it('documents the routes in the OpenAPI document', async () => {
    await sys.app.ready();
    const doc = (sys.app as unknown as { swagger: () => { paths: Record<string, Record<string, { description?: string }>> } }).swagger();
    for (const path of ['/calendar', '/calendar/{date}', '/sla-policies', '/sla-policies/{categoryId}/{urgency}', '/deadlines/preview']) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(doc.paths['/calendar/{date}']!.put!.description).toMatch(/running deadlines keep their dates/);
    expect(doc.paths['/sla-policies']!.put!.description).toContain('已在计时的时限不变');
  });
});

describe('time administration through the workflow worker', () => {
  let sys: TestSystem;
  beforeAll(async () => { sys = await startTestSystem(); });
  afterAll(async () => { await sys?.close(); });

  async function submitAndReadHandling() {
    const res = await sys.app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs) });
    expect(res.statusCode, res.body).toBe(201);
    const { petitionId } = res.json();
    const view = await eventually(async () => {
      const v = (await sys.app.inject({ method: 'GET', url: `/petitions/${petitionId}` })).json();
      return v.deadlines?.some((d: { kind: string }) => d.kind === 'handling') ? v : null;
    });
    const dispatchedAt = new Date(view.timeline.find((e: { type: string }) => e.type === 'SUBMIT').occurredAt);
    const handling = view.deadlines.find((d: { kind: string }) => d.kind === 'handling');
    return { petitionId, dispatchedAt, handling };
  }

  it('a new petition takes the changed default; a running deadline keeps its date', async () => {
    const first = await submitAndReadHandling();
    const rules = await timeRepo.loadDeadlineRules(sys.tdb.db);
    expect(first.handling).toMatchObject({ state: 'pending', basis: 'working', dueAt: rules.calendar.addWorkingDays(first.dispatchedAt, 5).toISOString() });

    const put = await sys.app.inject({ method: 'PUT', url: '/sla-policies', headers: ADMIN, payload: { ...NORMAL_DEFAULT, handling: { amount: 3, unit: 'working_days' } } });
    expect(put.statusCode, put.body).toBe(200);

    const second = await submitAndReadHandling();
    const expected = rules.calendar.addWorkingDays(second.dispatchedAt, 3);
    expect(second.handling).toMatchObject({ state: 'pending', basis: 'working', dueAt: expected.toISOString() });
    expect(second.handling.dueAt).not.toBe(rules.calendar.addWorkingDays(second.dispatchedAt, 5).toISOString());
    // The same answer as the preview from the dispatch moment.
    const p = (await sys.app.inject({ method: 'GET', url: `/deadlines/preview?from=${encodeURIComponent(second.dispatchedAt.toISOString())}` })).json();
    expect(p.deadlines.find((d: { kind: string }) => d.kind === 'handling').dueAt).toBe(expected.toISOString());

    const again = (await sys.app.inject({ method: 'GET', url: `/petitions/${first.petitionId}` })).json();
    expect(again.deadlines.find((d: { kind: string }) => d.kind === 'handling').dueAt).toBe(first.handling.dueAt);
  });
});
