import { createHash, randomBytes } from 'node:crypto';
import type { ErrorObject } from 'ajv';
import { referenceRepo, type Category, type Db, type OrgUnit } from '@petitions/db';
import { checkDetails, optionEn, type CategoryField, type DetailValue } from '@petitions/domain';
import { AppError } from '../errors.js';
import { createAjv } from '../plugins/validation.js';
import { SubmitPetitionBody } from '../routes/schemas.js';
import { list, w3Time, type Node } from './open311-format.js';
import type { SubmitPetition } from './petition-intake.js';

/**
 * Open311 GeoReport v2 over the petition engine: categories as services, petitions as service
 * requests (service_request_id = tracking number), a POSTed request turned into the same intake
 * body POST /petitions takes. Nothing here reads the requester's contact: GET answers are public.
 */

// ---------------------------------------------------------------------------------------------
// API keys

/** A new key: shown once to the admin who creates it; only its SHA-256 is stored. */
export function newApiKey(): { key: string; hash: string } {
  const key = `o311_${randomBytes(32).toString('base64url')}`;
  return { key, hash: apiKeyHash(key) };
}

export const apiKeyHash = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

// ---------------------------------------------------------------------------------------------
// Services: active leaf categories

/** Where a request is: the engine routes by district (and street), which Open311 has no field for. */
const DISTRICT_ATTRIBUTE = 'DISTRICT';
const STREET_ATTRIBUTE = 'STREET';

export interface Catalog {
  categories: Category[];
  byCode: Map<string, Category>;
  byId: Map<string, Category>;
  /** Active categories without active children: the services. */
  leaves: Category[];
  units: Map<string, OrgUnit>;
  districts: OrgUnit[];
  streets: OrgUnit[];
}

export async function loadCatalog(db: Db): Promise<Catalog> {
  const [categories, units] = await Promise.all([referenceRepo.listCategories(db), referenceRepo.listOrgUnits(db)]);
  const parents = new Set(categories.flatMap((c) => (c.parent_id ? [c.parent_id] : [])));
  return {
    categories,
    byCode: new Map(categories.map((c) => [c.code, c])),
    byId: new Map(categories.map((c) => [c.id, c])),
    leaves: categories.filter((c) => !parents.has(c.id)),
    units: new Map(units.map((u) => [u.id, u])),
    districts: units.filter((u) => u.kind === 'district'),
    streets: units.filter((u) => u.kind === 'street'),
  };
}

/** The service with this code: an active leaf category. */
export function findService(catalog: Catalog, code: string): Category | undefined {
  const c = catalog.byCode.get(code);
  return c && catalog.leaves.includes(c) ? c : undefined;
}

const fieldsOf = (c: Category) => (c.extra_fields ?? []) as CategoryField[];

export function serviceList(catalog: Catalog): Node {
  return list('service', catalog.leaves.map((c) => {
    const parent = c.parent_id ? catalog.byId.get(c.parent_id) : undefined;
    const keywords = [c.name_en, parent?.name, parent?.name_en].filter((k): k is string => Boolean(k));
    return {
      service_code: c.code,
      service_name: c.name,
      description: c.name_en ?? c.name,
      // Every service asks at least for the district (see serviceDefinition).
      metadata: true,
      type: 'realtime',
      keywords: keywords.join(','),
      group: parent?.name ?? '',
    };
  }));
}

const unitPath = (catalog: Catalog, u: OrgUnit) => {
  const parent = u.parent_id ? catalog.units.get(u.parent_id) : undefined;
  return `${parent?.name ?? ''}${u.name}`;
};

function fieldAttribute(f: CategoryField, order: number): Node {
  const base = { variable: true, code: f.key, required: f.required, order, description: `${f.label} (${f.labelEn})` };
  switch (f.type) {
    case 'number':
      return { ...base, datatype: 'number', datatype_description: '数字 A number' };
    case 'boolean':
      return {
        ...base, datatype: 'singlevaluelist', datatype_description: null,
        values: list('value', [{ key: 'true', name: '是 Yes' }, { key: 'false', name: '否 No' }]),
      };
    case 'select':
      return { ...base, datatype: 'singlevaluelist', datatype_description: null, values: list('value', (f.options ?? []).map((o) => ({ key: o, name: [o, optionEn(f, o)].filter(Boolean).join(' ') }))) };
    case 'text':
      return { ...base, datatype: 'string', datatype_description: '至多 500 字 At most 500 characters' };
  }
}

