import { type ImportError, type ParseResult, UploadRefused } from './errors';
import { type ColumnSet, columnLetter, HEADER_SEARCH_ROWS, headerScore } from './headers';
import { CONTROL_CHARACTER, count, defaultUploadLimits, describeCharacter, MB, megabytes, type UploadLimits } from './limits';
import type { FileReading, Separator, TableFormat } from './fileFormat';
import type { CellValue, ParseResponse, RawRow, RawSheet } from './parseResult';
import { readInWorker } from './readFile';

export type { FileReading } from './fileFormat';

export type { CellValue } from './parseResult';

export interface TableRow {
  /** The row number the user sees in the spreadsheet (CSV: the line as a spreadsheet shows it). */
  rowNumber: number;
  /** Aligned with `headers`. */
  cells: CellValue[];
}

export interface Table {
  sheetName: string;
  headers: string[];
  headerRowNumber: number;
  rows: TableRow[];
  format: TableFormat;
  /** CSV separator; `;` means a Spanish-locale export, which decides ambiguous numbers like `1.234` when the values don't. */
  delimiter: Separator | null;
  /** CSV: how its bytes were read (`UTF-8`, `Windows-1252`…). */
  encoding: string | null;
  /** Zero-based columns with data but no header (not imported, so listed as such); absent when none. */
  unlabelledColumns?: number[];
  /** The non-blank rows above the header, their cells joined by spaces ("MUNICIPIO DE PASTO – NARIÑO"). */
  titles?: string[];
}

const separatorNames: Record<Separator, string> = { ';': "';'", ',': "','", '\t': 'tabulador', '|': "'|'" };

export function fileReading(table: Table): FileReading {
  const where =
    table.format === 'csv'
      ? `separador ${table.delimiter ? separatorNames[table.delimiter] : 'ninguno'}, codificación ${table.encoding ?? 'UTF-8'}`
      : `hoja "${table.sheetName}"`;
  return {
    format: table.format,
    sheet: table.format === 'xlsx' ? table.sheetName : null,
    separator: table.delimiter,
    encoding: table.encoding,
    headerRow: table.headerRowNumber,
    description: `${where}, encabezados en la fila ${table.headerRowNumber}`,
  };
}

export interface UploadedFile {
  fileName: string;
  content: Buffer;
}

export interface ReadOptions {
  /** The sheet LEEME.md names (`Plan Indicativo`); else the first sheet that is not an optional one. */
  sheetName: string;
  /** Extra sheets read when present (XLSX only): `Dependencias`. */
  optionalSheets?: readonly string[];
  /**
   * The main table's expected columns: the header row is the best-scoring of the first rows (title
   * rows above it, "PLAN INDICATIVO 2024–2027 – ALCALDÍA DE …", are skipped); for a CSV they also
   * decide the separator and the encoding, for an XLSX the sheet when none has the expected name.
   */
  columns?: ColumnSet;
  /** Expected columns of the optional sheets, by the name asked for. */
  optionalColumns?: Readonly<Record<string, ColumnSet>>;
  /** What the file may weigh (defaults: defaultUploadLimits). */
  limits?: UploadLimits;
}

export interface Workbook {
  main: Table;
  /** Optional sheets found, by the name asked for. */
  extra: Map<string, Table>;
}

/** The default limit on the file's size; the configured one is `limits.maxFileBytes`. */
export const MAX_FILE_BYTES = defaultUploadLimits.maxFileBytes;

function extensionOf(fileName: string): string {
  const match = /\.([^./\\]+)$/.exec(fileName.trim());
  return match ? match[1]!.toLowerCase() : '';
}

const fileError = (message: string): ImportError => ({ row: null, column: null, message });

/** Longest file name kept (file systems allow 255). */
const MAX_FILE_NAME = 255;

/**
 * Checks that need no parsing: the file name, size, emptiness and type. A file over the size
 * limit is refused as a whole (UploadRefused, 413); the rest are reported as the file's problems.
 */
