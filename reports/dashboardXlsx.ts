import { accumulationLabels, goalStatusLabels } from '../domain/goals';
import { reportStatusOrder, summarize, unprogrammedStatuses, type DashboardGroup, type StatusBreakdown } from './dashboard';
import { DEFAULT_TIME_ZONE, formatDateTime, parseTimestamp, percentToShare, quarterTitle } from '../domain/format';
import type { RenderOptions } from './format';
import type { RecordHeader } from '../domain/recordFormats';
import type { QuarterReport, ReportGoal, ReportHeader } from './reportTypes';
import { addTableSheet, newWorkbook, sheetName, workbookBuffer, type Column } from './xlsxTable';

/** Context lines shared by every report of a quarter: municipality and plan, quarter, when it was generated. */
export function headerLines(header: ReportHeader, generatedAt: Date, timeZone: string): string[] {
  const plan = [header.municipality ? `Municipio: ${header.municipality}` : null, header.planName ? `Plan: ${header.planName}` : null]
    .filter(Boolean)
    .join(' · ');
  return [
    ...(plan ? [plan] : []),
    quarterTitle(header.fiscalYear, header.quarter),
    `Generado el ${formatDateTime(generatedAt, timeZone)}`,
  ];
}

/** Says where the statuses come from, so a reader knows whether this is the record sent out or a preview. */
export function sourceLine(report: Pick<QuarterReport, 'source' | 'cycleWorkflowId' | 'classifiedAt' | 'thresholds'>, timeZone: string): string {
  if (report.source === 'cycle') {
    const at = parseTimestamp(report.classifiedAt);
    return `Fuente: clasificación del ciclo ${report.cycleWorkflowId}${at ? `, guardada el ${formatDateTime(at, timeZone)}` : ''}.`;
  }
  const thresholds = report.thresholds
    ? ` Umbrales: atrasada por debajo del ${report.thresholds.behindBelowPercent} % de lo esperado; sobrecumplida por encima del ${report.thresholds.overachievedAbovePercent} % de la programación anual.`
    : '';
  return `Fuente: clasificación con los datos actuales, calculada con la programación actual (el ciclo ${report.cycleWorkflowId} aún no se ha iniciado y no hay veredicto registrado).${thresholds}`;
}

export const PERCENT_BASE_NOTE =
  'Los porcentajes se calculan sobre las metas evaluadas: las no evaluadas (sin programación en la vigencia) se cuentan, pero no entran en la base.';

/** Programme as "code name" unless the name already starts with its code. */
export const programText = (g: { programCode: string; program: string }) =>
  g.programCode && !g.program.startsWith(g.programCode) ? `${g.programCode} ${g.program}` : g.program;

/** The columns of one goal's measurement, shared by the dashboard and the quarterly matrix. */
export function goalColumns(options: { department: boolean }): Column<ReportGoal>[] {
  return [
    { header: 'Código', kind: 'text', value: (g) => g.goalCode, width: 14 },
    { header: 'Meta de producto', kind: 'longText', value: (g) => g.name, width: 40 },
    ...(options.department ? [{ header: 'Dependencia', kind: 'text', value: (g: ReportGoal) => g.departmentName, width: 28 } as const] : []),
    { header: 'Línea estratégica', kind: 'longText', value: (g) => g.strategicLine, width: 30 },
    { header: 'Programa', kind: 'longText', value: programText, width: 32 },
    { header: 'Indicador', kind: 'longText', value: (g) => g.indicator, width: 36 },
    { header: 'Unidad', kind: 'text', value: (g) => g.unit, width: 12 },
    { header: 'Tipo de acumulación', kind: 'text', value: (g) => accumulationLabels[g.accumulation], width: 22 },
    { header: 'Programado año', kind: 'number', value: (g) => g.annualTarget },
    { header: 'Esperado a la fecha', kind: 'number', value: (g) => g.expectedToDate },
    { header: 'Ejecutado a la fecha', kind: 'number', value: (g) => g.executedToDate },
    { header: '% avance a la fecha', kind: 'percent', value: (g) => percentToShare(g.progressPercent) },
    { header: 'Avance de la vigencia', kind: 'percent', value: (g) => percentToShare(g.avanceVigencia ?? g.annualPercent) },
    { header: 'Avance del cuatrienio', kind: 'percent', value: (g) => percentToShare(g.avanceCuatrienio) },
    { header: 'Estado', kind: 'status', value: (g) => g.status },
  ];
}

interface SummaryRow extends StatusBreakdown {
  scope: string;
  label: string;
}

function summaryColumns(): Column<SummaryRow>[] {
  const perStatus = reportStatusOrder.flatMap((status): Column<SummaryRow>[] => {
    const label = goalStatusLabels[status];
    const count: Column<SummaryRow> = { header: `${label} (n)`, kind: 'number', value: (r) => r.counts[status], headerStatus: status, width: 12 };
    // No evaluadas are outside the percentage base, so they have no percentage column.
    if (unprogrammedStatuses.includes(status)) return [count];
    return [count, { header: `${label} (%)`, kind: 'percent', value: (r) => r.shares[status], headerStatus: status, width: 12 }];
  });
  return [
    { header: 'Ámbito', kind: 'text', value: (r) => r.scope, width: 18 },
    { header: 'Nombre', kind: 'longText', value: (r) => r.label, width: 40 },
    { header: 'Total de metas', kind: 'number', value: (r) => r.total, width: 11 },
    { header: 'Evaluadas', kind: 'number', value: (r) => r.evaluated, width: 11 },
    ...perStatus,
    { header: 'Rezagadas (n)', kind: 'number', value: (r) => r.lagging, width: 12 },
    { header: 'Rezagadas (%)', kind: 'percent', value: (r) => r.laggingShare, width: 12 },
  ];
}

/** Tablero de control (PE_F_024): sheet "Resumen" (plan, líneas, dependencias) and sheet "Metas". */
export async function buildDashboardXlsx(report: QuarterReport, options: RenderOptions & { header?: RecordHeader } = {}): Promise<Buffer> {
  const generatedAt = options.generatedAt ?? new Date();
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const dashboard = summarize(report.goals);
  // The format's code as the format table has it (what the header above says too).
  const code = options.header?.format.code ?? 'PE_F_024';
  const workbook = newWorkbook(`Tablero de control (${code}) ${report.fiscalYear}-T${report.quarter}`, generatedAt);
  const used = new Set<string>();
  const context = [...headerLines(report, generatedAt, timeZone), sourceLine(report, timeZone)];

  const group = (scope: string) => (g: DashboardGroup): SummaryRow => ({ ...g, scope });
  addTableSheet(workbook, {
    name: sheetName('Resumen', used),
    title: [`Tablero de control (${code}): resumen por estado`, ...context, PERCENT_BASE_NOTE],
    header: options.header,
    columns: summaryColumns(),
    rows: [
      { ...dashboard.plan, scope: 'Plan', label: report.planName ?? 'Todo el plan' },
      ...dashboard.byLine.map(group('Línea estratégica')),
      ...dashboard.byDepartment.map(group('Dependencia')),
    ],
    statusLabel: (s) => goalStatusLabels[s],
  });

  addTableSheet(workbook, {
    name: sheetName('Metas', used),
    title: [`Tablero de control (${code}): metas de producto`, ...context],
    header: options.header,
    columns: goalColumns({ department: true }),
    rows: report.goals,
    statusLabel: (s) => goalStatusLabels[s],
  });
  return workbookBuffer(workbook);
}
