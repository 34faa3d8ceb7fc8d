/* eslint-disable @typescript-eslint/no-explicit-any -- migrations use Kysely<any>: they are frozen in time and must not import app types */
import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must never import application types or change after release.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS pgcrypto`.execute(db);

  await db.schema.createTable('org_units')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text')
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('city','district','street','community','department','centre')`))
    .addColumn('parent_id', 'uuid', (c) => c.references('org_units.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('org_units_parent_idx').on('org_units').column('parent_id').execute();

  await db.schema.createTable('categories')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text')
    .addColumn('parent_id', 'uuid', (c) => c.references('categories.id'))
    .addColumn('extra_fields', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .execute();

  // category × area → lead unit. A null area means "anywhere"; the most specific match wins.
  await db.schema.createTable('routing_rules')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('category_id', 'uuid', (c) => c.notNull().references('categories.id'))
    .addColumn('area_id', 'uuid', (c) => c.references('org_units.id'))
    .addColumn('lead_unit_id', 'uuid', (c) => c.notNull().references('org_units.id'))
    .addColumn('co_unit_ids', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('sla_class', 'text', (c) => c.notNull().check(sql`sla_class IN ('emergency','utilities','normal','complex')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`CREATE UNIQUE INDEX routing_rules_unique_idx ON routing_rules (category_id, COALESCE(area_id, '00000000-0000-0000-0000-000000000000'::uuid))`.execute(db);

  await sql`CREATE SEQUENCE petition_tracking_seq`.execute(db);

  await db.schema.createTable('petitions')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('tracking_no', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('request','inquiry')`))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('category_id', 'uuid', (c) => c.notNull().references('categories.id'))
    .addColumn('district_id', 'uuid', (c) => c.notNull().references('org_units.id'))
    .addColumn('street_id', 'uuid', (c) => c.references('org_units.id'))
    .addColumn('community_id', 'uuid', (c) => c.references('org_units.id'))
    .addColumn('location_text', 'text')
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('anonymous', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('lead_unit_id', 'uuid', (c) => c.references('org_units.id'))
    .addColumn('machine_version', 'integer', (c) => c.notNull())
    .addColumn('snapshot', 'jsonb', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('closed_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('petitions_state_idx').on('petitions').columns(['state', 'created_at']).execute();
  await db.schema.createIndex('petitions_lead_unit_idx').on('petitions').columns(['lead_unit_id', 'state']).execute();

  // Personal data, encrypted in the application (AES-256-GCM). Masked copies for display,
  // a keyed hash for exact lookup by phone.
  await db.schema.createTable('petition_contacts')
    .addColumn('petition_id', 'uuid', (c) => c.primaryKey().references('petitions.id'))
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('name_enc', 'bytea')
    .addColumn('phone_enc', 'bytea')
    .addColumn('address_enc', 'bytea')
    .addColumn('name_masked', 'text')
    .addColumn('phone_masked', 'text')
    .addColumn('phone_hash', 'bytea')
    .execute();
  await db.schema.createIndex('petition_contacts_phone_hash_idx').on('petition_contacts').column('phone_hash').execute();

  // The command inbox. The id is the BullMQ jobId; idempotency keys are unique per client.
  await db.schema.createTable('commands')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('petition_id', 'uuid', (c) => c.notNull().references('petitions.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_role', 'text', (c) => c.notNull())
    .addColumn('actor_unit_id', 'uuid')
    .addColumn('idempotency_key', 'text', (c) => c.unique())
    .addColumn('request_hash', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status IN ('pending','applied','rejected','ignored')`))
    .addColumn('result', 'jsonb')
    .addColumn('rejection_code', 'text')
    .addColumn('rejection_reason', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('applied_at', 'timestamptz')
    .execute();
  await sql`CREATE INDEX commands_pending_idx ON commands (created_at) WHERE status = 'pending'`.execute(db);
  await db.schema.createIndex('commands_petition_idx').on('commands').column('petition_id').execute();

  // Append-only audit log: one row per applied command, numbered per petition.
  await db.schema.createTable('petition_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('petition_id', 'uuid', (c) => c.notNull().references('petitions.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('command_id', 'uuid', (c) => c.notNull().unique().references('commands.id'))
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_role', 'text', (c) => c.notNull())
    .addColumn('actor_unit_id', 'uuid')
    .addColumn('from_state', 'text', (c) => c.notNull())
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('visibility', 'text', (c) => c.notNull().check(sql`visibility IN ('public','internal')`))
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('petition_events_seq_unique', ['petition_id', 'seq'])
    .execute();

  // What department queues read.
  await db.schema.createTable('tasks')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('petition_id', 'uuid', (c) => c.notNull().references('petitions.id'))
    .addColumn('unit_id', 'uuid', (c) => c.notNull().references('org_units.id'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role IN ('lead','co')`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('to_sign','in_progress','done','cancelled')`))
    .addColumn('due_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`CREATE INDEX tasks_queue_idx ON tasks (unit_id, status, due_at)`.execute(db);
  await sql`CREATE UNIQUE INDEX tasks_open_unique_idx ON tasks (petition_id, unit_id, role) WHERE status IN ('to_sign','in_progress')`.execute(db);

  // Deadlines are rows (the source of truth); Redis holds only their delayed-job mirrors.
  await db.schema.createTable('timers')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('petition_id', 'uuid', (c) => c.notNull().references('petitions.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state IN ('pending','fired','cancelled')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`CREATE INDEX timers_pending_idx ON timers (due_at) WHERE state = 'pending'`.execute(db);
  await sql`CREATE UNIQUE INDEX timers_pending_unique_idx ON timers (petition_id, kind) WHERE state = 'pending'`.execute(db);

  // Transactional outbox: written with the state change, relayed to BullMQ after commit.
  await db.schema.createTable('outbox')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('queue', 'text', (c) => c.notNull())
    .addColumn('job_name', 'text', (c) => c.notNull())
    .addColumn('job_id', 'text', (c) => c.notNull().unique())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('delay_until', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('published_at', 'timestamptz')
    .execute();
  await sql`CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL`.execute(db);

  // Messages to people. The idempotency key makes a retried delivery a no-op.
  await db.schema.createTable('notifications')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('petition_id', 'uuid', (c) => c.references('petitions.id'))
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('body_zh', 'text', (c) => c.notNull())
    .addColumn('body_en', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('delivered_at', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['notifications', 'outbox', 'timers', 'tasks', 'petition_events', 'commands', 'petition_contacts', 'petitions', 'routing_rules', 'categories', 'org_units']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
  await sql`DROP SEQUENCE IF EXISTS petition_tracking_seq`.execute(db);
}
