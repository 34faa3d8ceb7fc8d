import { createHash, randomUUID } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeysRepo } from '@petitions/db';
import { createLogger } from '@petitions/runtime';
import { startCommandWorker } from '@petitions/workflow-worker';
import { eventually } from '../support/fixtures.js';
import { noiseComplaint, startTestSystem, type TestSystem } from '../support/system.js';

/**
 * Open311 GeoReport v2 at /open311/v2: discovery, services, service definitions, creating
 * requests through the write path with an api_key, reading them back, tokens, errors — in JSON
 * and in XML, which is parsed back here with a real XML parser.
 */
let sys: TestSystem;
let apiKey: string;
beforeAll(async () => {
  sys = await startTestSystem();
  const created = await sys.app.inject({ method: 'POST', url: '/admin/open311-keys', headers: admin, payload: { name: '随手拍 app' } });
  expect(created.statusCode).toBe(201);
  apiKey = created.json<{ key: string }>().key;
});
afterAll(async () => { await sys.close(); });

const admin = { 'x-actor-id': 'root', 'x-actor-role': 'admin' };
const clerk = { 'x-actor-id': 'clerk1', 'x-actor-role': 'clerk' };
const V2 = '/open311/v2';

/** Repeated elements are arrays even when there is one; every value stays text. */
const REPEATED = new Set(['services.service', 'service_definition.attributes.attribute', 'service_definition.attributes.attribute.values.value',
  'service_requests.request', 'errors.error', 'discovery.endpoints.endpoint', 'discovery.endpoints.endpoint.formats.format']);
const xml = new XMLParser({ parseTagValue: false, isArray: (_name, path) => typeof path === 'string' && REPEATED.has(path) });
const parseXml = (body: string) => xml.parse(body) as Record<string, Record<string, unknown>>;

/** The requester's personal data in every POST below: none of it may appear in a GET answer. */
const PERSON = { first_name: '小明', last_name: '王', phone: '13800009876', email: 'wang.xiaoming@example.com' };
const PERSONAL_STRINGS = ['王小明', '小明', '13800009876', '138****9876', 'wang.xiaoming', 'example.com', '王*'];

function form(fields: Record<string, string | string[]>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
  return p.toString();
}

