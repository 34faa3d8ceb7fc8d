import { setMaxListeners } from 'node:events';
import { Agent, request } from 'node:http';
import { sql } from 'kysely';
import type { Db } from '@petitions/db';
import { httpRequest } from '../shared/http.js';
import { stats, type Stats } from '../shared/stats.js';
import type { BenchConfig } from './config.js';
import { CpuMeter, type CpuUse } from './cpu.js';
import { petitionBody, type Refs } from './data.js';
import { sleep } from './processes.js';

export interface LatencyResult {
  rate: number;
  seconds: number;
  sent: number;
  /** 201 with state 'dispatched'. */
  ok: number;
  /** 202: recorded, not applied within the API's wait. */
  pending: number;
  /** Anything else: other statuses, 201 in another state, network errors. */
  errors: number;
  /** No response within BENCH_DRAIN_SECONDS of the last send (an overloaded API); not counted in the latencies. */
  abandoned: number;
  errorSamples: string[];
  /** Send → response of every request (ms); abandoned ones count as Infinity. */
  latency: Stats;
  /** Send → response of the ok ones only (ms). */
  okLatency: Stats;
  /** Requests sent per second, first to last send. */
  achievedRate: number;
  /** How late the generator sent compared with its wall-clock schedule (ms). */
  sendLag: { p99: number; max: number };
  warmup: { sent: number; ok: number; seconds: number };
  cpu: CpuUse;
  /** p99 latency of the requests sent in each second of the measurement (ms). */
  p99BySecond: number[];
  /** Where the time of the ok requests went, from the timestamps the API and worker store (medians and p99, ms). */
  breakdown: Breakdown | null;
}

export interface Breakdown {
  /** Send → the API stamps petitions.created_at (HTTP, validation, BEGIN, tracking number). */
  apiBeforeInsert: { p50: number; p99: number };
  /** → the worker starts the batch (commands.applied_at): inserts, commit, enqueue, BullMQ delivery, batching. */
  toWorkerBatch: { p50: number; p99: number };
  /** → the response arrives: the worker's transaction, BullMQ completion, the API's wake-up, reads, reply. */
  batchToResponse: { p50: number; p99: number };
}

/** Clocks: all processes run on this machine; JS Date values have millisecond resolution. */
async function breakdownOf(db: Db, ok: readonly Outcome[]): Promise<Breakdown | null> {
  const sent = new Map(ok.filter((o) => o.petitionId).map((o) => [o.petitionId!, o]));
  if (sent.size === 0) return null;
  const { rows } = await sql<{ id: string; created: Date; applied: Date | null }>`
    SELECT p.id, p.created_at AS created, c.applied_at AS applied
    FROM petitions p JOIN commands c ON c.petition_id = p.id AND c.type = 'SUBMIT'
    WHERE p.id = ANY(${[...sent.keys()]}::uuid[])`.execute(db);
  const a: number[] = [], b: number[] = [], c: number[] = [];
  for (const r of rows) {
    const o = sent.get(r.id);
    if (!o?.sentAt || !o.answeredAt || !r.applied) continue;
    a.push(r.created.getTime() - o.sentAt);
    b.push(r.applied.getTime() - r.created.getTime());
    c.push(o.answeredAt - r.applied.getTime());
  }
  const pick = (v: number[]) => { const st = stats(v); return { p50: st.p50, p99: st.p99 }; };
  return { apiBeforeInsert: pick(a), toWorkerBatch: pick(b), batchToResponse: pick(c) };
}

