import { ApplicationFailure } from '@temporalio/common';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import type { Measurement } from '../domain/goals';
import { isPlanValue, PLAN_VALUE_MESSAGE, sumMessage, sumWithinLimit } from '../domain/numbers';
import { FailureTypes } from '../workflows/failures';

/** How a stored value reads in a message: JSON turns Infinity and NaN into null, so say "vacío". */
const shown = (value: unknown) => (value === null || value === undefined ? 'vacío' : typeof value === 'number' ? String(value) : JSON.stringify(value));

const outOfRange = (goalCode: string, what: string, value: unknown) => `Meta ${goalCode}: ${what} (${shown(value)}) ${PLAN_VALUE_MESSAGE}`;

/** A measurement the review would show and send: its numbers must be plan values (nulls where allowed). */
function measurementProblems(goalCode: string, m: Measurement | null | undefined): string[] {
  if (!m) return [];
  const problems: string[] = [];
  const check = (what: string, value: unknown, nullable: boolean) => {
    if (nullable && value === null) return;
    if (!isPlanValue(value)) problems.push(outOfRange(goalCode, what, value));
  };
  check('la programación anual medida', m.annualTarget, true);
  check('lo esperado a la fecha', m.expectedToDate, false);
  check('lo ejecutado a la fecha', m.executedToDate, true);
  for (const [what, value] of [
    ['el avance frente a lo esperado', m.progressPercent],
    ['el avance frente a lo anual', m.annualPercent],
  ] as const) {
    if (value !== null && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) problems.push(`Meta ${goalCode}: ${what} (${shown(value)}) no es un porcentaje válido`);
  }
  return problems;
}

/**
 * What makes a department's review unprocessable: the stored programming (latest version) and the
 * reported progress of its goals for the year, and the measurements the review was given, each
 * checked against the limits of domain/numbers.ts. Data stored before those limits existed (an
 * overflowing 1e308, an annual sum stored as null or Infinity) shows up here.
 */
export async function reviewDataProblems(
  db: Pick<Database, 'select' | 'selectDistinctOn'>,
  { fiscalYear, goals }: { fiscalYear: number; goals: { goalCode: string; measurement?: Measurement | null }[] },
): Promise<string[]> {
  const codes = [...new Set(goals.map((g) => g.goalCode))];
  if (!codes.length) return [];
  const [programming, progress] = await Promise.all([
    db
      .selectDistinctOn([t.goalProgramming.goalCode])
      .from(t.goalProgramming)
      .where(and(eq(t.goalProgramming.fiscalYear, fiscalYear), inArray(t.goalProgramming.goalCode, codes)))
      .orderBy(t.goalProgramming.goalCode, desc(t.goalProgramming.version)),
    db
      .selectDistinctOn([t.goalProgress.goalCode, t.goalProgress.quarter])
      .from(t.goalProgress)
      .where(and(eq(t.goalProgress.fiscalYear, fiscalYear), inArray(t.goalProgress.goalCode, codes)))
      .orderBy(t.goalProgress.goalCode, t.goalProgress.quarter, desc(t.goalProgress.version)),
  ]);
  const problems: string[] = [];
  for (const row of programming) {
    if (row.annualTarget !== null && !isPlanValue(row.annualTarget)) problems.push(outOfRange(row.goalCode, `la programación anual de ${fiscalYear}`, row.annualTarget));
    const quarterly = row.quarterlyTargets;
    if (quarterly !== null && quarterly !== undefined) {
      if (!Array.isArray(quarterly) || quarterly.length !== 4) {
        problems.push(`Meta ${row.goalCode}: la programación trimestral de ${fiscalYear} no tiene cuatro trimestres (${shown(quarterly)})`);
        continue;
      }
      quarterly.forEach((value, i) => {
        if (value !== null && !isPlanValue(value)) problems.push(outOfRange(row.goalCode, `la programación de ${fiscalYear} T${i + 1}`, value));
      });
      const sum = sumWithinLimit(quarterly.map((v) => (typeof v === 'number' ? v : 0)));
      if (!sum.ok) problems.push(`Meta ${row.goalCode}: ${sumMessage(`la suma de la programación trimestral de ${fiscalYear}`, sum.total)}`);
    }
  }
  for (const row of progress) {
    if (!isPlanValue(row.executed)) problems.push(outOfRange(row.goalCode, `lo ejecutado en ${fiscalYear} T${row.quarter}`, row.executed));
  }
  for (const goal of goals) problems.push(...measurementProblems(goal.goalCode, goal.measurement));
  return [...new Set(problems)];
}

/** Throws the non-retryable InvalidStoredData failure when the department's data cannot be processed. */
export async function assertReviewData(
  db: Pick<Database, 'select' | 'selectDistinctOn'>,
  input: { departmentCode: string; fiscalYear: number; goals: { goalCode: string; measurement?: Measurement | null }[] },
): Promise<void> {
  const problems = await reviewDataProblems(db, input);
  if (!problems.length) return;
  throw ApplicationFailure.create({
    type: FailureTypes.invalidStoredData,
    message: `Los datos guardados de la dependencia ${input.departmentCode} no se pueden procesar: ${problems.length === 1 ? problems[0] : `${problems.length} valores fuera de rango`}. Corrija la programación o el avance (p. ej. importando de nuevo la Hoja de Captura).`,
    details: [problems.slice(0, 50)],
    nonRetryable: true,
  });
}
