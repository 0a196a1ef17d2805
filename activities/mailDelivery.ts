import { ApplicationFailure } from '@temporalio/common';
import type { Database } from '../db/client';
import type { PdfSigner } from '../documents/pdfSigner';
import * as t from '../db/schema';
import { type Mailer, MailDeliveryError, MailValidationError, type OutgoingMail, type MailContext } from '../mail';
import { FailureTypes } from '../workflows/failures';

export interface NotificationDependencies {
  db: Database;
  mailer: Mailer;
  timeZone: string;
  /** Base address of the app, for the links in e-mails. */
  publicUrl: string;
  coordinatorEmail?: string;
  officeName?: string;
  /** The liaison's personal link to the response form of a review. */
  reviewLink?: (review: { reviewWorkflowId: string; departmentCode: string }) => string;
  /** The activities' clock (a time-skipping test server's in tests): days left and timestamps in e-mails. */
  now?: () => Date;
  /** Signs the PDF records (documents/pdfSigner.ts); without it they are issued unsigned and say so. */
  pdfSigner?: PdfSigner;
}

/** Temporal retries delivery problems; a message that can never be valid must not be retried. */
export async function deliver(mailer: Mailer, message: OutgoingMail) {
  try {
    return await mailer.send(message);
  } catch (error) {
    if (error instanceof MailValidationError || (error instanceof MailDeliveryError && error.permanent)) {
      throw ApplicationFailure.nonRetryable(error.message, FailureTypes.mailRejected);
    }
    throw error;
  }
}

export async function mailContext(db: Database, timeZone: string, officeName: string): Promise<MailContext> {
  const [plan] = await db.select({ municipality: t.plans.municipality }).from(t.plans).limit(1);
  return { municipality: plan?.municipality ?? 'Municipio', officeName, timeZone };
}

/** Where a department's e-mail goes: its liaison, or the coordinator when no liaison is registered. */
export function recipientsFor(
  liaisonEmail: string | null,
  coordinatorEmail: string | undefined,
  /** The líder de la dependencia, copied on what is agreed with the department (alert, constancia, agreement). */
  headEmail?: string | null,
): { to: string[]; cc: string[] } {
  const copies = (to: string | undefined) => [...new Set([coordinatorEmail, headEmail ?? undefined].filter((e): e is string => Boolean(e) && e !== to))];
  if (liaisonEmail) return { to: [liaisonEmail], cc: copies(liaisonEmail) };
  if (coordinatorEmail) return { to: [coordinatorEmail], cc: copies(coordinatorEmail) };
  throw ApplicationFailure.nonRetryable('La dependencia no tiene correo de enlace y no hay correo de coordinación (COORDINATOR_EMAIL)', FailureTypes.mailRejected);
}
