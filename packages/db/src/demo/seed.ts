import { sql } from 'kysely';
import type { Db } from '../connection.js';
import { DEMO_CATEGORIES, DEMO_ORG_UNITS, DEMO_ROUTING_RULES } from './demo-data.js';

/** Parents before children, whatever order the data lists them in. */
function topological<T extends { code: string; parent: string | null }>(items: readonly T[]): T[] {
  const out: T[] = [];
  const done = new Set<string>();
  const byCode = new Map(items.map((i) => [i.code, i]));
  const visit = (i: T) => {
    if (done.has(i.code)) return;
    if (i.parent && byCode.has(i.parent)) visit(byCode.get(i.parent)!);
    done.add(i.code);
    out.push(i);
  };
  items.forEach(visit);
  return out;
}

/**
 * Reference data for the demo: the org tree, the category tree and routing rules from the
 * district reports. Idempotent: rows are matched by code, so running it twice changes nothing.
 */
export async function seedReferenceData(db: Db): Promise<{ units: number; categories: number; rules: number }> {
  return db.transaction().execute(async (trx) => {
    const unitIds = new Map<string, string>();
    for (const u of topological(DEMO_ORG_UNITS)) {
      const row = await trx.insertInto('org_units').values({
        code: u.code, name: u.name, name_en: u.nameEn, kind: u.kind, parent_id: u.parent ? unitIds.get(u.parent) ?? null : null,
      }).onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), name_en: eb.ref('excluded.name_en'), parent_id: eb.ref('excluded.parent_id') })))
        .returning('id').executeTakeFirstOrThrow();
      unitIds.set(u.code, row.id);
    }
    const categoryIds = new Map<string, string>();
    for (const c of topological(DEMO_CATEGORIES)) {
      const row = await trx.insertInto('categories').values({
        code: c.code, name: c.name, name_en: c.nameEn, parent_id: c.parent ? categoryIds.get(c.parent) ?? null : null,
        extra_fields: JSON.stringify(c.extraFields ?? []),
      }).onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), name_en: eb.ref('excluded.name_en'), extra_fields: eb.ref('excluded.extra_fields') })))
        .returning('id').executeTakeFirstOrThrow();
      categoryIds.set(c.code, row.id);
    }
    const need = (map: Map<string, string>, code: string, what: string) => {
      const id = map.get(code);
      if (!id) throw new Error(`Demo data: unknown ${what} ${code}`);
      return id;
    };
    for (const r of DEMO_ROUTING_RULES) {
      await sql`
        INSERT INTO routing_rules (category_id, area_id, lead_unit_id, co_unit_ids, sla_class)
        VALUES (${need(categoryIds, r.category, 'category')}, ${r.area ? need(unitIds, r.area, 'area') : null},
                ${need(unitIds, r.lead, 'unit')}, ${r.co.map((c) => need(unitIds, c, 'unit'))}::uuid[], ${r.slaClass})
        ON CONFLICT (category_id, COALESCE(area_id, '00000000-0000-0000-0000-000000000000'::uuid))
        DO UPDATE SET lead_unit_id = EXCLUDED.lead_unit_id, co_unit_ids = EXCLUDED.co_unit_ids, sla_class = EXCLUDED.sla_class`.execute(trx);
    }
    return { units: unitIds.size, categories: categoryIds.size, rules: DEMO_ROUTING_RULES.length };
  });
}
