import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import type { FastifyRequest, RouteOptions } from 'fastify';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { redisRateLimitStore } from './rate-limit-store.js';

/** The HTTP edge: limits, headers and origins (API_* settings, see README "Security"). */
export interface HttpSettings {
  /** Largest request body; a larger one is answered 413 BODY_TOO_LARGE. */
  bodyLimitBytes: number;
  /** A request not received and answered within this is dropped by Node (408). */
  requestTimeoutMs: number;
  /** Browser origins (scheme://host[:port]) allowed to call cross-origin; empty: same-origin only, no CORS headers. */
  corsOrigins: readonly string[];
  /** Fastify's trustProxy: false (the socket address is the client), true, or the proxies' addresses/CIDRs. */
  trustProxy: boolean | string[];
  /** Requests per minute per client, counted in Redis under `<keyPrefix>:ratelimit:`; false: no limits. */
  rateLimit: false | { perMinute: number; intakePerMinute: number; keyPrefix: string };
}

export const DEFAULT_HTTP_SETTINGS: HttpSettings = {
  bodyLimitBytes: 256 * 1024,
  requestTimeoutMs: 30_000,
  corsOrigins: [],
  trustProxy: false,
  rateLimit: { perMinute: 600, intakePerMinute: 120, keyPrefix: '{petitions}' },
};

/**
 * API_TRUST_PROXY as Fastify takes it: '' or 'false' off, 'true' (every peer is a proxy: only
 * when nothing reaches the API but through it), or comma-separated addresses/CIDRs of the proxies.
 * (Fastify 5 ignores hop counts: they cannot tell a proxy from a client that sends X-Forwarded-For.)
 */
export function parseTrustProxy(value: string): HttpSettings['trustProxy'] {
  const v = value.trim();
  if (v === '' || v === 'false') return false;
  if (v === 'true') return true;
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}

/** API_CORS_ORIGINS: comma-separated origins, spaces allowed. */
export function parseOrigins(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

/**
 * The UI (services/web/public) is plain files: scripts and styles from its own origin only, no
 * inline code, API calls to the same origin; the favicon is a data: URL. No
 * upgrade-insecure-requests: the API is reached over plain HTTP on a local network too.
 */
const UI_CSP = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  imgSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
};

/** Swagger UI at /docs sets inline styles and draws icons as data: images; only this prefix gets them. */
const DOCS_CSP = { ...UI_CSP, styleSrc: ["'self'", "'unsafe-inline'"], fontSrc: ["'self'", 'data:'] };

/**
 * Who a request counts against. A signed-in user (a verified access token) has a budget of their
 * own wherever they call from: a call centre is many clerks behind one address. Everyone else
 * is counted by client address, and that includes the development identity: anyone can send any
 * X-Actor-Id, so it must not choose the bucket.
 */
function rateLimitKey(request: FastifyRequest): string {
  if (request.sessionId && request.actor) return `user:${request.actor.id}`;
  return `ip:${normalizeIP(request.ip)}`;
}

const isDocs = (url: string) => url === '/docs' || url.startsWith('/docs/');
const methodsOf = (route: RouteOptions) => (Array.isArray(route.method) ? route.method : [route.method]);

/**
 * Security headers (helmet), CORS for the configured origins only, and per-client rate limits in
 * Redis. Register before any route: the per-route settings are made in an onRoute hook.
 */
export const securityPlugin = (ctx: Pick<AppContext, 'redis' | 'enqueueTimeoutMs'>, http: HttpSettings) => fp(async (app) => {
  const limits = http.rateLimit;
  // Runs before the plugins' own onRoute hooks (registered below), which read what it sets.
  app.addHook('onRoute', (route) => {
    const url = route.url ?? '';
    const config: Record<string, unknown> = { ...route.config };
    if (isDocs(url)) config.helmet = { contentSecurityPolicy: { useDefaults: false, directives: DOCS_CSP } };
    // @fastify/static marks its routes with rootPath: the UI's files (and /docs' assets) are not limited.
    if (url === '/health' || config.rootPath !== undefined) config.rateLimit = false;
    else if (limits && url === '/petitions' && methodsOf(route).includes('POST')) {
      // Intake has a stricter budget of its own (it writes a petition, a contact and a command).
      config.rateLimit = { max: limits.intakePerMinute, timeWindow: 60_000 };
    }
    route.config = config;
  });

  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: UI_CSP },
    frameguard: { action: 'deny' },
  });

  if (http.corsOrigins.length > 0) {
    const allowed = new Set(http.corsOrigins);
    await app.register(cors, {
      // A listed origin gets CORS headers and its preflight answered; any other gets neither (404).
      origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin) ? origin : false),
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
      allowedHeaders: ['Content-Type', 'Authorization', 'Idempotency-Key', 'X-Actor-Id', 'X-Actor-Role', 'X-Actor-Unit'],
      exposedHeaders: ['Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'],
      maxAge: 600,
    });
  }

  if (limits) {
    let lastWarning = 0;
    await app.register(rateLimit, {
      global: true,
      max: limits.perMinute,
      timeWindow: 60_000,
      // A route-level onRequest hook: it runs after the identity hook, so the signed-in user is known.
      hook: 'onRequest',
      keyGenerator: rateLimitKey,
      store: redisRateLimitStore(ctx.redis, `${limits.keyPrefix}:ratelimit:`, ctx.enqueueTimeoutMs, (err) => {
        if (Date.now() - lastWarning < 30_000) return;
        lastWarning = Date.now();
        app.log.warn({ err: { message: err.message } }, 'rate limits not applied: Redis unavailable');
      }),
      skipOnError: true,
      errorResponseBuilder: (_request, c) => new AppError(429, 'RATE_LIMITED', `Too many requests; retry in ${c.after}`),
    });
  }
}, { name: 'security' });
