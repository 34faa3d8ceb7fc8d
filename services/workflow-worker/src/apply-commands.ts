import { randomUUID } from 'node:crypto';
import {
  commandsRepo, eventsRepo, outboxRepo, petitionsRepo, referenceRepo, tasksRepo, timersRepo,
  type Command, type Db, type NewOutboxRow, type NewPetitionEvent, type Petition, type Task, type Timer, type Tx,
} from '@petitions/db';
import { dueAt, type Actor, type DeadlineKind, type Role, type Route, type Urgency } from '@petitions/domain';
import {
  applyPetitionEvent, TIMER_EVENTS,
  type PetitionEvent, type PetitionIntent, type StoredSnapshot,
} from '@petitions/petition-workflow';
import { jobIds } from '@petitions/queue';

/** What a command came to. Stored on the command row and returned to the API. */
export type CommandOutcome =
  | { status: 'applied'; result: AppliedResult }
  | { status: 'ignored'; result: AppliedResult }
  | { status: 'rejected'; code: string; reason: string; state: string }
  | { status: 'pending' }
  /** No such command row: the job outlived its data (or was forged); it can never succeed. */
  | { status: 'missing' };

export interface AppliedResult {
  petitionId: string;
  trackingNo: string;
  state: string;
  leadUnitId: string | null;
  version: number;
}

const timerEvents: ReadonlySet<string> = new Set(TIMER_EVENTS);

/** Everything one batch will write, accumulated in memory and flushed in a few statements. */
class BatchWrites {
  readonly petitions = new Map<string, { row: Petition; stored: StoredSnapshot; version: number; baseVersion: number }>();
  readonly events: NewPetitionEvent[] = [];
  readonly outcomes: commandsRepo.CommandOutcomeWrite[] = [];
  readonly openTasks = new Map<string, Task[]>();
  readonly newTasks: Task[] = [];
  readonly changedTasks = new Map<string, Task>();
  readonly pendingTimers = new Map<string, Timer>();
  readonly newTimers: Timer[] = [];
  readonly cancelledTimerIds: string[] = [];
  readonly outbox: NewOutboxRow[] = [];
}

function actorOf(c: Command): Actor {
  return { id: c.actor_id, role: c.actor_role as Role, unitId: c.actor_unit_id };
}

function slaClassFor(petitionUrgency: string, ruleClass: Urgency): Urgency {
  // An urgent petition keeps its own clock; otherwise the category's rule decides (e.g. complex).
  return petitionUrgency === 'normal' ? ruleClass : (petitionUrgency as Urgency);
}

function buildEvent(c: Command, petition: Petition, routes: Map<string, Route>): PetitionEvent {
  const actor = actorOf(c);
  const p = c.payload;
  switch (c.type) {
    case 'SUBMIT':
      return { type: 'SUBMIT', actor, route: routes.get(c.id) ?? null };
    case 'DISPATCH':
      return {
        type: 'DISPATCH', actor,
        route: { leadUnitId: String(p.leadUnitId), coUnitIds: (p.coUnitIds as string[] | undefined) ?? [], slaClass: (p.slaClass as Urgency | undefined) ?? (petition.urgency as Urgency) },
      };
    case 'REJECT':
      return { type: 'REJECT', actor, reason: String(p.reason) };
    case 'SIGN_FOR':
      return { type: 'SIGN_FOR', actor };
    case 'COMPLETE':
      return { type: 'COMPLETE', actor, result: String(p.result), resolved: Boolean(p.resolved) };
    case 'RATE':
      return { type: 'RATE', actor, satisfaction: p.satisfaction as 'satisfied', resolved: Boolean(p.resolved) };
    case 'SIGN_FOR_DUE':
    case 'HANDLING_DUE':
    case 'FEEDBACK_DUE':
      return { type: c.type, actor };
    default:
      throw new Error(`Unknown command type ${c.type}`);
  }
}

function eventData(event: PetitionEvent): Record<string, unknown> {
  const { type: _type, actor: _actor, ...data } = event;
  return data;
}

function areaIds(p: Petition): string[] {
  return [p.community_id, p.street_id, p.district_id].filter((x): x is string => x !== null);
}

const OPEN_TASK = new Set(['to_sign', 'in_progress']);

