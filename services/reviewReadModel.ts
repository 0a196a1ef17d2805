import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { isFlagged, type GoalStatus, type Measurement, type YearProgramming } from '../domain/goals';
import type { GoalAnswer } from '../domain/review';
import type { TermProgramming } from '../domain/termTarget';
import type { GoalState } from '../machines/goalStatus';
import { allowedReviewActionsIn } from '../machines/departmentReview';
import { departmentReviewWorkflowId } from '../workflows/messages';
import type { CumulativeLaggingRow } from '../domain/quarterData';
import type { CycleGoalView, CyclePhase, CycleView, DepartmentReviewOutcome, ReviewAction, ReviewView } from '../domain/reviewViews';
import { responseAccepted } from '../db/responseVerdicts';
import { officialTermTarget, officialTermTargets } from '../db/termTargets';

/**
 * The read side of the quarterly reviews: what the monitor, `GET /api/cycles/:id` and the command
 * line show, answered from the records the activities keep at every step of a review, without a
 * call to Temporal per review (or at all), so it also answers while Temporal is down.
 *
 * - `department_reviews`: one row per review, its machine state and deadline written by
 *   recordGoalStates at every step (alert, window opened, reminder, extension, response, agreement,
 *   changes requested, decision, constancia, cancellation), its outcome by completeDepartmentReview;
 * - `goal_review_states`: every goal's machine snapshot at every step (idempotent by review, goal and
 *   step); the latest one carries the review's shared context (alert time, reminders, extensions,
 *   requests for changes, cancellation) and each goal's classification and answer;
 * - `alerts` (the goals alerted, in order, with their names), `responses` (who answered),
 *   `audit_log` (notes, cancellations) and `dashboard_snapshots` (the cycle's classification).
 */

/** The department-wide part of a goal's machine context (the same in every goal of a review). */
export interface ReviewContext {
  alertedAt: string | null;
  deadline: string | null;
  remindersSent: number;
  extensions: { deadline: string; reason: string }[];
  changeRequests: { comment: string; deadline: string }[];
  cancellation: { reason: string; by: string; at: string } | null;
}

/** A review as recorded: one row of one query per cycle. */
export interface ReviewRecord {
  workflowId: string;
  cycleWorkflowId: string;
  fiscalYear: number;
  quarter: number;
  department: { code: string; name: string; liaisonName: string | null; liaisonEmail: string | null };
  /** The review machine's state as shown (the department_reviews.status column). */
  state: GoalState;
  deadline: string | null;
  outcome: DepartmentReviewOutcome | null;
  createdAt: string;
  completedAt: string | null;
  /** Goals the review carries (those with recorded machine steps). */
  flaggedGoals: number;
  /** From the latest recorded step; null before the first step is recorded. */
  context: ReviewContext | null;
  /** Why the department's stored data could not be processed (outcome dataError), from the audit log. */
  dataError: { reason: string; problems: string[]; at: string } | null;
}

const finalStates: ReadonlySet<string> = new Set(['noAdjustment', 'reprogrammed', 'keptWithCommitment', 'cancelled', 'dataError', 'failed']);

/** Still running: no outcome recorded and not in a final machine state. */
export const isRunning = (record: Pick<ReviewRecord, 'completedAt' | 'state'>) => record.completedAt === null && !finalStates.has(record.state);

/** What the review machine allows in the recorded state (the workflow's own view asks its snapshot). */
export function allowedActionsOf(record: Pick<ReviewRecord, 'completedAt' | 'state' | 'context'>): ReviewAction[] {
  if (!isRunning(record) || record.context?.cancellation) return [];
  return allowedReviewActionsIn(record.state);
}

