import fc from 'fast-check';
import { planColumns, planYearColumns, progressColumns } from '../imports/columnSynonyms';
import { type IndicativePlan, parseIndicativePlan } from '../imports/indicativePlan';
import { parseUpload } from '../imports/parse';
import { parseProgressReport, type ProgressReport } from '../imports/progressReport';
import { defaultUploadLimits } from '../imports/limits';
import { readWorkbook, type Table, workbookOf } from '../imports/table';
import { type CellInput, csvOf, fixtureDepartments, type Matrix, xlsxOf } from './support/importFiles';

/**
 * Property: the same Plan Indicativo and Hoja de Captura, written as an office may keep them —
 * any separator and encoding, 0–6 title rows (merged in XLSX), blank rows and columns, decimal
 * comma or point with thousands separators, headers spelt in other ways and in any order, extra
 * columns — read to the same data. Files are read by the worker's own code in this process (a
 * worker per file would take most of the run); the worker path itself is checked once at the end.
 */

/** PBT_SEED and PBT_RUNS explore further by hand; the suite runs the same 40 cases every time. */
const SEED = Number(process.env.PBT_SEED ?? 20_261_403);
const RUNS = Number(process.env.PBT_RUNS ?? 40);
const YEARS = [2024, 2025, 2026, 2027];

// ---------------------------------------------------------------- the data

interface GoalData {
  code: string;
  department: string;
  line: string;
  name: string;
  unit: string;
  termTarget: number;
  programming: number[];
}
interface ProgressData {
  goal: number;
  year: number;
  quarter: number;
  programmed: number;
  executed: number;
  evidence: string | null;
}

// Text a person types, Windows-1252 characters only, with the separators and quotes a CSV must escape.
const word = fc.constantFrom('Niños', 'niñas', 'vías', 'educación', 'salud', '"única"', 'año', 'Pasto;', 'sedes,', 'km²', 'Ñandú', 'público', '–', '50%');
const phrase = fc.array(word, { minLength: 1, maxLength: 5 }).map((words) => words.join(' '));
// Amounts whose written form is ambiguous without the file's convention (1.234, 2,500) and decimals.
const amount = fc.oneof(fc.integer({ min: 0, max: 2_000_000 }), fc.integer({ min: 0, max: 5_000_000 }).map((n) => n / 100), fc.constantFrom(1234, 2500, 0.5, 12.25));

const goalsData = fc.uniqueArray(fc.integer({ min: 1, max: 999 }), { minLength: 1, maxLength: 5 }).chain((numbers) =>
  fc.tuple(
    ...numbers.map((n) =>
      fc.record({
        code: fc.constant(`PI-${String(n).padStart(3, '0')}`),
        department: fc.constantFrom(...fixtureDepartments.map((d) => d.code)),
        line: phrase,
        name: phrase,
        unit: fc.constantFrom('Número', 'Porcentaje', 'Kilómetros'),
        termTarget: amount,
        programming: fc.tuple(amount, amount, amount, amount),
      }),
    ),
  ),
);

/** x + 0.5 as a person writes it (no float noise: 0.18 + 0.5 is 0.68, not 0.6799999999999999). */
const plusHalf = (x: number) => (Math.round(x * 100) + 50) / 100;

// One value with a decimal part makes the convention unambiguous, as in any real plan.
const planData = goalsData.map((goals): GoalData[] => goals.map((g, i) => (i === 0 ? { ...g, termTarget: plusHalf(g.termTarget) } : g)));

const progressData = (goals: number) =>
  fc
    .uniqueArray(fc.record({ goal: fc.integer({ min: 0, max: goals - 1 }), year: fc.constantFrom(2025, 2026), quarter: fc.integer({ min: 1, max: 4 }) }), {
      minLength: 1,
      maxLength: 8,
      selector: (r) => `${r.goal}|${r.year}|${r.quarter}`,
    })
    .chain((keys) =>
      fc.tuple(...keys.map((key) => fc.record({ programmed: amount, executed: amount, evidence: fc.option(phrase, { nil: null }) }).map((v): ProgressData => ({ ...key, ...v })))),
    )
    .map((rows) => rows.map((r, i) => (i === 0 ? { ...r, executed: plusHalf(r.executed) } : r)));

// ---------------------------------------------------------------- how an office writes it

