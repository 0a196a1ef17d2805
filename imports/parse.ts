import { StringDecoder } from 'node:string_decoder';
import type ExcelJS from 'exceljs';
import { parse as parseCsvText } from 'csv-parse/sync';
import { unzipSync } from 'fflate';
import type JSZip from 'jszip';
import type { ImportError } from './errors';
import { SEPARATORS, type Separator } from './fileFormat';
import { type ColumnSet, HEADER_SEARCH_ROWS, headerScore, normalizeHeader } from './headers';
import { CONTROL_CHARACTER, count, megabytes, type Refusal, type UploadLimits } from './limits';

/**
 * Reading an uploaded file into rows of cell values. This module runs inside a worker thread
 * (parseWorker.cjs): it is the only code that unzips or parses what a person sent, so a file that
 * blows up in memory or time ends the worker, never the web app or the Temporal worker.
 *
 * XLSX is checked before a workbook is built: the central directory (entries, declared sizes),
 * then every entry is inflated through a running byte budget (declared sizes may lie; entries may
 * overlap) while its XML is scanned for rows, cells (merged ranges in full) and text length. Only
 * a file within every limit is given to exceljs, which reads the same entries with the same zip
 * library (jszip), so it inflates exactly the bytes that were counted.
 */

export type CellValue = string | number | null;

// Loaded when needed: a worker that refuses a file from its central directory, or reads a CSV,
// starts in a fraction of the time exceljs takes to load. Only the workbook reader of exceljs: its
// package entry also loads the streaming reader and writer (unzipper, archiver), twice the time.
const loadJSZip = (): typeof JSZip => require('jszip');
const loadExcelJS = (): Pick<typeof ExcelJS, 'Workbook' | 'ValueType'> => ({
  Workbook: require('exceljs/lib/doc/workbook') as typeof ExcelJS.Workbook,
  ValueType: (require('exceljs/lib/doc/enums') as typeof ExcelJS).ValueType,
});

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
const CONTROL_CHARACTERS_LISTED = 20;

class Refuse extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}
const tooBig = (message: string) => new Refuse({ status: 413, message });

const fileError = (message: string): ImportError => ({ row: null, column: null, message });
const notXlsx = fileError('El archivo no es un XLSX válido (¿está dañado o protegido con contraseña?); ábralo en Excel y guárdelo de nuevo como .xlsx');

export async function parseUpload(request: ParseRequest): Promise<ParseResponse> {
  try {
    return request.format === 'csv' ? readCsv(request) : await readXlsx(request);
  } catch (error) {
    if (error instanceof Refuse) return { kind: 'refused', refusal: error.refusal };
    throw error;
  }
}

// ---------------------------------------------------------------- limits while unzipping

const rowsMessage = (limits: UploadLimits) =>
  `El archivo tiene más de ${count(limits.maxRows)} filas, el máximo; divídalo o quite las filas que no son metas`;
const cellsMessage = (limits: UploadLimits) =>
  `El archivo tiene más de ${count(limits.maxCells)} celdas (las combinadas cuentan completas), el máximo; quite las columnas y hojas que no se importan`;
const cellCharsMessage = (limits: UploadLimits, where = '') =>
  `${where ? `${where}: ` : ''}una celda tiene más de ${count(limits.maxCellChars)} caracteres, el máximo de una celda`;

/** `AB` → 28. */
function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/** Cells of a range `A1:XFD1048576` (1 for a single cell). */
function rangeArea(ref: string): number {
  const match = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?$/.exec(ref.trim());
  if (!match) return 1;
  if (!match[3]) return 1;
  const cols = Math.abs(columnNumber(match[3]) - columnNumber(match[1]!)) + 1;
  const rows = Math.abs(Number(match[4]) - Number(match[2])) + 1;
  return cols * rows;
}

/** Counts of the whole workbook, across entries. */
interface Tally {
  bytes: number;
  rows: number;
  cells: number;
}

/**
 * Scans a part's XML as it inflates: every `<row>` and `<c>` of a worksheet and the cells of its
 * merged ranges (exceljs fills every cell of a merge), and the length of every text node (a cell's
 * text, shared string or number). The unfinished tail of a chunk is kept, bounded by the longest
 * text allowed, so a single endless string is refused as it arrives.
 */
