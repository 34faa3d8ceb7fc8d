/**
 * Baseline B's worker process: a BullMQ Worker that does nothing per job, set up like the
 * workflow worker (its own process, the project's connection factory, the same prefix), so the
 * figure is what BullMQ alone costs per job on this machine. Spawned by run.ts.
 */
import { Worker } from 'bullmq';
import { createRedisConnection } from '@petitions/queue';

const redisUrl = process.env.REDIS_URL;
const prefix = process.env.QUEUE_PREFIX;
const queueName = process.env.NOOP_QUEUE ?? 'noop';
const concurrency = Number(process.env.NOOP_CONCURRENCY ?? '128');
if (!redisUrl || !prefix) throw new Error('REDIS_URL and QUEUE_PREFIX are required');

const connection = createRedisConnection(redisUrl, 'worker');
const worker = new Worker(queueName, async () => null, { connection, prefix, concurrency, maxStalledCount: 5 });
worker.on('error', (err) => console.error(JSON.stringify({ level: 50, msg: 'noop worker error', err: err.message })));

let stopping = false;
const stop = async () => {
  if (stopping) process.exit(1);
  stopping = true;
  await worker.close();
  connection.disconnect();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());

await worker.waitUntilReady();
console.log(JSON.stringify({ level: 30, msg: 'noop-worker ready', concurrency }));
