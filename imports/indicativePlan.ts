import { desc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { type AccumulationType, annualTargetFromQuarters } from '../domain/goals';
import { sumMessage, sumWithinLimit } from '../domain/numbers';
import {
  cellText,
  duplicateErrors,
  issuesToErrors,
  listRows,
  memoized,
  numberLocaleOf,
  optionalText,
  requiredNonNegative,
  requiredText,
  rowRecord,
  sameNumber,
  cellSchema,
} from './cells';
import { type ColumnReport, resolveColumns, saveMapping } from './columnMappings';
import { type ImportError, ImportFailed, withReading } from './errors';
import { AppError } from '../domain/errors';
import { insertDepartments, writeDepartmentVersion } from '../services/departments';
import { planColumns, planYearColumns } from './columnSynonyms';
import { type ColumnSpec, mapColumns, normalizeHeader, type UnimportedColumn, unimportedColumns } from './headers';
import { departmentCodeProblem, departmentNameKey, generateDepartmentCodes, UNCONFIRMED_DEPARTMENTS } from './departmentCodes';
import {
  bulkInsert,
  checkRequest,
  findImport,
  type ImportOptions,
  type ImportRequest,
  importTransaction,
  inChunks,
  lockImports,
  PROGRESS_EVERY_ROWS,
  recordImport,
  savingProgress,
  sha256,
  type Transaction,
} from './store';
import { type FileReading, fileReading, readWorkbook, type Table } from './table';
import { forgetMunicipalityName, identityForPlan, type MunicipalityReport, saveIdentity } from '../services/municipality';

export const PLAN_SHEET = 'Plan Indicativo';
export const DEPARTMENTS_SHEET = 'Dependencias';
/** The plan row: the product follows one Plan de Desarrollo at a time. */
export const PLAN_ID = 1;
const TERM_YEARS = 4;

// ---------------------------------------------------------------- columns (samples/LEEME.md)

export { planColumns };
type PlanField = (typeof planColumns)[number]['field'];
const planFields = planColumns.map((c) => c.field);
export const yearColumns = planYearColumns;

const departmentColumns = [
  { field: 'code', label: 'Código', required: true, aliases: ['Código dependencia', 'Código de la dependencia', 'Cód', 'Sigla'] },
  { field: 'name', label: 'Nombre', required: true, aliases: ['Nombre dependencia', 'Nombre de la dependencia', 'Dependencia'] },
  { field: 'liaisonName', label: 'Enlace', required: false, aliases: ['Nombre del enlace', 'Enlace de la dependencia'] },
  { field: 'liaisonEmail', label: 'Correo del enlace', required: false, aliases: ['Correo', 'Correo electrónico', 'Correo electrónico del enlace', 'Email', 'E-mail'] },
] as const satisfies readonly ColumnSpec<string>[];
type DepartmentField = (typeof departmentColumns)[number]['field'];

/** DNP's names and the product's own labels (`Suma (acumulado)`), so exported files re-import. */
const accumulationAliases: Record<string, AccumulationType> = {
  suma: 'sum', acumulado: 'sum', acumulada: 'sum', acumulativo: 'sum', acumulativa: 'sum', sum: 'sum',
  flujo: 'flow', 'no acumulable': 'flow', 'no acumulado': 'flow', 'no acumulativo': 'flow', flow: 'flow',
  stock: 'stock', mantenimiento: 'stock', mantener: 'stock',
  reduccion: 'reduction', reducir: 'reduction', disminucion: 'reduction', decreciente: 'reduction', reduction: 'reduction',
};

/** What the file's header rows hold (table.ts finds them with these). */
const planReadColumns = { columns: { specs: planColumns, yearSpec: yearColumns }, optionalColumns: { [DEPARTMENTS_SHEET]: { specs: departmentColumns } } };

// ---------------------------------------------------------------- parsing

export interface Department {
  code: string;
  name: string;
  liaisonName: string | null;
  liaisonEmail: string | null;
}

/** A row of the Dependencias sheet: blank liaison cells leave the registered values as they are. */
export interface DepartmentRow extends Department {
  row: number;
}

export interface GoalAttributes {
  departmentCode: string;
  strategicLine: string;
  sectorCode: string;
  sector: string;
  programCode: string;
  program: string;
  productCode: string;
  productName: string;
  indicatorCode: string;
  indicator: string;
  name: string;
  unit: string;
  termTarget: number;
  accumulation: AccumulationType;
}

export interface PlanGoal extends GoalAttributes {
  row: number;
  code: string;
  /** Annual programming by fiscal year. */
  programming: Map<number, number>;
}

export interface IndicativePlan {
  daneCode: string;
  termStartYear: number;
  termEndYear: number;
  departments: DepartmentRow[];
  /** Named in "Dependencia responsable" without being registered: created by the import once confirmed. */
  newDepartments: NewDepartment[];
  goals: PlanGoal[];
  /** Columns of the file that are not imported (neither recognised nor known to be ignorable). */
  unimportedColumns: UnimportedColumn[];
}

/** A department the plan names that is not registered, with the code it will get and how many goals name it. */
export interface NewDepartment {
  code: string;
  name: string;
  goals: number;
}

export type IndicativePlanParse = { ok: true; plan: IndicativePlan } | { ok: false; errors: ImportError[] };

export interface ParseIndicativePlanOptions {
  /** Departments already registered; a goal may name one of these or one of the Dependencias sheet. */
  departments: readonly Department[];
  departmentsSheet?: Table;
  /** Codes the operator chose for the new departments, by name (any accents/case); the rest are generated. */
  departmentCodes?: Readonly<Record<string, string>>;
  /** The operator's mapping of the main sheet's headers (normalised) to fields, applied before the aliases. */
  columnOverrides?: ReadonlyMap<string, PlanField | 'ignore'>;
  /** Rows validated so far, every few hundred rows and at the end. */
  onRow?: (done: number, total: number) => void;
}

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
          ? 'es obligatorio: escriba Suma, Flujo, Stock o Reducción'
          : `tipo de acumulación desconocido "${text}"; use Suma (o Acumulado), Flujo (o No acumulable), Stock (o Mantenimiento) o Reducción`,
    });
    return z.NEVER;
  }
  return type;
});

