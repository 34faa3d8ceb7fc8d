import { Redis, type RedisOptions } from 'ioredis';

/**
 * One factory for every Redis connection. Workers block on Redis and must retry forever
 * (`maxRetriesPerRequest: null`, as BullMQ requires). Producers fail fast instead, so an API
 * request is never held hostage by a Redis outage: the command is already durable in Postgres
 * and the scheduler's sweep publishes it later.
 */
export type ConnectionRole = 'producer' | 'worker';

export function createRedisConnection(url: string, role: ConnectionRole, extra: RedisOptions = {}): Redis {
  const base: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 };
  const redis = new Redis(url, {
    ...base,
    // Reconnect with a capped backoff rather than ioredis' default unbounded growth.
    retryStrategy: (times) => Math.min(200 * times, 2000),
    lazyConnect: false,
    ...extra,
  });
  // Errors surface through the commands that fail; an unhandled 'error' event would crash the process.
  redis.on('error', () => undefined);
  return redis;
}

/** Resolve once the connection is ready; producers refuse commands until then (no offline queue). */
export async function redisReady(redis: Redis, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { cleanup(); reject(new Error(`Redis not ready after ${timeoutMs} ms`)); }, timeoutMs);
    const onReady = () => { cleanup(); resolve(); };
    const cleanup = () => { clearTimeout(timer); redis.off('ready', onReady); };
    redis.on('ready', onReady);
  });
}
