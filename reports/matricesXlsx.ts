import { accumulationLabels, goalStatusLabels, isFlagged, type GoalStatus, type YearProgramming } from '../domain/goals';
import { isLagging } from './dashboard';
import { byAlertPriority } from '../domain/goalPriority';
import { DEFAULT_TIME_ZONE, formatNumber, parseTimestamp, percentToShare } from '../domain/format';
import { excelLocalDate, type RenderOptions } from './format';
import {
  justificationOutcomeLabels,
  type CumulativeLaggingGoal,
  type CumulativeLaggingReport,
  type JustificationReport,
  type JustificationRow,
  type QuarterReport,
} from './reportTypes';
import { goalColumns, headerLines, programText, sourceLine } from './dashboardXlsx';
import type { RecordHeader } from '../domain/recordFormats';
import { addTableSheet, newWorkbook, sheetName, workbookBuffer, type Column } from './xlsxTable';
import { addConsolidationSheet } from './consolidationSheet';

const statusLabel = (s: GoalStatus) => goalStatusLabels[s];

const departmentLine = (department: { code: string; name: string } | null) =>
  department ? `Dependencia: ${department.name} (${department.code})` : 'Todas las dependencias';

/**
 * Matriz de metas rezagadas del trimestre (PE-P-008 task 3): the no iniciadas and atrasadas of each
 * department, one sheet per department (or only the one asked for: the e-mail attachment of its alert).
 * A department without lagging goals keeps its sheet, with the count in the title, so "none" is explicit.
 */
export async function buildQuarterlyLaggingMatrix(
  report: QuarterReport,
  options: RenderOptions & { department?: { code: string; name: string }; header?: RecordHeader } = {},
): Promise<Buffer> {
  const generatedAt = options.generatedAt ?? new Date();
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const workbook = newWorkbook(`Matriz de metas rezagadas del trimestre ${report.fiscalYear}-T${report.quarter}`, generatedAt);
  const used = new Set<string>();
  // A department asked for that has no goals this year still gets its (empty) matrix.
  const departments = options.department ? [options.department] : report.departments;
  for (const department of departments) {
    // The goals the alert asks about (rezagadas, sin reporte, sobrecumplidas), each marked as such, in the alert's order.
    const listed = report.goals.filter((g) => g.departmentCode === department.code && isFlagged(g.status)).sort(byAlertPriority);
    const lagging = listed.filter((g) => isLagging(g.status)).length;
    const notStarted = listed.filter((g) => g.status === 'notStarted').length;
    const noReport = listed.filter((g) => g.status === 'noReport').length;
    addTableSheet(workbook, {
      name: sheetName(`${department.code} ${department.name}`, used),
      header: options.header,
      title: [
        'Matriz de metas rezagadas del trimestre',
        departmentLine(department),
        ...headerLines(report, generatedAt, timeZone),
        `Metas rezagadas: ${lagging} (no iniciadas: ${notStarted}; atrasadas: ${lagging - notStarted}). Sin reporte: ${noReport}. Sobrecumplidas: ${listed.length - lagging - noReport}. ${sourceLine(report, timeZone)}`,
      ],
      columns: goalColumns({ department: false }),
      rows: listed,
      statusLabel,
    });
  }
  return workbookBuffer(workbook);
}

/**
 * Matriz de metas rezagadas acumuladas (PE-P-008 task 4, third quarter): every goal that lagged in any
 * quarter of the year, with expected, executed and status per quarter. One consolidated sheet, since
 * the coordinator filters it by dependencia; `department` narrows it to one department.
 */