export function checkUpload(file: UploadedFile, limits: UploadLimits = defaultUploadLimits): ImportError[] {
  const control = CONTROL_CHARACTER.exec(file.fileName);
  if (control) {
    return [fileError(`El nombre del archivo contiene un carácter de control (${describeCharacter(control[0])}); cámbiele el nombre y súbalo de nuevo`)];
  }
  if (file.fileName.length > MAX_FILE_NAME) {
    return [fileError(`El nombre del archivo tiene ${count(file.fileName.length)} caracteres; el máximo es ${MAX_FILE_NAME}`)];
  }
  if (file.content.length > limits.maxFileBytes) {
    throw new UploadRefused(413, `El archivo pesa ${(file.content.length / MB).toFixed(1).replace('.', ',')} MB; el máximo es ${megabytes(limits.maxFileBytes)}`);
  }
  if (file.content.length === 0) return [fileError('El archivo está vacío')];
  const extension = extensionOf(file.fileName);
  if (extension === 'xls') {
    return [fileError('El formato .xls (Excel 97-2003) no se admite: guarde el archivo como .xlsx o como CSV')];
  }
  if (extension !== 'xlsx' && extension !== 'csv') {
    return [fileError(`El archivo debe ser .xlsx o .csv (recibido ${extension ? `.${extension}` : 'un archivo sin extensión'})`)];
  }
  return [];
}

/**
 * Reads the file's main sheet (and optional sheets) into tables. The file is unzipped and parsed
 * in a worker thread within `limits` (readFile.ts); a file beyond them is refused as a whole
 * (UploadRefused: 413 or 422, nothing imported), as is one with control characters in a cell.
 */
export async function readWorkbook(file: UploadedFile, options: ReadOptions): Promise<ParseResult<Workbook>> {
  const limits = options.limits ?? defaultUploadLimits;
  const problems = checkUpload(file, limits);
  if (problems.length) return { ok: false, errors: problems };
  const format = extensionOf(file.fileName) === 'csv' ? 'csv' : 'xlsx';
  const response = await readInWorker({
    format,
    content: file.content,
    sheetName: options.sheetName,
    optionalSheets: options.optionalSheets ?? [],
    limits,
    ...(options.columns ? { columns: options.columns } : {}),
  });
  return workbookOf(format, response, options);
}

/** The tables of what the worker read (readWorkbook without the worker: for tests that read many files). */
export function workbookOf(format: Table['format'], response: ParseResponse, options: ReadOptions): ParseResult<Workbook> {
  if (response.kind === 'refused') throw new UploadRefused(response.refusal.status, response.refusal.message, response.refusal.details);
  if (response.kind === 'invalid') return { ok: false, errors: response.errors };
  return format === 'csv' ? csvWorkbook(response, options) : xlsxWorkbook(response, options);
}

const isBlank = (cells: CellValue[]) => cells.every((c) => c === null);

const asHeaders = (cells: CellValue[]) => cells.map((c) => (c === null ? '' : String(c).trim()));

/** Header row = the first non-empty row, or the best-scoring one; data rows follow it; empty rows are skipped. */
function toTable(
  sheetName: string,
  rows: RawRow[],
  reading: Pick<Table, 'format' | 'delimiter' | 'encoding'>,
  columns?: ColumnSet,
): Table | null {
  const score = columns ? headerScore(columns) : undefined;
  let headerIndex = rows.findIndex((r) => !isBlank(r.cells));
  if (headerIndex < 0) return null;
  if (score) {
    let best = score(asHeaders(rows[headerIndex]!.cells));
    let seen = 1;
    for (let i = headerIndex + 1; i < rows.length && seen < HEADER_SEARCH_ROWS; i++) {
      if (isBlank(rows[i]!.cells)) continue;
      seen++;
      const candidate = score(asHeaders(rows[i]!.cells));
      if (candidate > best) {
        best = candidate;
        headerIndex = i;
      }
    }
  }
  const headerRow = rows[headerIndex]!;
  const width = headerRow.cells.length;
  const headers = asHeaders(headerRow.cells);
  const data: TableRow[] = [];
  const unlabelled = new Set<number>();
  for (const row of rows.slice(headerIndex + 1)) {
    if (row.hasOwnValues === false) continue;
    row.cells.forEach((cell, i) => {
      if (cell !== null && (i >= width || headers[i] === '')) unlabelled.add(i);
    });
    const cells = row.cells.slice(0, width);
    while (cells.length < width) cells.push(null);
    if (!isBlank(cells)) data.push({ rowNumber: row.rowNumber, cells });
  }
  const titles = rows
    .slice(0, headerIndex)
    .map((r) => r.cells.filter((c) => c !== null && String(c).trim() !== '').join(' '))
    .filter(Boolean);
  const unlabelledColumns = [...unlabelled].sort((a, b) => a - b);
  return {
    sheetName,
    headers,
    headerRowNumber: headerRow.rowNumber,
    rows: data,
    ...reading,
    ...(unlabelledColumns.length ? { unlabelledColumns } : {}),
    ...(titles.length ? { titles } : {}),
  };
}

