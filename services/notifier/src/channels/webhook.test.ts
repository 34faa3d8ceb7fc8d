import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingMessage } from './channel.js';
import { verifySignature } from './signature.js';
import { WebhookChannel } from './webhook.js';

const SECRET = 'unit-test-secret-0123456789abcdef';
const MSG: OutgoingMessage = {
  idempotencyKey: 'notify-abc-task_assigned-lead_unit', petitionId: '00000000-0000-4000-8000-000000000001', trackingNo: '2026112100000001',
  audience: 'lead_unit', template: 'task_assigned', bodyZh: '【12345】您单位有新的诉求工单 2026112100000001，请及时签收办理。', bodyEn: '[12345] ...',
  createdAt: '2026-11-21T08:00:00.000Z',
};

interface Seen { method: string; path: string; headers: http.IncomingHttpHeaders; body: string }
let server: http.Server;
let base = '';
let answer: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_req, res) => res.end();
const seen: Seen[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => { body += c; });
    req.on('end', () => {
      seen.push({ method: req.method!, path: req.url!, headers: req.headers, body });
      answer(req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const channel = (path = '/hook', timeoutMs = 5000) => new WebhookChannel({ url: `${base}${path}`, secret: SECRET, timeoutMs, allowPrivate: true });
const statusAnswer = (status: number, headers: Record<string, string> = {}) => (_req: http.IncomingMessage, res: http.ServerResponse) => res.writeHead(status, headers).end('x');

describe('WebhookChannel', () => {
  it('POSTs the message as JSON with the idempotency key, a timestamp and a valid signature', async () => {
    seen.length = 0;
    answer = statusAnswer(204);
    await channel('/hook?x=1').deliver(MSG);
    expect(seen).toHaveLength(1);
    const r = seen[0]!;
    expect(r).toMatchObject({ method: 'POST', path: '/hook?x=1' });
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['idempotency-key']).toBe(MSG.idempotencyKey);
    expect(verifySignature(SECRET, r.headers['x-petitions-timestamp'] as string, r.body, r.headers['x-petitions-signature'] as string)).toBe(true);
    expect(JSON.parse(r.body)).toEqual(MSG);
  });

  it('does not follow redirects: a 3xx is a failure to retry', async () => {
    seen.length = 0;
    answer = statusAnswer(302, { location: `${base}/elsewhere` });
    await expect(channel().deliver(MSG)).rejects.toMatchObject({ name: 'WebhookError', message: 'webhook answered HTTP 302; redirects are not followed' });
    expect(seen.map((s) => s.path)).toEqual(['/hook']);
  });

  it.each([400, 401, 403, 404, 410, 422])('gives up at once on HTTP %i', async (status) => {
    answer = statusAnswer(status);
    await expect(channel().deliver(MSG)).rejects.toMatchObject({ name: 'UnrecoverableError', message: `webhook answered HTTP ${status}` });
  });

  it.each([408, 429, 500, 502, 503])('retries HTTP %i', async (status) => {
    answer = statusAnswer(status);
    await expect(channel().deliver(MSG)).rejects.toMatchObject({ name: 'WebhookError', status });
  });

  it('times out a receiver that does not answer', async () => {
    answer = () => undefined; // never answers
    await expect(channel('/hook', 200).deliver(MSG)).rejects.toMatchObject({ name: 'WebhookError', message: 'webhook timed out after 200 ms' });
  });

  it('reports a refused connection without the URL', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const ch = new WebhookChannel({ url: `http://127.0.0.1:${port}/secret-path?token=t`, secret: SECRET, timeoutMs: 2000, allowPrivate: true });
    await expect(ch.deliver(MSG)).rejects.toMatchObject({ message: 'webhook request failed (ECONNREFUSED)' });
  });

  it('refuses a private target per delivery, sending nothing, unless allowed', async () => {
    seen.length = 0;
    const ch = new WebhookChannel({ url: `${base}/hook`, secret: SECRET, timeoutMs: 2000, allowPrivate: false });
    await expect(ch.deliver(MSG)).rejects.toMatchObject({ name: 'UnrecoverableError', message: expect.stringContaining('webhook target refused: 127.0.0.1 is loopback') });
    expect(seen).toHaveLength(0);
  });

  it('re-resolves for every delivery: a host that turns private (DNS rebinding) is refused', async () => {
    seen.length = 0;
    answer = statusAnswer(200);
    let answerWith = '93.184.216.34';
    const ch = new WebhookChannel({
      url: `http://hooks.example:${new URL(base).port}/hook`, secret: SECRET, timeoutMs: 2000, allowPrivate: false,
      resolve: async () => [{ address: answerWith, family: 4 }],
    });
    await expect(ch.check()).resolves.toBeUndefined();
    answerWith = '127.0.0.1';
    await expect(ch.deliver(MSG)).rejects.toMatchObject({ name: 'UnrecoverableError', message: expect.stringContaining('hooks.example (127.0.0.1) is loopback') });
    expect(seen).toHaveLength(0);
  });
});
