import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { seedReferenceData, seedStandardData, type Db } from '@petitions/db';
import { trackingDatePrefix } from '@petitions/domain';
import { keysFromConfig } from '@petitions/personal-data';
import { applyCommands } from '@petitions/workflow-worker';
import { ACTORS, commandRow, handlerOf, insertCommands, insertPetitions, loadRefs, type Refs } from '../lifecycle/data.js';
import { recreateBenchDatabase } from '../shared/database.js';
import type { TimersConfig } from './config.js';

// ---------------------------------------------------------------------------------------------
// The bench database

/** Drop and re-create the bench database, then migrate and seed it as test/support/global-setup.ts does. */
export async function recreateDatabase(cfg: TimersConfig): Promise<Db> {
  const db = await recreateBenchDatabase(cfg, 'bench-timers');
  await seedStandardData(db);
  await seedReferenceData(db);
  return db;
}

// ---------------------------------------------------------------------------------------------
// One real petition, then a million clones of it

export interface Template {
  petitionId: string;
  refs: Refs;
  /** When the real engine applied SIGN_FOR (the clones' deadlines are spread from the generation time). */
  handlingDueAt: Date;
  /** Reminder offset / handling offset of the real petition (the 催办 share of the clock). */
  reminderShare: number;
}

/**
 * Push ONE petition through the real engine (SUBMIT → dispatched, SIGN_FOR → handling) with the
 * worker's own `applyCommands`, so the clones carry a snapshot, tasks and timers exactly as the
 * worker writes them.
 */
export async function makeTemplate(db: Db, cfg: TimersConfig): Promise<Template> {
  const refs = await loadRefs(db);
  const keys = keysFromConfig(cfg.encryptionKey, cfg.encryptionKey);
  const [p] = await insertPetitions(db, keys, refs, 1, 1, ACTORS.clerk.id);
  const id = p!.id;
  for (const [type, actor, fingerprint] of [['SUBMIT', ACTORS.clerk, p!.body], ['SIGN_FOR', handlerOf(refs), { petitionId: id }]] as const) {
    const row = commandRow(id, type, {}, actor, fingerprint);
    await insertCommands(db, [row]);
    const outcome = (await applyCommands(db, [{ commandId: row.id, petitionId: id }])).get(row.id);
    if (outcome?.status !== 'applied') throw new Error(`template petition: ${type} was not applied (${JSON.stringify(outcome)})`);
  }
  const petition = await db.selectFrom('petitions').select(['state', 'created_at']).where('id', '=', id).executeTakeFirstOrThrow();
  if (petition.state !== 'handling') throw new Error(`template petition is in state ${petition.state}, expected handling`);
  const timers = await db.selectFrom('timers').select(['kind', 'due_at', 'created_at']).where('petition_id', '=', id).where('state', '=', 'pending').execute();
  const handling = timers.find((t) => t.kind === 'handling');
  const reminder = timers.find((t) => t.kind === 'handling_reminder');
  if (!handling || !reminder || timers.length !== 2) {
    throw new Error(`template petition: expected pending handling + handling_reminder timers, got ${timers.map((t) => t.kind).join(', ') || 'none'}`);
  }
  const from = handling.created_at.getTime();
  const reminderShare = (reminder.due_at.getTime() - from) / (handling.due_at.getTime() - from);
  return { petitionId: id, refs, handlingDueAt: handling.due_at, reminderShare };
}

async function columnsOf(db: Db, table: string): Promise<string[]> {
  const { rows } = await sql<{ column_name: string }>`
    SELECT column_name FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name = ${table} ORDER BY ordinal_position`.execute(db);
  if (rows.length === 0) throw new Error(`no table ${table}`);
  return rows.map((r) => r.column_name);
}

/**
 * `INSERT INTO table (every column) SELECT <override or t.column> FROM g JOIN table t ON ...`: a row
 * of the template per generated petition, with the columns that must differ replaced. Built from
 * information_schema so that a column added by a later migration is copied rather than forgotten.
 */
function cloneInto(table: string, columns: readonly string[], overrides: Record<string, string>, omit: readonly string[], from: string): string {
  const cols = columns.filter((c) => !omit.includes(c));
  const exprs = cols.map((c) => overrides[c] ?? `t.${c}`);
  return `INSERT INTO ${table} (${cols.join(', ')}) SELECT ${exprs.join(', ')} FROM ${from}`;
}

