import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Worker } from 'bullmq';
import { jobIds } from '@petitions/queue';
import { createLogger } from '@petitions/runtime';
import { sql } from 'kysely';
import { RedisEpoch, relayOutboxOnce, startTimerWorker, sweepOnce, TimerPump, timerTick } from '@petitions/scheduler';
import { eventually } from '../support/fixtures.js';
import { freePort, PrivateRedis } from '../support/processes.js';
import { noiseComplaint, startTestSystem, type TestSystem } from '../support/system.js';

/**
 * Redis loses everything (FLUSHALL) while deadlines are pending and a command waits to be
 * published. The scheduler notices its marker is gone and rebuilds Redis from Postgres; a
 * deadline that fell due during the outage fires once afterwards. A Redis of the test's own,
 * so FLUSHALL touches nobody else.
 */
let redis: PrivateRedis;
let sys: TestSystem;
let timerWorker: Worker;
let pump: TimerPump;
let epoch: RedisEpoch;

beforeAll(async () => {
  redis = new PrivateRedis(await freePort());
  await redis.start();
  sys = await startTestSystem({ redisUrl: redis.url });
  timerWorker = startTimerWorker(sys.tdb.db, sys.q.queues, sys.q.workerConnection(), sys.q.settings, createLogger('test-timers', 'silent'));
  await timerWorker.waitUntilReady();
  pump = new TimerPump(sys.tdb.db, sys.q.queues, 10 * 60_000);
  epoch = new RedisEpoch(sys.q.producer, `${sys.q.settings.prefix}:epoch`);
});
afterAll(async () => {
  await timerWorker.close();
  await sys.close();
  await redis.dispose();
});

const secondsFromNow = (s: number) => new Date(Date.now() + s * 1000);

async function eventCount(petitionId: string, type: string): Promise<number> {
  return (await sys.tdb.db.selectFrom('petition_events').select('id').where('petition_id', '=', petitionId).where('type', '=', type).execute()).length;
}

