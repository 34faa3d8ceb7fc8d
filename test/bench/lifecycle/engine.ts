import { sql } from 'kysely';
import { reportsRepo, type Db } from '@petitions/db';
import type { Actor } from '@petitions/domain';
import type { PersonalDataKeys } from '@petitions/personal-data';
import { CommandPublisher, type CommandRef, type QueueClient } from '@petitions/queue';
import { foldReportsOnce } from '@petitions/scheduler';
import type { BenchConfig } from './config.js';
import { CpuMeter, formatCpu, type CpuUse } from './cpu.js';
import { ACTORS, chunks, commandRow, handlerOf, insertCommands, insertPetitions, type Refs } from './data.js';
import { sleep } from './processes.js';

const POLL_MS = 20;
const PHASE_TIMEOUT_MS = 120_000;
/** With failed job attempts and no progress for this long, the phase is hopeless: stop early. */
const STUCK_AFTER_FAILURES_MS = 5_000;

export interface Phase {
  key: 'submit' | 'sign' | 'complete' | 'rate';
  type: 'SUBMIT' | 'SIGN_FOR' | 'COMPLETE' | 'RATE';
  to: string;
  actor: (refs: Refs) => Actor;
  payload: Record<string, unknown>;
}

/** The lifecycle, as the API routes send it (services/api/src/routes/petitions.ts). */
export const PHASES: readonly Phase[] = [
  { key: 'submit', type: 'SUBMIT', to: 'dispatched', actor: () => ACTORS.clerk, payload: {} },
  { key: 'sign', type: 'SIGN_FOR', to: 'handling', actor: handlerOf, payload: {} },
  { key: 'complete', type: 'COMPLETE', to: 'awaitingFeedback', actor: handlerOf, payload: { result: '已责令夜市22点后停止外放音响', resolved: true } },
  { key: 'rate', type: 'RATE', to: 'closed', actor: () => ACTORS.followUp, payload: { satisfaction: 'satisfied', resolved: true } },
];

export interface PhaseResult {
  phase: Phase['key'];
  commands: number;
  applied: number;
  rejected: number;
  /** Recording the commands in Postgres (bulk, outside the clock): the API's cost, not the engine's. */
  recordMs: number;
  /** From the first add to the last add returning. */
  enqueueMs: number;
  /** Queue jobs that carried the phase's commands. */
  jobs: number;
  /** From the first add to no command of the phase being pending in Postgres. */
  ms: number;
  perSecond: number;
  /** Distinct commands.applied_at values: each batch stamps its commands with one time, so ≈ transactions. */
  approxTransactions: number;
  /** Cores used per process group while the phase's clock ran. */
  cpu: CpuUse;
  /** Job attempts the worker reported failed during the phase (BullMQ retries them). */
  failedAttempts: number;
}

export interface EngineResult {
  petitionIds: string[];
  phases: PhaseResult[];
  transitions: number;
  ms: number;
  perSecond: number;
  /** Cores used per process group, averaged over the timed phases. */
  cpu: CpuUse;
}

export interface EngineDeps {
  cfg: BenchConfig;
  db: Db;
  queues: QueueClient;
  keys: PersonalDataKeys;
  refs: Refs;
  /** Throws if the worker process died. */
  assertWorker: () => void;
  /** Failed job attempts the worker has logged so far ("command job failed"), with a few messages. */
  jobFailures: () => { count: number; samples: string[] };
  /** Pids of the running services, for CPU accounting. */
  pids: () => Record<string, number | undefined>;
}

