import { z } from 'zod';
import { accumulationRules, clean } from './accumulation';

/**
 * DNP's six "tipos de acumulación" (domain/accumulation.ts has their arithmetic). `sum` is DNP's
 * acumulado: the code keeps the name stored since the first version.
 */
export const accumulationTypes = ['sum', 'flow', 'stock', 'capacity', 'reduction', 'annualReduction'] as const;
export type AccumulationType = (typeof accumulationTypes)[number];

export const accumulationLabels: Record<AccumulationType, string> = {
  sum: 'Suma (acumulado)',
  flow: 'Flujo (no acumulable)',
  stock: 'Stock (mantenimiento)',
  capacity: 'Capacidad',
  reduction: 'Reducción',
  annualReduction: 'Reducción anual',
};

/**
 * `noReport`: something was programmed for the quarter and nothing was reported for it.
 * `unprogrammedExecution`: something was executed in a year with nothing programmed.
 */
export const goalStatuses = ['notEvaluated', 'notStarted', 'behind', 'onTrack', 'achieved', 'overachieved', 'noReport', 'unprogrammedExecution'] as const;
export type GoalStatus = (typeof goalStatuses)[number];

export const goalStatusLabels: Record<GoalStatus, string> = {
  notEvaluated: 'No evaluada',
  notStarted: 'No iniciada',
  behind: 'Atrasada',
  onTrack: 'Al día',
  achieved: 'Cumplida',
  overachieved: 'Sobrecumplida',
  noReport: 'Sin reporte',
  unprogrammedExecution: 'Ejecución sin programación',
};

/**
 * Statuses PE-P-008 task 2 asks the coordinator to flag (rezagadas and sobrecumplidas), and a
 * quarter without its report: each is a reason of the department's alert.
 */
export const flaggedStatuses: readonly GoalStatus[] = ['notStarted', 'behind', 'overachieved', 'noReport'];
export const isFlagged = (status: GoalStatus) => flaggedStatuses.includes(status);

export const quarterSchema = z.coerce
  .number({ message: 'el trimestre debe ser un número de 1 a 4' })
  .int('el trimestre debe ser un número entero de 1 a 4')
  .min(1, 'el trimestre debe estar entre 1 y 4')
  .max(4, 'el trimestre debe estar entre 1 y 4');
export type Quarter = 1 | 2 | 3 | 4;

export const fiscalYearSchema = z.coerce
  .number({ message: 'la vigencia debe ser un año' })
  .int('la vigencia debe ser un año')
  .min(2000, 'la vigencia debe ser un año entre 2000 y 2100')
  .max(2100, 'la vigencia debe ser un año entre 2000 y 2100');

export interface Thresholds {
  /** Below this percentage of the expected progress a goal is "atrasada". */
  behindBelowPercent: number;
  /** Above this percentage of the annual programming a goal is "sobrecumplida". */
  overachievedAbovePercent: number;
}

export const defaultThresholds: Thresholds = { behindBelowPercent: 90, overachievedAbovePercent: 100 };

/** One year's programming of a goal: the annual target and, where the plan has them, quarterly targets. */
export interface YearProgramming {
  annualTarget: number | null;
  quarterlyTargets: [number | null, number | null, number | null, number | null] | null;
}

/** What was executed (reported) in each quarter of the year; null where nothing was reported. */
export type QuarterlyExecution = [number | null, number | null, number | null, number | null];

export type { Measurement, MeasureContext, BaselineSource, EarlierYear } from './measurement';
export { measureGoal, classifyMeasurement } from './measurement';

/**
 * The annual target implied by quarterly targets: their sum for acumulado (suma) goals; for every
 * other type each quarter is a level, so the year's target is the level of the last quarter.
 */
export function annualTargetFromQuarters(accumulation: AccumulationType, quarterly: readonly number[]): number {
  if (accumulationRules[accumulation].adds) return clean(quarterly.reduce((a, b) => a + b, 0));
  return quarterly.at(-1) ?? 0;
}
