import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { hashPassword, passwordProblem } from '@petitions/auth';
import { usersRepo, type User } from '@petitions/db';
import type { AppContext } from '../context.js';
import { AppError, errors } from '../errors.js';
import { accountUnitProblem, ADMIN_ONLY, requireRole, STAFF_ROLES, type StaffRole } from '../roles.js';
import { login, logout, refresh, type IssuedTokens } from '../services/accounts.js';
import { EmptyBody, errorResponses, Uuid } from './schemas.js';

const UserView = Type.Object({
  id: Type.String(), username: Type.String(), displayName: Type.String(),
  role: Type.String(), unitId: Type.Union([Type.String(), Type.Null()]), active: Type.Boolean(),
});
const Tokens = Type.Object({
  accessToken: Type.String({ description: 'Send as `Authorization: Bearer <token>`' }),
  accessExpiresAt: Type.String(),
  refreshToken: Type.String({ description: 'Exchange at /auth/refresh before it expires; each use returns a new one' }),
  refreshExpiresAt: Type.String(),
  user: UserView,
});

const userView = (u: User) => ({ id: u.id, username: u.username, displayName: u.display_name, role: u.role, unitId: u.unit_id, active: u.active });
const tokensView = (t: IssuedTokens) => ({
  accessToken: t.accessToken, accessExpiresAt: t.accessExpiresAt.toISOString(),
  refreshToken: t.refreshToken, refreshExpiresAt: t.refreshExpiresAt.toISOString(), user: userView(t.user),
});