class XmlScanner {
  private carry = '';
  private readonly maxCarry: number;

  constructor(
    private readonly tally: Tally,
    private readonly limits: UploadLimits,
    private readonly worksheet: boolean,
  ) {
    // An entity (`&#x10FFFF;`) is at most 10 characters for one; a tag is short.
    this.maxCarry = limits.maxCellChars * 10 + 4096;
  }

  write(chunk: string): void {
    const text = this.carry + chunk;
    const tags = /<([^<>]*)>/g;
    let last = 0;
    for (let m = tags.exec(text); m; m = tags.exec(text)) {
      // Only text longer than a cell allows is looked at (entities shorten it): the rest is not copied.
      if (m.index - last > this.limits.maxCellChars) this.text(text.slice(last, m.index));
      this.tag(m[1]!);
      last = tags.lastIndex;
    }
    this.carry = text.slice(last);
    if (this.carry.length > this.maxCarry) throw tooBig(cellCharsMessage(this.limits));
  }

  end(): void {
    if (this.carry) this.text(this.carry);
    this.carry = '';
  }

  private text(raw: string): void {
    if (raw.length <= this.limits.maxCellChars) return;
    const length = raw.replace(/&[#\w]{1,10};/g, '_').length;
    if (length > this.limits.maxCellChars) throw tooBig(cellCharsMessage(this.limits));
  }

  private tag(content: string): void {
    if (!this.worksheet) return;
    const first = content.charCodeAt(0);
    if (first === 47 /* / */ || first === 63 /* ? */ || first === 33 /* ! */) return;
    const name = /^(?:[\w.-]+:)?([\w.-]+)/.exec(content)?.[1];
    if (name === 'c') this.tally.cells++;
    else if (name === 'row') {
      if (++this.tally.rows > this.limits.maxRows) throw tooBig(rowsMessage(this.limits));
    } else if (name === 'col') {
      // A column range exceljs creates one by one.
      const max = Number(/\bmax\s*=\s*["'](\d+)["']/.exec(content)?.[1] ?? 0);
      if (max > EXCEL_COLUMNS) throw outsideSheet('una columna');
      return;
    } else if (name === 'mergeCell') {
      const ref = /\bref\s*=\s*["']([^"']*)["']/.exec(content)?.[1];
      if (ref) this.tally.cells += rangeArea(ref);
    } else return;
    if (this.tally.cells > this.limits.maxCells) throw tooBig(cellsMessage(this.limits));
  }
}

// exceljs drops a leading "/" from entry names, so the same names are scanned here.
const isScanned = (name: string) => /^\/*xl\/(worksheets\/[^/]+\.xml|sharedStrings\.xml)$/i.test(name);
const isWorksheet = (name: string) => /^\/*xl\/worksheets\/[^/]+\.xml$/i.test(name);

/** Excel's own sheet size: exceljs would fill columns and rows up to whatever a file says. */
const EXCEL_COLUMNS = 16_384;
const EXCEL_ROWS = 1_048_576;
const outsideSheet = (what: string) =>
  new Refuse({ status: 422, message: `El archivo tiene ${what} fuera de una hoja de Excel (${count(EXCEL_ROWS)} filas × ${count(EXCEL_COLUMNS)} columnas); ábralo en Excel y guárdelo de nuevo` });

/** The central directory alone (nothing inflated): how many entries, and the sizes they declare. */
function checkCentralDirectory(content: Uint8Array, limits: UploadLimits): void {
  let entries = 0;
  let declared = 0;
  unzipSync(content, {
    filter: (file) => {
      if (++entries > limits.maxZipEntries) {
        throw tooBig(`El archivo XLSX tiene más de ${count(limits.maxZipEntries)} partes internas, el máximo; guárdelo de nuevo desde Excel sin imágenes ni objetos incrustados`);
      }
      declared += file.originalSize;
      if (declared > limits.maxUncompressedBytes) throw tooBig(unzippedMessage(limits));
      return false;
    },
  });
}

const unzippedMessage = (limits: UploadLimits) =>
  `El archivo descomprimido supera ${megabytes(limits.maxUncompressedBytes)}, el máximo (un XLSX es un ZIP); quite hojas, imágenes o filas que no se importan`;

/** Inflates one entry through the workbook's byte budget, scanning it; aborts as soon as a limit is exceeded. */
function inflateCounted(entry: JSZip.JSZipObject, tally: Tally, limits: UploadLimits): Promise<void> {
  const scanner = isScanned(entry.name) ? new XmlScanner(tally, limits, isWorksheet(entry.name)) : null;
  const decoder = new StringDecoder('utf8');
  return new Promise((resolve, reject) => {
    let stopped = false;
    // jszip's streams are not in its public types; this is the stream `entry.async` reads.
    const stream = (entry as unknown as { internalStream(type: 'uint8array'): JSZipStream }).internalStream('uint8array');
    const stop = (error: unknown) => {
      if (stopped) return;
      stopped = true;
      stream.pause();
      reject(error);
    };
    stream
      .on('data', (chunk: Uint8Array) => {
        if (stopped) return;
        try {
          tally.bytes += chunk.length;
          if (tally.bytes > limits.maxUncompressedBytes) throw tooBig(unzippedMessage(limits));
          scanner?.write(decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length)));
        } catch (error) {
          stop(error);
        }
      })
      .on('error', (error: unknown) => stop(error))
      .on('end', () => {
        if (stopped) return;
        try {
          scanner?.write(decoder.end());
          scanner?.end();
          stopped = true;
          resolve();
        } catch (error) {
          stop(error);
        }
      })
      .resume();
  });
}

interface JSZipStream {
  on(event: 'data', listener: (chunk: Uint8Array) => void): JSZipStream;
  on(event: 'error', listener: (error: unknown) => void): JSZipStream;
  on(event: 'end', listener: () => void): JSZipStream;
  resume(): JSZipStream;
  pause(): JSZipStream;
}

/** Every limit checked on the zip and its XML; throws Refuse, or returns false when it is no zip. */
async function guardXlsx(content: Uint8Array, limits: UploadLimits): Promise<boolean> {
  try {
    checkCentralDirectory(content, limits);
  } catch (error) {
    if (error instanceof Refuse) throw error;
    return false;
  }
  let zip: JSZip;
  try {
    zip = await loadJSZip().loadAsync(content);
  } catch {
    return false;
  }
  const tally: Tally = { bytes: 0, rows: 0, cells: 0 };
  // The entries exceljs reads: every file of the central directory, in its order.
  for (const entry of Object.values(zip.files)) {
    if (entry.dir) continue;
    try {
      await inflateCounted(entry, tally, limits);
    } catch (error) {
      if (error instanceof Refuse) throw error;
      return false;
    }
  }
  return true;
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

/** Checks a text cell's length and characters (a rich text's runs are counted together here). */
function checkText(value: CellValue, where: { sheet: string; row: number; col: number }, limits: UploadLimits, found: ControlCharacter[]): void {
  if (typeof value !== 'string') return;
  if (value.length > limits.maxCellChars) {
    throw tooBig(cellCharsMessage(limits, `Hoja "${where.sheet}", fila ${where.row}, columna ${where.col}`));
  }
  const control = CONTROL_CHARACTER.exec(value);
  if (control) found.push({ ...where, character: control[0] });
}

function readWorksheet(worksheet: ExcelJS.Worksheet, requested: string, limits: UploadLimits, found: ControlCharacter[]): RawSheet {
  const rows: RawRow[] = [];
  const cellProblems: CellProblem[] = [];
  const merge = loadExcelJS().ValueType.Merge;
  worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: CellValue[] = [];
    let hasOwnValues = false;
    if (rowNumber > EXCEL_ROWS) throw outsideSheet('una fila');
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      if (col > EXCEL_COLUMNS) throw outsideSheet('una celda');
      // A merged cell repeats its top-left value on every row it spans (a strategic line over its goals).
      const result = readCell(cell);
      while (cells.length < col - 1) cells.push(null);
      if ('error' in result) {
        cellProblems.push({ row: rowNumber, col, message: result.error });
        cells[col - 1] = null;
        hasOwnValues = true;
      } else {
        if (cell.type !== merge) checkText(result.value, { sheet: worksheet.name, row: rowNumber, col }, limits, found);
        cells[col - 1] = result.value;
        if (result.value !== null && cell.type !== merge) hasOwnValues = true;
      }
    });
    rows.push({ rowNumber, cells, hasOwnValues });
  });
  return { requested, name: worksheet.name, rows, cellProblems };
}

