import { sql } from 'kysely';
import type { Redis } from 'ioredis';
import type { Db } from '@petitions/db';
import type { JobType } from 'bullmq';
import type { QueueClient } from '@petitions/queue';
import type { Refs } from '../lifecycle/data.js';
import { sleep } from '../lifecycle/processes.js';
import { fmtInt } from '../shared/stats.js';
import { moveHandlingDeadlines, pickHandlingTimers, pickPetitions, recordUnpublishedNotes, type PickedTimer } from './data.js';
import { jobStages, timersCovered, traceTimers, waitForCount } from './lateness.js';
import type { LogBook } from './logbook.js';
import { deletePrefix } from './redis.js';
import { percentiles, type Pctl } from './stats.js';

export interface RebuildResult {
  flush: 'FLUSHALL' | 'prefix keys deleted (BENCH_REDIS=env)';
  /** Pending timers due within the horizon when Redis was emptied: each must be covered by a job again. */
  nearTermTimers: number;
  /** Commands recorded in Postgres but never published (as when Redis is lost right after the API's commit). */
  pendingCommands: number;
  /** Jobs Redis held when it was emptied, by queue (what was lost with it). */
  jobsAtFlush: Record<string, number>;
  /** From the flush until: the epoch marker is back / every near-term timer is a job again / every pending command is applied. */
  epochBackMs: number | null;
  timersBackMs: number | null;
  commandsAppliedMs: number | null;
  /** The latest of the three: Redis holds again everything it should. */
  rebuildMs: number | null;
  /** The scheduler's own 'rebuilt Redis state from Postgres' line. */
  schedulerLog: { commands: number; timers: number; notifications: number | null; ms: number; seenAfterMs: number } | null;
  /** From the flush until every notification job queued at the flush was queued again (or delivered); not part of rebuildMs. */
  notificationsBackMs: number | null;
  /** The near-term timers firing afterwards (due 25–60 s after the flush, at millisecond resolution). */
  fireLateness: Pctl;
  /** The same, counted from the due time rounded up to the whole second (what a per-second job can do at best). */
  fireAfterSecond: Pctl;
  eventLateness: Pctl;
  checks: {
    timers: number;
    timersFired: number;
    /** Command id = timer id, so at most one command per timer; counted to show each fired exactly once. */
    commandsForTimers: number;
    /** HANDLING_DUE commands per petition of those timers, and petitions with more than one HANDLING_DUE event. */
    maxHandlingDueCommandsPerPetition: number;
    petitionsEscalatedTwice: number;
    /** Timer jobs that ran but fired nothing (their timers were already fired: a repeat absorbed by Postgres). */
    idleTimerJobs: number;
    timerJobs: number;
    commandJobs: number;
    commandsApplied: number;
    /** Notification jobs that were in Redis at the flush, never delivered, and not in Redis again after the rebuild. */
    notificationsLost: number;
  };
  problems: string[];
}

/** The fields of the scheduler's 'rebuilt Redis state from Postgres' line (named either way across versions). */
export function rebuildFields(f: Record<string, unknown>): { commands: number; timers: number; notifications: number | null; ms: number } {
  return {
    commands: Number(f.commandsRepublished ?? f.commands), timers: Number(f.timersMirrored ?? f.timers),
    notifications: f.notificationsRequeued === undefined ? null : Number(f.notificationsRequeued), ms: Number(f.ms),
  };
}

export interface RebuildContext {
  db: Db;
  redis: Redis;
  queues: QueueClient;
  prefix: string;
  privateRedis: boolean;
  refs: Refs;
  templateId: string;
  horizonMs: number;
  scheduler: LogBook;
  exclude: ReadonlySet<string>;
  log: (line: string) => void;
}

// ('waiting' is BullMQ's alias of 'wait': listing both counts those jobs twice.)
const QUEUED_STATES: readonly JobType[] = ['delayed', 'wait', 'active', 'prioritized', 'paused'];

