import { NotifierEnv, parseEnv } from '@petitions/config';
import { createDb } from '@petitions/db';
import { createRedisConnection, startWorker } from '@petitions/queue';
import { createLogger, runService } from '@petitions/runtime';
import { deliverNotification } from './deliver.js';

const config = parseEnv(NotifierEnv);
const logger = createLogger('notifier', config.LOG_LEVEL);

await runService('notifier', logger, config.SHUTDOWN_TIMEOUT_MS, async () => {
  const db = createDb({ connectionString: config.DATABASE_URL, poolSize: config.DB_POOL_SIZE, applicationName: 'notifier' });
  const connection = createRedisConnection(config.REDIS_URL, 'worker');
  const worker = startWorker('notifications', {
    deliver: async (data, job) => {
      const r = await deliverNotification(db, data);
      logger.debug({ jobId: job.id, petitionId: data.petitionId, template: data.template, r }, 'notification');
      return r;
    },
  }, connection, { prefix: config.QUEUE_PREFIX }, { concurrency: 10 });
  worker.on('error', (err) => logger.error({ err: err.message }, 'notifier worker error'));
  await worker.waitUntilReady();
  logger.info('notifier ready');
  return {
    drain: () => worker.close(),
    close: async () => {
      connection.disconnect();
      await db.destroy();
    },
  };
});
