import { randomUUID } from 'node:crypto';
import type { Command, NewCommand, NewOutboxRow, petitionsRepo, Task, Timer } from '@petitions/db';
import { SYSTEM_ACTOR, type Deadline, type DeadlineKind, type DeadlineRules, type Urgency } from '@petitions/domain';
import type { PetitionIntent, StoredSnapshot } from '@petitions/petition-workflow';
import { jobIds, type JobPayload } from '@petitions/queue';

type Petition = petitionsRepo.LockedPetition;

const OPEN_TASK = new Set<Task['status']>(['to_sign', 'in_progress']);
/** Timers that live and die with the handling clock: they pause, resume and end with it. */
const HANDLING_FAMILY: readonly DeadlineKind[] = ['handling', 'handling_reminder', 'handling_escalation'];
const familyOf = (kind: DeadlineKind): readonly DeadlineKind[] => (kind === 'handling' ? HANDLING_FAMILY : [kind]);

export interface PetitionEntry {
  row: Petition;
  stored: StoredSnapshot;
  version: number;
  baseVersion: number;
}

/**
 * Everything one batch will write, kept in memory while the batch's commands run through the
 * machine, then flushed in a few statements. Tasks and timers are loaded up front so several
 * commands for one petition in the same batch see each other's effects.
 */
export class BatchState {
  readonly petitions = new Map<string, PetitionEntry>();
  readonly openTasks = new Map<string, Task[]>();
  readonly newTasks: Task[] = [];
  readonly changedTasks = new Map<string, Task>();
  /** Open (pending or paused) timers by `${petitionId}:${kind}`. */
  readonly openTimers = new Map<string, Timer>();
  readonly newTimers: Timer[] = [];
  readonly changedTimers = new Map<string, Timer>();
  readonly outbox: NewOutboxRow[] = [];
  /** Follow-on commands (e.g. closing merged petitions), recorded in the same transaction. */
  readonly followOnCommands: NewCommand[] = [];
  /** Petitions whose merged followers must be closed: filled by closeFollowers, resolved by the caller (the outcome is read then). */
  readonly closeFollowersOf: string[] = [];
  /** The handling deadline that already passed, for petitions whose handling clock fired before this batch. */
  readonly passedHandlingDue = new Map<string, Date>();

  /**
   * @param rules the calendar and SLA policies deadlines are computed with
   * @param horizonMs deadlines due sooner than this go to Redis now; the scheduler's pump brings the rest later
   */
  constructor(readonly now: Date, private readonly rules: DeadlineRules, private readonly horizonMs: number) {}

  addTask(t: Task): void {
    const list = this.openTasks.get(t.petition_id) ?? [];
    list.push(t);
    this.openTasks.set(t.petition_id, list);
  }

  addTimer(t: Timer): void {
    this.openTimers.set(`${t.petition_id}:${t.kind}`, t);
  }

  private tasksOf(petitionId: string): Task[] {
    const list = this.openTasks.get(petitionId) ?? [];
    this.openTasks.set(petitionId, list);
    return list;
  }

  private changeTask(t: Task, status: Task['status'], due: Date | null): void {
    t.status = status;
    t.due_at = due;
    if (!this.newTasks.includes(t)) this.changedTasks.set(t.id, t);
  }

  private newTask(petitionId: string, unitId: string, role: Task['role'], status: Task['status'], due: Date | null): void {
    const t: Task = { id: randomUUID(), petition_id: petitionId, unit_id: unitId, role, status, due_at: due, created_at: this.now, updated_at: this.now };
    this.tasksOf(petitionId).push(t);
    this.newTasks.push(t);
  }

  private timer(petitionId: string, kind: DeadlineKind): Timer | undefined {
    return this.openTimers.get(`${petitionId}:${kind}`);
  }

  private endTimer(t: Timer, state: 'cancelled' | 'paused', remainingMs: number | null = null): void {
    if (state === 'cancelled') this.openTimers.delete(`${t.petition_id}:${t.kind}`);
    t.state = state;
    t.remaining_ms = remainingMs === null ? null : String(remainingMs);
    const fresh = this.newTimers.indexOf(t);
    if (fresh >= 0 && state === 'cancelled') this.newTimers.splice(fresh, 1);
    else if (fresh < 0) this.changedTimers.set(t.id, t);
  }

