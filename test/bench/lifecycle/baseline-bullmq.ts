import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUES } from '@petitions/queue';
import type { BenchConfig } from './config.js';
import { CpuMeter, type CpuUse } from './cpu.js';
import { chunks } from './data.js';
import { sleep, type ServiceSet } from './processes.js';

export const NOOP_QUEUE = 'noop';

export interface BullmqResult {
  jobs: number;
  concurrency: number;
  ms: number;
  perSecond: number;
  enqueueMs: number;
  cpu: CpuUse;
}

/**
 * M no-op jobs through BullMQ: addBulk in chunks from this process, a no-op worker in its own
 * process (mirroring the engine), clock from the first add to the last job completed. Jobs carry
 * the same payload shape and default options as the command queue.
 */
export async function runBullmqNoop(cfg: BenchConfig, producer: Redis, services: ServiceSet): Promise<BullmqResult> {
  const worker = services.start('noop-worker', 'test/bench/lifecycle/noop-worker.ts', {
    REDIS_URL: cfg.redisUrl, QUEUE_PREFIX: cfg.queuePrefix, NOOP_QUEUE, NOOP_CONCURRENCY: String(cfg.noopConcurrency),
  });
  const queue = new Queue(NOOP_QUEUE, { connection: producer, prefix: cfg.queuePrefix, defaultJobOptions: QUEUES.commands.options });
  queue.on('error', () => undefined);
  try {
    await worker.waitReady({ line: (l) => l.includes('"noop-worker ready"'), timeoutMs: 60_000 });
    const jobs = Array.from({ length: cfg.noopJobs }, () => {
      const id = randomUUID();
      return { name: 'noop', data: { commandId: id, petitionId: randomUUID() }, opts: { jobId: id } };
    });
    const cpuMeter = new CpuMeter(() => services.pids());
    const t0 = performance.now();
    for (const chunk of chunks(jobs, 1000)) await queue.addBulk(chunk);
    const enqueueMs = performance.now() - t0;
    for (;;) {
      if ((await queue.getCompletedCount()) >= jobs.length) break;
      if (!worker.running) throw new Error(`noop-worker exited\n${worker.lastLines()}`);
      if (performance.now() - t0 > 120_000) throw new Error('BullMQ no-op jobs not all completed after 120 s');
      await sleep(20);
    }
    const ms = performance.now() - t0;
    const cpu = cpuMeter.stop();
    return { jobs: jobs.length, concurrency: cfg.noopConcurrency, ms, perSecond: (jobs.length * 1000) / ms, enqueueMs, cpu };
  } finally {
    await queue.close();
    await worker.stop();
  }
}
