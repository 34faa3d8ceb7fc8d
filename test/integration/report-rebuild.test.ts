import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { reportsRepo } from '@petitions/db';
import { OPEN_STATES, REPORT_COUNTERS } from '@petitions/domain';
import { fireDueTimers, foldReportsOnce } from '@petitions/scheduler';
import { applyCommands } from '@petitions/workflow-worker';
import { mulberry32 } from '../support/random.js';
import { noiseComplaint, startTestSystem, type TestSystem } from '../support/system.js';

/**
 * A random lifecycle workload (seeded, so a failure can be replayed): petitions submitted,
 * signed for, returned, re-dispatched, completed, rated, redone, suspended, withdrawn, left to
 * run past their deadlines, with commands applied in random batches across petitions, and the
 * report backlog folded now and then in random slices by two folders at once. The rollups so
 * kept must equal the ones rebuilt from the event log.
 */
let sys: TestSystem;
beforeAll(async () => { sys = await startTestSystem({ worker: false, commandWaitMs: 0 }); });
afterAll(async () => { await sys.close(); });

const SEED = Number(process.env.REPORT_REBUILD_SEED ?? 20261122);

describe('report rollups', () => {
  it(`equal their rebuild from the event log after a random workload (seed ${SEED})`, async () => {
    const random = mulberry32(SEED);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const cgj = sys.refs.unit('zz-js-cgj');
    const units = [cgj, sys.refs.unit('zz-js-jtj')];
    const handlerOf = (unit: string) => ({ 'x-actor-id': 'h', 'x-actor-role': 'handler', 'x-actor-unit': unit });
    const headOf = (unit: string) => ({ 'x-actor-id': 'boss', 'x-actor-role': 'department_head', 'x-actor-unit': unit });
    const dispatcher = { 'x-actor-id': 'd', 'x-actor-role': 'dispatcher' };
    const followUp = { 'x-actor-id': 'f', 'x-actor-role': 'follow_up' };
    const streets = ['zz-js-duling', 'zz-js-jingbalu'].map((c) => sys.refs.unit(c));
    const channels = ['hotline', 'web', 'mobile', 'walk_in'];

    let clock = new Date('2026-04-01T01:00:00Z').getTime();
    const ids: string[] = [];
    const applyPendingInBatches = async () => {
      const rows = await sys.tdb.db.selectFrom('commands').select(['id', 'petition_id']).where('status', '=', 'pending').orderBy('created_at').execute();
      for (let i = 0; i < rows.length;) {
        const size = 1 + Math.floor(random() * 6);
        const batch = rows.slice(i, i + size);
        await applyCommands(sys.tdb.db, batch.map((r) => ({ commandId: r.id, petitionId: r.petition_id })), { now: new Date(clock) });
        i += size;
      }
    };
    const send = async (id: string, action: string, body: Record<string, unknown>, headers: Record<string, string>) => {
      const res = await sys.app.inject({ method: 'POST', url: `/petitions/${id}/${action}`, headers, payload: body });
      expect([202, 409], res.body).toContain(res.statusCode);
    };

    for (let step = 0; step < 260; step++) {
      clock += Math.floor(random() * 2 * 3_600_000);
      if (ids.length < 40 && (ids.length < 5 || random() < 0.25)) {
        const res = await sys.app.inject({
          method: 'POST', url: '/petitions',
          payload: noiseComplaint(sys.refs, { channel: pick(channels), streetId: pick(streets), urgency: pick(['normal', 'normal', 'emergency']) }),
        });
        expect(res.statusCode, res.body).toBe(202);
        await sys.tdb.db.updateTable('petitions').set({ created_at: new Date(clock) }).where('id', '=', res.json().petitionId).execute();
        ids.push(res.json().petitionId);
      } else {
        // Work on the petitions still going, so the workload reaches ratings and redos.
        // In registration order: the seed alone decides the path, not where Postgres (or autovacuum) put the rows.
        const going = await sys.tdb.db.selectFrom('petitions').select(['id', 'state', 'lead_unit_id']).where('id', 'in', ids).where('state', '!=', 'closed')
          .orderBy('tracking_no').execute();
        if (going.length === 0) continue;
        const p = pick(going);
        const id = p.id;
        const lead = p.lead_unit_id ?? cgj;
        const r = random();
        switch (p.state) {
          case 'dispatched':
            if (r < 0.7) await send(id, 'sign-for', {}, handlerOf(lead));
            else if (r < 0.9) await send(id, 'return', { reason: '不属于本单位职责' }, handlerOf(lead));
            else await send(id, 'redispatch', { leadUnitId: pick(units), reason: '改派' }, dispatcher);
            break;
          case 'awaitingDispatch':
            await send(id, 'dispatch', { leadUnitId: pick(units) }, dispatcher);
            break;
          case 'handling':
            if (r < 0.6) await send(id, 'complete', { result: '已处理', resolved: random() < 0.8 }, handlerOf(lead));
            else if (r < 0.7) await send(id, 'suspension-requests', { reason: '等待法院裁定' }, handlerOf(lead));
            else if (r < 0.8) await send(id, 'suspension-decisions', { approve: true }, headOf(lead));
            else if (r < 0.9) await send(id, 'notes', { text: '已现场查看', visibility: 'public' }, handlerOf(lead));
            else await send(id, 'withdraw', { reason: '群众撤诉' }, followUp);
            break;
          case 'suspended':
            await send(id, 'resume', {}, handlerOf(lead));
            break;
          case 'awaitingFeedback':
            if (r < 0.85) await send(id, 'rate', { satisfaction: pick(['satisfied', 'satisfied', 'basically_satisfied', 'dissatisfied']), resolved: random() < 0.7 }, followUp);
            break;
          default:
            break;
        }
      }
      if (random() < 0.5) await applyPendingInBatches();
      // Now and then the scheduler's fold runs, as two folders at once taking small slices.
      if (random() < 0.1) {
        const slice = 1 + Math.floor(random() * 40);
        await Promise.all([foldReportsOnce(sys.tdb.db, slice), foldReportsOnce(sys.tdb.db, slice)]);
      }
      // Now and then the clock jumps days ahead and every due deadline fires (overdue, no feedback).
      if (random() < 0.04) {
        clock += Math.floor((1 + random() * 8) * 86_400_000);
        await fireDueTimers(sys.tdb.db, sys.q.queues, new Date(clock));
      }
    }
    await applyPendingInBatches();
    await foldReportsOnce(sys.tdb.db);
    expect(await reportsRepo.backlogSize(sys.tdb.db)).toBe(0);

    const snapshot = async () => ({
      daily: await sys.tdb.db.selectFrom('report_daily').selectAll().orderBy('dim').orderBy('district_id').orderBy('day').orderBy('key').execute(),
      monthly: await sys.tdb.db.selectFrom('report_monthly').selectAll().orderBy('dim').orderBy('district_id').orderBy('month').orderBy('key').execute(),
      open: (await sys.tdb.db.selectFrom('report_open').selectAll().orderBy('dim').orderBy('district_id').orderBy('key').execute())
        .filter((r) => r.open !== 0 || r.overdue !== 0),
    });
    const live = await snapshot();
    // The workload reached the measures the rebuild must reproduce.
    const totals = live.daily.filter((r) => r.dim === 'channel').reduce((a, r) => ({
      received: a.received + r.received, returned: a.returned + r.returned, completed: a.completed + r.completed,
      rated: a.rated + r.rated, redone: a.redone + r.redone, noFeedback: a.noFeedback + r.no_feedback,
    }), { received: 0, returned: 0, completed: 0, rated: 0, redone: 0, noFeedback: 0 });
    expect(totals.received).toBe(ids.length);
    for (const [k, v] of Object.entries(totals)) expect(v, k).toBeGreaterThan(0);
    // Deadlines passed during the workload (the overdue counts went up and, mostly, down again).
    const overdueEvents = await sys.tdb.db.selectFrom('petition_events').select('id').where('type', '=', 'HANDLING_DUE').execute();
    expect(overdueEvents.length).toBeGreaterThan(0);
    // Open counts never go negative and agree with the petitions' states.
    const openNow = await sys.tdb.db.selectFrom('petitions').select((eb) => eb.fn.countAll<string>().as('n'))
      .where('state', 'in', [...OPEN_STATES]).executeTakeFirstOrThrow();
    expect(live.open.filter((r) => r.dim === 'channel').reduce((a, r) => a + r.open, 0)).toBe(Number(openNow.n));
    expect(live.open.every((r) => r.open >= 0 && r.overdue >= 0)).toBe(true);
    // The month grain holds the days' sums, row for row (the workload spans several months).
    const { rows: fromDays } = await sql<Record<string, unknown>>`
      SELECT dim, district_id, date_trunc('month', day)::date AS month, key,
        ${sql.join(REPORT_COUNTERS.map((c) => sql`sum(${sql.ref(c)})::float8 AS ${sql.ref(c)}`))},
        report_hist_sum(sign_hist) AS sign_hist, report_hist_sum(complete_hist) AS complete_hist
      FROM report_daily GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`.execute(sys.tdb.db);
    expect(new Set(live.monthly.map((r) => r.month)).size).toBeGreaterThan(1);
    expect(live.monthly.map((r) => ({ ...r, ...Object.fromEntries(REPORT_COUNTERS.map((c) => [c, Number(r[c])])) }))).toEqual(fromDays);

    const { events } = await sys.tdb.db.transaction().execute((trx) => reportsRepo.rebuildRollups(trx));
    expect(events).toBeGreaterThan(ids.length);
    expect(await snapshot()).toEqual(live);
  });
});
