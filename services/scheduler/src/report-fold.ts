import { reportsRepo, type Db } from '@petitions/db';

/** Events folded per transaction: large enough that each shared rollup row is written once for many events. */
const REPORT_FOLD_BATCH = 5000;

/**
 * Fold the report backlog into the rollups until it is empty, one transaction per batch.
 * Leaders' figures trail the worker by one pass of this (the fold interval plus its own time).
 */
export async function foldReportsOnce(db: Db, batch = REPORT_FOLD_BATCH): Promise<number> {
  let folded = 0;
  for (;;) {
    const n = await db.transaction().execute((trx) => reportsRepo.foldBacklog(trx, batch));
    folded += n;
    if (n < batch) return folded;
  }
}
