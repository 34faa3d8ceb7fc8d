import formbody from '@fastify/formbody';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyError, FastifyRequest } from 'fastify';
import { apiKeysRepo, commandsRepo, type Open311ApiKey } from '@petitions/db';
import type { Actor } from '@petitions/domain';
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { DEFAULT_HTTP_SETTINGS } from '../../plugins/security.js';
import { commandDeps, executeCommand } from '../../services/commands.js';
import { newPetitionWriter } from '../../services/petition-intake.js';
import {
  apiKeyHash, badRequest, findRequests, findService, loadCatalog, MAX_RESULTS, MAX_WINDOW_MS,
  serviceDefinition, serviceList, serviceNotice, toSubmission,
} from '../../services/open311.js';
import {
  formatOfRequest, list, OPEN311_FORMATS, send, sendErrors, splitFormat, type Open311Format,
} from '../../services/open311-format.js';
import { IdempotencyHeaders, UUID_PATTERN } from '../schemas.js';
import type { AjvLikeError } from '../../plugins/error-handler.js';

const SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';
const TRACKING_NO = /^[0-9]{16,20}$/;
/** W3C date-time with a zone (Z or ±hh:mm), as the spec requires for start_date and end_date. */
const W3_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

const forbidden = (description: string) => new AppError(403, 'INVALID_API_KEY', description);
const notFound = (what: string) => new AppError(404, 'NOT_FOUND', what);
const isFormat = (f: string): f is Open311Format => (OPEN311_FORMATS as readonly string[]).includes(f);

/** Open311 answers use these statuses and 5xx; anything else a client could fix is a 400, as the spec says. */
const KEPT_STATUSES = new Set([400, 401, 403, 404, 413, 415, 429]);
const open311Status = (status: number) => (KEPT_STATUSES.has(status) || status >= 500 ? status : 400);

function validationDescription(e: AjvLikeError, context: string | undefined): string {
  const path = e.instancePath.replace(/^\//, '').replaceAll('/', '.').replace(/\.\d+$/, '');
  const where = context === 'querystring' ? 'parameter' : 'field';
  if (e.keyword === 'required') return `${String(e.params.missingProperty)}: is required`;
  if (e.keyword === 'additionalProperties') return `${String(e.params.additionalProperty)}: unknown ${where}; remove it`;
  const hint = e.parentSchema?.['x-hint'];
  return `${path || context || 'request'}: ${hint ? `must be ${hint}` : e.message ?? 'is invalid'}`;
}

/** Every error as the spec's list of {code, description}; the code is the HTTP status. */
function open311Error(err: FastifyError | AppError | Error, request: FastifyRequest): { status: number; description: string } {
  if (err instanceof AppError) return { status: open311Status(err.statusCode), description: err.message };
  const fe = err as FastifyError & { validation?: AjvLikeError[]; validationContext?: string };
  if (fe.validation && fe.validation.length > 0) return { status: 400, description: validationDescription(fe.validation[0]!, fe.validationContext) };
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
  if (status >= 500) {
    request.log.error({ err: { message: err.message, stack: err.stack } }, 'open311 request failed');
    return { status, description: `Internal error; quote ${request.id} when reporting it` };
  }
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { status: 413, description: `The body is larger than the limit of ${request.routeOptions.bodyLimit} bytes` };
  return { status: open311Status(status), description: err.message };
}

/** Comma lists that may also be repeated (`status=open&status=closed`); empty items count as absent. */
const items = (values: string[] | undefined) => (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);

function parseDate(field: string, value: string | undefined): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = W3_DATETIME.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw badRequest(field, 'must be a W3C date-time with its zone, e.g. 2025-01-01T00:00:00+08:00 or 2025-01-01T00:00:00Z');
  return new Date(ms);
}

const ListParam = (description: string, maxLength: number) =>
  Type.Optional(Type.Array(Type.String({ maxLength }), { maxItems: 20, description }));

const FormatParams = Type.Object({ file: Type.String({ maxLength: 200, description: '{id}.json or {id}.xml' }) });

const FormString = (maxLength: number, description: string, extra: Record<string, unknown> = {}) =>
  Type.Optional(Type.String({ maxLength, description, ...extra }));
const NUMBER = '^-?[0-9]{1,3}(\\.[0-9]{1,15})?$';