/** Sign-in, token refresh and sign-out; the admin's user management. */
export const authRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  const ttls = { accessMs: ctx.auth.accessTtlMs, refreshMs: ctx.auth.refreshTtlMs };

  app.get('/auth/config', {
    config: { public: true },
    schema: {
      tags: ['accounts'], operationId: 'authConfig', summary: '登录配置 How this server lets people act',
      description: 'devIdentity: true when the server trusts X-Actor-Id / X-Actor-Role / X-Actor-Unit from requests without a token (API_DEV_IDENTITY, demo only); the UI then offers its 演示身份 selector beside sign-in.',
      response: { 200: Type.Object({ devIdentity: Type.Boolean() }, { additionalProperties: false }) },
    },
  }, async () => ({ devIdentity: ctx.auth.devIdentity }));

  app.post('/auth/login', {
    config: { public: true },
    schema: {
      tags: ['accounts'], operationId: 'login', summary: '登录 Sign in with username and password',
      description: 'Wrong credentials answer 401 INVALID_CREDENTIALS whether the user exists or not. After 5 wrong passwords in a row the account is locked for 1 minute, then 2, 4, ... (429 ACCOUNT_LOCKED).',
      body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false }),
      response: { 200: Tokens, ...errorResponses(400, 401, 429) },
    },
  }, async (request) => tokensView(await login(ctx.db, request.body.username, request.body.password, ttls)));

  app.post('/auth/refresh', {
    config: { public: true },
    schema: {
      tags: ['accounts'], operationId: 'refreshTokens', summary: '续期 Exchange a refresh token for new tokens',
      description: 'Each refresh token works once. Presenting an already used one revokes the session (401 REFRESH_TOKEN_REUSED).',
      body: Type.Object({ refreshToken: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
      response: { 200: Tokens, ...errorResponses(400, 401) },
    },
  }, async (request) => tokensView(await refresh(ctx.db, request.body.refreshToken, ttls)));

  app.post('/auth/logout', {
    schema: {
      tags: ['accounts'], operationId: 'logout', summary: '退出 Sign out: revoke this session', body: EmptyBody,
      response: { 204: Type.Null(), ...errorResponses(401) },
    },
    preValidation: async (request) => { request.body ??= {}; },
  }, async (request, reply) => {
    if (!request.sessionId) throw new AppError(401, 'NOT_SIGNED_IN', 'Sign out needs the access token of the session (Authorization: Bearer)');
    await logout(ctx.db, request.sessionId);
    return reply.code(204).send(null);
  });

  app.get('/auth/me', {
    schema: { tags: ['accounts'], operationId: 'me', summary: '当前用户 Who is signed in', response: { 200: UserView, ...errorResponses(401) } },
  }, async (request) => {
    if (!request.sessionId) throw new AppError(401, 'NOT_SIGNED_IN', 'No session: sign in at /auth/login');
    const u = await usersRepo.findUserById(ctx.db, request.actor.id);
    if (!u) throw new AppError(401, 'INVALID_TOKEN', 'The token is not valid; sign in again');
    return userView(u);
  });

  const UserBody = Type.Object({
    username: Type.String({ minLength: 2, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' }),
    displayName: Type.String({ minLength: 1, maxLength: 64 }),
    role: Type.Union(STAFF_ROLES.map((r) => Type.Literal(r))),
    unitId: Type.Union([Uuid(), Type.Null()]),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  }, { additionalProperties: false });

  /** The account's role and unit as they will be: an unknown unit, or one that does not suit the role, is refused. */
  const checkUnit = async (role: StaffRole, unitId: string | null) => {
    const unit = unitId ? await ctx.reference.unit(unitId) : null;
    if (unit === undefined) throw errors.unknownUnit('unitId');
    const problem = accountUnitProblem(role, unit?.kind ?? null);
    if (problem) throw new AppError(400, 'UNIT_NOT_SUITABLE', `unitId: ${problem}`, { field: 'unitId' });
  };
  const checkPassword = (password: string) => {
    const problem = passwordProblem(password);
    if (problem) throw new AppError(400, 'WEAK_PASSWORD', `password ${problem}`, { field: 'password' });
  };

  app.get('/admin/users', {
    schema: { tags: ['accounts'], operationId: 'listUsers', summary: '用户列表 List users (admin)', response: { 200: Type.Array(UserView), ...errorResponses(403) } },
  }, async (request) => {
    requireRole(request.actor.role, ADMIN_ONLY, 'Listing users');
    return (await usersRepo.listUsers(ctx.db)).map(userView);
  });

  app.post('/admin/users', {
    schema: { tags: ['accounts'], operationId: 'createUser', summary: '新建用户 Create a user (admin)', body: UserBody, response: { 201: UserView, ...errorResponses(400, 403, 409) } },
  }, async (request, reply) => {
    requireRole(request.actor.role, ADMIN_ONLY, 'Creating users');
    const b = request.body;
    checkPassword(b.password);
    await checkUnit(b.role, b.unitId);
    if (await usersRepo.findUserByUsername(ctx.db, b.username)) throw new AppError(409, 'USERNAME_TAKEN', `username: "${b.username}" is already taken`, { field: 'username' });
    const u = await usersRepo.createUser(ctx.db, { username: b.username, display_name: b.displayName, role: b.role, unit_id: b.unitId, password_hash: await hashPassword(b.password) });
    return reply.code(201).send(userView(u));
  });

  app.patch('/admin/users/:id', {
    schema: {
      tags: ['accounts'], operationId: 'updateUser', summary: '修改用户 Change role, unit, password or deactivate (admin)',
      description: 'Deactivating a user or changing their password or role ends their sessions.',
      params: Type.Object({ id: Uuid() }),
      body: Type.Partial(Type.Object({
        displayName: Type.String({ minLength: 1, maxLength: 64 }), role: Type.Union(STAFF_ROLES.map((r) => Type.Literal(r))),
        unitId: Type.Union([Uuid(), Type.Null()]), password: Type.String({ minLength: 1, maxLength: 256 }), active: Type.Boolean(),
      }), { additionalProperties: false, minProperties: 1 }),
      response: { 200: UserView, ...errorResponses(400, 403, 404) },
    },
  }, async (request) => {
    requireRole(request.actor.role, ADMIN_ONLY, 'Changing users');
    const b = request.body;
    if (b.password !== undefined) checkPassword(b.password);
    if (b.role !== undefined || b.unitId !== undefined) {
      const before = await usersRepo.findUserById(ctx.db, request.params.id);
      if (!before) throw new AppError(404, 'USER_NOT_FOUND', 'No user with this id');
      await checkUnit(b.role ?? (before.role), b.unitId !== undefined ? b.unitId : before.unit_id);
    }
    const u = await usersRepo.updateUser(ctx.db, request.params.id, {
      ...(b.displayName !== undefined ? { display_name: b.displayName } : {}), ...(b.role !== undefined ? { role: b.role } : {}),
      ...(b.unitId !== undefined ? { unit_id: b.unitId } : {}), ...(b.active !== undefined ? { active: b.active } : {}),
      ...(b.password !== undefined ? { password_hash: await hashPassword(b.password) } : {}),
    });
    if (!u) throw new AppError(404, 'USER_NOT_FOUND', 'No user with this id');
    if (b.password !== undefined || b.role !== undefined || b.unitId !== undefined || b.active === false) await usersRepo.revokeUserSessions(ctx.db, u.id, 'changed by admin');
    return userView(u);
  });
};
