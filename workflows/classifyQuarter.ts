import { isFlagged, measureGoal, type GoalStatus, type Quarter, type Thresholds } from '../domain/goals';
import { advanceGoal, startGoal, type SavedGoalState } from '../machines/goalStatus';
import type { CumulativeLaggingRow, GoalForReview } from './types';

export interface ClassifiedGoal {
  goal: GoalForReview;
  state: SavedGoalState;
}

/** PE-P-008 task 2: every goal's machine, from unclassified to its status at the quarter's end. */
export function classifyGoals(goals: GoalForReview[], quarter: Quarter, thresholds: Thresholds): ClassifiedGoal[] {
  return goals.map((goal) => {
    const measurement = measureGoal(goal.accumulation, goal.programming, goal.execution, quarter);
    const step = advanceGoal(startGoal({ goalCode: goal.goalCode, thresholds }), { type: 'progress.reported', measurement });
    return { goal, state: step.state };
  });
}

export function countByStatus(classified: ClassifiedGoal[]): Partial<Record<GoalStatus, number>> {
  const totals: Partial<Record<GoalStatus, number>> = {};
  for (const { state } of classified) {
    const status = state.context.status;
    if (status) totals[status] = (totals[status] ?? 0) + 1;
  }
  return totals;
}

const isLagging = (status: GoalStatus) => status === 'notStarted' || status === 'behind';

/** PE-P-008 task 4: every goal that lagged in any quarter up to `quarter`, quarter by quarter. */
export function cumulativeLagging(goals: GoalForReview[], quarter: Quarter, thresholds: Thresholds): CumulativeLaggingRow[] {
  const quarters = ([1, 2, 3, 4] as const).filter((q) => q <= quarter);
  return goals.flatMap((goal) => {
    const byQuarter = quarters.map((q) => {
      const classified = classifyGoals([goal], q, thresholds)[0] as ClassifiedGoal;
      const m = classified.state.context.measurement;
      return {
        quarter: q,
        status: classified.state.context.status ?? 'notEvaluated',
        expectedToDate: m?.expectedToDate ?? 0,
        executedToDate: m?.executedToDate ?? null,
      };
    });
    return byQuarter.some((row) => isLagging(row.status)) ? [{ goalCode: goal.goalCode, departmentCode: goal.departmentCode, byQuarter }] : [];
  });
}

export const isFlaggedGoal = (classified: ClassifiedGoal) =>
  classified.state.context.status !== null && isFlagged(classified.state.context.status);
