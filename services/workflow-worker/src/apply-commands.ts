import { DEFAULT_TIMER_HORIZON_MS } from '@petitions/config';
import {
  commandsRepo, eventsRepo, outboxRepo, petitionsRepo, referenceRepo, tasksRepo, timeRepo, timersRepo,
  batchReadsRepo, writeTogether, type Command, type Db, type NewPetitionEvent, type Tx,
} from '@petitions/db';
import type { DeadlineRules, Route, Urgency } from '@petitions/domain';
import type { CommandRef } from '@petitions/queue';
import { applyPetitionEvent, requestBlocker, TIMER_EVENTS, type PetitionContextV2, type StoredSnapshot } from '@petitions/petition-workflow';
import { BatchState } from './batch-state.js';
import { buildEvent, eventData, visibilityOf, type Lookups } from './build-event.js';
import { reportFactsBefore, withOutcome } from './report-facts.js';

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

function slaClassFor(petitionUrgency: string, ruleClass: Urgency): Urgency {
  // An urgent petition keeps its own clock; otherwise the category's rule decides (e.g. complex).
  return petitionUrgency === 'normal' ? ruleClass : (petitionUrgency as Urgency);
}

function storedOutcome(c: Command): CommandOutcome {
  // Stored results were written by this worker as AppliedResult.
  return commandsRepo.outcomeOf(c) as CommandOutcome;
}

/** Codes and messages for refusals: say what was refused and why, in words a handler understands. */
const GUARD_REFUSALS: Record<string, [string, string]> = {
  SIGN_FOR: ['NOT_LEAD_UNIT', "Only the petition's lead unit may sign for it"],
  COMPLETE: ['NOT_LEAD_UNIT', "Only the petition's lead unit may complete it"],
  RESUME: ['NOT_LEAD_UNIT', "Only the petition's lead unit may resume it"],
  RETURN: ['RETURN_NOT_ALLOWED', 'Only the lead unit may return it, and not after the dispatcher\'s ruling is final (2 returns)'],
  REQUEST_EXTENSION: ['EXTENSION_NOT_ALLOWED', 'Only the lead unit may ask for an extension, once at a time, and only before the deadline'],
  DECIDE_EXTENSION: ['NOT_DEPARTMENT_HEAD', 'Only the head of the lead unit may decide a pending extension request'],
  REQUEST_SUSPENSION: ['SUSPENSION_NOT_ALLOWED', 'Only the lead unit may ask for a suspension, once at a time'],
  DECIDE_SUSPENSION: ['NOT_DEPARTMENT_HEAD', 'Only the head of the lead unit may decide a pending suspension request'],
  CO_OPINION: ['NOT_CO_UNIT', 'Only a cooperating unit of this petition may give an opinion'],
  NOTE: ['NOT_INVOLVED', 'Only the dispatch centre and the units handling this petition may add notes'],
  ANSWER: ['NOT_AN_INQUIRY', 'Only an inquiry (咨询) can be closed with an answer'],
  MERGE: ['MERGE_INTO_SELF', 'A petition cannot be merged into itself'],
};

/** What a refusal can be told from: the petition's context (version 1 petitions lack the request fields). */
type RefusalContext = Parameters<typeof requestBlocker>[1] & { leadUnitId: string | null };

/** Requests for time and their decisions, by command: which request each concerns. */
const TIME_REQUESTS: Record<string, { kind: 'extension' | 'suspension'; decides: boolean }> = {
  REQUEST_EXTENSION: { kind: 'extension', decides: false }, DECIDE_EXTENSION: { kind: 'extension', decides: true },
  REQUEST_SUSPENSION: { kind: 'suspension', decides: false }, DECIDE_SUSPENSION: { kind: 'suspension', decides: true },
};
const BLOCKED: Record<'extension' | 'suspension', Record<'REQUEST_PENDING' | 'DEADLINE_PASSED', [string, string]>> = {
  extension: {
    REQUEST_PENDING: ['EXTENSION_PENDING', "An extension request is already waiting for the department head's decision"],
    DEADLINE_PASSED: ['DEADLINE_PASSED', 'The handling deadline has passed: an extension can only be asked for before it'],
  },
  suspension: {
    REQUEST_PENDING: ['SUSPENSION_PENDING', "A suspension request is already waiting for the department head's decision"],
    DEADLINE_PASSED: ['DEADLINE_PASSED', 'The handling deadline has passed: the petition cannot be suspended, it stays overdue until completed'],
  },
};

