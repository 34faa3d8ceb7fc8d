/**
 * What leaves the notifier. Ids, the tracking number and the rendered text only: never a name, a
 * phone number or an address. A receiver that must reach a resident looks the person up itself.
 */
export interface OutgoingMessage {
  /** The same for every attempt at the same delivery; receivers deduplicate on it. */
  idempotencyKey: string;
  petitionId: string;
  trackingNo: string;
  audience: string;
  template: string;
  bodyZh: string;
  bodyEn: string;
  /** When the delivery was first recorded (ISO 8601), the same on every attempt. */
  createdAt: string;
}

/**
 * One way of delivering a message. `deliver` resolves once the message is accepted and throws
 * otherwise; BullMQ's `UnrecoverableError` means "do not try again" (it goes to the dead-letter
 * list at once), any other error is retried with backoff.
 */
export interface DeliveryChannel {
  readonly name: string;
  deliver(msg: OutgoingMessage): Promise<void>;
}
