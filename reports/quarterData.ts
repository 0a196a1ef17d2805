import { and, eq, inArray, like, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/client';
import { loadQuarterData, programmedYears } from '../db/queries';
import * as t from '../db/schema';
import {
  accumulationTypes,
  goalStatuses,
  type AccumulationType,
  type GoalStatus,
  type Measurement,
  type Quarter,
  type Thresholds,
  type YearProgramming,
} from '../domain/goals';
import { isPlanValue, PLAN_VALUE_MESSAGE } from '../domain/numbers';
import { AppError } from '../domain/errors';
import { classifyGoal, cumulativeLagging, type CumulativeLaggingRow, type GoalForReview } from '../domain/quarterData';
import { cycleWorkflowId } from '../domain/workflowIds';

/** Where a report's classification comes from: the cycle's stored dashboard, or the current data. */
export type ReportSource = 'cycle' | 'live';

/** A goal's descriptive attributes (the goals table holds the latest import's values). */
export interface GoalInfo {
  goalCode: string;
  name: string;
  departmentCode: string;
  departmentName: string;
  strategicLine: string;
  programCode: string;
  program: string;
  indicator: string;
  unit: string;
  accumulation: AccumulationType;
}

export interface ReportGoal extends GoalInfo {
  /** Programación anual of the year (null: nothing programmed). */
  annualTarget: number | null;
  expectedToDate: number | null;
  executedToDate: number | null;
  /** Executed against expected by the quarter's end, in percent. */
  progressPercent: number | null;
  /** Executed against the annual programming, in percent. */
  annualPercent: number | null;
  status: GoalStatus;
  /**
   * Set when the goal's stored numbers cannot be used (out of range, not finite, missing where
   * required; see domain/numbers.ts): its numbers are then left out and it counts as not evaluated.
   */
  dataError?: string;
}

/** A goal left out of (or blanked in) a report because its stored data cannot be used. */
export interface InvalidReportGoal {
  goalCode: string;
  reason: string;
}

export interface ReportHeader {
  fiscalYear: number;
  quarter: Quarter;
  /** From the plans table; null when no plan was registered (the demo has none). */
  municipality: string | null;
  planName: string | null;
}

export interface QuarterReport extends ReportHeader {
  source: ReportSource;
  cycleWorkflowId: string;
  /** When the cycle stored its dashboard (source 'cycle'); null for a live classification. */
  classifiedAt: string | null;
  /** The thresholds of a live classification; a cycle's dashboard was classified with the ones of its time. */
  thresholds: Thresholds | null;
  departments: { code: string; name: string }[];
  goals: ReportGoal[];
  /** Goals whose stored data cannot be used: shown blank, marked, never a failed page. */
  invalidGoals: InvalidReportGoal[];
}

export interface CumulativeLaggingGoal extends GoalInfo {
  byQuarter: { quarter: Quarter; status: GoalStatus; expectedToDate: number; executedToDate: number | null }[];
}

export interface CumulativeLaggingReport extends ReportHeader {
  source: ReportSource;
  cycleWorkflowId: string;
  /** The quarters the matrix covers, 1..quarter. */
  quarters: Quarter[];
  goals: CumulativeLaggingGoal[];
  /** Goals left out because their stored data cannot be used. */
  invalidGoals: InvalidReportGoal[];
}

export type JustificationOutcome = 'reprogrammed' | 'kept' | 'noAdjustment' | 'cancelled' | 'pending';

export const justificationOutcomeLabels: Record<JustificationOutcome, string> = {
  reprogrammed: 'Reprogramada',
  kept: 'Programación mantenida con compromiso',
  noAdjustment: 'Sin respuesta: constancia de negativa de ajustes',
  cancelled: 'Revisión cancelada',
  pending: 'En trámite',
};

export interface StoredAnswer {
  action: 'reprogram' | 'keep';
  justification: string;
  commitment: string;
  newQuarterlyTargets: [number, number, number, number] | null;
}

/** A programming as a reprogramming recorded it, with the later years it moved amounts to (if any). */
export interface ProgrammingVersion extends YearProgramming {
  /** Annual targets of later years of the term, by year ("2027"); null where the year had none. */
  futureAnnualTargets: Record<string, number | null> | null;
}

export interface JustificationRow extends GoalInfo {
  reviewWorkflowId: string;
  /** The goal-status machine's latest state in the review. */
  state: string;
  /** The goal's classification in the quarter, as the review received it. */
  status: GoalStatus | null;
  measurement: Measurement | null;
  /** The liaison's latest answer; null when nobody answered. */
  answer: StoredAnswer | null;
  outcome: JustificationOutcome;
  /** Programming before and after, only when the reprogramming was applied. */
  before: ProgrammingVersion | null;
  after: ProgrammingVersion | null;
  approvedBy: string | null;
  /** Acuerdo del Concejo that authorised changing the meta cuatrienio, when it was changed. */
  councilAgreement: string | null;
  approvedAt: string | null;
  altersTermTarget: boolean;
}

export interface JustificationReport extends ReportHeader {
  departmentCode: string | null;
  rows: JustificationRow[];
}

// Stored JSON is checked on the way out: a malformed row must fail loudly, not print "undefined".
const measurementSchema = z.object({
  accumulation: z.enum(accumulationTypes),
  annualTarget: z.number().nullable(),
  expectedToDate: z.number(),
  executedToDate: z.number().nullable(),
  progressPercent: z.number().nullable(),
  annualPercent: z.number().nullable(),
});

const snapshotGoalSchema = z.object({
  goalCode: z.string(),
  departmentCode: z.string(),
  strategicLine: z.string(),
  status: z.enum(goalStatuses).nullable(),
  measurement: measurementSchema.nullable(),
});

const cumulativeRowSchema = z.object({
  goalCode: z.string(),
  departmentCode: z.string(),
  byQuarter: z.array(
    z.object({ quarter: z.number().int().min(1).max(4), status: z.enum(goalStatuses), expectedToDate: z.number(), executedToDate: z.number().nullable() }),
  ),
});

const quarterlyTargetsSchema = z.tuple([z.number(), z.number(), z.number(), z.number()]);

const storedAnswerSchema = z.object({
  action: z.enum(['reprogram', 'keep']),
  justification: z.string(),
  commitment: z.string(),
  newQuarterlyTargets: quarterlyTargetsSchema.optional(),
});

const programmingVersionSchema = z
  .object({
    annualTarget: z.number().nullable(),
    quarterlyTargets: z.tuple([z.number().nullable(), z.number().nullable(), z.number().nullable(), z.number().nullable()]).nullable(),
    futureAnnualTargets: z.record(z.string(), z.number().nullable()).optional(),
  })
  .transform((p): ProgrammingVersion => ({ ...p, futureAnnualTargets: p.futureAnnualTargets ?? null }));

const reviewSnapshotSchema = z.object({
  value: z.string(),
  context: z
    .object({
      status: z.enum(goalStatuses).nullable().optional(),
      measurement: measurementSchema.nullable().optional(),
      answer: z.unknown().optional(),
    })
    .optional(),
});

/** The goal's reference in a stored row that failed its schema, to name it in the report. */
const storedCode = (value: unknown) => {
  const code = (value as { goalCode?: unknown } | null)?.goalCode;
  return typeof code === 'string' ? code : null;
};

const reasonOf = (error: z.ZodError) =>
  `datos guardados inválidos (${error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || 'valor'}: ${i.message}`)
    .join('; ')})`;

/** A goal's numbers in a report: plan values or null (percentages finite ≥ 0), else the goal is marked and blanked. */
function checkedNumbers<G extends ReportGoal>(goal: G): G {
  const bad = (
    [
      ['programación anual', goal.annualTarget],
      ['esperado a la fecha', goal.expectedToDate],
      ['ejecutado a la fecha', goal.executedToDate],
    ] as const
  ).filter(([, v]) => v !== null && !isPlanValue(v));
  const badPercent = [goal.progressPercent, goal.annualPercent].some((v) => v !== null && !(Number.isFinite(v) && v >= 0));
  if (!bad.length && !badPercent) return goal;
  const reason = bad.length
    ? bad.map(([what, v]) => `${what} (${String(v)}) ${PLAN_VALUE_MESSAGE}`).join('; ')
    : 'el porcentaje de avance no es un número válido';
  return { ...goal, annualTarget: null, expectedToDate: null, executedToDate: null, progressPercent: null, annualPercent: null, status: 'notEvaluated', dataError: reason };
}

function parseStored<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError('internal', `${what} no tiene el formato esperado`, parsed.error.issues.map((i) => i.message));
  return parsed.data;
}

async function loadHeader(db: Database, fiscalYear: number, quarter: Quarter): Promise<ReportHeader> {
  const [plan] = await db.select().from(t.plans).orderBy(t.plans.id).limit(1);
  return { fiscalYear, quarter, municipality: plan?.municipality ?? null, planName: plan?.name ?? null };
}

async function departmentNames(db: Database): Promise<Map<string, string>> {
  const rows = await db.select({ code: t.departments.code, name: t.departments.name }).from(t.departments);
  return new Map(rows.map((r) => [r.code, r.name]));
}

/** Descriptive attributes of the given goals (all goals when `codes` is omitted). */
async function goalInfo(db: Database, codes?: string[]): Promise<Map<string, GoalInfo>> {
  if (codes?.length === 0) return new Map();
  const [rows, names] = await Promise.all([
    codes ? db.select().from(t.goals).where(inArray(t.goals.code, codes)) : db.select().from(t.goals),
    departmentNames(db),
  ]);
  return new Map(
    rows.map((g) => [
      g.code,
      {
        goalCode: g.code,
        name: g.name,
        departmentCode: g.departmentCode,
        departmentName: names.get(g.departmentCode) ?? g.departmentCode,
        strategicLine: g.strategicLine,
        programCode: g.programCode,
        program: g.program,
        indicator: g.indicator,
        unit: g.unit,
        accumulation: g.accumulation,
      },
    ]),
  );
}

function requireInfo(info: Map<string, GoalInfo>, goalCode: string): GoalInfo {
  const found = info.get(goalCode);
  // Goals are never deleted (history keeps them), so a missing one means the data is inconsistent.
  if (!found) throw new AppError('internal', `La meta ${goalCode} del tablero no existe en la base de datos`);
  return found;
}

/**
 * The year's goals from the read model the cycle's loadQuarter activity reads too, so a live
 * dashboard and the cycle classify the same data.
 */
async function goalsForReview(db: Database, fiscalYear: number): Promise<GoalForReview[]> {
  const { goals } = await loadQuarterData(db, fiscalYear);
  return goals;
}

async function noGoalsError(db: Database, fiscalYear: number): Promise<AppError> {
  const years = await programmedYears(db);
  return new AppError(
    'year_outside_plan',
    `No hay metas programadas para la vigencia ${fiscalYear}: hay programación para ${years.length ? years.join(', ') : 'ninguna vigencia (importe el Plan Indicativo)'}`,
  );
}

/** By year and quarter, not by workflow ID: a cycle run for many municipalities carries a prefix. */
async function storedSnapshot(db: Database, fiscalYear: number, quarter: Quarter) {
  const [snapshot] = await db
    .select()
    .from(t.dashboardSnapshots)
    .where(and(eq(t.dashboardSnapshots.fiscalYear, fiscalYear), eq(t.dashboardSnapshots.quarter, quarter)))
    .limit(1);
  return snapshot ?? null;
}

/** The quarter's cycle as this database recorded it (its workflow ID, see domain/workflowIds). */
async function quarterCycleId(db: Database, fiscalYear: number, quarter: Quarter): Promise<string> {
  const [cycle] = await db
    .select({ workflowId: t.cycles.workflowId })
    .from(t.cycles)
    .where(and(eq(t.cycles.fiscalYear, fiscalYear), eq(t.cycles.quarter, quarter)))
    .limit(1);
  return cycle?.workflowId ?? cycleWorkflowId(fiscalYear, quarter);
}

const byCode = (a: { goalCode: string }, b: { goalCode: string }) => a.goalCode.localeCompare(b.goalCode);

function fromMeasurement(status: GoalStatus | null, m: Measurement | null) {
  return {
    annualTarget: m?.annualTarget ?? null,
    expectedToDate: m?.expectedToDate ?? null,
    executedToDate: m?.executedToDate ?? null,
    progressPercent: m?.progressPercent ?? null,
    annualPercent: m?.annualPercent ?? null,
    // A stored goal without a status was never classified; it counts as not evaluated.
    status: status ?? 'notEvaluated',
  };
}

/**
 * The classified goals of a quarter. The cycle's stored dashboard wins when it exists, because that
 * is what the office sent to the departments; otherwise the goals are classified from the current
 * data, so a dashboard can be looked at before a cycle is started.
 */
export async function loadQuarterReport(
  db: Database,
  {
    fiscalYear,
    quarter,
    thresholds,
    departmentCode,
  }: {
    fiscalYear: number;
    quarter: Quarter;
    thresholds: Thresholds;
    /** Only this department's goals (a department's matrix, e.g. each alert's attachment): much less work. */
    departmentCode?: string;
  },
): Promise<QuarterReport> {
  const header = await loadHeader(db, fiscalYear, quarter);
  const ofDepartment = <T extends { departmentCode: string }>(rows: T[]) => (departmentCode ? rows.filter((r) => r.departmentCode === departmentCode) : rows);
  const snapshot = await storedSnapshot(db, fiscalYear, quarter);
  const cycleId = snapshot?.cycleWorkflowId ?? (await quarterCycleId(db, fiscalYear, quarter));
  let goals: ReportGoal[];
  let source: ReportSource;
  const invalidGoals: InvalidReportGoal[] = [];
  if (snapshot) {
    const all = snapshot.goals as { departmentCode?: unknown }[];
    const kept = departmentCode && Array.isArray(all) ? all.filter((g) => g?.departmentCode === departmentCode) : snapshot.goals;
    const rows = Array.isArray(kept) ? (kept as unknown[]) : parseStored(z.array(snapshotGoalSchema), kept, `El tablero guardado del ciclo ${cycleId}`);
    // Each goal on its own: one goal with unusable stored numbers is marked, the rest still show.
    const stored = rows.flatMap((row) => {
      const parsed = snapshotGoalSchema.safeParse(row);
      if (parsed.success) return [{ ...parsed.data, dataError: undefined as string | undefined }];
      const fallback = snapshotGoalSchema.pick({ goalCode: true, departmentCode: true, strategicLine: true }).safeParse(row);
      if (!fallback.success) {
        invalidGoals.push({ goalCode: storedCode(row) ?? '—', reason: reasonOf(parsed.error) });
        return [];
      }
      return [{ ...fallback.data, status: null, measurement: null, dataError: reasonOf(parsed.error) }];
    });
    const info = await goalInfo(db, stored.map((g) => g.goalCode));
    const names = await departmentNames(db);
    goals = stored.flatMap((g) => {
      const attributes = info.get(g.goalCode);
      if (!attributes) {
        invalidGoals.push({ goalCode: g.goalCode, reason: 'la meta del tablero no existe en la base de datos' });
        return [];
      }
      return [
        {
          ...attributes,
          // Department and línea as they were when the cycle ran: the dashboard sent out is the record.
          departmentCode: g.departmentCode,
          departmentName: names.get(g.departmentCode) ?? g.departmentCode,
          strategicLine: g.strategicLine,
          accumulation: g.measurement?.accumulation ?? attributes.accumulation,
          ...fromMeasurement(g.status, g.measurement),
          ...(g.dataError ? { status: 'notEvaluated' as const, dataError: g.dataError } : {}),
        },
      ];
    });
    source = 'cycle';
  } else {
    const forReview = ofDepartment(await goalsForReview(db, fiscalYear));
    const info = await goalInfo(db, forReview.map((g) => g.goalCode));
    goals = forReview.map((goal) => {
      const { status, measurement } = classifyGoal(goal, quarter, thresholds);
      return { ...requireInfo(info, goal.goalCode), ...fromMeasurement(status, measurement) };
    });
    source = 'live';
  }
  goals = goals.map(checkedNumbers);
  for (const g of goals) if (g.dataError) invalidGoals.push({ goalCode: g.goalCode, reason: g.dataError });
  if (goals.length === 0 && invalidGoals.length === 0 && !departmentCode) throw await noGoalsError(db, fiscalYear);
  goals.sort(byCode);
  const departments = [...new Map(goals.map((g) => [g.departmentCode, { code: g.departmentCode, name: g.departmentName }])).values()].sort(
    (a, b) => a.code.localeCompare(b.code),
  );
  return {
    ...header,
    source,
    cycleWorkflowId: cycleId,
    classifiedAt: snapshot?.createdAt ?? null,
    thresholds: source === 'live' ? thresholds : null,
    departments,
    goals,
    invalidGoals,
  };
}

/** PE-P-008 task 4 is a third-quarter task; the fourth quarter may look back at the whole year. */
export function assertCumulativeQuarter(quarter: number): asserts quarter is 3 | 4 {
  if (quarter !== 3 && quarter !== 4) {
    throw new AppError(
      'invalid_input',
      `La matriz de metas rezagadas acumuladas se consolida en el tercer trimestre (o en el cuarto); se pidió el trimestre ${quarter}`,
    );
  }
}

/**
 * Every goal that lagged (no iniciada or atrasada) in any quarter up to `quarter`, quarter by quarter.
 * The Q3 cycle stores this matrix with its dashboard; without it the matrix is computed from the
 * current data with the same pure function the cycle uses, so a preview matches what it will store.
 */
export async function loadCumulativeLagging(
  db: Database,
  { fiscalYear, quarter, thresholds }: { fiscalYear: number; quarter: Quarter; thresholds: Thresholds },
): Promise<CumulativeLaggingReport> {
  assertCumulativeQuarter(quarter);
  const header = await loadHeader(db, fiscalYear, quarter);
  const snapshot = await storedSnapshot(db, fiscalYear, quarter);
  const cycleId = snapshot?.cycleWorkflowId ?? (await quarterCycleId(db, fiscalYear, quarter));
  let rows: CumulativeLaggingRow[];
  let source: ReportSource;
  const invalidGoals: InvalidReportGoal[] = [];
  if (snapshot?.cumulativeLagging) {
    const stored = Array.isArray(snapshot.cumulativeLagging)
      ? (snapshot.cumulativeLagging as unknown[])
      : parseStored(z.array(cumulativeRowSchema), snapshot.cumulativeLagging, `La matriz acumulada guardada del ciclo ${cycleId}`);
    // Each row on its own: a row with unusable stored numbers is left out and named, the rest still show.
    rows = stored.flatMap((row) => {
      const parsed = cumulativeRowSchema.safeParse(row);
      if (parsed.success) return [parsed.data];
      invalidGoals.push({ goalCode: storedCode(row) ?? '—', reason: reasonOf(parsed.error) });
      return [];
    });
    source = 'cycle';
  } else {
    const forReview = await goalsForReview(db, fiscalYear);
    if (forReview.length === 0) throw await noGoalsError(db, fiscalYear);
    rows = cumulativeLagging(forReview, quarter, thresholds);
    source = 'live';
  }
  rows = rows.filter((row) => {
    const bad = row.byQuarter.find((q) => !isPlanValue(q.expectedToDate) || (q.executedToDate !== null && !isPlanValue(q.executedToDate)));
    if (bad) invalidGoals.push({ goalCode: row.goalCode, reason: `T${bad.quarter}: esperado o ejecutado ${PLAN_VALUE_MESSAGE}` });
    return !bad;
  });
  const info = await goalInfo(db, rows.map((r) => r.goalCode));
  const names = await departmentNames(db);
  const goals = rows
    .filter((row) => info.has(row.goalCode))
    .map((row) => ({
      ...requireInfo(info, row.goalCode),
      departmentCode: row.departmentCode,
      departmentName: names.get(row.departmentCode) ?? row.departmentCode,
      byQuarter: row.byQuarter.map((q) => ({ ...q, quarter: q.quarter as Quarter })),
    }))
    .sort(byCode);
  const quarters = ([1, 2, 3, 4] as const).filter((q) => q <= quarter);
  return { ...header, source, cycleWorkflowId: cycleId, quarters, goals, invalidGoals };
}

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
  return { ...header, departmentCode: departmentCode ?? null, rows };
}

/** The department, or a not_found error naming the known ones. */
export async function requireDepartment(db: Database, code: string): Promise<{ code: string; name: string }> {
  const names = await departmentNames(db);
  const name = names.get(code);
  if (name === undefined) {
    throw new AppError('not_found', `No existe la dependencia ${code}`, [`Dependencias registradas: ${[...names.keys()].sort().join(', ') || 'ninguna'}`]);
  }
  return { code, name };
}
