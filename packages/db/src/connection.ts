import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { prepareRepeatedStatements } from './prepared-statements.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Repository functions take either; locking reads demand a `Tx`. */
export type DbOrTx = Db | Tx;


export interface DbOptions {
  connectionString: string;
  poolSize?: number;
  applicationName?: string;
  /**
   * The pool runs the same few statements over and over, each touching a batch of rows by key
   * (the workflow worker). Postgres then plans each statement once per connection instead of on
   * every call, which on the write path costs more than running it.
   */
  keyedBatches?: boolean;
}

/**
 * Planner settings of a `keyedBatches` session: one generic plan per prepared statement, made of
 * index lookups joined by nested loops. The plan is made once, perhaps while a table is still small
 * (a new database); with sequential scans and hash joins allowed it would read whole tables on
 * every call once they had grown. Key lookups in nested loops cost the same at any table size,
 * which is what a batch of a few hundred ids wants; the generic plan is then safe to keep, and
 * Postgres's default (re-plan each call when its estimates favour a custom plan) would plan the
 * batch reads every time. (Postgres still scans where no index applies.)
 */
const KEYED_BATCH_PLANNER = '-c enable_seqscan=off -c enable_hashjoin=off -c enable_mergejoin=off -c plan_cache_mode=force_generic_plan';

/** One pool per process, created by the service at boot and destroyed at shutdown. */
export function createDb({ connectionString, poolSize = 10, applicationName = 'petitions', keyedBatches = false }: DbOptions): Db {
  const pool = new pg.Pool({
    connectionString, max: poolSize, application_name: applicationName,
    ...(keyedBatches ? { options: KEYED_BATCH_PLANNER } : {}),
  });
  // An idle client error (e.g. the server restarted) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  if (keyedBatches) pool.on('connect', prepareRepeatedStatements);
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
