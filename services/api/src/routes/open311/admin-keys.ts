import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { apiKeysRepo, type Open311ApiKey } from '@petitions/db';
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { ADMIN_ONLY, requireRole } from '../../roles.js';
import { newApiKey } from '../../services/open311.js';
import { errorResponses, Text, Uuid } from '../schemas.js';

const KeyView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
const keyView = (k: Open311ApiKey) => ({ id: k.id, name: k.name, createdAt: k.created_at.toISOString(), revokedAt: k.revoked_at?.toISOString() ?? null });

/** The keys Open311 clients need to create service requests (POST /open311/v2/requests.*). Admins only. */
export const open311AdminKeyRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/admin/open311-keys', {
    schema: {
      tags: ['administration'], operationId: 'listOpen311Keys', summary: 'Open311 API keys, newest first (admins); the keys themselves are never shown again',
      response: { 200: Type.Array(KeyView), ...errorResponses(403) },
    },
  }, async (request) => {
    requireRole(request.actor.role, ADMIN_ONLY, 'Listing Open311 API keys');
    return (await apiKeysRepo.listApiKeys(ctx.db)).map(keyView);
  });

  app.post('/admin/open311-keys', {
    schema: {
      tags: ['administration'], operationId: 'createOpen311Key', summary: 'Issue an Open311 API key (admins)',
      description: 'Answers the key once: only its SHA-256 is stored, so it cannot be shown again. Give it to the client as its api_key.',
      body: Type.Object({ name: Text(100, 'Who the key is for, e.g. the app\'s name') }, { additionalProperties: false }),
      response: { 201: Type.Object({ ...KeyView.properties, key: Type.String({ description: 'The api_key; shown only in this answer' }) }), ...errorResponses(400, 403) },
    },
  }, async (request, reply) => {
    requireRole(request.actor.role, ADMIN_ONLY, 'Issuing Open311 API keys');
    const { key, hash } = newApiKey();
    const row = await apiKeysRepo.createApiKey(ctx.db, { name: request.body.name.trim(), keyHash: hash });
    request.log.info({ open311KeyId: row.id, by: request.actor.id }, 'open311 api key issued');
    return reply.status(201).send({ ...keyView(row), key });
  });

  app.delete('/admin/open311-keys/:id', {
    schema: {
      tags: ['administration'], operationId: 'revokeOpen311Key', summary: 'Revoke an Open311 API key (admins); revoking again changes nothing',
      params: Type.Object({ id: Uuid('Key id') }),
      response: { 200: KeyView, ...errorResponses(400, 403, 404) },
    },
  }, async (request) => {
    requireRole(request.actor.role, ADMIN_ONLY, 'Revoking Open311 API keys');
    const row = await apiKeysRepo.revokeApiKey(ctx.db, request.params.id, new Date());
    if (!row) throw new AppError(404, 'OPEN311_KEY_NOT_FOUND', 'No Open311 API key with this id');
    request.log.info({ open311KeyId: row.id, by: request.actor.id }, 'open311 api key revoked');
    return keyView(row);
  });
};
