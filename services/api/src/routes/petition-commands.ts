import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { TSchema } from '@sinclair/typebox';
import { petitionsRepo, referenceRepo, type Petition } from '@petitions/db';
import type { Role } from '@petitions/domain';
import type { AppContext } from '../context.js';
import { AppError, errors } from '../errors.js';
import { requireRole } from '../roles.js';
import { findPetitionInScope } from '../services/scope.js';
import { commandDeps, executeCommand } from '../services/commands.js';
import { answerCommand } from './command-answer.js';
import {
  AnswerBody, CommandAccepted, CompleteBody, DecisionBody, DispatchBody, EmptyBody, errorResponses, ExtensionRequestBody,
  IdempotencyHeaders, MergeBody, NoteBody, OpinionBody, PetitionParams, RateBody, RedispatchBody, RejectBody, ReturnBody,
  SendBackBody, SuspensionRequestBody, WithdrawBody,
} from './schemas.js';

type Payload = Record<string, unknown>;

interface CommandRoute {
  path: string;
  type: string;
  body: TSchema;
  summary: string;
  /** Who may send it. Which unit may is the machine's rule; this is the coarse role check. */
  roles: readonly Role[];
  /** Check references the schema cannot, and add what the worker needs; may refuse with an AppError. */
  prepare?: (ctx: AppContext, petition: Petition, body: Payload) => Promise<Payload>;
}

async function checkUnits(ctx: AppContext, body: Payload): Promise<Payload> {
  const lead = body.leadUnitId as string;
  const co = (body.coUnitIds as string[] | undefined) ?? [];
  const found = await referenceRepo.findOrgUnitsByIds(ctx.db, [lead, ...co]);
  if (!found.some((u) => u.id === lead)) throw errors.unknownUnit('leadUnitId');
  if (found.length !== new Set([lead, ...co]).size) throw errors.unknownUnit('coUnitIds');
  if (co.includes(lead)) throw errors.invalidField('coUnitIds', 'the lead unit cannot also be a cooperating unit');
  return body;
}

async function checkOriginal(ctx: AppContext, petition: Petition, body: Payload): Promise<Payload> {
  const original = await petitionsRepo.findPetitionById(ctx.db, body.originalId as string);
  if (!original) throw new AppError(400, 'UNKNOWN_PETITION', 'originalId: no petition with this id', { field: 'originalId' });
  if (original.state === 'closed' || original.state === 'merged') {
    throw new AppError(409, 'ORIGINAL_NOT_OPEN', `The original petition ${original.tracking_no} is ${original.state}; merge into an open one`, { state: original.state });
  }
  if (original.id === petition.id) throw new AppError(409, 'MERGE_INTO_SELF', 'A petition cannot be merged into itself', { state: petition.state });
  return { ...body, originalTrackingNo: original.tracking_no };
}

const CENTRE: Role[] = ['clerk', 'dispatcher', 'supervisor', 'admin'];
const DISPATCH_ROLES: Role[] = ['dispatcher', 'supervisor', 'admin'];
const UNIT: Role[] = ['handler', 'department_head'];
const HEAD: Role[] = ['department_head'];
const STAFF: Role[] = ['clerk', 'dispatcher', 'handler', 'department_head', 'supervisor', 'admin'];
// The rating is the resident's word, recorded by the resident or a follow-up agent: never by the unit that did the work.
const RATERS: Role[] = ['follow_up', 'resident'];
const WITHDRAWERS: Role[] = ['resident', 'clerk', 'follow_up'];

