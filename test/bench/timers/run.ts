/**
 * Timers benchmark: BENCH_OPEN open petitions with pending deadlines in Postgres, BENCH_DUE of them
 * due in the same second, through the real scheduler and workflow-worker processes. Measures the
 * escalation's lateness, Redis memory per open petition, and the rebuild after FLUSHALL, next to a
 * raw ZADD / ZRANGEBYSCORE baseline from the same run. Not a test: it prints figures and asserts
 * no timings. See test/bench/README.md.
 *
 *   infra/dev.sh bench timers                                   # 1,000,000 open, 10,000 due
 *   BENCH_OPEN=100000 BENCH_DUE=2000 infra/dev.sh bench timers  # quick
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Db } from '@petitions/db';
import { createRedisConnection, QueueClient, redisReady } from '@petitions/queue';
import { CpuMeter, type CpuUse } from '../lifecycle/cpu.js';
import { ServiceSet, sleep, type Service } from '../lifecycle/processes.js';
import { dropBenchDatabase, lockBenchDatabase } from '../shared/database.js';
import { endRun, log, machineAtStart, machineLine, publish, reportLines, startRun, stopOnSignal, type Machine } from '../shared/run.js';
import { fmtInt, fmtMs } from '../shared/stats.js';
import { runApplyOnly, type ApplyOnlyResult } from './apply-only.js';
import { horizonMs, loadConfig, REPO_ROOT, type TimersConfig } from './config.js';
import {
  cloneOpenPetitions, makeTemplate, moveHandlingDeadlines, pickHandlingTimers, recreateDatabase,
  type GenerationResult, type PickedTimer, type Template,
} from './data.js';
import { runEscalation, type EscalationResult } from './escalation.js';
import { timersCovered } from './lateness.js';
import { LogBook } from './logbook.js';
import { rebuildFields, runRebuild, type RebuildResult } from './rebuild.js';
import { deletePrefix, keyCensus, PrivateRedis, settledMemory } from './redis.js';
import { fmtBytes, fmtCpu, fmtPctl } from './stats.js';
import { runZaddLatency, runZsetMemory, type ZaddLatencyResult, type ZsetMemoryResult } from './zset.js';

/** Targets from the issue. */
const TARGETS = { escalationP99Ms: 1000, bytesPerOpenPetition: 300, rebuildMs: 60_000 };

interface MemoryResult {
  /** used_memory of the empty Redis (FLUSHALL, only the bench's connection), before any service started. */
  usedEmpty: number;
  /** With the scheduler and worker running and the pump done (before T). */
  usedWithServices: number;
  delta: number;
  bytesPerOpenPetition: number;
  delayedTimerJobs: number;
  bytesPerDelayedTimerJob: number;
  keys: Record<string, number>;
  /** From starting the scheduler until the timers queue held every near-term timer. */
  pumpedAfterMs: number | null;
}

/** CPU while nothing is due: the pump's pass every TIMER_PUMP_INTERVAL_MS with the near-term timers mirrored. */
interface IdleResult {
  seconds: number;
  cpu: CpuUse;
}

/** The code the services ran: the commit, and files under services/ and packages/ changed from it. */
function codeState(): { commit: string; changed: string[] } {
  try {
    // Porcelain lines are "XY path": no trimming, the status columns may start with a space.
    const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const changed = git('status', '--porcelain', '--', 'services', 'packages', 'workflows').split('\n').filter(Boolean).map((l) => l.slice(3));
    return { commit: git('rev-parse', '--short', 'HEAD').trim(), changed };
  } catch {
    return { commit: 'unknown', changed: [] };
  }
}

interface Results {
  startedAt: string;
  code: { commit: string; changed: string[] } | null;
  config: Record<string, unknown>;
  machine: Machine;
  setup: { databaseMs: number; templateMs: number } | null;
  generation: GenerationResult | null;
  initialRebuild: { commands: number; timers: number; notifications: number | null; ms: number } | null;
  memory: MemoryResult | null;
  idleBeforeT: IdleResult | null;
  escalation: EscalationResult | null;
  applyOnly: ApplyOnlyResult | null;
  zadd: ZaddLatencyResult | null;
  zsetMemory: ZsetMemoryResult | null;
  rebuild: RebuildResult | null;
  schedulerWarnings: string[];
  totalMs: number;
  failures: string[];
}

