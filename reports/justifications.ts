/** The justification matrix: per goal of the quarter's reviews, the answer, the outcome and the programming before and after. */
import { and, eq, like, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import type { Quarter } from '../domain/goals';
import type { JustificationOutcome, JustificationReport, JustificationRow, StoredAnswer } from './reportTypes';
import { parseStored, programmingVersionSchema, reviewSnapshotSchema, storedAnswerSchema } from './storedRows';
import { byCode, departmentNames, goalInfo, loadHeader, quarterCycleId, requireInfo } from './reportLookups';
import { acceptedConsolidationCommitments, consolidationGoals } from '../db/verdicts';
import type { ConsolidationCommitmentRow } from './reportTypes';

function outcomeOf(state: string, reprogrammed: boolean): JustificationOutcome {
  if (reprogrammed || state === 'reprogrammed') return 'reprogrammed';
  if (state === 'keptWithCommitment') return 'kept';
  if (state === 'noAdjustment') return 'noAdjustment';
  if (state === 'cancelled') return 'cancelled';
  return 'pending';
}

/**
 * Per goal of the quarter's department reviews: the latest answer of the liaison (from the goal's
 * latest machine snapshot), the outcome, and the programming before/after a reprogramming.
 */
export async function loadJustifications(
  db: Database,
  { fiscalYear, quarter, departmentCode }: { fiscalYear: number; quarter: Quarter; departmentCode?: string },
): Promise<JustificationReport> {
  const header = await loadHeader(db, fiscalYear, quarter);
  // Review IDs are `<cycle ID>-<department>` (domain/workflowIds), so the prefix selects the quarter.
  const prefix = `${await quarterCycleId(db, fiscalYear, quarter)}-`;
  const reviewFilter = departmentCode
    ? eq(t.goalReviewStates.reviewWorkflowId, `${prefix}${departmentCode}`)
    : like(t.goalReviewStates.reviewWorkflowId, `${prefix}%`);
  const [latestStates, reprogrammings] = await Promise.all([
    db
      .selectDistinctOn([t.goalReviewStates.reviewWorkflowId, t.goalReviewStates.goalCode])
      .from(t.goalReviewStates)
      .where(reviewFilter)
      .orderBy(t.goalReviewStates.reviewWorkflowId, t.goalReviewStates.goalCode, sql`${t.goalReviewStates.sequence} desc`),
    db
      .select()
      .from(t.reprogrammings)
      .where(
        and(
          eq(t.reprogrammings.fiscalYear, fiscalYear),
          departmentCode ? eq(t.reprogrammings.reviewWorkflowId, `${prefix}${departmentCode}`) : like(t.reprogrammings.reviewWorkflowId, `${prefix}%`),
        ),
      ),
  ]);
  const applied = new Map(reprogrammings.map((r) => [`${r.reviewWorkflowId}\u0000${r.goalCode}`, r]));
  const info = await goalInfo(db, [...new Set(latestStates.map((s) => s.goalCode))]);
  const names = await departmentNames(db);
  const rows: JustificationRow[] = latestStates.map((s) => {
    // A snapshot whose measurement cannot be used keeps its state and answer; the numbers are left out.
    const full = reviewSnapshotSchema.safeParse(s.snapshot);
    const snapshot = full.success
      ? full.data
      : parseStored(
          reviewSnapshotSchema.extend({
            context: reviewSnapshotSchema.shape.context.unwrap().extend({ status: z.unknown(), measurement: z.unknown() }).optional(),
          }).transform((v) => ({ ...v, context: v.context ? { ...v.context, status: null, measurement: null } : undefined })),
          s.snapshot,
          `El estado guardado de la meta ${s.goalCode} en ${s.reviewWorkflowId}`,
        );
    const parsedAnswer = storedAnswerSchema.safeParse(snapshot.context?.answer);
    const answer: StoredAnswer | null = parsedAnswer.success
      ? { ...parsedAnswer.data, newQuarterlyTargets: parsedAnswer.data.newQuarterlyTargets ?? null }
      : null;
    const reprogramming = applied.get(`${s.reviewWorkflowId}\u0000${s.goalCode}`);
    const department = s.reviewWorkflowId.slice(prefix.length);
    return {
      ...requireInfo(info, s.goalCode),
      departmentCode: department,
      departmentName: names.get(department) ?? department,
      reviewWorkflowId: s.reviewWorkflowId,
      state: snapshot.value,
      status: snapshot.context?.status ?? null,
      measurement: snapshot.context?.measurement ?? null,
      answer,
      outcome: outcomeOf(snapshot.value, Boolean(reprogramming)),
      // A programming recorded with unusable numbers (before the limits existed) is left out, not a failed page.
      before: reprogramming ? (programmingVersionSchema.nullable().safeParse(reprogramming.before).data ?? null) : null,
      after: reprogramming ? (programmingVersionSchema.safeParse(reprogramming.after).data ?? null) : null,
      approvedBy: reprogramming?.approvedBy ?? null,
      councilAgreement: reprogramming?.councilAgreement ?? null,
      approvedAt: reprogramming?.createdAt ?? null,
      altersTermTarget: reprogramming?.altersTermTarget ?? false,
    };
  });
  rows.sort((a, b) => a.departmentCode.localeCompare(b.departmentCode) || byCode(a, b));
  return { ...header, departmentCode: departmentCode ?? null, rows, consolidation: await consolidationRows(db, quarter, [...new Set(latestStates.map((s) => s.reviewWorkflowId))], prefix) };
}

/** Q3: per review, the goals of its cumulative matrix not in alert, with the commitment of its accepted answer. */
async function consolidationRows(db: Database, quarter: Quarter, reviewWorkflowIds: string[], prefix: string): Promise<ConsolidationCommitmentRow[]> {
  if (quarter !== 3 || reviewWorkflowIds.length === 0) return [];
  const [names, commitments, goalsByReview] = await Promise.all([
    departmentNames(db),
    acceptedConsolidationCommitments(db, reviewWorkflowIds),
    Promise.all(reviewWorkflowIds.map(async (id) => [id, await consolidationGoals(db, id)] as const)),
  ]);
  return goalsByReview.flatMap(([reviewWorkflowId, goals]) => {
    const department = reviewWorkflowId.slice(prefix.length);
    const given = new Map((commitments.get(reviewWorkflowId) ?? []).map((c) => [c.goalCode, c]));
    return goals.map((goal) => ({
      goalCode: goal.goalCode,
      name: goal.name,
      departmentCode: department,
      departmentName: names.get(department) ?? department,
      reviewWorkflowId,
      byQuarter: goal.byQuarter,
      commitment: given.get(goal.goalCode)?.commitment ?? null,
      receivedAt: given.get(goal.goalCode)?.receivedAt ?? null,
    }));
  });
}
