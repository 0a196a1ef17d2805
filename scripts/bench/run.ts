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
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Client, Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { Client as PgClient } from 'pg';
import { parseResponseWindow } from '../../domain/responseWindow';
import { resolveTemporalCli } from '../../temporal/cli';
import { connectClient } from '../../temporal/connection';
import { findFreePort, startDevServer, type DevServer } from '../../temporal/devServer';
import { cycleWorkflowId } from '../../workflows/messages';
import { searchAttributeTypes } from '../../workflows/searchAttributes';
import { fetchHistoryStats, mapLimit, type HistoryStats } from './histories';
import { benchMunicipality, BENCH_FISCAL_YEAR, BENCH_QUARTER, expectedReviews, floorCycleId, type ExpectedReview } from './municipalities';
import { workerGroups, type ChildMessage, type ChildMunicipality, type ChildRunResult, type ChildSetup, type ParentMessage, type RowCounts, type TemporalSettings } from './protocol';

export interface BenchSize {
  name: string;
  municipalities: number;
  /** Goals per municipality; null = the demo generator's own (~300: 294–306 by seed). */
  goals: number | null;
}

/** `--sizes` names. `max` (30 × ~300) is what this 2-CPU, 24 GB machine finishes in about 6 minutes (and ~10 GB). */
export const SIZES: Record<string, BenchSize> = {
  tiny: { name: 'tiny', municipalities: 1, goals: 20 },
  small: { name: 'small', municipalities: 1, goals: null },
  large: { name: 'large', municipalities: 1, goals: 2000 },
  many: { name: 'many', municipalities: 20, goals: null },
  max: { name: 'max', municipalities: 30, goals: null },
};
export const DEFAULT_SIZES = ['small', 'large', 'many', 'max'];

export interface BenchOptions {
  sizes: BenchSize[];
  /** Share of department reviews whose liaison never answers (their reviews end on the deadline). */
  noAnswerShare: number;
  /** Response window in the product's form ("20s"). */
  window: string;
  /** Reminders before the deadline in the product's form ("10s"; "" for none). */
  reminders: string;
  /** How often scripted liaisons look for their alert / review. */
  pollMs?: number;
  /** An existing Temporal cluster (TEMPORAL_ADDRESS); otherwise a dev server is started and stopped. */
  temporal?: TemporalSettings;
  /** PostgreSQL URL allowed to CREATE DATABASE (DATABASE_URL); otherwise PGlite folders. */
  databaseUrl?: string;
  /** Each municipality in its own namespace with its own worker, instead of one shared by all. */
  namespacePerMunicipality?: boolean;
  /** Activities our worker runs at once (regular and local, each); the SDK's default (100) when absent. */
  maxConcurrentActivities?: number;
  /** Keep the work folder (PGlite data, dev server database and log). */
  keepWorkDir?: boolean;
  /** Profile each worker process's main thread during its run; .cpuprofile files go here. */
  profileDir?: string;
  log?: (line: string) => void;
}

export interface SideFigures {
  wallSeconds: number;
  /** Time from the start until the last department review closed (from the histories). */
  reviewsDoneSeconds: number;
  workflows: number;
  workflowsPerSecond: number;
  reviews: {
    count: number;
    answered: number;
    timedOut: number;
    eventsMean: number;
    eventsMax: number;
    bytesMean: number;
    bytesMax: number;
  };
  /** The cycles' own (parent) histories, mean and max. */
  parents: { eventsMean: number; eventsMax: number; bytesMean: number; bytesMax: number };
  historyBytesTotal: number;
  historyEventsTotal: number;
  activities: { total: number; perReview: number; byType: Record<string, ActivityFigures> };
  workflowTasks: { total: number; meanScheduleToCloseMs: number };
  /** Where the history bytes are, by event type (all histories of the side), largest first. */
  historyBytesByEventType: { type: string; count: number; bytes: number }[];
  /** From the start until an answered review's liaison (ours: and coordinator) got their answer. */
  answeredTurnaroundSeconds: { mean: number; max: number };
  memory: ChildRunResult['memory'];
  cpuSeconds: number;
  /** CPU used by the Temporal dev server during the run (null on an external cluster). */
  serverCpuSeconds: number | null;
  rows: RowCounts | null;
  clientCalls: ChildRunResult['clientCalls'];
  sdkWarnings: SdkWarnings;
  /** Main-thread CPU profile of the worker process during the run (--profile). */
  profile: ChildRunResult['profile'];
  setupSeconds: number;
}

export interface ActivityFigures {
  count: number;
  meanScheduleToStartMs: number;
  meanStartToCloseMs: number;
  totalStartToCloseSeconds: number;
  meanInputBytes: number;
  meanResultBytes: number;
}

