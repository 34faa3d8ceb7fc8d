import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { commandsRepo, petitionsRepo, referenceRepo } from '@petitions/db';
import type { FastifyReply } from 'fastify';
import type { AppContext } from '../context.js';
import { errors } from '../errors.js';
import { executeCommand, type CommandReceipt } from '../services/commands.js';
import { newPetitionWriter, validateReferences } from '../services/petition-intake.js';
import { outcomeFromRow } from '../services/outcome-waiter.js';
import {
  CommandAccepted, CompleteBody, DispatchBody, EmptyBody, errorResponses, IdempotencyHeaders,
  PetitionParams, RateBody, RejectBody, SubmitPetitionBody, Uuid,
} from './schemas.js';
import { PetitionList, PetitionView, toPetitionView } from './petition-view.js';

/** Petition intake, the commands that move a petition on, and the petition's current view. */
export const petitionRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  const deps = { ...ctx, logger: app.log, waitMs: ctx.commandWaitMs };

  async function answer(reply: FastifyReply, receipt: CommandReceipt, created: boolean, trackingNo?: string) {
    const o = receipt.outcome;
    if (o.status === 'rejected') throw errors.transitionRejected(o.code, o.reason, o.state);
    const body: Record<string, unknown> = { commandId: receipt.commandId, petitionId: receipt.petitionId, status: o.status };
    if (o.status !== 'pending') {
      body.state = o.result.state;
      body.trackingNo = o.result.trackingNo;
      const leadUnitId = o.result.leadUnitId as string | null;
      const [unit] = leadUnitId ? await referenceRepo.findOrgUnitsByIds(ctx.db, [leadUnitId]) : [];
      body.leadUnit = unit ? { id: unit.id, name: unit.name } : null;
    } else if (trackingNo) {
      body.trackingNo = trackingNo;
    }
    return reply.status(o.status === 'pending' ? 202 : created ? 201 : 200).send(body);
  }

  app.post('/petitions', {
    schema: {
      tags: ['petitions'], operationId: 'submitPetition',
      summary: 'Register a resident\'s request (受理) and route it',
      description: 'Records the petition and its SUBMIT command in one transaction and returns its tracking number. Waits briefly for routing; answers 202 if the worker has not finished yet.',
      headers: IdempotencyHeaders, body: SubmitPetitionBody,
      response: { 201: CommandAccepted, 202: CommandAccepted, ...errorResponses(400, 409, 422) },
    },
  }, async (request, reply) => {
    const body = request.body;
    await validateReferences(ctx.db, body);
    const petition = newPetitionWriter(ctx.keys, body, request.actor.id);
    const receipt = await executeCommand(deps, {
      petitionId: petition.petitionId, type: 'SUBMIT', payload: {}, actor: request.actor,
      idempotencyKey: request.headers['idempotency-key'], before: petition.write, fingerprint: body,
    });
    let trackingNo = petition.trackingNo();
    if (receipt.replayed) trackingNo = (await petitionsRepo.findPetitionById(ctx.db, receipt.petitionId))?.tracking_no ?? '';
    return answer(reply, receipt, true, trackingNo);
  });

  const commands = [
    { path: 'reject', type: 'REJECT', body: RejectBody, summary: 'Reject at intake (不予受理) with a reason' },
    { path: 'dispatch', type: 'DISPATCH', body: DispatchBody, summary: 'Dispatch manually (派单) to a lead unit' },
    { path: 'sign-for', type: 'SIGN_FOR', body: EmptyBody, summary: 'Sign for the task (签收) as the lead unit' },
    { path: 'complete', type: 'COMPLETE', body: CompleteBody, summary: 'Complete (办结) with a result' },
    { path: 'rate', type: 'RATE', body: RateBody, summary: 'Record the resident\'s rating (回访评价)' },
  ] as const;

  for (const c of commands) {
    app.post(`/petitions/:id/${c.path}`, {
      schema: {
        tags: ['petition commands'], operationId: `${c.type.toLowerCase().replace(/_(.)/g, (_, x: string) => x.toUpperCase())}Petition`,
        summary: c.summary, params: PetitionParams, headers: IdempotencyHeaders, body: c.body,
        response: { 200: CommandAccepted, 202: CommandAccepted, ...errorResponses(400, 404, 409, 422) },
      },
      // A command with no fields may be sent with no body at all.
      preValidation: async (request) => { request.body ??= {}; },
    }, async (request, reply) => {
      const petition = await petitionsRepo.findPetitionById(ctx.db, request.params.id);
      if (!petition) throw errors.petitionNotFound();
      const payload = (request.body ?? {}) as Record<string, unknown>;
      if (c.type === 'DISPATCH') {
        const ids = [payload.leadUnitId as string, ...((payload.coUnitIds as string[] | undefined) ?? [])];
        const found = await referenceRepo.findOrgUnitsByIds(ctx.db, ids);
        if (!found.some((u) => u.id === payload.leadUnitId)) throw errors.unknownUnit('leadUnitId');
        if (found.length !== new Set(ids).size) throw errors.unknownUnit('coUnitIds');
      }
      const receipt = await executeCommand(deps, {
        petitionId: petition.id, type: c.type, payload, actor: request.actor,
        idempotencyKey: request.headers['idempotency-key'], fingerprint: { petitionId: petition.id, payload },
      });
      return answer(reply, receipt, false);
    });
  }

  app.get('/petitions', {
    schema: {
      tags: ['petitions'], operationId: 'listPetitions',
      summary: 'Petitions, newest first; e.g. state=awaitingDispatch is the manual dispatch queue',
      querystring: Type.Object({
        state: Type.Optional(Type.String({ pattern: '^[a-zA-Z]+$', maxLength: 40 })),
        districtId: Type.Optional(Uuid()),
        leadUnitId: Type.Optional(Uuid()),
        limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
        offset: Type.Integer({ minimum: 0, default: 0 }),
      }, { additionalProperties: false }),
      response: { 200: PetitionList, ...errorResponses(400) },
    },
  }, async (request) => {
    const { limit, offset, ...filter } = request.query;
    const { rows, total } = await petitionsRepo.listPetitions(ctx.db, filter, limit, offset);
    return {
      total,
      items: rows.map((r) => ({
        id: r.id, trackingNo: r.tracking_no, title: r.title, state: r.state, urgency: r.urgency, kind: r.kind, channel: r.channel,
        category: r.category_name, district: r.district_name, street: r.street_name, createdAt: r.created_at.toISOString(),
      })),
    };
  });

  app.get('/petitions/:id', {
    schema: {
      tags: ['petitions'], operationId: 'getPetition', summary: 'A petition: current state, tasks and the whole timeline',
      params: PetitionParams, response: { 200: PetitionView, ...errorResponses(404) },
    },
  }, async (request) => {
    const petition = await petitionsRepo.findPetitionById(ctx.db, request.params.id);
    if (!petition) throw errors.petitionNotFound();
    return toPetitionView(ctx.db, petition);
  });

  app.get('/petitions/by-tracking-number/:trackingNo', {
    schema: {
      tags: ['petitions'], operationId: 'getPetitionByTrackingNumber', summary: 'Look a petition up by its tracking number',
      params: Type.Object({ trackingNo: Type.String({ pattern: '^[0-9]{16,20}$' }) }),
      response: { 200: PetitionView, ...errorResponses(400, 404) },
    },
  }, async (request) => {
    const petition = await ctx.db.selectFrom('petitions').selectAll().where('tracking_no', '=', request.params.trackingNo).executeTakeFirst();
    if (!petition) throw errors.petitionNotFound();
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
    const o = outcomeFromRow(row);
    return {
      commandId: row.id, petitionId: row.petition_id, type: row.type, status: o.status,
      ...(o.status === 'rejected' ? { code: o.code, reason: o.reason, state: o.state } : {}),
      ...(o.status === 'applied' || o.status === 'ignored' ? { state: String(o.result.state) } : {}),
    };
  });

};
