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
  /**
   * An e-mail the mail server refuses for good (MailRejected) no longer fails the review: the
   * refusal becomes a note on the review, visible on the monitor, and the review goes on.
   */
  undeliverableMail: 'department-review-undeliverable-mail-v1',
  /**
   * A department review that fails or is terminated no longer fails the cycle (which would end
   * every other department's review): its outcome is "failed" and the others go on.
   */
  failedReviews: 'cycle-failed-reviews-v1',
  /**
   * Goals are measured by DNP's six accumulation types from the línea base, with "sin reporte" and
   * "ejecución sin programación" (domain/measurement.ts); cycles started before keep the first
   * arithmetic (domain/measurementV1.ts), so they flag and review the same departments on replay.
   */
  dnpMeasurement: 'cycle-dnp-measurement-v1',
  /**
   * The response window opens when the alert e-mail is delivered: the delivery activity
   * (deliverAlertEmail) computes the deadline from the delivery and the e-mail states it, instead
   * of the deadline being fixed first and the e-mail sent after it.
   */
  deadlineFromDelivery: 'department-review-deadline-from-delivery-v1',
  /**
   * The third quarter's cumulative matrix reads the verdicts earlier cycles recorded (their
   * dashboards, with the programming in force then) instead of recomputing every quarter with the
   * current programming; cycles started before keep recomputing, so they replay.
   */
  frozenVerdicts: 'cycle-frozen-verdicts-v1',
} as const;
