import { UnrecoverableError } from 'bullmq';
import { sql } from 'kysely';
import { petitionsRepo, type Db } from '@petitions/db';
import type { JobPayload } from '@petitions/queue';
import type { DeliveryChannel, OutgoingMessage } from './channels/channel.js';
import { LocalOutboxChannel } from './channels/local.js';
import { render } from './templates.js';

export type DeliveryResult = 'delivered' | 'duplicate' | 'skipped';

export interface DeliverOptions {
  /** Where to send; omitted: the local outbox. */
  channel?: DeliveryChannel;
  /** Failed attempts before this one (BullMQ's job.attemptsMade); default 0. */
  attemptsMade?: number;
  /** Attempts this delivery gets in all; a failure on the last one dead-letters it. Default 1. */
  maxAttempts?: number;
}

const LOCAL_OUTBOX = new LocalOutboxChannel();
const MAX_ERROR_LENGTH = 300;

export function isUnrecoverable(err: unknown): boolean {
  return err instanceof UnrecoverableError || (err instanceof Error && err.name === 'UnrecoverableError');
}

/** What goes into last_error: the channel's own short message (channels never put message text, URLs' paths or secrets in it). */
function describeError(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

type Outcome =
  | { kind: DeliveryResult }
  | { kind: 'failed'; error: unknown; deadLettered: boolean };

/**
 * Deliver one notification. The `notifications` row, keyed by the job's idempotency key, is
 * written first ('pending') and locked for the duration of the attempt, so two jobs for the same
 * key never send at once and a key already delivered is never sent again ('duplicate'). Messages
 * to anonymous residents are recorded as skipped. A failed attempt is counted with its error; when
 * it was the last one, or the error is unrecoverable, the row is dead-lettered and the error
 * rethrown as UnrecoverableError so BullMQ stops retrying. Any other failure is rethrown as is,
 * for BullMQ to retry with backoff.
 *
 * The send happens inside the transaction: if the process dies after the receiver accepted but
 * before the commit, the next attempt sends again with the same Idempotency-Key header, which the
 * receiver uses to drop the repeat.
 */
export async function deliverNotification(db: Db, job: JobPayload<'notifications', 'deliver'>, opts: DeliverOptions = {}): Promise<DeliveryResult> {
  const channel = opts.channel ?? LOCAL_OUTBOX;
  const attemptsMade = opts.attemptsMade ?? 0;
  const maxAttempts = opts.maxAttempts ?? 1;
  const petition = await petitionsRepo.findPetitionById(db, job.petitionId);
  if (!petition) throw new UnrecoverableError(`Petition ${job.petitionId} not found`);
  let body: { zh: string; en: string };
  try {
    body = render(job.template, { trackingNo: petition.tracking_no });
  } catch (err) {
    throw new UnrecoverableError(describeError(err));
  }
  const skipped = job.audience === 'resident' && petition.anonymous;

  const outcome = await db.transaction().execute(async (trx): Promise<Outcome> => {
    const inserted = await trx.insertInto('notifications').values({
      idempotency_key: job.key, petition_id: job.petitionId, audience: job.audience, template: job.template,
      channel: channel.name, body_zh: body.zh, body_en: body.en,
      status: skipped ? 'skipped_anonymous' : 'pending',
    }).onConflict((oc) => oc.column('idempotency_key').doNothing()).returning('id').executeTakeFirst();
    const row = await trx.selectFrom('notifications').selectAll()
      .where('idempotency_key', '=', job.key).forUpdate().executeTakeFirstOrThrow();
    if (row.status === 'skipped_anonymous') return { kind: inserted ? 'skipped' : 'duplicate' };
    if (row.status === 'delivered') return { kind: 'duplicate' };

    // The text stored with the first attempt is what every attempt sends.
    const msg: OutgoingMessage = {
      idempotencyKey: row.idempotency_key, petitionId: job.petitionId, trackingNo: petition.tracking_no,
      audience: row.audience, template: row.template, bodyZh: row.body_zh, bodyEn: row.body_en,
      createdAt: row.created_at.toISOString(),
    };
    try {
      await channel.deliver(msg);
    } catch (error) {
      const deadLettered = isUnrecoverable(error) || attemptsMade + 1 >= maxAttempts;
      await trx.updateTable('notifications').set({
        attempts: sql<number>`attempts + 1`,
        last_error: describeError(error),
        channel: channel.name,
        status: deadLettered ? 'dead_letter' : 'pending',
        dead_lettered_at: deadLettered ? new Date() : null,
      }).where('id', '=', row.id).execute();
      return { kind: 'failed', error, deadLettered };
    }
    await trx.updateTable('notifications').set({
      attempts: sql<number>`attempts + 1`,
      channel: channel.name,
      status: 'delivered',
      delivered_at: new Date(),
      dead_lettered_at: null,
    }).where('id', '=', row.id).execute();
    return { kind: 'delivered' };
  });

  if (outcome.kind !== 'failed') return outcome.kind;
  if (outcome.deadLettered && !isUnrecoverable(outcome.error)) throw new UnrecoverableError(describeError(outcome.error));
  throw outcome.error;
}
