import { eq, sql } from 'drizzle-orm';
import type { Database } from './client';
import * as t from './schema';

export type GoalFinancingRow = typeof t.goalFinancing.$inferSelect;

/** The goals' financing in force: the rows of the latest import that carried financing columns, by goal. */
export async function financingInForce(db: Pick<Database, 'select'>): Promise<Map<string, GoalFinancingRow>> {
  const rows = await db
    .select()
    .from(t.goalFinancing)
    .where(eq(t.goalFinancing.planImportId, sql`(select max(${t.goalFinancing.planImportId}) from ${t.goalFinancing})`));
  return new Map(rows.map((r) => [r.goalCode, r]));
}
