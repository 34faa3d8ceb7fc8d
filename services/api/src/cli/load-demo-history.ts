import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { CommonEnv, parseEnv, SecretsEnv } from '@petitions/config';
import { commandsRepo, createDb, DEMO_PETITIONS, demoDetails, referenceRepo, timeRepo, timersRepo, type Db, type DemoCategoryField } from '@petitions/db';
import { addMonths, chinaDay, monthEnd, SYSTEM_ACTOR, type DeadlineRules } from '@petitions/domain';
import { keysFromConfig } from '@petitions/personal-data';
import { TIMER_EVENT_FOR_KIND } from '@petitions/petition-workflow';
import { applyCommands } from '@petitions/workflow-worker';
import { newPetitionWriter, type SubmitPetition } from '../services/petition-intake.js';

/**
 * Six months of demo history for the leaders' reports: petitions modelled on the demo ones,
 * received on past working days and worked through the real machine by the worker's own code
 * (`applyCommands` with the clock set to each moment), deadlines fired from Postgres as the
 * scheduler would. Streets differ in how well they do, so rankings and trends have something to
 * show. Runs before the services start; a second run does nothing.
 *   DATABASE_URL=… PETITIONS_ENCRYPTION_KEY=… PETITIONS_HMAC_KEY=… tsx load-demo-history.ts
 */
const CREATED_BY = 'demo-history';
const MONTHS = 6;
const PER_MONTH = 50;
const config = parseEnv(Type.Composite([Type.Pick(CommonEnv, ['DATABASE_URL']), SecretsEnv]));
const keys = keysFromConfig(config.PETITIONS_ENCRYPTION_KEY, config.PETITIONS_HMAC_KEY, config.PETITIONS_ENCRYPTION_KEY_ID, config.PETITIONS_PREVIOUS_ENCRYPTION_KEYS);
const db = createDb({ connectionString: config.DATABASE_URL, poolSize: 2, applicationName: 'demo-history' });
const random = Math.random;
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** The calendar and SLA policies, read once (the worker caches them the same way). */
let rules: DeadlineRules | undefined;

async function apply(at: Date, petitionId: string, commandIds: string[]): Promise<string[]> {
  rules ??= await timeRepo.loadDeadlineRules(db);
  const outcomes = await applyCommands(db, commandIds.map((commandId) => ({ commandId, petitionId })), { now: at, rules });
  return [...outcomes.values()].map((o) => o.status);
}

async function command(at: Date, petitionId: string, type: string, payload: Record<string, unknown>, actor: { id: string; role: string; unitId?: string | null }): Promise<void> {
  const id = randomUUID();
  await commandsRepo.insertCommand(db, {
    id, petition_id: petitionId, type, payload: JSON.stringify(payload), actor_id: actor.id, actor_role: actor.role,
    actor_unit_id: actor.unitId ?? null, created_at: at,
  });
  await apply(at, petitionId, [id]);
}

/** The scheduler's part: fire every deadline due by `at` and apply what they became. */
async function fireDue(at: Date): Promise<void> {
  for (;;) {
    const fired = await timersRepo.fireTimers(db, { dueBy: at, limit: 500 }, TIMER_EVENT_FOR_KIND, SYSTEM_ACTOR);
    if (fired.length === 0) return;
    for (const c of fired) await apply(at, c.petition_id, [c.id]);
  }
}

/** A working-day moment (Mon–Fri, 08:30–17:00 Beijing time) in the month `monthsAgo` before now. */
function receivedIn(monthsAgo: number, now: Date): Date {
  for (;;) {
    const month = addMonths(chinaDay(now), -monthsAgo);
    const days = Number(monthEnd(month).slice(8));
    const at = new Date(Date.parse(`${month}T00:00:00Z`) + Math.floor(random() * days) * DAY + (0.5 + random() * 8.5) * HOUR); // 08:30–17:00 at UTC+8 is 00:30–09:00 UTC
    const weekday = new Date(chinaDay(at)).getUTCDay();
    if (weekday !== 0 && weekday !== 6 && at.getTime() < now.getTime() - 3 * DAY) return at;
  }
}

