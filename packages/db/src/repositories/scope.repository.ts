import { sql, type ExpressionBuilder } from 'kysely';
import type { DbOrTx } from '../connection.js';
import type { Database } from '../schema.js';

/**
 * Which petitions a person may see: all of them (the 12345 centre), or those touching some org
 * units: located in one of them (a street sees its area) or with a task for one of them (a
 * department sees its work). Enforced inside the queries, so nothing out of scope is ever read.
 */
export type PetitionScope = { all: true } | { all: false; unitIds: readonly string[] };

export const NO_PETITIONS: PetitionScope = { all: false, unitIds: [] };

/** The unit and every unit below it (a district leader reads the district's streets and communities). */
export async function unitSubtree(db: DbOrTx, unitId: string): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    WITH RECURSIVE sub AS (
      SELECT id FROM org_units WHERE id = ${unitId}
      UNION SELECT o.id FROM org_units o JOIN sub ON o.parent_id = sub.id
    ) SELECT id FROM sub`.execute(db);
  return rows.map((r) => r.id);
}

/** The condition "petition in scope", for any query over `petitions`. */
export function inScope(scope: PetitionScope) {
  return (eb: ExpressionBuilder<Database, 'petitions'>) => {
    if (scope.all) return eb.lit(true);
    if (scope.unitIds.length === 0) return eb.lit(false);
    const units = [...scope.unitIds];
    return eb.or([
      eb('petitions.district_id', 'in', units),
      eb('petitions.street_id', 'in', units),
      eb('petitions.community_id', 'in', units),
      eb.exists(eb.selectFrom('tasks').select('tasks.id').whereRef('tasks.petition_id', '=', 'petitions.id').where('tasks.unit_id', 'in', units)),
    ]);
  };
}

export async function isPetitionInScope(db: DbOrTx, petitionId: string, scope: PetitionScope): Promise<boolean> {
  if (scope.all) return true;
  const row = await db.selectFrom('petitions').select('id').where('id', '=', petitionId).where(inScope(scope)).executeTakeFirst();
  return row !== undefined;
}