interface Shape {
  format: 'csv' | 'xlsx';
  delimiter: ';' | ',' | '\t' | '|';
  encoding: 'utf-8' | 'utf-8-bom' | 'windows-1252';
  numbers: 'plain' | 'es' | 'en';
  titles: string[][];
  /** A header spelling per field, by index in the field's list of spellings. */
  spelling: number[];
  /** Column order. */
  order: number[];
  observations: boolean;
  dnpColumns: boolean;
  blankColumn: number | null;
}

const title = fc.constantFrom<string[]>(
  ['PLAN INDICATIVO 2024-2027'],
  ['Alcaldía de Pasto (Nariño)', null as unknown as string],
  [],
  ['Municipio 52001 – Oficina de Planeación'],
  ['Fecha de corte: 31/03/2026', '', ''],
  ['"Pasto, ciudad educadora"'],
);

const shape = (columns: number): fc.Arbitrary<Shape> =>
  fc.record({
    format: fc.constantFrom('csv' as const, 'csv' as const, 'xlsx' as const),
    delimiter: fc.constantFrom(';' as const, ',' as const, '\t' as const, '|' as const),
    encoding: fc.constantFrom('utf-8' as const, 'utf-8-bom' as const, 'windows-1252' as const),
    numbers: fc.constantFrom('plain' as const, 'es' as const, 'en' as const),
    titles: fc.array(title, { minLength: 0, maxLength: 6 }),
    spelling: fc.array(fc.nat(), { minLength: columns, maxLength: columns }),
    order: fc.shuffledSubarray([...Array(columns).keys()], { minLength: columns, maxLength: columns }),
    observations: fc.boolean(),
    dnpColumns: fc.boolean(),
    blankColumn: fc.option(fc.nat({ max: columns }), { nil: null }),
  });

interface Column {
  spellings: string[];
  value: (row: number) => CellInput;
}

function fileMatrix(columns: Column[], rows: number, s: Shape): { matrix: Matrix; merges: string[] } {
  const chosen = s.order.map((i) => ({ header: columns[i]!.spellings[s.spelling[i]! % columns[i]!.spellings.length]!, value: columns[i]!.value }));
  if (s.observations) chosen.push({ header: 'Observaciones', value: (r) => (r % 2 ? 'Revisar; pendiente acta' : null) });
  if (s.dnpColumns) chosen.splice(1, 0, { header: 'BPIN', value: () => '2024520010001' }, { header: 'Recursos propios 2025', value: (r) => 1000 * (r + 1) });
  if (s.blankColumn !== null) chosen.splice(Math.min(s.blankColumn, chosen.length), 0, { header: '', value: () => null });
  const header = chosen.map((c) => c.header);
  const data = Array.from({ length: rows }, (_, r) => chosen.map((c) => c.value(r)));
  const matrix = [...s.titles.map((t) => t.map((cell) => cell || null)), header, ...data];
  // XLSX title rows are merged across the table, as offices do.
  const last = String.fromCharCode(64 + Math.min(26, header.length));
  const merges = s.format === 'xlsx' ? s.titles.flatMap((t, i) => (t.length && t[0] ? [`A${i + 1}:${last}${i + 1}`] : [])) : [];
  return { matrix, merges };
}

async function fileOf(columns: Column[], rows: number, s: Shape, sheet: string): Promise<{ fileName: string; content: Buffer }> {
  const { matrix, merges } = fileMatrix(columns, rows, s);
  if (s.format === 'xlsx') return { fileName: 'archivo.xlsx', content: await xlsxOf([{ name: sheet, rows: matrix, merges }]) };
  const content = csvOf(matrix, {
    delimiter: s.delimiter,
    numbers: s.numbers,
    encoding: s.encoding === 'windows-1252' ? 'windows-1252' : 'utf-8',
    bom: s.encoding === 'utf-8-bom',
  });
  return { fileName: 'archivo.csv', content };
}

/** What the worker does with the file, in this process. */
async function readTable(file: { fileName: string; content: Buffer }, options: Parameters<typeof workbookOf>[2]): Promise<Table> {
  const format = file.fileName.endsWith('.csv') ? 'csv' : 'xlsx';
  const response = await parseUpload({ format, content: file.content, sheetName: options.sheetName, optionalSheets: [], limits: defaultUploadLimits, columns: options.columns });
  const workbook = workbookOf(format, response, options);
  if (!workbook.ok) throw new Error(JSON.stringify(workbook.errors));
  return workbook.value.main;
}

