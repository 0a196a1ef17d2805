import type { ColumnSpec, YearColumnsSpec } from './columnSpec';

/**
 * How the Plan Indicativo and the Hoja de Captura name their columns: one table of synonyms per
 * field, shared by both files, from the product's own labels (samples/LEEME.md), DNP's KPT export
 * and the spellings municipal offices use. Headers are compared by their key (headers.ts
 * `headerKey`): without accents, case, punctuation, notes in parentheses or words like "de", with
 * abbreviations spelled out ("Cód." = "Código", "No." = "Número") and, failing an exact match,
 * without a period suffix ("Avance ejecutado T3 2026" = "Avance ejecutado"). So the synonyms below
 * need no variants of those kinds.
 */

/** Words written short in headers, spelled out before comparing. */
export const abbreviations: Readonly<Record<string, string>> = {
  cod: 'codigo', cdg: 'codigo', codig: 'codigo',
  no: 'numero', nro: 'numero', num: 'numero', n: 'numero', nmr: 'numero',
  ind: 'indicador', indic: 'indicador',
  dep: 'dependencia', depend: 'dependencia', dpcia: 'dependencia',
  sec: 'secretaria', secret: 'secretaria',
  prod: 'producto',
  und: 'unidad', ud: 'unidad', uds: 'unidad', um: 'unidad medida',
  med: 'medida',
  ejec: 'ejecutado', ejecut: 'ejecutado',
  trim: 'trimestre',
  acum: 'acumulacion',
  resp: 'responsable',
  descr: 'descripcion', desc: 'descripcion',
  prog: 'programado', progr: 'programado',
  vig: 'vigencia',
  mpio: 'municipio',
};

/** Words that change nothing in a header: "Código de la meta" = "Código meta". */
export const stopwords: ReadonlySet<string> = new Set(['de', 'del', 'la', 'el', 'las', 'los', 'en', 'y', 'e', 'a', 'al', 'por', 'para', 'su']);

/** The goal's key, the same in both files: the goal code, or the indicator code where the plan keyed goals by it. */
const goalCodeSynonyms = ['Código meta', 'Código meta de producto', 'Código meta producto', 'ID meta', 'Número meta', 'Meta código', 'Código único meta', 'Consecutivo meta'];
const indicatorCodeSynonyms = [
  'Código indicador', 'Código indicador de producto', 'Código indicador producto', 'Código del indicador (KPT)', 'Código KPT', 'Código indicador KPT',
  'Código indicador MGA', 'Código MGA', 'ID indicador', 'Número indicador',
];

export const planColumns = [
  { field: 'daneCode', label: 'Código DANE', required: true, aliases: ['DANE', 'Código DANE municipio', 'Código municipio', 'Código entidad', 'Código DANE entidad', 'Código DIVIPOLA', 'DIVIPOLA'] },
  { field: 'strategicLine', label: 'Línea estratégica', required: true, aliases: ['Línea', 'Línea estratégica PDM', 'Eje estratégico', 'Eje', 'Pilar', 'Dimensión', 'Línea programática', 'Componente estratégico', 'Nombre línea estratégica'] },
  { field: 'sectorCode', label: 'Código sector', required: false, aliases: ['Código sector MGA', 'Sector código'] },
  { field: 'sector', label: 'Sector', required: true, aliases: ['Nombre sector', 'Sector MGA', 'Sector de inversión'] },
  { field: 'programCode', label: 'Código programa', required: true, aliases: ['Código programa presupuestal', 'Código programa MGA', 'Programa código'] },
  { field: 'program', label: 'Programa', required: true, aliases: ['Nombre programa', 'Programa presupuestal', 'Programa MGA', 'Nombre programa presupuestal'] },
  { field: 'productCode', label: 'Código producto', required: true, aliases: ['Código producto MGA', 'Producto código', 'Código catálogo producto'] },
  { field: 'productName', label: 'Producto', required: true, aliases: ['Nombre producto', 'Producto MGA', 'Producto catálogo'] },
  { field: 'indicatorCode', label: 'Código indicador', required: true, aliases: indicatorCodeSynonyms.slice(1) },
  { field: 'indicator', label: 'Indicador de producto', required: true, aliases: ['Indicador', 'Nombre indicador', 'Indicador producto', 'Nombre indicador producto', 'Indicador MGA'] },
  { field: 'goalCode', label: 'Código meta', required: false, aliases: goalCodeSynonyms.slice(1) },
  { field: 'goalName', label: 'Meta de producto', required: false, aliases: ['Meta', 'Descripción meta', 'Meta producto', 'Nombre meta', 'Meta PDM', 'Descripción meta producto', 'Meta resultado producto'] },
  { field: 'unit', label: 'Unidad de medida', required: true, aliases: ['Unidad', 'Unidad medida indicador', 'Unidad medida meta'] },
  {
    field: 'termTarget', label: 'Meta cuatrienio', required: true,
    aliases: ['Meta cuatrienal', 'Valor meta cuatrienio', 'Meta total', 'Meta total cuatrienio', 'Meta plan', 'Meta PDM cuatrienio', 'Valor esperado cuatrienio', 'Meta período gobierno'],
  },
  {
    field: 'baseline', label: 'Línea base', required: false,
    aliases: ['Valor línea base', 'Línea base indicador', 'Línea base meta', 'Línea base producto', 'LB', 'Valor LB', 'Línea base cuatrienio'],
  },
  { field: 'accumulation', label: 'Tipo de acumulación', required: true, aliases: ['Acumulación', 'Tipo acumulación meta', 'Acumulación meta', 'Tipo acumulación indicador'] },
  {
    field: 'department', label: 'Dependencia responsable', required: true,
    aliases: ['Dependencia', 'Responsable', 'Secretaría responsable', 'Dependencia líder', 'Secretaría', 'Responsable meta', 'Dependencia ejecutora', 'Secretaría o dependencia responsable', 'Oficina responsable', 'Sectorial responsable'],
  },
] as const satisfies readonly ColumnSpec<string>[];

