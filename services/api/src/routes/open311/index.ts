import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { open311AdminKeyRoutes } from './admin-keys.js';
import { geoReportRoutes } from './georeport.js';

/** Open311 GeoReport v2 at /open311/v2/ (its own error format and form bodies) and the admins' key routes. */
export const open311Routes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  await app.register(open311AdminKeyRoutes(ctx));
  await app.register(geoReportRoutes(ctx), { prefix: '/open311/v2' });
};
