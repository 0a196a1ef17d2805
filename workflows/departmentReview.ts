import { allHandlersFinished, condition, patched, workflowInfo } from '@temporalio/workflow';
import { Patches } from './patches';
import { workflowNow } from './clock';
import { invalidStoredData, refusedMail, ReviewDriver } from './reviewDriver';
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

  // Task 3: the alert is recorded and e-mailed; the response window opens when the e-mail is
  // delivered, with the deadline it states (a slow or retried send never eats the department's time).
  await review.start();
  if (review.state === 'alerted') {
    if (patched(Patches.deadlineFromDelivery)) {
      await openWindowOnDelivery(review, input);
    } else {
      // Reviews started before: the deadline counted from the recorded alert, then the e-mail.
      await review.send(async () => {
        const from = review.context.alertedAt ?? workflowNow().toISOString();
        const { deadline } = await localActivities.computeDeadline({ window: input.responseWindow, from });
        return { type: 'response.window.opened', deadline };
      });
    }
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

/**
 * E-mails the alert and opens the response window with the deadline the delivery activity counted
 * from the delivery. Data that cannot be processed ends the review (dataError); an address the
 * mail server refuses for good opens the window from now and tells the coordinator (a note), as
 * any other undeliverable e-mail does.
 */
async function openWindowOnDelivery(review: ReviewDriver, input: DepartmentReviewInput): Promise<void> {
  let refused: string | null = null;
  await review.send(async () => {
    try {
      const { deadline } = await activities.deliverAlertEmail({ reviewWorkflowId: review.reviewWorkflowId, responseWindow: input.responseWindow });
      return { type: 'response.window.opened', deadline, alertDelivered: true };
    } catch (error) {
      const invalid = invalidStoredData(error);
      if (invalid) return { type: 'data.invalid', ...invalid, at: workflowNow().toISOString() };
      refused = refusedMail(error);
      if (refused === null) throw error;
      const { deadline } = await localActivities.computeDeadline({ window: input.responseWindow, from: workflowNow().toISOString() });
      return { type: 'response.window.opened', deadline, alertDelivered: true };
    }
  });
  if (refused !== null) {
    await review.send({ type: 'note.added', coordinator: 'Sistema de correo', text: `No se pudo entregar el correo (alerta): ${refused}`, at: workflowNow().toISOString() });
  }
}
