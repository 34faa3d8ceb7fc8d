import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { createDb, type Db } from '@petitions/db';
import { createRedisConnection, QueueClient, redisReady, type QueueSettings } from '@petitions/queue';
import type { Redis } from 'ioredis';
import { databaseUrl, TEMPLATE_DB, testServers } from './env.js';

export interface TestDatabase {
  name: string;
  url: string;
  db: Db;
  drop: () => Promise<void>;
}

/** A fresh database cloned from the migrated, seeded template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `petitions_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: testServers().databaseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(name);
  const db = createDb({ connectionString: url, poolSize: 10, applicationName: 'test' });
  return {
    name, url, db,
    drop: async () => {
      await db.destroy();
      const a = new pg.Client({ connectionString: testServers().databaseUrl });
      await a.connect();
      try {
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}

/** A queue prefix of its own, so test files never see each other's jobs. */
export function testQueueSettings(): QueueSettings {
  return { prefix: `{t${randomBytes(5).toString('hex')}}` };
}

export interface TestQueues {
  settings: QueueSettings;
  producer: Redis;
  queues: QueueClient;
  /** A fresh blocking connection, for a worker or QueueEvents. */
  workerConnection: () => Redis;
  close: () => Promise<void>;
}

/** Leave nothing behind in Redis: the project-local one persists to disk. */
export async function deleteQueueKeys(redis: Redis, prefix: string): Promise<void> {
  const stream = redis.scanStream({ match: `${prefix}:*`, count: 500 });
  for await (const keys of stream as AsyncIterable<string[]>) if (keys.length > 0) await redis.del(...keys);
}

export async function createTestQueues(redisUrl = testServers().redisUrl): Promise<TestQueues> {
  const settings = testQueueSettings();
  const producer = createRedisConnection(redisUrl, 'producer');
  await redisReady(producer);
  const queues = new QueueClient(producer, settings);
  const extra: Redis[] = [];
  return {
    settings, producer, queues,
    workerConnection: () => {
      const c = createRedisConnection(redisUrl, 'worker');
      extra.push(c);
      return c;
    },
    close: async () => {
      await queues.close();
      if (producer.status === 'ready') await deleteQueueKeys(producer, settings.prefix);
      producer.disconnect();
      for (const c of extra) c.disconnect();
    },
  };
}

export function testKeys() {
  return { keyId: 'test', encryptionKey: randomBytes(32), hmacKey: randomBytes(32), previous: new Map<string, Buffer>() };
}

/** Ids of reference rows by code, from the seeded demo data. */
export async function refIds(db: Db) {
  const units = await db.selectFrom('org_units').select(['id', 'code', 'kind', 'parent_id']).execute();
  const categories = await db.selectFrom('categories').select(['id', 'code', 'extra_fields']).execute();
  const unit = (code: string) => {
    const u = units.find((x) => x.code === code);
    if (!u) throw new Error(`no unit ${code}`);
    return u.id;
  };
  const category = (code: string) => {
    const c = categories.find((x) => x.code === code);
    if (!c) throw new Error(`no category ${code}`);
    return c.id;
  };
  /** Values for a category's required extra fields, so a test body passes intake validation. */
  const requiredDetails = (categoryId: string): Record<string, string | number | boolean> => {
    const fields = (categories.find((c) => c.id === categoryId)?.extra_fields ?? []) as { key: string; type: string; required: boolean; options?: string[] }[];
    return Object.fromEntries(fields.filter((f) => f.required).map((f) => [f.key,
      f.type === 'select' ? f.options?.[0] ?? '' : f.type === 'boolean' ? true : f.type === 'number' ? 3 : '测试']));
  };
  return { unit, category, units, categories, requiredDetails };
}

/** Poll until `fn` returns a truthy value or time runs out (for effects of other processes). */
export async function eventually<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 15_000, stepMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
