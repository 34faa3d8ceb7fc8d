import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { cliOverrides, int, REPO_ROOT, type Env } from '../shared/knobs.js';

export { REPO_ROOT };

export const PARTS = ['engine', 'apply', 'pg', 'bullmq', 'latency'] as const;
export type Part = (typeof PARTS)[number];

export interface BenchConfig {
  databaseUrl: string;
  /** The bench's own database on the DATABASE_URL server; dropped and re-created each run. */
  benchDbName: string;
  benchDatabaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  encryptionKey: string;
  hmacKey: string;
  /** Petitions pushed through the lifecycle (and again through each plain-pg baseline). */
  n: number;
  workerConcurrency: number;
  workerBatchSize: number;
  workerPoolSize: number;
  /** Worker replicas (the worker is stateless; replicas share the queue). */
  workerProcesses: number;
  workerLogLevel: string;
  /** Connections of the second plain-pg figure. */
  pgBestPool: number;
  noopJobs: number;
  noopConcurrency: number;
  /** Jobs per addBulk call. */
  enqueueChunk: number;
  rate: number;
  seconds: number;
  warmupSeconds: number;
  /** After the last send, how long to wait for outstanding responses before abandoning them. */
  drainSeconds: number;
  maxSockets: number;
  apiPoolSize: number | undefined;
  skip: ReadonlySet<Part>;
  cores: number;
}

/**
 * Knobs come from the environment (BENCH_N, BENCH_RATE, ...) and can be overridden on the
 * command line as `--n=500`, `--rate 200`, `--worker-concurrency=64` (→ BENCH_N, BENCH_RATE,
 * WORKER_CONCURRENCY). Worker knobs keep the names the worker itself reads.
 */
const DIRECT_KNOBS = new Set(['worker-concurrency', 'worker-batch-size', 'db-pool-size']);

function num(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a non-negative number (got "${raw}")`);
  return v;
}

function key32(value: string | undefined): string {
  if (value && Buffer.from(value, 'base64').length === 32) return value;
  // Not set in this shell (infra/dev.sh sets them): a throwaway dev key, good for this run only.
  return randomBytes(32).toString('base64');
}

export function loadConfig(argv: readonly string[] = process.argv.slice(2)): BenchConfig {
  const env: Env = { ...process.env, ...cliOverrides(argv, DIRECT_KNOBS) };
  const databaseUrl = env.DATABASE_URL;
  const redisUrl = env.REDIS_URL;
  if (!databaseUrl || !redisUrl) {
    throw new Error('DATABASE_URL and REDIS_URL must be set: run `infra/dev.sh bench lifecycle`, or source infra/local/services.sh and call local_services_up');
  }
  const benchDbName = env.BENCH_DB_NAME ?? 'petitions_bench';
  if (!/^[a-z_][a-z0-9_]*$/.test(benchDbName)) throw new Error(`BENCH_DB_NAME must be a plain identifier (got "${benchDbName}")`);
  const url = new URL(databaseUrl);
  url.pathname = `/${benchDbName}`;
  const skip = new Set<Part>();
  for (const s of (env.BENCH_SKIP ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
    if (!(PARTS as readonly string[]).includes(s)) throw new Error(`BENCH_SKIP: unknown part "${s}" (parts: ${PARTS.join(', ')})`);
    skip.add(s as Part);
  }
  const apiPool = env.BENCH_API_DB_POOL_SIZE;
  return {
    databaseUrl,
    benchDbName,
    benchDatabaseUrl: url.toString(),
    redisUrl,
    queuePrefix: env.BENCH_QUEUE_PREFIX ?? '{bench}',
    encryptionKey: key32(env.PETITIONS_ENCRYPTION_KEY),
    hmacKey: key32(env.PETITIONS_HMAC_KEY),
    n: int(env, 'BENCH_N', 3000),
    workerConcurrency: int(env, 'WORKER_CONCURRENCY', 1000),
    workerBatchSize: int(env, 'WORKER_BATCH_SIZE', 256),
    workerPoolSize: int(env, 'DB_POOL_SIZE', 8),
    workerProcesses: int(env, 'BENCH_WORKER_PROCESSES', 1),
    workerLogLevel: env.BENCH_WORKER_LOG_LEVEL ?? 'warn',
    pgBestPool: int(env, 'BENCH_PG_POOL', 16),
    noopJobs: int(env, 'BENCH_NOOP_JOBS', 20_000),
    noopConcurrency: int(env, 'BENCH_NOOP_CONCURRENCY', 128),
    enqueueChunk: int(env, 'BENCH_ENQUEUE_CHUNK', 1000),
    rate: num(env, 'BENCH_RATE', 300),
    seconds: num(env, 'BENCH_SECONDS', 10),
    warmupSeconds: num(env, 'BENCH_WARMUP_SECONDS', 1),
    drainSeconds: num(env, 'BENCH_DRAIN_SECONDS', 30),
    maxSockets: int(env, 'BENCH_MAX_SOCKETS', 64),
    apiPoolSize: apiPool ? int(env, 'BENCH_API_DB_POOL_SIZE', 10) : undefined,
    skip,
    cores: availableParallelism(),
  };
}
