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

export interface CumulativeLaggingRow {
  goalCode: string;
  departmentCode: string;
  byQuarter: { quarter: number; status: GoalStatus; expectedToDate: number; executedToDate: number | null }[];
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

/** PE-P-008 task 4: every goal that lagged in any quarter up to `quarter`, quarter by quarter. */
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
