import { DEMO_PETITIONS, demoDetails } from '@petitions/db';

/**
 * Submit the demo petitions through the running API (the same write path a clerk uses) and move
 * some of them along, so every department queue and state has something in it. Idempotency keys
 * make a second run a no-op. Usage: DEMO_API_URL=http://127.0.0.1:3000 tsx load-demo-petitions.ts
 */
const base = process.env.DEMO_API_URL ?? 'http://127.0.0.1:3000';

interface Named { id: string; code: string }
interface Field { key: string; type: 'text' | 'number' | 'boolean' | 'select'; required: boolean; options?: string[] }
interface CategoryRow extends Named { extraFields: Field[] }

class ApiRefusal extends Error {
  constructor(readonly code: string, message: string) { super(message); }
}

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}${path}`, {
    method, headers: { ...(body ? { 'content-type': 'application/json' } : {}), 'x-actor-id': 'demo-loader', ...headers },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 400) throw new ApiRefusal(String(json.code), `${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const units = (await call('GET', '/org-units')) as unknown as Named[];
const categories = (await call('GET', '/categories')) as unknown as CategoryRow[];
const detailsFor = (code: string) => demoDetails(categories.find((c) => c.code === code)?.extraFields ?? []);
const unitId = (code: string | null) => (code ? units.find((u) => u.code === code)?.id : undefined);
const categoryId = (code: string) => categories.find((c) => c.code === code)?.id;

const counts: Record<string, number> = {};
for (const [i, p] of DEMO_PETITIONS.entries()) {
  const submitted = await call('POST', '/petitions', {
    kind: p.kind, channel: p.channel, urgency: p.urgency, categoryId: categoryId(p.category),
    districtId: unitId(p.district), streetId: unitId(p.street), communityId: unitId(p.community),
    locationText: p.locationText ?? undefined, title: p.title, content: p.content, details: detailsFor(p.category),
    contact: p.contact ? { name: p.contact.name, phone: p.contact.phone, address: p.contact.address ?? undefined } : undefined,
  }, { 'idempotency-key': `demo-${i}`, 'x-actor-role': 'clerk' }).catch((err: unknown) => {
    // Loaded before by an older version of the demo data (same key, other body): leave it as it is.
    if (err instanceof ApiRefusal && err.code === 'IDEMPOTENCY_KEY_REUSED') return null;
    throw err;
  });
  if (!submitted) {
    counts.kept = (counts.kept ?? 0) + 1;
    continue;
  }
  const id = String(submitted.petitionId);
  const lead = (submitted.leadUnit as { id: string } | null)?.id;
  // Spread the demo over the lifecycle: some wait to be signed for, some are in hand, some closed.
  const stage = lead ? i % 4 : 0;
  const asLead = { 'x-actor-role': 'handler', 'x-actor-unit': lead ?? '' };
  let state = String(submitted.state);
  if (stage >= 1) state = String((await call('POST', `/petitions/${id}/sign-for`, {}, { ...asLead, 'idempotency-key': `demo-${i}-sign` })).state);
  if (stage >= 2) state = String((await call('POST', `/petitions/${id}/complete`, { result: '已联系相关单位现场核实并处理，问题已解决。', resolved: true }, { ...asLead, 'idempotency-key': `demo-${i}-complete` })).state);
  if (stage >= 3) state = String((await call('POST', `/petitions/${id}/rate`, { satisfaction: i % 8 === 3 ? 'basically_satisfied' : 'satisfied', resolved: true }, { 'x-actor-role': 'follow_up', 'idempotency-key': `demo-${i}-rate` })).state);
  counts[state] = (counts[state] ?? 0) + 1;
}
console.log(`demo petitions: ${DEMO_PETITIONS.length} (${Object.entries(counts).map(([s, n]) => `${s} ${n}`).join(', ')})`);
