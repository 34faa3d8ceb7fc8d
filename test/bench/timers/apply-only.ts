import { sql } from 'kysely';
import type { Redis } from 'ioredis';
import { createDb, timeRepo, type Db } from '@petitions/db';
import { QueueClient } from '@petitions/queue';
import { fireTimers } from '@petitions/scheduler';
import { applyCommands } from '@petitions/workflow-worker';
import { chunks } from '../lifecycle/data.js';
import { CpuMeter, type CpuUse } from '../lifecycle/cpu.js';
import { deletePrefix } from './redis.js';
import type { PickedTimer } from './data.js';

export interface ApplyOnlyResult {
  timers: number;
  fireBatch: number;
  applyBatch: number;
  applyLoops: number;
  /** fireTimers in batches, one after the other (as the scheduler's timer worker does, without BullMQ). */
  fireMs: number;
  /** applyCommands on the fired commands, `applyLoops` loops in parallel (as the worker's batches, without BullMQ). */
  applyMs: number;
  perSecond: number;
  escalated: number;
  cpu: CpuUse;
}

/**
 * Diagnostic: the same escalation's database path with no queue in between. `fireTimers` (the
 * scheduler's function: timers → fired, one command each) in pages of 1000 as the scheduler fires
 * them, then `applyCommands` (the worker's function) in batches of 250 (an applyBatch job) from
 * DB_POOL_SIZE loops, in this process.
 * fireTimers publishes the commands to a queue prefix no worker reads, so the running services do
 * not see them. The floor the real path could reach on this machine if BullMQ cost nothing.
 */
export async function runApplyOnly(
  benchDatabaseUrl: string, db: Db, redis: Redis, prefix: string, timers: readonly PickedTimer[],
  opts: { applyBatch: number; applyLoops: number }, pids: () => Record<string, number | undefined>,
): Promise<ApplyOnlyResult> {
  const diagPrefix = `${prefix}-diag`;
  const queues = new QueueClient(redis, { prefix: diagPrefix });
  const pool = createDb({ connectionString: benchDatabaseUrl, poolSize: opts.applyLoops, applicationName: 'bench-timers-apply-only', keyedBatches: true });
  const fireBatch = 1000; // the scheduler's page (fireDueTimers)
  const ids = timers.map((t) => t.timerId);
  // An hour ahead: beyond the pump's horizon and the sweep's reach, so only this diagnostic fires
  // them (fireTimers does not look at due_at; the command payload carries it).
  await sql`UPDATE timers SET due_at = now() + interval '1 hour' WHERE id = ANY(${ids}::uuid[])`.execute(db);
  try {
    const rules = await timeRepo.loadDeadlineRules(pool);
    const meter = new CpuMeter(pids);
    const t0 = performance.now();
    for (const batch of chunks(ids, fireBatch)) await fireTimers(pool, queues, batch);
    const t1 = performance.now();
    const refs = chunks(timers.map((t) => ({ commandId: t.timerId, petitionId: t.petitionId })), opts.applyBatch);
    let next = 0;
    await Promise.all(Array.from({ length: opts.applyLoops }, async () => {
      while (next < refs.length) await applyCommands(pool, refs[next++]!, { now: new Date(), rules });
    }));
    const t2 = performance.now();
    const cpu = meter.stop();
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM petition_events WHERE command_id = ANY(${ids}::uuid[]) AND type = 'HANDLING_DUE'`.execute(db);
    return {
      timers: ids.length, fireBatch, applyBatch: opts.applyBatch, applyLoops: opts.applyLoops,
      fireMs: t1 - t0, applyMs: t2 - t1, perSecond: (ids.length * 1000) / (t2 - t0), escalated: rows[0]!.n, cpu,
    };
  } finally {
    await queues.close();
    await deletePrefix(redis, diagPrefix);
    await pool.destroy();
  }
}
