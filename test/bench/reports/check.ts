import pg from 'pg';
import { reportsRepo } from '@petitions/db';
import { OPEN_STATES, REPORT_COUNTERS, type ReportEvent, type ReportFacts } from '@petitions/domain';
import { FACTS_TABLE } from './generate.js';

/**
 * Do the set-based rollups say what the live worker would have written? Facts are turned back
 * into the events their petitions went through (with the report facts the worker stores), fed to
 * the worker's own `RollupBatch` (reportDeltas + dimensionKeys), and the rows it makes are compared
 * with report_daily / report_monthly / report_open: every counter, both histograms.
 */

interface FactRow {
  district: string;
  street: string | null;
  community: string | null;
  category: string;
  channel: string;
  received_at: Date;
  routed: boolean;
  returned: number;
  return_unit: string | null;
  return_dispatched_at: Date | null;
  unit: string | null;
  dispatched_at: Date | null;
  sign_due_at: Date | null;
  signed_at: Date | null;
  handling_due_at: Date | null;
  redone: number;
  redo_completed_at: Date | null;
  redo_rated_at: Date | null;
  redo_due_at: Date | null;
  completed_at: Date | null;
  satisfaction: string | null;
  resolved: boolean | null;
  rated_at: Date | null;
  no_feedback_at: Date | null;
  open: boolean;
  overdue: boolean;
}

/** The events a fact's petition went through, in order, as the worker would have recorded them. */
export function factEvents(f: FactRow, now: Date): ReportEvent[] {
  const events: ReportEvent[] = [];
  let state = 'intake';
  let unit: string | null = null;
  let overdue = false;
  let deadline: Date | null = null;
  const receivedAt = f.received_at.toISOString();
  // The handling deadline passing while the petition is open (HANDLING_DUE sets the overdue flag).
  const dueBefore = (at: Date) => {
    if (deadline && !overdue && OPEN_STATES.has(state) && deadline.getTime() < at.getTime()) {
      events.push({ type: 'HANDLING_DUE', seq: events.length + 1, fromState: state, toState: state, occurredAt: deadline, data: {},
        facts: { unitBefore: unit, unitAfter: unit, overdueBefore: false, overdueAfter: true, receivedAt } });
      overdue = true;
    }
  };
  const push = (type: string, at: Date, toState: string, unitAfter: string | null, extra: Partial<ReportFacts> = {}, data: Record<string, unknown> = {}, overdueAfter = overdue) => {
    dueBefore(at);
    const facts: ReportFacts = { unitBefore: unit, unitAfter, overdueBefore: overdue, overdueAfter, receivedAt, ...extra };
    events.push({ type, seq: events.length + 1, fromState: state, toState, occurredAt: at, data, facts });
    state = toState;
    unit = unitAfter;
    overdue = overdueAfter;
  };
  const firstUnit = f.returned === 1 ? f.return_unit : f.unit;
  const firstAt = f.returned === 1 ? f.return_dispatched_at : f.dispatched_at;
  push('SUBMIT', f.received_at, f.routed ? 'dispatched' : 'awaitingDispatch', f.routed ? firstUnit : null);
  if (firstAt) deadline = f.handling_due_at;
  if (!f.routed && firstAt) push('DISPATCH', firstAt, 'dispatched', firstUnit);
  if (f.returned === 1) {
    const dispatchedAt = f.return_dispatched_at!;
    push('RETURN', new Date(dispatchedAt.getTime() + 1000), 'awaitingDispatch', null, { dispatchedAt: dispatchedAt.toISOString(), signDueAt: null });
    if (f.dispatched_at) push('DISPATCH', f.dispatched_at, 'dispatched', f.unit);
  }
  const handlingDue = () => (overdue || !deadline ? null : deadline.toISOString());
  if (f.signed_at) push('SIGN_FOR', f.signed_at, 'handling', f.unit, { dispatchedAt: f.dispatched_at!.toISOString(), signDueAt: f.sign_due_at?.toISOString() ?? null });
  if (f.redone === 1 && f.redo_completed_at && f.redo_rated_at) {
    dueBefore(f.redo_completed_at);
    push('COMPLETE', f.redo_completed_at, 'awaitingFeedback', f.unit, { handlingDueAt: handlingDue() });
    // Dissatisfied with a redo left: back to the unit with a new handling deadline (the flag is reset).
    push('RATE', f.redo_rated_at, 'handling', f.unit, {}, { satisfaction: 'dissatisfied', resolved: false }, false);
    deadline = f.redo_due_at;
  }
  if (f.completed_at) {
    dueBefore(f.completed_at);
    push('COMPLETE', f.completed_at, 'awaitingFeedback', f.unit, { handlingDueAt: handlingDue() });
  }
  if (f.rated_at) push('RATE', f.rated_at, 'closed', f.unit, {}, { satisfaction: f.satisfaction, resolved: f.resolved === true });
  else if (f.no_feedback_at) push('FEEDBACK_DUE', f.no_feedback_at, 'closed', f.unit);
  dueBefore(now);
  return events;
}

export interface CheckResult {
  scope: string;
  petitions: number;
  events: number;
  periodRows: number;
  openRows: number;
  mismatches: string[];
  ms: number;
}

