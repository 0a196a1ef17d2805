import { z } from 'zod';
import { isPlanValue, PLAN_VALUE_MESSAGE } from '../domain/numbers';
import type { ImportError } from './errors';
import { spanishList } from './headers';
import { type NumberLocale, parseNumber } from './numbers';
import type { CellValue, Table } from './table';

/** Text of a cell; numbers become their plain digits (a code typed as 2201 arrives as a number). */
export function cellText(value: CellValue): string | null {
  if (value === null) return null;
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  const text = value.replace(/\s+/g, ' ').trim();
  return text === '' ? null : text;
}

/** Which convention a number typed as text shows unambiguously: `1.234,5`, `12,5`, `1.234.567` → es; `1,234.5`, `12.5` → en. */
function numberStyle(text: string): NumberLocale | null {
  const s = text.replace(/[\s\u00a0\u202f%+-]/g, '');
  if (/^\d{1,3}(?:\.\d{3})+,\d+$/.test(s) || /^\d{1,3}(?:\.\d{3}){2,}$/.test(s)) return 'es';
  if (/^\d{1,3}(?:,\d{3})+\.\d+$/.test(s) || /^\d{1,3}(?:,\d{3}){2,}$/.test(s)) return 'en';
  // One separator: a decimal unless it reads as thousands (three digits after 1 to 999).
  const single = /^(\d+)([.,])(\d+)$/.exec(s);
  if (!single || (single[3]!.length === 3 && /^[1-9]\d{0,2}$/.test(single[1]!))) return null;
  return single[2] === ',' ? 'es' : 'en';
}

/** Values looked at to tell the file's convention; a file follows one. */
const LOCALE_EVIDENCE = 200;

/**
 * How the file writes numbers as text, for the ambiguous `1.234` / `2,500`: the convention its
 * unambiguous values in `columns` show (`12,5` or `1.234,5` is Colombian), else its separator's
 * (a `;` CSV comes from a Spanish-locale Excel).
 */
export function numberLocaleOf(table: Table, columns: readonly (number | undefined)[] = []): NumberLocale {
  const counts = { es: 0, en: 0 };
  const indexes = columns.filter((c): c is number => c !== undefined);
  for (const row of table.rows) {
    for (const index of indexes) {
      const value = row.cells[index];
      const style = typeof value === 'string' ? numberStyle(value) : null;
      if (style) counts[style]++;
    }
    if (counts.es + counts.en >= LOCALE_EVIDENCE) break;
  }
  if (counts.es !== counts.en) return counts.es > counts.en ? 'es' : 'en';
  return table.delimiter === ',' || table.delimiter === '\t' ? 'en' : 'es';
}

/** A column holds a handful of distinct quarter and year cells: each is read once (short ones kept, a bounded few). */
const MEMO_LIMIT = 1000;
const MEMO_KEY_CHARS = 64;
export function memoized<K, V>(read: (key: K) => V): (key: K) => V {
  const memo = new Map<K, V>();
  return (key) => {
    let value = memo.get(key);
    if (value === undefined && !memo.has(key)) {
      value = read(key);
      if (memo.size < MEMO_LIMIT && (typeof key !== 'string' || key.length <= MEMO_KEY_CHARS)) memo.set(key, value);
    }
    return value as V;
  };
}

export const cellSchema = z.union([z.string(), z.number(), z.null()]);

const MAX_TEXT = 2000;
const EMPTY = 'es obligatorio: la celda está vacía';

export const requiredText = cellSchema.transform((value, ctx) => {
  const text = cellText(value);
  if (text === null) {
    ctx.addIssue({ code: 'custom', message: EMPTY });
    return z.NEVER;
  }
  if (text.length > MAX_TEXT) {
    ctx.addIssue({ code: 'custom', message: `máximo ${MAX_TEXT} caracteres (tiene ${text.length})` });
    return z.NEVER;
  }
  return text;
});

export const optionalText = cellSchema.transform((value, ctx) => {
  const text = cellText(value);
  if (text !== null && text.length > MAX_TEXT) {
    ctx.addIssue({ code: 'custom', message: `máximo ${MAX_TEXT} caracteres (tiene ${text.length})` });
    return z.NEVER;
  }
  return text;
});

function toNumber(value: CellValue, locale: NumberLocale, ctx: z.RefinementCtx): number | typeof z.NEVER {
  const parsed = parseNumber(value as string | number, locale);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.message });
    return z.NEVER;
  }
  // The same limits as every other way in (domain/numbers.ts): finite, ≥ 0, at most a billion.
  if (!isPlanValue(parsed.value)) {
    ctx.addIssue({ code: 'custom', message: `${PLAN_VALUE_MESSAGE} (recibido ${typeof value === 'string' ? `"${value.slice(0, 40)}"` : value})` });
    return z.NEVER;
  }
  return parsed.value;
}

export const requiredNonNegative = (locale: NumberLocale) =>
  cellSchema.transform((value, ctx) => {
    if (value === null || (typeof value === 'string' && !value.trim())) {
      ctx.addIssue({ code: 'custom', message: `${EMPTY} (escriba 0 si no aplica)` });
      return z.NEVER;
    }
    return toNumber(value, locale, ctx);
  });

export const optionalNonNegative = (locale: NumberLocale) =>
  cellSchema.transform((value, ctx): number | null => {
    if (value === null || (typeof value === 'string' && !value.trim())) return null;
    return toNumber(value, locale, ctx);
  });

/** The raw cells of a row keyed by field, ready for a zod schema; absent optional columns are null. */
export function rowRecord<F extends string>(cells: CellValue[], columns: Map<F, number>, fields: readonly F[]): Record<F, CellValue> {
  const record = {} as Record<F, CellValue>;
  for (const field of fields) {
    const index = columns.get(field);
    record[field] = index === undefined ? null : (cells[index] ?? null);
  }
  return record;
}

/** Turns a row's zod issues into import errors naming the column as the file writes it. */
export function issuesToErrors(
  issues: readonly z.core.$ZodIssue[],
  row: number,
  columnOf: (path: readonly PropertyKey[]) => string | null,
  sheet?: string,
): ImportError[] {
  return issues.map((issue) => ({ row, column: columnOf(issue.path), message: issue.message, ...(sheet ? { sheet } : {}) }));
}

/** Every row where a key repeats, each error naming all the rows that share it. */
export function duplicateErrors<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  rowOf: (item: T) => number,
  describe: (item: T, rows: number[]) => Omit<ImportError, 'row'>,
): ImportError[] {
  const byKey = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    byKey.set(key, [...(byKey.get(key) ?? []), item]);
  }
  const errors: ImportError[] = [];
  for (const group of byKey.values()) {
    if (group.length < 2) continue;
    const rows = group.map(rowOf);
    for (const item of group) errors.push({ row: rowOf(item), ...describe(item, rows) });
  }
  return errors;
}

export const listRows = (rows: number[]) => `filas ${spanishList(rows)}`;

/** Float noise aside, equal: values come from files and doublePrecision round-trips them exactly. */
export const sameNumber = (a: number | null | undefined, b: number | null | undefined) =>
  a === null || a === undefined || b === null || b === undefined
    ? (a ?? null) === (b ?? null)
    : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
