import { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { commandsRepo, type Db } from '@petitions/db';

export type Outcome = commandsRepo.StoredOutcome;
export const outcomeFromRow = commandsRepo.outcomeOf;

const PENDING: Outcome = { status: 'pending' };

function asOutcome(v: unknown): Outcome | undefined {
  if (v && typeof v === 'object' && 'status' in v) {
    const status = v.status;
    if (status === 'applied' || status === 'ignored' || status === 'rejected') return v as Outcome;
  }
  return undefined;
}

/**
 * A job's outcomes by command id: an `apply` job returns its command's outcome (its id is the
 * command's: `jobIds.command`), an `applyGroup` job `{ outcomes: { [commandId]: outcome } }`.
 */
function outcomesOf(jobId: string, returnvalue: unknown): [string, Outcome | undefined][] {
  const v = typeof returnvalue === 'string' ? (JSON.parse(returnvalue) as unknown) : returnvalue;
  if (v && typeof v === 'object' && 'outcomes' in v && v.outcomes && typeof v.outcomes === 'object') {
    return Object.entries(v.outcomes as Record<string, unknown>).map(([id, o]) => [id, asOutcome(o)]);
  }
  return [[jobId, asOutcome(v)]];
}

interface Waiting {
  settle: (o: Outcome | undefined) => void;
  /** The job that carries the command, once published. */
  jobId?: string;
}

export interface Expectation {
  /** Which job carries the command (a group's failure then ends the wait at once). */
  publishedAs: (jobId: string) => void;
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
  private readonly waiting = new Map<string, Waiting>();

  constructor(private readonly db: Db, connection: Redis, prefix: string) {
    this.events = new QueueEvents('commands', { connection, prefix, autorun: true });
    this.events.on('error', () => undefined);
    this.events.on('completed', ({ jobId, returnvalue }) => {
      for (const [commandId, outcome] of outcomesOf(jobId, returnvalue)) this.waiting.get(commandId)?.settle(outcome);
    });
    // A failed attempt will be retried; the requests stop waiting and the clients poll. (Only
    // the requests of this process wait here: a short scan, and only on a failure.)
    this.events.on('failed', ({ jobId }) => {
      for (const w of this.waiting.values()) if (w.jobId === jobId) w.settle(PENDING);
    });
  }

  async waitUntilReady(): Promise<void> {
    await this.events.waitUntilReady();
  }

  expect(commandId: string): Expectation {
    let settle!: (o: Outcome | undefined) => void;
    const arrived = new Promise<Outcome | undefined>((resolve) => { settle = resolve; });
    const entry: Waiting = { settle };
    this.waiting.set(commandId, entry);
    const cancel = () => { this.waiting.delete(commandId); };
    return {
      cancel,
      publishedAs: (jobId) => { entry.jobId = jobId; },
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