export interface GenerationResult {
  petitions: number;
  ms: number;
  rows: Record<string, number>;
}

/**
 * Clone the template into `count` more open petitions, `chunk` per statement, with set-based SQL
 * (generate_series + data-modifying CTEs; no row is written from Node). Each clone gets a new id,
 * tracking number and snapshot (context.petitionId replaced), the template's contact, its open
 * tasks, and pending `handling` (basis working) + `handling_reminder` timers, the handling deadline
 * uniformly spread over 1–30 days from now and the reminder at the template's share of that.
 * With `history`, also the SUBMIT and SIGN_FOR commands (applied) and their audit events.
 */
export async function cloneOpenPetitions(
  db: Db, tpl: Template, count: number, opts: { chunk: number; parallel: number; history: boolean }, log: (line: string) => void,
): Promise<GenerationResult> {
  const { chunk, parallel, history } = opts;
  const t0 = performance.now();
  const now = new Date();
  const cols = Object.fromEntries(await Promise.all(
    ['petitions', 'petition_contacts', 'tasks', 'timers', 'commands', 'petition_events'].map(async (t) => [t, await columnsOf(db, t)] as const),
  ));
  const prefix = trackingDatePrefix(now);
  const tplId = `'${tpl.petitionId}'::uuid`;
  const cmdIdFor = `CASE t.type WHEN 'SUBMIT' THEN g.c_submit WHEN 'SIGN_FOR' THEN g.c_sign END`;
  const parts = [
    cloneInto('petitions', cols.petitions!, {
      id: 'g.id',
      tracking_no: `'${prefix}' || lpad(nextval('petition_tracking_seq')::text, 8, '0')`,
      snapshot: `jsonb_set(t.snapshot, '{context,petitionId}', to_jsonb(g.id::text))`,
    }, [], `g CROSS JOIN petitions t WHERE t.id = ${tplId}`),
    cloneInto('petition_contacts', cols.petition_contacts!, { petition_id: 'g.id' }, [], `g CROSS JOIN petition_contacts t WHERE t.petition_id = ${tplId}`),
    cloneInto('tasks', cols.tasks!, { id: 'gen_random_uuid()', petition_id: 'g.id', due_at: 'g.handling_due' }, [],
      `g CROSS JOIN tasks t WHERE t.petition_id = ${tplId} AND t.status IN ('to_sign', 'in_progress')`),
    cloneInto('timers', cols.timers!, {
      id: 'gen_random_uuid()', petition_id: 'g.id',
      due_at: `CASE t.kind WHEN 'handling' THEN g.handling_due ELSE $NOW + (g.handling_due - $NOW) * ${tpl.reminderShare} END`,
      created_at: '$NOW',
    }, [], `g CROSS JOIN timers t WHERE t.petition_id = ${tplId} AND t.state = 'pending'`),
  ];
  if (history) {
    parts.push(
      cloneInto('commands', cols.commands!, {
        id: cmdIdFor, petition_id: 'g.id',
        result: `CASE WHEN t.result IS NULL THEN NULL ELSE jsonb_set(t.result, '{petitionId}', to_jsonb(g.id::text)) END`,
      }, [], `g CROSS JOIN commands t WHERE t.petition_id = ${tplId} AND t.type IN ('SUBMIT', 'SIGN_FOR')`),
      cloneInto('petition_events', cols.petition_events!, { petition_id: 'g.id', command_id: cmdIdFor }, ['id'],
        `g CROSS JOIN petition_events t WHERE t.petition_id = ${tplId} AND t.type IN ('SUBMIT', 'SIGN_FOR')`),
    );
  }
  const statement = `
    WITH g AS MATERIALIZED (
      SELECT gen_random_uuid() AS id, gen_random_uuid() AS c_submit, gen_random_uuid() AS c_sign,
             $NOW + interval '1 day' + random() * interval '29 days' AS handling_due
      FROM generate_series(1, $COUNT)
    ), ${parts.map((p, i) => `w${i} AS (${p})`).join(',\n    ')}
    SELECT count(*)::int AS n FROM g`;
  // Chunks run on `parallel` connections at once: the row-by-row foreign-key checks make each
  // statement CPU-bound in one Postgres backend.
  const sizes: number[] = [];
  for (let left = count; left > 0; left -= chunk) sizes.push(Math.min(chunk, left));
  let next = 0;
  let done = 0;
  await Promise.all(Array.from({ length: Math.max(1, parallel) }, async () => {
    while (next < sizes.length) {
      const n = sizes[next++]!;
      const c0 = performance.now();
      await sql.raw(statement.replaceAll('$NOW', `'${now.toISOString()}'::timestamptz`).replace('$COUNT', String(n))).execute(db);
      done += n;
      log(`generate: ${done.toLocaleString('en-US')} / ${count.toLocaleString('en-US')} petitions (${((performance.now() - c0) / 1000).toFixed(1)} s for this chunk of ${n.toLocaleString('en-US')})`);
    }
  }));
  const genMs = performance.now() - t0;
  await sql`ANALYZE`.execute(db);
  const rows: Record<string, number> = {};
  for (const t of ['petitions', 'petition_contacts', 'tasks', 'timers', 'commands', 'petition_events']) {
    const { rows: r } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(t)}`.execute(db);
    rows[t] = r[0]!.n;
  }
  return { petitions: count, ms: genMs, rows };
}

// ---------------------------------------------------------------------------------------------
// Picking timers for the phases

export interface PickedTimer {
  timerId: string;
  petitionId: string;
}

/** `n` pending handling timers of random petitions, none of `exclude`'s petitions and not the template. */
export async function pickHandlingTimers(db: Db, n: number, exclude: ReadonlySet<string>, templateId: string): Promise<PickedTimer[]> {
  const { rows } = await sql<{ id: string; petition_id: string }>`
    SELECT id, petition_id FROM timers
    WHERE kind = 'handling' AND state = 'pending' AND petition_id <> ${templateId}
    ORDER BY random() LIMIT ${n + exclude.size}`.execute(db);
  return rows.filter((r) => !exclude.has(r.petition_id)).slice(0, n).map((r) => ({ timerId: r.id, petitionId: r.petition_id }));
}

/**
 * Move handling deadlines to the given times (the lead task follows, as the worker keeps them in step).
 * With `reminderFired`, the petitions' reminders are marked as fired a day earlier, as they would be
 * for a deadline that is reached: otherwise they would stay pending past their own handling deadline.
 */
export async function moveHandlingDeadlines(db: Db, timers: readonly PickedTimer[], dueAt: (i: number) => Date, reminderFired: boolean): Promise<void> {
  const ids = timers.map((t) => t.timerId);
  const pids = timers.map((t) => t.petitionId);
  const dues = timers.map((_, i) => dueAt(i).toISOString());
  await db.transaction().execute(async (trx) => {
    await sql`
      UPDATE timers t SET due_at = x.due_at FROM unnest(${ids}::uuid[], ${dues}::timestamptz[]) AS x(id, due_at)
      WHERE t.id = x.id`.execute(trx);
    await sql`
      UPDATE tasks k SET due_at = x.due_at FROM unnest(${pids}::uuid[], ${dues}::timestamptz[]) AS x(pid, due_at)
      WHERE k.petition_id = x.pid AND k.status = 'in_progress'`.execute(trx);
    if (reminderFired) {
      await sql`
        UPDATE timers t SET state = 'fired', due_at = x.due_at - interval '1 day' FROM unnest(${pids}::uuid[], ${dues}::timestamptz[]) AS x(pid, due_at)
        WHERE t.petition_id = x.pid AND t.kind = 'handling_reminder' AND t.state = 'pending'`.execute(trx);
    }
  });
}

/** Commands recorded as the API records them (a NOTE by the lead unit) but never published to Redis. */
export async function recordUnpublishedNotes(db: Db, refs: Refs, petitionIds: readonly string[]): Promise<string[]> {
  const actor = handlerOf(refs);
  const rows = petitionIds.map((pid) => commandRow(pid, 'NOTE', { text: '已联系夜市管理方，正在协调整改。', visibility: 'internal' }, actor, { pid, n: randomUUID() }));
  await insertCommands(db, rows);
  return rows.map((r) => r.id);
}

/** Random open petitions that are none of `exclude`. */
export async function pickPetitions(db: Db, n: number, exclude: ReadonlySet<string>, templateId: string): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    SELECT id FROM petitions WHERE state = 'handling' AND id <> ${templateId} ORDER BY random() LIMIT ${n + exclude.size}`.execute(db);
  return rows.map((r) => r.id).filter((id) => !exclude.has(id)).slice(0, n);
}
