import fs from 'node:fs';
import path from 'node:path';
import { Session } from 'node:inspector/promises';

/** Where the main thread of a worker process spent its CPU during the run, by package or folder. */
export interface ProfileSummary {
  file: string;
  /** Sampled non-idle time of the main thread (activities, database, client, SDK glue). */
  busyMs: number;
  idleMs: number;
  byOwner: { owner: string; ms: number; percent: number }[];
  /**
   * Inclusive time of the project's own functions (file:function), largest first. Async functions
   * lose their callers across an await, so these undercount: read them as "at least".
   */
  projectFunctions: { name: string; ms: number }[];
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  samples?: number[];
  timeDeltas?: number[];
}

const projectRoot = path.resolve(__dirname, '..', '..');

/** The package (node_modules), project folder, or engine bucket a function belongs to. */
function ownerOf(frame: { functionName: string; url: string }): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === '(garbage collector)') return '(garbage collector)';
    if (functionName === '(idle)') return '(idle)';
    return functionName.startsWith('(') ? functionName : '(native)';
  }
  if (url.startsWith('node:')) return 'node core';
  if (url.startsWith('wasm://')) return 'wasm';
  const file = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
  const modules = file.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = file.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? file);
  }
  if (file.startsWith(projectRoot)) return path.relative(projectRoot, file).split(path.sep)[0] ?? file;
  return file;
}

/** Packages that do one job, reported together. */
const groups: [string, string[]][] = [
  ['PGlite (PostgreSQL in wasm)', ['@electric-sql/pglite', 'wasm']],
  ['PDF (pdfkit, fontkit)', ['pdfkit', 'fontkit', 'restructure', 'linebreak', 'unicode-properties', 'unicode-trie', 'brotli', 'png-js', 'crypto-js', 'dfa', 'tiny-inflate', 'jpeg-exif', '@swc/helpers']],
  ['XLSX (exceljs)', ['exceljs', 'jszip', 'archiver', 'archiver-utils', 'zip-stream', 'compress-commons', 'crc32-stream', 'sax', 'saxes', 'pako', 'readable-stream', 'fast-csv', 'unzipper', 'dayjs', 'uuid', 'tmp']],
  ['Temporal SDK, gRPC, protobuf', ['@temporalio/client', '@temporalio/worker', '@temporalio/common', '@temporalio/proto', '@temporalio/core-bridge', '@temporalio/activity', '@grpc/grpc-js', '@grpc/proto-loader', 'protobufjs', 'long', 'rxjs', 'ms', 'heap-js', 'abort-controller-x', 'nexus-rpc']],
  ['drizzle-orm', ['drizzle-orm']],
  ['zod', ['zod']],
];
const groupOf = new Map(groups.flatMap(([group, owners]) => owners.map((o) => [o, group] as const)));

export function summarizeProfile(profile: CpuProfile, file: string): ProfileSummary {
  const owners = new Map(profile.nodes.map((n) => [n.id, ownerOf(n.callFrame)]));
  const totals = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // timeDeltas[i + 1] is the time until the next sample: the time spent where sample i was taken.
  samples.forEach((id, i) => {
    const raw = owners.get(id) ?? '(unknown)';
    const owner = groupOf.get(raw) ?? raw;
    totals.set(owner, (totals.get(owner) ?? 0) + (deltas[i + 1] ?? 0) / 1000);
  });
  const idleMs = totals.get('(idle)') ?? 0;
  totals.delete('(idle)');
  const busyMs = [...totals.values()].reduce((a, b) => a + b, 0);
  // Inclusive time of project functions: each sample counted once for every project frame above it.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const inclusive = new Map<string, number>();
  samples.forEach((id, i) => {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = frames.get(cur);
      const file = frame?.url.startsWith('file://') ? decodeURIComponent(frame.url.slice('file://'.length)) : (frame?.url ?? '');
      if (!frame || !file.startsWith(projectRoot) || file.includes('/node_modules/')) continue;
      const name = `${path.relative(projectRoot, file)}:${frame.functionName || '(anonymous)'}`;
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + (deltas[i + 1] ?? 0) / 1000);
    }
  });
  return {
    file,
    busyMs: Math.round(busyMs),
    idleMs: Math.round(idleMs),
    byOwner: [...totals.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([owner, ms]) => ({ owner, ms: Math.round(ms), percent: busyMs ? Math.round((1000 * ms) / busyMs) / 10 : 0 })),
    projectFunctions: [...inclusive.entries()]
      .filter(([name]) => !name.endsWith(':(anonymous)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([name, ms]) => ({ name, ms: Math.round(ms) })),
  };
}

/** Samples the main thread with V8's profiler between start() and stop(); stop writes the .cpuprofile. */
export async function startProfiling(file: string): Promise<{ stop(): Promise<ProfileSummary> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 1000 });
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
      session.disconnect();
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify(profile));
      return summarizeProfile(profile, file);
    },
  };
}
