import { accumulationRules, clean } from './accumulation';
import { annualTargetFromQuarters, type AccumulationType } from './goals';
import { formatNumber } from './format';
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
  | {
      ok: true;
      altersTermTarget: boolean;
      /** The meta cuatrienio as the type reads the programming, before and after (sum of the years, or the last year's level). */
      termTargetBefore: number;
      termTargetAfter: number;
      /** The official meta cuatrienio (the latest version registered with an Acuerdo del Concejo, or the plan's). */
      officialTermTarget: number;
      /** The years whose level moves away from the official meta cuatrienio (level types), oldest first. */
      yearsOff: { fiscalYear: number; before: number | null; after: number | null }[];
      /** In words, for the refusal and the coordinator: "la meta cuatrienio pasaría de 80 a 67". */
      description: string;
    }
  | { ok: false; message: string };

/**
 * The meta cuatrienio a programming implies, as each DNP type reads it (domain/accumulation.ts):
 * the sum of the years for acumulado goals; for flujo goals too (each year's delivery counts on its
 * own); for stock, capacidad and reducción goals the level programmed for the last year of the term.
 */
export function impliedTermTarget(accumulation: AccumulationType, annualTargets: { fiscalYear: number; annualTarget: number | null }[]): number {
  const ordered = [...annualTargets].sort((a, b) => a.fiscalYear - b.fiscalYear);
  const { term } = accumulationRules[accumulation];
  if (term === 'sumOverTermTarget' || term === 'sumOverAnnualTargets') return clean(ordered.reduce((acc, y) => acc + (y.annualTarget ?? 0), 0));
  return ordered.at(-1)?.annualTarget ?? 0;
}

const farther = (after: number | null, before: number | null, official: number) => Math.abs((after ?? 0) - official) > Math.abs((before ?? 0) - official) + 1e-9;

/**
 * PE-P-008 task 5 and Ley 152 de 1994: a reprogramming moves programming inside the term; changing
 * the meta cuatrienio needs an Acuerdo del Concejo. The proposal is compared with the official meta
 * cuatrienio, as the type requires: for acumulado goals the sum of the years; for the level types
 * (flujo, stock, capacidad, reducción, reducción anual) year by year, each year's level being what
 * the meta cuatrienio asks of it (cutting a flujo goal's 2026 from 12 to 2 alters it). A change
 * alters the meta cuatrienio when it leaves the programming farther from the official target than
 * it was (a programming that moves towards it, e.g. fixing an incomplete plan, does not).
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
  const termTargetBefore = impliedTermTarget(term.accumulation, term.annualTargets);
  const termTargetAfter = impliedTermTarget(term.accumulation, after);
  if (!isPlanValue(termTargetAfter)) {
    return { ok: false, message: `Meta ${goalCode}: ${sumMessage('la programación del cuatrienio', termTargetAfter)}` };
  }
  const official = term.termTarget;
  const officialWords = Math.abs(official - termTargetBefore) > 1e-9 ? ` (meta cuatrienio vigente: ${formatNumber(official)})` : '';
  if (accumulationRules[term.accumulation].adds) {
    const alters = farther(termTargetAfter, termTargetBefore, official);
    const description = `la meta cuatrienio pasaría de ${formatNumber(termTargetBefore)} a ${formatNumber(termTargetAfter)}${officialWords}`;
    return { ok: true, altersTermTarget: alters, termTargetBefore, termTargetAfter, officialTermTarget: official, yearsOff: [], description };
  }
  const yearsOff = after
    .map((y) => ({ fiscalYear: y.fiscalYear, before: term.annualTargets.find((b) => b.fiscalYear === y.fiscalYear)?.annualTarget ?? null, after: y.annualTarget }))
    .filter((y) => Math.abs((y.after ?? 0) - (y.before ?? 0)) > 1e-9 && farther(y.after, y.before, official))
    .sort((a, b) => a.fiscalYear - b.fiscalYear);
  const description = yearsOff.length
    ? `la meta cuatrienio es ${formatNumber(official)} y la programación de ${yearsOff
        .map((y) => `${y.fiscalYear} pasaría de ${y.before === null ? 'sin programar' : formatNumber(y.before)} a ${y.after === null ? 'sin programar' : formatNumber(y.after)}`)
        .join(', de ')}, más lejos de ella`
    : `la meta cuatrienio ${formatNumber(official)} se conserva año a año`;
  return { ok: true, altersTermTarget: yearsOff.length > 0, termTargetBefore, termTargetAfter, officialTermTarget: official, yearsOff, description };
}
