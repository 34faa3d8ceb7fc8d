import { request as httpRequest } from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp, OutcomeWaiter, ReferenceCache, type HttpSettings } from '@petitions/api';
import { ApiEnv, ConfigError, parseEnv } from '@petitions/config';
import { createRedisConnection } from '@petitions/queue';
import type { Redis } from 'ioredis';
import { testKeys } from '../support/fixtures.js';
import { freePort, REPO_ROOT } from '../support/processes.js';
import { noiseComplaint, startTestSystem, TEST_AUTH, testHttp, type TestSystem } from '../support/system.js';

let sys: TestSystem;
const cleanups: (() => Promise<void> | void)[] = [];
beforeAll(async () => { sys = await startTestSystem(); });
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  await sys.close();
});

/**
 * Another API replica over the same database and the same Redis (its own connection), with HTTP
 * settings of its own: what a second process behind the load balancer is.
 */
async function replica(http: Partial<HttpSettings>, redis?: Redis): Promise<FastifyInstance> {
  const connection = redis ?? createRedisConnection(process.env.REDIS_URL!, 'producer');
  const waiter = new OutcomeWaiter(sys.tdb.db, sys.q.workerConnection(), sys.q.settings.prefix);
  await waiter.waitUntilReady();
  const app = await buildApp({
    db: sys.tdb.db, redis: connection, queues: sys.q.queues, waiter, keys: testKeys(), reference: new ReferenceCache(sys.tdb.db),
    commandWaitMs: 5000, enqueueTimeoutMs: 300, auth: TEST_AUTH, http: testHttp(sys.q.settings.prefix, http),
  });
  cleanups.push(async () => {
    await app.close();
    await waiter.close();
    connection.disconnect();
  });
  return app;
}

const limited = (perMinute: number, intakePerMinute: number): Partial<HttpSettings> => ({
  rateLimit: { perMinute, intakePerMinute, keyPrefix: sys.q.settings.prefix },
});