const emailSchema = z.email();

interface DepartmentsSheet {
  departments: DepartmentRow[];
  /** Every code or name written in the sheet, valid row or not, so goals naming them get no second error. */
  references: Department[];
  errors: ImportError[];
}

function parseDepartmentsSheet(table: Table): DepartmentsSheet {
  const sheet = table.sheetName;
  const mapping = mapColumns(table.headers, departmentColumns);
  const errors: ImportError[] = mapping.errors.map((e) => ({ ...e, sheet }));
  if (errors.length) return { departments: [], references: [], errors };
  const fields = departmentColumns.map((c) => c.field);
  const schema = z.object({
    code: requiredText,
    name: requiredText,
    liaisonName: optionalText,
    liaisonEmail: optionalText.transform((email, ctx) => {
      const address = email?.replace(/^mailto:/i, '') ?? null;
      if (address !== null && !emailSchema.safeParse(address).success) {
        ctx.addIssue({ code: 'custom', message: `no es un correo válido (recibido "${address}")` });
        return z.NEVER;
      }
      return address;
    }),
  });
  const columnOf = (path: readonly PropertyKey[]) => table.headers[mapping.columns.get(path[0] as DepartmentField) ?? -1] ?? null;
  const departments: DepartmentRow[] = [];
  const references: Department[] = [];
  for (const row of table.rows) {
    const record = rowRecord(row.cells, mapping.columns, fields);
    const parsed = schema.safeParse(record);
    if (!parsed.success) {
      errors.push(...issuesToErrors(parsed.error.issues, row.rowNumber, columnOf, sheet));
      const code = cellText(record.code);
      if (code) references.push({ code, name: cellText(record.name) ?? code, liaisonName: null, liaisonEmail: null });
    } else {
      departments.push({ row: row.rowNumber, ...parsed.data });
      references.push(parsed.data);
    }
  }
  errors.push(
    ...duplicateErrors(
      departments,
      (d) => d.code.toUpperCase(),
      (d) => d.row,
      (d, rows) => ({ sheet, column: columnOf(['code']), message: `el código de dependencia "${d.code}" está repetido (${listRows(rows)})` }),
    ),
  );
  return { departments, references, errors };
}

/**
 * Finds a department by code (any case) or by name (any accents/case), registered or in the sheet.
 * A name that matches none is a new department the import proposes (created when confirmed).
 */