/**
 * The category's extra fields as attributes, after two of our own: the district (required: it
 * decides who handles the request) and the street (optional, routes more precisely). Their codes
 * are upper case, so they can never clash with a category field key (lower case).
 */
export function serviceDefinition(catalog: Catalog, c: Category): Node {
  const attributes: Node[] = [
    {
      variable: true, code: DISTRICT_ATTRIBUTE, datatype: 'singlevaluelist', required: true, datatype_description: null, order: 1,
      description: '所在区县 District where the problem is',
      values: list('value', catalog.districts.map((d) => ({ key: d.code, name: unitPath(catalog, d) }))),
    },
    {
      variable: true, code: STREET_ATTRIBUTE, datatype: 'singlevaluelist', required: false, datatype_description: null, order: 2,
      description: '所在街道（乡镇），须属于所选区县 Street (subdistrict or town), within the district',
      values: list('value', catalog.streets.map((s) => ({ key: s.code, name: unitPath(catalog, s) }))),
    },
    ...fieldsOf(c).map((f, i) => fieldAttribute(f, i + 3)),
  ];
  return { service_code: c.code, attributes: list('attribute', attributes) };
}

// ---------------------------------------------------------------------------------------------
// POST requests.{format}: the form, turned into an intake body

/** Form fields the spec defines for POST Service Request (api_key and jurisdiction_id included). */
export interface Open311Form {
  api_key?: string;
  jurisdiction_id?: string;
  service_code: string;
  lat?: string;
  long?: string;
  address_string?: string;
  address_id?: string;
  email?: string;
  device_id?: string;
  account_id?: string;
  first_name?: string;
  last_name?: string;
  phone?: string;
  description?: string;
  media_url?: string;
  // and attribute[code] (one value each: no service has a multivaluelist)
}

/** An input error named as the Open311 client knows the field. */
export const badRequest = (field: string, message: string, code = 'INVALID_FIELD') => new AppError(400, code, `${field}: ${message}`, { field });
const serviceNotFound = (code: string) => new AppError(404, 'UNKNOWN_SERVICE', `service_code: no service with code "${code}" (see services.json)`, { field: 'service_code' });

const ATTRIBUTE_KEY = /^attribute\[([^\]]+)\](\[\])?$/;
const HAS_CJK = /\p{Script=Han}/u;
const WHITESPACE = /\s+/g;

/** 张 + 三 → 张三 (family name first); John + Smith → John Smith. */
function fullName(first: string | undefined, last: string | undefined): string | undefined {
  const f = first?.trim() ?? '';
  const l = last?.trim() ?? '';
  if (!f && !l) return undefined;
  return HAS_CJK.test(f + l) ? `${l}${f}` : `${f} ${l}`.trim();
}

/** How the requester is addressed in messages when they gave a phone number but no name. */
const UNNAMED_REQUESTER = '市民';

