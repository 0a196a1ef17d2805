import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import type { ImportError, ParseResult } from './errors';
import { columnLetter, normalizeHeader } from './headers';

export type CellValue = string | number | null;

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
  format: 'xlsx' | 'csv';
  /** CSV separator; `;` means a Spanish-locale export, which decides ambiguous numbers like `1.234`. */
  delimiter: ';' | ',' | '\t' | null;
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
   * How many expected column names a row has, per sheet: the header row is the best-scoring of the
   * first rows, so title rows above it ("PLAN INDICATIVO 2024–2027 – ALCALDÍA DE …") are skipped.
   */
  headerScore?: (sheetName: string, cells: string[]) => number;
}

/** Title rows are few; the header is among the first rows that have anything. */
const HEADER_SEARCH_ROWS = 20;

export interface Workbook {
  main: Table;
  /** Optional sheets found, by the name asked for. */
  extra: Map<string, Table>;
}

export const MAX_FILE_BYTES = 10 * 1024 * 1024;

const megabytes = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1).replace('.', ',');

function extensionOf(fileName: string): string {
  const match = /\.([^./\\]+)$/.exec(fileName.trim());
  return match ? match[1]!.toLowerCase() : '';
}

const fileError = (message: string): ImportError => ({ row: null, column: null, message });

/** Checks that need no parsing: size, emptiness and type. */
export function checkUpload(file: UploadedFile): ImportError[] {
  if (file.content.length > MAX_FILE_BYTES) {
    return [fileError(`El archivo pesa ${megabytes(file.content.length)} MB; el máximo es 10 MB`)];
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

export async function readWorkbook(file: UploadedFile, options: ReadOptions): Promise<ParseResult<Workbook>> {
  const problems = checkUpload(file);
  if (problems.length) return { ok: false, errors: problems };
  return extensionOf(file.fileName) === 'csv' ? readCsv(file, options) : readXlsx(file, options);
}

const isBlank = (cells: CellValue[]) => cells.every((c) => c === null);

interface RawRow {
  rowNumber: number;
  cells: CellValue[];
  /** False when the row's only values come from a merged cell above (a row the user sees as empty). */
  hasOwnValues?: boolean;
}

const asHeaders = (cells: CellValue[]) => cells.map((c) => (c === null ? '' : String(c).trim()));

/** Header row = the first non-empty row, or the best-scoring one; data rows follow it; empty rows are skipped. */
function toTable(
  sheetName: string,
  rows: RawRow[],
  format: Table['format'],
  delimiter: Table['delimiter'],
  score?: (cells: string[]) => number,
): Table | null {
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
  for (const row of rows.slice(headerIndex + 1)) {
    const cells = row.cells.slice(0, width);
    while (cells.length < width) cells.push(null);
    if (!isBlank(cells) && row.hasOwnValues !== false) data.push({ rowNumber: row.rowNumber, cells });
  }
  return { sheetName, headers, headerRowNumber: headerRow.rowNumber, rows: data, format, delimiter };
}

function noDataError(table: Table | null, where: string): ImportError | null {
  if (!table) return fileError(`${where} está vacío: no tiene encabezados ni filas de datos`);
  if (!table.rows.length) return fileError(`${where} no tiene filas de datos debajo de los encabezados (fila ${table.headerRowNumber})`);
  return null;
}

// ---------------------------------------------------------------- XLSX

const isoDate = (d: Date) => (Number.isNaN(d.getTime()) ? null : d.toISOString().slice(0, 10));

const richText = (value: { richText: { text: string }[] }) => value.richText.map((r) => r.text).join('');

/** Excel shows a percent-formatted 0.12 as "12%"; users mean 12, as in CSV. */
const isPercentFormat = (numFmt: string | undefined) => !!numFmt && /%/.test(numFmt.replace(/"[^"]*"/g, ''));

type CellResult = { value: CellValue } | { error: string };

function readCell(cell: ExcelJS.Cell): CellResult {
  const value = cell.value;
  if (value === null || value === undefined) return { value: null };
  if (typeof value === 'number') {
    return { value: isPercentFormat(cell.numFmt) ? Math.round(value * 100 * 1e9) / 1e9 : value };
  }
  if (typeof value === 'string') return { value: value.trim() || null };
  if (typeof value === 'boolean') return { value: value ? 'VERDADERO' : 'FALSO' };
  if (value instanceof Date) return { value: isoDate(value) };
  if ('formula' in value || 'sharedFormula' in value) {
    const formula = 'formula' in value && value.formula ? value.formula : 'sharedFormula' in value ? value.sharedFormula : '';
    return {
      error: `la celda ${cell.address} tiene una fórmula (=${formula}); las fórmulas no se aceptan: copie la hoja y use Pegado especial → Valores`,
    };
  }
  if ('error' in value) return { error: `la celda ${cell.address} tiene el error ${value.error}; escriba un valor` };
  if ('richText' in value) return { value: richText(value).trim() || null };
  if ('hyperlink' in value) {
    const text: unknown = value.text;
    const shown = typeof text === 'string' ? text : text && typeof text === 'object' && 'richText' in text ? richText(text as { richText: { text: string }[] }) : value.hyperlink;
    return { value: shown.trim() || null };
  }
  return { value: String(cell.text ?? '').trim() || null };
}

function readWorksheet(
  worksheet: ExcelJS.Worksheet,
  errors: ImportError[],
  sheetLabel: string | undefined,
  score: ((cells: string[]) => number) | undefined,
): Table | null {
  const rows: RawRow[] = [];
  const cellErrors: { row: number; col: number; message: string }[] = [];
  worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: CellValue[] = [];
    let hasOwnValues = false;
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      // A merged cell repeats its top-left value on every row it spans (a strategic line over its goals).
      const result = readCell(cell);
      while (cells.length < col - 1) cells.push(null);
      if ('error' in result) {
        cellErrors.push({ row: rowNumber, col, message: result.error });
        cells[col - 1] = null;
        hasOwnValues = true;
      } else {
        cells[col - 1] = result.value;
        if (result.value !== null && cell.type !== ExcelJS.ValueType.Merge) hasOwnValues = true;
      }
    });
    rows.push({ rowNumber, cells, hasOwnValues });
  });
  const table = toTable(worksheet.name, rows, 'xlsx', null, score);
  for (const e of cellErrors) {
    const header = table && e.row !== table.headerRowNumber ? table.headers[e.col - 1] : undefined;
    errors.push({ row: e.row, column: header || null, message: e.message, ...(sheetLabel ? { sheet: sheetLabel } : {}) });
  }
  return table;
}

