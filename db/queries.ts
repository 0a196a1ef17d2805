import { and, eq, gte, lt, sql } from 'drizzle-orm';
import type { EarlierYear, QuarterlyExecution, YearProgramming } from '../domain/goals';
import type { GoalForReview, QuarterData } from '../domain/quarterData';
import type { Database } from './client';
import * as t from './schema';
import { officialTermTarget, officialTermTargets } from './termTargets';

/** Each goal's programming for a year, at its latest version. */
export async function latestProgramming(db: Database, fiscalYear: number): Promise<Map<string, YearProgramming>> {
  const rows = await db
    .selectDistinctOn([t.goalProgramming.goalCode])
    .from(t.goalProgramming)
    .where(eq(t.goalProgramming.fiscalYear, fiscalYear))
    .orderBy(t.goalProgramming.goalCode, sql`${t.goalProgramming.version} desc`);
  return new Map(rows.map((r) => [r.goalCode, { annualTarget: r.annualTarget, quarterlyTargets: r.quarterlyTargets ?? null }]));
}

/** Each goal's executed value per quarter of a year, at its latest version (corrections win). */
export async function latestExecution(db: Database, fiscalYear: number): Promise<Map<string, QuarterlyExecution>> {
  const rows = await db
    .selectDistinctOn([t.goalProgress.goalCode, t.goalProgress.quarter])
    .from(t.goalProgress)
    .where(eq(t.goalProgress.fiscalYear, fiscalYear))
    .orderBy(t.goalProgress.goalCode, t.goalProgress.quarter, sql`${t.goalProgress.version} desc`);
  const byGoal = new Map<string, QuarterlyExecution>();
  for (const row of rows) {
    const execution = byGoal.get(row.goalCode) ?? [null, null, null, null];
    execution[row.quarter - 1] = row.executed;
    byGoal.set(row.goalCode, execution);
  }
  return byGoal;
}

/** Each goal's reports in the plan's term before `fiscalYear`, per year, at their latest versions: for the avance del cuatrienio. */
export async function earlierYearsExecution(db: Database, fiscalYear: number): Promise<Map<string, EarlierYear[]>> {
  const [plan] = await db.select({ termStartYear: t.plans.termStartYear }).from(t.plans).limit(1);
  const from = plan?.termStartYear ?? fiscalYear;
  const rows = await db
    .selectDistinctOn([t.goalProgress.goalCode, t.goalProgress.fiscalYear, t.goalProgress.quarter])
    .from(t.goalProgress)
    .where(and(gte(t.goalProgress.fiscalYear, from), lt(t.goalProgress.fiscalYear, fiscalYear)))
    .orderBy(t.goalProgress.goalCode, t.goalProgress.fiscalYear, t.goalProgress.quarter, sql`${t.goalProgress.version} desc`);
  const byGoal = new Map<string, EarlierYear[]>();
  for (const row of rows) {
    const years = byGoal.get(row.goalCode) ?? [];
    let year = years.find((y) => y.fiscalYear === row.fiscalYear);
    if (!year) {
      year = { fiscalYear: row.fiscalYear, execution: [null, null, null, null] };
      years.push(year);
    }
    year.execution[row.quarter - 1] = row.executed;
    byGoal.set(row.goalCode, years);
  }
  return byGoal;
}

/** Fiscal years that have programming: the years a cycle can be started for. */
export async function programmedYears(db: Database): Promise<number[]> {
  const rows = await db.selectDistinct({ year: t.goalProgramming.fiscalYear }).from(t.goalProgramming).orderBy(t.goalProgramming.fiscalYear);
  return rows.map((r) => r.year);
}

/** Every version of a goal's programming for a year, oldest first. */
export async function programmingHistory(db: Database, goalCode: string, fiscalYear: number) {
  return db
    .select()
    .from(t.goalProgramming)
    .where(and(eq(t.goalProgramming.goalCode, goalCode), eq(t.goalProgramming.fiscalYear, fiscalYear)))
    .orderBy(t.goalProgramming.version);
}

/** Each goal's latest annual target for every year it has programming. */
export async function latestAnnualTargetsByYear(db: Database): Promise<Map<string, { fiscalYear: number; annualTarget: number | null }[]>> {
  const rows = await db
    .selectDistinctOn([t.goalProgramming.goalCode, t.goalProgramming.fiscalYear], {
      goalCode: t.goalProgramming.goalCode,
      fiscalYear: t.goalProgramming.fiscalYear,
      annualTarget: t.goalProgramming.annualTarget,
    })
    .from(t.goalProgramming)
    .orderBy(t.goalProgramming.goalCode, t.goalProgramming.fiscalYear, sql`${t.goalProgramming.version} desc`);
  const byGoal = new Map<string, { fiscalYear: number; annualTarget: number | null }[]>();
  for (const row of rows) byGoal.set(row.goalCode, [...(byGoal.get(row.goalCode) ?? []), { fiscalYear: row.fiscalYear, annualTarget: row.annualTarget }]);
  return byGoal;
}

/**
 * Every active goal programmed for the year, or with something reported in it (execution with
 * nothing programmed is its own verdict), with its execution, línea base and term: what a
 * quarter's review classifies.
 */
export async function loadQuarterData(db: Database, fiscalYear: number): Promise<QuarterData> {
  const [departments, goals, programming, execution, termTargets, earlier] = await Promise.all([
    db.select().from(t.departments).orderBy(t.departments.code),
    db.select().from(t.goals).where(eq(t.goals.active, true)).orderBy(t.goals.code),
    latestProgramming(db, fiscalYear),
    latestExecution(db, fiscalYear),
    latestAnnualTargetsByYear(db),
    earlierYearsExecution(db, fiscalYear),
  ]);
  const officialTargets = await officialTermTargets(db);
  const programmed: GoalForReview[] = goals.flatMap((goal) => {
    const year = programming.get(goal.code) ?? (execution.has(goal.code) ? { annualTarget: null, quarterlyTargets: null } : undefined);
    if (!year) return [];
    return [
      {
        goalCode: goal.code,
        departmentCode: goal.departmentCode,
        name: goal.name,
        strategicLine: goal.strategicLine,
        accumulation: goal.accumulation,
        programming: year,
        execution: execution.get(goal.code) ?? ([null, null, null, null] as QuarterlyExecution),
        term: { accumulation: goal.accumulation, termTarget: officialTermTarget(officialTargets, goal), annualTargets: termTargets.get(goal.code) ?? [] },
        baseline: goal.baseline,
        earlierYears: earlier.get(goal.code) ?? [],
      },
    ];
  });
  return {
    departments: departments.map((d) => ({ code: d.code, name: d.name, liaisonName: d.liaisonName, liaisonEmail: d.liaisonEmail })),
    goals: programmed,
  };
}
