import { z } from 'zod';
import type { Database } from '../db/client';
import { programmedYears } from '../db/queries';
import { fiscalYearSchema, quarterSchema, type Quarter, type Thresholds } from '../domain/goals';
import { describeIssues } from '../domain/review';
import { AppError } from '../domain/errors';
import type { RenderOptions } from './format';
import { fileNamePart } from '../domain/format';
import { buildCumulativeLaggingMatrix, buildJustificationMatrix, buildQuarterlyLaggingMatrix } from './matricesXlsx';
import { buildPresentationPptx, PPTX_CONTENT_TYPE } from './presentationPptx';
import { assertCumulativeQuarter, loadCumulativeLagging, loadQuarterReport } from './quarterData';
import { loadJustifications } from './justifications';
import { requireDepartment } from './reportLookups';
import { buildDashboardXlsx } from './dashboardXlsx';
import { XLSX_CONTENT_TYPE } from './xlsxTable';
import { loadRecordHeader } from '../documents/recordHeader';
import type { RecordFormatKey } from '../domain/recordFormats';

export { PPTX_CONTENT_TYPE } from './presentationPptx';
export { XLSX_CONTENT_TYPE } from './xlsxTable';
export { statusColors, reportStatusOrder, summarize, breakdown } from './dashboard';
export { loadQuarterReport, loadCumulativeLagging } from './quarterData';
export { loadJustifications } from './justifications';
export type { QuarterReport, ReportGoal, CumulativeLaggingReport, JustificationReport, JustificationRow, ReportSource } from './reportTypes';
export { neutralizeText, safeCell, csvField, toCsv } from './sanitize';

export interface ExportedFile {
  fileName: string;
  contentType: string;
  content: Buffer;
}

export type DashboardFormat = 'xlsx' | 'pptx';
export type MatrixKind = 'quarterly' | 'cumulative' | 'justification';

const thresholdsSchema = z.object({
  behindBelowPercent: z.number({ message: 'umbral de atrasada: debe ser un número' }).min(0).max(1000),
  overachievedAbovePercent: z.number({ message: 'umbral de sobrecumplida: debe ser un número' }).min(0).max(1000),
});

const departmentCodeSchema = z
  .string({ message: 'dependencia: debe ser un código' })
  .trim()
  .min(1, 'dependencia: indique el código')
  .max(40, 'dependencia: código demasiado largo');

const dashboardExportSchema = z.object({
  fiscalYear: fiscalYearSchema,
  quarter: quarterSchema,
  thresholds: thresholdsSchema,
  format: z.enum(['xlsx', 'pptx'], { message: 'formato: use "xlsx" (hoja de cálculo) o "pptx" (presentación)' }),
});

const matrixSchema = z.object({
  kind: z.enum(['quarterly', 'cumulative', 'justification'], {
    message: 'tipo de matriz: use "quarterly" (del trimestre), "cumulative" (acumuladas) o "justification" (con justificación)',
  }),
  fiscalYear: fiscalYearSchema,
  quarter: quarterSchema,
  departmentCode: departmentCodeSchema.optional(),
  thresholds: thresholdsSchema,
});

function parse<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new AppError('invalid_input', `Datos inválidos para ${what}`, describeIssues(parsed.error));
  return parsed.data;
}

/** Every export is about a programmed year: say which years exist instead of producing an empty file. */
async function requireProgrammedYear(db: Database, fiscalYear: number) {
  const years = await programmedYears(db);
  if (!years.includes(fiscalYear)) {
    throw new AppError(
      'year_outside_plan',
      `No hay metas programadas para la vigencia ${fiscalYear}: hay programación para ${years.length ? years.join(', ') : 'ninguna vigencia (importe el Plan Indicativo)'}`,
    );
  }
}

const period = (fiscalYear: number, quarter: number) => `${fiscalYear}-T${quarter}`;

