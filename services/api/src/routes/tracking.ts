import { timingSafeEqual } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { eventsRepo, timersRepo, type Db, type Petition } from '@petitions/db';
import { normalisePhone } from '@petitions/personal-data';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { commandDeps, executeCommand } from '../services/commands.js';
import { readContact } from '../services/contacts.js';
import { answerCommand } from './command-answer.js';
import { CommandAccepted, errorResponses, RateBody, TrackingNumber } from './schemas.js';

const TrackingParams = Type.Object({ trackingNo: TrackingNumber() });
const Last4 = Type.String({ pattern: '^[0-9]{4}$', description: 'The last four digits of the phone number given at intake' });

/** Without the right tracking number AND phone digits nothing is said, not even that the petition exists. */
const notFound = () => new AppError(404, 'PETITION_NOT_FOUND', 'No petition with this tracking number and phone number');

/** The petition, if the last four digits match the phone it was registered with (anonymous petitions cannot be tracked). */
async function verified(ctx: AppContext, trackingNo: string, last4: string): Promise<Petition> {
  const petition = await ctx.db.selectFrom('petitions').selectAll().where('tracking_no', '=', trackingNo).executeTakeFirst();
  if (!petition) throw notFound();
  // A contact this server cannot decrypt is as good as none: nothing to compare with.
  const phone = (await readContact(ctx.db, ctx.keys, petition.id, notFound))?.phone;
  if (!phone) throw notFound();
  const digits = normalisePhone(phone).slice(-4);
  if (digits.length !== 4 || !timingSafeEqual(Buffer.from(digits), Buffer.from(last4))) throw notFound();
  return petition;
}

/** What a timeline entry says to the resident: a public note, the result, the answer, or why it was not accepted. */
function publicText(type: string, data: Record<string, unknown>): string | null {
  const field = ({ NOTE: 'text', COMPLETE: 'result', ANSWER: 'answer', REJECT: 'reason' } as Record<string, string>)[type];
  const value = field ? data[field] : undefined;
  return typeof value === 'string' ? value : null;
}

async function publicView(db: Db, p: Petition) {
  const [events, deadlines] = await Promise.all([eventsRepo.listTimeline(db, p.id, { publicOnly: true }), timersRepo.listCurrentDeadlines(db, p.id)]);
  const handling = deadlines.find((d) => d.kind === 'handling' && d.state === 'pending');
  return {
    trackingNo: p.tracking_no, title: p.title, state: p.state, outcome: p.outcome,
    createdAt: p.created_at.toISOString(), closedAt: p.closed_at?.toISOString() ?? null,
    expectedBy: handling ? handling.due_at.toISOString() : null,
    // Public entries only, and of each only what a resident should read: no staff names or units.
    timeline: events.map((e) => ({
      type: e.type, occurredAt: e.occurred_at.toISOString(),
      text: publicText(e.type, e.data),
    })),
  };
}

const PublicTimeline = Type.Object({
  trackingNo: Type.String(), title: Type.String(), state: Type.String(), outcome: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(), closedAt: Type.Union([Type.String(), Type.Null()]),
  expectedBy: Type.Union([Type.String(), Type.Null()], { description: 'The handling deadline while it runs' }),
  timeline: Type.Array(Type.Object({ type: Type.String(), occurredAt: Type.String(), text: Type.Union([Type.String(), Type.Null()]) })),
});

/**
 * Residents: follow their petition with its tracking number and the last four digits of their
 * phone, and rate the result. No account; strict per-client limits against guessing.
 */
export const trackingRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  const deps = commandDeps(ctx, app.log);
  const guarded = { public: true, rateLimit: { max: 20, timeWindow: 60_000 } };

  app.get('/track/:trackingNo', {
    config: guarded,
    schema: {
      tags: ['residents'], operationId: 'trackPetition', summary: '进度查询 Follow a petition (tracking number + last 4 phone digits)',
      params: TrackingParams,
      querystring: Type.Object({ phoneLast4: Last4 }, { additionalProperties: false }),
      response: { 200: PublicTimeline, ...errorResponses(400, 404, 429) },
    },
  }, async (request) => publicView(ctx.db, await verified(ctx, request.params.trackingNo, request.query.phoneLast4)));

  app.post('/track/:trackingNo/rating', {
    config: guarded,
    schema: {
      tags: ['residents'], operationId: 'rateOwnPetition', summary: '评价 Rate the result of one\'s own petition',
      description: 'The same RATE command a follow-up agent records, sent by the resident. Dissatisfied sends the work back (重办).',
      params: TrackingParams,
      body: Type.Composite([RateBody, Type.Object({ phoneLast4: Last4 })], { additionalProperties: false }),
      response: { 200: CommandAccepted, 202: CommandAccepted, ...errorResponses(400, 404, 409, 429) },
    },
  }, async (request, reply) => {
    const { phoneLast4, ...rating } = request.body;
    const petition = await verified(ctx, request.params.trackingNo, phoneLast4);
    const receipt = await executeCommand(deps, {
      petitionId: petition.id, type: 'RATE', payload: rating,
      actor: { id: `resident:${petition.tracking_no}`, role: 'resident', unitId: null },
      idempotencyKey: request.headers['idempotency-key'] as string | undefined, fingerprint: { petitionId: petition.id, payload: rating },
    });
    return answerCommand(ctx, reply, receipt, false);
  });
};
