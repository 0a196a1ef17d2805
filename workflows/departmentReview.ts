import { allHandlersFinished, condition, workflowInfo } from '@temporalio/workflow';
import { workflowNow } from './clock';
import { ReviewDriver } from './reviewDriver';
import { activities, localActivities, reviewEffects } from './reviewEffects';
import { parseWindowOrFail, registerReviewHandlers } from './reviewHandlers';
import { waitForResponse } from './reviewWait';
import type { DepartmentReviewInput, DepartmentReviewOutcome } from './types';

/**
 * PE-P-008 tasks 3 and 5 for one department, driven by the department-review machine
 * (machines/departmentReviewMachine.ts): alert, wait for the liaison's response until the deadline,
 * then either the constancia de negativa de ajustes or an agreement with the coordinator that ends
 * in a reprogramming (or the programming kept with a commitment). The machine decides and names
 * the effects; this workflow owns time and performs them (workflows/reviewEffects.ts).
 *
 * Version 2 of the workflow type: reviews started as `departmentReview` keep running the frozen
 * code in workflows/legacy/.
 */
export async function departmentReviewV2(input: DepartmentReviewInput): Promise<DepartmentReviewOutcome> {
  const review = new ReviewDriver(input, workflowInfo().workflowId, (driver) => reviewEffects(input, driver.reviewWorkflowId, () => driver.goalViews()));
  registerReviewHandlers(review, input);

  // Task 3: the alert is recorded, then the response window opens and the alert is e-mailed.
  await review.start();
  if (review.state === 'alerted') {
    await review.send(async () => {
      const from = review.context.alertedAt ?? workflowNow().toISOString();
      const { deadline } = await localActivities.computeDeadline({ window: input.responseWindow, from });
      return { type: 'response.window.opened', deadline };
    });
  }

  // Until the review ends: the deadline and reminders run on timers, the liaison and the
  // coordinator act through updates (task 5), and the main flow finishes what a decision starts.
  while (!review.done) {
    const state = review.state;
    if (state === 'awaitingResponse') {
      await waitForResponse(review, input.reminders ?? []);
    } else if (state === 'requestingChanges') {
      await review.send(async () => {
        const requested = review.context.pendingDecision;
        const window = requested?.decision === 'requestChanges' && requested.window ? parseWindowOrFail(requested.window) : input.responseWindow;
        const { deadline } = await localActivities.computeDeadline({ window, from: workflowNow().toISOString() });
        return { type: 'changes.requested', deadline, window };
      });
    } else if (state === 'approving') {
      await review.send({ type: 'decision.applied' });
    } else {
      await condition(() => review.state !== state);
    }
    await review.settled();
  }

  const outcome = review.outcome as DepartmentReviewOutcome;
  await activities.completeDepartmentReview({ reviewWorkflowId: review.reviewWorkflowId, outcome });
  await condition(allHandlersFinished);
  return outcome;
}
