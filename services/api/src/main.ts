import { ApiEnv, parseEnv } from '@petitions/config';
import { createDb } from '@petitions/db';
import { keysFromConfig } from '@petitions/personal-data';
import { createRedisConnection, QueueClient, redisReady } from '@petitions/queue';
import { createLogger, runService } from '@petitions/runtime';
import { buildApp, OutcomeWaiter, ReferenceCache } from './app.js';

const config = parseEnv(ApiEnv);
const logger = createLogger('api', config.LOG_LEVEL);

await runService('api', logger, config.SHUTDOWN_TIMEOUT_MS, async () => {
  const db = createDb({ connectionString: config.DATABASE_URL, poolSize: config.DB_POOL_SIZE, applicationName: 'api' });
  const producer = createRedisConnection(config.REDIS_URL, 'producer');
  const events = createRedisConnection(config.REDIS_URL, 'worker');
  // Producers have no offline queue: wait for the first connection, later outages fail fast.
  await redisReady(producer, 30_000);
  const settings = { prefix: config.QUEUE_PREFIX };
  const queues = new QueueClient(producer, settings);
  const waiter = new OutcomeWaiter(db, events, config.QUEUE_PREFIX);
  const app = await buildApp({
    db, redis: producer, queues, waiter, reference: new ReferenceCache(db),
    keys: keysFromConfig(config.PETITIONS_ENCRYPTION_KEY, config.PETITIONS_HMAC_KEY),
    commandWaitMs: config.COMMAND_WAIT_MS, enqueueTimeoutMs: config.ENQUEUE_TIMEOUT_MS,
  }, { loggerInstance: logger });
  await app.listen({ host: config.HOST, port: config.PORT });
  return {
    drain: () => app.close(),
    close: async () => {
      await waiter.close();
      await queues.close();
      producer.disconnect();
      events.disconnect();
      await db.destroy();
    },
  };
});