/**
 * Compare for the facts matching `where` (a street: its street, community and category × street
 * rows are made only of its petitions; `true`: everything).
 */
export async function checkRollups(databaseUrl: string, now: Date, scope: { label: string; streetId: string | null }): Promise<CheckResult> {
  const t0 = performance.now();
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'bench-reports-check' });
  await client.connect();
  try {
    const where = scope.streetId ? 'WHERE street = $1' : '';
    const args = scope.streetId ? [scope.streetId] : [];
    const { rows: facts } = await client.query<FactRow>(`SELECT * FROM ${FACTS_TABLE} ${where}`, args);
    const batch = new reportsRepo.RollupBatch();
    let events = 0;
    for (const f of facts) {
      const petition = { districtId: f.district, streetId: f.street, communityId: f.community, categoryId: f.category, channel: f.channel };
      for (const e of factEvents(f, now)) { batch.add(petition, e); events++; }
    }
    const communities = new Set(facts.map((f) => f.community).filter((c): c is string => c !== null));
    // The rows the check can judge: every row when all facts were fed; for one street, the rows keyed by it.
    const judged = (dim: string, key: string) => !scope.streetId
      || (dim === 'street' && key === scope.streetId)
      || (dim === 'category_street' && key.endsWith(`|${scope.streetId}`))
      || (dim === 'community' && key !== '' && communities.has(key));

    const mismatches: string[] = [];
    const note = (m: string) => { if (mismatches.length < 20) mismatches.push(m); else if (mismatches.length === 20) mismatches.push('…'); };
    // One street lies in one district: its rows are found through the primary key (dim, district_id, day|month, key).
    const district = facts[0]?.district ?? '00000000-0000-0000-0000-000000000000';
    const categories = [...new Set(facts.map((f) => `${f.category}|${scope.streetId ?? ''}`))];
    let periodRows = 0;
    for (const [table, period, rows] of [['report_daily', 'day', batch.dailyRows()], ['report_monthly', 'month', batch.monthlyRows()]] as const) {
      const expected = new Map<string, { counters: Record<string, number>; sign_hist: number[] | null; complete_hist: number[] | null }>();
      for (const r of rows) if (judged(r.dim, r.key)) expected.set(`${r.dim}|${r.district_id}|${r.period}|${r.key}`, r);
      periodRows += expected.size;
      const { rows: actual } = await client.query<Record<string, unknown>>(`
        SELECT dim, district_id, ${period}::text AS period, key, ${REPORT_COUNTERS.join(', ')}, sign_hist, complete_hist FROM ${table}
        ${scope.streetId ? `WHERE district_id = $1 AND ((dim = 'street' AND key = $2) OR (dim = 'category_street' AND key = ANY($3)) OR (dim = 'community' AND key = ANY($4)))` : ''}`,
      scope.streetId ? [district, scope.streetId, categories, [...communities]] : []);
      const seen = new Set<string>();
      for (const a of actual) {
        const id = `${String(a.dim)}|${String(a.district_id)}|${String(a.period)}|${String(a.key)}`;
        seen.add(id);
        const e = expected.get(id);
        if (!e) { note(`${table} has ${id}, the worker's code would not`); continue; }
        for (const k of REPORT_COUNTERS) if (Number(a[k]) !== e.counters[k]) note(`${table} ${id} ${k}: rollup ${String(a[k])}, worker ${e.counters[k]}`);
        for (const h of ['sign_hist', 'complete_hist'] as const) {
          if (JSON.stringify(a[h] ?? null) !== JSON.stringify(e[h])) note(`${table} ${id} ${h}: rollup ${JSON.stringify(a[h])}, worker ${JSON.stringify(e[h])}`);
        }
      }
      for (const id of expected.keys()) if (!seen.has(id)) note(`the worker's code would write ${id}, ${table} has no such row`);
    }

    const openExpected = new Map(batch.openRows().filter((r) => judged(r.dim, r.key)).map((r) => [`${r.dim}|${r.district_id}|${r.key}`, r]));
    const { rows: openActual } = await client.query<{ dim: string; district_id: string; key: string; open: number; overdue: number }>(`
      SELECT dim, district_id, key, open, overdue FROM report_open WHERE open <> 0 OR overdue <> 0`);
    const openSeen = new Set<string>();
    for (const a of openActual) {
      if (!judged(a.dim, a.key)) continue;
      const id = `${a.dim}|${a.district_id}|${a.key}`;
      openSeen.add(id);
      const e = openExpected.get(id);
      if (!e || e.open !== a.open || e.overdue !== a.overdue) note(`report_open ${id}: rollup ${a.open}/${a.overdue}, worker ${e ? `${e.open}/${e.overdue}` : 'none'}`);
    }
    for (const [id, e] of openExpected) if (!openSeen.has(id)) note(`report_open ${id}: worker ${e.open}/${e.overdue}, rollup none`);
    return { scope: scope.label, petitions: facts.length, events, periodRows, openRows: openExpected.size, mismatches, ms: performance.now() - t0 };
  } finally {
    await client.end();
  }
}
