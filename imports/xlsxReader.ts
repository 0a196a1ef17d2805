/** Reading a workbook that passed every limit (imports/xlsxGuard.ts) with exceljs, into rows of cell values. */
import type ExcelJS from 'exceljs';
import { type ColumnSet, HEADER_SEARCH_ROWS, headerScore, normalizeHeader } from './headers';
import { CONTROL_CHARACTER, type UploadLimits } from './limits';
import { type CellValue, type RawRow, type CellProblem, type RawSheet, type ControlCharacter, type ParseRequest, type ParseResponse, CONTROL_CHARACTERS_LISTED, tooBig, fileError, cellCharsMessage } from './parseResult';
import { EXCEL_COLUMNS, EXCEL_ROWS, guardXlsx, outsideSheet } from './xlsxGuard';

// Loaded when needed, and only the workbook reader of exceljs: its package entry also loads the
// streaming reader and writer (unzipper, archiver), twice the time.
const loadExcelJS = (): Pick<typeof ExcelJS, 'Workbook' | 'ValueType'> => ({
  Workbook: require('exceljs/lib/doc/workbook') as typeof ExcelJS.Workbook,
  ValueType: (require('exceljs/lib/doc/enums') as typeof ExcelJS).ValueType,
});

const notXlsx = fileError('El archivo no es un XLSX válido (¿está dañado o protegido con contraseña?); ábralo en Excel y guárdelo de nuevo como .xlsx');

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

export async function readXlsx({ content, sheetName, optionalSheets, limits, columns }: ParseRequest): Promise<ParseResponse> {
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
