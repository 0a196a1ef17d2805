import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { ReviewActivities } from '../activities';
import type { GoalAnswer } from '../domain/review';
import type { ReviewEffectName } from '../machines/departmentReview';
import type { DepartmentReviewEvent, ReviewEffectParams } from '../machines/departmentReviewMachine';
import type { DepartmentReviewInput, GoalView } from './types';

export const activities = proxyActivities<ReviewActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '30 seconds' },
});
/**
 * For the activities that only write a few rows or compute a date (milliseconds each): run by the
 * worker running the review, without a round trip through the server. The activities that send
 * e-mail, render documents or mark the review's timeline stay regular activities.
 */
export const localActivities = proxyLocalActivities<ReviewActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '30 seconds' },
});

/** Performs one effect; an effect whose result the machine needs answers with its event. */
export type EffectTable = { [K in ReviewEffectName]: (params: ReviewEffectParams[K]) => Promise<DepartmentReviewEvent | void> };

/**
 * Every effect the review machine names, and the activity that performs it: the only place the
 * department review's side effects happen.
 */
export function reviewEffects(input: DepartmentReviewInput, reviewWorkflowId: string, goals: () => GoalView[]): EffectTable {
  const base = { reviewWorkflowId, fiscalYear: input.fiscalYear, quarter: input.quarter, department: input.department };
  const named = (answers: { goalCode: string; answer: GoalAnswer | null }[]) =>
    answers.flatMap(({ goalCode, answer }) => (answer ? [{ goalCode, name: goals().find((g) => g.goalCode === goalCode)?.name ?? goalCode, answer }] : []));

  return {
    async recordAlert() {
      const { sentAt } = await activities.recordAlert({
        ...base,
        cycleWorkflowId: input.cycleWorkflowId,
        goals: goals().map(({ goalCode, name, status, measurement }) => ({ goalCode, name, status, measurement })),
      });
      return { type: 'alert.recorded', at: sentAt };
    },
    sendAlertEmail: ({ deadline }) => activities.sendAlertEmail({ reviewWorkflowId, deadline, responseWindow: input.responseWindow }),
    sendReminderEmail: ({ sequence, deadline }) => activities.sendReminderEmail({ reviewWorkflowId, sequence, deadline }),
    resendAlertEmail: (params) => activities.resendAlertEmail({ reviewWorkflowId, ...params, responseWindow: input.responseWindow }),
    sendResponseReceipt: ({ round, respondent, answers }) =>
      activities.sendResponseReceipt({ reviewWorkflowId, round, respondent, answers: named(answers), reviewStatus: 'underAgreement' }),
    recordDecision: ({ round, decision }) => localActivities.recordDecision({ reviewWorkflowId, round, decision }),
    sendChangesRequested: ({ window, ...params }) => activities.sendChangesRequested({ reviewWorkflowId, ...params, responseWindow: window }),
    recordNoAdjustment: (params) => activities.recordNoAdjustment({ ...base, ...params }),
    async applyReprogramming({ approvedBy, round, goals: reprogrammed }) {
      if (reprogrammed.length) await activities.applyReprogramming({ ...base, approvedBy, decisionRound: round, goals: reprogrammed });
    },
    async recordCommitment({ approvedBy, goals: kept }) {
      if (kept.length) await activities.recordCommitment({ ...base, approvedBy, goals: kept });
    },
    recordNote: (params) => activities.recordNote({ reviewWorkflowId, ...params }),
    recordCancellation: (params) => activities.recordCancellation({ reviewWorkflowId, ...params }),
    recordDataError: (params) =>
      activities.recordDataError({
        reviewWorkflowId,
        cycleWorkflowId: input.cycleWorkflowId,
        departmentCode: input.department.code,
        fiscalYear: input.fiscalYear,
        quarter: input.quarter,
        ...params,
      }),
  };
}
