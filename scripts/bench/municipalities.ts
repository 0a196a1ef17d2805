import { classifyMeasurement, defaultThresholds, isFlagged, measureGoal, type Quarter, type QuarterlyExecution } from '../../domain/goals';
import { generateMunicipality, MUNICIPALITY_LAST_REPORTED, MUNICIPALITY_SEED, type MunicipalityData } from '../demo';

/** The quarter every benchmark cycle reviews: the demo plan's last reported one (2026 T3). */
export const BENCH_FISCAL_YEAR = MUNICIPALITY_LAST_REPORTED.fiscalYear;
export const BENCH_QUARTER = MUNICIPALITY_LAST_REPORTED.quarter as Quarter;
/** The floor's parent: the form of ours (`<municipality>-revision-2026-T3`), another name so both can share a namespace. */
export const floorCycleId = (municipalityCode: string) => `${municipalityCode}-floor-${BENCH_FISCAL_YEAR}-T${BENCH_QUARTER}`;

/** Which municipality of a size: its index, and the goals it should have (null = the generator's own ~300). */
export interface MunicipalitySpec {
  index: number;
  goals: number | null;
}

/** Municipality m of a size is generated from this seed (m = 0 is the demo municipality itself). */
export const seedOf = (index: number) => MUNICIPALITY_SEED + 7919 * index;

/**
 * A municipality of the demo generator with a given number of goals. The generator makes ~300
 * goals (294–306 by seed) from its catalogue of programmes and products, so this module scales it
 * without touching it:
 *   - fewer goals: evenly spaced goals of the generated plan (every department keeps some);
 *   - more goals: further plans from other seeds are appended, their goal codes renumbered
 *     (`2201001-01` → `2201001-21`, `-41`, …: the same products with more variants, as a large
 *     city's plan has), in the same 15 departments, then cut to the exact count.
 * The default (goals = null) is `generateMunicipality(seed)` unchanged.
 */
export function benchMunicipality(spec: MunicipalitySpec): MunicipalityData {
  const base = generateMunicipality(seedOf(spec.index));
  if (spec.goals === null || spec.goals === base.goals.length) return base;
  if (spec.goals < base.goals.length) return keepGoals(base, evenlySpaced(base.goals.map((g) => g.code), spec.goals));

  const parts: MunicipalityData[] = [base];
  let total = base.goals.length;
  for (let copy = 1; total < spec.goals; copy++) {
    const extra = renumber(generateMunicipality(seedOf(spec.index) + 104729 * copy), copy);
    parts.push(extra);
    total += extra.goals.length;
  }
  const merged: MunicipalityData = {
    plan: base.plan,
    departments: base.departments,
    goals: parts.flatMap((p) => p.goals),
    programming: parts.flatMap((p) => p.programming),
    progress: parts.flatMap((p) => p.progress),
  };
  const codes = merged.goals.map((g) => g.code);
  if (new Set(codes).size !== codes.length) throw new Error('benchMunicipality: renumbered goal codes collide');
  return keepGoals(merged, new Set(codes.slice(0, spec.goals)));
}

function evenlySpaced(codes: string[], count: number): Set<string> {
  const sorted = [...codes].sort();
  return new Set(Array.from({ length: count }, (_, i) => sorted[Math.floor((i * sorted.length) / count)] as string));
}

function keepGoals(data: MunicipalityData, keep: Set<string>): MunicipalityData {
  return {
    ...data,
    goals: data.goals.filter((g) => keep.has(g.code)),
    programming: data.programming.filter((p) => keep.has(p.goalCode)),
    progress: data.progress.filter((p) => keep.has(p.goalCode)),
  };
}

/** Copy `copy` of a plan: each goal's two-digit variant number moved up by 20 per copy. */
function renumber(data: MunicipalityData, copy: number): MunicipalityData {
  const code = (c: string) => {
    const match = /^(.*)-(\d+)$/.exec(c);
    if (!match) return `${c}-${copy}`;
    return `${match[1]}-${String(Number(match[2]) + 20 * copy).padStart(2, '0')}`;
  };
  return {
    ...data,
    goals: data.goals.map((g) => ({ ...g, code: code(g.code) })),
    programming: data.programming.map((p) => ({ ...p, goalCode: code(p.goalCode) })),
    progress: data.progress.map((p) => ({ ...p, goalCode: code(p.goalCode) })),
  };
}

/** One department review a cycle will run: the department and how many of its goals are flagged. */
export interface ExpectedReview {
  departmentCode: string;
  flaggedGoals: number;
  /** The scripted liaison of this department never answers: the review ends on its deadline. */
  silent: boolean;
}

/**
 * The department reviews the cycle of `data` will start (departments with flagged goals), computed
 * with the same domain rules the workflow uses, so the floor can be given the same shape before
 * our workflows run; the run checks the reviews it got against this.
 */
export function expectedReviews(data: MunicipalityData, noAnswerShare: number): ExpectedReview[] {
  const execution = new Map<string, QuarterlyExecution>();
  for (const row of data.progress) {
    if (row.fiscalYear !== BENCH_FISCAL_YEAR) continue;
    const values = execution.get(row.goalCode) ?? [null, null, null, null];
    values[row.quarter - 1] = row.executed;
    execution.set(row.goalCode, values);
  }
  const programming = new Map(data.programming.filter((p) => p.fiscalYear === BENCH_FISCAL_YEAR).map((p) => [p.goalCode, p]));
  const flagged = new Map<string, number>();
  for (const goal of data.goals) {
    const p = programming.get(goal.code);
    if (!p) continue;
    const measurement = measureGoal(
      goal.accumulation,
      { annualTarget: p.annualTarget, quarterlyTargets: p.quarterlyTargets },
      execution.get(goal.code) ?? [null, null, null, null],
      BENCH_QUARTER,
    );
    if (isFlagged(classifyMeasurement(measurement, defaultThresholds))) {
      flagged.set(goal.departmentCode, (flagged.get(goal.departmentCode) ?? 0) + 1);
    }
  }
  const departments = [...flagged.keys()].sort();
  const silent = silentPositions(departments.length, noAnswerShare);
  return departments.map((departmentCode, i) => ({ departmentCode, flaggedGoals: flagged.get(departmentCode) ?? 0, silent: silent.has(i) }));
}

/** round(share × n) positions spread evenly over 0…n-1 (for 15 reviews and 0.2: 3 of them). */
export function silentPositions(n: number, share: number): Set<number> {
  const count = Math.min(n, Math.round(share * n));
  return new Set(Array.from({ length: count }, (_, i) => Math.floor(((i + 0.5) * n) / count)));
}