/** POST requests.{format}: the spec's form fields; attribute[code] for the service definition's attributes. */
const RequestForm = Type.Object({
  api_key: FormString(200, 'Required: a key from an administrator (POST /admin/open311-keys)'),
  jurisdiction_id: FormString(200, 'Ignored: this endpoint serves one jurisdiction'),
  service_code: Type.String({ minLength: 1, maxLength: 100, description: 'From services.{format}' }),
  lat: FormString(20, 'WGS84 latitude; with long, or give address_string', { pattern: NUMBER, 'x-hint': 'a decimal number' }),
  long: FormString(20, 'WGS84 longitude; with lat, or give address_string', { pattern: NUMBER, 'x-hint': 'a decimal number' }),
  address_string: FormString(200, 'Where the problem is, most specific first'),
  address_id: FormString(200, 'Not supported here: send lat/long or address_string'),
  email: FormString(254, 'Accepted, not stored'),
  device_id: FormString(200, 'Accepted, not stored'),
  account_id: FormString(200, 'Accepted, not stored'),
  first_name: FormString(50, 'Stored encrypted, with the phone number'),
  last_name: FormString(50, 'Stored encrypted, with the phone number'),
  phone: FormString(30, 'Stored encrypted; without it no contact is kept'),
  description: FormString(4000, 'The request, up to 4,000 characters; line breaks allowed'),
  media_url: FormString(2000, 'http(s) URL of a photo or other media', { pattern: '^https?://\\S+$', 'x-hint': 'an http(s) URL' }),
}, {
  additionalProperties: false,
  patternProperties: {
    '^attribute\\[[A-Za-z0-9_]{1,40}\\](\\[\\])?$': {
      anyOf: [{ type: 'string', maxLength: 500 }, { type: 'array', items: { type: 'string', maxLength: 500 }, maxItems: 20 }],
    },
  },
});

const RequestsQuery = Type.Object({
  jurisdiction_id: Type.Optional(Type.String({ maxLength: 200, description: 'Ignored: this endpoint serves one jurisdiction' })),
  api_key: Type.Optional(Type.String({ maxLength: 200, description: 'Not needed for reading; ignored' })),
  service_request_id: ListParam('Tracking numbers, comma-separated (at most 1000); overrides every other parameter', 21_000),
  service_code: ListParam('Service codes, comma-separated', 10_000),
  start_date: Type.Optional(Type.String({ maxLength: 40, description: 'W3C date-time with zone; the window is at most 90 days' })),
  end_date: Type.Optional(Type.String({ maxLength: 40, description: 'W3C date-time with zone; defaults to now (or start_date + 90 days)' })),
  status: ListParam('open, closed, or both', 20),
}, { additionalProperties: false });

/** The key that authorised a POST, found in its preValidation hook. */
const keysOf = new WeakMap<FastifyRequest, Open311ApiKey>();

/**
 * Open311 GeoReport v2 under /open311/v2 (the prefix comes from the caller). Reading is public,
 * as the spec expects; creating a request needs an api_key and goes through the same write path
 * as POST /petitions. Errors are the spec's list of {code, description}, in the request's format.
 */