async function counts() {
  const db = sys.tdb.db;
  const [p, c] = await Promise.all([
    db.selectFrom('petitions').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('commands').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return [Number(p.n), Number(c.n)];
}

describe('rate limits (in Redis, shared by replicas)', () => {
  it('counts a client across two replicas and answers 429 RATE_LIMITED with Retry-After after the limit', async () => {
    const [a, b] = await Promise.all([replica(limited(5, 3)), replica(limited(5, 3))]);
    const client = { remoteAddress: '10.1.0.1' };
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await (i % 2 === 0 ? a : b).inject({ method: 'GET', url: '/categories', ...client });
      statuses.push(res.statusCode);
      expect(res.headers['x-ratelimit-limit']).toBe('5');
      expect(res.headers['x-ratelimit-remaining']).toBe(String(4 - i));
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    // The sixth request is refused by whichever replica gets it: the count lives in Redis.
    for (const app of [a, b]) {
      const res = await app.inject({ method: 'GET', url: '/categories', ...client });
      expect(res.statusCode).toBe(429);
      expect(res.json()).toEqual({ statusCode: 429, code: 'RATE_LIMITED', message: expect.stringContaining('retry in'), reqId: expect.any(String) });
      const retryAfter = Number(res.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
    }
    const keys = await sys.q.producer.keys(`${sys.q.settings.prefix}:ratelimit:*10.1.0.1`);
    expect(keys).toEqual([`${sys.q.settings.prefix}:ratelimit:all:ip:10.1.0.1`]);
    const ttl = await sys.q.producer.pttl(keys[0]!);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);

    // Another address has its own budget; health and the UI's files are never limited.
    expect((await a.inject({ method: 'GET', url: '/categories', remoteAddress: '10.1.0.2' })).statusCode).toBe(200);
    for (const url of ['/health', '/', '/app.js', '/styles.css']) {
      const res = await b.inject({ method: 'GET', url, ...client });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['x-ratelimit-limit'], url).toBeUndefined();
    }
  });

  it('gives intake (POST /petitions) a stricter budget of its own, counted before the body is read', async () => {
    const [a, b] = await Promise.all([replica(limited(50, 3)), replica(limited(50, 3))]);
    const client = { remoteAddress: '10.1.0.3' };
    const first = await a.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs, { title: '限流受理一' }), ...client });
    expect(first.statusCode).toBe(201);
    expect(first.headers['x-ratelimit-limit']).toBe('3');
    // Refused bodies count too: the limit runs before parsing and validation.
    expect((await b.inject({ method: 'POST', url: '/petitions', payload: {}, ...client })).statusCode).toBe(400);
    expect((await a.inject({ method: 'POST', url: '/petitions', payload: {}, ...client })).statusCode).toBe(400);
    const before = await counts();
    const refused = await b.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs, { title: '限流受理二' }), ...client });
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    expect(await counts()).toEqual(before);
    // Other routes still have the global budget left.
    const other = await a.inject({ method: 'GET', url: '/categories', ...client });
    expect(other.statusCode).toBe(200);
    expect(other.headers['x-ratelimit-limit']).toBe('50');
  });

  it('does not let the development identity pick the bucket: X-Actor-Id from one address shares its budget', async () => {
    const app = await replica(limited(3, 3));
    const statuses = [];
    for (const id of ['a', 'b', 'c', 'd']) {
      statuses.push((await app.inject({ method: 'GET', url: '/categories', remoteAddress: '10.1.0.4', headers: { 'x-actor-id': `clerk-${id}` } })).statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('gives each signed-in user a budget of their own, even behind one address', async () => {
    const tokens: string[] = [];
    for (const username of ['rl.clerk.one', 'rl.clerk.two']) {
      const password = 'correct horse battery staple';
      const created = await sys.app.inject({
        method: 'POST', url: '/admin/users', headers: { 'x-actor-role': 'admin' },
        payload: { username, displayName: username, role: 'clerk', unitId: null, password },
      });
      expect(created.statusCode, created.body).toBe(201);
      const login = await sys.app.inject({ method: 'POST', url: '/auth/login', payload: { username, password } });
      expect(login.statusCode, login.body).toBe(200);
      tokens.push(login.json().accessToken as string);
    }
    const app = await replica(limited(2, 2));
    const call = (token?: string) => app.inject({
      method: 'GET', url: '/categories', remoteAddress: '10.1.0.5', ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
    }).then((r) => r.statusCode);
    expect([await call(tokens[0]), await call(tokens[0]), await call(tokens[0])]).toEqual([200, 200, 429]);
    expect([await call(tokens[1]), await call(tokens[1]), await call(tokens[1])]).toEqual([200, 200, 429]);
    // The address itself (no token) still has its own budget.
    expect(await call()).toBe(200);
  });

  it('lets requests through when Redis does not answer (the write path keeps working in an outage)', async () => {
    const dead = createRedisConnection(`redis://127.0.0.1:${await freePort()}`, 'producer');
    const app = await replica(limited(1, 1), dead);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await app.inject({ method: 'GET', url: '/categories', remoteAddress: '10.1.0.6' })).statusCode);
    expect(statuses).toEqual([200, 200, 200]);
  });
});

