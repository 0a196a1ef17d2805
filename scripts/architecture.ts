/**
 * `npm run architecture`: draws the layers as the code has them. The parts and the arrows that
 * must never exist come from docs/layers.json (which the lint rules read), the arrows drawn from the
 * import graph (scripts/importGraph.ts): every pair of parts one imports from the other, with
 * how many files' imports make it. Writes docs/architecture.dot and docs/architecture.svg, which
 * the README shows; test/architecture.test.ts fails when the committed picture no longer matches
 * the code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { importGraph } from './importGraph';

export type Arrow = [from: string, to: string, why: string];
export interface Layers {
  parts: Record<string, string[]>;
  never: Arrow[];
  pendingNever: Arrow[];
}

/** The parts and the forbidden arrows, as the lint rules read them (eslint.config.mjs). */
export function readLayers(root = path.join(__dirname, '..')): Layers {
  return JSON.parse(fs.readFileSync(path.join(root, 'docs', 'layers.json'), 'utf8')) as Layers;
}

/** Rows of the picture, top to bottom: who may call whom reads downwards. */
const rows = [['Runtime'], ['Server'], ['Auth', 'Services'], ['Activities', 'Reports', 'Imports'], ['Workflows', 'Documents'], ['Machines', 'Db'], ['Domain']];

export function architectureDot(layers: Layers, root: string): string {
  const partOf = (file: string) => Object.entries(layers.parts).find(([, folders]) => folders.some((f) => file.startsWith(`${f}/`)))?.[0];
  const files = new Map<string, number>();
  const arrows = new Map<string, { from: string; to: string; files: Set<string> }>();
  for (const edge of importGraph(root)) {
    const from = partOf(edge.from);
    const to = partOf(edge.to);
    // Every part may use the domain and the scripts may use every part: those arrows would hide the rest.
    if (!from || !to || from === to || to === 'Domain' || from === 'Scripts') continue;
    const key = `${from}->${to}`;
    const arrow = arrows.get(key) ?? { from, to, files: new Set<string>() };
    arrow.files.add(edge.from);
    arrows.set(key, arrow);
  }
  for (const file of listSourceFiles(root)) {
    const part = partOf(file);
    if (part) files.set(part, (files.get(part) ?? 0) + 1);
  }
  const forbidden = new Set([...layers.never, ...layers.pendingNever].map(([from, to]) => `${from}->${to}`));
  const lines = [
    'digraph layers {',
    '  graph [rankdir=TB, fontname="Helvetica", nodesep=0.5, ranksep=0.6, label="Capas de Metas PDM, dibujadas desde el código: cada flecha es un import entre partes (número de archivos que lo hacen); en rojo, uno prohibido.\nTodas las partes usan Domain y scripts/ (arranque, CLI, benchmarks) usa todas: esas flechas no se dibujan.", labelloc=t, fontsize=12];',
    '  node [shape=box, style="rounded,filled", fillcolor="#eef4fa", color="#0b4f8a", fontname="Helvetica", fontsize=11];',
    '  edge [color="#5b6b7b", fontname="Helvetica", fontsize=9, arrowsize=0.7];',
  ];
  for (const row of rows) {
    lines.push(`  { rank=same; ${row.map((p) => `"${p}"`).join('; ')}; }`);
  }
  // Invisible links keep the rows in order where no import does (nothing imports upwards to Domain in the picture).
  for (const [upper, lower] of rows.slice(0, -1).map((row, i) => [row[0], rows[i + 1]?.[0]])) {
    lines.push(`  "${upper}" -> "${lower}" [style=invis];`);
  }
  for (const [part, folders] of Object.entries(layers.parts).filter(([part]) => part !== 'Scripts')) {
    lines.push(`  "${part}" [label="${part}\\n${folders.map((f) => `${f}/`).join(' ')}\\n${files.get(part) ?? 0} archivos"];`);
  }
  for (const arrow of [...arrows.values()].sort((a, b) => `${a.from}${a.to}`.localeCompare(`${b.from}${b.to}`))) {
    const broken = forbidden.has(`${arrow.from}->${arrow.to}`);
    lines.push(`  "${arrow.from}" -> "${arrow.to}" [label="${arrow.files.size}"${broken ? ', color="#c62828", fontcolor="#c62828", penwidth=2' : ''}];`);
  }
  lines.push('}', '');
  return lines.join('\n');
}

function listSourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      if (['node_modules', 'migrations'].includes(entry.name)) continue;
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(rel);
    }
  };
  for (const folder of fs.readdirSync(root)) {
    if (!['test', 'node_modules', 'data', 'docs', '.git'].includes(folder) && fs.statSync(path.join(root, folder)).isDirectory()) walk(folder);
  }
  return out;
}

export async function renderSvg(dot: string): Promise<string> {
  const { instance } = await import('@viz-js/viz');
  return (await instance()).renderString(dot, { format: 'svg' });
}

async function main() {
  const root = path.join(__dirname, '..');
  const dot = architectureDot(readLayers(root), root);
  const docs = path.join(root, 'docs');
  fs.mkdirSync(docs, { recursive: true });
  fs.writeFileSync(path.join(docs, 'architecture.dot'), dot);
  fs.writeFileSync(path.join(docs, 'architecture.svg'), await renderSvg(dot));
  console.log('docs/architecture.dot y docs/architecture.svg escritos desde docs/layers.json y los imports del código');
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
