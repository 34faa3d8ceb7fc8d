/**
 * Reports benchmark: 10,000,000 petitions over 12 months as facts (COPY), the report rollups built
 * from them with set-based SQL, then the leaders' dashboards timed through the API's own report
 * code while the real API, worker and scheduler write about 200 transitions/s into the same
 * database, next to the same figures computed by a full scan of the facts.
 * Not a test: it prints figures and asserts no timings. See test/bench/README.md ("reports").
 *
 *   infra/dev.sh bench reports [--petitions=10000000] [--repeat=200] [--write-rate=200] ...
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { createDb, seedReferenceData, seedStandardData, type Db } from '@petitions/db';
import { chinaDay } from '@petitions/domain';
import { createRedisConnection, QueueClient, redisReady } from '@petitions/queue';
import { ReferenceCache } from '../../../services/api/src/services/reference-cache.js';
import { loadReportSettings } from '../../../services/api/src/services/reports.js';
import { CpuMeter, formatCpu, type CpuUse } from '../lifecycle/cpu.js';
import { flushQueuePrefix } from '../lifecycle/data.js';
import { getStatus } from '../lifecycle/latency.js';
import { freePort, ServiceSet, sleep, type Service } from '../lifecycle/processes.js';
import { dropBenchDatabase, lockBenchDatabase, recreateBenchDatabase } from '../shared/database.js';
import { endRun, log, machineAtStart, machineLine, publish, reportLines, startRun, stopOnSignal, type Machine } from '../shared/run.js';
import { fmtInt, fmtMs } from '../shared/stats.js';
import { checkRollups, type CheckResult } from './check.js';
import { loadConfig, type ReportsConfig } from './config.js';
import { FACTS_DDL, FACTS_TABLE, generateFacts, planGeneration, type GenerationResult } from './generate.js';
import {
  agreeDashboard, agreeRanking, baselineDashboard, baselineRanking, cityRanking, cityYear, dashboardReport, districtMonth, hotIssueReport,
  HttpClient, monthsUpTo, rankingPath, summaryPath, timeQuery, type Agreement, type QueryPlan, type Timed,
} from './queries.js';
import { Rng } from './random.js';
import { buildBenchRefs, insertBenchRefs, type BenchRefs } from './reference.js';
import { buildRollups, type BuildResult } from './rollup.js';
import type { WriterRefs, WriterResult } from './writer.js';

const secs = (n: number) => `${(n / 1000).toFixed(1)} s`;
const mib = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`;

/** The two targets of the issue. */
const TARGETS = [
  { query: 'district-month dashboard by category', p95: 100 },
  { query: 'city-year ranking by street', p95: 300 },
] as const;
/** A query's full-scan baseline, as it is named. */
const fullScan = (query: string) => `${query} (full scan)`;

interface WriteWindow {
  /** Applied transitions (petition_events rows) per second over the window. */
  transitionsPerSecond: number;
  events: number;
  seconds: number;
  cpu: CpuUse;
}

interface Results {
  startedAt: string;
  config: Record<string, unknown>;
  machine: Machine;
  now: string;
  setupMs: number;
  reference: { districts: number; streets: number; communities: number; departments: number; categories: number } | null;
  generation: GenerationResult | null;
  build: BuildResult | null;
  checks: CheckResult[];
  agreement: Agreement[];
  rollup: Timed[];
  http: Timed[];
  baseline: Timed[];
  writes: { rollupWindow: WriteWindow | null; httpWindow: WriteWindow | null; baselineWindow: WriteWindow | null; writer: WriterResult | null; notes: string[] };
  summary: { target: string; p95: number; targetP95: number; met: boolean; baselineP50: number; baselineP95: number; ratioP50: number }[];
  totalMs: number;
  failures: string[];
}

