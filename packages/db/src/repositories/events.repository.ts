import type { DbOrTx, Tx } from '../connection.js';
import type { NewPetitionEvent, PetitionEventRow } from '../schema.js';

/** Append events, and queue those with report facts for the rollups (the scheduler folds them in). */
export async function appendEvents(trx: Tx, rows: readonly NewPetitionEvent[]): Promise<void> {
  if (rows.length === 0) return;
  await trx.with('e', (db) => db.insertInto('petition_events').values([...rows]).returning(['id', 'report_facts']))
    .insertInto('report_backlog').columns(['event_id'])
    .expression((eb) => eb.selectFrom('e').select('e.id').where('e.report_facts', 'is not', null))
    .execute();
}

export async function listTimeline(db: DbOrTx, petitionId: string, opts: { publicOnly?: boolean } = {}): Promise<PetitionEventRow[]> {
  let q = db.selectFrom('petition_events').selectAll().where('petition_id', '=', petitionId);
  if (opts.publicOnly) q = q.where('visibility', '=', 'public');
  return q.orderBy('seq').execute();
}
