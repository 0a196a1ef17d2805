import { sql } from 'drizzle-orm';
import type { AccumulationType } from '../domain/goals';
import type { Database } from './client';
import * as t from './schema';
import { storeMissingDepartmentVersions } from './departmentVersions';

/**
 * A small demo municipality: 3 dependencias, 20 product goals of a 2024–2027 plan, and progress
 * for the first two quarters of 2026 chosen so a 2026 cycle has goals in every status.
 */
export const DEMO_PLAN_YEARS = [2024, 2025, 2026, 2027] as const;
export const DEMO_PROGRESS_YEAR = 2026;

export const demoDepartments = [
  { code: 'SEDU', name: 'Secretaría de Educación', liaisonName: 'Ana Lucía Rosero', liaisonEmail: 'enlace.educacion@demo.gov.co' },
  { code: 'SSAL', name: 'Secretaría de Salud', liaisonName: 'Jorge Eliécer Bravo', liaisonEmail: 'enlace.salud@demo.gov.co' },
  { code: 'SINF', name: 'Secretaría de Infraestructura', liaisonName: 'María Fernanda Guerrero', liaisonEmail: 'enlace.infraestructura@demo.gov.co' },
];

interface DemoGoal {
  code: string;
  department: string;
  line: string;
  program: string;
  name: string;
  unit: string;
  accumulation: AccumulationType;
  /** Annual target per plan year; the quarterly split is even unless `quarterly` is given. */
  annual: number;
  quarterly?: [number, number, number, number];
  /** Línea base (reducción goals are measured from it). */
  baseline?: number;
  /** Executed in 2026 Q1 and Q2 (null: nothing reported). */
  progress: [number | null, number | null];
}

const lineEducation = '1. Pasto educado y con oportunidades';
const lineHealth = '2. Pasto saludable';
const lineInfrastructure = '3. Pasto conectado y sostenible';

export const demoGoals: DemoGoal[] = [
  { code: '2201001-01', department: 'SEDU', line: lineEducation, program: '2201 Calidad y fomento de la educación', name: 'Sedes educativas con conectividad', unit: 'Número', accumulation: 'sum', annual: 20, progress: [5, 6] },
  { code: '2201002-01', department: 'SEDU', line: lineEducation, program: '2201 Calidad y fomento de la educación', name: 'Docentes formados en pedagogías activas', unit: 'Número', accumulation: 'sum', annual: 200, progress: [10, 20] },
  { code: '2201003-01', department: 'SEDU', line: lineEducation, program: '2201 Calidad y fomento de la educación', name: 'Estudiantes beneficiados con alimentación escolar', unit: 'Número', accumulation: 'stock', annual: 18000, progress: [18100, 18200] },
  { code: '2201004-01', department: 'SEDU', line: lineEducation, program: '2201 Calidad y fomento de la educación', name: 'Aulas escolares mejoradas', unit: 'Número', accumulation: 'sum', annual: 12, progress: [null, null] },
  { code: '2201005-01', department: 'SEDU', line: lineEducation, program: '2201 Calidad y fomento de la educación', name: 'Estudiantes con transporte escolar', unit: 'Número', accumulation: 'sum', annual: 800, progress: [400, 500] },
  { code: '2202001-01', department: 'SEDU', line: lineEducation, program: '2202 Cobertura educativa', name: 'Tasa de deserción escolar', unit: 'Porcentaje', accumulation: 'reduction', annual: 3.5, baseline: 5.5, progress: [4.8, 4.6] },
  { code: '2202002-01', department: 'SEDU', line: lineEducation, program: '2202 Cobertura educativa', name: 'Bibliotecas escolares dotadas', unit: 'Número', accumulation: 'sum', annual: 8, quarterly: [0, 0, 4, 4], progress: [null, null] },
  { code: '1905001-01', department: 'SSAL', line: lineHealth, program: '1905 Salud pública', name: 'Cobertura de vacunación en menores de un año', unit: 'Porcentaje', accumulation: 'flow', annual: 95, progress: [93, 94] },
  { code: '1905002-01', department: 'SSAL', line: lineHealth, program: '1905 Salud pública', name: 'Campañas de salud mental realizadas', unit: 'Número', accumulation: 'sum', annual: 4, progress: [null, null] },
  { code: '1905003-01', department: 'SSAL', line: lineHealth, program: '1905 Salud pública', name: 'Tasa de mortalidad infantil por mil nacidos vivos', unit: 'Tasa', accumulation: 'reduction', annual: 9, baseline: 10, progress: [8.7, 8.5] },
  { code: '1905004-01', department: 'SSAL', line: lineHealth, program: '1905 Salud pública', name: 'Visitas de inspección sanitaria', unit: 'Número', accumulation: 'sum', annual: 1200, progress: [300, 310] },
  { code: '1906001-01', department: 'SSAL', line: lineHealth, program: '1906 Aseguramiento y prestación', name: 'Afiliados al régimen subsidiado', unit: 'Número', accumulation: 'stock', annual: 150000, progress: [148000, 149500] },
  { code: '1906002-01', department: 'SSAL', line: lineHealth, program: '1906 Aseguramiento y prestación', name: 'Puestos de salud rurales dotados', unit: 'Número', accumulation: 'sum', annual: 6, progress: [4, 4] },
  { code: '1906003-01', department: 'SSAL', line: lineHealth, program: '1906 Aseguramiento y prestación', name: 'Brigadas de salud en corregimientos', unit: 'Número', accumulation: 'sum', annual: 24, progress: [2, 3] },
  { code: '2402001-01', department: 'SINF', line: lineInfrastructure, program: '2402 Infraestructura de transporte', name: 'Vías urbanas pavimentadas', unit: 'Kilómetros', accumulation: 'sum', annual: 10, progress: [2.5, 2.4] },
  { code: '2402002-01', department: 'SINF', line: lineInfrastructure, program: '2402 Infraestructura de transporte', name: 'Vías rurales mejoradas', unit: 'Kilómetros', accumulation: 'sum', annual: 40, progress: [3, 4] },
  { code: '2402003-01', department: 'SINF', line: lineInfrastructure, program: '2402 Infraestructura de transporte', name: 'Puentes peatonales construidos', unit: 'Número', accumulation: 'sum', annual: 2, progress: [null, null] },
  { code: '4003001-01', department: 'SINF', line: lineInfrastructure, program: '4003 Acceso a agua potable', name: 'Acueductos rurales optimizados', unit: 'Número', accumulation: 'sum', annual: 4, progress: [1, 1] },
  { code: '4003002-01', department: 'SINF', line: lineInfrastructure, program: '4003 Acceso a agua potable', name: 'Índice de agua no contabilizada', unit: 'Porcentaje', accumulation: 'reduction', annual: 38, baseline: 42, progress: [39.5, 38.2] },
  { code: '4003003-01', department: 'SINF', line: lineInfrastructure, program: '4003 Acceso a agua potable', name: 'Viviendas conectadas al alcantarillado', unit: 'Número', accumulation: 'sum', annual: 600, progress: [250, 300] },
];

