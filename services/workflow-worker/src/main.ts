import { parseEnv, WorkerEnv } from '@petitions/config';
import { createDb } from '@petitions/db';
import { createRedisConnection } from '@petitions/queue';
import { createLogger, runService } from '@petitions/runtime';
import { startCommandWorker } from './command-worker.js';

const config = parseEnv(WorkerEnv);
const logger = createLogger('workflow-worker', config.LOG_LEVEL);

await runService('workflow-worker', logger, config.SHUTDOWN_TIMEOUT_MS, async () => {
  const db = createDb({ connectionString: config.DATABASE_URL, poolSize: config.DB_POOL_SIZE, applicationName: 'workflow-worker', keyedBatches: true });
  const connection = createRedisConnection(config.REDIS_URL, 'worker');
  // Fault injection for the crash tests: die after a commit, before BullMQ hears the job is done.
  const crashAfterCommit = process.env.PETITIONS_FAULT === 'crash-after-commit';
  const worker = startCommandWorker({
    db, connection, logger, queue: { prefix: config.QUEUE_PREFIX },
    concurrency: config.WORKER_CONCURRENCY, batchSize: config.WORKER_BATCH_SIZE, maxBatchesInFlight: config.WORKER_BATCHES_IN_FLIGHT,
    extraBatchFrom: config.WORKER_EXTRA_BATCH_FROM,
    timerHorizonMs: config.TIMER_HORIZON_MS, lockDurationMs: config.WORKER_LOCK_DURATION_MS, stalledIntervalMs: config.WORKER_STALLED_INTERVAL_MS,
    ...(crashAfterCommit ? { afterCommit: () => process.exit(86) } : {}),
  });
  await worker.waitUntilReady();
  logger.info({ concurrency: config.WORKER_CONCURRENCY, batchSize: config.WORKER_BATCH_SIZE }, 'workflow-worker ready');
  return {
    drain: () => worker.close(),
    close: async () => {
      connection.disconnect();
      await db.destroy();
    },
  };
});
