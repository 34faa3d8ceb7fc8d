import pg from 'pg';
import { createDb, migrateToLatest, seedReferenceData, seedStandardData } from '@petitions/db';
import { databaseUrl, TEMPLATE_DB, testServers } from './env.js';

/**
 * Build one migrated, seeded template database per run. Each test file clones it
 * (CREATE DATABASE … TEMPLATE), which takes milliseconds and isolates files from each other.
 */
export default async function setup(): Promise<void> {
  const admin = new pg.Client({ connectionString: testServers().databaseUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  const db = createDb({ connectionString: databaseUrl(TEMPLATE_DB), poolSize: 1 });
  try {
    const { error } = await migrateToLatest(db);
    if (error) throw error instanceof Error ? error : new Error(`migration failed: ${JSON.stringify(error)}`);
    await seedStandardData(db);
    await seedReferenceData(db);
  } finally {
    await db.destroy();
  }
}
