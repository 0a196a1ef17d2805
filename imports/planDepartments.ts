import { z } from 'zod';
import { cellText, duplicateErrors, issuesToErrors, listRows, optionalText, requiredText, rowRecord } from './cells';
import { type ImportError } from './errors';
import { type ColumnSpec, mapColumns } from './headers';
import { departmentCodeProblem, departmentNameKey, generateDepartmentCodes } from './departmentCodes';
import { type Table } from './table';
import type { Department, DepartmentRow, NewDepartment } from './indicativePlanTypes';

/** The Dependencias sheet and the departments the plan names: read, matched to the registered ones, coded. */

export const departmentColumns = [
  { field: 'code', label: 'Código', required: true, aliases: ['Código dependencia', 'Código de la dependencia', 'Cód', 'Sigla'] },
  { field: 'name', label: 'Nombre', required: true, aliases: ['Nombre dependencia', 'Nombre de la dependencia', 'Dependencia'] },
  { field: 'liaisonName', label: 'Enlace', required: false, aliases: ['Nombre del enlace', 'Enlace de la dependencia'] },
  { field: 'liaisonEmail', label: 'Correo del enlace', required: false, aliases: ['Correo', 'Correo electrónico', 'Correo electrónico del enlace', 'Email', 'E-mail'] },
] as const satisfies readonly ColumnSpec<string>[];
export type DepartmentField = (typeof departmentColumns)[number]['field'];

const emailSchema = z.email();

export interface DepartmentsSheet {
  departments: DepartmentRow[];
  /** Every code or name written in the sheet, valid row or not, so goals naming them get no second error. */
  references: Department[];
  errors: ImportError[];
}

export function parseDepartmentsSheet(table: Table): DepartmentsSheet {
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
export function departmentResolver(registered: readonly Department[], sheet: readonly Department[]) {
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
export function codeNewDepartments(
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
