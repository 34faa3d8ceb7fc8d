import { ConfigError, type NotifierConfig } from '@petitions/config';
import type { DeliveryChannel } from './channel.js';
import { LocalOutboxChannel } from './local.js';
import { ResolveError, TargetRefusedError, type Resolver } from './target-guard.js';
import { WebhookChannel } from './webhook.js';

export type { DeliveryChannel, OutgoingMessage } from './channel.js';
export { LocalOutboxChannel } from './local.js';
export { WebhookChannel, WebhookError, isPermanentStatus, type WebhookChannelOptions } from './webhook.js';
export { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signBody, verifySignature } from './signature.js';
export {
  parseTargetUrl, pinnedLookup, refusalReason, ResolveError, systemResolver, TargetRefusedError, vetTarget,
  type ResolvedAddress, type Resolver, type VettedTarget,
} from './target-guard.js';

type ChannelConfig = Pick<NotifierConfig,
  'NOTIFIER_WEBHOOK_URL' | 'NOTIFIER_WEBHOOK_SECRET' | 'NOTIFIER_WEBHOOK_TIMEOUT_MS' | 'NOTIFIER_WEBHOOK_ALLOW_PRIVATE'>;

/**
 * The channel the configuration asks for: the webhook when NOTIFIER_WEBHOOK_URL is set, checked
 * now so a refused or unresolvable target stops the service at start with a ConfigError; the
 * local outbox otherwise.
 */
export async function channelFromConfig(config: ChannelConfig, resolve?: Resolver): Promise<DeliveryChannel> {
  const url = config.NOTIFIER_WEBHOOK_URL;
  if (!url) return new LocalOutboxChannel();
  if (!config.NOTIFIER_WEBHOOK_SECRET) throw new ConfigError(['NOTIFIER_WEBHOOK_SECRET: required when NOTIFIER_WEBHOOK_URL is set']);
  try {
    const channel = new WebhookChannel({
      url, secret: config.NOTIFIER_WEBHOOK_SECRET, timeoutMs: config.NOTIFIER_WEBHOOK_TIMEOUT_MS,
      allowPrivate: config.NOTIFIER_WEBHOOK_ALLOW_PRIVATE, ...(resolve ? { resolve } : {}),
    });
    await channel.check();
    return channel;
  } catch (err) {
    if (err instanceof TargetRefusedError || err instanceof ResolveError) throw new ConfigError([`NOTIFIER_WEBHOOK_URL: ${err.message}`]);
    throw err;
  }
}
