import { z } from 'zod';
import { type AccumulationType } from '../domain/goals';
import { sumMessage, sumWithinLimit } from '../domain/numbers';
import { cellText, duplicateErrors, issuesToErrors, listRows, memoized, numberLocaleOf, optionalNonNegative, optionalText, requiredNonNegative, requiredText, rowRecord, cellSchema } from './cells';
import { type ImportError } from './errors';
import { planColumns, planYearColumns } from './columnSynonyms';
import { mapColumns, normalizeHeader, unimportedColumns } from './headers';
import { PROGRESS_EVERY_ROWS } from './store';
import { type Table } from './table';
import type { IndicativePlanParse, ParseIndicativePlanOptions, PlanField, PlanGoal } from './indicativePlanTypes';
import { type GoalFinancing, parseFinancing } from './planFinancing';
import { ACTION_PLAN_SHEET, actionPlanSheetColumns, mergeActionPlanSheet, parseActionPlanSheet } from './actionPlanSheet';
import { codeNewDepartments, departmentColumns, departmentResolver, type DepartmentsSheet, parseDepartmentsSheet } from './planDepartments';

export type * from './indicativePlanTypes';


export const PLAN_SHEET = 'Plan Indicativo';
export const DEPARTMENTS_SHEET = 'Dependencias';
/** The plan row: the product follows one Plan de Desarrollo at a time. */
export const PLAN_ID = 1;
const TERM_YEARS = 4;

// ---------------------------------------------------------------- columns (samples/LEEME.md)

export { planColumns };
const planFields = planColumns.map((c) => c.field);
export const yearColumns = planYearColumns;


/**
 * DNP's six tipos de acumulación under the names offices write, and the product's own labels
 * (`Suma (acumulado)`), so exported files re-import. "Creciente" is a level measured from the
 * línea base (stock); "Decreciente" a reducción; "Mantenimiento" a level to keep (stock).
 */
const accumulationAliases: Record<string, AccumulationType> = {
  suma: 'sum', acumulado: 'sum', acumulada: 'sum', acumulativo: 'sum', acumulativa: 'sum', sum: 'sum', sumatoria: 'sum',
  flujo: 'flow', 'no acumulable': 'flow', 'no acumulado': 'flow', 'no acumulativo': 'flow', flow: 'flow', anual: 'flow',
  stock: 'stock', mantenimiento: 'stock', mantener: 'stock', creciente: 'stock', incremento: 'stock', aumento: 'stock',
  capacidad: 'capacity', 'capacidad instalada': 'capacity', capacity: 'capacity',
  reduccion: 'reduction', reducir: 'reduction', disminucion: 'reduction', decreciente: 'reduction', reduction: 'reduction',
  'reduccion anual': 'annualReduction', 'disminucion anual': 'annualReduction', 'decreciente anual': 'annualReduction', annualreduction: 'annualReduction',
};

/** The names the import's messages suggest. */
const ACCEPTED_NAMES = 'Suma (o Acumulado), Flujo (o No acumulable), Stock (o Mantenimiento, Creciente), Capacidad, Reducción (o Decreciente) o Reducción anual';

/** What the file's header rows hold (table.ts finds them with these). */
export const planReadColumns = {
  columns: { specs: planColumns, yearSpec: yearColumns },
  optionalColumns: { [DEPARTMENTS_SHEET]: { specs: departmentColumns }, [ACTION_PLAN_SHEET]: { specs: actionPlanSheetColumns } },
};
export { ACTION_PLAN_SHEET };


/** 4-digit codes are 5-digit ones Excel stripped of their leading zero (Antioquia: 05001). */
const daneSchema = cellSchema.transform((value, ctx) => {
  const text = cellText(value);
  if (text === null) {
    ctx.addIssue({ code: 'custom', message: 'es obligatorio: la celda está vacía' });
    return z.NEVER;
  }
  const code = /^\d{4}$/.test(text) ? `0${text}` : text;
  if (!/^\d{5}$/.test(code)) {
    ctx.addIssue({ code: 'custom', message: `debe ser el código DANE del municipio, 5 dígitos (p. ej. 52001); recibido "${text}"` });
    return z.NEVER;
  }
  return code;
});

const accumulationOf = memoized((text: string | null): AccumulationType | undefined => {
  const key = text === null ? '' : normalizeHeader(text);
  return accumulationAliases[key] ?? accumulationAliases[normalizeHeader(key.replace(/\s*\(.*\)\s*$/, ''))];
});

