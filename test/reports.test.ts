import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { createActivities } from '../activities';
import { type DatabaseHandle } from '../db/client';
import { demoDepartments, demoGoals, loadDemoData } from '../db/demo';
import * as t from '../db/schema';
import {
  accumulationLabels,
  classifyMeasurement,
  goalStatusLabels,
  isFlagged,
  measureGoal,
  type GoalStatus,
  type Measurement,
  type Quarter,
  type QuarterlyExecution,
} from '../domain/goals';
import type { GoalAnswer } from '../domain/review';
import { byAlertPriority } from '../domain/goalPriority';
import { exportMatrix, exportDashboard, loadJustifications, loadQuarterReport, PPTX_CONTENT_TYPE, XLSX_CONTENT_TYPE } from '../reports';
import { breakdown, reportStatusOrder, statusColors, unprogrammedStatuses } from '../reports/dashboard';
import { paginateLagging } from '../reports/presentationPptx';
import type { ReportGoal } from '../reports/reportTypes';
import { csvField, neutralizeText, safeCell, toCsv } from '../reports/sanitize';
import { INSTITUTIONAL_HEADER_ROWS } from '../reports/xlsxTable';
import { AppError } from '../services/errors';
import { classifyGoals, type ClassifiedGoal } from '../workflows/classifyQuarter';
import type { CycleGoalView } from '../workflows/types';
import { openPglite } from './support/pglite';

const thresholds = { behindBelowPercent: 90, overachievedAbovePercent: 100 };
const generatedAt = new Date('2026-07-15T15:00:00Z');
const YEAR = 2026;
/** The title's row: below the institutional header (entity, process, format, vigencia). */
const TITLE_ROW = INSTITUTIONAL_HEADER_ROWS + 1;

// ---------- reading the files back ----------

async function readWorkbook(content: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(content as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  return workbook;
}

function sheet(workbook: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const found = workbook.getWorksheet(name);
  if (!found) throw new Error(`sheet ${name} missing; sheets: ${workbook.worksheets.map((w) => w.name).join(', ')}`);
  return found;
}

/** The row whose first cell is `first` (tables have title lines above their header). */
function headerRowOf(ws: ExcelJS.Worksheet, first: string): number {
  for (let r = 1; r <= 20; r++) if (ws.getCell(r, 1).value === first) return r;
  throw new Error(`no header "${first}" in ${ws.name}`);
}

interface TableCell {
  value: ExcelJS.CellValue;
  cell: ExcelJS.Cell;
}

/** Every row under the header as header text → cell. */
function readTable(ws: ExcelJS.Worksheet, first = 'Código'): { headerRow: number; headers: string[]; rows: Record<string, TableCell>[] } {
  const headerRow = headerRowOf(ws, first);
  const headers: string[] = [];
  ws.getRow(headerRow).eachCell((cell, col) => (headers[col - 1] = String(cell.value)));
  const rows: Record<string, TableCell>[] = [];
  for (let r = headerRow + 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    if (row.getCell(1).value === null) continue;
    rows.push(Object.fromEntries(headers.map((h, i) => [h, { value: row.getCell(i + 1).value, cell: row.getCell(i + 1) }])));
  }
  return { headerRow, headers, rows };
}

/** The title lines above a table's header. */
const titleText = (ws: ExcelJS.Worksheet, first = 'Código') =>
  Array.from({ length: headerRowOf(ws, first) - 1 }, (_, i) => String(ws.getCell(i + 1, 1).value ?? '')).join('\n');

const fillOf = (cell: ExcelJS.Cell) => (cell.fill?.type === 'pattern' ? cell.fill.fgColor?.argb : undefined);
const fontColourOf = (cell: ExcelJS.Cell) => cell.font?.color?.argb;

function expectFrozenHeaderWithFilter(ws: ExcelJS.Worksheet, headerRow: number, columns: number, lastRow: number) {
  const view = ws.views[0];
  expect(view?.state).toBe('frozen');
  expect(view && 'ySplit' in view ? view.ySplit : undefined).toBe(headerRow);
  expect(ws.getRow(headerRow).getCell(1).font?.bold).toBe(true);
  expect(ws.getRow(headerRow).getCell(columns).font?.bold).toBe(true);
  const lastColumn = ws.getColumn(columns).letter;
  expect(ws.autoFilter).toBe(`A${headerRow}:${lastColumn}${lastRow}`);
}

function expectStatusCell(cell: ExcelJS.Cell, status: GoalStatus) {
  expect(cell.value).toBe(goalStatusLabels[status]);
  expect(fillOf(cell)).toBe(`FF${statusColors[status].fill}`);
  expect(fontColourOf(cell)).toBe(`FF${statusColors[status].text}`);
}

interface Slide {
  xml: string;
  text: string[];
}

const decodeXml = (s: string) =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

async function readSlides(content: Buffer): Promise<{ zip: JSZip; slides: Slide[] }> {
  const zip = await JSZip.loadAsync(content);
  const names = Object.keys(zip.files)
    .filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n))
    .sort((a, b) => Number(a.match(/\d+/)?.[0]) - Number(b.match(/\d+/)?.[0]));
  const slides = await Promise.all(
    names.map(async (n) => {
      const xml = await (zip.file(n) as JSZip.JSZipObject).async('string');
      return { xml, text: [...xml.matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((m) => decodeXml(m[1] ?? '')) };
    }),
  );
  return { zip, slides };
}

// ---------- what the demo should give, computed from its definition, not from the code under test ----------

interface ExpectedGoal {
  code: string;
  department: string;
  line: string;
  program: string;
  name: string;
  unit: string;
  accumulation: (typeof demoGoals)[number]['accumulation'];
  annual: number;
  measurement: Measurement;
  status: GoalStatus;
}

