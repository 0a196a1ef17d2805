/**
 * `npx tsx scripts/generateSamples.ts [folder]`: writes the example import files described in
 * samples/LEEME.md (Plan Indicativo and Hoja de Captura, XLSX and CSV) from a small subset of the
 * demo municipality: 3 dependencias, 12 goals, 2026 T1–T3 progress. Deterministic: running it
 * again writes byte-identical files (fixed document dates and ZIP entry times).
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import {
  classifyMeasurement,
  defaultThresholds,
  measureGoal,
  type AccumulationType,
  type GoalStatus,
  type QuarterlyExecution,
} from '../domain/goals';
import {
  generateMunicipality,
  MUNICIPALITY_PLAN_YEARS,
  type MunicipalityData,
  type MunicipalityDepartment,
  type MunicipalityGoal,
  type MunicipalityProgramming,
  type MunicipalityProgress,
} from './demo';
import { formatNumber } from '../domain/format';

export const SAMPLE_DEPARTMENTS = ['SEDU', 'SSAL', 'SINF'] as const;
export const SAMPLE_GOALS_PER_DEPARTMENT = 4;
export const SAMPLE_YEAR = 2026;
export const SAMPLE_QUARTERS = [1, 2, 3] as const;
/** Document and ZIP entry dates of the XLSX files, so regenerating changes nothing. */
export const SAMPLE_DATE = new Date('2026-11-25T00:00:00Z');

export const PLAN_SHEET = 'Plan Indicativo';
export const DEPARTMENTS_SHEET = 'Dependencias';
export const CAPTURE_SHEET = 'Hoja de Captura';

export const planHeaders = [
  'Código DANE',
  'Línea estratégica',
  'Código sector',
  'Sector',
  'Código programa',
  'Programa',
  'Código producto',
  'Producto',
  'Código indicador',
  'Indicador de producto',
  'Código meta',
  'Meta de producto',
  'Unidad de medida',
  'Meta cuatrienio',
  'Tipo de acumulación',
  ...MUNICIPALITY_PLAN_YEARS.map((year) => `Programación ${year}`),
  'Dependencia responsable',
] as const;
export const departmentHeaders = ['Código', 'Nombre', 'Enlace', 'Correo del enlace'] as const;
export const captureHeaders = ['Código meta', 'Vigencia', 'Trimestre', 'Programado', 'Ejecutado', 'Soportes'] as const;

const accumulationNames: Record<AccumulationType, string> = {
  sum: 'Suma',
  flow: 'Flujo',
  stock: 'Stock',
  capacity: 'Capacidad',
  reduction: 'Reducción',
  annualReduction: 'Reducción anual',
};

export const SAMPLE_FILES = {
  planXlsx: 'plan-indicativo-ejemplo.xlsx',
  planCsv: 'plan-indicativo-ejemplo.csv',
  captureXlsx: 'hoja-de-captura-ejemplo.xlsx',
  captureCsv: 'hoja-de-captura-ejemplo.csv',
} as const;

export interface SampleSubset {
  daneCode: string;
  departments: MunicipalityDepartment[];
  goals: MunicipalityGoal[];
  programming: MunicipalityProgramming[];
  /** 2026 T1–T3 rows of the chosen goals. */
  progress: MunicipalityProgress[];
}

/** A cell: text, number, or empty (null). */
type Cell = string | number | null;

// ---------------------------------------------------------------------------------------------
// Choosing the subset
// ---------------------------------------------------------------------------------------------

function statusAtT3(data: MunicipalityData, goal: MunicipalityGoal): GoalStatus {
  const programming = data.programming.find((p) => p.goalCode === goal.code && p.fiscalYear === SAMPLE_YEAR);
  const execution: QuarterlyExecution = [null, null, null, null];
  for (const row of data.progress) {
    if (row.goalCode === goal.code && row.fiscalYear === SAMPLE_YEAR) execution[row.quarter - 1] = row.executed;
  }
  if (!programming) return 'notEvaluated';
  const measurement = measureGoal(goal.accumulation, programming, execution, 3);
  return classifyMeasurement(measurement, defaultThresholds);
}

/**
 * Four goals of each of three dependencias: together all four accumulation types and as many
 * different 2026 T3 statuses as the data offers, one goal per product; goals reported in every
 * quarter of 2026 T1–T3 except, where needed to show a status, one with a quarter not reported.
 */
