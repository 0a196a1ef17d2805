import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { consolidationCommitmentSchema, type ConsolidationGoal } from '../domain/consolidation';
import type { GoalStatus, Measurement, YearProgramming } from '../domain/goals';
import type { RecordedVerdict } from '../domain/quarterData';
import type { Database } from './client';
import * as t from './schema';
import { responseAccepted } from './responseVerdicts';

/** A goal of a stored dashboard, as far as a verdict needs it (stored JSON: every field checked). */
interface StoredDashboardGoal {
  goalCode?: unknown;
  departmentCode?: unknown;
  status?: GoalStatus | null;
  measurement?: Partial<Measurement> | null;
  programming?: YearProgramming | null;
}

const numberOrNull = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/**
 * The verdicts the cycles of `fiscalYear` recorded for `quarters`: each quarter's dashboard, stored
 * insert-only when its cycle classified the goals, with the programming in force then. When a
 * quarter has more than one cycle, the first one recorded is the verdict sent to the departments.
 */
export async function recordedVerdicts(db: Database, fiscalYear: number, quarters: readonly number[]): Promise<RecordedVerdict[]> {
  if (quarters.length === 0) return [];
  const snapshots = await db
    .select({ quarter: t.dashboardSnapshots.quarter, goals: t.dashboardSnapshots.goals })
    .from(t.dashboardSnapshots)
    .where(and(eq(t.dashboardSnapshots.fiscalYear, fiscalYear), inArray(t.dashboardSnapshots.quarter, [...quarters])))
    .orderBy(asc(t.dashboardSnapshots.createdAt), asc(t.dashboardSnapshots.cycleWorkflowId));
  const seen = new Set<number>();
  const verdicts: RecordedVerdict[] = [];
  for (const snapshot of snapshots) {
    if (seen.has(snapshot.quarter)) continue;
    seen.add(snapshot.quarter);
    const goals = Array.isArray(snapshot.goals) ? (snapshot.goals as StoredDashboardGoal[]) : [];
    for (const goal of goals) {
      if (typeof goal?.goalCode !== 'string' || typeof goal.departmentCode !== 'string') continue;
      const m = goal.measurement ?? null;
      verdicts.push({
        goalCode: goal.goalCode,
        departmentCode: goal.departmentCode,
        quarter: snapshot.quarter,
        status: goal.status ?? null,
        expectedToDate: numberOrNull(m?.expectedToDate),
        executedToDate: numberOrNull(m?.executedToDate),
        annualPercent: numberOrNull(m?.annualPercent),
        termPercent: numberOrNull(m?.termPercent),
        programming: goal.programming ?? null,
      });
    }
  }
  return verdicts;
}

interface StoredCumulativeRow {
  goalCode?: unknown;
  departmentCode?: unknown;
  byQuarter?: { quarter: number; status: GoalStatus; expectedToDate: number; executedToDate: number | null }[];
}

/**
 * The goals a department's third-quarter review must commit to (PE-P-008 task 4): its rows of the
 * cumulative matrix the Q3 cycle stored from the recorded verdicts, except the goals in alert (their
 * answer already carries a commitment). Empty for any other quarter.
 */
export async function consolidationGoals(db: Database, reviewWorkflowId: string): Promise<ConsolidationGoal[]> {
  const [review] = await db
    .select({ cycleWorkflowId: t.departmentReviews.cycleWorkflowId, quarter: t.departmentReviews.quarter, departmentCode: t.departmentReviews.departmentCode })
    .from(t.departmentReviews)
    .where(eq(t.departmentReviews.workflowId, reviewWorkflowId));
  if (!review || review.quarter !== 3) return [];
  const [[snapshot], alerted] = await Promise.all([
    db.select({ rows: t.dashboardSnapshots.cumulativeLagging }).from(t.dashboardSnapshots).where(eq(t.dashboardSnapshots.cycleWorkflowId, review.cycleWorkflowId)),
    db.selectDistinct({ goalCode: t.goalReviewStates.goalCode }).from(t.goalReviewStates).where(eq(t.goalReviewStates.reviewWorkflowId, reviewWorkflowId)),
  ]);
  const inAlert = new Set(alerted.map((g) => g.goalCode));
  const rows = (Array.isArray(snapshot?.rows) ? (snapshot.rows as StoredCumulativeRow[]) : []).filter(
    (r): r is StoredCumulativeRow & { goalCode: string } =>
      typeof r?.goalCode === 'string' && r.departmentCode === review.departmentCode && !inAlert.has(r.goalCode) && Array.isArray(r.byQuarter),
  );
  if (rows.length === 0) return [];
  const names = new Map(
    (await db.select({ code: t.goals.code, name: t.goals.name }).from(t.goals).where(inArray(t.goals.code, rows.map((r) => r.goalCode)))).map((g) => [g.code, g.name]),
  );
  return rows
    .map((r) => ({ goalCode: r.goalCode, name: names.get(r.goalCode) ?? r.goalCode, byQuarter: r.byQuarter ?? [] }))
    .sort((a, b) => a.goalCode.localeCompare(b.goalCode));
}

/**
 * The consolidation commitments of each review's latest accepted answer (stored with the answer as
 * it arrived, services/cycles.ts submitResponse), by review and goal.
 */
export async function acceptedConsolidationCommitments(
  db: Database,
  reviewWorkflowIds: readonly string[],
): Promise<Map<string, { goalCode: string; commitment: string; receivedAt: string }[]>> {
  if (reviewWorkflowIds.length === 0) return new Map();
  const accepted = await db
    .selectDistinctOn([t.responses.reviewWorkflowId], { reviewWorkflowId: t.responses.reviewWorkflowId, payload: t.responses.payload, receivedAt: t.responses.receivedAt })
    .from(t.responses)
    .where(and(inArray(t.responses.reviewWorkflowId, [...reviewWorkflowIds]), responseAccepted))
    .orderBy(t.responses.reviewWorkflowId, desc(t.responses.id));
  return new Map(
    accepted.map((r) => {
      const items = (r.payload as { consolidationCommitments?: unknown } | null)?.consolidationCommitments;
      const commitments = (Array.isArray(items) ? items : []).flatMap((item) => {
        const parsed = consolidationCommitmentSchema.safeParse(item);
        return parsed.success ? [{ ...parsed.data, receivedAt: r.receivedAt }] : [];
      });
      return [r.reviewWorkflowId, commitments];
    }),
  );
}

/**
 * The goals a review's Q3 answer had to commit on, in that order, each with what its latest accepted
 * answer said (the last one when a goal came twice; null when none). A commitment on any other goal
 * was never asked for and is left out.
 */
export async function consolidationGoalsWithCommitments(db: Database, reviewWorkflowId: string): Promise<(ConsolidationGoal & { commitment: string | null })[]> {
  const goals = await consolidationGoals(db, reviewWorkflowId);
  if (goals.length === 0) return [];
  const given = new Map(((await acceptedConsolidationCommitments(db, [reviewWorkflowId])).get(reviewWorkflowId) ?? []).map((c) => [c.goalCode, c.commitment]));
  return goals.map((goal) => ({ ...goal, commitment: given.get(goal.goalCode) ?? null }));
}

/** One review's consolidation commitments for the pages: only the goals it was asked about and answered. */
export async function consolidationCommitmentsOf(db: Database, reviewWorkflowId: string): Promise<{ goalCode: string; name: string; commitment: string }[]> {
  return (await consolidationGoalsWithCommitments(db, reviewWorkflowId)).flatMap(({ goalCode, name, commitment }) => (commitment === null ? [] : [{ goalCode, name, commitment }]));
}
