/* eslint-disable @typescript-eslint/no-explicit-any -- migrations use Kysely<any>: they are frozen in time and must not import app types */
import { sql, type Kysely } from 'kysely';

// Many events leave a petition's indexed columns alone (a deadline passing, a note, an extension
// asked for): with room left on its page Postgres updates the row in place (a HOT update) instead
// of adding an entry to each of its seven indexes. Applies to pages written from now on.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE petitions SET (fillfactor = 80)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE petitions RESET (fillfactor)`.execute(db);
}