function departmentResolver(registered: readonly Department[], sheet: readonly Department[]) {
  const byCode = new Map<string, Department>();
  for (const d of [...registered, ...sheet]) byCode.set(d.code.toUpperCase(), d);
  const byName = new Map<string, Set<string>>();
  for (const d of byCode.values()) {
    const key = departmentNameKey(d.name);
    byName.set(key, (byName.get(key) ?? new Set()).add(d.code));
  }
  return (reference: string): { code: string } | { error: string } | { proposed: string } => {
    const exact = byCode.get(reference.toUpperCase());
    if (exact) return { code: exact.code };
    const named = byName.get(departmentNameKey(reference));
    if (named?.size === 1) return { code: [...named][0]! };
    if (named && named.size > 1) return { error: `el nombre "${reference}" corresponde a varias dependencias (${[...named].join(', ')}); use el código` };
    if (!departmentNameKey(reference)) return { error: `"${reference}" no es el código ni el nombre de una dependencia` };
    return { proposed: departmentNameKey(reference) };
  };
}

/**
 * Codes of the departments the plan names without their being registered: the operator's choice
 * (by name, any accents/case) or a generated one. Problems with the operator's codes are errors of the whole file.
 */
function codeNewDepartments(
  proposals: Map<string, { name: string; goals: number }>,
  taken: readonly string[],
  chosenCodes: Readonly<Record<string, string>> = {},
): { departments: (NewDepartment & { key: string })[]; errors: ImportError[] } {
  const chosenByKey = new Map(Object.entries(chosenCodes).map(([name, code]) => [departmentNameKey(name), code.trim()]));
  const registered = new Set(taken.map((c) => c.toUpperCase()));
  const errors: ImportError[] = [];
  for (const [key] of chosenByKey) {
    if (!proposals.has(key)) errors.push({ row: null, column: null, message: `Se indicó un código para la dependencia "${key}", pero el archivo no nombra ninguna dependencia nueva con ese nombre` });
  }
  const chosen = new Map<string, string>();
  for (const [key, { name }] of proposals) {
    const code = chosenByKey.get(key);
    if (code === undefined) continue;
    const problem = departmentCodeProblem(code, name, registered, chosen);
    if (problem) errors.push({ row: null, column: null, message: problem });
    else chosen.set(code.toUpperCase(), name);
  }
  const unchosen = [...proposals].filter(([key]) => !chosenByKey.has(key));
  const generated = generateDepartmentCodes(unchosen.map(([, p]) => p.name), [...registered, ...chosen.keys()]);
  const codeOf = new Map(unchosen.map(([key], i) => [key, generated[i]!]));
  const departments = [...proposals].map(([key, p]) => ({ key, code: (chosenByKey.get(key) ?? codeOf.get(key)!).toUpperCase(), name: p.name, goals: p.goals }));
  return { departments, errors };
}

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

  const locale = numberLocaleOf(table, [mapping.columns.get('termTarget'), ...mapping.yearColumns.values()]);
  const amount = requiredNonNegative(locale);
  const schema = z.object({
    ...Object.fromEntries(planFields.map((f) => [f, requiredText])),
    daneCode: daneSchema,
    sectorCode: optionalText,
    goalCode: optionalText,
    goalName: optionalText,
    termTarget: amount,
    accumulation: accumulationSchema,
    programming: z.object(Object.fromEntries(years.map((y) => [String(y), amount]))),
  }) as unknown as z.ZodType<
    Record<Exclude<PlanField, 'daneCode' | 'sectorCode' | 'goalCode' | 'goalName' | 'termTarget' | 'accumulation'>, string> & {
      daneCode: string;
      sectorCode: string | null;
      goalCode: string | null;
      goalName: string | null;
      termTarget: number;
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
    },
  };
}

// ---------------------------------------------------------------- importing

export interface ProgrammingChange {
  goalCode: string;
  fiscalYear: number;
  before: number | null;
  after: number;
}

