import type { ImportError } from './errors';

/**
 * Header text as compared: no diacritics, lower case, single spaces, no trailing punctuation, so
 * `Línea estratégica` = `LINEA ESTRATEGICA` = `linea  estrategica` = `Línea estratégica:`.
 */
export function normalizeHeader(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[._\s]+/g, ' ')
    .replace(/[\s:;,*#!?¿¡-]+$/u, '')
    .replace(/^[\s*#¿¡-]+/u, '')
    .trim();
}

export interface ColumnSpec<F extends string> {
  field: F;
  /** The Spanish name as LEEME.md writes it; used in messages when the column is missing. */
  label: string;
  required: boolean;
  aliases?: readonly string[];
}

/** "A", "A y B", "A, B y C". */
export function spanishList(items: readonly (string | number)[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} y ${items.at(-1)}`;
}

/** Spreadsheet column letter of a zero-based index: 0 → A, 27 → AB. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

export interface ColumnMapping<F extends string> {
  /** Field → zero-based column index. */
  columns: Map<F, number>;
  /** Fiscal year → zero-based column index of its `Programación AAAA` column. */
  yearColumns: Map<number, number>;
  errors: ImportError[];
}

export interface YearColumnsSpec {
  /** Words accepted before the year, already normalised: `programacion 2024`, `meta 2024`. */
  prefixes: readonly string[];
  label: string;
  required: boolean;
}

/** How many of the expected columns a row names: used to find the header row below any title rows. */
export function headerScore(specs: readonly ColumnSpec<string>[], yearSpec?: YearColumnsSpec): (cells: string[]) => number {
  const names = new Set(specs.flatMap((spec) => [spec.label, ...(spec.aliases ?? [])].map(normalizeHeader)));
  const year = yearSpec ? new RegExp(`^(?:${yearSpec.prefixes.join('|')}) `) : null;
  return (cells) => cells.filter((cell) => {
    const normalized = normalizeHeader(cell);
    return normalized !== '' && (names.has(normalized) || (year?.test(normalized) ?? false));
  }).length;
}

function levenshtein(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/**
 * Finds each expected column among the headers. Unknown columns are ignored (the DNP export has
 * many more: resources per source, BPIN); missing required and duplicated columns are errors.
 */
export function mapColumns<F extends string>(
  headers: readonly string[],
  specs: readonly ColumnSpec<F>[],
  yearSpec?: YearColumnsSpec,
  /**
   * The operator's decisions, keyed by `normalizeHeader(header)`, applied before the synonyms: a
   * column mapped to a field, or `'ignore'`: knowingly not imported (and not listed as unrecognised).
   */
  overrides?: ReadonlyMap<string, F | 'ignore'>,
): ColumnMapping<F> {
  const byName = new Map<string, ColumnSpec<F>>();
  for (const spec of specs) {
    for (const name of [spec.label, ...(spec.aliases ?? [])]) byName.set(normalizeHeader(name), spec);
  }
  const yearPattern = yearSpec
    ? new RegExp(`^(?:${yearSpec.prefixes.map((p) => p.replace(/ /g, '\\s')).join('|')})(?:\\s(?:ano|vigencia))?\\s?((?:19|20|21)\\d{2})$`)
    : null;

  const found = new Map<F, number[]>();
  const years = new Map<number, number[]>();
  const unrecognised: { index: number; normalized: string }[] = [];
  headers.forEach((header, index) => {
    const normalized = normalizeHeader(header);
    if (!normalized) return;
    const override = overrides?.get(normalized);
    if (override === 'ignore') return;
    if (override !== undefined) {
      found.set(override, [...(found.get(override) ?? []), index]);
      return;
    }
    const year = yearPattern?.exec(normalized)?.[1];
    if (year) {
      years.set(Number(year), [...(years.get(Number(year)) ?? []), index]);
      return;
    }
    // Also try without a parenthetical note: "Tipo de acumulación (Suma/Flujo)".
    const spec = byName.get(normalized) ?? byName.get(normalizeHeader(normalized.replace(/\s*\(.*\)\s*$/, '')));
    if (spec) found.set(spec.field, [...(found.get(spec.field) ?? []), index]);
    else unrecognised.push({ index, normalized });
  });

  const errors: ImportError[] = [];
  const duplicated = (label: string, indexes: number[]) =>
    errors.push({
      row: null,
      column: headers[indexes[0]!] ?? label,
      message: `aparece ${indexes.length} veces (columnas ${spanishList(indexes.map(columnLetter))}); deje solo una`,
    });
  const columns = new Map<F, number>();
  for (const spec of specs) {
    const indexes = found.get(spec.field);
    if (indexes?.length) {
      columns.set(spec.field, indexes[0]!);
      if (indexes.length > 1) duplicated(spec.label, indexes);
    } else if (spec.required) {
      // A near miss ("Meta cuatrenio") is almost always a typo: say which column it probably is.
      const names = [spec.label, ...(spec.aliases ?? [])].map(normalizeHeader);
      const guess = unrecognised.find((u) => names.some((n) => levenshtein(n, u.normalized) <= Math.max(2, Math.floor(n.length / 6))));
      const hint = guess ? `; ¿es la columna ${columnLetter(guess.index)} ("${headers[guess.index]}")? Revise cómo está escrita` : '';
      errors.push({ row: null, column: spec.label, message: `falta esta columna obligatoria en la fila de encabezados${hint}` });
    }
  }
  const yearColumns = new Map<number, number>();
  for (const [year, indexes] of [...years].sort((a, b) => a[0] - b[0])) {
    yearColumns.set(year, indexes[0]!);
    if (indexes.length > 1) duplicated(`${yearSpec?.label} ${year}`, indexes);
  }
  if (yearSpec?.required && yearColumns.size === 0) {
    errors.push({ row: null, column: yearSpec.label, message: 'falta: se espera una columna por cada año del cuatrienio, p. ej. "Programación 2024" … "Programación 2027"' });
  }
  return { columns, yearColumns, errors };
}