/** Every command that moves a petition on, in the order of its life. */
const COMMAND_ROUTES: CommandRoute[] = [
  { path: 'answer', type: 'ANSWER', roles: CENTRE, body: AnswerBody, summary: 'Answer an inquiry (咨询) and close it' },
  { path: 'reject', type: 'REJECT', roles: CENTRE, body: RejectBody, summary: 'Reject at intake (不予受理) with a reason' },
  { path: 'merge', type: 'MERGE', roles: CENTRE, body: MergeBody, summary: 'Merge into an original petition (合并); closes with it', prepare: checkOriginal },
  { path: 'dispatch', type: 'DISPATCH', roles: DISPATCH_ROLES, body: DispatchBody, summary: 'Dispatch manually (派单) to a lead unit', prepare: (ctx, _p, b) => checkUnits(ctx, b) },
  { path: 'redispatch', type: 'REDISPATCH', roles: DISPATCH_ROLES, body: RedispatchBody, summary: 'Re-dispatch to another unit (改派)', prepare: (ctx, _p, b) => checkUnits(ctx, b) },
  { path: 'sign-for', type: 'SIGN_FOR', roles: UNIT, body: EmptyBody, summary: 'Sign for the task (签收) as the lead unit' },
  { path: 'return', type: 'RETURN', roles: UNIT, body: ReturnBody, summary: 'Return the task to dispatch (退单) with a reason' },
  { path: 'notes', type: 'NOTE', roles: STAFF, body: NoteBody, summary: 'Add a progress note, public or internal' },
  { path: 'opinions', type: 'CO_OPINION', roles: UNIT, body: OpinionBody, summary: 'A cooperating unit\'s opinion (配合意见)' },
  { path: 'extension-requests', type: 'REQUEST_EXTENSION', roles: UNIT, body: ExtensionRequestBody, summary: 'Ask for an extension (延期申请) before the deadline' },
  { path: 'extension-decisions', type: 'DECIDE_EXTENSION', roles: HEAD, body: DecisionBody, summary: 'The department head approves or denies the extension' },
  { path: 'suspension-requests', type: 'REQUEST_SUSPENSION', roles: UNIT, body: SuspensionRequestBody, summary: 'Ask to suspend (挂起申请), pausing the clock' },
  { path: 'suspension-decisions', type: 'DECIDE_SUSPENSION', roles: HEAD, body: DecisionBody, summary: 'The department head approves or denies the suspension' },
  { path: 'resume', type: 'RESUME', roles: UNIT, body: EmptyBody, summary: 'Resume a suspended petition; the clock runs again' },
  { path: 'complete', type: 'COMPLETE', roles: UNIT, body: CompleteBody, summary: 'Complete (办结) with a result' },
  { path: 'review-approval', type: 'APPROVE_REVIEW', roles: DISPATCH_ROLES, body: EmptyBody, summary: 'Quality review passes the completion' },
  { path: 'send-back', type: 'SEND_BACK', roles: DISPATCH_ROLES, body: SendBackBody, summary: 'Quality review sends the work back to the unit' },
  { path: 'rate', type: 'RATE', roles: RATERS, body: RateBody, summary: 'Record the resident\'s rating (回访评价); dissatisfied means redo (重办)' },
  { path: 'withdraw', type: 'WITHDRAW', roles: WITHDRAWERS, body: WithdrawBody, summary: 'The resident withdraws (撤诉) before completion' },
];

const operationId = (type: string) => `${type.toLowerCase().replace(/_(.)/g, (_, x: string) => x.toUpperCase())}Petition`;

export const petitionCommandRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  const deps = commandDeps(ctx, app.log);
  for (const c of COMMAND_ROUTES) {
    app.post(`/petitions/:id/${c.path}`, {
      schema: {
        tags: ['petition commands'], operationId: operationId(c.type),
        summary: c.summary, params: PetitionParams, headers: IdempotencyHeaders, body: c.body,
        response: { 200: CommandAccepted, 202: CommandAccepted, ...errorResponses(400, 403, 404, 409, 422) },
      },
      // A command with no fields may be sent with no body at all.
      preValidation: async (request) => { request.body ??= {}; },
    }, async (request, reply) => {
      const petition = await findPetitionInScope(ctx.db, request.actor, request.params.id);
      requireRole(request.actor.role, c.roles, c.type, errors.roleNotAllowed);
      const body = request.body as Payload;
      const payload = c.prepare ? await c.prepare(ctx, petition, body) : body;
      const receipt = await executeCommand(deps, {
        petitionId: petition.id, type: c.type, payload, actor: request.actor,
        idempotencyKey: request.headers['idempotency-key'], fingerprint: { petitionId: petition.id, payload: body },
      });
      return answerCommand(ctx, reply, receipt, false);
    });
  }
};
