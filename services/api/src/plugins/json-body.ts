import sjson from 'secure-json-parse';
import type { FastifyError, FastifyInstance } from 'fastify';

/**
 * JSON bodies, parsed as Fastify does (prototype-poisoning safe), except that an empty body
 * counts as no body: commands without fields document their body as optional, and clients
 * often send `Content-Type: application/json` with nothing after it.
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  // Bodies are JSON: a text/plain body is refused as an unsupported media type (415), not
  // parsed as a string and then refused by the schema as "must be object".
  app.removeContentTypeParser('text/plain');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, sjson.parse(text, null, { protoAction: 'error', constructorAction: 'error' }));
    } catch (err) {
      const e = err as FastifyError;
      e.statusCode = 400;
      e.code = 'INVALID_JSON';
      e.message = `The body is not valid JSON: ${(err as Error).message}`;
      done(e, undefined);
    }
  });
}
