import type { Database } from '../db/client';
import { createMailer, type Mailer } from '../mail';
import { createAudit } from './audit';
import { createCycleActivities } from './cycle';
import { createGoalStepActivities } from './goalSteps';
import { createNotificationActivities, createNotifications, type NotificationDependencies } from './notifications';
import { createProgrammingActivities } from './programming';
import { createRecordActivities } from './records';
import { createReviewActivities } from './review';

export interface ActivityDependencies {
  db: Database;
  /** Deadlines end at midnight in the office's time zone (TZ, America/Bogota by default). */
  timeZone: string;
  now?: () => Date;
  /** E-mail (SMTP or the outbox); default: the outbox only. */
  mailer?: Mailer;
  /** Base address of the app for links in e-mails. */
  publicUrl?: string;
  coordinatorEmail?: string;
  /** The liaison's personal link to a review's response form. */
  reviewLink?: NotificationDependencies['reviewLink'];
  /** Signs the PDF records with the configured certificate; without it they are issued unsigned and say so. */
  pdfSigner?: NotificationDependencies['pdfSigner'];
}

/**
 * Every side effect of PE-P-008, composed from one factory per concern. Each activity is
 * idempotent: keyed by workflow ID (and goal), so a retry after a crash never writes a record twice.
 * The keys are the registered activity types that workflow histories record: never rename one.
 */
export function createActivities({
  db,
  timeZone,
  now = () => new Date(),
  mailer = createMailer({ db, from: 'Oficina de Planeación <planeacion@municipio.gov.co>' }),
  publicUrl = 'http://localhost:3000',
  coordinatorEmail,
  reviewLink,
  pdfSigner,
}: ActivityDependencies) {
  const audit = createAudit(db);
  const notifications = createNotifications({ db, mailer, timeZone, publicUrl, coordinatorEmail, reviewLink, now, pdfSigner });
  const review = createReviewActivities({ db, timeZone, now, audit, notifications });
  const notificationActivities = createNotificationActivities({ notifications, audit });
  return {
    ...createCycleActivities({ db, timeZone, audit }),
    ...review,
    ...createGoalStepActivities({ db }),
    ...notificationActivities,
    ...createRecordActivities({ db, timeZone, now, audit, notifications }),
    ...createProgrammingActivities({ db, audit, now }),
    // Names that say what they do, used by departmentReviewV2. The older names stay registered for
    // reviews of the legacy type, whose histories call them.
    /** Records the alert (no e-mail yet: the deadline is not known). */
    recordAlert: review.sendAlert,
    /** Records the deadline and e-mails the alert with the matrix and the personal link. */
    sendAlertEmail: review.openResponseWindow,
    /** E-mails the alert; its deadline counts from the delivery (returned with it). */
    deliverAlertEmail: review.deliverAlert,
    sendReminderEmail: notificationActivities.sendReminder,
    resendAlertEmail: notificationActivities.resendAlert,
  };
}

export type ReviewActivities = ReturnType<typeof createActivities>;
