import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { commandsRepo, createDb, petitionsRepo, type Db } from '@petitions/db';
import { createTestDatabase, refIds, type TestDatabase } from '../support/fixtures.js';

/**
 * The workflow worker's pool (createDb with `keyedBatches`): a connection's repeated statements
 * are prepared, so Postgres plans them once, and the one plan it keeps must read by key even when
 * it was made while the table was empty. Checked through Postgres's own view of the session's
 * prepared statements, on a pool of one connection.
 */
let tdb: TestDatabase;
let keyed: Db;
beforeAll(async () => {
  tdb = await createTestDatabase();
  keyed = createDb({ connectionString: tdb.url, poolSize: 1, applicationName: 'keyed-test', keyedBatches: true });
});
afterAll(async () => {
  await keyed.destroy();
  await tdb.drop();
});

interface PreparedRow { name: string; generic_plans: string; custom_plans: string }
const preparedLike = async (like: string, db = keyed) =>
  (await sql<PreparedRow>`SELECT name, generic_plans, custom_plans FROM pg_prepared_statements WHERE statement ILIKE ${like}`.execute(db)).rows;

/** Node types of a plan (EXPLAIN FORMAT JSON), depth first. */
function nodeTypes(plan: { 'Node Type': string; Plans?: unknown[] }): string[] {
  return [plan['Node Type'], ...(plan.Plans ?? []).flatMap((p) => nodeTypes(p as typeof plan))];
}

