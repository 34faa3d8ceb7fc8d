/**
 * Lifecycle benchmark: N petitions through the whole lifecycle via the real queue and worker
 * process, next to two baselines measured in the same run (plain pg transactions, BullMQ no-op
 * jobs), plus submit → dispatched latency through the real API process at a fixed rate.
 * Not a test: it prints figures and asserts no timings. See test/bench/README.md.
 *
 *   infra/dev.sh bench lifecycle [--n=3000] [--rate=300] [--seconds=10] ...
 */
import { seedReferenceData, type Db } from '@petitions/db';
import { keysFromConfig } from '@petitions/personal-data';
import { createRedisConnection, QueueClient, redisReady } from '@petitions/queue';
import { createLogger } from '@petitions/runtime';
import { foldReportsOnce, startLoop } from '@petitions/scheduler';
import { runApplyOnly, type ApplyOnlyResult } from './apply-only.js';
import { runPlainPg, type PlainPgResult } from './baseline-pg.js';
import { runBullmqNoop, type BullmqResult } from './baseline-bullmq.js';
import { recreateBenchDatabase } from '../shared/database.js';
import { endRun, log, machineAtStart, machineLine, publish, reportLines, startRun, stopOnSignal, type Machine } from '../shared/run.js';
import { fmtInt } from '../shared/stats.js';
import { loadConfig, type BenchConfig } from './config.js';
import { formatCpu } from './cpu.js';
import { flushQueuePrefix, loadRefs } from './data.js';
import { runEngine, verifyEngine, type EngineResult, type Verification } from './engine.js';
import { getStatus, runLatency, type LatencyResult } from './latency.js';
import { freePort, ServiceSet } from './processes.js';

/** Not fmtMs: no seconds above 10 s, and abandoned requests (Infinity) said so. */
const ms = (n: number) => (n === Number.POSITIVE_INFINITY ? '∞ (abandoned)' : !Number.isFinite(n) ? 'n/a' : n < 10 ? `${n.toFixed(1)} ms` : `${Math.round(n)} ms`);

interface Results {
  startedAt: string;
  config: Record<string, unknown>;
  machine: Machine;
  setupMs: number;
  engine: EngineResult | null;
  verification: Verification | null;
  applyOnly: ApplyOnlyResult | null;
  plainPg: PlainPgResult[];
  bullmq: BullmqResult | null;
  latency: LatencyResult | null;
  ratio: number | null;
  totalMs: number;
  failures: string[];
}

function publicConfig(cfg: BenchConfig): Record<string, unknown> {
  return {
    n: cfg.n, workerConcurrency: cfg.workerConcurrency, workerBatchSize: cfg.workerBatchSize, workerDbPoolSize: cfg.workerPoolSize,
    pgBestPool: cfg.pgBestPool, noopJobs: cfg.noopJobs, noopConcurrency: cfg.noopConcurrency, enqueueChunk: cfg.enqueueChunk,
    rate: cfg.rate, seconds: cfg.seconds, warmupSeconds: cfg.warmupSeconds, drainSeconds: cfg.drainSeconds, maxSockets: cfg.maxSockets,
    apiDbPoolSize: cfg.apiPoolSize ?? 'default', queuePrefix: cfg.queuePrefix, database: cfg.benchDbName, skip: [...cfg.skip],
  };
}

