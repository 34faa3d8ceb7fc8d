import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { commandsRepo, timersRepo, type Db } from '@petitions/db';
import { SYSTEM_ACTOR } from '@petitions/domain';
import { TIMER_EVENT_FOR_KIND } from '@petitions/petition-workflow';
import { jobIds, startWorker, type QueueClient, type QueueSettings } from '@petitions/queue';
import { MicroBatcher, type Logger } from '@petitions/runtime';


/** Commands per applyBatch job: about one worker transaction. */
const COMMAND_BATCH = 250;
/** Timers fired per statement by fireDueTimers. */
const FIRE_PAGE = 1000;

/** Publish commands as applyBatch jobs of COMMAND_BATCH (ids only), all in one round trip. */
async function publishBatches(queues: QueueClient, commands: readonly { id: string; petition_id: string }[]): Promise<void> {
  const batches = [];
  for (let i = 0; i < commands.length; i += COMMAND_BATCH) {
    const part = commands.slice(i, i + COMMAND_BATCH).map((c) => ({ commandId: c.id, petitionId: c.petition_id }));
    batches.push({ payload: { commands: part }, jobId: jobIds.commandBatch(part.map((c) => c.commandId)) });
  }
  await queues.enqueueBulk('commands', 'applyBatch', batches);
}

export interface FireResult {
  /** Timers this call turned into commands. */
  fired: string[];
  /** Timers that were cancelled (the petition moved on) or fired before. */
  stale: string[];
}

/**
 * Turn due timers into commands, many in one statement. The timer id doubles as the command
 * id, so a timer that fires twice records one command; the machine ignores it if the petition
 * has moved on. Commands still pending are (re)published after commit.
 */
export async function fireTimers(db: Db, queues: QueueClient, timerIds: readonly string[]): Promise<FireResult> {
  if (timerIds.length === 0) return { fired: [], stale: [] };
  const rows = await timersRepo.fireTimers(db, { ids: timerIds }, TIMER_EVENT_FOR_KIND, SYSTEM_ACTOR);
  const fired = new Set(rows.map((t) => t.id));
  // Fired now or on an earlier delivery: either way a pending command is (re)published, in
  // batches (one job, one transaction per batch). If this add is lost, the recovery sweep republishes.
  const pending = (await commandsRepo.findCommandsByIds(db, timerIds)).filter((c) => c.status === 'pending');
  await publishBatches(queues, pending);
  return { fired: timerIds.filter((id) => fired.has(id)), stale: timerIds.filter((id) => !fired.has(id)) };
}

/** One timer: 'fired' if this call fired it, 'stale' if it was cancelled or fired before. */
export async function fireTimer(db: Db, queues: QueueClient, timerId: string): Promise<'fired' | 'stale'> {
  const r = await fireTimers(db, queues, [timerId]);
  return r.fired.length > 0 ? 'fired' : 'stale';
}

/**
 * The BullMQ worker for timer jobs. The pump sends one job per second that has deadlines
 * (`fireDue`: 10,000 deadlines in the same second are one job, fired a page at a time); the
 * worker's outbox sends near deadlines one by one (`fire`), and those falling due together are
 * fired together too.
 */
export function startTimerWorker(db: Db, queues: QueueClient, connection: Redis, settings: QueueSettings, logger: Logger): Worker {
  const batcher = new MicroBatcher<string, 'fired' | 'stale'>(500, async (ids) => {
    const r = await fireTimers(db, queues, ids);
    const fired = new Set(r.fired);
    return new Map(ids.map((id) => [id, fired.has(id) ? 'fired' : 'stale']));
  }, { maxInFlight: 2 });
  const worker = startWorker('timers', {
    fire: async ({ timerId, petitionId }) => {
      const r = await batcher.add(timerId);
      logger.debug({ timerId, petitionId, r }, 'timer');
      return r;
    },
    fireDue: async ({ dueBy }) => {
      const fired = await fireDueTimers(db, queues, new Date(dueBy));
      logger.debug({ dueBy, fired }, 'deadlines due');
      return fired;
    },
  }, connection, settings, { concurrency: 1000 });
  worker.on('error', (err) => logger.error({ err: err.message }, 'timer worker error'));
  return worker;
}

/**
 * Fire every pending timer due at or before `dueBy`, straight from Postgres: pages of 1,000, each
 * one statement (claim, mark fired, record commands), two pages at a time. The pump's per-second
 * jobs and the recovery sweep use it; tests use it with a clock they move.
 */
export async function fireDueTimers(db: Db, queues: QueueClient, dueBy: Date): Promise<number> {
  let fired = 0;
  const firer = async () => {
    for (;;) {
      const commands = await timersRepo.fireTimers(db, { dueBy, limit: FIRE_PAGE }, TIMER_EVENT_FOR_KIND, SYSTEM_ACTOR);
      if (commands.length === 0) return;
      fired += commands.length;
      await publishBatches(queues, commands);
    }
  };
  await Promise.all([firer(), firer()]);
  return fired;
}
