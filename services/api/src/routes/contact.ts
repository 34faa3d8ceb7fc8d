import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Role } from '@petitions/domain';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { readContact } from '../services/contacts.js';
import { findPetitionInScope } from '../services/scope.js';
import { errorResponses, Uuid } from './schemas.js';

/** Who may read a resident's full contact: intake, the follow-up call, and the unit that must act. */
const CENTRE_READERS: readonly Role[] = ['clerk', 'follow_up'];
const UNIT_READERS: readonly Role[] = ['handler', 'department_head'];

/**
 * The resident's full name, phone and address, for the people who must call or visit them.
 * Everyone else sees the masked form in the petition view. Every read is logged with its reason.
 */
export const contactRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/petitions/:id/contact', {
    schema: {
      tags: ['petitions'], operationId: 'readContact', summary: '查看联系方式 The requester\'s full contact (logged)',
      description: 'Clerks and follow-up agents, and the handlers and head of the lead unit, may read it; each read is written to the personal-data access log with its reason. Others get 403; a petition out of scope 404.',
      params: Type.Object({ id: Uuid() }),
      querystring: Type.Object({ reason: Type.String({ minLength: 2, maxLength: 200, description: 'Why the full contact is needed, e.g. 回访电话' }) }, { additionalProperties: false }),
      response: {
        200: Type.Object({ name: Type.Union([Type.String(), Type.Null()]), phone: Type.Union([Type.String(), Type.Null()]), address: Type.Union([Type.String(), Type.Null()]) }),
        ...errorResponses(400, 403, 404),
      },
    },
  }, async (request) => {
    const petition = await findPetitionInScope(ctx.db, request.actor, request.params.id);
    const { role, unitId } = request.actor;
    const allowed = CENTRE_READERS.includes(role) || (UNIT_READERS.includes(role) && unitId !== null && unitId === petition.lead_unit_id);
    if (!allowed) throw new AppError(403, 'CONTACT_NOT_ALLOWED', 'Only clerks, follow-up agents and the lead unit may read the full contact; the petition view shows it masked');
    const contact = await readContact(ctx.db, ctx.keys, petition.id,
      (keyId) => new AppError(409, 'KEY_NOT_AVAILABLE', `The contact is encrypted with key ${keyId}, which this server does not hold`));
    if (!contact) return { name: null, phone: null, address: null };
    await ctx.db.insertInto('personal_data_access_log').values({
      petition_id: petition.id, actor_id: request.actor.id, actor_role: role, actor_unit_id: unitId,
      fields: Object.entries(contact).filter(([, v]) => v !== null).map(([k]) => k), reason: request.query.reason.trim(),
    }).execute();
    return contact;
  });
};
