import fp from 'fastify-plugin';
import type { FastifyError } from 'fastify';
import { AppError } from '../errors.js';

export interface AjvLikeError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
  parentSchema?: { 'x-hint'?: string };
}

/** Say what to fix, not which regular expression failed. */
function hintFor(e: AjvLikeError): string {
  const hint = e.parentSchema?.['x-hint'];
  if (e.keyword === 'pattern' && e.params.pattern === '\\S') return 'must not be blank';
  if (hint && (e.keyword === 'pattern' || e.keyword === 'format')) return `must be ${hint}`;
  if (e.keyword === 'enum') return `must be one of: ${(e.params.allowedValues as unknown[]).join(', ')}`;
  if (e.keyword === 'format' && e.params.format === 'uuid') return 'must be an id (uuid)';
  return e.message ?? 'is invalid';
}

function fieldOf(e: AjvLikeError, context: string | undefined): string {
  const path = e.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const extra = e.keyword === 'additionalProperties' ? String(e.params.additionalProperty)
    : e.keyword === 'required' ? String(e.params.missingProperty) : '';
  const full = [path, extra].filter(Boolean).join('.');
  return full || (context ?? 'body');
}

/** Map validation errors, our AppErrors and anything unexpected to the one error body. */
export const errorHandlerPlugin = fp(async (app) => {
  app.setErrorHandler((err: FastifyError | AppError | Error, request, reply) => {
    const reqId = request.id;
    if (err instanceof AppError) {
      return reply.status(err.statusCode).send({ statusCode: err.statusCode, code: err.code, message: err.message, reqId, ...err.details });
    }
    const fe = err as FastifyError & { validation?: AjvLikeError[]; validationContext?: string };
    if (fe.validation && fe.validation.length > 0) {
      const first = fe.validation[0]!;
      const field = fieldOf(first, fe.validationContext);
      const code = first.keyword === 'additionalProperties' ? 'UNKNOWN_FIELD' : first.keyword === 'required' ? 'MISSING_FIELD' : 'INVALID_FIELD';
      const message = code === 'UNKNOWN_FIELD' ? `${field}: unknown field; remove it`
        : code === 'MISSING_FIELD' ? `${field}: is required`
          : `${field}: ${hintFor(first)}`;
      return reply.status(400).send({ statusCode: 400, code, message, reqId, field });
    }
    const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: { message: err.message, stack: err.stack } }, 'request failed');
      return reply.status(status).send({ statusCode: status, code: 'INTERNAL_ERROR', message: 'Internal error; quote reqId when reporting it', reqId });
    }
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const limit = request.routeOptions.bodyLimit;
      return reply.status(413).send({ statusCode: 413, code: 'BODY_TOO_LARGE', message: `The body is larger than the limit of ${limit} bytes`, reqId });
    }
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.status(415).send({
        statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE', reqId,
        message: `Content-Type ${request.headers['content-type'] ?? '(none)'} is not accepted here; send the body as JSON (Content-Type: application/json)`,
      });
    }
    // Fastify's own other 4xx keep their code.
    return reply.status(status).send({ statusCode: status, code: fe.code ?? 'BAD_REQUEST', message: err.message, reqId });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ statusCode: 404, code: 'ROUTE_NOT_FOUND', message: `No route ${request.method} ${request.url.split('?')[0]}`, reqId: request.id }));
}, { name: 'error-handler' });
