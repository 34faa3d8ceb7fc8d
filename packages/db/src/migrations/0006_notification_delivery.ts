/* eslint-disable @typescript-eslint/no-explicit-any -- migrations use Kysely<any>: they are frozen in time and must not import app types */
import { sql, type Kysely } from 'kysely';

// Delivery channels with retries: each notification counts its attempts, keeps the last error
// (short, no personal data) and, once out of attempts or refused for good, is dead-lettered for
// an admin to inspect and retry. 'pending' is a delivery not yet accepted by its channel.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('notifications')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('dead_lettered_at', 'timestamptz')
    .execute();
  // NOT VALID, then VALIDATE: existing rows are checked without holding an exclusive lock.
  await sql`ALTER TABLE notifications ADD CONSTRAINT notifications_status_check
    CHECK (status IN ('pending', 'delivered', 'skipped_anonymous', 'dead_letter')) NOT VALID`.execute(db);
  await sql`ALTER TABLE notifications VALIDATE CONSTRAINT notifications_status_check`.execute(db);
  // The admins' dead-letter list, newest first, paged by (dead_lettered_at, id).
  await sql`CREATE INDEX notifications_dead_letter_idx ON notifications (dead_lettered_at DESC, id DESC) WHERE status = 'dead_letter'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS notifications_dead_letter_idx`.execute(db);
  await sql`ALTER TABLE notifications DROP CONSTRAINT IF EXISTS notifications_status_check`.execute(db);
  await db.schema.alterTable('notifications').dropColumn('attempts').dropColumn('last_error').dropColumn('dead_lettered_at').execute();
}
