import type { DbOrTx, Tx } from '../connection.js';
import type { NewPetitionEvent, PetitionEventRow } from '../schema.js';

export async function appendEvents(trx: Tx, rows: readonly NewPetitionEvent[]): Promise<void> {
  if (rows.length === 0) return;
  await trx.insertInto('petition_events').values([...rows]).execute();
}

export async function listTimeline(db: DbOrTx, petitionId: string, opts: { publicOnly?: boolean } = {}): Promise<PetitionEventRow[]> {
  let q = db.selectFrom('petition_events').selectAll().where('petition_id', '=', petitionId);
  if (opts.publicOnly) q = q.where('visibility', '=', 'public');
  return q.orderBy('seq').execute();
}