  private startTimer(petitionId: string, kind: DeadlineKind, d: Deadline): Timer {
    const t: Timer = { id: randomUUID(), petition_id: petitionId, kind, due_at: d.dueAt, basis: d.basis, state: 'pending', created_at: this.now, remaining_ms: null };
    this.addTimer(t);
    this.newTimers.push(t);
    if (d.dueAt.getTime() - this.now.getTime() < this.horizonMs) {
      this.outbox.push({ queue: 'timers', job_name: 'fire', job_id: jobIds.timer(t.id), payload: JSON.stringify({ timerId: t.id, petitionId }), delay_until: d.dueAt });
    }
    return t;
  }

  /**
   * Start a deadline. A handling clock that (re)starts brings its lead task's due date and its 催办
   * reminder along (unless the reminder's moment has passed): the one place that rule lives.
   */
  private startDeadline(petition: Petition, slaClass: Urgency, kind: DeadlineKind, d: Deadline): void {
    this.startTimer(petition.id, kind, d);
    if (kind !== 'handling') return;
    this.syncLeadTaskDue(petition.id, d.dueAt);
    const reminder = this.rules.reminder(petition.category_id, slaClass, this.now, d);
    if (reminder.dueAt > this.now && reminder.dueAt < d.dueAt) this.startTimer(petition.id, 'handling_reminder', reminder);
  }

  /** When a deadline scheduled now falls due; null for a kind that is never scheduled on its own. */
  private scheduledDeadline(kind: DeadlineKind, petition: Petition, slaClass: Urgency, command: Command): Deadline | null {
    switch (kind) {
      // Counted from the deadline that passed (the timer's event says when), not from a late firing.
      case 'handling_escalation':
        return this.rules.escalation(typeof command.payload.dueAt === 'string' ? new Date(command.payload.dueAt) : this.now);
      // Started with its handling clock, never on its own.
      case 'handling_reminder':
        return null;
      case 'sign_for': case 'handling': case 'feedback':
        return this.rules.due(kind, petition.category_id, slaClass, this.now);
    }
  }

  private endFamily(petitionId: string, kind: DeadlineKind): void {
    for (const k of familyOf(kind)) {
      const t = this.timer(petitionId, k);
      if (t) this.endTimer(t, 'cancelled');
    }
  }

  /** The lead task's deadline follows the handling clock once signed for. */
  private syncLeadTaskDue(petitionId: string, due: Date | null): void {
    for (const t of this.tasksOf(petitionId)) if (t.role === 'lead' && t.status === 'in_progress') this.changeTask(t, t.status, due);
  }

