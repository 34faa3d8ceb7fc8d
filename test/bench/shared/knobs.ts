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
