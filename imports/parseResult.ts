/** What reading an uploaded file gives (imports/parse.ts), and the refusal and messages its readers share. */
import type { ImportError } from './errors';
import type { Separator } from './fileFormat';
import type { ColumnSet } from './headers';
import { count, type Refusal, type UploadLimits } from './limits';

export type CellValue = string | number | null;

export interface RawRow {
  rowNumber: number;
  cells: CellValue[];
  /** False when the row's only values come from a merged cell above (a row the user sees as empty). */
  hasOwnValues?: boolean;
}

/** A cell the importer must report (a formula, an Excel error), by 1-based column. */
export interface CellProblem {
  row: number;
  col: number;
  message: string;
}

export interface RawSheet {
  /** The name asked for (the main sheet's requested name, or an optional sheet's). */
  requested: string;
  name: string;
  rows: RawRow[];
  cellProblems: CellProblem[];
}

/** A control character found in a cell (1-based column), reported with its header by the caller. */
export interface ControlCharacter {
  sheet: string;
  row: number;
  col: number;
  character: string;
}

export interface ParseRequest {
  format: 'xlsx' | 'csv';
  content: Uint8Array;
  sheetName: string;
  optionalSheets: readonly string[];
  limits: UploadLimits;
  /** The main table's expected columns: they decide a CSV's separator and encoding, and the sheet when none has the name. */
  columns?: ColumnSet;
}

export type ParseResponse =
  | {
      kind: 'parsed';
      main: RawSheet;
      extra: RawSheet[];
      delimiter: Separator | null;
      /** CSV: how its bytes were read (`UTF-8`, `UTF-8 con BOM`, `Windows-1252`, `UTF-16`). */
      encoding: string | null;
      /** CSV: cells starting with "=" (0-based column), reported as formulas. */
      formulas: { row: number; col: number; value: string }[];
      controlCharacters: ControlCharacter[];
    }
  /** Problems of the file the importer lists (400, nothing imported). */
  | { kind: 'invalid'; errors: ImportError[] }
  /** The file refused as a whole (413/422). */
  | { kind: 'refused'; refusal: Refusal };

/** Control characters reported; beyond these the count is given. */
export const CONTROL_CHARACTERS_LISTED = 20;

export class Refuse extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}
export const tooBig = (message: string) => new Refuse({ status: 413, message });

export const fileError = (message: string): ImportError => ({ row: null, column: null, message });

export const rowsMessage = (limits: UploadLimits) =>
  `El archivo tiene más de ${count(limits.maxRows)} filas, el máximo; divídalo o quite las filas que no son metas`;
export const cellsMessage = (limits: UploadLimits) =>
  `El archivo tiene más de ${count(limits.maxCells)} celdas (las combinadas cuentan completas), el máximo; quite las columnas y hojas que no se importan`;
export const cellCharsMessage = (limits: UploadLimits, where = '') =>
  `${where ? `${where}: ` : ''}una celda tiene más de ${count(limits.maxCellChars)} caracteres, el máximo de una celda`;
