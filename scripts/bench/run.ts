import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { parseResponseWindow } from '../../domain/responseWindow';
import { resolveTemporalCli } from '../../temporal/cli';
import { connectClient } from '../../temporal/connection';
import { findFreePort, startDevServer } from '../../temporal/devServer';
import type { DevServer } from '../../temporal/devServerTypes';
import { cycleWorkflowId } from '../../workflows/messages';
import { searchAttributeTypes } from '../../workflows/searchAttributes';
import { fetchHistoryStats, mapLimit, type HistoryStats } from './histories';
import { benchMunicipality, BENCH_FISCAL_YEAR, BENCH_QUARTER, expectedReviews, floorCycleId, type ExpectedReview } from './municipalities';
import { workerGroups, type ChildMunicipality, type ChildRunResult, type ChildSetup, type TemporalSettings } from './protocol';
import { type BenchOptions, type BenchResult, type BenchSize, kb, max, mean, ratio, round, type SdkWarnings, type SideFigures, type SizeResult } from './results';
import { targetsOf } from './targets';
import { ChildWorker, createDatabases, processCpuSeconds, registerNamespace } from './children';

/**
 * The cycle benchmark (issue 7): complete quarterly cycles of generated municipalities against the
 * floor, the cheapest workflows Temporal can run for the same shape, on the same server in the same
 * invocation. `npm run bench` (scripts/bench/index.ts) is the command line; test/bench.test.ts runs
 * it at a tiny size.
 *
 * Many municipalities on one cluster, as a departmental government or the DNP would run them: each
 * municipality keeps its own database (a PGlite folder, or a PostgreSQL database of its own when
 * DATABASE_URL is set), and by default all of a size's municipalities share one namespace, one task
 * queue and one worker (temporal/municipalities.ts): municipality m's cycle is
 * `m<m>-revision-2026-T3`, started with its header, and its activities run on its database.
 * `namespacePerMunicipality` runs each municipality as its own deployment instead: its own namespace
 * and worker. Namespaces are registered at run time (`RegisterNamespace` plus the search
 * attributes, as `temporal operator namespace create` does), named with a run tag so reruns
 * against a long-lived cluster never collide. All workers of one side share one process: the
 * "worker process" whose RSS is reported.
 *
 * The floor runs in the same namespaces with its own task queues and workflow IDs
 * (`m<m>-floor-2026-T3`), with as many workers as ours in its own process, before our side.
 */


