import { classifyMeasurement, defaultThresholds, measureGoal, type GoalStatus, type Quarter, type QuarterlyExecution, type YearProgramming } from '../../domain/goals';
import { MunicipalityGoal, QuarterlyTargets } from './municipalityData';
import { Rng } from './random';
import { ProductSpec } from './catalogue';

/** Quantities are kept as integer ticks of the unit's resolution, so sums are exact; statuses come from the domain. */

export interface GoalModel {
  goal: MunicipalityGoal;
  spec: ProductSpec;
  step: number;
  decimals: number;
  /** Per year: annual and quarterly targets in ticks (annual 0 = nothing programmed). */
  years: Map<number, { annual: number; quarterly: QuarterlyTargets }>;
}

export const decimalsOf = (step: number) => (step >= 1 ? 0 : Math.round(-Math.log10(step)));
export const toValue = (ticks: number, model: { step: number; decimals: number }) => Number((ticks * model.step).toFixed(model.decimals));

/** Splits `total` ticks by weights; largest remainder, earlier slots win ties. */
export function distribute(total: number, weights: readonly number[]): number[] {
  const sumWeights = weights.reduce((a, b) => a + b, 0);
  if (sumWeights === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sumWeights);
  const out = exact.map((x) => Math.floor(x + 1e-9));
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x + 1e-9) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    out[i] = (out[i] ?? 0) + 1;
    left--;
  }
  return out;
}

/** A round figure, as a planning office would write it: 18.000, 1.250, 240, 45, 7. */
export function roundFigure(value: number, step: number): number {
  // Decimal units (percentages, rates, km) keep their decimals below 20 and whole numbers above.
  if (step < 1) return Math.max(step, value >= 20 ? Math.round(value) : Math.round(value / step) * step);
  const magnitude = value >= 10000 ? 500 : value >= 1000 ? 50 : value >= 200 ? 10 : value >= 40 ? 5 : 1;
  return Math.max(step, Math.round(value / magnitude) * magnitude);
}

export const toTicks = (value: number, step: number) => Math.round(value / step);

// ---------------------------------------------------------------------------------------------
// Statuses: what the domain says about a goal's values
// ---------------------------------------------------------------------------------------------

export const asQuarter = (q: number) => q as Quarter;

export function programmingOf(model: GoalModel, year: number): YearProgramming {
  const y = model.years.get(year);
  if (!y) return { annualTarget: null, quarterlyTargets: null };
  const [a, b, c, d] = y.quarterly.map((v) => toValue(v, model));
  return { annualTarget: toValue(y.annual, model), quarterlyTargets: [a ?? 0, b ?? 0, c ?? 0, d ?? 0] };
}

/** Status at the end of quarter q from reported values (executed per quarter, in ticks; null = no report). */
export function statusOf(model: GoalModel, year: number, reported: readonly (number | null)[], quarter: number): GoalStatus {
  const execution: QuarterlyExecution = [null, null, null, null];
  reported.forEach((v, i) => {
    if (i < 4) execution[i] = v === null ? null : toValue(v, model);
  });
  const measurement = measureGoal(model.goal.accumulation, programmingOf(model, year), execution, asQuarter(quarter));
  return classifyMeasurement(measurement, defaultThresholds);
}

/**
 * Reported values (ticks per quarter) that give `path` as the quarter-by-quarter status of the
 * year. Strict: null when some quarter cannot reach its status; otherwise the nearest status is
 * accepted. Suma goals add up, so a quarter's choices depend on what was already executed.
 */