export interface IndicativePlanImportSummary {
  /** The plan_imports row created; for the same bytes imported before, that earlier import; null when nothing changed. */
  importId: number | null;
  unchanged: boolean;
  goalsAdded: string[];
  /** No longer in the file: marked inactive, history kept. */
  goalsRemoved: string[];
  /** Attributes changed (name, unit, meta cuatrienio, department…): a new goal_revisions row. */
  goalsChanged: string[];
  /** Back in the file after having been removed. */
  goalsReactivated: string[];
  /** Annual programming changed for goals that already existed (new goals' programming is in goalsAdded). */
  programmingChanged: ProgrammingChange[];
  departmentsAdded: string[];
  /** Name or liaison updated from the Dependencias sheet. */
  departmentsChanged: string[];
  /**
   * Departments the plan names in "Dependencia responsable" that are not registered: created with
   * these codes (also in departmentsAdded). In a preview, what confirming will create.
   */
  departmentsFromPlan: NewDepartment[];
  /** The column mapping applied and the columns not imported (absent when the same file was imported before). */
  columns?: ColumnReport;
  /** The municipality found in the title rows and the name the plan carries (absent when the same file was imported before). */
  municipality?: MunicipalityReport;
  /** How the file was read (absent when these bytes were the latest import: nothing was read). */
  reading?: FileReading;
  /** Columns of the file that were not imported, listed in the preview and kept in the import's record. */
  unimportedColumns?: UnimportedColumn[];
}

const emptySummary = (importId: number | null): IndicativePlanImportSummary => ({
  importId,
  unchanged: true,
  goalsAdded: [],
  goalsRemoved: [],
  goalsChanged: [],
  goalsReactivated: [],
  programmingChanged: [],
  departmentsAdded: [],
  departmentsChanged: [],
  departmentsFromPlan: [],
});

const attributeKeys = [
  'departmentCode', 'strategicLine', 'sectorCode', 'sector', 'programCode', 'program', 'productCode', 'productName',
  'indicatorCode', 'indicator', 'name', 'unit', 'termTarget', 'accumulation',
] as const satisfies readonly (keyof GoalAttributes)[];

const attributesOf = (goal: GoalAttributes): GoalAttributes =>
  Object.fromEntries(attributeKeys.map((k) => [k, goal[k]])) as unknown as GoalAttributes;

const sameAttributes = (a: GoalAttributes, b: GoalAttributes) =>
  attributeKeys.every((k) => (k === 'termTarget' ? sameNumber(a.termTarget, b.termTarget) : a[k] === b[k]));

type QuarterlyTargets = [number | null, number | null, number | null, number | null];

/** Quarterly targets survive a new annual target only if they still add up to it (or keep its level). */
function keptQuarterlyTargets(previous: QuarterlyTargets | null | undefined, accumulation: AccumulationType, annual: number): QuarterlyTargets | null {
  if (!previous || previous.some((q) => q === null)) return null;
  return sameNumber(annualTargetFromQuarters(accumulation, previous as number[]), annual) ? previous : null;
}

/** Departments and goals rows are the current state (history is in revisions and versions): upserted. */
const updateOnConflict = (key: string, columns: string[]) =>
  sql.raw(`on conflict ("${key}") do update set ${columns.map((c) => `"${c}" = excluded."${c}"`).join(', ')}`);

/**
 * Imports a Plan Indicativo (XLSX or CSV) in one transaction: departments, goals (new, changed,
 * removed → inactive) and a new programming version wherever the annual programming changed.
 * Throws ImportFailed with every problem of the file, having written nothing. With `dryRun` the
 * same import runs and is rolled back: the summary previews it (its importId is null).
 */
