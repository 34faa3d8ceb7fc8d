import { UnrecoverableError } from 'bullmq';
import { petitionsRepo, type Db } from '@petitions/db';
import type { JobPayload } from '@petitions/queue';
import { render } from './templates.js';

/**
 * Deliver one notification through the local outbox channel (a stored message the demo and the
 * tests read). The idempotency key is unique, so a retried job stores nothing twice.
 */
export async function deliverNotification(db: Db, job: JobPayload<'notifications', 'deliver'>): Promise<'delivered' | 'duplicate'> {
  const petition = await petitionsRepo.findPetitionById(db, job.petitionId);
  if (!petition) throw new UnrecoverableError(`Petition ${job.petitionId} not found`);
  const body = render(job.template, { trackingNo: petition.tracking_no });
  const skipped = job.audience === 'resident' && petition.anonymous;
  const inserted = await db.insertInto('notifications').values({
    idempotency_key: job.key, petition_id: job.petitionId, audience: job.audience, template: job.template,
    channel: 'local', body_zh: body.zh, body_en: body.en,
    status: skipped ? 'skipped_anonymous' : 'delivered',
    delivered_at: skipped ? null : new Date(),
  }).onConflict((oc) => oc.column('idempotency_key').doNothing()).executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0 ? 'delivered' : 'duplicate';
}
