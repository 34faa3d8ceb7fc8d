import { outboxRepo, type Db, type OutboxRow } from '@petitions/db';
import { withTimeout, type QueueClient, type QueueName } from '@petitions/queue';

function toJob(r: OutboxRow, now: number) {
  return {
    name: r.job_name,
    data: r.payload,
    opts: { jobId: r.job_id, ...(r.delay_until ? { delay: Math.max(0, r.delay_until.getTime() - now) } : {}) },
  };
}

/**
 * Publish committed outbox rows to BullMQ. Rows are claimed with SKIP LOCKED and marked
 * published in the same transaction; if the process dies after adding the jobs but before the
 * commit, the next pass adds them again under the same job ids, which BullMQ ignores.
 * If a bulk add fails, rows are tried one by one so a single bad row cannot block the rest;
 * a row that keeps failing is counted and eventually left as a dead letter.
 */
export async function relayOutboxOnce(db: Db, queues: QueueClient, limit = 500, now: () => Date = () => new Date(), timeoutMs = 5000): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const rows = await outboxRepo.claimUnpublished(trx, limit);
    if (rows.length === 0) return 0;
    const byQueue = new Map<QueueName, OutboxRow[]>();
    for (const r of rows) {
      const list = byQueue.get(r.queue as QueueName) ?? [];
      list.push(r);
      byQueue.set(r.queue as QueueName, list);
    }
    const t = now().getTime();
    const published: string[] = [];
    for (const [queue, list] of byQueue) {
      try {
        await withTimeout(queues.queue(queue).addBulk(list.map((r) => toJob(r, t))), timeoutMs, 'outbox publish');
        published.push(...list.map((r) => r.id));
      } catch (err) {
        // Redis down: nothing is the rows' fault; leave them all for the next pass.
        if (!(await withTimeout(queues.reachable(), timeoutMs, 'redis ping').catch(() => false))) throw err;
        for (const r of list) {
          try {
            const job = toJob(r, t);
            await withTimeout(queues.queue(queue).add(job.name, job.data, job.opts), timeoutMs, 'outbox publish');
            published.push(r.id);
          } catch (err) {
            await outboxRepo.recordPublishFailure(trx, r.id, err instanceof Error ? err.message : String(err));
          }
        }
      }
    }
    await outboxRepo.markPublished(trx, published, now());
    return published.length;
  });
}
