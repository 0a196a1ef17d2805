import { sql } from 'drizzle-orm';
import {
  classifyMeasurement,
  defaultThresholds,
  measureGoal,
  type AccumulationType,
  type GoalStatus,
  type Quarter,
  type QuarterlyExecution,
  type YearProgramming,
} from '../domain/goals';
import type { Database } from './client';
import * as t from './schema';

/**
 * The demo municipality loaded at first start: a mid-size Colombian municipality (Pasto, DANE 52001)
 * with 15 dependencias, ~300 product goals of a 2024–2027 Plan de Desarrollo, their programming and
 * the progress reported from 2024 T1 to 2026 T3 (the last closed quarter on 2026-11-25).
 *
 * Everything comes from a seeded PRNG (mulberry32): the same seed gives byte-identical data. The
 * 2026 T1–T3 statuses are drawn from quotas and each goal's values are checked against the domain's
 * own classification (measureGoal + classifyMeasurement with defaultThresholds), so the status mix
 * a cycle sees is the one designed here: about 55 % al día/cumplidas, 20 % atrasadas, 10 % no
 * iniciadas, 7 % sobrecumplidas and a few not evaluated, with persistent laggards and catch-ups.
 */

export const MUNICIPALITY_SEED = 52001;
export const MUNICIPALITY_PLAN_YEARS = [2024, 2025, 2026, 2027] as const;
/** The last closed quarter with progress: 2026 T3. */
export const MUNICIPALITY_LAST_REPORTED = { fiscalYear: 2026, quarter: 3 } as const;
export const MUNICIPALITY_PROGRAMMING_REASON = 'Plan Indicativo 2024–2027 (datos de demostración)';
export const MUNICIPALITY_ACTOR = 'demo';
const DEMO_DOMAIN = 'demo.gov.co';

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

// ---------------------------------------------------------------------------------------------
// Seeded randomness
// ---------------------------------------------------------------------------------------------

/** FNV-1a over the key, mixed with the seed: independent streams per goal and purpose. */
function streamSeed(seed: number, key: string): number {
  let h = (2166136261 ^ seed) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h;
}

class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** mulberry32: uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let r = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  }
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }
  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(probability: number): boolean {
    return this.next() < probability;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  weighted<T>(items: readonly { weight: number; value: T }[]): T {
    const total = items.reduce((acc, i) => acc + i.weight, 0);
    let r = this.next() * total;
    for (const item of items) {
      r -= item.weight;
      if (r < 0) return item.value;
    }
    const last = items.at(-1);
    if (!last) throw new Error('weighted pick from an empty list');
    return last.value;
  }
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }
}

const rngFor = (seed: number, ...key: (string | number)[]) => new Rng(streamSeed(seed, key.join('|')));

// ---------------------------------------------------------------------------------------------
// Spanish (Colombia) number format, used in goal descriptions and in the sample CSV files
// ---------------------------------------------------------------------------------------------