export async function importIndicativePlan(db: Database, request: ImportRequest, options: ImportOptions = {}): Promise<IndicativePlanImportSummary> {
  const { fileName, importedBy } = checkRequest(request);
  const { content } = request;
  const hash = sha256(content);
  const earlier = await findImport(db, 'indicativePlan', hash);
  if (earlier !== null) return emptySummary(earlier);

  options.onProgress?.({ phase: 'reading', done: 0, total: content.length });
  const workbook = await readWorkbook({ fileName, content }, { sheetName: PLAN_SHEET, optionalSheets: [DEPARTMENTS_SHEET], ...planReadColumns, limits: options.limits });
  if (!workbook.ok) throw new ImportFailed(workbook.errors);
  options.onProgress?.({ phase: 'reading', done: content.length, total: content.length });
  const reading = fileReading(workbook.value.main);

  return withReading(reading, () => importTransaction(db, options, async (tx) => {
    await lockImports(tx);
    const raced = await findImport(tx, 'indicativePlan', hash);
    if (raced !== null) return emptySummary(raced);

    const registered = await tx.select().from(t.departments);
    const columns = await resolveColumns(tx, 'indicativePlan', workbook.value.main.headers, options.columns, planColumns, yearColumns);
    options.onColumns?.(columns.report);
    if (columns.errors.length) throw new ImportFailed(columns.errors);
    const parsed = parseIndicativePlan(workbook.value.main, {
      departments: registered,
      departmentsSheet: workbook.value.extra.get(DEPARTMENTS_SHEET),
      departmentCodes: options.departmentCodes,
      columnOverrides: columns.overrides as ReadonlyMap<string, PlanField | 'ignore'> | undefined,
      onRow: (done, total) => options.onProgress?.({ phase: 'validating', done, total }),
    });
    if (!parsed.ok) throw new ImportFailed(parsed.errors);
    const plan = parsed.plan;
    // Departments are created only when someone confirmed them (the preview page, --yes, the API's flag).
    if (plan.newDepartments.length && !options.dryRun && !options.confirmNewDepartments) throw unconfirmedDepartments(plan.newDepartments);

    const [currentPlan] = await tx.select().from(t.plans).where(eq(t.plans.id, PLAN_ID));
    if (currentPlan && currentPlan.daneCode !== plan.daneCode) {
      throw new ImportFailed([
        {
          row: null,
          column: null,
          message: `El archivo es del municipio con código DANE ${plan.daneCode}, pero el plan registrado es de ${currentPlan.municipality} (${currentPlan.daneCode}); importe el Plan Indicativo de ese municipio`,
        },
      ]);
    }
    const municipality = await identityForPlan(tx, workbook.value.main.titles ?? [], plan.daneCode);
    if (municipality.error) throw new ImportFailed([{ row: null, column: null, message: municipality.error }]);
    // Saved with the import (a dry run rolls it back with everything else).
    if (columns.toSave) await saveMapping(tx, 'indicativePlan', workbook.value.main.headers, columns.toSave, importedBy);
    const municipalityName = municipality.report.name;
    const applied = await applyPlan(tx, plan, { fileName, importedBy, hash, currentPlan, registered, options, municipalityName, reading });
    if (municipality.report.willSave && municipalityName) {
      await saveIdentity(tx, { name: municipalityName, daneCode: plan.daneCode }, 'file', importedBy);
    }
    if (!options.dryRun) forgetMunicipalityName();
    const summary = { ...applied, columns: columns.report, municipality: municipality.report };
    return options.dryRun ? { ...summary, importId: null } : summary;
  }));
}

