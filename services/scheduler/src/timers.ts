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
  // Fired now or on an earlier delivery: either way a pending command is (re)published. If this
  // add is lost, the recovery sweep republishes it.
  const pending = (await commandsRepo.findCommandsByIds(db, timerIds)).filter((c) => c.status === 'pending');
  if (pending.length > 0) {
    await queues.queue('commands').addBulk(pending.map((c) => ({
      name: 'apply', data: { commandId: c.id, petitionId: c.petition_id }, opts: { jobId: jobIds.command(c.id) },
    })));
  }
  return { fired: timerIds.filter((id) => fired.has(id)), stale: timerIds.filter((id) => !fired.has(id)) };
}

/** One timer: 'fired' if this call fired it, 'stale' if it was cancelled or fired before. */
export async function fireTimer(db: Db, queues: QueueClient, timerId: string): Promise<'fired' | 'stale'> {
  const r = await fireTimers(db, queues, [timerId]);
  return r.fired.length > 0 ? 'fired' : 'stale';
}

/**
 * The BullMQ worker for delayed timer jobs. Timers falling due together (10,000 deadlines in the
 * same second) are fired together, a few hundred per transaction.
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
  }, connection, settings, { concurrency: 1000 });
  worker.on('error', (err) => logger.error({ err: err.message }, 'timer worker error'));
  return worker;
}
