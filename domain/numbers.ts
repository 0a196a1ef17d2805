import { z } from 'zod';
import { formatNumber } from './format';

/**
 * The largest target, programmed or executed value the product accepts: a billion (10^12, "un
 * billón" in Colombia). No municipal product goal comes near it (the largest real ones are counts of
 * people or square metres, in the millions), and any sum of a few such values stays far from where
 * a double loses integer precision (2^53 ≈ 9·10^15) or overflows. Sums are held to the same limit:
 * the four quarters of a year, and the years of the four-year term.
 */
export const MAX_PLAN_VALUE = 1_000_000_000_000;

/** "1.000.000.000.000": the limit as Colombian users read it. */
export const MAX_PLAN_VALUE_TEXT = '1.000.000.000.000';

/** The one message for a value out of range, wherever it comes from (form, API, import, stored data). */
export const PLAN_VALUE_MESSAGE = `debe ser un número finito entre 0 y ${MAX_PLAN_VALUE_TEXT}`;

/** A sum of values over the limit: names what is summed ("la suma de los cuatro trimestres"). */
export const sumMessage = (what: string, total: number) =>
  `${what} (${Number.isFinite(total) ? formatNumber(total) : 'desbordada'}) supera el máximo de ${MAX_PLAN_VALUE_TEXT}`;

/** Finite, ≥ 0 and ≤ MAX_PLAN_VALUE. */
export const isPlanValue = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_PLAN_VALUE;

/** Null or a plan value. */
export const isOptionalPlanValue = (value: unknown): value is number | null => value === null || isPlanValue(value);

/** Adds values (nulls count as 0) and says whether the total stays within the limit. */
export function sumWithinLimit(values: readonly (number | null | undefined)[]): { total: number; ok: boolean } {
  const total = values.reduce<number>((acc, v) => acc + (v ?? 0), 0);
  return { total, ok: Number.isFinite(total) && total <= MAX_PLAN_VALUE };
}

/**
 * The shared zod schema of every target, programmed or executed value that arrives as a number
 * (the liaison's form once parsed, the API, workflow inputs). Cells of imported files are parsed
 * from text first (imports/cells.ts) and then checked with `isPlanValue`, with the same message.
 */
export const planValueSchema = z.number({ message: PLAN_VALUE_MESSAGE }).min(0, PLAN_VALUE_MESSAGE).max(MAX_PLAN_VALUE, PLAN_VALUE_MESSAGE);
