import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Worker } from 'bullmq';
import { ConfigError } from '@petitions/config';
import {
  channelFromConfig, deliverNotification, startNotifierWorker, verifySignature, WebhookChannel,
} from '@petitions/notifier';
import type { JobPayload } from '@petitions/queue';
import { createLogger } from '@petitions/runtime';
import { eventually } from '../support/fixtures.js';
import { startService } from '../support/processes.js';
import { noiseComplaint, startTestSystem, type TestSystem } from '../support/system.js';

/**
 * The notifier's webhook channel against a real receiver (node:http on 127.0.0.1), real Postgres
 * and Redis: signatures, retries with backoff, the dead-letter list and its admin retry, timeouts,
 * refused targets, and one send per idempotency key however often a delivery is asked for.
 */

const SECRET = randomBytes(24).toString('hex');
const MAX_ATTEMPTS = 4;

type Step = number | 'hang';
interface Received { key: string; signed: boolean; body: string; status: Step }

/** A webhook receiver that verifies every request and answers each idempotency key from a script (default 200). */
class Receiver {
  readonly received: Received[] = [];
  private readonly scripts = new Map<string, Step[]>();
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const key = String(req.headers['idempotency-key'] ?? '');
      const signed = req.method === 'POST' && req.headers['content-type'] === 'application/json'
        && verifySignature(SECRET, req.headers['x-petitions-timestamp'] as string | undefined, body, req.headers['x-petitions-signature'] as string | undefined);
      const step = this.scripts.get(key)?.shift() ?? 200;
      this.received.push({ key, signed, body, status: step });
      if (step === 'hang') return; // never answers: the sender's timeout must end it
      res.writeHead(signed ? step : 401).end();
    });
  });
  port = 0;

  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/petitions`;
  }

  script(key: string, steps: Step[]): void {
    this.scripts.set(key, [...steps]);
  }

  for(key: string): Received[] {
    return this.received.filter((r) => r.key === key);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

let sys: TestSystem;
let receiver: Receiver;
let notifier: Worker;
let petition: { petitionId: string; trackingNo: string };

beforeAll(async () => {
  sys = await startTestSystem();
  receiver = new Receiver();
  await receiver.start();
  notifier = startNotifierWorker({
    db: sys.tdb.db, connection: sys.q.workerConnection(), queue: sys.q.settings, logger: createLogger('test-notifier', 'silent'),
    // The receiver is on loopback, so this channel must allow private targets; the refusal tests use their own.
    channel: new WebhookChannel({ url: receiver.url, secret: SECRET, timeoutMs: 1500, allowPrivate: true }),
    maxAttempts: MAX_ATTEMPTS, backoffMs: 5, concurrency: 4,
  });
  await notifier.waitUntilReady();
  const res = await sys.app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs, { contact: { name: '赵六', phone: '13800005555' } }) });
  expect(res.statusCode).toBe(201);
  petition = res.json();
});

afterAll(async () => {
  await notifier?.close();
  await receiver?.close();
  await sys?.close();
});

function payload(key = `test-${randomUUID()}`): JobPayload<'notifications', 'deliver'> {
  return { key, petitionId: petition.petitionId, template: 'task_assigned', audience: 'lead_unit' };
}

async function enqueue(p: JobPayload<'notifications', 'deliver'>, jobId = p.key): Promise<void> {
  await sys.q.queues.enqueue('notifications', 'deliver', p, { jobId });
}

const rowOf = (key: string) => sys.tdb.db.selectFrom('notifications').selectAll().where('idempotency_key', '=', key).executeTakeFirstOrThrow();

/** Wait for a job to finish, either way, and return it. */
async function settled(jobId: string) {
  return eventually(async () => {
    const queue = sys.q.queues.queue('notifications');
    const state = await (await queue.getJob(jobId))?.getState();
    if (state !== 'completed' && state !== 'failed') return undefined;
    // Read the job again: one fetched before it finished holds no return value yet.
    const job = await queue.getJob(jobId);
    return job ? { job, state } : undefined;
  });
}

const admin = { 'x-actor-id': 'root', 'x-actor-role': 'admin' };
const supervisor = { 'x-actor-id': 'sup', 'x-actor-role': 'supervisor' };

describe('webhook deliveries', () => {
  it('signs every request, retries with backoff, and delivers once after two failures (attempts 3)', async () => {
    const p = payload();
    receiver.script(p.key, [500, 503, 200]);
    await enqueue(p);
    const { state, job } = await settled(p.key);
    expect(state).toBe('completed');
    expect(job.returnvalue).toBe('delivered');
    expect(await rowOf(p.key)).toMatchObject({ status: 'delivered', channel: 'webhook', attempts: 3, last_error: 'webhook answered HTTP 503', dead_lettered_at: null });
    const got = receiver.for(p.key);
    expect(got.map((r) => [r.signed, r.status])).toEqual([[true, 500], [true, 503], [true, 200]]);
    // Every attempt carries the same message; ids, tracking number and text only, no personal data.
    const bodies = got.map((r) => JSON.parse(r.body));
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);
    expect(Object.keys(bodies[0]).sort()).toEqual(['audience', 'bodyEn', 'bodyZh', 'createdAt', 'idempotencyKey', 'petitionId', 'template', 'trackingNo']);
    expect(bodies[0]).toMatchObject({ idempotencyKey: p.key, trackingNo: petition.trackingNo, template: 'task_assigned' });
    expect(bodies[0].bodyZh).toContain(petition.trackingNo);
    expect(got.map((r) => r.body).join()).not.toMatch(/赵六|13800005555|杜岭街道某小区/);
  });

  it('retries a request that timed out', async () => {
    const p = payload();
    receiver.script(p.key, ['hang', 200]);
    await enqueue(p);
    expect((await settled(p.key)).state).toBe('completed');
    expect(await rowOf(p.key)).toMatchObject({ status: 'delivered', attempts: 2, last_error: 'webhook timed out after 1500 ms' });
    expect(receiver.for(p.key).map((r) => r.status)).toEqual(['hang', 200]);
  });

  it('dead-letters a 4xx at once, without further retries', async () => {
    const p = payload();
    receiver.script(p.key, [400, 200]);
    await enqueue(p);
    const { state, job } = await settled(p.key);
    expect(state).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    const row = await rowOf(p.key);
    expect(row).toMatchObject({ status: 'dead_letter', attempts: 1, last_error: 'webhook answered HTTP 400' });
    expect(row.dead_lettered_at).toBeInstanceOf(Date);
    expect(receiver.for(p.key)).toHaveLength(1);
  });

  it('retries 429 (and 408) like a server error', async () => {
    const p = payload();
    receiver.script(p.key, [429, 408, 200]);
    await enqueue(p);
    expect((await settled(p.key)).state).toBe('completed');
    expect(await rowOf(p.key)).toMatchObject({ status: 'delivered', attempts: 3 });
  });

  it('sends a delivery once however often it is asked for, one after the other or at the same time', async () => {
    const p = payload();
    await enqueue(p);
    expect((await settled(p.key)).job.returnvalue).toBe('delivered');
    // The same delivery published again under another job id (a re-relayed outbox row), and called directly.
    await enqueue(p, `${p.key}-again`);
    expect((await settled(`${p.key}-again`)).job.returnvalue).toBe('duplicate');
    const channel = new WebhookChannel({ url: receiver.url, secret: SECRET, timeoutMs: 1500, allowPrivate: true });
    expect(await deliverNotification(sys.tdb.db, p, { channel, attemptsMade: 0, maxAttempts: 3 })).toBe('duplicate');
    expect(receiver.for(p.key)).toHaveLength(1);

    // Two jobs for a new key running at once: the row lock lets one send and the other find it delivered.
    const q = payload();
    await Promise.all([enqueue(q, `${q.key}-a`), enqueue(q, `${q.key}-b`)]);
    const results = await Promise.all([settled(`${q.key}-a`), settled(`${q.key}-b`)]);
    expect(results.map((r) => r.job.returnvalue as string).sort()).toEqual(['delivered', 'duplicate']);
    expect(receiver.for(q.key)).toHaveLength(1);
    expect(await rowOf(q.key)).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('records a message to an anonymous resident as skipped and sends nothing', async () => {
    const { contact: _none, ...anonymous } = noiseComplaint(sys.refs);
    const res = await sys.app.inject({ method: 'POST', url: '/petitions', payload: anonymous });
    const p = { ...payload(), petitionId: res.json().petitionId as string, template: 'feedback_request', audience: 'resident' as const };
    await enqueue(p);
    expect((await settled(p.key)).job.returnvalue).toBe('skipped');
    expect(await rowOf(p.key)).toMatchObject({ status: 'skipped_anonymous', attempts: 0 });
    expect(receiver.for(p.key)).toHaveLength(0);
  });
});

describe('the dead-letter list', () => {
  it('holds a delivery that failed NOTIFIER_MAX_ATTEMPTS times, shows it to admins and supervisors, and an admin puts it back', async () => {
    const p = payload();
    receiver.script(p.key, Array<Step>(MAX_ATTEMPTS).fill(500));
    await enqueue(p);
    const { state, job } = await settled(p.key);
    expect(state).toBe('failed');
    expect(job.attemptsMade).toBe(MAX_ATTEMPTS);
    expect(await rowOf(p.key)).toMatchObject({ status: 'dead_letter', attempts: MAX_ATTEMPTS, last_error: 'webhook answered HTTP 500' });
    expect(receiver.for(p.key)).toHaveLength(MAX_ATTEMPTS);

    const list = await sys.app.inject({ method: 'GET', url: '/admin/notifications/dead-letter', headers: admin });
    expect(list.statusCode).toBe(200);
    const item = list.json().items.find((i: { key: string }) => i.key === p.key);
    expect(item).toMatchObject({
      key: p.key, petitionId: petition.petitionId, trackingNo: petition.trackingNo, template: 'task_assigned', audience: 'lead_unit',
      channel: 'webhook', attempts: MAX_ATTEMPTS, lastError: 'webhook answered HTTP 500',
    });
    expect(Date.parse(item.deadLetteredAt)).not.toBeNaN();
    expect((await sys.app.inject({ method: 'GET', url: '/admin/notifications/dead-letter', headers: supervisor })).statusCode).toBe(200);
    const clerk = await sys.app.inject({ method: 'GET', url: '/admin/notifications/dead-letter' });
    expect(clerk.statusCode).toBe(403);
    expect(clerk.json()).toMatchObject({ statusCode: 403, code: 'ROLE_NOT_ALLOWED', reqId: expect.any(String) });

    // Supervisors may look but not retry.
    const denied = await sys.app.inject({ method: 'POST', url: `/admin/notifications/${item.id}/retry`, headers: supervisor });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().code).toBe('ROLE_NOT_ALLOWED');

    const retry = await sys.app.inject({ method: 'POST', url: `/admin/notifications/${item.id}/retry`, headers: admin });
    expect(retry.statusCode).toBe(202);
    const { jobId } = retry.json();
    expect(retry.json()).toMatchObject({ id: item.id, key: p.key, status: 'pending' });
    expect(jobId).not.toBe(p.key);
    expect(jobId).not.toContain(':');
    const again = await settled(jobId as string);
    expect(again.state).toBe('completed');
    expect(again.job.returnvalue).toBe('delivered');
    expect(await rowOf(p.key)).toMatchObject({ status: 'delivered', attempts: MAX_ATTEMPTS + 1, dead_lettered_at: null });
    expect(receiver.for(p.key)).toHaveLength(MAX_ATTEMPTS + 1);
    const after = await sys.app.inject({ method: 'GET', url: '/admin/notifications/dead-letter', headers: admin });
    expect(after.json().items.map((i: { key: string }) => i.key)).not.toContain(p.key);

    const twice = await sys.app.inject({ method: 'POST', url: `/admin/notifications/${item.id}/retry`, headers: admin });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'NOT_DEAD_LETTER', state: 'delivered' });
    const missing = await sys.app.inject({ method: 'POST', url: `/admin/notifications/${randomUUID()}/retry`, headers: admin });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('NOTIFICATION_NOT_FOUND');
  });

  it('pages newest first with limit and before', async () => {
    const keys: string[] = [];
    for (let i = 0; i < 3; i++) {
      const p = payload();
      receiver.script(p.key, [410]);
      await enqueue(p);
      expect((await settled(p.key)).state).toBe('failed');
      keys.push(p.key);
    }
    const seen: string[] = [];
    let before: string | null = null;
    for (;;) {
      const url: string = `/admin/notifications/dead-letter?limit=2${before ? `&before=${before}` : ''}`;
      const res = await sys.app.inject({ method: 'GET', url, headers: admin });
      expect(res.statusCode).toBe(200);
      const body = res.json<{ items: { key: string }[]; nextBefore: string | null }>();
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items.map((i) => i.key));
      before = body.nextBefore;
      if (!before) break;
    }
    expect(new Set(seen).size).toBe(seen.length);
    // The three just dead-lettered come first, newest first.
    expect(seen.slice(0, 3)).toEqual([...keys].reverse());
    const bad = await sys.app.inject({ method: 'GET', url: `/admin/notifications/dead-letter?before=${randomUUID()}`, headers: admin });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'INVALID_FIELD', field: 'before' });
  });
});

describe('webhook targets', () => {
  const targets = () => [
    `http://127.0.0.1:${receiver.port}/hooks/petitions`,
    'http://10.0.0.1/hooks/petitions',
    'http://169.254.169.254/latest/meta-data/',
    `http://[::1]:${receiver.port}/hooks/petitions`,
    `http://localhost:${receiver.port}/hooks/petitions`,
  ];

  it('refuses loopback, private and link-local targets at start and on every delivery, sending nothing', async () => {
    const before = receiver.received.length;
    for (const url of targets()) {
      const config = { NOTIFIER_WEBHOOK_URL: url, NOTIFIER_WEBHOOK_SECRET: SECRET, NOTIFIER_WEBHOOK_TIMEOUT_MS: 1500, NOTIFIER_WEBHOOK_ALLOW_PRIVATE: false };
      await expect(channelFromConfig(config), url).rejects.toBeInstanceOf(ConfigError);

      const p = payload();
      const channel = new WebhookChannel({ url, secret: SECRET, timeoutMs: 1500, allowPrivate: false });
      await expect(deliverNotification(sys.tdb.db, p, { channel, attemptsMade: 0, maxAttempts: MAX_ATTEMPTS }), url)
        .rejects.toMatchObject({ name: 'UnrecoverableError', message: expect.stringContaining('webhook target refused') });
      const row = await rowOf(p.key);
      expect(row, url).toMatchObject({ status: 'dead_letter', attempts: 1 });
      expect(row.last_error, url).toMatch(/^webhook target refused: .* is (loopback|private|link-local)/);
    }
    expect(receiver.received.length).toBe(before);
  });

  it('stops the notifier process at start when its webhook target is refused', async () => {
    const proc = startService('services/notifier/src/main.ts', {
      DATABASE_URL: sys.tdb.url, REDIS_URL: process.env.REDIS_URL!, QUEUE_PREFIX: sys.q.settings.prefix, LOG_LEVEL: 'info',
      NOTIFIER_WEBHOOK_URL: 'http://169.254.169.254/latest/meta-data/', NOTIFIER_WEBHOOK_SECRET: SECRET,
    });
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toContain('NOTIFIER_WEBHOOK_URL: 169.254.169.254 is link-local');
    expect(proc.output()).not.toContain(SECRET);
  });
});
