import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline/promises';
import { Type } from '@sinclair/typebox';
import { hashPassword, passwordProblem } from '@petitions/auth';
import { CommonEnv, parseEnv } from '@petitions/config';
import { createDb, usersRepo } from '@petitions/db';
import { accountUnitProblem, STAFF_ROLES, type StaffRole } from '../roles.js';

/**
 * `pnpm run users <command>`: create the first admin and manage accounts from a shell.
 *   create --username U --role R [--display-name N] [--unit CODE]   (password from PETITIONS_NEW_PASSWORD or stdin)
 *   set-password --username U                                       (ends the user's sessions)
 *   deactivate --username U                                         (ends the user's sessions)
 *   list
 */
const USAGE = 'usage: pnpm run users create --username U --role admin [--display-name N] [--unit CODE] | set-password --username U | deactivate --username U | list';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { username: { type: 'string' }, role: { type: 'string' }, 'display-name': { type: 'string' }, unit: { type: 'string' } },
});

async function readPassword(): Promise<string> {
  const fromEnv = process.env.PETITIONS_NEW_PASSWORD;
  if (fromEnv) return fromEnv;
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  try {
    return (await rl.question('password: ')).trim();
  } finally {
    rl.close();
  }
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const config = parseEnv(Type.Pick(CommonEnv, ['DATABASE_URL']));
const db = createDb({ connectionString: config.DATABASE_URL, poolSize: 1, applicationName: 'users-cli' });
try {
  const command = positionals[0];
  const username = values.username;
  if (command === 'list') {
    for (const u of await usersRepo.listUsers(db)) console.log(`${u.username}\t${u.role}\t${u.unit_id ?? '-'}\t${u.active ? 'active' : 'inactive'}`);
  } else if (command === 'create') {
    if (!username) fail(`--username is required\n${USAGE}`);
    const role = values.role ?? '';
    if (!(STAFF_ROLES as readonly string[]).includes(role)) fail(`--role must be one of ${STAFF_ROLES.join(', ')}`);
    if (await usersRepo.findUserByUsername(db, username)) fail(`user "${username}" already exists`);
    const unit = values.unit ? await db.selectFrom('org_units').select(['id', 'kind']).where('code', '=', values.unit).executeTakeFirst() : null;
    if (unit === undefined) fail(`no org unit with code "${values.unit}"`);
    const unitProblem = accountUnitProblem(role as StaffRole, unit?.kind ?? null);
    if (unitProblem) fail(`--unit: ${unitProblem}`);
    const unitId = unit?.id ?? null;
    const password = await readPassword();
    const problem = passwordProblem(password);
    if (problem) fail(`password ${problem}`);
    const u = await usersRepo.createUser(db, {
      username, display_name: values['display-name'] ?? username, role: role as StaffRole, unit_id: unitId, password_hash: await hashPassword(password),
    });
    console.log(`created ${u.username} (${u.role}) id ${u.id}`);
  } else if (command === 'set-password' || command === 'deactivate') {
    if (!username) fail(`--username is required\n${USAGE}`);
    const u = await usersRepo.findUserByUsername(db, username);
    if (!u) fail(`no user "${username}"`);
    if (command === 'set-password') {
      const password = await readPassword();
      const problem = passwordProblem(password);
      if (problem) fail(`password ${problem}`);
      await usersRepo.updateUser(db, u.id, { password_hash: await hashPassword(password), active: true });
    } else {
      await usersRepo.updateUser(db, u.id, { active: false });
    }
    const ended = await usersRepo.revokeUserSessions(db, u.id, command);
    console.log(`${command}: ${u.username}; ${ended} session(s) ended`);
  } else {
    fail(USAGE);
  }
} finally {
  await db.destroy();
}