/** 1234.5 → "1.234,5"; 18000 → "18.000"; trailing decimal zeros are dropped. */
export function formatSpanishNumber(value: number, maxDecimals = 2): string {
  const negative = value < 0;
  const [integerPart = '0', decimalPart = ''] = Math.abs(value).toFixed(maxDecimals).split('.');
  const decimals = decimalPart.replace(/0+$/, '');
  const grouped = integerPart.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${negative ? '-' : ''}${grouped}${decimals ? `,${decimals}` : ''}`;
}

// ---------------------------------------------------------------------------------------------
// Catalogue: departments, strategic lines, MGA sectors, programs and products
// ---------------------------------------------------------------------------------------------

const departmentCatalogue = [
  { code: 'SEDU', name: 'Secretaría de Educación', mailbox: 'educacion' },
  { code: 'SSAL', name: 'Secretaría de Salud', mailbox: 'salud' },
  { code: 'SINF', name: 'Secretaría de Infraestructura y Obras Públicas', mailbox: 'infraestructura' },
  { code: 'SGOB', name: 'Secretaría de Gobierno', mailbox: 'gobierno' },
  { code: 'SDEC', name: 'Secretaría de Desarrollo Económico y Competitividad', mailbox: 'desarrolloeconomico' },
  { code: 'SAMA', name: 'Secretaría de Agricultura y Medio Ambiente', mailbox: 'agriculturayambiente' },
  { code: 'SBIS', name: 'Secretaría de Bienestar Social', mailbox: 'bienestarsocial' },
  { code: 'SCUL', name: 'Secretaría de Cultura', mailbox: 'cultura' },
  { code: 'IDRE', name: 'Instituto Municipal de Deportes y Recreación', mailbox: 'deportes' },
  { code: 'STRM', name: 'Secretaría de Tránsito y Movilidad', mailbox: 'transito' },
  { code: 'OGRD', name: 'Oficina de Gestión del Riesgo de Desastres', mailbox: 'gestiondelriesgo' },
  { code: 'SHAC', name: 'Secretaría de Hacienda', mailbox: 'hacienda' },
  { code: 'OPLA', name: 'Oficina de Planeación', mailbox: 'planeacion' },
  { code: 'SMEG', name: 'Secretaría de las Mujeres y Equidad de Género', mailbox: 'mujeres' },
  { code: 'SVIV', name: 'Secretaría de Vivienda y Hábitat', mailbox: 'vivienda' },
] as const;
type DepartmentCode = (typeof departmentCatalogue)[number]['code'];

const givenNames = [
  'Ana Lucía', 'María Fernanda', 'Jorge Eliécer', 'Carlos Andrés', 'Diana Marcela', 'Luis Fernando', 'Paola Andrea',
  'Juan Camilo', 'Claudia Patricia', 'Andrés Felipe', 'Sandra Milena', 'Óscar Javier', 'Lina María', 'Jhon Jairo',
  'Gloria Esperanza', 'Diego Armando', 'Adriana Lucía', 'Édgar Mauricio', 'Yolanda Isabel', 'Hernán Darío',
  'Natalia Alejandra', 'Wilson Orlando', 'Liliana Patricia', 'Mauricio Javier', 'Carolina', 'Fabián Ernesto',
] as const;
const surnames = [
  'Rosero', 'Bravo', 'Guerrero', 'Ortiz', 'Burbano', 'Benavides', 'Erazo', 'Insuasty', 'Delgado', 'Chamorro',
  'Villota', 'Enríquez', 'Mora', 'Córdoba', 'Cabrera', 'Pantoja', 'Muñoz', 'Zambrano', 'Narváez', 'Ordóñez',
  'Paz', 'Santacruz', 'Jurado', 'Moncayo', 'Caicedo', 'Realpe', 'Timarán', 'Obando', 'Goyes', 'Arteaga',
] as const;

const strategicLines = [
  '1. Pasto con equidad y bienestar social',
  '2. Pasto productivo, competitivo e innovador',
  '3. Pasto sostenible y resiliente frente al cambio climático',
  '4. Pasto conectado: infraestructura, movilidad y hábitat',
  '5. Pasto seguro, en paz y con buen gobierno',
] as const;

const sectors: Record<string, string> = {
  '12': 'Justicia y del derecho',
  '17': 'Agricultura y desarrollo rural',
  '19': 'Salud y protección social',
  '21': 'Minas y energía',
  '22': 'Educación',
  '23': 'Tecnologías de la información y las comunicaciones',
  '24': 'Transporte',
  '32': 'Ambiente y desarrollo sostenible',
  '33': 'Cultura',
  '35': 'Comercio, industria y turismo',
  '36': 'Trabajo',
  '40': 'Vivienda, ciudad y territorio',
  '41': 'Inclusión social y reconciliación',
  '43': 'Deporte y recreación',
  '45': 'Gobierno territorial',
};

/** Units and the resolution their values are kept at. */
const unitSteps = {
  Número: 1,
  Porcentaje: 0.1,
  Kilómetros: 0.1,
  'Metros cuadrados': 1,
  'Metros lineales': 1,
  Hectáreas: 1,
  Toneladas: 1,
  Puntos: 0.1,
  'Tasa por 1.000 nacidos vivos': 0.1,
  'Tasa por 1.000 mujeres de 15 a 19 años': 0.1,
  'Tasa por 100.000 habitantes': 0.1,
  'Kilogramos por habitante al día': 0.01,
} as const;
type Unit = keyof typeof unitSteps;

/** How a year's programming of a suma goal is spread over the quarters. */
const seasons = {
  even: [1, 1, 1, 1],
  /** Works: contracts awarded in the first half, executed in the second. */
  works: [0.5, 2, 3.5, 4],
  /** School calendar A (February–November). */
  school: [3, 3, 1.5, 2.5],
  campaign: [1.5, 3, 3, 2.5],
  yearEnd: [0.5, 2, 2.5, 5],
  /** Carnaval de Negros y Blancos: first days of January. */
  january: [1, 0, 0, 0],
} as const satisfies Record<string, QuarterlyTargets>;
type Season = keyof typeof seasons;

interface ProductSpec {
  /** Last three digits of the MGA product code. */
  code: string;
  product: string;
  indicator: string;
  unit: Unit;
  accumulation: AccumulationType;
  /** Suma: range of the 4-year target; flujo, stock and reducción: range of the final level. */
  target: readonly [number, number];
  /** Flujo and reducción: range of the level at the start of the term (línea base). */
  baseline?: readonly [number, number];
  /** Description of the goal; {n} is replaced by the meta cuatrienio. */
  goal: string;
  /** Qualifiers that split the product into several goals (one goal each). */
  variants: readonly string[];
  season: Season;
  /** A single deliverable (a plan, a policy) programmed in one year only. */
  oneOff: boolean;
}

interface ProgramSpec {
  department: DepartmentCode;
  line: number;
  sectorCode: string;
  programCode: string;
  program: string;
  products: ProductSpec[];
}

interface SumOptions {
  variants?: readonly string[];
  season?: Season;
  oneOff?: boolean;
}

const sum = (
  code: string,
  product: string,
  indicator: string,
  unit: Unit,
  target: readonly [number, number],
  goal: string,
  { variants = [], season = 'even', oneOff = false }: SumOptions = {},
): ProductSpec => ({ code, product, indicator, unit, accumulation: 'sum', target, goal, variants, season, oneOff });

const level = (
  accumulation: 'flow' | 'stock' | 'reduction',
  code: string,
  product: string,
  indicator: string,
  unit: Unit,
  baseline: readonly [number, number],
  target: readonly [number, number],
  goal: string,
  variants: readonly string[] = [],
): ProductSpec => ({ code, product, indicator, unit, accumulation, baseline, target, goal, variants, season: 'even', oneOff: false });

const RURAL = 'en la zona rural';
const URBAN = 'en la zona urbana';
const CORREG = 'en los corregimientos';
const ETHNIC = 'con enfoque diferencial étnico';
const VICTIMS = 'para población víctima del conflicto armado';
const DISABILITY = 'para personas con discapacidad';
const ELDERLY = 'para personas mayores';
const WOMEN = 'para mujeres rurales';
const YOUTH = 'para jóvenes de 14 a 28 años';
const SCHOOLS = 'en instituciones educativas oficiales';

const programs: ProgramSpec[] = [
  // ---------------------------------------------------------------- Educación
  {
    department: 'SEDU', line: 1, sectorCode: '22', programCode: '2201',
    program: 'Calidad, cobertura y fortalecimiento de la educación inicial, prescolar, básica y media',
    products: [
      level('stock', '006', 'Servicio de alimentación escolar', 'Beneficiarios de la alimentación escolar', 'Número', [16000, 22000], [16000, 22000], 'Atender {n} estudiantes con el Programa de Alimentación Escolar (PAE)', [RURAL, URBAN, 'en instituciones etnoeducativas']),
      level('stock', '029', 'Servicio de transporte escolar', 'Beneficiarios de transporte escolar', 'Número', [1200, 2400], [1200, 2400], 'Garantizar transporte escolar a {n} estudiantes', ['de la zona rural dispersa', 'de corregimientos de difícil acceso']),
      sum('052', 'Infraestructura educativa mejorada', 'Sedes educativas mejoradas', 'Número', [14, 30], 'Mejorar {n} sedes educativas oficiales', { variants: [RURAL, URBAN], season: 'works' }),
      sum('051', 'Ambientes de aprendizaje construidos', 'Aulas nuevas construidas', 'Número', [10, 24], 'Construir {n} aulas escolares', { variants: ['en instituciones educativas rurales', 'para la implementación de la jornada única'], season: 'works' }),
      sum('064', 'Servicio de dotación de ambientes de aprendizaje', 'Sedes educativas dotadas', 'Número', [40, 80], 'Dotar {n} sedes educativas', { variants: ['con mobiliario escolar', 'con laboratorios de ciencias', 'con bibliotecas escolares', 'rurales con material pedagógico'], season: 'yearEnd' }),
      level('stock', '062', 'Servicio de conectividad para sedes educativas', 'Sedes educativas oficiales con conectividad', 'Número', [60, 110], [60, 110], 'Mantener {n} sedes educativas oficiales conectadas a internet', [RURAL, URBAN]),
      sum('019', 'Servicio de formación a docentes', 'Docentes y directivos docentes formados', 'Número', [600, 1200], 'Formar {n} docentes y directivos docentes', { variants: ['en pedagogías activas y bilingüismo', 'en educación inclusiva', 'en competencias socioemocionales', 'en pensamiento computacional'], season: 'school' }),
      level('flow', '037', 'Servicio de apoyo a la implementación de la jornada única', 'Estudiantes atendidos en jornada única', 'Número', [2500, 3400], [5000, 7000], 'Ampliar a {n} los estudiantes atendidos en jornada única', [URBAN, RURAL]),
      level('flow', '070', 'Servicio de educación inicial en el marco de la atención integral', 'Niños y niñas en prescolar con atención integral', 'Número', [2800, 3200], [3800, 4600], 'Atender {n} niños y niñas de prescolar con educación inicial integral', [URBAN, RURAL]),
      level('reduction', '025', 'Servicio de apoyo a la permanencia', 'Tasa de deserción intra-anual en educación básica y media', 'Porcentaje', [3.8, 4.6], [2.5, 3], 'Reducir al {n} % la tasa de deserción escolar intra-anual', [URBAN, RURAL]),
      sum('030', 'Servicio de educación para jóvenes y adultos', 'Personas alfabetizadas', 'Número', [800, 1500], 'Alfabetizar {n} jóvenes y adultos', { variants: ['de la zona rural', VICTIMS, 'de comunidades indígenas', 'privados de la libertad'], season: 'school' }),
      sum('071', 'Servicio de fomento del bilingüismo', 'Estudiantes beneficiados con estrategias de bilingüismo', 'Número', [2000, 4000], 'Beneficiar {n} estudiantes con estrategias de fortalecimiento del inglés', { variants: ['en educación básica secundaria', 'en educación media'], season: 'school' }),
      level('stock', '053', 'Servicio de educación inclusiva', 'Estudiantes con discapacidad atendidos con apoyos pedagógicos', 'Número', [600, 900], [600, 900], 'Atender {n} estudiantes con discapacidad con apoyos pedagógicos y ajustes razonables', [URBAN, RURAL]),
    ],
  },
  {
    department: 'SEDU', line: 1, sectorCode: '22', programCode: '2202',
    program: 'Calidad y fomento de la educación superior',
    products: [
      sum('005', 'Servicio de apoyo financiero para el acceso a la educación superior', 'Beneficiarios de becas y créditos condonables', 'Número', [400, 900], 'Otorgar {n} becas y créditos condonables para educación superior', { variants: ['a jóvenes de la zona rural', 'a bachilleres de colegios oficiales', VICTIMS], season: 'campaign' }),
      sum('028', 'Servicio de orientación socio-ocupacional', 'Estudiantes de media con orientación socio-ocupacional', 'Número', [3000, 6000], 'Brindar orientación socio-ocupacional a {n} estudiantes de educación media', { variants: [URBAN, RURAL], season: 'school' }),
    ],
  },
  // ---------------------------------------------------------------- Salud y protección social
  {
    department: 'SSAL', line: 1, sectorCode: '19', programCode: '1905', program: 'Salud pública',
    products: [
      level('flow', '015', 'Servicio de vacunación', 'Cobertura de vacunación con terceras dosis de pentavalente en menores de un año', 'Porcentaje', [86, 89], [93, 95], 'Alcanzar una cobertura de vacunación del {n} % en menores de un año', [URBAN, RURAL]),
      sum('021', 'Servicio de promoción de la salud mental', 'Campañas de promoción de la salud mental realizadas', 'Número', [16, 32], 'Realizar {n} campañas de promoción de la salud mental y prevención de la conducta suicida', { variants: [SCHOOLS, RURAL, YOUTH], season: 'campaign' }),
      level('reduction', '031', 'Servicio de gestión del riesgo en salud infantil', 'Tasa de mortalidad en menores de un año', 'Tasa por 1.000 nacidos vivos', [10.5, 12], [8.5, 9.5], 'Reducir a {n} por cada 1.000 nacidos vivos la tasa de mortalidad infantil'),
      level('reduction', '034', 'Servicio de gestión del riesgo en salud sexual y reproductiva', 'Tasa específica de fecundidad en adolescentes de 15 a 19 años', 'Tasa por 1.000 mujeres de 15 a 19 años', [48, 56], [38, 44], 'Reducir a {n} por cada 1.000 la tasa de fecundidad en adolescentes de 15 a 19 años'),
      sum('026', 'Servicio de promoción de estilos de vida saludables', 'Personas beneficiadas con estrategias de estilos de vida saludable', 'Número', [8000, 15000], 'Beneficiar {n} personas con estrategias de estilos de vida saludable', { variants: [ELDERLY, 'en entornos laborales', RURAL, SCHOOLS], season: 'campaign' }),
      sum('040', 'Servicio de vigilancia de la calidad del agua para consumo humano', 'Muestras de agua para consumo humano analizadas', 'Número', [1200, 2000], 'Analizar {n} muestras de agua para consumo humano', { variants: ['de acueductos urbanos', 'de acueductos rurales'] }),
      sum('043', 'Servicio de gestión del riesgo en seguridad alimentaria y nutricional', 'Niños y niñas menores de cinco años con seguimiento nutricional', 'Número', [6000, 10000], 'Hacer seguimiento nutricional a {n} niños y niñas menores de cinco años', { variants: ['de la zona rural', 'de comunidades indígenas'] }),
      sum('047', 'Servicio de vacunación antirrábica', 'Perros y gatos vacunados contra la rabia', 'Número', [40000, 60000], 'Vacunar {n} perros y gatos contra la rabia', { variants: [URBAN, RURAL], season: 'campaign' }),
      level('reduction', '044', 'Servicio de atención nutricional', 'Prevalencia de desnutrición aguda en menores de cinco años', 'Porcentaje', [1.8, 2.4], [1, 1.4], 'Reducir al {n} % la prevalencia de desnutrición aguda en menores de cinco años'),
    ],
  },
  {
    department: 'SSAL', line: 1, sectorCode: '19', programCode: '1903', program: 'Inspección, vigilancia y control',
    products: [
      sum('012', 'Servicio de inspección, vigilancia y control sanitario', 'Visitas de inspección sanitaria realizadas', 'Número', [4000, 6000], 'Realizar {n} visitas de inspección, vigilancia y control sanitario', { variants: ['a establecimientos de alimentos y bebidas', 'a establecimientos de alto riesgo sanitario', 'a instituciones educativas'] }),
    ],
  },
  {
    department: 'SSAL', line: 1, sectorCode: '19', programCode: '1906', program: 'Aseguramiento y prestación integral de servicios de salud',
    products: [
      level('stock', '004', 'Servicio de afiliaciones al régimen subsidiado', 'Personas afiliadas al régimen subsidiado', 'Número', [180000, 200000], [180000, 200000], 'Mantener {n} personas afiliadas al régimen subsidiado de salud'),
      level('flow', '005', 'Servicio de aseguramiento en salud', 'Cobertura de aseguramiento en salud', 'Porcentaje', [95, 96.5], [97.5, 98.5], 'Alcanzar una cobertura del {n} % en el aseguramiento en salud'),
      sum('023', 'Infraestructura hospitalaria dotada', 'Puestos y centros de salud dotados', 'Número', [6, 12], 'Dotar {n} puestos y centros de salud de la ESE municipal', { variants: [RURAL, URBAN], season: 'yearEnd' }),
      sum('021', 'Infraestructura hospitalaria adecuada', 'Puestos de salud adecuados', 'Número', [4, 10], 'Adecuar {n} puestos de salud', { variants: [CORREG, 'en barrios periféricos'], season: 'works' }),
      sum('042', 'Servicio de atención en salud extramural', 'Brigadas extramurales de salud realizadas', 'Número', [60, 120], 'Realizar {n} brigadas extramurales de salud', { variants: [CORREG, 'con población indígena', 'en barrios periféricos'] }),
      sum('044', 'Servicio de telemedicina', 'Atenciones realizadas por telemedicina', 'Número', [3000, 6000], 'Prestar {n} atenciones en salud por telemedicina', { variants: [RURAL, 'en centros de salud urbanos'] }),
    ],
  },
  // ---------------------------------------------------------------- Infraestructura y obras públicas
  {
    department: 'SINF', line: 4, sectorCode: '24', programCode: '2402', program: 'Infraestructura red vial regional',
    products: [
      sum('114', 'Vía terciaria mejorada', 'Vía terciaria mejorada', 'Kilómetros', [30, 60], 'Mejorar {n} km de vías terciarias', { variants: ['en corregimientos del norte', 'en corregimientos del sur', 'en corregimientos del oriente', 'en corregimientos del occidente'], season: 'works' }),
      sum('115', 'Placa huella construida', 'Placa huella construida', 'Kilómetros', [4, 10], 'Construir {n} km de placa huella en vías rurales', { variants: ['en zonas de alta pendiente', 'en veredas de los corregimientos del sur'], season: 'works' }),
      sum('041', 'Vía urbana pavimentada', 'Vía urbana pavimentada', 'Kilómetros', [10, 20], 'Pavimentar {n} km de vías urbanas', { variants: ['en las comunas 1 a 6', 'en las comunas 7 a 12'], season: 'works' }),
      sum('042', 'Vía urbana rehabilitada', 'Vía urbana rehabilitada', 'Kilómetros', [15, 30], 'Rehabilitar {n} km de vías urbanas', { variants: ['en la malla vial arterial', 'en vías barriales'], season: 'works' }),
      sum('021', 'Puentes construidos en vía terciaria', 'Puentes construidos', 'Número', [4, 8], 'Construir {n} puentes vehiculares en vías rurales', { season: 'works' }),
      sum('117', 'Vía terciaria con mantenimiento', 'Vía terciaria con mantenimiento rutinario', 'Kilómetros', [300, 500], 'Realizar mantenimiento rutinario a {n} km de vías terciarias', { variants: ['con maquinaria del banco municipal', 'por administración directa'] }),
      sum('061', 'Andenes construidos', 'Andenes construidos', 'Metros cuadrados', [8000, 15000], 'Construir {n} m² de andenes accesibles', { variants: ['en el centro histórico', 'en entornos escolares'], season: 'works' }),
    ],
  },
  {
    department: 'SINF', line: 3, sectorCode: '40', programCode: '4003',
    program: 'Acceso de la población a los servicios de agua potable y saneamiento básico',
    products: [
      sum('017', 'Acueductos optimizados', 'Acueductos rurales optimizados', 'Número', [8, 16], 'Optimizar {n} acueductos rurales', { variants: ['con sistemas de potabilización', 'con ampliación de redes'], season: 'works' }),
      sum('018', 'Alcantarillados construidos', 'Redes de alcantarillado construidas', 'Metros lineales', [6000, 12000], 'Construir {n} metros lineales de redes de alcantarillado', { variants: [RURAL, 'en barrios periféricos', 'en centros poblados rurales'], season: 'works' }),
      level('reduction', '036', 'Servicio de reducción de pérdidas de agua', 'Índice de agua no contabilizada', 'Porcentaje', [40, 44], [34, 37], 'Reducir al {n} % el índice de agua no contabilizada'),
      sum('020', 'Unidades sanitarias construidas', 'Unidades sanitarias construidas en vivienda rural', 'Número', [150, 300], 'Construir {n} unidades sanitarias en viviendas rurales', { variants: ['con sistemas sépticos', 'en resguardos indígenas'], season: 'works' }),
      level('flow', '044', 'Servicio de acueducto rural', 'Cobertura de acueducto en la zona rural', 'Porcentaje', [72, 78], [82, 86], 'Alcanzar una cobertura de acueducto rural del {n} %'),
    ],
  },
  {
    department: 'SINF', line: 4, sectorCode: '21', programCode: '2102', program: 'Consolidación productiva del sector de energía eléctrica',
    products: [
      sum('011', 'Servicio de alumbrado público', 'Luminarias modernizadas a tecnología LED', 'Número', [3000, 6000], 'Modernizar {n} luminarias del alumbrado público a tecnología LED', { variants: [RURAL, 'en parques y escenarios públicos', URBAN] }),
      sum('013', 'Redes de distribución de energía eléctrica', 'Viviendas rurales conectadas a energía eléctrica', 'Número', [200, 500], 'Conectar {n} viviendas rurales a la energía eléctrica', { variants: ['con soluciones solares fotovoltaicas', 'mediante extensión de redes de distribución'], season: 'works' }),
    ],
  },
  {
    department: 'SINF', line: 4, sectorCode: '21', programCode: '2101', program: 'Acceso al servicio público domiciliario de gas combustible',
    products: [
      sum('004', 'Servicio de conexión a gas natural', 'Viviendas conectadas a gas natural', 'Número', [2000, 5000], 'Conectar {n} viviendas de estratos 1 y 2 al servicio de gas natural', { variants: [URBAN, CORREG] }),
    ],
  },
  // ---------------------------------------------------------------- Gobierno, justicia y víctimas
  {
    department: 'SGOB', line: 5, sectorCode: '45', programCode: '4501', program: 'Fortalecimiento de la convivencia y la seguridad ciudadana',
    products: [
      sum('004', 'Servicio de videovigilancia', 'Cámaras de videovigilancia instaladas', 'Número', [60, 120], 'Instalar {n} cámaras de videovigilancia conectadas al centro de monitoreo', { variants: [URBAN, RURAL, 'en entornos escolares'], season: 'works' }),
      sum('016', 'Servicio de promoción de la convivencia', 'Frentes de seguridad ciudadana conformados', 'Número', [40, 80], 'Conformar {n} frentes de seguridad ciudadana', { variants: ['en las comunas', CORREG] }),
      level('reduction', '020', 'Servicio de prevención del delito', 'Tasa de homicidios', 'Tasa por 100.000 habitantes', [12, 15], [9, 11], 'Reducir a {n} por cada 100.000 habitantes la tasa de homicidios'),
      sum('030', 'Documentos de planeación en seguridad', 'Plan Integral de Seguridad y Convivencia Ciudadana formulado', 'Número', [1, 1], 'Formular {n} Plan Integral de Seguridad y Convivencia Ciudadana (PISCC)', { oneOff: true }),
      sum('018', 'Servicio de prevención de violencias', 'Jornadas de prevención del delito realizadas', 'Número', [100, 200], 'Realizar {n} jornadas de prevención del delito y la violencia', { variants: [SCHOOLS, 'con jóvenes en riesgo', 'en zonas de tolerancia'] }),
    ],
  },
  {
    department: 'SGOB', line: 5, sectorCode: '45', programCode: '4502',
    program: 'Fortalecimiento del buen gobierno para el respeto y garantía de los derechos humanos',
    products: [
      sum('001', 'Servicio de asistencia técnica a organizaciones comunales', 'Juntas de acción comunal fortalecidas', 'Número', [150, 300], 'Fortalecer {n} juntas de acción comunal', { variants: [URBAN, RURAL] }),
      sum('024', 'Servicio de apoyo a la participación ciudadana', 'Iniciativas de presupuesto participativo apoyadas', 'Número', [40, 80], 'Apoyar {n} iniciativas de presupuesto participativo', { variants: ['en las comunas', CORREG], season: 'yearEnd' }),
      sum('019', 'Servicio de educación en derechos humanos', 'Personas capacitadas en derechos humanos', 'Número', [2000, 4000], 'Capacitar {n} personas en derechos humanos y paz', { variants: [YOUTH, 'de organizaciones sociales', SCHOOLS] }),
    ],
  },
  {
    department: 'SGOB', line: 5, sectorCode: '12', programCode: '1202', program: 'Promoción al acceso a la justicia',
    products: [
      sum('005', 'Servicio de justicia cercana al ciudadano', 'Atenciones en la Casa de Justicia', 'Número', [20000, 30000], 'Brindar {n} atenciones en la Casa de Justicia y los centros de convivencia', { variants: [URBAN, CORREG] }),
      sum('007', 'Servicio de conciliación en equidad', 'Conciliaciones en equidad realizadas', 'Número', [1500, 3000], 'Realizar {n} conciliaciones en equidad', { variants: [URBAN, CORREG] }),
      level('stock', '010', 'Servicio de atención en comisarías de familia', 'Comisarías de familia en funcionamiento', 'Número', [6, 6], [6, 6], 'Mantener {n} comisarías de familia en funcionamiento permanente'),
    ],
  },
  {
    department: 'SGOB', line: 5, sectorCode: '41', programCode: '4101', program: 'Atención, asistencia y reparación integral a las víctimas',
    products: [
      sum('025', 'Servicio de ayuda y atención humanitaria', 'Personas víctimas con ayuda humanitaria inmediata', 'Número', [1500, 3000], 'Entregar ayuda humanitaria inmediata a {n} personas víctimas del conflicto armado', { variants: ['recién llegadas al municipio', 'en situación de desplazamiento masivo'] }),
      sum('038', 'Servicio de apoyo a unidades productivas de víctimas', 'Proyectos productivos de víctimas apoyados', 'Número', [60, 120], 'Apoyar {n} proyectos productivos de personas víctimas', { variants: [RURAL, 'liderados por mujeres'], season: 'yearEnd' }),
      sum('031', 'Servicio de atención psicosocial', 'Personas víctimas con atención psicosocial', 'Número', [800, 1600], 'Brindar atención psicosocial a {n} personas víctimas del conflicto armado', { variants: [URBAN, RURAL, ETHNIC] }),
    ],
  },
  // ---------------------------------------------------------------- Desarrollo económico, trabajo y TIC
  {
    department: 'SDEC', line: 2, sectorCode: '35', programCode: '3502', program: 'Productividad y competitividad de las empresas colombianas',
    products: [
      sum('046', 'Servicio de asistencia técnica a unidades productivas', 'Unidades productivas asistidas técnicamente', 'Número', [600, 1200], 'Brindar asistencia técnica a {n} unidades productivas', { variants: ['lideradas por mujeres', 'de jóvenes emprendedores', 'del sector artesanal', 'del sector del cuero y la marroquinería'] }),
      sum('011', 'Servicio de apoyo a la comercialización', 'Ferias empresariales y de emprendimiento realizadas', 'Número', [12, 24], 'Realizar {n} ferias empresariales y de emprendimiento', { season: 'yearEnd' }),
      sum('017', 'Servicio de apoyo financiero para el emprendimiento', 'Emprendimientos con capital semilla', 'Número', [200, 400], 'Entregar capital semilla a {n} emprendimientos', { variants: ['de economía popular', 'de base tecnológica'], season: 'yearEnd' }),
      sum('022', 'Servicio de promoción turística', 'Campañas de promoción turística realizadas', 'Número', [8, 16], 'Realizar {n} campañas de promoción turística de Pasto y la laguna de La Cocha', { variants: ['en mercados nacionales', 'en mercados internacionales'] }),
      sum('025', 'Servicio de formación en turismo', 'Prestadores de servicios turísticos capacitados', 'Número', [300, 600], 'Capacitar {n} prestadores de servicios turísticos', { variants: [RURAL, 'en turismo comunitario'] }),
      level('stock', '027', 'Servicio de información turística', 'Puntos de información turística en funcionamiento', 'Número', [4, 5], [4, 5], 'Mantener {n} puntos de información turística en funcionamiento'),
    ],
  },
  {
    department: 'SDEC', line: 2, sectorCode: '36', programCode: '3602', program: 'Generación y formalización del empleo',
    products: [
      sum('018', 'Servicio de gestión y colocación de empleo', 'Personas vinculadas laboralmente por la agencia pública de empleo', 'Número', [1500, 3000], 'Vincular laboralmente a {n} personas a través de la agencia pública de empleo', { variants: [YOUTH, 'para mujeres', DISABILITY, VICTIMS] }),
      sum('020', 'Servicio de intermediación laboral', 'Ferias de empleo realizadas', 'Número', [8, 16], 'Realizar {n} ferias de empleo', { variants: [URBAN, CORREG] }),
    ],
  },
  {
    department: 'SDEC', line: 2, sectorCode: '36', programCode: '3603', program: 'Formación para el trabajo',
    products: [
      sum('002', 'Servicio de formación para el trabajo', 'Personas formadas en competencias laborales', 'Número', [1200, 2400], 'Formar {n} personas en competencias laborales', { variants: ['en convenio con el SENA', 'en economía digital', 'en oficios de la construcción', 'para mujeres cabeza de hogar'], season: 'school' }),
    ],
  },
  {
    department: 'SDEC', line: 2, sectorCode: '23', programCode: '2301', program: 'Facilitar el acceso y uso de las Tecnologías de la Información y las Comunicaciones',
    products: [
      level('stock', '018', 'Servicio de acceso a zonas digitales', 'Zonas wifi gratuitas en funcionamiento', 'Número', [25, 40], [25, 40], 'Mantener {n} zonas wifi gratuitas en funcionamiento', [URBAN, RURAL]),
      sum('021', 'Servicio de educación informal en TIC', 'Personas capacitadas en TIC', 'Número', [4000, 8000], 'Capacitar {n} personas en uso y apropiación de las TIC', { variants: [ELDERLY, WOMEN, 'para pequeños comerciantes', YOUTH] }),
    ],
  },
  // ---------------------------------------------------------------- Agricultura y medio ambiente
  {
    department: 'SAMA', line: 2, sectorCode: '17', programCode: '1702', program: 'Inclusión productiva de pequeños productores rurales',
    products: [
      sum('007', 'Servicio de extensión agropecuaria', 'Productores beneficiados con extensión agropecuaria', 'Número', [3000, 6000], 'Prestar el servicio de extensión agropecuaria a {n} productores', { variants: ['cafeteros', 'de papa y hortalizas', 'lecheros', 'de cuy y especies menores', 'de frutales de clima frío'] }),
      sum('014', 'Servicio de apoyo a la comercialización', 'Mercados campesinos realizados', 'Número', [80, 150], 'Realizar {n} mercados campesinos', { variants: [URBAN, CORREG, 'en plazas de mercado'] }),
      sum('017', 'Servicio de apoyo a la asociatividad', 'Asociaciones de productores fortalecidas', 'Número', [30, 60], 'Fortalecer {n} asociaciones de productores', { variants: ['de mujeres rurales', 'de jóvenes rurales'] }),
      sum('021', 'Servicio de apoyo a la producción para autoconsumo', 'Huertas caseras establecidas', 'Número', [800, 1500], 'Establecer {n} huertas caseras para la seguridad alimentaria', { variants: ['con mujeres rurales', 'en instituciones educativas rurales', 'en resguardos indígenas'], season: 'campaign' }),
    ],
  },
  {
    department: 'SAMA', line: 2, sectorCode: '17', programCode: '1709', program: 'Infraestructura de producción y comercialización',
    products: [
      sum('043', 'Reservorios construidos', 'Reservorios para riego construidos', 'Número', [40, 80], 'Construir {n} reservorios para riego de pequeña escala', { variants: ['en corregimientos del norte', 'en corregimientos del sur'], season: 'works' }),
      sum('036', 'Centros de acopio adecuados', 'Centros de acopio adecuados', 'Número', [3, 6], 'Adecuar {n} centros de acopio de leche y productos agrícolas', { season: 'works' }),
    ],
  },
  {
    department: 'SAMA', line: 3, sectorCode: '32', programCode: '3202', program: 'Conservación de la biodiversidad y sus servicios ecosistémicos',
    products: [
      sum('005', 'Servicio de restauración de ecosistemas', 'Áreas en proceso de restauración', 'Hectáreas', [200, 400], 'Restaurar {n} hectáreas de ecosistemas estratégicos', { variants: ['en la cuenca alta del río Pasto', 'en zona de páramo', 'en el entorno de la laguna de La Cocha'], season: 'campaign' }),
      sum('009', 'Servicio de reforestación', 'Árboles nativos sembrados', 'Número', [40000, 80000], 'Sembrar {n} árboles nativos', { variants: ['en rondas hídricas', 'en espacio público urbano', 'en áreas de recarga hídrica'], season: 'campaign' }),
      sum('037', 'Áreas de importancia estratégica adquiridas', 'Predios adquiridos para protección de fuentes hídricas', 'Hectáreas', [100, 300], 'Adquirir {n} hectáreas para la protección de fuentes abastecedoras de acueductos', { season: 'yearEnd' }),
    ],
  },
  {
    department: 'SAMA', line: 3, sectorCode: '32', programCode: '3203', program: 'Gestión integral del recurso hídrico',
    products: [
      level('stock', '010', 'Servicio de pago por servicios ambientales', 'Hectáreas con pago por servicios ambientales', 'Hectáreas', [300, 600], [300, 600], 'Mantener {n} hectáreas con esquemas de pago por servicios ambientales', ['en la cuenca del río Pasto', 'en la cuenca del río Bobo']),
    ],
  },
  {
    department: 'SAMA', line: 3, sectorCode: '32', programCode: '3206', program: 'Gestión del cambio climático para un desarrollo bajo en carbono y resiliente al clima',
    products: [
      sum('014', 'Servicio de aprovechamiento de residuos sólidos', 'Residuos sólidos aprovechados', 'Toneladas', [3000, 6000], 'Aprovechar {n} toneladas de residuos sólidos reciclables', { variants: ['con organizaciones de recicladores de oficio', 'orgánicos en plantas de compostaje'] }),
      level('flow', '015', 'Servicio de recolección de residuos en la zona rural', 'Cobertura del servicio de aseo en la zona rural', 'Porcentaje', [55, 62], [70, 75], 'Alcanzar una cobertura del {n} % del servicio de aseo en la zona rural'),
      level('reduction', '016', 'Servicio de gestión integral de residuos', 'Residuos dispuestos en relleno sanitario por habitante', 'Kilogramos por habitante al día', [0.78, 0.85], [0.64, 0.7], 'Reducir a {n} kg por habitante al día los residuos dispuestos en el relleno sanitario'),
    ],
  },
  {
    department: 'SAMA', line: 3, sectorCode: '32', programCode: '3208', program: 'Educación ambiental',
    products: [
      level('stock', '005', 'Servicio de educación ambiental escolar', 'Instituciones educativas con PRAE implementado', 'Número', [40, 60], [40, 60], 'Mantener {n} instituciones educativas con Proyecto Ambiental Escolar (PRAE) implementado', [URBAN, RURAL]),
      sum('007', 'Servicio de sensibilización ambiental', 'Personas sensibilizadas en educación ambiental', 'Número', [10000, 20000], 'Sensibilizar {n} personas en educación ambiental', { variants: [SCHOOLS, RURAL, 'en juntas de acción comunal'] }),
      sum('011', 'Servicio de bienestar animal', 'Animales de compañía esterilizados', 'Número', [6000, 12000], 'Esterilizar {n} perros y gatos', { variants: ['en jornadas en barrios', 'en jornadas en corregimientos'], season: 'campaign' }),
    ],
  },
  // ---------------------------------------------------------------- Bienestar social
  {
    department: 'SBIS', line: 1, sectorCode: '41', programCode: '4102', program: 'Desarrollo integral de niños, niñas, adolescentes y sus familias',
    products: [
      level('stock', '001', 'Servicio de atención integral a la primera infancia', 'Niños y niñas atendidos en centros de desarrollo infantil', 'Número', [1800, 2400], [1800, 2400], 'Atender {n} niños y niñas en centros de desarrollo infantil', [URBAN, RURAL]),
      sum('002', 'Centros de desarrollo infantil construidos', 'Centros de desarrollo infantil construidos y dotados', 'Número', [3, 6], 'Construir y dotar {n} centros de desarrollo infantil', { season: 'works' }),
      sum('037', 'Servicio de prevención del trabajo infantil', 'Niños, niñas y adolescentes con estrategias de prevención del trabajo infantil', 'Número', [1500, 3000], 'Vincular {n} niños, niñas y adolescentes a estrategias de prevención del trabajo infantil', { variants: ['en plazas de mercado', RURAL] }),
      sum('038', 'Servicio de acompañamiento familiar', 'Familias con acompañamiento psicosocial', 'Número', [1500, 3000], 'Brindar acompañamiento psicosocial a {n} familias', { variants: [RURAL, 'de comunidades indígenas', URBAN] }),
      level('reduction', '041', 'Servicio de protección integral de la niñez', 'Porcentaje de niños, niñas y adolescentes en trabajo infantil', 'Porcentaje', [5, 6.5], [3.5, 4.2], 'Reducir al {n} % el trabajo infantil'),
    ],
  },
  {
    department: 'SBIS', line: 1, sectorCode: '41', programCode: '4104',
    program: 'Atención integral de población en situación permanente de desprotección social y/o familiar',
    products: [
      level('stock', '008', 'Servicio de atención integral al adulto mayor', 'Personas mayores atendidas en centros vida', 'Número', [1200, 1800], [1200, 1800], 'Atender {n} personas mayores en centros vida y centros día', [URBAN, RURAL]),
      level('stock', '020', 'Servicio de apoyo económico a personas mayores', 'Personas mayores con subsidio económico', 'Número', [9000, 12000], [9000, 12000], 'Mantener {n} personas mayores con subsidio económico (Colombia Mayor)', [URBAN, RURAL]),
      sum('015', 'Servicio de entrega de ayudas técnicas', 'Personas con discapacidad con ayudas técnicas', 'Número', [400, 800], 'Entregar ayudas técnicas a {n} personas con discapacidad', { variants: [RURAL, 'menores de 18 años'], season: 'yearEnd' }),
      level('stock', '017', 'Servicio de atención a habitantes de calle', 'Habitantes de calle atendidos en el hogar de paso', 'Número', [150, 250], [150, 250], 'Atender {n} habitantes de calle en el hogar de paso'),
      sum('022', 'Servicio de rehabilitación basada en comunidad', 'Personas con discapacidad en rehabilitación basada en comunidad', 'Número', [600, 1200], 'Vincular {n} personas con discapacidad a la estrategia de rehabilitación basada en comunidad', { variants: [URBAN, RURAL] }),
    ],
  },
  {
    department: 'SBIS', line: 1, sectorCode: '41', programCode: '4103',
    program: 'Inclusión social y productiva para la población en situación de vulnerabilidad',
    products: [
      sum('052', 'Servicio de acompañamiento a familias en pobreza extrema', 'Familias en pobreza extrema acompañadas', 'Número', [1000, 2000], 'Acompañar {n} familias en situación de pobreza extrema', { variants: [URBAN, RURAL] }),
      sum('060', 'Servicio de atención a población migrante', 'Personas migrantes atendidas', 'Número', [1500, 3000], 'Atender {n} personas migrantes y retornadas', { variants: ['con orientación para la regularización', 'con atención humanitaria'] }),
      sum('054', 'Servicio de promoción de la participación juvenil', 'Jóvenes vinculados a procesos de participación', 'Número', [3000, 6000], 'Vincular {n} jóvenes a procesos de participación y liderazgo', { variants: ['en plataformas juveniles', RURAL] }),
    ],
  },
  // ---------------------------------------------------------------- Cultura
  {
    department: 'SCUL', line: 1, sectorCode: '33', programCode: '3301', program: 'Promoción y acceso efectivo a procesos culturales y artísticos',
    products: [
      level('stock', '053', 'Servicio de educación informal en áreas artísticas', 'Estudiantes en escuelas de formación artística', 'Número', [1500, 2500], [1500, 2500], 'Mantener {n} niños, niñas y jóvenes en escuelas de formación artística', [URBAN, RURAL]),
      sum('051', 'Servicio de promoción de actividades culturales', 'Eventos culturales realizados', 'Número', [80, 140], 'Realizar {n} eventos artísticos y culturales', { variants: [CORREG, 'en las comunas', 'en el centro histórico'] }),
      sum('065', 'Servicio de apoyo al Carnaval de Negros y Blancos', 'Ediciones del Carnaval de Negros y Blancos apoyadas', 'Número', [4, 4], 'Apoyar {n} ediciones del Carnaval de Negros y Blancos, patrimonio cultural inmaterial de la humanidad', { season: 'january' }),
      level('stock', '073', 'Servicio de bibliotecas', 'Bibliotecas públicas en funcionamiento', 'Número', [10, 14], [10, 14], 'Mantener {n} bibliotecas públicas de la red municipal en funcionamiento', [URBAN, RURAL]),
      sum('074', 'Servicio de promoción de la lectura', 'Usuarios atendidos en la red de bibliotecas', 'Número', [60000, 100000], 'Atender {n} usuarios en la red municipal de bibliotecas', { variants: [URBAN, RURAL] }),
      sum('066', 'Servicio de apoyo financiero al sector artístico y cultural', 'Estímulos entregados a artistas y gestores culturales', 'Número', [150, 300], 'Entregar {n} estímulos a artistas y gestores culturales', { season: 'yearEnd' }),
    ],
  },
  {
    department: 'SCUL', line: 1, sectorCode: '33', programCode: '3302', program: 'Gestión, protección y salvaguardia del patrimonio cultural colombiano',
    products: [
      sum('042', 'Bienes de interés cultural intervenidos', 'Bienes de interés cultural intervenidos', 'Número', [3, 6], 'Intervenir {n} bienes de interés cultural del centro histórico', { season: 'works' }),
      sum('053', 'Servicio de formación en oficios del patrimonio', 'Personas formadas en oficios del patrimonio', 'Número', [200, 400], 'Formar {n} personas en oficios del patrimonio', { variants: ['en barniz de Pasto (mopa-mopa)', 'en talla en madera y enchapado en tamo'] }),
    ],
  },
  // ---------------------------------------------------------------- Deporte y recreación
  {
    department: 'IDRE', line: 1, sectorCode: '43', programCode: '4301', program: 'Fomento a la recreación, la actividad física y el deporte',
    products: [
      sum('037', 'Escenarios deportivos construidos', 'Escenarios deportivos construidos', 'Número', [4, 8], 'Construir {n} escenarios deportivos', { variants: [URBAN, RURAL], season: 'works' }),
      sum('038', 'Escenarios deportivos adecuados', 'Escenarios deportivos mejorados', 'Número', [20, 40], 'Mejorar {n} escenarios deportivos y recreativos', { variants: [RURAL, 'en las comunas'], season: 'works' }),
      sum('007', 'Servicio de promoción de la actividad física', 'Personas beneficiadas con programas de actividad física', 'Número', [15000, 30000], 'Beneficiar {n} personas con programas de actividad física y hábitos saludables', { variants: [ELDERLY, DISABILITY, 'en parques y ciclovías'] }),
      level('flow', '011', 'Servicio de organización de eventos deportivos escolares', 'Estudiantes participantes en los Juegos Intercolegiados', 'Número', [5000, 6500], [7500, 9000], 'Alcanzar {n} estudiantes participantes en los Juegos Intercolegiados', [URBAN, RURAL]),
      sum('001', 'Servicio de organización de eventos recreativos', 'Eventos recreativos y deportivos comunitarios realizados', 'Número', [60, 120], 'Realizar {n} eventos recreativos y deportivos comunitarios', { variants: [CORREG, 'en las comunas', 'en parques de barrio'] }),
    ],
  },
  {
    department: 'IDRE', line: 1, sectorCode: '43', programCode: '4302', program: 'Formación y preparación de deportistas',
    products: [
      level('stock', '001', 'Servicio de escuelas deportivas', 'Niños, niñas y jóvenes en escuelas de formación deportiva', 'Número', [3000, 5000], [3000, 5000], 'Mantener {n} niños, niñas y jóvenes en escuelas de formación deportiva', [URBAN, RURAL]),
      level('stock', '004', 'Servicio de apoyo a deportistas de alto rendimiento', 'Deportistas de alto rendimiento apoyados', 'Número', [80, 150], [80, 150], 'Apoyar {n} deportistas de alto rendimiento'),
    ],
  },
  // ---------------------------------------------------------------- Tránsito y movilidad
  {
    department: 'STRM', line: 4, sectorCode: '24', programCode: '2409', program: 'Seguridad de transporte',
    products: [
      sum('005', 'Señalización vial instalada', 'Señales verticales instaladas', 'Número', [800, 1600], 'Instalar {n} señales de tránsito verticales', { variants: ['en entornos escolares', URBAN, 'en vías rurales'] }),
      sum('006', 'Demarcación vial realizada', 'Demarcación horizontal realizada', 'Kilómetros', [60, 120], 'Demarcar {n} km de vías', { variants: ['en la malla vial arterial', 'en zonas escolares'], season: 'campaign' }),
      sum('018', 'Servicio de educación en seguridad vial', 'Personas capacitadas en seguridad vial', 'Número', [20000, 40000], 'Capacitar {n} personas en seguridad vial', { variants: ['entre estudiantes de instituciones educativas', 'entre motociclistas', 'entre conductores de transporte público'], season: 'school' }),
      level('reduction', '020', 'Servicio de prevención de siniestros viales', 'Tasa de mortalidad por siniestros viales', 'Tasa por 100.000 habitantes', [11, 13.5], [8, 9.5], 'Reducir a {n} por cada 100.000 habitantes la mortalidad por siniestros viales'),
      level('flow', '012', 'Servicio de revisión de la flota de transporte público', 'Flota de transporte público con revisión técnico-mecánica vigente', 'Porcentaje', [78, 84], [92, 95], 'Alcanzar el {n} % de la flota de transporte público con revisión técnico-mecánica vigente'),
      sum('010', 'Sistemas de semaforización modernizados', 'Intersecciones semaforizadas modernizadas', 'Número', [20, 40], 'Modernizar {n} intersecciones semaforizadas', { season: 'works' }),
      sum('021', 'Servicio de control de tránsito', 'Operativos de control de tránsito realizados', 'Número', [1500, 3000], 'Realizar {n} operativos de control de tránsito', { variants: ['de alcoholemia', 'de transporte informal'] }),
    ],
  },
  {
    department: 'STRM', line: 4, sectorCode: '24', programCode: '2408', program: 'Prestación de servicios de transporte público de pasajeros',
    products: [
      sum('007', 'Ciclorrutas construidas', 'Ciclorrutas construidas', 'Kilómetros', [8, 16], 'Construir {n} km de ciclorrutas', { season: 'works' }),
      sum('009', 'Paraderos de transporte público adecuados', 'Paraderos adecuados', 'Número', [60, 120], 'Adecuar {n} paraderos del sistema estratégico de transporte público', { variants: [URBAN, 'en rutas a corregimientos'] }),
    ],
  },
  // ---------------------------------------------------------------- Gestión del riesgo
  {
    department: 'OGRD', line: 3, sectorCode: '45', programCode: '4503', program: 'Gestión del riesgo de desastres y emergencias',
    products: [
      sum('012', 'Obras de mitigación del riesgo', 'Obras de mitigación del riesgo construidas', 'Número', [10, 20], 'Construir {n} obras de mitigación del riesgo', { variants: ['en zonas de ladera', 'en cauces de quebradas'], season: 'works' }),
      sum('016', 'Servicio de fortalecimiento de comités comunitarios', 'Comités comunitarios de gestión del riesgo conformados', 'Número', [40, 80], 'Conformar {n} comités comunitarios de gestión del riesgo', { variants: ['en la zona de influencia del volcán Galeras', 'en barrios en zona de ladera'] }),
      sum('018', 'Servicio de simulacros', 'Simulacros de evacuación realizados', 'Número', [16, 30], 'Realizar {n} simulacros de evacuación', { variants: [SCHOOLS, 'en la zona de amenaza volcánica alta'], season: 'campaign' }),
      level('stock', '021', 'Sistemas de alerta temprana', 'Sistemas de alerta temprana en funcionamiento', 'Número', [6, 10], [6, 10], 'Mantener {n} sistemas de alerta temprana en funcionamiento', ['en la zona de amenaza volcánica del Galeras', 'en cuencas con amenaza por avenidas torrenciales']),
      sum('024', 'Documentos de planeación del riesgo', 'Plan municipal de gestión del riesgo actualizado', 'Número', [1, 1], 'Actualizar {n} Plan Municipal de Gestión del Riesgo de Desastres', { oneOff: true }),
      sum('030', 'Servicio de atención a emergencias', 'Familias afectadas atendidas con ayuda humanitaria', 'Número', [1000, 2000], 'Atender con ayuda humanitaria a {n} familias afectadas por emergencias'),
      sum('033', 'Servicio de fortalecimiento del cuerpo de bomberos', 'Vehículos y equipos para bomberos adquiridos', 'Número', [4, 8], 'Adquirir {n} vehículos y equipos especializados para el Cuerpo de Bomberos', { season: 'yearEnd' }),
    ],
  },
  // ---------------------------------------------------------------- Hacienda
  {
    department: 'SHAC', line: 5, sectorCode: '45', programCode: '4599', program: 'Fortalecimiento a la gestión y dirección de la administración pública territorial',
    products: [
      sum('031', 'Servicio de fiscalización tributaria', 'Estrategias de fiscalización tributaria implementadas', 'Número', [8, 16], 'Implementar {n} estrategias de fiscalización del impuesto de industria y comercio', { variants: ['con cruces de información exógena', 'con visitas de verificación'] }),
      level('flow', '032', 'Servicio de gestión del recaudo', 'Recaudo efectivo del impuesto predial frente a lo facturado', 'Porcentaje', [62, 68], [74, 78], 'Alcanzar un recaudo efectivo del {n} % del impuesto predial facturado'),
      sum('034', 'Servicio de actualización catastral', 'Predios con actualización catastral', 'Número', [40000, 80000], 'Actualizar {n} predios en el marco del catastro multipropósito', { variants: [URBAN, RURAL], season: 'yearEnd' }),
      level('reduction', '035', 'Servicio de gestión de cartera', 'Cartera morosa del impuesto predial', 'Porcentaje', [30, 36], [22, 26], 'Reducir al {n} % la cartera morosa del impuesto predial'),
      sum('036', 'Servicio de atención al contribuyente', 'Trámites tributarios atendidos por canales virtuales', 'Número', [30000, 60000], 'Atender {n} trámites tributarios por canales virtuales'),
    ],
  },
  // ---------------------------------------------------------------- Planeación
  {
    department: 'OPLA', line: 5, sectorCode: '45', programCode: '4599', program: 'Fortalecimiento a la gestión y dirección de la administración pública territorial',
    products: [
      sum('011', 'Servicio de aplicación de la encuesta Sisbén IV', 'Encuestas Sisbén IV realizadas', 'Número', [15000, 30000], 'Realizar {n} encuestas del Sisbén IV', { variants: [URBAN, RURAL] }),
      sum('013', 'Servicio de banco de programas y proyectos', 'Proyectos de inversión registrados y viabilizados', 'Número', [200, 400], 'Registrar y viabilizar {n} proyectos de inversión en el banco de programas y proyectos'),
      level('flow', '015', 'Servicio de fortalecimiento institucional', 'Índice de Desempeño Institucional', 'Puntos', [72, 76], [80, 84], 'Alcanzar {n} puntos en el Índice de Desempeño Institucional (FURAG)'),
      sum('017', 'Servicio de rendición de cuentas', 'Audiencias de rendición de cuentas realizadas', 'Número', [8, 8], 'Realizar {n} audiencias públicas de rendición de cuentas', { variants: ['con enfoque en niñez y juventud', 'en corregimientos'], season: 'yearEnd' }),
      sum('019', 'Servicio de seguimiento al Plan de Desarrollo', 'Informes de seguimiento al Plan de Desarrollo publicados', 'Número', [16, 16], 'Publicar {n} informes trimestrales de seguimiento al Plan de Desarrollo'),
    ],
  },
  {
    department: 'OPLA', line: 4, sectorCode: '40', programCode: '4002', program: 'Ordenamiento territorial y desarrollo urbano',
    products: [
      sum('010', 'Documentos de planeación territorial', 'Plan de Ordenamiento Territorial revisado y ajustado', 'Número', [1, 1], 'Revisar y ajustar {n} Plan de Ordenamiento Territorial', { oneOff: true }),
      sum('012', 'Servicio de estratificación socioeconómica', 'Predios con estratificación actualizada', 'Número', [20000, 40000], 'Actualizar la estratificación socioeconómica de {n} predios', { variants: [URBAN, 'en centros poblados rurales'] }),
    ],
  },
  {
    department: 'OPLA', line: 5, sectorCode: '23', programCode: '2302', program: 'Fomento del desarrollo de aplicaciones, software y contenidos para impulsar la apropiación de las TIC',
    products: [
      sum('004', 'Servicio de gobierno digital', 'Trámites y servicios digitalizados', 'Número', [30, 60], 'Digitalizar {n} trámites y servicios de la alcaldía', { variants: ['en la sede electrónica', 'interoperables con la Carpeta Ciudadana'] }),
    ],
  },
  // ---------------------------------------------------------------- Mujeres y equidad de género
  {
    department: 'SMEG', line: 1, sectorCode: '45', programCode: '4502',
    program: 'Fortalecimiento del buen gobierno para el respeto y garantía de los derechos humanos',
    products: [
      sum('031', 'Servicio de promoción de los derechos de las mujeres', 'Mujeres capacitadas en derechos y prevención de violencias basadas en género', 'Número', [3000, 6000], 'Capacitar en derechos y prevención de violencias basadas en género a {n} mujeres', { variants: ['de la zona rural', 'indígenas y afrodescendientes', 'jóvenes', 'de organizaciones sociales'] }),
      sum('032', 'Servicio de atención a mujeres víctimas de violencias', 'Mujeres víctimas de violencias con atención psicojurídica', 'Número', [800, 1500], 'Brindar atención psicojurídica a {n} mujeres víctimas de violencias basadas en género', { variants: [URBAN, RURAL] }),
      level('stock', '033', 'Servicio de acogida temporal', 'Cupos de acogida en la casa refugio', 'Número', [20, 30], [20, 30], 'Mantener {n} cupos de acogida en la casa refugio para mujeres víctimas de violencias'),
      sum('035', 'Documentos de política pública de equidad de género', 'Política pública de equidad de género actualizada', 'Número', [1, 1], 'Actualizar {n} Política Pública de Equidad de Género para las Mujeres', { oneOff: true }),
      sum('036', 'Servicio de apoyo a emprendimientos de mujeres', 'Emprendimientos de mujeres apoyados', 'Número', [200, 400], 'Apoyar {n} emprendimientos liderados por mujeres', { variants: ['rurales', 'cabeza de hogar', 'víctimas del conflicto armado'], season: 'yearEnd' }),
      sum('038', 'Servicio de promoción de la diversidad sexual', 'Personas de los sectores LGBTIQ+ beneficiadas con acciones afirmativas', 'Número', [300, 600], 'Beneficiar {n} personas de los sectores LGBTIQ+ con acciones afirmativas'),
    ],
  },
  // ---------------------------------------------------------------- Vivienda
  {
    department: 'SVIV', line: 4, sectorCode: '40', programCode: '4001', program: 'Acceso a soluciones de vivienda',
    products: [
      sum('015', 'Viviendas de interés social construidas', 'Viviendas de interés social construidas', 'Número', [300, 600], 'Construir {n} viviendas de interés social', { variants: [URBAN, RURAL, VICTIMS], season: 'works' }),
      sum('031', 'Servicio de apoyo financiero para mejoramiento de vivienda', 'Hogares beneficiados con mejoramiento de vivienda', 'Número', [500, 1000], 'Mejorar {n} viviendas', { variants: [RURAL, 'en barrios de estratos 1 y 2', 'con cocinas y baños saludables'], season: 'works' }),
      sum('034', 'Servicio de apoyo financiero para adquisición de vivienda', 'Subsidios para adquisición de vivienda otorgados', 'Número', [200, 400], 'Otorgar {n} subsidios complementarios para adquisición de vivienda', { variants: ['a hogares de estratos 1 y 2', 'a hogares con jefatura femenina'] }),
      sum('022', 'Servicio de titulación de predios', 'Predios titulados', 'Número', [400, 800], 'Titular {n} predios fiscales ocupados con vivienda de interés social', { variants: [URBAN, RURAL] }),
      level('reduction', '040', 'Servicio de gestión del déficit habitacional', 'Déficit cuantitativo de vivienda', 'Porcentaje', [8, 9.5], [6, 7], 'Reducir al {n} % el déficit cuantitativo de vivienda', [URBAN, RURAL]),
    ],
  },
  {
    department: 'SVIV', line: 4, sectorCode: '40', programCode: '4002', program: 'Ordenamiento territorial y desarrollo urbano',
    products: [
      sum('021', 'Espacio público construido', 'Espacio público construido', 'Metros cuadrados', [10000, 20000], 'Construir {n} m² de espacio público', { variants: ['en parques de barrio', 'en el centro histórico', 'en la ribera del río Pasto'], season: 'works' }),
    ],
  },
];

// ---------------------------------------------------------------------------------------------
// Quantities are kept as integer ticks of the unit's resolution, so sums are exact
// ---------------------------------------------------------------------------------------------

interface GoalModel {
  goal: MunicipalityGoal;
  spec: ProductSpec;
  step: number;
  decimals: number;
  /** Per year: annual and quarterly targets in ticks (annual 0 = nothing programmed). */
  years: Map<number, { annual: number; quarterly: QuarterlyTargets }>;
}

const decimalsOf = (step: number) => (step >= 1 ? 0 : Math.round(-Math.log10(step)));
const toValue = (ticks: number, model: { step: number; decimals: number }) => Number((ticks * model.step).toFixed(model.decimals));

/** Splits `total` ticks by weights; largest remainder, earlier slots win ties. */
function distribute(total: number, weights: readonly number[]): number[] {
  const sumWeights = weights.reduce((a, b) => a + b, 0);
  if (sumWeights === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sumWeights);
  const out = exact.map((x) => Math.floor(x + 1e-9));
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x + 1e-9) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    out[i] = (out[i] ?? 0) + 1;
    left--;
  }
  return out;
}

/** A round figure, as a planning office would write it: 18.000, 1.250, 240, 45, 7. */
function roundFigure(value: number, step: number): number {
  // Decimal units (percentages, rates, km) keep their decimals below 20 and whole numbers above.
  if (step < 1) return Math.max(step, value >= 20 ? Math.round(value) : Math.round(value / step) * step);
  const magnitude = value >= 10000 ? 500 : value >= 1000 ? 50 : value >= 200 ? 10 : value >= 40 ? 5 : 1;
  return Math.max(step, Math.round(value / magnitude) * magnitude);
}

const toTicks = (value: number, step: number) => Math.round(value / step);

// ---------------------------------------------------------------------------------------------
// Statuses: what the domain says about a goal's values
// ---------------------------------------------------------------------------------------------

const asQuarter = (q: number) => q as Quarter;

function programmingOf(model: GoalModel, year: number): YearProgramming {
  const y = model.years.get(year);
  if (!y) return { annualTarget: null, quarterlyTargets: null };
  const [a, b, c, d] = y.quarterly.map((v) => toValue(v, model));
  return { annualTarget: toValue(y.annual, model), quarterlyTargets: [a ?? 0, b ?? 0, c ?? 0, d ?? 0] };
}

/** Status at the end of quarter q from reported values (executed per quarter, in ticks; null = no report). */
function statusOf(model: GoalModel, year: number, reported: readonly (number | null)[], quarter: number): GoalStatus {
  const execution: QuarterlyExecution = [null, null, null, null];
  reported.forEach((v, i) => {
    if (i < 4) execution[i] = v === null ? null : toValue(v, model);
  });
  const measurement = measureGoal(model.goal.accumulation, programmingOf(model, year), execution, asQuarter(quarter));
  return classifyMeasurement(measurement, defaultThresholds);
}

/**
 * Reported values (ticks per quarter) that give `path` as the quarter-by-quarter status of the
 * year. Strict: null when some quarter cannot reach its status; otherwise the nearest status is
 * accepted. Suma goals add up, so a quarter's choices depend on what was already executed.
 */
function realizeYear(
  model: GoalModel,
  year: number,
  path: readonly GoalStatus[],
  rng: Rng,
  strict: boolean,
): { reported: (number | null)[]; statuses: GoalStatus[] } | null {
  const plan = model.years.get(year);
  if (!plan || plan.annual === 0) return { reported: [], statuses: path.map(() => 'notEvaluated') };
  const isSum = model.goal.accumulation === 'sum';
  const annual = plan.annual;
  const reported: (number | null)[] = [];
  const statuses: GoalStatus[] = [];
  let cumulative = 0;
  for (let q = 1; q <= path.length; q++) {
    const desired = path[q - 1] as GoalStatus;
    const expected = isSum ? plan.quarterly.slice(0, q).reduce((a, b) => a + b, 0) : (plan.quarterly[q - 1] as number);
    const attempts = strict ? [desired] : fallbacks[desired];
    let chosen: { value: number | null; status: GoalStatus } | null = null;
    for (const status of attempts) {
      const candidates = candidatesFor(model, status, { expected, annual, cumulative, isSum }, rng);
      for (const candidate of candidates) {
        const value = candidate === null ? null : isSum ? candidate - cumulative : candidate;
        if (value !== null && value < 0) continue;
        if (statusOf(model, year, [...reported, value], q) === status) {
          chosen = { value, status };
          break;
        }
      }
      if (chosen) break;
    }
    if (!chosen) {
      if (strict) return null;
      // Nothing reachable (tiny targets): report nothing new and keep whatever status that gives.
      const value = isSum ? 0 : (reported.at(-1) ?? null);
      chosen = { value, status: statusOf(model, year, [...reported, value], q) };
    }
    reported.push(chosen.value);
    statuses.push(chosen.status);
    if (isSum && chosen.value !== null) cumulative += chosen.value;
  }
  return { reported, statuses };
}

const fallbacks: Record<GoalStatus, GoalStatus[]> = {
  onTrack: ['onTrack', 'achieved', 'behind', 'overachieved'],
  achieved: ['achieved', 'overachieved', 'onTrack'],
  overachieved: ['overachieved', 'achieved', 'onTrack'],
  behind: ['behind', 'notStarted', 'onTrack'],
  notStarted: ['notStarted', 'behind', 'onTrack'],
  notEvaluated: ['onTrack'],
};

/**
 * Candidate values for a status: the preferred one first (drawn from a realistic band), then the
 * neighbours outward, so tiny targets still find the value that classifies right if there is one.
 * Suma: cumulative ticks by the quarter's end; others: the level (null = no report).
 */
function candidatesFor(
  model: GoalModel,
  status: GoalStatus,
  ctx: { expected: number; annual: number; cumulative: number; isSum: boolean },
  rng: Rng,
): (number | null)[] {
  const { expected, annual, cumulative, isSum } = ctx;
  const reduction = model.goal.accumulation === 'reduction';
  if (status === 'notStarted') {
    if (isSum) return cumulative === 0 ? (rng.chance(0.2) ? [null, 0] : [0, null]) : [];
    return [null];
  }
  if (status === 'achieved') return [annual];
  let preferred: number;
  switch (status) {
    case 'behind':
      if (reduction) preferred = expected / rng.uniform(0.72, 0.88);
      else preferred = expected * (isSum ? rng.uniform(0.45, 0.84) : rng.uniform(0.74, 0.88));
      break;
    case 'overachieved':
      if (reduction) preferred = annual * rng.uniform(0.85, 0.96);
      else preferred = annual * (isSum ? rng.uniform(1.04, 1.25) : rng.uniform(1.02, 1.08));
      break;
    default:
      if (reduction) preferred = expected / rng.uniform(0.93, 1);
      else preferred = expected * (isSum ? rng.uniform(0.93, 1.03) : rng.uniform(0.92, 0.995));
  }
  let start = Math.round(preferred);
  if (status === 'overachieved') start = reduction ? Math.min(start, annual - 1) : Math.max(start, annual + 1);
  if (status === 'onTrack' && !reduction) start = Math.min(start, annual - 1);
  if (status === 'onTrack' && reduction) start = Math.max(start, annual + 1);
  const low = isSum ? cumulative : 0;
  let high = Math.max(2 * Math.max(annual, expected), cumulative) + 2;
  // A percentage level cannot pass 100 %.
  if (!isSum && model.goal.unit === 'Porcentaje') high = Math.min(high, Math.round(100 / model.step));
  start = Math.min(Math.max(start, low), high);
  const out: number[] = [start];
  for (let d = 1; d <= 400 && (start - d >= low || start + d <= high); d++) {
    if (start - d >= low) out.push(start - d);
    if (start + d <= high) out.push(start + d);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------------------------

type Path3 = readonly [GoalStatus, GoalStatus, GoalStatus];

/**
 * 2026 T1–T3 stories and their share of the evaluated goals. Mix that results (about 3 % of goals
 * are not evaluated in 2026): T2 ≈ 56 % al día/cumplida, 22 % atrasada, 12 % no iniciada, 6 %
 * sobrecumplida; T3 ≈ 57 %, 22 %, 10 %, 8 %.
 */
const scenarios2026: readonly { name: string; path: Path3; share: number }[] = [
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
type Scenario2026 = string;

const pastYearPaths = {
  complete: ['onTrack', 'onTrack', 'onTrack', 'achieved'],
  completeOver: ['onTrack', 'onTrack', 'onTrack', 'overachieved'],
  earlyComplete: ['onTrack', 'onTrack', 'achieved', 'achieved'],
  lateComplete: ['behind', 'behind', 'onTrack', 'achieved'],
  nearly: ['onTrack', 'onTrack', 'onTrack', 'onTrack'],
  short: ['onTrack', 'onTrack', 'behind', 'behind'],
  slowAll: ['behind', 'behind', 'behind', 'behind'],
  lateStart: ['notStarted', 'notStarted', 'behind', 'onTrack'],
} as const satisfies Record<string, readonly GoalStatus[]>;
type PastPath = keyof typeof pastYearPaths;
const deliveredInT1: readonly GoalStatus[] = ['achieved', 'achieved', 'achieved', 'achieved'];

function pastPathFor(rng: Rng, year: number, scenario: Scenario2026): PastPath {
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

const evidenceBySector: Record<string, readonly string[]> = {
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

const pendingReasons = [
  'proceso contractual en etapa precontractual (SECOP II)',
  'a la espera de la aprobación de vigencias futuras por el Concejo',
  'estudios y diseños en revisión',
  'pendiente la cofinanciación del Departamento de Nariño',
  'contrato suspendido por temporada de lluvias',
  'convenio interadministrativo en trámite de firma',
] as const;

const quarterCut = ['31 de marzo', '30 de junio', '30 de septiembre', '31 de diciembre'] as const;

/** Why a row reports what it reports: progress, nothing due yet, the year already met, or stalled. */
type RowKind = 'progress' | 'nothingDue' | 'yearMet' | 'pending';

function evidenceFor(rng: Rng, goal: MunicipalityGoal, year: number, quarter: number, kind: RowKind): string | null {
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

// ---------------------------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------------------------

/** A realistic mid-size municipality for a 2024–2027 plan; the same seed gives identical data. */
export function generateMunicipality(seed: number = MUNICIPALITY_SEED): MunicipalityData {
  const plan: MunicipalityPlan = {
    name: 'Plan de Desarrollo Municipal de Pasto 2024–2027 (datos de demostración)',
    municipality: 'Pasto',
    daneCode: '52001',
    termStartYear: 2024,
    termEndYear: 2027,
  };

  // Departments, with liaisons whose names do not repeat.
  const people = rngFor(seed, 'liaisons');
  const usedNames = new Set<string>();
  const departments: MunicipalityDepartment[] = departmentCatalogue.map((d) => {
    let liaisonName = '';
    do {
      const first = people.pick(surnames);
      let second = people.pick(surnames);
      while (second === first) second = people.pick(surnames);
      liaisonName = `${people.pick(givenNames)} ${first} ${second}`;
    } while (usedNames.has(liaisonName));
    usedNames.add(liaisonName);
    return { code: d.code, name: d.name, liaisonName, liaisonEmail: `enlace.${d.mailbox}@${DEMO_DOMAIN}` };
  });

  // How many goals each product gets: one, plus variants until the target count is reached.
  const structure = rngFor(seed, 'structure');
  const entries = programs.flatMap((program) => program.products.map((product) => ({ program, product, goals: 1 })));
  const goalCount = structure.int(294, 306);
  let total = entries.length;
  while (total < goalCount) {
    // A product splits into k ≥ 2 goals, each with its own qualifier: 1 → 2 goals, then one more at a time.
    const open = entries.filter((e) => (e.goals === 1 ? e.product.variants.length >= 2 : e.goals < e.product.variants.length));
    if (open.length === 0) break;
    const entry = structure.weighted(open.map((e) => ({ weight: e.product.variants.length - e.goals + 1, value: e })));
    entry.goals += 1;
    total += 1;
  }

  // Goals and their programming.
  const models: GoalModel[] = [];
  for (const { program, product, goals: count } of entries) {
    const productCode = `${program.programCode}${product.code}`;
    const qualifiers = count === 1 ? [null] : structure.shuffle(product.variants).slice(0, count);
    qualifiers.sort((a, b) => product.variants.indexOf(a ?? '') - product.variants.indexOf(b ?? ''));
    qualifiers.forEach((qualifier, index) => {
      const code = `${productCode}-${String(index + 1).padStart(2, '0')}`;
      const r = rngFor(seed, 'goal', code);
      const step = unitSteps[product.unit];
      const decimals = decimalsOf(step);
      const model = { step, decimals };
      const finalValue = roundFigure(r.uniform(product.target[0], product.target[1]), step);
      const termTicks = toTicks(finalValue, step);
      const years = new Map<number, { annual: number; quarterly: QuarterlyTargets }>();
      if (product.accumulation === 'sum') {
        let yearWeights: number[];
        if (product.oneOff) {
          const when = r.pick([2024, 2025, 2025, 2027]);
          yearWeights = MUNICIPALITY_PLAN_YEARS.map((y) => (y === when ? 1 : 0));
        } else if (product.season === 'january') {
          yearWeights = [1, 1, 1, 1];
        } else {
          const pattern = r.pick([
            [0.15, 0.3, 0.3, 0.25],
            [0.2, 0.3, 0.3, 0.2],
            [0.1, 0.25, 0.35, 0.3],
            [0.18, 0.27, 0.28, 0.27],
          ]);
          yearWeights = pattern.map((w) => w * r.uniform(0.85, 1.15));
        }
        const annual = distribute(termTicks, yearWeights);
        // Every goal except one-off deliverables has something programmed in 2026.
        if (!product.oneOff && annual[2] === 0) {
          const largest = annual.indexOf(Math.max(...annual));
          annual[largest] = (annual[largest] ?? 0) - 1;
          annual[2] = 1;
        }
        MUNICIPALITY_PLAN_YEARS.forEach((year, i) => {
          const ticks = annual[i] ?? 0;
          // The plan is adopted by the Concejo in May 2024: little is programmed for 2024 T1.
          const weights = seasons[product.season].map((w, q) => (year === 2024 && q === 0 && product.season !== 'january' ? w * 0.2 : w));
          const [a = 0, b = 0, c = 0, d = 0] = distribute(ticks, weights);
          years.set(year, { annual: ticks, quarterly: [a, b, c, d] });
        });
      } else {
        const baselineRange = product.baseline ?? product.target;
        const baseline =
          product.accumulation === 'stock' ? termTicks : toTicks(roundFigure(r.uniform(baselineRange[0], baselineRange[1]), step), step);
        let previous = baseline;
        MUNICIPALITY_PLAN_YEARS.forEach((year, i) => {
          const progressShare = i === 3 ? 1 : Math.min(1, ((i + 1) / 4) * r.uniform(0.85, 1.1));
          const ticks = i === 3 ? termTicks : Math.round(baseline + (termTicks - baseline) * progressShare);
          const ramp = (q: number) =>
            product.accumulation === 'stock' ? ticks : q === 4 ? ticks : Math.round(previous + ((ticks - previous) * q) / 4);
          years.set(year, { annual: ticks, quarterly: [ramp(1), ramp(2), ramp(3), ramp(4)] });
          previous = ticks;
        });
      }
      const termTarget =
        product.accumulation === 'sum'
          ? toValue([...years.values()].reduce((acc, y) => acc + y.annual, 0), model)
          : toValue(termTicks, model);
      const name = `${product.goal.replace('{n}', formatSpanishNumber(termTarget))}${qualifier ? ` ${qualifier}` : ''}`;
      models.push({
        goal: {
          code,
          departmentCode: program.department,
          strategicLine: strategicLines[program.line - 1] as string,
          sectorCode: program.sectorCode,
          sector: sectors[program.sectorCode] as string,
          programCode: program.programCode,
          program: program.program,
          productCode,
          productName: product.product,
          indicatorCode: `${productCode}00`,
          name,
          indicator: product.indicator,
          unit: product.unit,
          termTarget,
          accumulation: product.accumulation,
        },
        spec: product,
        step,
        decimals,
        years,
      });
    });
  }

  // A few suma goals (not mass services, hence the size limit) rest in 2026, their share moved to
  // 2027 (biennial deliveries): with one-off deliverables they are the
  // goals not evaluated that year.
  const restRng = rngFor(seed, 'rest2026');
  const restCandidates = restRng.shuffle(
    models.filter((m) => m.goal.accumulation === 'sum' && !m.spec.oneOff && m.spec.season !== 'january' && (m.years.get(2026)?.annual ?? 0) < 2000),
  );
  const oneOffs = models.filter((m) => m.spec.oneOff).length;
  for (const model of restCandidates.slice(0, Math.max(0, Math.round(models.length * 0.03) - oneOffs))) {
    const y2026 = model.years.get(2026);
    const y2027 = model.years.get(2027);
    if (!y2026 || !y2027) continue;
    const moved = y2026.annual + y2027.annual;
    const [a = 0, b = 0, c = 0, d = 0] = distribute(moved, seasons[model.spec.season]);
    model.years.set(2027, { annual: moved, quarterly: [a, b, c, d] });
    model.years.set(2026, { annual: 0, quarterly: [0, 0, 0, 0] });
  }

  // 2026 T1–T3: fill the scenario quotas, each with a goal whose values can tell that story.
  const quotaRng = rngFor(seed, 'quotas');
  const evaluated = models.filter((m) => (m.years.get(2026)?.annual ?? 0) > 0);
  const quotas = distribute(
    evaluated.filter((m) => m.spec.season !== 'january').length,
    scenarios2026.map((s) => s.share),
  );
  const assigned = new Map<string, { scenario: Scenario2026; reported: (number | null)[] }>();
  // Deliveries tied to a date (the Carnaval, first days of January) happen: they tell no quota story.
  const order = quotaRng.shuffle(evaluated.filter((m) => m.spec.season !== 'january'));
  for (const model of evaluated.filter((m) => m.spec.season === 'january')) {
    const result = realizeYear(model, 2026, deliveredInT1.slice(0, 3), rngFor(seed, 'progress', model.goal.code, 2026), false);
    assigned.set(model.goal.code, { scenario: 'deliveredInT1', reported: result?.reported ?? [] });
  }
  const attempt = (model: GoalModel, scenario: (typeof scenarios2026)[number]) =>
    realizeYear(model, 2026, scenario.path, rngFor(seed, 'progress', model.goal.code, 2026, scenario.name), true);
  scenarios2026.forEach((scenario, index) => {
    let needed = quotas[index] ?? 0;
    for (const model of order) {
      if (needed === 0) break;
      if (assigned.has(model.goal.code)) continue;
      const result = attempt(model, scenario);
      if (result) {
        assigned.set(model.goal.code, { scenario: scenario.name, reported: result.reported });
        needed--;
      }
    }
  });
  // Whoever is left (only if some quota could not be filled) takes the first story it can tell.
  for (const model of order) {
    if (assigned.has(model.goal.code)) continue;
    const fallbackOrder = [...scenarios2026].reverse();
    for (const scenario of fallbackOrder) {
      const result = attempt(model, scenario);
      if (result) {
        assigned.set(model.goal.code, { scenario: scenario.name, reported: result.reported });
        break;
      }
    }
    if (!assigned.has(model.goal.code)) {
      const result = realizeYear(model, 2026, ['onTrack', 'onTrack', 'onTrack'], rngFor(seed, 'progress', model.goal.code, 2026), false);
      assigned.set(model.goal.code, { scenario: 'steady', reported: result?.reported ?? [] });
    }
  }

  // Progress rows: 2024 and 2025 complete, 2026 up to T3.
  const progress: MunicipalityProgress[] = [];
  for (const model of models) {
    const story = assigned.get(model.goal.code);
    const scenario = story?.scenario ?? 'none';
    for (const year of MUNICIPALITY_PLAN_YEARS) {
      if (year > MUNICIPALITY_LAST_REPORTED.fiscalYear) continue;
      let reported: (number | null)[];
      if (year === 2026) {
        reported = story?.reported ?? [];
      } else {
        const r = rngFor(seed, 'progress', model.goal.code, year);
        const path = model.spec.season === 'january' ? deliveredInT1 : pastYearPaths[pastPathFor(r, year, scenario)];
        reported = realizeYear(model, year, path, r, false)?.reported ?? [];
      }
      const evidenceRng = rngFor(seed, 'evidence', model.goal.code, year);
      const targets = model.years.get(year) ?? { annual: 0, quarterly: [0, 0, 0, 0] };
      let cumulative = 0;
      reported.forEach((ticks, i) => {
        if (ticks === null) return;
        const expectedToDate = targets.quarterly.slice(0, i + 1).reduce((a, b) => a + b, 0);
        const kind: RowKind =
          ticks > 0 ? 'progress' : cumulative >= targets.annual ? 'yearMet' : expectedToDate === 0 ? 'nothingDue' : 'pending';
        cumulative += model.goal.accumulation === 'sum' ? ticks : 0;
        progress.push({
          goalCode: model.goal.code,
          fiscalYear: year,
          quarter: i + 1,
          executed: toValue(ticks, model),
          evidence: evidenceFor(evidenceRng, model.goal, year, i + 1, kind),
        });
      });
    }
  }

  const programming: MunicipalityProgramming[] = models.flatMap((model) =>
    MUNICIPALITY_PLAN_YEARS.map((fiscalYear) => {
      const y = model.years.get(fiscalYear) ?? { annual: 0, quarterly: [0, 0, 0, 0] as QuarterlyTargets };
      const [a = 0, b = 0, c = 0, d = 0] = y.quarterly.map((v) => toValue(v, model));
      return { goalCode: model.goal.code, fiscalYear, annualTarget: toValue(y.annual, model), quarterlyTargets: [a, b, c, d] };
    }),
  );

  return { plan, departments, goals: models.map((m) => m.goal), programming, progress };
}

// ---------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------

const BATCH = 1000;

function batches<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += BATCH) out.push(rows.slice(i, i + BATCH));
  return out;
}

/**
 * Loads the municipality into an empty database in one transaction (plan row 1, departments,
 * goals, programming version 1, progress version 1). Does nothing and returns false when
 * departments already exist.
 */
export async function loadMunicipality(db: Database, data: MunicipalityData = generateMunicipality()): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ count: sql<number>`count(*)::int` }).from(t.departments);
    if ((existing?.count ?? 0) > 0) return false;
    await tx
      .insert(t.plans)
      .values({ id: 1, ...data.plan })
      .onConflictDoNothing();
    for (const rows of batches(data.departments)) await tx.insert(t.departments).values(rows);
    for (const rows of batches(data.goals)) {
      await tx.insert(t.goals).values(rows.map(({ sectorCode: _sectorCode, ...goal }) => goal));
    }
    for (const rows of batches(data.programming)) {
      await tx.insert(t.goalProgramming).values(
        rows.map((p) => ({
          goalCode: p.goalCode,
          fiscalYear: p.fiscalYear,
          version: 1,
          annualTarget: p.annualTarget,
          quarterlyTargets: p.quarterlyTargets,
          reason: MUNICIPALITY_PROGRAMMING_REASON,
          createdBy: MUNICIPALITY_ACTOR,
        })),
      );
    }
    for (const rows of batches(data.progress)) {
      await tx.insert(t.goalProgress).values(
        rows.map((p) => ({
          goalCode: p.goalCode,
          fiscalYear: p.fiscalYear,
          quarter: p.quarter,
          version: 1,
          executed: p.executed,
          evidence: p.evidence,
          reportedBy: MUNICIPALITY_ACTOR,
        })),
      );
    }
    await tx.insert(t.auditLog).values({
      actor: 'sistema',
      action: 'demo.loaded',
      subject: 'demo',
      details: {
        municipality: data.plan.municipality,
        departments: data.departments.length,
        goals: data.goals.length,
        programming: data.programming.length,
        progress: data.progress.length,
      },
    });
    return true;
  });
}