function attributeValue(f: CategoryField, raw: string): DetailValue {
  if (f.type === 'number') {
    const n = Number(raw);
    return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
  }
  if (f.type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  return raw;
}

/** Open311 names for the intake body's fields, for errors found after the translation. */
const INTAKE_FIELD_NAMES: Record<string, string> = {
  categoryId: 'service_code', districtId: `attribute[${DISTRICT_ATTRIBUTE}]`, streetId: `attribute[${STREET_ATTRIBUTE}]`,
  locationText: 'address_string', latitude: 'lat', longitude: 'long', content: 'description', title: 'description',
  contact: 'phone', 'contact.name': 'first_name/last_name', 'contact.phone': 'phone',
};
function open311FieldName(intakeField: string): string {
  if (intakeField.startsWith('details.')) return `attribute[${intakeField.slice('details.'.length)}]`;
  return INTAKE_FIELD_NAMES[intakeField] ?? intakeField;
}

// The intake schema, checked here too, so a translated body obeys exactly what POST /petitions demands.
const checkIntakeBody = createAjv(false).compile<SubmitPetition>(SubmitPetitionBody);

function intakeSchemaError(e: ErrorObject): AppError {
  const path = e.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const field = open311FieldName(e.keyword === 'required' ? [path, String(e.params.missingProperty)].filter(Boolean).join('.') : path);
  const hint = (e.parentSchema as { 'x-hint'?: string } | undefined)?.['x-hint'];
  const message = e.keyword === 'required' ? 'is required'
    : e.keyword === 'pattern' && e.params.pattern === '\\S' ? 'must not be blank'
      : hint ? `must be ${hint}` : e.message ?? 'is invalid';
  return badRequest(field, message, e.keyword === 'required' ? 'MISSING_FIELD' : 'INVALID_FIELD');
}

const cut = (s: string, max: number) => [...s].slice(0, max).join('');

/**
 * The intake body for an Open311 form, checked as Open311 names things: location (lat & long, or
 * address_string), district and street, the category's extra fields from attribute[code], the
 * requester's name and phone. Refusals are 400 naming the form field; an unknown service is 404.
 */
export function toSubmission(catalog: Catalog, form: Open311Form): { body: SubmitPetition; category: Category } {
  const category = findService(catalog, form.service_code);
  if (!category) throw serviceNotFound(form.service_code);

  // Location: lat & long together, or an address.
  const hasLat = form.lat !== undefined;
  const hasLong = form.long !== undefined;
  if (hasLat !== hasLong) throw badRequest(hasLat ? 'long' : 'lat', 'lat and long must be sent together', 'MISSING_FIELD');
  if (!hasLat && form.address_string === undefined) {
    throw badRequest('lat/long or address_string', form.address_id !== undefined
      ? 'address_id is not supported here; send lat and long, or address_string'
      : 'a location is required: lat and long, or address_string', 'MISSING_FIELD');
  }
  const latitude = hasLat ? Number(form.lat) : undefined;
  const longitude = hasLong ? Number(form.long) : undefined;

  // Attributes: our two area attributes, then the category's fields (checked as intake checks `details`).
  const attributes = new Map<string, string>();
  for (const [key, value] of Object.entries(form as unknown as Record<string, unknown>)) {
    const m = ATTRIBUTE_KEY.exec(key);
    if (!m || value === undefined) continue;
    const code = m[1]!;
    const values: unknown[] = Array.isArray(value) ? value : [value];
    const only = values[0];
    if (m[2] !== undefined || values.length !== 1 || typeof only !== 'string' || attributes.has(code)) {
      throw badRequest(`attribute[${code}]`, 'takes exactly one value (no service here has a multivaluelist)');
    }
    attributes.set(code, only);
  }
  const districtCode = attributes.get(DISTRICT_ATTRIBUTE);
  const streetCode = attributes.get(STREET_ATTRIBUTE);
  attributes.delete(DISTRICT_ATTRIBUTE);
  attributes.delete(STREET_ATTRIBUTE);
  const fields = fieldsOf(category);
  const details: Record<string, DetailValue> = {};
  for (const [code, raw] of attributes) {
    const f = fields.find((x) => x.key === code);
    details[code] = f ? attributeValue(f, raw) : raw;
  }
  const problem = checkDetails(fields, details);
  if (problem) throw badRequest(`attribute[${problem.key}]`, problem.message, problem.code);

  if (districtCode === undefined) {
    throw badRequest(`attribute[${DISTRICT_ATTRIBUTE}]`, `is required: the district where the problem is, one of ${catalog.districts.map((d) => d.code).join(', ')} (see services/${category.code}.json)`, 'MISSING_FIELD');
  }
  const district = catalog.districts.find((d) => d.code === districtCode);
  if (!district) throw badRequest(`attribute[${DISTRICT_ATTRIBUTE}]`, `no district with code "${districtCode}"`, 'UNKNOWN_AREA');
  let streetId: string | undefined;
  if (streetCode !== undefined) {
    const street = catalog.streets.find((s) => s.code === streetCode);
    if (!street) throw badRequest(`attribute[${STREET_ATTRIBUTE}]`, `no street with code "${streetCode}"`, 'UNKNOWN_AREA');
    if (street.parent_id !== district.id) throw badRequest(`attribute[${STREET_ATTRIBUTE}]`, `this street is not in district ${district.code}`, 'UNKNOWN_AREA');
    streetId = street.id;
  }

  // The requester: a contact needs a phone number (the intake stores name and phone encrypted).
  // Without one nothing personal is kept; email, device_id and account_id are never stored.
  const name = fullName(form.first_name, form.last_name);
  const contact = form.phone !== undefined ? { name: name ?? UNNAMED_REQUESTER, phone: form.phone } : undefined;

  const description = form.description?.trim() ? form.description : undefined;
  const summary = form.address_string ?? description?.split('\n')[0]?.replace(WHITESPACE, ' ').trim() ?? district.name;
  const body: SubmitPetition = {
    kind: 'request', channel: 'open311',
    categoryId: category.id, districtId: district.id,
    ...(streetId ? { streetId } : {}),
    ...(form.address_string !== undefined ? { locationText: form.address_string } : {}),
    ...(latitude !== undefined && longitude !== undefined ? { latitude, longitude } : {}),
    title: cut(`${category.name}：${summary}`, 100),
    content: description ?? `${category.name}（未填写描述 no description given）`,
    ...(contact ? { contact } : {}),
    ...(Object.keys(details).length > 0 ? { details } : {}),
  };
  if (!checkIntakeBody(body)) throw intakeSchemaError(checkIntakeBody.errors![0]!);
  return { body, category };
}

// ---------------------------------------------------------------------------------------------
// GET requests: petitions as service requests

export const MAX_WINDOW_MS = 90 * 24 * 3_600_000;
export const MAX_RESULTS = 1000;

export interface RequestFilter {
  trackingNos?: string[];
  serviceCodes?: string[];
  from?: Date;
  to?: Date;
  statuses?: ('open' | 'closed')[];
}

interface RequestRow {
  id: string;
  tracking_no: string;
  state: string;
  outcome: string | null;
  content: string;
  location_text: string | null;
  latitude: number | null;
  longitude: number | null;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
  service_code: string;
  service_name: string;
  district_name: string;
  street_name: string | null;
  lead_unit_name: string | null;
  lead_unit_name_en: string | null;
  media_url: string | null;
}

/** Open311-submitted petitions matching the filter as service requests, newest first, at most `limit`. The contact table is never read. */
export async function findRequests(db: Db, f: RequestFilter, limit = MAX_RESULTS): Promise<Node[]> {
  let q = db.selectFrom('petitions as p')
    .innerJoin('categories as c', 'c.id', 'p.category_id')
    .innerJoin('org_units as d', 'd.id', 'p.district_id')
    .leftJoin('org_units as s', 's.id', 'p.street_id')
    .leftJoin('org_units as lu', 'lu.id', 'p.lead_unit_id')
    .leftJoin('open311_requests as o', 'o.petition_id', 'p.id')
    .select([
      'p.id', 'p.tracking_no', 'p.state', 'p.outcome', 'p.content', 'p.location_text', 'p.latitude', 'p.longitude',
      'p.created_at', 'p.updated_at', 'p.closed_at', 'c.code as service_code', 'c.name as service_name',
      'd.name as district_name', 's.name as street_name', 'lu.name as lead_unit_name', 'lu.name_en as lead_unit_name_en', 'o.media_url',
    ]);
  // Only what 311 apps submitted is published: hotline and walk-in petitions (低保, legal aid,
  // wage arrears, a noise complaint's home) were never meant for a public feed.
  q = q.where('p.channel', '=', 'open311');
  if (f.trackingNos) q = q.where('p.tracking_no', 'in', f.trackingNos);
  if (f.serviceCodes) q = q.where('c.code', 'in', f.serviceCodes);
  if (f.from) q = q.where('p.created_at', '>=', f.from);
  if (f.to) q = q.where('p.created_at', '<=', f.to);
  if (f.statuses && f.statuses.length === 1) q = q.where('p.state', f.statuses[0] === 'closed' ? '=' : '<>', 'closed');
  const rows: RequestRow[] = await q.orderBy('p.created_at', 'desc').orderBy('p.id').limit(limit).execute();
  return toRequests(db, rows);
}

/** Phone numbers, ID numbers and other long digit runs in free text: never published. */
const DIGIT_RUNS = /(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)|(?<!\d)0\d{2,3}-\d{7,8}(?!\d)|\d{7,}[Xx]?/g;
const redactDigits = (text: string) => text.replace(DIGIT_RUNS, '***');

const OUTCOME_NOTES: Record<string, string> = {
  resolved: '已解决 Resolved', unresolved: '未解决 Unresolved', answered: '已答复 Answered', rejected: '不予受理 Not accepted',
  merged: '已合并办理 Merged', withdrawn: '已撤回 Withdrawn', no_feedback: '已办结，未回访评价 Completed, not rated',
};

export function serviceNotice(state: string, leadUnit: string | null, leadUnitEn: string | null = null): string {
  const unit = leadUnit ?? '承办单位';
  const unitEn = leadUnitEn ?? leadUnit ?? 'the unit';
  switch (state) {
    case 'intake':
    case 'awaitingDispatch': return '已受理，正在确定承办单位 Received; being assigned to the unit that will handle it';
    case 'dispatched': return `已派至${unit}，等待签收 Assigned to ${unitEn}`;
    case 'handling': return `${unit}办理中 Being handled by ${unitEn}`;
    case 'suspended': return `${unit}办理暂停（挂起） Handling by ${unitEn} is paused`;
    case 'reviewing': return '办理结果审核中 The result is being reviewed';
    case 'awaitingFeedback': return '已办结，等待回访评价 Completed; awaiting the requester\'s rating';
    case 'merged': return '与相同诉求合并办理 Handled together with an earlier identical request';
    default: return '已办结归档 Closed';
  }
}

async function toRequests(db: Db, rows: RequestRow[]): Promise<Node[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [handling, notes, results, merges] = await Promise.all([
    db.selectFrom('timers').select(['petition_id', 'due_at', 'state']).distinctOn('petition_id')
      .where('petition_id', 'in', ids).where('kind', '=', 'handling').where('state', '<>', 'cancelled')
      .orderBy('petition_id').orderBy('created_at', 'desc').execute(),
    db.selectFrom('petition_events').select(['petition_id', 'data']).distinctOn('petition_id')
      .where('petition_id', 'in', ids).where('type', '=', 'NOTE').where('visibility', '=', 'public')
      .orderBy('petition_id').orderBy('seq', 'desc').execute(),
    db.selectFrom('petition_events').select(['petition_id', 'type', 'data']).distinctOn('petition_id')
      .where('petition_id', 'in', ids).where('type', 'in', ['SUBMIT', 'ANSWER', 'REJECT', 'COMPLETE'])
      .orderBy('petition_id').orderBy('seq', 'desc').execute(),
    db.selectFrom('petition_events').select(['petition_id', 'data']).distinctOn('petition_id')
      .where('petition_id', 'in', ids).where('type', '=', 'MERGE')
      .orderBy('petition_id').orderBy('seq', 'desc').execute(),
  ]);
  const byPetition = <T extends { petition_id: string }>(xs: T[]) => new Map(xs.map((x) => [x.petition_id, x]));
  const handlingOf = byPetition(handling);
  const noteOf = byPetition(notes);
  const resultOf = byPetition(results);
  const mergeOf = byPetition(merges);
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? redactDigits(v) : null);

  return rows.map((r) => {
    const closed = r.state === 'closed';
    let statusNotes: string | null;
    if (closed) {
      const label = OUTCOME_NOTES[r.outcome ?? ''] ?? '已办结 Closed';
      const ev = resultOf.get(r.id);
      // The resident's own withdrawal reason is not published; the units' results and reasons are.
      const detail = r.outcome === 'withdrawn' || !ev ? null
        : text(ev.type === 'COMPLETE' ? ev.data.result : ev.type === 'REJECT' ? ev.data.reason : ev.type === 'ANSWER' ? ev.data.answer : ev.data.directAnswer);
      statusNotes = detail ? `${label}：${detail}` : label;
    } else if (r.state === 'merged') {
      const original = mergeOf.get(r.id)?.data.originalTrackingNo;
      statusNotes = typeof original === 'string' ? `与诉求 ${original} 合并办理 Merged into ${original}` : null;
    } else {
      statusNotes = text(noteOf.get(r.id)?.data.text);
    }
    const deadline = handlingOf.get(r.id);
    const expected = !closed && deadline && deadline.state !== 'paused' ? w3Time(deadline.due_at) : null;
    return {
      service_request_id: r.tracking_no,
      status: closed ? 'closed' : 'open',
      status_notes: statusNotes,
      service_name: r.service_name,
      service_code: r.service_code,
      description: redactDigits(r.content),
      agency_responsible: r.lead_unit_name,
      service_notice: serviceNotice(r.state, r.lead_unit_name, r.lead_unit_name_en),
      requested_datetime: w3Time(r.created_at),
      updated_datetime: w3Time(closed ? r.closed_at ?? r.updated_at : r.updated_at),
      expected_datetime: expected,
      // The problem's location, most specific first, as the spec asks.
      address: [r.location_text, r.street_name, r.district_name].filter(Boolean).join(', '),
      lat: r.latitude,
      long: r.longitude,
      media_url: r.media_url,
    };
  });
}