function expectedDemo(quarter: Quarter): ExpectedGoal[] {
  return demoGoals.map((g) => {
    const quarterly = g.quarterly ?? (g.accumulation === 'sum' ? [g.annual / 4, g.annual / 4, g.annual / 4, g.annual / 4] : [g.annual, g.annual, g.annual, g.annual]);
    const execution: QuarterlyExecution = [g.progress[0], g.progress[1], null, null];
    const measurement = measureGoal(g.accumulation, { annualTarget: g.annual, quarterlyTargets: [...quarterly] as [number, number, number, number] }, execution, quarter, {
      baseline: g.baseline ?? null,
    });
    return { ...g, measurement, status: classifyMeasurement(measurement, thresholds) };
  });
}

const departmentName = (code: string) => demoDepartments.find((d) => d.code === code)?.name as string;
const isLagging = (s: GoalStatus) => s === 'notStarted' || s === 'behind';
/** The cumulative matrix also keeps a quarter left without its report. */
const laggedInMatrix = (s: GoalStatus) => isLagging(s) || s === 'noReport';

async function expectAppError(promise: Promise<unknown>, code: string, message: RegExp) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  expect((error as AppError).message).toMatch(message);
}

// ---------- pure parts ----------

describe('report building blocks', () => {
  it('neutralises formula triggers in text and keeps numbers as numbers', () => {
    for (const text of ['=1+1', '+cmd', '-2+3', '@SUM(1)', '\tx', '\rx', '＝1']) expect(neutralizeText(text)).toBe(`'${text}`);
    for (const text of ['Meta 1', '<script>alert(1)</script>', "'ya", ' =1', '']) expect(neutralizeText(text)).toBe(text);
    expect(safeCell(-2)).toBe(-2);
    expect(safeCell(Number.NaN)).toBeNull();
    expect(safeCell(undefined)).toBeNull();
    expect(csvField('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(toCsv([['Código', 'Valor'], ['-2+3', -2], ['a;b', null]])).toBe(`Código,Valor\r\n'-2+3,-2\r\n"a;b",\r\n`);
  });

  it('leaves no evaluadas out of the percentage base', () => {
    const b = breakdown(['notStarted', 'onTrack', 'onTrack', 'notEvaluated']);
    expect(b).toMatchObject({ total: 4, evaluated: 3, lagging: 1 });
    expect(b.shares.onTrack).toBeCloseTo(2 / 3);
    expect(b.shares.notEvaluated).toBeNull();
    expect(breakdown(['notEvaluated']).shares.onTrack).toBeNull();
  });

  it('uses semáforo colours with readable text and visible bars', () => {
    const luminance = (hex: string) => {
      const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)) as [number, number, number];
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const contrast = (a: string, b: string) => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
      return (hi + 0.05) / (lo + 0.05);
    };
    for (const status of reportStatusOrder) {
      const { fill, text } = statusColors[status];
      expect(contrast(fill, text)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(fill, 'FFFFFF')).toBeGreaterThanOrEqual(3);
    }
    expect(new Set(Object.values(statusColors).map((c) => c.fill)).size).toBe(reportStatusOrder.length);
  });

  it('paginates lagging goals at 12 rows, fewer when names take two lines', () => {
    const goal = (i: number, name: string) => ({ goalCode: `G${i}`, name }) as ReportGoal;
    expect(paginateLagging(Array.from({ length: 25 }, (_, i) => goal(i, 'Corta'))).map((p) => p.length)).toEqual([12, 12, 1]);
    expect(paginateLagging(Array.from({ length: 10 }, (_, i) => goal(i, 'x'.repeat(200)))).map((p) => p.length)).toEqual([9, 1]);
    expect(paginateLagging([])).toEqual([]);
  });
});

// ---------- the demo as loaded, classified live (no cycle yet) ----------

describe('reports of the demo classified live', () => {
  let handle: DatabaseHandle;
  const expectedQ2 = expectedDemo(2);

  beforeAll(async () => {
    handle = await openPglite();
    await loadDemoData(handle.db, { planYears: [YEAR], progressYear: YEAR });
  });
  afterAll(() => handle?.close());

  it('classifies the second quarter as the demo defines it', async () => {
    const report = await loadQuarterReport(handle.db, { fiscalYear: YEAR, quarter: 2, thresholds });
    expect(report.source).toBe('live');
    const counts = breakdown(report.goals.map((g) => g.status)).counts;
    // The three goals with no report for T1 and T2 are "sin reporte", not "no iniciada".
    expect(counts).toEqual({ notStarted: 0, noReport: 3, behind: 4, overachieved: 4, onTrack: 9, achieved: 0, notEvaluated: 0, unprogrammedExecution: 0 });
    expect(Object.fromEntries(report.goals.map((g) => [g.goalCode, g.status]))).toEqual(Object.fromEntries(expectedQ2.map((g) => [g.code, g.status])));
  });

  it('exports the tablero de control with every goal, the summary and the semáforo', async () => {
    const file = await exportDashboard(handle.db, { fiscalYear: YEAR, quarter: 2, thresholds, format: 'xlsx', generatedAt });
    expect(file.fileName).toBe('tablero-control-2026-T2.xlsx');
    expect(file.contentType).toBe(XLSX_CONTENT_TYPE);
    const workbook = await readWorkbook(file.content);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Resumen', 'Metas']);

    // Metas: one row per goal, equal to the demo's definition.
    const metas = sheet(workbook, 'Metas');
    const { headerRow, headers, rows } = readTable(metas);
    expect(headers).toEqual([
      'Código',
      'Meta de producto',
      'Dependencia',
      'Línea estratégica',
      'Programa',
      'Indicador',
      'Unidad',
      'Tipo de acumulación',
      'Programado año',
      'Esperado a la fecha',
      'Ejecutado a la fecha',
      '% avance a la fecha',
      'Avance de la vigencia',
      'Avance del cuatrienio',
      'Estado',
    ]);
    expect(rows.map((r) => r['Código']?.value).sort()).toEqual(demoGoals.map((g) => g.code).sort());
    for (const expected of expectedQ2) {
      const row = rows.find((r) => r['Código']?.value === expected.code) as Record<string, TableCell>;
      expect(row['Meta de producto']?.value).toBe(expected.name);
      expect(row['Dependencia']?.value).toBe(departmentName(expected.department));
      expect(row['Línea estratégica']?.value).toBe(expected.line);
      expect(row['Programa']?.value).toBe(expected.program);
      expect(row['Indicador']?.value).toBe(expected.name);
      expect(row['Unidad']?.value).toBe(expected.unit);
      expect(row['Tipo de acumulación']?.value).toBe(accumulationLabels[expected.accumulation]);
      expect(row['Programado año']?.value).toBe(expected.annual);
      expect(row['Esperado a la fecha']?.value).toBeCloseTo(expected.measurement.expectedToDate, 6);
      expect(row['Ejecutado a la fecha']?.value).toBe(expected.measurement.executedToDate);
      const progress = expected.measurement.progressPercent;
      if (progress === null) expect(row['% avance a la fecha']?.value).toBeNull();
      else expect(row['% avance a la fecha']?.value as number).toBeCloseTo(progress / 100, 6);
      expect(row['% avance a la fecha']?.cell.numFmt ?? '0.0%').toBe('0.0%');
      expectStatusCell(row['Estado']?.cell as ExcelJS.Cell, expected.status);
    }
    expect(rows.find((r) => r['Código']?.value === '1906001-01')?.['Programado año']?.cell.numFmt).toBe('#,##0');
    expect(rows.find((r) => r['Código']?.value === '2202001-01')?.['Programado año']?.cell.numFmt).toBe('#,##0.00');
    expectFrozenHeaderWithFilter(metas, headerRow, headers.length, headerRow + demoGoals.length);
    expect(metas.getCell(TITLE_ROW, 1).value).toMatch(/Tablero de control \(PE_F_024\)/);
    expect(titleText(metas)).toMatch(/Fuente: clasificación con los datos actuales/);

    // Resumen: plan, líneas, dependencias; shares of the evaluated goals.
    const resumen = sheet(workbook, 'Resumen');
    const summary = readTable(resumen, 'Ámbito');
    expectFrozenHeaderWithFilter(resumen, summary.headerRow, summary.headers.length, summary.headerRow + 1 + 3 + 3);
    const groups: { scope: string; label: string; goals: ExpectedGoal[] }[] = [
      { scope: 'Plan', label: 'Todo el plan', goals: expectedQ2 },
      ...[...new Set(expectedQ2.map((g) => g.line))].map((line) => ({ scope: 'Línea estratégica', label: line, goals: expectedQ2.filter((g) => g.line === line) })),
      ...demoDepartments.map((d) => ({ scope: 'Dependencia', label: d.name, goals: expectedQ2.filter((g) => g.department === d.code) })),
    ];
    expect(summary.rows.map((r) => [r['Ámbito']?.value, r['Nombre']?.value])).toEqual(
      expect.arrayContaining(groups.map((g) => [g.scope, g.label])),
    );
    expect(summary.rows).toHaveLength(groups.length);
    for (const group of groups) {
      const row = summary.rows.find((r) => r['Ámbito']?.value === group.scope && r['Nombre']?.value === group.label) as Record<string, TableCell>;
      expect(row['Total de metas']?.value).toBe(group.goals.length);
      expect(row['Evaluadas']?.value).toBe(group.goals.length);
      for (const status of reportStatusOrder) {
        const n = group.goals.filter((g) => g.status === status).length;
        expect(row[`${goalStatusLabels[status]} (n)`]?.value).toBe(n);
        if (!unprogrammedStatuses.includes(status)) expect(row[`${goalStatusLabels[status]} (%)`]?.value as number).toBeCloseTo(n / group.goals.length, 9);
      }
      const lagging = group.goals.filter((g) => isLagging(g.status)).length;
      expect(row['Rezagadas (n)']?.value).toBe(lagging);
      expect(row['Rezagadas (%)']?.value as number).toBeCloseTo(lagging / group.goals.length, 9);
    }
    expect(summary.headers).not.toContain('No evaluada (%)');
    // The status columns' headers carry the semáforo.
    for (const status of reportStatusOrder) {
      const col = summary.headers.indexOf(`${goalStatusLabels[status]} (n)`) + 1;
      expect(fillOf(resumen.getRow(summary.headerRow).getCell(col))).toBe(`FF${statusColors[status].fill}`);
    }
  });

  it('exports the presentation: title, plan, one slide per línea and per dependencia with its lagging goals', async () => {
    const file = await exportDashboard(handle.db, { fiscalYear: YEAR, quarter: 2, thresholds, format: 'pptx', generatedAt });
    expect(file.fileName).toBe('seguimiento-trimestral-2026-T2.pptx');
    expect(file.contentType).toBe(PPTX_CONTENT_TYPE);
    const { zip, slides } = await readSlides(file.content);
    const lines = new Set(demoGoals.map((g) => g.line));
    expect(slides).toHaveLength(1 + 1 + lines.size + demoDepartments.length);

    const title = slides[0]?.text.join(' ');
    expect(title).toContain('Seguimiento trimestral del Plan de Desarrollo');
    expect(title).toContain('Vigencia 2026');
    expect(title).toContain('Trimestre 2');
    expect(title).toContain('15 de julio de 2026');
    expect(slides[1]?.text.join(' ')).toContain('Todo el plan');
    for (const [i, line] of [...lines].sort().entries()) expect(slides[2 + i]?.text).toContain(line);

    for (const [i, department] of [...demoDepartments].sort((a, b) => a.code.localeCompare(b.code)).entries()) {
      const slide = slides[2 + lines.size + i] as Slide;
      expect(slide.text[0]).toBe(`${department.name}: metas rezagadas`);
      const lagging = expectedQ2.filter((g) => g.department === department.code && isLagging(g.status)).map((g) => g.code);
      const listed = slide.text.filter((s) => /^\d{7}-\d{2}$/.test(s));
      expect(listed.sort()).toEqual(lagging.sort());
      expect(lagging.length).toBeGreaterThan(0);
    }

    // The plan's chart: counts in status order, each bar in its semáforo colour.
    const chart = await (zip.file('ppt/charts/chart1.xml') as JSZip.JSZipObject).async('string');
    const values = chart.slice(chart.indexOf('<c:val>')).match(/<c:v>([^<]*)<\/c:v>/g)?.map((v) => Number(v.replace(/<\/?c:v>/g, '')));
    expect(values).toEqual(reportStatusOrder.map((s) => expectedQ2.filter((g) => g.status === s).length));
    const pointColours = [...chart.matchAll(/<c:dPt>[\s\S]*?srgbClr val="(\w+)"[\s\S]*?<\/c:dPt>/g)].map((m) => m[1]);
    expect(pointColours).toEqual(reportStatusOrder.map((s) => statusColors[s].fill));
    expect(Object.keys(zip.files).filter((n) => /^ppt\/charts\/chart\d+\.xml$/.test(n))).toHaveLength(1 + lines.size);
  });

  it('exports the matrix of lagging goals of the quarter per department', async () => {
    const all = await exportMatrix(handle.db, { kind: 'quarterly', fiscalYear: YEAR, quarter: 2, thresholds, generatedAt });
    expect(all.fileName).toBe('matriz-rezagadas-trimestre-2026-T2.xlsx');
    const workbook = await readWorkbook(all.content);
    expect(workbook.worksheets).toHaveLength(demoDepartments.length);
    for (const department of demoDepartments) {
      const ws = workbook.worksheets.find((w) => w.name.startsWith(department.code)) as ExcelJS.Worksheet;
      const { headerRow, headers, rows } = readTable(ws);
      const lagging = expectedQ2.filter((g) => g.department === department.code && isFlagged(g.status));
      // The alert's order: rezagadas, sin reporte, sobrecumplidas, each by code.
      expect(rows.map((r) => r['Código']?.value)).toEqual(lagging.map((g) => ({ goalCode: g.code, status: g.status })).sort(byAlertPriority).map((g) => g.goalCode));
      for (const expected of lagging) {
        const row = rows.find((r) => r['Código']?.value === expected.code) as Record<string, TableCell>;
        expect(row['Esperado a la fecha']?.value).toBeCloseTo(expected.measurement.expectedToDate, 6);
        expect(row['Ejecutado a la fecha']?.value).toBe(expected.measurement.executedToDate);
        expectStatusCell(row['Estado']?.cell as ExcelJS.Cell, expected.status);
      }
      expect(headers).not.toContain('Dependencia');
      expect(ws.getCell(TITLE_ROW + 1, 1).value).toBe(`Dependencia: ${department.name} (${department.code})`);
      expectFrozenHeaderWithFilter(ws, headerRow, headers.length, headerRow + lagging.length);
    }

    const one = await exportMatrix(handle.db, { kind: 'quarterly', fiscalYear: YEAR, quarter: 2, departmentCode: 'SSAL', thresholds, generatedAt });
    expect(one.fileName).toBe('matriz-rezagadas-trimestre-2026-T2-SSAL.xlsx');
    const single = await readWorkbook(one.content);
    expect(single.worksheets).toHaveLength(1);
    expect(readTable(single.worksheets[0] as ExcelJS.Worksheet).rows.map((r) => r['Código']?.value).sort()).toEqual(
      expectedQ2.filter((g) => g.department === 'SSAL' && isFlagged(g.status)).map((g) => g.code).sort(),
    );
    // Over-achieved goals are listed and marked as such (the alert asks about them too).
    expect(expectedQ2.some((g) => g.status === 'overachieved')).toBe(true);
    const overachieved = readTable(workbook.worksheets.find((w) => w.name.startsWith(expectedQ2.find((g) => g.status === 'overachieved')?.department ?? '')) as ExcelJS.Worksheet).rows.filter(
      (r) => r['Estado']?.value === 'Sobrecumplida',
    );
    expect(overachieved.length).toBeGreaterThan(0);
  });

  it('exports the cumulative matrix in Q3 with every goal that lagged in any quarter', async () => {
    const perQuarter = ([1, 2, 3] as const).map((q) => expectedDemo(q));
    const expected = demoGoals.filter((_, i) => perQuarter.some((goals) => laggedInMatrix((goals[i] as ExpectedGoal).status)));
    const file = await exportMatrix(handle.db, { kind: 'cumulative', fiscalYear: YEAR, quarter: 3, thresholds, generatedAt });
    expect(file.fileName).toBe('matriz-rezagadas-acumuladas-2026-T3.xlsx');
    const ws = (await readWorkbook(file.content)).worksheets[0] as ExcelJS.Worksheet;
    const { headerRow, headers, rows } = readTable(ws);
    expect(headers).toEqual(expect.arrayContaining(['T1 esperado', 'T1 ejecutado', 'T1 estado', 'T3 estado']));
    expect(headers).not.toContain('T4 estado');
    expect(rows.map((r) => r['Código']?.value)).toEqual(expected.map((g) => g.code).sort());
    expect(rows.length).toBeGreaterThan(7);
    for (const row of rows) {
      const i = demoGoals.findIndex((g) => g.code === row['Código']?.value);
      for (const q of [1, 2, 3] as const) {
        const goal = perQuarter[q - 1]?.[i] as ExpectedGoal;
        expect(row[`T${q} esperado`]?.value).toBeCloseTo(goal.measurement.expectedToDate, 6);
        expect(row[`T${q} ejecutado`]?.value).toBe(goal.measurement.executedToDate);
        expectStatusCell(row[`T${q} estado`]?.cell as ExcelJS.Cell, goal.status);
      }
    }
    expectFrozenHeaderWithFilter(ws, headerRow, headers.length, headerRow + expected.length);

    const q4 = await exportMatrix(handle.db, { kind: 'cumulative', fiscalYear: YEAR, quarter: 4, thresholds, generatedAt });
    expect(readTable((await readWorkbook(q4.content)).worksheets[0] as ExcelJS.Worksheet).headers).toContain('T4 estado');
  });

  it('refuses what cannot be exported, in Spanish', async () => {
    await expectAppError(exportMatrix(handle.db, { kind: 'cumulative', fiscalYear: YEAR, quarter: 2, thresholds }), 'invalid_input', /tercer trimestre/);
    await expectAppError(
      exportMatrix(handle.db, { kind: 'quarterly', fiscalYear: YEAR, quarter: 2, departmentCode: 'SGOB', thresholds }),
      'not_found',
      /No existe la dependencia SGOB/,
    );
    await expectAppError(exportDashboard(handle.db, { fiscalYear: 2031, quarter: 2, thresholds, format: 'xlsx' }), 'year_outside_plan', /vigencia 2031.*2026/);
    await expectAppError(exportDashboard(handle.db, { fiscalYear: YEAR, quarter: 5, thresholds, format: 'xlsx' }), 'invalid_input', /Datos inválidos/);
    await expectAppError(
      exportDashboard(handle.db, { fiscalYear: YEAR, quarter: 2, thresholds, format: 'pdf' as 'xlsx' }),
      'invalid_input',
      /Datos inválidos/,
    );
    await expectAppError(exportMatrix(handle.db, { kind: 'justification', fiscalYear: YEAR, quarter: 2, thresholds }), 'not_found', /No hay revisiones/);
  });
});

// ---------- a stored cycle, typed-in texts and the departments' answers ----------

const REVIEW_SEDU = 'revision-2026-T2-SEDU';
const INJECTED_NAME = '=HYPERLINK("http://x","y")';
const INJECTED_PROGRAM = "+cmd|' /C calc'!A0";
const SCRIPT = '<script>alert("x")</script>';

const answerReprogram: GoalAnswer = {
  goalCode: '2201002-01',
  action: 'reprogram',
  justification: INJECTED_PROGRAM,
  commitment: 'Formar 150 docentes en el segundo semestre con apoyo del Ministerio.',
  newQuarterlyTargets: [10, 20, 60, 60],
};
const answerKeepFirst: GoalAnswer = {
  goalCode: '2201004-01',
  action: 'keep',
  justification: 'Primera versión de la justificación',
  commitment: 'Primera versión del compromiso',
};
const answerKeepFinal: GoalAnswer = { goalCode: '2201004-01', action: 'keep', justification: '-2+3', commitment: SCRIPT };
const answerKeepSum: GoalAnswer = {
  goalCode: '2202001-01',
  action: 'keep',
  justification: '@SUM(1)',
  commitment: 'Reducir la deserción con la estrategia de permanencia escolar.',
};

describe('reports of a stored cycle with typed-in texts and answers', () => {
  let handle: DatabaseHandle;
  let snapshotGoals: CycleGoalView[];
  const paginationCodes = Array.from({ length: 13 }, (_, i) => `9999${String(i + 1).padStart(3, '0')}-01`);

  /** Every machine step of one goal in a review, as recordGoalStates stores them. */
  async function recordSteps(reviewWorkflowId: string, classified: ClassifiedGoal, steps: { state: string; event: string; answer?: GoalAnswer | null }[]) {
    let answer: GoalAnswer | null = null;
    await handle.db.insert(t.goalReviewStates).values(
      steps.map((step, sequence) => {
        if (step.answer !== undefined) answer = step.answer;
        return {
          reviewWorkflowId,
          goalCode: classified.goal.goalCode,
          sequence,
          state: step.state,
          event: step.event,
          snapshot: {
            value: step.state,
            context: { ...classified.state.context, alertedAt: '2026-07-02T14:00:00.000Z', deadline: '2026-07-17T05:00:00.000Z', answer },
          },
        };
      }),
    );
  }

  beforeAll(async () => {
    handle = await openPglite();
    const { db } = handle;
    await loadDemoData(db, { planYears: [YEAR], progressYear: YEAR });
    await db.insert(t.plans).values({
      id: 1,
      name: 'Plan de Desarrollo Municipal 2024–2027',
      municipality: 'Pasto',
      daneCode: '52001',
      termStartYear: 2024,
      termEndYear: 2027,
    });
    // Texts typed by people: they must reach the files as text, never as formulas or markup.
    const typed = [
      { code: 'INJ-001', departmentCode: 'SEDU', name: INJECTED_NAME, program: INJECTED_PROGRAM, indicator: SCRIPT },
      { code: 'INJ-002', departmentCode: 'SEDU', name: SCRIPT, program: '2201 Calidad y fomento de la educación', indicator: '@SUM(1)' },
      { code: 'NE-001', departmentCode: 'SSAL', name: 'Meta sin programación en la vigencia', program: '1905 Salud pública', indicator: 'Meta' },
      ...paginationCodes.map((code, i) => ({ code, departmentCode: 'SINF', name: `Obra rural número ${i + 1}`, program: '2402 Infraestructura de transporte', indicator: 'Obras' })),
    ];
    const lineOf: Record<string, string> = Object.fromEntries(demoGoals.map((g) => [g.department, g.line]));
    await db.insert(t.goals).values(
      typed.map((g) => ({ ...g, strategicLine: lineOf[g.departmentCode] as string, unit: 'Número', termTarget: 40, accumulation: 'sum' as const })),
    );
    await db.insert(t.goalProgramming).values(
      typed.map((g) => ({
        goalCode: g.code,
        fiscalYear: YEAR,
        version: 1,
        annualTarget: g.code === 'NE-001' ? null : 10,
        quarterlyTargets: g.code === 'NE-001' ? null : ([2.5, 2.5, 2.5, 2.5] as [number, number, number, number]),
        reason: 'prueba',
        createdBy: 'prueba',
      })),
    );
    // Reported as 0 in T1 and T2: no iniciadas (without a report they would be "sin reporte").
    await db.insert(t.goalProgress).values(
      typed
        .filter((g) => g.code !== 'NE-001')
        .flatMap((g) => [1, 2].map((quarter) => ({ goalCode: g.code, fiscalYear: YEAR, quarter, version: 1, executed: 0, reportedBy: 'prueba' }))),
    );

    // The cycle's dashboard, classified as the workflow does; one goal differs from today's data so
    // the test can tell the stored dashboard from a live one.
    const activities = createActivities({ db, timeZone: 'America/Bogota' });
    const classified = classifyGoals((await activities.loadQuarter({ fiscalYear: YEAR })).goals, 2, thresholds);
    snapshotGoals = classified.map(({ goal, state }) => ({
      goalCode: goal.goalCode,
      departmentCode: goal.departmentCode,
      strategicLine: goal.strategicLine,
      state: state.value,
      status: state.context.status,
      measurement: state.context.measurement,
    }));
    const changed = snapshotGoals.find((g) => g.goalCode === '2201001-01') as CycleGoalView;
    expect(changed.status).toBe('onTrack');
    changed.status = 'behind';
    changed.state = 'behind';
    await db.insert(t.dashboardSnapshots).values({
      cycleWorkflowId: 'revision-2026-T2',
      fiscalYear: YEAR,
      quarter: 2,
      goals: snapshotGoals,
      totals: breakdown(snapshotGoals.map((g) => g.status as GoalStatus)).counts,
      cumulativeLagging: null,
    });
    await db.insert(t.dashboardSnapshots).values({
      cycleWorkflowId: 'revision-2026-T3',
      fiscalYear: YEAR,
      quarter: 3,
      goals: snapshotGoals,
      totals: {},
      cumulativeLagging: [
        {
          goalCode: '1906003-01',
          departmentCode: 'SSAL',
          byQuarter: [
            { quarter: 1, status: 'behind', expectedToDate: 6, executedToDate: 2 },
            { quarter: 2, status: 'behind', expectedToDate: 12, executedToDate: 5 },
            { quarter: 3, status: 'onTrack', expectedToDate: 18, executedToDate: 17 },
          ],
        },
      ],
    });

    // The departments' reviews: answers (one revised after a request for changes), a
    // reprogramming applied, a constancia de negativa, and one still waiting.
    const of = (code: string) => classified.find((c) => c.goal.goalCode === code) as ClassifiedGoal;
    const opening = (status: string) => [
      { state: status, event: 'progress.reported' },
      { state: 'alerted', event: 'alert.sent' },
      { state: 'awaitingResponse', event: 'response.window.opened' },
    ];
    await recordSteps(REVIEW_SEDU, of('2201002-01'), [
      ...opening('behind'),
      { state: 'responseReceived', event: 'response.submitted', answer: answerReprogram },
      { state: 'underAgreement', event: 'agreement.opened' },
      { state: 'reprogrammed', event: 'response.approved' },
    ]);
    await recordSteps(REVIEW_SEDU, of('2201004-01'), [
      ...opening('notStarted'),
      { state: 'responseReceived', event: 'response.submitted', answer: answerKeepFirst },
      { state: 'underAgreement', event: 'agreement.opened' },
      { state: 'awaitingResponse', event: 'changes.requested' },
      { state: 'responseReceived', event: 'response.submitted', answer: answerKeepFinal },
      { state: 'underAgreement', event: 'agreement.opened' },
      { state: 'keptWithCommitment', event: 'response.approved' },
    ]);
    await recordSteps(REVIEW_SEDU, of('2202001-01'), [
      ...opening('behind'),
      { state: 'responseReceived', event: 'response.submitted', answer: answerKeepSum },
      { state: 'underAgreement', event: 'agreement.opened' },
      { state: 'keptWithCommitment', event: 'response.approved' },
    ]);
    for (const code of ['1905002-01', '1906003-01']) {
      await recordSteps('revision-2026-T2-SSAL', of(code), [...opening('behind'), { state: 'noAdjustment', event: 'deadline.passed' }]);
    }
    await recordSteps('revision-2026-T2-SINF', of('2402003-01'), opening('notStarted'));
    // Another quarter's review must not leak into T2.
    await recordSteps('revision-2026-T1-SEDU', of('2201005-01'), opening('behind'));
    const [reprogramming] = await db
      .insert(t.reprogrammings)
      .values({
        reviewWorkflowId: REVIEW_SEDU,
        goalCode: '2201002-01',
        fiscalYear: YEAR,
        before: { annualTarget: 200, quarterlyTargets: [50, 50, 50, 50] },
        after: { annualTarget: 150, quarterlyTargets: [10, 20, 60, 60], futureAnnualTargets: { '2027': 250 } },
        justification: answerReprogram.justification,
        commitment: answerReprogram.commitment,
        approvedBy: 'Coordinador MMSE',
        decisionRound: 1,
      })
      .returning({ id: t.reprogrammings.id });
    await db.insert(t.goalProgramming).values({
      goalCode: '2201002-01',
      fiscalYear: YEAR,
      version: 2,
      annualTarget: 150,
      quarterlyTargets: [10, 20, 60, 60],
      reason: 'Reprogramación',
      createdBy: 'Coordinador MMSE',
      reprogrammingId: reprogramming?.id ?? null,
    });
  });
  afterAll(() => handle?.close());

  it('uses the tablero the cycle stored, not today’s data', async () => {
    const report = await loadQuarterReport(handle.db, { fiscalYear: YEAR, quarter: 2, thresholds });
    expect(report.source).toBe('cycle');
    expect(report.municipality).toBe('Pasto');
    expect(report.goals.find((g) => g.goalCode === '2201001-01')?.status).toBe('behind');
    // 2201002-01 was reprogrammed after the cycle: the dashboard keeps the programming it was classified with.
    expect(report.goals.find((g) => g.goalCode === '2201002-01')?.annualTarget).toBe(200);

    const file = await exportDashboard(handle.db, { fiscalYear: YEAR, quarter: 2, thresholds, format: 'xlsx', generatedAt });
    const workbook = await readWorkbook(file.content);
    const metas = sheet(workbook, 'Metas');
    const { rows } = readTable(metas);
    expect(rows).toHaveLength(snapshotGoals.length);
    for (const stored of snapshotGoals) {
      const row = rows.find((r) => r['Código']?.value === stored.goalCode) as Record<string, TableCell>;
      expectStatusCell(row['Estado']?.cell as ExcelJS.Cell, stored.status as GoalStatus);
      expect(row['Programado año']?.value).toBe(stored.measurement?.annualTarget ?? null);
      expect(row['Esperado a la fecha']?.value).toBe(stored.measurement?.expectedToDate ?? null);
    }
    const titles = titleText(metas);
    expect(titles).toContain('Municipio: Pasto · Plan: Plan de Desarrollo Municipal 2024–2027');
    expect(titles).toContain('Fuente: clasificación del ciclo revision-2026-T2');

    // The goal without programming is counted but is not part of the percentage base.
    const summary = readTable(sheet(workbook, 'Resumen'), 'Ámbito');
    const plan = summary.rows.find((r) => r['Ámbito']?.value === 'Plan') as Record<string, TableCell>;
    expect(plan['Nombre']?.value).toBe('Plan de Desarrollo Municipal 2024–2027');
    expect(plan['Total de metas']?.value).toBe(snapshotGoals.length);
    expect(plan['No evaluada (n)']?.value).toBe(1);
    expect(plan['Evaluadas']?.value).toBe(snapshotGoals.length - 1);
    const onTrack = snapshotGoals.filter((g) => g.status === 'onTrack').length;
    expect(plan['Al día (%)']?.value as number).toBeCloseTo(onTrack / (snapshotGoals.length - 1), 9);
  });

  it('writes typed-in formulas as neutralised text and markup as literal text', async () => {
    const file = await exportDashboard(handle.db, { fiscalYear: YEAR, quarter: 2, thresholds, format: 'xlsx', generatedAt });
    const workbook = await readWorkbook(file.content);
    const { rows } = readTable(sheet(workbook, 'Metas'));
    const injected = rows.find((r) => r['Código']?.value === 'INJ-001') as Record<string, TableCell>;
    expect(injected['Meta de producto']?.value).toBe(`'${INJECTED_NAME}`);
    expect(injected['Meta de producto']?.cell.type).toBe(ExcelJS.ValueType.String);
    expect(injected['Meta de producto']?.cell.formula).toBeUndefined();
    expect(injected['Programa']?.value).toBe(`'${INJECTED_PROGRAM}`);
    expect(injected['Indicador']?.value).toBe(SCRIPT);
    const script = rows.find((r) => r['Código']?.value === 'INJ-002') as Record<string, TableCell>;
    expect(script['Meta de producto']?.value).toBe(SCRIPT);
    expect(script['Indicador']?.value).toBe("'@SUM(1)");
    // No sheet of the file holds a formula.
    const zip = await JSZip.loadAsync(file.content);
    for (const name of Object.keys(zip.files).filter((n) => n.startsWith('xl/worksheets/sheet'))) {
      expect(await (zip.file(name) as JSZip.JSZipObject).async('string')).not.toMatch(/<f[ >]/);
    }

    const matrix = await exportMatrix(handle.db, { kind: 'quarterly', fiscalYear: YEAR, quarter: 2, departmentCode: 'SEDU', thresholds, generatedAt });
    const sedu = readTable((await readWorkbook(matrix.content)).worksheets[0] as ExcelJS.Worksheet).rows;
    expect(sedu.find((r) => r['Código']?.value === 'INJ-001')?.['Meta de producto']?.value).toBe(`'${INJECTED_NAME}`);
    expect(sedu.map((r) => r['Código']?.value).sort()).toEqual(
      snapshotGoals.filter((g) => g.departmentCode === 'SEDU' && isFlagged(g.status as GoalStatus)).map((g) => g.goalCode).sort(),
    );
  });

  it('paginates a department with many lagging goals and keeps markup literal on slides', async () => {
    const file = await exportDashboard(handle.db, { fiscalYear: YEAR, quarter: 2, thresholds, format: 'pptx', generatedAt });
    const { slides } = await readSlides(file.content);
    const lagging = (code: string) => snapshotGoals.filter((g) => g.departmentCode === code && isLagging(g.status as GoalStatus)).map((g) => g.goalCode);
    // 14 rezagadas (the demo's 2402003-01 has no report: sin reporte, not rezagada).
    expect(lagging('SINF')).toHaveLength(14);
    const lines = new Set(snapshotGoals.map((g) => g.strategicLine)).size;
    // SEDU and SSAL fit on one slide each; SINF needs two.
    expect(slides).toHaveLength(1 + 1 + lines + 1 + 2 + 1);
    expect(slides[0]?.text).toContain('Pasto');
    expect(slides[0]?.text).toContain('Plan de Desarrollo Municipal 2024–2027');

    const sinf = slides.filter((s) => s.text[0]?.startsWith('Secretaría de Infraestructura: metas rezagadas'));
    expect(sinf.map((s) => s.text[0])).toEqual([
      'Secretaría de Infraestructura: metas rezagadas (1 de 2)',
      'Secretaría de Infraestructura: metas rezagadas (2 de 2)',
    ]);
    const codesOn = (s: Slide) => s.text.filter((x) => lagging('SINF').includes(x));
    expect(codesOn(sinf[0] as Slide)).toHaveLength(12);
    expect([...codesOn(sinf[0] as Slide), ...codesOn(sinf[1] as Slide)].sort()).toEqual(lagging('SINF').sort());

    const sedu = slides.find((s) => s.text[0] === 'Secretaría de Educación: metas rezagadas') as Slide;
    expect(sedu.text.filter((x) => /^(\d{7}-\d{2}|INJ-\d{3})$/.test(x)).sort()).toEqual(lagging('SEDU').sort());
    expect(sedu.text).toContain(SCRIPT);
    expect(sedu.xml).toContain('&lt;script&gt;');
    expect(sedu.xml).not.toContain('<script>');
  });

  it('loads the latest answer of each goal and the outcome of its review', async () => {
    const report = await loadJustifications(handle.db, { fiscalYear: YEAR, quarter: 2 });
    expect(report.rows.map((r) => [r.goalCode, r.outcome])).toEqual([
      ['2201002-01', 'reprogrammed'],
      ['2201004-01', 'kept'],
      ['2202001-01', 'kept'],
      ['2402003-01', 'pending'],
      ['1905002-01', 'noAdjustment'],
      ['1906003-01', 'noAdjustment'],
    ]);
    const kept = report.rows.find((r) => r.goalCode === '2201004-01');
    expect(kept?.answer).toMatchObject({ action: 'keep', justification: '-2+3', commitment: SCRIPT });
    const reprogrammed = report.rows.find((r) => r.goalCode === '2201002-01');
    expect(reprogrammed?.answer?.newQuarterlyTargets).toEqual([10, 20, 60, 60]);
    expect(reprogrammed?.before).toEqual({ annualTarget: 200, quarterlyTargets: [50, 50, 50, 50], futureAnnualTargets: null });
    expect(reprogrammed?.after?.futureAnnualTargets).toEqual({ '2027': 250 });
    const sedu = await loadJustifications(handle.db, { fiscalYear: YEAR, quarter: 2, departmentCode: 'SEDU' });
    expect(sedu.rows.map((r) => r.goalCode)).toEqual(['2201002-01', '2201004-01', '2202001-01']);
  });

  it('exports the matrix of lagging goals with justification', async () => {
    const file = await exportMatrix(handle.db, { kind: 'justification', fiscalYear: YEAR, quarter: 2, thresholds, generatedAt });
    expect(file.fileName).toBe('matriz-rezagadas-justificacion-2026-T2.xlsx');
    const ws = (await readWorkbook(file.content)).worksheets[0] as ExcelJS.Worksheet;
    const { headerRow, headers, rows } = readTable(ws);
    expect(rows.map((r) => r['Código']?.value)).toEqual(['2201002-01', '2201004-01', '2202001-01', '2402003-01', '1905002-01', '1906003-01']);
    expectFrozenHeaderWithFilter(ws, headerRow, headers.length, headerRow + 6);
    const row = (code: string) => rows.find((r) => r['Código']?.value === code) as Record<string, TableCell>;

    const reprogrammed = row('2201002-01');
    expect(reprogrammed['Acción propuesta']?.value).toBe('Reprogramar');
    expect(reprogrammed['Justificación']?.value).toBe(`'${INJECTED_PROGRAM}`);
    expect(reprogrammed['Compromiso']?.value).toBe(answerReprogram.commitment);
    expect(reprogrammed['Resultado']?.value).toBe('Reprogramada');
    expect(['Programado año anterior', 'T1 anterior', 'T2 anterior', 'T3 anterior', 'T4 anterior'].map((h) => reprogrammed[h]?.value)).toEqual([200, 50, 50, 50, 50]);
    expect(['Programado año nueva', 'T1 nueva', 'T2 nueva', 'T3 nueva', 'T4 nueva'].map((h) => reprogrammed[h]?.value)).toEqual([150, 10, 20, 60, 60]);
    expect(reprogrammed['Vigencias futuras (antes → después)']?.value).toBe('2027: — → 250');
    expect(reprogrammed['Aprobada por']?.value).toBe('Coordinador MMSE');
    expect(reprogrammed['Fecha de aprobación']?.value).toBeInstanceOf(Date);
    expect(reprogrammed['Altera la meta cuatrienio']?.value).toBe('No');
    expectStatusCell(reprogrammed['Estado en el trimestre']?.cell as ExcelJS.Cell, 'behind');

    const kept = row('2201004-01');
    expect(kept['Acción propuesta']?.value).toBe('Mantener la programación');
    expect(kept['Justificación']?.value).toBe("'-2+3");
    expect(kept['Compromiso']?.value).toBe(SCRIPT);
    expect(kept['Resultado']?.value).toBe('Programación mantenida con compromiso');
    expect(kept['Programado año nueva']?.value).toBeNull();
    // The demo reports nothing for this goal in T1 and T2: sin reporte.
    expectStatusCell(kept['Estado en el trimestre']?.cell as ExcelJS.Cell, 'noReport');
    expect(row('2202001-01')['Justificación']?.value).toBe("'@SUM(1)");

    expect(row('1905002-01')['Acción propuesta']?.value).toBe('Sin respuesta');
    expect(row('1905002-01')['Resultado']?.value).toBe('Sin respuesta: constancia de negativa de ajustes');
    expect(row('2402003-01')['Resultado']?.value).toBe('En trámite');

    const sedu = await exportMatrix(handle.db, { kind: 'justification', fiscalYear: YEAR, quarter: 2, departmentCode: 'SEDU', thresholds, generatedAt });
    expect(sedu.fileName).toBe('matriz-rezagadas-justificacion-2026-T2-SEDU.xlsx');
    const seduSheet = (await readWorkbook(sedu.content)).worksheets[0] as ExcelJS.Worksheet;
    expect(readTable(seduSheet).rows.map((r) => r['Código']?.value)).toEqual(['2201002-01', '2201004-01', '2202001-01']);
    expect(seduSheet.getCell(TITLE_ROW + 1, 1).value).toBe('Dependencia: Secretaría de Educación (SEDU)');
  });

  it('uses the cumulative matrix the Q3 cycle stored', async () => {
    const file = await exportMatrix(handle.db, { kind: 'cumulative', fiscalYear: YEAR, quarter: 3, thresholds, generatedAt });
    const ws = (await readWorkbook(file.content)).worksheets[0] as ExcelJS.Worksheet;
    const { rows } = readTable(ws);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.['Código']?.value).toBe('1906003-01');
    expect(rows[0]?.['T3 ejecutado']?.value).toBe(17);
    expectStatusCell(rows[0]?.['T3 estado']?.cell as ExcelJS.Cell, 'onTrack');
    expect(rows[0]?.['Trimestres rezagada']?.value).toBe('T1, T2');
    expect(titleText(ws)).toContain('matriz guardada por el ciclo revision-2026-T3');
  });
});
