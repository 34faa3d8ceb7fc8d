import type { FastifyInstance } from 'fastify';
import type { Worker } from 'bullmq';
import { buildApp, DEFAULT_HTTP_SETTINGS, OutcomeWaiter, ReferenceCache, type HttpSettings } from '@petitions/api';
import { createLogger } from '@petitions/runtime';
import { startCommandWorker } from '@petitions/workflow-worker';
import { createTestDatabase, createTestQueues, refIds, testKeys, type TestDatabase, type TestQueues } from './fixtures.js';

export interface TestSystem {
  tdb: TestDatabase;
  q: TestQueues;
  app: FastifyInstance;
  worker: Worker | null;
  refs: Awaited<ReturnType<typeof refIds>>;
  close: () => Promise<void>;
}

/**
 * The API (driven through `inject`) and a workflow worker, in-process, against a fresh database
 * and a private queue prefix on the real Redis.
 */
/** Tests act through the development identity (X-Actor-* headers) unless they sign in; short token lifetimes. */
export const TEST_AUTH = { devIdentity: true, accessTtlMs: 15 * 60_000, refreshTtlMs: 3_600_000 };

export interface TestSystemOptions {
  worker?: boolean;
  commandWaitMs?: number;
  redisUrl?: string;
  stalledIntervalMs?: number;
  /** Deadlines due sooner than this are sent to Redis through the outbox at once. */
  timerHorizonMs?: number;
  /** The worker's clock, for tests that move time forward. */
  clock?: () => Date;
  /** Sign-in settings; by default the development identity is on. */
  auth?: Partial<typeof TEST_AUTH>;
  /** HTTP edge settings; by default rate limits too high for any test to reach (see testHttp). */
  http?: Partial<HttpSettings>;
}

/**
 * The production HTTP settings, except rate limits no test reaches: they are still counted, in
 * Redis under the test's queue prefix (deleted with it), so every request goes through the limiter.
 */
export function testHttp(prefix: string, overrides: Partial<HttpSettings> = {}): HttpSettings {
  return { ...DEFAULT_HTTP_SETTINGS, rateLimit: { perMinute: 1_000_000, intakePerMinute: 1_000_000, keyPrefix: prefix }, ...overrides };
}

export async function startTestSystem(opts: TestSystemOptions = {}): Promise<TestSystem> {
  const tdb = await createTestDatabase();
  const q = await createTestQueues(opts.redisUrl);
  const waiter = new OutcomeWaiter(tdb.db, q.workerConnection(), q.settings.prefix);
  await waiter.waitUntilReady();
  const app = await buildApp({
    db: tdb.db, redis: q.producer, queues: q.queues, waiter, keys: testKeys(), reference: new ReferenceCache(tdb.db),
    commandWaitMs: opts.commandWaitMs ?? 5000, enqueueTimeoutMs: 1000, auth: { ...TEST_AUTH, ...opts.auth },
    http: testHttp(q.settings.prefix, opts.http),
  });
  const worker = opts.worker === false ? null : startCommandWorker({
    db: tdb.db, connection: q.workerConnection(), queue: q.settings, logger: createLogger('test-worker', 'silent'),
    concurrency: 8, batchSize: 16, maxBatchesInFlight: 2, rulesTtlMs: 0,
    ...(opts.timerHorizonMs ? { timerHorizonMs: opts.timerHorizonMs } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.stalledIntervalMs ? { lockDurationMs: opts.stalledIntervalMs, stalledIntervalMs: opts.stalledIntervalMs } : {}),
  });
  await worker?.waitUntilReady();
  const refs = await refIds(tdb.db);
  return {
    tdb, q, app, worker, refs,
    close: async () => {
      await app.close();
      await worker?.close();
      await waiter.close();
      await q.close();
      await tdb.drop();
    },
  };
}

/** A valid intake body for 金水区 noise at night (routed to 城管局 by the demo rules). */
export function noiseComplaint(refs: TestSystem['refs'], overrides: Record<string, unknown> = {}) {
  const categoryId = (overrides.categoryId as string | undefined) ?? refs.category('city.noise');
  const details = refs.requiredDetails(categoryId);
  return {
    kind: 'request', channel: 'hotline', urgency: 'normal',
    categoryId,
    ...(Object.keys(details).length > 0 ? { details } : {}),
    districtId: refs.unit('zz-js'), streetId: refs.unit('zz-js-duling'),
    title: '夜市噪音扰民', content: '每晚十点以后夜市音响声音很大，影响休息，希望尽快处理。',
    locationText: '杜岭街与金水路交叉口',
    contact: { name: '王小明', phone: '13800000001', address: '金水区杜岭街道某小区3号楼' },
    ...overrides,
  };
}
