import { and, eq } from 'drizzle-orm';
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
