import { type ChildRunResult, type RowCounts, type TemporalSettings } from './protocol';

/** What a benchmark run is asked and what it reports: sizes, options, figures per side and size, targets. */

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
  /** The product's workflow bundle already built (a file with its code, e.g. the test run's); otherwise each run bundles it. */
  workflowBundleFile?: string;
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


export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
export const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
export const max = (xs: number[]) => (xs.length ? Math.max(...xs) : 0);
export const ratio = (a: number, b: number) => (b > 0 ? round(a / b, 2) : 0);

export const kb = (bytes: number) => round(bytes / 1024, 1);

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