function report(cfg: BenchConfig, r: Results): string {
  const { lines, row, end } = reportLines(44);
  const transitions = cfg.n * 4;
  lines.push(`lifecycle benchmark (N=${cfg.n} petitions, ${transitions} transitions; ${machineLine(r.machine)})`);
  lines.push(`worker: ${cfg.workerProcesses} process(es), WORKER_CONCURRENCY=${cfg.workerConcurrency} WORKER_BATCH_SIZE=${cfg.workerBatchSize} WORKER_BATCHES_IN_FLIGHT=${cfg.workerBatchesInFlight} WORKER_EXTRA_BATCH_FROM=${cfg.workerExtraBatchFrom} DB_POOL_SIZE=${cfg.workerPoolSize}`);
  if (r.engine) {
    const per = r.engine.phases.map((p) => `${p.phase} ${fmtInt(p.perSecond)}/s`).join(', ');
    row('engine (queue + worker process, batched)', `${fmtInt(r.engine.perSecond)} transitions/s  (per phase: ${per})`);
    const avg = r.engine.phases.map((p) => `${p.phase} ≈${(p.applied / Math.max(1, p.approxTransactions)).toFixed(0)}`).join(', ');
    row('  commands per worker transaction', `${avg}  (from distinct commands.applied_at)`);
    const jobs = r.engine.phases.reduce((a, p) => a + p.jobs, 0);
    row('  queue jobs', cfg.publish === 'grouped'
      ? `${fmtInt(jobs)} for ${fmtInt(transitions)} commands (BENCH_PUBLISH=grouped: as the API's CommandPublisher publishes commands recorded at the same moment)`
      : `${fmtInt(jobs)}, one per command (BENCH_PUBLISH=single)`);
    const rec = r.engine.phases.reduce((a, p) => a + p.recordMs, 0);
    row('  during the engine phases', formatCpu(r.engine.cpu));
    const failed = r.engine.phases.reduce((a, p) => a + p.failedAttempts, 0);
    if (failed > 0) row('  WARNING: failed job attempts', `${failed} (BullMQ retried them; timings include the retries; see the worker log)`);
    row('  recording commands (bulk, not timed)', `${ms(rec)}  (the API's cost, excluded: rows inserted in bulk before each phase's clock)`);
  } else row('engine (queue + worker process, batched)', 'skipped');
  if (r.applyOnly) {
    row('  diagnostic: apply path only, no queue', `${fmtInt(r.applyOnly.perSecond)} transitions/s  (applyCommands in-process, batches of ${r.applyOnly.batchSize}, pool ${r.applyOnly.pool})`);
  }
  if (r.plainPg.length) {
    for (const p of r.plainPg) {
      row(`baseline plain pg, pool=${p.pool}`, `${fmtInt(p.perSecond)} transitions/s  (1 UPDATE w/ version check + 1 event INSERT per transaction; command rows pre-inserted)`);
      row('  during this baseline', formatCpu(p.cpu));
    }
  } else row('baseline plain pg', 'skipped');
  row('baseline BullMQ no-op jobs', r.bullmq ? `${fmtInt(r.bullmq.perSecond)} jobs/s  (${fmtInt(r.bullmq.jobs)} jobs, concurrency ${r.bullmq.concurrency}, worker process)` : 'skipped');
  const best = r.plainPg.length ? Math.max(...r.plainPg.map((p) => p.perSecond)) : Number.NaN;
  row('ratio engine / best plain pg', r.ratio !== null ? `${r.ratio.toFixed(2)}  (target ≥ 1.00: ${r.ratio >= 1 ? 'met' : 'NOT met'}; best plain pg ${fmtInt(best)}/s)` : 'n/a');
  if (r.latency) {
    const l = r.latency;
    row(`submit → dispatched @${cfg.rate}/s for ${cfg.seconds} s`,
      `p50 ${ms(l.latency.p50)}, p95 ${ms(l.latency.p95)}, p99 ${ms(l.latency.p99)}, max ${ms(l.latency.max)} ` +
      `(${l.ok} ok, ${l.pending} pending, ${l.errors} errors${l.abandoned ? `, ${l.abandoned} abandoned after ${cfg.drainSeconds} s` : ''})`);
    row('  achieved send rate', `${l.achievedRate.toFixed(1)}/s  (generator lag p99 ${ms(l.sendLag.p99)}, max ${ms(l.sendLag.max)}; target p99 < 50 ms: ${l.latency.p99 < 50 && l.errors === 0 && l.pending === 0 && l.abandoned === 0 ? 'met' : 'NOT met'})`);
    row('  during the measurement', formatCpu(l.cpu));
    row('  p99 by second sent', l.p99BySecond.map((v) => ms(v)).join(', '));
    if (l.breakdown) {
      const b = l.breakdown;
      const seg = (x: { p50: number; p99: number }) => `${ms(x.p50)} (p99 ${ms(x.p99)})`;
      row('  where it went (p50, from stored stamps)', `API until insert ${seg(b.apiBeforeInsert)} → worker batch start ${seg(b.toWorkerBatch)} → response ${seg(b.batchToResponse)}`);
    }
    if (l.warmup.sent) row('  warm-up (not counted)', `${l.warmup.sent} requests in ${l.warmup.seconds} s before the measurement`);
    if (l.errorSamples.length) row('  error samples', l.errorSamples.join(' | '));
  } else row('submit → dispatched latency', 'skipped');
  return end(r);
}

