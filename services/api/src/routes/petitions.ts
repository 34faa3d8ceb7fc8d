import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { commandsRepo, petitionsRepo } from '@petitions/db';
import type { Role } from '@petitions/domain';
import { PETITION_STATES } from '@petitions/petition-workflow';
import type { AppContext } from '../context.js';
import { errors } from '../errors.js';
import { requireRole } from '../roles.js';
import { assertPetitionInScope, findPetitionInScope, scopeOf } from '../services/scope.js';
import { commandDeps, executeCommand } from '../services/commands.js';
import { findDuplicateCandidates, type DuplicateCandidate } from '../services/duplicates.js';
import { answerCommand } from './command-answer.js';
import { newPetitionWriter, validateReferences } from '../services/petition-intake.js';
import { outcomeFromRow } from '../services/outcome-waiter.js';
import {
  CommandAccepted, DuplicateCandidates, DuplicateCheckBody, errorResponses, IdempotencyHeaders,
  PetitionParams, SubmitPetitionBody, TrackingNumber, Uuid,
} from './schemas.js';
import { PetitionList, PetitionView, toPetitionView } from './petition-view.js';

/** Who registers petitions and sees duplicate candidates from the whole city: the 12345 centre. */
const INTAKE_ROLES: readonly Role[] = ['clerk', 'dispatcher', 'supervisor', 'admin'];

