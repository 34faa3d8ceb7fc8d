import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { referenceRepo } from '@petitions/db';
import type { AppContext } from '../context.js';

const Named = {
  id: Type.String(), code: Type.String(), name: Type.String(), nameEn: Type.Union([Type.String(), Type.Null()]),
  parentId: Type.Union([Type.String(), Type.Null()]),
};

/** Org units and categories, for intake forms and dispatch pickers. */
export const referenceRoutes = (ctx: AppContext): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/org-units', {
    schema: {
      tags: ['reference'], operationId: 'listOrgUnits', summary: 'Districts, streets, communities and departments',
      response: { 200: Type.Array(Type.Object({ ...Named, kind: Type.String() })) },
    },
  }, async () => (await referenceRepo.listOrgUnits(ctx.db)).map((u) => ({
    id: u.id, code: u.code, name: u.name, nameEn: u.name_en, parentId: u.parent_id, kind: u.kind,
  })));

  app.get('/categories', {
    schema: {
      tags: ['reference'], operationId: 'listCategories', summary: 'The category tree with per-category extra fields',
      response: { 200: Type.Array(Type.Object({ ...Named, extraFields: Type.Array(Type.Unknown()) })) },
    },
  }, async () => (await referenceRepo.listCategories(ctx.db)).map((c) => ({
    id: c.id, code: c.code, name: c.name, nameEn: c.name_en, parentId: c.parent_id, extraFields: c.extra_fields,
  })));
};
