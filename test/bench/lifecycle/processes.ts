import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from './config.js';

const STOP_GRACE_MS = 10_000;

/** A process this bench spawned: `node --import tsx <script>`, one process per service (no wrapper). */
export class Service {
  readonly proc: ChildProcess;
  readonly exited: Promise<number | string>;
  private exitInfo: number | string | null = null;
  private readonly tail: string[] = [];
  private readonly log: WriteStream;
  private readonly watchers = new Set<(line: string) => void>();

  constructor(readonly name: string, script: string, env: Record<string, string>, logDir: string) {
    mkdirSync(logDir, { recursive: true });
    this.log = createWriteStream(join(logDir, `${name}.log`), { flags: 'w' });
    // PATH etc. from our environment, then the service's own settings. Nothing else leaks in
    // (e.g. a DB_POOL_SIZE meant for the worker must not reach the API).
    const base: Record<string, string> = {};
    for (const k of ['PATH', 'HOME', 'LANG', 'TZ', 'NODE_OPTIONS', 'TMPDIR']) {
      const v = process.env[k];
      if (v !== undefined) base[k] = v;
    }
    // BENCH_PROFILE=1: a V8 CPU profile per service, written when it exits (open in Chrome DevTools).
    // One file per thread (the tsx loader runs in a thread of its own); the largest is the main thread.
    const profile = process.env.BENCH_PROFILE === '1' ? ['--cpu-prof', `--cpu-prof-dir=${join(logDir, 'profiles', name)}`] : [];
    this.proc = spawn(process.execPath, [...profile, '--import', 'tsx', script], {
      cwd: REPO_ROOT, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) => {
      this.proc.once('exit', (code, signal) => {
        this.exitInfo = code ?? signal ?? 'unknown';
        resolve(this.exitInfo);
      });
      this.proc.once('error', (err) => {
        this.exitInfo = `spawn error: ${err.message}`;
        resolve(this.exitInfo);
      });
    });
    for (const stream of [this.proc.stdout, this.proc.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => this.onLine(line));
    }
  }

  private onLine(line: string): void {
    this.log.write(`${line}\n`);
    this.tail.push(line);
    if (this.tail.length > 40) this.tail.shift();
    for (const w of this.watchers) w(line);
  }

  /** Call `fn` with every line the service prints from now on. */
  watch(fn: (line: string) => void): void {
    this.watchers.add(fn);
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  get running(): boolean {
    return this.exitInfo === null;
  }

  lastLines(): string {
    return this.tail.map((l) => `  [${this.name}] ${l}`).join('\n');
  }

  /** Resolve when `ready()` is true, a line matches, or fail if the process exits / time runs out. */
  async waitReady(opts: { line?: (line: string) => boolean; probe?: () => Promise<boolean>; timeoutMs: number }): Promise<number> {
    const t0 = performance.now();
    let done = false;
    let watcher: ((line: string) => void) | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${this.name} not ready after ${opts.timeoutMs} ms\n${this.lastLines()}`)), opts.timeoutMs);
        const finish = (err?: Error) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          if (err) reject(err);
          else resolve();
        };
        if (opts.line) {
          const match = opts.line;
          watcher = (line) => { if (match(line)) finish(); };
          this.watchers.add(watcher);
        }
        void this.exited.then((info) => finish(new Error(`${this.name} exited during start-up (${info})\n${this.lastLines()}`)));
        if (opts.probe) {
          const probe = opts.probe;
          const poll = async () => {
            while (!done) {
              if (await probe().catch(() => false)) { finish(); return; }
              await sleep(50);
            }
          };
          void poll();
        }
      });
    } finally {
      if (watcher) this.watchers.delete(watcher);
    }
    return performance.now() - t0;
  }

  /** SIGTERM (the services shut down gracefully), SIGKILL after a grace period. */
  async stop(): Promise<void> {
    if (this.running && this.pid !== undefined) {
      try { process.kill(this.pid, 'SIGTERM'); } catch { /* already gone */ }
      const timer = setTimeout(() => this.kill(), STOP_GRACE_MS);
      await this.exited;
      clearTimeout(timer);
    }
    await new Promise<void>((resolve) => this.log.end(() => resolve()));
  }

  /** Synchronous last resort (process 'exit' handler). */
  kill(): void {
    if (this.running && this.pid !== undefined) {
      try { process.kill(this.pid, 'SIGKILL'); } catch { /* already gone */ }
    }
  }
}

/** Every service started by this run, so that any way out of the run stops them. */
export class ServiceSet {
  private readonly services: Service[] = [];

  constructor(private readonly logDir: string) {
    process.once('exit', () => { for (const s of this.services) s.kill(); });
  }

  start(name: string, script: string, env: Record<string, string>): Service {
    const s = new Service(name, script, env, this.logDir);
    this.services.push(s);
    return s;
  }

  /** Pids of the services still running, by name (for CPU accounting). */
  pids(): Record<string, number | undefined> {
    const out: Record<string, number | undefined> = {};
    for (const s of this.services) if (s.running) out[s.name] = s.pid;
    return out;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.services.map((s) => s.stop()));
  }

  /** A service that died while the bench relies on it makes the numbers meaningless. */
  assertRunning(...names: string[]): void {
    for (const s of this.services) {
      if (names.includes(s.name) && !s.running) throw new Error(`${s.name} exited unexpectedly\n${s.lastLines()}`);
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
