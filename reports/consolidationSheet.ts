/** The Q3 consolidation commitments (PE-P-008 task 4) as a sheet of the justification matrix. */
import type ExcelJS from 'exceljs';
import { goalStatusLabels, type GoalStatus } from '../domain/goals';
import type { RecordHeader } from '../domain/recordFormats';
import { excelLocalDate } from './format';
import { parseTimestamp } from '../domain/format';
import type { ConsolidationCommitmentRow, JustificationReport } from './reportTypes';
import { addTableSheet, type Column } from './xlsxTable';

const laggedQuarters = (r: ConsolidationCommitmentRow) =>
  r.byQuarter
    .filter((q) => q.status === 'notStarted' || q.status === 'behind' || q.status === 'noReport')
    .map((q) => `T${q.quarter} ${goalStatusLabels[q.status].toLowerCase()}`)
    .join(', ');

/**
 * Every goal of the year's cumulative matrix that was not in alert this quarter, with the commitment
 * the department gave for it in its accepted answer ("Sin respuesta" until it answers).
 */
export function addConsolidationSheet(workbook: ExcelJS.Workbook, report: JustificationReport, title: string[], timeZone: string, header?: RecordHeader): void {
  if (report.consolidation.length === 0) return;
  const columns: Column<ConsolidationCommitmentRow>[] = [
    { header: 'Código', kind: 'text', value: (r) => r.goalCode, width: 14 },
    { header: 'Meta de producto', kind: 'longText', value: (r) => r.name, width: 36 },
    { header: 'Dependencia', kind: 'text', value: (r) => r.departmentName, width: 26 },
    { header: 'Trimestres rezagada', kind: 'text', value: laggedQuarters, width: 30 },
    { header: 'Compromiso de consolidación', kind: 'longText', value: (r) => r.commitment ?? 'Sin respuesta', width: 60 },
    {
      header: 'Fecha de la respuesta',
      kind: 'date',
      value: (r) => {
        const at = parseTimestamp(r.receivedAt);
        return at ? excelLocalDate(at, timeZone) : null;
      },
    },
  ];
  addTableSheet(workbook, {
    name: 'Compromisos consolidación T3',
    title: [
      'Compromisos de la consolidación del tercer trimestre',
      ...title,
      'Metas rezagadas en algún trimestre de la vigencia (veredictos registrados por cada ciclo) que no estaban en alerta en el trimestre, con el compromiso de la dependencia.',
    ],
    columns,
    rows: report.consolidation,
    statusLabel: (s: GoalStatus) => goalStatusLabels[s],
    header,
  });
}
