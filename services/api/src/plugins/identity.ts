import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { ROLES, type Actor, type Role } from '@petitions/domain';
import type { AppContext } from '../context.js';
import { AppError, errors } from '../errors.js';
import { UUID_PATTERN } from '../routes/schemas.js';
import { authenticate } from '../services/accounts.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    /** The signed-in session, when the request carried an access token. */
    sessionId: string | null;
  }
  interface FastifyContextConfig {
    /** Reachable without signing in (health, sign-in itself). */
    public?: boolean;
  }
}

/** Roles a request may claim in X-Actor-Role: every role but `system`, which is the engine's own (timers, follow-on commands). */
const HEADER_ROLES = ROLES.filter((r) => r !== 'system');

/** Routes anyone may call: those marked public, the UI's static files and the API docs. */
function isPublic(request: FastifyRequest): boolean {
  const route = request.routeOptions;
  if (route.config?.public === true) return true;
  const url = route.url ?? '';
  return url === '/' || url.startsWith('/docs') || /\.[a-z0-9]+$/i.test(url);
}

/**
 * Who is acting. A request with `Authorization: Bearer <access token>` acts as the signed-in user
 * (role and unit from their account). Without one, a non-public route answers 401 — unless the
 * development identity is switched on (API_DEV_IDENTITY, for the demo and tests until the UI signs
 * in): then X-Actor-Id / X-Actor-Role / X-Actor-Unit are read, defaulting to a demo clerk. Never
 * switch it on where real people's data is.
 */
export const identityPlugin = (ctx: AppContext) => fp(async (app) => {
  app.decorateRequest('actor', null as unknown as Actor);
  app.decorateRequest('sessionId', null);
  app.addHook('onRequest', async (request) => {
    const auth = request.headers.authorization;
    if (typeof auth === 'string' && auth.length > 0) {
      const m = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(auth);
      if (!m) throw new AppError(401, 'INVALID_TOKEN', 'Authorization must be "Bearer <access token>"');
      const { actor, sessionId } = await authenticate(ctx.db, m[1]!);
      request.actor = actor;
      request.sessionId = sessionId;
      return;
    }
    if (!ctx.auth.devIdentity) {
      if (!isPublic(request)) throw new AppError(401, 'NOT_SIGNED_IN', 'Sign in first (POST /auth/login) and send Authorization: Bearer <access token>');
      request.actor = { id: 'anonymous', role: 'resident', unitId: null };
      return;
    }
    const id = request.headers['x-actor-id'];
    const role = request.headers['x-actor-role'];
    const unit = request.headers['x-actor-unit'];
    const actor: Actor = { id: 'demo-clerk', role: 'clerk', unitId: null };
    if (typeof id === 'string' && id.length > 0) {
      if (id.length > 100) throw errors.badActor('X-Actor-Id is too long');
      actor.id = id;
    }
    if (typeof role === 'string' && role.length > 0) {
      if (!(HEADER_ROLES as readonly string[]).includes(role)) throw errors.badActor(`X-Actor-Role must be one of ${HEADER_ROLES.join(', ')}`);
      actor.role = role as Role;
    }
    if (typeof unit === 'string' && unit.length > 0) {
      if (!UUID_PATTERN.test(unit)) throw errors.badActor('X-Actor-Unit must be an org unit id (uuid)');
      actor.unitId = unit.toLowerCase();
    }
    request.actor = actor;
  });
}, { name: 'identity' });
