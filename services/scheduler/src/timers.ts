import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { commandsRepo, timersRepo, type Db } from '@petitions/db';
import { SYSTEM_ACTOR, type DeadlineKind } from '@petitions/domain';
import type { TimerEventType } from '@petitions/petition-workflow';
import { startWorker, type QueueClient, type QueueSettings } from '@petitions/queue';
import type { Logger } from '@petitions/runtime';

const EVENT_FOR_KIND: Record<DeadlineKind, TimerEventType> = {
  sign_for: 'SIGN_FOR_DUE',
  handling: 'HANDLING_DUE',
  feedback: 'FEEDBACK_DUE',
};

/**
 * Turn a due timer into a command. The timer id doubles as the command id, so a timer that
 * fires twice records one command; the machine ignores it if the petition has moved on.
 */
export async function fireTimer(db: Db, queues: QueueClient, timerId: string): Promise<'fired' | 'stale'> {
  const fired = await db.transaction().execute(async (trx) => {
    const timer = await timersRepo.markFired(trx, timerId);
    if (!timer) return undefined;
    await trx.insertInto('commands').values({
      id: timer.id, petition_id: timer.petition_id, type: EVENT_FOR_KIND[timer.kind as DeadlineKind],
      payload: JSON.stringify({ timerKind: timer.kind, dueAt: timer.due_at.toISOString() }),
      actor_id: SYSTEM_ACTOR.id, actor_role: SYSTEM_ACTOR.role, actor_unit_id: null,
    }).onConflict((oc) => oc.column('id').doNothing()).execute();
    return timer;
  });
  // Fired now or on an earlier delivery: either way the command row exists and is (re)published.
  const command = await commandsRepo.findCommandById(db, timerId);
  if (!command) return 'stale';
  // After commit. If this add is lost, the sweep republishes the pending command.
  await queues.enqueue('commands', 'apply', { commandId: timerId, petitionId: command.petition_id }, { jobId: timerId });
  return fired ? 'fired' : 'stale';
}

export function startTimerWorker(db: Db, queues: QueueClient, connection: Redis, settings: QueueSettings, logger: Logger): Worker {
  const worker = startWorker('timers', {
    fire: async ({ timerId, petitionId }) => {
      const r = await fireTimer(db, queues, timerId);
      logger.debug({ timerId, petitionId, r }, 'timer');
      return r;
    },
  }, connection, settings, { concurrency: 20 });
  worker.on('error', (err) => logger.error({ err: err.message }, 'timer worker error'));
  return worker;
}
