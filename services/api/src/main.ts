import { ApiEnv, parseEnv } from '@petitions/config';
import { createDb } from '@petitions/db';
import { keysFromConfig } from '@petitions/personal-data';
import { createRedisConnection, QueueClient, redisReady } from '@petitions/queue';
import { createLogger, runService } from '@petitions/runtime';
import { buildApp, OutcomeWaiter, parseOrigins, parseTrustProxy, ReferenceCache } from './app.js';

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
    keys: keysFromConfig(config.PETITIONS_ENCRYPTION_KEY, config.PETITIONS_HMAC_KEY, config.PETITIONS_ENCRYPTION_KEY_ID, config.PETITIONS_PREVIOUS_ENCRYPTION_KEYS),
    commandWaitMs: config.COMMAND_WAIT_MS, enqueueTimeoutMs: config.ENQUEUE_TIMEOUT_MS,
    http: {
      bodyLimitBytes: config.API_BODY_LIMIT_BYTES, requestTimeoutMs: config.API_REQUEST_TIMEOUT_MS,
      corsOrigins: parseOrigins(config.API_CORS_ORIGINS), trustProxy: parseTrustProxy(config.API_TRUST_PROXY),
      rateLimit: config.API_RATE_LIMIT_ENABLED && {
        perMinute: config.API_RATE_LIMIT_PER_MINUTE, intakePerMinute: config.API_INTAKE_RATE_LIMIT_PER_MINUTE, keyPrefix: config.QUEUE_PREFIX,
      },
    },
    auth: { devIdentity: config.API_DEV_IDENTITY, accessTtlMs: config.AUTH_ACCESS_TTL_MS, refreshTtlMs: config.AUTH_REFRESH_TTL_MS },
  }, { loggerInstance: logger });
  if (config.API_DEV_IDENTITY) logger.warn('API_DEV_IDENTITY is on: X-Actor-* headers are trusted without sign-in (demo and tests only)');
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
