import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reencryptContacts } from '@petitions/api';
import { decrypt, encrypt, keysFromConfig } from '@petitions/personal-data';
import { noiseComplaint, startTestSystem, type TestSystem } from '../support/system.js';

/** Rotating the personal-data key: values under the old key id stay readable, then move to the new one. */
let sys: TestSystem;
beforeAll(async () => { sys = await startTestSystem({ worker: false, commandWaitMs: 0 }); });
afterAll(async () => { await sys.close(); });

describe('personal-data key rotation', () => {
  it('re-encrypts every contact under the current key, leaving those under an unknown key for an operator', async () => {
    const b64 = () => randomBytes(32).toString('base64');
    const oldKey = b64();
    const hmac = b64();
    const k1 = keysFromConfig(oldKey, hmac, 'k1');
    const stored: { id: string; name: string; phone: string }[] = [];
    for (const [i, name] of ['赵一', '钱二', '孙三'].entries()) {
      const res = await sys.app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs, { title: `轮换测试 ${i}` }) });
      const id = res.json().petitionId as string;
      const phone = `1380000${String(1000 + i)}`;
      // As written before the rotation: under k1.
      await sys.tdb.db.updateTable('petition_contacts').set({ key_id: 'k1', name_enc: encrypt(k1, name), phone_enc: encrypt(k1, phone), address_enc: null }).where('petition_id', '=', id).execute();
      stored.push({ id, name, phone });
    }
    // One row under a key nobody configured.
    await sys.tdb.db.updateTable('petition_contacts').set({ key_id: 'k0' }).where('petition_id', '=', stored[2]!.id).execute();

    const k2 = keysFromConfig(b64(), hmac, 'k2', `k1:${oldKey}`);
    const r = await reencryptContacts(sys.tdb.db, k2, 1);
    expect(r).toEqual({ reencrypted: 2, unreadable: 1 + (await sys.tdb.db.selectFrom('petition_contacts').select('petition_id').where('key_id', '=', 'test').execute()).length });
    for (const s of stored.slice(0, 2)) {
      const row = await sys.tdb.db.selectFrom('petition_contacts').selectAll().where('petition_id', '=', s.id).executeTakeFirstOrThrow();
      expect(row.key_id).toBe('k2');
      // Readable with the new key alone: the old one can now be dropped from the configuration.
      const onlyK2 = keysFromConfig(Buffer.from(k2.encryptionKey).toString('base64'), hmac, 'k2');
      expect(decrypt(onlyK2, row.name_enc!, 'k2')).toBe(s.name);
      expect(decrypt(onlyK2, row.phone_enc!, 'k2')).toBe(s.phone);
    }
    expect((await sys.tdb.db.selectFrom('petition_contacts').select('key_id').where('petition_id', '=', stored[2]!.id).executeTakeFirstOrThrow()).key_id).toBe('k0');
    // Running again changes nothing.
    expect((await reencryptContacts(sys.tdb.db, k2)).reencrypted).toBe(0);
  });
});