export async function buildCumulativeLaggingMatrix(
  report: CumulativeLaggingReport,
  options: RenderOptions & { department?: { code: string; name: string }; header?: RecordHeader } = {},
): Promise<Buffer> {
  const generatedAt = options.generatedAt ?? new Date();
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const workbook = newWorkbook(`Matriz de metas rezagadas acumuladas ${report.fiscalYear}-T${report.quarter}`, generatedAt);
  const goals = options.department ? report.goals.filter((g) => g.departmentCode === options.department?.code) : report.goals;
  const quarterOf = (g: CumulativeLaggingGoal, q: number) => g.byQuarter.find((b) => b.quarter === q);
  const perQuarter = report.quarters.flatMap((q): Column<CumulativeLaggingGoal>[] => [
    { header: `T${q} esperado`, kind: 'number', value: (g) => quarterOf(g, q)?.expectedToDate ?? null },
    { header: `T${q} ejecutado`, kind: 'number', value: (g) => quarterOf(g, q)?.executedToDate ?? null },
    { header: `T${q} estado`, kind: 'status', value: (g) => quarterOf(g, q)?.status ?? null },
  ]);
  const recomputed = report.currentBasisQuarters.length
    ? ` ${report.currentBasisQuarters.map((q) => `T${q}`).join(', ')}: sin veredicto registrado, calculado con la programación actual.`
    : '';
  const source =
    report.source === 'cycle'
      ? `Fuente: matriz guardada por el ciclo ${report.cycleWorkflowId} con los veredictos registrados de cada trimestre.${recomputed}`
      : `Fuente: veredictos registrados por los ciclos de cada trimestre (el ciclo ${report.cycleWorkflowId} no la ha guardado).${recomputed}`;
  addTableSheet(workbook, {
    name: 'Rezagadas acumuladas',
    header: options.header,
    title: [
      'Matriz de metas rezagadas acumuladas',
      departmentLine(options.department ?? null),
      ...headerLines(report, generatedAt, timeZone),
      `Metas que estuvieron rezagadas (no iniciadas o atrasadas) en algún trimestre: ${goals.length}. Valores acumulados al cierre de cada trimestre. ${source}`,
    ],
    columns: [
      { header: 'Código', kind: 'text', value: (g) => g.goalCode, width: 14 },
      { header: 'Meta de producto', kind: 'longText', value: (g) => g.name, width: 40 },
      { header: 'Dependencia', kind: 'text', value: (g) => g.departmentName, width: 28 },
      { header: 'Línea estratégica', kind: 'longText', value: (g) => g.strategicLine, width: 30 },
      { header: 'Programa', kind: 'longText', value: programText, width: 32 },
      { header: 'Indicador', kind: 'longText', value: (g) => g.indicator, width: 36 },
      { header: 'Unidad', kind: 'text', value: (g) => g.unit, width: 12 },
      { header: 'Tipo de acumulación', kind: 'text', value: (g) => accumulationLabels[g.accumulation], width: 22 },
      ...perQuarter,
      {
        header: `Avance de la vigencia (T${report.quarter})`,
        kind: 'percent',
        value: (g) => percentToShare(quarterOf(g, report.quarter)?.annualPercent ?? null),
      },
      {
        header: `Avance del cuatrienio (T${report.quarter})`,
        kind: 'percent',
        value: (g) => percentToShare(quarterOf(g, report.quarter)?.termPercent ?? null),
      },
      {
        header: 'Trimestres rezagada',
        kind: 'text',
        value: (g) => g.byQuarter.filter((b) => isLagging(b.status)).map((b) => `T${b.quarter}`).join(', '),
        width: 14,
      },
      {
        header: 'Base del cálculo',
        kind: 'longText',
        value: (g) => basisText(g),
        width: 30,
      },
    ],
    rows: goals,
    statusLabel,
  });
  return workbookBuffer(workbook);
}

/** Which quarters of a row are the recorded verdicts and which were calculated with the current programming. */
function basisText(g: CumulativeLaggingGoal): string {
  const current = g.byQuarter.filter((b) => b.basis === 'current').map((b) => `T${b.quarter}`);
  if (current.length) return `${current.join(', ')}: calculado con la programación actual (sin veredicto registrado)`;
  return g.byQuarter.some((b) => b.basis === 'recorded') ? 'Veredictos registrados por cada ciclo' : '';
}

const actionLabels = { reprogram: 'Reprogramar', keep: 'Mantener la programación' } as const;

/** "2027: 10 → 15; 2028: — → 4": amounts a reprogramming moved to later years of the term. */
function futureYearsText(r: JustificationRow): string | null {
  const before = r.before?.futureAnnualTargets ?? {};
  const after = r.after?.futureAnnualTargets ?? {};
  const years = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  if (years.length === 0) return null;
  return years.map((y) => `${y}: ${formatNumber(before[y] ?? null)} → ${formatNumber(after[y] ?? null)}`).join('; ');
}

