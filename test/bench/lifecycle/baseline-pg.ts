import pg from 'pg';
import type { Db } from '@petitions/db';
import type { Actor } from '@petitions/domain';
import type { PersonalDataKeys } from '@petitions/personal-data';
import { applyPetitionEvent, startPetition, type PetitionEvent, type StoredSnapshot } from '@petitions/petition-workflow';
import type { BenchConfig } from './config.js';
import { CpuMeter, type CpuUse } from './cpu.js';
import { ACTORS, commandRow, handlerOf, insertCommands, insertPetitions, type Refs } from './data.js';
import { PHASES, verifyEngine } from './engine.js';

/** One transition, fully prepared outside the clock: the baseline only writes. */
interface Step {
  type: string;
  from: string;
  to: string;
  snapshot: string;
  commandId: string;
  actor: Actor;
  data: string;
}

export interface PlainPgResult {
  pool: number;
  transitions: number;
  ms: number;
  perSecond: number;
  /** Preparing petitions, snapshots and command rows (outside the clock). */
  prepareMs: number;
  /** Problems found checking the end state (every petition closed at version 4 with 4 events). */
  problems: string[];
  cpu: CpuUse;
}

const UPDATE = {
  name: 'bench_transition_update',
  text: 'UPDATE petitions SET state = $2, version = version + 1, snapshot = $3, updated_at = now() WHERE id = $1 AND version = $4',
};
const INSERT_EVENT = {
  name: 'bench_transition_event',
  text: `INSERT INTO petition_events (petition_id, seq, type, command_id, actor_id, actor_role, actor_unit_id, from_state, to_state, visibility, data)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'public', $10)`,
};

function eventFor(type: string, actor: Actor, refs: Refs): PetitionEvent {
  switch (type) {
    case 'SUBMIT': return { type: 'SUBMIT', actor, route: refs.route };
    case 'SIGN_FOR': return { type: 'SIGN_FOR', actor };
    case 'COMPLETE': return { type: 'COMPLETE', actor, result: '已责令夜市22点后停止外放音响', resolved: true };
    case 'RATE': return { type: 'RATE', actor, satisfaction: 'satisfied', resolved: true };
    default: throw new Error(`no baseline event for ${type}`);
  }
}

/**
 * N fresh petitions (intake, version 0), their 4 command rows (pre-inserted: petition_events.command_id
 * references commands(id) NOT NULL UNIQUE) and, per transition, the snapshot the real machine
 * produces. The command rows are written already 'applied', so nothing pending is left behind.
 */
async function prepare(db: Db, keys: PersonalDataKeys, refs: Refs, n: number, phoneBase: number): Promise<{ id: string; steps: Step[] }[]> {
  const petitions = await insertPetitions(db, keys, refs, n, phoneBase, 'bench-plain-pg');
  const commands = [];
  const out: { id: string; steps: Step[] }[] = [];
  for (const p of petitions) {
    let snap: StoredSnapshot = startPetition({ petitionId: p.id, kind: 'request', slaClass: 'normal' });
    const steps: Step[] = [];
    for (const phase of PHASES) {
      const actor = phase.type === 'SUBMIT' ? ACTORS.clerk : phase.type === 'RATE' ? ACTORS.followUp : handlerOf(refs);
      const applied = applyPetitionEvent(snap, eventFor(phase.type, actor, refs));
      if (!applied.accepted) throw new Error(`baseline: ${phase.type} refused in ${snap.value}`);
      const row = commandRow(p.id, phase.type, phase.payload, actor, { petitionId: p.id, payload: phase.payload }, 'applied');
      commands.push(row);
      steps.push({
        type: phase.type, from: snap.value, to: applied.state, snapshot: JSON.stringify(applied.snapshot), commandId: row.id, actor,
        data: JSON.stringify(phase.type === 'SUBMIT' ? { route: refs.route } : phase.payload),
      });
      snap = applied.snapshot;
    }
    out.push({ id: p.id, steps });
  }
  await insertCommands(db, commands);
  return out;
}

async function transition(client: pg.PoolClient, petitionId: string, version: number, s: Step): Promise<void> {
  await client.query('BEGIN');
  try {
    const r = await client.query({ ...UPDATE, values: [petitionId, s.to, s.snapshot, version] });
    if (r.rowCount !== 1) throw new Error(`baseline: version conflict on ${petitionId} at version ${version}`);
    await client.query({
      ...INSERT_EVENT,
      values: [petitionId, version + 1, s.type, s.commandId, s.actor.id, s.actor.role, s.actor.unitId, s.from, s.to, s.data],
    });
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/**
 * The same durable state writes as the engine's transitions, one transaction each, from `poolSize`
 * connections that each loop over their share of the petitions, phase by phase.
 */
export async function runPlainPg(
  cfg: BenchConfig, db: Db, keys: PersonalDataKeys, refs: Refs, poolSize: number, phoneBase: number, pids: () => Record<string, number | undefined>,
): Promise<PlainPgResult> {
  const p0 = performance.now();
  const petitions = await prepare(db, keys, refs, cfg.n, phoneBase);
  const prepareMs = performance.now() - p0;
  const pool = new pg.Pool({ connectionString: cfg.benchDatabaseUrl, max: poolSize, application_name: 'bench-plain-pg' });
  pool.on('error', () => undefined);
  const clients = await Promise.all(Array.from({ length: poolSize }, () => pool.connect()));
  try {
    const cpuMeter = new CpuMeter(pids);
    const t0 = performance.now();
    await Promise.all(clients.map(async (client, k) => {
      for (let step = 0; step < PHASES.length; step++) {
        for (let i = k; i < petitions.length; i += poolSize) {
          const p = petitions[i]!;
          await transition(client, p.id, step, p.steps[step]!);
        }
      }
    }));
    const ms = performance.now() - t0;
    const cpu = cpuMeter.stop();
    const transitions = petitions.length * PHASES.length;
    const { problems } = await verifyEngine(db, petitions.map((p) => p.id));
    return { pool: poolSize, transitions, ms, perSecond: (transitions * 1000) / ms, prepareMs, problems, cpu };
  } finally {
    for (const c of clients) c.release();
    await pool.end();
  }
}
