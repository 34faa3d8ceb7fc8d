import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRedisConnection } from '@petitions/queue';
import { deleteQueueKeys, type TestDatabase } from './fixtures.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** A throwaway Redis of the test's own, so a test can take it down without touching anyone else. */
export class PrivateRedis {
  private proc: ChildProcess | null = null;
  private readonly dir = mkdtempSync(join(tmpdir(), 'petitions-redis-'));
  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.proc = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir], { stdio: 'ignore' });
    const { Redis } = await import('ioredis');
    for (let i = 0; i < 100; i++) {
      const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        await probe.ping();
        probe.disconnect();
        return;
      } catch {
        probe.disconnect();
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new Error('private redis did not start');
  }

  async stop(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
    this.proc = null;
  }

  /** Stop it for good and remove its folder (stop alone keeps it, for a restart). */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface ServiceProcess {
  proc: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  waitForOutput: (text: string, timeoutMs?: number) => Promise<void>;
  kill: () => Promise<void>;
}

/** Start one of the services as a real process (through tsx, as `pnpm start` does). */
export function startService(entry: string, env: Record<string, string>): ServiceProcess {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, entry)], {
    cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
  proc.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return {
    proc,
    output: () => out,
    exited,
    waitForOutput: async (text, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!out.includes(text)) {
        if (proc.exitCode !== null) throw new Error(`${entry} exited (${proc.exitCode}) before printing "${text}":\n${out}`);
        if (Date.now() > deadline) throw new Error(`${entry} did not print "${text}" in time:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    kill: async () => {
      if (proc.exitCode !== null) return;
      proc.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * The end of a test file that ran services as processes: SIGTERM them all (they drain and exit),
 * then drop its database and delete its queue keys. Returns the services' exit codes.
 */
export async function stopServicesAndCleanUp(procs: readonly ServiceProcess[], tdb: TestDatabase, prefix: string): Promise<(number | null)[]> {
  for (const p of procs) p.proc.kill('SIGTERM');
  const codes = await Promise.all(procs.map((p) => p.exited));
  await tdb.drop();
  const redis = createRedisConnection(process.env.REDIS_URL!, 'worker');
  await deleteQueueKeys(redis, prefix);
  redis.disconnect();
  return codes;
}
