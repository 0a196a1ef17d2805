import {
  classifyMeasurement,
  isFlagged,
  measureGoal,
  type AccumulationType,
  type GoalStatus,
  type Measurement,
  type Quarter,
  type QuarterlyExecution,
  type Thresholds,
  type YearProgramming,
} from './goals';
import { measureGoalV1, type AccumulationTypeV1 } from './measurementV1';
import type { EarlierYear } from './measurement';
import type { TermProgramming } from './termTarget';

/**
 * What a quarter's review classifies, and the pure PE-P-008 arithmetic on it: shared by the
 * database's read model (db/queries.ts), the reports and the workflows, so a live dashboard and the
 * cycle classify the same data the same way.
 */

export interface DepartmentInfo {
  code: string;
  name: string;
  liaisonName: string | null;
  liaisonEmail: string | null;
}

/** A goal as the quarter's review sees it: its programming and what was reported. */
export interface GoalForReview {
  goalCode: string;
  departmentCode: string;
  name: string;
  strategicLine: string;
  accumulation: AccumulationType;
  programming: YearProgramming;
  execution: QuarterlyExecution;
  /** The whole term's programming, so a reprogramming can be checked against the meta cuatrienio. */
  term: TermProgramming;
  /** The Plan Indicativo's línea base (absent in data loaded before it existed: the type's default). */
  baseline?: number | null;
  /** What was reported in the term's earlier years, for the avance del cuatrienio. */
  earlierYears?: EarlierYear[];
}

/**
 * Which arithmetic measures a goal: DNP's (domain/measurement.ts), or the first one, kept for
 * cycles started before the `dnpMeasurement` patch (workflows/patches.ts).
 */
export type Arithmetic = 'dnp' | 'v1';

/** A goal's measurement at the quarter's end, with its línea base and its term. */
export function measureForReview(goal: GoalForReview, quarter: Quarter, arithmetic: Arithmetic = 'dnp'): Measurement {
  if (arithmetic === 'v1') return measureGoalV1(goal.accumulation as AccumulationTypeV1, goal.programming, goal.execution, quarter);
  return measureGoal(goal.accumulation, goal.programming, goal.execution, quarter, {
    baseline: goal.baseline ?? null,
    term: { termTarget: goal.term.termTarget, annualTargets: goal.term.annualTargets, earlierYears: goal.earlierYears ?? [] },
  });
}

export interface QuarterData {
  departments: DepartmentInfo[];
  goals: GoalForReview[];
}

/**
 * Where a quarter's values in the cumulative matrix come from: the verdict its cycle recorded, or a
 * classification with the current programming (no verdict recorded for that quarter). Absent in
 * matrices stored before verdicts were read back.
 */
export type VerdictBasis = 'recorded' | 'current';

export interface CumulativeQuarter {
  quarter: number;
  status: GoalStatus;
  expectedToDate: number;
  executedToDate: number | null;
  /** Avance de la vigencia and del cuatrienio at the quarter's end (absent in older matrices). */
  annualPercent?: number | null;
  termPercent?: number | null;
  basis?: VerdictBasis;
}

export interface CumulativeLaggingRow {
  goalCode: string;
  departmentCode: string;
  byQuarter: CumulativeQuarter[];
}

/**
 * A goal's verdict as a quarter's cycle recorded it (its stored dashboard): status, numbers and the
 * programming in force then. Frozen: a later reprogramming never changes it.
 */
export interface RecordedVerdict {
  goalCode: string;
  departmentCode: string;
  quarter: number;
  status: GoalStatus | null;
  expectedToDate: number | null;
  executedToDate: number | null;
  annualPercent: number | null;
  termPercent: number | null;
  /** The programming in force when the verdict was recorded (absent in dashboards stored before it was kept). */
  programming?: YearProgramming | null;
}

export interface GoalClassification {
  status: GoalStatus;
  measurement: Measurement;
}

/** PE-P-008 task 2 for one goal: its measurement at the quarter's end and its status. */
export function classifyGoal(goal: GoalForReview, quarter: Quarter, thresholds: Thresholds, arithmetic: Arithmetic = 'dnp'): GoalClassification {
  const measurement = measureForReview(goal, quarter, arithmetic);
  return { status: classifyMeasurement(measurement, thresholds), measurement };
}

