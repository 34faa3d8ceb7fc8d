import { randomUUID } from 'node:crypto';
import type { Static } from '@sinclair/typebox';
import { petitionsRepo, type Db, type NewCommand } from '@petitions/db';
import { checkDetails, trackingDatePrefix, type CategoryField, type Urgency } from '@petitions/domain';
import { encrypt, maskName, maskPhone, phoneLookupHash, type PersonalDataKeys } from '@petitions/personal-data';
import { startPetition, type StoredSnapshot } from '@petitions/petition-workflow';
import { AppError, errors } from '../errors.js';
import type { CommandReceipt } from './commands.js';
import type { ReferenceCache } from './reference-cache.js';
import type { SubmitPetitionBody } from '../routes/schemas.js';

export type SubmitPetition = Static<typeof SubmitPetitionBody>;

/** Refuse unknown categories and areas that are not a district → street → community chain. */
export async function validateReferences(reference: ReferenceCache, body: SubmitPetition): Promise<void> {
  const category = await reference.category(body.categoryId);
  if (!category) throw errors.unknownCategory('categoryId');
  const problem = checkDetails(category.extra_fields as CategoryField[], body.details ?? {});
  if (problem) throw new AppError(400, problem.code, `details.${problem.key}: ${problem.message}`, { field: `details.${problem.key}` });
  const district = await reference.unit(body.districtId);
  if (district?.kind !== 'district') throw errors.unknownArea('districtId', 'no district with this id');
  if (body.streetId !== undefined) {
    const street = await reference.unit(body.streetId);
    if (street?.kind !== 'street') throw errors.unknownArea('streetId', 'no street with this id');
    if (street.parent_id !== district.id) throw errors.unknownArea('streetId', 'this street is not in the given district');
  }
  if (body.communityId !== undefined) {
    if (body.streetId === undefined) throw errors.unknownArea('communityId', 'give streetId together with communityId');
    const community = await reference.unit(body.communityId);
    if (community?.kind !== 'community') throw errors.unknownArea('communityId', 'no community with this id');
    if (community.parent_id !== body.streetId) throw errors.unknownArea('communityId', 'this community is not in the given street');
  }
}

/** Built once per kind and clock class: every new petition starts from the same intake snapshot. */
const initialSnapshots = new Map<string, StoredSnapshot>();
function initialSnapshot(petitionId: string, kind: SubmitPetition['kind'], slaClass: Urgency): StoredSnapshot {
  const key = `${kind}:${slaClass}`;
  let template = initialSnapshots.get(key);
  if (!template) {
    template = startPetition({ petitionId: '', kind, slaClass });
    initialSnapshots.set(key, template);
  }
  return { ...template, context: { ...template.context, petitionId } };
}

/**
 * Rows a new petition needs, written in one statement with its SUBMIT command: the petition in
 * its intake state with a tracking number, and the requester's contact, encrypted.
 */
export function newPetitionWriter(keys: PersonalDataKeys, body: SubmitPetition, createdBy: string, clock: () => Date = () => new Date()) {
  const petitionId = randomUUID();
  const urgency: Urgency = body.urgency ?? 'normal';
  let trackingNo = '';
  const record = async (db: Db, command: NewCommand) => {
    const now = clock();
    const snapshot = initialSnapshot(petitionId, body.kind, urgency);
    const c = body.contact;
    trackingNo = await petitionsRepo.insertPetitionWithCommand(db, {
      trackingDatePrefix: trackingDatePrefix(now),
      petition: {
        id: petitionId, kind: body.kind, channel: body.channel, urgency,
        category_id: body.categoryId, district_id: body.districtId, street_id: body.streetId ?? null,
        community_id: body.communityId ?? null, location_text: body.locationText ?? null,
        latitude: body.latitude ?? null, longitude: body.longitude ?? null,
        title: body.title, content: body.content, anonymous: c === undefined, details: JSON.stringify(body.details ?? {}),
        state: snapshot.value, outcome: null, lead_unit_id: null,
        machine_version: snapshot.version, snapshot: JSON.stringify(snapshot), version: 0,
        created_by: createdBy, created_at: now, updated_at: now, closed_at: null,
      },
      contact: c ? {
        key_id: keys.keyId,
        name_enc: encrypt(keys, c.name), phone_enc: encrypt(keys, c.phone),
        address_enc: c.address ? encrypt(keys, c.address) : null,
        name_masked: maskName(c.name), phone_masked: maskPhone(c.phone), phone_hash: phoneLookupHash(keys, c.phone),
      } : null,
      command,
    });
  };
  /** The tracking number to answer with: this request's petition, or on a replay the first request's. */
  const trackingNoFor = async (db: Db, receipt: CommandReceipt) =>
    (receipt.replayed ? (await petitionsRepo.findPetitionById(db, receipt.petitionId))?.tracking_no ?? '' : trackingNo);
  return { petitionId, record, trackingNoFor };
}
