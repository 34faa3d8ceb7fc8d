import { availableParallelism } from 'node:os';
import { benchTarget, cliOverrides, flag, int, passThrough, WORKER_KNOBS, type BenchTarget, type Env } from '../shared/knobs.js';

export interface ReportsConfig extends BenchTarget {
  /** Petition facts generated over the 12 months up to the run's start. */
  petitions: number;
  /** Seed of the generator: the same seed and count give the same facts (relative to the run's start). */
  seed: number;
  /** Parallel COPY streams while generating. */
  copyStreams: number;
  /** Rollup dimensions built at once (one connection each). */
  buildParallel: number;
  /** Timed repetitions of each rollup query. */
  repeat: number;
  /** Timed repetitions of each full-scan baseline query. */
  baselineRepeat: number;
  /** Timed repetitions of the same reports through the API process over HTTP (0: skip). */
  httpRepeat: number;
  /** Transitions per second the writer drives through the API during the timings (0: no writes). */
  writeRate: number;
  /** Writes before the first timed query (not measured). */
  writeWarmupSeconds: number;
  /** Most petitions the writer has in flight; beyond that it skips (and counts) petitions. */
  writeMaxInflight: number;
  /** Rollups checked against the worker's own code: one street's rows, or every row (slow: for small runs). */
  check: 'street' | 'all' | 'none';
  /** Leave the database at the end (it is dropped otherwise). */
  keepDb: boolean;
  /** Development: reuse the facts and rollups a run with BENCH_KEEP_DB=1 left (same petitions and seed). */
  reuse: boolean;
  /** Passed to the worker when set. */
  workerEnv: Record<string, string>;
  cores: number;
}

export function loadConfig(argv: readonly string[] = process.argv.slice(2)): ReportsConfig {
  const env: Env = { ...process.env, ...cliOverrides(argv, WORKER_KNOBS) };
  const target = benchTarget(env, 'reports', { dbName: 'petitions_bench_reports', queuePrefix: '{bench-reports}' });
  const repeat = int(env, 'BENCH_REPEAT', 200);
  const check = env.BENCH_CHECK ?? 'street';
  if (check !== 'street' && check !== 'all' && check !== 'none') throw new Error(`BENCH_CHECK must be street, all or none (got "${check}")`);
  return {
    ...target,
    petitions: int(env, 'BENCH_PETITIONS', 10_000_000, 1000),
    seed: int(env, 'BENCH_SEED', 12345),
    copyStreams: int(env, 'BENCH_COPY_STREAMS', availableParallelism()),
    buildParallel: int(env, 'BENCH_BUILD_PARALLEL', availableParallelism()),
    repeat,
    baselineRepeat: int(env, 'BENCH_BASELINE_REPEAT', 3, 0),
    httpRepeat: int(env, 'BENCH_HTTP_REPEAT', Math.ceil(repeat / 4), 0),
    writeRate: int(env, 'BENCH_WRITE_RATE', 200, 0),
    writeWarmupSeconds: int(env, 'BENCH_WRITE_WARMUP_SECONDS', 30, 0),
    writeMaxInflight: int(env, 'BENCH_WRITE_MAX_INFLIGHT', 200),
    check,
    keepDb: flag(env, 'BENCH_KEEP_DB', false),
    reuse: flag(env, 'BENCH_REUSE', false),
    workerEnv: passThrough(env, ['WORKER_CONCURRENCY', 'WORKER_BATCH_SIZE', 'WORKER_BATCHES_IN_FLIGHT', 'WORKER_EXTRA_BATCH_FROM', 'DB_POOL_SIZE']),
    cores: availableParallelism(),
  };
}