export async function getStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.setTimeout(2000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

type Outcome = { kind: 'ok' | 'pending' | 'error' | 'abandoned'; ms: number | null; detail?: string; petitionId?: string; sentAt?: number; answeredAt?: number };

/**
 * Open loop: request i is sent at start + i / rate by the wall clock, whether or not earlier ones
 * have been answered. Latency is from the moment the request is handed to the HTTP agent to the
 * end of the response.
 */
async function openLoop(agent: Agent, port: number, bodies: (i: number) => string, rate: number, seconds: number, drainMs: number) {
  const total = Math.round(rate * seconds);
  const abandon = new AbortController();
  // Every request in flight listens on this one signal: hundreds at once is the point, not a leak.
  setMaxListeners(0, abandon.signal);
  const interval = 1000 / rate;
  const inflight: Promise<Outcome>[] = [];
  const lags: number[] = [];
  const start = performance.now() + 20;
  let firstSend = Number.NaN;
  let lastSend = Number.NaN;
  const fire = async (i: number): Promise<Outcome> => {
    const body = bodies(i);
    const t0 = performance.now();
    const sentAt = Date.now();
    lags.push(t0 - (start + i * interval));
    if (i === 0) firstSend = t0;
    lastSend = t0;
    try {
      const res = await httpRequest(agent, port, { method: 'POST', path: '/petitions', json: body, signal: abandon.signal });
      const ms = performance.now() - t0;
      if (res.status === 202) return { kind: 'pending', ms };
      if (res.status === 201) {
        const { state, petitionId } = JSON.parse(res.body) as { state?: unknown; petitionId?: string };
        if (state === 'dispatched') return { kind: 'ok', ms, petitionId, sentAt, answeredAt: Date.now() };
        return { kind: 'error', ms, detail: `201 with state ${String(state)}` };
      }
      return { kind: 'error', ms, detail: `${res.status} ${res.body.slice(0, 200)}` };
    } catch (err) {
      if (abandon.signal.aborted) return { kind: 'abandoned', ms: null };
      return { kind: 'error', ms: null, detail: (err as Error).message };
    }
  };
  let next = 0;
  while (next < total) {
    const now = performance.now();
    while (next < total && start + next * interval <= now) inflight.push(fire(next++));
    if (next < total) await sleep(Math.max(0, start + next * interval - performance.now()));
  }
  // An overloaded API can leave thousands of requests queued; stop waiting for them at some point.
  const timer = setTimeout(() => abandon.abort(), drainMs);
  const outcomes = await Promise.all(inflight);
  clearTimeout(timer);
  return { outcomes, lags, sendSeconds: (lastSend - firstSend) / 1000 };
}

/** POST /petitions at a fixed rate against the real API process (the worker process applies them). */
export async function runLatency(
  cfg: BenchConfig, db: Db, refs: Refs, port: number, phoneBase: number, pids: () => Record<string, number | undefined>,
): Promise<LatencyResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: cfg.maxSockets });
  let phone = phoneBase;
  const body = () => JSON.stringify(petitionBody(refs, phone++));
  try {
    // Warm-up (not counted): JIT, connection pools and the agent's sockets of a freshly started API.
    const warm = cfg.warmupSeconds > 0 ? await openLoop(agent, port, body, cfg.rate, cfg.warmupSeconds, cfg.drainSeconds * 1000) : null;
    if (warm) await sleep(500);
    const cpuMeter = new CpuMeter(pids);
    const { outcomes, lags, sendSeconds } = await openLoop(agent, port, body, cfg.rate, cfg.seconds, cfg.drainSeconds * 1000);
    const cpu = cpuMeter.stop();
    const answered = outcomes.filter((o): o is Outcome & { ms: number } => o.ms !== null);
    const errors = outcomes.filter((o) => o.kind === 'error');
    const lagStats = stats(lags);
    return {
      rate: cfg.rate, seconds: cfg.seconds, sent: outcomes.length,
      ok: outcomes.filter((o) => o.kind === 'ok').length,
      pending: outcomes.filter((o) => o.kind === 'pending').length,
      errors: errors.length,
      abandoned: outcomes.filter((o) => o.kind === 'abandoned').length,
      errorSamples: [...new Set(errors.map((e) => e.detail ?? '?'))].slice(0, 5),
      // Abandoned requests count as infinitely slow, so an overload cannot make the percentiles look better.
      latency: stats([...answered.map((o) => o.ms), ...outcomes.filter((o) => o.kind === 'abandoned').map(() => Number.POSITIVE_INFINITY)]),
      okLatency: stats(answered.filter((o) => o.kind === 'ok').map((o) => o.ms)),
      achievedRate: outcomes.length > 1 ? (outcomes.length - 1) / sendSeconds : Number.NaN,
      sendLag: { p99: lagStats.p99, max: lagStats.max },
      warmup: { sent: warm?.outcomes.length ?? 0, ok: warm?.outcomes.filter((o) => o.kind === 'ok').length ?? 0, seconds: cfg.warmupSeconds },
      cpu,
      // Request i was sent i / rate seconds in: a tail that comes in waves shows here.
      p99BySecond: Array.from({ length: Math.ceil(cfg.seconds) }, (_, s) => stats(outcomes
        .slice(Math.round(s * cfg.rate), Math.round((s + 1) * cfg.rate)).map((o) => o.ms ?? Number.POSITIVE_INFINITY)).p99),
      breakdown: await breakdownOf(db, outcomes.filter((o) => o.kind === 'ok')),
    };
  } finally {
    agent.destroy();
  }
}