export function selectSampleSubset(data: MunicipalityData): SampleSubset {
  const reportedCount = (goal: MunicipalityGoal) =>
    SAMPLE_QUARTERS.filter((q) => data.progress.some((p) => p.goalCode === goal.code && p.fiscalYear === SAMPLE_YEAR && p.quarter === q)).length;
  const reportedAll = (goal: MunicipalityGoal) => reportedCount(goal) === SAMPLE_QUARTERS.length;
  const wantedStatuses: GoalStatus[] = ['behind', 'notStarted', 'overachieved', 'onTrack', 'achieved'];
  const coveredTypes = new Set<AccumulationType>(['sum']);
  const coveredStatuses = new Set<GoalStatus>();
  const chosen: MunicipalityGoal[] = [];
  for (const department of SAMPLE_DEPARTMENTS) {
    const candidates = data.goals.filter((g) => g.departmentCode === department && reportedAll(g));
    // A goal showing a missing status may lack one quarter's report (a real Hoja de Captura does too).
    const statusCandidates = data.goals.filter((g) => g.departmentCode === department && reportedCount(g) >= 2);
    const picked: MunicipalityGoal[] = [];
    const usedProducts = new Set<string>();
    const take = (goal: MunicipalityGoal | undefined) => {
      if (!goal || picked.length >= SAMPLE_GOALS_PER_DEPARTMENT) return;
      picked.push(goal);
      usedProducts.add(goal.productCode);
      coveredTypes.add(goal.accumulation);
      coveredStatuses.add(statusAtT3(data, goal));
    };
    const fresh = (g: MunicipalityGoal) => !usedProducts.has(g.productCode);
    // One level goal (flujo, stock or reducción) of a type not yet in the sample.
    take(candidates.find((g) => !coveredTypes.has(g.accumulation) && fresh(g)));
    // Suma goals showing statuses not yet in the sample.
    for (const status of wantedStatuses) {
      if (coveredStatuses.has(status)) continue;
      take(statusCandidates.find((g) => g.accumulation === 'sum' && fresh(g) && statusAtT3(data, g) === status));
    }
    // Then suma goals of other programs, then of other products.
    const usedPrograms = () => new Set(picked.map((g) => g.programCode));
    const fillers: ((g: MunicipalityGoal) => boolean)[] = [
      (g) => g.accumulation === 'sum' && !usedPrograms().has(g.programCode),
      (g) => g.accumulation === 'sum',
      () => true,
    ];
    for (const accept of fillers) {
      for (let next = candidates.find((g) => fresh(g) && accept(g)); next && picked.length < SAMPLE_GOALS_PER_DEPARTMENT; next = candidates.find((g) => fresh(g) && accept(g))) {
        take(next);
      }
    }
    // Keep the plan's order (by product code within the dependencia) in the files.
    chosen.push(...data.goals.filter((g) => picked.includes(g)));
  }
  const codes = new Set(chosen.map((g) => g.code));
  return {
    daneCode: data.plan.daneCode,
    departments: data.departments.filter((d) => SAMPLE_DEPARTMENTS.some((code) => code === d.code)),
    goals: chosen,
    programming: data.programming.filter((p) => codes.has(p.goalCode)),
    progress: data.progress.filter(
      (p) => codes.has(p.goalCode) && p.fiscalYear === SAMPLE_YEAR && SAMPLE_QUARTERS.some((q) => q === p.quarter),
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// Rows (shared by XLSX and CSV)
// ---------------------------------------------------------------------------------------------

/** Plan Indicativo rows: codes as text, quantities as numbers. */
export function planRows(subset: SampleSubset): Cell[][] {
  return subset.goals.map((g) => {
    const annual = MUNICIPALITY_PLAN_YEARS.map(
      (year) => subset.programming.find((p) => p.goalCode === g.code && p.fiscalYear === year)?.annualTarget ?? 0,
    );
    return [
      subset.daneCode,
      g.strategicLine,
      g.sectorCode,
      g.sector,
      g.programCode,
      g.program,
      g.productCode,
      g.productName,
      g.indicatorCode,
      g.indicator,
      g.code,
      g.name,
      g.unit,
      g.termTarget,
      accumulationNames[g.accumulation],
      ...annual,
      g.departmentCode,
    ];
  });
}

export function departmentRows(subset: SampleSubset): Cell[][] {
  return subset.departments.map((d) => [d.code, d.name, d.liaisonName, d.liaisonEmail]);
}

/** Hoja de Captura rows, in goal order then quarter. */
export function captureRows(subset: SampleSubset): Cell[][] {
  const rows: Cell[][] = [];
  for (const goal of subset.goals) {
    const programming = subset.programming.find((p) => p.goalCode === goal.code && p.fiscalYear === SAMPLE_YEAR);
    for (const quarter of SAMPLE_QUARTERS) {
      const progress = subset.progress.find((p) => p.goalCode === goal.code && p.quarter === quarter);
      if (!progress) continue;
      rows.push([
        goal.code,
        SAMPLE_YEAR,
        `T${quarter}`,
        programming?.quarterlyTargets[quarter - 1] ?? 0,
        progress.executed,
        progress.evidence,
      ]);
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// CSV: UTF-8, ';' separator, Colombian numbers (1.234,5), CRLF line ends
// ---------------------------------------------------------------------------------------------

/** Columns holding years, which are written without thousands separators. */
const yearColumns = new Set<string>(['Vigencia']);

function csvField(value: Cell, header: string): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? (yearColumns.has(header) ? String(value) : formatNumber(value)) : value;
  return /[;"\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(headers: readonly string[], rows: readonly Cell[][]): string {
  const lines = [headers.map((h) => csvField(h, h)).join(';'), ...rows.map((row) => row.map((v, i) => csvField(v, headers[i] ?? '')).join(';'))];
  return `${lines.join('\r\n')}\r\n`;
}

// ---------------------------------------------------------------------------------------------
// XLSX
// ---------------------------------------------------------------------------------------------

function newWorkbook(): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Metas PDM';
  workbook.lastModifiedBy = 'Metas PDM';
  workbook.created = SAMPLE_DATE;
  workbook.modified = SAMPLE_DATE;
  return workbook;
}

function addSheet(workbook: ExcelJS.Workbook, name: string, headers: readonly string[], rows: readonly Cell[][], widths: Record<string, number> = {}) {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow([...headers]);
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(row);
  headers.forEach((header, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = widths[header] ?? Math.min(60, Math.max(12, header.length + 2));
    column.eachCell({ includeEmpty: false }, (cell, rowNumber) => {
      if (rowNumber > 1 && typeof cell.value === 'number' && !yearColumns.has(header)) {
        cell.numFmt = Number.isInteger(cell.value) ? '#,##0' : '#,##0.0#';
      }
    });
  });
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: headers.length } };
}

/**
 * exceljs (through JSZip) stamps every ZIP entry with the current time; set them all to
 * SAMPLE_DATE in the local headers and the central directory so the bytes do not change.
 */
export function fixZipTimestamps(buffer: Buffer, date: Date = SAMPLE_DATE): Buffer {
  const out = Buffer.from(buffer);
  const dosTime = (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2);
  const dosDate = ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate();
  let eocd = -1;
  for (let i = out.length - 22; i >= 0; i--) {
    if (out.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a ZIP file: end of central directory not found');
  const entries = out.readUInt16LE(eocd + 10);
  let offset = out.readUInt32LE(eocd + 16);
  for (let n = 0; n < entries; n++) {
    if (out.readUInt32LE(offset) !== 0x02014b50) throw new Error('unexpected ZIP central directory entry');
    out.writeUInt16LE(dosTime, offset + 12);
    out.writeUInt16LE(dosDate, offset + 14);
    const local = out.readUInt32LE(offset + 42);
    if (out.readUInt32LE(local) !== 0x04034b50) throw new Error('unexpected ZIP local header');
    out.writeUInt16LE(dosTime, local + 10);
    out.writeUInt16LE(dosDate, local + 12);
    offset += 46 + out.readUInt16LE(offset + 28) + out.readUInt16LE(offset + 30) + out.readUInt16LE(offset + 32);
  }
  return out;
}

async function toBuffer(workbook: ExcelJS.Workbook): Promise<Buffer> {
  const written = await workbook.xlsx.writeBuffer();
  return fixZipTimestamps(Buffer.from(written as ArrayBuffer));
}

const textWidths = {
  'Línea estratégica': 40,
  Sector: 28,
  Programa: 50,
  Producto: 45,
  'Indicador de producto': 50,
  'Meta de producto': 70,
  Nombre: 45,
  Enlace: 32,
  'Correo del enlace': 36,
  Soportes: 90,
};

export async function planWorkbook(subset: SampleSubset): Promise<Buffer> {
  const workbook = newWorkbook();
  addSheet(workbook, PLAN_SHEET, planHeaders, planRows(subset), textWidths);
  addSheet(workbook, DEPARTMENTS_SHEET, departmentHeaders, departmentRows(subset), textWidths);
  return toBuffer(workbook);
}

export async function captureWorkbook(subset: SampleSubset): Promise<Buffer> {
  const workbook = newWorkbook();
  addSheet(workbook, CAPTURE_SHEET, captureHeaders, captureRows(subset), textWidths);
  return toBuffer(workbook);
}

/** Every sample file by name, from the demo municipality of `seed` (the default one when omitted). */
export async function buildSamples(data: MunicipalityData = generateMunicipality()): Promise<Record<string, Buffer>> {
  const subset = selectSampleSubset(data);
  return {
    [SAMPLE_FILES.planXlsx]: await planWorkbook(subset),
    [SAMPLE_FILES.planCsv]: Buffer.from(toCsv(planHeaders, planRows(subset)), 'utf8'),
    [SAMPLE_FILES.captureXlsx]: await captureWorkbook(subset),
    [SAMPLE_FILES.captureCsv]: Buffer.from(toCsv(captureHeaders, captureRows(subset)), 'utf8'),
  };
}

export const samplesFolder = path.join(__dirname, '..', 'samples');

/** Writes sample files into the folder named on the command line (default samples/), listing each. */
export async function writeSampleFiles(build: () => Promise<Record<string, Buffer>>) {
  const folder = process.argv[2] ? path.resolve(process.argv[2]) : samplesFolder;
  fs.mkdirSync(folder, { recursive: true });
  for (const [name, content] of Object.entries(await build())) {
    fs.writeFileSync(path.join(folder, name), content);
    console.log(`${path.join(folder, name)} (${content.length} bytes)`);
  }
}

if (require.main === module) {
  writeSampleFiles(buildSamples).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