function publicConfig(cfg: TimersConfig, redisUrl: string): Record<string, unknown> {
  return {
    open: cfg.open, due: cfg.due, leadSeconds: cfg.leadSeconds, rebuildTimers: cfg.rebuildTimers, rebuildCommands: cfg.rebuildCommands,
    history: cfg.history, genChunk: cfg.genChunk, genParallel: cfg.genParallel, zsetPollMs: cfg.zsetPollMs,
    worker: cfg.workerEnv, scheduler: cfg.schedulerEnv, horizonMs: horizonMs(cfg), notifier: cfg.notifier,
    redis: cfg.redisMode === 'private' ? `private redis-server (${redisUrl})` : redisUrl, queuePrefix: cfg.queuePrefix,
    database: cfg.benchDbName, skip: [...cfg.skip],
  };
}

function ratio(measured: number, target: number): string {
  return Number.isFinite(measured) ? `${(measured / target).toFixed(2)}×` : 'n/a';
}

function report(cfg: TimersConfig, r: Results): string {
  const { lines, row, end } = reportLines(46);
  lines.push(`timers benchmark (BENCH_OPEN=${fmtInt(cfg.open)} open petitions, BENCH_DUE=${fmtInt(cfg.due)} deadlines in one second; ` +
    `${machineLine(r.machine)})`);
  const services = `scheduler + workflow-worker${cfg.notifier ? ' + notifier' : ''} processes`;
  const settings = Object.entries({ ...cfg.workerEnv, ...cfg.schedulerEnv }).map(([k, v]) => `${k}=${v}`).join(' ');
  lines.push(`${services}, ${settings || 'service defaults'}; TIMER_HORIZON_MS=${horizonMs(cfg)}; Redis: ${cfg.redisMode === 'private' ? 'a private redis-server of this run' : 'REDIS_URL'}`);
  if (r.code) {
    const c = r.code.changed;
    lines.push(`code: ${r.code.commit}${c.length ? ` + uncommitted changes in ${c.length > 4 ? `${c.slice(0, 4).join(', ')} and ${c.length - 4} more (see the JSON)` : c.join(', ')}` : ''}`);
  }
  if (r.generation && r.setup) {
    const g = r.generation;
    row('data', `${fmtInt(g.petitions + 1)} petitions in 'handling' generated in ${(g.ms / 1000).toFixed(1)} s ` +
      `(${Object.entries(g.rows).map(([k, v]) => `${k} ${fmtInt(v)}`).join(', ')}); database ${(r.setup.databaseMs / 1000).toFixed(1)} s, template ${Math.round(r.setup.templateMs)} ms`);
  }
  if (r.initialRebuild) row('scheduler first start', `'rebuilt Redis state from Postgres' in ${r.initialRebuild.ms} ms (${fmtInt(r.initialRebuild.timers)} timers mirrored, ${r.initialRebuild.commands} commands)`);

  const e = r.escalation;
  const m = r.memory;
  const b = r.rebuild;
  lines.push('');
  lines.push(`${'target'.padEnd(46)}  ${'target'.padEnd(9)} ${'measured'.padEnd(12)} ${'ratio'.padEnd(8)} verdict`);
  const target = (label: string, t: string, measured: number, shown: string, limit: number) => {
    const verdict = Number.isFinite(measured) ? (measured < limit ? 'met' : 'NOT met') : 'n/a';
    lines.push(`${label.padEnd(46)}  ${t.padEnd(9)} ${shown.padEnd(12)} ${ratio(measured, limit).padEnd(8)} ${verdict}`);
  };
  target('escalation lateness p99 (event − due)', '< 1 s', e?.eventLateness.p99 ?? Number.NaN, e ? fmtMs(e.eventLateness.p99) : 'skipped', TARGETS.escalationP99Ms);
  target('  the same, at commit (command job done − due)', '< 1 s', e?.stages.commandJobDone.p99 ?? Number.NaN, e ? fmtMs(e.stages.commandJobDone.p99) : 'skipped', TARGETS.escalationP99Ms);
  target('Redis memory per open petition', '< 300 B', m?.bytesPerOpenPetition ?? Number.NaN, m ? `${m.bytesPerOpenPetition.toFixed(1)} B` : 'skipped', TARGETS.bytesPerOpenPetition);
  target('rebuild after FLUSHALL', '< 60 s', b?.rebuildMs ?? Number.NaN, b ? (b.rebuildMs === null ? 'timeout' : fmtMs(b.rebuildMs)) : 'skipped', TARGETS.rebuildMs);
  lines.push('');

  if (e) {
    row(`escalation: ${fmtInt(e.timers)} due at ${e.dueAt.slice(11, 19)}Z`, `event − due ${fmtPctl(e.eventLateness)}`);
    row('  all recorded (seen committed) after', `${e.allRecordedAfterMs === null ? 'timeout' : fmtMs(e.allRecordedAfterMs)} ` +
      `(${fmtInt(e.recorded)} HANDLING_DUE events; ${e.workerBatches} worker transactions ≈ ${Math.round(e.recorded / Math.max(1, e.workerBatches))} each; ` +
      `${e.allRecordedAfterMs ? fmtInt((e.recorded * 1000) / e.allRecordedAfterMs) : 'n/a'}/s)`);
    row('  fire lateness (command created − due)', `${fmtPctl(e.fireLateness)} (${e.fireBatches} fire transactions ≈ ${Math.round(e.timers / Math.max(1, e.fireBatches))} each)`);
    const s = e.stages;
    const st = (p: { p50: number; p99: number }) => `${fmtMs(p.p50)} / ${fmtMs(p.p99)}`;
    row('  stages after T (p50 / p99)', `timer job taken ${st(s.timerJobTaken)} → fire tx ${st(e.fireLateness)} → command job added ${st(s.commandJobAdded)} → ` +
      `worker took it ${st(s.commandJobTaken)} → event clock ${st(e.eventLateness)} → job done ${st(s.commandJobDone)}`);
    row('  jobs', `${fmtInt(s.timerJobs)} timer job(s) (taken ${st(s.timerJobTaken)}, done ${st(s.timerJobDone)}), ${fmtInt(s.commandJobs)} command job(s)` +
      `${s.idleTimerJobs ? `; ${s.idleTimerJobs} timer jobs fired nothing` : ''}${s.timersWithoutJob || s.commandsWithoutJob ? `; no job found for ${s.timersWithoutJob} timers / ${s.commandsWithoutJob} commands` : ''}`);
    row('  from T until all recorded', fmtCpu(e.cpu));
  } else row('escalation', 'skipped');
  if (r.idleBeforeT) row(`  before T (${r.idleBeforeT.seconds.toFixed(0)} s, nothing due)`, fmtCpu(r.idleBeforeT.cpu));
  if (r.applyOnly) {
    const a = r.applyOnly;
    row(`diagnostic: same path without BullMQ`, `${fmtInt(a.escalated)} escalations in ${fmtMs(a.fireMs + a.applyMs)} = ${fmtInt(a.perSecond)}/s ` +
      `(fireTimers ${a.fireBatch}/tx ${fmtMs(a.fireMs)}, then applyCommands ${a.applyBatch}/tx × ${a.applyLoops} loops ${fmtMs(a.applyMs)}; in-process)`);
    row('  during the diagnostic', fmtCpu(a.cpu));
  }
  if (r.zadd) {
    const z = r.zadd;
    row(`raw baseline: ZADD ${fmtInt(z.members)} members, poll ${z.pollMs} ms`, `taken out − due ${fmtPctl(z.lateness)} (ZADD pipelined in ${fmtMs(z.addMs)}; ${z.busyPolls} polls took members)`);
    if (e) row('  escalation p99 / raw p99', `${(e.eventLateness.p99 / Math.max(1, z.lateness.p99)).toFixed(0)}× (the raw baseline writes nothing to Postgres)`);
  } else row('raw ZADD/ZRANGEBYSCORE baseline', 'skipped');
  if (m) {
    row('Redis used_memory', `${fmtBytes(m.usedEmpty)} empty → ${fmtBytes(m.usedWithServices)} with the services up and the pump done (+${fmtBytes(m.delta)})`);
    row('  per open petition', `${m.bytesPerOpenPetition.toFixed(1)} B (delta / ${fmtInt(cfg.open)}); ${fmtInt(m.delayedTimerJobs)} delayed timer jobs ≈ ${fmtInt(m.bytesPerDelayedTimerJob)} B each (everything else included)`);
    row('  keys under the prefix', Object.entries(m.keys).sort((a, b2) => b2[1] - a[1]).map(([k, v]) => `${k} ${fmtInt(v)}`).join(', '));
    if (m.pumpedAfterMs !== null) row('  pump done after scheduler start', fmtMs(m.pumpedAfterMs));
  }
  if (r.zsetMemory) {
    const z = r.zsetMemory;
    row(`raw baseline: sorted set of ${fmtInt(z.members)} members`, `${z.bytesPerMember.toFixed(1)} B per member (+${fmtBytes(z.usedAfter - z.usedBefore)}; ZADD in ${fmtMs(z.addMs)}): what keeping every timer in Redis would cost at least`);
    if (m) row('  engine / raw per open petition', `${(m.bytesPerOpenPetition / z.bytesPerMember).toFixed(2)}×`);
  } else row('raw sorted-set memory baseline', 'skipped');
  if (b) {
    row(`rebuild after ${b.flush}`, `${b.rebuildMs === null ? 'timeout' : fmtMs(b.rebuildMs)}: epoch marker back ${fmtMs(b.epochBackMs ?? Number.NaN)}, ` +
      `${fmtInt(b.nearTermTimers)} near-term timers back ${fmtMs(b.timersBackMs ?? Number.NaN)}, ${fmtInt(b.pendingCommands)} pending commands applied ${fmtMs(b.commandsAppliedMs ?? Number.NaN)}`);
    row('  scheduler log', b.schedulerLog ? `'rebuilt Redis state from Postgres' ms=${b.schedulerLog.ms} (timers ${fmtInt(b.schedulerLog.timers)}, commands ${fmtInt(b.schedulerLog.commands)}` +
      `${b.schedulerLog.notifications === null ? '' : `, notifications ${fmtInt(b.schedulerLog.notifications)}`}), seen ${fmtMs(b.schedulerLog.seenAfterMs)} after the flush` : 'no rebuild line');
    row('  jobs in Redis at the flush', Object.entries(b.jobsAtFlush).map(([k, v]) => `${k} ${fmtInt(v)}`).join(', '));
    const c = b.checks;
    row('  each timer fired once', `${fmtInt(c.timersFired)}/${fmtInt(c.timers)} fired, ${fmtInt(c.commandsForTimers)} commands for them (1 per timer), ` +
      `max ${c.maxHandlingDueCommandsPerPetition} HANDLING_DUE per petition, ${c.petitionsEscalatedTwice} escalated twice; ${fmtInt(c.timerJobs)} timer jobs (${c.idleTimerJobs} fired nothing), ${fmtInt(c.commandJobs)} command jobs`);
    row('  rebuilt timers firing', `fire − due ${fmtPctl(b.fireLateness)}; event − due ${fmtPctl(b.eventLateness)}`);
    row('    fire − due rounded up to the second', fmtPctl(b.fireAfterSecond));
    row('  pending commands', `${fmtInt(c.commandsApplied)}/${fmtInt(b.pendingCommands)} applied`);
    row('  notification jobs queued at the flush', `${fmtInt(b.jobsAtFlush.notifications ?? 0)}: ${b.notificationsBackMs === null ? 'not all' : `all`} queued again` +
      `${b.notificationsBackMs === null ? '' : ` after ${fmtMs(b.notificationsBackMs)}`}; lost (never delivered, not queued again): ${fmtInt(c.notificationsLost)}`);
  } else row('rebuild after FLUSHALL', 'skipped');
  if (r.schedulerWarnings.length) row('scheduler warnings', r.schedulerWarnings.slice(0, 5).join(' | '));
  return end(r);
}

