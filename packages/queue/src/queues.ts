import { Queue, UnrecoverableError, Worker, type Job, type Processor, type WorkerOptions } from 'bullmq';
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { Redis } from 'ioredis';
import { CommandPublisher } from './command-publisher.js';
import { QUEUES, type CommandRef, type JobName, type JobPayload, type QueueName } from './registry.js';

export interface QueueSettings {
  /** Key prefix; braces make it a Redis Cluster hash tag so each queue's keys share a slot. */
  prefix: string;
}

function jobOptions(opts: { jobId: string; delayMs?: number }): { jobId: string; delay?: number } {
  return { jobId: opts.jobId, ...(opts.delayMs ? { delay: Math.max(0, opts.delayMs) } : {}) };
}

/** The producer side: one BullMQ Queue per registry entry, sharing one connection. */
export class QueueClient {
  private readonly queues = new Map<QueueName, Queue>();
  private publisher: CommandPublisher | undefined;

  constructor(private readonly connection: Redis, private readonly settings: QueueSettings) {}

  queue(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.connection, prefix: this.settings.prefix, defaultJobOptions: QUEUES[name].options });
      q.on('error', () => undefined);
      this.queues.set(name, q);
    }
    return q;
  }

  /** Add a job with a deterministic id: adding the same id twice is a no-op in BullMQ. */
  async enqueue<Q extends QueueName, J extends JobName<Q>>(
    queue: Q, job: J, payload: JobPayload<Q, J>, opts: { jobId: string; delayMs?: number },
  ): Promise<void> {
    await this.queue(queue).add(job, payload, jobOptions(opts));
  }

  /** Many jobs of one kind in one round trip, in this order; as with `enqueue`, an id already there is left alone. */
  async enqueueBulk<Q extends QueueName, J extends JobName<Q>>(
    queue: Q, job: J, jobs: readonly { payload: JobPayload<Q, J>; jobId: string; delayMs?: number }[],
  ): Promise<void> {
    if (jobs.length === 0) return;
    await this.queue(queue).addBulk(jobs.map((j) => ({ name: job, data: j.payload, opts: jobOptions(j) })));
  }

  /**
   * Publish a command the API recorded, grouped with others recorded while an add is under way
   * (CommandPublisher). Resolves with the id of the job that carries it.
   */
  publishCommand(ref: CommandRef, timeoutMs: number): Promise<string> {
    this.publisher ??= new CommandPublisher(this);
    return this.publisher.publish(ref, timeoutMs);
  }

  /** True when Redis answers: tells a failing job apart from an unreachable Redis. */
  async reachable(): Promise<boolean> {
    return this.connection.ping().then(() => true, () => false);
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}

// Compiled once: every job passes through these on a hot path.
const checkers = new Map<string, TypeCheck<TSchema>>();
function checkerFor(queue: QueueName, name: string): TypeCheck<TSchema> | undefined {
  const key = `${queue}/${name}`;
  let c = checkers.get(key);
  if (!c) {
    const schema = (QUEUES[queue].jobs as Record<string, TSchema>)[name];
    if (!schema) return undefined;
    c = TypeCompiler.Compile(schema);
    checkers.set(key, c);
  }
  return c;
}

/** Re-validate a dequeued payload: queued data outlives deploys, so TypeScript types prove nothing. */
export function parseJob<Q extends QueueName, J extends JobName<Q>>(queue: Q, job: Job): { name: J; data: JobPayload<Q, J> } {
  const checker = checkerFor(queue, job.name);
  if (!checker) throw new UnrecoverableError(`Unknown job "${job.name}" on queue "${queue}"`);
  if (!checker.Check(job.data)) {
    const first = [...checker.Errors(job.data)][0];
    throw new UnrecoverableError(`Invalid payload for ${queue}/${job.name}: ${first ? `${first.path} ${first.message}` : 'does not match schema'}`);
  }
  return { name: job.name as J, data: job.data as JobPayload<Q, J> };
}

/**
 * Start a worker whose processor gets validated payloads. Every job name of the queue must have a
 * handler; that is checked here, at boot.
 */
export function startWorker<Q extends QueueName>(
  queue: Q,
  handlers: { [J in JobName<Q>]: (data: JobPayload<Q, J>, job: Job) => Promise<unknown> },
  connection: Redis,
  settings: QueueSettings,
  options: Omit<WorkerOptions, 'connection' | 'prefix'> = {},
): Worker {
  const missing = Object.keys(QUEUES[queue].jobs).filter((name) => !(name in handlers));
  if (missing.length) throw new Error(`Queue "${queue}" has no handler for: ${missing.join(', ')}`);
  const processor: Processor = async (job) => {
    const { name, data } = parseJob<Q, JobName<Q>>(queue, job);
    return handlers[name](data, job);
  };
  return new Worker(queue, processor, { ...options, connection, prefix: settings.prefix });
}
