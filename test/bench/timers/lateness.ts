import type { Job, JobType } from 'bullmq';
import { sql } from 'kysely';
import type { Db } from '@petitions/db';
import { jobIds, type QueueClient } from '@petitions/queue';
import { sleep } from '../lifecycle/processes.js';
import { percentiles, type Pctl } from './stats.js';

/** Where each timer is, from the rows the services wrote (ms since the epoch; NaN when missing). */
export interface TimerTrace {
  timerId: string;
  dueMs: number;
  timerState: string;
  /** commands.created_at: the start of the scheduler's fire transaction (now() in Postgres). */
  firedMs: number;
  commandStatus: string | null;
  /** petition_events.occurred_at: the worker's clock at the start of the batch that applied it. */
  eventMs: number;
  eventType: string | null;
}

export async function traceTimers(db: Db, timerIds: readonly string[]): Promise<TimerTrace[]> {
  const { rows } = await sql<{
    id: string; due_ms: number; state: string; fired_ms: number | null; status: string | null; event_ms: number | null; event_type: string | null;
  }>`
    SELECT t.id, extract(epoch FROM t.due_at)::float8 * 1000 AS due_ms, t.state,
           extract(epoch FROM c.created_at)::float8 * 1000 AS fired_ms, c.status,
           extract(epoch FROM e.occurred_at)::float8 * 1000 AS event_ms, e.type AS event_type
    FROM unnest(${[...timerIds]}::uuid[]) AS x(id)
    JOIN timers t ON t.id = x.id
    LEFT JOIN commands c ON c.id = t.id
    LEFT JOIN petition_events e ON e.command_id = t.id`.execute(db);
  return rows.map((r) => ({
    timerId: r.id, dueMs: r.due_ms, timerState: r.state, firedMs: r.fired_ms ?? Number.NaN, commandStatus: r.status,
    eventMs: r.event_ms ?? Number.NaN, eventType: r.event_type,
  }));
}

/** Stamps BullMQ keeps on the jobs (completed jobs stay an hour): when each step took the timer. */
export interface JobStages {
  /** The scheduler's timer worker took the job that fired the timer (its own `fire` job or its second's `fireDue` job). */
  timerJobTaken: Pctl;
  /** That timer job finished (everything it fired is committed and published). */
  timerJobDone: Pctl;
  /** The job carrying the command was added to the 'commands' queue (after the fire transaction committed). */
  commandJobAdded: Pctl;
  /** The workflow worker took that job. */
  commandJobTaken: Pctl;
  /** The command job completed (the worker's transaction committed and the job was acknowledged). */
  commandJobDone: Pctl;
  /** Distinct timer jobs and command jobs that carried these timers. */
  timerJobs: number;
  commandJobs: number;
  /** Timer jobs that fired nothing (their timers were fired by another job or by the recovery sweep first). */
  idleTimerJobs: number;
  /** Timers no timer job / no command job could be found for. */
  timersWithoutJob: number;
  commandsWithoutJob: number;
}

const ALL_STATES: JobType[] = ['completed', 'failed', 'active', 'delayed', 'wait', 'prioritized', 'paused'];

interface Stamps { id: string; timestamp: number; processedOn: number | undefined; finishedOn: number | undefined }
const stampsOf = (j: Job): Stamps => ({ id: j.id ?? '', timestamp: j.timestamp, processedOn: j.processedOn, finishedOn: j.finishedOn });

/**
 * Which jobs carried each timer. Works for one job per timer (`fire`, `apply`) as well as for one
 * job per second of deadlines (`fireDue`, which fires everything due by its `dueBy`) and batched
 * commands (`applyBatch`).
 */
