/** The quarter's classified goals (the tablero de control) and the cumulative lagging matrix, stored or live. */
import { z } from 'zod';
import type { Database } from '../db/client';
import type { GoalStatus, Measurement, Quarter, Thresholds } from '../domain/goals';
import { isPlanValue, PLAN_VALUE_MESSAGE } from '../domain/numbers';
import { AppError } from '../domain/errors';
import { classifyGoal, cumulativeLagging, type CumulativeLaggingRow } from '../domain/quarterData';
import type { CumulativeLaggingReport, InvalidReportGoal, QuarterReport, ReportGoal, ReportSource } from './reportTypes';
import { checkedNumbers, cumulativeRowSchema, parseStored, reasonOf, snapshotGoalSchema, storedCode } from './storedRows';
import { byCode, departmentNames, goalInfo, goalsForReview, loadHeader, noGoalsError, quarterCycleId, requireInfo, storedSnapshot } from './reportLookups';

function fromMeasurement(status: GoalStatus | null, m: Measurement | null) {
  return {
    annualTarget: m?.annualTarget ?? null,
    expectedToDate: m?.expectedToDate ?? null,
    executedToDate: m?.executedToDate ?? null,
    progressPercent: m?.progressPercent ?? null,
    annualPercent: m?.annualPercent ?? null,
    avanceVigencia: m?.annualPercent ?? null,
    avanceCuatrienio: m?.termPercent ?? null,
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

/**
 * Avance de la vigencia and del cuatrienio at the matrix's cut (its last quarter), as the quarter's
 * tablero states them: the cycle's stored dashboard when it ran, the current data before.
 */
async function withAvancesAtCut<G extends CumulativeLaggingReport['goals'][number]>(
  db: Database,
  goals: G[],
  fiscalYear: number,
  quarter: Quarter,
  thresholds: Thresholds,
): Promise<G[]> {
  if (goals.length === 0) return goals;
  const cut = new Map((await loadQuarterReport(db, { fiscalYear, quarter, thresholds })).goals.map((g) => [g.goalCode, g]));
  return goals.map((goal) => {
    const at = cut.get(goal.goalCode);
    return {
      ...goal,
      byQuarter: goal.byQuarter.map((q) =>
        q.quarter === quarter && at ? { ...q, avanceVigencia: q.avanceVigencia ?? at.avanceVigencia, avanceCuatrienio: q.avanceCuatrienio ?? at.avanceCuatrienio } : q,
      ),
    };
  });
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
  return { ...header, source, cycleWorkflowId: cycleId, quarters, goals: await withAvancesAtCut(db, goals, fiscalYear, quarter, thresholds), invalidGoals };
}
