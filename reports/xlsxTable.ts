import ExcelJS from 'exceljs';
import type { GoalStatus } from '../domain/goals';
import { statusColors } from './dashboard';
import { safeCell } from './sanitize';
import { headerTexts, type RecordHeader } from '../domain/recordFormats';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * How a column's values are written. 'number' picks an integer or a two-decimal format per value;
 * 'percent' takes a share (0–1); 'status' takes a GoalStatus and paints the semáforo.
 */
export type ColumnKind = 'text' | 'longText' | 'number' | 'percent' | 'status' | 'date';

export interface Column<Row> {
  header: string;
  kind: ColumnKind;
  value: (row: Row) => unknown;
  /** Width in characters; defaults by kind. */
  width?: number;
  /** Paints the header cell (e.g. a status column of the Resumen). */
  headerStatus?: GoalStatus;
}

export interface TableSheet<Row> {
  name: string;
  /** Lines above the table (title, municipality, quarter, notes); the first one is the title. */
  title: string[];
  columns: Column<Row>[];
  rows: readonly Row[];
  /** Statuses print their Spanish label; the fill comes from the status itself. */
  statusLabel: (status: GoalStatus) => string;
  /** The institutional header (documents/recordHeader.ts): printed above the title and in the print header. */
  header?: RecordHeader;
}

/** Rows the institutional header takes above the title (entity, process, format, vigencia, a blank). */
export const INSTITUTIONAL_HEADER_ROWS = 5;

/** The escudo is added to a workbook once and placed on each sheet. */
const escudoImages = new WeakMap<ExcelJS.Workbook, number>();
function escudoImage(workbook: ExcelJS.Workbook, escudo: NonNullable<RecordHeader['escudo']>): number {
  let id = escudoImages.get(workbook);
  if (id === undefined) {
    id = workbook.addImage({ buffer: escudo.content as unknown as ExcelJS.Buffer, extension: escudo.mediaType === 'image/png' ? 'png' : 'jpeg' });
    escudoImages.set(workbook, id);
  }
  return id;
}

/** Excel's header/footer codes start with '&': a literal one is written twice. */
const printText = (text: string) => text.replace(/&/g, '&&');

/** The header's rows: the escudo in column A, the texts beside it; returns the rows used. */
function writeInstitutionalHeader(workbook: ExcelJS.Workbook, worksheet: ExcelJS.Worksheet, header: RecordHeader): number {
  const texts = headerTexts(header);
  const lines: [string, Partial<ExcelJS.Font>][] = [
    [texts.entity, { bold: true, size: 13, color: { argb: argb(HEADER_FILL) } }],
    [`${texts.process} · ${texts.procedure}`, { size: 10 }],
    [`${header.title} · ${texts.code} · ${texts.version} · ${texts.approved}`, { bold: true, size: 10 }],
    [texts.vigencia, { size: 10 }],
  ];
  lines.forEach(([text, font], i) => {
    const cell = worksheet.getCell(i + 1, 2);
    cell.value = safeCell(text);
    cell.font = font;
    worksheet.getRow(i + 1).height = 18;
  });
  if (header.escudo) {
    worksheet.addImage(escudoImage(workbook, header.escudo), { tl: { col: 0.15, row: 0.15 }, ext: { width: 64, height: 64 }, editAs: 'oneCell' });
  }
  return INSTITUTIONAL_HEADER_ROWS;
}

const defaultWidths: Record<ColumnKind, number> = { text: 18, longText: 45, number: 14, percent: 12, status: 16, date: 18 };

const HEADER_FILL = '1F3864';
const argb = (rgb: string) => `FF${rgb}`;
const thin = { style: 'thin' as const, color: { argb: 'FFBFBFBF' } };
const border = { top: thin, left: thin, bottom: thin, right: thin };

function paint(cell: ExcelJS.Cell, status: GoalStatus, bold = false) {
  const colours = statusColors[status];
  cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: argb(colours.fill) } };
  cell.font = { bold, color: { argb: argb(colours.text) } };
}

/** A workbook with the office's metadata; every sheet is added with `addTableSheet`. */
export function newWorkbook(title: string, created: Date): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Metas PDM';
  workbook.title = title;
  workbook.created = created;
  workbook.modified = created;
  return workbook;
}