/**
 * Where one guard stands for several rules (lead unit only, one request at a time, before the
 * deadline), the rule this request broke, as the machine's own `requestBlocker` tells it, when it
 * was not a matter of acting for the wrong unit.
 */
function specificRefusal(c: Command, ctx: RefusalContext): [string, string] | undefined {
  const request = TIME_REQUESTS[c.type];
  if (!request) return undefined;
  const blocker = requestBlocker(request.kind, ctx);
  if (request.decides) return blocker === 'REQUEST_PENDING' ? undefined : ['NO_PENDING_REQUEST', `No ${request.kind} request is waiting for a decision`];
  const forLeadUnit = ctx.leadUnitId !== null && c.actor_unit_id === ctx.leadUnitId;
  return forLeadUnit && blocker ? BLOCKED[request.kind][blocker] : undefined;
}

function rejection(c: Command, state: string, refusal: 'state' | 'guard', ctx: RefusalContext): { code: string; reason: string } {
  if (refusal === 'state') {
    return { code: 'TRANSITION_REJECTED', reason: `Command ${c.type} is not allowed while the petition is in state "${state}"` };
  }
  const specific = specificRefusal(c, ctx);
  if (specific) return { code: specific[0], reason: specific[1] };
  const [code, reason] = GUARD_REFUSALS[c.type] ?? ['TRANSITION_REJECTED', `Command ${c.type} was refused in state "${state}"`];
  // Name the units involved, so the person can see whether they are acting for the wrong one.
  const units = ctx.leadUnitId ? ` (lead unit ${ctx.leadUnitId}; this request acts for ${c.actor_unit_id ?? 'no unit'})` : '';
  return { code, reason: `${reason}${units}` };
}

/**
 * Apply a batch of commands in ONE transaction: lock the petitions, skip commands already
 * decided, run each through the pure machine, then write snapshots, audit events, tasks,
 * timers, outbox rows and command outcomes. Nothing reaches Redis here; the relay publishes
 * the outbox after commit. The report rollups are not touched: each event joins the report
 * backlog, which the scheduler folds in (shared rollup rows would make batches wait in line).
 */
export async function applyCommands(db: Db, refs: readonly CommandRef[], opts: ApplyOptions = {}): Promise<Map<string, CommandOutcome>> {
  const rules = opts.rules ?? (await timeRepo.loadDeadlineRules(db));
  return db.transaction().execute((trx) => {
    // Read the clock once the transaction has its connection: events carry the time they were applied, not queued.
    const now = typeof opts.now === 'function' ? opts.now() : opts.now ?? new Date();
    return applyInTransaction(trx, refs, new BatchState(now, rules, opts.timerHorizonMs ?? DEFAULT_TIMER_HORIZON_MS));
  });
}

export interface ApplyOptions {
  /** The worker's clock (or a fixed instant); tests move it forward instead of sleeping. */
  now?: Date | (() => Date);
  /** Calendar and SLA policies; loaded from the database when not given (the worker caches them). */
  rules?: DeadlineRules;
  /** Deadlines due sooner than this are mirrored into Redis at once (TIMER_HORIZON_MS; its default when not given). */
  timerHorizonMs?: number;
}