function toContext(raw: unknown, cancelled: unknown): ReviewContext | null {
  const c = (raw ?? null) as Partial<ReviewContext> | null;
  const recordedCancellation = (cancelled ?? null) as ReviewContext['cancellation'];
  if (!c) return recordedCancellation ? { alertedAt: null, deadline: null, remindersSent: 0, extensions: [], changeRequests: [], cancellation: recordedCancellation } : null;
  return {
    alertedAt: c.alertedAt ?? null,
    deadline: c.deadline ?? null,
    remindersSent: c.remindersSent ?? 0,
    extensions: c.extensions ?? [],
    changeRequests: c.changeRequests ?? [],
    cancellation: c.cancellation ?? recordedCancellation ?? null,
  };
}

function toDataError(raw: unknown): ReviewRecord['dataError'] {
  if (!raw) return null;
  const details = raw as { reason?: unknown; problems?: unknown; at?: unknown };
  return {
    reason: String(details.reason ?? ''),
    problems: Array.isArray(details.problems) ? details.problems.map(String) : [],
    at: String(details.at ?? ''),
  };
}

const iso = (value: string | Date | null | undefined) => (value === null || value === undefined ? null : new Date(value).toISOString());

/**
 * Every review of a cycle in one query: the review row, its department, how many goals it carries,
 * the shared context of its latest recorded step, and a cancellation recorded in the audit log
 * (found by its idempotency key, an index lookup). Ordered by department name.
 */
export async function loadReviewRecords(db: Database, cycleWorkflowId: string): Promise<ReviewRecord[]> {
  const dr = t.departmentReviews;
  const g = t.goalReviewStates;
  const dv = t.departmentVersions;
  const rows = await db
    .select({
      review: dr,
      // As the alert was sent (its department version); the current department before any alert.
      departmentName: sql<string>`case when ${dv.version} is null then ${t.departments.name} else ${dv.name} end`,
      liaisonName: sql<string | null>`case when ${dv.version} is null then ${t.departments.liaisonName} else ${dv.liaisonName} end`,
      liaisonEmail: sql<string | null>`case when ${dv.version} is null then ${t.departments.liaisonEmail} else ${dv.liaisonEmail} end`,
      // The alert lists the review's goals (written with the review's row, before any machine step).
      flaggedGoals: sql<number>`coalesce((select jsonb_array_length(${t.alerts.goals}) from ${t.alerts} where ${t.alerts.reviewWorkflowId} = ${dr.workflowId}), (select count(distinct ${g.goalCode}) from ${g} where ${g.reviewWorkflowId} = ${dr.workflowId}))`.mapWith(Number),
      // Only the department-wide part of the latest snapshot's context (not the goal's measurement and answer).
      context: sql<unknown>`(select jsonb_build_object('alertedAt', c -> 'alertedAt', 'deadline', c -> 'deadline', 'remindersSent', c -> 'remindersSent', 'extensions', c -> 'extensions', 'changeRequests', c -> 'changeRequests', 'cancellation', c -> 'cancellation') from (select ${g.snapshot} -> 'context' as c from ${g} where ${g.reviewWorkflowId} = ${dr.workflowId} order by ${g.createdAt} desc, ${g.sequence} desc limit 1) latest)`,
      cancelled: sql<unknown>`(select jsonb_build_object('reason', coalesce(${t.auditLog.details} ->> 'reason', ''), 'by', ${t.auditLog.actor}, 'at', ${t.auditLog.createdAt}) from ${t.auditLog} where ${t.auditLog.idempotencyKey} = ${dr.workflowId} || ':cancelled')`,
      dataError: sql<unknown>`(select ${t.auditLog.details} from ${t.auditLog} where ${t.auditLog.idempotencyKey} = ${dr.workflowId} || ':dataError')`,
    })
    .from(dr)
    .innerJoin(t.departments, eq(t.departments.code, dr.departmentCode))
    .leftJoin(t.alerts, eq(t.alerts.reviewWorkflowId, dr.workflowId))
    .leftJoin(dv, and(eq(dv.departmentCode, dr.departmentCode), eq(dv.version, t.alerts.departmentVersion)))
    .where(eq(dr.cycleWorkflowId, cycleWorkflowId))
    .orderBy(asc(t.departments.name));
  return rows.map(({ review, departmentName, liaisonName, liaisonEmail, flaggedGoals, context, cancelled, dataError }) => ({
    workflowId: review.workflowId,
    cycleWorkflowId: review.cycleWorkflowId,
    fiscalYear: review.fiscalYear,
    quarter: review.quarter,
    department: { code: review.departmentCode, name: departmentName, liaisonName, liaisonEmail },
    state: review.status as GoalState,
    deadline: (context as { deadline?: string } | null)?.deadline ?? iso(review.deadline),
    outcome: (review.outcome ?? null) as DepartmentReviewOutcome | null,
    createdAt: review.createdAt,
    completedAt: review.completedAt,
    flaggedGoals,
    context: toContext(context, cancelled),
    dataError: toDataError(dataError),
  }));
}

