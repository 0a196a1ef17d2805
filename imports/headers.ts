import { abbreviations, ignorableColumns, stopwords } from './columnSynonyms';
import type { ColumnSpec, YearColumnsSpec } from './columnSpec';
import type { ImportError } from './errors';

export type { ColumnSpec, YearColumnsSpec } from './columnSpec';

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

/** A column whose header is neither an expected column nor known to be ignorable: it is not imported. */
export interface UnrecognisedColumn {
  /** Zero-based column index. */
  index: number;
  /** The header as the file writes it. */
  header: string;
  /** The label of a missing column this header nearly names ("¿es la columna …?"). */
  suggestion?: string;
}

export interface ColumnMapping<F extends string> {
  /** Field → zero-based column index. */
  columns: Map<F, number>;
  /** Fiscal year → zero-based column index of its `Programación AAAA` column. */
  yearColumns: Map<number, number>;
  /** Listed to the operator as "no se importará" and kept in the import's record. */
  unrecognised: UnrecognisedColumn[];
  /** Known columns not imported (DNP's resources per source, BPIN…) or ignored by the operator. */
  ignored: { index: number; header: string }[];
  errors: ImportError[];
}

/** What a table's header row is expected to hold; plain data, so it crosses to the worker thread. */
export interface ColumnSet<F extends string = string> {
  specs: readonly ColumnSpec<F>[];
  yearSpec?: YearColumnsSpec;
  /** As `mapColumns`' overrides. */
  overrides?: ReadonlyMap<string, F | 'ignore'>;
}

const NOTES = /\([^()]*\)|\[[^[\]]*\]/g;

/**
 * A header as compared with the synonyms (columnSynonyms.ts): no accents, case, punctuation or
 * notes in parentheses, abbreviations spelled out and words like "de" left out, so
 * `Cód. de la meta (obligatorio)` = `Código meta` and `No. indicador` = `Número indicador`.
 */