async function countPending(db: Db, type: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM commands WHERE status = 'pending' AND type = ${type}`.execute(db);
  return rows[0]?.n ?? 0;
}

/** Outside the clock: let BullMQ finish acknowledging the phase's jobs so phases do not overlap. */
async function waitQueueIdle(deps: EngineDeps): Promise<void> {
  const q = deps.queues.queue('commands');
  const deadline = Date.now() + 30_000;
  for (;;) {
    const c = await q.getJobCounts('active', 'wait', 'prioritized', 'delayed', 'waiting-children');
    if (Object.values(c).every((n) => n === 0)) return;
    if (Date.now() > deadline) throw new Error(`commands queue not idle after 30 s: ${JSON.stringify(c)}`);
    deps.assertWorker();
    await sleep(POLL_MS);
  }
}

/** The phase's commands onto the queue, as BENCH_PUBLISH says (see config.ts); returns the jobs added. */
async function publish(deps: EngineDeps, refs: readonly CommandRef[]): Promise<number> {
  if (deps.cfg.publish === 'grouped') {
    // All recorded at once, as under a burst of requests: the API's publisher sends the first
    // alone and the rest in group jobs while each add is under way.
    const publisher = new CommandPublisher(deps.queues);
    const jobs = await Promise.all(refs.map((r) => publisher.publish(r, PHASE_TIMEOUT_MS)));
    return new Set(jobs).size;
  }
  const queue = deps.queues.queue('commands');
  for (const chunk of chunks(refs, deps.cfg.enqueueChunk)) {
    await queue.addBulk(chunk.map((r) => ({ name: 'apply', data: r, opts: { jobId: r.commandId } })));
  }
  return refs.length;
}

async function runPhase(
  deps: EngineDeps, phase: Phase, petitionIds: readonly string[], recordMsBefore: number, fingerprint: (id: string) => unknown,
): Promise<PhaseResult> {
  const { db, refs } = deps;
  const actor = phase.actor(refs);
  const r0 = performance.now();
  const rows = petitionIds.map((id) => commandRow(id, phase.type, phase.payload, actor, fingerprint(id)));
  await insertCommands(db, rows);
  const recordMs = recordMsBefore + (performance.now() - r0);

  const failuresBefore = deps.jobFailures().count;
  const cpu = new CpuMeter(deps.pids);
  const t0 = performance.now();
  const jobs = await publish(deps, rows.map((c) => ({ commandId: c.id, petitionId: c.petition_id })));
  const enqueueMs = performance.now() - t0;
  let lastPending = Number.POSITIVE_INFINITY;
  let lastProgress = performance.now();
  for (;;) {
    const pending = await countPending(db, phase.type);
    if (pending === 0) break;
    const now = performance.now();
    if (pending < lastPending) { lastPending = pending; lastProgress = now; }
    const failures = deps.jobFailures();
    if (failures.count > failuresBefore && now - lastProgress > STUCK_AFTER_FAILURES_MS) {
      throw new Error(`phase ${phase.key}: ${pending} commands stuck pending; the worker reported ${failures.count - failuresBefore} failed job attempts, e.g.: ${failures.samples.join(' | ')}`);
    }
    if (now - t0 > PHASE_TIMEOUT_MS) throw new Error(`phase ${phase.key}: ${pending} commands still pending after ${PHASE_TIMEOUT_MS / 1000} s`);
    deps.assertWorker();
    await sleep(POLL_MS);
  }
  // The rollups are part of the work: what the running fold has not reached yet is folded on the clock.
  await foldReportsOnce(db);
  const ms = performance.now() - t0;
  const cpuUse = cpu.stop();

  const { rows: stats } = await sql<{ status: string; n: number; stamps: number }>`
    SELECT status, count(*)::int AS n, count(DISTINCT applied_at)::int AS stamps
    FROM commands WHERE type = ${phase.type} GROUP BY status`.execute(db);
  const applied = stats.find((s) => s.status === 'applied');
  const rejected = stats.filter((s) => s.status !== 'applied').reduce((a, s) => a + s.n, 0);
  await waitQueueIdle(deps);
  return {
    phase: phase.key, commands: rows.length, applied: applied?.n ?? 0, rejected, recordMs, enqueueMs, jobs, ms,
    perSecond: ((applied?.n ?? 0) * 1000) / ms, approxTransactions: stats.reduce((a, s) => a + s.stamps, 0), cpu: cpuUse,
    failedAttempts: deps.jobFailures().count - failuresBefore,
  };
}

/**
 * N petitions through SUBMIT → SIGN_FOR → COMPLETE → RATE, phase by phase, through the real queue
 * and the real worker process. The clock of a phase runs from the first job added until Postgres
 * has no pending command of that phase left (durable transitions, not acknowledged jobs) and
 * their events are folded into the report rollups.
 */
export async function runEngine(deps: EngineDeps, log: (line: string) => void): Promise<EngineResult> {
  const { db, cfg, keys, refs } = deps;
  const r0 = performance.now();
  const petitions = await insertPetitions(db, keys, refs, cfg.n, 0, ACTORS.clerk.id);
  const petitionRecordMs = performance.now() - r0;
  const petitionIds = petitions.map((p) => p.id);
  const bodies = new Map(petitions.map((p) => [p.id, p.body]));
  const phases: PhaseResult[] = [];
  for (const phase of PHASES) {
    // Idempotency fingerprints as the API computes them: the body for SUBMIT, { petitionId, payload } after.
    const result = phase.type === 'SUBMIT'
      ? await runPhase(deps, phase, petitionIds, petitionRecordMs, (id) => bodies.get(id))
      : await runPhase(deps, phase, petitionIds, 0, (id) => ({ petitionId: id, payload: phase.payload }));
    phases.push(result);
    log(`  ${result.phase.padEnd(8)} ${result.applied} applied, ${result.rejected} not applied in ${result.ms.toFixed(0)} ms ` +
      `(${Math.round(result.perSecond)}/s, ${result.jobs} jobs added in ${result.enqueueMs.toFixed(0)} ms, ≈${result.approxTransactions} transactions, ` +
      `≈${(result.applied / Math.max(1, result.approxTransactions)).toFixed(1)} commands each)`);
    log(`           ${formatCpu(result.cpu)}`);
    if (result.failedAttempts > 0) log(`           WARNING: ${result.failedAttempts} failed job attempts (retried by BullMQ; see the worker log)`);
  }
  const transitions = phases.reduce((a, p) => a + p.applied, 0);
  const ms = phases.reduce((a, p) => a + p.ms, 0);
  const cpu: CpuUse = {};
  for (const p of phases) for (const [k, v] of Object.entries(p.cpu)) cpu[k] = (cpu[k] ?? 0) + (v * p.ms) / ms;
  return { petitionIds, phases, transitions, ms, perSecond: (transitions * 1000) / ms, cpu };
}

export interface Verification {
  ok: boolean;
  petitions: number;
  closedAtVersion4: number;
  withFourEvents: number;
  events: number;
  problems: string[];
}

/** Every engine petition must be closed at version 4 with exactly its 4 events. */
export async function verifyEngine(db: Db, petitionIds: readonly string[]): Promise<Verification> {
  const ids = [...petitionIds];
  const { rows: [p] } = await sql<{ total: number; good: number }>`
    SELECT count(*)::int AS total, count(*) FILTER (WHERE state = 'closed' AND version = 4)::int AS good
    FROM petitions WHERE id = ANY(${ids}::uuid[])`.execute(db);
  const { rows: [e] } = await sql<{ events: number; four: number }>`
    SELECT coalesce(sum(n), 0)::int AS events, count(*) FILTER (WHERE n = 4)::int AS four
    FROM (SELECT petition_id, count(*) AS n FROM petition_events WHERE petition_id = ANY(${ids}::uuid[]) GROUP BY petition_id) x`.execute(db);
  const result = {
    petitions: p?.total ?? 0, closedAtVersion4: p?.good ?? 0, withFourEvents: e?.four ?? 0, events: e?.events ?? 0,
  };
  const problems: string[] = [];
  if (result.petitions !== ids.length) problems.push(`${ids.length - result.petitions} petitions missing`);
  if (result.closedAtVersion4 !== ids.length) problems.push(`${ids.length - result.closedAtVersion4} of ${ids.length} petitions not closed at version 4`);
  if (result.withFourEvents !== ids.length) problems.push(`${ids.length - result.withFourEvents} of ${ids.length} petitions without exactly 4 events`);
  if (result.events !== ids.length * 4) problems.push(`${result.events} events, expected ${ids.length * 4}`);
  const unfolded = await reportsRepo.backlogSize(db);
  if (unfolded !== 0) problems.push(`${unfolded} events not folded into the report rollups`);
  return { ok: problems.length === 0, ...result, problems };
}
