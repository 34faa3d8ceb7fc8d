import { inScope, type PetitionScope } from './scope.repository.js';
import { sql } from 'kysely';
import type { DbOrTx, Tx } from '../connection.js';
import { recordset, type WritePart } from '../write-together.js';
import type { Insertable } from 'kysely';
import type { NewCommand, NewPetition, Petition, PetitionContactsTable } from '../schema.js';

export async function findPetitionById(db: DbOrTx, id: string): Promise<Petition | undefined> {
  return db.selectFrom('petitions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** What applying a command needs of a petition (not its text: the worker never reads it). */
export const LOCKED_COLUMNS = ['id', 'tracking_no', 'urgency', 'category_id', 'district_id', 'street_id', 'community_id', 'channel', 'created_at', 'snapshot', 'version'] as const;
export type LockedPetition = Pick<Petition, (typeof LOCKED_COLUMNS)[number]>;

/**
 * Lock petitions for a batch of commands. Ordered by id so concurrent batches cannot deadlock.
 * NO KEY UPDATE: the id never changes, so rows that merely reference the petition (a new command
 * from the API, a fired timer's command) take their foreign-key share lock without waiting for the batch.
 */
export async function lockPetitions(trx: Tx, ids: readonly string[]): Promise<LockedPetition[]> {
  if (ids.length === 0) return [];
  // `= any(array)`, not an IN list: one statement text whatever the batch size, so a pool that
  // prepares repeated statements (createDb's `keyedBatches`) plans it once. So below too.
  return trx.selectFrom('petitions').select(LOCKED_COLUMNS).where('id', '=', (eb) => eb.fn.any(eb.val([...ids]))).orderBy('id').forNoKeyUpdate().execute();
}

export interface PetitionStateWrite {
  id: string;
  state: string;
  outcome: string | null;
  leadUnitId: string | null;
  snapshot: unknown;
  version: number;
  expectedVersion: number;
  closed: boolean;
  mergedInto: string | null;
  flagged: boolean;
  returnCount: number;
  redoCount: number;
}

/** The new state of many petitions, as a write of a batch; the version check guards lost updates (compare the count). */
export function petitionStatesWrite(writes: readonly PetitionStateWrite[], now: Date): WritePart | null {
  if (writes.length === 0) return null;
  return ['w_petitions', sql`
    UPDATE petitions p SET
      state = w.state, outcome = w.outcome, lead_unit_id = w.lead_unit_id, snapshot = w.snapshot,
      version = w.version, updated_at = ${now}, merged_into = w.merged_into, flagged = w.flagged,
      return_count = w.return_count, redo_count = w.redo_count,
      closed_at = CASE WHEN w.closed THEN COALESCE(p.closed_at, ${now}) ELSE NULL END
    FROM (${recordset(writes.map((w) => ({
      id: w.id, state: w.state, outcome: w.outcome, lead_unit_id: w.leadUnitId, snapshot: w.snapshot,
      version: w.version, expected_version: w.expectedVersion, closed: w.closed,
      merged_into: w.mergedInto, flagged: w.flagged, return_count: w.returnCount, redo_count: w.redoCount,
    })), `id uuid, state text, outcome text, lead_unit_id uuid, snapshot jsonb, version int, expected_version int,
      closed boolean, merged_into uuid, flagged boolean, return_count int, redo_count int`)}) w
    WHERE p.id = w.id AND p.version = w.expected_version
    RETURNING p.id`];
}

export interface PetitionFilter {
  state?: string | undefined;
  districtId?: string | undefined;
  leadUnitId?: string | undefined;
}

/** Newest first (or oldest first: a queue is worked from its longest-waiting end), with the total for paging. */
export async function listPetitions(
  db: DbOrTx, filter: PetitionFilter, limit: number, offset: number, scope: PetitionScope = { all: true }, order: 'newest' | 'oldest' = 'newest',
) {
  let q = db.selectFrom('petitions')
    .innerJoin('categories', 'categories.id', 'petitions.category_id')
    .innerJoin('org_units as district', 'district.id', 'petitions.district_id')
    .leftJoin('org_units as street', 'street.id', 'petitions.street_id')
    .where(inScope(scope));
  if (filter.state) q = q.where('petitions.state', '=', filter.state);
  if (filter.districtId) q = q.where('petitions.district_id', '=', filter.districtId);
  if (filter.leadUnitId) q = q.where('petitions.lead_unit_id', '=', filter.leadUnitId);
  const [rows, total] = await Promise.all([
    q.select(['petitions.id', 'petitions.tracking_no', 'petitions.title', 'petitions.state', 'petitions.urgency', 'petitions.kind',
      'petitions.channel', 'petitions.created_at', 'petitions.category_id', 'petitions.district_id', 'petitions.street_id', 'petitions.anonymous',
      'categories.name as category_name', 'district.name as district_name', 'street.name as street_name'])
      .orderBy('petitions.created_at', order === 'newest' ? 'desc' : 'asc').orderBy('petitions.id').limit(limit).offset(offset).execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** Petitions merged into any of these originals and still waiting on them. */
export async function listMergedFollowers(trx: Tx, originalIds: readonly string[]): Promise<{ id: string; merged_into: string }[]> {
  if (originalIds.length === 0) return [];
  const rows = await trx.selectFrom('petitions').select(['id', 'merged_into'])
    .where('merged_into', '=', (eb) => eb.fn.any(eb.val([...originalIds]))).where('state', '=', 'merged').execute();
  return rows.flatMap((r) => (r.merged_into ? [{ id: r.id, merged_into: r.merged_into }] : []));
}

/** Recent petitions in the same category and place: the pool duplicate detection scores. */
export async function listDuplicatePool(db: DbOrTx, q: { categoryId: string; districtId: string; streetId: string | null; since: Date; limit: number }) {
  let query = db.selectFrom('petitions')
    // The opening of the text is enough to recognise a repeat and keeps the comparison cheap.
    .select(['id', 'tracking_no', 'title', sql<string>`left(content, 300)`.as('content'), 'state', 'created_at'])
    .where('category_id', '=', q.categoryId).where('district_id', '=', q.districtId)
    .where('created_at', '>=', q.since).where('state', '<>', 'merged');
  query = q.streetId ? query.where('street_id', '=', q.streetId) : query.where('street_id', 'is', null);
  return query.orderBy('created_at', 'desc').limit(q.limit).execute();
}

export interface NewPetitionRecord {
  petition: Omit<NewPetition, 'tracking_no'>;
  /** YYYYMMDD (Beijing) of registration; the tracking number is this plus the sequence. */
  trackingDatePrefix: string;
  contact: Omit<Insertable<PetitionContactsTable>, 'petition_id'> | null;
  command: NewCommand;
}

/**
 * Record a new petition, its contact and its first command in ONE statement (one round trip,
 * atomic without an explicit transaction): intake is the hottest write. Returns the tracking number.
 */
export async function insertPetitionWithCommand(db: DbOrTx, r: NewPetitionRecord): Promise<string> {
  const trackingNo = sql<string>`${r.trackingDatePrefix} || lpad(nextval('petition_tracking_seq')::text, 8, '0')`;
  let query = db.with('p', (q) => q.insertInto('petitions').values({ ...r.petition, tracking_no: trackingNo }).returning(['id', 'tracking_no']))
    .with('cmd', (q) => q.insertInto('commands').values(r.command).returning('id'));
  if (r.contact) {
    const contact = r.contact;
    query = query.with('contact', (q) => q.insertInto('petition_contacts').values({ ...contact, petition_id: r.petition.id }).returning('petition_id')) as unknown as typeof query;
  }
  const row = await query.selectFrom('p').select('tracking_no').executeTakeFirstOrThrow();
  return row.tracking_no;
}
