import { UnrecoverableError, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Db } from '@petitions/db';
import { startWorker, type QueueSettings } from '@petitions/queue';
import type { Logger } from '@petitions/runtime';
import { applyCommands, type CommandOutcome } from './apply-commands.js';
import { MicroBatcher } from './batcher.js';

export interface CommandWorkerOptions {
  db: Db;
  connection: Redis;
  queue: QueueSettings;
  logger: Logger;
  concurrency: number;
  batchSize: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** Test-only fault point: called after a batch commits, before any job is acknowledged. */
  afterCommit?: (commandIds: string[]) => void;
}

/**
 * The BullMQ worker for the command queue. Jobs processed concurrently are applied together,
 * one transaction per batch, which is what lets the engine outrun one-transaction-per-write.
 */
export function startCommandWorker(opts: CommandWorkerOptions): Worker {
  const batcher = new MicroBatcher<string, CommandOutcome>(opts.batchSize, async (ids) => {
    const outcomes = await applyCommands(opts.db, ids);
    opts.afterCommit?.(ids);
    return outcomes;
  });
  const worker = startWorker('commands', {
    apply: async ({ commandId, petitionId }, job) => {
      const outcome = await batcher.add(commandId);
      if (outcome.status === 'missing') throw new UnrecoverableError(`Command ${commandId} does not exist`);
      if (outcome.status === 'rejected') {
        opts.logger.info({ jobId: job.id, petitionId, code: outcome.code }, 'command rejected');
      }
      return outcome;
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