async function jobsInQueue(queues: QueueClient, name: 'timers' | 'commands' | 'notifications', states: readonly JobType[]): Promise<number> {
  const counts = await queues.queue(name).getJobCounts(...states);
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/**
 * Redis loses everything (FLUSHALL) while near-term timers are pending and commands are recorded
 * but unpublished. The scheduler notices the missing epoch marker and rebuilds from Postgres.
 */
export async function runRebuild(ctx: RebuildContext, nTimers: number, nCommands: number, timeoutMs: number): Promise<RebuildResult> {
  const { db, redis, queues, log } = ctx;
  const problems: string[] = [];
  const timers: PickedTimer[] = await pickHandlingTimers(db, nTimers, ctx.exclude, ctx.templateId);
  const notePetitions = await pickPetitions(db, nCommands, new Set([...ctx.exclude, ...timers.map((t) => t.petitionId)]), ctx.templateId);

  // Due 25–60 s from now, in Postgres only: the pump's watermark is past them, so until the flush
  // they are exactly as Redis would hold them after losing them.
  const base = Date.now();
  const spread = 35_000;
  await moveHandlingDeadlines(db, timers, (i) => new Date(base + 25_000 + Math.floor((i * spread) / timers.length)), true);
  const lastDueMs = base + 25_000 + spread;
  const commandIds = await recordUnpublishedNotes(db, ctx.refs, notePetitions);
  const { rows: near } = await sql<{ id: string; due_ms: number }>`
    SELECT id, extract(epoch FROM due_at)::float8 * 1000 AS due_ms FROM timers
    WHERE state = 'pending' AND due_at <= now() + ${`${ctx.horizonMs} milliseconds`}::interval`.execute(db);
  const nearTerm = near.map((r) => ({ timerId: r.id, dueMs: r.due_ms }));
  const nearTermTimers = nearTerm.length;
  const jobsAtFlush: Record<string, number> = {};
  for (const q of ['timers', 'commands', 'notifications'] as const) jobsAtFlush[q] = await jobsInQueue(queues, q, QUEUED_STATES);
  const pendingNotificationKeys = (await queues.queue('notifications').getJobs([...QUEUED_STATES], 0, -1))
    .flatMap((j) => (j?.id ? [j.id] : []));
  const uniqueNotificationKeys = [...new Set(pendingNotificationKeys)];

  const flushAt = Date.now();
  if (ctx.privateRedis) await redis.flushall();
  else await deletePrefix(redis, ctx.prefix);
  log(`rebuild: ${ctx.privateRedis ? 'FLUSHALL' : 'deleted the prefix keys'}; ${fmtInt(nearTermTimers)} near-term timers and ${fmtInt(commandIds.length)} unpublished commands in Postgres`);

  let epochAt: number | null = null;
  let timersAt: number | null = null;
  let commandsAt: number | null = null;
  let lastCommandPoll = 0;
  let notificationsAt: number | null = uniqueNotificationKeys.length === 0 ? flushAt : null;
  let lastNotificationPoll = 0;
  const notificationsBack = async (): Promise<boolean> => {
    const ids = new Set(await queues.queue('notifications').getRanges(['delayed', 'wait', 'active', 'completed', 'failed', 'prioritized', 'paused'], 0, -1));
    const missing = uniqueNotificationKeys.filter((k) => !ids.has(k));
    if (missing.length === 0) return true;
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM notifications WHERE idempotency_key = ANY(${missing}::text[])`.execute(db);
    return rows[0]!.n === missing.length;
  };
  const giveUp = flushAt + timeoutMs;
  while ((epochAt === null || timersAt === null || commandsAt === null || notificationsAt === null) && Date.now() < giveUp) {
    if (notificationsAt === null && Date.now() - lastNotificationPoll >= 250) {
      lastNotificationPoll = Date.now();
      if (await notificationsBack()) notificationsAt = Date.now();
    }
    if (epochAt === null && (await redis.exists(`${ctx.prefix}:epoch`)) === 1) epochAt = Date.now();
    if (timersAt === null && (await timersCovered(queues, nearTerm)) >= nearTermTimers) timersAt = Date.now();
    if (commandsAt === null && Date.now() - lastCommandPoll >= 100) {
      lastCommandPoll = Date.now();
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM commands WHERE id = ANY(${commandIds}::uuid[]) AND status = 'pending'`.execute(db);
      if (rows[0]!.n === 0) commandsAt = Date.now();
    }
    await sleep(20);
  }
  const since = (t: number | null) => (t === null ? null : t - flushAt);
  if (epochAt === null) problems.push(`rebuild: the epoch marker was not back within ${timeoutMs / 1000} s`);
  if (timersAt === null) problems.push(`rebuild: the timers queue did not hold all ${nearTermTimers} near-term timers within ${timeoutMs / 1000} s`);
  if (commandsAt === null) problems.push(`rebuild: not all ${commandIds.length} pending commands were applied within ${timeoutMs / 1000} s`);
  const all = [epochAt, timersAt, commandsAt];
  const rebuildMs = all.includes(null) ? null : Math.max(...(all as number[])) - flushAt;
  const notificationsBackMs = notificationsAt === null ? null : notificationsAt - flushAt;
  const line = ctx.scheduler.find('rebuilt Redis state from Postgres', flushAt);
  const schedulerLog = line
    ? { ...rebuildFields(line.fields), seenAfterMs: line.at - flushAt }
    : null;
  log(`rebuild: epoch back after ${since(epochAt) ?? '–'} ms, timers after ${since(timersAt) ?? '–'} ms, commands applied after ${since(commandsAt) ?? '–'} ms; scheduler says ${line ? `${schedulerLog!.ms} ms` : 'nothing'}`);

  // Let the rebuilt timers fire, then check each fired once.
  log(`rebuild: waiting for the ${fmtInt(timers.length)} timers to fire (last due ${Math.round((lastDueMs - Date.now()) / 1000)} s from now)`);
  const timerIds = timers.map((t) => t.timerId);
  const firedAt = await waitForCount(async () => {
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM petition_events WHERE command_id = ANY(${timerIds}::uuid[])`.execute(db);
    return rows[0]!.n;
  }, timers.length, lastDueMs + 120_000, 250);
  if (firedAt === null) problems.push('rebuild: not every rebuilt timer fired and was applied within 2 minutes of its due time');
  await sleep(1000); // a second attempt, if any, would show up now
  const traces = await traceTimers(db, timerIds);
  const pids = timers.map((t) => t.petitionId);
  const { rows: [c] } = await sql<{ timers_fired: number; commands: number; max_per_petition: number; twice: number; notes_applied: number }>`
    SELECT
      (SELECT count(*)::int FROM timers WHERE id = ANY(${timerIds}::uuid[]) AND state = 'fired') AS timers_fired,
      (SELECT count(*)::int FROM commands WHERE id = ANY(${timerIds}::uuid[])) AS commands,
      (SELECT coalesce(max(n), 0)::int FROM (SELECT count(*) AS n FROM commands WHERE petition_id = ANY(${pids}::uuid[]) AND type = 'HANDLING_DUE' GROUP BY petition_id) x) AS max_per_petition,
      (SELECT count(*)::int FROM (SELECT petition_id FROM petition_events WHERE petition_id = ANY(${pids}::uuid[]) AND type = 'HANDLING_DUE' GROUP BY petition_id HAVING count(*) > 1) y) AS twice,
      (SELECT count(*)::int FROM commands WHERE id = ANY(${commandIds}::uuid[]) AND status = 'applied') AS notes_applied`.execute(db);
  // Lost: in Redis at the flush, not there now (nothing published it again), and never delivered.
  const { rows: undelivered } = await sql<{ key: string }>`
    SELECT k.key FROM unnest(${uniqueNotificationKeys}::text[]) AS k(key)
    WHERE NOT EXISTS (SELECT 1 FROM notifications n WHERE n.idempotency_key = k.key)`.execute(db);
  const notificationsQ = queues.queue('notifications');
  const back = await Promise.all(undelivered.map((r) => notificationsQ.getJob(r.key)));
  const notificationsLost = back.filter((j) => !j).length;
  const stages = await jobStages(queues, traces);
  if (c!.commands !== timers.length || c!.max_per_petition > 1 || c!.twice > 0) problems.push('rebuild: a timer fired more than once');
  return {
    flush: ctx.privateRedis ? 'FLUSHALL' : 'prefix keys deleted (BENCH_REDIS=env)',
    nearTermTimers,
    pendingCommands: commandIds.length,
    jobsAtFlush,
    epochBackMs: since(epochAt),
    timersBackMs: since(timersAt),
    commandsAppliedMs: since(commandsAt),
    rebuildMs,
    schedulerLog,
    notificationsBackMs,
    fireLateness: percentiles(traces.map((t) => t.firedMs - t.dueMs)),
    fireAfterSecond: percentiles(traces.map((t) => t.firedMs - Math.ceil(t.dueMs / 1000) * 1000)),
    eventLateness: percentiles(traces.filter((t) => t.eventType === 'HANDLING_DUE').map((t) => t.eventMs - t.dueMs)),
    checks: {
      timers: timers.length,
      timersFired: c!.timers_fired,
      commandsForTimers: c!.commands,
      maxHandlingDueCommandsPerPetition: c!.max_per_petition,
      petitionsEscalatedTwice: c!.twice,
      idleTimerJobs: stages.idleTimerJobs,
      timerJobs: stages.timerJobs,
      commandJobs: stages.commandJobs,
      commandsApplied: c!.notes_applied,
      notificationsLost,
    },
    problems,
  };
}
