import { lookup } from 'node:dns/promises';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * The webhook's guard against server-side request forgery: the notifier must not become a way to
 * reach the machines beside it (the database, Redis, the cloud metadata service at
 * 169.254.169.254, an admin port on localhost). A target is refused when ANY address its host
 * resolves to is not public unicast, unless private targets are explicitly allowed. The request
 * then connects to the very addresses that were checked (`pinnedLookup`), so a DNS answer that
 * changes between the check and the connection (DNS rebinding) cannot redirect it.
 */
export class TargetRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetRefusedError';
  }
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address a host name resolves to. Replaceable in tests. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) => {
  const all = await lookup(hostname, { all: true, verbatim: true });
  return all.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

const REASONS: Record<string, string> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local, which includes cloud metadata endpoints',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade NAT',
  private: 'private',
  reserved: 'reserved',
  uniqueLocal: 'unique local (private)',
  ipv4Compatible: 'IPv4-compatible IPv6 (deprecated)',
};

/**
 * Why an address may not be reached, or null when it is public unicast. Only ipaddr.js' 'unicast'
 * range passes: loopback, private, link-local, CGNAT, unspecified, multicast, broadcast, reserved
 * and documentation ranges, IPv6 ::1, fc00::/7, fe80::/10, NAT64/6to4/Teredo are all refused, and
 * an IPv4-mapped IPv6 address (::ffff:127.0.0.1) is judged as the IPv4 address it carries.
 */
export function refusalReason(address: string): string | null {
  const bare = address.split('%')[0] ?? address;
  if (!isIP(bare)) return 'not an IP address';
  let ip = ipaddr.parse(bare);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  const range = ip.range();
  if (range !== 'unicast') return REASONS[range] ?? range;
  // ::a.b.c.d (the first 96 bits zero) is not a range of its own in ipaddr.js.
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).parts.slice(0, 6).every((p) => p === 0)) return REASONS.ipv4Compatible!;
  return null;
}

/** Parse a webhook URL: http or https only, with a host. */
export function parseTargetUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetRefusedError('not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TargetRefusedError(`scheme "${url.protocol.replace(/:$/, '')}" is not allowed; use http or https`);
  }
  if (!url.hostname) throw new TargetRefusedError('the URL has no host');
  return url;
}

export interface VetOptions {
  /** NOTIFIER_WEBHOOK_ALLOW_PRIVATE: skip the address check (a receiver on the same network). */
  allowPrivate: boolean;
  resolve?: Resolver;
}

export interface VettedTarget {
  url: URL;
  /** What the host resolved to when it was checked; the request connects to these and no others. */
  addresses: ResolvedAddress[];
}

/** Thrown when the host does not resolve: a network problem, retried, unlike a refusal. */
export class ResolveError extends Error {
  constructor(message: string, public readonly code: string) {
    super(message);
    this.name = 'ResolveError';
  }
}

/**
 * Resolve the URL's host and check every address. Throws TargetRefusedError when a target is not
 * allowed, ResolveError when the host does not resolve. Messages name the host and address but
 * never the path or query, which may carry a token.
 */
export async function vetTarget(target: string | URL, opts: VetOptions): Promise<VettedTarget> {
  const url = typeof target === 'string' ? parseTargetUrl(target) : target;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: ResolvedAddress[];
  const literal = isIP(host);
  if (literal === 4 || literal === 6) {
    addresses = [{ address: host, family: literal }];
  } else {
    try {
      addresses = await (opts.resolve ?? systemResolver)(host);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'ERROR';
      throw new ResolveError(`host ${host} did not resolve (${code})`, code);
    }
    if (addresses.length === 0) throw new ResolveError(`host ${host} resolved to no address`, 'ENODATA');
  }
  if (!opts.allowPrivate) {
    for (const a of addresses) {
      const why = refusalReason(a.address);
      if (why) {
        const shown = a.address === host ? host : `${host} (${a.address})`;
        throw new TargetRefusedError(`${shown} is ${why}; private targets need NOTIFIER_WEBHOOK_ALLOW_PRIVATE=true`);
      }
    }
  }
  return { url, addresses };
}

/**
 * A `lookup` for node:http(s) that answers with the vetted addresses only, so the connection goes
 * where the check looked. Node asks with `all: true` when it races IPv4 and IPv6 (autoSelectFamily).
 */
export function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return (_hostname: string, options: LookupOptions, callback) => {
    const family = options.family === 4 || options.family === 'IPv4' ? 4 : options.family === 6 || options.family === 'IPv6' ? 6 : 0;
    const usable = family ? addresses.filter((a) => a.family === family) : addresses;
    const first = usable[0];
    if (!first) {
      callback(Object.assign(new Error('no checked address of the requested family'), { code: 'ENOTFOUND' }), '', 0);
      return;
    }
    if (options.all) callback(null, usable.map((a): LookupAddress => ({ address: a.address, family: a.family })));
    else callback(null, first.address, first.family);
  };
}