async function lookupsFor(trx: Tx, pending: Command[], state: BatchState): Promise<Lookups> {
  // An inquiry answered at intake closes at once: it needs no route.
  // Petitions of one category and place share a route: each distinct pair is resolved once.
  const placeOf = new Map<string, { urgency: string; place: string }>();
  const places = new Map<string, referenceRepo.RouteQuery>();
  for (const c of pending) {
    const p = c.type === 'SUBMIT' && !c.payload.directAnswer ? state.petitions.get(c.petition_id)?.row : undefined;
    if (!p) continue;
    const areaIds = [p.community_id, p.street_id, p.district_id].filter((x): x is string => x !== null);
    const place = `${p.category_id}:${areaIds.join(',')}`;
    placeOf.set(c.id, { urgency: p.urgency, place });
    if (!places.has(place)) places.set(place, { key: place, categoryId: p.category_id, areaIds });
  }
  const completes = pending.filter((c) => c.type === 'COMPLETE').flatMap((c) => state.petitions.get(c.petition_id)?.row.category_id ?? []);
  // One transaction is one connection: these run one after the other whatever the syntax.
  const rules = await referenceRepo.resolveRoutes(trx, [...places.values()]);
  const reviewed = await referenceRepo.categoriesRequiringReview(trx, completes);
  const routes = new Map<string, Route>();
  for (const [commandId, { urgency, place }] of placeOf) {
    const route = rules.get(place);
    if (route) routes.set(commandId, { ...route, slaClass: slaClassFor(urgency, route.slaClass) });
  }
  return { routes, reviewedCategories: reviewed };
}

