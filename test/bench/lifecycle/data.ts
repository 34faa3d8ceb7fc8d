import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Redis } from 'ioredis';
import { referenceRepo, type CommandStatus, type Db, type NewCommand, type NewPetition } from '@petitions/db';
import { formatTrackingNumber, type Actor, type Route } from '@petitions/domain';
import { encrypt, maskName, maskPhone, phoneLookupHash, type PersonalDataKeys } from '@petitions/personal-data';
import { CURRENT_PETITION_MACHINE_VERSION, startPetition } from '@petitions/petition-workflow';

/** Rows per multi-row INSERT: well under Postgres' 65,535 bind parameters for every table here. */
const INSERT_CHUNK = 1000;

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Redis (the bench database: ../shared/database.ts)

/** Delete every key under the bench's queue prefix (and nothing else). */
export async function flushQueuePrefix(redis: Redis, prefix: string): Promise<number> {
  const pattern = `${prefix.replace(/[\\*?[\]]/g, (c) => `\\${c}`)}:*`;
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

// ---------------------------------------------------------------------------------------------
// Reference data: one routed category × area

export interface Refs {
  categoryId: string;
  districtId: string;
  streetId: string;
  /** The route the worker will resolve for these petitions. */
  route: Route;
  leadUnitCode: string;
}

export async function loadRefs(db: Db): Promise<Refs> {
  const units = await db.selectFrom('org_units').select(['id', 'code']).where('code', 'in', ['zz-js', 'zz-js-duling']).execute();
  const category = await db.selectFrom('categories').select('id').where('code', '=', 'city.noise').executeTakeFirstOrThrow();
  const unit = (code: string) => {
    const u = units.find((x) => x.code === code);
    if (!u) throw new Error(`seed data has no org unit ${code}`);
    return u.id;
  };
  const districtId = unit('zz-js');
  const streetId = unit('zz-js-duling');
  const route = (await referenceRepo.resolveRoutes(db, [{ key: 'bench', categoryId: category.id, areaIds: [streetId, districtId] }])).get('bench');
  if (!route) throw new Error('city.noise in zz-js-duling is not routed by the seed data; the bench needs a routed petition');
  const lead = await db.selectFrom('org_units').select('code').where('id', '=', route.leadUnitId).executeTakeFirstOrThrow();
  return { categoryId: category.id, districtId, streetId, route, leadUnitCode: lead.code };
}

// ---------------------------------------------------------------------------------------------
// What the API records

export const ACTORS = {
  clerk: { id: 'bench-clerk', role: 'clerk', unitId: null },
  followUp: { id: 'bench-follow-up', role: 'follow_up', unitId: null },
} as const satisfies Record<string, Actor>;

export function handlerOf(refs: Refs): Actor {
  return { id: 'bench-handler', role: 'handler', unitId: refs.route.leadUnitId };
}

/** The POST /petitions body (as test/support/system.ts noiseComplaint), one phone per petition. */
export function petitionBody(refs: Refs, phoneNo: number) {
  return {
    kind: 'request' as const, channel: 'hotline' as const, urgency: 'normal' as const,
    categoryId: refs.categoryId, districtId: refs.districtId, streetId: refs.streetId,
    title: '夜市噪音扰民', content: '每晚十点以后夜市音响声音很大，影响休息，希望尽快处理。',
    locationText: '杜岭街与金水路交叉口',
    // 噪音扰民's required extra fields (demo data).
    details: { occurs_at_night: true, source: '夜市' },
    contact: { name: '王小明', phone: `138${String(phoneNo % 100_000_000).padStart(8, '0')}`, address: '金水区杜岭街道某小区3号楼' },
  };
}
export type PetitionBody = ReturnType<typeof petitionBody>;

const requestHash = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex');

/** A command row as services/api/src/services/commands.ts writes it (no Idempotency-Key). */
export function commandRow(
  petitionId: string, type: string, payload: Record<string, unknown>, actor: Actor, fingerprint: unknown,
  status: CommandStatus = 'pending',
): NewCommand {
  return {
    id: randomUUID(), petition_id: petitionId, type, payload: JSON.stringify(payload),
    actor_id: actor.id, actor_role: actor.role, actor_unit_id: actor.unitId,
    idempotency_key: null, request_hash: requestHash({ type, actor: actor.id, fingerprint }),
    status, ...(status === 'pending' ? {} : { applied_at: new Date() }),
  };
}

export interface RecordedPetition {
  id: string;
  body: PetitionBody;
}

/**
 * Petition rows (intake state, version 0, a real start snapshot and tracking number) plus their
 * encrypted contacts, as services/api/src/services/petition-intake.ts writes them, but many rows
 * per INSERT.
 */
export async function insertPetitions(db: Db, keys: PersonalDataKeys, refs: Refs, count: number, phoneBase: number, createdBy: string): Promise<RecordedPetition[]> {
  const { rows: seqs } = await sql<{ n: string }>`SELECT nextval('petition_tracking_seq')::text AS n FROM generate_series(1, ${count})`.execute(db);
  const now = new Date();
  const petitions: RecordedPetition[] = [];
  const petitionRows: NewPetition[] = [];
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    const body = petitionBody(refs, phoneBase + i);
    const snapshot = startPetition({ petitionId: id, kind: body.kind, slaClass: body.urgency });
    petitions.push({ id, body });
    petitionRows.push({
      id, tracking_no: formatTrackingNumber(now, BigInt(seqs[i]!.n)), kind: body.kind, channel: body.channel, urgency: body.urgency,
      category_id: body.categoryId, district_id: body.districtId, street_id: body.streetId, community_id: null,
      location_text: body.locationText, latitude: null, longitude: null, title: body.title, content: body.content,
      anonymous: false, state: snapshot.value, outcome: null, lead_unit_id: null,
      machine_version: CURRENT_PETITION_MACHINE_VERSION, snapshot: JSON.stringify(snapshot), version: 0,
      created_by: createdBy, created_at: now, updated_at: now, closed_at: null,
    });
  }
  for (const chunk of chunks(petitionRows, INSERT_CHUNK)) await db.insertInto('petitions').values(chunk).execute();
  const contacts = petitions.map(({ id, body: { contact: c } }) => ({
    petition_id: id, key_id: keys.keyId,
    name_enc: encrypt(keys, c.name), phone_enc: encrypt(keys, c.phone), address_enc: encrypt(keys, c.address),
    name_masked: maskName(c.name), phone_masked: maskPhone(c.phone), phone_hash: phoneLookupHash(keys, c.phone),
  }));
  for (const chunk of chunks(contacts, INSERT_CHUNK)) await db.insertInto('petition_contacts').values(chunk).execute();
  return petitions;
}

export async function insertCommands(db: Db, rows: readonly NewCommand[]): Promise<void> {
  for (const chunk of chunks(rows, INSERT_CHUNK)) await db.insertInto('commands').values(chunk).execute();
}
