import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { AppContext } from '../context.js';

/** Liveness plus the two dependencies; 503 when either is unreachable. */
export const healthRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/health', {
    config: { public: true },
    schema: {
      tags: ['operations'], operationId: 'health', summary: 'Health of the API, Postgres and Redis',
      response: { 200: Type.Object({ status: Type.String(), postgres: Type.Boolean(), redis: Type.Boolean() }), 503: Type.Object({ status: Type.String(), postgres: Type.Boolean(), redis: Type.Boolean() }) },
    },
  }, async (_request, reply) => {
    const [postgres, redis] = await Promise.all([
      sql`SELECT 1`.execute(ctx.db).then(() => true, () => false),
      ctx.redis.ping().then(() => true, () => false),
    ]);
    const ok = postgres && redis;
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', postgres, redis });
  });
};
