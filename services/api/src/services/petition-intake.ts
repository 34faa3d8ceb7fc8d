import { randomUUID } from 'node:crypto';
import type { Static } from '@sinclair/typebox';
import { petitionsRepo, referenceRepo, type Db, type Tx } from '@petitions/db';
import { formatTrackingNumber, type Urgency } from '@petitions/domain';
import { encrypt, maskName, maskPhone, phoneLookupHash, type PersonalDataKeys } from '@petitions/personal-data';
import { CURRENT_PETITION_MACHINE_VERSION, startPetition } from '@petitions/petition-workflow';
import { errors } from '../errors.js';
import type { SubmitPetitionBody } from '../routes/schemas.js';

export type SubmitPetition = Static<typeof SubmitPetitionBody>;

/** Refuse unknown categories and areas that are not a district → street → community chain. */
export async function validateReferences(db: Db, body: SubmitPetition): Promise<void> {
  const category = await referenceRepo.findCategoryById(db, body.categoryId);
  if (!category || !category.active) throw errors.unknownCategory('categoryId');
  const ids = [body.districtId, body.streetId, body.communityId].filter((x): x is string => x !== undefined);
  const units = new Map((await referenceRepo.findOrgUnitsByIds(db, ids)).map((u) => [u.id, u]));
  const district = units.get(body.districtId);
  if (!district || district.kind !== 'district') throw errors.unknownArea('districtId', 'no district with this id');
  if (body.streetId !== undefined) {
    const street = units.get(body.streetId);
    if (!street || street.kind !== 'street') throw errors.unknownArea('streetId', 'no street with this id');
    if (street.parent_id !== district.id) throw errors.unknownArea('streetId', 'this street is not in the given district');
  }
  if (body.communityId !== undefined) {
    if (body.streetId === undefined) throw errors.unknownArea('communityId', 'give streetId together with communityId');
    const community = units.get(body.communityId);
    if (!community || community.kind !== 'community') throw errors.unknownArea('communityId', 'no community with this id');
    if (community.parent_id !== body.streetId) throw errors.unknownArea('communityId', 'this community is not in the given street');
  }
}

/**
 * Rows a new petition needs, written in the same transaction as its SUBMIT command: the petition
 * in its intake state with a tracking number, and the requester's contact, encrypted.
 */
export function newPetitionWriter(keys: PersonalDataKeys, body: SubmitPetition, createdBy: string) {
  const petitionId = randomUUID();
  const urgency: Urgency = body.urgency ?? 'normal';
  let trackingNo = '';
  const write = async (trx: Tx) => {
    const now = new Date();
    trackingNo = formatTrackingNumber(now, await petitionsRepo.nextTrackingSequence(trx));
    const snapshot = startPetition({ petitionId, kind: body.kind, slaClass: urgency });
    await petitionsRepo.insertPetition(trx, {
      id: petitionId, tracking_no: trackingNo, kind: body.kind, channel: body.channel, urgency,
      category_id: body.categoryId, district_id: body.districtId, street_id: body.streetId ?? null,
      community_id: body.communityId ?? null, location_text: body.locationText ?? null,
      latitude: body.latitude ?? null, longitude: body.longitude ?? null,
      title: body.title, content: body.content, anonymous: body.contact === undefined,
      state: snapshot.value, outcome: null, lead_unit_id: null,
      machine_version: CURRENT_PETITION_MACHINE_VERSION, snapshot: JSON.stringify(snapshot), version: 0,
      created_by: createdBy, created_at: now, updated_at: now, closed_at: null,
    });
    if (body.contact) {
      const c = body.contact;
      await trx.insertInto('petition_contacts').values({
        petition_id: petitionId, key_id: keys.keyId,
        name_enc: encrypt(keys, c.name), phone_enc: encrypt(keys, c.phone),
        address_enc: c.address ? encrypt(keys, c.address) : null,
        name_masked: maskName(c.name), phone_masked: maskPhone(c.phone), phone_hash: phoneLookupHash(keys, c.phone),
      }).execute();
    }
  };
  return { petitionId, write, trackingNo: () => trackingNo };
}
