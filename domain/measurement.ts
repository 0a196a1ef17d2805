import {
  accumulationRules,
  clean,
  expectedByQuarter,
  percentFrom,
  programmedInQuarter,
  valueByQuarter,
  yearValue,
} from './accumulation';
import type { AccumulationType, GoalStatus, Quarter, QuarterlyExecution, Thresholds, YearProgramming } from './goalTerms';
import { classifyMeasurementV1, type MeasurementV1 } from './measurementV1';

/** Where a measurement's línea base came from: the plan, the documented default (0), or the first report of the term. */
export type BaselineSource = 'plan' | 'default' | 'firstReport';

/** A year of the term before the one measured, with what was reported in it. */
export interface EarlierYear {
  fiscalYear: number;
  execution: QuarterlyExecution;
}

/** What a measurement needs beyond the year: the goal's línea base and its term. */
export interface MeasureContext {
  /** The Plan Indicativo's "Línea base"; null or absent = the documented default for the type. */
  baseline?: number | null;
  term?: {
    /** The official meta cuatrienio. */
    termTarget: number;
    /** Latest annual target per year of the term (flujo's cuatrienio adds them). */
    annualTargets: { fiscalYear: number; annualTarget: number | null }[];
    /** Reports of the term's years before the measured one. */
    earlierYears: EarlierYear[];
  };
}

/** The numbers a classification is made from, kept with the result so every status can be explained. */
export interface Measurement {
  accumulation: AccumulationType;
  annualTarget: number | null;
  expectedToDate: number;
  /** The value reached by the quarter's end (null: nothing reported that counts for the quarter). */
  executedToDate: number | null;
  /** Progress against what was expected by the quarter's end, in percent (null when nothing was expected yet). */
  progressPercent: number | null;
  /** Avance de la vigencia: progress against the annual programming, in percent. */
  annualPercent: number | null;
  /**
   * "dnp" for measurements made with DNP's arithmetic; absent in measurements stored by cycles
   * started before it, which keep classifying as they did (measurementV1.ts).
   */
  method?: 'dnp';
  /** The línea base used, and where it came from (null: a reducción goal with no línea base and no report yet). */
  baseline?: number | null;
  baselineSource?: BaselineSource | null;
  /** The level the vigencia is measured from (línea base, previous year's close, or 0). */
  yearFrom?: number | null;
  /** The quarter itself has a report. */
  reported?: boolean;
  /** Something was programmed such that the quarter's report was due. */
  due?: boolean;
  /** An earlier quarter of the year reported progress (a later zero is a drop, not a start). */
  progressedBefore?: boolean;
  /** Something was reported by the quarter's end (a positive value, or any value for reducción). */
  executedSomething?: boolean;
  /** The target the avance del cuatrienio is measured against (meta cuatrienio; for flujo, the sum of the annual targets). */
  termTarget?: number | null;
  /** Avance del cuatrienio, in percent (null without the term or without a value for the quarter). */
  termPercent?: number | null;
}

function effectiveBaseline(
  accumulation: AccumulationType,
  baseline: number | null | undefined,
  earlierYears: EarlierYear[],
  execution: QuarterlyExecution,
  quarter: Quarter,
): { baseline: number | null; source: BaselineSource | null } {
  if (baseline !== null && baseline !== undefined) return { baseline, source: 'plan' };
  if (accumulationRules[accumulation].direction === 'increase') return { baseline: 0, source: 'default' };
  // A reducción goal without a línea base is measured from its first report of the term.
  const ordered = [...earlierYears].sort((a, b) => a.fiscalYear - b.fiscalYear);
  const reports = [...ordered.flatMap((y) => y.execution), ...execution.slice(0, quarter)];
  const first = reports.find((v): v is number => v !== null);
  return first === undefined ? { baseline: null, source: null } : { baseline: first, source: 'firstReport' };
}

function yearStartLevel(accumulation: AccumulationType, baseline: number | null, earlierYears: EarlierYear[]): number | null {
  const { yearFrom } = accumulationRules[accumulation];
  if (yearFrom === 'zero') return 0;
  if (yearFrom === 'previousYear') {
    const previous = [...earlierYears].sort((a, b) => b.fiscalYear - a.fiscalYear)[0];
    const closed = previous ? yearValue(previous.execution, accumulation) : null;
    if (closed !== null) return closed;
  }
  return baseline;
}

