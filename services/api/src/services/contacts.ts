import type { Db, PetitionContactsTable } from '@petitions/db';
import { canDecrypt, decrypt, type PersonalDataKeys } from '@petitions/personal-data';

export interface ClearContact {
  name: string | null;
  phone: string | null;
  address: string | null;
}

type SealedContact = Pick<PetitionContactsTable, 'key_id' | 'name_enc' | 'phone_enc' | 'address_enc'>;

/** A stored contact in clear, every field decrypted with the key it was written under (the caller checked canDecrypt). */
export function openContact(keys: PersonalDataKeys, c: SealedContact): ClearContact {
  const open = (v: Buffer | null) => (v ? decrypt(keys, v, c.key_id) : null);
  return { name: open(c.name_enc), phone: open(c.phone_enc), address: open(c.address_enc) };
}

/**
 * The petition's contact in clear; null when it has none (anonymous). A contact under a key this
 * server does not hold is refused with `keyMissing(keyId)`, worded by each caller.
 */
export async function readContact(db: Db, keys: PersonalDataKeys, petitionId: string, keyMissing: (keyId: string) => Error): Promise<ClearContact | null> {
  const c = await db.selectFrom('petition_contacts').select(['key_id', 'name_enc', 'phone_enc', 'address_enc'])
    .where('petition_id', '=', petitionId).executeTakeFirst();
  if (!c) return null;
  if (!canDecrypt(keys, c.key_id)) throw keyMissing(c.key_id);
  return openContact(keys, c);
}
