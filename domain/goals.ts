import { z } from 'zod';
import { accumulationRules, clean } from './accumulation';
import type { AccumulationType, GoalStatus, Thresholds } from './goalTerms';

export { accumulationTypes, goalStatuses } from './goalTerms';
export type { AccumulationType, GoalStatus, Quarter, Thresholds, YearProgramming, QuarterlyExecution } from './goalTerms';


export const accumulationLabels: Record<AccumulationType, string> = {
  sum: 'Suma (acumulado)',
  flow: 'Flujo (no acumulable)',
  stock: 'Stock (mantenimiento)',
  capacity: 'Capacidad',
  reduction: 'Reducción',
  annualReduction: 'Reducción anual',
};


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

export const fiscalYearSchema = z.coerce
  .number({ message: 'la vigencia debe ser un año' })
  .int('la vigencia debe ser un año')
  .min(2000, 'la vigencia debe ser un año entre 2000 y 2100')
  .max(2100, 'la vigencia debe ser un año entre 2000 y 2100');


export const defaultThresholds: Thresholds = { behindBelowPercent: 90, overachievedAbovePercent: 100 };


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
