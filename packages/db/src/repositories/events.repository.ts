import { sql } from 'kysely';
import type { DbOrTx } from '../connection.js';
import { recordset, type WritePart } from '../write-together.js';
import type { NewPetitionEvent, PetitionEventRow } from '../schema.js';

/** Append events, and queue those with report facts for the rollups (the scheduler folds them in): two writes of a batch. */
export function appendEventsWrites(rows: readonly NewPetitionEvent[]): WritePart[] {
  if (rows.length === 0) return [];
  const events = 'w_events';
  return [
    [events, sql`
      INSERT INTO petition_events (petition_id, seq, type, command_id, actor_id, actor_role, actor_unit_id,
        from_state, to_state, visibility, data, occurred_at, report_facts)
      SELECT petition_id, seq, type, command_id, actor_id, actor_role, actor_unit_id,
        from_state, to_state, visibility, data::jsonb, occurred_at, report_facts::jsonb
      FROM (${recordset(rows, `petition_id uuid, seq int, type text, command_id uuid, actor_id text, actor_role text,
        actor_unit_id uuid, from_state text, to_state text, visibility text, data text, occurred_at timestamptz, report_facts text`)}) r
      RETURNING id, report_facts`],
    ['w_report_backlog', sql`INSERT INTO report_backlog (event_id) SELECT id FROM ${sql.id(events)} WHERE report_facts IS NOT NULL RETURNING event_id`],
  ];
}

export async function listTimeline(db: DbOrTx, petitionId: string, opts: { publicOnly?: boolean } = {}): Promise<PetitionEventRow[]> {
  let q = db.selectFrom('petition_events').selectAll().where('petition_id', '=', petitionId);
  if (opts.publicOnly) q = q.where('visibility', '=', 'public');
  return q.orderBy('seq').execute();
}