/** Flow, stock and reduction goals keep the same level every quarter; sums spread the year evenly. */
function quarterlySplit(goal: DemoGoal): [number, number, number, number] {
  if (goal.quarterly) return goal.quarterly;
  if (goal.accumulation !== 'sum') return [goal.annual, goal.annual, goal.annual, goal.annual];
  const quarter = goal.annual / 4;
  return [quarter, quarter, quarter, quarter];
}

const termTarget = (goal: DemoGoal) => (goal.accumulation === 'sum' ? goal.annual * DEMO_PLAN_YEARS.length : goal.annual);

export interface DemoOptions {
  planYears?: readonly number[];
  /** The year whose first two quarters get progress. */
  progressYear?: number;
}

/** Loads the demo municipality into an empty database; does nothing when departments already exist. */
export async function loadDemoData(
  db: Database,
  { planYears = DEMO_PLAN_YEARS, progressYear = DEMO_PROGRESS_YEAR }: DemoOptions = {},
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ count: sql<number>`count(*)::int` }).from(t.departments);
    if ((existing?.count ?? 0) > 0) return false;
    await tx.insert(t.departments).values(demoDepartments);
    await storeMissingDepartmentVersions(tx, 'sistema', 'Datos de demostración');
    await tx.insert(t.goals).values(
      demoGoals.map((g) => ({
        code: g.code,
        departmentCode: g.department,
        strategicLine: g.line,
        program: g.program,
        name: g.name,
        indicator: g.name,
        unit: g.unit,
        termTarget: termTarget(g),
        accumulation: g.accumulation,
        baseline: g.baseline ?? null,
      })),
    );
    await tx.insert(t.goalProgramming).values(
      demoGoals.flatMap((g) =>
        planYears.map((fiscalYear) => ({
          goalCode: g.code,
          fiscalYear,
          version: 1,
          annualTarget: g.annual,
          quarterlyTargets: quarterlySplit(g),
          reason: 'Plan Indicativo 2024–2027 (datos de demostración)',
          createdBy: 'demo',
        })),
      ),
    );
    await tx.insert(t.goalProgress).values(
      demoGoals.flatMap((g) =>
        g.progress.flatMap((executed, i) =>
          executed === null
            ? []
            : [{ goalCode: g.code, fiscalYear: progressYear, quarter: i + 1, version: 1, executed, reportedBy: 'demo' }],
        ),
      ),
    );
    await tx.insert(t.auditLog).values({ actor: 'sistema', action: 'demo.loaded', subject: 'demo', details: { goals: demoGoals.length } });
    return true;
  });
}