async function main(): Promise<number> {
  const run = startRun('timers');
  const cfg = loadConfig();
  const services = new ServiceSet(run.logDir);
  const privateRedis = cfg.redisMode === 'private' ? new PrivateRedis(join(run.outDir, `redis-timers-${run.stamp}`)) : null;
  const results: Results = {
    startedAt: run.startedAt.toISOString(), code: null, config: {}, machine: machineAtStart(cfg.cores),
    setup: null, generation: null, initialRebuild: null, memory: null, idleBeforeT: null, escalation: null, applyOnly: null, zadd: null, zsetMemory: null, rebuild: null,
    schedulerWarnings: [], totalMs: 0, failures: [],
  };

  stopOnSignal('processes', () => services.stopAll().finally(() => privateRedis?.kill()));

  // Before touching anything: another run would have its database dropped under it.
  const dbLock = await lockBenchDatabase(cfg, 'timers', 'BENCH_DB_NAME (and BENCH_QUEUE_PREFIX with BENCH_REDIS=env)');
  const redisUrl = privateRedis ? await privateRedis.start() : cfg.redisUrl;
  results.config = publicConfig(cfg, redisUrl);
  const redis = createRedisConnection(redisUrl, 'producer');
  const queues = new QueueClient(redis, { prefix: cfg.queuePrefix });
  let db: Db | undefined;
  let scheduler: LogBook | undefined;
  try {
    await redisReady(redis, 20_000);
    if (privateRedis) await redis.flushall();
    else await deletePrefix(redis, cfg.queuePrefix);

    // --- data -------------------------------------------------------------------------------
    log(`setup: database ${cfg.benchDbName} (drop, create, migrate, seed); Redis ${privateRedis ? `private ${redisUrl}` : redisUrl}, prefix ${cfg.queuePrefix}`);
    const s0 = performance.now();
    db = await recreateDatabase(cfg);
    const s1 = performance.now();
    const tpl: Template = await makeTemplate(db, cfg);
    results.setup = { databaseMs: s1 - s0, templateMs: performance.now() - s1 };
    log(`generate: ${fmtInt(cfg.open - 1)} clones of the template petition (${cfg.genParallel} statements at once, ${fmtInt(cfg.genChunk)} each${cfg.history ? ', with history' : ''})`);
    results.generation = await cloneOpenPetitions(db, tpl, cfg.open - 1, { chunk: cfg.genChunk, parallel: cfg.genParallel, history: cfg.history }, log);
    log(`generate: done in ${(results.generation.ms / 1000).toFixed(1)} s`);

    // --- Redis empty, and the raw sorted-set memory floor ------------------------------------
    let usedEmpty = await settledMemory(redis);
    if (!cfg.skip.has('zset-memory')) {
      log(`zset memory: ZADD ${fmtInt(cfg.open)} members into one sorted set`);
      results.zsetMemory = await runZsetMemory(redis, `${cfg.queuePrefix}:bench:zset-memory`, cfg.open);
      log(`zset memory: ${results.zsetMemory.bytesPerMember.toFixed(1)} B per member`);
      usedEmpty = await settledMemory(redis);
    }

    // --- services -----------------------------------------------------------------------------
    results.code = codeState();
    const common = { DATABASE_URL: cfg.benchDatabaseUrl, REDIS_URL: redisUrl, QUEUE_PREFIX: cfg.queuePrefix, LOG_LEVEL: 'info' };
    const started: Service[] = [];
    const worker = services.start('workflow-worker', 'services/workflow-worker/src/main.ts', { ...common, ...cfg.workerEnv });
    started.push(worker);
    const workerLog = new LogBook(worker);
    if (cfg.notifier) started.push(services.start('notifier', 'services/notifier/src/main.ts', { ...common }));
    await worker.waitReady({ line: (l) => l.includes('"workflow-worker ready"'), timeoutMs: 60_000 });
    if (cfg.notifier) await started[1]!.waitReady({ line: (l) => l.includes('"notifier ready"'), timeoutMs: 60_000 });
    log(`services: workflow-worker ready (pid ${worker.pid})${cfg.notifier ? `, notifier ready (pid ${started[1]!.pid})` : ''}`);

    // The due set: deadlines in one whole second T, in Postgres before the scheduler starts, so its
    // pump mirrors them into Redis (they are within the horizon) exactly as it would any deadline.
    let due: PickedTimer[] = [];
    let dueAtMs = 0;
    if (!cfg.skip.has('escalation')) {
      due = await pickHandlingTimers(db, cfg.due, new Set(), tpl.petitionId);
      dueAtMs = Math.ceil((Date.now() + cfg.leadSeconds * 1000) / 1000) * 1000;
      await moveHandlingDeadlines(db, due, () => new Date(dueAtMs), true);
      log(`escalation: ${fmtInt(due.length)} handling deadlines moved to T = ${new Date(dueAtMs).toISOString()} (${cfg.leadSeconds} s from now)`);
    }

    const schedStartedAt = Date.now();
    const schedulerService = services.start('scheduler', 'services/scheduler/src/main.ts', { ...common, ...cfg.schedulerEnv });
    scheduler = new LogBook(schedulerService);
    await schedulerService.waitReady({ line: (l) => l.includes('"scheduler ready"'), timeoutMs: 60_000 });
    const first = await scheduler.waitFor('rebuilt Redis state from Postgres', 0, 60_000);
    if (first) results.initialRebuild = rebuildFields(first.fields);
    log(`services: scheduler ready (pid ${schedulerService.pid}); first start ${results.initialRebuild ? `rebuilt in ${results.initialRebuild.ms} ms, ${results.initialRebuild.timers} timers mirrored` : 'did not log a rebuild'}`);

    const pids = () => services.pids();

    // --- memory with the services up and the pump done ---------------------------------------
    const timersQ = queues.queue('timers');
    const pumpDeadline = dueAtMs ? dueAtMs - 3000 : Date.now() + 10_000;
    let pumpedAt: number | null = null;
    while (Date.now() < pumpDeadline) {
      const unpublished = await db.selectFrom('outbox').select((eb) => eb.fn.countAll<string>().as('n')).where('published_at', 'is', null).executeTakeFirstOrThrow();
      if (Number(unpublished.n) === 0 && (await timersCovered(queues, due.map((d) => ({ timerId: d.timerId, dueMs: dueAtMs })))) >= due.length) { pumpedAt = Date.now(); break; }
      await sleep(100);
    }
    if (pumpedAt === null) results.failures.push(`Redis did not hold a job for each of the ${due.length} due timers (or the outbox was not relayed) by T − 3 s`);
    await sleep(Math.max(0, Math.min(2000, pumpDeadline - Date.now()))); // let Redis settle (AOF buffer, client buffers)
    const usedWithServices = await settledMemory(redis, 3);
    const delayed = await timersQ.getDelayedCount();
    results.memory = {
      usedEmpty, usedWithServices, delta: usedWithServices - usedEmpty,
      bytesPerOpenPetition: (usedWithServices - usedEmpty) / cfg.open,
      delayedTimerJobs: delayed, bytesPerDelayedTimerJob: delayed > 0 ? (usedWithServices - usedEmpty) / delayed : Number.NaN,
      keys: await keyCensus(redis, cfg.queuePrefix), pumpedAfterMs: pumpedAt === null ? null : pumpedAt - schedStartedAt,
    };
    log(`memory: ${fmtBytes(results.memory.delta)} over the empty Redis = ${results.memory.bytesPerOpenPetition.toFixed(1)} B per open petition; ${fmtInt(delayed)} delayed timer jobs`);

    // --- escalation -------------------------------------------------------------------------
    if (!cfg.skip.has('escalation')) {
      const idleFrom = Date.now();
      const idle = new CpuMeter(pids);
      if (dueAtMs - Date.now() > 1500) {
        await sleep(dueAtMs - Date.now() - 500);
        results.idleBeforeT = { seconds: (Date.now() - idleFrom) / 1000, cpu: idle.stop() };
      }
      const lead = dueAtMs - Date.now();
      if (results.idleBeforeT === null) results.failures.push('T came too soon after the services were up: raise BENCH_LEAD_SECONDS');
      log(`escalation: T in ${lead} ms`);
      results.escalation = await runEscalation(db, queues, due, dueAtMs, Number(process.env.BENCH_ESCALATION_TIMEOUT_S ?? 300) * 1000, pids, log);
      results.failures.push(...results.escalation.problems);
      services.assertRunning('scheduler', 'workflow-worker');
      log(`escalation: p99 ${fmtMs(results.escalation.eventLateness.p99)}, all recorded after ${fmtMs(results.escalation.allRecordedAfterMs ?? Number.NaN)}`);
    }

    // --- raw ZADD / ZRANGEBYSCORE baseline (services idle) -----------------------------------
    if (!cfg.skip.has('zadd')) {
      const members = due.length ? due.map((d) => d.timerId) : Array.from({ length: cfg.due }, (_, i) => `member-${i}`);
      log(`zadd: ${fmtInt(members.length)} members due in one second, poller every ${cfg.zsetPollMs} ms`);
      results.zadd = await runZaddLatency(redis, `${cfg.queuePrefix}:bench:zadd`, members, cfg.zsetPollMs);
      log(`zadd: p99 ${fmtMs(results.zadd.lateness.p99)}`);
    }

    // --- diagnostic: the database path alone ------------------------------------------------
    const used = new Set(due.map((d) => d.petitionId));
    if (!cfg.skip.has('apply')) {
      const picked = await pickHandlingTimers(db, cfg.due, used, tpl.petitionId);
      for (const p of picked) used.add(p.petitionId);
      const applyBatch = Number(process.env.BENCH_APPLY_BATCH ?? 250); // the scheduler's applyBatch size
      const applyLoops = Number(cfg.workerEnv.DB_POOL_SIZE ?? 10);
      log(`apply only: ${fmtInt(picked.length)} escalations through fireTimers + applyCommands in-process (batch ${applyBatch}, ${applyLoops} loops)`);
      results.applyOnly = await runApplyOnly(cfg.benchDatabaseUrl, db, redis, cfg.queuePrefix, picked, { applyBatch, applyLoops }, pids);
      if (results.applyOnly.escalated !== picked.length) results.failures.push(`apply only: ${results.applyOnly.escalated} of ${picked.length} escalations recorded`);
      log(`apply only: ${fmtInt(results.applyOnly.perSecond)}/s`);
    }

    // --- rebuild after FLUSHALL ---------------------------------------------------------------
    if (!cfg.skip.has('rebuild')) {
      log(`rebuild: ${fmtInt(cfg.rebuildTimers)} timers due within the next minute, ${fmtInt(cfg.rebuildCommands)} commands recorded but not published`);
      results.rebuild = await runRebuild({
        db, redis, queues, prefix: cfg.queuePrefix, privateRedis: privateRedis !== null, refs: tpl.refs, templateId: tpl.petitionId,
        horizonMs: horizonMs(cfg), scheduler, exclude: used, log,
      }, cfg.rebuildTimers, cfg.rebuildCommands, 120_000);
      results.failures.push(...results.rebuild.problems);
      services.assertRunning('scheduler', 'workflow-worker');
    }
    const failedJobs = workerLog.entries.filter((x) => x.msg === 'command job failed').length;
    if (failedJobs > 0) results.failures.push(`${failedJobs} command job attempts failed in the worker (see its log)`);
  } catch (err) {
    results.failures.push(`run aborted: ${(err as Error).stack ?? String(err)}`);
  } finally {
    if (scheduler) results.schedulerWarnings = scheduler.warnings().map((w) => `${w.msg}${typeof w.fields.err === 'string' ? `: ${w.fields.err}` : ''}`);
    log('cleanup: stopping the services (SIGTERM), deleting the bench keys and database');
    await services.stopAll();
    await queues.close().catch(() => undefined);
    if (redis.status === 'ready') await deletePrefix(redis, cfg.queuePrefix).catch(() => 0);
    redis.disconnect();
    await privateRedis?.stop();
    await db?.destroy();
    if (!cfg.keepDb) await dropBenchDatabase(cfg, 'timers').catch((err: unknown) => results.failures.push(`could not drop ${cfg.benchDbName}: ${String(err)}`));
    await dbLock.release();
  }

  endRun(run, results);
  const file = publish(run, report(cfg, results), { ...results, targets: TARGETS });
  process.stdout.write(`figures written to ${file}; service logs in ${run.logDir.slice(REPO_ROOT.length + 1)}\n`);
  return results.failures.length > 0 ? 1 : 0;
}

// Errors before anything started (bad knobs, another run holding the database) end the run plainly.
process.exit(await main().catch((err: unknown) => {
  log(`timers bench: ${err instanceof Error ? err.message : String(err)}`);
  return 2;
}));