async function main(db: Db): Promise<void> {
  if (await db.selectFrom('petitions').select('id').where('created_by', '=', CREATED_BY).executeTakeFirst()) {
    console.log('demo history: already loaded');
    return;
  }
  const units = await referenceRepo.listOrgUnits(db);
  const categories = await referenceRepo.listCategories(db);
  const unitId = (code: string | null) => (code ? units.find((u) => u.code === code)?.id : undefined);
  const category = (code: string) => categories.find((c) => c.code === code);
  const templates = DEMO_PETITIONS.filter((p) => p.kind === 'request' && p.urgency === 'normal');
  // How well each street's units do: the chance of a late sign-for, a late completion, a dissatisfied resident.
  const quality = new Map<string, number>();
  const now = new Date();
  let count = 0;
  for (let monthsAgo = MONTHS; monthsAgo >= 1; monthsAgo--) {
    const n = Math.round(PER_MONTH * (0.8 + 0.1 * (MONTHS - monthsAgo)) * (0.9 + 0.2 * random()));
    const arrivals = Array.from({ length: n }, () => receivedIn(monthsAgo, now)).sort((a, b) => a.getTime() - b.getTime());
    for (const [i, received] of arrivals.entries()) {
      const t = templates[(i * 7 + monthsAgo) % templates.length]!;
      const cat = category(t.category);
      if (!cat) continue;
      const q = quality.get(t.street ?? t.district) ?? 0.02 + 0.15 * random();
      quality.set(t.street ?? t.district, Math.min(0.3, Math.max(0.01, q + (random() - 0.5) * 0.06)));
      const details = demoDetails(cat.extra_fields as DemoCategoryField[]);
      const body = {
        kind: 'request', channel: random() < 0.7 ? 'hotline' : t.channel, urgency: 'normal', categoryId: cat.id,
        districtId: unitId(t.district)!, streetId: unitId(t.street), communityId: unitId(t.community),
        title: t.title, content: t.content, locationText: t.locationText ?? undefined, details,
        contact: { name: `居民${String(count).padStart(4, '0')}`, phone: `139${String(10_000_000 + count).slice(-8)}` },
      } as SubmitPetition;
      const writer = newPetitionWriter(keys, body, CREATED_BY, () => received);
      const submitId = randomUUID();
      await writer.record(db, {
        id: submitId, petition_id: writer.petitionId, type: 'SUBMIT', payload: JSON.stringify({}),
        actor_id: CREATED_BY, actor_role: 'clerk', actor_unit_id: null, created_at: received,
      });
      const id = writer.petitionId;
      await apply(received, id, [submitId]);
      count++;
      const lead = (await db.selectFrom('petitions').select('lead_unit_id').where('id', '=', id).executeTakeFirstOrThrow()).lead_unit_id;
      if (!lead) continue;
      const handler = { id: 'demo-handler', role: 'handler', unitId: lead };
      let at = received.getTime();
      const step = async (ms: number) => { at += ms; await fireDue(new Date(at)); return new Date(at); };
      if (random() < 0.05) {
        await command(await step(30 * MIN), id, 'RETURN', { reason: '经核实不属于本单位职责范围' }, handler);
        await command(await step(90 * MIN), id, 'DISPATCH', { leadUnitId: lead }, { id: 'demo-dispatcher', role: 'dispatcher' });
      }
      await command(await step(random() < q ? (1 + random() * 3) * DAY : (5 + random() * 80) * MIN), id, 'SIGN_FOR', {}, handler);
      // A few of the last month's are still in hand.
      if (monthsAgo === 1 && random() < 0.25) continue;
      for (let round = 0; round < 2; round++) {
        await command(await step(random() < q ? (9 + random() * 8) * DAY : (0.5 + random() * 5) * DAY), id, 'COMPLETE', { result: '已联系相关单位现场核实并处理。', resolved: true }, handler);
        if (random() < 0.05) break; // no answer: the feedback deadline closes it
        const r = random();
        const satisfaction = r < q * 0.5 ? 'dissatisfied' : r < q * 0.5 + 0.12 ? 'basically_satisfied' : 'satisfied';
        await command(await step((2 + random() * 20) * HOUR), id, 'RATE', { satisfaction, resolved: satisfaction !== 'dissatisfied' }, { id: 'demo-follow-up', role: 'follow_up' });
        if (satisfaction !== 'dissatisfied') break;
      }
    }
  }
  await fireDue(now);
  console.log(`demo history: ${count} petitions over the last ${MONTHS} months`);
}

try {
  await main(db);
} catch (err) {
  console.error('demo history failed:', err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
