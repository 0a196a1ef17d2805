/** Imported files: every import, uploads waiting for confirmation and saved column mappings. */
import { bigserial, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, bytea } from './columns';

/**
 * Every file imported (Plan Indicativo or Hoja de Captura): a plan version when it changed
 * something. The same file twice is recognised by its hash and changes nothing.
 */
export const planImports = pgTable(
  'plan_imports',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind', { enum: ['indicativePlan', 'progressReport'] }).notNull(),
    fileName: text('file_name').notNull(),
    sha256: text('sha256').notNull(),
    importedBy: text('imported_by').notNull(),
    /** What changed: goals added/removed/changed, programming and progress versions created. */
    summary: jsonb('summary').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('plan_imports_file').on(t.kind, t.sha256)],
);

/**
 * A file uploaded to be imported once the operator has seen its preview (the import run and rolled
 * back). The bytes are kept, so confirming imports exactly the previewed file. Status: pending →
 * committing → committed | failed (failed may be confirmed again); pending | failed → discarded.
 */
export const importUploads = pgTable('import_uploads', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  kind: text('kind', { enum: ['indicativePlan', 'progressReport'] }).notNull(),
  fileName: text('file_name').notNull(),
  sha256: text('sha256').notNull(),
  content: bytea('content').notNull(),
  uploadedBy: text('uploaded_by').notNull(),
  status: text('status', { enum: ['pending', 'committing', 'committed', 'discarded', 'failed'] }).notNull().default('pending'),
  /** The dry run: `{ ok: true, summary, rows, basisImportId }` or `{ ok: false, message, errors }`. */
  preview: jsonb('preview').notNull(),
  /** The real import: `{ ok: true, summary, rows }` or `{ ok: false, message, errors }`. */
  result: jsonb('result'),
  /** Who confirmed or discarded it. */
  decidedBy: text('decided_by'),
  /** The operator's column mapping for this file ({ header, field }[]); applied to its preview and import, saved when imported. */
  columnMap: jsonb('column_map').$type<{ header: string; field: string }[]>(),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
});

/**
 * How the municipality's own headers map to the fields (imports/columnMappings.ts): saved when a
 * file imported with a mapping, applied to the next file of that kind with the same headers.
 */
export const columnMappings = pgTable(
  'column_mappings',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind', { enum: ['indicativePlan', 'progressReport'] }).notNull(),
    /** sha256 of the file's normalised headers, in order. */
    headersSignature: text('headers_signature').notNull(),
    headers: jsonb('headers').$type<string[]>().notNull(),
    /** { header (as written), field (a ColumnSpec field, or 'ignore') }[]. */
    entries: jsonb('entries').$type<{ header: string; field: string }[]>().notNull(),
    savedBy: text('saved_by').notNull(),
    savedAt: timestamp('saved_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('column_mappings_headers').on(t.kind, t.headersSignature)],
);
