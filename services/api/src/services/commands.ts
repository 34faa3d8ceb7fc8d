import { createHash, randomUUID } from 'node:crypto';
import { commandsRepo, type Db, type NewCommand } from '@petitions/db';
import type { Actor } from '@petitions/domain';
import type { QueueClient } from '@petitions/queue';
import type { FastifyBaseLogger } from 'fastify';
import type { AppContext } from '../context.js';
import { errors } from '../errors.js';
import type { Outcome, OutcomeWaiter } from './outcome-waiter.js';
import { outcomeFromRow } from './outcome-waiter.js';

export interface CommandDeps {
  db: Db;
  queues: QueueClient;
  waiter: OutcomeWaiter;
  logger: FastifyBaseLogger;
  waitMs: number;
  enqueueTimeoutMs: number;
}

export interface CommandRequest {
  petitionId: string;
  type: string;
  payload: Record<string, unknown>;
  actor: Actor;
  idempotencyKey: string | undefined;
  /**
   * Write the command row durably, with any rows that must appear atomically with it (a new
   * petition and its contact). Defaults to the command row alone.
   */
  record?: (db: Db, command: NewCommand) => Promise<void>;
  /** What makes two requests "the same" for Idempotency-Key purposes. */
  fingerprint: unknown;
}

export interface CommandReceipt {
  commandId: string;
  petitionId: string;
  outcome: Outcome;
  /** True when this request repeated an earlier Idempotency-Key. */
  replayed: boolean;
}

/** What executeCommand needs, from the app's context and the logger of the routes that send commands. */
export const commandDeps = (ctx: AppContext, logger: FastifyBaseLogger): CommandDeps => ({ ...ctx, logger, waitMs: ctx.commandWaitMs });

const hash = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex');

function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = err as { code?: string; constraint?: string };
  return e.code === '23505' && (e.constraint ?? '').includes(constraint);
}

/**
 * The API half of the write path: record the command durably (with any rows it creates) in one
 * transaction, publish it by id after commit, then wait briefly for the worker's outcome.
 * If Redis is unreachable the command stays recorded and the scheduler's sweep publishes it.
 */
export async function executeCommand(deps: CommandDeps, req: CommandRequest): Promise<CommandReceipt> {
  const requestHash = hash({ type: req.type, actor: req.actor.id, fingerprint: req.fingerprint });
  // Keys are scoped to the caller so two clients cannot collide on (or probe) each other's keys.
  const key = req.idempotencyKey ? `${req.actor.id}:${req.idempotencyKey}` : null;
  if (key) {
    const prior = await commandsRepo.findCommandByIdempotencyKey(deps.db, key);
    if (prior) return replay(deps, prior, requestHash);
  }
  const commandId = randomUUID();
  const command: NewCommand = {
    id: commandId, petition_id: req.petitionId, type: req.type, payload: JSON.stringify(req.payload),
    actor_id: req.actor.id, actor_role: req.actor.role, actor_unit_id: req.actor.unitId,
    idempotency_key: key, request_hash: requestHash,
  };
  try {
    await (req.record ?? ((db, c) => commandsRepo.insertCommand(db, c)))(deps.db, command);
  } catch (err) {
    // Two requests with one key raced; the loser answers with the winner's command.
    if (key && isUniqueViolation(err, 'idempotency_key')) {
      const prior = await commandsRepo.findCommandByIdempotencyKey(deps.db, key);
      if (prior) return replay(deps, prior, requestHash);
    }
    throw err;
  }
  return { commandId, petitionId: req.petitionId, outcome: await publishAndWait(deps, commandId, req.petitionId), replayed: false };
}

async function replay(deps: CommandDeps, prior: commandsRepo.CommandRow, requestHash: string): Promise<CommandReceipt> {
  if (prior.request_hash !== requestHash) throw errors.idempotencyKeyReused();
  let outcome = outcomeFromRow(prior);
  if (outcome.status === 'pending') outcome = await publishAndWait(deps, prior.id, prior.petition_id);
  return { commandId: prior.id, petitionId: prior.petition_id, outcome, replayed: true };
}

async function publishAndWait(deps: CommandDeps, commandId: string, petitionId: string): Promise<Outcome> {
  if (deps.waitMs <= 0) {
    await publish(deps, commandId, petitionId);
    return { status: 'pending' };
  }
  const expectation = deps.waiter.expect(commandId);
  const jobId = await publish(deps, commandId, petitionId);
  if (jobId === null) {
    expectation.cancel();
    return { status: 'pending' };
  }
  expectation.publishedAs(jobId);
  // If the job had already completed (a replayed request racing the worker) no event comes;
  // the wait then ends at its timeout with a read from Postgres.
  return expectation.wait(deps.waitMs);
}

/** The id of the job that carries the command, or null when Redis did not take it in time. */
async function publish(deps: CommandDeps, commandId: string, petitionId: string): Promise<string | null> {
  try {
    return await deps.queues.publishCommand({ commandId, petitionId }, deps.enqueueTimeoutMs);
  } catch (err) {
    deps.logger.warn({ commandId, petitionId, err: (err as Error).message }, 'command recorded but not published; the recovery sweep will publish it');
    return null;
  }
}
