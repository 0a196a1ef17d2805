/**
 * What the benchmark's parent process and its two kinds of child process (our app's worker, the
 * floor's worker) say to each other over the IPC channel of `child_process.fork`.
 */
import type { ExpectedReview } from './municipalities';
import { startProfiling, type ProfileSummary } from './profile';

/** Connection settings as the product's temporal/connection.ts takes them. */
export interface TemporalSettings {
  temporalAddress: string;
  TEMPORAL_TLS: boolean;
  TEMPORAL_TLS_CERT_PATH?: string;
  TEMPORAL_TLS_KEY_PATH?: string;
  TEMPORAL_API_KEY?: string;
}

export interface ChildMunicipality {
  index: number;
  /** Prefixes its cycles' workflow IDs and names it to the worker (temporal/municipalities.ts). */
  code: string;
  /** Goals of the generated plan; null = the generator's own (~300). */
  goals: number | null;
  namespace: string;
  taskQueue: string;
  expected: ExpectedReview[];
  /** Ours only: a PostgreSQL database of its own, or else a PGlite folder of its own. */
  databaseUrl?: string;
  pgliteDir?: string;
}

export interface ChildSetup {
  side: 'ours' | 'floor';
  temporal: TemporalSettings;
  municipalities: ChildMunicipality[];
  /** The response window as the product takes it ("20s") and in milliseconds. */
  window: string;
  windowMs: number;
  /** Reminders before the deadline as the product takes them ("10s"; "" for none). */
  reminders: string;
  /** How often a scripted liaison looks for its alert (ours) or for its review to exist (floor). */
  pollMs: number;
  /** Write a CPU profile of the main thread during the run to this .cpuprofile file. */
  profileFile?: string;
  /** Ours: activities each worker runs at once (the SDK's default when absent). */
  maxConcurrentActivities?: number;
  /** Ours: the workflow bundle's code in a file, instead of bundling again. */
  workflowBundleFile?: string;
}

export interface RowCounts {
  inserted: number;
  updated: number;
  deleted: number;
  byTable: Record<string, { inserted: number; updated: number; deleted: number }>;
}

export interface ChildMemory {
  /** RSS once connected with the workflow code bundled, before any database or Temporal worker. */
  baseMb: number;
  /** RSS when everything is set up and idle, just before the cycles start. */
  readyMb: number;
  /** Highest RSS sampled (every 100 ms) while the cycles ran. */
  peakMb: number;
  /** The process's maximum RSS over its whole life (getrusage), setup included. */
  lifetimeMaxMb: number;
  /** RSS right after the databases were opened and loaded, before any Temporal worker existed (ours). */
  afterDatabasesMb: number | null;
  /** Peak less what the databases added (PGlite runs inside the process): the worker's own share. */
  peakWithoutDatabasesMb: number;
}

export interface ChildRunResult {
  /** Epoch ms when the run started (the first workflow was about to start). */
  startedAtMs: number;
  wallMs: number;
  /** When each municipality's cycle (parent workflow) returned, in ms from the start. */
  cycles: { namespace: string; workflowId: string; finishedMs: number; outcomes: Record<string, string> }[];
  /** Each answered review: ms from the start until the liaison's update (ours: and the coordinator's decision) returned. */
  answeredMs: number[];
  /** Liaison polls and update calls, to compare how chatty each side's client is; `late`: answers refused because the deadline had passed. */
  clientCalls: { polls: number; queries: number; updates: number; retries: number; late: number };
  memory: ChildMemory;
  cpuMs: { user: number; system: number };
  /** Ours only. */
  rows: RowCounts | null;
  profile: ProfileSummary | null;
}

export type ParentMessage = { type: 'setup'; setup: ChildSetup } | { type: 'run' } | { type: 'shutdown' };

export type ChildMessage =
  | { type: 'ready'; setupMs: number }
  | { type: 'progress'; cyclesDone: number; cyclesTotal: number; answered: number }
  | { type: 'done'; result: ChildRunResult }
  | { type: 'error'; message: string };

export const mb = (bytes: number) => Math.round((bytes / (1024 * 1024)) * 10) / 10;

/** Samples the process's RSS every 100 ms; `stop` returns the peak (including one last sample). */
export function rssSampler(): { stop(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 100);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}

/**
 * What both sides measure around their run: wall time, CPU, RSS (ready and peak) and, when asked,
 * the main thread's CPU profile.
 */
export async function startMeasuring(profileFile: string | undefined) {
  const startedAtMs = Date.now();
  const cpuBefore = process.cpuUsage();
  const readyMb = mb(process.memoryUsage.rss());
  const profiler = profileFile ? await startProfiling(profileFile) : null;
  const sampler = rssSampler();
  return {
    startedAtMs,
    readyMb,
    async stop() {
      const wallMs = Date.now() - startedAtMs;
      const peakMb = mb(sampler.stop());
      const profile = (await profiler?.stop()) ?? null;
      const cpu = process.cpuUsage(cpuBefore);
      return {
        wallMs,
        peakMb,
        profile,
        lifetimeMaxMb: mb(process.resourceUsage().maxRSS * 1024),
        cpuMs: { user: Math.round(cpu.user / 1000), system: Math.round(cpu.system / 1000) },
      };
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Child side of the protocol: runs the handlers in order and reports failures to the parent. */
export function serveParent(handlers: {
  setup(setup: ChildSetup): Promise<void>;
  run(progress: (p: Extract<ChildMessage, { type: 'progress' }>) => void): Promise<ChildRunResult>;
  shutdown(): Promise<void>;
}) {
  const send = (message: ChildMessage) => process.send?.(message);
  let queue = Promise.resolve();
  const started = Date.now();
  process.on('message', (message: ParentMessage) => {
    queue = queue.then(async () => {
      try {
        if (message.type === 'setup') {
          await handlers.setup(message.setup);
          send({ type: 'ready', setupMs: Date.now() - started });
        } else if (message.type === 'run') {
          send({ type: 'done', result: await handlers.run(send) });
        } else {
          await handlers.shutdown();
          process.disconnect?.();
          process.exit(0);
        }
      } catch (error) {
        send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
        setTimeout(() => process.exit(1), 200);
      }
    });
  });
  // The parent went away (Ctrl-C, crash): do not linger.
  process.on('disconnect', () => setTimeout(() => process.exit(0), 2000).unref());
}

/** The municipalities each worker serves: one worker per namespace and task queue. */
export function workerGroups(municipalities: ChildMunicipality[]): ChildMunicipality[][] {
  const groups = new Map<string, ChildMunicipality[]>();
  for (const m of municipalities) {
    const key = `${m.namespace}\n${m.taskQueue}`;
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  return [...groups.values()];
}
