import { and, eq, sql } from 'drizzle-orm';
import type { Database } from './client';
import * as t from './schema';

export type Department = typeof t.departments.$inferSelect;

/** What a department version records: its name and its people. */
export const personFields = ['name', 'headName', 'headTitle', 'headEmail', 'liaisonName', 'liaisonEmail'] as const;
export type DepartmentState = Pick<Department, (typeof personFields)[number]>;
export type DepartmentInput = Pick<Department, 'name'> & Partial<DepartmentState>;
export const stateOf = (d: DepartmentInput): DepartmentState =>
  Object.fromEntries(personFields.map((f) => [f, d[f] ?? null])) as unknown as DepartmentState;

/** The version an alert was sent with (its stored version, else the current row, which then is that version). */
export async function departmentAsAlerted(db: Pick<Database, 'select'>, code: string, version: number | null): Promise<DepartmentState & { code: string; version: number } | null> {
  if (version !== null) {
    const [row] = await db
      .select()
      .from(t.departmentVersions)
      .where(and(eq(t.departmentVersions.departmentCode, code), eq(t.departmentVersions.version, version)));
    if (row) return { code, version, ...stateOf(row) };
  }
  const [current] = await db.select().from(t.departments).where(eq(t.departments.code, code));
  return current ? { code, version: current.version, ...stateOf(current) } : null;
}

/**
 * Records the current state of every department whose current version is not stored yet (loaders
 * that insert departments directly: the demo data), so every liaison and head an alert can name is
 * kept as a version.
 */
export async function storeMissingDepartmentVersions(db: Pick<Database, 'execute'>, changedBy: string, reason: string): Promise<void> {
  await db.execute(sql`
    insert into ${t.departmentVersions} (department_code, version, name, head_name, head_title, head_email, liaison_name, liaison_email, changed_by, reason, created_at)
    select d.code, d.version, d.name, d.head_name, d.head_title, d.head_email, d.liaison_name, d.liaison_email, ${changedBy}, ${reason}, d.created_at
    from ${t.departments} d
    where not exists (select 1 from ${t.departmentVersions} v where v.department_code = d.code and v.version = d.version)`);
}
