/**
 * The write load of the reports bench, in a process of its own (so that its HTTP work does not
 * delay the bench's timings): petitions pushed through SUBMIT → SIGN_FOR → COMPLETE → RATE via the
 * real API at a fixed rate, open loop (petition i starts at start + i / rate whatever happened to
 * the earlier ones; each petition's four requests follow one another). Runs until SIGTERM, then
 * waits for the chains in flight (at most 15 s) and prints one `WRITER_RESULT {json}` line.
 *
 *   WRITER_PORT, WRITER_RATE (transitions/s), WRITER_REFS (JSON file), WRITER_MAX_INFLIGHT, WRITER_SEED
 */
import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { sleep } from '../lifecycle/processes.js';
import { httpRequest } from '../shared/http.js';
import { percentile } from '../shared/stats.js';
import { Alias, Rng } from './random.js';

export interface WriterRefs {
  districts: { id: string; share: number; streets: { id: string; weight: number; communities: string[] }[] }[];
  categories: { id: string; weight: number }[];
}

export interface WriterResult {
  started: number;
  completed: number;
  /** Chains not started because `WRITER_MAX_INFLIGHT` were still running (the API could not keep up). */
  skipped: number;
  /** Answered 200/201 applied, per command. */
  ok: Record<string, number>;
  /** 202: recorded, not applied while the API waited. */
  pending: number;
  errors: number;
  errorSamples: string[];
  /** Request latency per command (ms). */
  latency: Record<string, { p50: number; p99: number; max: number }>;
  /** Chains still running when the writer gave up waiting. */
  unfinished: number;
  seconds: number;
}

const STEPS = ['submit', 'sign-for', 'complete', 'rate'] as const;

