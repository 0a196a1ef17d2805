import { formatNumber } from '../domain/format';
import { createHash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { desc, eq, getTableColumns, getTableName, type SQL, sql, TransactionRollbackError } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { AppError } from '../domain/errors';
import type { ColumnChoice, ColumnReport } from './columnSpec';
import type { UploadLimits } from './limits';

export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
export type Executor = Database | Transaction;
export type ImportKind = 'indicativePlan' | 'progressReport';

export interface ImportRequest {
  fileName: string;
  content: Buffer;
  /** Who imports (recorded in plan_imports and in the versions created). */
  importedBy: string;
}

/** Where a running import is; `done` and `total` count the rows of the phase (bytes while reading). */
export interface ImportProgress {
  phase: 'reading' | 'validating' | 'saving';
  done: number;
  total: number;
}

export const importPhaseLabels: Record<ImportProgress['phase'], string> = {
  reading: 'Leyendo el archivo',
  validating: 'Validando filas',
  saving: 'Guardando',
};

/** `Validando filas: 2.000 de 5.000`. */
export const describeProgress = (p: ImportProgress) =>
  p.phase === 'reading' ? importPhaseLabels.reading : `${importPhaseLabels[p.phase]}: ${formatNumber(p.done)} de ${formatNumber(p.total)}`;

export interface ImportOptions {
  /**
   * Preview: the import runs exactly as it would (validation, comparison and writes) inside its
   * transaction, which is then rolled back; the summary is what the import would report. Nothing
   * stays written, and no version number is consumed (recordImport numbers imports without a sequence).
   */
  dryRun?: boolean;
  /** Called as the import advances; validation is synchronous, so pollers see its start and end. */
  onProgress?: (progress: ImportProgress) => void;
  /** What the file may weigh and how it is read (defaults: defaultUploadLimits). */
  limits?: UploadLimits;
  /** Plan Indicativo: the departments it names that are not registered may be created (someone confirmed them). */
  confirmNewDepartments?: boolean;
  /** Plan Indicativo: codes chosen for those departments, by name; the rest get generated codes. */
  departmentCodes?: Readonly<Record<string, string>>;
  /** The operator's column mapping for this file (imports/columnMappings.ts); saved when the file is imported. */
  columns?: readonly ColumnChoice[];
  /** Called once the header is found: the mapping applied and the columns nothing imports (also when the file then fails). */
  onColumns?: (report: ColumnReport) => void;
}

/** The import's transaction; on a dry run its result is kept and everything it wrote is rolled back. */
export async function importTransaction<T>(db: Database, options: ImportOptions, work: (tx: Transaction) => Promise<T>): Promise<T> {
  if (!options.dryRun) return db.transaction(work);
  let result: { value: T } | null = null;
  try {
    await db.transaction(async (tx) => {
      result = { value: await work(tx) };
      tx.rollback();
    });
  } catch (error) {
    if (!(error instanceof TransactionRollbackError) || result === null) throw error;
  }
  return (result as unknown as { value: T }).value;
}

/** Reports validation every this many rows (and at the end). */
export const PROGRESS_EVERY_ROWS = 500;

/** Counts records written across several bulk writes, for the "saving" phase. */
export function savingProgress(options: ImportOptions, total: number): (written: number) => void {
  let done = 0;
  options.onProgress?.({ phase: 'saving', done, total });
  return (written) => {
    done = Math.min(total, done + written);
    options.onProgress?.({ phase: 'saving', done, total });
  };
}

export const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

export function checkRequest(request: ImportRequest): { fileName: string; importedBy: string } {
  const fileName = request.fileName?.trim() ?? '';
  const importedBy = request.importedBy?.trim() ?? '';
  if (!fileName) throw new AppError('invalid_input', 'Falta el nombre del archivo');
  if (!importedBy) throw new AppError('invalid_input', 'Falta quién importa el archivo');
  if (!Buffer.isBuffer(request.content)) throw new AppError('invalid_input', 'Falta el contenido del archivo');
  return { fileName, importedBy };
}

/**
 * The latest import of this kind, when it was these exact bytes: the same file twice changes
 * nothing. An older file imported again is compared like any other (it may restore old values).
 */
export async function findImport(db: Executor, kind: ImportKind, hash: string): Promise<number | null> {
  const [latest] = await db
    .select({ id: t.planImports.id, sha256: t.planImports.sha256 })
    .from(t.planImports)
    .where(eq(t.planImports.kind, kind))
    .orderBy(desc(t.planImports.id))
    .limit(1);
  return latest?.sha256 === hash ? latest.id : null;
}

/** Imports run one at a time: each compares against the versions the previous one left. */
const IMPORT_LOCK = 52_008_001;
export const lockImports = (tx: Transaction) => tx.execute(sql`select pg_advisory_xact_lock(${IMPORT_LOCK})`);

/**
 * Batches bound each statement's size (and PGlite's memory) whatever the file's size. After each
 * batch the event loop gets a turn: embedded PGlite answers in microtasks, so without it a long
 * import would starve every other request (the progress polls among them) until it ends.
 */
export async function inChunks<T>(rows: readonly T[], write: (chunk: T[]) => Promise<unknown>, size = 1000): Promise<void> {
  for (let i = 0; i < rows.length; i += size) {
    await write(rows.slice(i, i + size));
    await nextTurn();
  }
}

/**
 * Inserts rows as one JSON parameter per batch (`json_to_recordset`): on PGlite this is about
 * three times faster than a multi-row VALUES with one parameter per cell, and it works the same on
 * PostgreSQL. Plain `json`, not `jsonb`: the text is read once, with no binary copy to build
 * (about a third less of the database's time on 30,000 rows). Columns come from the drizzle table, so names and types cannot drift from the schema;
 * columns absent from the rows take their defaults. `onConflict` is appended as written.
 */
export async function bulkInsert<T extends PgTable>(
  tx: Transaction,
  table: T,
  rows: readonly T['$inferInsert'][],
  options: { onConflict?: SQL; batchSize?: number; onWritten?: (rows: number) => void } = {},
): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = Object.entries(getTableColumns(table) as Record<string, PgColumn>).filter(([key]) => key in first);
  const columnList = sql.raw(columns.map(([, c]) => `"${c.name}"`).join(', '));
  const recordType = sql.raw(columns.map(([, c]) => `"${c.name}" ${c.getSQLType()}`).join(', '));
  await inChunks(
    rows,
    (chunk) => {
      const json = JSON.stringify(
        chunk.map((row) => Object.fromEntries(columns.map(([key, c]) => [c.name, (row as Record<string, unknown>)[key] ?? null]))),
      );
      return tx
        .execute(
          sql`insert into ${sql.identifier(getTableName(table))} (${columnList}) select ${columnList} from json_to_recordset(${json}::json) as r(${recordType}) ${options.onConflict ?? sql``}`,
        )
        .then(() => options.onWritten?.(chunk.length));
    },
    options.batchSize ?? 5000,
  );
}

export async function recordImport(
  tx: Transaction,
  values: { kind: ImportKind; fileName: string; hash: string; importedBy: string; summary: unknown },
): Promise<number> {
  // The import's number is its version, consecutive: the next after the last one committed (the
  // import lock is held), not the id sequence, which a rolled-back preview would have advanced.
  const [row] = await tx
    .insert(t.planImports)
    .values({
      id: sql`(select coalesce(max(${t.planImports.id}), 0) + 1 from ${t.planImports})`,
      kind: values.kind,
      fileName: values.fileName,
      sha256: values.hash,
      importedBy: values.importedBy,
      summary: values.summary,
    })
    .returning({ id: t.planImports.id });
  if (!row) throw new Error('plan_imports insert returned no row');
  return row.id;
}
