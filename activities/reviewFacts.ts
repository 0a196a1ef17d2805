import { and, asc, desc, eq, like } from 'drizzle-orm';
import { ApplicationFailure } from '@temporalio/common';
import * as t from '../db/schema';
import { departmentAsAlerted } from '../db/departmentVersions';
import type { GoalStatus, Measurement } from '../domain/goals';
import type { SavedGoalState } from '../machines/goalStatus';
import { mailContext, type NotificationDependencies } from './mailDelivery';

export interface AlertedGoal {
  goalCode: string;
  name: string;
  status: GoalStatus | null;
  measurement: Measurement | null;
}

/** The deadline the response window opened with (extensions live in the machine). */
const initialDeadline = (alertDeadline: string) => new Date(alertDeadline).toISOString();

/** What the e-mails and records of a review read about it: the review, its alert, its department, its steps. */
export function createReviewReader(deps: NotificationDependencies) {
  const { db, timeZone, publicUrl, officeName = 'Oficina de Planeación' } = deps;
  const linkFor = (reviewWorkflowId: string, departmentCode: string) =>
    deps.reviewLink?.({ reviewWorkflowId, departmentCode }) ?? `${publicUrl}/responder/${encodeURIComponent(reviewWorkflowId)}`;

  async function reviewFacts(reviewWorkflowId: string) {
    const [row] = await db
      .select({ review: t.departmentReviews, alert: t.alerts, department: t.departments, deliveredDeadline: t.alertDeliveries.deadline })
      .from(t.departmentReviews)
      .innerJoin(t.alerts, eq(t.alerts.reviewWorkflowId, t.departmentReviews.workflowId))
      .leftJoin(t.alertDeliveries, eq(t.alertDeliveries.reviewWorkflowId, t.departmentReviews.workflowId))
      .innerJoin(t.departments, eq(t.departments.code, t.departmentReviews.departmentCode))
      .where(eq(t.departmentReviews.workflowId, reviewWorkflowId));
    if (!row) throw ApplicationFailure.nonRetryable(`No hay alerta registrada para ${reviewWorkflowId}`, 'MissingAlert');
    // The department as the alert went out (its liaison then), for the alert itself and the records.
    const alerted = (await departmentAsAlerted(db, row.department.code, row.alert.departmentVersion)) ?? row.department;
    const { deliveredDeadline, ...facts } = row;
    // The deadline the response window opened with: recorded with the alert's delivery (older alerts kept it on their row).
    return { ...facts, alert: { ...row.alert, deadline: deliveredDeadline ?? row.alert.deadline }, alertedDepartment: { ...row.department, ...alerted } };
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
        headName: facts.alertedDepartment.headName,
        headTitle: facts.alertedDepartment.headTitle,
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

  /** When each reminder of a review went out (for the constancia's dates). */
  async function remindersSentAt(reviewWorkflowId: string): Promise<string[]> {
    const rows = await db
      .select({ createdAt: t.outbox.createdAt })
      .from(t.outbox)
      .where(and(like(t.outbox.idempotencyKey, `${reviewWorkflowId}:reminder:%`)))
      .orderBy(asc(t.outbox.id));
    return rows.map((r) => new Date(r.createdAt).toISOString());
  }

  return { linkFor, reviewFacts, reviewMailContext, documentFrame, latestSnapshots, latestContext, remindersSentAt };
}
