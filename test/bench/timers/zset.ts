import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { sleep } from '../lifecycle/processes.js';
import { settledMemory } from './redis.js';
import { percentiles, type Pctl } from './stats.js';

/** Members per ZADD command; commands per pipeline round trip. */
const ZADD_ARGS = 1000;
const PIPELINE_COMMANDS = 10;

async function zaddAll(redis: Redis, key: string, members: readonly string[], score: (i: number) => number): Promise<void> {
  for (let i = 0; i < members.length; i += ZADD_ARGS * PIPELINE_COMMANDS) {
    const pipe = redis.pipeline();
    for (let j = i; j < Math.min(members.length, i + ZADD_ARGS * PIPELINE_COMMANDS); j += ZADD_ARGS) {
      const args: (string | number)[] = [];
      for (let k = j; k < Math.min(members.length, j + ZADD_ARGS); k++) args.push(score(k), members[k]!);
      pipe.zadd(key, ...args);
    }
    const results = await pipe.exec();
    const failed = results?.find(([err]) => err);
    if (failed) throw failed[0] as Error;
  }
}

export interface ZaddLatencyResult {
  members: number;
  dueAt: string;
  /** How long the pipelined ZADDs of all members took. */
  addMs: number;
  pollMs: number;
  /** Time the poller had each member out (ZRANGEBYSCORE + ZREM answered) − T. */
  lateness: Pctl;
  /** Polls that found something. */
  busyPolls: number;
}

/**
 * The naive design's floor: every deadline a member of one sorted set scored by its due time, and a
 * poller that every `pollMs` takes out what is due (ZRANGEBYSCORE key -inf now, then ZREM). No
 * Postgres, no BullMQ: only Redis and one Node event loop.
 */
export async function runZaddLatency(redis: Redis, key: string, members: readonly string[], pollMs: number): Promise<ZaddLatencyResult> {
  await redis.del(key);
  const dueAt = Math.ceil((Date.now() + 2000) / 1000) * 1000;
  const t0 = performance.now();
  await zaddAll(redis, key, members, () => dueAt);
  const addMs = performance.now() - t0;
  const lateness: number[] = [];
  let busyPolls = 0;
  const giveUp = dueAt + 60_000;
  while (lateness.length < members.length && Date.now() < giveUp) {
    const due = await redis.zrangebyscore(key, '-inf', Date.now());
    if (due.length > 0) {
      await redis.zrem(key, ...due);
      const at = Date.now();
      for (let i = 0; i < due.length; i++) lateness.push(at - dueAt);
      busyPolls++;
    }
    await sleep(pollMs);
  }
  await redis.del(key);
  return { members: members.length, dueAt: new Date(dueAt).toISOString(), addMs, pollMs, lateness: percentiles(lateness), busyPolls };
}

export interface ZsetMemoryResult {
  members: number;
  usedBefore: number;
  usedAfter: number;
  bytesPerMember: number;
  addMs: number;
}

/** Memory of one sorted set holding `n` timer ids (UUID strings) scored over the next 30 days. */
export async function runZsetMemory(redis: Redis, key: string, n: number): Promise<ZsetMemoryResult> {
  await redis.del(key);
  const usedBefore = await settledMemory(redis);
  const members = Array.from({ length: n }, () => randomUUID());
  const now = Date.now();
  const t0 = performance.now();
  await zaddAll(redis, key, members, () => now + Math.floor(Math.random() * 30 * 86_400_000));
  const addMs = performance.now() - t0;
  const usedAfter = await settledMemory(redis);
  const card = await redis.zcard(key);
  if (card !== n) throw new Error(`zset memory: expected ${n} members, found ${card}`);
  await redis.del(key);
  return { members: n, usedBefore, usedAfter, bytesPerMember: (usedAfter - usedBefore) / n, addMs };
}
