import { availableParallelism } from 'node:os';
import { benchDatabase, cliOverrides, devKey, flag, int, passThrough, REPO_ROOT, type BenchDatabase, type Env } from '../shared/knobs.js';

export { REPO_ROOT };

/** Parts of the run that BENCH_SKIP can leave out. */
export const PHASES = ['escalation', 'zadd', 'apply', 'rebuild', 'zset-memory'] as const;
export type Phase = (typeof PHASES)[number];

export interface TimersConfig extends BenchDatabase {
  /** 'private': a redis-server of this run's own (FLUSHALL is safe, memory figures are clean); 'env': REDIS_URL. */
  redisMode: 'private' | 'env';
  redisUrl: string;
  queuePrefix: string;
  encryptionKey: string;
  /** Open petitions (state 'handling') with a pending handling deadline and reminder each. */
  open: number;
  /** Of those, how many have their handling deadline in the same second T. */
  due: number;
  /** T is this many seconds after the services are started (a whole second). */
  leadSeconds: number;
  /** Rebuild phase: pending timers moved to within the next minute, and commands recorded but never published. */
  rebuildTimers: number;
  rebuildCommands: number;
  /** Clone each petition's history too (SUBMIT + SIGN_FOR commands and audit events), as a real database holds it. */
  history: boolean;
  /** Petitions generated per INSERT statement, and statements running at once. */
  genChunk: number;
  genParallel: number;
  /** Raw sorted-set baseline: poll interval of the ZRANGEBYSCORE poller. */
  zsetPollMs: number;
  /** Settings handed to the services when set (otherwise the services' own defaults apply). */
  workerEnv: Record<string, string>;
  schedulerEnv: Record<string, string>;
  /** Also start the notifier (delivers the escalation notifications to the local channel). */
  notifier: boolean;
  /** Leave the database at the end (it is dropped otherwise). */
  keepDb: boolean;
  skip: ReadonlySet<Phase>;
  cores: number;
}

export function loadConfig(argv: readonly string[] = process.argv.slice(2)): TimersConfig {
  const env: Env = { ...process.env, ...cliOverrides(argv) };
  const databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL must be set: run `infra/dev.sh bench timers`');
  const redisMode = (env.BENCH_REDIS ?? 'private') as TimersConfig['redisMode'];
  if (redisMode !== 'private' && redisMode !== 'env') throw new Error(`BENCH_REDIS must be "private" or "env" (got "${String(redisMode)}")`);
  if (redisMode === 'env' && !env.REDIS_URL) throw new Error('BENCH_REDIS=env needs REDIS_URL');
  const database = benchDatabase(env, databaseUrl, 'petitions_bench_timers');
  const skip = new Set<Phase>();
  for (const s of (env.BENCH_SKIP ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
    if (!(PHASES as readonly string[]).includes(s)) throw new Error(`BENCH_SKIP: unknown phase "${s}" (phases: ${PHASES.join(', ')})`);
    skip.add(s as Phase);
  }
  const open = int(env, 'BENCH_OPEN', 1_000_000);
  const due = int(env, 'BENCH_DUE', 10_000);
  const rebuildTimers = int(env, 'BENCH_REBUILD_TIMERS', 5000);
  const rebuildCommands = int(env, 'BENCH_REBUILD_COMMANDS', 1000);
  // Each phase uses petitions of its own: the due set, the apply-only diagnostic's set, the rebuild's.
  if (2 * due + rebuildTimers + rebuildCommands > open - 1) {
    throw new Error(`2 × BENCH_DUE + BENCH_REBUILD_TIMERS + BENCH_REBUILD_COMMANDS (${2 * due + rebuildTimers + rebuildCommands}) must be less than BENCH_OPEN (${open})`);
  }
  return {
    ...database,
    redisMode,
    redisUrl: env.REDIS_URL ?? '',
    queuePrefix: env.BENCH_QUEUE_PREFIX ?? '{bench-timers}',
    // Only the template petition's contact is encrypted; a throwaway key does when dev.sh has not set one.
    encryptionKey: devKey(env.PETITIONS_ENCRYPTION_KEY),
    open,
    due,
    leadSeconds: int(env, 'BENCH_LEAD_SECONDS', 45, 5),
    rebuildTimers,
    rebuildCommands,
    history: flag(env, 'BENCH_HISTORY', true),
    genChunk: int(env, 'BENCH_GEN_CHUNK', 50_000),
    genParallel: int(env, 'BENCH_GEN_PARALLEL', availableParallelism()),
    zsetPollMs: int(env, 'BENCH_ZSET_POLL_MS', 10),
    workerEnv: passThrough(env, ['WORKER_CONCURRENCY', 'WORKER_BATCH_SIZE', 'WORKER_BATCHES_IN_FLIGHT', 'WORKER_EXTRA_BATCH_FROM', 'DB_POOL_SIZE', 'TIMER_HORIZON_MS']),
    schedulerEnv: passThrough(env, [
      'RELAY_INTERVAL_MS', 'SWEEP_INTERVAL_MS', 'SWEEP_STALE_AFTER_MS', 'TIMER_PUMP_INTERVAL_MS', 'TIMER_LATE_AFTER_MS', 'TIMER_HORIZON_MS',
      'REPORT_FOLD_INTERVAL_MS',
    ]),
    notifier: flag(env, 'BENCH_NOTIFIER', false),
    keepDb: flag(env, 'BENCH_KEEP_DB', false),
    skip,
    cores: availableParallelism(),
  };
}

/** The horizon the services run with (TIMER_HORIZON_MS, default 10 minutes). */
export function horizonMs(cfg: TimersConfig): number {
  return Number(cfg.schedulerEnv.TIMER_HORIZON_MS ?? cfg.workerEnv.TIMER_HORIZON_MS ?? 600_000);
}
