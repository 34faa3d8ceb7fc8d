import { createHash } from 'node:crypto';
import { Type, type Static, type TObject, type TSchema } from '@sinclair/typebox';
import type { JobsOptions } from 'bullmq';

const Uuid = Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' });
/** Ids in order, as 32 hex digits: a short job id for a list of up to a thousand. */
const digest = (ids: readonly string[]) => createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 32);
const CommandJobRef = Type.Object({ commandId: Uuid, petitionId: Uuid }, { additionalProperties: false });
const commandList = (minItems: number) => Type.Object({ commands: Type.Array(CommandJobRef, { minItems, maxItems: 1000 }) }, { additionalProperties: false });

/** Who a notification is for; the notifier resolves the recipients. Matches the machines' audiences. */
export const NOTIFICATION_AUDIENCES = ['lead_unit', 'co_units', 'resident', 'supervisors', 'dispatchers', 'department_head', 'followers', 'leaders'] as const;

/**
 * Every queue, its job names, their payload schemas and retry policy. Payloads carry ids only:
 * never names, phones, addresses or free text, which stay in Postgres.
 */
export const QUEUES = {
  commands: {
    jobs: {
      apply: CommandJobRef,
      // System commands recorded together (deadlines falling due at once) travel as one job: one
      // Redis round trip and one transaction for hundreds of them instead of one job each.
      applyBatch: commandList(1),
      // Commands of API requests recorded together (CommandPublisher), whose callers wait: the job
      // returns each command's outcome.
      applyGroup: commandList(2),
    },
    options: {
      attempts: 8,
      backoff: { type: 'exponential', delay: 250 },
      removeOnComplete: { age: 3600, count: 50_000 },
      removeOnFail: { age: 7 * 86_400 },
    },
  },
  timers: {
    jobs: {
      fire: Type.Object({ timerId: Uuid, petitionId: Uuid }, { additionalProperties: false }),
      // Every deadline due by this instant: the pump sends one job per instant that has deadlines.
      fireDue: Type.Object({ dueBy: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z$', maxLength: 30 }) }, { additionalProperties: false }),
    },
    options: {
      attempts: 10,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { age: 3600 },
      removeOnFail: { age: 7 * 86_400 },
    },
  },
  notifications: {
    jobs: {
      // Template and audience are enums; the notifier looks up recipients itself, so no contact data rides here.
      deliver: Type.Object({
        key: Type.String({ minLength: 1, maxLength: 200 }),
        petitionId: Uuid,
        template: Type.String({ pattern: '^[a-z_]+$', maxLength: 64 }),
        audience: Type.Union(NOTIFICATION_AUDIENCES.map((a) => Type.Literal(a))),
      }, { additionalProperties: false }),
    },
    options: {
      // A ceiling: the notifier dead-letters a delivery after NOTIFIER_MAX_ATTEMPTS (at most this) and
      // computes the exponential delay from NOTIFIER_BACKOFF_MS in its worker's backoffStrategy.
      attempts: 10,
      backoff: { type: 'notifier' },
      removeOnComplete: { age: 86_400 },
      removeOnFail: { age: 30 * 86_400 },
    },
  },
} as const satisfies Record<string, { jobs: Record<string, TObject>; options: JobsOptions }>;

export type QueueName = keyof typeof QUEUES;
export type JobName<Q extends QueueName> = keyof (typeof QUEUES)[Q]['jobs'] & string;
type JobsOf<Q extends QueueName> = (typeof QUEUES)[Q]['jobs'];
export type JobPayload<Q extends QueueName, J extends JobName<Q>> = JobsOf<Q>[J] extends TSchema ? Static<JobsOf<Q>[J]> : never;
/** A command as its job names it: the petition id comes along so the worker can lock it first. */
export type CommandRef = JobPayload<'commands', 'apply'>;

/**
 * Deterministic job ids: the same row always maps to the same job, so publishing twice adds
 * nothing. (BullMQ reserves ':' in custom ids, hence the dashes.)
 */
export const jobIds = {
  command: (commandId: string) => commandId,
  timer: (timerId: string) => `timer-${timerId}`,
  /** The deadlines falling due at one instant (epoch ms). */
  dueAt: (epochMs: number) => `due-${epochMs}`,
  /**
   * A batch of system commands, named by all its commands: re-publishing the same batch adds
   * nothing, and a different batch that starts with the same command is a job of its own.
   */
  commandBatch: (commandIds: readonly string[]) => `batch-${digest(commandIds)}`,
  /** API commands published together (CommandPublisher), named by all of them as batches are. */
  commandGroup: (commandIds: readonly string[]) => `group-${digest(commandIds)}`,
  notification: (commandId: string, template: string, audience: string) => `notify-${commandId}-${template}-${audience}`,
};
