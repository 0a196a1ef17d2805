/**
 * Importing the Plan Indicativo and the Hoja de Captura (formats: samples/LEEME.md). Both imports
 * are all-or-nothing: they return a summary of what changed, or throw ImportFailed (an AppError,
 * code 'invalid_input') listing every problem of the file, having written nothing.
 */
export { ImportFailed, formatImportError, type ImportError } from './errors';
export type { ImportRequest } from './store';
export {
  importIndicativePlan,
  parseIndicativePlan,
  type IndicativePlan,
  type IndicativePlanImportSummary,
  type ProgrammingChange,
} from './indicativePlan';
export {
  importProgressReport,
  parseProgressReport,
  type ProgressCorrection,
  type ProgressReport,
  type ProgressReportImportSummary,
} from './progressReport';
export { readWorkbook, type Table, type UploadedFile } from './table';
