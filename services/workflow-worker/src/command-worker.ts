import { UnrecoverableError, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Db } from '@petitions/db';
import { startWorker, type CommandRef, type QueueSettings } from '@petitions/queue';
import { MicroBatcher, type Logger } from '@petitions/runtime';
import { applyCommands, type CommandOutcome } from './apply-commands.js';
import { DeadlineRulesCache } from './deadline-rules-cache.js';

export interface CommandWorkerOptions {
  db: Db;
  connection: Redis;
  queue: QueueSettings;
  logger: Logger;
  concurrency: number;
  batchSize: number;
  /** Batches running at once; more than the pool size only queues them inside the pool. */
  maxBatchesInFlight: number;
  /** Commands waiting before a batch starts beside a running one (1: whenever a slot is free). */
  extraBatchFrom?: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** Deadlines due sooner than this go to Redis at once; the scheduler pumps the rest (TIMER_HORIZON_MS). */
  timerHorizonMs?: number;
  /** The clock transitions are stamped with; tests inject one. */
  clock?: () => Date;
  /** How long the calendar and SLA policies are cached. */
  rulesTtlMs?: number;
  /** Test-only fault point: called after a batch commits, before any job is acknowledged. */
  afterCommit?: (commandIds: string[]) => void;
}

/**
 * The BullMQ worker for the command queue. Jobs processed concurrently are applied together,
 * one transaction per batch, which is what lets the engine outrun one-transaction-per-write.
 */
export function startCommandWorker(opts: CommandWorkerOptions): Worker {
  const rules = new DeadlineRulesCache(opts.db, opts.rulesTtlMs ?? 5000);
  const clock = opts.clock ?? (() => new Date());
  // Both job kinds apply through here: one transaction, then the test fault point.
  const apply = async (refs: readonly CommandRef[]) => {
    const byId = await applyCommands(opts.db, refs, { now: clock, rules: await rules.get(), timerHorizonMs: opts.timerHorizonMs });
    opts.afterCommit?.(refs.map((r) => r.commandId));
    return byId;
  };
  const batcher = new MicroBatcher<CommandRef, CommandOutcome>(opts.batchSize, async (refs) => {
    const byId = await apply(refs);
    return new Map(refs.map((r) => [r, byId.get(r.commandId) ?? { status: 'missing' as const }]));
  }, { maxInFlight: opts.maxBatchesInFlight, extraBatchFrom: opts.extraBatchFrom });
  const logRejected = (jobId: string | undefined, petitionId: string, outcome: CommandOutcome) => {
    if (outcome.status === 'rejected') opts.logger.info({ jobId, petitionId, code: outcome.code }, 'command rejected');
  };
  const worker = startWorker('commands', {
    // System commands that fell due together: applied in one transaction as they came.
    applyBatch: async ({ commands }) => {
      const byId = await apply(commands);
      const counts: Record<string, number> = {};
      for (const o of byId.values()) counts[o.status] = (counts[o.status] ?? 0) + 1;
      return counts;
    },
    apply: async ({ commandId, petitionId }, job) => {
      const outcome = await batcher.add({ commandId, petitionId });
      if (outcome.status === 'missing') throw new UnrecoverableError(`Command ${commandId} does not exist`);
      logRejected(job.id, petitionId, outcome);
      return outcome;
    },
    // API commands published together: they join the batches like single ones, and each waiting
    // request finds its own outcome in the job's return value.
    applyGroup: async ({ commands }, job) => {
      const outcomes = await Promise.all(commands.map((ref) => batcher.add(ref)));
      commands.forEach((ref, i) => logRejected(job.id, ref.petitionId, outcomes[i]!));
      return { outcomes: Object.fromEntries(commands.map((ref, i) => [ref.commandId, outcomes[i]])) };
    },
  }, opts.connection, opts.queue, {
    concurrency: opts.concurrency,
    maxStalledCount: 5,
    ...(opts.lockDurationMs ? { lockDuration: opts.lockDurationMs } : {}),
    ...(opts.stalledIntervalMs ? { stalledInterval: opts.stalledIntervalMs } : {}),
  });
  worker.on('failed', (job, err) => opts.logger.warn({ jobId: job?.id, err: err.message }, 'command job failed'));
  worker.on('error', (err) => opts.logger.error({ err: err.message }, 'command worker error'));
  return worker;
}
