import { sql } from 'kysely';
import type { Db } from '@petitions/db';
import { canDecrypt, encrypt, type PersonalDataKeys } from '@petitions/personal-data';
import { openContact } from './contacts.js';

export interface ReencryptResult {
  reencrypted: number;
  /** Rows under a key id these keys cannot read: left as they are, for an operator to look at. */
  unreadable: number;
}

/**
 * Key rotation, second half: move every contact still encrypted under a previous key to the
 * current one, a batch per transaction (SKIP LOCKED, so it can run beside the API and resume
 * after a crash). When it reports 0 left, the previous key can be removed from the configuration.
 */
export async function reencryptContacts(db: Db, keys: PersonalDataKeys, batchSize = 500): Promise<ReencryptResult> {
  let reencrypted = 0;
  const skip = new Set<string>();
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      const rows = await trx.selectFrom('petition_contacts').selectAll()
        .where('key_id', '<>', keys.keyId)
        .where((eb) => (skip.size > 0 ? eb('key_id', 'not in', [...skip]) : eb.lit(true)))
        .limit(batchSize).forUpdate().skipLocked().execute();
      for (const r of rows) {
        if (!canDecrypt(keys, r.key_id)) {
          skip.add(r.key_id);
          continue;
        }
        const clear = openContact(keys, r);
        const seal = (v: string | null) => (v === null ? null : encrypt(keys, v));
        await trx.updateTable('petition_contacts').set({
          key_id: keys.keyId, name_enc: seal(clear.name), phone_enc: seal(clear.phone), address_enc: seal(clear.address),
        }).where('petition_id', '=', r.petition_id).execute();
        reencrypted++;
      }
      return rows.length;
    });
    if (done === 0) break;
  }
  const { rows } = await sql<{ n: string }>`SELECT count(*)::text AS n FROM petition_contacts WHERE key_id <> ${keys.keyId}`.execute(db);
  return { reencrypted, unreadable: Number(rows[0]?.n ?? 0) };
}
