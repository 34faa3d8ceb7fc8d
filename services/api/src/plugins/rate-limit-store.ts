import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Redis } from 'ioredis';

/**
 * Fixed-window counters in Redis, so every API replica counts against the same budget. One round
 * trip per request (INCR, PEXPIRE on the first hit, PTTL) in a script; a key that somehow lost
 * its expiry gets it back instead of counting forever.
 */
const SCRIPT = `
local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { current, ttl }
`;
const COMMAND = 'petitionsRateLimitIncr';

type IncrCommand = (key: string, windowMs: number) => Promise<[number, number]>;
type IncrCallback = Parameters<FastifyRateLimitStore['incr']>[1];

/**
 * A store for @fastify/rate-limit over an existing ioredis connection. Keys are
 * `<namespace><bucket>:<client>`, e.g. `{petitions}:ratelimit:all:ip:10.0.0.7`. A Redis that does
 * not answer within `timeoutMs` counts as an error: with `skipOnError` the request goes through
 * (the write path keeps working through a Redis outage; limits resume when Redis is back).
 */
export function redisRateLimitStore(redis: Redis, namespace: string, timeoutMs: number, onError: (err: Error) => void): FastifyRateLimitStoreCtor {
  const client = redis as unknown as Record<string, IncrCommand | undefined>;
  if (typeof client[COMMAND] !== 'function') redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: SCRIPT });
  const incr = (key: string, windowMs: number) => (client[COMMAND] as IncrCommand).call(redis, key, windowMs);

  class RedisRateLimitStore implements FastifyRateLimitStore {
    private readonly prefix: string;

    // The plugin constructs the store with its options; the bucket comes from child() instead.
    constructor(_options?: unknown, bucket = 'all') {
      this.prefix = `${namespace}${bucket}:`;
    }

    incr(key: string, callback: IncrCallback, timeWindow: number): void {
      let settled = false;
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        onError(err);
        callback(err);
      };
      const timer = setTimeout(() => fail(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
      timer.unref();
      incr(this.prefix + key, timeWindow).then(([current, ttl]) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        callback(null, { current: Number(current), ttl: Number(ttl) });
      }, (err: unknown) => fail(err instanceof Error ? err : new Error(String(err))));
    }

    /** A route with limits of its own counts in a bucket named after it, e.g. `POST/petitions`. */
    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      // The plugin passes the route's merged limit settings, the route itself under routeInfo.
      const info = (routeOptions as { routeInfo?: { method?: string | string[]; url?: string } }).routeInfo ?? {};
      const method = Array.isArray(info.method) ? info.method.join(',') : info.method ?? '';
      return new RedisRateLimitStore(undefined, `${method}${info.url ?? ''}`);
    }
  }
  return RedisRateLimitStore;
}