function interpret(w: BatchWrites, intent: PetitionIntent, petition: Petition, slaClass: Urgency, commandId: string, now: Date): void {
  const tasks = w.openTasks.get(petition.id) ?? [];
  w.openTasks.set(petition.id, tasks);
  const change = (t: Task, status: Task['status'], due: Date | null) => {
    t.status = status;
    t.due_at = due;
    if (!w.newTasks.includes(t)) w.changedTasks.set(t.id, t);
  };
  switch (intent.type) {
    case 'openTasks': {
      const signDue = dueAt('sign_for', slaClass, now);
      const lead: Task = { id: randomUUID(), petition_id: petition.id, unit_id: intent.params.leadUnitId, role: 'lead', status: 'to_sign', due_at: signDue, created_at: now, updated_at: now };
      const cos: Task[] = intent.params.coUnitIds.map((unitId) => ({
        id: randomUUID(), petition_id: petition.id, unit_id: unitId, role: 'co' as const, status: 'in_progress' as const, due_at: dueAt('handling', slaClass, now), created_at: now, updated_at: now,
      }));
      for (const t of [lead, ...cos]) { tasks.push(t); w.newTasks.push(t); }
      return;
    }
    case 'markTaskSigned': {
      const lead = tasks.find((t) => t.role === 'lead' && t.unit_id === intent.params.unitId && t.status === 'to_sign');
      if (lead) change(lead, 'in_progress', dueAt('handling', slaClass, now));
      return;
    }
    case 'closeTasks':
      for (const t of tasks) if (OPEN_TASK.has(t.status)) change(t, intent.params.status, t.due_at);
      return;
    case 'scheduleDeadline': {
      cancelTimer(w, petition.id, intent.params.kind);
      const timer: Timer = { id: randomUUID(), petition_id: petition.id, kind: intent.params.kind, due_at: dueAt(intent.params.kind, slaClass, now), state: 'pending', created_at: now };
      w.pendingTimers.set(`${petition.id}:${timer.kind}`, timer);
      w.newTimers.push(timer);
      w.outbox.push({ queue: 'timers', job_name: 'fire', job_id: jobIds.timer(timer.id), payload: JSON.stringify({ timerId: timer.id, petitionId: petition.id }), delay_until: timer.due_at });
      return;
    }
    case 'cancelDeadline':
      cancelTimer(w, petition.id, intent.params.kind);
      return;
    case 'notify': {
      const key = jobIds.notification(commandId, intent.params.template, intent.params.audience);
      w.outbox.push({ queue: 'notifications', job_name: 'deliver', job_id: key, payload: JSON.stringify({ key, petitionId: petition.id, template: intent.params.template, audience: intent.params.audience }), delay_until: null });
      return;
    }
    default: {
      const never: never = intent;
      throw new Error(`Unhandled intent ${JSON.stringify(never)}`);
    }
  }
}

function cancelTimer(w: BatchWrites, petitionId: string, kind: DeadlineKind): void {
  const key = `${petitionId}:${kind}`;
  const existing = w.pendingTimers.get(key);
  if (!existing) return;
  w.pendingTimers.delete(key);
  const fresh = w.newTimers.indexOf(existing);
  if (fresh >= 0) w.newTimers.splice(fresh, 1);
  else w.cancelledTimerIds.push(existing.id);
}

function storedOutcome(c: Command): CommandOutcome {
  // Stored results were written by this worker as AppliedResult.
  return commandsRepo.outcomeOf(c) as CommandOutcome;
}

function rejection(type: string, state: string, refusal: 'state' | 'guard'): { code: string; reason: string } {
  if (refusal === 'state') {
    return { code: 'TRANSITION_REJECTED', reason: `Command ${type} is not allowed while the petition is in state "${state}"` };
  }
  if (type === 'SIGN_FOR' || type === 'COMPLETE') {
    return { code: 'NOT_LEAD_UNIT', reason: `Only the petition's lead unit may ${type === 'SIGN_FOR' ? 'sign for' : 'complete'} it` };
  }
  return { code: 'TRANSITION_REJECTED', reason: `Command ${type} was refused in state "${state}"` };
}

/**
 * Apply a batch of commands in ONE transaction: lock the petitions, skip commands already
 * decided, run each through the pure machine, then write snapshots, audit events, tasks,
 * timers, outbox rows and command outcomes. Nothing reaches Redis here; the relay publishes
 * the outbox after commit.
 */
export async function applyCommands(db: Db, commandIds: readonly string[], now: Date = new Date()): Promise<Map<string, CommandOutcome>> {
  return db.transaction().execute((trx) => applyInTransaction(trx, commandIds, now));
}

