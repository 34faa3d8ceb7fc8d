import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { Role } from '@petitions/domain';
import { withTimeout, type JobPayload } from '@petitions/queue';
import type { AppContext } from '../context.js';
import { AppError, errors } from '../errors.js';
import { requireRole } from '../roles.js';
import { EmptyBody, errorResponses, Uuid } from './schemas.js';

const LIST_ROLES: readonly Role[] = ['admin', 'supervisor'];
const RETRY_ROLES: readonly Role[] = ['admin'];

const DeadLetter = Type.Object({
  id: Type.String({ description: 'Notification id; retry with POST /admin/notifications/{id}/retry' }),
  key: Type.String({ description: 'Idempotency key of the delivery (sent as the Idempotency-Key header)' }),
  petitionId: Type.Union([Type.String(), Type.Null()]),
  trackingNo: Type.Union([Type.String(), Type.Null()]),
  template: Type.String(),
  audience: Type.String(),
  channel: Type.String(),
  attempts: Type.Integer({ description: 'Attempts so far, earlier retry rounds included' }),
  lastError: Type.Union([Type.String(), Type.Null()], { description: 'The last failure; no personal data' }),
  deadLetteredAt: Type.String({ format: 'date-time' }),
  createdAt: Type.String({ format: 'date-time' }),
});

const RetryAccepted = Type.Object({
  id: Type.String(),
  key: Type.String(),
  status: Type.Literal('pending'),
  jobId: Type.String({ description: 'The new delivery job' }),
});

/**
 * The job id of an admin's retry: new for every retry round, the same if one round is asked for
 * twice. `attempts` only grows between rounds (a row is dead-lettered again only after another
 * failed attempt), so it numbers the rounds. BullMQ refuses ':' in ids; an idempotency key with
 * anything outside [A-Za-z0-9_.-] is replaced by its hash.
 */
function retryJobId(key: string, attempts: number): string {
  const safe = /^[A-Za-z0-9_.-]+$/.test(key) ? key : `h${createHash('sha256').update(key).digest('hex')}`;
  return `${safe}-retry-${attempts}`;
}

const notificationNotFound = () => new AppError(404, 'NOTIFICATION_NOT_FOUND', 'No notification with this id');
const notDeadLetter = (status: string) =>
  new AppError(409, 'NOT_DEAD_LETTER', `Only dead-lettered notifications can be retried; this one is ${status}`, { state: status });
const queueUnavailable = () =>
  new AppError(503, 'QUEUE_UNAVAILABLE', 'The delivery queue cannot be reached; nothing was changed, try again');

/** Deliveries that ran out of attempts or were refused for good: what admins see and put back. */
export const adminNotificationRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/admin/notifications/dead-letter', {
    schema: {
      tags: ['administration'], operationId: 'listDeadLetterNotifications',
      summary: 'Dead-lettered notification deliveries, newest first (admins and supervisors)',
      querystring: Type.Object({
        limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
        before: Type.Optional(Uuid('Page on: the id of the last item of the previous page (nextBefore)')),
      }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          items: Type.Array(DeadLetter),
          nextBefore: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `before` for the next page; null on the last page' }),
        }),
        ...errorResponses(400, 403),
      },
    },
  }, async (request) => {
    requireRole(request.actor.role, LIST_ROLES, 'Listing dead-lettered notifications');
    const { limit, before } = request.query;
    let q = ctx.db.selectFrom('notifications as n')
      .leftJoin('petitions as p', 'p.id', 'n.petition_id')
      .select(['n.id', 'n.idempotency_key', 'n.petition_id', 'p.tracking_no', 'n.template', 'n.audience', 'n.channel',
        'n.attempts', 'n.last_error', 'n.dead_lettered_at', 'n.created_at'])
      .where('n.status', '=', 'dead_letter');
    if (before) {
      const cursor = await ctx.db.selectFrom('notifications').select('id')
        .where('id', '=', before).where('status', '=', 'dead_letter').executeTakeFirst();
      if (!cursor) throw errors.invalidField('before', 'no dead-lettered notification with this id');
      // Compared in SQL, so the timestamp keeps its full precision.
      q = q.where(sql<boolean>`(n.dead_lettered_at, n.id) < (SELECT c.dead_lettered_at, c.id FROM notifications c WHERE c.id = ${cursor.id})`);
    }
    const rows = await q.orderBy('n.dead_lettered_at', 'desc').orderBy('n.id', 'desc').limit(limit + 1).execute();
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => ({
        id: r.id, key: r.idempotency_key, petitionId: r.petition_id, trackingNo: r.tracking_no ?? null,
        template: r.template, audience: r.audience, channel: r.channel, attempts: r.attempts, lastError: r.last_error,
        deadLetteredAt: (r.dead_lettered_at ?? r.created_at).toISOString(), createdAt: r.created_at.toISOString(),
      })),
      nextBefore: rows.length > limit ? page.at(-1)!.id : null,
    };
  });

  app.post('/admin/notifications/:id/retry', {
    schema: {
      tags: ['administration'], operationId: 'retryNotification',
      summary: 'Put a dead-lettered delivery back on the queue (admins)',
      description: 'Marks the delivery pending and enqueues a new delivery job for the same idempotency key, with a full set of attempts. A delivery that reached its receiver is never sent twice.',
      params: Type.Object({ id: Uuid('Notification id') }),
      body: EmptyBody,
      response: { 202: RetryAccepted, ...errorResponses(400, 403, 404, 409, 503) },
    },
    preValidation: async (request) => { request.body ??= {}; },
  }, async (request, reply) => {
    requireRole(request.actor.role, RETRY_ROLES, 'Retrying a notification');
    const { id } = request.params;
    const result = await ctx.db.transaction().execute(async (trx) => {
      // Locked until the job is queued: a delivery job that starts meanwhile waits for this row.
      const row = await trx.selectFrom('notifications')
        .select(['id', 'idempotency_key', 'petition_id', 'template', 'audience', 'status', 'attempts'])
        .where('id', '=', id).forUpdate().executeTakeFirst();
      if (!row) throw notificationNotFound();
      if (row.status !== 'dead_letter') throw notDeadLetter(row.status);
      if (!row.petition_id) throw new AppError(409, 'NOT_RETRYABLE', 'This notification belongs to no petition and cannot be delivered again');
      await trx.updateTable('notifications').set({ status: 'pending', dead_lettered_at: null }).where('id', '=', row.id).execute();
      const jobId = retryJobId(row.idempotency_key, row.attempts);
      const payload = {
        key: row.idempotency_key, petitionId: row.petition_id, template: row.template, audience: row.audience,
      } as JobPayload<'notifications', 'deliver'>;
      // The worker validates the payload against the registry schema again; a stored row that no longer matches fails there, visibly.
      try {
        await withTimeout(ctx.queues.enqueue('notifications', 'deliver', payload, { jobId }), ctx.enqueueTimeoutMs, 'enqueue');
      } catch (err) {
        request.log.warn({ err: err instanceof Error ? err.message : String(err), notificationId: row.id }, 'retry enqueue failed');
        throw queueUnavailable();
      }
      return { id: row.id, key: row.idempotency_key, status: 'pending' as const, jobId };
    });
    return reply.status(202).send(result);
  });
};