/** Excel forbids []:*?/\ in sheet names and allows 31 characters; names must be unique. */
export function sheetName(wanted: string, used: Set<string>): string {
  const base = wanted.replace(/[[\]:*?/\\]/g, ' ').replace(/^'+|'+$/g, '').trim().slice(0, 31) || 'Hoja';
  let name = base;
  for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base.slice(0, 31 - String(i).length - 1)} ${i}`;
  used.add(name.toLowerCase());
  return name;
}

/**
 * One sheet: title lines, a blank row, then a bold, frozen header row with an autofilter over the
 * whole table. Every text goes through `safeCell`, so nothing typed by a user can become a formula.
 * Returns the header's row number.
 */
export function addTableSheet<Row>(workbook: ExcelJS.Workbook, sheet: TableSheet<Row>): { worksheet: ExcelJS.Worksheet; headerRow: number } {
  const top = sheet.header ? INSTITUTIONAL_HEADER_ROWS : 0;
  const headerRow = top + sheet.title.length + 2;
  const printHeader = sheet.header
    ? {
        oddHeader: `&L${printText(headerTexts(sheet.header).entity)}&C${printText(`${sheet.header.format.code} · Versión ${sheet.header.format.version}`)}&R${printText(`Vigencia ${sheet.header.fiscalYear}`)}`,
      }
    : {};
  const worksheet = workbook.addWorksheet(sheet.name, {
    views: [{ state: 'frozen', xSplit: 1, ySplit: headerRow, topLeftCell: `B${headerRow + 1}`, activeCell: `A${headerRow + 1}` }],
    pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `${headerRow}:${headerRow}` },
    headerFooter: { ...printHeader, oddFooter: `&L${printText(sheet.title[0] ?? '')}&RPágina &P de &N` },
  });
  if (sheet.header) writeInstitutionalHeader(workbook, worksheet, sheet.header);

  sheet.title.forEach((line, i) => {
    const cell = worksheet.getCell(top + i + 1, 1);
    cell.value = safeCell(line);
    cell.font = i === 0 ? { bold: true, size: 14 } : { size: 10, color: { argb: 'FF404040' } };
  });

  worksheet.columns = sheet.columns.map((c) => ({ width: c.width ?? defaultWidths[c.kind] }));
  const header = worksheet.getRow(headerRow);
  sheet.columns.forEach((column, i) => {
    const cell = header.getCell(i + 1);
    cell.value = safeCell(column.header);
    cell.font = { bold: true, color: { argb: 'FFFFFFFF' } };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: argb(HEADER_FILL) } };
    if (column.headerStatus) paint(cell, column.headerStatus, true);
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    cell.border = border;
  });
  header.height = 32;

  sheet.rows.forEach((row, r) => {
    const excelRow = worksheet.getRow(headerRow + 1 + r);
    sheet.columns.forEach((column, i) => {
      const cell = excelRow.getCell(i + 1);
      const raw = column.value(row);
      cell.border = border;
      cell.alignment = { vertical: 'top', wrapText: column.kind === 'longText' };
      switch (column.kind) {
        case 'status': {
          const status = raw as GoalStatus | null;
          cell.value = status ? safeCell(sheet.statusLabel(status)) : null;
          if (status) paint(cell, status);
          break;
        }
        case 'date':
          cell.value = raw instanceof Date ? raw : null;
          cell.numFmt = 'dd/mm/yyyy hh:mm';
          break;
        case 'number': {
          const value = safeCell(raw);
          cell.value = value;
          if (typeof value === 'number') cell.numFmt = Number.isInteger(value) ? '#,##0' : '#,##0.00';
          break;
        }
        case 'percent': {
          const value = safeCell(raw);
          cell.value = value;
          if (typeof value === 'number') cell.numFmt = '0.0%';
          break;
        }
        default:
          // Codes are text even when they look like numbers ("2201001-01"), so String() them.
          cell.value = raw === null || raw === undefined ? null : safeCell(String(raw));
      }
    });
  });

  const lastRow = headerRow + Math.max(sheet.rows.length, 1);
  worksheet.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: lastRow, column: sheet.columns.length } };
  return { worksheet, headerRow };
}

export async function workbookBuffer(workbook: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
