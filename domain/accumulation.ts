import type { AccumulationType, Quarter, QuarterlyExecution, YearProgramming } from './goalTerms';

/**
 * DNP's six accumulation types (tipos de acumulación) as rules: how a year's quarterly reports
 * combine, which way is progress, and where the avance de la vigencia and del cuatrienio are
 * measured from. Source: DNP, Guía para la construcción y análisis de indicadores (Sinergia,
 * 2018), §3.1–3.7; the formulas and a worked example per type are in the README (domain section).
 */
export interface AccumulationRule {
  /** Quarterly reports add up (acumulado), or each report is the level at its date. */
  adds: boolean;
  /** Progress is a higher value (increase) or a lower one (reducción). */
  direction: 'increase' | 'decrease';
  /** The vigencia is measured from zero, from the línea base, or from the previous year's last report. */
  yearFrom: 'zero' | 'baseline' | 'previousYear';
  /**
   * The cuatrienio: the term's reports over the meta cuatrienio (acumulado); each year's value
   * over the sum of the annual targets (flujo); the last level over the meta cuatrienio
   * (capacidad); the last level measured from the línea base (stock, reducción, reducción anual).
   */
  term: 'sumOverTermTarget' | 'sumOverAnnualTargets' | 'levelOverTermTarget' | 'levelFromBaseline';
}

export const accumulationRules: Record<AccumulationType, AccumulationRule> = {
  sum: { adds: true, direction: 'increase', yearFrom: 'zero', term: 'sumOverTermTarget' },
  flow: { adds: false, direction: 'increase', yearFrom: 'zero', term: 'sumOverAnnualTargets' },
  stock: { adds: false, direction: 'increase', yearFrom: 'baseline', term: 'levelFromBaseline' },
  capacity: { adds: false, direction: 'increase', yearFrom: 'zero', term: 'levelOverTermTarget' },
  reduction: { adds: false, direction: 'decrease', yearFrom: 'baseline', term: 'levelFromBaseline' },
  annualReduction: { adds: false, direction: 'decrease', yearFrom: 'previousYear', term: 'levelFromBaseline' },
};

export const isReduction = (accumulation: AccumulationType) => accumulationRules[accumulation].direction === 'decrease';

/** Removes floating-point noise from sums (0.1 + 0.2) without moving any real value. */
export const clean = (n: number) => Math.round(n * 1e9) / 1e9;

/** Percentages are capped so that "zero cases left" stays a finite, JSON-safe number. */
export const MAX_PERCENT = 99_999;
const capped = (percent: number) => Math.min(Math.max(clean(percent), 0), MAX_PERCENT);

/**
 * How far `value` has gone from `from` towards `target`, in percent: (value − from) / (target − from)
 * for increasing types and (from − value) / (from − target) for reducción; never below 0, so a
 * value worse than where it started is no progress. A target at (or behind) the starting level is a
 * level to hold: the share of it held (value ÷ target; target ÷ value for reducción).
 */
export function percentFrom(value: number, target: number, from: number, direction: 'increase' | 'decrease'): number {
  const sign = direction === 'increase' ? 1 : -1;
  const needed = sign * (target - from);
  if (needed > 1e-12) return capped(((sign * (value - from)) / needed) * 100);
  if (direction === 'increase') {
    if (target <= 0) return value > 0 ? MAX_PERCENT : 100;
    return capped((value / target) * 100);
  }
  if (value <= 0) return target <= 0 ? 100 : MAX_PERCENT;
  return capped((target / value) * 100);
}

const hasQuarterly = (p: YearProgramming) => p.quarterlyTargets?.some((v) => v !== null) ?? false;

/** What was programmed up to the quarter's end: the sum of the quarters (acumulado) or the level programmed for it. */
export function expectedByQuarter(programming: YearProgramming, accumulation: AccumulationType, quarter: Quarter): number {
  const annual = programming.annualTarget ?? 0;
  const quarterly = programming.quarterlyTargets;
  if (accumulationRules[accumulation].adds) {
    if (quarterly && hasQuarterly(programming)) return clean(quarterly.slice(0, quarter).reduce<number>((acc, v) => acc + (v ?? 0), 0));
    return clean((annual * quarter) / 4);
  }
  if (quarterly && hasQuarterly(programming)) {
    return quarterly.slice(0, quarter).filter((v): v is number => v !== null).at(-1) ?? annual;
  }
  return annual;
}

/** What the quarter itself was programmed to deliver (acumulado), so its missing report is "sin reporte". */
export function programmedInQuarter(programming: YearProgramming, quarter: Quarter): number {
  if (hasQuarterly(programming)) return programming.quarterlyTargets?.[quarter - 1] ?? 0;
  return (programming.annualTarget ?? 0) / 4;
}

/**
 * The value reached by the quarter's end: the sum of the reports so far (acumulado), or the
 * quarter's own report for every other type. A missing report is never carried forward.
 */
export function valueByQuarter(execution: QuarterlyExecution, accumulation: AccumulationType, quarter: Quarter): number | null {
  if (accumulationRules[accumulation].adds) {
    const reported = execution.slice(0, quarter).filter((v): v is number => v !== null);
    return reported.length === 0 ? null : clean(reported.reduce((a, b) => a + b, 0));
  }
  return execution[quarter - 1] ?? null;
}

/** The value a year closed with: its sum (acumulado) or its last report. */
export function yearValue(execution: QuarterlyExecution, accumulation: AccumulationType): number | null {
  const reported = execution.filter((v): v is number => v !== null);
  if (reported.length === 0) return null;
  return accumulationRules[accumulation].adds ? clean(reported.reduce((a, b) => a + b, 0)) : (reported.at(-1) as number);
}
