import { AppError } from '../domain/errors';
import type { FileReading } from './fileFormat';

/**
 * One problem found in an imported file. `row` is the spreadsheet row number as the user sees it
 * (null for whole-file problems); `column` is the header as written in the file (or the expected
 * Spanish name when the column is missing); `sheet` is set only for secondary sheets (Dependencias).
 */
export interface ImportError {
  row: number | null;
  column: string | null;
  message: string;
  sheet?: string;
}

/** Details beyond this are summarised: a systematic mistake repeats on every row and the first ones suffice. */
const MAX_DETAILS = 500;

const capitalize = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

/** `Fila 7, columna "Meta cuatrienio": debe ser un número (recibido "diez")`. */
export function formatImportError(error: ImportError): string {
  const parts: string[] = [];
  if (error.sheet) parts.push(`hoja "${error.sheet}"`);
  if (error.row !== null) parts.push(`fila ${error.row}`);
  if (error.column !== null) parts.push(`columna "${error.column}"`);
  if (!parts.length) return capitalize(error.message);
  return `${capitalize(parts.join(', '))}: ${error.message}`;
}

/** Whole-file problems first, then by sheet and row, so the list reads like the file. */
export function sortImportErrors(errors: ImportError[]): ImportError[] {
  return errors
    .map((error, index) => ({ error, index }))
    .sort(
      (a, b) =>
        Number(a.error.sheet !== undefined) - Number(b.error.sheet !== undefined) ||
        (a.error.row ?? -1) - (b.error.row ?? -1) ||
        a.index - b.index,
    )
    .map((e) => e.error);
}

export const errorCount = (n: number) => `${n} ${n === 1 ? 'error' : 'errores'}`;

/** An import that found problems: nothing was written. `errors` has every problem; `details` is for display. */
export class ImportFailed extends AppError {
  readonly errors: ImportError[];
  /** How the file was read, when it could be: the preview shows it beside the errors. */
  reading?: FileReading;

  constructor(errors: ImportError[]) {
    const sorted = sortImportErrors(errors);
    const details = sorted.slice(0, MAX_DETAILS).map(formatImportError);
    if (sorted.length > MAX_DETAILS) {
      details.push(`… y ${errorCount(sorted.length - MAX_DETAILS)} más; corrija los anteriores y vuelva a importar el archivo`);
    }
    super('invalid_input', `El archivo tiene ${errorCount(sorted.length)}; no se importó nada`, details);
    this.name = 'ImportFailed';
    this.errors = sorted;
  }
}

/** Runs an import of a file read as `reading`; its ImportFailed says how the file was read. */
export async function withReading<T>(reading: FileReading, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ImportFailed) error.reading ??= reading;
    throw error;
  }
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: ImportError[] };

/**
 * A file refused as a whole, before it is stored or imported: 413 when it is too big (bytes,
 * unzipped bytes, entries, rows, cells, a cell's length), 422 when it cannot be processed (control
 * characters, rows or columns beyond an Excel sheet, the reader ran out of memory or time). The
 * message names the limit.
 */
export class UploadRefused extends AppError {
  constructor(status: 413 | 422, message: string, details: string[] = []) {
    super('invalid_input', message, details, status);
    this.name = 'UploadRefused';
  }
}
