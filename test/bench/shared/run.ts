import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './knobs.js';

/** What every bench run does around its own work: progress, signals, the report's frame, the figures file. */

/** Progress goes to stderr; the report to stdout. */
export const log = (line: string) => process.stderr.write(`${line}\n`);

export interface Run {
  bench: string;
  /** performance.now() at the start. */
  t0: number;
  startedAt: Date;
  stamp: string;
  /** .data/bench: the figures as <bench>-<stamp>.json. */
  outDir: string;
  /** .data/bench/logs/<bench>-<stamp>: the services' logs. */
  logDir: string;
}

export function startRun(bench: string): Run {
  const t0 = performance.now();
  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const outDir = join(REPO_ROOT, '.data', 'bench');
  return { bench, t0, startedAt, stamp, outDir, logDir: join(outDir, 'logs', `${bench}-${stamp}`) };
}

export interface Machine {
  cores: number;
  loadavgAtStart: number[];
  loadavgAtEnd: number[];
  /** hostLoopMs() at the start and at the end of the run. */
  loopMsAtStart: number;
  loopMsAtEnd: number | null;
}

/**
 * How long a fixed JavaScript loop takes here now, in ms: the host's speed at the moment. On the
 * project's VM such a loop has varied by 20 % from one quarter of an hour to the next, so figures
 * from runs whose loop times differ much are not comparable.
 */
export function hostLoopMs(): number {
  const t = performance.now();
  let sum = 0;
  for (let i = 0; i < 5e8; i++) sum += i;
  if (sum < 0) throw new Error('unreachable');
  return performance.now() - t;
}

export const machineAtStart = (cores: number): Machine => ({ cores, loadavgAtStart: loadavg(), loadavgAtEnd: [], loopMsAtStart: hostLoopMs(), loopMsAtEnd: null });

/** The machine as a report's first line ends: cores, load and the host's speed. */
export const machineLine = (m: Machine) =>
  `${m.cores} cores, load ${loads(m.loadavgAtStart)} at start; host loop ${m.loopMsAtStart.toFixed(0)} ms at start, ` +
  `${m.loopMsAtEnd === null ? '–' : m.loopMsAtEnd.toFixed(0)} ms at end (hostLoopMs: lower is faster)`;

/** The run's total time and the load at its end, into its results. */
export function endRun(run: Run, results: { totalMs: number; machine: Machine }): void {
  results.totalMs = performance.now() - run.t0;
  results.machine.loadavgAtEnd = loadavg();
  results.machine.loopMsAtEnd = hostLoopMs();
}

/** Load averages as the reports print them. */
export const loads = (values: readonly number[]) => values.map((x) => x.toFixed(2)).join(' ');

/**
 * On SIGINT / SIGTERM: `stop` what this run started (`what`: "services", "processes"), then exit
 * with 130 / 143; a second signal exits at once.
 */
export function stopOnSignal(what: string, stop: () => Promise<unknown>): void {
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) process.exit(130);
    interrupted = true;
    log(`\n${signal}: stopping the ${what} this run started...`);
    void stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** The report's lines: `row` pads its labels to `width`; `end` adds the run time and the failures and joins them. */
export function reportLines(width: number) {
  const lines: string[] = [];
  const row = (label: string, value: string) => {
    lines.push(`${label.padEnd(width)}: ${value}`);
  };
  const end = (r: { totalMs: number; machine: Machine; failures: readonly string[] }) => {
    row('total run time', `${(r.totalMs / 1000).toFixed(1)} s (load ${loads(r.machine.loadavgAtEnd)} at end)`);
    for (const f of r.failures) lines.push(`FAIL: ${f}`);
    return lines.join('\n');
  };
  return { lines, row, end };
}

/** Print the report, write the figures (NaN and Infinity become null); the file's path from the repository root. */
export function publish(run: Run, report: string, figures: unknown): string {
  process.stdout.write(`\n${report}\n`);
  mkdirSync(run.outDir, { recursive: true });
  const file = join(run.outDir, `${run.bench}-${run.stamp}.json`);
  writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
  return file.slice(REPO_ROOT.length + 1);
}
