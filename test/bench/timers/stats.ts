import { formatCpu, type CpuUse } from '../lifecycle/cpu.js';

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
  const at = (p: number) => (s.length === 0 ? Number.NaN : s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!);
  return { n: s.length, min: s[0] ?? Number.NaN, p50: at(50), p90: at(90), p99: at(99), max: s[s.length - 1] ?? Number.NaN };
}

export const fmtInt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');

export function fmtMs(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  if (Math.abs(n) >= 10_000) return `${(n / 1000).toFixed(1)} s`;
  if (Math.abs(n) >= 10) return `${Math.round(n)} ms`;
  return `${n.toFixed(1)} ms`;
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