async function readXlsx(file: UploadedFile, options: ReadOptions): Promise<ParseResult<Workbook>> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(file.content as unknown as ArrayBuffer);
  } catch {
    return {
      ok: false,
      errors: [fileError('El archivo no es un XLSX válido (¿está dañado o protegido con contraseña?); ábralo en Excel y guárdelo de nuevo como .xlsx')],
    };
  }
  const optional = options.optionalSheets ?? [];
  const findSheet = (name: string) => workbook.worksheets.find((ws) => normalizeHeader(ws.name) === normalizeHeader(name));
  const mainSheet =
    findSheet(options.sheetName) ??
    workbook.worksheets.find((ws) => !optional.some((o) => normalizeHeader(o) === normalizeHeader(ws.name))) ??
    workbook.worksheets[0];
  if (!mainSheet) return { ok: false, errors: [fileError('El archivo XLSX no tiene hojas')] };

  const errors: ImportError[] = [];
  const scoreFor = (name: string) => (options.headerScore ? (cells: string[]) => options.headerScore!(name, cells) : undefined);
  const main = readWorksheet(mainSheet, errors, undefined, scoreFor(options.sheetName));
  const missing = noDataError(main, `La hoja "${mainSheet.name}"`);
  if (missing) errors.push(missing);
  const extra = new Map<string, Table>();
  for (const name of optional) {
    const sheet = findSheet(name);
    if (!sheet || sheet === mainSheet) continue;
    const table = readWorksheet(sheet, errors, sheet.name, scoreFor(name));
    if (table?.rows.length) extra.set(name, table);
  }
  if (errors.length || !main) return { ok: false, errors };
  return { ok: true, value: { main, extra } };
}

// ---------------------------------------------------------------- CSV

/**
 * Bytes 0x80–0x9F of Windows-1252 (–, —, “, ”, €, …). Node 20's TextDecoder('windows-1252')
 * decodes them as Latin-1 control characters, so they are mapped here.
 */
const windows1252High = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function decodeWindows1252(content: Buffer): string {
  return new TextDecoder('windows-1252').decode(content).replace(/[\u0080-\u009f]/g, (ch) => windows1252High[ch.charCodeAt(0) - 0x80]!);
}

/** UTF-8 when the bytes are valid UTF-8 (BOM or not), else Windows-1252 (Excel's "CSV" in Spanish Windows). */
export function decodeText(content: Buffer): string {
  if (content[0] === 0xff && content[1] === 0xfe) return new TextDecoder('utf-16le').decode(content);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    text = decodeWindows1252(content);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The separator is whichever of `;`, `,` or tab appears most in the header line, outside quotes. */
export function detectDelimiter(text: string): ';' | ',' | '\t' {
  const counts = { ';': 0, ',': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch in counts) counts[ch as keyof typeof counts]++;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[','] && counts['\t'] > counts[';']) return '\t';
  return ',';
}

const csvMessages: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'hay unas comillas (") que no se cierran',
  CSV_INVALID_CLOSING_QUOTE: 'hay comillas (") mal cerradas',
  INVALID_OPENING_QUOTE: 'hay comillas (") en medio de un valor',
};

function readCsv(file: UploadedFile, options: ReadOptions): ParseResult<Workbook> {
  const text = decodeText(file.content);
  const delimiter = detectDelimiter(text);
  let records: string[][];
  try {
    records = parse(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, bom: true }) as string[][];
  } catch (error) {
    const { code, lines } = error as { code?: string; lines?: number };
    const what = (code && csvMessages[code]) || 'el contenido no es un CSV válido';
    return { ok: false, errors: [fileError(`No se pudo leer el CSV${lines ? ` (línea ${lines})` : ''}: ${what}`)] };
  }
  const errors: ImportError[] = [];
  const formulas: { row: number; col: number; value: string }[] = [];
  // Record i is row i+1 when the file is opened in a spreadsheet (empty lines included).
  const rows = records.map((record, i) => ({
    rowNumber: i + 1,
    cells: record.map((raw, col): CellValue => {
      const value = raw.trim();
      if (value.startsWith('=')) formulas.push({ row: i + 1, col, value });
      return value === '' ? null : value;
    }),
  }));
  const main = toTable(options.sheetName, rows, 'csv', delimiter, options.headerScore && ((cells) => options.headerScore!(options.sheetName, cells)));
  for (const f of formulas) {
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
