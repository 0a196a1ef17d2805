import { type AccumulationType } from '../../domain/goals';

/** The demo municipality as plain data (loadMunicipality maps it onto the tables), and its fixed facts. */

export const MUNICIPALITY_SEED = 52001;
export const MUNICIPALITY_PLAN_YEARS = [2024, 2025, 2026, 2027] as const;
/** The last closed quarter with progress: 2026 T3. */
export const MUNICIPALITY_LAST_REPORTED = { fiscalYear: 2026, quarter: 3 } as const;
export const MUNICIPALITY_PROGRAMMING_REASON = 'Plan Indicativo 2024–2027 (datos de demostración)';
export const MUNICIPALITY_ACTOR = 'demo';
export const DEMO_DOMAIN = 'demo.gov.co';

// ---------------------------------------------------------------------------------------------
// Data shapes (plain data; loadMunicipality maps them onto the tables)
// ---------------------------------------------------------------------------------------------

export interface MunicipalityPlan {
  name: string;
  municipality: string;
  daneCode: string;
  termStartYear: number;
  termEndYear: number;
}

export interface MunicipalityDepartment {
  code: string;
  name: string;
  liaisonName: string;
  liaisonEmail: string;
}

export interface MunicipalityGoal {
  code: string;
  departmentCode: string;
  strategicLine: string;
  /** MGA sector code (2 digits); not a column of goals, used by the Plan Indicativo files. */
  sectorCode: string;
  sector: string;
  programCode: string;
  program: string;
  productCode: string;
  productName: string;
  indicatorCode: string;
  name: string;
  indicator: string;
  unit: string;
  termTarget: number;
  accumulation: AccumulationType;
}

export type QuarterlyTargets = [number, number, number, number];

export interface MunicipalityProgramming {
  goalCode: string;
  fiscalYear: number;
  annualTarget: number;
  quarterlyTargets: QuarterlyTargets;
}

export interface MunicipalityProgress {
  goalCode: string;
  fiscalYear: number;
  quarter: number;
  executed: number;
  evidence: string | null;
}

export interface MunicipalityData {
  plan: MunicipalityPlan;
  departments: MunicipalityDepartment[];
  goals: MunicipalityGoal[];
  programming: MunicipalityProgramming[];
  progress: MunicipalityProgress[];
}
