import { Transform, type TransformCallback } from 'node:stream';
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

/**
 * Text as it enters the API, checked once for every route (not per schema):
 *
 * - a JSON body must be valid UTF-8 (Fastify would otherwise turn bad bytes into U+FFFD silently,
 *   e.g. a GBK body from a legacy system stored as garbage): 400 INVALID_ENCODING;
 * - no string may hold control characters (C0, DEL, C1), Unicode bidi embeddings, overrides or
 *   isolates (U+202A–U+202E, U+2066–U+2069: they make a list or a message read other than it is)
 *   or lone surrogates; long text fields (a schema maxLength of at least 500: content, answers,
 *   results, notes, reasons, comments) may hold line breaks and tabs, CRLF becomes LF:
 *   400 INVALID_CHARACTERS naming the field;
 * - every accepted string is normalised to NFC before validation, so a decomposed "é" and a CJK
 *   compatibility ideograph are stored (and length-checked, and compared for duplicates) in the
 *   one form the rest of the system expects.
 *
 * Bodies, query strings and path parameters are walked; headers are left to Node, which refuses
 * control characters in them.
 */

/** Strings whose schema allows this many characters are free text typed in a text area. */
const LONG_TEXT_MIN_LENGTH = 500;

const codePoint = (c: number) => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;

/** The first character that must not be in `s`, as a description; null when `s` is clean. */
function forbiddenCharacter(s: string, multiline: boolean): string | null {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20) {
      if (multiline && (c === 0x0a || c === 0x09)) continue;
      return `a control character (${codePoint(c)})`;
    }
    if (c >= 0x7f && c <= 0x9f) return `a control character (${codePoint(c)})`;
    if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) return `a bidirectional control character (${codePoint(c)})`;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return `a lone surrogate (${codePoint(c)})`;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return `a lone surrogate (${codePoint(c)})`;
  }
  return null;
}

interface SchemaNode {
  type?: unknown;
  maxLength?: unknown;
  properties?: Record<string, SchemaNode>;
  patternProperties?: Record<string, SchemaNode>;
  additionalProperties?: unknown;
  items?: unknown;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  allOf?: SchemaNode[];
}

const asNode = (v: unknown): SchemaNode | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined);

const patterns = new Map<string, RegExp>();
const patternOf = (source: string) => {
  let re = patterns.get(source);
  if (!re) patterns.set(source, re = new RegExp(source, 'u'));
  return re;
};

/** The schema of `key` inside `schema` (an object's property, a record's value, an array's item). */
function childSchema(schema: SchemaNode | undefined, key: string | number): SchemaNode | undefined {
  if (!schema) return undefined;
  for (const member of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) {
    const found = childSchema(member, key);
    if (found) return found;
  }
  if (typeof key === 'number') return asNode(schema.items);
  const prop = schema.properties?.[key];
  if (prop) return prop;
  for (const [pattern, s] of Object.entries(schema.patternProperties ?? {})) {
    if (patternOf(pattern).test(key)) return s;
  }
  return asNode(schema.additionalProperties);
}

function isLongText(schema: SchemaNode | undefined): boolean {
  if (!schema) return false;
  if (typeof schema.maxLength === 'number' && schema.maxLength >= LONG_TEXT_MIN_LENGTH) return true;
  return [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].some(isLongText);
}

function invalidCharacters(field: string, what: string): AppError {
  return new AppError(400, 'INVALID_CHARACTERS', `${field}: contains ${what}; remove it`, { field });
}

/** Far deeper than any body the API takes; a walk must stop somewhere (256 KiB of "[" nest 100k levels). */
const MAX_DEPTH = 32;

/**
 * Check and NFC-normalise every string in `value` in place; object keys are left to the schema
 * (unknown or malformed keys are refused there). Returns the value to keep.
 */
function cleanText(value: unknown, schema: SchemaNode | undefined, path: string, depth = 0): unknown {
  if (typeof value === 'string') {
    const multiline = isLongText(schema);
    const bad = forbiddenCharacter(value, multiline);
    if (bad !== null) {
      // A Windows client's CRLF in a text area is a line break, not a stray control character.
      if (multiline && value.includes('\r')) {
        const lf = value.replaceAll('\r\n', '\n');
        if (forbiddenCharacter(lf, true) === null) return lf.normalize('NFC');
      }
      throw invalidCharacters(path || 'body', bad);
    }
    return value.normalize('NFC');
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) throw new AppError(400, 'INVALID_JSON', `The body is nested more than ${MAX_DEPTH} levels deep`);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = cleanText(value[i], childSchema(schema, i), path ? `${path}.${i}` : String(i), depth + 1);
    return value;
  }
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) obj[key] = cleanText(obj[key], childSchema(schema, key), path ? `${path}.${key}` : key, depth + 1);
  return value;
}

/** A pass-through stream that fails on the first byte sequence that is not UTF-8. */
class Utf8Check extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  receivedEncodedLength = 0;

  override _transform(chunk: Buffer | string, _enc: BufferEncoding, cb: TransformCallback): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.receivedEncodedLength += buf.length;
    try {
      this.decoder.decode(buf, { stream: true });
    } catch {
      cb(invalidEncoding());
      return;
    }
    cb(null, buf);
  }

  override _flush(cb: TransformCallback): void {
    try {
      this.decoder.decode();
    } catch {
      cb(invalidEncoding());
      return;
    }
    cb();
  }
}

const invalidEncoding = () => new AppError(400, 'INVALID_ENCODING', 'The body is not valid UTF-8; send JSON encoded as UTF-8');

const isJson = (request: FastifyRequest) => /^application\/(?:[\w.+-]+\+)?json\b/i.test(request.headers['content-type'] ?? '');

export const textInputPlugin = fp(async (app) => {
  app.addHook('preParsing', async (request, _reply, payload) => {
    if (!isJson(request)) return payload;
    // pipe, not pipeline: a refused body must not destroy the request's socket before the 400 is sent.
    const checked = new Utf8Check();
    payload.on('error', (err) => checked.destroy(err));
    return payload.pipe(checked);
  });

  app.addHook('preValidation', async (request) => {
    const schema = request.routeOptions.schema;
    if (request.body !== undefined && request.body !== null) request.body = cleanText(request.body, asNode(schema?.body), '');
    if (request.query && typeof request.query === 'object') cleanText(request.query, undefined, '');
    if (request.params && typeof request.params === 'object') cleanText(request.params, undefined, '');
  });
}, { name: 'text-input' });
