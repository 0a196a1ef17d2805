import { ApplicationFailure } from '@temporalio/common';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { describeUnsafeInput, findUnsafeInput } from '../domain/inputText';
import type { ResponseSubmission } from '../domain/review';
import type { ReviewView } from '../domain/reviewViews';
import { assertValidResponse } from '../workflows/responseChecks';
import { resolveCouncilAgreements } from './councilAgreements';
import { AppError } from './errors';
import { loadReviewRecords, reviewViewsFromRecords } from './reviewReadModel';

/**
 * Respuestas extemporáneas: an answer sent through the liaison's link after the review's deadline
 * (the review closed with its constancia, or the workflow refused it because the deadline came
 * while the liaison typed). It is validated like an on-time answer and kept, append-only, before
 * the liaison is told; it never reopens the review. The coordinator reads it and may take it into
 * a new round or the next quarter's review.
 */

/** Why an answer is late: the review had closed with its constancia, or the workflow refused it at the deadline. */
export type LateSource = 'closed' | 'refused';

export interface LateResponse {
  id: number;
  reviewWorkflowId: string;
  cycleWorkflowId: string;
  departmentCode: string;
  departmentName: string;
  fiscalYear: number;
  quarter: number;
  round: number;
  deadline: string | null;
  respondentName: string;
  answers: ResponseSubmission;
  source: LateSource;
  receivedAt: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The instant after which a review's link no longer takes late answers (`days` after the deadline). */
export const lateAnswersUntil = (deadline: string, days: number): Date => new Date(Date.parse(deadline) + days * DAY_MS);

/**
 * A review as recorded by its activities, without asking the workflow (a closed one would be
 * replayed, and may be gone once Temporal's retention passes); undefined when never recorded.
 */
export async function recordedReview(db: Database, workflowId: string): Promise<ReviewView | undefined> {
  const [row] = await db
    .select({ cycleWorkflowId: t.departmentReviews.cycleWorkflowId })
    .from(t.departmentReviews)
    .where(eq(t.departmentReviews.workflowId, workflowId));
  if (!row) return undefined;
  const records = (await loadReviewRecords(db, row.cycleWorkflowId)).filter((r) => r.workflowId === workflowId);
  return (await reviewViewsFromRecords(db, records))[0];
}

/** The same checks as an on-time answer (schema, every goal once, meta cuatrienio), as an AppError by field. */
function checkSubmission(view: ReviewView, submission: unknown): ResponseSubmission {
  const unsafe = findUnsafeInput(submission);
  if (unsafe) throw new AppError('invalid_input', 'La respuesta tiene errores', [describeUnsafeInput(unsafe)]);
  try {
    assertValidResponse({ goalViews: () => view.goals }, view.fiscalYear, submission, new Date());
  } catch (error) {
    if (!(error instanceof ApplicationFailure)) throw error;
    const details = Array.isArray(error.details?.[0]) ? (error.details[0] as string[]) : [];
    throw new AppError('invalid_input', error.message, details);
  }
  return submission as ResponseSubmission;
}

/**
 * Validates a late answer and keeps it with the form as typed and an audit entry, in one
 * transaction, before anything is acknowledged. Refused answers (AppError, by field) are not kept.
 */
export async function recordLateResponse(
  db: Database,
  { view, submission, form, source }: { view: ReviewView; submission: unknown; form: Record<string, string>; source: LateSource },
): Promise<{ id: number; receivedAt: string }> {
  const answer = checkSubmission(view, await resolveCouncilAgreements(db, submission));
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(t.lateResponses)
      .values({
        reviewWorkflowId: view.workflowId,
        cycleWorkflowId: view.cycleWorkflowId,
        departmentCode: view.department.code,
        fiscalYear: view.fiscalYear,
        quarter: view.quarter,
        round: view.round,
        deadline: view.deadline,
        respondentName: answer.respondent.name,
        answers: answer,
        rawForm: form,
        source,
      })
      .returning({ id: t.lateResponses.id, receivedAt: t.lateResponses.receivedAt });
    const stored = row as { id: number; receivedAt: string };
    await tx.insert(t.auditLog).values({
      idempotencyKey: `${view.workflowId}:lateResponse:${stored.id}`,
      actor: `enlace ${view.department.code}: ${answer.respondent.name}`,
      action: 'review.lateResponse',
      subject: view.workflowId,
      details: { lateResponseId: stored.id, source, deadline: view.deadline, round: view.round, goals: answer.answers.map((a) => a.goalCode) },
    });
    return stored;
  });
}

const columns = {
  id: t.lateResponses.id,
  reviewWorkflowId: t.lateResponses.reviewWorkflowId,
  cycleWorkflowId: t.lateResponses.cycleWorkflowId,
  departmentCode: t.lateResponses.departmentCode,
  departmentName: t.departments.name,
  fiscalYear: t.lateResponses.fiscalYear,
  quarter: t.lateResponses.quarter,
  round: t.lateResponses.round,
  deadline: t.lateResponses.deadline,
  respondentName: t.lateResponses.respondentName,
  answers: t.lateResponses.answers,
  source: t.lateResponses.source,
  receivedAt: t.lateResponses.receivedAt,
};

const toLateResponse = (row: Omit<LateResponse, 'answers' | 'departmentName'> & { answers: unknown; departmentName: string | null }): LateResponse => ({
  ...row,
  departmentName: row.departmentName ?? row.departmentCode,
  answers: row.answers as ResponseSubmission,
});

/** Late answers, newest first: every department's, or one department's (a liaison's scope). */
export async function listLateResponses(db: Database, { departmentCode, limit = 200 }: { departmentCode?: string; limit?: number } = {}): Promise<LateResponse[]> {
  const rows = await db
    .select(columns)
    .from(t.lateResponses)
    .leftJoin(t.departments, eq(t.departments.code, t.lateResponses.departmentCode))
    .where(departmentCode === undefined ? undefined : eq(t.lateResponses.departmentCode, departmentCode))
    .orderBy(desc(t.lateResponses.receivedAt), desc(t.lateResponses.id))
    .limit(limit);
  return rows.map(toLateResponse);
}

/** One late answer, or undefined. */
export async function readLateResponse(db: Database, id: number): Promise<LateResponse | undefined> {
  const [row] = await db
    .select(columns)
    .from(t.lateResponses)
    .leftJoin(t.departments, eq(t.departments.code, t.lateResponses.departmentCode))
    .where(eq(t.lateResponses.id, id));
  return row ? toLateResponse(row) : undefined;
}

/** Which of these reviews received a late answer (the cycle's monitor). */
/** Of these reviews, those with a late answer, each with its latest one's id (to link it). */
export async function reviewsWithLateResponses(db: Database, reviewWorkflowIds: readonly string[]): Promise<Map<string, number>> {
  if (reviewWorkflowIds.length === 0) return new Map();
  const rows = await db
    .select({ reviewWorkflowId: t.lateResponses.reviewWorkflowId, id: t.lateResponses.id })
    .from(t.lateResponses)
    .where(and(inArray(t.lateResponses.reviewWorkflowId, [...reviewWorkflowIds])));
  const latest = new Map<string, number>();
  for (const row of rows) latest.set(row.reviewWorkflowId, Math.max(row.id, latest.get(row.reviewWorkflowId) ?? 0));
  return latest;
}
