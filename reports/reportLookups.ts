/** The database reads every report of a quarter shares: plan header, departments, goals, the quarter's cycle. */
import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/client';
import { loadQuarterData, programmedYears } from '../db/queries';
import * as t from '../db/schema';
import type { Quarter } from '../domain/goals';
import { AppError } from '../domain/errors';
import type { GoalForReview } from '../domain/quarterData';
import { cycleWorkflowId } from '../domain/workflowIds';
import type { GoalInfo, ReportHeader } from './reportTypes';

export async function loadHeader(db: Database, fiscalYear: number, quarter: Quarter): Promise<ReportHeader> {
  const [plan] = await db.select().from(t.plans).orderBy(t.plans.id).limit(1);
  return { fiscalYear, quarter, municipality: plan?.municipality ?? null, planName: plan?.name ?? null };
}

export async function departmentNames(db: Database): Promise<Map<string, string>> {
  const rows = await db.select({ code: t.departments.code, name: t.departments.name }).from(t.departments);
  return new Map(rows.map((r) => [r.code, r.name]));
}

/** Descriptive attributes of the given goals (all goals when `codes` is omitted). */
export async function goalInfo(db: Database, codes?: string[]): Promise<Map<string, GoalInfo>> {
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
        baseline: g.baseline,
      },
    ]),
  );
}

export function requireInfo(info: Map<string, GoalInfo>, goalCode: string): GoalInfo {
  const found = info.get(goalCode);
  // Goals are never deleted (history keeps them), so a missing one means the data is inconsistent.
  if (!found) throw new AppError('internal', `La meta ${goalCode} del tablero no existe en la base de datos`);
  return found;
}

/**
 * The year's goals from the read model the cycle's loadQuarter activity reads too, so a live
 * dashboard and the cycle classify the same data.
 */
export async function goalsForReview(db: Database, fiscalYear: number): Promise<GoalForReview[]> {
  const { goals } = await loadQuarterData(db, fiscalYear);
  return goals;
}

export async function noGoalsError(db: Database, fiscalYear: number): Promise<AppError> {
  const years = await programmedYears(db);
  return new AppError(
    'year_outside_plan',
    `No hay metas programadas para la vigencia ${fiscalYear}: hay programación para ${years.length ? years.join(', ') : 'ninguna vigencia (importe el Plan Indicativo)'}`,
  );
}

/** By year and quarter, not by workflow ID: a cycle run for many municipalities carries a prefix. */
export async function storedSnapshot(db: Database, fiscalYear: number, quarter: Quarter) {
  const [snapshot] = await db
    .select()
    .from(t.dashboardSnapshots)
    .where(and(eq(t.dashboardSnapshots.fiscalYear, fiscalYear), eq(t.dashboardSnapshots.quarter, quarter)))
    .limit(1);
  return snapshot ?? null;
}

/** The quarter's cycle as this database recorded it (its workflow ID, see domain/workflowIds). */
export async function quarterCycleId(db: Database, fiscalYear: number, quarter: Quarter): Promise<string> {
  const [cycle] = await db
    .select({ workflowId: t.cycles.workflowId })
    .from(t.cycles)
    .where(and(eq(t.cycles.fiscalYear, fiscalYear), eq(t.cycles.quarter, quarter)))
    .limit(1);
  return cycle?.workflowId ?? cycleWorkflowId(fiscalYear, quarter);
}

export const byCode = (a: { goalCode: string }, b: { goalCode: string }) => a.goalCode.localeCompare(b.goalCode);

/** The department, or a not_found error naming the known ones. */
export async function requireDepartment(db: Database, code: string): Promise<{ code: string; name: string }> {
  const names = await departmentNames(db);
  const name = names.get(code);
  if (name === undefined) {
    throw new AppError('not_found', `No existe la dependencia ${code}`, [`Dependencias registradas: ${[...names.keys()].sort().join(', ') || 'ninguna'}`]);
  }
  return { code, name };
}