async function readXlsx({ content, sheetName, optionalSheets, limits, columns }: ParseRequest): Promise<ParseResponse> {
  if (!(await guardXlsx(content, limits))) return { kind: 'invalid', errors: [notXlsx] };
  const workbook = new (loadExcelJS().Workbook)();
  try {
    await workbook.xlsx.load(Buffer.from(content.buffer, content.byteOffset, content.length) as unknown as ArrayBuffer);
  } catch {
    return { kind: 'invalid', errors: [notXlsx] };
  }
  const findSheet = (name: string) => workbook.worksheets.find((ws) => normalizeHeader(ws.name) === normalizeHeader(name));
  const candidates = workbook.worksheets.filter((ws) => !optionalSheets.some((o) => normalizeHeader(o) === normalizeHeader(ws.name)));
  const mainSheet = findSheet(sheetName) ?? bestSheet(candidates, columns) ?? workbook.worksheets[0];
  if (!mainSheet) return { kind: 'invalid', errors: [fileError('El archivo XLSX no tiene hojas')] };
  const controlCharacters: ControlCharacter[] = [];
  const main = readWorksheet(mainSheet, sheetName, limits, controlCharacters);
  const extra: RawSheet[] = [];
  for (const name of optionalSheets) {
    const sheet = findSheet(name);
    if (sheet && sheet !== mainSheet) extra.push(readWorksheet(sheet, name, limits, controlCharacters));
  }
  return { kind: 'parsed', main, extra, delimiter: null, encoding: null, formulas: [], controlCharacters: controlCharacters.slice(0, CONTROL_CHARACTERS_LISTED) };
}