function noDataError(table: Table | null, where: string): ImportError | null {
  if (!table) return fileError(`${where} está vacío: no tiene encabezados ni filas de datos`);
  if (!table.rows.length) return fileError(`${where} no tiene filas de datos debajo de los encabezados (fila ${table.headerRowNumber})`);
  return null;
}

// ---------------------------------------------------------------- from the worker's rows

type Parsed = Extract<ParseResponse, { kind: 'parsed' }>;

/** Header of a 1-based column, when the row is a data row of the table. */
const headerOf = (table: Table | null, row: number, col: number) => (table && row !== table.headerRowNumber ? table.headers[col - 1] : undefined) || null;

/** Control characters refuse the file (422), each named by sheet, row and column. */
function refuseControlCharacters(parsed: Parsed, tables: Map<string, Table | null>, format: Table['format']): void {
  if (!parsed.controlCharacters.length) return;
  const details = parsed.controlCharacters.map((c) => {
    const header = headerOf(tables.get(c.sheet) ?? null, c.row, c.col);
    const column = header ? `columna "${header}" (${columnLetter(c.col - 1)})` : `columna ${columnLetter(c.col - 1)}`;
    return `${format === 'xlsx' ? `Hoja "${c.sheet}", fila` : 'Fila'} ${c.row}, ${column}: contiene el carácter de control ${describeCharacter(c.character)}; bórrelo`;
  });
  throw new UploadRefused(
    422,
    `El archivo tiene caracteres de control (como el byte nulo) en ${parsed.controlCharacters.length === 1 ? 'una celda' : 'varias celdas'}; no se importó nada. Bórrelos y vuelva a subir el archivo`,
    details,
  );
}

function xlsxWorkbook(parsed: Parsed, options: ReadOptions): ParseResult<Workbook> {
  const errors: ImportError[] = [];
  const tableOf = (sheet: RawSheet, label: string | undefined) => {
    const columns = label === undefined ? options.columns : options.optionalColumns?.[sheet.requested];
    const table = toTable(sheet.name, sheet.rows, { format: 'xlsx', delimiter: null, encoding: null }, columns);
    for (const e of sheet.cellProblems) {
      errors.push({ row: e.row, column: headerOf(table, e.row, e.col), message: e.message, ...(label ? { sheet: label } : {}) });
    }
    return table;
  };
  const main = tableOf(parsed.main, undefined);
  const tables = new Map<string, Table | null>([[parsed.main.name, main]]);
  const missing = noDataError(main, `La hoja "${parsed.main.name}"`);
  if (missing) errors.push(missing);
  const extra = new Map<string, Table>();
  for (const sheet of parsed.extra) {
    const table = tableOf(sheet, sheet.name);
    tables.set(sheet.name, table);
    if (table?.rows.length) extra.set(sheet.requested, table);
  }
  refuseControlCharacters(parsed, tables, 'xlsx');
  if (errors.length || !main) return { ok: false, errors };
  return { ok: true, value: { main, extra } };
}

function csvWorkbook(parsed: Parsed, options: ReadOptions): ParseResult<Workbook> {
  const errors: ImportError[] = [];
  const main = toTable(options.sheetName, parsed.main.rows, { format: 'csv', delimiter: parsed.delimiter, encoding: parsed.encoding }, options.columns);
  refuseControlCharacters(parsed, new Map([[parsed.main.name, main]]), 'csv');
  for (const f of parsed.formulas) {
    const header = main && f.row !== main.headerRowNumber ? main.headers[f.col] : undefined;
    errors.push({
      row: f.row,
      column: header || null,
      message: `la celda ${columnLetter(f.col)}${f.row} empieza con "=" (${f.value.length > 40 ? `${f.value.slice(0, 40)}…` : f.value}); las fórmulas no se aceptan: escriba el valor`,
    });
  }
  const missing = noDataError(main, 'El archivo');
  if (missing) errors.push(missing);
  if (errors.length || !main) return { ok: false, errors };
  return { ok: true, value: { main, extra: new Map() } };
}