describe('recovery after Redis loses everything', () => {
  it('rebuilds pending timers and unpublished commands from Postgres, and fires a deadline due during the outage once', async () => {
    const a = (await sys.app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs) })).json();
    const b = (await sys.app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs, { title: '另一处夜市噪音' }) })).json();
    expect([a.state, b.state]).toEqual(['dispatched', 'dispatched']);
    const signFor = async (id: string) => sys.tdb.db.selectFrom('timers').selectAll().where('petition_id', '=', id).where('kind', '=', 'sign_for').executeTakeFirstOrThrow();
    const timerA = await signFor(a.petitionId);
    const timerB = await signFor(b.petitionId);
    // B's deadline is five minutes away: within the horizon, so the pump mirrors it into Redis as
    // the delayed job of its second.
    const dueB = secondsFromNow(300);
    await sys.tdb.db.updateTable('timers').set({ due_at: dueB }).where('id', '=', timerB.id).execute();
    const secondOfB = jobIds.dueAt(dueB.getTime());
    // The scheduler's first pass (no marker yet) mirrors it and sets the marker; the next is a plain pump.
    expect((await timerTick(sys.tdb.db, sys.q.queues, pump, epoch)).rebuilt).toBe(true);
    expect((await timerTick(sys.tdb.db, sys.q.queues, pump, epoch)).rebuilt).toBe(false);
    expect(await (await sys.q.queues.queue('timers').getJob(secondOfB))?.isDelayed()).toBe(true);

    // The relay has queued A's messages (receipt, new task); nobody has delivered them yet.
    await relayOutboxOnce(sys.tdb.db, sys.q.queues);
    const receiptKey = (await sys.tdb.db.selectFrom('outbox').select('job_id').where('queue', '=', 'notifications')
      .where(sql<boolean>`payload->>'petitionId' = ${a.petitionId as string} AND payload->>'template' = 'petition_received'`).executeTakeFirstOrThrow()).job_id;
    expect(await sys.q.queues.queue('notifications').getJob(receiptKey)).toBeDefined();

    // Redis loses everything.
    await sys.q.producer.flushall();
    expect(await sys.q.queues.queue('timers').getJob(secondOfB)).toBeUndefined();
    // Meanwhile A's deadline falls due (nothing in Redis can fire it), and a clerk's note is recorded
    // in Postgres whose job is lost with the rest.
    await sys.tdb.db.updateTable('timers').set({ due_at: secondsFromNow(-2) }).where('id', '=', timerA.id).execute();
    const noteId = randomUUID();
    await sys.tdb.db.insertInto('commands').values({
      id: noteId, petition_id: a.petitionId, type: 'NOTE', payload: JSON.stringify({ text: '已电话联系市民', visibility: 'internal' }),
      actor_id: 'demo-clerk', actor_role: 'clerk', actor_unit_id: null,
    }).execute();

    const rebuild = await timerTick(sys.tdb.db, sys.q.queues, pump, epoch);
    expect(rebuild).toMatchObject({ rebuilt: true });
    expect(rebuild.commandsRepublished).toBeGreaterThanOrEqual(1);
    expect(rebuild.timersMirrored).toBeGreaterThanOrEqual(2);
    // Undelivered messages are queued again by the relay.
    expect(rebuild.notificationsRequeued).toBeGreaterThanOrEqual(2);
    await relayOutboxOnce(sys.tdb.db, sys.q.queues);
    expect(await sys.q.queues.queue('notifications').getJob(receiptKey)).toBeDefined();

    // The overdue deadline fires at once, the lost command is applied, the near-term one waits in Redis again.
    await eventually(async () => (await eventCount(a.petitionId, 'SIGN_FOR_DUE')) === 1);
    await eventually(async () => (await sys.tdb.db.selectFrom('commands').select('status').where('id', '=', noteId).executeTakeFirst())?.status === 'applied');
    expect(await (await sys.q.queues.queue('timers').getJob(secondOfB))?.isDelayed()).toBe(true);

    // Nothing twice: more passes, a late sweep from Postgres, the marker intact.
    expect((await timerTick(sys.tdb.db, sys.q.queues, pump, epoch)).rebuilt).toBe(false);
    expect((await sweepOnce(sys.tdb.db, sys.q.queues, { staleAfterMs: 0, lateAfterMs: 0 })).lateTimersFired).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(await eventCount(a.petitionId, 'SIGN_FOR_DUE')).toBe(1);
    expect(await eventCount(a.petitionId, 'NOTE')).toBe(1);
    expect((await sys.tdb.db.selectFrom('commands').select('id').where('id', '=', timerA.id).execute())).toHaveLength(1);
    expect((await sys.tdb.db.selectFrom('timers').select('state').where('id', '=', timerA.id).executeTakeFirstOrThrow()).state).toBe('fired');
  });

  it('keeps one delayed job per instant in Redis however many deadlines fall at it, and fires them all once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      ids.push((await sys.app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs, { title: `同一秒到期 ${i}` }) })).json().petitionId);
    }
    // All twelve sign-for deadlines fall at the same instant, two seconds from now.
    const second = Math.ceil(Date.now() / 1000) * 1000 + 2000;
    await sys.tdb.db.updateTable('timers').set({ due_at: new Date(second) }).where('petition_id', 'in', ids).where('kind', '=', 'sign_for').execute();
    const fresh = new TimerPump(sys.tdb.db, sys.q.queues, 10 * 60_000);
    expect(await fresh.pumpOnce()).toBeGreaterThanOrEqual(12);
    const delayed = await sys.q.queues.queue('timers').getDelayed();
    expect(delayed.filter((j) => j.id === jobIds.dueAt(second))).toHaveLength(1);
    expect(delayed.filter((j) => j.name === 'fire')).toHaveLength(0);
    // The one job fires all twelve; the worker applies them as one batch.
    for (const id of ids) await eventually(async () => (await eventCount(id, 'SIGN_FOR_DUE')) === 1);
    await fresh.pumpOnce();
    await new Promise((r) => setTimeout(r, 300));
    for (const id of ids) expect(await eventCount(id, 'SIGN_FOR_DUE')).toBe(1);
  });
});
