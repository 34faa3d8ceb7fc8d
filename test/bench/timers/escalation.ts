import { sql } from 'kysely';
import type { Db } from '@petitions/db';
import type { QueueClient } from '@petitions/queue';
import { CpuMeter, type CpuUse } from '../lifecycle/cpu.js';
import { sleep } from '../lifecycle/processes.js';
import { fmtInt } from '../shared/stats.js';
import type { PickedTimer } from './data.js';
import { jobStages, traceTimers, waitForCount, type JobStages } from './lateness.js';
import { percentiles, type Pctl } from './stats.js';

export interface EscalationResult {
  /** The second all the deadlines fall due in. */
  dueAt: string;
  timers: number;
  /** Escalation events (HANDLING_DUE applied in state handling) recorded. */
  recorded: number;
  /** From T until the bench saw the last of them committed (polled every 100 ms). */
  allRecordedAfterMs: number | null;
  /** petition_events.occurred_at − due_at: the worker's batch clock, i.e. when the escalation took effect. */
  eventLateness: Pctl;
  /** commands.created_at − due_at: when the scheduler's fire transaction turned the timer into a command. */
  fireLateness: Pctl;
  stages: JobStages;
  /** Distinct occurred_at values among the events: the worker transactions that applied them. */
  workerBatches: number;
  /** Timer-worker transactions (distinct commands.created_at). */
  fireBatches: number;
  cpu: CpuUse;
  problems: string[];
}

/**
 * Wait for T, then follow the BENCH_DUE deadlines through the real path: BullMQ promotes the
 * delayed jobs the pump mirrored, the scheduler fires them (timers → fired, one command each),
 * the workflow worker applies HANDLING_DUE (督办: overdue flag, supervisors notified, 通报 timer).
 */
export async function runEscalation(
  db: Db, queues: QueueClient, due: readonly PickedTimer[], dueAtMs: number, timeoutMs: number,
  pids: () => Record<string, number | undefined>, log: (line: string) => void,
): Promise<EscalationResult> {
  const problems: string[] = [];
  const { rows: [base] } = await sql<{ id: string }>`SELECT coalesce(max(id), 0)::text AS id FROM petition_events`.execute(db);
  const wait = dueAtMs - Date.now();
  if (wait > 0) await sleep(wait);
  const meter = new CpuMeter(pids);
  const seenAt = await waitForCount(async () => {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM petition_events WHERE id > ${base!.id}::bigint AND type = 'HANDLING_DUE'`.execute(db);
    return rows[0]!.n;
  }, due.length, dueAtMs + timeoutMs, 100, (n) => log(`escalation: ${fmtInt(n)} / ${fmtInt(due.length)} recorded after ${((Date.now() - dueAtMs) / 1000).toFixed(1)} s`));
  const cpu = meter.stop();
  if (seenAt === null) problems.push(`escalation: not all ${due.length} escalations recorded within ${timeoutMs / 1000} s of T`);

  const traces = await traceTimers(db, due.map((d) => d.timerId));
  const recorded = traces.filter((t) => t.eventType === 'HANDLING_DUE');
  const notApplied = traces.filter((t) => t.commandStatus !== 'applied');
  if (notApplied.length > 0) {
    const byStatus = new Map<string, number>();
    for (const t of notApplied) byStatus.set(`${t.timerState}/${t.commandStatus ?? 'no command'}`, (byStatus.get(`${t.timerState}/${t.commandStatus ?? 'no command'}`) ?? 0) + 1);
    problems.push(`escalation: ${notApplied.length} timers not applied (timer state/command status: ${[...byStatus].map(([k, v]) => `${k} ${v}`).join(', ')})`);
  }
  const stages = await jobStages(queues, traces);
  return {
    dueAt: new Date(dueAtMs).toISOString(),
    timers: due.length,
    recorded: recorded.length,
    allRecordedAfterMs: seenAt === null ? null : seenAt - dueAtMs,
    eventLateness: percentiles(recorded.map((t) => t.eventMs - t.dueMs)),
    fireLateness: percentiles(traces.map((t) => t.firedMs - t.dueMs)),
    stages,
    workerBatches: new Set(recorded.map((t) => t.eventMs)).size,
    fireBatches: new Set(traces.filter((t) => Number.isFinite(t.firedMs)).map((t) => t.firedMs)).size,
    cpu,
    problems,
  };
}
