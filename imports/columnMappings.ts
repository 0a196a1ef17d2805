import { createHash } from 'node:crypto';
import { eq, and, sql } from 'drizzle-orm';
import * as t from '../db/schema';
import type { ImportError } from './errors';
import { type ColumnSpec, mapColumns, normalizeHeader, type YearColumnsSpec } from './headers';
import type { ColumnChoice, ColumnReport } from './columnSpec';
import type { Executor, ImportKind } from './store';

export type { ColumnChoice, ColumnReport } from './columnSpec';

/**
 * The operator's column mapping: a header the importer does not recognise is mapped to a field (or
 * to "no importar"). Given on the preview page or with `--map "Encabezado=campo"`, saved for the
 * municipality when the file is imported, and applied by itself to the next file of the same kind
 * with the same headers.
 */

export const IGNORE = 'ignore';
export const IGNORE_LABEL = 'No importar';

/** The same headers in the same order, whatever their case, accents or spacing. */
export const headersSignature = (headers: readonly string[]) =>
  createHash('sha256').update(headers.map(normalizeHeader).filter(Boolean).join('\n')).digest('hex');

export const overridesOf = (choices: readonly ColumnChoice[]) => new Map(choices.map((c) => [normalizeHeader(c.header), c.field]));

export async function findSavedMapping(db: Executor, kind: ImportKind, headers: readonly string[]) {
  const [row] = await db
    .select()
    .from(t.columnMappings)
    .where(and(eq(t.columnMappings.kind, kind), eq(t.columnMappings.headersSignature, headersSignature(headers))));
  return row ?? null;
}

/** Saves (or replaces) the mapping of these headers; runs in the import's transaction. */
export async function saveMapping(db: Executor, kind: ImportKind, headers: readonly string[], entries: readonly ColumnChoice[], savedBy: string): Promise<void> {
  const values = { kind, headersSignature: headersSignature(headers), headers: headers.filter((h) => h.trim()), entries: [...entries], savedBy };
  await db
    .insert(t.columnMappings)
    .values(values)
    .onConflictDoUpdate({
      target: [t.columnMappings.kind, t.columnMappings.headersSignature],
      set: { entries: values.entries, savedBy, savedAt: sql`now()` },
    });
}

/**
 * The overrides for a file: the operator's choices when given (over the saved ones for the other
 * headers), else the mapping saved for these headers; and the report the preview shows.
 */
export async function resolveColumns(
  db: Executor,
  kind: ImportKind,
  headers: readonly string[],
  given: readonly ColumnChoice[] | undefined,
  specs: readonly ColumnSpec<string>[],
  yearSpec?: YearColumnsSpec,
): Promise<{ overrides: Map<string, string> | undefined; report: ColumnReport; toSave: ColumnChoice[] | null; errors: ImportError[] }> {
  const saved = await findSavedMapping(db, kind, headers);
  const present = new Set(headers.map(normalizeHeader));
  const givenHere = (given ?? []).filter((c) => present.has(normalizeHeader(c.header)));
  // A mapped header the file does not have is a typo: say so rather than import without it.
  const listed = headers.filter((h) => h.trim()).map((h) => `"${h}"`).join(', ');
  const errors: ImportError[] = (given ?? [])
    .filter((c) => !present.has(normalizeHeader(c.header)))
    .map((c) => ({ row: null, column: c.header, message: `el mapeo nombra esta columna, pero no está en la fila de encabezados del archivo (${listed})` }));
  let choices: ColumnChoice[] = [];
  let applied: ColumnReport['applied'] = null;
  if (givenHere.length) {
    const givenKeys = new Set(givenHere.map((c) => normalizeHeader(c.header)));
    choices = [...(saved?.entries ?? []).filter((c) => !givenKeys.has(normalizeHeader(c.header))), ...givenHere];
    applied = { source: 'given', savedAt: null, entries: [] };
  } else if (saved) {
    choices = saved.entries;
    applied = { source: 'saved', savedAt: saved.savedAt, entries: [] };
  }
  const labelOf = (field: string) => (field === IGNORE ? IGNORE_LABEL : (specs.find((s) => s.field === field)?.label ?? field));
  if (applied) applied.entries = choices.map((c) => ({ ...c, label: labelOf(c.field) }));
  const overrides = choices.length ? overridesOf(choices) : undefined;
  const mapping = mapColumns(headers, specs, yearSpec, overrides);
  // What the recogniser lists as not imported (known DNP columns such as BPIN are not offered).
  const unmapped = mapping.unrecognised.map((u) => u.header).filter((h) => h.trim() && overrides?.get(normalizeHeader(h)) !== IGNORE);
  return {
    overrides,
    report: { headers: headers.filter((h) => h.trim()), unmapped, applied },
    toSave: givenHere.length ? choices : null,
    errors,
  };
}
