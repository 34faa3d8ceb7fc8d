import { Type, type Static } from '@sinclair/typebox';
import { eventsRepo, referenceRepo, timersRepo, type Db, type Petition } from '@petitions/db';
import { optionEn, type CategoryField } from '@petitions/domain';

const Event = Type.Object({
  seq: Type.Integer(), type: Type.String(), fromState: Type.String(), toState: Type.String(),
  actor: Type.Object({ id: Type.String(), role: Type.String(), unitId: Type.Union([Type.String(), Type.Null()]), unitName: Type.Union([Type.String(), Type.Null()]) }),
  visibility: Type.String(), data: Type.Record(Type.String(), Type.Unknown()), occurredAt: Type.String(),
});
const TaskView = Type.Object({
  id: Type.String(), unitId: Type.String(), unitName: Type.String(), role: Type.String(), status: Type.String(),
  dueAt: Type.Union([Type.String(), Type.Null()]),
});

const DeadlineView = Type.Object({
  kind: Type.Union(['sign_for', 'handling', 'handling_reminder', 'handling_escalation', 'feedback'].map((k) => Type.Literal(k)), {
    description: 'sign_for 签收, handling 办理, handling_reminder 催办, handling_escalation 通报, feedback 回访',
  }),
  dueAt: Type.String({ description: 'When it falls (or fell) due; for a paused deadline, when it was due before the pause' }),
  state: Type.Union([Type.Literal('pending'), Type.Literal('paused'), Type.Literal('fired')], { description: 'fired: the moment has passed and was acted on' }),
  basis: Type.Union([Type.Literal('clock'), Type.Literal('working')], { description: 'working: counts working time on the calendar' }),
  remainingMs: Type.Union([Type.Integer(), Type.Null()], { description: 'Time left on a paused (suspended) deadline, in its basis' }),
});

export const PetitionView = Type.Object({
  id: Type.String(), trackingNo: Type.String(), kind: Type.String(), channel: Type.String(), urgency: Type.String(),
  state: Type.String(), outcome: Type.Union([Type.String(), Type.Null()]), title: Type.String(), content: Type.String(),
  category: Type.Object({ id: Type.String(), name: Type.String() }),
  district: Type.Object({ id: Type.String(), name: Type.String() }),
  street: Type.Union([Type.Null(), Type.Object({ id: Type.String(), name: Type.String() })]),
  locationText: Type.Union([Type.String(), Type.Null()]),
  details: Type.Array(Type.Object({
    key: Type.String(), label: Type.String(), labelEn: Type.String(), value: Type.Union([Type.String(), Type.Number(), Type.Boolean()]),
    valueEn: Type.Optional(Type.String({ description: "A select field's value in English, when the category gives one" })),
  })),
  leadUnit: Type.Union([Type.Null(), Type.Object({ id: Type.String(), name: Type.String() })]),
  contact: Type.Union([Type.Null(), Type.Object({ name: Type.Union([Type.String(), Type.Null()]), phone: Type.Union([Type.String(), Type.Null()]) }, { description: 'Masked' })]),
  machineVersion: Type.Integer(), version: Type.Integer(),
  createdAt: Type.String(), updatedAt: Type.String(), closedAt: Type.Union([Type.String(), Type.Null()]),
  tasks: Type.Array(TaskView),
  deadlines: Type.Array(DeadlineView),
  timeline: Type.Array(Event),
});
export type PetitionView = Static<typeof PetitionView>;

export const PetitionList = Type.Object({
  total: Type.Integer(),
  items: Type.Array(Type.Object({
    id: Type.String(), trackingNo: Type.String(), title: Type.String(), state: Type.String(), urgency: Type.String(),
    kind: Type.String(), channel: Type.String(), category: Type.String(), district: Type.String(),
    street: Type.Union([Type.String(), Type.Null()]), createdAt: Type.String(),
    categoryId: Type.String(), districtId: Type.String(), streetId: Type.Union([Type.String(), Type.Null()]),
    anonymous: Type.Boolean({ description: 'No contact left: nobody to call back' }),
  })),
});

const named = (u: { id: string; name: string } | undefined) => (u ? { id: u.id, name: u.name } : null);

/** The petition as staff see it: contact masked, every timeline entry with its actor and unit. */
export async function toPetitionView(db: Db, p: Petition): Promise<PetitionView> {
  const [events, tasks, category, contact, deadlines] = await Promise.all([
    eventsRepo.listTimeline(db, p.id),
    db.selectFrom('tasks').selectAll().where('petition_id', '=', p.id).orderBy('created_at').execute(),
    referenceRepo.findCategoryById(db, p.category_id),
    db.selectFrom('petition_contacts').select(['name_masked', 'phone_masked']).where('petition_id', '=', p.id).executeTakeFirst(),
    timersRepo.listCurrentDeadlines(db, p.id),
  ]);
  const unitIds = new Set<string>([p.district_id, ...(p.street_id ? [p.street_id] : []), ...(p.lead_unit_id ? [p.lead_unit_id] : []),
    ...tasks.map((t) => t.unit_id), ...events.flatMap((e) => (e.actor_unit_id ? [e.actor_unit_id] : []))]);
  const units = new Map((await referenceRepo.findOrgUnitsByIds(db, [...unitIds])).map((u) => [u.id, u]));
  return {
    id: p.id, trackingNo: p.tracking_no, kind: p.kind, channel: p.channel, urgency: p.urgency, state: p.state,
    outcome: p.outcome, title: p.title, content: p.content,
    category: { id: p.category_id, name: category?.name ?? '' },
    district: named(units.get(p.district_id)) ?? { id: p.district_id, name: '' },
    street: p.street_id ? named(units.get(p.street_id)) : null,
    locationText: p.location_text,
    details: ((category?.extra_fields ?? []) as CategoryField[]).flatMap((f) => {
      const value = (p.details as Record<string, string | number | boolean | undefined>)[f.key];
      if (value === undefined) return [];
      const valueEn = optionEn(f, value);
      return [{ key: f.key, label: f.label, labelEn: f.labelEn, value, ...(valueEn ? { valueEn } : {}) }];
    }),
    leadUnit: p.lead_unit_id ? named(units.get(p.lead_unit_id)) : null,
    contact: contact ? { name: contact.name_masked, phone: contact.phone_masked } : null,
    machineVersion: p.machine_version, version: p.version,
    createdAt: p.created_at.toISOString(), updatedAt: p.updated_at.toISOString(), closedAt: p.closed_at?.toISOString() ?? null,
    tasks: tasks.map((t) => ({ id: t.id, unitId: t.unit_id, unitName: units.get(t.unit_id)?.name ?? '', role: t.role, status: t.status, dueAt: t.due_at?.toISOString() ?? null })),
    deadlines: deadlines.map((t) => ({
      kind: t.kind, dueAt: t.due_at.toISOString(),
      state: t.state as 'pending' | 'paused' | 'fired', basis: t.basis, remainingMs: t.remaining_ms === null ? null : Number(t.remaining_ms),
    })),
    timeline: events.map((e) => ({
      seq: e.seq, type: e.type, fromState: e.from_state, toState: e.to_state, visibility: e.visibility,
      actor: { id: e.actor_id, role: e.actor_role, unitId: e.actor_unit_id, unitName: e.actor_unit_id ? units.get(e.actor_unit_id)?.name ?? null : null },
      data: e.data, occurredAt: e.occurred_at.toISOString(),
    })),
  };
}
