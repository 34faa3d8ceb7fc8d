import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Db } from '@petitions/db';
import { startWorker, type QueueSettings } from '@petitions/queue';
import type { Logger } from '@petitions/runtime';
import type { DeliveryChannel } from './channels/channel.js';
import { deliverNotification, isUnrecoverable } from './deliver.js';

export interface NotifierWorkerOptions {
  db: Db;
  connection: Redis;
  queue: QueueSettings;
  logger: Logger;
  /** Where messages go; omitted: the local outbox. */
  channel?: DeliveryChannel;
  /** NOTIFIER_MAX_ATTEMPTS: attempts per delivery job (capped by the queue's own `attempts`). */
  maxAttempts: number;
  /** NOTIFIER_BACKOFF_MS: the first retry delay, doubled for each further one. */
  backoffMs: number;
  concurrency?: number;
}

const MAX_DELAY_MS = 3_600_000;

/**
 * The notifications queue's backoff: the registry names the custom type 'notifier' so that the
 * delay comes from the notifier's configuration rather than from whoever published the job.
 * `attemptsMade` counts failures so far (1 after the first), so the delays are b, 2b, 4b, ...
 */
export function notifierBackoff(backoffMs: number): (attemptsMade: number) => number {
  return (attemptsMade) => Math.min(MAX_DELAY_MS, Math.round(backoffMs * 2 ** Math.max(0, attemptsMade - 1)));
}

/** The BullMQ worker for the notifications queue. */
export function startNotifierWorker(opts: NotifierWorkerOptions): Worker {
  const { logger } = opts;
  const worker = startWorker('notifications', {
    deliver: async (data, job) => {
      const maxAttempts = Math.min(opts.maxAttempts, job.opts.attempts ?? 1);
      const result = await deliverNotification(opts.db, data, {
        ...(opts.channel ? { channel: opts.channel } : {}), attemptsMade: job.attemptsMade, maxAttempts,
      });
      logger.debug({ jobId: job.id, petitionId: data.petitionId, template: data.template, result }, 'notification');
      return result;
    },
  }, opts.connection, opts.queue, {
    concurrency: opts.concurrency ?? 10,
    settings: { backoffStrategy: notifierBackoff(opts.backoffMs) },
  });
  worker.on('failed', (job, err) => {
    if (!job) return;
    const data = job.data as { petitionId?: string; template?: string };
    const fields = { jobId: job.id, petitionId: data.petitionId, template: data.template, attempt: job.attemptsMade, err: err.message };
    if (isUnrecoverable(err) || job.attemptsMade >= (job.opts.attempts ?? 1)) logger.error(fields, 'notification failed for good (dead letter)');
    else logger.warn(fields, 'notification attempt failed; will retry');
  });
  worker.on('error', (err) => logger.error({ err: err.message }, 'notifier worker error'));
  return worker;
}
