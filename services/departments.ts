import { and, asc, desc, eq, getTableColumns, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { type Department, type DepartmentInput, type DepartmentState, personFields, stateOf } from '../db/departmentVersions';
import { describeIssues } from '../domain/review';
import { departmentCodePattern, departmentCodeRule } from '../imports/departmentCodes';
import { AppError } from './errors';

export { departmentCodePattern };

/**
 * The departments registry (dependencias): code, name, head (líder) and liaison (enlace). The
 * departments row is the current state; every change is a new department_versions row, so an
 * alert keeps the version it was sent with and the history says who changed what.
 */

type Executor = Pick<Database, 'select' | 'insert' | 'update'>;


const blankToNull = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? null : value);
const optionalName = (field: string) =>
  z.preprocess(blankToNull, z.string({ message: `${field}: debe ser texto` }).trim().max(200, `${field}: máximo 200 caracteres`).nullable().optional());
const optionalEmail = (field: string) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? (blankToNull(value.replace(/^mailto:/i, '')) as unknown) : value),
    z
      .string({ message: `${field}: debe ser texto` })
      .trim()
      .toLowerCase()
      .pipe(z.email({ message: `${field}: no es un correo válido (p. ej. enlace@alcaldia.gov.co)` }))
      .nullable()
      .optional(),
  );

export const departmentCodeSchema = z
  .string({ message: 'código: es obligatorio' })
  .trim()
  .regex(departmentCodePattern, `código: ${departmentCodeRule}`)
  .transform((code) => code.toUpperCase());

const departmentFields = {
  name: z.string({ message: 'nombre: es obligatorio' }).trim().min(1, 'nombre: es obligatorio').max(200, 'nombre: máximo 200 caracteres'),
  headName: optionalName('nombre del líder'),
  headTitle: optionalName('cargo del líder'),
  headEmail: optionalEmail('correo del líder'),
  liaisonName: optionalName('nombre del enlace'),
  liaisonEmail: optionalEmail('correo del enlace'),
};

export const newDepartmentSchema = z.object({ code: departmentCodeSchema, ...departmentFields });
/** An update names only what changes; null clears an optional field. */
export const departmentChangeSchema = z.strictObject(
  { ...departmentFields, name: departmentFields.name.optional(), reason: z.string().trim().max(500, 'motivo: máximo 500 caracteres').optional() },
  {
    // The code is the department's identity: it is not changed, and a misspelt field is not ignored.
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `campo desconocido (${issue.keys.join(', ')}): use name, headName, headTitle, headEmail, liaisonName, liaisonEmail o reason (el código no se cambia)`
        : undefined,
  },
);

export type { Department } from '../db/departmentVersions';
export type DepartmentVersion = typeof t.departmentVersions.$inferSelect;
export interface DepartmentListItem extends Department {
  activeGoals: number;
}


function parse<T>(schema: z.ZodType<T>, input: unknown, message: string): T {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new AppError('invalid_input', `${message}: envíe un objeto con los campos de la dependencia`);
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new AppError('invalid_input', message, describeIssues(parsed.error));
  return parsed.data;
}

export async function listDepartments(db: Database): Promise<DepartmentListItem[]> {
  return db
    .select({
      ...getTableColumns(t.departments),
      // Qualified by hand: in a single-table select drizzle writes bare column names, and a bare "code"
      // inside the subquery would be the goal's code, not the department's.
      activeGoals: sql<number>`(select count(*)::int from "goals" where "goals"."department_code" = "departments"."code" and "goals"."active")`,
    })
    .from(t.departments)
    .orderBy(asc(t.departments.name));
}

/** A registered code in any case (codes are compared without case: SEDU and sedu are one department). */
export async function findDepartment(db: Pick<Database, 'select'>, code: string): Promise<Department | null> {
  const [row] = await db.select().from(t.departments).where(sql`upper(${t.departments.code}) = upper(${code})`);
  return row ?? null;
}