/** One column per year of the term: "Programación 2024", "Meta 2025", "Meta programada año 2026". */
export const planYearColumns: YearColumnsSpec = {
  prefixes: ['programacion', 'programado', 'programada', 'meta', 'meta programada', 'programacion meta', 'valor programado', 'meta anual', 'meta fisica', 'programacion fisica', 'valor meta'],
  label: 'Programación AAAA',
  required: true,
};

export const progressColumns = [
  { field: 'goalCode', label: 'Código meta', required: true, aliases: goalCodeSynonyms.slice(1), orField: 'indicatorCode' },
  { field: 'indicatorCode', label: 'Código indicador', required: false, aliases: indicatorCodeSynonyms.slice(1) },
  { field: 'fiscalYear', label: 'Vigencia', required: true, aliases: ['Año', 'Vigencia fiscal', 'Año vigencia', 'Año reporte', 'Vigencia reporte'] },
  { field: 'quarter', label: 'Trimestre', required: true, aliases: ['Período', 'Trimestre reportado', 'Trimestre reporte', 'Período reporte', 'Corte'] },
  {
    field: 'programmed', label: 'Programado', required: false,
    aliases: [
      'Programado trimestre', 'Programación', 'Programación trimestral', 'Valor programado', 'Meta trimestre', 'Meta programada', 'Meta programada trimestre',
      'Programado período', 'Cantidad programada', 'Meta trimestral', 'Programación meta', 'Meta física programada', 'Avance programado',
    ],
  },
  {
    field: 'executed', label: 'Ejecutado', required: true,
    aliases: [
      'Ejecutado trimestre', 'Ejecución', 'Valor ejecutado', 'Avance', 'Avance físico', 'Logro', 'Avance ejecutado', 'Meta ejecutada', 'Cantidad ejecutada',
      'Ejecución física', 'Avance meta', 'Logro alcanzado', 'Ejecutado período', 'Avance ejecutado trimestre', 'Avance físico ejecutado', 'Valor logrado',
    ],
  },
  { field: 'evidence', label: 'Soportes', required: false, aliases: ['Soporte', 'Evidencias', 'Evidencia', 'Soportes o evidencias', 'Enlace soportes', 'Medio verificación', 'Medios verificación', 'Link soportes', 'URL soportes', 'Observaciones / soportes', 'Soportes / observaciones', 'Observaciones y soportes'] },
] as const satisfies readonly ColumnSpec<string>[];

/**
 * Columns of DNP's KPT export and municipal files that are known and deliberately not imported
 * (resources per source, BPIN, the línea base's year and source…): they are not listed as unrecognised. Compared by key,
 * without period suffix; a pattern matches from the key's start.
 */
export const ignorableColumns: readonly RegExp[] = [
  /^(?:total )?(?:recursos?|fuentes?|financiacion|costo|presupuesto|inversion|apropiacion|valor recursos|valor inversion|valor total)\b/,
  /^(?:sgp|sgr|credito|cofinanciacion|otros|otras fuentes|propios|regalias|rp|icld)\b/,
  /^(?:codigo )?bpin\b/,
  /^(?:ods|objetivo desarrollo sostenible|objetivos desarrollo sostenible)\b/,
  // The línea base value is imported ("Línea base"); its year, source and unit are not.
  /^(?:ano|fuente|unidad) linea base\b/,
  /^linea base (?:ano|fuente|unidad)\b/,
  /^(?:entidad territorial|nombre entidad|municipio|nombre municipio|departamento|nombre departamento)$/,
  /^(?:numero|item|consecutivo|orden|fila)$/,
  /^(?:ponderacion|peso|peso porcentual|orientacion|tipo orientacion|sentido)\b/,
  /^(?:proyecto|nombre proyecto|codigo proyecto)$/,
];
