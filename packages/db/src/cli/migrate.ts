import { parseEnv, CommonEnv } from '@petitions/config';
import { Type } from '@sinclair/typebox';
import { createDb } from '../connection.js';
import { migrateToLatest } from '../migrate.js';
import { seedStandardData } from '../repositories/time.repository.js';

/** `pnpm run migrate`: apply pending migrations; exit non-zero on any failure. */
const config = parseEnv(Type.Pick(CommonEnv, ['DATABASE_URL']));
const db = createDb({ connectionString: config.DATABASE_URL, poolSize: 1, applicationName: 'migrate' });
try {
  const { error, results } = await migrateToLatest(db);
  for (const r of results ?? []) console.log(`${r.status === 'Success' ? 'applied' : r.status}: ${r.migrationName}`);
  if (error) {
    console.error('migration failed:', error instanceof Error ? error.message : error);
    process.exitCode = 1;
  } else {
    if (!results?.length) console.log('database is up to date');
    // The calendar and default SLA policies every installation needs; existing rows are kept.
    const seeded = await seedStandardData(db);
    if (seeded.calendarDays + seeded.policies > 0) console.log(`standard data: ${seeded.calendarDays} calendar days, ${seeded.policies} SLA policies`);
  }
} catch (err) {
  console.error('migration failed:', err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
