import { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { commandsRepo, type Db } from '@petitions/db';

export type Outcome = commandsRepo.StoredOutcome;
export const outcomeFromRow = commandsRepo.outcomeOf;

const PENDING: Outcome = { status: 'pending' };

function parseOutcome(returnvalue: unknown): Outcome | undefined {
  const v = typeof returnvalue === 'string' ? (JSON.parse(returnvalue) as unknown) : returnvalue;
  if (v && typeof v === 'object' && 'status' in v) {
    const status = v.status;
    if (status === 'applied' || status === 'ignored' || status === 'rejected') return v as Outcome;
  }
  return undefined;
}

export interface Expectation {
  /** The outcome, or `pending` if the worker has not finished within `timeoutMs`. */
  wait: (timeoutMs: number) => Promise<Outcome>;
  cancel: () => void;
}

/**
 * Waits for commands' outcomes. One QueueEvents listener serves every waiting request and hands
 * over the outcome the worker returned, so a request reads nothing back from Postgres. Register
 * with `expect` BEFORE publishing the job, so no completion can slip by unseen.
 */
export class OutcomeWaiter {
  private readonly events: QueueEvents;
  private readonly waiting = new Map<string, (o: Outcome | undefined) => void>();

  constructor(private readonly db: Db, connection: Redis, prefix: string) {
    this.events = new QueueEvents('commands', { connection, prefix, autorun: true });
    this.events.on('error', () => undefined);
    this.events.on('completed', ({ jobId, returnvalue }) => this.waiting.get(jobId)?.(parseOutcome(returnvalue)));
    // A failed attempt will be retried; the request stops waiting and the client polls.
    this.events.on('failed', ({ jobId }) => this.waiting.get(jobId)?.(PENDING));
  }

  async waitUntilReady(): Promise<void> {
    await this.events.waitUntilReady();
  }

  expect(commandId: string): Expectation {
    let settle!: (o: Outcome | undefined) => void;
    const arrived = new Promise<Outcome | undefined>((resolve) => { settle = resolve; });
    this.waiting.set(commandId, settle);
    const cancel = () => { this.waiting.delete(commandId); };
    return {
      cancel,
      wait: async (timeoutMs) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          const got = await Promise.race([arrived, new Promise<'timeout'>((r) => { timer = setTimeout(() => r('timeout'), timeoutMs); })]);
          if (got !== 'timeout' && got !== undefined) return got;
          // Timed out, or an event without a readable outcome: the database has the last word.
          return this.read(commandId);
        } finally {
          clearTimeout(timer);
          cancel();
        }
      },
    };
  }

  /** The outcome as stored now. */
  private async read(commandId: string): Promise<Outcome> {
    const row = await commandsRepo.findCommandById(this.db, commandId);
    return row ? outcomeFromRow(row) : PENDING;
  }

  async close(): Promise<void> {
    await this.events.close();
  }
}
