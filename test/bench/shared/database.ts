import pg from 'pg';
import { createDb, migrateToLatest, type Db } from '@petitions/db';
import type { BenchDatabase } from './knobs.js';

/**
 * One run per bench database at a time: a second run would drop the database under the first
 * (DROP DATABASE … WITH (FORCE)). Held on a connection of its own until `release()`.
 * `alongside` names the knobs that let two runs share the server (…; set them to run alongside).
 */
export async function lockBenchDatabase(target: BenchDatabase, bench: string, alongside: string): Promise<{ release: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: target.databaseUrl, application_name: `bench-${bench}-lock` });
  await client.connect();
  const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [`bench:${target.benchDbName}`]);
  if (!rows[0]?.ok) {
    await client.end();
    throw new Error(`another run of this bench is using the database ${target.benchDbName}; wait for it, or set ${alongside} to run alongside`);
  }
  client.on('error', () => undefined);
  return { release: () => client.end().catch(() => undefined) };
}

/** `statements` in order on a connection of its own to the DATABASE_URL server, named `applicationName`. */
async function onServer(target: BenchDatabase, applicationName: string, statements: readonly string[]): Promise<void> {
  const admin = new pg.Client({ connectionString: target.databaseUrl, application_name: applicationName });
  await admin.connect();
  try {
    for (const statement of statements) await admin.query(statement);
  } finally {
    await admin.end();
  }
}

const dropStatement = (target: BenchDatabase) => `DROP DATABASE IF EXISTS ${target.benchDbName} WITH (FORCE)`;

export async function dropBenchDatabase(target: BenchDatabase, bench: string): Promise<void> {
  await onServer(target, `bench-${bench}-admin`, [dropStatement(target)]);
}

/**
 * Drop and re-create the bench database on the DATABASE_URL server, then migrate it (seeding is the
 * caller's). `applicationName` names the pool's connections, and with `-admin` the server's.
 */
export async function recreateBenchDatabase(target: BenchDatabase, applicationName: string): Promise<Db> {
  await onServer(target, `${applicationName}-admin`, [dropStatement(target), `CREATE DATABASE ${target.benchDbName}`]);
  const db = createDb({ connectionString: target.benchDatabaseUrl, poolSize: 4, applicationName });
  const { error } = await migrateToLatest(db);
  if (error) throw error instanceof Error ? error : new Error(`migration failed: ${JSON.stringify(error)}`);
  return db;
}
