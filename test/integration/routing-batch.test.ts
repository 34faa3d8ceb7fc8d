import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceRepo } from '@petitions/db';
import { applyCommands } from '@petitions/workflow-worker';
import { noiseComplaint, startTestSystem, type TestSystem } from '../support/system.js';

/**
 * The worker resolves each distinct category and place of a batch once and hands the route to
 * every petition of that place. Petitions of different places in ONE batch must each still get
 * their own route, the one a petition alone would get.
 */
let sys: TestSystem;
beforeAll(async () => { sys = await startTestSystem({ worker: false, commandWaitMs: 0 }); });
afterAll(async () => { await sys.close(); });

describe('routing a batch of petitions from several places', () => {
  it('gives each petition the route it would get alone', async () => {
    const { app, refs, tdb } = sys;
    // A street with a rule of its own whose lead differs from what its sibling streets get.
    const candidates = await tdb.db.selectFrom('routing_rules').innerJoin('org_units as s', 's.id', 'routing_rules.area_id')
      .select(['routing_rules.category_id', 'routing_rules.lead_unit_id', 's.id as street_id', 's.parent_id as district_id'])
      .where('s.kind', '=', 'street').execute();
    const siblings = await tdb.db.selectFrom('org_units').select(['id', 'parent_id']).where('kind', '=', 'street').execute();
    const alone = async (categoryId: string, areaIds: string[]) =>
      (await referenceRepo.resolveRoutes(tdb.db, [{ key: 'k', categoryId, areaIds }])).get('k')?.leadUnitId ?? null;
    let pick: { categoryId: string; districtId: string; street: string; sibling: string } | undefined;
    for (const c of candidates) {
      for (const s of siblings.filter((x) => x.parent_id === c.district_id && x.id !== c.street_id)) {
        if ((await alone(c.category_id, [s.id, c.district_id!])) !== c.lead_unit_id) {
          pick = { categoryId: c.category_id, districtId: c.district_id!, street: c.street_id, sibling: s.id };
          break;
        }
      }
      if (pick) break;
    }
    expect(pick).toBeDefined();
    const { categoryId, districtId, street, sibling } = pick!;

    const places = [
      { categoryId, districtId, streetId: street },
      { categoryId, districtId, streetId: sibling },
      { categoryId, districtId, streetId: street },
      { categoryId: refs.category('other.misc'), districtId, streetId: street },
      { categoryId, districtId, streetId: sibling },
    ];
    const ids: string[] = [];
    for (const place of places) {
      const res = await app.inject({ method: 'POST', url: '/petitions', payload: noiseComplaint(refs, place) });
      expect(res.statusCode).toBe(202);
      ids.push(res.json().petitionId);
    }
    const pending = await tdb.db.selectFrom('commands').select(['id', 'petition_id']).where('status', '=', 'pending').orderBy('created_at').execute();
    expect(pending).toHaveLength(places.length);
    await applyCommands(tdb.db, pending.map((c) => ({ commandId: c.id, petitionId: c.petition_id })), { now: new Date() });

    const rows = await tdb.db.selectFrom('petitions').select(['id', 'state', 'lead_unit_id']).where('id', 'in', ids).execute();
    const got = ids.map((id) => rows.find((r) => r.id === id)!);
    const expected = await Promise.all(places.map((p) => alone(p.categoryId, [p.streetId, p.districtId])));
    expect(expected[0]).not.toBe(expected[1]);
    expect(expected[3]).toBeNull();
    expect(got.map((r) => r.lead_unit_id)).toEqual(expected);
    expect(got.map((r) => r.state)).toEqual(['dispatched', 'dispatched', 'dispatched', 'awaitingDispatch', 'dispatched']);
  });
});
