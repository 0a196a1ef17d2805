import type { AccumulationType, YearProgramming } from './goals';

const clean = (n: number) => Math.round(n * 1e9) / 1e9;

/**
 * The year's current programming per quarter, as the response form shows it beside the inputs and
 * keeps it for the quarters already elapsed. Where the plan has quarterly targets they are used (a
 * missing suma quarter is 0; a missing level carries the previous level, as the classification
 * reads it); otherwise the annual target is spread evenly (suma) or held each quarter (levels).
 */
export function programmedQuarters(programming: YearProgramming, accumulation: AccumulationType): [number, number, number, number] {
  const annual = programming.annualTarget ?? 0;
  const quarterly = programming.quarterlyTargets;
  if (quarterly?.some((v) => v !== null)) {
    if (accumulation === 'sum') return quarterly.map((v) => v ?? 0) as [number, number, number, number];
    let level = annual;
    let seen = false;
    return quarterly.map((v) => {
      if (v !== null) {
        level = v;
        seen = true;
      }
      return seen ? level : annual;
    }) as [number, number, number, number];
  }
  const each = accumulation === 'sum' ? clean(annual / 4) : annual;
  return [each, each, each, each];
}

/** Quarters before the review's quarter have elapsed: the form shows them and does not change them. */
export const isElapsedQuarter = (quarter: number, reviewQuarter: number) => quarter < reviewQuarter;
