import type { AccumulationType } from '../domain/goals';
import type { ColumnReport } from './columnMappings';
import type { ImportError } from './errors';
import type { planColumns } from './columnSynonyms';
import type { UnimportedColumn } from './headers';
import type { FileReading, Table } from './table';
import type { GoalFinancing } from './planFinancing';
import type { MunicipalityReport } from '../services/municipality';

/** What reading and importing a Plan Indicativo give back. */

export type PlanField = (typeof planColumns)[number]['field'];

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
  /** The "Línea base" column; null when the plan has none (each type's documented default applies). */
  baseline: number | null;
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
  /** Resources per source and year, BPIN and project by goal code, with the file's columns that gave them; null when the file has none. */
  financing: { columns: string[]; goals: Map<string, GoalFinancing> } | null;
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
  /** The optional "Plan de Acción" sheet (activities, responsible, resources per source by vigencia). */
  actionPlanSheet?: Table;
  /** Codes the operator chose for the new departments, by name (any accents/case); the rest are generated. */
  departmentCodes?: Readonly<Record<string, string>>;
  /** The operator's mapping of the main sheet's headers (normalised) to fields, applied before the aliases. */
  columnOverrides?: ReadonlyMap<string, PlanField | 'ignore'>;
  /** Rows validated so far, every few hundred rows and at the end. */
  onRow?: (done: number, total: number) => void;
}

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
  /** The Plan de Acción's columns read (resources per source and year, BPIN, project) and whether they changed what is stored. */
  financing?: { columns: string[]; goals: number; changed: boolean };
}
