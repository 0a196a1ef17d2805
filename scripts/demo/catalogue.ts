import { type AccumulationType } from '../../domain/goals';
import { QuarterlyTargets } from './municipalityData';

/** Catalogue of the demo: departments, people, strategic lines, MGA sectors, units, seasons and product specs. */

export const departmentCatalogue = [
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
export type DepartmentCode = (typeof departmentCatalogue)[number]['code'];

export const givenNames = [
  'Ana Lucía', 'María Fernanda', 'Jorge Eliécer', 'Carlos Andrés', 'Diana Marcela', 'Luis Fernando', 'Paola Andrea',
  'Juan Camilo', 'Claudia Patricia', 'Andrés Felipe', 'Sandra Milena', 'Óscar Javier', 'Lina María', 'Jhon Jairo',
  'Gloria Esperanza', 'Diego Armando', 'Adriana Lucía', 'Édgar Mauricio', 'Yolanda Isabel', 'Hernán Darío',
  'Natalia Alejandra', 'Wilson Orlando', 'Liliana Patricia', 'Mauricio Javier', 'Carolina', 'Fabián Ernesto',
] as const;
export const surnames = [
  'Rosero', 'Bravo', 'Guerrero', 'Ortiz', 'Burbano', 'Benavides', 'Erazo', 'Insuasty', 'Delgado', 'Chamorro',
  'Villota', 'Enríquez', 'Mora', 'Córdoba', 'Cabrera', 'Pantoja', 'Muñoz', 'Zambrano', 'Narváez', 'Ordóñez',
  'Paz', 'Santacruz', 'Jurado', 'Moncayo', 'Caicedo', 'Realpe', 'Timarán', 'Obando', 'Goyes', 'Arteaga',
] as const;

export const strategicLines = [
  '1. Pasto con equidad y bienestar social',
  '2. Pasto productivo, competitivo e innovador',
  '3. Pasto sostenible y resiliente frente al cambio climático',
  '4. Pasto conectado: infraestructura, movilidad y hábitat',
  '5. Pasto seguro, en paz y con buen gobierno',
] as const;

export const sectors: Record<string, string> = {
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
export const unitSteps = {
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
export type Unit = keyof typeof unitSteps;

/** How a year's programming of a suma goal is spread over the quarters. */
export const seasons = {
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
export type Season = keyof typeof seasons;

export interface ProductSpec {
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

export interface ProgramSpec {
  department: DepartmentCode;
  line: number;
  sectorCode: string;
  programCode: string;
  program: string;
  products: ProductSpec[];
}

export interface SumOptions {
  variants?: readonly string[];
  season?: Season;
  oneOff?: boolean;
}

export const sum = (
  code: string,
  product: string,
  indicator: string,
  unit: Unit,
  target: readonly [number, number],
  goal: string,
  { variants = [], season = 'even', oneOff = false }: SumOptions = {},
): ProductSpec => ({ code, product, indicator, unit, accumulation: 'sum', target, goal, variants, season, oneOff });

export const level = (
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

export const RURAL = 'en la zona rural';
export const URBAN = 'en la zona urbana';
export const CORREG = 'en los corregimientos';
export const ETHNIC = 'con enfoque diferencial étnico';
export const VICTIMS = 'para población víctima del conflicto armado';
export const DISABILITY = 'para personas con discapacidad';
export const ELDERLY = 'para personas mayores';
export const WOMEN = 'para mujeres rurales';
export const YOUTH = 'para jóvenes de 14 a 28 años';
export const SCHOOLS = 'en instituciones educativas oficiales';
