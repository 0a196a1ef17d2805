import type { GoalStatus, Quarter, Thresholds } from '../domain/goals';
import { countByStatus as countStatuses, isFlaggedStatus, measureForReview, type Arithmetic, type GoalForReview, type RecordedVerdict } from '../domain/quarterData';
import { advanceGoal, startGoal, type SavedGoalState } from '../machines/goalStatus';

// The pure arithmetic (measurement, status, the cumulative matrix) lives in domain/quarterData.ts;
// here each goal's machine is started, so the reviews begin from its classified state.
export { cumulativeLagging } from '../domain/quarterData';

export interface ClassifiedGoal {
  goal: GoalForReview;
  state: SavedGoalState;
}

/** PE-P-008 task 2: every goal's machine, from unclassified to its status at the quarter's end. */
export function classifyGoals(goals: GoalForReview[], quarter: Quarter, thresholds: Thresholds, arithmetic: Arithmetic = 'dnp'): ClassifiedGoal[] {
  return goals.map((goal) => {
    const measurement = measureForReview(goal, quarter, arithmetic);
    const step = advanceGoal(startGoal({ goalCode: goal.goalCode, thresholds }), { type: 'progress.reported', measurement });
    return { goal, state: step.state };
  });
}

export const countByStatus = (classified: ClassifiedGoal[]): Partial<Record<GoalStatus, number>> =>
  countStatuses(classified.map(({ state }) => state.context.status));

export const isFlaggedGoal = (classified: ClassifiedGoal) => isFlaggedStatus(classified.state.context.status);

/** The quarter's verdicts as the cycle records them (status, numbers, the programming in force). */
export const verdictsOf = (classified: ClassifiedGoal[], quarter: Quarter): RecordedVerdict[] =>
  classified.map(({ goal, state }) => ({
    goalCode: goal.goalCode,
    departmentCode: goal.departmentCode,
    quarter,
    status: state.context.status,
    expectedToDate: state.context.measurement?.expectedToDate ?? null,
    executedToDate: state.context.measurement?.executedToDate ?? null,
    annualPercent: state.context.measurement?.annualPercent ?? null,
    termPercent: state.context.measurement?.termPercent ?? null,
    programming: goal.programming,
  }));
