import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/processes.js';
import { noiseComplaint, startTestSystem, type TestSystem } from '../support/system.js';

/** Sign-in with the development identity switched off: what a real deployment runs. */
let sys: TestSystem;
beforeAll(async () => { sys = await startTestSystem({ auth: { devIdentity: false } }); });
afterAll(async () => { await sys.close(); });

const ADMIN_PASSWORD = 'correct horse battery staple';
const run = promisify(execFile);

async function login(username: string, password: string) {
  return sys.app.inject({ method: 'POST', url: '/auth/login', payload: { username, password } });
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('accounts and sign-in', () => {
  let adminToken: string;

  it('creates the first admin from the command line, with an Argon2id hash at OWASP parameters', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'services/api/src/cli/users.ts', 'create', '--username', 'root', '--role', 'admin', '--display-name', '系统管理员'], {
      cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: sys.tdb.url, PETITIONS_NEW_PASSWORD: ADMIN_PASSWORD },
    });
    expect(stdout).toContain('created root (admin)');
    const row = await sys.tdb.db.selectFrom('users').select(['password_hash', 'role']).where('username', '=', 'root').executeTakeFirstOrThrow();
    expect(row.role).toBe('admin');
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row.password_hash).not.toContain(ADMIN_PASSWORD);
    // A weak password is refused and nothing is created.
    await expect(run(process.execPath, ['--import', 'tsx', 'services/api/src/cli/users.ts', 'create', '--username', 'weak', '--role', 'admin'], {
      cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: sys.tdb.url, PETITIONS_NEW_PASSWORD: 'short' },
    })).rejects.toMatchObject({ code: 2 });
    expect(await sys.tdb.db.selectFrom('users').select('id').where('username', '=', 'weak').executeTakeFirst()).toBeUndefined();
    // A leader without a unit would read every city's figures; one on a street has no figures at all.
    for (const args of [[], ['--unit', 'zz-js-duling']]) {
      await expect(run(process.execPath, ['--import', 'tsx', 'services/api/src/cli/users.ts', 'create', '--username', 'boss', '--role', 'leader', ...args], {
        cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: sys.tdb.url, PETITIONS_NEW_PASSWORD: ADMIN_PASSWORD },
      })).rejects.toMatchObject({ code: 2 });
    }
    expect(await sys.tdb.db.selectFrom('users').select('id').where('username', '=', 'boss').executeTakeFirst()).toBeUndefined();
  });

  it('answers 401 without a token, ignores X-Actor headers, and keeps health and the UI public', async () => {
    const res = await sys.app.inject({ method: 'GET', url: '/petitions', headers: { 'x-actor-role': 'admin' } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'NOT_SIGNED_IN' });
    expect((await sys.app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs) })).statusCode).toBe(401);
    expect(await sys.tdb.db.selectFrom('petitions').select('id').execute()).toHaveLength(0);
    expect((await sys.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    expect((await sys.app.inject({ method: 'GET', url: '/' })).statusCode).toBe(200);
  });

  it('tells the UI whether the development identity is on (GET /auth/config, public)', async () => {
    const off = await sys.app.inject({ method: 'GET', url: '/auth/config' });
    expect(off.statusCode).toBe(200);
    expect(off.json()).toEqual({ devIdentity: false });
    const dev = await startTestSystem({ worker: false, auth: { devIdentity: true } });
    try {
      const on = await dev.app.inject({ method: 'GET', url: '/auth/config' });
      expect(on.statusCode).toBe(200);
      expect(on.json()).toEqual({ devIdentity: true });
    } finally {
      await dev.close();
    }
  });

  it('refuses a wrong password and an unknown user alike, and signs the admin in', async () => {
    const wrong = await login('root', 'not the password at all');
    const unknown = await login('nobody', 'not the password at all');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().code).toBe('INVALID_CREDENTIALS');
    expect(unknown.json().message).toBe(wrong.json().message);
    const ok = await login('ROOT', ADMIN_PASSWORD);
    expect(ok.statusCode).toBe(200);
    adminToken = ok.json().accessToken;
    expect(ok.json().user).toMatchObject({ username: 'root', role: 'admin' });
    const me = await sys.app.inject({ method: 'GET', url: '/auth/me', headers: bearer(adminToken) });
    expect(me.json()).toMatchObject({ username: 'root', role: 'admin' });
  });

  it('acts with the role and unit of the signed-in account', async () => {
    const clerk = await sys.app.inject({
      method: 'POST', url: '/admin/users', headers: bearer(adminToken),
      payload: { username: 'clerk1', displayName: '受理员一', role: 'clerk', unitId: null, password: 'a long clerk password' },
    });
    expect(clerk.statusCode).toBe(201);
    const clerkToken = (await login('clerk1', 'a long clerk password')).json().accessToken as string;
    // The clerk's X-Actor-Role header claiming admin changes nothing: the account decides.
    const submitted = await sys.app.inject({ method: 'POST', url: '/petitions', headers: { ...bearer(clerkToken), 'x-actor-role': 'admin' }, payload: noiseComplaint(sys.refs) });
    expect(submitted.statusCode).toBe(201);
    const cmd = await sys.tdb.db.selectFrom('commands').select(['actor_id', 'actor_role']).where('id', '=', submitted.json().commandId).executeTakeFirstOrThrow();
    expect(cmd).toEqual({ actor_id: clerk.json().id, actor_role: 'clerk' });
    const forbidden = await sys.app.inject({ method: 'POST', url: '/admin/users', headers: bearer(clerkToken), payload: { username: 'x1', displayName: 'x', role: 'admin', unitId: null, password: 'another long password' } });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().code).toBe('ROLE_NOT_ALLOWED');
    // Deactivating the clerk ends the clerk's sessions at once.
    const user = clerk.json().id as string;
    expect((await sys.app.inject({ method: 'PATCH', url: `/admin/users/${user}`, headers: bearer(adminToken), payload: { active: false } })).statusCode).toBe(200);
    expect((await sys.app.inject({ method: 'GET', url: '/petitions', headers: bearer(clerkToken) })).json().code).toBe('INVALID_TOKEN');
    expect((await login('clerk1', 'a long clerk password')).statusCode).toBe(401);
  });

  it('refuses weak passwords, taken usernames, unknown units and units that do not suit the role, writing nothing', async () => {
    const base = { username: 'h1', displayName: '办理员', role: 'handler', unitId: sys.refs.unit('zz-js-cgj'), password: 'a long handler password' };
    const weak = await sys.app.inject({ method: 'POST', url: '/admin/users', headers: bearer(adminToken), payload: { ...base, password: 'aaaaaaaaaaaaaaaa' } });
    expect(weak.json()).toMatchObject({ statusCode: 400, code: 'WEAK_PASSWORD', field: 'password' });
    const taken = await sys.app.inject({ method: 'POST', url: '/admin/users', headers: bearer(adminToken), payload: { ...base, username: 'Root' } });
    expect(taken.json()).toMatchObject({ statusCode: 409, code: 'USERNAME_TAKEN' });
    const unit = await sys.app.inject({ method: 'POST', url: '/admin/users', headers: bearer(adminToken), payload: { ...base, unitId: '00000000-0000-4000-8000-000000000000' } });
    expect(unit.json()).toMatchObject({ statusCode: 400, code: 'UNKNOWN_UNIT', field: 'unitId' });
    // A handler acts for a unit; a leader reads one city's or district's figures, not a street's.
    const noUnit = await sys.app.inject({ method: 'POST', url: '/admin/users', headers: bearer(adminToken), payload: { ...base, unitId: null } });
    expect(noUnit.json()).toMatchObject({ statusCode: 400, code: 'UNIT_NOT_SUITABLE', field: 'unitId' });
    const streetLeader = await sys.app.inject({ method: 'POST', url: '/admin/users', headers: bearer(adminToken), payload: { ...base, role: 'leader', unitId: sys.refs.unit('zz-js-duling') } });
    expect(streetLeader.json()).toMatchObject({ statusCode: 400, code: 'UNIT_NOT_SUITABLE', field: 'unitId' });
    expect(await sys.tdb.db.selectFrom('users').select('id').where('username', '=', 'h1').executeTakeFirst()).toBeUndefined();
    // Changing a clerk into a leader needs a unit that suits: the account stays as it was.
    const clerk = await sys.app.inject({ method: 'POST', url: '/admin/users', headers: bearer(adminToken), payload: { ...base, username: 'c9', role: 'clerk', unitId: null } });
    expect(clerk.statusCode).toBe(201);
    const promote = await sys.app.inject({ method: 'PATCH', url: `/admin/users/${clerk.json().id}`, headers: bearer(adminToken), payload: { role: 'leader' } });
    expect(promote.json()).toMatchObject({ statusCode: 400, code: 'UNIT_NOT_SUITABLE', field: 'unitId' });
    const leader = await sys.app.inject({ method: 'PATCH', url: `/admin/users/${clerk.json().id}`, headers: bearer(adminToken), payload: { role: 'leader', unitId: sys.refs.unit('zz-js') } });
    expect(leader.json()).toMatchObject({ role: 'leader', unitId: sys.refs.unit('zz-js') });
  });

  it('locks an account after five wrong passwords, even against the right one', async () => {
    await sys.app.inject({ method: 'POST', url: '/admin/users', headers: bearer(adminToken), payload: { username: 'lockme', displayName: 'x', role: 'clerk', unitId: null, password: 'the right password!' } });
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) codes.push((await login('lockme', `wrong password ${i}`)).json().code);
    expect(codes).toEqual(['INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'ACCOUNT_LOCKED']);
    const right = await login('lockme', 'the right password!');
    expect(right.statusCode).toBe(429);
    expect(right.json().code).toBe('ACCOUNT_LOCKED');
    expect(right.json()).not.toHaveProperty('accessToken');
  });

  it('refuses forged and expired tokens, rotates refresh tokens, revokes on reuse and on sign-out', async () => {
    expect((await sys.app.inject({ method: 'GET', url: '/auth/me', headers: bearer('x'.repeat(43)) })).json().code).toBe('INVALID_TOKEN');
    expect((await sys.app.inject({ method: 'GET', url: '/auth/me', headers: { authorization: 'Basic cm9vdDpyb290' } })).json().code).toBe('INVALID_TOKEN');
    const first = (await login('root', ADMIN_PASSWORD)).json();
    // The access token runs out.
    await sys.tdb.db.updateTable('sessions').set({ access_expires_at: new Date(Date.now() - 1000) }).where('refresh_hash', 'is not', null).where('revoked_at', 'is', null).execute();
    const expired = await sys.app.inject({ method: 'GET', url: '/auth/me', headers: bearer(first.accessToken) });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().code).toBe('TOKEN_EXPIRED');
    const second = await sys.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: first.refreshToken } });
    expect(second.statusCode).toBe(200);
    expect((await sys.app.inject({ method: 'GET', url: '/auth/me', headers: bearer(second.json().accessToken) })).statusCode).toBe(200);
    // The first refresh token comes back (it was copied): the session ends for everyone holding it.
    const reused = await sys.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: first.refreshToken } });
    expect(reused.json().code).toBe('REFRESH_TOKEN_REUSED');
    expect((await sys.app.inject({ method: 'GET', url: '/auth/me', headers: bearer(second.json().accessToken) })).json().code).toBe('INVALID_TOKEN');
    // Sign-out ends a session.
    const third = (await login('root', ADMIN_PASSWORD)).json();
    expect((await sys.app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(third.accessToken) })).statusCode).toBe(204);
    expect((await sys.app.inject({ method: 'GET', url: '/auth/me', headers: bearer(third.accessToken) })).json().code).toBe('INVALID_TOKEN');
    // Tokens are stored only as hashes.
    const stored = await sys.tdb.db.selectFrom('sessions').select(['access_hash', 'refresh_hash']).execute();
    expect(JSON.stringify(stored)).not.toContain(third.accessToken);
  });
});
