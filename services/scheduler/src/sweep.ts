import type { Db } from '@petitions/db';
import { commandsRepo } from '@petitions/db';
import type { QueueClient } from '@petitions/queue';
import { fireDueTimers } from './timers.js';

export interface SweepResult {
  commandsRepublished: number;
  /** Deadlines past due that Redis never fired (it lost them), fired from Postgres. */
  lateTimersFired: number;
}

/**
 * Rebuild from Postgres what Redis may have lost: commands recorded but never applied (Redis was
 * down when the API wrote them, or lost its data), and deadlines that passed without firing.
 * Job ids are the row ids and a timer fires once, so a sweep overlapping live traffic adds nothing twice.
 */
export async function sweepOnce(db: Db, queues: QueueClient, opts: { staleAfterMs: number; lateAfterMs: number; now?: Date }): Promise<SweepResult> {
  const now = opts.now ?? new Date();
  const commandsRepublished = await republishStaleCommands(db, queues, new Date(now.getTime() - opts.staleAfterMs));
  const lateTimersFired = await fireDueTimers(db, queues, new Date(now.getTime() - opts.lateAfterMs));
  return { commandsRepublished, lateTimersFired };
}

/** Publish again every command recorded before `olderThan` and still not applied. */
export async function republishStaleCommands(db: Db, queues: QueueClient, olderThan: Date): Promise<number> {
  let commandsRepublished = 0;
  const stale = await commandsRepo.listStalePending(db, olderThan, 5000);
  const commandQueue = queues.queue('commands');
  for (const c of stale) {
    const existing = await commandQueue.getJob(c.id);
    // A job that exhausted its retries (say the database was down) is given another round.
    if (existing && (await existing.isFailed())) {
      await existing.retry('failed');
      commandsRepublished++;
    } else if (!existing) {
      await queues.enqueue('commands', 'apply', { commandId: c.id, petitionId: c.petition_id }, { jobId: c.id });
      commandsRepublished++;
    }
  }
  return commandsRepublished;
}

