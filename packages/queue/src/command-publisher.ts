import { jobIds, type CommandRef } from './registry.js';
import type { QueueClient } from './queues.js';
import { withTimeout } from './timeout.js';

/** Most commands in one group job: about what the worker applies in one transaction. */
const MAX_COMMANDS_PER_JOB = 256;

interface Waiting {
  ref: CommandRef;
  timeoutMs: number;
  settle: (err: Error | null, jobId?: string) => void;
}

/**
 * Publishes the API's commands as a database commits a group: a command is added at once when no
 * add is under way (one `apply` job, as before: no wait at a quiet moment); commands recorded while
 * an add is under way go together in the next one, as one `applyGroup` job. Under a burst, a job,
 * its Redis scripts and its completion then serve many commands instead of one, and the ratio
 * grows with the load: what a job costs is the engine's largest cost per command once Postgres
 * plans its statements once. Job ids stay deterministic (the command's, or a digest of the
 * group's), so a repeated add of the same job adds nothing; a command in two groups (a client's
 * retry) is applied once, as any job delivered twice is.
 */
export class CommandPublisher {
  private waiting: Waiting[] = [];
  private adding = false;

  constructor(private readonly queues: QueueClient, private readonly maxPerJob = MAX_COMMANDS_PER_JOB) {}

  /**
   * Resolves with the id of the job that carries the command once Redis has it; rejects if the
   * add failed or took longer than `timeoutMs` (the group's shortest), leaving the command to the
   * recovery sweep.
   */
  publish(ref: CommandRef, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ ref, timeoutMs, settle: (err, jobId) => (err ? reject(err) : resolve(jobId!)) });
      if (!this.adding) void this.addWaiting();
    });
  }

  private async addWaiting(): Promise<void> {
    this.adding = true;
    while (this.waiting.length > 0) {
      const group = this.waiting.splice(0, this.maxPerJob);
      const refs = group.map(({ ref }) => ({ commandId: ref.commandId, petitionId: ref.petitionId }));
      const jobId = refs.length === 1 ? jobIds.command(refs[0]!.commandId) : jobIds.commandGroup(refs.map((r) => r.commandId));
      const add = refs.length === 1
        ? this.queues.enqueue('commands', 'apply', refs[0]!, { jobId })
        : this.queues.enqueue('commands', 'applyGroup', { commands: refs }, { jobId });
      try {
        await withTimeout(add, Math.min(...group.map((g) => g.timeoutMs)), 'enqueue');
        for (const g of group) g.settle(null, jobId);
      } catch (err) {
        for (const g of group) g.settle(err instanceof Error ? err : new Error(String(err)));
      }
    }
    this.adding = false;
  }
}
