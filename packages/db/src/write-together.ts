import { sql, type RawBuilder } from 'kysely';
import type { Tx } from './connection.js';

/**
 * One INSERT or UPDATE of a batch's writes, under a name unique in the batch (not a table's name:
 * a CTE would hide the table). It must end in RETURNING, so the rows it wrote can be counted.
 */
export type WritePart = readonly [name: string, statement: RawBuilder<unknown>];

/**
 * Run several writes as ONE statement (data-modifying CTEs): one round trip to Postgres instead
 * of one per table. They share a snapshot and none sees another's rows, so only writes that do
 * not depend on each other may go together (a part may read an earlier part's RETURNING rows).
 * Returns the rows each part wrote, by name; parts that are null (nothing to write) are left out.
 */
export async function writeTogether(trx: Tx, parts: readonly (WritePart | null)[]): Promise<Record<string, number>> {
  const live = parts.filter((p): p is WritePart => p !== null);
  if (live.length === 0) return {};
  const { rows } = await sql<Record<string, string>>`
    WITH ${sql.join(live.map(([name, statement]) => sql`${sql.id(name)} AS (${statement})`))}
    SELECT ${sql.join(live.map(([name]) => sql`(SELECT count(*) FROM ${sql.id(name)}) AS ${sql.id(name)}`))}`.execute(trx);
  return Object.fromEntries(Object.entries(rows[0] ?? {}).map(([name, n]) => [name, Number(n)]));
}

/**
 * Rows as a relation, sent as ONE JSON parameter: any number of rows stays one bind parameter
 * (a multi-row VALUES list has one per cell, and Postgres allows 65,535). `columns` is the
 * relation's column list with types, written in code (never from input).
 */
export function recordset(rows: readonly object[], columns: string): RawBuilder<unknown> {
  return sql`SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(${sql.raw(columns)})`;
}
