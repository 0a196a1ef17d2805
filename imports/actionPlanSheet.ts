import { z } from 'zod';
import { formatNumber } from '../domain/format';
import { fiscalYearSchema } from '../domain/goals';
import { MAX_PLAN_VALUE, MAX_PLAN_VALUE_TEXT } from '../domain/numbers';
import { cellSchema, cellText, duplicateErrors, issuesToErrors, listRows, numberLocaleOf, optionalText, requiredText, rowRecord } from './cells';
import type { ColumnSpec } from './columnSpec';
import type { ImportError } from './errors';
import { mapColumns } from './headers';
import { financingColumns, type GoalFinancing, moneySchema } from './planFinancing';
import type { Table } from './table';

/**
 * The optional "Plan de Acción" sheet of the Plan Indicativo's workbook: per goal and vigencia, the
 * activities, the responsible, BPIN and project, and resources per source ("SGP", "Recursos
 * propios"…, without a year: the row's vigencia). What it gives for a goal and vigencia replaces the
 * main sheet's values for that vigencia.
 */
export const ACTION_PLAN_SHEET = 'Plan de Acción';

export const actionPlanSheetColumns = [
  { field: 'goalCode', label: 'Código meta', required: true, aliases: ['Código meta de producto', 'Código meta producto', 'ID meta', 'Meta código'] },
  { field: 'fiscalYear', label: 'Vigencia', required: true, aliases: ['Año', 'Vigencia fiscal', 'Año vigencia'] },
  { field: 'activities', label: 'Actividades', required: false, aliases: ['Actividad', 'Actividades del proyecto', 'Acciones', 'Actividades programadas'] },
  { field: 'responsible', label: 'Responsable', required: false, aliases: ['Responsable actividad', 'Responsable actividades', 'Funcionario responsable', 'Líder responsable'] },
] as const satisfies readonly ColumnSpec<string>[];
type SheetField = (typeof actionPlanSheetColumns)[number]['field'];
const fields = actionPlanSheetColumns.map((c) => c.field);

const yearSchema = cellSchema.transform((value, ctx) => {
  const parsed = fiscalYearSchema.safeParse(cellText(value) ?? '');
  if (!parsed.success) {
    ctx.addIssue({ code: 'custom', message: `la vigencia debe ser un año, p. ej. 2026 (recibido "${cellText(value) ?? ''}")` });
    return z.NEVER;
  }
  return parsed.data;
});

type Entry = { row: number; goalCode: string; fiscalYear: number; financing: Omit<GoalFinancing, 'actionPlan'> & { activities: string | null; responsible: string | null } };

