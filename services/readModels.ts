import { and, desc, eq, inArray, like, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import type { Quarter } from '../domain/goals';
import { readByDataVersion } from './dataVersion';
import { loadReviewRecords, withPhase } from './reviewReadModel';
import { responseAccepted } from '../db/responseVerdicts';

/**
 * The small reads behind the pages and the API (server/ reads the database only through these and
 * the other services): each a named question, so no route holds SQL or the schema.
 */

/** The latest cycles, newest quarter first (the home page), each with its phase. */
export const recentCycles = async (db: Database, limit = 100) =>
  (await db.select().from(t.cycles).orderBy(desc(t.cycles.fiscalYear), desc(t.cycles.quarter)).limit(limit)).map(withPhase);

/** A department review as the activities recorded it (its status column read as the machine state), or undefined before its first record. */
export const storedReview = async (db: Database, workflowId: string) => {
  const [row] = await db.select().from(t.departmentReviews).where(eq(t.departmentReviews.workflowId, workflowId));
  if (!row) return undefined;
  const { status: state, ...rest } = row;
  return { ...rest, state };
};

/** How a review ended, if it did (a closed review's link needs no workflow query). */
export const reviewClosure = async (db: Database, workflowId: string) =>
  (
    await db
      .select({ state: t.departmentReviews.status, departmentCode: t.departmentReviews.departmentCode, completedAt: t.departmentReviews.completedAt })
      .from(t.departmentReviews)
      .where(eq(t.departmentReviews.workflowId, workflowId))
  )[0];

/** The reviews recorded in one of these states, by workflow ID (the coordinator's inbox). */
export const reviewIdsInStates = async (db: Database, states: readonly string[]) =>
  (
    await db
      .select({ workflowId: t.departmentReviews.workflowId })
      .from(t.departmentReviews)
      .where(inArray(t.departmentReviews.status, [...states]))
      .orderBy(t.departmentReviews.workflowId)
  ).map((r) => r.workflowId);

/** When each review's latest accepted answer arrived (the coordinator's inbox), by workflow ID. */
export async function latestResponseTimes(db: Database, workflowIds: readonly string[]): Promise<Map<string, Date>> {
  if (workflowIds.length === 0) return new Map();
  const rows = await db
    .select({ workflowId: t.responses.reviewWorkflowId, receivedAt: sql<string>`max(${t.responses.receivedAt})` })
    .from(t.responses)
    .where(and(inArray(t.responses.reviewWorkflowId, [...workflowIds]), responseAccepted))
    .groupBy(t.responses.reviewWorkflowId);
  return new Map(rows.map((r) => [r.workflowId, new Date(r.receivedAt)]));
}

/** Every department's code and name, by name (search forms). */
export const departmentNames = (db: Database) =>
  db.select({ code: t.departments.code, name: t.departments.name }).from(t.departments).orderBy(t.departments.name);

/** The latest alerts sent to a department, newest first. */
export const departmentAlerts = (db: Database, code: string, limit = 50) =>
  db
    .select({ reviewWorkflowId: t.alerts.reviewWorkflowId, recipient: t.alerts.recipient, departmentVersion: t.alerts.departmentVersion, sentAt: t.alerts.sentAt })
    .from(t.alerts)
    .where(eq(t.alerts.departmentCode, code))
    .orderBy(desc(t.alerts.sentAt))
    .limit(limit);

/** The documents stored for a review (their content is read one at a time, in scope). */
export const reviewDocuments = (db: Database, reviewWorkflowId: string) =>
  db
    .select({ id: t.documents.id, kind: t.documents.kind, fileName: t.documents.fileName, sha256: t.documents.sha256, createdAt: t.documents.createdAt })
    .from(t.documents)
    .where(eq(t.documents.reviewWorkflowId, reviewWorkflowId));

/** A department's reviews, latest quarter first: the liaison's own list ("Mis revisiones"). */
export const departmentReviewList = (db: Database, departmentCode: string) =>
  db
    .select({
      workflowId: t.departmentReviews.workflowId,
      fiscalYear: t.departmentReviews.fiscalYear,
      quarter: t.departmentReviews.quarter,
      state: t.departmentReviews.status,
      deadline: t.departmentReviews.deadline,
    })
    .from(t.departmentReviews)
    .where(eq(t.departmentReviews.departmentCode, departmentCode))
    .orderBy(desc(t.departmentReviews.fiscalYear), desc(t.departmentReviews.quarter), t.departmentReviews.workflowId)
    .limit(200);

/** The documents of every review of a cycle (constancias, justification records), to link them on the monitor. */
export const cycleDocuments = (db: Database, cycleWorkflowId: string) =>
  db
    .select({ id: t.documents.id, kind: t.documents.kind, reviewWorkflowId: t.documents.reviewWorkflowId, fileName: t.documents.fileName })
    .from(t.documents)
    .where(like(t.documents.reviewWorkflowId, `${cycleWorkflowId.replace(/[\\%_]/g, (c) => `\\${c}`)}-%`))
    .orderBy(t.documents.id);

/** The latest draft the liaison saved for this round of the review, if any. */
export const latestResponseDraft = async (db: Database, reviewWorkflowId: string, round: number) =>
  (
    await db
      .select({ fields: t.responseDrafts.fields, createdAt: t.responseDrafts.createdAt })
      .from(t.responseDrafts)
      .where(and(eq(t.responseDrafts.reviewWorkflowId, reviewWorkflowId), eq(t.responseDrafts.round, round)))
      .orderBy(desc(t.responseDrafts.id))
      .limit(1)
  )[0];

export const saveResponseDraft = async (db: Database, draft: { reviewWorkflowId: string; round: number; fields: Record<string, string> }) => {
  await db.insert(t.responseDrafts).values(draft);
};

/** What the response form tells about each goal beyond the review's view: indicator, unit, accumulation. */
export const goalDescriptions = async (db: Database, goalCodes: readonly string[]) =>
  goalCodes.length
    ? db
        .select({ goalCode: t.goals.code, indicator: t.goals.indicator, unit: t.goals.unit, accumulation: t.goals.accumulation })
        .from(t.goals)
        .where(inArray(t.goals.code, [...goalCodes]))
    : [];

/** Who answered the review's latest accepted response (the form keeps the name between rounds). */
export const lastRespondentName = async (db: Database, reviewWorkflowId: string): Promise<string | null> => {
  const [row] = await db
    .select({ name: sql<unknown>`${t.responses.payload} -> 'respondent' ->> 'name'` })
    .from(t.responses)
    .where(and(eq(t.responses.reviewWorkflowId, reviewWorkflowId), responseAccepted))
    .orderBy(desc(t.responses.id))
    .limit(1);
  return typeof row?.name === 'string' ? row.name : null;
};

/**
 * A signature of the tables a quarter report reads — row count and sum of the row versions (xmin),
 * which change with any insert, update or delete, whoever commits it (an import, a reprogramming
 * applied by the worker, a cycle's stored dashboard, new thresholds).
 */
const reportDataSignatureQuery = sql`select concat_ws('|',
  (select count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) from ${t.plans}),
  (select count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) from ${t.departments}),
  (select count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) from ${t.goals}),
  (select count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) from ${t.goalProgramming}),
  (select count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) from ${t.goalProgress}),
  (select count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) from ${t.dashboardSnapshots})
) as signature`;

export async function reportDataSignature(db: Database): Promise<string> {
  const result = (await db.execute(reportDataSignatureQuery)) as unknown as { rows: { signature: string }[] };
  return String(result.rows[0]?.signature ?? '');
}

/** The latest quarter with reported progress, per fiscal year. */
export async function latestReportedQuarters(db: Database): Promise<Map<number, Quarter>> {
  const rows = await db
    .select({ year: t.goalProgress.fiscalYear, quarter: sql<number>`max(${t.goalProgress.quarter})`.mapWith(Number) })
    .from(t.goalProgress)
    .groupBy(t.goalProgress.fiscalYear);
  return new Map(rows.map((r) => [r.year, r.quarter as Quarter]));
}

/**
 * A cycle as recorded and its reviews' records, for the monitor. Concurrent views of the same cycle
 * share one read (each still sees the data as of its arrival), reused while the database's data
 * version is unchanged (services/dataVersion).
 */
export const cycleRecordsReader = (db: Database) =>
  readByDataVersion(db, async (workflowId) => {
    const [[recorded], records, documents] = await Promise.all([
      db.select().from(t.cycles).where(eq(t.cycles.workflowId, workflowId)),
      loadReviewRecords(db, workflowId),
      cycleDocuments(db, workflowId),
    ]);
    return { recorded: recorded && withPhase(recorded), records, documents };
  });

/** One trivial query: the database answers (/health). */
export async function pingDatabase(db: Database): Promise<void> {
  await db.execute(sql`select 1`);
}
