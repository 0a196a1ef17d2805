import { z } from 'zod';

/** How a goal's executed values combine over the year (DNP's "tipo de acumulación"). */
export const accumulationTypes = ['sum', 'flow', 'stock', 'reduction'] as const;
export type AccumulationType = (typeof accumulationTypes)[number];

export const accumulationLabels: Record<AccumulationType, string> = {
  sum: 'Suma (acumulado)',
  flow: 'Flujo (no acumulable)',
  stock: 'Stock (mantenimiento)',
  reduction: 'Reducción',
};

export const goalStatuses = ['notEvaluated', 'notStarted', 'behind', 'onTrack', 'achieved', 'overachieved'] as const;
export type GoalStatus = (typeof goalStatuses)[number];

export const goalStatusLabels: Record<GoalStatus, string> = {
  notEvaluated: 'No evaluada',
  notStarted: 'No iniciada',
  behind: 'Atrasada',
  onTrack: 'Al día',
  achieved: 'Cumplida',
  overachieved: 'Sobrecumplida',
};

/** Statuses PE-P-008 task 2 asks the coordinator to flag: rezagadas and sobrecumplidas. */
export const flaggedStatuses: readonly GoalStatus[] = ['notStarted', 'behind', 'overachieved'];
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

/** The numbers a classification is made from, kept with the result so every status can be explained. */
export interface Measurement {
  accumulation: AccumulationType;
  annualTarget: number | null;
  expectedToDate: number;
  executedToDate: number | null;
  /** Executed against expected by the quarter's end, in percent (null when nothing was expected yet). */
  progressPercent: number | null;
  /** Executed against the annual programming, in percent. */
  annualPercent: number | null;
}

/** Removes floating-point noise from sums (0.1 + 0.2) without moving any real value. */
const clean = (n: number) => Math.round(n * 1e9) / 1e9;

/** Percentages are capped so that "zero cases left" stays a finite, JSON-safe number. */
const MAX_PERCENT = 99_999;

function expectedByQuarter(programming: YearProgramming, accumulation: AccumulationType, quarter: Quarter): number {
  const annual = programming.annualTarget ?? 0;
  const quarterly = programming.quarterlyTargets;
  const hasQuarterly = quarterly?.some((v) => v !== null) ?? false;
  if (accumulation === 'sum') {
    if (hasQuarterly && quarterly) return quarterly.slice(0, quarter).reduce<number>((acc, v) => acc + (v ?? 0), 0);
    return (annual * quarter) / 4;
  }
  // flow, stock and reduction: the level programmed for that quarter, else the annual level.
  if (hasQuarterly && quarterly) {
    const upToQuarter = quarterly.slice(0, quarter).filter((v): v is number => v !== null);
    return upToQuarter.at(-1) ?? annual;
  }
  return annual;
}

function executedByQuarter(execution: QuarterlyExecution, accumulation: AccumulationType, quarter: Quarter): number | null {
  const reported = execution.slice(0, quarter).filter((v): v is number => v !== null);
  if (reported.length === 0) return null;
  return accumulation === 'sum' ? reported.reduce((a, b) => a + b, 0) : (reported.at(-1) as number);
}

/** A reducción goal is better when lower: its ratio is target over actual. */
function achievementPercent(target: number, actual: number, accumulation: AccumulationType): number {
  if (accumulation === 'reduction') {
    if (actual === 0) return target === 0 ? 100 : MAX_PERCENT;
    return Math.min(clean((target / actual) * 100), MAX_PERCENT);
  }
  if (target === 0) return actual > 0 ? MAX_PERCENT : 100;
  return Math.min(clean((actual / target) * 100), MAX_PERCENT);
}

export function measureGoal(
  accumulation: AccumulationType,
  programming: YearProgramming,
  execution: QuarterlyExecution,
  quarter: Quarter,
): Measurement {
  const expectedToDate = clean(expectedByQuarter(programming, accumulation, quarter));
  const executedRaw = executedByQuarter(execution, accumulation, quarter);
  const executedToDate = executedRaw === null ? null : clean(executedRaw);
  const annualTarget = programming.annualTarget;
  // For a reducción goal an expected level of 0 is a real target ("zero cases"), not "nothing due yet".
  const nothingDueYet = expectedToDate === 0 && accumulation !== 'reduction';
  const progressPercent =
    executedToDate === null || nothingDueYet ? null : achievementPercent(expectedToDate, executedToDate, accumulation);
  const annualPercent =
    executedToDate === null || annualTarget === null ? null : achievementPercent(annualTarget, executedToDate, accumulation);
  return { accumulation, annualTarget, expectedToDate, executedToDate, progressPercent, annualPercent };
}

/** PE-P-008 task 2: the status of a goal at a quarter's end. Pure; thresholds come from configuration. */
export function classifyMeasurement(m: Measurement, thresholds: Thresholds): GoalStatus {
  const programmedThisYear =
    m.annualTarget !== null && (m.accumulation === 'reduction' ? m.annualTarget >= 0 : m.annualTarget > 0);
  if (!programmedThisYear) return 'notEvaluated';
  const nothingExecuted = m.executedToDate === null || (m.accumulation !== 'reduction' && m.executedToDate === 0);
  if (nothingExecuted) return m.expectedToDate > 0 ? 'notStarted' : 'onTrack';
  if (m.annualPercent !== null && m.annualPercent > thresholds.overachievedAbovePercent) return 'overachieved';
  if (m.annualPercent !== null && m.annualPercent >= 100) return 'achieved';
  if (m.progressPercent !== null && m.progressPercent < thresholds.behindBelowPercent) return 'behind';
  return 'onTrack';
}

/**
 * The annual target implied by quarterly targets: their sum for suma goals; for flujo, stock and
 * reducción goals each quarter is a level, so the year's target is the level of the last quarter.
 */
export function annualTargetFromQuarters(accumulation: AccumulationType, quarterly: readonly number[]): number {
  if (accumulation === 'sum') return clean(quarterly.reduce((a, b) => a + b, 0));
  return quarterly.at(-1) ?? 0;
}
