import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { referenceRepo, tasksRepo } from '@petitions/db';
import type { AppContext } from '../context.js';
import { errors } from '../errors.js';
import { assertUnitInScope } from '../services/scope.js';
import { errorResponses, Uuid } from './schemas.js';

const TaskRow = Type.Object({
  taskId: Type.String(), petitionId: Type.String(), trackingNo: Type.String(), title: Type.String(),
  urgency: Type.String(), petitionState: Type.String(), role: Type.String(), status: Type.String(),
  dueAt: Type.Union([Type.String(), Type.Null()]),
  msLeft: Type.Union([Type.Integer(), Type.Null()], { description: 'Time left to the deadline; negative when overdue' }),
});

/** A department's queue (what its handlers work through), sorted by deadline. */
export const unitRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/units/:unitId/tasks', {
    schema: {
      tags: ['departments'], operationId: 'listUnitTasks', summary: 'A unit\'s tasks by status, soonest deadline first',
      params: Type.Object({ unitId: Uuid() }),
      querystring: Type.Object({
        status: Type.Optional(Type.Unsafe<tasksRepo.QueueBucket>({ type: 'string', enum: [...tasksRepo.QUEUE_BUCKETS], default: 'to_sign', description: 'Queue tab: to_sign, in_progress, awaiting_decision (an extension or suspension waiting for the head), cooperating (as a co-unit), overdue, done' })),
        limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
        offset: Type.Integer({ minimum: 0, default: 0 }),
      }, { additionalProperties: false }),
      response: {
        200: Type.Object({ counts: Type.Record(Type.String(), Type.Integer()), items: Type.Array(TaskRow) }),
        ...errorResponses(400, 404),
      },
    },
  }, async (request) => {
    const { unitId } = request.params;
    const [unit] = await referenceRepo.findOrgUnitsByIds(ctx.db, [unitId]);
    // Unknown and out of scope answer alike.
    if (!unit) throw errors.unitNotFound();
    await assertUnitInScope(ctx.db, request.actor, unitId);
    const status = request.query.status ?? 'to_sign';
    const [rows, counts] = await Promise.all([
      tasksRepo.listUnitTasks(ctx.db, unitId, status, request.query.limit, request.query.offset),
      tasksRepo.countUnitTasks(ctx.db, unitId),
    ]);
    const now = Date.now();
    return {
      counts,
      items: rows.map((r) => ({
        taskId: r.id, petitionId: r.petition_id, trackingNo: r.tracking_no, title: r.title, urgency: r.urgency,
        petitionState: r.state, role: r.role, status: r.status, dueAt: r.due_at?.toISOString() ?? null,
        msLeft: r.due_at ? r.due_at.getTime() - now : null,
      })),
    };
  });
};
