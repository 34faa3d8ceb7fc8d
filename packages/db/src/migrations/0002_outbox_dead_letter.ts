/* eslint-disable @typescript-eslint/no-explicit-any -- migrations use Kysely<any>: they are frozen in time and must not import app types */
import { sql, type Kysely } from 'kysely';

// A row the relay cannot publish must not block the rows behind it: count attempts, keep the
// last error, and stop retrying after a few (the row stays for an admin to inspect).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .execute();
  await sql`DROP INDEX outbox_unpublished_idx`.execute(db);
  await sql`CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL AND attempts < 5`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX outbox_unpublished_idx`.execute(db);
  await sql`CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL`.execute(db);
  await db.schema.alterTable('outbox').dropColumn('attempts').dropColumn('last_error').execute();
}
