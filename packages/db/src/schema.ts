import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { ReportFacts, ReportSettings, SlaDuration } from '@petitions/domain';

/** Database types. They follow the migrations; change both together. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface OrgUnitsTable {
  id: Generated<string>;
  code: string;
  name: string;
  name_en: string | null;
  kind: 'city' | 'district' | 'street' | 'community' | 'department' | 'centre';
  parent_id: string | null;
  created_at: Generated<Date>;
}

export interface CategoriesTable {
  id: Generated<string>;
  code: string;
  name: string;
  name_en: string | null;
  parent_id: string | null;
  extra_fields: Json<unknown[]>;
  active: Generated<boolean>;
  /** Completions in this category go through the dispatch centre's quality review. */
  requires_review: Generated<boolean>;
}

export interface RoutingRulesTable {
  id: Generated<string>;
  category_id: string;
  area_id: string | null;
  lead_unit_id: string;
  co_unit_ids: ColumnType<string[], string[] | undefined, string[]>;
  sla_class: 'emergency' | 'utilities' | 'normal' | 'complex';
  created_at: Generated<Date>;
}

export interface PetitionsTable {
  id: string;
  tracking_no: string;
  kind: 'request' | 'inquiry';
  channel: string;
  urgency: string;
  category_id: string;
  district_id: string;
  street_id: string | null;
  community_id: string | null;
  location_text: string | null;
  latitude: number | null;
  longitude: number | null;
  title: string;
  content: string;
  anonymous: Generated<boolean>;
  state: string;
  outcome: string | null;
  lead_unit_id: string | null;
  machine_version: number;
  snapshot: Json<unknown>;
  version: Generated<number>;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  closed_at: Date | null;
  merged_into: ColumnType<string | null, string | null | undefined, string | null>;
  flagged: Generated<boolean>;
  return_count: Generated<number>;
  redo_count: Generated<number>;
  /** Values of the category's extra fields, by key. */
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
}

export interface PetitionContactsTable {
  petition_id: string;
  key_id: string;
  name_enc: Buffer | null;
  phone_enc: Buffer | null;
  address_enc: Buffer | null;
  name_masked: string | null;
  phone_masked: string | null;
  phone_hash: Buffer | null;
}

export type CommandStatus = 'pending' | 'applied' | 'rejected' | 'ignored';

export interface CommandsTable {
  id: string;
  petition_id: string;
  type: string;
  payload: Json<Record<string, unknown>>;
  actor_id: string;
  actor_role: string;
  actor_unit_id: string | null;
  idempotency_key: string | null;
  request_hash: string | null;
  status: ColumnType<CommandStatus, CommandStatus | undefined, CommandStatus>;
  result: Json<Record<string, unknown> | null> | null;
  rejection_code: string | null;
  rejection_reason: string | null;
  created_at: Timestamp;
  applied_at: Date | null;
}

export interface PetitionEventsTable {
  id: Generated<string>;
  petition_id: string;
  seq: number;
  type: string;
  command_id: string;
  actor_id: string;
  actor_role: string;
  actor_unit_id: string | null;
  from_state: string;
  to_state: string;
  visibility: 'public' | 'internal';
  data: Json<Record<string, unknown>>;
  occurred_at: Timestamp;
  /** What the reports need that the event alone does not say (units, deadlines): see ReportFacts. */
  report_facts: ColumnType<ReportFacts | null, string | null | undefined, string | null>;
}

