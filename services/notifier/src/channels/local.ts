import type { DeliveryChannel, OutgoingMessage } from './channel.js';

/**
 * The local outbox, for the demo and the tests: the `notifications` row the delivery flow writes
 * IS the message (status 'delivered', both texts), so there is nothing more to send.
 */
export class LocalOutboxChannel implements DeliveryChannel {
  readonly name = 'local';

  async deliver(_msg: OutgoingMessage): Promise<void> {
    // Stored by the caller in the same transaction that marks it delivered.
  }
}