describe('security headers', () => {
  it('sends a strict CSP and the usual headers with the UI, its files and API answers', async () => {
    for (const url of ['/', '/app.js', '/categories', '/petitions/00000000-0000-4000-8000-000000000000']) {
      const res = await sys.app.inject({ method: 'GET', url });
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("default-src 'self'");
      expect(csp, url).toContain("script-src 'self'");
      expect(csp, url).toContain("style-src 'self'");
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).toContain("object-src 'none'");
      expect(csp, url).not.toContain('unsafe-inline');
      expect(csp, url).not.toContain('upgrade-insecure-requests');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
      expect(res.headers['cross-origin-opener-policy'], url).toBe('same-origin');
      expect(res.headers['strict-transport-security'], url).toContain('max-age=');
      expect(res.headers['x-powered-by'], url).toBeUndefined();
    }
  });

  it('relaxes the CSP for the API docs only, and the docs still load', async () => {
    const page = await sys.app.inject({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('swagger-ui-bundle.js');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("script-src 'self' 'unsafe-inline'");
    for (const url of ['/docs/static/swagger-ui-bundle.js', '/docs/static/swagger-initializer.js', '/docs/json']) {
      expect((await sys.app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
    }
    // Nothing the docs page loads is inline: all three scripts have a src.
    expect(page.body.match(/<script(?![^>]*\ssrc=)[^>]*>/g) ?? []).toEqual([]);
  });

  it('keeps the UI within its CSP: no inline scripts, styles or handlers in its files', () => {
    const root = join(REPO_ROOT, 'services/web/public');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(html|js)$/.test(f));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const text = readFileSync(join(root, f), 'utf8');
      if (f.endsWith('.html')) {
        expect(text.match(/<script(?![^>]*\ssrc=)[^>]*>/g) ?? [], f).toEqual([]);
        expect(text, f).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
      } else {
        // h(tag, { style: ... }) would set a style attribute, which style-src 'self' blocks.
        expect(text, f).not.toMatch(/\bstyle:\s|setAttribute\(\s*['"]style|innerHTML|\beval\(|new Function\(/);
      }
    }
  });
});

describe('CORS', () => {
  const listed = 'https://intake.example.gov.cn';
  const preflight = (origin: string) => ({
    method: 'OPTIONS' as const, url: '/petitions',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,idempotency-key,authorization' },
  });

  it('answers listed origins and their preflight, and nobody else', async () => {
    const app = await replica({ corsOrigins: [listed, 'http://localhost:5173'] });
    const ok = await app.inject({ method: 'GET', url: '/categories', headers: { origin: listed } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe(listed);
    expect(String(ok.headers.vary)).toMatch(/origin/i);
    expect(String(ok.headers['access-control-expose-headers'])).toContain('Retry-After');

    const pre = await app.inject(preflight(listed));
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe(listed);
    expect(String(pre.headers['access-control-allow-methods'])).toContain('POST');
    expect(String(pre.headers['access-control-allow-headers'])).toContain('Idempotency-Key');
    expect(pre.headers['access-control-max-age']).toBe('600');

    const refused = await app.inject({ method: 'GET', url: '/categories', headers: { origin: 'https://evil.example' } });
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    const refusedPre = await app.inject(preflight('https://evil.example'));
    expect(refusedPre.statusCode).toBe(404);
    expect(refusedPre.headers['access-control-allow-origin']).toBeUndefined();
    expect(refusedPre.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('sends no CORS headers at all by default (same origin only)', async () => {
    const res = await sys.app.inject({ method: 'GET', url: '/categories', headers: { origin: listed } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const pre = await sys.app.inject(preflight(listed));
    expect(pre.statusCode).toBe(404);
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('body size', () => {
  it('answers 413 BODY_TOO_LARGE in the standard error body, and writes nothing', async () => {
    const before = await counts();
    const res = await sys.app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs, { content: '长'.repeat(100_000) }) });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ statusCode: 413, code: 'BODY_TOO_LARGE', message: expect.stringContaining(String(256 * 1024)), reqId: expect.any(String) });
    expect(await counts()).toEqual(before);
  });

  it('refuses a body that is not JSON with 415 UNSUPPORTED_MEDIA_TYPE saying what to send, and writes nothing', async () => {
    const before = await counts();
    const res = await sys.app.inject({ method: 'POST', url: '/petitions', headers: { 'content-type': 'text/plain' }, payload: JSON.stringify(noiseComplaint(sys.refs)) });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringContaining('application/json') });
    expect(await counts()).toEqual(before);
  });

  it('takes the limit from the settings', async () => {
    const app = await replica({ bodyLimitBytes: 2048 });
    const res = await app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs, { content: 'x'.repeat(3000) }) });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'BODY_TOO_LARGE', message: expect.stringContaining('2048') });
  });
});

describe('text input', () => {
  const cases: [string, (b: Record<string, unknown>) => Record<string, unknown>, string][] = [
    ['a right-to-left override in the title', (b) => ({ ...b, title: '噪音\u202Egnp.exe' }), 'title'],
    ['a bidi isolate in the contact name', (b) => ({ ...b, contact: { name: '王\u2066小明', phone: '13800000001' } }), 'contact.name'],
    ['a bell character in the title', (b) => ({ ...b, title: '噪音\u0007扰民' }), 'title'],
    ['a line break in the title (a one-line field)', (b) => ({ ...b, title: '噪音\n扰民' }), 'title'],
    ['a NUL in the content', (b) => ({ ...b, content: '夜市\u0000噪音' }), 'content'],
    ['a C1 control in the location', (b) => ({ ...b, locationText: '杜岭街\u0085' }), 'locationText'],
    ['a lone surrogate in the content', (b) => ({ ...b, content: '夜市\uD800噪音' }), 'content'],
    ['a pop-directional-isolate in a category detail', (b) => ({ ...b, details: { extra_note: 'x\u2069' } }), 'details.extra_note'],
  ];

  for (const [what, change, field] of cases) {
    it(`refuses ${what} with 400 INVALID_CHARACTERS naming ${field}, and writes nothing`, async () => {
      const before = await counts();
      const res = await sys.app.inject({ method: 'POST', url: '/petitions', payload: change(noiseComplaint(sys.refs)) });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ statusCode: 400, code: 'INVALID_CHARACTERS', field, reqId: expect.any(String) });
      expect(res.json().message).toMatch(new RegExp(`^${field.replace('.', '\\.')}: contains `));
      expect(await counts()).toEqual(before);
    });
  }

  it('accepts line breaks and tabs in long text, CRLF as LF, and stores every string in NFC', async () => {
    // 91 decomposed "é" make the title 186 code units, over its limit of 100; NFC makes it 95, within.
    const title = `Cafe\u0301 ${'e\u0301'.repeat(90)}`;
    const content = '第一行\r\n第二行\n\t缩进；兼容汉字\uF900与\u2F00。';
    const res = await sys.app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(sys.refs, { title, content, contact: { name: 'Jose\u0301 王', phone: '13800000002' } }) });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().petitionId as string;
    const row = await sys.tdb.db.selectFrom('petitions').select(['title', 'content']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.title).toBe(`Caf\u00e9 ${'\u00e9'.repeat(90)}`);
    expect(row.title.length).toBe(95);
    // U+F900 is a CJK compatibility ideograph, canonically U+8C48 (NFC); U+2F00 (a Kangxi radical) is
    // only compatibility-equivalent and stays as it is.
    expect(row.content).toBe('第一行\n第二行\n\t缩进；兼容汉字\u8C48与\u2F00。');
    const read = await sys.app.inject({ method: 'GET', url: `/petitions/${id}` });
    expect(read.json().title).toBe(row.title);

    // The same checks on every route: a command's text, a query string.
    const note = await sys.app.inject({
      method: 'POST', url: `/petitions/${id}/notes`, headers: { 'x-actor-role': 'dispatcher' },
      payload: { text: '已核实\u202E', visibility: 'internal' },
    });
    expect(note.statusCode).toBe(400);
    expect(note.json()).toMatchObject({ code: 'INVALID_CHARACTERS', field: 'text' });
    const list = await sys.app.inject({ method: 'GET', url: `/petitions?state=${encodeURIComponent('dispatched\u202E')}` });
    expect(list.statusCode).toBe(400);
    expect(list.json()).toMatchObject({ code: 'INVALID_CHARACTERS', field: 'state' });
  });

  it('refuses a body that is not UTF-8 with 400 INVALID_ENCODING, and writes nothing', async () => {
    const before = await counts();
    const json = JSON.stringify(noiseComplaint(sys.refs, { title: 'TITLE' }));
    const [head, tail] = json.split('TITLE') as [string, string];
    const bodies = {
      'a stray continuation byte': Buffer.from([0x80]),
      'GBK-encoded Chinese': Buffer.from([0xd4, 0xeb, 0xd2, 0xf4]),
      'an overlong slash': Buffer.from([0xc0, 0xaf]),
      'a truncated sequence at the end': Buffer.from([0xe5, 0x99]),
    };
    for (const [what, bytes] of Object.entries(bodies)) {
      const payload = what.includes('end') ? Buffer.concat([Buffer.from(json), bytes]) : Buffer.concat([Buffer.from(head), bytes, Buffer.from(tail)]);
      const res = await sys.app.inject({ method: 'POST', url: '/petitions', headers: { 'content-type': 'application/json; charset=utf-8' }, payload });
      expect(res.statusCode, what).toBe(400);
      expect(res.json(), what).toMatchObject({ statusCode: 400, code: 'INVALID_ENCODING', reqId: expect.any(String) });
    }
    expect(await counts()).toEqual(before);
  });

  it('names what a tracking number looks like rather than its pattern, and lets no request claim the engine\'s own role', async () => {
    const bad = await sys.app.inject({ method: 'GET', url: '/petitions/by-tracking-number/12AB' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('16 to 20 digits');
    expect(bad.json().message).not.toContain('^[0-9]');
    const system = await sys.app.inject({ method: 'POST', url: '/petitions', headers: { 'x-actor-role': 'system' }, payload: noiseComplaint(sys.refs) });
    expect(system.statusCode).toBe(400);
    expect(system.json()).toMatchObject({ code: 'INVALID_ACTOR', message: expect.not.stringContaining('system') });
  });

  it('refuses a body nested too deeply to walk with 400 INVALID_JSON, not a crash', async () => {
    const payload = `{"title": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const res = await sys.app.inject({ method: 'POST', url: '/petitions', headers: { 'content-type': 'application/json' }, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ statusCode: 400, code: 'INVALID_JSON', message: expect.stringContaining('nested') });
  });

  it('accepts a character split across network packets (the check streams)', async () => {
    const app = await replica({});
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const body = Buffer.from(JSON.stringify(noiseComplaint(sys.refs, { title: '分包噪音' })));
    const cut = body.indexOf(Buffer.from('噪')) + 1;
    const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/petitions', headers: { 'content-type': 'application/json', 'content-length': body.length } }, (r) => {
        let text = '';
        r.setEncoding('utf8');
        r.on('data', (d: string) => { text += d; });
        r.on('end', () => resolve({ status: r.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.write(body.subarray(0, cut));
      setTimeout(() => req.end(body.subarray(cut)), 50);
    });
    expect(res.status, res.text).toBe(201);
    const row = await sys.tdb.db.selectFrom('petitions').select('title').where('id', '=', JSON.parse(res.text).petitionId).executeTakeFirstOrThrow();
    expect(row.title).toBe('分包噪音');
  });
});

describe('configuration', () => {
  const base = {
    DATABASE_URL: 'postgres://x@127.0.0.1/db', REDIS_URL: 'redis://127.0.0.1:6379',
    PETITIONS_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'), PETITIONS_HMAC_KEY: Buffer.alloc(32, 2).toString('base64'),
  };

  it('has production defaults and refuses malformed origins', () => {
    const c = parseEnv(ApiEnv, base);
    expect(c).toMatchObject({
      API_RATE_LIMIT_PER_MINUTE: 600, API_INTAKE_RATE_LIMIT_PER_MINUTE: 120, API_RATE_LIMIT_ENABLED: true,
      API_CORS_ORIGINS: '', API_BODY_LIMIT_BYTES: 262_144, API_REQUEST_TIMEOUT_MS: 30_000, API_TRUST_PROXY: '',
    });
    expect(parseEnv(ApiEnv, { ...base, API_CORS_ORIGINS: 'https://a.example.cn, http://localhost:5173,http://[::1]:8080' }).API_CORS_ORIGINS).toContain('localhost');
    for (const bad of ['https://a.example.cn/', 'a.example.cn', 'https://a.example.cn/path', '*']) {
      expect(() => parseEnv(ApiEnv, { ...base, API_CORS_ORIGINS: bad }), bad).toThrow(ConfigError);
    }
    expect(() => parseEnv(ApiEnv, { ...base, API_RATE_LIMIT_PER_MINUTE: '0' })).toThrow(ConfigError);
  });
});
