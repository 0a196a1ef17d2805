import { accumulationRules, clean } from './accumulation';
import { annualTargetFromQuarters, type AccumulationType } from './goals';
import { isPlanValue, PLAN_VALUE_MESSAGE, sumMessage } from './numbers';

/** A goal's programming over the plan's term, as a reprogramming sees it. */
export interface TermProgramming {
  accumulation: AccumulationType;
  termTarget: number;
  /** Latest annual target per year of the term. */
  annualTargets: { fiscalYear: number; annualTarget: number | null }[];
}

export interface ProposedProgramming {
  fiscalYear: number;
  newQuarterlyTargets: readonly number[];
  /** Amounts moved to later years of the term. */
  futureAnnualTargets?: Record<string, number>;
}

export type TermTargetCheck =
  | { ok: true; altersTermTarget: boolean; termTargetBefore: number; termTargetAfter: number }
  | { ok: false; message: string };


/**
 * The meta cuatrienio a programming implies, as each DNP type reads it (domain/accumulation.ts):
 * the sum of the years for acumulado goals and for flujo goals (each year's delivery counts on its
 * own, so cutting any year changes the term); for stock, capacidad and reducción goals the level
 * programmed for the last year of the term.
 */
export function impliedTermTarget(accumulation: AccumulationType, annualTargets: { fiscalYear: number; annualTarget: number | null }[]): number {
  const ordered = [...annualTargets].sort((a, b) => a.fiscalYear - b.fiscalYear);
  const { term } = accumulationRules[accumulation];
  if (term === 'sumOverTermTarget' || term === 'sumOverAnnualTargets') return clean(ordered.reduce((acc, y) => acc + (y.annualTarget ?? 0), 0));
  return ordered.at(-1)?.annualTarget ?? 0;
}

/**
 * PE-P-008 task 5 and Ley 152 de 1994: a reprogramming moves programming inside the term; changing
 * the meta cuatrienio needs an Acuerdo del Concejo. Returns whether the proposal alters it.
 */
export function checkTermTarget(goalCode: string, term: TermProgramming, proposal: ProposedProgramming): TermTargetCheck {
  const years = term.annualTargets.map((y) => y.fiscalYear);
  const future = Object.entries(proposal.futureAnnualTargets ?? {}).map(([year, value]) => ({ fiscalYear: Number(year), value }));
  for (const { fiscalYear, value } of future) {
    if (!years.includes(fiscalYear) || fiscalYear <= proposal.fiscalYear) {
      return {
        ok: false,
        message: `Meta ${goalCode}: la vigencia ${fiscalYear} no es una vigencia posterior del cuatrienio (${years.join(', ')})`,
      };
    }
    if (!isPlanValue(value)) return { ok: false, message: `Meta ${goalCode}: la programación de ${fiscalYear} ${PLAN_VALUE_MESSAGE}` };
  }
  const after = term.annualTargets.map((y) => {
    if (y.fiscalYear === proposal.fiscalYear) {
      return { fiscalYear: y.fiscalYear, annualTarget: annualTargetFromQuarters(term.accumulation, proposal.newQuarterlyTargets) };
    }
    const moved = future.find((f) => f.fiscalYear === y.fiscalYear);
    return moved ? { fiscalYear: y.fiscalYear, annualTarget: moved.value } : y;
  });
  // Preserved means unchanged by this reprogramming: compared with what the programming implied before.
  const termTargetBefore = impliedTermTarget(term.accumulation, term.annualTargets);
  const termTargetAfter = impliedTermTarget(term.accumulation, after);
  if (!isPlanValue(termTargetAfter)) {
    return { ok: false, message: `Meta ${goalCode}: ${sumMessage('la programación del cuatrienio', termTargetAfter)}` };
  }
  return { ok: true, altersTermTarget: Math.abs(termTargetAfter - termTargetBefore) > 1e-9, termTargetBefore, termTargetAfter };
}