/** No sheet has the expected name: the one whose header row names the most expected columns (the first on a tie). */
function bestSheet(sheets: ExcelJS.Worksheet[], columns: ColumnSet | undefined): ExcelJS.Worksheet | undefined {
  if (!columns || sheets.length < 2) return sheets[0];
  const score = headerScore(columns);
  let best: { sheet: ExcelJS.Worksheet; score: number } | undefined;
  for (const sheet of sheets) {
    let sheetScore = 0;
    for (let r = 1; r <= Math.min(sheet.rowCount, HEADER_SEARCH_ROWS); r++) {
      const cells: string[] = [];
      sheet.getRow(r).eachCell((cell) => void cells.push(cell.text ?? ''));
      sheetScore = Math.max(sheetScore, score(cells));
    }
    if (!best || sheetScore > best.score) best = { sheet, score: sheetScore };
  }
  return best?.sheet;
}

// ---------------------------------------------------------------- CSV

/**
 * Bytes 0x80–0x9F of Windows-1252 (–, —, “, ”, €, …). Node 20's TextDecoder('windows-1252')
 * decodes them as Latin-1 control characters, so they are mapped here.
 */
const windows1252High = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function decodeWindows1252(content: Uint8Array): string {
  return new TextDecoder('windows-1252').decode(content).replace(/[\u0080-\u009f]/g, (ch) => windows1252High[ch.charCodeAt(0) - 0x80]!);
}

interface Decoding {
  encoding: string;
  text: string;
}

/**
 * The readings a CSV's bytes allow: UTF-16 or UTF-8 when a BOM says so; else UTF-8 when they are
 * valid UTF-8, and Windows-1252 (Excel's "CSV" on a Spanish Windows) whenever a byte is not ASCII.
 */
function decodings(content: Uint8Array): Decoding[] {
  if (content[0] === 0xff && content[1] === 0xfe) return [{ encoding: 'UTF-16', text: new TextDecoder('utf-16le').decode(content) }];
  if (content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf) return [{ encoding: 'UTF-8 con BOM', text: new TextDecoder('utf-8').decode(content) }];
  const readings: Decoding[] = [];
  try {
    readings.push({ encoding: 'UTF-8', text: new TextDecoder('utf-8', { fatal: true }).decode(content) });
  } catch {
    // Not UTF-8: Windows-1252 below.
  }
  if (!readings.length || content.some((byte) => byte > 0x7f)) readings.push({ encoding: 'Windows-1252', text: decodeWindows1252(content) });
  return readings;
}