export async function jobStages(queues: QueueClient, traces: readonly TimerTrace[]): Promise<JobStages> {
  const perTimer = new Map<string, Stamps>();
  const dueJobs: { dueBy: number; stamps: Stamps }[] = [];
  let idleTimerJobs = 0;
  for (const j of await queues.queue('timers').getJobs(ALL_STATES, 0, -1)) {
    if (!j) continue;
    const data = j.data as { timerId?: string; dueBy?: string };
    if (j.name === 'fire' && data.timerId) {
      perTimer.set(data.timerId, stampsOf(j));
      if (j.returnvalue === 'stale') idleTimerJobs++;
    } else if (j.name === 'fireDue' && data.dueBy) {
      dueJobs.push({ dueBy: Date.parse(data.dueBy), stamps: stampsOf(j) });
      if (j.finishedOn && j.returnvalue === 0) idleTimerJobs++;
    }
  }
  dueJobs.sort((a, b) => a.dueBy - b.dueBy);
  const perCommand = new Map<string, Stamps>();
  for (const j of await queues.queue('commands').getJobs(ALL_STATES, 0, -1)) {
    if (!j) continue;
    const data = j.data as { commandId?: string; commands?: { commandId: string }[] };
    if (data.commandId) perCommand.set(data.commandId, stampsOf(j));
    for (const c of data.commands ?? []) perCommand.set(c.commandId, stampsOf(j));
  }
  const taken: number[] = [];
  const tDone: number[] = [];
  const added: number[] = [];
  const cTaken: number[] = [];
  const cDone: number[] = [];
  const timerJobIds = new Set<string>();
  const commandJobIds = new Set<string>();
  let timersWithoutJob = 0;
  let commandsWithoutJob = 0;
  for (const t of traces) {
    // Its own job, else the first job of a second at or after its due time that had started by the time it was fired.
    const own = perTimer.get(t.timerId);
    const byDue = own ? undefined : dueJobs.find((d) => d.dueBy >= t.dueMs && (d.stamps.processedOn ?? Infinity) <= t.firedMs + 1);
    const tj = own ?? byDue?.stamps;
    if (!tj) timersWithoutJob++;
    else {
      timerJobIds.add(tj.id);
      if (tj.processedOn) taken.push(tj.processedOn - t.dueMs);
      if (tj.finishedOn) tDone.push(tj.finishedOn - t.dueMs);
    }
    const cj = perCommand.get(t.timerId);
    if (!cj) commandsWithoutJob++;
    else {
      commandJobIds.add(cj.id);
      added.push(cj.timestamp - t.dueMs);
      if (cj.processedOn) cTaken.push(cj.processedOn - t.dueMs);
      if (cj.finishedOn) cDone.push(cj.finishedOn - t.dueMs);
    }
  }
  return {
    timerJobTaken: percentiles(taken), timerJobDone: percentiles(tDone),
    commandJobAdded: percentiles(added), commandJobTaken: percentiles(cTaken), commandJobDone: percentiles(cDone),
    timerJobs: timerJobIds.size, commandJobs: commandJobIds.size, idleTimerJobs, timersWithoutJob, commandsWithoutJob,
  };
}

/**
 * How many of these timers Redis holds a job for: their own `timer-<id>` job, or the job of the
 * second they fall due in (`due-<epoch ms>`), or a catch-all `due-now-<t>` job for overdue ones.
 */
export async function timersCovered(queues: QueueClient, timers: readonly { timerId: string; dueMs: number }[]): Promise<number> {
  const ids = new Set(await queues.queue('timers').getRanges(ALL_STATES, 0, -1));
  const dueNow = [...ids].filter((id) => id.startsWith('due-now-')).map((id) => Number(id.slice('due-now-'.length)));
  const latestDueNow = dueNow.length ? Math.max(...dueNow) : Number.NEGATIVE_INFINITY;
  return timers.filter((t) => ids.has(jobIds.timer(t.timerId)) || ids.has(jobIds.dueAt(t.dueMs)) || t.dueMs <= latestDueNow).length;
}

/**
 * Poll until `count()` reaches `target` (or the deadline passes). Returns the wall-clock time
 * (ms since the epoch) at which the target was first seen, or null.
 */
export async function waitForCount(count: () => Promise<number>, target: number, deadlineMs: number, pollMs: number, onProgress?: (n: number) => void): Promise<number | null> {
  let lastReport = 0;
  for (;;) {
    const n = await count();
    const now = Date.now();
    if (n >= target) return now;
    if (onProgress && now - lastReport >= 2000) {
      onProgress(n);
      lastReport = now;
    }
    if (now > deadlineMs) return null;
    await sleep(pollMs);
  }
}