/** The department and every version, newest first. A department never changed since it was registered may have none stored: its current row is version 1. */
export async function departmentWithVersions(db: Database, code: string): Promise<{ department: Department; versions: DepartmentVersion[] }> {
  const department = await findDepartment(db, code);
  if (!department) throw new AppError('not_found', `No existe la dependencia ${code}`);
  const versions = await db
    .select()
    .from(t.departmentVersions)
    .where(eq(t.departmentVersions.departmentCode, department.code))
    .orderBy(desc(t.departmentVersions.version));
  return { department, versions };
}

/** Inserts departments with their version 1 (the registry's "add" and the plan import). */
export async function insertDepartments(tx: Executor, rows: (DepartmentInput & { code: string })[], changedBy: string, reason: string): Promise<void> {
  if (!rows.length) return;
  await tx.insert(t.departments).values(rows.map((r) => ({ code: r.code, ...stateOf(r), version: 1 })));
  await tx.insert(t.departmentVersions).values(rows.map((r) => ({ departmentCode: r.code, version: 1, ...stateOf(r), changedBy, reason })));
}

/**
 * Writes the next version of a department: the current one is stored first when it never was
 * (departments registered before versions existed), so the alerts sent with it keep it.
 */
export async function writeDepartmentVersion(tx: Executor, current: Department, next: DepartmentState, changedBy: string, reason: string): Promise<Department> {
  const [stored] = await tx
    .select({ version: t.departmentVersions.version })
    .from(t.departmentVersions)
    .where(and(eq(t.departmentVersions.departmentCode, current.code), eq(t.departmentVersions.version, current.version)));
  if (!stored) {
    await tx.insert(t.departmentVersions).values({
      departmentCode: current.code,
      version: current.version,
      ...stateOf(current),
      changedBy: 'sistema',
      reason: 'Registrada antes del historial de versiones',
      createdAt: current.createdAt,
    });
  }
  const version = current.version + 1;
  const [updated] = await tx
    .update(t.departments)
    .set({ ...stateOf(next), version })
    .where(eq(t.departments.code, current.code))
    .returning();
  await tx.insert(t.departmentVersions).values({ departmentCode: current.code, version, ...stateOf(next), changedBy, reason });
  return updated!;
}

const audit = (tx: Executor, actor: string, action: string, code: string, details: Record<string, unknown>) =>
  tx.insert(t.auditLog).values({ actor, action, subject: `department:${code}`, details });

export async function createDepartment(db: Database, input: unknown, actor: string): Promise<Department> {
  const data = parse(newDepartmentSchema, input, 'Datos de la dependencia inválidos');
  return db.transaction(async (tx) => {
    const existing = await findDepartment(tx, data.code);
    if (existing) throw new AppError('conflict', `Ya existe la dependencia ${existing.code} (${existing.name}); para cambiarla use la edición`);
    const state = stateOf(data);
    await insertDepartments(tx, [{ code: data.code, ...state }], actor, 'Registrada en el registro de dependencias');
    await audit(tx, actor, 'department.created', data.code, { after: state });
    return (await findDepartment(tx, data.code))!;
  });
}

/** Applies a change as a new version; the same values again change nothing (no new version). */
export async function updateDepartment(db: Database, code: string, input: unknown, actor: string): Promise<{ department: Department; changed: boolean }> {
  const { reason, ...change } = parse(departmentChangeSchema, input, 'Datos de la dependencia inválidos');
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(t.departments).where(sql`upper(${t.departments.code}) = upper(${code})`).for('update');
    if (!current) throw new AppError('not_found', `No existe la dependencia ${code}`);
    const before = stateOf(current);
    const after = stateOf({ ...before, ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) } as DepartmentState);
    const changedFields = personFields.filter((f) => before[f] !== after[f]);
    if (!changedFields.length) return { department: current, changed: false };
    const updated = await writeDepartmentVersion(tx, current, after, actor, reason || 'Editada en el registro de dependencias');
    await audit(tx, actor, 'department.updated', current.code, { version: updated.version, fields: changedFields, before, after });
    return { department: updated, changed: true };
  });
}

