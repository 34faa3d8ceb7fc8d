import { parseEnv, CommonEnv } from '@petitions/config';
import { Type } from '@sinclair/typebox';
import { createDb } from '../connection.js';
import { rebuildRollups } from '../repositories/reports.repository.js';

/**
 * `pnpm run reports:rebuild`: recompute every report rollup from the event log, in one
 * transaction (workers wait for it, then add their counts on top). Exits non-zero on failure.
 */
const config = parseEnv(Type.Pick(CommonEnv, ['DATABASE_URL']));
const db = createDb({ connectionString: config.DATABASE_URL, poolSize: 1, applicationName: 'reports-rebuild' });
const started = performance.now();
try {
  const { events } = await db.transaction().execute((trx) => rebuildRollups(trx, (n) => {
    if (n % 100_000 === 0) console.log(`${n} events read`);
  }));
  console.log(`report rollups rebuilt from ${events} events in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} catch (err) {
  console.error('rebuild failed:', err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
