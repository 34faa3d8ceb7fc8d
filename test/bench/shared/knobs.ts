import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Knobs every benchmark reads the same way: environment, overridden on the command line. */

/** The repository root (this file is test/bench/shared/knobs.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export type Env = Record<string, string | undefined>;

/**
 * `--n=500`, `--rate 200` → BENCH_N, BENCH_RATE; names in `direct` keep the name the service itself
 * reads (`--worker-concurrency=64` → WORKER_CONCURRENCY).
 */
export function cliOverrides(argv: readonly string[], direct: ReadonlySet<string> = new Set()): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}" (use --name=value)`);
    const [key, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    let value = inline;
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined) throw new Error(`missing value for --${key}`);
      i++;
    }
    out[(direct.has(key) ? key : `bench-${key}`).toUpperCase().replaceAll('-', '_')] = value;
  }
  return out;
}

/** An integer knob; `1_000_000` is accepted. */
export function int(env: Env, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = Number(raw.replaceAll('_', ''));
  if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be an integer >= ${min} (got "${raw}")`);
  return v;
}

/** A yes/no knob: 1/true/yes or 0/false/no. */
export function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'no'].includes(raw)) return false;
  throw new Error(`${name} must be 0 or 1 (got "${raw}")`);
}

/** Environment variables passed through to a service when set in the bench's environment. */
export function passThrough(env: Env, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = env[n];
    if (v !== undefined && v !== '') out[n] = v;
  }
  return out;
}

/** Worker knobs on the command line keep the names the worker reads (`--worker-concurrency=64` → WORKER_CONCURRENCY). */
export const WORKER_KNOBS: ReadonlySet<string> = new Set(['worker-concurrency', 'worker-batch-size', 'worker-batches-in-flight', 'db-pool-size']);

/** A 32-byte base64 key from the environment, or (not set in this shell; infra/dev.sh sets them) a throwaway dev key, good for this run only. */
export function devKey(value: string | undefined): string {
  if (value && Buffer.from(value, 'base64').length === 32) return value;
  return randomBytes(32).toString('base64');
}

/** The bench's own database on the DATABASE_URL server; dropped and re-created each run. */
export interface BenchDatabase {
  databaseUrl: string;
  benchDbName: string;
  benchDatabaseUrl: string;
}

/** BENCH_DB_NAME (or `fallback`) on the server of `databaseUrl`. */
export function benchDatabase(env: Env, databaseUrl: string, fallback: string): BenchDatabase {
  const benchDbName = env.BENCH_DB_NAME ?? fallback;
  if (!/^[a-z_][a-z0-9_]*$/.test(benchDbName)) throw new Error(`BENCH_DB_NAME must be a plain identifier (got "${benchDbName}")`);
  const url = new URL(databaseUrl);
  url.pathname = `/${benchDbName}`;
  return { databaseUrl, benchDbName, benchDatabaseUrl: url.toString() };
}

/** What a bench starts the services against: its database, Redis and queue prefix, and the API's keys. */
export interface BenchTarget extends BenchDatabase {
  redisUrl: string;
  queuePrefix: string;
  encryptionKey: string;
  hmacKey: string;
}

/**
 * DATABASE_URL and REDIS_URL (both required: infra/dev.sh sets them), the bench database
 * (BENCH_DB_NAME, or `dbName`), BENCH_QUEUE_PREFIX (or `queuePrefix`), PETITIONS_ENCRYPTION_KEY and
 * PETITIONS_HMAC_KEY (or throwaway keys).
 */
export function benchTarget(env: Env, bench: string, defaults: { dbName: string; queuePrefix: string }): BenchTarget {
  const databaseUrl = env.DATABASE_URL;
  const redisUrl = env.REDIS_URL;
  if (!databaseUrl || !redisUrl) {
    throw new Error(`DATABASE_URL and REDIS_URL must be set: run \`infra/dev.sh bench ${bench}\`, or source infra/local/services.sh and call local_services_up`);
  }
  return {
    ...benchDatabase(env, databaseUrl, defaults.dbName),
    redisUrl,
    queuePrefix: env.BENCH_QUEUE_PREFIX ?? defaults.queuePrefix,
    encryptionKey: devKey(env.PETITIONS_ENCRYPTION_KEY),
    hmacKey: devKey(env.PETITIONS_HMAC_KEY),
  };
}
