import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Repository functions take either; locking reads demand a `Tx`. */
export type DbOrTx = Db | Tx;


export interface DbOptions {
  connectionString: string;
  poolSize?: number;
  applicationName?: string;
}

/** One pool per process, created by the service at boot and destroyed at shutdown. */
export function createDb({ connectionString, poolSize = 10, applicationName = 'petitions' }: DbOptions): Db {
  const pool = new pg.Pool({ connectionString, max: poolSize, application_name: applicationName });
  // An idle client error (e.g. the server restarted) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
