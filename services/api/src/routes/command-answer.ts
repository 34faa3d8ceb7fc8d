import type { FastifyReply } from 'fastify';
import type { AppContext } from '../context.js';
import { errors } from '../errors.js';
import type { CommandReceipt } from '../services/commands.js';

/** The one way a command's outcome becomes a response: 201/200 applied, 202 pending, 409 refused. */
export async function answerCommand(ctx: AppContext, reply: FastifyReply, receipt: CommandReceipt, created: boolean, extra: Record<string, unknown> = {}) {
  const o = receipt.outcome;
  if (o.status === 'rejected') throw errors.transitionRejected(o.code, o.reason, o.state);
  const body: Record<string, unknown> = { commandId: receipt.commandId, petitionId: receipt.petitionId, status: o.status, ...extra };
  if (o.status !== 'pending') {
    body.state = o.result.state;
    body.trackingNo = o.result.trackingNo;
    const leadUnitId = o.result.leadUnitId as string | null;
    const unit = leadUnitId ? await ctx.reference.unit(leadUnitId) : undefined;
    body.leadUnit = unit ? { id: unit.id, name: unit.name } : null;
  }
  return reply.status(o.status === 'pending' ? 202 : created ? 201 : 200).send(body);
}