async function main(): Promise<number> {
  const run = startRun('lifecycle');
  const cfg = loadConfig();
  const services = new ServiceSet(run.logDir);
  const results: Results = {
    startedAt: run.startedAt.toISOString(), config: publicConfig(cfg), machine: machineAtStart(cfg.cores),
    setupMs: 0, engine: null, verification: null, applyOnly: null, plainPg: [], bullmq: null, latency: null, ratio: null, totalMs: 0, failures: [],
  };

  stopOnSignal('services', () => services.stopAll());

  const producer = createRedisConnection(cfg.redisUrl, 'producer');
  let db: Db | undefined;
  const queues = new QueueClient(producer, { prefix: cfg.queuePrefix });
  let fold: { stop: () => Promise<void> } | undefined;
  try {
    log(`setup: database ${cfg.benchDbName} (drop, create, migrate, seed), Redis keys ${cfg.queuePrefix}:*`);
    await redisReady(producer, 10_000);
    const flushed = await flushQueuePrefix(producer, cfg.queuePrefix);
    db = await recreateBenchDatabase(cfg, 'bench');
    await seedReferenceData(db);
    const refs = await loadRefs(db);
    const keys = keysFromConfig(cfg.encryptionKey, cfg.hmacKey);
    results.setupMs = performance.now() - run.t0;
    log(`setup: done in ${(results.setupMs / 1000).toFixed(1)} s (${flushed} stale queue keys removed; petitions routed to ${refs.leadUnitCode})`);

    const common = { DATABASE_URL: cfg.benchDatabaseUrl, REDIS_URL: cfg.redisUrl, QUEUE_PREFIX: cfg.queuePrefix };
    const needWorker = !cfg.skip.has('engine') || !cfg.skip.has('latency');
    const jobFailures = { count: 0, samples: [] as string[] };
    if (needWorker) {
      const workerEnv = {
        ...common, LOG_LEVEL: cfg.workerLogLevel, WORKER_CONCURRENCY: String(cfg.workerConcurrency), WORKER_BATCH_SIZE: String(cfg.workerBatchSize),
        WORKER_BATCHES_IN_FLIGHT: String(cfg.workerBatchesInFlight), WORKER_EXTRA_BATCH_FROM: String(cfg.workerExtraBatchFrom), DB_POOL_SIZE: String(cfg.workerPoolSize),
      };
      const worker = services.start('workflow-worker', 'services/workflow-worker/src/main.ts', workerEnv);
      // The worker logs 'workflow-worker ready' at info; at LOG_LEVEL=warn it stays silent, so also
      // accept its BullMQ connection showing up in Redis (the worker names its connection).
      const commandsQueue = queues.queue('commands');
      const readyMs = await worker.waitReady({
        line: (l) => l.includes('"workflow-worker ready"'),
        probe: async () => (await commandsQueue.getWorkersCount()) > 0,
        timeoutMs: 60_000,
      });
      worker.watch((line) => {
        if (!line.includes('"command job failed"')) return;
        jobFailures.count++;
        const err = line.match(/"err":"((?:[^"\\]|\\.)*)"/)?.[1] ?? line.slice(0, 200);
        if (jobFailures.samples.length < 3 && !jobFailures.samples.includes(err)) jobFailures.samples.push(err);
      });
      log(`workflow-worker: ready after ${(readyMs / 1000).toFixed(1)} s (pid ${worker.pid})`);
      for (let i = 2; i <= cfg.workerProcesses; i++) {
        const replica = services.start(`workflow-worker-${i}`, 'services/workflow-worker/src/main.ts', workerEnv);
        await replica.waitReady({ line: (l) => l.includes('"workflow-worker ready"'), probe: async () => (await commandsQueue.getWorkersCount()) >= i, timeoutMs: 60_000 });
        log(`workflow-worker-${i}: ready (pid ${replica.pid})`);
      }
    }

    // The scheduler's report fold, in this process: the worker leaves the rollups to it.
    const benchDb = db;
    fold = startLoop('report fold', cfg.reportFoldIntervalMs, createLogger('bench', 'warn'), async () => { await foldReportsOnce(benchDb); });

    if (!cfg.skip.has('engine')) {
      log(`engine: ${cfg.n} petitions × 4 commands through queue 'commands' and the worker process`);
      results.engine = await runEngine({
        cfg, db, queues, keys, refs, assertWorker: () => services.assertRunning('workflow-worker'), pids: () => services.pids(), jobFailures: () => jobFailures,
      }, log);
      results.verification = await verifyEngine(db, results.engine.petitionIds);
      for (const p of results.verification.problems) results.failures.push(`engine: ${p}`);
      log(`engine: ${Math.round(results.engine.perSecond)} transitions/s; verification ${results.verification.ok ? 'ok' : 'FAILED'}; ${formatCpu(results.engine.cpu)}`);
    }

    if (!cfg.skip.has('apply')) {
      log(`apply path only: ${cfg.n} petitions × 4 commands straight into applyCommands (batch ${cfg.workerBatchSize}, pool ${cfg.workerPoolSize})`);
      results.applyOnly = await runApplyOnly(cfg, db, keys, refs, 40_000_000, () => services.pids());
      for (const p of results.applyOnly.problems) results.failures.push(`apply path only: ${p}`);
      log(`apply path only: ${Math.round(results.applyOnly.perSecond)} transitions/s; ${formatCpu(results.applyOnly.cpu)}`);
    }

    if (!cfg.skip.has('pg')) {
      const pools = [...new Set([cfg.workerPoolSize, cfg.pgBestPool])];
      for (const [i, pool] of pools.entries()) {
        log(`plain pg: ${cfg.n} petitions × 4 transactions, pool=${pool}`);
        const r = await runPlainPg(cfg, db, keys, refs, pool, 50_000_000 + i * 1_000_000, () => services.pids());
        results.plainPg.push(r);
        for (const p of r.problems) results.failures.push(`plain pg pool=${pool}: ${p}`);
        log(`plain pg: pool=${pool}: ${Math.round(r.perSecond)} transitions/s; ${formatCpu(r.cpu)}`);
      }
    }

    if (!cfg.skip.has('bullmq')) {
      log(`bullmq: ${cfg.noopJobs} no-op jobs, concurrency ${cfg.noopConcurrency}`);
      results.bullmq = await runBullmqNoop(cfg, producer, services);
      log(`bullmq: ${Math.round(results.bullmq.perSecond)} jobs/s; ${formatCpu(results.bullmq.cpu)}`);
    }

    if (!cfg.skip.has('latency')) {
      const port = await freePort();
      const api = services.start('api', 'services/api/src/main.ts', {
        ...common, LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port),
        PETITIONS_ENCRYPTION_KEY: cfg.encryptionKey, PETITIONS_HMAC_KEY: cfg.hmacKey, API_DEV_IDENTITY: 'true',
        // One load generator on one IP at 300/s: the per-client limit would refuse it.
        API_RATE_LIMIT_ENABLED: 'false',
        ...(cfg.apiPoolSize ? { DB_POOL_SIZE: String(cfg.apiPoolSize) } : {}),
      });
      const readyMs = await api.waitReady({ probe: async () => (await getStatus(port, '/health')) === 200, timeoutMs: 60_000 });
      log(`api: healthy after ${(readyMs / 1000).toFixed(1)} s on 127.0.0.1:${port}; ${cfg.rate}/s for ${cfg.seconds} s (+${cfg.warmupSeconds} s warm-up)`);
      results.latency = await runLatency(cfg, db, refs, port, 70_000_000, () => services.pids());
      services.assertRunning('api', 'workflow-worker');
      log(`latency: done; ${formatCpu(results.latency.cpu)}`);
      if (results.latency.errors > 0) results.failures.push(`latency: ${results.latency.errors} requests failed (${results.latency.errorSamples.join(' | ')})`);
    }

    if (results.engine && results.plainPg.length) {
      results.ratio = results.engine.perSecond / Math.max(...results.plainPg.map((p) => p.perSecond));
    }
  } catch (err) {
    results.failures.push(`run aborted: ${(err as Error).stack ?? String(err)}`);
  } finally {
    await fold?.stop();
    await services.stopAll();
    await queues.close().catch(() => undefined);
    if (producer.status === 'ready') await flushQueuePrefix(producer, cfg.queuePrefix).catch(() => 0);
    producer.disconnect();
    await db?.destroy();
  }

  endRun(run, results);
  const { engine, ...rest } = results;
  const file = publish(run, report(cfg, results), { ...rest, engine: engine ? { ...engine, petitionIds: undefined } : null });
  process.stdout.write(`figures written to ${file}\n`);
  return results.failures.length > 0 ? 1 : 0;
}

process.exit(await main());