async function applyPlan(
  tx: Transaction,
  plan: IndicativePlan,
  context: {
    fileName: string;
    importedBy: string;
    hash: string;
    currentPlan: typeof t.plans.$inferSelect | undefined;
    registered: (typeof t.departments.$inferSelect)[];
    options: ImportOptions;
    /** The municipality's name (title rows, page or configuration); null: keep the recorded one. */
    municipalityName: string | null;
    reading: FileReading;
  },
): Promise<IndicativePlanImportSummary> {
  const years = Array.from({ length: plan.termEndYear - plan.termStartYear + 1 }, (_, i) => plan.termStartYear + i);
  // Current state in three queries, whatever the plan's size.
  const [existingGoals, sectorCodes, latestProgramming] = await Promise.all([
    tx.select().from(t.goals),
    tx
      .selectDistinctOn([t.goalRevisions.goalCode], {
        goalCode: t.goalRevisions.goalCode,
        sectorCode: sql<string | null>`${t.goalRevisions.attributes}->>'sectorCode'`,
      })
      .from(t.goalRevisions)
      .orderBy(t.goalRevisions.goalCode, desc(t.goalRevisions.planImportId)),
    tx
      .selectDistinctOn([t.goalProgramming.goalCode, t.goalProgramming.fiscalYear])
      .from(t.goalProgramming)
      .where(inArray(t.goalProgramming.fiscalYear, years))
      .orderBy(t.goalProgramming.goalCode, t.goalProgramming.fiscalYear, desc(t.goalProgramming.version)),
  ]);

  // Departments: reference data, inserted or updated in place.
  const registeredByCode = new Map(context.registered.map((d) => [d.code, d]));
  const departmentsAdded: Department[] = [];
  const departmentsChanged: Department[] = [];
  for (const d of plan.departments) {
    const current = registeredByCode.get(d.code) ?? context.registered.find((r) => r.code.toUpperCase() === d.code.toUpperCase());
    if (!current) {
      departmentsAdded.push(d);
      continue;
    }
    const next = { code: current.code, name: d.name, liaisonName: d.liaisonName ?? current.liaisonName, liaisonEmail: d.liaisonEmail ?? current.liaisonEmail };
    if (next.name !== current.name || next.liaisonName !== current.liaisonName || next.liaisonEmail !== current.liaisonEmail) departmentsChanged.push(next);
  }

  const planValues = {
    id: PLAN_ID,
    name: `Plan de Desarrollo ${plan.termStartYear}–${plan.termEndYear}`,
    municipality: context.municipalityName ?? context.currentPlan?.municipality ?? `Municipio ${plan.daneCode}`,
    daneCode: plan.daneCode,
    termStartYear: plan.termStartYear,
    termEndYear: plan.termEndYear,
  };
  const planChanged =
    !context.currentPlan ||
    context.currentPlan.name !== planValues.name ||
    context.currentPlan.municipality !== planValues.municipality ||
    context.currentPlan.termStartYear !== planValues.termStartYear ||
    context.currentPlan.termEndYear !== planValues.termEndYear;

  // Goals.
  const existingByCode = new Map(existingGoals.map((g) => [g.code, g]));
  const sectorCodeOf = new Map(sectorCodes.map((r) => [r.goalCode, r.sectorCode ?? '']));
  const inFile = new Set(plan.goals.map((g) => g.code));
  const goalsAdded: string[] = [];
  const goalsChanged: string[] = [];
  const goalsReactivated: string[] = [];
  const goalsToWrite: PlanGoal[] = [];
  const revisions: PlanGoal[] = [];
  for (const goal of plan.goals) {
    const current = existingByCode.get(goal.code);
    if (!current) {
      goalsAdded.push(goal.code);
      goalsToWrite.push(goal);
      revisions.push(goal);
      continue;
    }
    const changed = !sameAttributes(goal, { ...current, sectorCode: sectorCodeOf.get(goal.code) ?? '' });
    if (changed) {
      goalsChanged.push(goal.code);
      revisions.push(goal);
    }
    if (!current.active) goalsReactivated.push(goal.code);
    if (changed || !current.active) goalsToWrite.push(goal);
  }
  const goalsRemoved = existingGoals.filter((g) => g.active && !inFile.has(g.code)).map((g) => g.code);

  // Programming: a new version wherever the annual target differs from the latest one.
  const latestByKey = new Map(latestProgramming.map((p) => [`${p.goalCode}|${p.fiscalYear}`, p]));
  const programmingChanged: ProgrammingChange[] = [];
  const programmingRows: Omit<typeof t.goalProgramming.$inferInsert, 'planImportId'>[] = [];
  const reason = `Importación del Plan Indicativo ${context.fileName}`;
  for (const goal of plan.goals) {
    for (const [fiscalYear, annualTarget] of goal.programming) {
      const latest = latestByKey.get(`${goal.code}|${fiscalYear}`);
      if (latest && sameNumber(latest.annualTarget, annualTarget)) continue;
      if (existingByCode.has(goal.code)) programmingChanged.push({ goalCode: goal.code, fiscalYear, before: latest?.annualTarget ?? null, after: annualTarget });
      programmingRows.push({
        goalCode: goal.code,
        fiscalYear,
        version: (latest?.version ?? 0) + 1,
        annualTarget,
        quarterlyTargets: keptQuarterlyTargets(latest?.quarterlyTargets, goal.accumulation, annualTarget),
        reason,
        createdBy: context.importedBy,
      });
    }
  }

  const summary: IndicativePlanImportSummary = {
    importId: null,
    unchanged: false,
    goalsAdded,
    goalsRemoved,
    goalsChanged,
    goalsReactivated,
    programmingChanged,
    departmentsAdded: [...departmentsAdded, ...plan.newDepartments].map((d) => d.code),
    departmentsChanged: departmentsChanged.map((d) => d.code),
    departmentsFromPlan: plan.newDepartments,
    reading: context.reading,
    unimportedColumns: plan.unimportedColumns,
  };
  const nothingChanged =
    !planChanged && !programmingRows.length && [goalsAdded, goalsRemoved, goalsChanged, goalsReactivated, departmentsAdded, departmentsChanged].every((l) => !l.length);
  if (nothingChanged) return { ...emptySummary(null), reading: context.reading, unimportedColumns: plan.unimportedColumns };

  const departmentRows = [...departmentsAdded, ...plan.newDepartments, ...departmentsChanged];
  const written = savingProgress(
    context.options,
    1 + Number(planChanged) + departmentRows.length + goalsToWrite.length + goalsRemoved.length + revisions.length + programmingRows.length,
  );
  const { importId: _none, unchanged: _no, ...recorded } = summary;
  const importId = await recordImport(tx, {
    kind: 'indicativePlan',
    fileName: context.fileName,
    hash: context.hash,
    importedBy: context.importedBy,
    summary: { ...recorded, termStartYear: plan.termStartYear, termEndYear: plan.termEndYear, goals: plan.goals.length },
  });
  written(1);

  if (planChanged) {
    await tx
      .insert(t.plans)
      .values(planValues)
      .onConflictDoUpdate({
        target: t.plans.id,
        set: { name: planValues.name, municipality: planValues.municipality, daneCode: planValues.daneCode, termStartYear: planValues.termStartYear, termEndYear: planValues.termEndYear },
      });
    written(1);
  }
  await writeDepartments(tx, { added: departmentsAdded, fromPlan: plan.newDepartments, changed: departmentsChanged, registered: context.registered, importId, fileName: context.fileName, importedBy: context.importedBy });
  written(departmentRows.length);
  await bulkInsert(
    tx,
    t.goals,
    goalsToWrite.map((g) => ({
      code: g.code,
      departmentCode: g.departmentCode,
      strategicLine: g.strategicLine,
      sector: g.sector,
      programCode: g.programCode,
      program: g.program,
      productCode: g.productCode,
      productName: g.productName,
      indicatorCode: g.indicatorCode,
      name: g.name,
      indicator: g.indicator,
      unit: g.unit,
      termTarget: g.termTarget,
      accumulation: g.accumulation,
      active: true,
    })),
    {
      onConflict: updateOnConflict('code', [
        'department_code', 'strategic_line', 'sector', 'program_code', 'program', 'product_code', 'product_name',
        'indicator_code', 'name', 'indicator', 'unit', 'term_target', 'accumulation', 'active',
      ]),
      onWritten: written,
    },
  );
  await inChunks(goalsRemoved, async (chunk) => {
    await tx.update(t.goals).set({ active: false }).where(inArray(t.goals.code, chunk));
    written(chunk.length);
  });
  await bulkInsert(tx, t.goalRevisions, revisions.map((g) => ({ goalCode: g.code, planImportId: importId, attributes: attributesOf(g) })), { onWritten: written });
  await bulkInsert(tx, t.goalProgramming, programmingRows.map((p) => ({ ...p, planImportId: importId })), { onWritten: written });

  return { ...summary, importId };
}


