import { DEFAULT_TIME_ZONE, fileNamePart } from '../domain/format';
import { goalStatusLabels, type GoalStatus } from '../domain/goals';
import type { Database } from '../db/client';
import { AppError } from '../domain/errors';
import { loadActionPlan, type ActionPlan, type ActionPlanChange, type ActionPlanGoal } from './actionPlan';
import { loadRecordHeader } from '../documents/recordHeader';
import type { RecordHeader } from '../domain/recordFormats';
import { formatDate } from '../domain/format';
import { requireDepartment } from './reportLookups';
import { addTableSheet, newWorkbook, sheetName, workbookBuffer, XLSX_CONTENT_TYPE, type Column } from './xlsxTable';

const statusLabel = (s: GoalStatus) => goalStatusLabels[s];

function planColumns(plan: ActionPlan): Column<ActionPlanGoal>[] {
  const year = plan.fiscalYear;
  const quarter = (q: number): Column<ActionPlanGoal> => ({ header: `T${q + 1} ${year}`, kind: 'number', value: (g) => g.quarterlyTargets?.[q] ?? null, width: 10 });
  const total = (g: ActionPlanGoal) => Object.values(g.resources).reduce((a, b) => a + b, 0);
  return [
    { header: 'Dependencia', kind: 'text', value: (g) => g.departmentName, width: 26 },
    { header: 'Responsable', kind: 'text', value: (g) => g.responsible, width: 22 },
    { header: 'Línea estratégica', kind: 'text', value: (g) => g.strategicLine, width: 24 },
    { header: 'Sector', kind: 'text', value: (g) => g.sector },
    { header: 'Código programa', kind: 'text', value: (g) => g.programCode, width: 12 },
    { header: 'Programa', kind: 'longText', value: (g) => g.program, width: 30 },
    { header: 'Código producto', kind: 'text', value: (g) => g.productCode, width: 12 },
    { header: 'Producto', kind: 'longText', value: (g) => g.productName, width: 30 },
    { header: 'BPIN', kind: 'text', value: (g) => g.bpin, width: 16 },
    { header: 'Código proyecto', kind: 'text', value: (g) => g.projectCode, width: 14 },
    { header: 'Proyecto', kind: 'longText', value: (g) => g.projectName, width: 30 },
    { header: 'Actividades', kind: 'longText', value: (g) => g.activities, width: 40 },
    { header: 'Código meta', kind: 'text', value: (g) => g.goalCode, width: 14 },
    { header: 'Meta de producto', kind: 'longText', value: (g) => g.name, width: 36 },
    { header: 'Indicador de producto', kind: 'longText', value: (g) => g.indicator, width: 30 },
    { header: 'Unidad de medida', kind: 'text', value: (g) => g.unit, width: 14 },
    { header: 'Meta cuatrienio', kind: 'number', value: (g) => g.termTarget },
    ...(plan.version.version > 1
      ? [{ header: `Programación ${year} versión ${plan.version.version - 1} (antes)`, kind: 'number', value: (g) => (g.changed ? g.previousAnnualTarget : g.annualTarget) } as Column<ActionPlanGoal>]
      : []),
    { header: `Programación ${year}${plan.version.version > 1 ? ` versión ${plan.version.version} (después)` : ''}`, kind: 'number', value: (g) => g.annualTarget },
    quarter(0),
    quarter(1),
    quarter(2),
    quarter(3),
    ...(plan.version.version > 1 ? [{ header: 'Reprogramada en esta versión', kind: 'text', value: (g) => (g.changed ? 'Sí' : 'No'), width: 14 } as Column<ActionPlanGoal>] : []),
    ...plan.sources.map((source): Column<ActionPlanGoal> => ({ header: `${source} ${year} ($)`, kind: 'number', value: (g) => g.resources[source] ?? null, width: 16 })),
    { header: `Total recursos ${year} ($)`, kind: 'number', value: (g) => (Object.keys(g.resources).length ? total(g) : null), width: 18 },
  ];
}

const changeColumns: Column<ActionPlanChange>[] = [
  { header: 'Código meta', kind: 'text', value: (c) => c.goalCode, width: 14 },
  { header: 'Meta de producto', kind: 'longText', value: (c) => c.goalName, width: 36 },
  { header: 'Dependencia', kind: 'text', value: (c) => c.departmentCode, width: 12 },
  { header: 'Período', kind: 'text', value: (c) => c.period, width: 10 },
  { header: 'Antes', kind: 'number', value: (c) => c.before },
  { header: 'Después', kind: 'number', value: (c) => c.after },
  { header: 'Acta de acuerdo (consecutivo)', kind: 'text', value: (c) => c.agreementRecordNumber ?? 'pendiente de emisión', width: 28 },
  { header: 'Revisión', kind: 'text', value: (c) => c.reviewWorkflowId, width: 26 },
  { header: 'Aprobó', kind: 'text', value: (c) => c.approvedBy, width: 22 },
  { header: 'Justificación', kind: 'longText', value: (c) => c.justification, width: 45 },
];

