import { createDb, timeRepo, type Db } from '@petitions/db';
import type { PersonalDataKeys } from '@petitions/personal-data';
import { foldReportsOnce } from '@petitions/scheduler';
import { applyCommands } from '@petitions/workflow-worker';
import type { BenchConfig } from './config.js';
import { CpuMeter, type CpuUse } from './cpu.js';
import { ACTORS, chunks, commandRow, insertCommands, insertPetitions, type Refs } from './data.js';
import { PHASES, verifyEngine } from './engine.js';

export interface ApplyOnlyResult {
  batchSize: number;
  pool: number;
  transitions: number;
  ms: number;
  perSecond: number;
  cpu: CpuUse;
  problems: string[];
}

/**
 * Diagnostic: the worker's apply path without the queue. The same commands, in batches of
 * WORKER_BATCH_SIZE, handed straight to `applyCommands` from DB_POOL_SIZE loops in this process,
 * then the report backlog folded, as in the engine phases.
 * Engine minus this is what BullMQ, job validation and the micro-batcher cost.
 */
export async function runApplyOnly(
  cfg: BenchConfig, db: Db, keys: PersonalDataKeys, refs: Refs, phoneBase: number, pids: () => Record<string, number | undefined>,
): Promise<ApplyOnlyResult> {
  const petitions = await insertPetitions(db, keys, refs, cfg.n, phoneBase, ACTORS.clerk.id);
  const workerDb = createDb({ connectionString: cfg.benchDatabaseUrl, poolSize: cfg.workerPoolSize, applicationName: 'bench-apply-only', keyedBatches: true });
  let ms = 0;
  const cpuParts: { cpu: CpuUse; ms: number }[] = [];
  try {
    for (const phase of PHASES) {
      const actor = phase.actor(refs);
      const rows = petitions.map((p) => commandRow(p.id, phase.type, phase.payload, actor,
        phase.type === 'SUBMIT' ? p.body : { petitionId: p.id, payload: phase.payload }));
      await insertCommands(db, rows);
      const batches = chunks(rows.map((r) => ({ commandId: r.id, petitionId: r.petition_id })), cfg.workerBatchSize);
      let next = 0;
      // The worker caches the calendar and policies; so does this loop.
      const rules = await timeRepo.loadDeadlineRules(workerDb);
      const meter = new CpuMeter(pids);
      const t0 = performance.now();
      await Promise.all(Array.from({ length: cfg.workerPoolSize }, async () => {
        while (next < batches.length) await applyCommands(workerDb, batches[next++]!, { rules });
      }));
      await foldReportsOnce(workerDb);
      const phaseMs = performance.now() - t0;
      cpuParts.push({ cpu: meter.stop(), ms: phaseMs });
      ms += phaseMs;
    }
  } finally {
    await workerDb.destroy();
  }
  const cpu: CpuUse = {};
  for (const p of cpuParts) for (const [k, v] of Object.entries(p.cpu)) cpu[k] = (cpu[k] ?? 0) + (v * p.ms) / ms;
  const transitions = petitions.length * PHASES.length;
  const { problems } = await verifyEngine(db, petitions.map((p) => p.id));
  return { batchSize: cfg.workerBatchSize, pool: cfg.workerPoolSize, transitions, ms, perSecond: (transitions * 1000) / ms, cpu, problems };
}