export const geoReportRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  const startedAt = new Date();
  const deps = commandDeps(ctx, app.log);
  // The spec's POST body; registered here, so only these routes take form-encoded bodies.
  await app.register(formbody);

  app.setErrorHandler((err: FastifyError | AppError | Error, request, reply) => {
    const { status, description } = open311Error(err, request);
    return sendErrors(reply, formatOfRequest(request), status, [{ code: status, description }]);
  });
  app.setNotFoundHandler((request, reply) => sendErrors(reply, formatOfRequest(request), 404, [{
    code: 404, description: `No Open311 resource ${request.method} ${request.url.split('?')[0]}; formats are .json and .xml (see discovery.json)`,
  }]));

  const config = { public: true };
  const tags = ['open311'];
  // Creating a request writes what POST /petitions writes: the same stricter per-client budget.
  const limits = (ctx.http ?? DEFAULT_HTTP_SETTINGS).rateLimit;
  const postConfig = limits ? { ...config, rateLimit: { max: limits.intakePerMinute, timeWindow: 60_000 } } : config;

  for (const format of OPEN311_FORMATS) {
    app.get(`/discovery.${format}`, {
      config, schema: { tags, operationId: `open311Discovery_${format}`, summary: `Open311 service discovery (${format})` },
    }, async (request, reply) => send(reply, format, 200, 'discovery', {
      changeset: startedAt.toISOString(),
      contact: '12345 政务服务便民热线：拨打 12345 The 12345 government service hotline: call 12345',
      key_service: 'api_key 由系统管理员签发 (POST /admin/open311-keys) API keys are issued by the administrators',
      endpoints: list('endpoint', [{
        specification: SPECIFICATION,
        url: `${request.protocol}://${request.host}/open311/v2`,
        changeset: startedAt.toISOString(),
        type: 'production',
        formats: list('format', ['text/xml', 'application/json']),
      }]),
    }));

    app.get(`/services.${format}`, {
      config, schema: { tags, operationId: `open311Services_${format}`, summary: `Open311 services: the active leaf categories (${format})`, querystring: Type.Object({ jurisdiction_id: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }) },
    }, async (_request, reply) => send(reply, format, 200, 'services', serviceList(await loadCatalog(ctx.db))));

    app.get(`/requests.${format}`, {
      config,
      schema: {
        tags, operationId: `open311Requests_${format}`, querystring: RequestsQuery,
        summary: `Open311 service requests, newest first: at most ${MAX_RESULTS}, created within a window of at most 90 days (${format})`,
      },
    }, async (request, reply) => {
      const q = request.query;
      const ids = items(q.service_request_id);
      if (ids.length > 0) {
        // The spec: service_request_id overrides all other arguments.
        const bad = ids.find((id) => !TRACKING_NO.test(id));
        if (bad !== undefined) throw badRequest('service_request_id', `"${bad}" is not a service request id (a tracking number of 16 to 20 digits)`);
        if (ids.length > MAX_RESULTS) throw badRequest('service_request_id', `at most ${MAX_RESULTS} ids at once`);
        return send(reply, format, 200, 'service_requests', list('request', await findRequests(ctx.db, { trackingNos: ids })));
      }
      const statuses = items(q.status);
      const wrong = statuses.find((s) => s !== 'open' && s !== 'closed');
      if (wrong !== undefined) throw badRequest('status', `"${wrong}" is not a status; use open, closed or both`);
      let from = parseDate('start_date', q.start_date);
      let to = parseDate('end_date', q.end_date);
      if (from && to) {
        if (from > to) throw badRequest('start_date', 'must not be after end_date');
        if (to.getTime() - from.getTime() > MAX_WINDOW_MS) throw badRequest('end_date', 'the window from start_date to end_date may not span more than 90 days');
      } else if (from) {
        to = new Date(from.getTime() + MAX_WINDOW_MS);
      } else {
        to ??= new Date();
        from = new Date(to.getTime() - MAX_WINDOW_MS);
      }
      const codes = items(q.service_code);
      return send(reply, format, 200, 'service_requests', list('request', await findRequests(ctx.db, {
        from, to, ...(codes.length > 0 ? { serviceCodes: codes } : {}),
        ...(statuses.length > 0 ? { statuses: statuses as ('open' | 'closed')[] } : {}),
      })));
    });
  }

  // One route for both formats, so they share one rate-limit budget.
  app.post('/requests.:format', {
    config: postConfig,
    schema: {
      tags, operationId: 'open311CreateRequest', consumes: ['application/x-www-form-urlencoded'],
      summary: 'Open311: create a service request (a petition, channel open311) with an api_key (requests.json or requests.xml)',
      description: 'Form-encoded as the spec says. Goes through the same intake as POST /petitions: answers 201 with service_request_id (the tracking number) once routed, or 202 with a token (poll tokens/{token}) if the worker has not finished yet. Attributes: attribute[DISTRICT] (required), attribute[STREET] and the category\'s extra fields, see services/{service_code}.',
      params: Type.Object({ format: Type.String({ maxLength: 10, description: 'json or xml' }) }), headers: IdempotencyHeaders, body: RequestForm,
    },
    preValidation: async (request) => {
      if (!isFormat(request.params.format)) throw notFound(`No Open311 resource requests.${request.params.format}; formats are .json and .xml`);
      const body = (request.body ?? {}) as Record<string, unknown>;
      // The spec: an empty parameter is the same as one not sent.
      for (const [k, v] of Object.entries(body)) if (v === '') delete body[k];
      const apiKey = body.api_key;
      if (typeof apiKey !== 'string') throw forbidden('api_key is required to create a service request');
      const key = await apiKeysRepo.findActiveApiKeyByHash(ctx.db, apiKeyHash(apiKey));
      if (!key) throw forbidden('Invalid api_key received -- cannot create the service request');
      keysOf.set(request, key);
    },
  }, async (request, reply) => {
    const format = request.params.format as Open311Format;
    const key = keysOf.get(request)!;
    // toSubmission checks what validateReferences would (service, district, street, extra fields), against the fresh catalog.
    const { body } = toSubmission(await loadCatalog(ctx.db), request.body);
    // The client acts under its key; the petition records that it came in through Open311.
    const actor: Actor = { id: `open311:${key.id}`, role: 'resident', unitId: null };
    const mediaUrl = request.body.media_url ?? null;
    const petition = newPetitionWriter(ctx.keys, body, actor.id);
    const receipt = await executeCommand(deps, {
      petitionId: petition.petitionId, type: 'SUBMIT', payload: {}, actor,
      idempotencyKey: request.headers['idempotency-key'], fingerprint: { body, mediaUrl },
      // The petition, its contact, its command and the Open311 source row: one transaction.
      record: (db, command) => db.transaction().execute(async (trx) => {
        await petition.record(trx, command);
        await apiKeysRepo.recordKeyRequest(trx, { petitionId: petition.petitionId, apiKeyId: key.id, mediaUrl });
      }),
    });
    const o = receipt.outcome;
    if (o.status === 'rejected') throw badRequest('service_code', `the request was refused: ${o.reason}`, o.code);
    if (o.status === 'pending') {
      return send(reply, format, 202, 'service_requests', list('request', [{
        token: receipt.commandId, service_notice: serviceNotice('intake', null),
      }]));
    }
    const trackingNo = await petition.trackingNoFor(ctx.db, receipt);
    const leadUnitId = o.result.leadUnitId as string | null | undefined;
    const lead = leadUnitId ? await ctx.reference.unit(leadUnitId) : undefined;
    return send(reply, format, 201, 'service_requests', list('request', [{
      service_request_id: trackingNo, service_notice: serviceNotice(String(o.result.state), lead?.name ?? null, lead?.name_en ?? null),
    }]));
  });

  /** `{name}.json` / `{name}.xml` of the :file routes, or 404. */
  const fileOf = (file: string, what: string): { name: string; format: Open311Format } => {
    const f = splitFormat(file);
    if (!f) throw notFound(`No ${what} ${file}: add .json or .xml`);
    return f;
  };

  app.get('/services/:file', {
    config, schema: { tags, operationId: 'open311ServiceDefinition', summary: 'Open311 service definition: its attributes ({service_code}.json or .xml)', params: FormatParams },
  }, async (request, reply) => {
    const { name, format } = fileOf(request.params.file, 'service');
    const catalog = await loadCatalog(ctx.db);
    const service = findService(catalog, name);
    if (!service) return sendErrors(reply, format, 404, [{ code: 404, description: `service_code: no service with code "${name}" (see services.${format})` }]);
    return send(reply, format, 200, 'service_definition', serviceDefinition(catalog, service));
  });

  app.get('/requests/:file', {
    config, schema: { tags, operationId: 'open311Request', summary: 'Open311 service request by its id, the tracking number ({id}.json or .xml)', params: FormatParams },
  }, async (request, reply) => {
    const { name, format } = fileOf(request.params.file, 'service request');
    const found = TRACKING_NO.test(name) ? await findRequests(ctx.db, { trackingNos: [name] }, 1) : [];
    if (found.length === 0) return sendErrors(reply, format, 404, [{ code: 404, description: `service_request_id: no service request ${name}` }]);
    return send(reply, format, 200, 'service_requests', list('request', found));
  });

  app.get('/tokens/:file', {
    config, schema: { tags, operationId: 'open311Token', summary: 'Open311: the service_request_id for a token from POST requests ({token}.json or .xml)', params: FormatParams },
  }, async (request, reply) => {
    const { name, format } = fileOf(request.params.file, 'token');
    const row = UUID_PATTERN.test(name) ? await commandsRepo.findCommandById(ctx.db, name) : undefined;
    const source = row?.type === 'SUBMIT'
      ? await ctx.db.selectFrom('open311_requests as o').innerJoin('petitions as p', 'p.id', 'o.petition_id')
        .select('p.tracking_no').where('o.petition_id', '=', row.petition_id).executeTakeFirst()
      : undefined;
    if (!row || !source) return sendErrors(reply, format, 404, [{ code: 404, description: `token: no token ${name}` }]);
    if (row.status === 'rejected') {
      return sendErrors(reply, format, 400, [{ code: 400, description: `the request was refused: ${row.rejection_reason ?? row.rejection_code ?? ''}` }]);
    }
    // Known once the worker has applied the submission; until then only the token comes back.
    return send(reply, format, 200, 'service_requests', list('request', [{
      service_request_id: row.status === 'pending' ? null : source.tracking_no, token: row.id,
    }]));
  });
};