interface LatestGoalState {
  goalCode: string;
  state: GoalState;
  answer: GoalAnswer | null;
}

/** What a review's view has that never changes once its alert is recorded. */
interface ReviewFixed {
  /** The goals in the workflow's order, with their names (the alert lists them so). */
  goals: { goalCode: string; name: string; status: GoalStatus | null; measurement: Measurement | null; programming: YearProgramming; term: TermProgramming | null }[];
}

const MAX_FIXED_REVIEWS = 5_000;
const MAX_FIXED_CYCLES = 64;

/**
 * Per database: the parts of reviews and cycles that are written once and never change (the goals
 * alerted, their classification, the programming the review started with, the cycle's stored
 * dashboard), kept in memory so a read under load only fetches what moves (states, answers, context).
 */
const fixedParts = new WeakMap<Database, { reviews: Map<string, ReviewFixed>; snapshots: Map<string, typeof t.dashboardSnapshots.$inferSelect> }>();
function fixedOf(db: Database) {
  let fixed = fixedParts.get(db);
  if (!fixed) fixedParts.set(db, (fixed = { reviews: new Map(), snapshots: new Map() }));
  return fixed;
}
function remember<V>(map: Map<string, V>, key: string, value: V, max: number) {
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value as string);
}

/**
 * The fixed parts of reviews not seen before (one round of queries for all of them): the alert,
 * written with the review's row, lists its goals in the workflow's order with their names and
 * classification (status and measurement never change after it).
 */
async function loadFixed(db: Database, records: ReviewRecord[]): Promise<void> {
  const cache = fixedOf(db).reviews;
  const missing = records.filter((r) => !cache.has(r.workflowId));
  if (missing.length === 0) return;
  const alerts = await db
    .select({ reviewWorkflowId: t.alerts.reviewWorkflowId, goals: t.alerts.goals })
    .from(t.alerts)
    .where(inArray(t.alerts.reviewWorkflowId, missing.map((r) => r.workflowId)));
  type AlertedGoal = { goalCode: string; name: string; status: GoalStatus | null; measurement: Measurement | null };
  const alerted = new Map(alerts.map((a) => [a.reviewWorkflowId, (a.goals ?? []) as AlertedGoal[]]));
  const ready = missing.filter((r) => alerted.has(r.workflowId));
  const programming = await programmingAtAlert(
    db,
    ready.map((r) => ({ workflowId: r.workflowId, fiscalYear: r.fiscalYear, at: r.createdAt, goalCodes: (alerted.get(r.workflowId) ?? []).map((g) => g.goalCode) })),
  );
  for (const record of ready) {
    const goals = (alerted.get(record.workflowId) ?? []).map((g) => {
      const programmed = programming.get(`${record.workflowId}\u0000${g.goalCode}`);
      return {
        goalCode: g.goalCode,
        name: g.name,
        status: g.status ?? null,
        measurement: g.measurement ?? null,
        programming: programmed?.programming ?? { annualTarget: null, quarterlyTargets: null },
        term: programmed?.term ?? null,
      };
    });
    remember(cache, record.workflowId, { goals }, MAX_FIXED_REVIEWS);
  }
}