export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const window = parseResponseWindow(options.window);
  if (!window.ok || window.window.unit !== 'milliseconds') throw new Error(`--window: use a clock window such as 20s or 2m (${options.window})`);
  const windowMs = window.window.amount;
  const pollMs = options.pollMs ?? 250;
  const startedAt = new Date();
  const tag = randomBytes(3).toString('hex');
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'metas-pdm-bench-'));
  const loadAverageAtStart = os.loadavg().map((l) => round(l, 2));

  let server: DevServer | null = null;
  let temporal: TemporalSettings;
  if (options.temporal) {
    temporal = options.temporal;
    log(`Temporal: existing cluster at ${temporal.temporalAddress}`);
  } else {
    const cliPath = await resolveTemporalCli({ log });
    server = await startDevServer({
      cliPath,
      dbFile: path.join(workDir, 'temporal', 'temporal.db'),
      logFile: path.join(workDir, 'temporal', 'server.log'),
      namespace: 'metas-pdm-bench',
      port: await findFreePort(),
      uiPort: await findFreePort(),
      headless: true,
      searchAttributes: searchAttributeTypes,
    });
    temporal = { temporalAddress: server.address, TEMPORAL_TLS: false };
    log(`Temporal: dev server started at ${server.address} (pid ${server.pid})`);
  }
  const admin = await connectClient({ ...temporal, TEMPORAL_NAMESPACE: 'metas-pdm-bench' });
  const sizes: SizeResult[] = [];
  const failed: BenchResult['failedSizes'] = [];
  try {
    for (const size of options.sizes) {
      try {
        sizes.push(await runSize(size));
      } catch (error) {
        // One size breaking (e.g. an overloaded worker) must not lose the others' figures.
        const message = error instanceof Error ? error.message : String(error);
        log(`[${size.name}] FAILED: ${message.split('\n')[0]}`);
        failed.push({ size: size.name, municipalities: size.municipalities, error: message });
      }
    }
  } finally {
    await admin.connection.close();
    await server?.stop();
    if (options.keepWorkDir) log(`Work folder kept: ${workDir}`);
    else fs.rmSync(workDir, { recursive: true, force: true });
  }

  return {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, memoryGb: round(os.totalmem() / 1024 ** 3, 1), node: process.version, platform: `${os.platform()} ${os.release()}`, loadAverageAtStart },
    temporal: { address: temporal.temporalAddress, devServer: server !== null },
    database: options.databaseUrl ? 'postgres' : 'pglite',
    options: {
      sizes: options.sizes.map((s) => s.name),
      noAnswerShare: options.noAnswerShare,
      window: options.window,
      reminders: options.reminders,
      pollMs,
      namespacePerMunicipality: options.namespacePerMunicipality ?? false,
      maxConcurrentActivities: options.maxConcurrentActivities ?? null,
    },
    sizes,
    failedSizes: failed,
    targets: targetsOf(sizes),
  };

  async function runSize(size: BenchSize): Promise<SizeResult> {
    const label = `${size.name} (${size.municipalities} × ${size.goals ?? '~300'} goals)`;
    const phase = (message: string) => log(`[${size.name}] ${message}`);
    const perMunicipality = options.namespacePerMunicipality ?? false;
    phase(`${label}: generating municipalities and registering ${perMunicipality ? size.municipalities : 1} namespace(s)`);
    const municipalities: (ChildMunicipality & { goalCount: number })[] = [];
    for (let index = 0; index < size.municipalities; index++) {
      const data = benchMunicipality({ index, goals: size.goals });
      const code = `m${String(index + 1).padStart(3, '0')}`;
      municipalities.push({
        index,
        code,
        goals: size.goals,
        goalCount: data.goals.length,
        namespace: `metas-pdm-bench-${tag}-${size.name}${perMunicipality ? `-${code}` : ''}`,
        taskQueue: `metas-pdm-bench${perMunicipality ? `-${code}` : ''}`,
        expected: expectedReviews(data, options.noAnswerShare),
      });
    }
    await mapLimit([...new Set(municipalities.map((m) => m.namespace))], 8, (namespace) => registerNamespace(admin.connection as Connection, namespace));
    const common = { temporal, window: options.window, windowMs, reminders: options.reminders, pollMs, workflowBundleFile: options.workflowBundleFile };

    const profileFile = (side: string) => (options.profileDir ? path.resolve(options.profileDir, `${size.name}-${side}.cpuprofile`) : undefined);
    const floorRun = await runSide(phase, 'floor', {
      ...common,
      profileFile: profileFile('floor'),
      side: 'floor',
      municipalities: municipalities.map((m) => ({ ...m, taskQueue: m.taskQueue.replace('metas-pdm-bench', 'metas-pdm-bench-floor') })),
    });

    const databases = options.databaseUrl ? await createDatabases(options.databaseUrl, municipalities.map((m) => `metas_bench_${tag}_${size.name}_${m.index + 1}`)) : null;
    let oursRun: SideRun;
    try {
      oursRun = await runSide(phase, 'ours', {
        ...common,
        profileFile: profileFile('ours'),
        side: 'ours',
        maxConcurrentActivities: options.maxConcurrentActivities,
        municipalities: municipalities.map((m, i) =>
          databases ? { ...m, databaseUrl: databases.urls[i] } : { ...m, pgliteDir: path.join(workDir, size.name, `m${m.index + 1}`, 'pglite') },
        ),
      });
    } finally {
      await databases?.drop();
      fs.rmSync(path.join(workDir, size.name), { recursive: true, force: true });
    }

    const reviewCount = municipalities.reduce((n, m) => n + m.expected.length, 0);
    phase(`reading ${2 * (reviewCount + municipalities.length)} workflow histories`);
    const clients = new Map(municipalities.map((m) => [m.namespace, new Client({ connection: admin.connection, namespace: m.namespace })]));
    const historiesOf = async (parentIdOf: (m: ChildMunicipality) => string) =>
      mapLimit(
        municipalities.flatMap((m) => [
          { m, id: parentIdOf(m), review: null as ExpectedReview | null },
          ...m.expected.map((review) => ({ m, id: `${parentIdOf(m)}-${review.departmentCode}`, review })),
        ]),
        8,
        async ({ m, id, review }) => ({ m, review, stats: await fetchHistoryStats(clients.get(m.namespace) as Client, id) }),
      );
    const oursHistories = await historiesOf((m) => cycleWorkflowId(BENCH_FISCAL_YEAR, BENCH_QUARTER, m.code));
    const floorHistories = await historiesOf((m) => floorCycleId(m.code));

    const shapeProblems = checkShape(municipalities, oursRun.result, floorRun.result);
    const ours = figures(oursRun, oursHistories);
    const floor = figures(floorRun, floorHistories);
    const result: SizeResult = {
      size: size.name,
      municipalities: size.municipalities,
      goalsPerMunicipality: municipalities.map((m) => m.goalCount),
      flaggedGoals: municipalities.reduce((n, m) => n + m.expected.reduce((k, r) => k + r.flaggedGoals, 0), 0),
      reviewsPerCycle: municipalities.map((m) => m.expected.length),
      shapeMatches: shapeProblems.length === 0,
      shapeProblems,
      ours,
      floor,
      ratios: {
        wallSeconds: ratio(ours.wallSeconds, floor.wallSeconds),
        reviewsDoneSeconds: ratio(ours.reviewsDoneSeconds, floor.reviewsDoneSeconds),
        workflowsPerSecond: ratio(ours.workflowsPerSecond, floor.workflowsPerSecond),
        reviewEventsMean: ratio(ours.reviews.eventsMean, floor.reviews.eventsMean),
        reviewBytesMean: ratio(ours.reviews.bytesMean, floor.reviews.bytesMean),
        historyBytesTotal: ratio(ours.historyBytesTotal, floor.historyBytesTotal),
        peakRssMb: ratio(ours.memory.peakMb, floor.memory.peakMb),
        cpuSeconds: ratio(ours.cpuSeconds, floor.cpuSeconds),
        serverCpuSeconds: ours.serverCpuSeconds !== null && floor.serverCpuSeconds !== null ? ratio(ours.serverCpuSeconds, floor.serverCpuSeconds) : null,
        answeredTurnaroundMean: ratio(ours.answeredTurnaroundSeconds.mean, floor.answeredTurnaroundSeconds.mean),
      },
      reviewPoints: oursHistories
        .filter((h) => h.review)
        .map(({ m, review, stats }) => ({
          municipality: m.code,
          namespace: m.namespace,
          departmentCode: review?.departmentCode as string,
          flaggedGoals: review?.flaggedGoals as number,
          silent: review?.silent as boolean,
          events: stats.events,
          bytes: stats.bytes,
          activities: Object.values(stats.activities).reduce((n, a) => n + a.count, 0),
          bytesByEventType: Object.fromEntries(
            Object.entries(stats.byType)
              .sort((a, b) => b[1].bytes - a[1].bytes)
              .slice(0, 6)
              .map(([type, e]) => [type, e.bytes]),
          ),
        })),
    };
    phase(
      `done: wall ${ours.wallSeconds} s vs floor ${floor.wallSeconds} s (×${result.ratios.wallSeconds}), ` +
        `review history ${ours.reviews.eventsMean} events / ${kb(ours.reviews.bytesMean)} KB mean, peak RSS ${ours.memory.peakMb} MB vs ${floor.memory.peakMb} MB` +
        (ours.clientCalls.late ? `; ${ours.clientCalls.late} liaison(s) found their deadline already passed` : '') +
        (result.shapeMatches ? '' : ` — SHAPE MISMATCH: ${shapeProblems.slice(0, 3).join('; ')}`),
    );
    return result;
  }

  async function runSide(phase: (m: string) => void, side: 'ours' | 'floor', setup: ChildSetup): Promise<SideRun> {
    const what = side === 'ours' ? 'ours' : 'floor';
    phase(`${what}: starting the worker process (${workerGroups(setup.municipalities).length} worker(s) for ${setup.municipalities.length} municipalit${setup.municipalities.length === 1 ? 'y' : 'ies'}${side === 'ours' ? ', databases loaded with the plans' : ''})`);
    const child = new ChildWorker(side);
    try {
      const ready = await child.request({ type: 'setup', setup }, 'ready', 15 * 60_000);
      const setupSeconds = round((ready.type === 'ready' ? ready.setupMs : 0) / 1000, 1);
      phase(`${what}: ready in ${setupSeconds} s; running ${setup.municipalities.length} cycle(s)`);
      const cpuBefore = server ? processCpuSeconds(server.pid) : null;
      let last = Date.now();
      child.onProgress = (p) => {
        if (Date.now() - last < 15_000) return;
        last = Date.now();
        phase(`${what}: … ${p.cyclesDone}/${p.cyclesTotal} cycles finished, ${p.answered} reviews answered`);
      };
      const done = await child.request({ type: 'run' }, 'done', 30 * 60_000);
      const cpuAfter = server ? processCpuSeconds(server.pid) : null;
      if (done.type !== 'done') throw new Error('unexpected message');
      phase(`${what}: all cycles finished in ${round(done.result.wallMs / 1000, 1)} s`);
      await child.shutdown();
      return {
        result: done.result,
        warnings: child.warnings,
        setupSeconds,
        serverCpuSeconds: cpuBefore !== null && cpuAfter !== null ? round(cpuAfter - cpuBefore, 2) : null,
        windowMs,
      };
    } catch (error) {
      child.kill();
      throw error;
    }
  }
}