async function post(fields: Record<string, string | string[]>, format: 'json' | 'xml' = 'json', headers: Record<string, string> = {}) {
  return sys.app.inject({
    method: 'POST', url: `${V2}/requests.${format}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers }, payload: form(fields),
  });
}

/** A noise complaint at night in 金水区 杜岭街道, with the requester's name and phone. */
const noise = (extra: Record<string, string | string[]> = {}) => ({
  api_key: apiKey, service_code: 'city.noise', lat: '34.7725', long: '113.6862', address_string: '杜岭街与金水路交叉口',
  description: '每晚十点以后夜市音响声音很大，影响休息。', media_url: 'https://img.example.org/p/1.jpg',
  'attribute[DISTRICT]': 'zz-js', 'attribute[STREET]': 'zz-js-duling',
  'attribute[occurs_at_night]': 'true', 'attribute[source]': '夜市',
  ...PERSON, ...extra,
});

const getJson = async <T = Record<string, unknown>[]>(url: string) => {
  const res = await sys.app.inject({ method: 'GET', url });
  return { res, body: res.json<T>() };
};

describe('discovery and services', () => {
  it('describes the endpoint in JSON and XML', async () => {
    const { res, body } = await getJson<Record<string, unknown>>(`${V2}/discovery.json`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(body).toMatchObject({ endpoints: [{ specification: 'http://wiki.open311.org/GeoReport_v2', type: 'production', formats: ['text/xml', 'application/json'] }] });
    expect((body.endpoints as { url: string }[])[0]!.url).toMatch(/\/open311\/v2$/);
    for (const k of ['changeset', 'contact', 'key_service']) expect(typeof body[k]).toBe('string');

    const x = await sys.app.inject({ method: 'GET', url: `${V2}/discovery.xml` });
    expect(x.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(x.body.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    const d = parseXml(x.body).discovery!;
    expect(d.endpoints).toMatchObject({ endpoint: [{ specification: 'http://wiki.open311.org/GeoReport_v2', formats: { format: ['text/xml', 'application/json'] } }] });
  });

  it('lists one service per active leaf category, grouped by the parent category', async () => {
    const { res, body } = await getJson(`${V2}/services.json`);
    expect(res.statusCode).toBe(200);
    const codes = body.map((s) => s.service_code);
    expect(codes).toContain('city.noise');
    expect(codes).toContain('other.misc');
    expect(codes).not.toContain('city');
    const leaves = sys.refs.categories.filter((c) => !sys.refs.categories.some((x) => x.code.startsWith(`${c.code}.`)));
    expect(body).toHaveLength(leaves.length);
    expect(body.find((s) => s.service_code === 'city.noise')).toEqual({
      service_code: 'city.noise', service_name: '噪音扰民', description: 'Noise nuisance', metadata: true, type: 'realtime',
      keywords: 'Noise nuisance,城市管理,Urban management', group: '城市管理',
    });

    const x = await sys.app.inject({ method: 'GET', url: `${V2}/services.xml` });
    const services = (parseXml(x.body).services!.service as Record<string, string>[]);
    expect(services).toHaveLength(leaves.length);
    expect(services.find((s) => s.service_code === 'traffic.congestion')).toMatchObject({ service_name: '道路拥堵', metadata: 'true', type: 'realtime', group: '交通出行' });
  });

  it('defines a service\'s attributes: district, street and the category\'s extra fields', async () => {
    const { res, body } = await getJson<{ service_code: string; attributes: Record<string, unknown>[] }>(`${V2}/services/city.noise.json`);
    expect(res.statusCode).toBe(200);
    expect(body.service_code).toBe('city.noise');
    expect(body.attributes.map((a) => [a.code, a.datatype, a.required, a.order])).toEqual([
      ['DISTRICT', 'singlevaluelist', true, 1], ['STREET', 'singlevaluelist', false, 2],
      ['occurs_at_night', 'singlevaluelist', true, 3], ['source', 'singlevaluelist', true, 4],
    ]);
    expect(body.attributes[0]!.values).toContainEqual({ key: 'zz-js', name: '郑州市金水区' });
    expect(body.attributes[1]!.values).toContainEqual({ key: 'zz-js-duling', name: '金水区杜岭街道' });
    expect(body.attributes[2]).toMatchObject({ variable: true, values: [{ key: 'true', name: '是 Yes' }, { key: 'false', name: '否 No' }] });
    expect(body.attributes[3]).toMatchObject({ description: '噪音来源 (Noise source)', values: [{ key: '夜市', name: '夜市 Night market' }, { key: '施工', name: '施工 Construction' }, { key: '商铺', name: '商铺 Shops' }, { key: '其他', name: '其他 Other' }] });

    const elevator = await getJson<{ attributes: Record<string, unknown>[] }>(`${V2}/services/housing.elevator.json`);
    expect(elevator.body.attributes.slice(2)).toMatchObject([
      { code: 'building_floors', datatype: 'number', required: true, order: 3 },
      { code: 'owner_consent', datatype: 'singlevaluelist', required: false, order: 4 },
    ]);
    expect(elevator.body.attributes[2]).not.toHaveProperty('values');

    const x = await sys.app.inject({ method: 'GET', url: `${V2}/services/city.streetlight.xml` });
    const def = parseXml(x.body).service_definition!;
    expect(def.service_code).toBe('city.streetlight');
    const attrs = (def.attributes as { attribute: Record<string, unknown>[] }).attribute;
    expect(attrs.map((a) => a.code)).toEqual(['DISTRICT', 'STREET', 'pole_number']);
    expect(attrs[2]).toMatchObject({ variable: 'true', datatype: 'string', required: 'false', order: '3', datatype_description: '至多 500 字 At most 500 characters' });
  });

  it('answers 404 with an error list for an unknown service, a branch category or another format', async () => {
    for (const url of [`${V2}/services/no.such.json`, `${V2}/services/city.json`]) {
      const { res, body } = await getJson(url);
      expect(res.statusCode).toBe(404);
      expect(body).toEqual([{ code: 404, description: expect.stringContaining('service_code') as unknown }]);
    }
    const x = await sys.app.inject({ method: 'GET', url: `${V2}/services/no.such.xml` });
    expect(x.statusCode).toBe(404);
    expect(parseXml(x.body).errors!.error).toEqual([{ code: '404', description: expect.stringContaining('no.such') as unknown }]);
    for (const url of [`${V2}/services.csv`, `${V2}/services/city.noise.csv`, `${V2}/nothing.json`]) {
      const res = await sys.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(404);
      expect(res.json<{ code: number }[]>()[0]!.code).toBe(404);
    }
  });
});

describe('api keys', () => {
  it('are issued and revoked by admins only, and stored as a hash', async () => {
    const denied = await sys.app.inject({ method: 'POST', url: '/admin/open311-keys', headers: clerk, payload: { name: 'x' } });
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toMatchObject({ code: 'ROLE_NOT_ALLOWED' });
    expect((await sys.app.inject({ method: 'GET', url: '/admin/open311-keys', headers: clerk })).statusCode).toBe(403);

    const created = await sys.app.inject({ method: 'POST', url: '/admin/open311-keys', headers: admin, payload: { name: '临时' } });
    const { id, key } = created.json<{ id: string; key: string }>();
    expect(key).toMatch(/^o311_[A-Za-z0-9_-]{43}$/);
    const row = await sys.tdb.db.selectFrom('open311_api_keys').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(key);
    const listed = await sys.app.inject({ method: 'GET', url: '/admin/open311-keys', headers: admin });
    expect(listed.body).not.toContain(key);
    expect(listed.json()).toContainEqual({ id, name: '临时', createdAt: expect.any(String) as unknown, revokedAt: null });

    expect((await post(noise({ api_key: key }))).statusCode).toBe(201);
    expect((await sys.app.inject({ method: 'DELETE', url: `/admin/open311-keys/${id}`, headers: clerk })).statusCode).toBe(403);
    const revoked = await sys.app.inject({ method: 'DELETE', url: `/admin/open311-keys/${id}`, headers: admin });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json<{ revokedAt: string | null }>().revokedAt).not.toBeNull();
    const refused = await post(noise({ api_key: key }));
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toEqual([{ code: 403, description: 'Invalid api_key received -- cannot create the service request' }]);
    expect((await sys.app.inject({ method: 'DELETE', url: '/admin/open311-keys/00000000-0000-4000-8000-000000000000', headers: admin })).statusCode).toBe(404);
  });
});

describe('POST requests', () => {
  it('creates a petition through the write path and answers its tracking number', async () => {
    const res = await post(noise());
    expect(res.statusCode).toBe(201);
    const [created] = res.json<{ service_request_id: string; service_notice: string }[]>();
    expect(created!.service_request_id).toMatch(/^[0-9]{16,20}$/);
    expect(created).not.toHaveProperty('token');
    expect(created!.service_notice).toContain('金水区城市管理局');
    // Each half in its own language.
    expect(created!.service_notice).toContain('Assigned to Jinshui District Urban Management Bureau');

    const p = await sys.tdb.db.selectFrom('petitions').selectAll().where('tracking_no', '=', created!.service_request_id).executeTakeFirstOrThrow();
    expect(p).toMatchObject({ channel: 'open311', kind: 'request', state: 'dispatched', location_text: '杜岭街与金水路交叉口', latitude: 34.7725, longitude: 113.6862, anonymous: false });
    expect(p.details).toEqual({ occurs_at_night: true, source: '夜市' });
    // The command went through the inbox under the key's identity, and was applied by the worker.
    const cmd = await sys.tdb.db.selectFrom('commands').selectAll().where('petition_id', '=', p.id).executeTakeFirstOrThrow();
    expect(cmd).toMatchObject({ type: 'SUBMIT', status: 'applied', actor_role: 'resident' });
    expect(cmd.actor_id).toMatch(/^open311:/);
    // The contact is encrypted, exactly as the intake stores it.
    const contact = await sys.tdb.db.selectFrom('petition_contacts').selectAll().where('petition_id', '=', p.id).executeTakeFirstOrThrow();
    expect(contact).toMatchObject({ name_masked: '王**', phone_masked: '138****9876' });
    expect(contact.name_enc!.toString('latin1')).not.toContain('13800009876');
    expect(JSON.stringify(contact)).not.toContain('wang.xiaoming');

    const staff = await sys.app.inject({ method: 'GET', url: `/petitions/${p.id}`, headers: clerk });
    expect(staff.statusCode).toBe(200);
    expect(staff.json()).toMatchObject({
      trackingNo: created!.service_request_id, channel: 'open311', state: 'dispatched', leadUnit: { name: '金水区城市管理局' },
      contact: { name: '王**', phone: '138****9876' }, content: '每晚十点以后夜市音响声音很大，影响休息。',
    });

    const one = await getJson(`${V2}/requests/${created!.service_request_id}.json`);
    expect(one.res.statusCode).toBe(200);
    expect(one.body).toHaveLength(1);
    expect(one.body[0]).toMatchObject({
      service_request_id: created!.service_request_id, status: 'open', status_notes: null, service_name: '噪音扰民', service_code: 'city.noise',
      description: '每晚十点以后夜市音响声音很大，影响休息。', agency_responsible: '金水区城市管理局',
      address: '杜岭街与金水路交叉口, 杜岭街道, 金水区', lat: 34.7725, long: 113.6862, media_url: 'https://img.example.org/p/1.jpg',
    });
    const r = one.body[0]!;
    for (const k of ['requested_datetime', 'updated_datetime', 'expected_datetime']) expect(r[k]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    expect(Date.parse(r.expected_datetime as string)).toBeGreaterThan(Date.parse(r.requested_datetime as string));
    const deadlines = (staff.json<{ deadlines: { kind: string; dueAt: string }[] }>()).deadlines;
    expect(Date.parse(r.expected_datetime as string)).toBe(Date.parse(deadlines.find((d) => d.kind === 'handling')!.dueAt.slice(0, 19) + 'Z'));

    const x = await sys.app.inject({ method: 'GET', url: `${V2}/requests/${created!.service_request_id}.xml` });
    const req = (parseXml(x.body).service_requests!.request as Record<string, string>[])[0]!;
    expect(req).toMatchObject({
      service_request_id: created!.service_request_id, status: 'open', status_notes: '', service_code: 'city.noise',
      agency_responsible: '金水区城市管理局', lat: '34.7725', long: '113.6862', media_url: 'https://img.example.org/p/1.jpg',
    });
  });

  it('answers in XML too, and takes a form with "+" for spaces and no name', async () => {
    const res = await sys.app.inject({
      method: 'POST', url: `${V2}/requests.xml`, headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `api_key=${encodeURIComponent(apiKey)}&service_code=city.streetlight&address_string=Jinshui+Road+No.+1&attribute%5BDISTRICT%5D=zz-js&attribute[pole_number]=A-17&phone=13800001111&email=&description=Lamp+is+out`,
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    const [created] = parseXml(res.body).service_requests!.request as Record<string, string>[];
    const p = await sys.tdb.db.selectFrom('petitions').selectAll().where('tracking_no', '=', created!.service_request_id!).executeTakeFirstOrThrow();
    expect(p).toMatchObject({ location_text: 'Jinshui Road No. 1', content: 'Lamp is out', latitude: null, details: { pole_number: 'A-17' } });
    const contact = await sys.tdb.db.selectFrom('petition_contacts').select(['name_masked', 'phone_masked']).where('petition_id', '=', p.id).executeTakeFirstOrThrow();
    expect(contact).toEqual({ name_masked: '市*', phone_masked: '138****1111' });
  });

  it('without a phone number keeps no contact at all', async () => {
    const res = await post(noise({ phone: '', first_name: '匿名', last_name: '' }));
    expect(res.statusCode).toBe(201);
    const p = await sys.tdb.db.selectFrom('petitions').select(['id', 'anonymous']).where('tracking_no', '=', res.json<{ service_request_id: string }[]>()[0]!.service_request_id).executeTakeFirstOrThrow();
    expect(p.anonymous).toBe(true);
    expect(await sys.tdb.db.selectFrom('petition_contacts').select('petition_id').where('petition_id', '=', p.id).executeTakeFirst()).toBeUndefined();
  });

  it('refuses a missing or unknown api_key with 403 and an error list, before anything else', async () => {
    const { api_key: _key, ...withoutKey } = noise();
    for (const [fields, description] of [
      [withoutKey, 'api_key is required to create a service request'],
      [{ ...withoutKey, api_key: '' }, 'api_key is required to create a service request'],
      [{ ...withoutKey, api_key: 'o311_not-a-key' }, 'Invalid api_key received -- cannot create the service request'],
      [{ api_key: 'o311_not-a-key', service_code: 'no.such' }, 'Invalid api_key received -- cannot create the service request'],
    ] as const) {
      const res = await post(fields);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual([{ code: 403, description }]);
    }
    const x = await post(withoutKey, 'xml');
    expect(x.statusCode).toBe(403);
    expect(parseXml(x.body).errors!.error).toEqual([{ code: '403', description: 'api_key is required to create a service request' }]);
    const empty = await sys.app.inject({ method: 'POST', url: `${V2}/requests.json` });
    expect(empty.statusCode).toBe(403);
    const csv = await sys.app.inject({ method: 'POST', url: `${V2}/requests.csv`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form(noise()) });
    expect(csv.statusCode).toBe(404);
    expect(csv.json<{ code: number }[]>()[0]!.code).toBe(404);
  });

  it('answers 404 for an unknown service_code and 400 for a missing one', async () => {
    const unknown = await post(noise({ service_code: 'no.such' }));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual([{ code: 404, description: expect.stringContaining('service_code: no service with code "no.such"') as unknown }]);
    const branch = await post(noise({ service_code: 'city' }));
    expect(branch.statusCode).toBe(404);
    const missing = await post(noise({ service_code: '' }));
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toEqual([{ code: 400, description: 'service_code: is required' }]);
  });

  it('requires a location: lat and long together, or address_string', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ lat: '', long: '', address_string: '' }, 'lat/long or address_string: a location is required'],
      [{ lat: '', long: '', address_string: '', address_id: 'A-1' }, 'address_id is not supported here'],
      [{ long: '', address_string: '' }, 'long: lat and long must be sent together'],
      [{ lat: 'north', address_string: '' }, 'lat: must be a decimal number'],
      [{ lat: '95', address_string: '' }, 'lat: must be <= 90'],
    ];
    for (const [extra, description] of cases) {
      const res = await post(noise(extra));
      expect(res.statusCode, description).toBe(400);
      expect(res.json<{ code: number; description: string }[]>()).toEqual([{ code: 400, description: expect.stringContaining(description) as unknown }]);
    }
    expect((await post(noise({ lat: '', long: '' }))).statusCode).toBe(201);
    expect((await post(noise({ address_string: '' }))).statusCode).toBe(201);
  });

  it('validates attributes like the intake validates details, and the area like the intake does', async () => {
    const cases: [Record<string, string | string[]>, string][] = [
      [{ 'attribute[occurs_at_night]': '' }, 'attribute[occurs_at_night]: is required for this category'],
      [{ 'attribute[occurs_at_night]': 'maybe' }, 'attribute[occurs_at_night]: must be true or false'],
      [{ 'attribute[source]': '工厂' }, 'attribute[source]: must be one of: 夜市, 施工, 商铺, 其他'],
      [{ 'attribute[colour]': 'red' }, 'attribute[colour]: this category has no field "colour"'],
      [{ 'attribute[source]': ['夜市', '施工'] }, 'attribute[source]: takes exactly one value'],
      [{ 'attribute[DISTRICT]': '' }, 'attribute[DISTRICT]: is required'],
      [{ 'attribute[DISTRICT]': 'zz-nowhere' }, 'attribute[DISTRICT]: no district with code "zz-nowhere"'],
      [{ 'attribute[STREET]': 'zz-eq-dehuajie' }, 'attribute[STREET]: this street is not in district zz-js'],
      [{ 'attribute[bad key!]': 'x' }, 'attribute[bad key!]: unknown field'],
      [{ phone: '12' }, 'phone: must be a phone number'],
      [{ media_url: 'javascript:alert(1)' }, 'media_url: must be an http(s) URL'],
      [{ description: 'x'.repeat(4001) }, 'description: must NOT have more than 4000 characters'],
      [{ description: 'bell\u0007' }, 'description: contains a control character'],
      [{ device_token: 'x' }, 'device_token: unknown field'],
    ];
    for (const [extra, description] of cases) {
      const res = await post(noise(extra));
      expect(res.statusCode, description).toBe(400);
      expect(res.json<unknown[]>(), description).toEqual([{ code: 400, description: expect.stringContaining(description) as unknown }]);
    }
    const elevator = await post({ ...noise(), service_code: 'housing.elevator', 'attribute[occurs_at_night]': '', 'attribute[source]': '', 'attribute[building_floors]': 'six' });
    expect(elevator.json()).toEqual([{ code: 400, description: expect.stringContaining('attribute[building_floors]: must be a number') as unknown }]);
    const ok = await post({ ...noise(), service_code: 'housing.elevator', 'attribute[occurs_at_night]': '', 'attribute[source]': '', 'attribute[building_floors]': '6', 'attribute[owner_consent]': 'false' });
    expect(ok.statusCode).toBe(201);
    const p = await sys.tdb.db.selectFrom('petitions').select('details').where('tracking_no', '=', ok.json<{ service_request_id: string }[]>()[0]!.service_request_id).executeTakeFirstOrThrow();
    expect(p.details).toEqual({ building_floors: 6, owner_consent: false });
  });

  it('returns the first answer again for a repeated Idempotency-Key', async () => {
    const headers = { 'idempotency-key': 'app-req-42' };
    const first = await post(noise(), 'json', headers);
    const again = await post(noise(), 'json', headers);
    expect(first.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    const n = await sys.tdb.db.selectFrom('commands').select((eb) => eb.fn.countAll<string>().as('n')).where('idempotency_key', 'like', '%:app-req-42').executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1);
  });
});

describe('GET requests', () => {
  it('publishes only what 311 apps submitted: a hotline petition is not in the public feed', async () => {
    const hotline = await sys.app.inject({ method: 'POST', url: '/petitions', headers: clerk, payload: noiseComplaint(sys.refs, { title: '热线受理的噪音投诉' }) });
    expect(hotline.statusCode).toBe(201);
    const trackingNo = hotline.json().trackingNo as string;
    expect((await sys.app.inject({ method: 'GET', url: `${V2}/requests/${trackingNo}.json` })).statusCode).toBe(404);
    const feed = await sys.app.inject({ method: 'GET', url: `${V2}/requests.json` });
    expect(feed.statusCode).toBe(200);
    expect(feed.body).not.toContain(trackingNo);
    expect(feed.body).not.toContain('热线受理的噪音投诉');
  });

  it('filters by id, service_code and status, newest first', async () => {
    const light = (await post({ ...noise(), service_code: 'city.streetlight', 'attribute[occurs_at_night]': '', 'attribute[source]': '' })).json<{ service_request_id: string }[]>()[0]!.service_request_id;
    // other.misc has no routing rule: it waits for manual dispatch, where a dispatcher can refuse it.
    const misc = (await post({ ...noise(), service_code: 'other.misc', 'attribute[occurs_at_night]': '', 'attribute[source]': '' })).json<{ service_request_id: string }[]>()[0]!.service_request_id;
    const miscId = (await sys.tdb.db.selectFrom('petitions').select('id').where('tracking_no', '=', misc).executeTakeFirstOrThrow()).id;
    const rejected = await sys.app.inject({
      method: 'POST', url: `/petitions/${miscId}/reject`, headers: { 'x-actor-id': 'd1', 'x-actor-role': 'dispatcher' },
      payload: { reason: '不属于本热线受理范围，请致电 0371-12345678 咨询' },
    });
    expect(rejected.statusCode).toBe(200);

    const all = await getJson(`${V2}/requests.json`);
    expect(all.res.statusCode).toBe(200);
    const ids = all.body.map((r) => r.service_request_id);
    expect(ids.indexOf(misc)).toBeLessThan(ids.indexOf(light));
    const times = all.body.map((r) => Date.parse(r.requested_datetime as string));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const closed = await getJson(`${V2}/requests.json?status=closed`);
    expect(closed.body.map((r) => r.service_request_id)).toEqual([misc]);
    expect(closed.body[0]).toMatchObject({ status: 'closed', status_notes: '不予受理 Not accepted：不属于本热线受理范围，请致电 *** 咨询', agency_responsible: null, expected_datetime: null });
    const open = await getJson(`${V2}/requests.json?status=open`);
    expect(open.body.every((r) => r.status === 'open')).toBe(true);
    expect(open.body.map((r) => r.service_request_id)).toContain(light);
    expect((await getJson(`${V2}/requests.json?status=open,closed`)).body).toHaveLength(all.body.length);
    expect((await getJson(`${V2}/requests.json?status=open&status=closed`)).body).toHaveLength(all.body.length);

    const lights = await getJson(`${V2}/requests.json?service_code=city.streetlight`);
    expect(lights.body.length).toBeGreaterThan(0);
    expect(lights.body.every((r) => r.service_code === 'city.streetlight')).toBe(true);
    expect((await getJson(`${V2}/requests.json?service_code=city.streetlight,other.misc`)).body.map((r) => r.service_code)).toContain('other.misc');

    const byId = await getJson(`${V2}/requests.json?service_request_id=${light},${misc}&status=open&service_code=city.noise`);
    expect(byId.body.map((r) => r.service_request_id).sort()).toEqual([light, misc].sort());

    const x = await sys.app.inject({ method: 'GET', url: `${V2}/requests.xml?status=closed` });
    const reqs = parseXml(x.body).service_requests!.request as Record<string, string>[];
    expect(reqs.map((r) => [r.service_request_id, r.status, r.expected_datetime])).toEqual([[misc, 'closed', '']]);
    const none = await sys.app.inject({ method: 'GET', url: `${V2}/requests.xml?service_code=no.such` });
    expect(none.body).toBe('<?xml version="1.0" encoding="UTF-8"?><service_requests></service_requests>');
    expect((await getJson(`${V2}/requests.json?service_code=no.such`)).body).toEqual([]);
  });

  it('looks at the last 90 days by default and refuses a longer window', async () => {
    const old = (await post(noise())).json<{ service_request_id: string }[]>()[0]!.service_request_id;
    await sys.tdb.db.updateTable('petitions').set({ created_at: new Date(Date.now() - 100 * 86_400_000) }).where('tracking_no', '=', old).execute();
    expect((await getJson(`${V2}/requests.json`)).body.map((r) => r.service_request_id)).not.toContain(old);
    const from = new Date(Date.now() - 120 * 86_400_000).toISOString();
    const to = new Date(Date.now() - 40 * 86_400_000).toISOString();
    expect((await getJson(`${V2}/requests.json?start_date=${from}&end_date=${to}`)).body.map((r) => r.service_request_id)).toEqual([old]);
    expect((await getJson(`${V2}/requests.json?start_date=${from}`)).body.map((r) => r.service_request_id)).toEqual([old]);
    // The id overrides the window.
    expect((await getJson(`${V2}/requests.json?service_request_id=${old}`)).body).toHaveLength(1);
    expect((await getJson(`${V2}/requests/${old}.json`)).body).toHaveLength(1);

    const cases: [string, string][] = [
      [`start_date=2025-01-01T00:00:00Z&end_date=2025-04-02T00:00:01Z`, 'end_date: the window from start_date to end_date may not span more than 90 days'],
      [`start_date=2025-03-01T00:00:00Z&end_date=2025-01-01T00:00:00Z`, 'start_date: must not be after end_date'],
      [`start_date=2025-01-01`, 'start_date: must be a W3C date-time with its zone'],
      [`end_date=yesterday`, 'end_date: must be a W3C date-time with its zone'],
      [`status=pending`, 'status: "pending" is not a status'],
      [`service_request_id=abc`, 'service_request_id: "abc" is not a service request id'],
      [`page=2`, 'page: unknown parameter'],
    ];
    for (const [query, description] of cases) {
      const res = await sys.app.inject({ method: 'GET', url: `${V2}/requests.json?${query}` });
      expect(res.statusCode, query).toBe(400);
      expect(res.json()).toEqual([{ code: 400, description: expect.stringContaining(description) as unknown }]);
    }
    const exactly90 = await sys.app.inject({ method: 'GET', url: `${V2}/requests.json?start_date=2025-01-01T00:00:00%2B08:00&end_date=2025-04-01T00:00:00%2B08:00` });
    expect(exactly90.statusCode).toBe(200);
    const xmlError = await sys.app.inject({ method: 'GET', url: `${V2}/requests.xml?status=pending` });
    expect(xmlError.statusCode).toBe(400);
    expect(parseXml(xmlError.body).errors!.error).toEqual([{ code: '400', description: expect.stringContaining('status') as unknown }]);
  });

  it('answers at most 1000 requests', async () => {
    // 1,005 more petitions in the window, copied in SQL from one made through the API (the limit is about reading).
    const source = (await post(noise())).json<{ service_request_id: string }[]>()[0]!.service_request_id;
    await sql`
      INSERT INTO petitions (id, tracking_no, kind, channel, urgency, category_id, district_id, street_id, community_id, location_text,
        latitude, longitude, title, content, anonymous, state, outcome, lead_unit_id, machine_version, snapshot, version, created_by,
        created_at, updated_at, closed_at, details)
      SELECT gen_random_uuid(), '9' || lpad(n::text, 15, '0'), kind, channel, urgency, category_id, district_id, street_id, community_id, location_text,
        latitude, longitude, title, content, true, state, outcome, lead_unit_id, machine_version, snapshot, version, created_by,
        created_at - make_interval(secs => n), updated_at, closed_at, details
      FROM petitions, generate_series(1, 1005) AS n WHERE tracking_no = ${source}`.execute(sys.tdb.db);
    const { body } = await getJson(`${V2}/requests.json`);
    expect(body).toHaveLength(1000);
    expect(body[0]!.service_request_id).not.toMatch(/^9/);
    const x = await sys.app.inject({ method: 'GET', url: `${V2}/requests.xml?service_code=city.noise` });
    expect((parseXml(x.body).service_requests!.request as unknown[]).length).toBe(1000);
  });
});

describe('tokens', () => {
  it('give the service_request_id of a request once it is applied', async () => {
    const created = (await post(noise())).json<{ service_request_id: string }[]>()[0]!.service_request_id;
    const cmd = await sys.tdb.db.selectFrom('commands').innerJoin('petitions', 'petitions.id', 'commands.petition_id')
      .select('commands.id').where('petitions.tracking_no', '=', created).executeTakeFirstOrThrow();
    const { res, body } = await getJson(`${V2}/tokens/${cmd.id}.json`);
    expect(res.statusCode).toBe(200);
    expect(body).toEqual([{ service_request_id: created, token: cmd.id }]);
    const x = await sys.app.inject({ method: 'GET', url: `${V2}/tokens/${cmd.id}.xml` });
    expect(parseXml(x.body).service_requests!.request).toEqual([{ service_request_id: created, token: cmd.id }]);

    // Commands that are not Open311 submissions are not tokens.
    const other = await sys.app.inject({ method: 'POST', url: '/petitions', headers: clerk, payload: {
      kind: 'request', channel: 'hotline', categoryId: sys.refs.category('city.appearance'), districtId: sys.refs.unit('zz-js'), title: '垃圾堆放', content: '小区门口垃圾无人清理',
    } });
    expect(other.statusCode).toBe(201);
    for (const token of [other.json<{ commandId: string }>().commandId, '00000000-0000-4000-8000-000000000000', 'nope']) {
      const r = await sys.app.inject({ method: 'GET', url: `${V2}/tokens/${token}.json` });
      expect(r.statusCode).toBe(404);
      expect(r.json<{ code: number }[]>()[0]!.code).toBe(404);
    }
  });

  it('are answered when the outcome is still pending, and resolve once the worker applies it (no sign-in needed)', async () => {
    // Sign-in required here (no development identity): Open311 still needs none, only the api_key.
    // And a small intake budget: creating requests counts like POST /petitions.
    const slow = await startTestSystem({
      worker: false, commandWaitMs: 0, auth: { devIdentity: false },
      http: { rateLimit: { perMinute: 1000, intakePerMinute: 2, keyPrefix: `{o311-${randomUUID()}}` } },
    });
    try {
      const key = 'o311_a-key-made-directly-in-the-database-for-this-test';
      await apiKeysRepo.createApiKey(slow.tdb.db, { name: 'slow', keyHash: createHash('sha256').update(key).digest('hex') });
      expect((await slow.app.inject({ method: 'GET', url: '/petitions' })).statusCode).toBe(401);
      expect((await slow.app.inject({ method: 'GET', url: '/admin/open311-keys' })).statusCode).toBe(401);
      for (const url of ['discovery.json', 'services.xml', 'services/city.noise.json', 'requests.json']) {
        expect((await slow.app.inject({ method: 'GET', url: `${V2}/${url}` })).statusCode, url).toBe(200);
      }
      const res = await slow.app.inject({
        method: 'POST', url: `${V2}/requests.json`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form(noise({ api_key: key })),
      });
      expect(res.statusCode).toBe(202);
      const [pending] = res.json<{ token: string; service_notice: string }[]>();
      expect(pending).not.toHaveProperty('service_request_id');
      expect(pending!.token).toMatch(/^[0-9a-f-]{36}$/);
      const second = await slow.app.inject({ method: 'POST', url: `${V2}/requests.json`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form(noise({ api_key: key })) });
      expect(second.statusCode).toBe(202);
      const limited = await slow.app.inject({ method: 'POST', url: `${V2}/requests.xml`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form(noise({ api_key: key })) });
      expect(limited.statusCode).toBe(429);
      expect(limited.headers['retry-after']).toBeDefined();
      expect(parseXml(limited.body).errors!.error).toEqual([{ code: '429', description: expect.stringContaining('Too many requests') as unknown }]);
      const before = await slow.app.inject({ method: 'GET', url: `${V2}/tokens/${pending!.token}.json` });
      expect(before.json()).toEqual([{ service_request_id: null, token: pending!.token }]);
      // A worker starts late: the job published at intake is applied, and the token now names the request.
      const worker = startCommandWorker({
        db: slow.tdb.db, connection: slow.q.workerConnection(), queue: slow.q.settings, logger: createLogger('test-worker', 'silent'),
        concurrency: 2, batchSize: 4, maxBatchesInFlight: 1, rulesTtlMs: 0,
      });
      try {
        const p = await slow.tdb.db.selectFrom('petitions').innerJoin('commands', 'commands.petition_id', 'petitions.id')
          .select('petitions.tracking_no').where('commands.id', '=', pending!.token).executeTakeFirstOrThrow();
        const after = await eventually(async () => {
          const r = await slow.app.inject({ method: 'GET', url: `${V2}/tokens/${pending!.token}.xml` });
          const request = (parseXml(r.body).service_requests!.request as Record<string, string>[])[0]!;
          return request.service_request_id ? request : null;
        });
        expect(after).toEqual({ service_request_id: p.tracking_no, token: pending!.token });
        expect((await slow.app.inject({ method: 'GET', url: `${V2}/requests/${p.tracking_no}.json` })).json()).toMatchObject([{ status: 'open', agency_responsible: '金水区城市管理局' }]);
      } finally {
        await worker.close();
      }
    } finally {
      await slow.close();
    }
  });
});

describe('privacy', () => {
  it('never shows the requester\'s name, phone or email in any GET answer', async () => {
    const created = (await post(noise())).json<{ service_request_id: string }[]>()[0]!.service_request_id;
    const cmd = await sys.tdb.db.selectFrom('commands').innerJoin('petitions', 'petitions.id', 'commands.petition_id')
      .select('commands.id').where('petitions.tracking_no', '=', created).executeTakeFirstOrThrow();
    const urls = ['discovery', 'services', 'services/city.noise', 'requests', 'requests?status=open', `requests/${created}`, `tokens/${cmd.id}`, `requests?service_request_id=${created}`]
      .flatMap((u) => {
        const [path, query] = u.split('?');
        return ['json', 'xml'].map((f) => `${V2}/${path}.${f}${query ? `?${query}` : ''}`);
      });
    for (const url of urls) {
      const res = await sys.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      for (const s of PERSONAL_STRINGS) expect(res.body, `${url} contains ${s}`).not.toContain(s);
    }
    const one = await getJson(`${V2}/requests/${created}.json`);
    expect(Object.keys(one.body[0]!).sort()).toEqual([
      'address', 'agency_responsible', 'description', 'expected_datetime', 'lat', 'long', 'media_url', 'requested_datetime',
      'service_code', 'service_name', 'service_notice', 'service_request_id', 'status', 'status_notes', 'updated_datetime',
    ]);
  });

  it('hides phone numbers typed into the description', async () => {
    const created = (await post(noise({ description: '请回电 138 0000 5555 或 0371-66668888，身份证 41010519900101123X，谢谢' }))).json<{ service_request_id: string }[]>()[0]!.service_request_id;
    const { body } = await getJson(`${V2}/requests/${created}.json`);
    expect(body[0]!.description).toBe('请回电 *** 或 ***，身份证 ***，谢谢');
  });
});