/** PE_F_012 as a workbook: the plan at the version, and the version's changes (before and after). */
export async function buildActionPlanXlsx(
  plan: ActionPlan,
  options: { generatedAt?: Date; timeZone?: string; departmentCode?: string; departmentName?: string | null; header?: RecordHeader } = {},
): Promise<Buffer> {
  const generatedAt = options.generatedAt ?? new Date();
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  // The institutional header (entity, escudo, PE_F_012's code, version and approval date, vigencia) comes from the format table.
  const header = [
    `Plan de Acción ${plan.fiscalYear} — versión ${plan.version.version}`,
    `Versión del plan: ${plan.version.version} · Fecha de generación: ${formatDate(generatedAt, timeZone)}`,
    options.departmentName ? `Dependencia: ${options.departmentName}` : 'Todas las dependencias',
  ];
  const workbook = newWorkbook(`PE_F_012 Plan de Acción ${plan.fiscalYear} versión ${plan.version.version}`, generatedAt);
  const used = new Set<string>();
  // A department's copy names only its own reprogrammings: another department's review, approver and acta stay out.
  const othersVersion = options.departmentCode !== undefined && plan.version.departmentCode !== null && plan.version.departmentCode !== options.departmentCode;
  const origin =
    plan.version.version === 1
      ? 'Origen: Plan Indicativo importado (antes de cualquier reprogramación de la vigencia).'
      : othersVersion
        ? 'Origen: reprogramación de otra dependencia; las metas de esta dependencia no cambian en esta versión.'
        : `Origen: reprogramación aplicada en ${plan.version.reviewWorkflowId}${plan.version.agreementRecordNumber ? `, acta ${plan.version.agreementRecordNumber}` : ''}${plan.version.approvedBy ? `, aprobó ${plan.version.approvedBy}` : ''}.`;
  addTableSheet(workbook, {
    name: sheetName('Plan de Acción', used),
    title: [...header, `${origin} Versiones de la vigencia: ${plan.versions}. Metas: ${plan.goals.length}.`],
    columns: planColumns(plan),
    rows: plan.goals,
    statusLabel,
    header: options.header,
  });
  addTableSheet(workbook, {
    name: sheetName('Cambios', used),
    title: [
      `Cambios de la versión ${plan.version.version} respecto de la anterior`,
      ...header.slice(1),
      plan.version.version === 1 ? 'La versión 1 es el plan importado: no tiene cambios.' : `${plan.changes.length} valores cambiados (programación anual y trimestral).`,
    ],
    columns: changeColumns,
    rows: plan.changes,
    statusLabel,
    header: options.header,
  });
  return workbookBuffer(workbook);
}

/** The exported file of a vigencia's Plan de Acción at a version (latest by default), for a department when asked. */
export async function exportActionPlan(
  db: Database,
  input: { fiscalYear: number; version?: number; departmentCode?: string; timeZone?: string; generatedAt?: Date },
): Promise<{ fileName: string; contentType: string; content: Buffer }> {
  if (input.version !== undefined && (!Number.isInteger(input.version) || input.version < 1)) throw new AppError('invalid_input', 'versión: debe ser un número entero desde 1');
  const department = input.departmentCode ? await requireDepartment(db, input.departmentCode) : undefined;
  const plan = await loadActionPlan(db, { fiscalYear: input.fiscalYear, version: input.version, departmentCode: department?.code });
  return {
    fileName: `PE_F_012-plan-de-accion-${plan.fiscalYear}-v${plan.version.version}${department ? `-${fileNamePart(department.code)}` : ''}.xlsx`,
    contentType: XLSX_CONTENT_TYPE,
    content: await buildActionPlanXlsx(plan, {
      generatedAt: input.generatedAt,
      timeZone: input.timeZone,
      departmentCode: department?.code,
      departmentName: department ? `${department.name} (${department.code})` : null,
      header: await loadRecordHeader(db, { format: 'actionPlan', fiscalYear: plan.fiscalYear, municipality: plan.municipality }),
    }),
  };
}
