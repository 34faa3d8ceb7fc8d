import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

/**
 * Two validators: bodies are strict (unknown fields are errors and nothing is coerced, so a
 * number is never silently accepted as a title); query strings, params and headers arrive as
 * text and are coerced to the declared types.
 */
export function installValidators(app: FastifyInstance): void {
  const strict = createAjv(false);
  const coercing = createAjv('array');
  for (const schema of Object.values(app.getSchemas()) as object[]) {
    strict.addSchema(schema);
    coercing.addSchema(schema);
  }
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema));
}

/** An Ajv configured as the API validates: `false` for bodies, `'array'` for the text-borne parts. */
export function createAjv(coerceTypes: Options['coerceTypes']): Ajv {
  // verbose: errors carry their schema, so messages can use its hint (see the error handler).
  return addFormats(new Ajv({ removeAdditional: false, useDefaults: true, allErrors: false, strict: false, verbose: true, coerceTypes }));
}
