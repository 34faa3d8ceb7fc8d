import { Type } from '@sinclair/typebox';
import { CommonEnv, parseEnv } from '@petitions/config';
import { createDb } from '../connection.js';
import { seedReferenceData } from '../demo/seed.js';

/** `pnpm run seed`: load the demo org tree, categories and routing rules (idempotent). */
const config = parseEnv(Type.Pick(CommonEnv, ['DATABASE_URL']));
const db = createDb({ connectionString: config.DATABASE_URL, poolSize: 1, applicationName: 'seed' });
try {
  const r = await seedReferenceData(db);
  console.log(`demo reference data: ${r.units} org units, ${r.categories} categories, ${r.rules} routing rules`);
} catch (err) {
  console.error('seeding failed:', err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
