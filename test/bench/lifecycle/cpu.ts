import { readdirSync, readFileSync } from 'node:fs';

/** Linux USER_HZ: /proc times are in 1/100 s on every mainstream kernel build. */
const TICKS_PER_SECOND = 100;

interface ProcTimes {
  comm: string;
  ticks: number;
  starttime: number;
}

function readProcs(): Map<number, ProcTimes> {
  const out = new Map<number, ProcTimes>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const open = stat.indexOf('(');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(open + 1, close);
      const f = stat.slice(close + 2).split(' ');
      // After "pid (comm) ": state=0 ... utime=11 stime=12 ... starttime=19
      out.set(Number(e), { comm, ticks: Number(f[11]) + Number(f[12]), starttime: Number(f[19]) });
    } catch {
      // exited while we looked
    }
  }
  return out;
}

function readMachine(): { busy: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const total = v.reduce((a, b) => a + b, 0);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: 0, total: 0 };
  }
}

/** Cores used per group of processes during a window (1.0 = one core fully busy). */
export type CpuUse = Record<string, number>;

/**
 * Where the machine's CPU went while something ran: the services this bench started (by pid),
 * this bench process, Postgres and Redis (by process name, so other users of those servers count
 * too), everything else, and the machine total. Linux only; elsewhere it reports nothing.
 */
export class CpuMeter {
  private readonly t0 = performance.now();
  private readonly procs0 = readProcs();
  private readonly machine0 = readMachine();

  constructor(private readonly named: () => Record<string, number | undefined>) {}

  stop(): CpuUse {
    const seconds = (performance.now() - this.t0) / 1000;
    const procs1 = readProcs();
    const machine1 = readMachine();
    if (procs1.size === 0 || seconds <= 0) return {};
    const byPid = new Map<number, string>();
    for (const [name, pid] of Object.entries({ bench: process.pid, ...this.named() })) if (pid !== undefined) byPid.set(pid, name);
    const use: CpuUse = {};
    const add = (k: string, ticks: number) => { use[k] = (use[k] ?? 0) + ticks; };
    for (const [pid, p1] of procs1) {
      const p0 = this.procs0.get(pid);
      const ticks = p0 && p0.starttime === p1.starttime ? p1.ticks - p0.ticks : p1.ticks;
      if (ticks <= 0) continue;
      const group = byPid.get(pid) ?? (p1.comm.startsWith('postgres') ? 'postgres' : p1.comm.startsWith('redis-server') ? 'redis' : 'other');
      add(group, ticks);
    }
    const out: CpuUse = {};
    for (const [k, ticks] of Object.entries(use)) out[k] = ticks / TICKS_PER_SECOND / seconds;
    const totalTicks = machine1.total - this.machine0.total;
    if (totalTicks > 0) {
      const cores = totalTicks / TICKS_PER_SECOND / seconds;
      out.machine = ((machine1.busy - this.machine0.busy) / totalTicks) * cores;
    }
    return out;
  }
}

export function formatCpu(use: CpuUse, order: readonly string[] = ['workflow-worker', 'api', 'noop-worker', 'bench', 'postgres', 'redis', 'other']): string {
  const parts = order.filter((k) => (use[k] ?? 0) >= 0.005).map((k) => `${k} ${(use[k] ?? 0).toFixed(2)}`);
  if (use.machine !== undefined) {
    // Processes that exited during the window (and some kernel time) show only in the total.
    const attributed = Object.entries(use).filter(([k]) => k !== 'machine').reduce((a, [, v]) => a + v, 0);
    const rest = use.machine - attributed;
    if (rest >= 0.05) parts.push(`unattributed ${rest.toFixed(2)}`);
    parts.push(`machine ${use.machine.toFixed(2)}`);
  }
  return parts.length ? `cores used: ${parts.join(', ')}` : 'cores used: n/a';
}
