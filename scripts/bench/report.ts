import fs from 'node:fs';
import path from 'node:path';
import { kb, type BenchResult, type SideFigures, type SizeResult } from './results';

const fmt = (n: number | null | undefined, digits = 1) =>
  n === null || n === undefined ? '–' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
const x = (n: number | null) => (n === null || n === 0 ? '–' : `×${fmt(n, 2)}`);

export function sizeLabel(s: SizeResult): string {
  const goals = s.goalsPerMunicipality;
  const total = goals.reduce((a, b) => a + b, 0);
  const per = goals.length === 1 ? fmt(goals[0], 0) : `${fmt(Math.min(...goals), 0)}–${fmt(Math.max(...goals), 0)}`;
  return `${s.size}: ${s.municipalities} × ${per} goals${s.municipalities > 1 ? ` (${fmt(total, 0)})` : ''}`;
}

function sideRow(label: string, side: string, f: SideFigures): string {
  const rows = f.rows ? fmt(f.rows.inserted + f.rows.updated + f.rows.deleted, 0) : '0';
  return (
    `| ${label} | ${side} | ${fmt(f.wallSeconds)} | ${fmt(f.reviewsDoneSeconds)} | ${fmt(f.workflowsPerSecond, 2)} | ` +
    `${fmt(f.reviews.eventsMean)} (${fmt(f.reviews.eventsMax, 0)}) | ${fmt(kb(f.reviews.bytesMean))} (${fmt(kb(f.reviews.bytesMax))}) | ` +
    `${fmt(f.activities.total, 0)} | ${fmt(f.memory.peakMb, 0)} | ${fmt(f.cpuSeconds)} | ${fmt(f.serverCpuSeconds)} | ${rows} |`
  );
}