// ---------------------------------------------------------------- the two files

const year = (y: number) => String(y);

function planFileColumns(goals: GoalData[]): Column[] {
  return [
    { spellings: ['Código DANE', 'CODIGO DANE', 'Cód. DANE', 'Código DANE (municipio)'], value: () => '52001' },
    { spellings: ['Línea estratégica', 'LINEA  ESTRATEGICA', 'Eje estratégico', 'Línea estratégica:'], value: (r) => goals[r]!.line },
    { spellings: ['Código sector', 'Cód. sector', 'Código del sector'], value: () => '22' },
    { spellings: ['Sector', 'SECTOR', 'Nombre del sector'], value: () => 'Educación' },
    { spellings: ['Código programa', 'Cód. programa presupuestal', 'Código del programa'], value: () => '2201' },
    { spellings: ['Programa', 'Programa presupuestal', 'Nombre del programa'], value: () => 'Calidad, cobertura y fortalecimiento' },
    { spellings: ['Código producto', 'Cód. producto', 'Código del producto (MGA)'], value: () => '2201001' },
    { spellings: ['Producto', 'Nombre del producto', 'PRODUCTO'], value: () => 'Servicio de apoyo' },
    { spellings: ['Código indicador', 'Cód. indicador de producto', 'Código del indicador'], value: (r) => `IND-${goals[r]!.code}` },
    { spellings: ['Indicador de producto', 'Nombre del indicador', 'INDICADOR'], value: (r) => `Indicador ${goals[r]!.code}` },
    { spellings: ['Código meta', 'Cód. meta', 'No. meta', 'Código de la meta'], value: (r) => goals[r]!.code },
    { spellings: ['Meta de producto', 'Descripción de la meta', 'Meta'], value: (r) => goals[r]!.name },
    { spellings: ['Unidad de medida', 'Unidad', 'Und. de medida'], value: (r) => goals[r]!.unit },
    { spellings: ['Meta cuatrienio', 'Meta del cuatrienio 2024-2027', 'Meta cuatrienal', 'Valor meta cuatrienio'], value: (r) => goals[r]!.termTarget },
    { spellings: ['Tipo de acumulación', 'Tipo acumulación (Suma/Flujo)', 'Acumulación'], value: () => 'Suma' },
    ...YEARS.map((y, i) => ({
      spellings: [`Programación ${y}`, `Meta ${y}`, `Meta programada ${y}`, `PROGRAMACIÓN AÑO ${y}`, `Meta vigencia ${y}`],
      value: (r: number) => goals[r]!.programming[i]!,
    })),
    { spellings: ['Dependencia responsable', 'Secretaría responsable', 'Dependencia', 'Responsable'], value: (r) => goals[r]!.department },
  ];
}

function progressFileColumns(goals: GoalData[], rows: ProgressData[], byIndicator: boolean): Column[] {
  return [
    byIndicator
      ? { spellings: ['Código indicador', 'Cód. del indicador', 'Código indicador de producto'], value: (r) => `IND-${goals[rows[r]!.goal]!.code}` }
      : { spellings: ['Código meta', 'Cód. meta', 'No. meta', 'ID meta'], value: (r) => goals[rows[r]!.goal]!.code },
    { spellings: ['Vigencia', 'Año', 'VIGENCIA FISCAL'], value: (r) => year(rows[r]!.year) },
    { spellings: ['Trimestre', 'Trim.', 'Período'], value: (r) => [`T${rows[r]!.quarter}`, String(rows[r]!.quarter), ['I', 'II', 'III', 'IV'][rows[r]!.quarter - 1]!][r % 3]! },
    { spellings: ['Programado', 'Meta programada T3 2026', 'Programación trimestral', 'Meta programada'], value: (r) => rows[r]!.programmed },
    { spellings: ['Ejecutado', 'Avance ejecutado T3 2026', 'Avance', 'Valor ejecutado'], value: (r) => rows[r]!.executed },
    { spellings: ['Soportes', 'Evidencias', 'Medio de verificación'], value: (r) => rows[r]!.evidence },
  ];
}

const planOptions = { sheetName: 'Plan Indicativo', columns: { specs: planColumns, yearSpec: planYearColumns } };
const progressOptions = { sheetName: 'Hoja de Captura', columns: { specs: progressColumns } };

