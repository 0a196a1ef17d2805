import { and, asc, desc, eq, like } from 'drizzle-orm';
import { ApplicationFailure } from '@temporalio/common';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { addBusinessDays, isBusinessDay, localDate } from '../domain/businessDays';
import type { GoalStatus, Measurement } from '../domain/goals';
import type { ResponseWindow } from '../domain/responseWindow';
import {
  type Mailer,
  MailDeliveryError,
  MailValidationError,
  noAdjustmentRecord,
  type OutgoingMail,
  quarterlyAlert,
  reminder,
  reprogrammingApproved,
  responseReceipt,
  changesRequested,
  reviewCancelled,
  type MailContext,
} from '../mail';
import { storeJustificationAndCommitment, storeNoAdjustmentRecord, readDocument } from '../documents';
import type { GoalState, SavedGoalState } from '../machines/goalStatus';
import type { GoalAnswer } from '../domain/review';
import { exportMatrix } from '../reports';
import { planThresholds } from '../db/planThresholds';
import { departmentAsAlerted } from '../db/departmentVersions';
import { defaultThresholds } from '../domain/goals';

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
}

/** Temporal retries delivery problems; a message that can never be valid must not be retried. */
export async function deliver(mailer: Mailer, message: OutgoingMail) {
  try {
    return await mailer.send(message);
  } catch (error) {
    if (error instanceof MailValidationError || (error instanceof MailDeliveryError && error.permanent)) {
      throw ApplicationFailure.nonRetryable(error.message, 'MailRejected');
    }
    throw error;
  }
}

async function mailContext(db: Database, timeZone: string, officeName: string): Promise<MailContext> {
  const [plan] = await db.select({ municipality: t.plans.municipality }).from(t.plans).limit(1);
  return { municipality: plan?.municipality ?? 'Municipio', officeName, timeZone };
}

/** Where a department's e-mail goes: its liaison, or the coordinator when no liaison is registered. */
function recipientsFor(liaisonEmail: string | null, coordinatorEmail: string | undefined): { to: string[]; cc: string[] } {
  if (liaisonEmail) return { to: [liaisonEmail], cc: coordinatorEmail ? [coordinatorEmail] : [] };
  if (coordinatorEmail) return { to: [coordinatorEmail], cc: [] };
  throw ApplicationFailure.nonRetryable('La dependencia no tiene correo de enlace y no hay correo de coordinación (COORDINATOR_EMAIL)', 'MailRejected');
}

/** Business days from a local date to the deadline's local date (0 = the deadline is today). */
export function businessDaysBetween(fromDate: string, toDate: string): number {
  let days = 0;
  let cursor = fromDate;
  while (cursor < toDate) {
    cursor = addBusinessDays(cursor, 1);
    if (cursor <= toDate) days++;
  }
  return days;
}

interface AlertedGoal {
  goalCode: string;
  name: string;
  status: GoalStatus | null;
  measurement: Measurement | null;
}

/** The alert row keeps the deadline the response window opened with (extensions live in the machine). */
const initialDeadline = (alertDeadline: string) => new Date(alertDeadline).toISOString();

