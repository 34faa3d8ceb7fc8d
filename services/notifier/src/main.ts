import { NotifierEnv, parseEnv } from '@petitions/config';
import { createDb } from '@petitions/db';
import { createRedisConnection } from '@petitions/queue';
import { createLogger, runService } from '@petitions/runtime';
import { channelFromConfig } from './channels/index.js';
import { startNotifierWorker } from './worker.js';

const config = parseEnv(NotifierEnv);
const logger = createLogger('notifier', config.LOG_LEVEL);

await runService('notifier', logger, config.SHUTDOWN_TIMEOUT_MS, async () => {
  // Checked before anything else starts: a refused or unresolvable webhook target stops the service here.
  const channel = await channelFromConfig(config);
  const db = createDb({ connectionString: config.DATABASE_URL, poolSize: config.DB_POOL_SIZE, applicationName: 'notifier' });
  const connection = createRedisConnection(config.REDIS_URL, 'worker');
  const worker = startNotifierWorker({
    db, connection, queue: { prefix: config.QUEUE_PREFIX }, logger, channel,
    maxAttempts: config.NOTIFIER_MAX_ATTEMPTS, backoffMs: config.NOTIFIER_BACKOFF_MS,
    // Each delivery holds a pooled connection while it sends (its row is locked), so no more at once than the pool.
    concurrency: Math.min(10, config.DB_POOL_SIZE),
  });
  await worker.waitUntilReady();
  logger.info({ channel: channel.name, maxAttempts: config.NOTIFIER_MAX_ATTEMPTS, backoffMs: config.NOTIFIER_BACKOFF_MS }, 'notifier ready');
  return {
    drain: () => worker.close(),
    close: async () => {
      connection.disconnect();
      await db.destroy();
    },
  };
});
