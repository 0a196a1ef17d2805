import { z } from 'zod';
import { MAX_PLAN_VALUE, MAX_PLAN_VALUE_TEXT } from '../domain/numbers';
import { formatNumber } from '../domain/format';
import { cellSchema, cellText, issuesToErrors, numberLocaleOf, optionalText } from './cells';
import type { ImportError } from './errors';
import { headerKey } from './headers';
import { type NumberLocale, parseNumber } from './numbers';
import type { Table } from './table';

/**
 * What the Plan de Acción (PE_F_012) takes from a Plan Indicativo besides the goals: resources per
 * source and year ("SGP 2026", "Recursos propios 2027", "$ 19.000.000"), BPIN and the investment
 * project. DNP's KPT export and municipal files carry these columns; a file without them imports
 * as before (`financing` null).
 */

/** The sources as the Plan de Acción names them, with the spellings offices use (compared by header key). */
export const resourceSources = [
  { label: 'SGP', synonyms: ['sgp', 'sistema general participaciones', 'recursos sgp', 'sgp libre inversion'] },
  { label: 'Recursos propios', synonyms: ['recursos propios', 'propios', 'rp', 'icld', 'ingresos corrientes libre destinacion', 'ingresos propios'] },
  { label: 'SGR', synonyms: ['sgr', 'regalias', 'sistema general regalias', 'recursos sgr'] },
  { label: 'Crédito', synonyms: ['credito', 'recursos credito', 'endeudamiento', 'credito interno'] },
  { label: 'Cofinanciación', synonyms: ['cofinanciacion', 'recursos cofinanciacion', 'cofinanciacion nacional', 'cofinanciacion departamental'] },
  { label: 'Otros', synonyms: ['otros', 'otras fuentes', 'otros recursos', 'otras'] },
] as const;
export type ResourceSource = (typeof resourceSources)[number]['label'];

const sourceByKey = new Map<string, ResourceSource>(resourceSources.flatMap((s) => s.synonyms.map((k) => [k, s.label] as const)));
/** Words a resource header may start with: "Recursos SGP 2026", "Fuente SGR 2026", "Valor crédito 2026". */
const RESOURCE_PREFIX = /^(?:recursos?|fuentes?|valor|financiacion|inversion|monto|apropiacion)\s+/;
const YEAR = /(?:^|\s)((?:19|20|21)\d{2})(?=\s|$)/;

const bpinKeys = new Set(['bpin', 'codigo bpin', 'numero bpin', 'bpin proyecto', 'codigo bpin proyecto', 'numero proyecto bpin']);
const projectCodeKeys = new Set(['codigo proyecto', 'codigo proyecto inversion', 'proyecto codigo', 'numero proyecto']);
const projectNameKeys = new Set(['proyecto', 'nombre proyecto', 'proyecto inversion', 'nombre proyecto inversion', 'proyecto asociado']);

export interface FinancingColumns {
  bpin?: number;
  projectCode?: number;
  projectName?: number;
  /** One column per source and year; `year` null in the Plan de Acción sheet, whose rows name their vigencia. */
  resources: { index: number; source: ResourceSource; year: number | null }[];
}

/** A goal's financing as the file gives it. */
export interface GoalFinancing {
  bpin: string | null;
  projectCode: string | null;
  projectName: string | null;
  /** Pesos by fiscal year (as text, the JSON key) and source; only the cells with a value. */
  resources: Record<string, Record<string, number>>;
  /** The Plan de Acción sheet's activities and responsible by fiscal year (as text). */
  actionPlan?: Record<string, { activities: string | null; responsible: string | null }>;
}

/** The financing columns among the headers (none: the file carries no financing). */
export function financingColumns(headers: readonly string[], { yearless = false } = {}): FinancingColumns | null {
  const found: FinancingColumns = { resources: [] };
  headers.forEach((header, index) => {
    const key = headerKey(header ?? '');
    if (!key) return;
    if (bpinKeys.has(key)) found.bpin ??= index;
    else if (projectCodeKeys.has(key)) found.projectCode ??= index;
    else if (projectNameKeys.has(key)) found.projectName ??= index;
    else {
      const year = YEAR.exec(key)?.[1];
      if (!year && !yearless) return;
      const rest = key.replace(YEAR, ' ').replace(/\s+/g, ' ').trim();
      const source = sourceByKey.get(rest) ?? sourceByKey.get(rest.replace(RESOURCE_PREFIX, ''));
      if (source) found.resources.push({ index, source, year: year ? Number(year) : null });
    }
  });
  const any = found.bpin !== undefined || found.projectCode !== undefined || found.projectName !== undefined || found.resources.length > 0;
  return any ? found : null;
}

export const MONEY_MESSAGE = `debe ser un valor en pesos entre 0 y ${MAX_PLAN_VALUE_TEXT}`;

