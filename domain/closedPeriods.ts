import type { Quarter } from './goalTerms';

/**
 * Closed periods: a reprogramming changes only the quarters that have not elapsed at the decision
 * date (when the answer is submitted, and again when the agreement is applied); a closed vigencia
 * (its T4 elapsed) is not reprogrammed at all. Executed values are never touched by a
 * reprogramming: it only adds programming versions.
 *
 * Quarters end at midnight in Colombia (UTC−5 all year, no daylight saving time), so T1 of 2026 has
 * elapsed from 2026-04-01T05:00Z.
 */
const COLOMBIA_OFFSET_HOURS = 5;

/** The instant a quarter has elapsed: the first moment of the next quarter, in Colombia. */
export const quarterEndsAt = (fiscalYear: number, quarter: number): Date => new Date(Date.UTC(fiscalYear, quarter * 3, 1, COLOMBIA_OFFSET_HOURS));

export const hasQuarterElapsed = (fiscalYear: number, quarter: number, at: Date): boolean => at.getTime() >= quarterEndsAt(fiscalYear, quarter).getTime();

/** The quarters of the year already elapsed at `at` (none before the year, all four once it closed). */
export const elapsedQuartersAt = (fiscalYear: number, at: Date): Quarter[] => ([1, 2, 3, 4] as const).filter((q) => hasQuarterElapsed(fiscalYear, q, at));

/** A vigencia is closed once its last quarter has elapsed. */
export const isClosedYear = (fiscalYear: number, at: Date): boolean => hasQuarterElapsed(fiscalYear, 4, at);

export interface ClosedPeriodProposal {
  goalCode: string;
  fiscalYear: number;
  /** The programming in force per quarter (domain/quarterProgramming programmedQuarters). */
  current: readonly number[];
  newQuarterlyTargets: readonly number[];
  /** Annual targets moved to later years, with the annual target in force for each. */
  laterYears?: { fiscalYear: number; before: number | null; after: number }[];
}

const differs = (a: number | null | undefined, b: number | null | undefined) => Math.abs((a ?? 0) - (b ?? 0)) > 1e-9;

/**
 * Why a reprogramming touches a closed period at `at`, one message per quarter or year, naming the
 * goal, the year and the quarter; empty when it only changes open quarters.
 */
export function closedPeriodProblems(proposal: ClosedPeriodProposal, at: Date): string[] {
  const { goalCode, fiscalYear } = proposal;
  const problems: string[] = [];
  const changed = ([1, 2, 3, 4] as const).filter((q) => differs(proposal.newQuarterlyTargets[q - 1], proposal.current[q - 1]));
  if (changed.length && isClosedYear(fiscalYear, at)) {
    problems.push(`La meta ${goalCode}: la vigencia ${fiscalYear} está cerrada (su último trimestre ya transcurrió); no se puede reprogramar`);
  } else {
    for (const q of changed) {
      if (hasQuarterElapsed(fiscalYear, q, at)) problems.push(`La meta ${goalCode}: el trimestre T${q} de ${fiscalYear} ya transcurrió; su programación no se puede cambiar`);
    }
  }
  for (const year of proposal.laterYears ?? []) {
    if (!differs(year.before, year.after)) continue;
    if (isClosedYear(year.fiscalYear, at)) {
      problems.push(`La meta ${goalCode}: la vigencia ${year.fiscalYear} está cerrada (su último trimestre ya transcurrió); no se puede reprogramar`);
    } else if (hasQuarterElapsed(year.fiscalYear, 1, at)) {
      // A later year's annual target spreads over all its quarters: once one elapsed, it is no longer a later year.
      problems.push(`La meta ${goalCode}: el trimestre T1 de ${year.fiscalYear} ya transcurrió; la programación anual de ${year.fiscalYear} no se puede cambiar desde esta revisión`);
    }
  }
  return problems;
}
