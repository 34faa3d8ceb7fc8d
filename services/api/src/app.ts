import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { webRoot } from '@petitions/web';
import type { AppContext } from './context.js';
import { errorHandlerPlugin } from './plugins/error-handler.js';
import { identityPlugin } from './plugins/identity.js';
import { DEFAULT_HTTP_SETTINGS, securityPlugin } from './plugins/security.js';
import { textInputPlugin } from './plugins/text-input.js';
import { installJsonBodyParser } from './plugins/json-body.js';
import { installValidators } from './plugins/validation.js';
import { adminNotificationRoutes } from './routes/admin-notifications.js';
import { authRoutes } from './routes/auth.js';
import { contactRoutes } from './routes/contact.js';
import { trackingRoutes } from './routes/tracking.js';
import { healthRoutes } from './routes/health.js';
import { open311Routes } from './routes/open311/index.js';
import { petitionCommandRoutes } from './routes/petition-commands.js';
import { petitionRoutes } from './routes/petitions.js';
import { referenceRoutes } from './routes/reference.js';
import { reportRoutes } from './routes/reports.js';
import { ErrorBody } from './routes/schemas.js';
import { timeAdminRoutes } from './routes/time-admin.js';
import { unitRoutes } from './routes/units.js';

export type { AppContext } from './context.js';
export { OutcomeWaiter } from './services/outcome-waiter.js';
export { ReferenceCache } from './services/reference-cache.js';
export { reencryptContacts } from './services/reencrypt.js';
export { DEFAULT_HTTP_SETTINGS, parseOrigins, parseTrustProxy, type HttpSettings } from './plugins/security.js';

/** node_modules/echarts/dist, wherever pnpm put the package. */
const ECHARTS_DIST = join(dirname(createRequire(import.meta.url).resolve('echarts/package.json')), 'dist');

export interface RouteEntry {
  method: string;
  url: string;
  public: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeCatalogue: readonly RouteEntry[];
  }
}

export interface BuildOptions {
  loggerInstance?: FastifyServerOptions['loggerInstance'];
}

/**
 * The API as one Fastify instance: infrastructure plugins first (docs, errors, identity),
 * then the routes. main.ts adds the listener; tests call `inject` on it.
 */
export async function buildApp(ctx: AppContext, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const http = ctx.http ?? DEFAULT_HTTP_SETTINGS;
  const app = Fastify({
    ...(opts.loggerInstance ? { loggerInstance: opts.loggerInstance } : { logger: false }),
    bodyLimit: http.bodyLimitBytes,
    requestTimeout: http.requestTimeoutMs,
    trustProxy: http.trustProxy,
    genReqId: () => crypto.randomUUID(),
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Every API route as registered, so the authorization matrix test can prove it covers them all.
  const catalogue: RouteEntry[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) if (method !== 'HEAD') catalogue.push({ method, url: r.url, public: r.config?.public === true });
  });
  app.decorate('routeCatalogue', catalogue);

  // Headers, CORS and rate limits first: their per-route settings must see every route, /docs included.
  await app.register(securityPlugin(ctx, http));
  await app.register(swagger, {
    openapi: {
      info: { title: 'Petition engine API (12345 诉求办理)', version: '0.1.0', description: 'Intake, dispatch, handling and feedback of residents\' requests.' },
      components: {},
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.addSchema(ErrorBody);
  installValidators(app);
  installJsonBodyParser(app);
  await app.register(textInputPlugin);
  await app.register(errorHandlerPlugin);
  await app.register(identityPlugin(ctx));

  await app.register(healthRoutes(ctx));
  await app.register(authRoutes(ctx));
  await app.register(referenceRoutes(ctx));
  await app.register(petitionRoutes(ctx));
  await app.register(petitionCommandRoutes(ctx));
  await app.register(contactRoutes(ctx));
  await app.register(trackingRoutes(ctx));
  await app.register(unitRoutes(ctx));
  await app.register(adminNotificationRoutes(ctx));
  await app.register(timeAdminRoutes(ctx));
  await app.register(reportRoutes(ctx));
  await app.register(open311Routes(ctx));
  // The browser UI: static files, no build step. API routes take precedence over file names.
  await app.register(fastifyStatic, { root: webRoot, prefix: '/', wildcard: false, index: 'index.html' });
  // The chart library of 统计报表, loaded by that page only: one file of the echarts package and
  // nothing else of it (globIgnore: the only route made; allowedPath: the only file sent). A file
  // name, so the route is public like the UI's files (a <script> sends no token).
  await app.register(fastifyStatic, {
    root: ECHARTS_DIST, prefix: '/vendor/', decorateReply: false, wildcard: false, index: false,
    globIgnore: ['!(echarts.min.js)', '*/**/*'],
    allowedPath: (pathName) => pathName === '/echarts.min.js',
  });
  return app;
}
