import { eq, sql } from 'drizzle-orm';
import { ApplicationFailure } from '@temporalio/common';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { localDate, reminderInstants } from '../domain/businessDays';
import { nextRecordNumber } from '../db/recordNumbers';
import type { GoalStatus, Measurement } from '../domain/goals';
import type { Decision } from '../domain/review';
import type { ResponseWindow } from '../domain/responseWindow';
import type { DepartmentInfo, DepartmentReviewOutcome } from '../workflows/types';
import { FailureTypes } from '../workflows/failures';
import type { Audit } from './audit';
import { assertReviewData } from './dataChecks';
import type { Notifications } from './notifications';

export interface ReviewRef {
  reviewWorkflowId: string;
  fiscalYear: number;
  quarter: number;
  department: DepartmentInfo;
}

interface ReviewDependencies {
  db: Database;
  timeZone: string;
  now: () => Date;
  audit: Audit;
  notifications: Notifications;
}

/** A department's review: alert, response window, reminders' schedule, notes, decisions, cancellation, end. */
export function createReviewActivities({ db, timeZone, now, audit, notifications }: ReviewDependencies) {
  /** The alert's matrix is built from the department's data: unusable data fails, never retried. */
  async function assertAlertedData(reviewWorkflowId: string): Promise<void> {
    const [alerted] = await db
      .select({ departmentCode: t.alerts.departmentCode, goals: t.alerts.goals, fiscalYear: t.departmentReviews.fiscalYear })
      .from(t.alerts)
      .innerJoin(t.departmentReviews, eq(t.departmentReviews.workflowId, t.alerts.reviewWorkflowId))
      .where(eq(t.alerts.reviewWorkflowId, reviewWorkflowId));
    if (!alerted) return;
    const goals = Array.isArray(alerted.goals) ? (alerted.goals as { goalCode: string; measurement?: Measurement | null }[]) : [];
    await assertReviewData(db, { departmentCode: alerted.departmentCode, fiscalYear: alerted.fiscalYear, goals });
  }

  return {
    /** PE-P-008 task 3: the quarterly alert, recorded (e-mail delivery arrives with the outbox). */
    async sendAlert(
      input: Omit<ReviewRef, 'department'> & {
        cycleWorkflowId: string;
        department: DepartmentInfo;
        goals: { goalCode: string; name: string; status: GoalStatus | null; measurement: Measurement | null }[];
      },
    ): Promise<{ sentAt: string }> {
      // Data that cannot be processed fails here, not retried: the review records it (dataError).
      await assertReviewData(db, { departmentCode: input.department.code, fiscalYear: input.fiscalYear, goals: input.goals });
      return db.transaction(async (tx) => {
        const existing = await tx.select().from(t.alerts).where(eq(t.alerts.reviewWorkflowId, input.reviewWorkflowId));
        if (existing[0]) return { sentAt: new Date(existing[0].sentAt).toISOString() };
        const sentAt = now().toISOString();
        // New alerts go to the department's current version; the alert keeps which one it was.
        const [current] = await tx
          .select({ version: t.departments.version, liaisonEmail: t.departments.liaisonEmail })
          .from(t.departments)
          .where(eq(t.departments.code, input.department.code));
        const recipient = current ? current.liaisonEmail : input.department.liaisonEmail;
        await tx
          .insert(t.departmentReviews)
          .values({
            workflowId: input.reviewWorkflowId,
            cycleWorkflowId: input.cycleWorkflowId,
            departmentCode: input.department.code,
            fiscalYear: input.fiscalYear,
            quarter: input.quarter,
            status: 'alerted',
          })
          .onConflictDoNothing();
        // The deadline is recorded with the alert's delivery (alert_deliveries); here the alert's own time stands in.
        // Numbered in the transaction that records it: a failed or repeated attempt leaves no gap.
        const recordNumber = await nextRecordNumber(tx, 'alert', Number(localDate(new Date(sentAt), timeZone).slice(0, 4)));
        await tx.insert(t.alerts).values({
          reviewWorkflowId: input.reviewWorkflowId,
          recordNumber,
          departmentCode: input.department.code,
          recipient,
          departmentVersion: current?.version ?? null,
          goals: input.goals,
          deadline: sentAt,
          sentAt,
        });
        await audit(
          { key: `${input.reviewWorkflowId}:alert`, actor: 'sistema', action: 'alert.sent', subject: input.reviewWorkflowId, details: { recipient, departmentVersion: current?.version ?? null, goals: input.goals.map((g) => g.goalCode) } },
          tx,
        );
        return { sentAt };
      });
    },

    /**
     * The deadline is known (reviews started before the deadline counted from delivery): record it
     * and send the alert e-mail with the matrix and the personal link.
     */
    async openResponseWindow({
      reviewWorkflowId,
      deadline,
      responseWindow,
    }: {
      reviewWorkflowId: string;
      deadline: string;
      /** Absent in reviews started before alert e-mails existed. */
      responseWindow?: ResponseWindow;
    }): Promise<void> {
      await assertAlertedData(reviewWorkflowId);
      await db.insert(t.alertDeliveries).values({ reviewWorkflowId, deadline, deliveredAt: null }).onConflictDoNothing();
      if (responseWindow) await notifications.sendAlertMail(reviewWorkflowId, deadline, responseWindow);
    },

    /**
     * PE-P-008 task 3: e-mails the alert and returns when it was delivered (accepted by the SMTP
     * server, or stored in the outbox) and the deadline it states, counted from that delivery. The
     * delivery and its deadline are recorded (alert_deliveries); a repeated call returns them.
     */
    async deliverAlert({ reviewWorkflowId, responseWindow }: { reviewWorkflowId: string; responseWindow: ResponseWindow }): Promise<{ deadline: string; deliveredAt: string }> {
      const recorded = async () => {
        const [row] = await db.select().from(t.alertDeliveries).where(eq(t.alertDeliveries.reviewWorkflowId, reviewWorkflowId));
        return row ? { deadline: new Date(row.deadline).toISOString(), deliveredAt: new Date(row.deliveredAt ?? row.createdAt).toISOString() } : null;
      };
      const done = await recorded();
      if (done) return done;
      await assertAlertedData(reviewWorkflowId);
      const { deadline, deliveredAt, outboxId } = await notifications.deliverAlertMail(reviewWorkflowId, responseWindow);
      await db.insert(t.alertDeliveries).values({ reviewWorkflowId, deadline, deliveredAt, outboxId }).onConflictDoNothing();
      return (await recorded()) ?? { deadline, deliveredAt };
    },

    /** When to remind, for the given reminder offsets before the deadline (business days or clock time). */
    async scheduleReminders({ deadline, reminders, from }: { deadline: string; reminders: ResponseWindow[]; from: string }): Promise<{ instants: string[] }> {
      const businessDays = reminders.filter((r) => r.unit === 'businessDays').map((r) => r.amount);
      const clock = reminders
        .filter((r) => r.unit === 'milliseconds')
        .map((r) => new Date(Date.parse(deadline) - r.amount).toISOString())
        .filter((i) => Date.parse(i) > Date.parse(from));
      const instants = [...reminderInstants(deadline, businessDays, new Date(from), timeZone), ...clock];
      return { instants: [...new Set(instants)].sort() };
    },

    async recordNote(input: { reviewWorkflowId: string; sequence: number; coordinator: string; text: string; at: string }) {
      await audit({
        key: `${input.reviewWorkflowId}:note:${input.sequence}`,
        actor: input.coordinator,
        action: 'review.note',
        subject: input.reviewWorkflowId,
        details: { text: input.text, at: input.at },
      });
    },

    /** A withdrawn review: recorded with its reason, and the department told it need not answer. */
    async recordCancellation(input: { reviewWorkflowId: string; cancelledBy: string; reason: string; cancelledAt: string }) {
      await audit({
        key: `${input.reviewWorkflowId}:cancelled`,
        actor: input.cancelledBy,
        action: 'review.cancelled',
        subject: input.reviewWorkflowId,
        details: { reason: input.reason, at: input.cancelledAt },
      });
      await notifications.sendReviewCancelled(input);
    },

    async recordDecision({ reviewWorkflowId, round, decision }: { reviewWorkflowId: string; round: number; decision: Decision }) {
      await db.transaction(async (tx) => {
        await tx
          .insert(t.decisions)
          .values({
            reviewWorkflowId,
            round,
            decision: decision.decision,
            coordinator: decision.coordinator,
            comment: decision.comment ?? null,
          })
          .onConflictDoNothing();
        await audit(
          { key: `${reviewWorkflowId}:decision:${round}`, actor: decision.coordinator, action: decision.decision === 'approve' ? 'response.approved' : 'changes.requested', subject: reviewWorkflowId, details: { round, comment: decision.comment ?? null } },
          tx,
        );
      });
    },

    /**
     * The department's data could not be processed (InvalidStoredData): the review ends with the
     * outcome dataError, its reason and every problem in the audit log (shown in the monitor).
     */
    async recordDataError(input: {
      reviewWorkflowId: string;
      cycleWorkflowId: string;
      departmentCode: string;
      fiscalYear: number;
      quarter: number;
      reason: string;
      problems: string[];
      at: string;
    }): Promise<void> {
      await db.transaction(async (tx) => {
        await tx
          .insert(t.departmentReviews)
          .values({
            workflowId: input.reviewWorkflowId,
            cycleWorkflowId: input.cycleWorkflowId,
            departmentCode: input.departmentCode,
            fiscalYear: input.fiscalYear,
            quarter: input.quarter,
            status: 'dataError',
          })
          .onConflictDoUpdate({ target: t.departmentReviews.workflowId, set: { status: 'dataError' } });
        await audit(
          {
            key: `${input.reviewWorkflowId}:dataError`,
            actor: 'sistema',
            action: 'review.dataError',
            subject: input.reviewWorkflowId,
            details: { reason: input.reason, problems: input.problems, at: input.at },
          },
          tx,
        );
      });
    },

    async completeDepartmentReview({ reviewWorkflowId, outcome }: { reviewWorkflowId: string; outcome: DepartmentReviewOutcome }) {
      await db
        .update(t.departmentReviews)
        .set({ status: outcome, outcome, completedAt: sql`coalesce(${t.departmentReviews.completedAt}, now())` })
        .where(eq(t.departmentReviews.workflowId, reviewWorkflowId));
      await audit({ key: `${reviewWorkflowId}:completed`, actor: 'sistema', action: 'review.completed', subject: reviewWorkflowId, details: { outcome } });
      // An agreement leaves its document of justification and commitment, sent to the department.
      if (outcome !== 'reprogrammed' && outcome !== 'keptWithCommitment') return;
      try {
        await notifications.sendAgreementRecord(reviewWorkflowId, now());
      } catch (error) {
        // An address refused for good must not fail a review already agreed and applied: the refusal is recorded.
        if (!(error instanceof ApplicationFailure) || error.type !== FailureTypes.mailRejected) throw error;
        await audit({ key: `${reviewWorkflowId}:agreementMailRejected`, actor: 'sistema', action: 'mail.rejected', subject: reviewWorkflowId, details: { reason: error.message } });
      }
    },
  };
}
