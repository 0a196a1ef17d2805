/**
 * Patch IDs for changes to workflows that may be running (`patched()`); each says what changed.
 * Remove one only when no workflow started before it can still be running or replayed.
 */
export const Patches = {
  /** Reminders on durable timers, the response receipt and the changes-requested e-mail. */
  notifications: 'department-review-notifications-v1',
  /**
   * Short database writes and date arithmetic run as local activities (one marker each instead of
   * three events and a round trip through the server).
   */
  localActivities: 'local-record-activities-v1',
  /**
   * An activity that finds a department's stored data unusable (InvalidStoredData) ends the review
   * with the outcome "dataError", recorded, instead of failing the review.
   */
  dataErrors: 'department-review-data-errors-v1',
  /**
   * Department reviews run the review machine as a new workflow type (`departmentReviewV2`); the
   * legacy `departmentReview` type stays registered for reviews already running.
   */
  reviewMachine: 'department-review-machine-v1',
} as const;
