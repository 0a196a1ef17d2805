/** Running an import of either kind, and its outcome as a value instead of ImportFailed. */
import type { Database } from '../db/client';
import { AppError } from '../domain/errors';
import type { ColumnReport } from './columnMappings';
import { ImportFailed } from './errors';
import { importIndicativePlan } from './indicativePlanImport';
import { importProgressReport } from './progressReport';
import type { ImportKind, ImportOptions, ImportRequest } from './store';
import { importKinds, type ImportOutcome, type ImportSummary } from './uploadTypes';

type Importer = (db: Database, request: ImportRequest, options?: ImportOptions) => Promise<ImportSummary>;
const importers: Record<ImportKind, Importer> = { indicativePlan: importIndicativePlan, progressReport: importProgressReport };

export function parseImportKind(value: unknown): ImportKind {
  if (typeof value === 'string' && (importKinds as readonly string[]).includes(value)) return value as ImportKind;
  throw new AppError('invalid_input', 'Indique el tipo de archivo: indicativePlan (Plan Indicativo) o progressReport (Hoja de Captura)');
}

/** Imports a file of either kind (`dryRun` previews it). Throws ImportFailed when the file has problems. */
export const runImport = (db: Database, kind: ImportKind, request: ImportRequest, options: ImportOptions = {}) => importers[kind](db, request, options);

/** The import's outcome instead of ImportFailed; other errors (the database, a bug) still throw. */
export async function attempt(db: Database, kind: ImportKind, request: ImportRequest, options: ImportOptions): Promise<ImportOutcome> {
  let rows = 0;
  let columns: ColumnReport | undefined;
  const withColumns = (outcome: ImportOutcome): ImportOutcome => (columns ? { ...outcome, columns } : outcome);
  try {
    const summary = await runImport(db, kind, request, {
      ...options,
      onColumns: (report) => {
        columns = report;
        options.onColumns?.(report);
      },
      onProgress: (progress) => {
        if (progress.phase === 'validating') rows = progress.total;
        options.onProgress?.(progress);
      },
    });
    return withColumns({ ok: true, summary, rows });
  } catch (error) {
    if (error instanceof ImportFailed) return withColumns({ ok: false, message: error.message, errors: error.errors, ...(error.reading ? { reading: error.reading } : {}) });
    throw error;
  }
}
