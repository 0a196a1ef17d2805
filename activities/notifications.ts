import type { ResponseWindow } from '../domain/responseWindow';
import type { Audit } from './audit';
import type { NotificationDependencies } from './mailDelivery';
import { createRecordMail } from './recordMail';
import { createReviewMail } from './reviewMail';
import { createReviewReader } from './reviewFacts';

export { deliver, type NotificationDependencies } from './mailDelivery';

/** Every e-mail of PE-P-008 (the conversation of a review and its records), for the activities to send. */
export function createNotifications(deps: NotificationDependencies) {
  return { ...createReviewMail(deps), ...createRecordMail(deps), remindersSentAt: createReviewReader(deps).remindersSentAt };
}

export type Notifications = ReturnType<typeof createNotifications>;

/** Activities whose whole job is an e-mail: the receipt, changes requested, a resent alert, a reminder. */
export function createNotificationActivities({ notifications, audit }: { notifications: Notifications; audit: Audit }) {
  return {
    sendResponseReceipt: (input: Parameters<typeof notifications.sendResponseReceipt>[0]) => notifications.sendResponseReceipt(input).then(() => undefined),
    sendChangesRequested: (input: Parameters<typeof notifications.sendChangesRequested>[0]) =>
      notifications.sendChangesRequested(input).then(() => undefined),

    /** The coordinator sends the alert again (a new message each time, same link and deadline). */
    async resendAlert(input: { reviewWorkflowId: string; sequence: number; deadline: string; responseWindow: ResponseWindow; coordinator: string }) {
      await notifications.sendAlertMail(input.reviewWorkflowId, input.deadline, input.responseWindow, `alert:resend:${input.sequence}`);
      await audit({
        key: `${input.reviewWorkflowId}:alert:resend:${input.sequence}`,
        actor: input.coordinator,
        action: 'alert.resent',
        subject: input.reviewWorkflowId,
        details: { sequence: input.sequence },
      });
    },

    async sendReminder({ reviewWorkflowId, sequence, deadline }: { reviewWorkflowId: string; sequence: number; deadline: string }): Promise<void> {
      await notifications.sendReminderMail(reviewWorkflowId, sequence, deadline);
      await audit({
        key: `${reviewWorkflowId}:reminder:${sequence}`,
        actor: 'sistema',
        action: 'reminder.sent',
        subject: reviewWorkflowId,
        details: { sequence, deadline },
      });
    },
  };
}
