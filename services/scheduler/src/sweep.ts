import type { Db } from '@petitions/db';
import { commandsRepo, timersRepo } from '@petitions/db';
import { jobIds, type QueueClient } from '@petitions/queue';

export interface SweepResult {
  commandsRepublished: number;
  timersRepublished: number;
}

/**
 * Rebuild from Postgres what Redis may have lost: commands recorded but never applied (Redis was
 * down when the API wrote them, or lost its data), and timers due soon. Job ids are the row ids,
 * so a sweep that overlaps with live traffic adds nothing twice.
 */
export async function sweepOnce(db: Db, queues: QueueClient, opts: { staleAfterMs: number; timerHorizonMs: number; now?: Date }): Promise<SweepResult> {
  const now = opts.now ?? new Date();
  let commandsRepublished = 0;
  const stale = await commandsRepo.listStalePending(db, new Date(now.getTime() - opts.staleAfterMs), 5000);
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
  const timers = await timersRepo.listPendingDueBefore(db, new Date(now.getTime() + opts.timerHorizonMs), 10_000);
  let timersRepublished = 0;
  const timerQueue = queues.queue('timers');
  for (const t of timers) {
    if (await timerQueue.getJob(jobIds.timer(t.id))) continue;
    await queues.enqueue('timers', 'fire', { timerId: t.id, petitionId: t.petition_id }, { jobId: jobIds.timer(t.id), delayMs: t.due_at.getTime() - now.getTime() });
    timersRepublished++;
  }
  return { commandsRepublished, timersRepublished };
}
