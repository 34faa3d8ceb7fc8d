import fp from 'fastify-plugin';
import { ROLES, type Actor, type Role } from '@petitions/domain';
import { errors } from '../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Development identity: the acting person is read from X-Actor-Id / X-Actor-Role / X-Actor-Unit.
 * It exists so the write path can be exercised before accounts exist; sign-in with tokens and
 * per-route authorisation replace it (see the "People and access" issue). Do not expose it.
 */
export const identityPlugin = fp(async (app) => {
  app.decorateRequest('actor', null as unknown as Actor);
  app.addHook('onRequest', async (request) => {
    const id = request.headers['x-actor-id'];
    const role = request.headers['x-actor-role'];
    const unit = request.headers['x-actor-unit'];
    const actor: Actor = { id: 'demo-clerk', role: 'clerk', unitId: null };
    if (typeof id === 'string' && id.length > 0) {
      if (id.length > 100) throw errors.badActor('X-Actor-Id is too long');
      actor.id = id;
    }
    if (typeof role === 'string' && role.length > 0) {
      if (!(ROLES as readonly string[]).includes(role)) throw errors.badActor(`X-Actor-Role must be one of ${ROLES.join(', ')}`);
      actor.role = role as Role;
    }
    if (typeof unit === 'string' && unit.length > 0) {
      if (!UUID.test(unit)) throw errors.badActor('X-Actor-Unit must be an org unit id (uuid)');
      actor.unitId = unit.toLowerCase();
    }
    request.actor = actor;
  });
}, { name: 'identity' });
