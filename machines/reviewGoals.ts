import type { GoalAnswer } from '../domain/review';
import { advanceGoal, type GoalState, type SavedGoalState } from './goalStatus';
import type { GoalStatusEvent } from './goalStatusMachine';

/**
 * One machine step for the `recordGoalStates` activity: the event, not the snapshot. The activity
 * replays it on the stored snapshot with the same pure machine, so the database keeps every
 * snapshot while the workflow history carries only events. Step 0 is the classification.
 */
export interface GoalStepRecord {
  goalCode: string;
  sequence: number;
  /** The state the workflow reached: the activity checks its replay against it. */
  state: GoalState;
  event: GoalStatusEvent;
}

/** The goal-status machine of every flagged goal of a review: per-goal data of the review machine. */
export interface ReviewGoals {
  /** Each goal's saved machine state and how many steps it took. */
  byCode: Record<string, { state: SavedGoalState; sequence: number }>;
  /** Every step taken, in order (the workflow writes those it has not written yet). */
  steps: GoalStepRecord[];
}

export function startReviewGoals(goals: { goalCode: string; state: SavedGoalState }[]): ReviewGoals {
  const byCode: ReviewGoals['byCode'] = {};
  const steps: GoalStepRecord[] = [];
  for (const { goalCode, state } of goals) {
    byCode[goalCode] = { state, sequence: 0 };
    const measurement = state.context.measurement;
    if (measurement) steps.push({ goalCode, sequence: 0, state: state.value, event: { type: 'progress.reported', measurement } });
  }
  return { byCode, steps };
}

/** Feeds each goal its event (none when `eventsFor` returns none); steps a goal refuses are skipped. */
export function advanceReviewGoals(goals: ReviewGoals, eventsFor: (goalCode: string) => GoalStatusEvent[]): ReviewGoals {
  const byCode = { ...goals.byCode };
  const steps = [...goals.steps];
  for (const [goalCode, entry] of Object.entries(byCode)) {
    let current = entry;
    for (const event of eventsFor(goalCode)) {
      const step = advanceGoal(current.state, event);
      if (!step.accepted) continue;
      current = { state: step.state, sequence: current.sequence + 1 };
      steps.push({ goalCode, sequence: current.sequence, state: step.state.value, event });
    }
    byCode[goalCode] = current;
  }
  return { byCode, steps };
}

export function goalCodesIn(goals: ReviewGoals, state: GoalState): string[] {
  return Object.entries(goals.byCode)
    .filter(([, entry]) => entry.state.value === state)
    .map(([goalCode]) => goalCode);
}

export function answersIn(goals: ReviewGoals, state: GoalState): { goalCode: string; answer: GoalAnswer | null }[] {
  return goalCodesIn(goals, state).map((goalCode) => ({ goalCode, answer: goals.byCode[goalCode]?.state.context.answer ?? null }));
}
