import { afterEach, describe, expect, it } from 'vitest';
import { applyCommands } from '@petitions/workflow-worker';
import { relayOutboxOnce, sweepOnce } from '@petitions/scheduler';
import { buildApp, OutcomeWaiter, ReferenceCache } from '@petitions/api';
import { createRedisConnection, QueueClient, redisReady } from '@petitions/queue';
import { eventually, testKeys } from '../support/fixtures.js';
import { freePort, PrivateRedis, startService } from '../support/processes.js';
import { noiseComplaint, startTestSystem, TEST_AUTH, type TestSystem } from '../support/system.js';

let sys: TestSystem | undefined;
let redis: PrivateRedis | undefined;
afterEach(async () => {
  await sys?.close();
  await redis?.dispose();
  sys = undefined;
  redis = undefined;
});

async function eventsOf(s: TestSystem, petitionId: string) {
  return s.tdb.db.selectFrom('petition_events').select(['type', 'seq']).where('petition_id', '=', petitionId).orderBy('seq').execute();
}

describe('the write path under faults', () => {
  it('applies a job delivered twice only once', async () => {
    sys = await startTestSystem({ worker: false, commandWaitMs: 0 });
    const res = await sys.app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs) });
    expect(res.statusCode).toBe(202);
    const { commandId, petitionId } = res.json();
    // Two deliveries at once (two workers) and one more after: the row lock and the inbox status decide.
    const ref = [{ commandId, petitionId }];
    const [a, b] = await Promise.all([applyCommands(sys.tdb.db, ref), applyCommands(sys.tdb.db, ref)]);
    const c = await applyCommands(sys.tdb.db, ref);
    for (const outcome of [a, b, c]) expect(outcome.get(commandId)).toMatchObject({ status: 'applied', result: { state: 'dispatched', version: 1 } });
    expect(await eventsOf(sys, petitionId)).toEqual([{ type: 'SUBMIT', seq: 1 }]);
    const tasks = await sys.tdb.db.selectFrom('tasks').select('role').where('petition_id', '=', petitionId).execute();
    expect(tasks.filter((t) => t.role === 'lead')).toHaveLength(1);
    const outbox = await sys.tdb.db.selectFrom('outbox').select('job_id').execute();
    expect(new Set(outbox.map((o) => o.job_id)).size).toBe(outbox.length);
  });

  it('does not apply a command again when the worker dies between commit and ack', async () => {
    sys = await startTestSystem({ worker: false, commandWaitMs: 0, stalledIntervalMs: 1000 });
    const crashing = startService('services/workflow-worker/src/main.ts', {
      DATABASE_URL: sys.tdb.url, REDIS_URL: process.env.REDIS_URL!, QUEUE_PREFIX: sys.q.settings.prefix,
      LOG_LEVEL: 'info', PETITIONS_FAULT: 'crash-after-commit',
      WORKER_LOCK_DURATION_MS: '1000', WORKER_STALLED_INTERVAL_MS: '1000',
    });
    try {
      await crashing.waitForOutput('workflow-worker ready');
      const res = await sys.app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs) });
      const { commandId, petitionId } = res.json();
      expect(await crashing.exited).toBe(86);
      // Committed, but BullMQ never heard: the job is still active under a lock that will expire.
      const row = await sys.tdb.db.selectFrom('commands').select('status').where('id', '=', commandId).executeTakeFirstOrThrow();
      expect(row.status).toBe('applied');
      const job = await sys.q.queues.queue('commands').getJob(commandId);
      expect(await job?.getState()).toBe('active');

      // A healthy worker takes the stalled job back and finds the command already applied.
      const { startCommandWorker } = await import('@petitions/workflow-worker');
      const { createLogger } = await import('@petitions/runtime');
      const worker = startCommandWorker({
        db: sys.tdb.db, connection: sys.q.workerConnection(), queue: sys.q.settings, logger: createLogger('t', 'silent'),
        concurrency: 4, batchSize: 4, maxBatchesInFlight: 2, lockDurationMs: 1000, stalledIntervalMs: 1000,
      });
      try {
        await eventually(async () => (await sys!.q.queues.queue('commands').getJob(commandId))?.isCompleted(), 20_000, 100);
      } finally {
        await worker.close();
      }
      expect(await eventsOf(sys, petitionId)).toEqual([{ type: 'SUBMIT', seq: 1 }]);
      const p = await sys.tdb.db.selectFrom('petitions').select(['state', 'version']).where('id', '=', petitionId).executeTakeFirstOrThrow();
      expect(p).toEqual({ state: 'dispatched', version: 1 });
    } finally {
      await crashing.kill();
    }
  });

  it('publishes commands written while Redis was down once it is back', async () => {
    sys = await startTestSystem({ commandWaitMs: 3000 });
    // An API whose Redis is down: it can write to Postgres but cannot publish.
    redis = new PrivateRedis(await freePort());
    await redis.start();
    const deadProducer = createRedisConnection(redis.url, 'producer');
    await redisReady(deadProducer);
    await redis.stop();
    const waiter = new OutcomeWaiter(sys.tdb.db, sys.q.workerConnection(), sys.q.settings.prefix);
    const outageApp = await buildApp({
      db: sys.tdb.db, redis: deadProducer, queues: new QueueClient(deadProducer, sys.q.settings), waiter, reference: new ReferenceCache(sys.tdb.db),
      keys: testKeys(), commandWaitMs: 3000, enqueueTimeoutMs: 300, auth: TEST_AUTH,
    });
    try {
      const res = await outageApp.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs) });
      // Saved in Postgres: the clerk gets the tracking number even though Redis is gone.
      expect(res.statusCode).toBe(202);
      expect(res.json()).toMatchObject({ status: 'pending', trackingNo: expect.stringMatching(/^\d{16}$/) });
      const { commandId, petitionId } = res.json();
      expect(await sys.q.queues.queue('commands').getJob(commandId)).toBeUndefined();

      // Redis is back (the scheduler reaches it): the sweep publishes the command, the worker applies it.
      const swept = await sweepOnce(sys.tdb.db, sys.q.queues, { staleAfterMs: 0, lateAfterMs: 0 });
      expect(swept.commandsRepublished).toBe(1);
      await eventually(async () => {
        const r = await sys!.tdb.db.selectFrom('commands').select('status').where('id', '=', commandId).executeTakeFirstOrThrow();
        return r.status === 'applied';
      }, 20_000, 50);
      expect(await eventsOf(sys, petitionId)).toEqual([{ type: 'SUBMIT', seq: 1 }]);
      expect((await sweepOnce(sys.tdb.db, sys.q.queues, { staleAfterMs: 0, lateAfterMs: 0 })).commandsRepublished).toBe(0);
      const polled = await sys.app.inject({ method: 'GET', url: `/commands/${commandId}` });
      expect(polled.json()).toMatchObject({ status: 'applied', state: 'dispatched' });

      // A relay that cannot reach Redis fails the pass without blaming (dead-lettering) any row.
      await expect(relayOutboxOnce(sys.tdb.db, new QueueClient(deadProducer, sys.q.settings), 500, () => new Date(), 300)).rejects.toThrow();
      const rows = await sys.tdb.db.selectFrom('outbox').select(['attempts', 'published_at']).execute();
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.attempts === 0 && r.published_at === null)).toBe(true);
    } finally {
      await outageApp.close();
      await waiter.close();
      deadProducer.disconnect();
    }
  });

  it('relays each outbox row once under a deterministic job id, even when a relay repeats', async () => {
    // A horizon of a month: every deadline goes to Redis through the outbox, none waits for the pump.
    sys = await startTestSystem({ timerHorizonMs: 30 * 86_400_000 });
    const res = await sys.app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs) });
    expect(res.statusCode).toBe(201);
    const rows = await sys.tdb.db.selectFrom('outbox').selectAll().execute();
    // Dispatch schedules the sign-for and handling deadlines and the reminder, tells the resident and the lead unit.
    expect(rows.map((r) => r.queue).sort()).toEqual(['notifications', 'notifications', 'timers', 'timers', 'timers']);
    const [n1, n2] = await Promise.all([relayOutboxOnce(sys.tdb.db, sys.q.queues), relayOutboxOnce(sys.tdb.db, sys.q.queues)]);
    expect(n1 + n2).toBe(rows.length);
    // Simulate a relay that died after adding the jobs but before its commit: the rows come round again.
    await sys.tdb.db.updateTable('outbox').set({ published_at: null }).execute();
    expect(await relayOutboxOnce(sys.tdb.db, sys.q.queues)).toBe(rows.length);
    const timers = await sys.q.queues.queue('timers').getJobCounts('delayed', 'waiting');
    const notifications = await sys.q.queues.queue('notifications').getJobCounts('waiting');
    expect((timers.delayed ?? 0) + (timers.waiting ?? 0)).toBe(3);
    expect(notifications.waiting).toBe(2);
    const timerRow = rows.find((r) => r.queue === 'timers')!;
    const job = await sys.q.queues.queue('timers').getJob(timerRow.job_id);
    expect(job?.data).toEqual({ timerId: expect.any(String), petitionId: res.json().petitionId });
    expect(await job?.isDelayed()).toBe(true);
  });

  it('does not let one unpublishable outbox row block the others', async () => {
    sys = await startTestSystem();
    await sys.app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs) });
    const good = await sys.tdb.db.selectFrom('outbox').select('id').execute();
    // A row no queue will accept (BullMQ refuses ':' in custom ids), written before the others were relayed.
    await sys.tdb.db.insertInto('outbox').values({ queue: 'notifications', job_name: 'deliver', job_id: 'bad:id', payload: JSON.stringify({}) }).execute();
    expect(await relayOutboxOnce(sys.tdb.db, sys.q.queues)).toBe(good.length);
    const bad = await sys.tdb.db.selectFrom('outbox').select(['attempts', 'last_error', 'published_at']).where('job_id', '=', 'bad:id').executeTakeFirstOrThrow();
    expect(bad).toMatchObject({ attempts: 1, published_at: null });
    expect(bad.last_error).toContain('cannot contain');
    for (let i = 0; i < 6; i++) await relayOutboxOnce(sys.tdb.db, sys.q.queues);
    // Dead-lettered after five tries: left for an admin, no longer retried.
    expect((await sys.tdb.db.selectFrom('outbox').select('attempts').where('job_id', '=', 'bad:id').executeTakeFirstOrThrow()).attempts).toBe(5);
  });

  it('keeps personal data out of queue payloads', async () => {
    sys = await startTestSystem({ worker: false, commandWaitMs: 0 });
    const res = await sys.app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs, { contact: { name: '赵敏', phone: '13800009999', address: '金水区某路1号' } }) });
    const job = await sys.q.queues.queue('commands').getJob(res.json().commandId);
    expect(job?.data).toEqual({ commandId: res.json().commandId, petitionId: res.json().petitionId });
    const raw = JSON.stringify(await sys.q.producer.hgetall(`${sys.q.settings.prefix}:commands:${res.json().commandId}`));
    for (const secret of ['赵敏', '13800009999', '金水区某路1号']) expect(raw).not.toContain(secret);
  });
});
