import { measureGoal, type GoalStatus, type Quarter, type Thresholds } from '../domain/goals';
import { countByStatus as countStatuses, isFlaggedStatus, type GoalForReview } from '../domain/quarterData';
import { advanceGoal, startGoal, type SavedGoalState } from '../machines/goalStatus';

// The pure arithmetic (measurement, status, the cumulative matrix) lives in domain/quarterData.ts;
// here each goal's machine is started, so the reviews begin from its classified state.
export { cumulativeLagging } from '../domain/quarterData';

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

export const countByStatus = (classified: ClassifiedGoal[]): Partial<Record<GoalStatus, number>> =>
  countStatuses(classified.map(({ state }) => state.context.status));

export const isFlaggedGoal = (classified: ClassifiedGoal) => isFlaggedStatus(classified.state.context.status);
