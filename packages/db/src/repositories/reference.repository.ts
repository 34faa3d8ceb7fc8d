import { sql } from 'kysely';
import type { Route, Urgency } from '@petitions/domain';
import type { DbOrTx } from '../connection.js';
import { recordset } from '../write-together.js';
import type { Category, OrgUnit } from '../schema.js';

export async function findOrgUnitsByIds(db: DbOrTx, ids: readonly string[]): Promise<OrgUnit[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('org_units').selectAll().where('id', 'in', [...ids]).execute();
}

export async function findCategoryById(db: DbOrTx, id: string): Promise<Category | undefined> {
  return db.selectFrom('categories').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listOrgUnits(db: DbOrTx): Promise<OrgUnit[]> {
  return db.selectFrom('org_units').selectAll().orderBy('kind').orderBy('code').execute();
}

export async function listCategories(db: DbOrTx): Promise<Category[]> {
  return db.selectFrom('categories').selectAll().where('active', '=', true).orderBy('code').execute();
}

export interface RouteQuery {
  key: string;
  categoryId: string;
  /** The petition's area, most specific first (community, street, district). */
  areaIds: string[];
}

/**
 * Resolve routes for many petitions in one query. A rule matches when its category is the
 * petition's category or an ancestor, and its area is one of the petition's areas or null.
 * The most specific wins: nearest category first, then nearest area, a null area last.
 */
export async function resolveRoutes(db: DbOrTx, queries: readonly RouteQuery[]): Promise<Map<string, Route>> {
  const routes = new Map<string, Route>();
  if (queries.length === 0) return routes;
  const { rows } = await sql<{ key: string; lead_unit_id: string; co_unit_ids: string[]; sla_class: Urgency }>`
    WITH RECURSIVE q AS (
      ${recordset(queries.map((q) => ({ key: q.key, category_id: q.categoryId, area_ids: q.areaIds })), 'key text, category_id uuid, area_ids uuid[]')}
    ), cat_chain AS (
      SELECT q.key, c.id, c.parent_id, 0 AS depth FROM q JOIN categories c ON c.id = q.category_id
      UNION ALL
      SELECT cc.key, c.id, c.parent_id, cc.depth + 1 FROM cat_chain cc JOIN categories c ON c.id = cc.parent_id
    )
    SELECT DISTINCT ON (q.key) q.key, r.lead_unit_id, r.co_unit_ids, r.sla_class
    FROM q
    JOIN cat_chain cc ON cc.key = q.key
    JOIN routing_rules r ON r.category_id = cc.id
      AND (r.area_id IS NULL OR r.area_id = ANY (q.area_ids))
    ORDER BY q.key, cc.depth,
      CASE WHEN r.area_id IS NULL THEN 1000 ELSE array_position(q.area_ids, r.area_id) END`.execute(db);
  for (const r of rows) routes.set(r.key, { leadUnitId: r.lead_unit_id, coUnitIds: r.co_unit_ids, slaClass: r.sla_class });
  return routes;
}

/** Which of these categories send completions through the dispatch centre's quality review. */
export async function categoriesRequiringReview(db: DbOrTx, categoryIds: readonly string[]): Promise<Set<string>> {
  if (categoryIds.length === 0) return new Set();
  // `= any(array)`: one statement text whatever the count (the worker prepares its statements).
  const rows = await db.selectFrom('categories').select('id')
    .where('id', '=', (eb) => eb.fn.any(eb.val([...new Set(categoryIds)]))).where('requires_review', '=', true).execute();
  return new Set(rows.map((r) => r.id));
}
