import { Migrator, type Kysely, type MigrationResultSet } from 'kysely';
import { migrations } from './migrations/index.js';

/**
 * Kysely's Postgres adapter runs all pending migrations in one transaction under an advisory
 * lock, so concurrent starts of several services cannot race.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the migrator works on the untyped schema
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  return migrator.migrateToLatest();
}
