import { sql } from 'kysely';
import {
  CHINA_CALENDAR_2025_2027, DEFAULT_SLA_POLICIES, DeadlineRules, URGENCIES, WorkCalendar,
  type CalendarDay, type SlaPolicy, type SlaPolicyEntry, type Urgency,
} from '@petitions/domain';
import type { Db, DbOrTx } from '../connection.js';

/** Calendar exceptions (holidays, make-up working days), optionally for one year. Dates as 'YYYY-MM-DD'. */
export async function listCalendarDays(db: DbOrTx, year?: number): Promise<CalendarDay[]> {
  let q = db.selectFrom('calendar_days')
    .select([sql<string>`to_char(date, 'YYYY-MM-DD')`.as('date'), 'is_workday', 'note'])
    .orderBy('date');
  if (year !== undefined) q = q.where(sql<boolean>`extract(year FROM date) = ${year}`);
  const rows = await q.execute();
  return rows.map((r) => ({ date: r.date, isWorkday: r.is_workday, note: r.note }));
}

export async function upsertCalendarDay(db: DbOrTx, day: CalendarDay, by: string): Promise<void> {
  await db.insertInto('calendar_days').values({ date: day.date, is_workday: day.isWorkday, note: day.note, updated_by: by })
    .onConflict((oc) => oc.column('date').doUpdateSet({ is_workday: day.isWorkday, note: day.note, updated_by: by, updated_at: new Date() }))
    .execute();
}

/** Remove an exception: the day follows the Mon–Fri rule again. True if there was one. */
export async function deleteCalendarDay(db: DbOrTx, date: string): Promise<boolean> {
  const r = await db.deleteFrom('calendar_days').where('date', '=', date).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export interface SlaPolicyRecord extends SlaPolicyEntry {
  id: string;
  updatedAt: Date;
  updatedBy: string | null;
}

export async function listSlaPolicies(db: DbOrTx): Promise<SlaPolicyRecord[]> {
  const rows = await db.selectFrom('sla_policies').selectAll().orderBy('category_id', 'asc').orderBy('urgency').execute();
  return rows.map((r) => ({
    id: r.id, categoryId: r.category_id, urgency: r.urgency, updatedAt: r.updated_at, updatedBy: r.updated_by,
    policy: { signFor: r.sign_for, handling: r.handling, feedback: r.feedback, reminderShare: r.reminder_share },
  }));
}

/** The INSERT of one policy row, shared by the admin's upsert and the seed; each adds its ON CONFLICT. */
function insertPolicy(categoryId: string | null, urgency: Urgency, p: SlaPolicy, by: string) {
  return sql`
    INSERT INTO sla_policies (category_id, urgency, sign_for, handling, feedback, reminder_share, updated_by)
    VALUES (${categoryId}, ${urgency}, ${JSON.stringify(p.signFor)}::jsonb, ${JSON.stringify(p.handling)}::jsonb, ${JSON.stringify(p.feedback)}::jsonb, ${p.reminderShare}, ${by})`;
}

/** Create or replace the policy of one scope (category × urgency, or the urgency's default). */
export async function upsertSlaPolicy(db: DbOrTx, categoryId: string | null, urgency: Urgency, policy: SlaPolicy, by: string): Promise<void> {
  await sql`
    ${insertPolicy(categoryId, urgency, policy, by)}
    ON CONFLICT (COALESCE(category_id, '00000000-0000-0000-0000-000000000000'::uuid), urgency)
    DO UPDATE SET sign_for = EXCLUDED.sign_for, handling = EXCLUDED.handling, feedback = EXCLUDED.feedback,
                  reminder_share = EXCLUDED.reminder_share, updated_by = EXCLUDED.updated_by, updated_at = now()`.execute(db);
}

/** Remove a category's own policy: it follows the urgency's default again. The defaults themselves stay. */
export async function deleteCategorySlaPolicy(db: DbOrTx, categoryId: string, urgency: Urgency): Promise<boolean> {
  const r = await db.deleteFrom('sla_policies').where('category_id', '=', categoryId).where('urgency', '=', urgency).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/**
 * Standard data every installation needs, demo or not: the State Council calendar and the
 * default SLA policies. Existing rows are left alone, so an admin's edits survive a re-run.
 */
export async function seedStandardData(db: Db): Promise<{ calendarDays: number; policies: number }> {
  return db.transaction().execute(async (trx) => {
    const days = await trx.insertInto('calendar_days')
      .values(CHINA_CALENDAR_2025_2027.map((d) => ({ date: d.date, is_workday: d.isWorkday, note: d.note, updated_by: 'system' })))
      .onConflict((oc) => oc.column('date').doNothing()).executeTakeFirst();
    let policies = 0;
    for (const urgency of URGENCIES) {
      const r = await sql`${insertPolicy(null, urgency, DEFAULT_SLA_POLICIES[urgency], 'system')} ON CONFLICT DO NOTHING`.execute(trx);
      policies += Number(r.numAffectedRows ?? 0);
    }
    return { calendarDays: Number(days.numInsertedOrUpdatedRows ?? 0), policies };
  });
}

/** The calendar and policies in force, as the worker computes deadlines with them. */
export async function loadDeadlineRules(db: DbOrTx): Promise<DeadlineRules> {
  const [days, policies] = [await listCalendarDays(db), await listSlaPolicies(db)];
  return new DeadlineRules(new WorkCalendar(days), policies);
}
