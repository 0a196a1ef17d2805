import { goalMachineDot, reviewMachineDot } from '../machines/diagram';
import type { GoalState } from '../machines/goalStatus';
import type { ReviewState } from '../machines/departmentReview';

type Viz = Awaited<ReturnType<(typeof import('@viz-js/viz', { with: { 'resolution-mode': 'import' } }))['instance']>>;
let viz: Promise<Viz> | undefined;

/** Renders DOT to SVG with Graphviz compiled to WebAssembly: no network needed. */
async function svgOf(dot: string): Promise<string> {
  // The package is an ES module; a dynamic import loads it from this CommonJS code.
  viz ??= import('@viz-js/viz').then((module) => module.instance());
  return (await viz).renderString(dot, { format: 'svg' });
}

/** The goal-status machine as SVG, `current` highlighted. */
export const goalMachineSvg = (current?: GoalState | null): Promise<string> => svgOf(goalMachineDot(current));

/** The department-review machine as SVG, `current` highlighted. */
export const reviewMachineSvg = (current?: ReviewState | null): Promise<string> => svgOf(reviewMachineDot(current));