/** Reads the sheet; goal codes must be the main sheet's and vigencias years of the term. */
export function parseActionPlanSheet(table: Table, context: { goalCodes: ReadonlySet<string>; termYears: readonly number[] }): { entries: Entry[]; errors: ImportError[] } {
  const sheet = table.sheetName;
  const mapping = mapColumns(table.headers, actionPlanSheetColumns);
  if (mapping.errors.length) return { entries: [], errors: mapping.errors.map((e) => ({ ...e, sheet })) };
  const money = financingColumns(table.headers, { yearless: true }) ?? { resources: [] };
  const amount = moneySchema(numberLocaleOf(table, money.resources.map((c) => c.index)));
  const schema = z.object({
    goalCode: requiredText,
    fiscalYear: yearSchema,
    activities: optionalText,
    responsible: optionalText,
    bpin: optionalText,
    projectCode: optionalText,
    projectName: optionalText,
    resources: z.array(amount),
  });
  const header = (index: number | undefined) => (index === undefined ? null : (table.headers[index] ?? null));
  const columnOf = (path: readonly PropertyKey[]) => {
    if (path[0] === 'resources') return header(money.resources[Number(path[1])]?.index);
    if (path[0] === 'bpin' || path[0] === 'projectCode' || path[0] === 'projectName') return header(money[path[0]]);
    return header(mapping.columns.get(path[0] as SheetField));
  };
  const errors: ImportError[] = [];
  const entries: Entry[] = [];
  const cell = (cells: readonly unknown[], index: number | undefined) => (index === undefined ? null : ((cells[index] as string | number | null | undefined) ?? null));
  for (const row of table.rows) {
    const parsed = schema.safeParse({
      ...rowRecord(row.cells, mapping.columns, fields),
      bpin: cell(row.cells, money.bpin),
      projectCode: cell(row.cells, money.projectCode),
      projectName: cell(row.cells, money.projectName),
      resources: money.resources.map((c) => cell(row.cells, c.index)),
    });
    if (!parsed.success) {
      errors.push(...issuesToErrors(parsed.error.issues, row.rowNumber, columnOf, sheet));
      continue;
    }
    const d = parsed.data;
    const rowError = (field: string, message: string) => errors.push({ row: row.rowNumber, column: columnOf([field]), message, sheet });
    if (!context.goalCodes.has(d.goalCode)) {
      rowError('goalCode', `la meta "${d.goalCode}" no está en la hoja del Plan Indicativo`);
      continue;
    }
    if (context.termYears.length && !context.termYears.includes(d.fiscalYear)) {
      rowError('fiscalYear', `la vigencia ${d.fiscalYear} está fuera del cuatrienio del plan (${context.termYears[0]} a ${context.termYears.at(-1)})`);
      continue;
    }
    if (d.bpin !== null && !/^\d{5,20}$/.test(d.bpin.replace(/[\s-]/g, ''))) {
      rowError('bpin', `el BPIN debe tener solo dígitos (entre 5 y 20), p. ej. 2024520010001; recibido "${d.bpin.slice(0, 40)}"`);
      continue;
    }
    const resources: Record<string, number> = {};
    d.resources.forEach((value, i) => {
      if (value !== null) resources[money.resources[i]!.source] = (resources[money.resources[i]!.source] ?? 0) + value;
    });
    const total = Object.values(resources).reduce((a, b) => a + b, 0);
    if (total > MAX_PLAN_VALUE) {
      errors.push({ row: row.rowNumber, column: header(money.resources[0]?.index), message: `la suma de los recursos (${formatNumber(total)}) supera el máximo de ${MAX_PLAN_VALUE_TEXT}`, sheet });
      continue;
    }
    entries.push({
      row: row.rowNumber,
      goalCode: d.goalCode,
      fiscalYear: d.fiscalYear,
      financing: {
        bpin: d.bpin?.replace(/[\s-]/g, '') ?? null,
        projectCode: d.projectCode,
        projectName: d.projectName,
        resources: Object.keys(resources).length ? { [String(d.fiscalYear)]: resources } : {},
        activities: d.activities,
        responsible: d.responsible,
      },
    });
  }
  errors.push(
    ...duplicateErrors(
      entries,
      (e) => `${e.goalCode}|${e.fiscalYear}`,
      (e) => e.row,
      (e, rows) => ({ column: header(mapping.columns.get('goalCode')), message: `la meta "${e.goalCode}" tiene varias filas para la vigencia ${e.fiscalYear} (${listRows(rows)}); deje una`, sheet }),
    ),
  );
  return { entries, errors };
}

/** The sheet's values over the main sheet's: per vigencia, its resources replace the main sheet's. */
export function mergeActionPlanSheet(base: ReadonlyMap<string, GoalFinancing>, entries: readonly Entry[]): Map<string, GoalFinancing> {
  const merged = new Map<string, GoalFinancing>([...base].map(([code, f]) => [code, { ...f, resources: { ...f.resources }, actionPlan: { ...(f.actionPlan ?? {}) } }]));
  for (const e of entries) {
    const current = merged.get(e.goalCode) ?? { bpin: null, projectCode: null, projectName: null, resources: {}, actionPlan: {} };
    const year = String(e.fiscalYear);
    const resources = { ...current.resources };
    if (e.financing.resources[year]) resources[year] = e.financing.resources[year];
    merged.set(e.goalCode, {
      bpin: e.financing.bpin ?? current.bpin,
      projectCode: e.financing.projectCode ?? current.projectCode,
      projectName: e.financing.projectName ?? current.projectName,
      resources,
      actionPlan: { ...(current.actionPlan ?? {}), [year]: { activities: e.financing.activities, responsible: e.financing.responsible } },
    });
  }
  return merged;
}
