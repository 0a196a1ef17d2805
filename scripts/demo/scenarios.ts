import { type GoalStatus } from '../../domain/goals';
import { DEMO_DOMAIN, MunicipalityGoal } from './municipalityData';
import { Rng } from './random';

/** The status paths goals follow over the years, and the evidence (soportes) their reports cite. */

export type Path3 = readonly [GoalStatus, GoalStatus, GoalStatus];

/**
 * 2026 T1–T3 stories and their share of the evaluated goals. Mix that results (about 3 % of goals
 * are not evaluated in 2026): T2 ≈ 56 % al día/cumplida, 22 % atrasada, 12 % no iniciada, 6 %
 * sobrecumplida; T3 ≈ 57 %, 22 %, 10 %, 8 %.
 */
export const scenarios2026: readonly { name: string; path: Path3; share: number }[] = [
  { name: 'catchUpFromZero', path: ['notStarted', 'behind', 'onTrack'], share: 0.02 },
  { name: 'lateStarter', path: ['notStarted', 'notStarted', 'behind'], share: 0.025 },
  { name: 'catchUp', path: ['behind', 'behind', 'onTrack'], share: 0.04 },
  { name: 'persistentLaggard', path: ['behind', 'behind', 'behind'], share: 0.12 },
  { name: 'slipping', path: ['onTrack', 'behind', 'behind'], share: 0.05 },
  { name: 'newSlip', path: ['onTrack', 'onTrack', 'behind'], share: 0.03 },
  { name: 'achievedEarly', path: ['onTrack', 'achieved', 'achieved'], share: 0.03 },
  { name: 'achievedInT3', path: ['onTrack', 'onTrack', 'achieved'], share: 0.04 },
  { name: 'overachiever', path: ['onTrack', 'overachieved', 'overachieved'], share: 0.065 },
  { name: 'lateOverachiever', path: ['onTrack', 'onTrack', 'overachieved'], share: 0.02 },
  { name: 'notStarted', path: ['notStarted', 'notStarted', 'notStarted'], share: 0.09 },
  { name: 'steady', path: ['onTrack', 'onTrack', 'onTrack'], share: 0.47 },
];
export type Scenario2026 = string;

export const pastYearPaths = {
  complete: ['onTrack', 'onTrack', 'onTrack', 'achieved'],
  completeOver: ['onTrack', 'onTrack', 'onTrack', 'overachieved'],
  earlyComplete: ['onTrack', 'onTrack', 'achieved', 'achieved'],
  lateComplete: ['behind', 'behind', 'onTrack', 'achieved'],
  nearly: ['onTrack', 'onTrack', 'onTrack', 'onTrack'],
  short: ['onTrack', 'onTrack', 'behind', 'behind'],
  slowAll: ['behind', 'behind', 'behind', 'behind'],
  lateStart: ['notStarted', 'notStarted', 'behind', 'onTrack'],
} as const satisfies Record<string, readonly GoalStatus[]>;
export type PastPath = keyof typeof pastYearPaths;
export const deliveredInT1: readonly GoalStatus[] = ['achieved', 'achieved', 'achieved', 'achieved'];

export function pastPathFor(rng: Rng, year: number, scenario: Scenario2026): PastPath {
  // Persistent laggards already fell behind in the second half of 2025.
  if (year === 2025 && scenario === 'persistentLaggard') return rng.pick(['short', 'slowAll', 'slowAll'] as const);
  if (year === 2025 && (scenario === 'catchUp' || scenario === 'slipping')) return rng.pick(['short', 'lateComplete', 'nearly'] as const);
  return rng.weighted<PastPath>([
    { weight: 45, value: 'complete' },
    { weight: 8, value: 'completeOver' },
    { weight: 5, value: 'earlyComplete' },
    { weight: 10, value: 'lateComplete' },
    { weight: 10, value: 'nearly' },
    { weight: 8, value: 'short' },
    { weight: 8, value: 'slowAll' },
    { weight: 6, value: 'lateStart' },
  ]);
}

// ---------------------------------------------------------------------------------------------
// Evidence (soportes)
// ---------------------------------------------------------------------------------------------

