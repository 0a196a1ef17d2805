/** Stored JSON (tableros, matrices, review snapshots, reprogrammings) checked on the way out of the database. */
import { z } from 'zod';
import { accumulationTypes, goalStatuses } from '../domain/goals';
import { isPlanValue, PLAN_VALUE_MESSAGE } from '../domain/numbers';
import { AppError } from '../domain/errors';
import type { ProgrammingVersion, ReportGoal } from './reportTypes';

// Stored JSON is checked on the way out: a malformed row must fail loudly, not print "undefined".
export const measurementSchema = z.object({
  accumulation: z.enum(accumulationTypes),
  annualTarget: z.number().nullable(),
  expectedToDate: z.number(),
  executedToDate: z.number().nullable(),
  progressPercent: z.number().nullable(),
  annualPercent: z.number().nullable(),
  // DNP's arithmetic (domain/measurement.ts); absent in measurements stored before it.
  method: z.literal('dnp').optional(),
  baseline: z.number().nullable().optional(),
  baselineSource: z.enum(['plan', 'default', 'firstReport']).nullable().optional(),
  yearFrom: z.number().nullable().optional(),
  reported: z.boolean().optional(),
  due: z.boolean().optional(),
  progressedBefore: z.boolean().optional(),
  executedSomething: z.boolean().optional(),
  termTarget: z.number().nullable().optional(),
  termPercent: z.number().nullable().optional(),
});

export const snapshotGoalSchema = z.object({
  goalCode: z.string(),
  departmentCode: z.string(),
  strategicLine: z.string(),
  status: z.enum(goalStatuses).nullable(),
  measurement: measurementSchema.nullable(),
});

export const cumulativeRowSchema = z.object({
  goalCode: z.string(),
  departmentCode: z.string(),
  byQuarter: z.array(
    z.object({
      quarter: z.number().int().min(1).max(4),
      status: z.enum(goalStatuses),
      expectedToDate: z.number(),
      executedToDate: z.number().nullable(),
      avanceVigencia: z.number().nullable().optional(),
      avanceCuatrienio: z.number().nullable().optional(),
    }),
  ),
});

const quarterlyTargetsSchema = z.tuple([z.number(), z.number(), z.number(), z.number()]);

export const storedAnswerSchema = z.object({
  action: z.enum(['reprogram', 'keep']),
  justification: z.string(),
  commitment: z.string(),
  newQuarterlyTargets: quarterlyTargetsSchema.optional(),
});

export const programmingVersionSchema = z
  .object({
    annualTarget: z.number().nullable(),
    quarterlyTargets: z.tuple([z.number().nullable(), z.number().nullable(), z.number().nullable(), z.number().nullable()]).nullable(),
    futureAnnualTargets: z.record(z.string(), z.number().nullable()).optional(),
  })
  .transform((p): ProgrammingVersion => ({ ...p, futureAnnualTargets: p.futureAnnualTargets ?? null }));

export const reviewSnapshotSchema = z.object({
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
export const storedCode = (value: unknown) => {
  const code = (value as { goalCode?: unknown } | null)?.goalCode;
  return typeof code === 'string' ? code : null;
};

export const reasonOf = (error: z.ZodError) =>
  `datos guardados inválidos (${error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || 'valor'}: ${i.message}`)
    .join('; ')})`;

/** A goal's numbers in a report: plan values or null (percentages finite ≥ 0), else the goal is marked and blanked. */
export function checkedNumbers<G extends ReportGoal>(goal: G): G {
  const bad = (
    [
      ['programación anual', goal.annualTarget],
      ['esperado a la fecha', goal.expectedToDate],
      ['ejecutado a la fecha', goal.executedToDate],
    ] as const
  ).filter(([, v]) => v !== null && !isPlanValue(v));
  const badPercent = [goal.progressPercent, goal.annualPercent, goal.avanceCuatrienio].some((v) => v !== null && !(Number.isFinite(v) && v >= 0));
  if (!bad.length && !badPercent) return goal;
  const reason = bad.length
    ? bad.map(([what, v]) => `${what} (${String(v)}) ${PLAN_VALUE_MESSAGE}`).join('; ')
    : 'el porcentaje de avance no es un número válido';
  return {
    ...goal,
    annualTarget: null,
    expectedToDate: null,
    executedToDate: null,
    progressPercent: null,
    annualPercent: null,
    avanceVigencia: null,
    avanceCuatrienio: null,
    status: 'notEvaluated',
    dataError: reason,
  };
}

export function parseStored<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError('internal', `${what} no tiene el formato esperado`, parsed.error.issues.map((i) => i.message));
  return parsed.data;
}