  /** Turn one intent of the machine into rows; `context` is the petition's context after the transition. */
  interpret(intent: PetitionIntent, petition: Petition, context: { slaClass: Urgency; handlingOverdue?: boolean }, command: Command): void {
    const id = petition.id;
    const slaClass = context.slaClass;
    const now = this.now;
    const rules = this.rules;
    // A clock that ran out stays out: a task signed for after its handling deadline is overdue at once.
    const handlingDue = () => this.timer(id, 'handling')?.due_at
      ?? (context.handlingOverdue === true ? this.passedHandlingDue.get(id) : undefined)
      ?? rules.due('handling', petition.category_id, slaClass, now).dueAt;
    switch (intent.type) {
      case 'openTasks': {
        this.newTask(id, intent.params.leadUnitId, 'lead', 'to_sign', rules.due('sign_for', petition.category_id, slaClass, now).dueAt);
        for (const unitId of intent.params.coUnitIds) this.newTask(id, unitId, 'co', 'in_progress', handlingDue());
        return;
      }
      case 'markTaskSigned': {
        const lead = this.tasksOf(id).find((t) => t.role === 'lead' && t.unit_id === intent.params.unitId && t.status === 'to_sign');
        if (lead) this.changeTask(lead, 'in_progress', handlingDue());
        return;
      }
      case 'returnTask':
        for (const t of this.tasksOf(id)) {
          if (!OPEN_TASK.has(t.status)) continue;
          this.changeTask(t, t.role === 'lead' && t.unit_id === intent.params.unitId ? 'returned' : 'cancelled', t.due_at);
        }
        return;
      case 'reopenLeadTask':
        // The handling deadline is scheduled afresh right after this intent; the task takes it then.
        this.newTask(id, intent.params.unitId, 'lead', 'in_progress', null);
        return;
      case 'closeTasks':
        for (const t of this.tasksOf(id)) if (OPEN_TASK.has(t.status)) this.changeTask(t, intent.params.status, t.due_at);
        return;
      case 'scheduleDeadline': {
        const kind = intent.params.kind;
        // Version 1 intents have no `restart`: they always restarted.
        const restart = 'restart' in intent.params ? intent.params.restart : true;
        if (restart) this.endFamily(id, kind);
        // Without a restart a running clock is kept, and one that already ran out is not started
        // again by a re-dispatch; only a restart (redo, send-back) does.
        else if (this.timer(id, kind) || (kind === 'handling' && context.handlingOverdue === true)) return;
        const d = this.scheduledDeadline(kind, petition, slaClass, command);
        if (d) this.startDeadline(petition, slaClass, kind, d);
        return;
      }
      case 'cancelDeadline':
        this.endFamily(id, intent.params.kind);
        return;
      case 'extendDeadline': {
        const existing = this.timer(id, intent.params.kind);
        if (!existing || existing.state !== 'pending') return;
        this.endFamily(id, intent.params.kind);
        this.startDeadline(petition, slaClass, intent.params.kind, { dueAt: rules.extend(existing.due_at, intent.params.days, existing.basis), basis: existing.basis });
        return;
      }
      case 'pauseDeadline':
        // A suspension (挂起) stops the clock: each timer keeps the time it had left, in its own basis.
        for (const k of familyOf(intent.params.kind)) {
          const t = this.timer(id, k);
          if (t?.state === 'pending') this.endTimer(t, 'paused', rules.remaining(now, t.due_at, t.basis));
        }
        return;
      case 'resumeDeadline':
        for (const k of familyOf(intent.params.kind)) {
          const t = this.timer(id, k);
          if (t?.state !== 'paused') continue;
          const remaining = Number(t.remaining_ms ?? 0);
          this.endTimer(t, 'cancelled', remaining);
          const resumed = this.startTimer(id, k, { dueAt: rules.resume(now, remaining, t.basis), basis: t.basis });
          if (k === 'handling') this.syncLeadTaskDue(id, resumed.due_at);
        }
        return;
      case 'notify': {
        const key = jobIds.notification(command.id, intent.params.template, intent.params.audience);
        // Typed as the queue's payload: a machine audience the notifications queue does not know fails here, not at delivery.
        const payload: JobPayload<'notifications', 'deliver'> = { key, petitionId: id, template: intent.params.template, audience: intent.params.audience };
        this.outbox.push({ queue: 'notifications', job_name: 'deliver', job_id: key, payload: JSON.stringify(payload), delay_until: null });
        return;
      }
      case 'closeFollowers':
        this.closeFollowersOf.push(id);
        return;
      default: {
        const never: never = intent;
        throw new Error(`Unhandled intent ${JSON.stringify(never)}`);
      }
    }
  }

  /** Record a command for another petition, to be applied after this batch commits. */
  followOn(petitionId: string, type: string, payload: Record<string, unknown>): void {
    const id = randomUUID();
    this.followOnCommands.push({
      id, petition_id: petitionId, type, payload: JSON.stringify(payload),
      actor_id: SYSTEM_ACTOR.id, actor_role: SYSTEM_ACTOR.role, actor_unit_id: null,
    });
    this.outbox.push({ queue: 'commands', job_name: 'apply', job_id: jobIds.command(id), payload: JSON.stringify({ commandId: id, petitionId }), delay_until: null });
  }
}