/** The first rows under a separator, enough to find the header (a cut-off last record does no harm). */
const SAMPLE_CHARS = 256 * 1024;
function sampleRows(text: string, delimiter: Separator): string[][] {
  try {
    return parseCsvText(text.slice(0, SAMPLE_CHARS), { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, to: HEADER_SEARCH_ROWS }) as string[][];
  } catch {
    return [];
  }
}

/**
 * The encoding and separator under which some row of the first ones reads best as the header
 * (headers.ts `headerScore`), whatever the title rows above it. Without expected columns, or when
 * no row names any, the separator that splits a row into the most cells.
 */
export function detectCsvReading(content: Uint8Array, columns?: ColumnSet): { encoding: string; text: string; delimiter: Separator } {
  const score = columns ? headerScore(columns) : () => 0;
  let best: { encoding: string; text: string; delimiter: Separator; score: number; width: number } | null = null;
  for (const { encoding, text } of decodings(content)) {
    for (const delimiter of SEPARATORS) {
      let rowScore = 0;
      let width = 0;
      for (const row of sampleRows(text, delimiter)) {
        const cells = row.map((c) => c.trim());
        rowScore = Math.max(rowScore, score(cells));
        width = Math.max(width, cells.filter((c) => c !== '').length);
      }
      if (!best || rowScore > best.score || (rowScore === best.score && width > best.width)) best = { encoding, text, delimiter, score: rowScore, width };
    }
  }
  return best!;
}

const csvMessages: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'hay unas comillas (") que no se cierran',
  CSV_INVALID_CLOSING_QUOTE: 'hay comillas (") mal cerradas',
  INVALID_OPENING_QUOTE: 'hay comillas (") en medio de un valor',
};

function readCsv({ content, sheetName, limits, columns }: ParseRequest): ParseResponse {
  const { text, encoding, delimiter } = detectCsvReading(content, columns);
  let records: string[][];
  let cells = 0;
  let refusal: Refuse | null = null;
  try {
    records = parseCsvText(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      bom: true,
      // Checked record by record, so an oversized file stops at the first record beyond a limit.
      on_record: (record: string[], { records: n }: { records: number }) => {
        if (n > limits.maxRows) refusal = tooBig(rowsMessage(limits));
        else if ((cells += record.length) > limits.maxCells) refusal = tooBig(cellsMessage(limits));
        else {
          const long = record.findIndex((v) => v.length > limits.maxCellChars);
          if (long >= 0) refusal = tooBig(cellCharsMessage(limits, `Fila ${n}, columna ${long + 1}`));
        }
        if (refusal) throw refusal;
        return record;
      },
    }) as string[][];
  } catch (error) {
    if (refusal) throw refusal;
    const { code, lines } = error as { code?: string; lines?: number };
    const what = (code && csvMessages[code]) || 'el contenido no es un CSV válido';
    return { kind: 'invalid', errors: [fileError(`No se pudo leer el CSV${lines ? ` (línea ${lines})` : ''}: ${what}`)] };
  }
  const formulas: { row: number; col: number; value: string }[] = [];
  const controlCharacters: ControlCharacter[] = [];
  // Record i is row i+1 when the file is opened in a spreadsheet (empty lines included).
  const rows = records.map((record, i) => ({
    rowNumber: i + 1,
    cells: record.map((raw, col): CellValue => {
      const value = raw.trim();
      if (value.startsWith('=')) formulas.push({ row: i + 1, col, value });
      const control = CONTROL_CHARACTER.exec(value);
      if (control && controlCharacters.length < CONTROL_CHARACTERS_LISTED) {
        controlCharacters.push({ sheet: sheetName, row: i + 1, col: col + 1, character: control[0] });
      }
      return value === '' ? null : value;
    }),
  }));
  return {
    kind: 'parsed',
    main: { requested: sheetName, name: sheetName, rows, cellProblems: [] },
    extra: [],
    delimiter,
    encoding,
    formulas,
    controlCharacters,
  };
}
