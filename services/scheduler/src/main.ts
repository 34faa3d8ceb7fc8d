import { parseEnv, SchedulerEnv } from '@petitions/config';
import { createDb } from '@petitions/db';
import { createRedisConnection, QueueClient, redisReady } from '@petitions/queue';
import { createLogger, runService } from '@petitions/runtime';
import { startLoop } from './loop.js';
import { RedisEpoch, TimerPump, timerTick } from './pump.js';
import { relayOutboxOnce } from './relay.js';
import { foldReportsOnce } from './report-fold.js';
import { sweepOnce } from './sweep.js';
import { startTimerWorker } from './timers.js';

const config = parseEnv(SchedulerEnv);
const logger = createLogger('scheduler', config.LOG_LEVEL);

await runService('scheduler', logger, config.SHUTDOWN_TIMEOUT_MS, async () => {
  const db = createDb({ connectionString: config.DATABASE_URL, poolSize: config.DB_POOL_SIZE, applicationName: 'scheduler' });
  const settings = { prefix: config.QUEUE_PREFIX };
  const producer = createRedisConnection(config.REDIS_URL, 'producer');
  const workerConnection = createRedisConnection(config.REDIS_URL, 'worker');
  await redisReady(producer, 30_000);
  const queues = new QueueClient(producer, settings);
  const timerWorker = startTimerWorker(db, queues, workerConnection, settings, logger);
  const relay = startLoop('outbox relay', config.RELAY_INTERVAL_MS, logger, async () => {
    // Keep relaying while there is a backlog; sleep only when the outbox is empty.
    while ((await relayOutboxOnce(db, queues)) > 0) { /* drain */ }
  });
  const pump = new TimerPump(db, queues, config.TIMER_HORIZON_MS);
  const epoch = new RedisEpoch(producer, `${config.QUEUE_PREFIX}:epoch`);
  const timers = startLoop('timer pump', config.TIMER_PUMP_INTERVAL_MS, logger, async () => {
    const r = await timerTick(db, queues, pump, epoch);
    if (r.rebuilt) logger.info(r, 'rebuilt Redis state from Postgres');
  });
  const sweep = startLoop('recovery sweep', config.SWEEP_INTERVAL_MS, logger, async () => {
    const r = await sweepOnce(db, queues, { staleAfterMs: config.SWEEP_STALE_AFTER_MS, lateAfterMs: config.TIMER_LATE_AFTER_MS });
    if (r.commandsRepublished || r.lateTimersFired) logger.info(r, 'recovery sweep republished work');
  });
  const reports = startLoop('report fold', config.REPORT_FOLD_INTERVAL_MS, logger, async () => {
    await foldReportsOnce(db);
  });
  logger.info('scheduler ready');
  return {
    drain: async () => {
      await Promise.all([relay.stop(), timers.stop(), sweep.stop(), reports.stop(), timerWorker.close()]);
    },
    close: async () => {
      await queues.close();
      producer.disconnect();
      workerConnection.disconnect();
      await db.destroy();
    },
  };
});
