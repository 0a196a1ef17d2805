/** What the Plan de Acción (PE_F_012) needs beyond the goals: resources per source and year, BPIN and project. */
import { integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { createdAt } from './columns';
import { goals } from './plan';

/**
 * A goal's financing as one Plan Indicativo import carried it (insert-only): each import whose
 * file has resource, BPIN or project columns writes a row for every goal of the file, so the rows
 * of the latest such import are the financing in force and earlier ones stay as history.
 */
export const goalFinancing = pgTable(
  'goal_financing',
  {
    planImportId: integer('plan_import_id').notNull(),
    goalCode: text('goal_code')
      .notNull()
      .references(() => goals.code),
    bpin: text('bpin'),
    projectCode: text('project_code'),
    projectName: text('project_name'),
    /** Pesos by fiscal year and source: { "2026": { "SGP": 19000000, "Recursos propios": 5000000 } }. */
    resources: jsonb('resources').$type<Record<string, Record<string, number>>>().notNull(),
    /** The Plan de Acción sheet's activities and responsible by fiscal year; {} when the file has no such sheet. */
    actionPlan: jsonb('action_plan').$type<Record<string, { activities: string | null; responsible: string | null }>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.planImportId, t.goalCode] })],
);