function unconfirmedDepartments(departments: readonly NewDepartment[]): AppError {
  return new AppError(
    'conflict',
    `${UNCONFIRMED_DEPARTMENTS} (${departments.length}); la importación las crearía con los códigos indicados. Confírmelo en la vista previa de la página Importar, con --yes en la línea de comandos o con confirmNewDepartments=1 en la API; nada se importó`,
    departments.map((d) => `${d.name}: código ${d.code} (${d.goals} ${d.goals === 1 ? 'meta' : 'metas'})`),
  );
}

/**
 * Departments of the import, each with its version: new ones (sheet or plan column) as version 1,
 * changed ones (sheet) as a new version; every change in the audit log, as the registry's.
 */
async function writeDepartments(
  tx: Transaction,
  input: { added: Department[]; fromPlan: NewDepartment[]; changed: Department[]; registered: (typeof t.departments.$inferSelect)[]; importId: number; fileName: string; importedBy: string },
): Promise<void> {
  const reason = `Importación del Plan Indicativo ${input.fileName}`;
  const created = [...input.added, ...input.fromPlan.map(({ code, name }) => ({ code, name, liaisonName: null, liaisonEmail: null }))];
  await insertDepartments(tx, created, input.importedBy, reason);
  const registered = new Map(input.registered.map((d) => [d.code, d]));
  for (const next of input.changed) {
    const current = registered.get(next.code)!;
    await writeDepartmentVersion(tx, current, { ...current, name: next.name, liaisonName: next.liaisonName, liaisonEmail: next.liaisonEmail }, input.importedBy, reason);
  }
  const entries = [
    ...created.map((d) => ({ action: 'department.created', code: d.code, details: { importId: input.importId, after: d } })),
    ...input.changed.map((d) => ({ action: 'department.updated', code: d.code, details: { importId: input.importId, after: d } })),
  ];
  if (entries.length) {
    await tx.insert(t.auditLog).values(entries.map((e) => ({ actor: input.importedBy, action: e.action, subject: `department:${e.code}`, details: e.details })));
  }
}
