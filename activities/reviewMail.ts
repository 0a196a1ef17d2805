import { localDate, businessDaysBetween, responseDeadline } from '../domain/businessDays';
import { defaultThresholds, type GoalStatus, type Measurement } from '../domain/goals';
import type { GoalAnswer } from '../domain/review';
import type { ResponseWindow } from '../domain/responseWindow';
import { planThresholds } from '../db/planThresholds';
import { quarterlyAlert, reminder, responseReceipt, changesRequested, reviewCancelled, type OutgoingMail } from '../mail';
import type { GoalState } from '../machines/goalStatus';
import { exportMatrix } from '../reports';
import { deliver, recipientsFor, type NotificationDependencies } from './mailDelivery';
import { createReviewReader } from './reviewFacts';

/** The e-mails of a review's conversation: alert, reminders, receipt, changes requested, cancellation. */
export function createReviewMail(deps: NotificationDependencies) {
  const { db, mailer, timeZone, coordinatorEmail, now = () => new Date() } = deps;
  const { linkFor, reviewFacts, reviewMailContext } = createReviewReader(deps);

  /** Everything of the alert's e-mail but its deadline (the matrix takes the time). */
  async function prepareAlert(reviewWorkflowId: string, responseWindow: ResponseWindow, purpose: string) {
    const facts = await reviewFacts(reviewWorkflowId);
    const { review, alert } = facts;
    // The alert goes to the liaison it records; a resend, to the department's liaison now.
    const department = purpose === 'alert' ? facts.alertedDepartment : facts.department;
    const matrix = await exportMatrix(db, {
      kind: 'quarterly',
      fiscalYear: review.fiscalYear,
      quarter: review.quarter,
      departmentCode: department.code,
      thresholds: await planThresholds(db, defaultThresholds),
      timeZone,
    });
    // PE-P-008 task 4: in Q3 the department also gets its cumulative matrix (the recorded verdicts).
    const cumulative =
      review.quarter === 3
        ? await exportMatrix(db, {
            kind: 'cumulative',
            fiscalYear: review.fiscalYear,
            quarter: review.quarter,
            departmentCode: department.code,
            thresholds: await planThresholds(db, defaultThresholds),
            timeZone,
          })
        : null;
    const context = await reviewMailContext(review, department);
    return {
      withDeadline: (deadline: string, countsFromReceipt = false): OutgoingMail => ({
        idempotencyKey: `${reviewWorkflowId}:${purpose}`,
        ...recipientsFor(department.liaisonEmail, coordinatorEmail, department.headEmail),
        ...quarterlyAlert({
          ...context,
          recordNumber: alert.recordNumber,
          goals: alert.goals as { goalCode: string; name: string; status: GoalStatus | null; measurement: Measurement | null }[],
          responseWindow,
          deadline,
          countsFromReceipt,
          responseUrl: linkFor(reviewWorkflowId, department.code),
          matrixFileName: matrix.fileName,
          ...(cumulative ? { cumulativeMatrixFileName: cumulative.fileName } : {}),
        }),
        attachments: [
          { fileName: matrix.fileName, contentType: matrix.contentType, content: matrix.content },
          ...(cumulative ? [{ fileName: cumulative.fileName, contentType: cumulative.contentType, content: cumulative.content }] : []),
        ],
      }),
    };
  }

  return {
    /** The alert again (a resend) with the deadline already running: the same link and deadline. */
    async sendAlertMail(reviewWorkflowId: string, deadline: string, responseWindow: ResponseWindow, purpose = 'alert') {
      const alertMail = await prepareAlert(reviewWorkflowId, responseWindow, purpose);
      return deliver(mailer, alertMail.withDeadline(deadline));
    },

    /**
     * PE-P-008 task 3: the quarterly alert with the matrix of lagging goals and the personal link,
     * whose deadline counts from its delivery. The matrix is built first; the deadline is computed
     * from the instant the delivery is committed (just before the outbox claim and the SMTP
     * transaction), so a failed or slow earlier attempt never counts: each retry commits anew and
     * states its own deadline. A message an earlier attempt already delivered keeps the deadline
     * it stated (recomputed from the committed instant kept with it).
     */
    async deliverAlertMail(reviewWorkflowId: string, responseWindow: ResponseWindow): Promise<{ deadline: string; deliveredAt: string; outboxId: number }> {
      const alertMail = await prepareAlert(reviewWorkflowId, responseWindow, 'alert');
      const committedAt = now().toISOString();
      const sent = await deliver(mailer, { ...alertMail.withDeadline(responseDeadline(responseWindow, new Date(committedAt), timeZone), true), committedAt });
      const stated = sent.committedAt ?? committedAt;
      return { deadline: responseDeadline(responseWindow, new Date(stated), timeZone), deliveredAt: sent.deliveredAt ?? stated, outboxId: sent.outboxId };
    },

    /** A reminder before the deadline; `sequence` makes each reminder its own message. */
    async sendReminderMail(reviewWorkflowId: string, sequence: number, deadline: string) {
      const { review, alert, department } = await reviewFacts(reviewWorkflowId);
      const today = localDate(now(), timeZone);
      const content = reminder({
        ...(await reviewMailContext(review, department)),
        businessDaysLeft: businessDaysBetween(today, localDate(new Date(deadline), timeZone)),
        deadline,
        alertedAt: new Date(alert.sentAt).toISOString(),
        responseUrl: linkFor(reviewWorkflowId, department.code),
        pendingGoals: (alert.goals as { goalCode: string; name: string }[]).map(({ goalCode, name }) => ({ goalCode, name })),
        reminderNumber: sequence,
      });
      return deliver(mailer, { idempotencyKey: `${reviewWorkflowId}:reminder:${sequence}`, ...recipientsFor(department.liaisonEmail, undefined), ...content });
    },


    /** The liaison's receipt: what was submitted, per goal, and where the review stands. */
    async sendResponseReceipt(input: {
      reviewWorkflowId: string;
      round: number;
      respondent: { name: string; email?: string };
      answers: { goalCode: string; name: string; answer: GoalAnswer }[];
      /** The review's machine state after the answer; the field keeps its recorded name (workflow histories carry it). */
      reviewStatus: GoalState;
    }) {
      const { review, department } = await reviewFacts(input.reviewWorkflowId);
      const content = responseReceipt({
        ...(await reviewMailContext(review, department)),
        respondent: input.respondent,
        receivedAt: now().toISOString(),
        round: input.round,
        answers: input.answers,
        reviewState: input.reviewStatus,
        reviewUrl: linkFor(input.reviewWorkflowId, department.code),
      });
      const to = [...new Set([input.respondent.email, department.liaisonEmail].filter((e): e is string => Boolean(e)))];
      return deliver(mailer, {
        idempotencyKey: `${input.reviewWorkflowId}:receipt:${input.round}`,
        ...(to.length ? { to, cc: coordinatorEmail ? [coordinatorEmail] : [] } : recipientsFor(null, coordinatorEmail)),
        ...content,
      });
    },

    /** The coordinator asked for changes: the form opens again with a new deadline. */
    async sendChangesRequested(input: {
      reviewWorkflowId: string;
      round: number;
      coordinator: string;
      comment: string;
      deadline: string;
      responseWindow?: ResponseWindow;
    }) {
      const { review, department } = await reviewFacts(input.reviewWorkflowId);
      const content = changesRequested({
        ...(await reviewMailContext(review, department)),
        coordinatorName: input.coordinator,
        comment: input.comment,
        requestedAt: now().toISOString(),
        newDeadline: input.deadline,
        responseWindow: input.responseWindow,
        responseUrl: linkFor(input.reviewWorkflowId, department.code),
        round: input.round,
      });
      return deliver(mailer, {
        idempotencyKey: `${input.reviewWorkflowId}:changes:${input.round}`,
        ...recipientsFor(department.liaisonEmail, coordinatorEmail),
        ...content,
      });
    },

    async sendReviewCancelled(input: { reviewWorkflowId: string; cancelledBy: string; reason: string; cancelledAt: string }) {
      const { review, department } = await reviewFacts(input.reviewWorkflowId);
      const content = reviewCancelled({ ...(await reviewMailContext(review, department)), ...input });
      return deliver(mailer, {
        idempotencyKey: `${input.reviewWorkflowId}:cancelled`,
        ...recipientsFor(department.liaisonEmail, coordinatorEmail),
        ...content,
      });
    },
  };
}