/** How many goals have each status. */
export function countByStatus(statuses: Iterable<GoalStatus | null>): Partial<Record<GoalStatus, number>> {
  const totals: Partial<Record<GoalStatus, number>> = {};
  for (const status of statuses) if (status) totals[status] = (totals[status] ?? 0) + 1;
  return totals;
}

/** A status that gets an alert (no iniciada, atrasada, sobrecumplida). */
export const isFlaggedStatus = (status: GoalStatus | null): boolean => status !== null && isFlagged(status);

/** Rezagada (no iniciada, atrasada), or a quarter left without its report: listed in the cumulative matrix. */
const isLagging = (status: GoalStatus) => status === 'notStarted' || status === 'behind' || status === 'noReport';

/**
 * PE-P-008 task 4 from the recorded verdicts: every goal that lagged in any quarter up to `quarter`,
 * with each quarter's values as its cycle recorded them. A quarter whose cycle recorded nothing
 * (data from before verdicts were kept, or no cycle ran) is classified with the current programming
 * and marked `basis: 'current'`. A goal with a recorded lagging verdict stays listed even when the
 * current data no longer has it.
 */
export function cumulativeFromVerdicts(
  recorded: readonly RecordedVerdict[],
  goals: readonly GoalForReview[],
  quarter: Quarter,
  thresholds: Thresholds,
): CumulativeLaggingRow[] {
  const quarters = ([1, 2, 3, 4] as const).filter((q) => q <= quarter);
  const verdictOf = new Map(recorded.map((v) => [`${v.goalCode}|${v.quarter}`, v]));
  const current = new Map(goals.map((g) => [g.goalCode, g]));
  const codes = [...new Set([...goals.map((g) => g.goalCode), ...recorded.map((v) => v.goalCode)])];
  return codes.flatMap((goalCode) => {
    const goal = current.get(goalCode);
    const byQuarter = quarters.flatMap((q): CumulativeQuarter[] => {
      const verdict = verdictOf.get(`${goalCode}|${q}`);
      if (verdict?.status && verdict.expectedToDate !== null) {
        return [
          {
            quarter: q,
            status: verdict.status,
            expectedToDate: verdict.expectedToDate,
            executedToDate: verdict.executedToDate,
            annualPercent: verdict.annualPercent,
            termPercent: verdict.termPercent,
            basis: 'recorded',
          },
        ];
      }
      if (!goal) return [];
      const { status, measurement: m } = classifyGoal(goal, q, thresholds);
      return [
        {
          quarter: q,
          status,
          expectedToDate: m.expectedToDate,
          executedToDate: m.executedToDate,
          annualPercent: m.annualPercent,
          termPercent: m.termPercent ?? null,
          basis: 'current',
        },
      ];
    });
    if (!byQuarter.some((row) => isLagging(row.status))) return [];
    const departmentCode = goal?.departmentCode ?? recorded.filter((v) => v.goalCode === goalCode).sort((a, b) => b.quarter - a.quarter)[0]?.departmentCode ?? '';
    return [{ goalCode, departmentCode, byQuarter }];
  });
}

/** The quarters of a cumulative matrix computed with the current programming (no verdict recorded). */
export const currentBasisQuarters = (rows: readonly CumulativeLaggingRow[]): number[] =>
  [...new Set(rows.flatMap((r) => r.byQuarter.filter((q) => q.basis === 'current').map((q) => q.quarter)))].sort();

/** PE-P-008 task 4: every goal that lagged in any quarter up to `quarter`, quarter by quarter, all with the current programming. */
export function cumulativeLagging(goals: GoalForReview[], quarter: Quarter, thresholds: Thresholds, arithmetic: Arithmetic = 'dnp'): CumulativeLaggingRow[] {
  const quarters = ([1, 2, 3, 4] as const).filter((q) => q <= quarter);
  // The first arithmetic listed only rezagadas; cycles replayed with it must list the same goals.
  const lagged = arithmetic === 'v1' ? (s: GoalStatus) => s === 'notStarted' || s === 'behind' : isLagging;
  return goals.flatMap((goal) => {
    const byQuarter = quarters.map((q) => {
      const { status, measurement } = classifyGoal(goal, q, thresholds, arithmetic);
      return { quarter: q, status, expectedToDate: measurement.expectedToDate, executedToDate: measurement.executedToDate };
    });
    return byQuarter.some((row) => lagged(row.status)) ? [{ goalCode: goal.goalCode, departmentCode: goal.departmentCode, byQuarter }] : [];
  });
}
