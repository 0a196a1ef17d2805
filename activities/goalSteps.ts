import { ApplicationFailure } from '@temporalio/common';
import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import type { Thresholds } from '../domain/goals';
import { advanceGoal, startGoal, type SavedGoalState } from '../machines/goalStatus';
import type { GoalStepRecord } from '../machines/reviewGoals';
import type { LegacyGoalStepRecord } from '../workflows/legacy/departmentGoals';

/** The review's machine steps, stored as events with the snapshots they lead to. */
export function createGoalStepActivities({ db }: { db: Database }) {
  return {
    /**
     * Writes the machine steps of a review. Steps carry events; each snapshot is rebuilt here by the
     * same pure machine from the previous stored one (or, for step 0, from the classification), so
     * the database keeps every snapshot while the history stays small. Steps sent by older workflow
     * code carry their snapshot and are stored as they come.
     */
    async recordGoalStates(input: {
      reviewWorkflowId: string;
      /** The review machine's state as shown (department_reviews.status); the field keeps its recorded name. */
      status: string;
      deadline: string | null;
      /** Classification thresholds, to rebuild step 0 (absent from older workflow code). */
      thresholds?: Thresholds;
      steps: (GoalStepRecord | LegacyGoalStepRecord)[];
    }): Promise<void> {
      await db.transaction(async (tx) => {
        // Snapshots by goal and sequence: each step replays on the one just before it, also when a
        // retried attempt finds its own steps already stored.
        const stored = new Map<string, SavedGoalState>();
        const key = (goalCode: string, sequence: number) => `${goalCode}#${sequence}`;
        const needed = [...new Set(input.steps.filter((s) => s.sequence > 0 && !('snapshot' in s)).map((s) => s.goalCode))];
        if (needed.length) {
          const rows = await tx
            .select({ goalCode: t.goalReviewStates.goalCode, sequence: t.goalReviewStates.sequence, snapshot: t.goalReviewStates.snapshot })
            .from(t.goalReviewStates)
            .where(and(eq(t.goalReviewStates.reviewWorkflowId, input.reviewWorkflowId), inArray(t.goalReviewStates.goalCode, needed)));
          for (const row of rows) stored.set(key(row.goalCode, row.sequence), row.snapshot as SavedGoalState);
        }
        const values = [...input.steps]
          .sort((a, b) => a.sequence - b.sequence)
          .map((step) => {
            const snapshot =
              'snapshot' in step ? step.snapshot : replayGoalStep(step, stored.get(key(step.goalCode, step.sequence - 1)) ?? null, input.thresholds);
            stored.set(key(step.goalCode, step.sequence), snapshot);
            return {
              reviewWorkflowId: input.reviewWorkflowId,
              goalCode: step.goalCode,
              sequence: step.sequence,
              state: step.state,
              snapshot,
              event: typeof step.event === 'string' ? step.event : step.event.type,
            };
          });
        if (values.length) await tx.insert(t.goalReviewStates).values(values).onConflictDoNothing();
        await tx
          .update(t.departmentReviews)
          .set({ status: input.status, deadline: input.deadline })
          .where(eq(t.departmentReviews.workflowId, input.reviewWorkflowId));
      });
    },
  };
}

/** The snapshot a step leads to, replayed with the machine the workflow runs, checked against the workflow's state. */
function replayGoalStep(step: GoalStepRecord, previous: SavedGoalState | null, thresholds: Thresholds | undefined): SavedGoalState {
  const from = step.sequence === 0 ? startGoal({ goalCode: step.goalCode, thresholds: thresholds as Thresholds }) : previous;
  if (!from) throw ApplicationFailure.nonRetryable(`No hay estado previo de la meta ${step.goalCode} para el paso ${step.sequence}`, 'MissingGoalState');
  const next = advanceGoal(from, step.event);
  if (!next.accepted || next.state.value !== step.state) {
    throw ApplicationFailure.nonRetryable(
      `El paso ${step.sequence} de la meta ${step.goalCode} (${step.event.type}) no lleva al estado ${step.state} sino a ${next.state.value}`,
      'GoalStepMismatch',
    );
  }
  return next.state;
}
