import { availableParallelism } from 'node:os';
import { benchTarget, cliOverrides, int, REPO_ROOT, WORKER_KNOBS, type BenchTarget, type Env } from '../shared/knobs.js';

export { REPO_ROOT };

export const PARTS = ['engine', 'apply', 'pg', 'bullmq', 'latency'] as const;
export type Part = (typeof PARTS)[number];

export interface BenchConfig extends BenchTarget {
  /** Petitions pushed through the lifecycle (and again through each plain-pg baseline). */
  n: number;
  workerConcurrency: number;
  workerBatchSize: number;
  workerPoolSize: number;
  workerBatchesInFlight: number;
  workerExtraBatchFrom: number;
  /** Worker replicas (the worker is stateless; replicas share the queue). */
  workerProcesses: number;
  workerLogLevel: string;
  /** Connections of the second plain-pg figure. */
  pgBestPool: number;
  noopJobs: number;
  noopConcurrency: number;
  /**
   * How the engine phases publish their commands: `grouped` as the API's CommandPublisher does
   * with commands recorded at the same moment (the first alone, the rest in group jobs), `single`
   * one `apply` job per command (addBulk in chunks of enqueueChunk), as the API did before groups.
   */
  publish: 'grouped' | 'single';
  /** Jobs per addBulk call (publish=single). */
  enqueueChunk: number;
  rate: number;
  seconds: number;
  warmupSeconds: number;
  /** After the last send, how long to wait for outstanding responses before abandoning them. */
  drainSeconds: number;
  maxSockets: number;
  /** The bench's report fold runs this often, as the scheduler's does (REPORT_FOLD_INTERVAL_MS). */
  reportFoldIntervalMs: number;
  apiPoolSize: number | undefined;
  skip: ReadonlySet<Part>;
  cores: number;
}

function num(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a non-negative number (got "${raw}")`);
  return v;
}

function publishMode(raw: string | undefined): BenchConfig['publish'] {
  if (raw === undefined || raw === '' || raw === 'grouped') return 'grouped';
  if (raw === 'single') return 'single';
  throw new Error(`BENCH_PUBLISH must be grouped or single (got "${raw}")`);
}

/**
 * Knobs come from the environment (BENCH_N, BENCH_RATE, ...) and can be overridden on the
 * command line as `--n=500`, `--rate 200`, `--worker-concurrency=64` (→ BENCH_N, BENCH_RATE,
 * WORKER_CONCURRENCY). Worker knobs keep the names the worker itself reads.
 */
export function loadConfig(argv: readonly string[] = process.argv.slice(2)): BenchConfig {
  const env: Env = { ...process.env, ...cliOverrides(argv, WORKER_KNOBS) };
  const target = benchTarget(env, 'lifecycle', { dbName: 'petitions_bench', queuePrefix: '{bench}' });
  const skip = new Set<Part>();
  for (const s of (env.BENCH_SKIP ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
    if (!(PARTS as readonly string[]).includes(s)) throw new Error(`BENCH_SKIP: unknown part "${s}" (parts: ${PARTS.join(', ')})`);
    skip.add(s as Part);
  }
  const apiPool = env.BENCH_API_DB_POOL_SIZE;
  return {
    ...target,
    n: int(env, 'BENCH_N', 3000),
    workerConcurrency: int(env, 'WORKER_CONCURRENCY', 1000),
    workerBatchSize: int(env, 'WORKER_BATCH_SIZE', 256),
    workerPoolSize: int(env, 'DB_POOL_SIZE', 8),
    workerBatchesInFlight: int(env, 'WORKER_BATCHES_IN_FLIGHT', 2),
    workerExtraBatchFrom: int(env, 'WORKER_EXTRA_BATCH_FROM', 16),
    workerProcesses: int(env, 'BENCH_WORKER_PROCESSES', 1),
    workerLogLevel: env.BENCH_WORKER_LOG_LEVEL ?? 'warn',
    pgBestPool: int(env, 'BENCH_PG_POOL', 16),
    noopJobs: int(env, 'BENCH_NOOP_JOBS', 20_000),
    noopConcurrency: int(env, 'BENCH_NOOP_CONCURRENCY', 128),
    publish: publishMode(env.BENCH_PUBLISH),
    enqueueChunk: int(env, 'BENCH_ENQUEUE_CHUNK', 1000),
    rate: num(env, 'BENCH_RATE', 300),
    seconds: num(env, 'BENCH_SECONDS', 20),
    warmupSeconds: num(env, 'BENCH_WARMUP_SECONDS', 5),
    drainSeconds: num(env, 'BENCH_DRAIN_SECONDS', 30),
    maxSockets: int(env, 'BENCH_MAX_SOCKETS', 64),
    reportFoldIntervalMs: int(env, 'REPORT_FOLD_INTERVAL_MS', 1000),
    apiPoolSize: apiPool ? int(env, 'BENCH_API_DB_POOL_SIZE', 10) : undefined,
    skip,
    cores: availableParallelism(),
  };
}