function termPercentOf(
  accumulation: AccumulationType,
  value: number | null,
  baseline: number | null,
  term: MeasureContext['term'],
): { termTarget: number | null; termPercent: number | null } {
  if (!term) return { termTarget: null, termPercent: null };
  const rule = accumulationRules[accumulation];
  if (rule.term === 'sumOverAnnualTargets') {
    const termTarget = clean(term.annualTargets.reduce((acc, y) => acc + (y.annualTarget ?? 0), 0));
    const earlier = term.earlierYears.reduce((acc, y) => acc + (yearValue(y.execution, accumulation) ?? 0), 0);
    return { termTarget, termPercent: value === null || termTarget <= 0 ? null : percentFrom(clean(earlier + value), termTarget, 0, 'increase') };
  }
  const termTarget = term.termTarget;
  if (value === null) return { termTarget, termPercent: null };
  if (rule.term === 'sumOverTermTarget') {
    const earlier = term.earlierYears.reduce((acc, y) => acc + (yearValue(y.execution, accumulation) ?? 0), 0);
    return { termTarget, termPercent: termTarget <= 0 ? null : percentFrom(clean(earlier + value), termTarget, 0, 'increase') };
  }
  if (rule.term === 'levelOverTermTarget') return { termTarget, termPercent: percentFrom(value, termTarget, 0, 'increase') };
  return { termTarget, termPercent: baseline === null ? null : percentFrom(value, termTarget, baseline, rule.direction) };
}

/**
 * A goal's measurement at a quarter's end, by its DNP accumulation type (domain/accumulation.ts):
 * the avance de la vigencia, the avance del cuatrienio when the term is given, and the facts its
 * status is decided on. Pure.
 */
export function measureGoal(
  accumulation: AccumulationType,
  programming: YearProgramming,
  execution: QuarterlyExecution,
  quarter: Quarter,
  context: MeasureContext = {},
): Measurement {
  const rule = accumulationRules[accumulation];
  const earlierYears = context.term?.earlierYears ?? [];
  const { baseline, source } = effectiveBaseline(accumulation, context.baseline, earlierYears, execution, quarter);
  const yearFrom = yearStartLevel(accumulation, baseline, earlierYears);
  const expectedToDate = expectedByQuarter(programming, accumulation, quarter);
  const executedToDate = valueByQuarter(execution, accumulation, quarter);
  const annualTarget = programming.annualTarget;
  const reported = execution[quarter - 1] !== null;
  const increasing = rule.direction === 'increase';
  const anyReport = execution.slice(0, quarter).some((v) => v !== null);
  const due = rule.adds
    ? programmedInQuarter(programming, quarter) > 0 || (!anyReport && expectedToDate > 0)
    : increasing
      ? expectedToDate > 0
      : annualTarget !== null;
  const gained = (v: number) => (rule.adds ? v > 0 : yearFrom !== null && (increasing ? v > yearFrom : v < yearFrom));
  const progressedBefore = execution.slice(0, quarter - 1).some((v) => v !== null && gained(v));
  const executedSomething = execution.slice(0, quarter).some((v) => v !== null && (increasing ? v > 0 : true));
  const measurable = executedToDate !== null && yearFrom !== null;
  const nothingDueYet = increasing && expectedToDate === 0;
  const progressPercent =
    !measurable || nothingDueYet ? null : percentFrom(executedToDate, expectedToDate, yearFrom, rule.direction);
  const annualPercent = !measurable || annualTarget === null ? null : percentFrom(executedToDate, annualTarget, yearFrom, rule.direction);
  return {
    method: 'dnp',
    accumulation,
    annualTarget,
    expectedToDate,
    executedToDate,
    progressPercent,
    annualPercent,
    baseline,
    baselineSource: source,
    yearFrom,
    reported,
    due,
    progressedBefore,
    executedSomething,
    ...termPercentOf(accumulation, executedToDate, baseline, context.term),
  };
}

function classifyDnp(m: Measurement, thresholds: Thresholds): GoalStatus {
  const rule = accumulationRules[m.accumulation];
  const increasing = rule.direction === 'increase';
  const programmed = m.annualTarget !== null && (increasing ? m.annualTarget > 0 : m.annualTarget >= 0);
  if (!programmed) return m.executedSomething ? 'unprogrammedExecution' : 'notEvaluated';
  if (!m.reported && m.due) return 'noReport';
  if (m.executedToDate === null || m.annualPercent === null) return m.due ? 'noReport' : 'onTrack';
  if (m.annualPercent === 0) {
    const from = m.yearFrom ?? 0;
    const worse = increasing ? m.executedToDate < from : m.executedToDate > from;
    // A drop after reported progress, or a value worse than where the year started, is lagging, not a start.
    if (worse || m.progressedBefore) return 'behind';
    return increasing && m.expectedToDate === 0 ? 'onTrack' : 'notStarted';
  }
  if (m.annualPercent > thresholds.overachievedAbovePercent) return 'overachieved';
  if (m.annualPercent >= 100) return 'achieved';
  if (m.progressPercent !== null && m.progressPercent < thresholds.behindBelowPercent) return 'behind';
  return 'onTrack';
}

/**
 * PE-P-008 task 2: the status of a goal at a quarter's end. Pure; thresholds come from
 * configuration. A measurement is classified by the arithmetic that made it.
 */
export function classifyMeasurement(m: Measurement, thresholds: Thresholds): GoalStatus {
  return m.method === 'dnp' ? classifyDnp(m, thresholds) : classifyMeasurementV1(m as MeasurementV1, thresholds);
}