async function main(): Promise<void> {
  const port = Number(process.env.WRITER_PORT);
  const rate = Number(process.env.WRITER_RATE ?? 200);
  const maxInflight = Number(process.env.WRITER_MAX_INFLIGHT ?? 500);
  const refs = JSON.parse(readFileSync(process.env.WRITER_REFS ?? '', 'utf8')) as WriterRefs;
  const rng = new Rng(Number(process.env.WRITER_SEED ?? 7));
  const districtAlias = new Alias(refs.districts.map((d) => d.share));
  const streetAlias = refs.districts.map((d) => new Alias(d.streets.map((s) => s.weight)));
  const categoryAlias = new Alias(refs.categories.map((c) => c.weight));
  const agent = new Agent({ keepAlive: true, maxSockets: 128 });

  const result: WriterResult = { started: 0, completed: 0, skipped: 0, ok: {}, pending: 0, errors: 0, errorSamples: [], latency: {}, unfinished: 0, seconds: 0 };
  const latencies: Record<string, number[]> = Object.fromEntries(STEPS.map((s) => [s, []]));
  const fail = (what: string) => {
    result.errors++;
    if (result.errorSamples.length < 5 && !result.errorSamples.includes(what)) result.errorSamples.push(what);
  };

  const post = (path: string, body: unknown, actor: { id: string; role: string; unit?: string }) => httpRequest(agent, port, {
    method: 'POST', path, json: JSON.stringify(body),
    headers: { 'x-actor-id': actor.id, 'x-actor-role': actor.role, ...(actor.unit ? { 'x-actor-unit': actor.unit } : {}) },
  });

  /** One request; true when applied. */
  const step = async (name: (typeof STEPS)[number], path: string, body: unknown, actor: { id: string; role: string; unit?: string }): Promise<Record<string, unknown> | null> => {
    const t0 = performance.now();
    try {
      const res = await post(path, body, actor);
      latencies[name]!.push(performance.now() - t0);
      if (res.status === 202) { result.pending++; return null; }
      if (res.status !== 200 && res.status !== 201) { fail(`${name}: ${res.status} ${res.body.slice(0, 160)}`); return null; }
      result.ok[name] = (result.ok[name] ?? 0) + 1;
      return JSON.parse(res.body) as Record<string, unknown>;
    } catch (err) {
      fail(`${name}: ${(err as Error).message}`);
      return null;
    }
  };

  let inflight = 0;
  const chains = new Set<Promise<void>>();
  const chain = async (i: number) => {
    const d = districtAlias.draw(rng);
    const district = refs.districts[d]!;
    const street = district.streets[streetAlias[d]!.draw(rng)]!;
    const community = street.communities.length && rng.chance(0.85) ? street.communities[rng.int(street.communities.length)] : undefined;
    const category = refs.categories[categoryAlias.draw(rng)]!;
    const submitted = await step('submit', '/petitions', {
      kind: 'request', channel: 'hotline', urgency: 'normal', categoryId: category.id, districtId: district.id, streetId: street.id,
      ...(community ? { communityId: community } : {}),
      title: `报表基准诉求 ${i}`, content: `第${i}号测试诉求：小区门口路面破损，雨天积水，希望尽快修复。编号${rng.int(1e9)}`,
      locationText: '某路与某街交叉口', contact: { name: '李四', phone: `139${String(i % 100_000_000).padStart(8, '0')}` },
    }, { id: 'bench-clerk', role: 'clerk' });
    const petitionId = submitted?.petitionId as string | undefined;
    const lead = (submitted?.leadUnit as { id?: string } | null | undefined)?.id;
    if (!petitionId || !lead || submitted?.state !== 'dispatched') {
      if (submitted) fail(`submit: answered state ${String(submitted.state)} without a lead unit`);
      return;
    }
    const handler = { id: 'bench-handler', role: 'handler', unit: lead };
    if (!(await step('sign-for', `/petitions/${petitionId}/sign-for`, {}, handler))) return;
    if (!(await step('complete', `/petitions/${petitionId}/complete`, { result: '已现场处理完毕，路面已修复。', resolved: true }, handler))) return;
    const r = rng.next();
    const satisfaction = r < 0.86 ? 'satisfied' : r < 0.97 ? 'basically_satisfied' : 'dissatisfied';
    if (!(await step('rate', `/petitions/${petitionId}/rate`, { satisfaction, resolved: satisfaction !== 'dissatisfied' }, { id: 'bench-follow-up', role: 'follow_up' }))) return;
    result.completed++;
  };

  let stopping = false;
  process.once('SIGTERM', () => { stopping = true; });
  process.once('SIGINT', () => { stopping = true; });

  const perSecond = rate / STEPS.length;
  const interval = 1000 / perSecond;
  const t0 = performance.now();
  let next = 0;
  let lastReport = t0;
  while (!stopping) {
    const now = performance.now();
    while (t0 + next * interval <= now) {
      const i = next++;
      if (inflight >= maxInflight) { result.skipped++; continue; }
      inflight++;
      result.started++;
      const p = chain(i).catch((err: unknown) => fail(`chain: ${(err as Error).message}`)).finally(() => { inflight--; chains.delete(p); });
      chains.add(p);
    }
    if (now - lastReport >= 5000) {
      lastReport = now;
      process.stdout.write(`WRITER_PROGRESS ${JSON.stringify({ seconds: Math.round((now - t0) / 1000), started: result.started, completed: result.completed, inflight, skipped: result.skipped, errors: result.errors, pending: result.pending })}\n`);
    }
    await sleep(Math.max(1, Math.min(50, t0 + next * interval - performance.now())));
  }
  result.seconds = (performance.now() - t0) / 1000;
  const drained = await Promise.race([Promise.all([...chains]).then(() => true), sleep(15_000).then(() => false)]);
  result.unfinished = drained ? 0 : chains.size;
  for (const s of STEPS) {
    const sorted = latencies[s]!.sort((a, b) => a - b);
    result.latency[s] = { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
  }
  process.stdout.write(`WRITER_RESULT ${JSON.stringify(result)}\n`);
  agent.destroy();
  process.exit(0);
}

if (process.env.WRITER_PORT) await main();
