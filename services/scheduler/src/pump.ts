import type { Redis } from 'ioredis';
import { outboxRepo, timersRepo, type Db } from '@petitions/db';
import { jobIds, withTimeout, type QueueClient } from '@petitions/queue';
import { republishStaleCommands } from './sweep.js';

const PAGE = 5000;
/** Undelivered messages older than this are not sent again after a rebuild: stale news helps nobody. */
const NOTIFICATION_REQUEUE_DAYS = 7;

/**
 * Mirrors near-term deadlines from Postgres (the source of truth) into Redis as delayed jobs.
 * Redis holds only what falls due within the horizon, so a million open petitions cost Redis
 * almost nothing; the watermark remembers how far ahead everything is already mirrored.
 * The worker sends a deadline due sooner than the horizon straight through the outbox, so the
 * two paths together miss nothing; where they overlap, the deterministic job id dedupes.
 */
export class TimerPump {
  /** Every pending timer due at or before this is in Redis. null: nothing is known to be. */
  private watermark: Date | null = null;

  constructor(
    private readonly db: Db,
    private readonly queues: QueueClient,
    private readonly horizonMs: number,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Forget what Redis held (it lost its data): the next pass mirrors every pending timer due within the horizon, overdue ones too. */
  reset(): void {
    this.watermark = null;
  }

  /** Mirror the timers that came within the horizon since the last pass. Returns how many were added. */
  async pumpOnce(): Promise<number> {
    const now = this.clock();
    const upTo = new Date(now.getTime() + this.horizonMs);
    // Start after what earlier passes mirrored: only the newly near deadlines are read.
    let after: { dueAt: Date; id: string } | null = this.watermark ? { dueAt: this.watermark, id: 'ffffffff-ffff-ffff-ffff-ffffffffffff' } : null;
    let added = 0;
    // One job per instant that has deadlines: working-day deadlines all fall at 17:30:00, so a
    // burst of thousands is one job; clock deadlines keep their own millisecond.
    const instants = new Set<number>();
    for (;;) {
      // Every row is past the watermark already (the paging starts there), so all of it is new.
      const page = await timersRepo.listPendingDueBetween(this.db, after, upTo, PAGE);
      added += page.length;
      for (const t of page) instants.add(t.due_at.getTime());
      if (page.length < PAGE) break;
      const last = page[page.length - 1]!;
      after = { dueAt: last.due_at, id: last.id };
    }
    const t = now.getTime();
    // Instants already past (overdue deadlines after a rebuild) share one job named by this pass,
    // since a finished job of that instant may still hold its id.
    const jobs = [...instants].map((at) => at <= t
      ? { jobId: `due-now-${t}`, payload: { dueBy: new Date(t).toISOString() }, delayMs: 0 }
      : { jobId: jobIds.dueAt(at), payload: { dueBy: new Date(at).toISOString() }, delayMs: at - t });
    const unique = [...new Map(jobs.map((j) => [j.jobId, j])).values()];
    for (let i = 0; i < unique.length; i += 1000) {
      await withTimeout(this.queues.enqueueBulk('timers', 'fireDue', unique.slice(i, i + 1000)), 30_000, 'timer pump');
    }
    this.watermark = upTo;
    return added;
  }
}

/**
 * Tells whether Redis still holds what this system put there. A marker key is written once
 * everything has been rebuilt; if it is gone, Redis lost its data (FLUSHALL, a failover to an
 * empty replica, a restart without AOF) and the scheduler rebuilds from Postgres.
 */
export class RedisEpoch {
  constructor(private readonly redis: Redis, private readonly key: string) {}

  async intact(): Promise<boolean> {
    return (await withTimeout(this.redis.exists(this.key), 5000, 'epoch check')) === 1;
  }

  async mark(): Promise<void> {
    await withTimeout(this.redis.set(this.key, new Date().toISOString()), 5000, 'epoch mark');
  }
}

export interface TimerTick {
  /** True when Redis had lost its data and everything was rebuilt from Postgres. */
  rebuilt: boolean;
  commandsRepublished: number;
  timersMirrored: number;
  notificationsRequeued: number;
  ms: number;
}

/**
 * One pass of the timer loop: mirror what came near; or, if Redis lost its data (first start,
 * FLUSHALL, an empty failover), rebuild everything it should hold before marking it intact again.
 */
export async function timerTick(db: Db, queues: QueueClient, pump: TimerPump, epoch: RedisEpoch): Promise<TimerTick> {
  const started = Date.now();
  if (await epoch.intact()) {
    const timersMirrored = await pump.pumpOnce();
    return { rebuilt: false, commandsRepublished: 0, timersMirrored, notificationsRequeued: 0, ms: Date.now() - started };
  }
  pump.reset();
  // Every pending command, even one written this very millisecond (job ids dedupe any overlap with the API's own publish).
  const commandsRepublished = await republishStaleCommands(db, queues, new Date(Date.now() + 60_000));
  const timersMirrored = await pump.pumpOnce();
  // Messages queued but not delivered went with the rest; the relay sends them again.
  const notificationsRequeued = await outboxRepo.unpublishUndeliveredNotifications(db, new Date(Date.now() - NOTIFICATION_REQUEUE_DAYS * 86_400_000));
  // Marked last: a crash before this point means the next pass rebuilds again (all of it is idempotent).
  await epoch.mark();
  return { rebuilt: true, commandsRepublished, timersMirrored, notificationsRequeued, ms: Date.now() - started };
}
