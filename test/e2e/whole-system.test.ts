import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, eventually, refIds, testQueueSettings, type TestDatabase } from '../support/fixtures.js';
import { freePort, startService, stopServicesAndCleanUp, type ServiceProcess } from '../support/processes.js';
import { noiseComplaint } from '../support/system.js';

/** The four services as real processes, talking over HTTP, Redis and Postgres as in production. */
let tdb: TestDatabase;
let procs: ServiceProcess[] = [];
let base = '';
let prefix = '';

beforeAll(async () => {
  tdb = await createTestDatabase();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  prefix = testQueueSettings().prefix;
  const env = {
    DATABASE_URL: tdb.url, REDIS_URL: process.env.REDIS_URL!, QUEUE_PREFIX: prefix,
    // Debug logging everywhere: the test then checks that no personal data reached any log line.
    LOG_LEVEL: 'debug', HOST: '127.0.0.1', PORT: String(port),
    PETITIONS_ENCRYPTION_KEY: randomBytes(32).toString('base64'), PETITIONS_HMAC_KEY: randomBytes(32).toString('base64'),
    RELAY_INTERVAL_MS: '50', DB_POOL_SIZE: '4', API_DEV_IDENTITY: 'true',
  };
  procs = [
    startService('services/api/src/main.ts', env),
    startService('services/workflow-worker/src/main.ts', env),
    startService('services/scheduler/src/main.ts', env),
    startService('services/notifier/src/main.ts', env),
  ];
  // Four tsx processes compile at once: on a loaded 2-core machine that can take a while.
  const ready = (p: ServiceProcess, name: string) => p.waitForOutput(`${name} ready`, 50_000);
  await Promise.all([ready(procs[1]!, 'workflow-worker'), ready(procs[2]!, 'scheduler'), ready(procs[3]!, 'notifier')]);
  await eventually(async () => (await fetch(`${base}/health`).catch(() => null))?.ok, 30_000, 100);
}, 90_000);

afterAll(async () => {
  // Two-phase shutdown: every service drains and exits 0 on SIGTERM.
  expect(await stopServicesAndCleanUp(procs, tdb, prefix)).toEqual([0, 0, 0, 0]);
}, 30_000);

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() as Record<string, any> };
}

describe('the whole system', () => {
  it('takes a petition from intake to closed and tells the people involved', async () => {
    const refs = await refIds(tdb.db);
    const contact = { name: '孙悟空', phone: '13800007777', address: '金水区花果山路1号' };
    const submit = await post('/petitions', noiseComplaint(refs, { contact }));
    expect(submit.status).toBe(201);
    expect(submit.body).toMatchObject({ state: 'dispatched', leadUnit: { name: '金水区城市管理局' } });
    const id = submit.body.petitionId as string;
    const handler = { 'x-actor-id': 'h1', 'x-actor-role': 'handler', 'x-actor-unit': submit.body.leadUnit.id as string };
    expect((await post(`/petitions/${id}/sign-for`, {}, handler)).body.state).toBe('handling');
    expect((await post(`/petitions/${id}/complete`, { result: '已协调夜市管理方', resolved: true }, handler)).body.state).toBe('awaitingFeedback');
    expect((await post(`/petitions/${id}/rate`, { satisfaction: 'basically_satisfied', resolved: true }, { 'x-actor-role': 'follow_up' })).body.state).toBe('closed');

    // The scheduler relays the outbox, the notifier delivers: receipt, new task, completion, feedback request, closing note.
    const templates = await eventually(async () => {
      const rows = await tdb.db.selectFrom('notifications').select('template').where('petition_id', '=', id).execute();
      const names = rows.map((r) => r.template).sort();
      return names.length >= 5 ? names : undefined;
    }, 15_000, 100);
    expect(templates).toEqual(['feedback_request', 'petition_closed', 'petition_completed', 'petition_received', 'task_assigned']);

    const view = await (await fetch(`${base}/petitions/${id}`)).json() as Record<string, any>;
    expect(view.timeline).toHaveLength(4);
    expect(view.outcome).toBe('resolved');

    // The scheduler folds the worker's events into the leaders' figures within a pass or two.
    const report = await eventually(async () => {
      const r = await (await fetch(`${base}/reports/summary?period=day&groupBy=unit`, { headers: { 'x-actor-id': 'l1', 'x-actor-role': 'leader' } })).json() as Record<string, any>;
      return r.total?.rated === 1 ? r : undefined;
    }, 15_000, 100);
    expect(report.total).toMatchObject({ received: 1, dispatched: 1, responseRate: 1, completed: 1, onTimeRate: 1, rated: 1, resolutionRate: 1, satisfactionRate: 1, open: 0 });
    expect(report.rows).toEqual([expect.objectContaining({ name: '金水区城市管理局' })]);

    const logs = procs.map((p) => p.output()).join('\n');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of [contact.name, contact.phone, contact.address]) expect(logs).not.toContain(secret);
  });

  it('serves the OpenAPI document at /docs', async () => {
    const res = await fetch(`${base}/docs/json`);
    expect(res.status).toBe(200);
    const doc = await res.json() as { paths: Record<string, Record<string, { operationId?: string }>> };
    expect(doc.paths['/petitions']?.post?.operationId).toBe('submitPetition');
    expect(Object.keys(doc.paths)).toContain('/petitions/{id}/sign-for');
    expect(doc.paths['/reports/summary']?.get?.operationId).toBe('getReportSummary');
  });
});
