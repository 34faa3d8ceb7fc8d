import { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { commandsRepo, type Db } from '@petitions/db';

export type Outcome = commandsRepo.StoredOutcome;
export const outcomeFromRow = commandsRepo.outcomeOf;

/**
 * Waits for a command's outcome. One QueueEvents listener serves every waiting request; the
 * database is checked after subscribing, so an outcome that landed first is never missed.
 */
export class OutcomeWaiter {
  private readonly events: QueueEvents;
  private readonly waiting = new Map<string, Set<() => void>>();

  constructor(private readonly db: Db, connection: Redis, prefix: string) {
    this.events = new QueueEvents('commands', { connection, prefix, autorun: true });
    this.events.on('error', () => undefined);
    this.events.on('completed', ({ jobId }) => this.wake(jobId));
    this.events.on('failed', ({ jobId }) => this.wake(jobId));
  }

  private wake(jobId: string): void {
    const set = this.waiting.get(jobId);
    if (set) for (const fn of set) fn();
  }

  async waitUntilReady(): Promise<void> {
    await this.events.waitUntilReady();
  }

  async wait(commandId: string, timeoutMs: number): Promise<Outcome> {
    const read = async () => {
      const row = await commandsRepo.findCommandById(this.db, commandId);
      return row ? outcomeFromRow(row) : ({ status: 'pending' } as const);
    };
    if (timeoutMs <= 0) return read();
    let notify!: () => void;
    const signalled = new Promise<void>((resolve) => { notify = resolve; });
    const set = this.waiting.get(commandId) ?? new Set();
    set.add(notify);
    this.waiting.set(commandId, set);
    try {
      const deadline = Date.now() + timeoutMs;
      let outcome = await read();
      while (outcome.status === 'pending' && Date.now() < deadline) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([signalled, new Promise<void>((r) => { timer = setTimeout(r, deadline - Date.now()); })]);
        clearTimeout(timer);
        outcome = await read();
        if (outcome.status === 'pending') break; // a failed attempt: BullMQ retries later, the client polls
      }
      return outcome;
    } finally {
      set.delete(notify);
      if (set.size === 0) this.waiting.delete(commandId);
    }
  }

  async close(): Promise<void> {
    await this.events.close();
  }
}
