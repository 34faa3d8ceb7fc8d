/* eslint-disable @typescript-eslint/no-explicit-any -- migrations use Kysely<any>: they are frozen in time and must not import app types */
import { sql, type Kysely } from 'kysely';

// Every read of a resident's full name, phone or address, with who, when and why.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('personal_data_access_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('petition_id', 'uuid', (c) => c.notNull().references('petitions.id'))
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_role', 'text', (c) => c.notNull())
    .addColumn('actor_unit_id', 'uuid')
    .addColumn('fields', sql`text[]`, (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('accessed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('personal_data_access_petition_idx').on('personal_data_access_log').columns(['petition_id', 'accessed_at']).execute();
  await db.schema.createIndex('personal_data_access_actor_idx').on('personal_data_access_log').columns(['actor_id', 'accessed_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('personal_data_access_log').execute();
}
