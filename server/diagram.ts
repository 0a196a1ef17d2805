import { goalMachineDot } from '../machines/diagram';
import type { GoalState } from '../machines/goalStatus';

type Viz = Awaited<ReturnType<(typeof import('@viz-js/viz', { with: { 'resolution-mode': 'import' } }))['instance']>>;
let viz: Promise<Viz> | undefined;

/** Renders the goal-status machine to SVG with Graphviz compiled to WebAssembly: no network needed. */
export async function goalMachineSvg(current?: GoalState | null): Promise<string> {
  // The package is an ES module; a dynamic import loads it from this CommonJS code.
  viz ??= import('@viz-js/viz').then((module) => module.instance());
  return (await viz).renderString(goalMachineDot(current), { format: 'svg' });
}
