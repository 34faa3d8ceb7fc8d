import { CommonEnv, parseEnv, SecretsEnv } from '@petitions/config';
import { Type } from '@sinclair/typebox';
import { createDb } from '@petitions/db';
import { keysFromConfig } from '@petitions/personal-data';
import { reencryptContacts } from '../services/reencrypt.js';

/**
 * `pnpm run reencrypt`: after setting a new PETITIONS_ENCRYPTION_KEY / _KEY_ID and listing the old
 * key in PETITIONS_PREVIOUS_ENCRYPTION_KEYS, move every stored contact to the new key.
 */
const config = parseEnv(Type.Composite([Type.Pick(CommonEnv, ['DATABASE_URL']), SecretsEnv]));
const keys = keysFromConfig(config.PETITIONS_ENCRYPTION_KEY, config.PETITIONS_HMAC_KEY, config.PETITIONS_ENCRYPTION_KEY_ID, config.PETITIONS_PREVIOUS_ENCRYPTION_KEYS);
const db = createDb({ connectionString: config.DATABASE_URL, poolSize: 1, applicationName: 'reencrypt' });
try {
  const r = await reencryptContacts(db, keys);
  console.log(`re-encrypted ${r.reencrypted} contact(s) under key ${keys.keyId}; ${r.unreadable} left under keys not configured`);
  if (r.unreadable > 0) process.exitCode = 1;
} finally {
  await db.destroy();
}