export interface ReviewPoint {
  /** The municipality's code (m001…). */
  municipality: string;
  namespace: string;
  departmentCode: string;
  flaggedGoals: number;
  silent: boolean;
  events: number;
  bytes: number;
  activities: number;
  /** The event types holding most of this review's history bytes. */
  bytesByEventType: Record<string, number>;
}

export interface SizeResult {
  size: string;
  municipalities: number;
  goalsPerMunicipality: number[];
  flaggedGoals: number;
  reviewsPerCycle: number[];
  /** Our cycles started exactly the reviews the floor was given, with the silent ones timed out. */
  shapeMatches: boolean;
  shapeProblems: string[];
  ours: SideFigures;
  floor: SideFigures;
  /** ours ÷ floor. */
  ratios: {
    wallSeconds: number;
    reviewsDoneSeconds: number;
    workflowsPerSecond: number;
    reviewEventsMean: number;
    reviewBytesMean: number;
    historyBytesTotal: number;
    peakRssMb: number;
    cpuSeconds: number;
    serverCpuSeconds: number | null;
    answeredTurnaroundMean: number;
  };
  reviewPoints: ReviewPoint[];
}

export interface BenchResult {
  startedAt: string;
  finishedAt: string;
  machine: { cpus: number; memoryGb: number; node: string; platform: string; loadAverageAtStart: number[] };
  temporal: { address: string; devServer: boolean };
  database: 'pglite' | 'postgres';
  options: {
    sizes: string[];
    noAnswerShare: number;
    window: string;
    reminders: string;
    pollMs: number;
    namespacePerMunicipality: boolean;
    maxConcurrentActivities: number | null;
  };
  sizes: SizeResult[];
  /** Sizes that did not finish, with why. */
  failedSizes: { size: string; municipalities: number; error: string }[];
  targets: Targets;
}

export interface Targets {
  wallRatio: { target: number; bySize: Record<string, number>; met: boolean };
  reviewHistoryAt40Goals: {
    targetEvents: number;
    targetBytes: number;
    /** Least-squares fit over the answered reviews of our side (the larger path) in sizes without late answers, at 40. */
    fitted: { events: number; bytes: number } | null;
    /** The answered review whose flagged-goal count is closest to 40. */
    nearest: ReviewPoint | null;
    met: boolean | null;
  };
  memory: {
    /** Peak RSS of our worker process by concurrent cycles (municipalities). */
    peakRssMbByCycles: Record<string, number>;
    /** The same less what opening and loading the databases added (PGlite lives in the process). */
    workerRssMbByCycles: Record<string, number>;
    /** log(peak_n / peak_1) / log(n); below 1 also for linear growth over a fixed base, so see the marginals. */
    growthExponent: number | null;
    workerGrowthExponent: number | null;
    /** MB each further concurrent cycle added, between consecutive measured counts. */
    marginalMbPerCycle: { from: number; to: number; mbPerCycle: number }[];
    workerMarginalMbPerCycle: { from: number; to: number; mbPerCycle: number }[];
    floorPeakRssMbByCycles: Record<string, number>;
    floorMarginalMbPerCycle: { from: number; to: number; mbPerCycle: number }[];
    met: boolean | null;
  };
}

const projectRoot = path.resolve(__dirname, '..', '..');
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const max = (xs: number[]) => (xs.length ? Math.max(...xs) : 0);
const ratio = (a: number, b: number) => (b > 0 ? round(a / b, 2) : 0);

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
    const common = { temporal, window: options.window, windowMs, reminders: options.reminders, pollMs };

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

interface SideRun {
  result: ChildRunResult;
  warnings: SdkWarnings;
  setupSeconds: number;
  serverCpuSeconds: number | null;
  windowMs: number;
}

type HistoryEntry = { m: ChildMunicipality; review: ExpectedReview | null; stats: HistoryStats };

