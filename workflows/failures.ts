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
  /** A reprogramming that changes an elapsed quarter or a closed vigencia (domain/closedPeriods.ts). */
  closedPeriod: 'ClosedPeriod',
  /**
   * Stored data of a department that cannot be processed (a value out of range, not finite, or a
   * sum over the limit; see domain/numbers.ts), found by an activity. Never retried: the review
   * ends with the outcome "dataError" and the reason recorded, the other departments go on.
   */
  invalidStoredData: 'InvalidStoredData',
  /** An e-mail the mail server refused for good (a bad address, no recipient): never retried. */
  mailRejected: 'MailRejected',
} as const;
export type FailureType = (typeof FailureTypes)[keyof typeof FailureTypes];

export function failure(type: FailureType, message: string, details: string[] = []): ApplicationFailure {
  return ApplicationFailure.create({ type, message, details: details.length ? [details] : undefined, nonRetryable: true });
}
