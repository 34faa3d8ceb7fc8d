import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { commandsRepo, timersRepo, type Db } from '@petitions/db';
import { SYSTEM_ACTOR, type DeadlineKind } from '@petitions/domain';
import type { TimerEventType } from '@petitions/petition-workflow';
import { jobIds, startWorker, type QueueClient, type QueueSettings } from '@petitions/queue';
import { MicroBatcher, type Logger } from '@petitions/runtime';

const EVENT_FOR_KIND: Record<DeadlineKind, TimerEventType> = {
  sign_for: 'SIGN_FOR_DUE',
  handling: 'HANDLING_DUE',
  feedback: 'FEEDBACK_DUE',
  handling_reminder: 'HANDLING_REMINDER_DUE',
  handling_escalation: 'HANDLING_ESCALATION_DUE',
};

/** Commands per applyBatch job: about one worker transaction. */
const COMMAND_BATCH = 250;

/** Publish commands as applyBatch jobs of COMMAND_BATCH (ids only). */
async function publishBatches(queues: QueueClient, commands: readonly { id: string; petition_id: string }[]): Promise<void> {
  for (let i = 0; i < commands.length; i += COMMAND_BATCH) {
    const part = commands.slice(i, i + COMMAND_BATCH).map((c) => ({ commandId: c.id, petitionId: c.petition_id }));
    await queues.enqueue('commands', 'applyBatch', { commands: part }, { jobId: jobIds.commandBatch(part[0]!.commandId, part.length) });
  }
}

export interface FireResult {
  /** Timers this call turned into commands. */
  fired: string[];
  /** Timers that were cancelled (the petition moved on) or fired before. */
  stale: string[];
}

/**
 * Turn due timers into commands, many in one transaction. The timer id doubles as the command
 * id, so a timer that fires twice records one command; the machine ignores it if the petition
 * has moved on. Commands still pending are (re)published after commit.
 */
export async function fireTimers(db: Db, queues: QueueClient, timerIds: readonly string[]): Promise<FireResult> {
  if (timerIds.length === 0) return { fired: [], stale: [] };
  const fired = await db.transaction().execute(async (trx) => {
    const rows = await timersRepo.markFired(trx, timerIds);
    if (rows.length > 0) {
      await trx.insertInto('commands').values(rows.map((t) => ({
        id: t.id, petition_id: t.petition_id, type: EVENT_FOR_KIND[t.kind as DeadlineKind],
        payload: JSON.stringify({ timerKind: t.kind, dueAt: t.due_at.toISOString() }),
        actor_id: SYSTEM_ACTOR.id, actor_role: SYSTEM_ACTOR.role, actor_unit_id: null,
      }))).onConflict((oc) => oc.column('id').doNothing()).execute();
    }
    return new Set(rows.map((t) => t.id));
  });
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
  }, 2);
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
      const commands = await db.transaction().execute((trx) => timersRepo.fireDueInOneStatement(trx, dueBy, FIRE_PAGE, EVENT_FOR_KIND, SYSTEM_ACTOR));
      if (commands.length === 0) return;
      fired += commands.length;
      await publishBatches(queues, commands);
    }
  };
  await Promise.all([firer(), firer()]);
  return fired;
}

const FIRE_PAGE = 1000;