/**
 * The reviews as the workflow's `reviewState` query shows them, from the records: each goal's latest
 * machine state and answer, the goals' names and order from the alert, their classification, the
 * programming the review started with (the latest version when the alert was sent), the notes, and
 * who answered the current round. What never changes is read once (see fixedParts).
 */
export async function reviewViewsFromRecords(db: Database, records: ReviewRecord[]): Promise<ReviewView[]> {
  if (records.length === 0) return [];
  const ids = records.map((r) => r.workflowId);
  const [latest, notes, accepted] = await Promise.all([
    db
      .selectDistinctOn([t.goalReviewStates.reviewWorkflowId, t.goalReviewStates.goalCode], {
        reviewWorkflowId: t.goalReviewStates.reviewWorkflowId,
        goalCode: t.goalReviewStates.goalCode,
        state: t.goalReviewStates.state,
        answer: sql<GoalAnswer | null>`${t.goalReviewStates.snapshot} #> '{context,answer}'`,
      })
      .from(t.goalReviewStates)
      .where(inArray(t.goalReviewStates.reviewWorkflowId, ids))
      .orderBy(t.goalReviewStates.reviewWorkflowId, t.goalReviewStates.goalCode, sql`${t.goalReviewStates.sequence} desc`),
    db
      .select({ subject: t.auditLog.subject, actor: t.auditLog.actor, details: t.auditLog.details, key: t.auditLog.idempotencyKey })
      .from(t.auditLog)
      .where(and(eq(t.auditLog.action, 'review.note'), inArray(t.auditLog.subject, ids))),
    db
      .select({ reviewWorkflowId: t.responses.reviewWorkflowId, respondent: sql<unknown>`${t.responses.payload} -> 'respondent'` })
      .from(t.responses)
      .where(and(inArray(t.responses.reviewWorkflowId, ids), responseAccepted))
      .orderBy(asc(t.responses.id)),
    loadFixed(db, records),
  ]);

  const goalsByReview = new Map<string, Map<string, LatestGoalState>>();
  for (const row of latest) {
    const goals = goalsByReview.get(row.reviewWorkflowId) ?? new Map<string, LatestGoalState>();
    goals.set(row.goalCode, { goalCode: row.goalCode, state: row.state as GoalState, answer: row.answer ?? null });
    goalsByReview.set(row.reviewWorkflowId, goals);
  }
  const fixed = fixedOf(db).reviews;
  const notesByReview = new Map<string, { sequence: number; coordinator: string; text: string; at: string }[]>();
  for (const n of notes) {
    const details = (n.details ?? {}) as { text?: string; at?: string };
    const sequence = Number(/:note:(\d+)$/.exec(n.key ?? '')?.[1] ?? 0);
    notesByReview.set(n.subject, [...(notesByReview.get(n.subject) ?? []), { sequence, coordinator: n.actor, text: details.text ?? '', at: details.at ?? '' }]);
  }
  const respondents = new Map<string, { count: number; last: ReviewView['respondent'] }>();
  for (const a of accepted) {
    const previous = respondents.get(a.reviewWorkflowId);
    respondents.set(a.reviewWorkflowId, { count: (previous?.count ?? 0) + 1, last: (a.respondent ?? null) as ReviewView['respondent'] });
  }

  return records.map((record): ReviewView => {
    const context = record.context;
    const changeRequests = context?.changeRequests ?? [];
    const round = 1 + changeRequests.length;
    const answeredRounds = respondents.get(record.workflowId);
    // The workflow keeps the respondent of the current round (cleared when changes are requested).
    const answered = answeredRounds && answeredRounds.count >= round && !['alerted', 'awaitingResponse', 'noAdjustment'].includes(record.state);
    const states = goalsByReview.get(record.workflowId) ?? new Map<string, LatestGoalState>();
    const goals = fixed.get(record.workflowId)?.goals ?? [];
    return {
      workflowId: record.workflowId,
      cycleWorkflowId: record.cycleWorkflowId,
      fiscalYear: record.fiscalYear,
      quarter: record.quarter,
      department: record.department,
      state: record.state,
      deadline: record.deadline,
      alertedAt: context?.alertedAt ?? null,
      round,
      respondent: answered ? (answeredRounds?.last ?? null) : null,
      changeRequests,
      remindersSent: context?.remindersSent ?? 0,
      extensions: context?.extensions ?? [],
      notes: (notesByReview.get(record.workflowId) ?? []).sort((a, b) => a.sequence - b.sequence).map(({ coordinator, text, at }) => ({ coordinator, text, at })),
      cancellation: context?.cancellation ?? null,
      dataError: record.dataError,
      allowedActions: allowedActionsOf(record),
      goals: goals.map((g) => {
        // Before its first machine step is recorded a goal is where the review is (alerted).
        const latestState = states.get(g.goalCode) ?? { state: record.state, answer: null };
        return {
          goalCode: g.goalCode,
          name: g.name,
          state: latestState.state,
          status: g.status,
          measurement: g.measurement,
          programming: g.programming,
          term: g.term,
          answer: latestState.answer,
        };
      }),
      outcome: record.outcome,
    };
  });
}

