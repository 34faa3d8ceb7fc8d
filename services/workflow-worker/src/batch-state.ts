import { randomUUID } from 'node:crypto';
import type { NewCommand, NewOutboxRow, petitionsRepo, Task, Timer } from '@petitions/db';

type Petition = petitionsRepo.LockedPetition;
import { dueAt, SYSTEM_ACTOR, type DeadlineKind, type Urgency } from '@petitions/domain';
import type { PetitionIntent, StoredSnapshot } from '@petitions/petition-workflow';
import { jobIds } from '@petitions/queue';

const OPEN_TASK = new Set<Task['status']>(['to_sign', 'in_progress']);
const DAY_MS = 86_400_000;

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
  /** Petitions whose merged followers must be closed: filled by closeFollowers, resolved by the caller. */
  readonly closeFollowersOf: { petitionId: string; outcome: string | null; commandId: string }[] = [];

  constructor(private readonly now: Date) {}

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

  private startTimer(petitionId: string, kind: DeadlineKind, due: Date): Timer {
    const t: Timer = { id: randomUUID(), petition_id: petitionId, kind, due_at: due, state: 'pending', created_at: this.now, remaining_ms: null };
    this.addTimer(t);
    this.newTimers.push(t);
    this.outbox.push({ queue: 'timers', job_name: 'fire', job_id: jobIds.timer(t.id), payload: JSON.stringify({ timerId: t.id, petitionId }), delay_until: due });
    return t;
  }

  /** The lead task's deadline follows the handling clock once signed for. */
  private syncLeadTaskDue(petitionId: string, due: Date | null): void {
    for (const t of this.tasksOf(petitionId)) if (t.role === 'lead' && t.status === 'in_progress') this.changeTask(t, t.status, due);
  }

  interpret(intent: PetitionIntent, petition: Petition, slaClass: Urgency, commandId: string): void {
    const id = petition.id;
    const now = this.now;
    switch (intent.type) {
      case 'openTasks': {
        this.newTask(id, intent.params.leadUnitId, 'lead', 'to_sign', dueAt('sign_for', slaClass, now));
        const handlingDue = this.timer(id, 'handling')?.due_at ?? dueAt('handling', slaClass, now);
        for (const unitId of intent.params.coUnitIds) this.newTask(id, unitId, 'co', 'in_progress', handlingDue);
        return;
      }
      case 'markTaskSigned': {
        const lead = this.tasksOf(id).find((t) => t.role === 'lead' && t.unit_id === intent.params.unitId && t.status === 'to_sign');
        if (lead) this.changeTask(lead, 'in_progress', this.timer(id, 'handling')?.due_at ?? dueAt('handling', slaClass, now));
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
        const existing = this.timer(id, kind);
        // Version 1 intents have no `restart`: they always restarted.
        const restart = 'restart' in intent.params ? intent.params.restart : true;
        if (existing && !restart) return;
        if (existing) this.endTimer(existing, 'cancelled');
        const t = this.startTimer(id, kind, dueAt(kind, slaClass, now));
        if (kind === 'handling') this.syncLeadTaskDue(id, t.due_at);
        return;
      }
      case 'cancelDeadline': {
        const existing = this.timer(id, intent.params.kind);
        if (existing) this.endTimer(existing, 'cancelled');
        return;
      }
      case 'extendDeadline': {
        const existing = this.timer(id, intent.params.kind);
        if (!existing || existing.state !== 'pending') return;
        this.endTimer(existing, 'cancelled');
        const t = this.startTimer(id, intent.params.kind, new Date(existing.due_at.getTime() + intent.params.days * DAY_MS));
        if (intent.params.kind === 'handling') this.syncLeadTaskDue(id, t.due_at);
        return;
      }
      case 'pauseDeadline': {
        const existing = this.timer(id, intent.params.kind);
        if (existing?.state === 'pending') this.endTimer(existing, 'paused', Math.max(0, existing.due_at.getTime() - now.getTime()));
        return;
      }
      case 'resumeDeadline': {
        const existing = this.timer(id, intent.params.kind);
        if (existing?.state !== 'paused') return;
        const remaining = Number(existing.remaining_ms ?? 0);
        this.endTimer(existing, 'cancelled', remaining);
        const t = this.startTimer(id, intent.params.kind, new Date(now.getTime() + remaining));
        if (intent.params.kind === 'handling') this.syncLeadTaskDue(id, t.due_at);
        return;
      }
      case 'notify': {
        const key = jobIds.notification(commandId, intent.params.template, intent.params.audience);
        this.outbox.push({ queue: 'notifications', job_name: 'deliver', job_id: key, payload: JSON.stringify({ key, petitionId: id, template: intent.params.template, audience: intent.params.audience }), delay_until: null });
        return;
      }
      case 'closeFollowers':
        this.closeFollowersOf.push({ petitionId: id, outcome: null, commandId });
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
