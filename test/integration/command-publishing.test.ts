import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandPublisher, createRedisConnection, jobIds, QueueClient, redisReady } from '@petitions/queue';
import { createTestQueues, type TestQueues } from '../support/fixtures.js';
import { freePort, PrivateRedis } from '../support/processes.js';
import { noiseComplaint, startTestSystem, type TestSystem } from '../support/system.js';

/**
 * The API publishes commands as a group commit (CommandPublisher): alone when no add is under
 * way, together with the others recorded meanwhile otherwise; each waiting request still gets
 * its own outcome.
 */
const ref = () => ({ commandId: randomUUID(), petitionId: randomUUID() });

describe('CommandPublisher, on a real Redis', () => {
  let q: TestQueues;
  beforeAll(async () => { q = await createTestQueues(); });
  afterAll(async () => { await q.close(); });

  it('adds a command at once as its own job, and those recorded meanwhile as one group job, in order', async () => {
    const publisher = new CommandPublisher(q.queues, 4);
    const refs = Array.from({ length: 7 }, ref);
    const jobs = await Promise.all(refs.map((r) => publisher.publish(r, 1000)));
    // The first found nothing under way; the next six waited for it and split at the cap of 4.
    expect(jobs).toEqual([
      refs[0]!.commandId,
      ...Array(4).fill(jobIds.commandGroup(refs.slice(1, 5).map((r) => r.commandId))),
      ...Array(2).fill(jobIds.commandGroup(refs.slice(5).map((r) => r.commandId))),
    ]);
    const queue = q.queues.queue('commands');
    const single = await queue.getJob(jobs[0]!);
    expect(single?.name).toBe('apply');
    expect(single?.data).toEqual(refs[0]);
    const group = await queue.getJob(jobs[1]!);
    expect(group?.name).toBe('applyGroup');
    expect(group?.data).toEqual({ commands: refs.slice(1, 5) });
    expect((await queue.getJob(jobs[5]!))?.data).toEqual({ commands: refs.slice(5) });

    // Later, at a quiet moment: alone again.
    const late = ref();
    expect(await publisher.publish(late, 1000)).toBe(late.commandId);
  });

  it('names a group by all its commands: a retried command in a new group does not hide the others', async () => {
    const publisher = new CommandPublisher(q.queues);
    const [retried, first, second] = [ref(), ref(), ref()];
    // Each time one command finds nothing under way and goes alone; the next two wait and go together.
    const earlier = await Promise.all([ref(), retried, first].map((r) => publisher.publish(r, 1000)));
    const later = await Promise.all([ref(), retried, second].map((r) => publisher.publish(r, 1000)));
    expect(later[1]).not.toBe(earlier[1]);
    const queue = q.queues.queue('commands');
    expect((await queue.getJob(earlier[1]!))?.data).toEqual({ commands: [retried, first] });
    expect((await queue.getJob(later[1]!))?.data).toEqual({ commands: [retried, second] });
  });

  it('fails every command of a group Redis does not take, and goes on with the next', async () => {
    const redis = new PrivateRedis(await freePort());
    await redis.start();
    const conn = createRedisConnection(redis.url, 'producer');
    try {
      await redisReady(conn);
      await redis.stop();
      const publisher = new CommandPublisher(new QueueClient(conn, q.settings));
      const results = await Promise.allSettled([ref(), ref(), ref()].map((r) => publisher.publish(r, 200)));
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
      expect((results[0] as PromiseRejectedResult).reason).toBeInstanceOf(Error);
      // Not stuck behind the failed add: a later command gets its own answer.
      await expect(publisher.publish(ref(), 200)).rejects.toThrow();
    } finally {
      conn.disconnect();
      await redis.dispose();
    }
  });
});

describe('API requests at the same moment', () => {
  let sys: TestSystem;
  // Requests wait far longer than the test may run: each answer must come from its job's outcome,
  // not from the read of Postgres that ends a wait that heard nothing.
  beforeAll(async () => { sys = await startTestSystem({ commandWaitMs: 30_000 }); });
  afterAll(async () => { await sys.close(); });

  it('travel in group jobs and each gets its own petition, dispatched, from its job\'s outcome', async () => {
    const n = 40;
    const answers = await Promise.all(Array.from({ length: n }, (_, i) => sys.app.inject({
      method: 'POST', url: '/petitions',
      payload: noiseComplaint(sys.refs, { contact: { name: '王小明', phone: `1380000${String(i).padStart(4, '0')}` } }),
    })));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(n).fill(201));
    const bodies = answers.map((a) => a.json<{ petitionId: string; trackingNo: string; state: string }>());
    expect(bodies.every((b) => b.state === 'dispatched')).toBe(true);
    expect(new Set(bodies.map((b) => b.petitionId)).size).toBe(n);
    expect(new Set(bodies.map((b) => b.trackingNo)).size).toBe(n);

    const completed = await sys.q.queues.queue('commands').getJobs(['completed']);
    const groups = completed.filter((j) => j.name === 'applyGroup');
    expect(groups.length).toBeGreaterThan(0);
    const carried = completed.flatMap((j) => (j.name === 'applyGroup' ? (j.data as { commands: { petitionId: string }[] }).commands.map((c) => c.petitionId) : [(j.data as { petitionId: string }).petitionId]));
    expect(carried.sort()).toEqual(bodies.map((b) => b.petitionId).sort());
  });
});
