import ExcelJS from 'exceljs';

/**
 * Builds Plan Indicativo and Hoja de Captura files (XLSX or CSV) as samples/LEEME.md describes
 * them, from a short list of goals. `edit` receives the sheet as a matrix (row 0 = headers, row i
 * = spreadsheet row i + 1) to corrupt it before it is written.
 */
export type CellInput = string | number | null | { formula: string; result?: number | string };
export type Matrix = CellInput[][];

export interface DepartmentFixture {
  code: string;
  name: string;
  liaisonName?: string;
  liaisonEmail?: string;
}

export const fixtureDepartments: DepartmentFixture[] = [
  { code: 'SEDU', name: 'Secretaría de Educación', liaisonName: 'Ana Lucía Rosero', liaisonEmail: 'enlace.educacion@pasto.gov.co' },
  { code: 'SSAL', name: 'Secretaría de Salud', liaisonName: 'Jorge Eliécer Bravo', liaisonEmail: 'enlace.salud@pasto.gov.co' },
  { code: 'SINF', name: 'Secretaría de Infraestructura', liaisonName: 'María Fernanda Guerrero', liaisonEmail: 'enlace.infraestructura@pasto.gov.co' },
];

export interface GoalFixture {
  code: string;
  /** Code or name of the department, as the file writes it. */
  department: string;
  /** Annual programming for each year of the term. */
  programming: number[];
  termTarget?: number;
  accumulation?: string;
  unit?: string;
  indicator?: string;
  indicatorCode?: string;
  name?: string;
  line?: string;
  sectorCode?: string;
  sector?: string;
  programCode?: string;
  program?: string;
  productCode?: string;
  productName?: string;
}

export const planHeaders = {
  daneCode: 'Código DANE',
  line: 'Línea estratégica',
  sectorCode: 'Código sector',
  sector: 'Sector',
  programCode: 'Código programa',
  program: 'Programa',
  productCode: 'Código producto',
  productName: 'Producto',
  indicatorCode: 'Código indicador',
  indicator: 'Indicador de producto',
  code: 'Código meta',
  name: 'Meta de producto',
  unit: 'Unidad de medida',
  termTarget: 'Meta cuatrienio',
  accumulation: 'Tipo de acumulación',
} as const;
export type PlanColumn = keyof typeof planHeaders | 'department' | `programming${number}`;

export interface PlanFileOptions {
  years?: number[];
  dane?: string | number;
  /** Rows of the Dependencias sheet (XLSX only); `false` leaves the sheet out. */
  departments?: DepartmentFixture[] | false;
  /** Header text per column, to test variants (`{ line: '  LINEA   ESTRATEGICA ' }`). */
  headers?: Partial<Record<PlanColumn, string>>;
  /** Columns left out of the file. */
  omit?: PlanColumn[];
  edit?: (matrix: Matrix) => void;
  sheetName?: string;
}

const DEFAULT_YEARS = [2024, 2025, 2026, 2027];

/** A goal with every field filled; only what a test cares about needs to be given. */
export function goal(code: string, department: string, programming: number[], extra: Partial<GoalFixture> = {}): GoalFixture {
  return { code, department, programming, ...extra };
}

export function planMatrix(goals: GoalFixture[], options: PlanFileOptions = {}): Matrix {
  const years = options.years ?? DEFAULT_YEARS;
  const columns: { key: PlanColumn; header: string; value: (g: GoalFixture) => CellInput }[] = [
    { key: 'daneCode', header: planHeaders.daneCode, value: () => options.dane ?? '52001' },
    { key: 'line', header: planHeaders.line, value: (g) => g.line ?? '1. Pasto educado y con oportunidades' },
    { key: 'sectorCode', header: planHeaders.sectorCode, value: (g) => g.sectorCode ?? '22' },
    { key: 'sector', header: planHeaders.sector, value: (g) => g.sector ?? 'Educación' },
    { key: 'programCode', header: planHeaders.programCode, value: (g) => g.programCode ?? 2201 },
    { key: 'program', header: planHeaders.program, value: (g) => g.program ?? 'Calidad, cobertura y fortalecimiento de la educación' },
    { key: 'productCode', header: planHeaders.productCode, value: (g) => g.productCode ?? '2201001' },
    { key: 'productName', header: planHeaders.productName, value: (g) => g.productName ?? 'Servicio de apoyo a la permanencia' },
    { key: 'indicatorCode', header: planHeaders.indicatorCode, value: (g) => g.indicatorCode ?? `IND-${g.code}` },
    { key: 'indicator', header: planHeaders.indicator, value: (g) => g.indicator ?? `Indicador de ${g.code}` },
    { key: 'code', header: planHeaders.code, value: (g) => g.code },
    { key: 'name', header: planHeaders.name, value: (g) => g.name ?? `Meta ${g.code}` },
    { key: 'unit', header: planHeaders.unit, value: (g) => g.unit ?? 'Número' },
    { key: 'termTarget', header: planHeaders.termTarget, value: (g) => g.termTarget ?? g.programming.reduce((a, b) => a + b, 0) },
    { key: 'accumulation', header: planHeaders.accumulation, value: (g) => g.accumulation ?? 'Suma' },
    ...years.map((year, y) => ({ key: `programming${year}` as PlanColumn, header: `Programación ${year}`, value: (g: GoalFixture) => g.programming[y] ?? 0 })),
    { key: 'department', header: 'Dependencia responsable', value: (g) => g.department },
  ];
  const kept = columns.filter((c) => !options.omit?.includes(c.key));
  const matrix: Matrix = [
    kept.map((c) => options.headers?.[c.key] ?? c.header),
    ...goals.map((g) => kept.map((c) => c.value(g))),
  ];
  options.edit?.(matrix);
  return matrix;
}

