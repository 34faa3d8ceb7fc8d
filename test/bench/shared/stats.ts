/** Timing figures as the benches compute and print them (no imports: the writer process loads this too). */

/** The `p`th percentile (0–100) of ascending `sorted`, nearest rank; NaN when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface Stats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles, max and mean of `values`, Infinity included (NaN when there are none). */
export function stats(values: readonly number[]): Stats {
  const s = [...values].sort((a, b) => a - b);
  return {
    n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s.at(-1) ?? Number.NaN,
    mean: s.length ? s.reduce((a, b) => a + b, 0) / s.length : Number.NaN,
  };
}

/** 12,345 (rounded; 'n/a' when not finite). */
export const fmtInt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');

/** 4.2 ms, 42 ms, 4242 ms, 42.4 s ('n/a' when not finite). */
export function fmtMs(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  if (Math.abs(n) >= 10_000) return `${(n / 1000).toFixed(1)} s`;
  if (Math.abs(n) >= 10) return `${Math.round(n)} ms`;
  return `${n.toFixed(1)} ms`;
}
