/** The plan being followed: its departments, goals, programming and progress, and the municipality. */
import { bigserial, boolean, doublePrecision, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { accumulationTypes } from '../../domain/goals';
import { identitySources } from '../../domain/municipality';
import { createdAt } from './columns';

/** The Plan de Desarrollo Municipal being followed: its term and its classification thresholds. */
export const plans = pgTable('plans', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  municipality: text('municipality').notNull(),
  daneCode: text('dane_code').notNull(),
  termStartYear: integer('term_start_year').notNull(),
  termEndYear: integer('term_end_year').notNull(),
  /** Per-plan thresholds ({ behindBelowPercent, overachievedAbovePercent }); null = configuration defaults. */
  thresholds: jsonb('thresholds').$type<{ behindBelowPercent: number; overachievedAbovePercent: number } | null>(),
  createdAt: createdAt(),
});

/** A department as it is now (the latest of its department_versions; the version number says which). */
export const departments = pgTable('departments', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  /** Líder de la dependencia: signs commitments. */
  headName: text('head_name'),
  headTitle: text('head_title'),
  headEmail: text('head_email'),
  /** Enlace de la dependencia: answers the quarterly alert. */
  liaisonName: text('liaison_name'),
  liaisonEmail: text('liaison_email'),
  version: integer('version').notNull().default(1),
  createdAt: createdAt(),
});

/**
 * Every version of a department's name, head and liaison (append-only): a change is a new version,
 * so an alert keeps the version it was sent with (alerts.department_version).
 */
export const departmentVersions = pgTable(
  'department_versions',
  {
    departmentCode: text('department_code')
      .notNull()
      .references(() => departments.code),
    version: integer('version').notNull(),
    name: text('name').notNull(),
    headName: text('head_name'),
    headTitle: text('head_title'),
    headEmail: text('head_email'),
    liaisonName: text('liaison_name'),
    liaisonEmail: text('liaison_email'),
    /** Who made the change (`user:<id>`), or the import that did (`import:<id>`). */
    changedBy: text('changed_by').notNull(),
    reason: text('reason').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.departmentCode, t.version] })],
);

export const goals = pgTable('goals', {
  code: text('code').primaryKey(),
  departmentCode: text('department_code')
    .notNull()
    .references(() => departments.code),
  strategicLine: text('strategic_line').notNull(),
  sector: text('sector').notNull().default(''),
  programCode: text('program_code').notNull().default(''),
  program: text('program').notNull(),
  productCode: text('product_code').notNull().default(''),
  productName: text('product_name').notNull().default(''),
  indicatorCode: text('indicator_code').notNull().default(''),
  name: text('name').notNull(),
  indicator: text('indicator').notNull(),
  unit: text('unit').notNull(),
  termTarget: doublePrecision('term_target').notNull(),
  accumulation: text('accumulation', { enum: accumulationTypes }).notNull(),
  /** The Plan Indicativo's "Línea base"; null = not imported (each type's documented default applies). */
  baseline: doublePrecision('baseline'),
  /** False once a newer Plan Indicativo no longer has the goal; its history stays. */
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
});

/** The goal's descriptive attributes as each import set them (the goals row holds the latest). */
export const goalRevisions = pgTable(
  'goal_revisions',
  {
    goalCode: text('goal_code')
      .notNull()
      .references(() => goals.code),
    planImportId: integer('plan_import_id').notNull(),
    attributes: jsonb('attributes').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.goalCode, t.planImportId] })],
);

/** Programming of a goal for one fiscal year; a reprogramming adds a version, never edits one. */
export const goalProgramming = pgTable(
  'goal_programming',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    goalCode: text('goal_code')
      .notNull()
      .references(() => goals.code),
    fiscalYear: integer('fiscal_year').notNull(),
    version: integer('version').notNull(),
    annualTarget: doublePrecision('annual_target'),
    quarterlyTargets: jsonb('quarterly_targets').$type<[number | null, number | null, number | null, number | null] | null>(),
    reason: text('reason').notNull(),
    createdBy: text('created_by').notNull(),
    reprogrammingId: integer('reprogramming_id'),
    planImportId: integer('plan_import_id'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('goal_programming_version').on(t.goalCode, t.fiscalYear, t.version)],
);

/** Executed value reported for a goal in a quarter (Hoja de Captura); corrections add a version. */
export const goalProgress = pgTable(
  'goal_progress',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    goalCode: text('goal_code')
      .notNull()
      .references(() => goals.code),
    fiscalYear: integer('fiscal_year').notNull(),
    quarter: integer('quarter').notNull(),
    version: integer('version').notNull(),
    executed: doublePrecision('executed').notNull(),
    evidence: text('evidence'),
    reportedBy: text('reported_by').notNull(),
    planImportId: integer('plan_import_id'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('goal_progress_version').on(t.goalCode, t.fiscalYear, t.quarter, t.version)],
);

/** The municipality this installation serves (one row, id 1): from the plan's title rows, a page or the configuration. */
export const municipalityIdentity = pgTable('municipality_identity', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  daneCode: text('dane_code').notNull(),
  source: text('source', { enum: identitySources }).notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
});
