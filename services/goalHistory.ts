import { asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import type { GoalStatus, Measurement, YearProgramming } from '../domain/goals';
import type { GoalAnswer } from '../domain/review';
import type { SavedGoalState } from '../machines/goalStatus';
import { listCouncilAgreements } from './councilAgreements';
import { AppError } from './errors';
import { allDepartments, inScope, type Scope } from '../auth/scope';

export interface GoalHistory {
  goal: typeof t.goals.$inferSelect & {
    departmentName: string;
    /** The official meta cuatrienio: the latest Acuerdo del Concejo's, else the plan's (`termTarget`). */
    officialTermTarget: number;
    /** Each Acuerdo del Concejo that set a version of it, oldest first. */
    termTargetAgreements: { label: string; version: number; termTarget: number; previousTermTarget: number; id: number }[];
  };
  revisions: { planImportId: number; attributes: unknown; createdAt: string }[];
  programming: {
    fiscalYear: number;
    version: number;
    annualTarget: number | null;
    quarterlyTargets: (number | null)[] | null;
    reason: string;
    createdBy: string;
    createdAt: string;
    reprogramming: { reviewWorkflowId: string; approvedBy: string; decisionRound: number | null; councilAgreement: string | null } | null;
  }[];
  progress: { fiscalYear: number; quarter: number; version: number; executed: number; evidence: string | null; reportedBy: string; createdAt: string }[];
  /** Each cycle's frozen verdict: status, numbers and the programming in force then (null in dashboards stored before it was kept). */
  statuses: {
    cycleWorkflowId: string;
    fiscalYear: number;
    quarter: number;
    status: GoalStatus | null;
    measurement: Measurement | null;
    programming: YearProgramming | null;
  }[];
  reviews: {
    reviewWorkflowId: string;
    outcome: string | null;
    states: { sequence: number; state: string; event: string; at: string }[];
    answer: GoalAnswer | null;
  }[];
}

interface SnapshotRow {
  cycle_workflow_id: string;
  fiscal_year: number;
  quarter: number;
  goal: { status: GoalStatus | null; measurement: Measurement | null; programming?: YearProgramming | null };
}

/**
 * Everything that ever happened to a goal: versions, quarterly statuses and reviews, oldest first.
 * A goal of a department outside `scope` does not exist for that reader (same 404 as a missing one).
 */
export async function goalHistory(db: Database, goalCode: string, scope: Scope = allDepartments): Promise<GoalHistory> {
  const [goal] = await db
    .select({ goal: t.goals, departmentName: t.departments.name })
    .from(t.goals)
    .innerJoin(t.departments, eq(t.departments.code, t.goals.departmentCode))
    .where(eq(t.goals.code, goalCode));
  if (!goal || !inScope(scope, goal.goal.departmentCode)) throw new AppError('not_found', `No existe la meta ${goalCode}`);

  const agreements = (await listCouncilAgreements(db, allDepartments, { goalCodes: [goalCode] })).sort((a, b) => a.version - b.version);
  const [revisions, programming, progress, statuses, states, outcomes] = await Promise.all([
    db.select().from(t.goalRevisions).where(eq(t.goalRevisions.goalCode, goalCode)).orderBy(asc(t.goalRevisions.planImportId)),
    db
      .select({ version: t.goalProgramming, reprogramming: t.reprogrammings })
      .from(t.goalProgramming)
      .leftJoin(t.reprogrammings, eq(t.reprogrammings.id, t.goalProgramming.reprogrammingId))
      .where(eq(t.goalProgramming.goalCode, goalCode))
      .orderBy(asc(t.goalProgramming.fiscalYear), asc(t.goalProgramming.version)),
    db
      .select()
      .from(t.goalProgress)
      .where(eq(t.goalProgress.goalCode, goalCode))
      .orderBy(asc(t.goalProgress.fiscalYear), asc(t.goalProgress.quarter), asc(t.goalProgress.version)),
    db.execute(
      sql`select s.cycle_workflow_id, s.fiscal_year, s.quarter, g.value as goal
          from ${t.dashboardSnapshots} s, jsonb_array_elements(s.goals) g
          where g.value->>'goalCode' = ${goalCode}
          order by s.fiscal_year, s.quarter`,
    ),
    db
      .select()
      .from(t.goalReviewStates)
      .where(eq(t.goalReviewStates.goalCode, goalCode))
      .orderBy(asc(t.goalReviewStates.reviewWorkflowId), asc(t.goalReviewStates.sequence)),
    db.select({ workflowId: t.departmentReviews.workflowId, outcome: t.departmentReviews.outcome }).from(t.departmentReviews),
  ]);

  const outcomeOf = new Map(outcomes.map((o) => [o.workflowId, o.outcome]));
  const reviews = new Map<string, GoalHistory['reviews'][number]>();
  for (const row of states) {
    const review = reviews.get(row.reviewWorkflowId) ?? {
      reviewWorkflowId: row.reviewWorkflowId,
      outcome: outcomeOf.get(row.reviewWorkflowId) ?? null,
      states: [],
      answer: null,
    };
    review.states.push({ sequence: row.sequence, state: row.state, event: row.event, at: row.createdAt });
    review.answer = (row.snapshot as SavedGoalState).context.answer ?? review.answer;
    reviews.set(row.reviewWorkflowId, review);
  }

  return {
    goal: {
      ...goal.goal,
      departmentName: goal.departmentName,
      officialTermTarget: agreements.at(-1)?.termTarget ?? goal.goal.termTarget,
      termTargetAgreements: agreements.map((a) => ({ id: a.id, label: a.label, version: a.version, termTarget: a.termTarget, previousTermTarget: a.previousTermTarget })),
    },
    revisions: revisions.map((r) => ({ planImportId: r.planImportId, attributes: r.attributes, createdAt: r.createdAt })),
    programming: programming.map(({ version: v, reprogramming: r }) => ({
      fiscalYear: v.fiscalYear,
      version: v.version,
      annualTarget: v.annualTarget,
      quarterlyTargets: v.quarterlyTargets ?? null,
      reason: v.reason,
      createdBy: v.createdBy,
      createdAt: v.createdAt,
      reprogramming: r
        ? { reviewWorkflowId: r.reviewWorkflowId, approvedBy: r.approvedBy, decisionRound: r.decisionRound, councilAgreement: r.councilAgreement }
        : null,
    })),
    progress: progress.map((p) => ({
      fiscalYear: p.fiscalYear,
      quarter: p.quarter,
      version: p.version,
      executed: p.executed,
      evidence: p.evidence,
      reportedBy: p.reportedBy,
      createdAt: p.createdAt,
    })),
    // Both drivers (PGlite, node-postgres) return `{ rows }` from a raw query.
    statuses: (statuses as unknown as { rows: SnapshotRow[] }).rows.map((s) => ({
      cycleWorkflowId: s.cycle_workflow_id,
      fiscalYear: s.fiscal_year,
      quarter: s.quarter,
      status: s.goal.status,
      measurement: s.goal.measurement,
      programming: s.goal.programming ?? null,
    })),
    reviews: [...reviews.values()],
  };
}