describe('keyed-batches pool', () => {
  it('prepares a parameterised statement from its second call on, and answers the same', async () => {
    const once = await sql<{ twice: number }>`SELECT ${21}::int * 2 AS twice`.execute(keyed);
    expect(await preparedLike('%AS twice%')).toHaveLength(0);
    const answers = [];
    for (const v of [1, 2, 3]) answers.push((await sql<{ twice: number }>`SELECT ${v}::int * 2 AS twice`.execute(keyed)).rows[0]!.twice);
    expect(once.rows[0]!.twice).toBe(42);
    expect(answers).toEqual([2, 4, 6]);
    expect(await preparedLike('%AS twice%')).toHaveLength(1);
  });

  it('keeps a bounded number per connection when statement texts keep changing', async () => {
    // A connection of its own: this one ends up full.
    const db = createDb({ connectionString: tdb.url, poolSize: 1, applicationName: 'keyed-test-full', keyedBatches: true });
    try {
      for (let i = 0; i < 260; i++) {
        for (let k = 0; k < 2; k++) {
          const r = await sql<{ v: number }>`SELECT ${i}::int AS ${sql.ref(`v${i}`)}`.execute(db);
          expect(Object.values(r.rows[0]!)[0]).toBe(i);
        }
      }
      const total = (await preparedLike('%', db)).length;
      expect(total).toBeGreaterThan(100);
      expect(total).toBeLessThanOrEqual(200);
    } finally {
      await db.destroy();
    }
  });

  it('prepares a statement afresh after a migration changed its table under it', async () => {
    await sql`CREATE TABLE prepared_probe (id int PRIMARY KEY, a int)`.execute(tdb.db);
    await sql`INSERT INTO prepared_probe VALUES (1, 10)`.execute(tdb.db);
    const read = () => sql<Record<string, number>>`SELECT * FROM prepared_probe WHERE id = ${1}`.execute(keyed);
    for (let i = 0; i < 3; i++) expect((await read()).rows).toEqual([{ id: 1, a: 10 }]);
    expect(await preparedLike('%prepared_probe%')).toHaveLength(1);
    await sql`ALTER TABLE prepared_probe ADD COLUMN b int DEFAULT 7`.execute(tdb.db);
    // Postgres refuses the old statement once...
    await expect(read()).rejects.toMatchObject({ code: '0A000' });
    // ...and the pool does not keep sending it.
    expect((await read()).rows).toEqual([{ id: 1, a: 10, b: 7 }]);
    expect((await read()).rows).toEqual([{ id: 1, a: 10, b: 7 }]);
  });

  it('plans a batch lock once, by index, although the table was empty when it was planned', async () => {
    const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM petitions`.execute(tdb.db);
    expect(Number(rows[0]!.n)).toBe(0);
    // Statistics that say so, as autovacuum leaves them on a new database's small tables.
    await sql`ANALYZE petitions`.execute(tdb.db);
    for (let i = 0; i < 4; i++) {
      const locked = await keyed.transaction().execute((trx) => petitionsRepo.lockPetitions(trx, [randomUUID(), randomUUID()]));
      expect(locked).toEqual([]);
    }
    const [lock] = await preparedLike('%FOR NO KEY UPDATE%');
    expect(lock).toBeDefined();
    // One generic plan, reused: no per-call planning.
    expect(Number(lock!.custom_plans)).toBe(0);
    expect(Number(lock!.generic_plans)).toBeGreaterThanOrEqual(2);

    const explain = async (db: Db, statement: string) => {
      const { rows } = await sql<{ 'QUERY PLAN': [{ Plan: { 'Node Type': string } }] }>`${sql.raw(`EXPLAIN (FORMAT JSON) ${statement}`)}`.execute(db);
      return nodeTypes(rows[0]!['QUERY PLAN'][0].Plan);
    };
    const ids = `'{${randomUUID()},${randomUUID()}}'::uuid[]`;
    // What an ordinary session plans for the empty table: a scan of all of it...
    expect(await explain(tdb.db, `SELECT id FROM petitions WHERE id = ANY(${ids})`)).toContain('Seq Scan');
    // ...which a plan kept for the life of the connection must not do once the table has grown.
    const kept = await explain(keyed, `EXECUTE ${lock!.name}(${ids})`);
    expect(kept).not.toContain('Seq Scan');
    expect(kept.some((t) => t.startsWith('Index') || t.startsWith('Bitmap'))).toBe(true);
  });

  it('records a batch of outcomes through the primary key, whatever the statistics say of pending commands', async () => {
    // Statistics taken between bursts: many commands, none pending. A burst then leaves thousands
    // pending, and a plan that scans them all once per outcome of a batch would take seconds.
    const refs = await refIds(tdb.db);
    const petitionId = randomUUID();
    await sql`
      INSERT INTO petitions (id, tracking_no, kind, channel, urgency, category_id, district_id, title, content, state, machine_version, snapshot, created_by)
      VALUES (${petitionId}, 'T-plan-1', 'request', 'hotline', 'normal', ${refs.categories[0]!.id},
        ${refs.units.find((u) => u.kind === 'district')!.id}, 'plan', 'plan', 'closed', 2, '{}', 'test')`.execute(tdb.db);
    await sql`
      INSERT INTO commands (id, petition_id, type, payload, actor_id, actor_role, status, applied_at)
      SELECT gen_random_uuid(), ${petitionId}, 'NOTE', '{}', 'test', 'clerk', 'applied', now() FROM generate_series(1, 20000)`.execute(tdb.db);
    await sql`ANALYZE commands`.execute(tdb.db);
    const part = commandsRepo.commandOutcomesWrite(Array.from({ length: 250 }, () => ({
      id: randomUUID(), status: 'applied' as const, result: null, rejectionCode: null, rejectionReason: null,
    })), new Date());
    expect(part).not.toBeNull();
    const [name, statement] = part!;
    const { rows } = await sql<{ 'QUERY PLAN': unknown }>`EXPLAIN (FORMAT JSON) WITH ${sql.id(name)} AS (${statement}) SELECT count(*) FROM ${sql.id(name)}`.execute(keyed);
    const plan = JSON.stringify(rows[0]!['QUERY PLAN']);
    expect(plan).toContain('"Index Name":"commands_pkey"');
    expect(plan).not.toContain('commands_pending_idx');
  });
});