function publicConfig(cfg: ReportsConfig): Record<string, unknown> {
  return {
    petitions: cfg.petitions, seed: cfg.seed, copyStreams: cfg.copyStreams, buildParallel: cfg.buildParallel, repeat: cfg.repeat,
    baselineRepeat: cfg.baselineRepeat, httpRepeat: cfg.httpRepeat, writeRate: cfg.writeRate, writeWarmupSeconds: cfg.writeWarmupSeconds,
    writeMaxInflight: cfg.writeMaxInflight, check: cfg.check, database: cfg.benchDbName, queuePrefix: cfg.queuePrefix, keepDb: cfg.keepDb, reuse: cfg.reuse,
    workerEnv: cfg.workerEnv,
  };
}

// ---------------------------------------------------------------------------------------------
// The bench database: created, or (BENCH_REUSE=1) the one a previous run kept

const META_DDL = `CREATE TABLE IF NOT EXISTS bench_meta (id boolean PRIMARY KEY DEFAULT true, petitions int NOT NULL, seed int NOT NULL,
  now timestamptz NOT NULL, refs jsonb NOT NULL, generation jsonb NOT NULL, build jsonb NOT NULL)`;

async function reusable(cfg: ReportsConfig): Promise<{ now: Date; refs: BenchRefs; generation: GenerationResult; build: BuildResult } | null> {
  const client = new pg.Client({ connectionString: cfg.benchDatabaseUrl, application_name: 'bench-reports-reuse' });
  try {
    await client.connect();
  } catch {
    return null;
  }
  try {
    const { rows } = await client.query<{ petitions: number; seed: number; now: Date; refs: BenchRefs; generation: GenerationResult; build: BuildResult }>(
      'SELECT petitions, seed, now, refs, generation, build FROM bench_meta',
    ).catch(() => ({ rows: [] }));
    const m = rows[0];
    return m && m.petitions === cfg.petitions && m.seed === cfg.seed ? { now: m.now, refs: m.refs, generation: m.generation, build: m.build } : null;
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Report

function timedLine(t: Timed, withP99 = true): string {
  const s = t.stats;
  return `p50 ${fmtMs(s.p50)}, p95 ${fmtMs(s.p95)}${withP99 ? `, p99 ${fmtMs(s.p99)}` : ''}, max ${fmtMs(s.max)}  (n=${s.n}, ${t.rows} rows)`;
}

function windowLine(w: WriteWindow | null): string {
  if (!w) return 'no writes';
  return `${w.transitionsPerSecond.toFixed(1)} transitions/s applied (${fmtInt(w.events)} events in ${w.seconds.toFixed(1)} s); ${formatCpu(w.cpu, ['workflow-worker', 'api', 'scheduler', 'writer', 'bench', 'postgres', 'redis', 'other'])}`;
}

function report(cfg: ReportsConfig, r: Results): string {
  const { lines, row, end } = reportLines(50);
  lines.push(`reports benchmark (${fmtInt(cfg.petitions)} petitions over the 12 months to ${r.now}; ${machineLine(r.machine)})`);
  if (r.reference) {
    const x = r.reference;
    row('reference data', `${x.districts} districts, ${x.streets} streets, ${fmtInt(x.communities)} communities, ${x.departments} departments, ${x.categories} categories (+ the demo data)`);
  }
  if (r.generation) {
    const g = r.generation;
    row('generate facts (COPY FROM STDIN)', `${fmtInt(g.rows)} rows in ${secs(g.ms)} = ${fmtInt(g.rowsPerSecond)} rows/s (${g.streams} streams; ${FACTS_TABLE} ${mib(g.tableBytes)}, unlogged)`);
  }
  if (r.build) {
    const b = r.build;
    const per = Object.entries(b.dimensionMs).map(([d, t]) => `${d} ${secs(t)}`).join(', ');
    row('build rollups (set-based SQL)', `${secs(b.ms)} total: aggregate ${per}; load ${secs(b.loadMs)}, indexes ${secs(b.indexMs)}, report_monthly ${secs(b.monthlyMs)}, report_open ${secs(b.openMs)}, ANALYZE ${secs(b.analyzeMs)}`);
    const rows = Object.values(b.dailyRows).reduce((a, c) => a + c, 0);
    row('  report_daily rows', `${fmtInt(rows)} (${Object.entries(b.dailyRows).map(([d, n]) => `${d} ${fmtInt(n)}`).join(', ')}), ${mib(b.dailyBytes)} with indexes`);
    row('  report_monthly rows', fmtInt(b.monthlyRows));
    row('  report_open rows', `${fmtInt(b.openRows)}, ${mib(b.openBytes)}`);
  }
  for (const c of r.checks) {
    row(`check: rollups = worker's RollupBatch (${c.scope})`,
      `${c.mismatches.length === 0 ? 'ok' : `${c.mismatches.length} MISMATCHES`}: ${fmtInt(c.petitions)} petitions → ${fmtInt(c.events)} events → ${fmtInt(c.periodRows)} report_daily + report_monthly + ${fmtInt(c.openRows)} report_open rows compared (${secs(c.ms)})`);
  }
  for (const a of r.agreement) {
    const p90 = a.p90MaxRelDiff ? `; P90 from histograms within ${(a.p90MaxRelDiff.sign * 100).toFixed(1)} % (sign) / ${(a.p90MaxRelDiff.complete * 100).toFixed(1)} % (complete) of exact` : '';
    row(`check: rollups = full scan, ${a.what}`, `${a.mismatches.length === 0 ? 'ok' : `${a.mismatches.length} MISMATCHES`} (${a.groups} groups, every counter${a.p90MaxRelDiff ? ' and open/overdue' : ''})${p90}`);
  }
  lines.push('');
  lines.push('on the rollups, the API\'s report functions in-process (scope + settings + report), one at a time:');
  for (const t of r.rollup) row(`  ${t.name}`, timedLine(t));
  row('  writes meanwhile', windowLine(r.writes.rollupWindow));
  if (r.http.length) {
    lines.push('the same through the API process (GET /reports/…, admin, keep-alive):');
    for (const t of r.http) row(`  ${t.name}`, timedLine(t));
    row('  writes meanwhile', windowLine(r.writes.httpWindow));
  }
  if (r.baseline.length) {
    lines.push('full-scan baseline: the same figures straight from the facts (exact P90 with percentile_cont), same parameters:');
    for (const t of r.baseline) row(`  ${t.name.replace(' (full scan)', '')}`, timedLine(t, false));
    row('  writes meanwhile', windowLine(r.writes.baselineWindow));
  }
  if (r.writes.writer) {
    const w = r.writes.writer;
    const lat = Object.entries(w.latency).map(([k, v]) => `${k} ${fmtMs(v.p50)}/${fmtMs(v.p99)}`).join(', ');
    row('writer (submit → sign-for → complete → rate)', `${fmtInt(w.completed)} petitions closed of ${fmtInt(w.started)} started in ${w.seconds.toFixed(0)} s; ${w.errors} errors, ${w.pending} pending (202), ${w.skipped} skipped; p50/p99 ${lat}`);
    if (w.errorSamples.length) row('  writer error samples', w.errorSamples.join(' | '));
  }
  for (const n of r.writes.notes) row('  note', n);
  lines.push('');
  lines.push(`${'summary'.padEnd(40)} ${'target p95'.padStart(11)} ${'rollup p95'.padStart(11)}  met  ${'full scan p50 / p95'.padStart(21)}  full scan ÷ rollup (p50)`);
  for (const s of r.summary) {
    lines.push(`${s.target.padEnd(40)} ${`< ${s.targetP95} ms`.padStart(11)} ${fmtMs(s.p95).padStart(11)}  ${(s.met ? 'yes' : 'NO').padEnd(3)}  ${`${fmtMs(s.baselineP50)} / ${fmtMs(s.baselineP95)}`.padStart(21)}  ${Number.isFinite(s.ratioP50) ? `${s.ratioP50 < 10 ? s.ratioP50.toFixed(1) : fmtInt(s.ratioP50)}×` : 'n/a'}`);
  }
  const w = r.writes.rollupWindow;
  if (w) lines.push(`${'writes during the rollup timings'.padEnd(40)} ${`≈ ${cfg.writeRate}/s`.padStart(11)} ${`${w.transitionsPerSecond.toFixed(1)}/s`.padStart(11)}`);
  return end(r);
}

// ---------------------------------------------------------------------------------------------

async function countEvents(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM petition_events`.execute(db);
  return rows[0]!.n;
}

/** Run `fn` while measuring the transitions the write load applied and where the CPU went. */
async function writeWindow<T>(db: Db, services: ServiceSet, writing: boolean, fn: () => Promise<T>): Promise<{ value: T; window: WriteWindow | null }> {
  const before = writing ? await countEvents(db) : 0;
  const cpu = new CpuMeter(() => services.pids());
  const t0 = performance.now();
  const value = await fn();
  const seconds = (performance.now() - t0) / 1000;
  const use = cpu.stop();
  if (!writing) return { value, window: null };
  const events = (await countEvents(db)) - before;
  return { value, window: { transitionsPerSecond: events / seconds, events, seconds, cpu: use } };
}

function writerRefs(refs: BenchRefs): WriterRefs {
  return {
    districts: refs.districts.map((d) => ({ id: d.id, share: d.share, streets: d.streets.map((s) => ({ id: s.id, weight: s.weight, communities: s.communities })) })),
    categories: refs.categories.map((c) => ({ id: c.id, weight: c.weight })),
  };
}

async function main(): Promise<number> {
  const run = startRun('reports');
  const cfg = loadConfig();
  const services = new ServiceSet(run.logDir);
  const results: Results = {
    startedAt: run.startedAt.toISOString(), config: publicConfig(cfg), machine: machineAtStart(cfg.cores), now: '', setupMs: 0,
    reference: null, generation: null, build: null, checks: [], agreement: [], rollup: [], http: [], baseline: [],
    writes: { rollupWindow: null, httpWindow: null, baselineWindow: null, writer: null, notes: [] }, summary: [], totalMs: 0, failures: [],
  };

  stopOnSignal('services', () => services.stopAll());

  const lock = await lockBenchDatabase(cfg, 'reports', 'BENCH_DB_NAME and BENCH_QUEUE_PREFIX');
  const producer = createRedisConnection(cfg.redisUrl, 'producer');
  const queues = new QueueClient(producer, { prefix: cfg.queuePrefix });
  let db: Db | undefined;
  let baselinePool: pg.Pool | undefined;
  let http: HttpClient | undefined;
  let writer: Service | undefined;
  let writerResult: Promise<WriterResult | null> = Promise.resolve(null);
  try {
    await redisReady(producer, 10_000);
    await flushQueuePrefix(producer, cfg.queuePrefix);

    // 1. Database, reference data, facts, rollups (or a kept database).
    const kept = cfg.reuse ? await reusable(cfg) : null;
    let refs: BenchRefs;
    let now: Date;
    if (kept) {
      ({ refs, now } = kept);
      results.generation = kept.generation;
      results.build = kept.build;
      results.writes.notes.push('BENCH_REUSE=1: facts and rollups of an earlier run (generation and build figures are that run\'s; its writes are in the rollups, so no checks)');
      log(`setup: reusing ${cfg.benchDbName} (facts generated for ${now.toISOString()})`);
    } else {
      log(`setup: database ${cfg.benchDbName} (drop, create, migrate, seed), Redis keys ${cfg.queuePrefix}:*`);
      const setupDb = await recreateBenchDatabase(cfg, 'bench-reports');
      try {
        await seedReferenceData(setupDb);
        await seedStandardData(setupDb);
        refs = buildBenchRefs(new Rng(cfg.seed));
        await insertBenchRefs(setupDb, refs);
        now = new Date(Math.floor(Date.now() / 1000) * 1000);
        await sql.raw(FACTS_DDL).execute(setupDb);
        results.setupMs = performance.now() - run.t0;
        log(`setup: done in ${secs(results.setupMs)}; generating ${fmtInt(cfg.petitions)} petitions up to ${now.toISOString()} over ${cfg.copyStreams} COPY streams`);

        const plan = planGeneration(refs, now);
        results.generation = await generateFacts(cfg.benchDatabaseUrl, refs, plan, cfg.petitions, cfg.copyStreams, cfg.seed, (n) => log(`generate: ${fmtInt(n)} rows`));
        log(`generate: ${fmtInt(results.generation.rows)} rows in ${secs(results.generation.ms)} (${fmtInt(results.generation.rowsPerSecond)} rows/s)`);
        await sql.raw(`ANALYZE ${FACTS_TABLE}`).execute(setupDb);

        log(`rollup: building report_daily / report_open (${cfg.buildParallel} dimensions at a time)`);
        results.build = await buildRollups(cfg.benchDatabaseUrl, cfg.buildParallel, log);
        log(`rollup: done in ${secs(results.build.ms)}`);
        await sql.raw(META_DDL).execute(setupDb);
        await sql`INSERT INTO bench_meta (petitions, seed, now, refs, generation, build)
          VALUES (${cfg.petitions}, ${cfg.seed}, ${now}, ${JSON.stringify(refs)}, ${JSON.stringify(results.generation)}, ${JSON.stringify(results.build)})`.execute(setupDb);
      } finally {
        await setupDb.destroy();
      }
    }
    db = createDb({ connectionString: cfg.benchDatabaseUrl, poolSize: 10, applicationName: 'bench-reports' });
    results.now = now.toISOString();
    results.reference = { districts: refs.districts.length, streets: refs.streets.length, communities: refs.communities, departments: refs.departments, categories: refs.categories.length };

    const reference = new ReferenceCache(db);
    const ctx = { db, reference };
    // The baseline's sessions get memory for their sorts (percentile_cont) and hash aggregates; parallel workers as configured.
    baselinePool = new pg.Pool({ connectionString: cfg.benchDatabaseUrl, max: 3, application_name: 'bench-reports-fullscan', options: '-c work_mem=256MB' });
    const today = chinaDay(now);
    const plan: QueryPlan = { districts: refs.districts.map((d) => d.id), months: monthsUpTo(today), today };

    // 2. Checks, before anything else writes.
    if (!kept) {
      const rng = new Rng(cfg.seed + 99);
      const street = refs.streets[rng.int(refs.streets.length)]!;
      const scopes: { label: string; streetId: string | null }[] = [];
      if (cfg.check === 'all') scopes.push({ label: 'every petition, every row', streetId: null });
      if (cfg.check !== 'none') scopes.push({ label: `one street's petitions: its street, community and category × street rows`, streetId: street.id });
      for (const scope of scopes) {
        log(`check: facts → the worker's RollupBatch vs the SQL rollups (${scope.label})`);
        const c = await checkRollups(cfg.benchDatabaseUrl, now, scope);
        results.checks.push(c);
        for (const m of c.mismatches) results.failures.push(`check (${c.scope}): ${m}`);
      }
      log('check: rollups vs full scan');
      const lastFull = plan.months[plan.months.length - 2]!;
      const period = districtMonth({ ...plan, months: [lastFull] }, rng).period;
      for (const dim of ['category', 'unit'] as const) results.agreement.push(await agreeDashboard(db, baselinePool, dim, refs.districts[0]!.id, period));
      results.agreement.push(await agreeRanking(db, baselinePool, 'street', cityYear(plan, new Rng(1))));
      for (const a of results.agreement) for (const m of a.mismatches) results.failures.push(`rollups vs full scan, ${a.what}: ${m}`);
    }

    // 3. The real services, and the write load through the API.
    const writing = cfg.writeRate > 0;
    let port = 0;
    if (writing || cfg.httpRepeat > 0) {
      const common = { DATABASE_URL: cfg.benchDatabaseUrl, REDIS_URL: cfg.redisUrl, QUEUE_PREFIX: cfg.queuePrefix };
      const worker = services.start('workflow-worker', 'services/workflow-worker/src/main.ts', { ...common, LOG_LEVEL: 'warn', ...cfg.workerEnv });
      const commandsQueue = queues.queue('commands');
      await worker.waitReady({ line: (l) => l.includes('"workflow-worker ready"'), probe: async () => (await commandsQueue.getWorkersCount()) > 0, timeoutMs: 60_000 });
      const scheduler = services.start('scheduler', 'services/scheduler/src/main.ts', { ...common, LOG_LEVEL: 'info' });
      await scheduler.waitReady({ line: (l) => l.includes('"scheduler ready"'), timeoutMs: 60_000 });
      port = await freePort();
      const api = services.start('api', 'services/api/src/main.ts', {
        ...common, LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port),
        PETITIONS_ENCRYPTION_KEY: cfg.encryptionKey, PETITIONS_HMAC_KEY: cfg.hmacKey, API_DEV_IDENTITY: 'true', API_RATE_LIMIT_ENABLED: 'false',
      });
      await api.waitReady({ probe: async () => (await getStatus(port, '/health')) === 200, timeoutMs: 60_000 });
      log(`services: workflow-worker (pid ${worker.pid}), scheduler (pid ${scheduler.pid}), api (pid ${api.pid}, 127.0.0.1:${port}) ready`);
      if (writing) {
        const refsFile = join(run.logDir, 'writer-refs.json');
        writeFileSync(refsFile, JSON.stringify(writerRefs(refs)));
        writer = services.start('writer', 'test/bench/reports/writer.ts', {
          WRITER_PORT: String(port), WRITER_RATE: String(cfg.writeRate), WRITER_REFS: refsFile,
          WRITER_MAX_INFLIGHT: String(cfg.writeMaxInflight), WRITER_SEED: String(cfg.seed),
        });
        const w = writer;
        writerResult = new Promise((resolve) => {
          w.watch((line) => { if (line.startsWith('WRITER_RESULT ')) resolve(JSON.parse(line.slice('WRITER_RESULT '.length)) as WriterResult); });
          void w.exited.then(() => resolve(null));
        });
        log(`writer: ${cfg.writeRate} transitions/s (${cfg.writeRate / 4} petitions/s × 4) through the API; ${cfg.writeWarmupSeconds} s before the timings start`);
        await sleep(cfg.writeWarmupSeconds * 1000);
      }
    }
    const alive = () => services.assertRunning('workflow-worker', 'scheduler', 'api', 'writer');

    // 4. The rollup queries, in-process.
    const settings = await loadReportSettings(db);
    const warmup = 3;
    const seq = (k: number) => new Rng(cfg.seed * 100 + k);
    /** A report timed `repeat` times after `warmup` untimed runs, its parameters from sequence `k`; then the services checked and the figures logged. */
    const timed = async (name: string, repeat: number, warmupRuns: number, k: number, run: (rng: Rng) => Promise<number>, logPrefix = ''): Promise<Timed> => {
      const rng = seq(k);
      const t = await timeQuery(name, repeat, warmupRuns, () => run(rng));
      alive();
      log(`timing: ${logPrefix}${name}: ${timedLine(t)}`);
      return t;
    };
    const hotRepeat = Math.max(5, Math.ceil(cfg.repeat / 10));
    log(`timing: ${cfg.repeat} × each report on the rollups`);
    const rollupWindow = await writeWindow(db, services, writing, async () => {
      const out: Timed[] = [];
      for (const groupBy of ['category', 'street', 'unit'] as const) {
        out.push(await timed(`district-month dashboard by ${groupBy}`, cfg.repeat, warmup, 1, async (rng) => {
          const { districtId, period } = districtMonth(plan, rng);
          return (await dashboardReport(ctx, groupBy, districtId, period)).rows.length;
        }));
      }
      for (const groupBy of ['street', 'unit'] as const) {
        out.push(await timed(`city-year ranking by ${groupBy}`, cfg.repeat, warmup, 2, async (rng) => (await cityRanking(ctx, groupBy, cityYear(plan, rng))).rows.length));
      }
      out.push(await timed('district-month hot issues (top 10)', cfg.repeat, warmup, 1, async (rng) => {
        const { districtId, period } = districtMonth(plan, rng);
        return (await hotIssueReport(ctx, districtId, period)).items.length;
      }));
      out.push(await timed('city-year hot issues (top 10)', hotRepeat, warmup, 2, async (rng) => (await hotIssueReport(ctx, undefined, cityYear(plan, rng))).items.length));
      return out;
    });
    results.rollup = rollupWindow.value;
    results.writes.rollupWindow = rollupWindow.window;
    if (rollupWindow.window) log(`timing: writes meanwhile ${rollupWindow.window.transitionsPerSecond.toFixed(1)} transitions/s`);

    // 5. The two target reports through the API process.
    if (cfg.httpRepeat > 0) {
      const client = new HttpClient(port);
      http = client;
      log(`timing: ${cfg.httpRepeat} × the two target reports over HTTP`);
      const httpWindow = await writeWindow(db, services, writing, async () => [
        await timed('district-month dashboard by category', cfg.httpRepeat, warmup, 1, (rng) => {
          const { districtId, period } = districtMonth(plan, rng);
          return client.get(summaryPath('category', districtId, period));
        }, 'HTTP '),
        await timed('city-year ranking by street', cfg.httpRepeat, warmup, 2, (rng) => client.get(rankingPath('street', cityYear(plan, rng))), 'HTTP '),
      ]);
      results.http = httpWindow.value;
      results.writes.httpWindow = httpWindow.window;
    }

    // 6. The full-scan baseline, same parameter sequences.
    if (cfg.baselineRepeat > 0) {
      log(`timing: ${cfg.baselineRepeat} × the two target reports from the facts (full scans)`);
      const pool = baselinePool;
      const baselineWindow = await writeWindow(db, services, writing, async () => [
        await timed(fullScan('district-month dashboard by category'), cfg.baselineRepeat, 0, 1, async (rng) => {
          const { districtId, period } = districtMonth(plan, rng);
          return (await baselineDashboard(pool, reference, settings, 'category', districtId, period)).rows.length;
        }),
        await timed(fullScan('city-year ranking by street'), cfg.baselineRepeat, 0, 2, async (rng) =>
          (await baselineRanking(pool, reference, settings, 'street', cityYear(plan, rng))).rows.length),
      ]);
      results.baseline = baselineWindow.value;
      results.writes.baselineWindow = baselineWindow.window;
    }

    for (const t of TARGETS) {
      const a = results.rollup.find((x) => x.name === t.query);
      const b = results.baseline.find((x) => x.name === fullScan(t.query));
      if (!a) continue;
      results.summary.push({
        target: t.query, p95: a.stats.p95, targetP95: t.p95, met: a.stats.p95 < t.p95,
        baselineP50: b?.stats.p50 ?? Number.NaN, baselineP95: b?.stats.p95 ?? Number.NaN, ratioP50: b ? b.stats.p50 / a.stats.p50 : Number.NaN,
      });
    }
    if (writing && results.writes.rollupWindow && results.writes.rollupWindow.transitionsPerSecond < 0.9 * cfg.writeRate) {
      results.writes.notes.push(`the write load reached ${results.writes.rollupWindow.transitionsPerSecond.toFixed(0)} of ${cfg.writeRate} transitions/s during the rollup timings (see the writer line)`);
    }
  } catch (err) {
    results.failures.push(`run aborted: ${(err as Error).stack ?? String(err)}`);
  } finally {
    if (writer?.running && writer.pid !== undefined) {
      try { process.kill(writer.pid, 'SIGTERM'); } catch { /* gone */ }
    }
    results.writes.writer = await Promise.race([writerResult, sleep(20_000).then(() => null)]);
    await services.stopAll();
    http?.close();
    await baselinePool?.end().catch(() => undefined);
    await queues.close().catch(() => undefined);
    if (producer.status === 'ready') await flushQueuePrefix(producer, cfg.queuePrefix).catch(() => 0);
    producer.disconnect();
    await db?.destroy();
    if (!cfg.keepDb) await dropBenchDatabase(cfg, 'reports').catch((err: unknown) => results.failures.push(`dropping ${cfg.benchDbName}: ${(err as Error).message}`));
    await lock.release();
  }

  endRun(run, results);
  const file = publish(run, report(cfg, results), results);
  process.stdout.write(`figures written to ${file}${cfg.keepDb ? `; database ${cfg.benchDbName} kept` : ''}\n`);
  return results.failures.length > 0 ? 1 : 0;
}

process.exit(await main());