/** Pesos as offices type them: "$ 19.000.000", "1.234.567,89", "COP 5.000.000", or a number cell. */
export const moneySchema = (locale: NumberLocale) =>
  cellSchema.transform((value, ctx): number | null => {
    if (value === null || (typeof value === 'string' && !value.trim())) return null;
    const text = typeof value === 'string' ? value.replace(/^\s*(?:cop|\$)\s*|\s*(?:cop)\s*$/gi, '').replace(/^\$\s*/, '') : value;
    const parsed = parseNumber(text, locale);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: `debe ser un valor en pesos, p. ej. $ 19.000.000 o 1.234.567,89 (recibido "${String(value).slice(0, 40)}")` });
      return z.NEVER;
    }
    if (!Number.isFinite(parsed.value) || parsed.value < 0 || parsed.value > MAX_PLAN_VALUE) {
      ctx.addIssue({ code: 'custom', message: `${MONEY_MESSAGE} (recibido ${typeof value === 'string' ? `"${value.slice(0, 40)}"` : formatNumber(value)})` });
      return z.NEVER;
    }
    return parsed.value;
  });

/** BPIN: the Banco de Programas y Proyectos number, digits only (spaces and hyphens are dropped). */
const bpinSchema = cellSchema.transform((value, ctx): string | null => {
  const text = cellText(value);
  if (text === null) return null;
  const digits = text.replace(/[\s-]/g, '');
  if (!/^\d{5,20}$/.test(digits)) {
    ctx.addIssue({ code: 'custom', message: `el BPIN debe tener solo dígitos (entre 5 y 20), p. ej. 2024520010001; recibido "${text.slice(0, 40)}"` });
    return z.NEVER;
  }
  return digits;
});

export interface FinancingParse {
  columns: FinancingColumns;
  /** By the row number the user sees. */
  byRow: Map<number, GoalFinancing>;
  errors: ImportError[];
}

/**
 * Reads the financing of every row (null when the file has no financing column). Resource years
 * must be years of the term; each amount is pesos within the limit, and so is a goal's total.
 */
export function parseFinancing(table: Table, termYears: readonly number[]): FinancingParse | null {
  const columns = financingColumns(table.headers);
  if (!columns) return null;
  const errors: ImportError[] = [];
  const header = (index: number) => table.headers[index] ?? null;
  for (const c of columns.resources) {
    if (c.year === null) continue;
    if (termYears.length && !termYears.includes(c.year)) {
      errors.push({ row: null, column: header(c.index), message: `la columna de recursos es del año ${c.year}, fuera del cuatrienio del plan (${termYears[0]} a ${termYears.at(-1)})` });
    }
  }
  if (errors.length) return { columns, byRow: new Map(), errors };

  const locale = numberLocaleOf(table, columns.resources.map((c) => c.index));
  const money = moneySchema(locale);
  const schema = z.object({
    bpin: bpinSchema,
    projectCode: optionalText,
    projectName: optionalText,
    resources: z.array(money),
  });
  const byRow = new Map<number, GoalFinancing>();
  const cell = (cells: readonly unknown[], index: number | undefined) => (index === undefined ? null : ((cells[index] as string | number | null | undefined) ?? null));
  for (const row of table.rows) {
    const parsed = schema.safeParse({
      bpin: cell(row.cells, columns.bpin),
      projectCode: cell(row.cells, columns.projectCode),
      projectName: cell(row.cells, columns.projectName),
      resources: columns.resources.map((c) => cell(row.cells, c.index)),
    });
    if (!parsed.success) {
      errors.push(
        ...issuesToErrors(parsed.error.issues, row.rowNumber, (path) => {
          if (path[0] === 'resources') return header(columns.resources[Number(path[1])]!.index);
          const index = columns[path[0] as 'bpin' | 'projectCode' | 'projectName'];
          return index === undefined ? null : header(index);
        }),
      );
      continue;
    }
    const resources: Record<string, Record<string, number>> = {};
    let total = 0;
    parsed.data.resources.forEach((amount, i) => {
      if (amount === null) return;
      const { source, year } = columns.resources[i]!;
      if (year === null) return;
      const ofYear = (resources[String(year)] ??= {});
      ofYear[source] = (ofYear[source] ?? 0) + amount;
      total += amount;
    });
    if (total > MAX_PLAN_VALUE) {
      errors.push({ row: row.rowNumber, column: header(columns.resources[0]!.index), message: `la suma de los recursos de la meta (${formatNumber(total)}) supera el máximo de ${MAX_PLAN_VALUE_TEXT}` });
      continue;
    }
    byRow.set(row.rowNumber, { bpin: parsed.data.bpin, projectCode: parsed.data.projectCode, projectName: parsed.data.projectName, resources });
  }
  return { columns, byRow, errors };
}

/** The same financing written the same way, whatever the key order: compares a file with the stored rows. */
export function financingKey(f: GoalFinancing): string {
  const years = Object.keys(f.resources).sort();
  const planYears = Object.keys(f.actionPlan ?? {}).sort();
  return JSON.stringify([
    f.bpin,
    f.projectCode,
    f.projectName,
    years.map((y) => [y, Object.entries(f.resources[y]!).sort(([a], [b]) => a.localeCompare(b))]),
    planYears.map((y) => [y, f.actionPlan![y]!.activities, f.actionPlan![y]!.responsible]),
  ]);
}