/**
 * Each review goal's programming for the review's year and its term, as the latest versions stood
 * when the review's alert was recorded (the review works on what its cycle loaded, not on the
 * reprogramming it may have applied since). One query for every goal of the cycle.
 */
async function programmingAtAlert(
  db: Database,
  reviews: { workflowId: string; fiscalYear: number; at: string; goalCodes: string[] }[],
): Promise<Map<string, { programming: YearProgramming; term: TermProgramming | null }>> {
  const codes = [...new Set(reviews.flatMap((r) => r.goalCodes))];
  const result = new Map<string, { programming: YearProgramming; term: TermProgramming | null }>();
  if (codes.length === 0) return result;
  const [versions, goals] = await Promise.all([
    db
      .select({
        goalCode: t.goalProgramming.goalCode,
        fiscalYear: t.goalProgramming.fiscalYear,
        version: t.goalProgramming.version,
        annualTarget: t.goalProgramming.annualTarget,
        quarterlyTargets: t.goalProgramming.quarterlyTargets,
        createdAt: t.goalProgramming.createdAt,
      })
      .from(t.goalProgramming)
      .where(inArray(t.goalProgramming.goalCode, codes))
      .orderBy(t.goalProgramming.goalCode, t.goalProgramming.fiscalYear, t.goalProgramming.version),
    db.select({ code: t.goals.code, accumulation: t.goals.accumulation, termTarget: t.goals.termTarget }).from(t.goals).where(inArray(t.goals.code, codes)),
  ]);
  const officialTargets = await officialTermTargets(db, codes);
  const goalByCode = new Map(goals.map((g) => [g.code, g]));
  const versionsOf = new Map<string, typeof versions>();
  for (const v of versions) versionsOf.set(v.goalCode, [...(versionsOf.get(v.goalCode) ?? []), v]);
  for (const review of reviews) {
    const at = Date.parse(review.at);
    for (const code of review.goalCodes) {
      // Latest version per year created by the alert's time (versions come oldest first).
      const byYear = new Map<number, (typeof versions)[number]>();
      for (const v of versionsOf.get(code) ?? []) if (Date.parse(v.createdAt) <= at) byYear.set(v.fiscalYear, v);
      const year = byYear.get(review.fiscalYear);
      const goal = goalByCode.get(code);
      result.set(`${review.workflowId}\u0000${code}`, {
        programming: { annualTarget: year?.annualTarget ?? null, quarterlyTargets: year?.quarterlyTargets ?? null },
        term: goal
          ? {
              accumulation: goal.accumulation,
              termTarget: officialTermTarget(officialTargets, goal),
              annualTargets: [...byYear.values()].sort((a, b) => a.fiscalYear - b.fiscalYear).map((v) => ({ fiscalYear: v.fiscalYear, annualTarget: v.annualTarget })),
            }
          : null,
      });
    }
  }
  return result;
}

