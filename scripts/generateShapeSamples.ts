/**
 * `npx tsx scripts/generateShapeSamples.ts [folder]`: writes the example files of the shapes real
 * offices deliver (samples/LEEME.md, "Archivos como los entrega una oficina"), from the same goals
 * as the plain samples (scripts/generateSamples.ts). Deterministic: byte-identical on every run.
 */
import ExcelJS from 'exceljs';
import { generateMunicipality, type MunicipalityData } from './demo';
import {
  captureHeaders,
  captureRows,
  departmentHeaders,
  departmentRows,
  DEPARTMENTS_SHEET,
  fixZipTimestamps,
  PLAN_SHEET,
  planHeaders,
  planRows,
  SAMPLE_DATE,
  writeSampleFiles,
  selectSampleSubset,
  toCsv,
  type SampleSubset,
} from './generateSamples';

export const SHAPE_FILES = {
  titledCsv: 'plan-indicativo-titulos-windows1252.csv',
  mergedTitlesXlsx: 'plan-indicativo-titulos-combinados.xlsx',
  departmentNamesCsv: 'plan-indicativo-dependencias-por-nombre.csv',
  kptCaptureXlsx: 'hoja-de-captura-kpt.xlsx',
} as const;

type Cell = string | number | null;

/** The title rows an office puts above its header. */
export const TITLE_ROWS = ['PLAN INDICATIVO 2024–2027 «PASTO, LA GRAN CAPITAL»', 'MUNICIPIO DE PASTO – NARIÑO', 'Código DANE: 52001'] as const;

/** Windows-1252 bytes of Spanish text (what Excel "CSV (delimitado por comas)" writes on a Spanish Windows). */
const cp1252Extra: Record<string, number> = { '€': 0x80, '…': 0x85, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97 };
function windows1252(text: string): Buffer {
  return Buffer.from(
    [...text].map((ch) => {
      const code = ch.codePointAt(0)!;
      const extra = cp1252Extra[ch];
      if (extra !== undefined) return extra;
      if (code <= 0xff && (code < 0x80 || code > 0x9f)) return code;
      throw new Error(`"${ch}" has no Windows-1252 byte`);
    }),
  );
}

/** Title lines, a blank line, then the table: the title lines carry no separators (the reported case). */
function titledCsv(subset: SampleSubset): Buffer {
  return windows1252(`${TITLE_ROWS.join('\r\n')}\r\n\r\n${toCsv(planHeaders, planRows(subset))}`);
}

/** As a DNP/KPT export: no "Código meta" (goals are keyed by the indicator's code) and departments by name. */
export function departmentNameRows(subset: SampleSubset): { headers: string[]; rows: Cell[][] } {
  const goalCode = planHeaders.indexOf('Código meta');
  const department = planHeaders.indexOf('Dependencia responsable');
  const nameOf = new Map(subset.departments.map((d) => [d.code, d.name]));
  return {
    headers: planHeaders.filter((_, i) => i !== goalCode),
    rows: planRows(subset).map((row) => row.map((cell, i) => (i === department ? (nameOf.get(String(cell)) ?? cell) : cell)).filter((_, i) => i !== goalCode)),
  };
}

function newWorkbook(): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Metas PDM';
  workbook.lastModifiedBy = 'Metas PDM';
  workbook.created = SAMPLE_DATE;
  workbook.modified = SAMPLE_DATE;
  return workbook;
}

/** Title rows merged across the table's width, a blank row, then the bold header and the rows. */
function titledSheet(workbook: ExcelJS.Workbook, name: string, titles: readonly string[], headers: readonly string[], rows: readonly Cell[][]) {
  const sheet = workbook.addWorksheet(name);
  titles.forEach((title, i) => {
    sheet.addRow([title]);
    sheet.mergeCells(i + 1, 1, i + 1, headers.length);
    sheet.getRow(i + 1).font = { bold: i === 0, size: i === 0 ? 14 : 11 };
  });
  sheet.addRow([]);
  const header = sheet.addRow([...headers]);
  header.font = { bold: true };
  for (const row of rows) sheet.addRow(row);
  headers.forEach((h, i) => (sheet.getColumn(i + 1).width = Math.min(50, Math.max(12, h.length + 2))));
  return sheet;
}

async function toBuffer(workbook: ExcelJS.Workbook): Promise<Buffer> {
  return fixZipTimestamps(Buffer.from((await workbook.xlsx.writeBuffer()) as ArrayBuffer));
}

async function mergedTitlesXlsx(subset: SampleSubset): Promise<Buffer> {
  const workbook = newWorkbook();
  titledSheet(workbook, PLAN_SHEET, TITLE_ROWS, planHeaders, planRows(subset));
  const departments = workbook.addWorksheet(DEPARTMENTS_SHEET);
  departments.addRow([...departmentHeaders]).font = { bold: true };
  for (const row of departmentRows(subset)) departments.addRow(row);
  return toBuffer(workbook);
}

/** KPT-style headers: the indicator's code as key, "Meta programada …" and "Avance ejecutado …". */
export const KPT_CAPTURE_HEADERS = ['Código del indicador de producto', 'Vigencia', 'Trimestre', 'Meta programada del trimestre', 'Avance ejecutado del trimestre', 'Observaciones / soportes'];

async function kptCaptureXlsx(subset: SampleSubset): Promise<Buffer> {
  const goalCode = captureHeaders.indexOf('Código meta');
  const indicatorOf = new Map(subset.goals.map((g) => [g.code, g.indicatorCode]));
  const rows = captureRows(subset).map((row) => row.map((cell, i) => (i === goalCode ? (indicatorOf.get(String(cell)) ?? cell) : cell)));
  const workbook = newWorkbook();
  titledSheet(workbook, 'Seguimiento', ['KIT DE PLANEACIÓN TERRITORIAL – SEGUIMIENTO AL PLAN INDICATIVO', 'MUNICIPIO DE PASTO – NARIÑO'], KPT_CAPTURE_HEADERS, rows);
  return toBuffer(workbook);
}

export async function buildShapeSamples(data: MunicipalityData = generateMunicipality()): Promise<Record<string, Buffer>> {
  const subset = selectSampleSubset(data);
  const byName = departmentNameRows(subset);
  return {
    [SHAPE_FILES.titledCsv]: titledCsv(subset),
    [SHAPE_FILES.mergedTitlesXlsx]: await mergedTitlesXlsx(subset),
    [SHAPE_FILES.departmentNamesCsv]: Buffer.from(toCsv(byName.headers, byName.rows), 'utf8'),
    [SHAPE_FILES.kptCaptureXlsx]: await kptCaptureXlsx(subset),
  };
}

if (require.main === module) {
  writeSampleFiles(buildShapeSamples).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