async function applyInTransaction(trx: Tx, commandIds: readonly string[], now: Date): Promise<Map<string, CommandOutcome>> {
  const outcomes = new Map<string, CommandOutcome>();
  const unlocked = await commandsRepo.findCommandsByIds(trx, commandIds);
  const petitionIds = [...new Set(unlocked.map((c) => c.petition_id))];
  const locked = await petitionsRepo.lockPetitions(trx, petitionIds);
  // Re-read after the lock: a concurrent batch holding the lock may have applied some of these.
  const commands = await commandsRepo.findCommandsByIds(trx, commandIds);
  const w = new BatchWrites();
  for (const row of locked) {
    w.petitions.set(row.id, { row, stored: row.snapshot as StoredSnapshot, version: row.version, baseVersion: row.version });
  }
  for (const t of await tasksRepo.listOpenTasksForPetitions(trx, petitionIds)) {
    const list = w.openTasks.get(t.petition_id) ?? [];
    list.push(t);
    w.openTasks.set(t.petition_id, list);
  }
  for (const t of await timersRepo.listPendingTimersForPetitions(trx, petitionIds)) w.pendingTimers.set(`${t.petition_id}:${t.kind}`, t);

  const pending = commands.filter((c) => c.status === 'pending');
  const routes = await referenceRepo.resolveRoutes(trx, pending.filter((c) => c.type === 'SUBMIT').flatMap((c) => {
    const p = w.petitions.get(c.petition_id)?.row;
    return p ? [{ key: c.id, categoryId: p.category_id, areaIds: areaIds(p) }] : [];
  }));
  for (const [key, route] of routes) {
    const c = pending.find((x) => x.id === key);
    const p = c && w.petitions.get(c.petition_id);
    if (p) routes.set(key, { ...route, slaClass: slaClassFor(p.row.urgency, route.slaClass) });
  }

  for (const c of commands) {
    if (c.status !== 'pending') { outcomes.set(c.id, storedOutcome(c)); continue; }
    const entry = w.petitions.get(c.petition_id);
    if (!entry) throw new Error(`Petition ${c.petition_id} of command ${c.id} not found`);
    const event = buildEvent(c, entry.row, routes);
    const applied = applyPetitionEvent(entry.stored, event);
    const resultBase = { petitionId: entry.row.id, trackingNo: entry.row.tracking_no, leadUnitId: entry.stored.context.leadUnitId };
    if (!applied.accepted) {
      if (timerEvents.has(c.type)) {
        const result = { ...resultBase, state: applied.state, version: entry.version };
        w.outcomes.push({ id: c.id, status: 'ignored', result: { ...result }, rejectionCode: null, rejectionReason: null });
        outcomes.set(c.id, { status: 'ignored', result });
      } else {
        const { code, reason } = rejection(c.type, applied.state, applied.refusal);
        w.outcomes.push({ id: c.id, status: 'rejected', result: { state: applied.state }, rejectionCode: code, rejectionReason: reason });
        outcomes.set(c.id, { status: 'rejected', code, reason, state: applied.state });
      }
      continue;
    }
    const fromState = entry.stored.value;
    entry.stored = applied.snapshot;
    entry.version += 1;
    for (const intent of applied.intents) interpret(w, intent, entry.row, applied.snapshot.context.slaClass, c.id, now);
    w.events.push({
      petition_id: entry.row.id, seq: entry.version, type: c.type, command_id: c.id,
      actor_id: c.actor_id, actor_role: c.actor_role, actor_unit_id: c.actor_unit_id,
      from_state: fromState, to_state: applied.state,
      visibility: timerEvents.has(c.type) ? 'internal' : 'public',
      // The event exactly as the machine saw it (route resolved, defaults filled), so replay needs nothing else.
      data: JSON.stringify(eventData(event)),
      occurred_at: now,
    });
    const result: AppliedResult = { ...resultBase, leadUnitId: applied.snapshot.context.leadUnitId, state: applied.state, version: entry.version };
    w.outcomes.push({ id: c.id, status: 'applied', result: { ...result }, rejectionCode: null, rejectionReason: null });
    outcomes.set(c.id, { status: 'applied', result });
  }

  for (const id of commandIds) if (!outcomes.has(id)) outcomes.set(id, { status: 'missing' });

  const changed = [...w.petitions.values()].filter((p) => p.version !== p.baseVersion);
  await petitionsRepo.writePetitionStates(trx, changed.map((p) => ({
    id: p.row.id, state: p.stored.value, outcome: p.stored.context.outcome, leadUnitId: p.stored.context.leadUnitId,
    snapshot: p.stored, version: p.version, expectedVersion: p.baseVersion, closed: p.stored.value === 'closed',
  })), now);
  await eventsRepo.appendEvents(trx, w.events);
  await tasksRepo.writeTasks(trx, w.newTasks, [...w.changedTasks.values()].map((t) => ({ id: t.id, status: t.status, due_at: t.due_at })), now);
  await timersRepo.writeTimers(trx, w.newTimers, w.cancelledTimerIds);
  await outboxRepo.insertOutbox(trx, w.outbox);
  await commandsRepo.writeCommandOutcomes(trx, w.outcomes, now);
  return outcomes;
}