export function realizeYear(
  model: GoalModel,
  year: number,
  path: readonly GoalStatus[],
  rng: Rng,
  strict: boolean,
): { reported: (number | null)[]; statuses: GoalStatus[] } | null {
  const plan = model.years.get(year);
  if (!plan || plan.annual === 0) return { reported: [], statuses: path.map(() => 'notEvaluated') };
  const isSum = model.goal.accumulation === 'sum';
  const annual = plan.annual;
  const reported: (number | null)[] = [];
  const statuses: GoalStatus[] = [];
  let cumulative = 0;
  for (let q = 1; q <= path.length; q++) {
    const desired = path[q - 1] as GoalStatus;
    const expected = isSum ? plan.quarterly.slice(0, q).reduce((a, b) => a + b, 0) : (plan.quarterly[q - 1] as number);
    const attempts = strict ? [desired] : fallbacks[desired];
    let chosen: { value: number | null; status: GoalStatus } | null = null;
    for (const status of attempts) {
      const candidates = candidatesFor(model, status, { expected, annual, cumulative, isSum }, rng);
      for (const candidate of candidates) {
        const value = candidate === null ? null : isSum ? candidate - cumulative : candidate;
        if (value !== null && value < 0) continue;
        if (statusOf(model, year, [...reported, value], q) === status) {
          chosen = { value, status };
          break;
        }
      }
      if (chosen) break;
    }
    if (!chosen) {
      if (strict) return null;
      // Nothing reachable (tiny targets): report nothing new and keep whatever status that gives.
      const value = isSum ? 0 : (reported.at(-1) ?? null);
      chosen = { value, status: statusOf(model, year, [...reported, value], q) };
    }
    reported.push(chosen.value);
    statuses.push(chosen.status);
    if (isSum && chosen.value !== null) cumulative += chosen.value;
  }
  return { reported, statuses };
}

export const fallbacks: Record<GoalStatus, GoalStatus[]> = {
  onTrack: ['onTrack', 'achieved', 'behind', 'overachieved'],
  achieved: ['achieved', 'overachieved', 'onTrack'],
  overachieved: ['overachieved', 'achieved', 'onTrack'],
  behind: ['behind', 'notStarted', 'onTrack'],
  notStarted: ['notStarted', 'behind', 'onTrack'],
  notEvaluated: ['onTrack'],
  noReport: ['noReport', 'notStarted', 'behind'],
  unprogrammedExecution: ['notEvaluated'],
};

/**
 * Candidate values for a status: the preferred one first (drawn from a realistic band), then the
 * neighbours outward, so tiny targets still find the value that classifies right if there is one.
 * Suma: cumulative ticks by the quarter's end; others: the level (null = no report).
 */
export function candidatesFor(
  model: GoalModel,
  status: GoalStatus,
  ctx: { expected: number; annual: number; cumulative: number; isSum: boolean },
  rng: Rng,
): (number | null)[] {
  const { expected, annual, cumulative, isSum } = ctx;
  const reduction = model.goal.accumulation === 'reduction';
  if (status === 'notStarted') {
    if (isSum) return cumulative === 0 ? (rng.chance(0.2) ? [null, 0] : [0, null]) : [];
    return [null];
  }
  if (status === 'achieved') return [annual];
  let preferred: number;
  switch (status) {
    case 'behind':
      if (reduction) preferred = expected / rng.uniform(0.72, 0.88);
      else preferred = expected * (isSum ? rng.uniform(0.45, 0.84) : rng.uniform(0.74, 0.88));
      break;
    case 'overachieved':
      if (reduction) preferred = annual * rng.uniform(0.85, 0.96);
      else preferred = annual * (isSum ? rng.uniform(1.04, 1.25) : rng.uniform(1.02, 1.08));
      break;
    default:
      if (reduction) preferred = expected / rng.uniform(0.93, 1);
      else preferred = expected * (isSum ? rng.uniform(0.93, 1.03) : rng.uniform(0.92, 0.995));
  }
  let start = Math.round(preferred);
  if (status === 'overachieved') start = reduction ? Math.min(start, annual - 1) : Math.max(start, annual + 1);
  if (status === 'onTrack' && !reduction) start = Math.min(start, annual - 1);
  if (status === 'onTrack' && reduction) start = Math.max(start, annual + 1);
  const low = isSum ? cumulative : 0;
  let high = Math.max(2 * Math.max(annual, expected), cumulative) + 2;
  // A percentage level cannot pass 100 %.
  if (!isSum && model.goal.unit === 'Porcentaje') high = Math.min(high, Math.round(100 / model.step));
  start = Math.min(Math.max(start, low), high);
  const out: number[] = [start];
  for (let d = 1; d <= 400 && (start - d >= low || start + d <= high); d++) {
    if (start - d >= low) out.push(start - d);
    if (start + d <= high) out.push(start + d);
  }
  return out;
}
