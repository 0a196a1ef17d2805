/**
 * Importing the Plan Indicativo and the Hoja de Captura (formats: samples/LEEME.md). Both imports
 * are all-or-nothing: they return a summary of what changed, or throw ImportFailed (an AppError,
 * code 'invalid_input') listing every problem of the file, having written nothing. `{ dryRun: true }`
 * runs the same import and rolls it back (a preview); uploads.ts stages files for the browser.
 */
export { ImportFailed, formatImportError, type ImportError, UploadRefused } from './errors';
export { defaultUploadLimits, type UploadLimits } from './limits';
export { describeProgress, importPhaseLabels, type ImportKind, type ImportOptions, type ImportProgress, type ImportRequest } from './store';
export { importIndicativePlan } from './indicativePlanImport';
export {
  parseIndicativePlan,
  type IndicativePlan,
  type IndicativePlanImportSummary,
  type NewDepartment,
  type ProgrammingChange,
} from './indicativePlan';
export {
  importProgressReport,
  parseProgressReport,
  type ProgressCorrection,
  type ProgressReport,
  type ProgressReportImportSummary,
} from './progressReport';
export { UNCONFIRMED_DEPARTMENTS } from './departmentCodes';
export { MAX_FILE_BYTES, readWorkbook, type Table, type UploadedFile } from './table';
export { createImportUploads } from './uploads';
export { parseImportKind, runImport } from './importRunner';
export {
  importKindLabels,
  importKinds,
  uploadStatusLabels,
  type ImportOutcome,
  type ImportSummary,
  type ImportUploads,
  type UploadListItem,
  type UploadPreview,
  type UploadProgress,
  type UploadStatus,
  type UploadView,
} from './uploadTypes';