function programmingColumns(which: 'before' | 'after', label: string): Column<JustificationRow>[] {
  const of = (r: JustificationRow): YearProgramming | null => r[which];
  return [
    { header: `Programado año ${label}`, kind: 'number', value: (r) => of(r)?.annualTarget ?? null, width: 13 },
    ...([0, 1, 2, 3] as const).map(
      (i): Column<JustificationRow> => ({ header: `T${i + 1} ${label}`, kind: 'number', value: (r) => of(r)?.quarterlyTargets?.[i] ?? null, width: 11 }),
    ),
  ];
}

/**
 * Matriz de metas rezagadas con justificación (PE-P-008 task 5): per goal of the quarter's reviews,
 * the liaison's justification and commitment, the outcome, and the programming before and after.
 */
export async function buildJustificationMatrix(
  report: JustificationReport,
  options: RenderOptions & { department?: { code: string; name: string }; header?: RecordHeader } = {},
): Promise<Buffer> {
  const generatedAt = options.generatedAt ?? new Date();
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const workbook = newWorkbook(`Matriz de metas rezagadas con justificación ${report.fiscalYear}-T${report.quarter}`, generatedAt);
  const percent = (r: JustificationRow) => percentToShare(r.measurement?.progressPercent ?? null);
  addTableSheet(workbook, {
    name: 'Rezagadas con justificación',
    header: options.header,
    title: [
      'Matriz de metas rezagadas con justificación',
      departmentLine(options.department ?? null),
      ...headerLines(report, generatedAt, timeZone),
      'Respuesta de la dependencia (última versión), resultado del acuerdo con el coordinador del MMSE y programación antes y después de la reprogramación.',
    ],
    columns: [
      { header: 'Código', kind: 'text', value: (r) => r.goalCode, width: 14 },
      { header: 'Meta de producto', kind: 'longText', value: (r) => r.name, width: 36 },
      { header: 'Dependencia', kind: 'text', value: (r) => r.departmentName, width: 26 },
      { header: 'Línea estratégica', kind: 'longText', value: (r) => r.strategicLine, width: 28 },
      { header: 'Indicador', kind: 'longText', value: (r) => r.indicator, width: 32 },
      { header: 'Unidad', kind: 'text', value: (r) => r.unit, width: 12 },
      { header: 'Estado en el trimestre', kind: 'status', value: (r) => r.status },
      { header: 'Esperado a la fecha', kind: 'number', value: (r) => r.measurement?.expectedToDate ?? null },
      { header: 'Ejecutado a la fecha', kind: 'number', value: (r) => r.measurement?.executedToDate ?? null },
      { header: '% avance a la fecha', kind: 'percent', value: percent },
      { header: 'Avance de la vigencia', kind: 'percent', value: (r) => percentToShare(r.measurement?.annualPercent ?? null) },
      { header: 'Avance del cuatrienio', kind: 'percent', value: (r) => percentToShare(r.measurement?.termPercent ?? null) },
      { header: 'Acción propuesta', kind: 'text', value: (r) => (r.answer ? actionLabels[r.answer.action] : 'Sin respuesta'), width: 20 },
      { header: 'Justificación', kind: 'longText', value: (r) => r.answer?.justification ?? null, width: 50 },
      { header: 'Compromiso', kind: 'longText', value: (r) => r.answer?.commitment ?? null, width: 50 },
      { header: 'Resultado', kind: 'longText', value: (r) => justificationOutcomeLabels[r.outcome], width: 28 },
      ...programmingColumns('before', 'anterior'),
      ...programmingColumns('after', 'nueva'),
      { header: 'Vigencias futuras (antes → después)', kind: 'longText', value: futureYearsText, width: 26 },
      { header: 'Aprobada por', kind: 'text', value: (r) => r.approvedBy, width: 22 },
      {
        header: 'Fecha de aprobación',
        kind: 'date',
        value: (r) => {
          const at = parseTimestamp(r.approvedAt);
          return at ? excelLocalDate(at, timeZone) : null;
        },
      },
      { header: 'Altera la meta cuatrienio', kind: 'text', value: (r) => (r.outcome === 'reprogrammed' ? (r.altersTermTarget ? 'Sí' : 'No') : null), width: 14 },
      { header: 'Acuerdo del Concejo', kind: 'text', value: (r) => r.councilAgreement, width: 20 },
    ],
    rows: report.rows,
    statusLabel,
  });
  addConsolidationSheet(workbook, report, [departmentLine(options.department ?? null), ...headerLines(report, generatedAt, timeZone)], timeZone, options.header);
  return workbookBuffer(workbook);
}
