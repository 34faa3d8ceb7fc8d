import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { flushQueuePrefix } from '../lifecycle/data.js';
import { freePort, sleep } from '../lifecycle/processes.js';

/**
 * A redis-server of this run's own, configured like the project-local one (infra/local/services.sh:
 * AOF fsync every second, noeviction, no RDB snapshots). The bench FLUSHALLs it, which on the shared
 * server would wipe the queues of every other test run, and its INFO memory counts only this run.
 */
export class PrivateRedis {
  private proc: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  url = '';

  constructor(private readonly dir: string) {}

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  async start(): Promise<string> {
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
    const port = await freePort();
    const proc = spawn('redis-server', [
      '--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes', '--dir', this.dir,
      '--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction', '--save', '',
      '--logfile', join(this.dir, 'redis.log'),
    ], { stdio: 'ignore' });
    this.proc = proc;
    this.exited = new Promise((resolve) => { proc.once('exit', () => resolve()); proc.once('error', () => resolve()); });
    process.once('exit', () => this.kill());
    this.url = `redis://127.0.0.1:${port}`;
    return this.url;
  }

  /** SIGTERM (Redis shuts down cleanly), then remove its files. */
  async stop(): Promise<void> {
    if (this.proc && this.proc.exitCode === null) {
      this.proc.kill('SIGTERM');
      const timer = setTimeout(() => this.kill(), 10_000);
      await this.exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  kill(): void {
    if (this.proc && this.proc.exitCode === null) this.proc.kill('SIGKILL');
  }
}

export async function waitForPing(redis: Redis, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    try {
      if ((await redis.ping()) === 'PONG') return;
    } catch { /* not up yet */ }
    if (Date.now() - t0 > timeoutMs) throw new Error(`Redis did not answer PING within ${timeoutMs} ms`);
    await sleep(50);
  }
}

function infoField(info: string, field: string): number {
  const m = new RegExp(`^${field}:(\\d+)`, 'm').exec(info);
  return m ? Number(m[1]) : Number.NaN;
}

/** `used_memory` from INFO memory (bytes allocated by Redis, what the memory figures compare). */
export async function usedMemory(redis: Redis): Promise<number> {
  return infoField(await redis.info('memory'), 'used_memory');
}

/**
 * used_memory once it stops moving (lazy frees, the AOF buffer, client buffers settle): the lowest
 * of a few reads taken 100 ms apart.
 */
export async function settledMemory(redis: Redis, reads = 5): Promise<number> {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < reads; i++) {
    if (i > 0) await sleep(100);
    min = Math.min(min, await usedMemory(redis));
  }
  return min;
}

/** Delete every key under the queue prefix (and nothing else). */
export const deletePrefix = flushQueuePrefix;

/** Keys under the prefix, by what follows it (e.g. `timers:delayed`, `timers:<jobId>` counted as `timers:<job>`). */
export async function keyCensus(redis: Redis, prefix: string): Promise<Record<string, number>> {
  const pattern = `${prefix.replace(/[\\*?[\]]/g, (c) => `\\${c}`)}:*`;
  const out: Record<string, number> = {};
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 5000);
    cursor = next;
    for (const k of keys) {
      const rest = k.slice(prefix.length + 1);
      const [queue, kind] = rest.split(':', 2) as [string, string | undefined];
      const bucket = kind === undefined ? queue : /^(timer-|notify-|[0-9a-f]{8}-)/.test(kind) ? `${queue}:<job>` : `${queue}:${kind}`;
      out[bucket] = (out[bucket] ?? 0) + 1;
    }
  } while (cursor !== '0');
  return out;
}
