/**
 * The shapes of a table's columns, as the importers expect them and as the operator maps them:
 * plain data, imported by the header matcher, the synonym table, the mappings and the store alike.
 */

export interface ColumnSpec<F extends string> {
  field: F;
  /** The Spanish name as LEEME.md writes it; used in messages when the column is missing. */
  label: string;
  required: boolean;
  aliases?: readonly string[];
  /** A required column that this other field's column may stand in for (the goal key: goal code or indicator code). */
  orField?: F;
}

export interface YearColumnsSpec {
  /** Words accepted before the year, as header keys: `programacion 2024`, `meta 2024`. */
  prefixes: readonly string[];
  label: string;
  required: boolean;
}

/** One choice: the header as written in the file, and a field (ColumnSpec field) or 'ignore'. */
export interface ColumnChoice {
  header: string;
  field: string;
}

/** What the preview says about the columns: the mapping applied and the columns nothing imports. */
export interface ColumnReport {
  /** The file's headers (non-empty), as written. */
  headers: string[];
  /** Headers neither recognised nor mapped nor ignored: their values are not imported. */
  unmapped: string[];
  /** The mapping applied: the operator's for this file, or the one saved for these headers. */
  applied: { source: 'given' | 'saved'; savedAt: string | null; entries: (ColumnChoice & { label: string })[] } | null;
}