export const evidenceBySector: Record<string, readonly string[]> = {
  '22': ['Reporte SIMAT con corte al {cut}', 'Informe técnico de la Secretaría de Educación con corte al {cut}', 'Actas de entrega y registro fotográfico'],
  '19': ['Informe de gestión en salud pública con corte al {cut}', 'Reporte del sistema de información en salud con corte al {cut}', 'Actas de visita y listados de asistencia'],
  '24': ['Informe de interventoría contrato de obra {year}-{contract}', 'Acta de recibo parcial de obra contrato {year}-{contract}', 'Bitácora de obra y registro fotográfico'],
  '40': ['Informe de interventoría contrato de obra {year}-{contract}', 'Actas de entrega a beneficiarios', 'Resolución de asignación de subsidios {year}-{contract}'],
  '21': ['Informe de interventoría del contrato de alumbrado público {year}-{contract}', 'Actas de conexión del operador de red'],
  '17': ['Registro de usuarios de extensión agropecuaria con corte al {cut}', 'Listados de asistencia técnica firmados por los productores', 'Actas de entrega de insumos'],
  '32': ['Informe técnico con georreferenciación de predios con corte al {cut}', 'Actas y listados de asistencia a las jornadas', 'Certificados de aprovechamiento de las organizaciones de recicladores'],
  '33': ['Informe de actividades culturales con corte al {cut}', 'Registro fotográfico y listados de asistencia'],
  '43': ['Planillas de inscripción de participantes', 'Informe de actividades deportivas con corte al {cut}'],
  '41': ['Base de datos de beneficiarios con corte al {cut}', 'Fichas de caracterización y actas de visita domiciliaria', 'Informe del operador con corte al {cut}'],
  '45': ['Actas de reunión y listados de asistencia', 'Informe de gestión de la dependencia con corte al {cut}', 'Reporte del sistema de información de la dependencia con corte al {cut}'],
  '12': ['Reporte del sistema de información de la Casa de Justicia con corte al {cut}', 'Actas de conciliación registradas en el SICAAC'],
  '35': ['Base de datos de unidades productivas atendidas con corte al {cut}', 'Informe de supervisión del convenio con la Cámara de Comercio {year}-{contract}'],
  '36': ['Reporte de colocados del Servicio Público de Empleo con corte al {cut}', 'Certificados de formación expedidos'],
  '23': ['Reporte de disponibilidad del operador con corte al {cut}', 'Listados de asistencia a los cursos de apropiación TIC'],
};

export const pendingReasons = [
  'proceso contractual en etapa precontractual (SECOP II)',
  'a la espera de la aprobación de vigencias futuras por el Concejo',
  'estudios y diseños en revisión',
  'pendiente la cofinanciación del Departamento de Nariño',
  'contrato suspendido por temporada de lluvias',
  'convenio interadministrativo en trámite de firma',
] as const;

export const quarterCut = ['31 de marzo', '30 de junio', '30 de septiembre', '31 de diciembre'] as const;

/** Why a row reports what it reports: progress, nothing due yet, the year already met, or stalled. */
export type RowKind = 'progress' | 'nothingDue' | 'yearMet' | 'pending';

export function evidenceFor(rng: Rng, goal: MunicipalityGoal, year: number, quarter: number, kind: RowKind): string | null {
  switch (kind) {
    case 'pending':
      return rng.chance(0.85) ? `Sin avance en el trimestre: ${rng.pick(pendingReasons)}` : null;
    case 'nothingDue':
      return rng.chance(0.7) ? 'Sin actividades programadas para el trimestre' : null;
    case 'yearMet':
      return rng.chance(0.6) ? 'Meta anual cumplida en un trimestre anterior' : null;
    case 'progress':
      break;
  }
  if (rng.chance(0.07)) return null;
  const documents = evidenceBySector[goal.sectorCode] ?? [];
  const template =
    rng.chance(0.4) || documents.length === 0 ? 'Informe de supervisión contrato {year}-{contract}' : rng.pick(documents);
  const document = template
    .replace('{year}', String(year))
    .replace('{contract}', String(rng.int(1, 380)).padStart(3, '0'))
    .replace('{cut}', `${quarterCut[quarter - 1]} de ${year}`);
  const link = `https://www.${DEMO_DOMAIN}/soportes/${year}/T${quarter}/${goal.departmentCode.toLowerCase()}/${goal.code}.pdf`;
  return `${document}; ${link}`;
}