/** The cycle's stored dashboard: written once (storeDashboard), so read once. */
async function storedSnapshot(db: Database, workflowId: string) {
  const cache = fixedOf(db).snapshots;
  const known = cache.get(workflowId);
  if (known) return known;
  const [snapshot] = await db.select().from(t.dashboardSnapshots).where(eq(t.dashboardSnapshots.cycleWorkflowId, workflowId));
  if (snapshot) remember(cache, workflowId, snapshot, MAX_FIXED_CYCLES);
  return snapshot;
}

/** The cycle's phase as its activities recorded it in cycles.status (registerCycle, storeDashboard, completeCycle). */
export const cyclePhaseOf = (column: string): CyclePhase => (column === 'classifying' || column === 'reviewing' || column === 'completed' ? column : 'loading');

/** A recorded cycle row with its status column read as the cycle's phase. */
export const withPhase = <R extends { status: string }>({ status, ...row }: R): Omit<R, 'status'> & { phase: CyclePhase } => ({ ...row, phase: cyclePhaseOf(status) });

/**
 * A cycle as the workflow's `cycleState` query shows it, from its records: the classification the
 * cycle stored (dashboard_snapshots), the departments with flagged goals (in code order, as the
 * workflow lists them) and each review's recorded outcome. Null when the cycle is not recorded yet.
 */
export async function readCycleStatus(
  db: Database,
  workflowId: string,
): Promise<{ workflowId: string; execution: string; cycle: CycleView; reviews: ReviewView[] } | null> {
  const [[cycle], snapshot, records, departments] = await Promise.all([
    db.select().from(t.cycles).where(eq(t.cycles.workflowId, workflowId)),
    storedSnapshot(db, workflowId),
    loadReviewRecords(db, workflowId),
    db.select({ code: t.departments.code, name: t.departments.name }).from(t.departments).orderBy(asc(t.departments.code)),
  ]);
  if (!cycle) return null;
  const goals = (snapshot?.goals ?? []) as CycleGoalView[];
  const flagged = new Map<string, number>();
  for (const g of goals) if (g.status !== null && isFlagged(g.status)) flagged.set(g.departmentCode, (flagged.get(g.departmentCode) ?? 0) + 1);
  const outcomes = new Map(records.map((r) => [r.department.code, r.outcome]));
  const view: CycleView = {
    workflowId,
    fiscalYear: cycle.fiscalYear,
    quarter: cycle.quarter,
    phase: cyclePhaseOf(cycle.status),
    totals: (snapshot?.totals ?? {}) as CycleView['totals'],
    departments: departments
      .filter((d) => flagged.has(d.code))
      .map((d) => ({
        code: d.code,
        name: d.name,
        reviewWorkflowId: departmentReviewWorkflowId(workflowId, d.code),
        flaggedGoals: flagged.get(d.code) ?? 0,
        outcome: outcomes.get(d.code) ?? null,
      })),
    goals,
    cumulativeLagging: (snapshot?.cumulativeLagging ?? null) as CumulativeLaggingRow[] | null,
  };
  // Reviews in department code order, as the workflow's cycle lists them.
  const reviews = (await reviewViewsFromRecords(db, records)).sort((a, b) => a.department.code.localeCompare(b.department.code));
  return { workflowId, execution: cycle.status === 'completed' ? 'COMPLETED' : 'RUNNING', cycle: view, reviews };
}
