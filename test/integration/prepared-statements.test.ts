import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createDb, type Db } from '@petitions/db';
import { createTestDatabase, type TestDatabase } from '../support/fixtures.js';

/**
 * The pool prepares a connection's repeated statements (createDb → prepareRepeatedStatements):
 * Postgres parses and plans them once. Checked on one connection through Postgres's own list of
 * the session's prepared statements.
 */
let tdb: TestDatabase;
let db: Db;
beforeAll(async () => {
  tdb = await createTestDatabase();
  db = createDb({ connectionString: tdb.url, poolSize: 1, applicationName: 'prepared-test' });
});
afterAll(async () => {
  await db.destroy();
  await tdb.drop();
});

const prepared = async (like: string) => {
  const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM pg_prepared_statements WHERE statement LIKE ${like}`.execute(db);
  return Number(rows[0]!.n);
};

describe('prepared statements', () => {
  it('prepares a parameterised statement from its second call on, and answers the same', async () => {
    const once = await sql<{ twice: number }>`SELECT ${21}::int * 2 AS twice`.execute(db);
    expect(await prepared('%AS twice%')).toBe(0);
    const answers = [];
    for (const v of [1, 2, 3]) answers.push((await sql<{ twice: number }>`SELECT ${v}::int * 2 AS twice`.execute(db)).rows[0]!.twice);
    expect(once.rows[0]!.twice).toBe(42);
    expect(answers).toEqual([2, 4, 6]);
    expect(await prepared('%AS twice%')).toBe(1);
  });

  it('keeps a bounded number per connection when statement texts keep changing', async () => {
    for (let i = 0; i < 260; i++) {
      for (let k = 0; k < 2; k++) {
        const r = await sql<{ v: number }>`SELECT ${i}::int AS ${sql.ref(`v${i}`)}`.execute(db);
        expect(Object.values(r.rows[0]!)[0]).toBe(i);
      }
    }
    const total = await prepared('%');
    expect(total).toBeGreaterThan(100);
    expect(total).toBeLessThanOrEqual(200);
  });
});
