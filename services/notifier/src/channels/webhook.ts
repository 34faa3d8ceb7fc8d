import http from 'node:http';
import https from 'node:https';
import { UnrecoverableError } from 'bullmq';
import type { DeliveryChannel, OutgoingMessage } from './channel.js';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, signBody, TIMESTAMP_HEADER } from './signature.js';
import { parseTargetUrl, pinnedLookup, ResolveError, TargetRefusedError, vetTarget, type Resolver, type VettedTarget } from './target-guard.js';

export interface WebhookChannelOptions {
  url: string;
  /** HMAC-SHA256 key for X-Petitions-Signature. Never logged, never stored. */
  secret: string;
  timeoutMs: number;
  allowPrivate: boolean;
  resolve?: Resolver;
  /** Clock for the signature timestamp (tests). */
  now?: () => number;
}

/** A failure worth another try: network errors, timeouts, 3xx, 408, 429 and 5xx. */
export class WebhookError extends Error {
  constructor(message: string, public readonly status: number | null = null) {
    super(message);
    this.name = 'WebhookError';
  }
}

/** 4xx other than 408 and 429: the receiver refuses the message itself; trying again cannot help. */
export function isPermanentStatus(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/**
 * POST the message as JSON to one configured URL, signed. Each delivery re-checks the target and
 * connects only to the addresses it checked; redirects are not followed (a 3xx is a failure), and
 * the whole exchange is bounded by the timeout. Errors carry short messages without the URL's
 * path or query, the secret or anything from the message.
 */
export class WebhookChannel implements DeliveryChannel {
  readonly name = 'webhook';
  private readonly url: URL;

  constructor(private readonly opts: WebhookChannelOptions) {
    this.url = parseTargetUrl(opts.url);
  }

  /** Resolve and check the target now (at start-up): throws TargetRefusedError or ResolveError. */
  async check(): Promise<void> {
    await vetTarget(this.url, { allowPrivate: this.opts.allowPrivate, resolve: this.opts.resolve });
  }

  async deliver(msg: OutgoingMessage): Promise<void> {
    let target: VettedTarget;
    try {
      target = await vetTarget(this.url, { allowPrivate: this.opts.allowPrivate, resolve: this.opts.resolve });
    } catch (err) {
      if (err instanceof TargetRefusedError) throw new UnrecoverableError(`webhook target refused: ${err.message}`);
      if (err instanceof ResolveError) throw new WebhookError(`webhook ${err.message}`);
      throw err;
    }
    const body = JSON.stringify(msg);
    const timestamp = String(Math.floor((this.opts.now?.() ?? Date.now()) / 1000));
    const status = await post(target, body, {
      'Content-Type': 'application/json',
      'User-Agent': 'petitions-notifier',
      [IDEMPOTENCY_HEADER]: msg.idempotencyKey,
      [TIMESTAMP_HEADER]: timestamp,
      [SIGNATURE_HEADER]: signBody(this.opts.secret, timestamp, body),
    }, this.opts.timeoutMs);
    if (status >= 200 && status < 300) return;
    if (isPermanentStatus(status)) throw new UnrecoverableError(`webhook answered HTTP ${status}`);
    if (status >= 300 && status < 400) throw new WebhookError(`webhook answered HTTP ${status}; redirects are not followed`, status);
    throw new WebhookError(`webhook answered HTTP ${status}`, status);
  }
}

/** One POST; resolves with the status code once the response head arrives within the timeout. */
function post(target: VettedTarget, body: string, headers: Record<string, string>, timeoutMs: number): Promise<number> {
  const signal = AbortSignal.timeout(timeoutMs);
  const client = target.url.protocol === 'https:' ? https : http;
  return new Promise<number>((resolve, reject) => {
    const req = client.request(target.url, {
      method: 'POST',
      headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
      // A fresh connection per delivery, to the checked addresses only.
      agent: false,
      lookup: pinnedLookup(target.addresses),
      signal,
    }, (res) => {
      res.on('error', () => undefined);
      // The body is not needed; drain it so the connection closes cleanly.
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      reject(signal.aborted
        ? new WebhookError(`webhook timed out after ${timeoutMs} ms`)
        : new WebhookError(`webhook request failed (${err.code ?? err.name})`));
    });
    req.end(body);
  });
}
