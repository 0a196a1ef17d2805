import type { GoalStatus, Quarter, QuarterlyExecution, Thresholds, YearProgramming } from './goalTerms';

/**
 * The arithmetic before DNP's accumulation types (no línea base, a missing report carried or read
 * as zero, reducción as target ÷ actual). Kept unchanged for cycles started before the
 * `dnpMeasurement` patch (workflows/patches.ts) and for the measurements they stored, which must
 * keep classifying as they did. Nothing new calls it.
 */
export type AccumulationTypeV1 = 'sum' | 'flow' | 'stock' | 'reduction';

export interface MeasurementV1 {
  accumulation: AccumulationTypeV1;
  annualTarget: number | null;
  expectedToDate: number;
  executedToDate: number | null;
  progressPercent: number | null;
  annualPercent: number | null;
}

const clean = (n: number) => Math.round(n * 1e9) / 1e9;
const MAX_PERCENT = 99_999;

function expectedByQuarter(programming: YearProgramming, accumulation: AccumulationTypeV1, quarter: Quarter): number {
  const annual = programming.annualTarget ?? 0;
  const quarterly = programming.quarterlyTargets;
  const hasQuarterly = quarterly?.some((v) => v !== null) ?? false;
  if (accumulation === 'sum') {
    if (hasQuarterly && quarterly) return quarterly.slice(0, quarter).reduce<number>((acc, v) => acc + (v ?? 0), 0);
    return (annual * quarter) / 4;
  }
  if (hasQuarterly && quarterly) {
    const upToQuarter = quarterly.slice(0, quarter).filter((v): v is number => v !== null);
    return upToQuarter.at(-1) ?? annual;
  }
  return annual;
}

function executedByQuarter(execution: QuarterlyExecution, accumulation: AccumulationTypeV1, quarter: Quarter): number | null {
  const reported = execution.slice(0, quarter).filter((v): v is number => v !== null);
  if (reported.length === 0) return null;
  return accumulation === 'sum' ? reported.reduce((a, b) => a + b, 0) : (reported.at(-1) as number);
}

function achievementPercent(target: number, actual: number, accumulation: AccumulationTypeV1): number {
  if (accumulation === 'reduction') {
    if (actual === 0) return target === 0 ? 100 : MAX_PERCENT;
    return Math.min(clean((target / actual) * 100), MAX_PERCENT);
  }
  if (target === 0) return actual > 0 ? MAX_PERCENT : 100;
  return Math.min(clean((actual / target) * 100), MAX_PERCENT);
}

export function measureGoalV1(
  accumulation: AccumulationTypeV1,
  programming: YearProgramming,
  execution: QuarterlyExecution,
  quarter: Quarter,
): MeasurementV1 {
  const expectedToDate = clean(expectedByQuarter(programming, accumulation, quarter));
  const executedRaw = executedByQuarter(execution, accumulation, quarter);
  const executedToDate = executedRaw === null ? null : clean(executedRaw);
  const annualTarget = programming.annualTarget;
  const nothingDueYet = expectedToDate === 0 && accumulation !== 'reduction';
  const progressPercent =
    executedToDate === null || nothingDueYet ? null : achievementPercent(expectedToDate, executedToDate, accumulation);
  const annualPercent =
    executedToDate === null || annualTarget === null ? null : achievementPercent(annualTarget, executedToDate, accumulation);
  return { accumulation, annualTarget, expectedToDate, executedToDate, progressPercent, annualPercent };
}

export function classifyMeasurementV1(m: MeasurementV1, thresholds: Thresholds): GoalStatus {
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
