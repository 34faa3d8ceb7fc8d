import type { Db } from '@petitions/db';
import { commandsRepo } from '@petitions/db';
import { jobIds, type QueueClient } from '@petitions/queue';
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
  const stale = await commandsRepo.listStalePending(db, olderThan, 5000);
  const commandQueue = queues.queue('commands');
  // Looked up all at once (the connection pipelines them) rather than one round trip after another.
  const jobs = await Promise.all(stale.map((c) => commandQueue.getJob(jobIds.command(c.id))));
  const failed = await Promise.all(jobs.map(async (j) => j !== undefined && (await j.isFailed())));
  let republished = 0;
  let missing: typeof stale = [];
  // Missing jobs are added in bulk; a run is flushed before a retry so the queue keeps the commands' order.
  const addMissing = async () => {
    await queues.enqueueBulk('commands', 'apply', missing.map((c) => ({ payload: { commandId: c.id, petitionId: c.petition_id }, jobId: jobIds.command(c.id) })));
    republished += missing.length;
    missing = [];
  };
  for (const [i, c] of stale.entries()) {
    const existing = jobs[i];
    if (!existing) {
      missing.push(c);
    } else if (failed[i]) {
      // A job that exhausted its retries (say the database was down) is given another round.
      await addMissing();
      await existing.retry('failed');
      republished++;
    }
  }
  await addMissing();
  return republished;
}
