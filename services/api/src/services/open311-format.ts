import { XMLBuilder } from 'fast-xml-parser';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Open311 GeoReport v2 responses in its two formats from one description. XML is the spec's
 * required format; JSON follows its "Spark convention": a container element whose children are
 * all one repeated element becomes an array, everything else maps field by field.
 */

export const OPEN311_FORMATS = ['json', 'xml'] as const;
export type Open311Format = (typeof OPEN311_FORMATS)[number];

/** A container of repeated elements: `<attributes><attribute>…</attribute>…</attributes>` in XML, an array in JSON. */
export class Repeated {
  constructor(readonly element: string, readonly items: readonly Node[]) {}
}
export type Node = string | number | boolean | null | Repeated | { readonly [field: string]: Node | undefined };

export const list = (element: string, items: readonly Node[]) => new Repeated(element, items);

function toJson(node: Node | undefined): unknown {
  if (node instanceof Repeated) return node.items.map(toJson);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) if (v !== undefined) out[k] = toJson(v);
  return out;
}

/** U+FFFE and U+FFFF are not XML characters; nothing else that the API accepts needs replacing. */
const NON_XML = /[\uFFFE\uFFFF]/g;

function toXml(node: Node | undefined): unknown {
  if (node instanceof Repeated) return node.items.length === 0 ? '' : { [node.element]: node.items.map(toXml) };
  if (node === null || node === undefined) return '';
  if (typeof node === 'string') return node.replace(NON_XML, '\uFFFD');
  if (typeof node !== 'object') return String(node);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) if (v !== undefined) out[k] = toXml(v);
  return out;
}

// The builder escapes &, <, >, " and ' in text (processEntities); element names are ours, never input.
const builder = new XMLBuilder({ ignoreAttributes: false, suppressEmptyNode: false, processEntities: true, format: false });

const CONTENT_TYPES: Record<Open311Format, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
};

/** The body of a response: `root` names the XML document element (JSON has none). */
export function render(format: Open311Format, root: string, node: Node): string {
  if (format === 'json') return JSON.stringify(toJson(node));
  return builder.build({ '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' }, [root]: toXml(node) });
}

export function send(reply: FastifyReply, format: Open311Format, status: number, root: string, node: Node): FastifyReply {
  return reply.status(status).type(CONTENT_TYPES[format]).send(render(format, root, node));
}

export interface Open311Error {
  /** The HTTP status, as the spec's examples give it. */
  code: number;
  /** Meant to be shown to the user. */
  description: string;
}

export function sendErrors(reply: FastifyReply, format: Open311Format, status: number, errors: readonly Open311Error[]): FastifyReply {
  return send(reply, format, status, 'errors', list('error', errors.map((e) => ({ code: e.code, description: e.description }))));
}

/** `.xml` at the end of the path answers in XML (errors included); anything else in JSON. */
export function formatOfRequest(request: FastifyRequest): Open311Format {
  const path = request.url.split('?')[0] ?? '';
  return path.endsWith('.xml') ? 'xml' : 'json';
}

/** Split `name.json` / `name.xml` (a name may hold dots itself); null for any other ending. */
export function splitFormat(file: string): { name: string; format: Open311Format } | null {
  const m = /^(.+)\.(json|xml)$/.exec(file);
  return m ? { name: m[1]!, format: m[2] as Open311Format } : null;
}

/** W3C date-time with the zone, as the spec asks: China Standard Time, to the second. */
export function w3Time(d: Date): string {
  return `${new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}