export interface TasksTable {
  id: Generated<string>;
  petition_id: string;
  unit_id: string;
  role: 'lead' | 'co';
  status: 'to_sign' | 'in_progress' | 'done' | 'cancelled' | 'returned';
  due_at: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TimersTable {
  id: Generated<string>;
  petition_id: string;
  kind: string;
  due_at: Date;
  state: 'pending' | 'fired' | 'cancelled' | 'paused';
  created_at: Timestamp;
  /** Time left on a paused (suspended) deadline: working milliseconds when basis is 'working'. */
  remaining_ms: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  /** 'working' deadlines count only working time when paused and resumed. */
  basis: ColumnType<'clock' | 'working', 'clock' | 'working' | undefined, 'clock' | 'working'>;
}

export interface CalendarDaysTable {
  /** 'YYYY-MM-DD'; only exceptions to the Mon–Fri rule are stored. */
  date: ColumnType<string, string, string>;
  is_workday: boolean;
  note: Generated<string>;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface SlaPoliciesTable {
  id: Generated<string>;
  /** NULL: the urgency's default for every category. */
  category_id: string | null;
  urgency: 'emergency' | 'utilities' | 'normal' | 'complex';
  sign_for: Json<SlaDuration>;
  handling: Json<SlaDuration>;
  feedback: Json<SlaDuration>;
  reminder_share: number;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface OutboxTable {
  id: Generated<string>;
  queue: string;
  job_name: string;
  job_id: string;
  payload: Json<Record<string, unknown>>;
  delay_until: Date | null;
  created_at: Timestamp;
  published_at: Date | null;
  attempts: Generated<number>;
  last_error: string | null;
}

export interface NotificationsTable {
  id: Generated<string>;
  idempotency_key: string;
  petition_id: string | null;
  audience: string;
  template: string;
  channel: string;
  body_zh: string;
  body_en: string;
  /** pending: not yet accepted by its channel; dead_letter: out of attempts or refused for good. */
  status: NotificationStatus;
  created_at: Timestamp;
  delivered_at: Date | null;
  /** Delivery attempts so far (all rounds, admin retries included). */
  attempts: Generated<number>;
  /** The last failure, short and free of personal data. */
  last_error: string | null;
  dead_lettered_at: Date | null;
}

export type NotificationStatus = 'pending' | 'delivered' | 'skipped_anonymous' | 'dead_letter';

export interface UsersTable {
  id: Generated<string>;
  username: string;
  display_name: string;
  role: 'clerk' | 'dispatcher' | 'handler' | 'department_head' | 'follow_up' | 'supervisor' | 'leader' | 'admin';
  unit_id: string | null;
  /** Argon2id, parameters inside. */
  password_hash: string;
  active: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SessionsTable {
  id: Generated<string>;
  user_id: string;
  /** SHA-256 of the bearer tokens; the tokens themselves are never stored. */
  access_hash: string;
  access_expires_at: Date;
  refresh_hash: string;
  refresh_expires_at: Date;
  /** The refresh token before the last rotation: presented again, the session was stolen. */
  previous_refresh_hash: string | null;
  created_at: Timestamp;
  revoked_at: Date | null;
  revoked_reason: string | null;
}

/** Open311 clients allowed to create service requests; only the key's SHA-256 (hex) is stored. */
export interface Open311ApiKeysTable {
  id: Generated<string>;
  name: string;
  key_hash: string;
  created_at: Generated<Date>;
  revoked_at: Date | null;
}

/** Petitions created through Open311: which key sent them, and the media URL it gave. */
export interface Open311RequestsTable {
  petition_id: string;
  api_key_id: string;
  media_url: string | null;
  created_at: Generated<Date>;
}

export interface PersonalDataAccessLogTable {
  id: Generated<string>;
  petition_id: string;
  actor_id: string;
  actor_role: string;
  actor_unit_id: string | null;
  fields: string[];
  reason: string;
  accessed_at: Timestamp;
}

/** Counters of a rollup row (see packages/domain reports.ts), whatever its time grain. */
interface ReportRollupCounts {
  dim: string;
  district_id: string;
  key: string;
  received: Generated<number>;
  dispatched: Generated<number>;
  signed_on_time: Generated<number>;
  returned: Generated<number>;
  completed: Generated<number>;
  completed_on_time: Generated<number>;
  redone: Generated<number>;
  rated: Generated<number>;
  rated_resolved: Generated<number>;
  satisfied: Generated<number>;
  basically_satisfied: Generated<number>;
  dissatisfied: Generated<number>;
  no_feedback: Generated<number>;
  sign_count: Generated<number>;
  complete_count: Generated<number>;
  sign_seconds: Generated<number>;
  complete_seconds: Generated<number>;
  sign_hist: number[] | null;
  complete_hist: number[] | null;
}

/** Counters per China-local day × district × dimension value. */
export interface ReportDailyTable extends ReportRollupCounts {
  day: ColumnType<string, string, string>;
}

/** The same counters per China-local month (`month` is its first day): whole months of a period read these. */
export interface ReportMonthlyTable extends ReportRollupCounts {
  month: ColumnType<string, string, string>;
}

/** Petitions open and overdue now, per district × dimension value. */
export interface ReportOpenTable {
  dim: string;
  district_id: string;
  key: string;
  open: Generated<number>;
  overdue: Generated<number>;
}

/** Events whose report counts the scheduler has not folded into the rollups yet. */
export interface ReportBacklogTable {
  event_id: string;
}

export interface ReportSettingsTable {
  id: Generated<boolean>;
  settings: Json<ReportSettings>;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface Database {
  org_units: OrgUnitsTable;
  categories: CategoriesTable;
  routing_rules: RoutingRulesTable;
  petitions: PetitionsTable;
  petition_contacts: PetitionContactsTable;
  commands: CommandsTable;
  petition_events: PetitionEventsTable;
  tasks: TasksTable;
  timers: TimersTable;
  calendar_days: CalendarDaysTable;
  users: UsersTable;
  personal_data_access_log: PersonalDataAccessLogTable;
  sessions: SessionsTable;
  sla_policies: SlaPoliciesTable;
  outbox: OutboxTable;
  notifications: NotificationsTable;
  open311_api_keys: Open311ApiKeysTable;
  open311_requests: Open311RequestsTable;
  report_daily: ReportDailyTable;
  report_monthly: ReportMonthlyTable;
  report_open: ReportOpenTable;
  report_backlog: ReportBacklogTable;
  report_settings: ReportSettingsTable;
}

export type Petition = Selectable<PetitionsTable>;
export type NewPetition = Insertable<PetitionsTable>;
export type PetitionUpdate = Updateable<PetitionsTable>;
export type Command = Selectable<CommandsTable>;
export type NewCommand = Insertable<CommandsTable>;
export type PetitionEventRow = Selectable<PetitionEventsTable>;
export type NewPetitionEvent = Insertable<PetitionEventsTable>;
export type Task = Selectable<TasksTable>;
export type OrgUnit = Selectable<OrgUnitsTable>;
export type Category = Selectable<CategoriesTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type NewOutboxRow = Insertable<OutboxTable>;
export type NotificationRow = Selectable<NotificationsTable>;
export type Timer = Selectable<TimersTable>;
export type CalendarDayRow = Selectable<CalendarDaysTable>;
export type User = Selectable<UsersTable>;
export type Session = Selectable<SessionsTable>;
export type SlaPolicyRow = Selectable<SlaPoliciesTable>;
export type Open311ApiKey = Selectable<Open311ApiKeysTable>;
