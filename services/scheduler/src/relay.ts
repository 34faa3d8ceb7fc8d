import type { Db } from '@petitions/db';
import { outboxRepo } from '@petitions/db';
import type { QueueClient, QueueName } from '@petitions/queue';

/**
 * Publish committed outbox rows to BullMQ. Rows are claimed with SKIP LOCKED and marked
 * published in the same transaction; if the process dies after adding the jobs but before the
 * commit, the next pass adds them again under the same job ids, which BullMQ ignores.
 */
export async function relayOutboxOnce(db: Db, queues: QueueClient, limit = 500, now: () => Date = () => new Date()): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const rows = await outboxRepo.claimUnpublished(trx, limit);
    if (rows.length === 0) return 0;
    const byQueue = new Map<QueueName, typeof rows>();
    for (const r of rows) {
      const list = byQueue.get(r.queue as QueueName) ?? [];
      list.push(r);
      byQueue.set(r.queue as QueueName, list);
    }
    const t = now().getTime();
    await Promise.all([...byQueue].map(([queue, list]) =>
      queues.queue(queue).addBulk(list.map((r) => ({
        name: r.job_name,
        data: r.payload,
        opts: { jobId: r.job_id, ...(r.delay_until ? { delay: Math.max(0, r.delay_until.getTime() - t) } : {}) },
      }))),
    ));
    await outboxRepo.markPublished(trx, rows.map((r) => r.id), now());
    return rows.length;
  });
}