/** The Markdown report: the figures per size, the targets, and what dominates our side's cost. */
export function markdownReport(r: BenchResult): string {
  const lines: string[] = [];
  const steps = (list: { from: number; to: number; mbPerCycle: number }[]) =>
    list.length ? list.map((m) => `+${fmt(m.mbPerCycle, 0)} MB per added cycle ${m.from}→${m.to}`).join(', ') : 'one count only';
  lines.push(
    `Cycle benchmark ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC — ${r.machine.cpus} CPUs, ${r.machine.memoryGb} GB, Node ${r.machine.node}, ` +
      `${r.temporal.devServer ? 'Temporal dev server (SQLite)' : `Temporal at ${r.temporal.address}`}, ${r.database === 'postgres' ? 'PostgreSQL' : 'PGlite'}, ` +
      `${r.options.namespacePerMunicipality ? 'a namespace and worker per municipality' : 'one namespace and worker for all municipalities'}` +
      `${r.options.maxConcurrentActivities ? ` running at most ${r.options.maxConcurrentActivities} activities at once` : ''}; ` +
      `window ${r.options.window}, reminders ${r.options.reminders || 'none'}, ${Math.round(r.options.noAnswerShare * 100)} % of liaisons never answer; ` +
      `load average at start ${r.machine.loadAverageAtStart.join(' ')}.`,
    '',
    '| Size | Side | Wall s | Reviews done s | Workflows/s | Events/review mean (max) | KB/review mean (max) | Activities | Peak RSS MB | Worker CPU s | Server CPU s | DB rows written |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const s of r.sizes) {
    const label = sizeLabel(s);
    lines.push(sideRow(label, 'ours', s.ours), sideRow('', 'floor', s.floor));
    const q = s.ratios;
    lines.push(
      `| | **ours ÷ floor** | **${x(q.wallSeconds)}** | ${x(q.reviewsDoneSeconds)} | ${x(q.workflowsPerSecond)} | ${x(q.reviewEventsMean)} | ${x(q.reviewBytesMean)} | – | ${x(q.peakRssMb)} | ${x(q.cpuSeconds)} | ${x(q.serverCpuSeconds)} | – |`,
    );
  }
  const notes = r.sizes.flatMap((s) => {
    const o = s.ours;
    const w = o.sdkWarnings;
    const parts = [
      o.clientCalls.late ? `${o.clientCalls.late} of ${o.clientCalls.late + o.reviews.answered} speaking liaisons found their deadline already passed (their alert came too late)` : '',
      s.floor.clientCalls.late ? `floor: ${s.floor.clientCalls.late} late answers` : '',
      w.payloadsOverWarningLimit.count ? `${w.payloadsOverWarningLimit.count} payloads over the SDK's 512 KB warning limit (largest ${fmt(kb(w.payloadsOverWarningLimit.maxBytes))} KB)` : '',
      w.slowWorkflowTasks.count
        ? `${w.slowWorkflowTasks.count} workflow tasks over 5 s in the worker (longest ${fmt(w.slowWorkflowTasks.maxMs / 1000)} s; ${Object.entries(w.slowWorkflowTasks.byWorkflowType).map(([k, v]) => `${k} ${v}`).join(', ')})`
        : '',
      w.workflowTasksLost ? `${w.workflowTasksLost} workflow tasks timed out on the server and were retried` : '',
      w.workflowTasksFailed.count
        ? `${w.workflowTasksFailed.count} workflow tasks failed in the worker and were retried (${Object.entries(w.workflowTasksFailed.reasons).map(([k, v]) => `${k}: ${v}`).join('; ')})`
        : '',
      o.clientCalls.retries ? `the scripted liaisons/coordinator had to retry ${o.clientCalls.retries} time(s) after a failed update` : '',
      s.shapeMatches ? '' : `shape mismatch: ${s.shapeProblems.slice(0, 3).join('; ')}`,
    ].filter(Boolean);
    return parts.length ? [`- ${s.size}: ${parts.join('; ')}.`] : [];
  });
  for (const f of r.failedSizes) notes.push(`- ${f.size} (${f.municipalities} municipalities) FAILED: ${f.error.split('\n')[0]}`);
  if (notes.length) lines.push('', ...notes);

  const t = r.targets;
  const h = t.reviewHistoryAt40Goals;
  const yes = (met: boolean | null) => (met === null ? 'n/a' : met ? 'yes' : '**no**');
  const memory = (values: Record<string, number>) =>
    Object.entries(values)
      .sort((a, b) => Number(a[0]) - Number(b[0]))
      .map(([n, v]) => `${n}: ${fmt(v, 0)}`)
      .join(', ');
  lines.push(
    '',
    '| Target | Measured | Met |',
    '| --- | --- | --- |',
    `| ours ÷ floor wall time ≤ ${t.wallRatio.target} at every size | ${Object.entries(t.wallRatio.bySize).map(([k, v]) => `${k} ×${fmt(v, 2)}`).join(', ')} | ${yes(t.wallRatio.met)} |`,
    `| department review history < ${h.targetEvents} events and < ${kb(h.targetBytes)} KB at 40 flagged goals | ` +
      `${h.fitted ? `fit over answered reviews: ${h.fitted.events} events, ${fmt(kb(h.fitted.bytes))} KB` : 'no fit'}` +
      `${h.nearest ? `; nearest measured: ${h.nearest.departmentCode} with ${h.nearest.flaggedGoals} goals, ${h.nearest.events} events, ${fmt(kb(h.nearest.bytes))} KB (${Object.entries(h.nearest.bytesByEventType).slice(0, 3).map(([k, v]) => `${k} ${fmt(kb(v))} KB`).join(', ')})` : ''} | ${yes(h.met)} |`,
    `| worker memory grows less than linearly with concurrent cycles | peak RSS MB by cycles ${memory(t.memory.peakRssMbByCycles)}: ${steps(t.memory.marginalMbPerCycle)}; ` +
      // PGlite lives in the worker process; a PostgreSQL server does not, so nothing to take away.
      `${r.database === 'pglite' ? `less the PGlite databases ${memory(t.memory.workerRssMbByCycles)}: ${steps(t.memory.workerMarginalMbPerCycle)}; ` : ''}` +
      `floor ${memory(t.memory.floorPeakRssMbByCycles)}: ${steps(t.memory.floorMarginalMbPerCycle)} | ${yes(t.memory.met)} |`,
  );

  const largest = [...r.sizes].sort((a, b) => b.ours.workflows - a.ours.workflows)[0];
  if (largest) {
    const o = largest.ours;
    const totalBytes = o.historyBytesTotal || 1;
    lines.push(
      '',
      `What our side spends on (${largest.size}): ${fmt(o.activities.perReview)} activities per department review, ${fmt(o.workflowTasks.total / Math.max(o.workflows, 1))} workflow tasks per workflow; ` +
        `history bytes by event type: ${o.historyBytesByEventType
          .slice(0, 5)
          .map((e) => `${e.type} ${Math.round((100 * e.bytes) / totalBytes)} %`)
          .join(', ')}.`,
      '',
      '| Activity | Count | Mean schedule→start ms | Mean run ms | Total run s | Mean input B | Mean result B |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...Object.entries(o.activities.byType)
        .slice(0, 8)
        .map(
          ([name, a]) =>
            `| ${name} | ${fmt(a.count, 0)} | ${fmt(a.meanScheduleToStartMs, 0)} | ${fmt(a.meanStartToCloseMs, 0)} | ${fmt(a.totalStartToCloseSeconds)} | ${fmt(a.meanInputBytes, 0)} | ${fmt(a.meanResultBytes, 0)} |`,
        ),
    );
  }
  for (const s of r.sizes) {
    for (const [side, f] of [['ours', s.ours], ['floor', s.floor]] as const) {
      if (!f.profile) continue;
      lines.push(
        '',
        `CPU profile of the ${side} worker process's main thread (${s.size}): ${fmt(f.profile.busyMs / 1000)} s busy of ${fmt(f.cpuSeconds)} s process CPU ` +
          `(the rest: workflow threads and the SDK core) — ${f.profile.byOwner
            .slice(0, 8)
            .map((o) => `${o.owner} ${fmt(o.percent)} %`)
            .join(', ')}. File: ${f.profile.file}`,
      );
      if (side === 'ours' && f.profile.projectFunctions.length) {
        lines.push(`Project functions (inclusive, at least): ${f.profile.projectFunctions.slice(0, 6).map((p) => `${p.name} ${fmt(p.ms / 1000)} s`).join(', ')}.`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Writes `bench-<time>.json` and `.md` and the same as `latest.*` into `outDir`; returns the paths. */
export function writeReport(r: BenchResult, outDir: string): { json: string; markdown: string } {
  fs.mkdirSync(outDir, { recursive: true });
  const stamp = r.startedAt.replace(/[:.]/g, '-').slice(0, 19);
  const json = path.join(outDir, `bench-${stamp}.json`);
  const markdown = path.join(outDir, `bench-${stamp}.md`);
  const text = markdownReport(r);
  fs.writeFileSync(json, `${JSON.stringify(r, null, 2)}\n`);
  fs.writeFileSync(markdown, text);
  fs.copyFileSync(json, path.join(outDir, 'latest.json'));
  fs.copyFileSync(markdown, path.join(outDir, 'latest.md'));
  return { json, markdown };
}