export function headerKey(text: string): string {
  const words = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(NOTES, ' ')
    .replace(NOTES, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .split(' ');
  const kept: string[] = [];
  for (const word of words) {
    if (!word) continue;
    for (const w of (abbreviations[word] ?? word).split(' ')) if (!stopwords.has(w)) kept.push(w);
  }
  return kept.join(' ');
}

/** A year, a quarter or a period word: `2026`, `T3`, `trimestre 3`, `III trimestre`, `vigencia`. */
const PERIOD = String.raw`(?:(?:19|20|21)\d{2}|[tq][1-4]|[1-4]t|(?:trimestre|vigencia|ano|periodo|corte|semestre)(?: (?:[1-4]|i{1,3}|iv))?|(?:[1-4]|i{1,3}|iv|primer|segundo|tercer|cuarto) trimestre)`;
const PERIOD_SUFFIX = new RegExp(`(?: ${PERIOD})+$`);
const PERIOD_PREFIX = new RegExp(`^(?:${PERIOD} )+(?=.)`);

/** The key without a period before or after it: `avance ejecutado t3 2026` → `avance ejecutado`. */
export const withoutPeriod = (key: string) => key.replace(PERIOD_SUFFIX, '').replace(PERIOD_PREFIX, '');

type Recognition<F extends string> =
  | { kind: 'blank' }
  | { kind: 'field'; field: F }
  | { kind: 'year'; year: number }
  | { kind: 'ignored' }
  | { kind: 'unknown'; key: string };

/** What a header names: the operator's override, a year column, a field, a known ignorable column, or nothing known. */
function recognizer<F extends string>({ specs, yearSpec, overrides }: ColumnSet<F>): (header: string) => Recognition<F> {
  const byKey = new Map<string, F>();
  for (const spec of specs) {
    for (const name of [spec.label, ...(spec.aliases ?? [])]) {
      const key = headerKey(name);
      if (!byKey.has(key)) byKey.set(key, spec.field);
    }
  }
  const yearPattern = yearSpec
    ? new RegExp(`^(?:${yearSpec.prefixes.map(headerKey).join('|')})(?: (?:ano|vigencia))? ((?:19|20|21)\\d{2})$`)
    : null;
  const cache = new Map<string, Recognition<F>>();
  const recognise = (header: string): Recognition<F> => {
    const normalized = normalizeHeader(header);
    if (!normalized) return { kind: 'blank' };
    const override = overrides?.get(normalized);
    if (override === 'ignore') return { kind: 'ignored' };
    if (override !== undefined) return { kind: 'field', field: override };
    const key = headerKey(header);
    const year = yearPattern?.exec(key)?.[1];
    if (year) return { kind: 'year', year: Number(year) };
    const bare = withoutPeriod(key);
    // "Año línea base" is a column DNP's files carry and the product ignores, not "Línea base" of some year.
    const field = byKey.get(key) ?? (bare !== key && ignorableColumns.some((pattern) => pattern.test(key)) ? undefined : byKey.get(bare));
    if (field) return { kind: 'field', field };
    if (ignorableColumns.some((pattern) => pattern.test(key))) return { kind: 'ignored' };
    if (ignorableColumns.some((pattern) => pattern.test(bare))) return { kind: 'ignored' };
    return { kind: 'unknown', key: bare };
  };
  return (header) => {
    let recognition = cache.get(header);
    if (!recognition) {
      recognition = recognise(header);
      if (cache.size < 10_000) cache.set(header, recognition);
    }
    return recognition;
  };
}

/** Rows scored when looking for the header row: title rows above it are few. */
export const HEADER_SEARCH_ROWS = 30;

/**
 * How well a row reads as the header row: the distinct expected columns it names (years counted
 * one by one). Used to find the header below title rows, and the separator and encoding of a CSV.
 */
export function headerScore(set: ColumnSet): (cells: readonly string[]) => number {
  const recognise = recognizer(set);
  return (cells) => {
    const seen = new Set<string>();
    for (const cell of cells) {
      const r = recognise(cell);
      if (r.kind === 'field') seen.add(`f:${r.field}`);
      else if (r.kind === 'year') seen.add(`y:${r.year}`);
    }
    return seen.size;
  };
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

/** A typo ("Meta cuatrenio") or a longer name with every word of a synonym ("Avance ejecutado acumulado"). */
function nearlyNames(name: string, key: string): boolean {
  if (!name || !key) return false;
  if (levenshtein(name, key) <= Math.max(2, Math.floor(name.length / 6))) return true;
  const words = new Set(key.split(' '));
  return name.split(' ').every((w) => words.has(w));
}

/** An unrecognised column as the preview lists it and the import's record keeps it. */
export interface UnimportedColumn {
  /** Spreadsheet letter: `F`. */
  column: string;
  header: string;
  /** The label of the missing column it probably is. */
  suggestion?: string;
}

/** The unrecognised columns and those with data under no header (`unlabelled`, from the table), in the file's order. */
export const unimportedColumns = (mapping: Pick<ColumnMapping<string>, 'unrecognised'>, unlabelled: readonly number[] = []): UnimportedColumn[] =>
  [...mapping.unrecognised, ...unlabelled.map((index): UnrecognisedColumn => ({ index, header: '' }))]
    .sort((a, b) => a.index - b.index)
    .map((u) => ({ column: columnLetter(u.index), header: u.header, ...(u.suggestion ? { suggestion: u.suggestion } : {}) }));

/** `Columna F ("Observaciones"): no se importará; ¿es la columna "Programado"?`. */
export const describeUnimported = (c: UnimportedColumn) =>
  `Columna ${c.column} ${c.header ? `("${c.header}")` : '(sin encabezado, con datos)'}: no se importará${c.suggestion ? `; ¿es la columna "${c.suggestion}"?` : ''}`;

/**
 * Finds each expected column among the headers. Columns known to be ignorable (DNP's resources
 * per source, BPIN…) are skipped; every other column is `unrecognised`, never dropped silently, with
 * the missing column it probably is. Missing required and duplicated columns are errors.
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
  const recognise = recognizer({ specs, yearSpec, overrides });
  const found = new Map<F, number[]>();
  const years = new Map<number, number[]>();
  const unknown: { index: number; key: string; suggestion?: string }[] = [];
  const ignored: { index: number; header: string }[] = [];
  headers.forEach((header, index) => {
    const r = recognise(header);
    if (r.kind === 'field') found.set(r.field, [...(found.get(r.field) ?? []), index]);
    else if (r.kind === 'year') years.set(r.year, [...(years.get(r.year) ?? []), index]);
    else if (r.kind === 'ignored') ignored.push({ index, header });
    else if (r.kind === 'unknown') unknown.push({ index, key: r.key });
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
      continue;
    }
    // A near miss of any missing column, required or not, is named: "¿es la columna …?".
    const names = [spec.label, ...(spec.aliases ?? [])].map(headerKey);
    const guess = unknown.find((u) => u.suggestion === undefined && names.some((n) => nearlyNames(n, u.key)));
    if (guess) guess.suggestion = spec.label;
    const standIn = spec.orField === undefined ? undefined : specs.find((s) => s.field === spec.orField);
    if (!spec.required || (standIn && found.get(standIn.field)?.length)) continue;
    const hint = guess ? `; ¿es la columna ${columnLetter(guess.index)} ("${headers[guess.index]}")? Revise cómo está escrita` : '';
    const or = standIn ? ` (o en su lugar "${standIn.label}")` : '';
    errors.push({ row: null, column: spec.label, message: `falta esta columna obligatoria${or} en la fila de encabezados${hint}` });
  }
  const yearColumns = new Map<number, number>();
  for (const [year, indexes] of [...years].sort((a, b) => a[0] - b[0])) {
    yearColumns.set(year, indexes[0]!);
    if (indexes.length > 1) duplicated(`${yearSpec?.label} ${year}`, indexes);
  }
  if (yearSpec?.required && yearColumns.size === 0) {
    errors.push({ row: null, column: yearSpec.label, message: 'falta: se espera una columna por cada año del cuatrienio, p. ej. "Programación 2024" … "Programación 2027"' });
  }
  const unrecognised = unknown.map(({ index, suggestion }) => ({ index, header: headers[index]!, ...(suggestion ? { suggestion } : {}) }));
  return { columns, yearColumns, unrecognised, ignored, errors };
}
