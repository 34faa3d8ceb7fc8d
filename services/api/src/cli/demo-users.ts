import { Type } from '@sinclair/typebox';
import { hashPassword } from '@petitions/auth';
import { CommonEnv, parseEnv } from '@petitions/config';
import { createDb, usersRepo } from '@petitions/db';
import type { StaffRole } from '../roles.js';

/**
 * Demo accounts for `infra/dev.sh up` (demo only): creates the ones that are missing, leaves
 * existing ones untouched. Run with DATABASE_URL set: node --import tsx services/api/src/cli/demo-users.ts
 */
const DEMO_PASSWORD = 'demo-password-2026';

const DEMO_USERS: { username: string; displayName: string; role: StaffRole; unit: string | null }[] = [
  { username: 'admin', displayName: '系统管理员', role: 'admin', unit: null },
  { username: 'clerk', displayName: '王丽', role: 'clerk', unit: null },
  { username: 'dispatcher', displayName: '李强', role: 'dispatcher', unit: null },
  { username: 'supervisor', displayName: '赵敏', role: 'supervisor', unit: null },
  { username: 'follow_up', displayName: '陈静', role: 'follow_up', unit: null },
  { username: 'leader', displayName: '周华', role: 'leader', unit: 'zz' },
  // 金水区城市管理局: lead unit of the demo noise rule (city.noise in 金水区).
  { username: 'handler.js-cgj', displayName: '刘洋', role: 'handler', unit: 'zz-js-cgj' },
  { username: 'head.js-cgj', displayName: '孙伟', role: 'department_head', unit: 'zz-js-cgj' },
];

const config = parseEnv(Type.Pick(CommonEnv, ['DATABASE_URL']));
const db = createDb({ connectionString: config.DATABASE_URL, poolSize: 1, applicationName: 'demo-users' });
try {
  let created = 0;
  let hash: string | null = null;
  for (const u of DEMO_USERS) {
    if (await usersRepo.findUserByUsername(db, u.username)) continue;
    let unitId: string | null = null;
    if (u.unit) {
      const unit = await db.selectFrom('org_units').select('id').where('code', '=', u.unit).executeTakeFirst();
      if (!unit) throw new Error(`no org unit with code "${u.unit}" (seed first)`);
      unitId = unit.id;
    }
    hash ??= await hashPassword(DEMO_PASSWORD);
    await usersRepo.createUser(db, { username: u.username, display_name: u.displayName, role: u.role, unit_id: unitId, password_hash: hash });
    created += 1;
  }
  console.log(`demo accounts: ${created} created, ${DEMO_USERS.length - created} already present`);
} finally {
  await db.destroy();
}
