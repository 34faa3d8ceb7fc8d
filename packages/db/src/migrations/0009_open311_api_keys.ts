/* eslint-disable @typescript-eslint/no-explicit-any -- migrations use Kysely<any>: they are frozen in time and must not import app types */
import { sql, type Kysely } from 'kysely';

// Open311 GeoReport v2: the API keys that may create service requests (only their SHA-256 is
// stored), which key created which petition with the media URL it gave, and an index for the
// public list of requests (a window of at most 90 days by creation time).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('open311_api_keys')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('revoked_at', 'timestamptz')
    .execute();

  await db.schema.createTable('open311_requests')
    .addColumn('petition_id', 'uuid', (c) => c.primaryKey().references('petitions.id'))
    .addColumn('api_key_id', 'uuid', (c) => c.notNull().references('open311_api_keys.id'))
    .addColumn('media_url', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await sql`CREATE INDEX petitions_created_at_idx ON petitions (created_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS petitions_created_at_idx`.execute(db);
  await db.schema.dropTable('open311_requests').execute();
  await db.schema.dropTable('open311_api_keys').execute();
}