const plainGoals = (plan: IndicativePlan) => plan.goals.map(({ row: _row, ...g }) => ({ ...g, programming: [...g.programming] }));
const plainEntries = (report: ProgressReport) => report.entries.map(({ row: _row, ...e }) => e);

function expectedGoals(goals: GoalData[]) {
  return goals.map((g) => ({
    code: g.code,
    departmentCode: g.department,
    strategicLine: g.line,
    sectorCode: '22',
    sector: 'Educación',
    programCode: '2201',
    program: 'Calidad, cobertura y fortalecimiento',
    productCode: '2201001',
    productName: 'Servicio de apoyo',
    indicatorCode: `IND-${g.code}`,
    indicator: `Indicador ${g.code}`,
    name: g.name,
    unit: g.unit,
    termTarget: g.termTarget,
    accumulation: 'sum',
    // No "Línea base" column in these files: the documented default applies (stored as null).
    baseline: null,
    programming: YEARS.map((y, i) => [y, g.programming[i]!]),
  }));
}

describe('the same plan and progress, however the office writes them, read to the same data', () => {
  it('Plan Indicativo and Hoja de Captura', async () => {
    const data = planData.chain((goals) => fc.tuple(fc.constant(goals), progressData(goals.length), fc.boolean()));
    const shapes = fc.tuple(shape(planFileColumns([]).length), shape(6));
    await fc.assert(
      fc.asyncProperty(data, shapes, async ([goals, progress, byIndicator], [planShape, progressShape]) => {
        const planTable = await readTable(await fileOf(planFileColumns(goals), goals.length, planShape, 'Plan Indicativo'), planOptions);
        expect(planTable.headerRowNumber).toBe(planShape.titles.length + 1);
        const plan = parseIndicativePlan(planTable, { departments: fixtureDepartments.map((d) => ({ ...d, liaisonName: null, liaisonEmail: null })) });
        if (!plan.ok) throw new Error(JSON.stringify(plan.errors.slice(0, 5)));
        expect(plainGoals(plan.plan)).toEqual(expectedGoals(goals));
        expect(plan.plan.unimportedColumns.map((c) => c.header)).toEqual(planShape.observations ? ['Observaciones'] : []);

        const progressTable = await readTable(await fileOf(progressFileColumns(goals, progress, byIndicator), progress.length, progressShape, 'Hoja de Captura'), progressOptions);
        const goalMap = new Map(goals.map((g) => [g.code, { active: true, indicatorCode: `IND-${g.code}` }]));
        const report = parseProgressReport(progressTable, { goals: goalMap, term: { startYear: 2024, endYear: 2027 } });
        if (!report.ok) throw new Error(JSON.stringify(report.errors.slice(0, 5)));
        expect(plainEntries(report.report)).toEqual(
          progress.map((p) => ({ goalCode: goals[p.goal]!.code, fiscalYear: p.year, quarter: p.quarter, programmed: p.programmed, executed: p.executed, evidence: p.evidence })),
        );
        expect(report.report.unimportedColumns.map((c) => c.header)).toEqual(progressShape.observations ? ['Observaciones'] : []);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  });

  it('reads a Windows-1252 "|" file with title rows through the worker thread as in-process', async () => {
    const goals: GoalData[] = [{ code: 'PI-007', department: 'SEDU', line: 'Línea, única', name: 'Niños; niñas', unit: 'Número', termTarget: 1234.5, programming: [2500, 0, 1, 2] }];
    const s: Shape = {
      format: 'csv', delimiter: '|', encoding: 'windows-1252', numbers: 'es', titles: [['PLAN INDICATIVO'], []],
      spelling: Array(20).fill(1), order: [...Array(20).keys()].reverse(), observations: true, dnpColumns: true, blankColumn: 3,
    };
    const file = await fileOf(planFileColumns(goals), 1, s, 'Plan Indicativo');
    const viaWorker = await readWorkbook(file, planOptions);
    expect(viaWorker.ok && viaWorker.value.main).toEqual(await readTable(file, planOptions));
    expect(viaWorker.ok && [viaWorker.value.main.delimiter, viaWorker.value.main.encoding, viaWorker.value.main.headerRowNumber]).toEqual(['|', 'Windows-1252', 3]);
  });
});