/** The dashboard (tablero de control) (PE_F_024) as a workbook, or the quarter's presentation for the Consejo de Gobierno. */
export async function exportDashboard(
  db: Database,
  input: { fiscalYear: number; quarter: number; thresholds: Thresholds; format: DashboardFormat; departmentCode?: string } & RenderOptions,
): Promise<ExportedFile> {
  const { fiscalYear, quarter, thresholds, format } = parse(dashboardExportSchema, input, 'exportar el tablero de control');
  const render: RenderOptions = { generatedAt: input.generatedAt, timeZone: input.timeZone };
  await requireProgrammedYear(db, fiscalYear);
  // A liaison's dashboard has only its department's goals (auth/scope.ts).
  const department = input.departmentCode ? await requireDepartment(db, input.departmentCode) : undefined;
  const report = await loadQuarterReport(db, { fiscalYear, quarter: quarter as Quarter, thresholds, departmentCode: department?.code });
  const header = await loadRecordHeader(db, {
    format: 'dashboard',
    fiscalYear,
    municipality: report.municipality,
    title: format === 'pptx' ? 'Seguimiento trimestral del Plan de Desarrollo' : 'Tablero de control',
  });
  if (format === 'pptx') {
    return {
      fileName: `seguimiento-trimestral-${period(fiscalYear, quarter)}${department ? `-${fileNamePart(department.code)}` : ''}.pptx`,
      contentType: PPTX_CONTENT_TYPE,
      content: await buildPresentationPptx(report, { ...render, header }),
    };
  }
  return {
    fileName: `tablero-control-${period(fiscalYear, quarter)}${department ? `-${fileNamePart(department.code)}` : ''}.xlsx`,
    contentType: XLSX_CONTENT_TYPE,
    content: await buildDashboardXlsx(report, { ...render, header }),
  };
}

const matrixFormats: Record<MatrixKind, RecordFormatKey> = {
  quarterly: 'quarterlyMatrix',
  cumulative: 'cumulativeMatrix',
  justification: 'justificationMatrix',
};

const matrixFileNames: Record<MatrixKind, string> = {
  quarterly: 'matriz-rezagadas-trimestre',
  cumulative: 'matriz-rezagadas-acumuladas',
  justification: 'matriz-rezagadas-justificacion',
};

/**
 * The matrices of PE-P-008: of the quarter (task 3, per department), accumulated (task 4, third or
 * fourth quarter) and with justification (task 5, once departments answered).
 */
export async function exportMatrix(
  db: Database,
  input: { kind: MatrixKind; fiscalYear: number; quarter: number; departmentCode?: string; thresholds: Thresholds } & RenderOptions,
): Promise<ExportedFile> {
  const { kind, fiscalYear, quarter: rawQuarter, departmentCode, thresholds } = parse(matrixSchema, input, 'exportar la matriz');
  const quarter = rawQuarter as Quarter;
  const render: RenderOptions = { generatedAt: input.generatedAt, timeZone: input.timeZone };
  if (kind === 'cumulative') assertCumulativeQuarter(quarter);
  const department = departmentCode ? await requireDepartment(db, departmentCode) : undefined;
  await requireProgrammedYear(db, fiscalYear);
  const fileName = `${matrixFileNames[kind]}-${period(fiscalYear, quarter)}${department ? `-${fileNamePart(department.code)}` : ''}.xlsx`;

  const headerOf = (report: { municipality: string | null }) => loadRecordHeader(db, { format: matrixFormats[kind], fiscalYear, municipality: report.municipality });
  let content: Buffer;
  switch (kind) {
    case 'quarterly': {
      const report = await loadQuarterReport(db, { fiscalYear, quarter, thresholds, departmentCode: department?.code });
      content = await buildQuarterlyLaggingMatrix(report, { ...render, department, header: await headerOf(report) });
      break;
    }
    case 'cumulative': {
      const report = await loadCumulativeLagging(db, { fiscalYear, quarter, thresholds });
      content = await buildCumulativeLaggingMatrix(report, { ...render, department, header: await headerOf(report) });
      break;
    }
    case 'justification': {
      const report = await loadJustifications(db, { fiscalYear, quarter, departmentCode: department?.code });
      if (report.rows.length === 0) {
        throw new AppError(
          'not_found',
          `No hay revisiones de dependencias registradas para la vigencia ${fiscalYear}, trimestre ${quarter}${department ? `, dependencia ${department.name}` : ''}: la matriz con justificación se genera después de enviar las alertas del ciclo`,
        );
      }
      content = await buildJustificationMatrix(report, { ...render, department, header: await headerOf(report) });
      break;
    }
  }
  return { fileName, contentType: XLSX_CONTENT_TYPE, content };
}
export { actionPlanVersions, actionPlanVersionOfReview, loadActionPlan } from './actionPlan';
export type { ActionPlanVersion } from './actionPlan';
export { exportActionPlan } from './actionPlanXlsx';
