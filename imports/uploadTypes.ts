/** Staged uploads as the pages and the API see them: kinds, statuses, outcomes, views and the ImportUploads service. */
import type * as t from '../db/schema';
import type { ColumnChoice, ColumnReport } from './columnMappings';
import type { ImportError } from './errors';
import type { IndicativePlanImportSummary } from './indicativePlan';
import type { ProgressReportImportSummary } from './progressReport';
import type { ImportKind, ImportProgress } from './store';
import type { FileReading } from './table';

export const importKinds = ['indicativePlan', 'progressReport'] as const satisfies readonly ImportKind[];
export const importKindLabels: Record<ImportKind, string> = { indicativePlan: 'Plan Indicativo', progressReport: 'Hoja de Captura' };

export type ImportSummary = IndicativePlanImportSummary | ProgressReportImportSummary;
export type UploadStatus = (typeof t.importUploads.$inferSelect)['status'];
export const uploadStatusLabels: Record<UploadStatus, string> = {
  pending: 'Pendiente de confirmar',
  committing: 'Importando',
  committed: 'Importado',
  discarded: 'Descartado',
  failed: 'Falló',
};

/** What an import did (or, previewed, would do): its summary and the file's rows, or every problem of the file. */
export type ImportOutcome = (
  | { ok: true; summary: ImportSummary; rows: number }
  /** `reading`: how the file was read, when it could be (where its header row was found). */
  | { ok: false; message: string; errors: ImportError[]; reading?: FileReading }
) & {
  /** The file's columns: the mapping applied and the columns not imported (when the header was found). */
  columns?: ColumnReport;
};
/** The preview, and the latest plan_imports row when it was made (a later import makes it out of date). */
export type UploadPreview = ImportOutcome & { basisImportId: number | null };

export interface UploadProgress {
  phase: 'pending' | 'waiting' | ImportProgress['phase'] | 'done' | 'failed' | 'discarded';
  /** In Spanish: `Guardando: 2.000 de 7.500`. */
  label: string;
  done: number;
  total: number;
}

export interface UploadView {
  id: number;
  kind: ImportKind;
  fileName: string;
  sha256: string;
  size: number;
  status: UploadStatus;
  uploadedBy: string;
  uploadedByName: string | null;
  decidedBy: string | null;
  decidedByName: string | null;
  createdAt: string;
  updatedAt: string;
  preview: UploadPreview;
  result: ImportOutcome | null;
  /** The operator's column mapping for this file, applied to its preview and import. */
  columnMap: ColumnChoice[] | null;
  /** Pending, and another file was imported after its preview: confirming compares against newer data. */
  outdated: boolean;
  progress: UploadProgress;
  /** While this process runs the import: the ticket of its database-free progress URL. */
  progressTicket: string | null;
}

export type UploadListItem = Omit<UploadView, 'preview' | 'result' | 'columnMap' | 'outdated' | 'progress' | 'progressTicket'>;

export interface ImportUploads {
  /** Stores the file with its preview (nothing else is written). Whole-file problems (empty, not XLSX/CSV, beyond a limit: 413/422) are refused unstored. */
  upload(request: { kind: ImportKind; fileName: string; content: Buffer; uploadedBy: string; columns?: readonly ColumnChoice[] }): Promise<UploadView>;
  get(id: number): Promise<UploadView | null>;
  list(page?: { limit?: number; offset?: number }): Promise<{ total: number; items: UploadListItem[] }>;
  /** Sets the operator's column mapping of a pending or failed upload (replacing an earlier one) and previews it again; it is saved only when imported. */
  remap(id: number, columns: readonly ColumnChoice[], actor: string): Promise<UploadView>;
  /**
   * Starts the real import in the background; refused (409) unless pending or failed, and (400) when the preview found errors.
   * Confirming creates the departments the preview proposed, with the codes chosen here (by name) or the proposed ones.
   */
  commit(id: number, actor: string, choices?: CommitChoices): Promise<UploadView>;
  discard(id: number, actor: string): Promise<UploadView>;
  /** Resolves when the upload's background import (if any) has finished and its result is stored. */
  settled(id: number): Promise<void>;
  /** Resolves when every background import of this process has finished (for an orderly stop). */
  idle(): Promise<void>;
  /**
   * A running import's progress from memory, for the ticket its page was given; no database access,
   * so it answers while the import holds the embedded database (PGlite runs one transaction at a time).
   * 'finished' once the job ended; null for an unknown ticket.
   */
  live(id: number, ticket: string): LiveProgress | null;
}

export interface CommitChoices {
  /** Codes for the new departments the preview proposed, by name as the preview lists them. */
  departmentCodes?: Readonly<Record<string, string>>;
}

export type LiveProgress = ({ status: 'committing' } & UploadProgress) | { status: 'finished' };