const accumulationSchema = cellSchema.transform((value, ctx) => {
  const text = cellText(value);
  const type = accumulationOf(text);
  if (!type) {
    ctx.addIssue({
      code: 'custom',
      message:
        text === null
          ? `es obligatorio: escriba ${ACCEPTED_NAMES}`
          : `tipo de acumulación desconocido "${text}"; use ${ACCEPTED_NAMES}`,
    });
    return z.NEVER;
  }
  return type;
});

/** Validates every row of the Plan Indicativo and reports all problems at once; touches no database. */
export function parseIndicativePlan(table: Table, options: ParseIndicativePlanOptions): IndicativePlanParse {
  const errors: ImportError[] = [];
  const sheetDepartments: DepartmentsSheet = options.departmentsSheet
    ? parseDepartmentsSheet(options.departmentsSheet)
    : { departments: [], references: [], errors: [] };
  errors.push(...sheetDepartments.errors);

  const mapping = mapColumns(table.headers, planColumns, yearColumns, options.columnOverrides);
  errors.push(...mapping.errors);
  const years = [...mapping.yearColumns.keys()];
  if (years.length) {
    const contiguous = years.every((y, i) => i === 0 || y === years[i - 1]! + 1);
    if (years.length !== TERM_YEARS || !contiguous) {
      errors.push({
        row: null,
        column: null,
        message: `Se esperan ${TERM_YEARS} columnas "Programación AAAA", una por cada año consecutivo del cuatrienio (p. ej. 2024 a 2027); el archivo tiene ${years.join(', ')}`,
      });
    }
  }
  if (errors.some((e) => e.row === null)) return { ok: false, errors };

  const locale = numberLocaleOf(table, [mapping.columns.get('termTarget'), mapping.columns.get('baseline'), ...mapping.yearColumns.values()]);
  const amount = requiredNonNegative(locale);
  const schema = z.object({
    ...Object.fromEntries(planFields.map((f) => [f, requiredText])),
    daneCode: daneSchema,
    sectorCode: optionalText,
    goalCode: optionalText,
    goalName: optionalText,
    termTarget: amount,
    baseline: optionalNonNegative(locale),
    accumulation: accumulationSchema,
    programming: z.object(Object.fromEntries(years.map((y) => [String(y), amount]))),
  }) as unknown as z.ZodType<
    Record<Exclude<PlanField, 'daneCode' | 'sectorCode' | 'goalCode' | 'goalName' | 'termTarget' | 'baseline' | 'accumulation'>, string> & {
      daneCode: string;
      sectorCode: string | null;
      goalCode: string | null;
      goalName: string | null;
      termTarget: number;
      baseline: number | null;
      accumulation: AccumulationType;
      programming: Record<string, number>;
    }
  >;
  const header = (index: number | undefined) => (index === undefined ? null : (table.headers[index] ?? null));
  const columnOf = (path: readonly PropertyKey[]) =>
    path[0] === 'programming' ? header(mapping.yearColumns.get(Number(path[1]))) : header(mapping.columns.get(path[0] as PlanField));

  const resolveDepartment = departmentResolver(options.departments, sheetDepartments.references);
  const goals: (PlanGoal & { daneCode: string; newDepartmentKey?: string })[] = [];
  const proposals = new Map<string, { name: string; goals: number }>();
  for (const [index, row] of table.rows.entries()) {
    if (index % PROGRESS_EVERY_ROWS === 0) options.onRow?.(index, table.rows.length);
    const record = {
      ...rowRecord(row.cells, mapping.columns, planFields),
      programming: Object.fromEntries(years.map((y) => [String(y), row.cells[mapping.yearColumns.get(y)!] ?? null])),
    };
    const parsed = schema.safeParse(record);
    const rowErrors = parsed.success ? [] : issuesToErrors(parsed.error.issues, row.rowNumber, columnOf);
    // Department problems are reported even when other cells of the row failed.
    const departmentText = cellText(record.department);
    const department = departmentText === null ? null : resolveDepartment(departmentText);
    if (department && 'error' in department) rowErrors.push({ row: row.rowNumber, column: columnOf(['department']), message: department.error });
    if (department && 'proposed' in department) {
      const proposal = proposals.get(department.proposed) ?? { name: departmentText!.replace(/\s+/g, ' '), goals: 0 };
      proposals.set(department.proposed, { ...proposal, goals: proposal.goals + (rowErrors.length || !parsed.success ? 0 : 1) });
    }
    if (rowErrors.length || !parsed.success || !department || 'error' in department) {
      errors.push(...rowErrors);
      continue;
    }
    const g = parsed.data;
    // Each year is within range; the term's total must be too (domain/numbers.ts).
    const term = sumWithinLimit(years.map((y) => g.programming[String(y)] ?? 0));
    if (!term.ok) {
      errors.push({ row: row.rowNumber, column: columnOf(['programming', String(years[0])]), message: sumMessage(`la suma de la programación de ${years.join(', ')}`, term.total) });
      continue;
    }
    goals.push({
      row: row.rowNumber,
      code: g.goalCode ?? g.indicatorCode,
      daneCode: g.daneCode,
      departmentCode: 'code' in department ? department.code : '',
      ...('proposed' in department ? { newDepartmentKey: department.proposed } : {}),
      strategicLine: g.strategicLine,
      sectorCode: g.sectorCode ?? '',
      sector: g.sector,
      programCode: g.programCode,
      program: g.program,
      productCode: g.productCode,
      productName: g.productName,
      indicatorCode: g.indicatorCode,
      indicator: g.indicator,
      name: g.goalName ?? g.indicator,
      unit: g.unit,
      termTarget: g.termTarget,
      baseline: g.baseline,
      accumulation: g.accumulation,
      programming: new Map(years.map((y) => [y, g.programming[String(y)]!])),
    });
  }

  options.onRow?.(table.rows.length, table.rows.length);

  const newDepartments = codeNewDepartments(proposals, [...options.departments, ...sheetDepartments.references].map((d) => d.code), options.departmentCodes);
  errors.push(...newDepartments.errors);
  const newCodeOf = new Map(newDepartments.departments.map((d) => [d.key, d.code]));
  for (const g of goals) if (g.newDepartmentKey !== undefined) g.departmentCode = newCodeOf.get(g.newDepartmentKey)!;

  // One municipality per file: rows that disagree with the most common code are the odd ones.
  const daneCounts = new Map<string, number>();
  for (const g of goals) daneCounts.set(g.daneCode, (daneCounts.get(g.daneCode) ?? 0) + 1);
  const daneCode = [...daneCounts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
  const firstWithDane = goals.find((g) => g.daneCode === daneCode);
  for (const g of goals) {
    if (g.daneCode !== daneCode) {
      errors.push({
        row: g.row,
        column: columnOf(['daneCode']),
        message: `el código DANE ${g.daneCode} no coincide con el del resto del archivo (${daneCode}, p. ej. fila ${firstWithDane?.row}); el Plan Indicativo debe ser de un solo municipio`,
      });
    }
  }

  // Resources per source and year, BPIN and project (Plan de Acción, PE_F_012), when the file has them.
  const financing = parseFinancing(table, years);
  if (financing) errors.push(...financing.errors);
  const noFinancing = (): GoalFinancing => ({ bpin: null, projectCode: null, projectName: null, resources: {} });
  let financingGoals = financing ? new Map(goals.map((g) => [g.code, financing.byRow.get(g.row) ?? noFinancing()])) : null;
  const financingColumnNames = financing
    ? [financing.columns.bpin, financing.columns.projectCode, financing.columns.projectName, ...financing.columns.resources.map((c) => c.index)]
        .filter((i): i is number => i !== undefined)
        .map((i) => table.headers[i] ?? '')
    : [];
  if (options.actionPlanSheet) {
    const sheet = parseActionPlanSheet(options.actionPlanSheet, { goalCodes: new Set(goals.map((g) => g.code)), termYears: years });
    errors.push(...sheet.errors);
    financingGoals = mergeActionPlanSheet(financingGoals ?? new Map(goals.map((g) => [g.code, noFinancing()])), sheet.entries);
    financingColumnNames.push(`hoja "${options.actionPlanSheet.sheetName}"`);
  }

  const codeColumn = mapping.columns.has('goalCode') ? columnOf(['goalCode']) : columnOf(['indicatorCode']);
  errors.push(
    ...duplicateErrors(
      goals,
      (g) => g.code.toUpperCase(),
      (g) => g.row,
      (g, rows) => ({
        column: codeColumn,
        message: mapping.columns.has('goalCode')
          ? `el código de meta "${g.code}" está repetido (${listRows(rows)}); cada meta debe tener un código único`
          : `el código "${g.code}" se repite (${listRows(rows)}); sin la columna "Código meta" se usa el código del indicador, así que si dos metas comparten indicador agregue la columna "Código meta" con un código único para cada una`,
      }),
    ),
  );

  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    plan: {
      daneCode,
      termStartYear: years[0]!,
      termEndYear: years.at(-1)!,
      departments: sheetDepartments.departments,
      newDepartments: newDepartments.departments.map(({ key, code, name }) => ({ code, name, goals: goals.filter((g) => g.newDepartmentKey === key).length })),
      goals: goals.map(({ daneCode: _dane, newDepartmentKey: _new, ...goal }) => goal),
      unimportedColumns: unimportedColumns(mapping, table.unlabelledColumns),
      financing: financingGoals && { columns: financingColumnNames, goals: financingGoals },
    },
  };
}