export function createNotifications(deps: NotificationDependencies) {
  const { db, mailer, timeZone, publicUrl, coordinatorEmail, officeName = 'Oficina de Planeación', now = () => new Date() } = deps;
  const linkFor = (reviewWorkflowId: string, departmentCode: string) =>
    deps.reviewLink?.({ reviewWorkflowId, departmentCode }) ?? `${publicUrl}/responder/${encodeURIComponent(reviewWorkflowId)}`;

  async function reviewFacts(reviewWorkflowId: string) {
    const [row] = await db
      .select({ review: t.departmentReviews, alert: t.alerts, department: t.departments })
      .from(t.departmentReviews)
      .innerJoin(t.alerts, eq(t.alerts.reviewWorkflowId, t.departmentReviews.workflowId))
      .innerJoin(t.departments, eq(t.departments.code, t.departmentReviews.departmentCode))
      .where(eq(t.departmentReviews.workflowId, reviewWorkflowId));
    if (!row) throw ApplicationFailure.nonRetryable(`No hay alerta registrada para ${reviewWorkflowId}`, 'MissingAlert');
    // The department as the alert went out (its liaison then), for the alert itself and the records.
    const alerted = (await departmentAsAlerted(db, row.department.code, row.alert.departmentVersion)) ?? row.department;
    return { ...row, alertedDepartment: { ...row.department, ...alerted } };
  }

  /** What every e-mail of a review starts with: the office, the department, the quarter. */
  async function reviewMailContext(
    review: { fiscalYear: number; quarter: number },
    department: { code: string; name: string; liaisonName: string | null },
  ) {
    return {
      ...(await mailContext(db, timeZone, officeName)),
      department: { code: department.code, name: department.name, liaisonName: department.liaisonName },
      fiscalYear: review.fiscalYear,
      quarter: review.quarter,
    };
  }

  /** What both PDF records of a review state about it: issuer, department, alert, reminders, deadlines. */
  function documentFrame(
    facts: Awaited<ReturnType<typeof reviewFacts>>,
    municipality: string,
    reminders: string[],
    extensions: { deadline: string; reason: string }[],
  ) {
    return {
      issuer: { municipality },
      timeZone,
      reviewWorkflowId: facts.review.workflowId,
      fiscalYear: facts.review.fiscalYear,
      quarter: facts.review.quarter as 1 | 2 | 3 | 4,
      department: {
        code: facts.alertedDepartment.code,
        name: facts.alertedDepartment.name,
        liaisonName: facts.alertedDepartment.liaisonName,
        liaisonEmail: facts.alertedDepartment.liaisonEmail,
      },
      alert: { sentAt: new Date(facts.alert.sentAt).toISOString(), recipient: facts.alert.recipient },
      reminders,
      deadline: { initial: initialDeadline(facts.alert.deadline), extensions },
    };
  }

  /** Each goal's latest machine snapshot in a review (what the workflow last recorded). */
  async function latestSnapshots(reviewWorkflowId: string): Promise<SavedGoalState[]> {
    const rows = await db
      .selectDistinctOn([t.goalReviewStates.goalCode], { snapshot: t.goalReviewStates.snapshot })
      .from(t.goalReviewStates)
      .where(eq(t.goalReviewStates.reviewWorkflowId, reviewWorkflowId))
      .orderBy(t.goalReviewStates.goalCode, desc(t.goalReviewStates.sequence));
    return rows.map((r) => r.snapshot as SavedGoalState);
  }
  const latestContext = async (reviewWorkflowId: string) => (await latestSnapshots(reviewWorkflowId))[0]?.context;

  return {
    /** PE-P-008 task 3: the quarterly alert with the matrix of lagging goals and the personal link. */
    async sendAlertMail(reviewWorkflowId: string, deadline: string, responseWindow: ResponseWindow, purpose = 'alert') {
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
      const content = quarterlyAlert({
        ...(await reviewMailContext(review, department)),
        goals: alert.goals as { goalCode: string; name: string; status: GoalStatus | null; measurement: Measurement | null }[],
        responseWindow,
        deadline,
        responseUrl: linkFor(reviewWorkflowId, department.code),
        matrixFileName: matrix.fileName,
      });
      return deliver(mailer, {
        idempotencyKey: `${reviewWorkflowId}:${purpose}`,
        ...recipientsFor(department.liaisonEmail, coordinatorEmail),
        ...content,
        attachments: [{ fileName: matrix.fileName, contentType: matrix.contentType, content: matrix.content }],
      });
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

    /**
     * PE-P-008 task 3, no answer: the constancia de negativa de ajustes as a PDF (stored once),
     * e-mailed to the department with the coordinator in copy.
     */
    async sendNoAdjustmentRecord(reviewWorkflowId: string, goalCodes: string[], recordedAt: Date) {
      const facts = await reviewFacts(reviewWorkflowId);
      const context = await latestContext(reviewWorkflowId);
      const mail = await mailContext(db, timeZone, officeName);
      const reminders = await this.remindersSentAt(reviewWorkflowId);
      const goals = (facts.alert.goals as AlertedGoal[]).filter((g) => goalCodes.includes(g.goalCode));
      const document = await storeNoAdjustmentRecord(db, {
        ...documentFrame(facts, mail.municipality, reminders, context?.extensions ?? []),
        recordedAt: recordedAt.toISOString(),
        goals,
      });
      const pdf = await readDocument(db, document.id);
      if (!pdf) throw new Error(`Documento ${document.id} no encontrado`);
      const content = noAdjustmentRecord({
        ...mail,
        department: { code: facts.department.code, name: facts.department.name, liaisonName: facts.department.liaisonName },
        fiscalYear: facts.review.fiscalYear,
        quarter: facts.review.quarter,
        reference: reviewWorkflowId,
        goals: goals.map(({ goalCode, name, status }) => ({ goalCode, name, status })),
        alertedAt: new Date(facts.alert.sentAt).toISOString(),
        remindersSentAt: reminders,
        deadline: context?.deadline ?? new Date(facts.alert.deadline).toISOString(),
        recordedAt: recordedAt.toISOString(),
        pdfFileName: pdf.fileName,
      });
      await deliver(mailer, {
        idempotencyKey: `${reviewWorkflowId}:noAdjustment`,
        ...recipientsFor(facts.department.liaisonEmail, coordinatorEmail),
        ...content,
        attachments: [{ fileName: pdf.fileName, contentType: pdf.contentType, content: pdf.content, documentId: document.id }],
      });
    },

    /**
     * PE-P-008 task 5, agreement reached: the document of justification and commitment (stored
     * once) e-mailed to the department with the coordinator in copy.
     */
    async sendAgreementRecord(reviewWorkflowId: string, recordedAt: Date) {
      const facts = await reviewFacts(reviewWorkflowId);
      const snapshots = await latestSnapshots(reviewWorkflowId);
      const context = snapshots[0]?.context;
      const [approval] = await db
        .select()
        .from(t.decisions)
        .where(and(eq(t.decisions.reviewWorkflowId, reviewWorkflowId), eq(t.decisions.decision, 'approve')))
        .orderBy(desc(t.decisions.round))
        .limit(1);
      if (!approval || !context) throw ApplicationFailure.nonRetryable(`La revisión ${reviewWorkflowId} no tiene aprobación registrada`, 'MissingDecision');
      const changes = await db
        .select()
        .from(t.decisions)
        .where(and(eq(t.decisions.reviewWorkflowId, reviewWorkflowId), eq(t.decisions.decision, 'requestChanges')))
        .orderBy(asc(t.decisions.round));
      const reprogrammed = new Map(
        (await db.select().from(t.reprogrammings).where(eq(t.reprogrammings.reviewWorkflowId, reviewWorkflowId))).map((r) => [r.goalCode, r]),
      );
      const [response] = await db
        .select()
        .from(t.responses)
        .where(and(eq(t.responses.reviewWorkflowId, reviewWorkflowId), eq(t.responses.accepted, true)))
        .orderBy(desc(t.responses.id))
        .limit(1);
      const alerted = new Map((facts.alert.goals as AlertedGoal[]).map((g) => [g.goalCode, g]));
      const goals = snapshots.flatMap((s) => {
        const answer = s.context.answer;
        const goal = alerted.get(s.context.goalCode);
        if (!answer || !goal) return [];
        const applied = reprogrammed.get(goal.goalCode);
        return [
          {
            ...goal,
            action: answer.action,
            justification: answer.justification,
            commitment: answer.commitment,
            before: (applied?.before as never) ?? null,
            after: answer.action === 'reprogram' ? ((applied?.after as never) ?? null) : null,
            altersTermTarget: applied?.altersTermTarget ?? false,
            councilAgreement: applied?.councilAgreement ?? null,
          },
        ];
      });
      const mail = await mailContext(db, timeZone, officeName);
      const respondent = (response?.payload as { respondent?: { name: string; email?: string } } | undefined)?.respondent;
      const document = await storeJustificationAndCommitment(db, {
        ...documentFrame(facts, mail.municipality, await this.remindersSentAt(reviewWorkflowId), context.extensions),
        recordedAt: recordedAt.toISOString(),
        goals,
        response: respondent && response ? { respondent, submittedAt: new Date(response.receivedAt).toISOString() } : null,
        changeRequests: context.changeRequests.map((c, i) => ({
          comment: c.comment,
          deadline: c.deadline,
          requestedAt: changes[i] ? new Date(changes[i].createdAt).toISOString() : undefined,
          coordinator: changes[i]?.coordinator,
        })),
        approval: { approvedBy: approval.coordinator, approvedAt: new Date(approval.createdAt).toISOString(), round: approval.round, comment: approval.comment },
      });
      const pdf = await readDocument(db, document.id);
      if (!pdf) throw new Error(`Documento ${document.id} no encontrado`);
      const content = reprogrammingApproved({
        ...mail,
        department: { code: facts.department.code, name: facts.department.name, liaisonName: facts.department.liaisonName },
        fiscalYear: facts.review.fiscalYear,
        quarter: facts.review.quarter,
        reference: reviewWorkflowId,
        approvedBy: approval.coordinator,
        approvedAt: new Date(approval.createdAt).toISOString(),
        reprogrammed: goals
          .filter((g) => g.action === 'reprogram' && reprogrammed.has(g.goalCode))
          .map((g) => ({
            goalCode: g.goalCode,
            name: g.name,
            before: reprogrammed.get(g.goalCode)?.before as never,
            after: reprogrammed.get(g.goalCode)?.after as never,
            justification: g.justification,
            commitment: g.commitment,
            altersTermTarget: g.altersTermTarget,
            councilAgreement: g.councilAgreement,
          })),
        kept: goals.filter((g) => g.action === 'keep').map(({ goalCode, name, justification, commitment }) => ({ goalCode, name, justification, commitment })),
        documentFileName: pdf.fileName,
        reviewUrl: linkFor(reviewWorkflowId, facts.department.code),
      });
      await deliver(mailer, {
        idempotencyKey: `${reviewWorkflowId}:agreement`,
        ...recipientsFor(facts.department.liaisonEmail, coordinatorEmail),
        ...content,
        attachments: [{ fileName: pdf.fileName, contentType: pdf.contentType, content: pdf.content, documentId: document.id }],
      });
    },

    /** The liaison's receipt: what was submitted, per goal, and where the review stands. */
    async sendResponseReceipt(input: {
      reviewWorkflowId: string;
      round: number;
      respondent: { name: string; email?: string };
      answers: { goalCode: string; name: string; answer: GoalAnswer }[];
      reviewStatus: GoalState;
    }) {
      const { review, department } = await reviewFacts(input.reviewWorkflowId);
      const content = responseReceipt({
        ...(await reviewMailContext(review, department)),
        respondent: input.respondent,
        receivedAt: now().toISOString(),
        round: input.round,
        answers: input.answers,
        reviewStatus: input.reviewStatus,
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

    /** When each reminder of a review went out (for the constancia's dates). */
    async remindersSentAt(reviewWorkflowId: string): Promise<string[]> {
      const rows = await db
        .select({ createdAt: t.outbox.createdAt })
        .from(t.outbox)
        .where(and(like(t.outbox.idempotencyKey, `${reviewWorkflowId}:reminder:%`)))
        .orderBy(asc(t.outbox.id));
      return rows.map((r) => new Date(r.createdAt).toISOString());
    },
  };
}

/**
 * The instants to remind at: the start (08:00 local) of the business day that is `n` business days
 * before the deadline's day, for each n; past instants and duplicates are dropped.
 */
export function reminderInstants(deadline: string, businessDaysBefore: number[], now: Date, timeZone: string): string[] {
  const deadlineDay = localDate(new Date(deadline), timeZone);
  const instants = businessDaysBefore.map((n) => {
    let day = deadlineDay;
    let remaining = n;
    while (remaining > 0) {
      const previous = new Date(`${day}T12:00:00Z`);
      previous.setUTCDate(previous.getUTCDate() - 1);
      day = previous.toISOString().slice(0, 10);
      if (isBusinessDay(day)) remaining--;
    }
    return startOfLocalBusinessDay(day, timeZone);
  });
  return [...new Set(instants)].filter((i) => Date.parse(i) > now.getTime() && Date.parse(i) < Date.parse(deadline)).sort();
}

/** 08:00 local time of a date, as an ISO instant. */
function startOfLocalBusinessDay(isoDate: string, timeZone: string): string {
  const guess = new Date(`${isoDate}T08:00:00Z`);
  const local = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit' }).formatToParts(guess);
  const hour = Number(local.find((p) => p.type === 'hour')?.value);
  const minute = Number(local.find((p) => p.type === 'minute')?.value);
  return new Date(guess.getTime() - ((hour - 8) * 60 + minute) * 60_000).toISOString();
}