export interface SideRun {
  result: ChildRunResult;
  warnings: SdkWarnings;
  setupSeconds: number;
  serverCpuSeconds: number | null;
  windowMs: number;
}

export type HistoryEntry = { m: ChildMunicipality; review: ExpectedReview | null; stats: HistoryStats };

export function figures(run: SideRun, histories: HistoryEntry[]): SideFigures {
  const { result } = run;
  const reviews = histories.filter((h) => h.review);
  const parents = histories.filter((h) => !h.review);
  const byType: Record<string, { count: number; bytes: number }> = {};
  const activities: Record<string, { count: number; scheduleToStartMs: number; startToCloseMs: number; inputBytes: number; resultBytes: number }> = {};
  let workflowTaskCount = 0;
  let workflowTaskMs = 0;
  for (const { stats } of histories) {
    for (const [type, e] of Object.entries(stats.byType)) {
      const entry = (byType[type] ??= { count: 0, bytes: 0 });
      entry.count += e.count;
      entry.bytes += e.bytes;
    }
    for (const [type, a] of Object.entries(stats.activities)) {
      const entry = (activities[type] ??= { count: 0, scheduleToStartMs: 0, startToCloseMs: 0, inputBytes: 0, resultBytes: 0 });
      entry.count += a.count;
      entry.scheduleToStartMs += a.scheduleToStartMs;
      entry.startToCloseMs += a.startToCloseMs;
      entry.inputBytes += a.inputBytes;
      entry.resultBytes += a.resultBytes;
    }
    workflowTaskCount += stats.workflowTasks.count;
    workflowTaskMs += stats.workflowTasks.scheduleToCloseMs;
  }
  const activityTotal = Object.values(activities).reduce((n, a) => n + a.count, 0);
  const wallSeconds = round(result.wallMs / 1000, 2);
  const events = reviews.map((h) => h.stats.events);
  const bytes = reviews.map((h) => h.stats.bytes);
  const lastReviewClose = max(reviews.map((h) => h.stats.closeMs));
  const outcomes = result.cycles.flatMap((c) => Object.values(c.outcomes));
  return {
    wallSeconds,
    reviewsDoneSeconds: round((lastReviewClose - result.startedAtMs) / 1000, 2),
    workflows: histories.length,
    workflowsPerSecond: round(histories.length / (result.wallMs / 1000), 2),
    reviews: {
      count: reviews.length,
      answered: outcomes.filter((o) => o !== 'noAdjustment' && o !== 'timedOut').length,
      timedOut: outcomes.filter((o) => o === 'noAdjustment' || o === 'timedOut').length,
      eventsMean: round(mean(events), 1),
      eventsMax: max(events),
      bytesMean: Math.round(mean(bytes)),
      bytesMax: max(bytes),
    },
    parents: {
      eventsMean: round(mean(parents.map((h) => h.stats.events)), 1),
      eventsMax: max(parents.map((h) => h.stats.events)),
      bytesMean: Math.round(mean(parents.map((h) => h.stats.bytes))),
      bytesMax: max(parents.map((h) => h.stats.bytes)),
    },
    historyBytesTotal: histories.reduce((n, h) => n + h.stats.bytes, 0),
    historyEventsTotal: histories.reduce((n, h) => n + h.stats.events, 0),
    activities: {
      total: activityTotal,
      perReview: reviews.length ? round(reviews.reduce((n, h) => n + Object.values(h.stats.activities).reduce((k, a) => k + a.count, 0), 0) / reviews.length, 1) : 0,
      byType: Object.fromEntries(
        Object.entries(activities)
          .sort((a, b) => b[1].startToCloseMs - a[1].startToCloseMs)
          .map(([type, a]) => [
            type,
            {
              count: a.count,
              meanScheduleToStartMs: Math.round(a.scheduleToStartMs / a.count),
              meanStartToCloseMs: Math.round(a.startToCloseMs / a.count),
              totalStartToCloseSeconds: round(a.startToCloseMs / 1000, 1),
              meanInputBytes: Math.round(a.inputBytes / a.count),
              meanResultBytes: Math.round(a.resultBytes / a.count),
            },
          ]),
      ),
    },
    workflowTasks: { total: workflowTaskCount, meanScheduleToCloseMs: workflowTaskCount ? Math.round(workflowTaskMs / workflowTaskCount) : 0 },
    historyBytesByEventType: Object.entries(byType)
      .map(([type, e]) => ({ type, ...e }))
      .sort((a, b) => b.bytes - a.bytes),
    answeredTurnaroundSeconds: { mean: round(mean(result.answeredMs) / 1000, 2), max: round(max(result.answeredMs) / 1000, 2) },
    memory: result.memory,
    cpuSeconds: round((result.cpuMs.user + result.cpuMs.system) / 1000, 2),
    serverCpuSeconds: run.serverCpuSeconds,
    rows: result.rows,
    clientCalls: result.clientCalls,
    sdkWarnings: run.warnings,
    profile: result.profile,
    setupSeconds: run.setupSeconds,
  };
}

/** Our cycles must have run exactly the reviews the floor was given, the silent ones on their deadline. */
export function checkShape(municipalities: ChildMunicipality[], ours: ChildRunResult, floor: ChildRunResult): string[] {
  const problems: string[] = [];
  municipalities.forEach((m, i) => {
    const expected = Object.fromEntries(m.expected.map((r) => [r.departmentCode, r.silent]));
    const check = (side: string, outcomes: Record<string, string> | undefined, timedOut: string) => {
      const got = Object.keys(outcomes ?? {}).sort();
      const want = Object.keys(expected).sort();
      if (got.join() !== want.join()) problems.push(`${side} ${m.code}: reviews ${got.join(',')} instead of ${want.join(',')}`);
      // A speaking liaison may still miss the deadline when the system is slow (counted as late).
      for (const [code, outcome] of Object.entries(outcomes ?? {})) {
        if (expected[code] && outcome !== timedOut) problems.push(`${side} ${m.code} ${code}: a silent review ended ${outcome}`);
      }
    };
    check('ours', ours.cycles[i]?.outcomes, 'noAdjustment');
    check('floor', floor.cycles[i]?.outcomes, 'timedOut');
  });
  return problems;
}