function figures(run: SideRun, histories: HistoryEntry[]): SideFigures {
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
function checkShape(municipalities: ChildMunicipality[], ours: ChildRunResult, floor: ChildRunResult): string[] {
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

export function targetsOf(sizes: SizeResult[]): Targets {
  const wallBySize = Object.fromEntries(sizes.map((s) => [s.size, s.ratios.wallSeconds]));
  // A review's history depends on its path, and an overloaded run changes the path (reminders
  // fire, tasks are retried): the fit uses the answered reviews of sizes where no liaison was late.
  const calm = sizes.filter((s) => s.ours.clientCalls.late === 0);
  const answered = (calm.length ? calm : sizes).flatMap((s) => s.reviewPoints.filter((p) => !p.silent));
  const fitAt = (ys: number[], xs: number[], x: number) => {
    const n = xs.length;
    const mx = mean(xs);
    const my = mean(ys);
    const sxx = xs.reduce((a, xi) => a + (xi - mx) ** 2, 0);
    if (n < 2 || sxx === 0) return null;
    const slope = xs.reduce((a, xi, i) => a + (xi - mx) * ((ys[i] as number) - my), 0) / sxx;
    return my + slope * (x - mx);
  };
  const xs = answered.map((p) => p.flaggedGoals);
  const fittedEvents = fitAt(answered.map((p) => p.events), xs, 40);
  const fittedBytes = fitAt(answered.map((p) => p.bytes), xs, 40);
  const nearest = [...answered].sort((a, b) => Math.abs(a.flaggedGoals - 40) - Math.abs(b.flaggedGoals - 40))[0] ?? null;
  const fitted = fittedEvents !== null && fittedBytes !== null ? { events: Math.round(fittedEvents), bytes: Math.round(fittedBytes) } : null;
  const reference = fitted ?? (nearest ? { events: nearest.events, bytes: nearest.bytes } : null);

  const byCycles = (pick: (s: SizeResult) => number) => {
    const out: Record<string, number> = {};
    for (const s of sizes) if (s.goalsPerMunicipality.every((g) => g < 1000)) out[String(s.municipalities)] = Math.max(out[String(s.municipalities)] ?? 0, pick(s));
    return out;
  };
  /** MB per added concurrent cycle between consecutive measured counts (1→20, 20→30). */
  const marginal = (values: Record<string, number>) => {
    const counts = Object.keys(values).map(Number).sort((a, b) => a - b);
    return counts.slice(1).map((to, i) => {
      const from = counts[i] as number;
      return { from, to, mbPerCycle: Math.round(((values[String(to)] as number) - (values[String(from)] as number)) / (to - from)) };
    });
  };
  const peak = byCycles((s) => s.ours.memory.peakMb);
  const worker = byCycles((s) => s.ours.memory.peakWithoutDatabasesMb);
  const exponent = (values: Record<string, number>) => {
    const one = values['1'];
    const most = Object.keys(values).map(Number).filter((n) => n > 1).sort((a, b) => b - a)[0];
    if (!one || !most) return null;
    return round(Math.log((values[String(most)] as number) / one) / Math.log(most), 2);
  };
  const steps = marginal(peak);
  // Less than linear: each further cycle costs clearly less than the earlier ones did (a fixed base
  // alone does not count: a total of base + k·n has an exponent below 1 and is still linear).
  const first = steps[0]?.mbPerCycle;
  const last = steps.at(-1)?.mbPerCycle;
  return {
    wallRatio: { target: 1.5, bySize: wallBySize, met: sizes.every((s) => s.ratios.wallSeconds <= 1.5) },
    reviewHistoryAt40Goals: {
      targetEvents: 200,
      targetBytes: 256 * 1024,
      fitted,
      nearest,
      met: reference ? reference.events < 200 && reference.bytes < 256 * 1024 : null,
    },
    memory: {
      peakRssMbByCycles: peak,
      workerRssMbByCycles: worker,
      growthExponent: exponent(peak),
      workerGrowthExponent: exponent(worker),
      marginalMbPerCycle: steps,
      workerMarginalMbPerCycle: marginal(worker),
      floorPeakRssMbByCycles: byCycles((s) => s.floor.memory.peakMb),
      floorMarginalMbPerCycle: marginal(byCycles((s) => s.floor.memory.peakMb)),
      met: steps.length < 2 || first === undefined || last === undefined ? null : last < 0.5 * first,
    },
  };
}

export const kb = (bytes: number) => round(bytes / 1024, 1);

async function registerNamespace(connection: Connection, namespace: string) {
  await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
  const searchAttributes = { FiscalYear: 3, Quarter: 3, DepartmentCode: 2, ReviewStatus: 2 } satisfies Record<keyof typeof searchAttributeTypes, number>;
  // A new namespace takes a moment to reach every frontend of a real cluster.
  for (let attempt = 0; ; attempt++) {
    try {
      await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
      await connection.workflowService.describeNamespace({ namespace });
      return;
    } catch (error) {
      if (attempt >= 60) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function createDatabases(adminUrl: string, names: string[]): Promise<{ urls: string[]; drop(): Promise<void> }> {
  const admin = new PgClient({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (const name of names) await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    urls: names.map((name) => {
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    }),
    async drop() {
      const again = new PgClient({ connectionString: adminUrl });
      await again.connect();
      try {
        for (const name of names) await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await again.end();
      }
    },
  };
}

/** utime + stime of a process, in seconds (Linux /proc; null elsewhere). */
function processCpuSeconds(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** What the Temporal SDK's core warned about in a worker process (it logs to stderr). */
export interface SdkWarnings {
  /** TMPRL1103: a payload over the SDK's 512 KB warning limit. */
  payloadsOverWarningLimit: { count: number; maxBytes: number };
  /** TMPRL1104: a workflow task that took over 5 s in the worker. */
  slowWorkflowTasks: { count: number; maxMs: number; byWorkflowType: Record<string, number> };
  /** Workflow tasks that timed out on the server before the worker completed them ("Task not found when completing"). */
  workflowTasksLost: number;
  /** Workflow tasks the worker failed, e.g. an activation over the SDK's 5 s isolate execution timeout on a starved CPU. */
  workflowTasksFailed: { count: number; reasons: Record<string, number> };
}

const emptyWarnings = (): SdkWarnings => ({
  payloadsOverWarningLimit: { count: 0, maxBytes: 0 },
  slowWorkflowTasks: { count: 0, maxMs: 0, byWorkflowType: {} },
  workflowTasksLost: 0,
  workflowTasksFailed: { count: 0, reasons: {} },
});

/** One child process of the benchmark (ours or the floor), spoken to over IPC. */
class ChildWorker {
  private readonly child: ChildProcess;
  private waiting: { type: string; resolve: (m: ChildMessage) => void; reject: (e: Error) => void } | null = null;
  private exited = false;
  onProgress: (p: Extract<ChildMessage, { type: 'progress' }>) => void = () => undefined;
  readonly warnings = emptyWarnings();

  constructor(side: 'ours' | 'floor') {
    this.child = fork(path.join(__dirname, side === 'ours' ? 'oursProcess.ts' : 'floorProcess.ts'), [], {
      cwd: projectRoot,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    // The SDK core logs its warnings on stdout or stderr: counted here, everything else passed on.
    const onLine = (raw: string) => {
      // eslint-disable-next-line no-control-regex
      const line = raw.replace(/\x1b\[[0-9;]*m/g, '');
      const field = (name: string) => new RegExp(`${name}=(\\S+)`).exec(line)?.[1];
      if (line.includes('TMPRL1103')) {
        this.warnings.payloadsOverWarningLimit.count += 1;
        this.warnings.payloadsOverWarningLimit.maxBytes = Math.max(this.warnings.payloadsOverWarningLimit.maxBytes, Number(field('size') ?? 0));
      } else if (line.includes('TMPRL1104')) {
        const slow = this.warnings.slowWorkflowTasks;
        const type = field('workflow_type') ?? 'unknown';
        slow.count += 1;
        slow.maxMs = Math.max(slow.maxMs, Number(field('workflow_task_duration') ?? 0));
        slow.byWorkflowType[type] = (slow.byWorkflowType[type] ?? 0) + 1;
      } else if (line.includes('Task not found when completing')) {
        this.warnings.workflowTasksLost += 1;
      } else if (line.includes('Failing workflow task')) {
        const reason = (/message: "([^"]*)"/.exec(line)?.[1] ?? 'unknown').replace(/\d+/g, 'N');
        this.warnings.workflowTasksFailed.count += 1;
        this.warnings.workflowTasksFailed.reasons[reason] = (this.warnings.workflowTasksFailed.reasons[reason] ?? 0) + 1;
      } else if (!line.includes('No activities registered')) {
        process.stderr.write(`[${side}] ${raw}\n`);
      }
    };
    createInterface({ input: this.child.stdout as NodeJS.ReadableStream }).on('line', onLine);
    createInterface({ input: this.child.stderr as NodeJS.ReadableStream }).on('line', onLine);
    this.child.on('message', (message: ChildMessage) => {
      if (message.type === 'progress') return this.onProgress(message);
      const waiting = this.waiting;
      if (!waiting) return;
      this.waiting = null;
      if (message.type === 'error') waiting.reject(new Error(`${side} worker process: ${message.message}`));
      else waiting.resolve(message);
    });
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      const waiting = this.waiting;
      this.waiting = null;
      waiting?.reject(new Error(`${side} worker process exited (${signal ?? code}) before answering`));
    });
  }

  request(message: ParentMessage, expect: ChildMessage['type'], timeoutMs: number): Promise<ChildMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no '${expect}' from the worker process within ${timeoutMs / 1000} s`)), timeoutMs);
      this.waiting = {
        type: expect,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.child.send(message);
    });
  }

  async shutdown(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'shutdown' } satisfies ParentMessage);
    const timer = setTimeout(() => this.kill(), 30_000);
    await exited;
    clearTimeout(timer);
  }

  kill() {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}