export function departmentsMatrix(departments: DepartmentFixture[]): Matrix {
  return [
    ['Código', 'Nombre', 'Enlace', 'Correo del enlace'],
    ...departments.map((d) => [d.code, d.name, d.liaisonName ?? null, d.liaisonEmail ?? null]),
  ];
}

export interface SheetFixture {
  name: string;
  rows: Matrix;
  /** Ranges to merge, e.g. `B2:B4` (a strategic line spanning its goals). */
  merges?: string[];
  /** Cells to set with a raw exceljs value (rich text, hyperlink, date) after the rows are written. */
  cells?: Record<string, ExcelJS.CellValue>;
}

export async function xlsxOf(sheets: SheetFixture[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  for (const sheet of sheets) {
    const worksheet = workbook.addWorksheet(sheet.name);
    for (const row of sheet.rows) worksheet.addRow(row.map((cell) => (cell !== null && typeof cell === 'object' ? { formula: cell.formula, result: cell.result } : cell)));
    for (const [address, value] of Object.entries(sheet.cells ?? {})) worksheet.getCell(address).value = value;
    for (const range of sheet.merges ?? []) worksheet.mergeCells(range);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function planXlsx(goals: GoalFixture[], options: PlanFileOptions = {}): Promise<Buffer> {
  const sheets = [{ name: options.sheetName ?? 'Plan Indicativo', rows: planMatrix(goals, options) }];
  const departments = options.departments ?? fixtureDepartments;
  if (departments) sheets.push({ name: 'Dependencias', rows: departmentsMatrix(departments) });
  return xlsxOf(sheets);
}

export interface CsvOptions {
  delimiter?: ';' | ',' | '\t' | '|';
  encoding?: 'utf-8' | 'windows-1252';
  /** How numbers are written: `1234.5`, Colombian `1.234,5` or international `1,234.5`. */
  numbers?: 'plain' | 'es' | 'en';
  bom?: boolean;
}

function formatNumber(n: number, style: CsvOptions['numbers']): string {
  if (style === 'es') return n.toLocaleString('en-US', { maximumFractionDigits: 10 }).replace(/,/g, '_').replace('.', ',').replace(/_/g, '.');
  if (style === 'en') return n.toLocaleString('en-US', { maximumFractionDigits: 10 });
  return String(n);
}

/** The Windows-1252 characters above Latin-1 that Spanish text uses (dashes, quotes, €). */
const cp1252Extra: Record<string, number> = { '€': 0x80, '…': 0x85, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97 };

function encodeWindows1252(text: string): Buffer {
  const bytes: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    const extra = cp1252Extra[ch];
    if (extra !== undefined) bytes.push(extra);
    else if (code <= 0xff && (code < 0x80 || code > 0x9f)) bytes.push(code);
    else throw new Error(`"${ch}" has no Windows-1252 byte`);
  }
  return Buffer.from(bytes);
}

export function csvOf(matrix: Matrix, options: CsvOptions = {}): Buffer {
  const delimiter = options.delimiter ?? ',';
  const cell = (value: CellInput) => {
    if (value === null) return '';
    const text = typeof value === 'object' ? `=${value.formula}` : typeof value === 'number' ? formatNumber(value, options.numbers) : value;
    return text.includes(delimiter) || text.includes('"') || text.includes('\n') ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const text = matrix.map((row) => row.map(cell).join(delimiter)).join('\r\n') + '\r\n';
  if (options.encoding === 'windows-1252') return encodeWindows1252(text);
  return Buffer.from((options.bom ? '\ufeff' : '') + text, 'utf8');
}

export function planCsv(goals: GoalFixture[], options: Omit<PlanFileOptions, 'departments' | 'sheetName'> & CsvOptions = {}): Buffer {
  return csvOf(planMatrix(goals, options), options);
}

export interface CaptureFixture {
  code: string;
  year: number | string;
  quarter: number | string;
  executed: number | string | null;
  programmed?: number | string | null;
  evidence?: string | null;
}

export interface CaptureFileOptions {
  /** Leave out the Programado column. */
  withoutProgrammed?: boolean;
  edit?: (matrix: Matrix) => void;
}

export function captureMatrix(rows: CaptureFixture[], options: CaptureFileOptions = {}): Matrix {
  const headers = ['Código meta', 'Vigencia', 'Trimestre', ...(options.withoutProgrammed ? [] : ['Programado']), 'Ejecutado', 'Soportes'];
  const matrix: Matrix = [
    headers,
    ...rows.map((r) => [r.code, r.year, r.quarter, ...(options.withoutProgrammed ? [] : [r.programmed ?? null]), r.executed, r.evidence ?? null]),
  ];
  options.edit?.(matrix);
  return matrix;
}

export const captureXlsx = (rows: CaptureFixture[], options: CaptureFileOptions = {}) =>
  xlsxOf([{ name: 'Hoja de Captura', rows: captureMatrix(rows, options) }]);

export const captureCsv = (rows: CaptureFixture[], options: CaptureFileOptions & CsvOptions = {}) => csvOf(captureMatrix(rows, options), options);