/** Petition intake, duplicate checks, lists and the petition's current view. */
export const petitionRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  const deps = commandDeps(ctx, app.log);
  app.post('/petitions', {
    schema: {
      tags: ['petitions'], operationId: 'submitPetition',
      summary: 'Register a resident\'s request (受理) and route it',
      description: 'Records the petition and its SUBMIT command in one transaction and returns its tracking number. Waits briefly for routing; answers 202 if the worker has not finished yet.',
      headers: IdempotencyHeaders, body: SubmitPetitionBody,
      response: { 201: CommandAccepted, 202: CommandAccepted, ...errorResponses(400, 403, 409, 422) },
    },
  }, async (request, reply) => {
    requireRole(request.actor.role, INTAKE_ROLES, 'SUBMIT', errors.roleNotAllowed);
    const body = request.body;
    await validateReferences(ctx.reference, body);
    if (body.directAnswer !== undefined && body.kind !== 'inquiry') {
      throw errors.invalidField('directAnswer', 'only an inquiry (kind "inquiry") can be answered at intake');
    }
    const petition = newPetitionWriter(ctx.keys, body, request.actor.id);
    // Scored after the write, excluding the petition itself, so a replayed request answers alike.
    // Intake compares with the 50 most recent; the form's own check (below) looks further back.
    const scoreAgainst = (petitionId: string) => findDuplicateCandidates(ctx.db, { ...body, excludeId: petitionId }, { poolLimit: 50 });
    // A new petition is scored while the worker routes it: the answer waits for both, not one after the other.
    let scoring: Promise<DuplicateCandidate[]> | undefined;
    const receipt = await executeCommand(deps, {
      petitionId: petition.petitionId, type: 'SUBMIT', payload: body.directAnswer ? { directAnswer: body.directAnswer } : {}, actor: request.actor,
      idempotencyKey: request.headers['idempotency-key'], fingerprint: body,
      record: async (db, command) => {
        await petition.record(db, command);
        scoring = scoreAgainst(petition.petitionId);
        // Awaited below; until then a failure must not count as unhandled.
        scoring.catch(() => undefined);
      },
    });
    const duplicateCandidates = await (!receipt.replayed && scoring ? scoring : scoreAgainst(receipt.petitionId));
    const trackingNo = await petition.trackingNoFor(ctx.db, receipt);
    return answerCommand(ctx, reply, receipt, true, { trackingNo, duplicateCandidates });
  });

  app.post('/petitions/duplicate-check', {
    schema: {
      tags: ['petitions'], operationId: 'checkDuplicates',
      summary: 'Possible duplicates of a request: same category and street, last 30 days, similar text',
      body: DuplicateCheckBody, response: { 200: DuplicateCandidates, ...errorResponses(400, 403) },
    },
  }, async (request) => {
    requireRole(request.actor.role, INTAKE_ROLES, 'Checking for duplicates', errors.roleNotAllowed);
    return findDuplicateCandidates(ctx.db, request.body);
  });

  app.get('/petitions', {
    schema: {
      tags: ['petitions'], operationId: 'listPetitions',
      summary: 'Petitions, newest first (order=oldest: longest-waiting first); e.g. state=awaitingDispatch is the manual dispatch queue',
      querystring: Type.Object({
        state: Type.Optional(Type.Unsafe<string>({ type: 'string', enum: [...PETITION_STATES], description: 'e.g. awaitingDispatch: the manual dispatch queue' })),
        districtId: Type.Optional(Uuid()),
        leadUnitId: Type.Optional(Uuid()),
        limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
        offset: Type.Integer({ minimum: 0, default: 0 }),
        order: Type.Union([Type.Literal('newest'), Type.Literal('oldest')], { default: 'newest', description: 'oldest: a queue, longest-waiting first' }),
      }, { additionalProperties: false }),
      response: { 200: PetitionList, ...errorResponses(400) },
    },
  }, async (request) => {
    const { limit, offset, order, ...filter } = request.query;
    const { rows, total } = await petitionsRepo.listPetitions(ctx.db, filter, limit, offset, await scopeOf(ctx.db, request.actor), order);
    return {
      total,
      items: rows.map((r) => ({
        id: r.id, trackingNo: r.tracking_no, title: r.title, state: r.state, urgency: r.urgency, kind: r.kind, channel: r.channel,
        category: r.category_name, district: r.district_name, street: r.street_name, createdAt: r.created_at.toISOString(),
        categoryId: r.category_id, districtId: r.district_id, streetId: r.street_id, anonymous: r.anonymous,
      })),
    };
  });

  app.get('/petitions/:id', {
    schema: {
      tags: ['petitions'], operationId: 'getPetition', summary: 'A petition: current state, tasks and the whole timeline',
      params: PetitionParams, response: { 200: PetitionView, ...errorResponses(404) },
    },
  }, async (request) => toPetitionView(ctx.db, await findPetitionInScope(ctx.db, request.actor, request.params.id)));

  app.get('/petitions/by-tracking-number/:trackingNo', {
    schema: {
      tags: ['petitions'], operationId: 'getPetitionByTrackingNumber', summary: 'Look a petition up by its tracking number',
      params: Type.Object({ trackingNo: TrackingNumber() }),
      response: { 200: PetitionView, ...errorResponses(400, 404) },
    },
  }, async (request) => {
    const petition = await ctx.db.selectFrom('petitions').selectAll().where('tracking_no', '=', request.params.trackingNo).executeTakeFirst();
    if (!petition) throw errors.petitionNotFound();
    await assertPetitionInScope(ctx.db, request.actor, petition.id);
    return toPetitionView(ctx.db, petition);
  });

  app.get('/commands/:id', {
    schema: {
      tags: ['petition commands'], operationId: 'getCommand', summary: 'Poll a command that was answered 202',
      params: Type.Object({ id: Uuid() }),
      response: {
        200: Type.Object({
          commandId: Type.String(), petitionId: Type.String(), type: Type.String(),
          status: Type.String(), code: Type.Optional(Type.String()), reason: Type.Optional(Type.String()),
          state: Type.Optional(Type.String()),
        }),
        ...errorResponses(404),
      },
    },
  }, async (request) => {
    const row = await commandsRepo.findCommandById(ctx.db, request.params.id);
    if (!row) throw errors.commandNotFound();
    await assertPetitionInScope(ctx.db, request.actor, row.petition_id, errors.commandNotFound);
    const o = outcomeFromRow(row);
    return {
      commandId: row.id, petitionId: row.petition_id, type: row.type, status: o.status,
      ...(o.status === 'rejected' ? { code: o.code, reason: o.reason, state: o.state } : {}),
      ...(o.status === 'applied' || o.status === 'ignored' ? { state: String(o.result.state) } : {}),
    };
  });
};
