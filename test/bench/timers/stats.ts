import { formatCpu, type CpuUse } from '../lifecycle/cpu.js';
import { fmtMs, percentile } from '../shared/stats.js';

export interface Pctl {
  n: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles (ms). An empty list gives NaN everywhere. */
export function percentiles(values: readonly number[]): Pctl {
  const s = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return { n: s.length, min: s[0] ?? Number.NaN, p50: percentile(s, 50), p90: percentile(s, 90), p99: percentile(s, 99), max: s.at(-1) ?? Number.NaN };
}

export function fmtPctl(p: Pctl): string {
  return p.n === 0 ? 'n/a' : `p50 ${fmtMs(p.p50)}, p90 ${fmtMs(p.p90)}, p99 ${fmtMs(p.p99)}, max ${fmtMs(p.max)}`;
}

export function fmtBytes(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  if (Math.abs(n) >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  if (Math.abs(n) >= 10 * 1024) return `${(n / 1024).toFixed(0)} KiB`;
  return `${Math.round(n)} B`;
}

/** Cores used per process group (see ../lifecycle/cpu.ts), with this bench's services named. */
export function fmtCpu(use: CpuUse): string {
  return formatCpu(use, ['scheduler', 'workflow-worker', 'notifier', 'bench', 'postgres', 'redis', 'other']);
}
