import { ApplicationFailure } from '@temporalio/common';

/**
 * Typed failures. Update validators throw them so the caller (form, API, CLI) can show the message
 * as it is: every message is Spanish and meant for the user.
 */
export const FailureTypes = {
  invalidInput: 'InvalidInput',
  notAwaitingResponse: 'NotAwaitingResponse',
  deadlinePassed: 'DeadlinePassed',
  unknownGoal: 'UnknownGoal',
  noResponseToDecide: 'NoResponseToDecide',
  noGoalsForQuarter: 'NoGoalsForQuarter',
  termTargetChanged: 'TermTargetChanged',
} as const;
export type FailureType = (typeof FailureTypes)[keyof typeof FailureTypes];

export function failure(type: FailureType, message: string, details: string[] = []): ApplicationFailure {
  return ApplicationFailure.create({ type, message, details: details.length ? [details] : undefined, nonRetryable: true });
}