async function applyInTransaction(trx: Tx, refs: readonly CommandRef[], state: BatchState): Promise<Map<string, CommandOutcome>> {
  const now = state.now;
  const outcomes = new Map<string, CommandOutcome>();
  const commandIds = refs.map((r) => r.commandId);
  // Lock first, then read the commands: whatever a concurrent batch applied is committed by now.
  const locked = await petitionsRepo.lockPetitions(trx, [...new Set(refs.map((r) => r.petitionId))]);
  let reads = await batchReadsRepo.readBatch(trx, commandIds, locked.map((p) => p.id));
  const lockedIds = new Set(locked.map((p) => p.id));
  const strays = [...new Set(reads.commands.map((c) => c.petition_id).filter((id) => !lockedIds.has(id)))];
  if (strays.length > 0) {
    // A job named the wrong petition (it should not happen): lock the right ones and read again.
    locked.push(...(await petitionsRepo.lockPetitions(trx, strays)));
    reads = await batchReadsRepo.readBatch(trx, commandIds, locked.map((p) => p.id));
  }
  const commands = reads.commands;
  for (const row of locked) state.petitions.set(row.id, { row, stored: row.snapshot as StoredSnapshot, version: row.version, baseVersion: row.version });
  for (const t of reads.openTasks) state.addTask(t);
  for (const t of reads.openTimers) state.addTimer(t);
  // Rare: petitions whose handling clock has run out (or runs out in this batch) keep its deadline.
  const dueNow = new Set(commands.filter((c) => c.type === 'HANDLING_DUE' && c.status === 'pending').map((c) => c.petition_id));
  const ranOut = locked.filter((p) => !state.openTimers.has(`${p.id}:handling`) && (
    ((p.snapshot as StoredSnapshot).context as { handlingOverdue?: boolean }).handlingOverdue === true || dueNow.has(p.id)));
  for (const p of ranOut) {
    const due = reads.lastFiredHandlingDue.get(p.id);
    if (due) state.passedHandlingDue.set(p.id, due);
  }

  const pending = commands.filter((c) => c.status === 'pending');
  const lookups = await lookupsFor(trx, pending, state);
  const events: NewPetitionEvent[] = [];
  const outcomeWrites: commandsRepo.CommandOutcomeWrite[] = [];

  for (const c of commands) {
    if (c.status !== 'pending') { outcomes.set(c.id, storedOutcome(c)); continue; }
    const entry = state.petitions.get(c.petition_id);
    if (!entry) throw new Error(`Petition ${c.petition_id} of command ${c.id} not found`);
    const event = buildEvent(c, entry.row, lookups);
    const applied = applyPetitionEvent(entry.stored, event);
    const resultBase = { petitionId: entry.row.id, trackingNo: entry.row.tracking_no, leadUnitId: entry.stored.context.leadUnitId };
    if (!applied.accepted) {
      if (timerEvents.has(c.type)) {
        const result = { ...resultBase, state: applied.state, version: entry.version };
        outcomeWrites.push({ id: c.id, status: 'ignored', result: { ...result }, rejectionCode: null, rejectionReason: null });
        outcomes.set(c.id, { status: 'ignored', result });
      } else {
        const { code, reason } = rejection(c, applied.state, applied.refusal, entry.stored.context);
        outcomeWrites.push({ id: c.id, status: 'rejected', result: { state: applied.state }, rejectionCode: code, rejectionReason: reason });
        outcomes.set(c.id, { status: 'rejected', code, reason, state: applied.state });
      }
      continue;
    }
    const fromState = entry.stored.value;
    const factsBefore = reportFactsBefore(state, entry.row, entry.stored.context, c.type);
    entry.stored = applied.snapshot;
    entry.version += 1;
    for (const intent of applied.intents) state.interpret(intent, entry.row, applied.snapshot.context, c);
    const facts = withOutcome(factsBefore, applied.snapshot.context);
    events.push({
      petition_id: entry.row.id, seq: entry.version, type: c.type, command_id: c.id,
      actor_id: c.actor_id, actor_role: c.actor_role, actor_unit_id: c.actor_unit_id,
      from_state: fromState, to_state: applied.state, visibility: visibilityOf(event),
      // The event exactly as the machine saw it (route resolved, policy applied), so replay needs nothing else.
      data: JSON.stringify(eventData(event)), occurred_at: now, report_facts: JSON.stringify(facts),
    });
    const result: AppliedResult = { ...resultBase, leadUnitId: applied.snapshot.context.leadUnitId, state: applied.state, version: entry.version };
    outcomeWrites.push({ id: c.id, status: 'applied', result: { ...result }, rejectionCode: null, rejectionReason: null });
    outcomes.set(c.id, { status: 'applied', result });
  }
  for (const id of commandIds) if (!outcomes.has(id)) outcomes.set(id, { status: 'missing' });

  // Merged petitions follow their original: close them with it, as commands of their own.
  if (state.closeFollowersOf.length > 0) {
    const followers = await petitionsRepo.listMergedFollowers(trx, state.closeFollowersOf);
    for (const f of followers) {
      const original = state.petitions.get(f.merged_into);
      state.followOn(f.id, 'CLOSE_WITH_ORIGINAL', { originalOutcome: original?.stored.context.outcome ?? 'resolved' });
    }
  }

  const changed = [...state.petitions.values()].filter((p) => p.version !== p.baseVersion);
  // Updates first, in a statement of their own: a re-dispatch closes a task and opens one for the
  // same unit, a re-scheduled deadline ends its predecessor, and each kind allows one open row.
  await writeTogether(trx, [
    tasksRepo.taskUpdatesWrite([...state.changedTasks.values()].map((t) => ({ id: t.id, status: t.status, due_at: t.due_at })), now),
    timersRepo.timerUpdatesWrite([...state.changedTimers.values()].map((t) => ({ id: t.id, state: t.state, remaining_ms: t.remaining_ms }))),
  ]);
  // Everything else in one statement: one round trip, whatever the batch holds.
  const petitionStates = petitionsRepo.petitionStatesWrite(changed.map((p) => {
    const ctx = p.stored.context as Partial<PetitionContextV2> & typeof p.stored.context;
    return {
      id: p.row.id, state: p.stored.value, outcome: ctx.outcome, leadUnitId: ctx.leadUnitId,
      snapshot: p.stored, version: p.version, expectedVersion: p.baseVersion, closed: p.stored.value === 'closed',
      mergedInto: ctx.mergedInto ?? null, flagged: ctx.flagged ?? false, returnCount: ctx.returnCount ?? 0, redoCount: ctx.redoCount ?? 0,
    };
  }), now);
  const written = await writeTogether(trx, [
    petitionStates,
    ...eventsRepo.appendEventsWrites(events),
    tasksRepo.taskInsertsWrite(state.newTasks, now),
    timersRepo.timerInsertsWrite(state.newTimers),
    commandsRepo.commandInsertsWrite(state.followOnCommands),
    outboxRepo.outboxWrite(state.outbox),
    commandsRepo.commandOutcomesWrite(outcomeWrites, now),
  ]);
  // The petitions are locked, so a version that moved means a bug, not a race: undo the whole batch.
  const wrote = petitionStates ? written[petitionStates[0]] ?? 0 : 0;
  if (wrote !== changed.length) throw new Error(`Petition version conflict: wrote ${wrote} of ${changed.length}`);
  return outcomes;
}
