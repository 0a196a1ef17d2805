import { and, eq, sql } from 'drizzle-orm';
import { type Database, type DatabaseHandle } from '../db/client';
import * as t from '../db/schema';
import { ImportFailed, importIndicativePlan, importProgressReport } from '../imports';
import { UploadRefused } from '../imports/errors';
import { AppError } from '../services/errors';
import { normalizeHeader } from '../imports/headers';
import { parseNumber } from '../imports/numbers';
import { readWorkbook } from '../imports/table';
import {
  captureCsv,
  captureXlsx,
  fixtureDepartments,
  goal,
  type GoalFixture,
  planCsv,
  planXlsx,
  xlsxOf,
  planMatrix,
  csvOf,
} from './support/importFiles';
import { openPglite } from './support/pglite';

const importedBy = 'equipo.mmse@pasto.gov.co';

const tables = {
  plans: t.plans,
  planImports: t.planImports,
  departments: t.departments,
  goals: t.goals,
  goalRevisions: t.goalRevisions,
  goalProgramming: t.goalProgramming,
  goalProgress: t.goalProgress,
};

async function counts(db: Database): Promise<Record<keyof typeof tables, number>> {
  const entries = await Promise.all(
    Object.entries(tables).map(async ([name, table]) => {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(table);
      return [name, row?.n ?? 0] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<keyof typeof tables, number>;
}

/** Runs a rejected import and returns its error, checking it wrote nothing at all. */
async function rejected(db: Database, run: () => Promise<unknown>): Promise<ImportFailed> {
  const before = await counts(db);
  const error = await run().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportFailed);
  expect(await counts(db)).toEqual(before);
  return error as ImportFailed;
}

const importPlan = (db: Database, content: Buffer, fileName = 'plan-indicativo.xlsx') => importIndicativePlan(db, { fileName, content, importedBy });
const importCapture = (db: Database, content: Buffer, fileName = 'hoja-de-captura.xlsx') => importProgressReport(db, { fileName, content, importedBy });

async function programmingVersions(db: Database, goalCode: string, fiscalYear: number) {
  return db
    .select()
    .from(t.goalProgramming)
    .where(and(eq(t.goalProgramming.goalCode, goalCode), eq(t.goalProgramming.fiscalYear, fiscalYear)))
    .orderBy(t.goalProgramming.version);
}

async function goalRow(db: Database, code: string) {
  const [row] = await db.select().from(t.goals).where(eq(t.goals.code, code));
  return row;
}

const basePlan: GoalFixture[] = [
  goal('PI-001', 'SEDU', [5, 5, 5, 5], { name: 'Sedes educativas con conectividad' }),
  goal('PI-002', 'SEDU', [50, 50, 50, 50], { accumulation: 'Acumulado' }),
  goal('PI-003', 'Secretaría de Salud', [95, 95, 95, 95], { accumulation: 'No acumulable', unit: 'Porcentaje', termTarget: 95, sector: 'Salud y protección social' }),
  goal('PI-004', 'SINF', [2.5, 2.5, 2.5, 2.5], { unit: 'Kilómetros' }),
  goal('PI-005', 'sinf', [9, 8.5, 8, 7.5], { accumulation: 'Reducción', unit: 'Tasa', termTarget: 7.5 }),
];

describe('number and header parsing', () => {
  it.each([
    ['1.234,5', 1234.5],
    ['1234,5', 1234.5],
    ['1,234.5', 1234.5],
    ['1234.5', 1234.5],
    ['1 234 567,25', 1234567.25],
    ['1\u00a0234,5', 1234.5],
    ['12%', 12],
    ['0,75', 0.75],
    ['2.500', 2500],
    ['-3', -3],
    ['1.234.567', 1234567],
  ])('reads "%s" as %d', (text, value) => {
    expect(parseNumber(text)).toEqual({ ok: true, value });
  });

  it('reads the ambiguous "2.500" and "2,500" by the file locale', () => {
    expect(parseNumber('2.500', 'en')).toEqual({ ok: true, value: 2.5 });
    expect(parseNumber('2,500', 'en')).toEqual({ ok: true, value: 2500 });
    expect(parseNumber('2,500', 'es')).toEqual({ ok: true, value: 2.5 });
  });

  it.each(['diez', '1.23.4', '12 abc', '1,2,3', '', '5 %%'])('rejects "%s" with a Spanish message', (text) => {
    expect(parseNumber(text)).toEqual({ ok: false, message: `debe ser un número (recibido "${text}")` });
  });

  it('normalises headers ignoring accents, case, spacing and trailing punctuation', () => {
    expect(normalizeHeader('  LÍNEA   Estratégica: ')).toBe('linea estrategica');
    expect(normalizeHeader('Código DANE*')).toBe('codigo dane');
    expect(normalizeHeader('Programación\u00a02024')).toBe('programacion 2024');
  });
});

describe('reading spreadsheets', () => {
  it('reads rich text, hyperlinks, dates and merged cells as text, and skips empty rows', async () => {
    const file = await xlsxOf([
      { name: 'Notas', rows: [['no es esta hoja']] },
      {
        name: 'HOJA DE CAPTURA',
        rows: [[], ['Código meta', 'Línea', 'Soportes', 'Fecha'], ['M-1', 'Línea 1', null, null], [], ['M-2', null, null, null], ['M-3', null, null, 12.5]],
        merges: ['B3:B6'],
        cells: {
          C3: { richText: [{ text: 'Acta ' }, { font: { bold: true }, text: 'firmada' }] },
          C5: { text: 'Informe T1', hyperlink: 'https://drive.example/informe.pdf' },
          D5: new Date(Date.UTC(2026, 2, 31)),
        },
      },
    ]);
    const read = await readWorkbook({ fileName: 'captura.XLSX', content: file }, { sheetName: 'Hoja de Captura' });
    expect(read).toEqual({
      ok: true,
      value: {
        main: {
          sheetName: 'HOJA DE CAPTURA',
          headers: ['Código meta', 'Línea', 'Soportes', 'Fecha'],
          headerRowNumber: 2,
          rows: [
            { rowNumber: 3, cells: ['M-1', 'Línea 1', 'Acta firmada', null] },
            { rowNumber: 5, cells: ['M-2', 'Línea 1', 'Informe T1', '2026-03-31'] },
            { rowNumber: 6, cells: ['M-3', 'Línea 1', null, 12.5] },
          ],
          format: 'xlsx',
          delimiter: null,
          encoding: null,
        },
        extra: new Map(),
      },
    });
  });

  it('numbers CSV rows as a spreadsheet shows them, blank lines and quoted line breaks included', async () => {
    const csv = Buffer.from('\ufeffCódigo meta;Soportes\r\n\r\nM-1;"línea uno\r\nlínea dos"\r\nM-2;"con ; punto y coma"\r\n;\r\n');
    const read = await readWorkbook({ fileName: 'captura.csv', content: csv }, { sheetName: 'Hoja de Captura' });
    expect(read.ok && read.value.main).toEqual({
      sheetName: 'Hoja de Captura',
      headers: ['Código meta', 'Soportes'],
      headerRowNumber: 1,
      rows: [
        { rowNumber: 3, cells: ['M-1', 'línea uno\r\nlínea dos'] },
        { rowNumber: 4, cells: ['M-2', 'con ; punto y coma'] },
      ],
      format: 'csv',
      delimiter: ';',
      encoding: 'UTF-8 con BOM',
    });
  });
});

describe('Plan Indicativo import', () => {
  let handle: DatabaseHandle;
  let db: Database;
  let firstFile: Buffer;
  let firstImportId: number | null;

  beforeAll(async () => {
    handle = await openPglite();
    db = handle.db;
  });
  afterAll(() => handle.close());

  it('imports a valid XLSX with its Dependencias sheet', async () => {
    firstFile = await planXlsx(basePlan);
    const summary = await importPlan(db, firstFile);

    expect(summary).toMatchObject({
      unchanged: false,
      goalsAdded: ['PI-001', 'PI-002', 'PI-003', 'PI-004', 'PI-005'],
      goalsRemoved: [],
      goalsChanged: [],
      programmingChanged: [],
      departmentsAdded: ['SEDU', 'SSAL', 'SINF'],
    });
    expect(summary.importId).toEqual(expect.any(Number));
    firstImportId = summary.importId;
    expect(await counts(db)).toEqual({ plans: 1, planImports: 1, departments: 3, goals: 5, goalRevisions: 5, goalProgramming: 20, goalProgress: 0 });

    const [plan] = await db.select().from(t.plans);
    expect(plan).toMatchObject({ id: 1, name: 'Plan de Desarrollo 2024–2027', municipality: 'Municipio 52001', daneCode: '52001', termStartYear: 2024, termEndYear: 2027 });
    // Department named by name ("Secretaría de Salud") and by lower-case code ("sinf") resolve to codes.
    expect(await goalRow(db, 'PI-003')).toMatchObject({ departmentCode: 'SSAL', accumulation: 'flow', unit: 'Porcentaje', termTarget: 95, sector: 'Salud y protección social' });
    expect(await goalRow(db, 'PI-005')).toMatchObject({ departmentCode: 'SINF', accumulation: 'reduction', termTarget: 7.5, programCode: '2201', active: true });
    expect(await goalRow(db, 'PI-001')).toMatchObject({ name: 'Sedes educativas con conectividad', indicator: 'Indicador de PI-001' });
    const [sedu] = await db.select().from(t.departments).where(eq(t.departments.code, 'SEDU'));
    expect(sedu).toMatchObject({ name: 'Secretaría de Educación', liaisonEmail: 'enlace.educacion@pasto.gov.co' });
    expect(await programmingVersions(db, 'PI-005', 2025)).toEqual([
      expect.objectContaining({ version: 1, annualTarget: 8.5, quarterlyTargets: null, reason: 'Importación del Plan Indicativo plan-indicativo.xlsx', createdBy: importedBy, planImportId: summary.importId }),
    ]);
    const [revision] = await db.select().from(t.goalRevisions).where(eq(t.goalRevisions.goalCode, 'PI-003'));
    expect(revision?.attributes).toMatchObject({ sectorCode: '22', departmentCode: 'SSAL', accumulation: 'flow' });
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await counts(db);
    const summary = await importPlan(db, firstFile, 'copia.xlsx');
    expect(summary).toMatchObject({ unchanged: true, importId: firstImportId, goalsAdded: [], programmingChanged: [] });
    expect(await counts(db)).toEqual(before);
  });

  it('changes nothing and records no import for other bytes with the same content (CSV)', async () => {
    const before = await counts(db);
    const summary = await importPlan(db, planCsv(basePlan), 'plan-indicativo.csv');
    expect(summary).toMatchObject({ unchanged: true, importId: null });
    expect(await counts(db)).toEqual(before);
  });

  it('reports goals added, removed and changed and adds programming versions, keeping the old ones', async () => {
    // An earlier reprogramming left PI-002 2026 with quarterly targets that still add up to the new annual value.
    await db.insert(t.goalProgramming).values([
      { goalCode: 'PI-002', fiscalYear: 2026, version: 2, annualTarget: 40, quarterlyTargets: [10, 10, 15, 15], reason: 'Reprogramación', createdBy: 'coordinador' },
      { goalCode: 'PI-004', fiscalYear: 2026, version: 2, annualTarget: 2.5, quarterlyTargets: [0.5, 0.5, 0.5, 1], reason: 'Reprogramación', createdBy: 'coordinador' },
    ]);
    const changed = [
      goal('PI-001', 'SEDU', [5, 8, 5, 5], { name: 'Sedes educativas con conectividad', termTarget: 20 }),
      basePlan[1]!,
      goal('PI-003', 'SSAL', [95, 95, 95, 95], { accumulation: 'Flujo', unit: 'Porcentaje (%)', termTarget: 95, sector: 'Salud y protección social' }),
      goal('PI-004', 'SINF', [2.5, 2.5, 3, 2.5], { unit: 'Kilómetros', termTarget: 10 }),
      goal('PI-006', 'SSAL', [1, 1, 1, 1]),
    ];
    changed[1] = { ...basePlan[1]!, programming: [50, 50, 50, 50] };
    const before = await counts(db);
    const summary = await importPlan(db, await planXlsx(changed), 'plan-indicativo-v2.xlsx');

    expect(summary).toMatchObject({
      unchanged: false,
      goalsAdded: ['PI-006'],
      goalsRemoved: ['PI-005'],
      goalsChanged: ['PI-003'],
      goalsReactivated: [],
      departmentsAdded: [],
      departmentsChanged: [],
    });
    expect(summary.programmingChanged).toEqual(
      expect.arrayContaining([
        { goalCode: 'PI-001', fiscalYear: 2025, before: 5, after: 8 },
        { goalCode: 'PI-002', fiscalYear: 2026, before: 40, after: 50 },
        { goalCode: 'PI-004', fiscalYear: 2026, before: 2.5, after: 3 },
      ]),
    );
    expect(summary.programmingChanged).toHaveLength(3);
    expect(await counts(db)).toEqual({
      ...before,
      planImports: before.planImports + 1,
      goals: before.goals + 1,
      goalRevisions: before.goalRevisions + 2,
      goalProgramming: before.goalProgramming + 3 + 4,
    });

    const pi001 = await programmingVersions(db, 'PI-001', 2025);
    expect(pi001.map((v) => [v.version, v.annualTarget, v.planImportId])).toEqual([
      [1, 5, firstImportId],
      [2, 8, summary.importId],
    ]);
    // Quarterly targets survive only where they still add up to the new annual target.
    expect((await programmingVersions(db, 'PI-002', 2026)).at(-1)).toMatchObject({ version: 3, annualTarget: 50, quarterlyTargets: [10, 10, 15, 15] });
    expect((await programmingVersions(db, 'PI-004', 2026)).at(-1)).toMatchObject({ version: 3, annualTarget: 3, quarterlyTargets: null });
    expect(await goalRow(db, 'PI-005')).toMatchObject({ active: false });
    expect(await goalRow(db, 'PI-003')).toMatchObject({ unit: 'Porcentaje (%)', active: true });
    expect(await programmingVersions(db, 'PI-005', 2024)).toHaveLength(1);
  });

  it('reactivates a goal that comes back and updates departments from the Dependencias sheet', async () => {
    const departments = [...fixtureDepartments, { code: 'SGOB', name: 'Secretaría de Gobierno' }];
    departments[0] = { ...departments[0]!, liaisonName: 'Carlos Andrés Muñoz' };
    const summary = await importPlan(db, await planXlsx([...basePlan, goal('PI-007', 'SGOB', [1, 0, 0, 0])], { departments }), 'plan-indicativo-v3.xlsx');
    expect(summary).toMatchObject({
      goalsAdded: ['PI-007'],
      goalsReactivated: ['PI-005'],
      goalsRemoved: ['PI-006'],
      goalsChanged: ['PI-003'],
      departmentsAdded: ['SGOB'],
      departmentsChanged: ['SEDU'],
    });
    expect(await goalRow(db, 'PI-005')).toMatchObject({ active: true });
    const [sedu] = await db.select().from(t.departments).where(eq(t.departments.code, 'SEDU'));
    expect(sedu).toMatchObject({ liaisonName: 'Carlos Andrés Muñoz', liaisonEmail: 'enlace.educacion@pasto.gov.co', version: 2 });
    // The sheet's change is a new version; the first import's stays.
    const versions = await db.select().from(t.departmentVersions).where(eq(t.departmentVersions.departmentCode, 'SEDU')).orderBy(t.departmentVersions.version);
    expect(versions.map((v) => [v.version, v.liaisonName, v.reason])).toEqual([
      [1, fixtureDepartments[0]!.liaisonName ?? null, 'Importación del Plan Indicativo plan-indicativo.xlsx'],
      [2, 'Carlos Andrés Muñoz', 'Importación del Plan Indicativo plan-indicativo-v3.xlsx'],
    ]);
  });

  it('compares an older file imported again instead of skipping it, so it can restore old values', async () => {
    const summary = await importPlan(db, firstFile, 'plan-indicativo.xlsx');
    expect(summary).toMatchObject({ unchanged: false, goalsRemoved: ['PI-007'], goalsAdded: [] });
    expect(summary.importId).toBeGreaterThan(firstImportId as number);
    expect(await goalRow(db, 'PI-007')).toMatchObject({ active: false });
    // Now it is the latest import: the same bytes again change nothing.
    expect(await importPlan(db, firstFile, 'plan-indicativo.xlsx')).toMatchObject({ unchanged: true, importId: summary.importId });
  });
});

describe('Plan Indicativo files in other shapes', () => {
  let handle: DatabaseHandle;
  let db: Database;

  beforeAll(async () => {
    handle = await openPglite();
    db = handle.db;
    await db.insert(t.departments).values(fixtureDepartments.map(({ code, name }) => ({ code, name })));
  });
  afterAll(() => handle.close());

  it('imports the optional "Línea base" column, keeps it with the goal version, and maps the offices\' accumulation words', async () => {
    const goals = [
      goal('LB-1', 'SINF', [95, 90, 85, 80], { accumulation: 'Reducción', termTarget: 80, unit: 'Porcentaje' }),
      goal('LB-2', 'SSAL', [12, 12, 12, 12], { accumulation: 'Reducción anual', termTarget: 12 }),
      goal('LB-3', 'SEDU', [300, 400, 450, 500], { accumulation: 'Capacidad', termTarget: 500 }),
      goal('LB-4', 'SEDU', [150, 175, 190, 200], { accumulation: 'Creciente', termTarget: 200 }),
      goal('LB-5', 'SEDU', [5, 5, 5, 5], { accumulation: 'Decreciente' }),
    ];
    const withBaseline = (values: (number | null)[]) => (m: unknown[][]) => {
      m[0]!.push('Línea base');
      m[0]!.push('Año línea base');
      values.forEach((v, i) => {
        m[i + 1]!.push(v);
        m[i + 1]!.push(2023);
      });
    };
    const summary = await importPlan(db, await planXlsx(goals, { departments: false, edit: withBaseline([100, 14, 250, null, 7.5]) }));
    expect(summary.goalsAdded).toEqual(['LB-1', 'LB-2', 'LB-3', 'LB-4', 'LB-5']);
    expect(summary.unimportedColumns ?? []).toEqual([]);
    expect(await goalRow(db, 'LB-1')).toMatchObject({ accumulation: 'reduction', baseline: 100 });
    expect(await goalRow(db, 'LB-2')).toMatchObject({ accumulation: 'annualReduction', baseline: 14 });
    expect(await goalRow(db, 'LB-3')).toMatchObject({ accumulation: 'capacity', baseline: 250 });
    // Left blank: stored as null, the documented default of the type applies when measuring.
    expect(await goalRow(db, 'LB-4')).toMatchObject({ accumulation: 'stock', baseline: null });
    expect(await goalRow(db, 'LB-5')).toMatchObject({ accumulation: 'reduction', baseline: 7.5 });
    const [revision] = await db.select().from(t.goalRevisions).where(eq(t.goalRevisions.goalCode, 'LB-1'));
    expect(revision?.attributes).toMatchObject({ baseline: 100 });

    // A new línea base is a new version of the goal's attributes, the earlier one kept.
    const again = await importPlan(db, await planXlsx(goals, { departments: false, edit: withBaseline([98, 14, 250, null, 7.5]) }), 'plan-2.xlsx');
    expect(again.goalsChanged).toEqual(['LB-1']);
    const revisions = await db.select().from(t.goalRevisions).where(eq(t.goalRevisions.goalCode, 'LB-1')).orderBy(t.goalRevisions.planImportId);
    expect(revisions.map((r) => (r.attributes as { baseline: number }).baseline)).toEqual([100, 98]);
  });

  it('reads a UTF-8 CSV separated by commas with international numbers', async () => {
    const goals = [
      goal('CSV-1', 'SEDU', [1234.5, 0, 0, 0], { termTarget: 1234.5, line: 'Línea 1, educación', name: 'Niños y niñas con "jornada única"' }),
      goal('CSV-2', 'SSAL', [0.25, 0.5, 0.75, 1]),
    ];
    const summary = await importPlan(db, planCsv(goals, { delimiter: ',', numbers: 'en', bom: true }), 'plan.csv');
    expect(summary.goalsAdded).toEqual(['CSV-1', 'CSV-2']);
    expect(await goalRow(db, 'CSV-1')).toMatchObject({ termTarget: 1234.5, strategicLine: 'Línea 1, educación', name: 'Niños y niñas con "jornada única"' });
    expect((await programmingVersions(db, 'CSV-2', 2026))[0]?.annualTarget).toBe(0.75);
  });

  it('reads a Windows-1252 CSV separated by semicolons with Colombian numbers', async () => {
    const goals = [
      goal('ANSI-1', 'SINF', [1234.5, 2500, 0, 0], { termTarget: 3734.5, unit: 'Metros cuadrados', line: 'Pasto conectado – vías y espacio público' }),
      goal('ANSI-2', 'Secretaría de Educación', [10, 10, 10, 10]),
    ];
    const file = planCsv(goals, { delimiter: ';', encoding: 'windows-1252', numbers: 'es' });
    expect(file.includes(Buffer.from('1.234,5'))).toBe(true);
    const summary = await importPlan(db, file, 'PLAN.CSV');
    expect(summary.goalsAdded).toEqual(['ANSI-1', 'ANSI-2']);
    expect(await goalRow(db, 'ANSI-1')).toMatchObject({ termTarget: 3734.5, strategicLine: 'Pasto conectado – vías y espacio público', sector: 'Educación' });
    expect((await programmingVersions(db, 'ANSI-1', 2025))[0]?.annualTarget).toBe(2500);
    expect(await goalRow(db, 'ANSI-2')).toMatchObject({ departmentCode: 'SEDU' });
  });

  it('finds a ";" header under title rows and a blank line in a Windows-1252 CSV, and says how it read it', async () => {
    const goals = [goal('TIT-1', 'SEDU', [1234, 10.5, 0, 0], { termTarget: 1244.5 }), goal('TIT-2', 'SSAL', [1, 2, 3, 4])];
    const file = csvOf(
      [
        ['PLAN INDICATIVO 2024-2027 "PASTO, CIUDAD EDUCADORA"'],
        ['Municipio de Pasto (Nariño), código DANE 52001'],
        [],
        ['Fecha de corte: 31/03/2026', null, null],
        ...planMatrix(goals, { headers: { line: 'Línea estratégica (eje)', termTarget: 'Meta cuatrienio 2024-2027', programming2026: 'Meta programada 2026' } }),
      ],
      { delimiter: ';', encoding: 'windows-1252', numbers: 'es' },
    );
    const summary = await importPlan(db, file, 'plan-con-titulos.csv');
    expect(summary.goalsAdded).toEqual(['TIT-1', 'TIT-2']);
    expect(summary.reading?.description).toBe("separador ';', codificación Windows-1252, encabezados en la fila 5");
    expect(summary.unimportedColumns).toEqual([]);
    expect(await goalRow(db, 'TIT-1')).toMatchObject({ termTarget: 1244.5 });
    expect((await programmingVersions(db, 'TIT-1', 2024))[0]?.annualTarget).toBe(1234);
  });

  it('picks the sheet whose header names the plan\'s columns when none is called "Plan Indicativo", below merged title rows', async () => {
    const matrix = planMatrix([goal('KPT-1', 'SEDU', [1, 2, 3, 4])], { headers: { code: 'Cód. meta', indicatorCode: 'Código del indicador (KPT)' } });
    const file = await xlsxOf([
      { name: 'Instrucciones', rows: [['Diligencie la hoja PI'], ['Sector', 'Programa', 'Producto']] },
      { name: 'PI KPT', rows: [['PLAN INDICATIVO – KPT'], [], ...matrix], merges: ['A1:T1'] },
    ]);
    const summary = await importPlan(db, file, 'kpt.xlsx');
    expect(summary.goalsAdded).toEqual(['KPT-1']);
    expect(summary.reading?.description).toBe('hoja "PI KPT", encabezados en la fila 3');
  });

  it('lists a column it does not recognise, with the column it probably is, and skips DNP columns it knows', async () => {
    const file = await planXlsx([goal('UNK-1', 'SEDU', [1, 1, 1, 1])], {
      departments: false,
      edit: (m) => {
        m[0]!.push('Observaciones', 'Recursos propios 2024', 'BPIN', 'Unidad de medidaa');
        m[1]!.push('Revisar con la Secretaría', 1_000_000, '2024520010001', 'Número');
      },
      omit: ['unit'],
    });
    const error = await rejected(db, () => importPlan(db, file, 'plan-columnas.xlsx'));
    expect(error.details).toContainEqual(expect.stringContaining('¿es la columna W ("Unidad de medidaa")?'));
    const ok = await planXlsx([goal('UNK-1', 'SEDU', [1, 1, 1, 1])], {
      departments: false,
      edit: (m) => {
        m[0]!.push('Observaciones', 'Recursos propios 2024', 'BPIN', 'Prog. trimestre', null);
        m[1]!.push('Revisar con la Secretaría', 1_000_000, '2024520010001', 3, 'dato sin encabezado');
      },
    });
    const summary = await importPlan(db, ok, 'plan-columnas.xlsx');
    expect(summary.unimportedColumns).toEqual([
      { column: 'U', header: 'Observaciones' },
      { column: 'X', header: 'Prog. trimestre' },
      { column: 'Y', header: '' },
    ]);
    const [record] = await db.select().from(t.planImports).where(eq(t.planImports.id, summary.importId!));
    expect(record?.summary).toMatchObject({ unimportedColumns: summary.unimportedColumns, reading: { headerRow: 1, sheet: 'Plan Indicativo' } });
  });

  it('recognises headers written with other accents, case, spacing and year-column names', async () => {
    const file = await planXlsx([goal('HDR-1', 'SEDU', [1, 2, 3, 4])], {
      departments: false,
      sheetName: 'PI 2024-2027',
      headers: {
        daneCode: 'codigo dane:',
        line: '  LINEA   ESTRATEGICA ',
        sector: 'SECTOR',
        programCode: 'Código Programa',
        indicator: 'indicador  de  producto',
        unit: 'UNIDAD DE MEDIDA.',
        termTarget: 'Meta Cuatrienio*',
        accumulation: 'TIPO DE ACUMULACIÓN',
        programming2024: 'programacion 2024',
        programming2025: 'Meta 2025',
        programming2026: 'Programado 2026',
        programming2027: 'PROGRAMACIÓN  2027',
        department: 'Dependencia',
      },
    });
    const summary = await importPlan(db, file);
    expect(summary.goalsAdded).toEqual(['HDR-1']);
    expect((await programmingVersions(db, 'HDR-1', 2027))[0]?.annualTarget).toBe(4);
  });

  it('finds the header row below title rows and repeats a merged strategic line over its goals', async () => {
    const matrix = planMatrix([goal('TTL-1', 'SEDU', [1, 1, 1, 1], { line: '2. Pasto saludable' }), goal('TTL-2', 'SSAL', [2, 2, 2, 2], { line: '' })]);
    matrix.unshift(['PLAN INDICATIVO 2024–2027'], ['Alcaldía de Pasto — Oficina de Planeación'], []);
    const file = await xlsxOf([{ name: 'Plan Indicativo', rows: matrix, merges: ['B5:B6'] }]);
    const summary = await importPlan(db, file, 'plan-con-titulo.xlsx');
    expect(summary.goalsAdded).toEqual(['TTL-1', 'TTL-2']);
    expect(await goalRow(db, 'TTL-2')).toMatchObject({ strategicLine: '2. Pasto saludable', departmentCode: 'SSAL' });

    const broken = [...matrix.map((row) => [...row])];
    broken[5]![13] = 'mucho';
    const error = await rejected(db, async () => importPlan(db, await xlsxOf([{ name: 'Plan Indicativo', rows: broken, merges: ['B5:B6'] }])));
    expect(error.details).toEqual(['Fila 6, columna "Meta cuatrienio": debe ser un número (recibido "mucho")']);
  });

  it('uses the indicator code and name when "Código meta" and "Meta de producto" are absent, and reads percent cells as shown', async () => {
    const file = await planXlsx([goal('ignored', 'SSAL', [0.9, 0.92, 0.94, 0.95], { indicatorCode: '190500100', indicator: 'Cobertura de vacunación', termTarget: 0.95, accumulation: 'Flujo' })], {
      departments: false,
      omit: ['code', 'name'],
    });
    const percent = await reformat(file, ['L', 'N', 'O', 'P', 'Q'], '0%');
    const summary = await importPlan(db, percent);
    expect(summary.goalsAdded).toEqual(['190500100']);
    expect(await goalRow(db, '190500100')).toMatchObject({ name: 'Cobertura de vacunación', termTarget: 95 });
    expect((await programmingVersions(db, '190500100', 2024))[0]?.annualTarget).toBe(90);
  });
});

/** Gives columns of the first sheet a number format, as a planning office's workbook would have. */
async function reformat(file: Buffer, columns: string[], numFmt: string): Promise<Buffer> {
  const ExcelJS = (await import('exceljs')).default;
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(file as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  for (const column of columns) sheet.getColumn(column).eachCell((cell) => (cell.numFmt = numFmt));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('rejected Plan Indicativo files write nothing', () => {
  let handle: DatabaseHandle;
  let db: Database;

  beforeAll(async () => {
    handle = await openPglite();
    db = handle.db;
    await importPlan(db, await planXlsx(basePlan));
  });
  afterAll(() => handle.close());

  it('lists every missing column of a file with the wrong headers', async () => {
    const file = await xlsxOf([{ name: 'Plan Indicativo', rows: [['Meta', 'Valor', 'Observaciones'], ['Algo', 3, 'nada']] }]);
    const error = await rejected(db, () => importPlan(db, file));
    const missing = ['Código DANE', 'Línea estratégica', 'Sector', 'Código programa', 'Programa', 'Código producto', 'Producto', 'Código indicador', 'Indicador de producto', 'Unidad de medida', 'Meta cuatrienio', 'Tipo de acumulación', 'Dependencia responsable'];
    for (const column of missing) expect(error.details).toContain(`Columna "${column}": falta esta columna obligatoria en la fila de encabezados`);
    expect(error.details).toContainEqual(expect.stringMatching(/^Columna "Programación AAAA": falta/));
    expect(error.message).toBe(`El archivo tiene ${missing.length + 1} errores; no se importó nada`);
    expect(error.code).toBe('invalid_input');
  });

  it('names the missing columns and suggests the misspelled one', async () => {
    const file = await planXlsx(basePlan, { omit: ['unit'], headers: { termTarget: 'Meta cuatrenio' } });
    const error = await rejected(db, () => importPlan(db, file));
    expect(error.details).toEqual([
      'Columna "Unidad de medida": falta esta columna obligatoria en la fila de encabezados',
      'Columna "Meta cuatrienio": falta esta columna obligatoria en la fila de encabezados; ¿es la columna M ("Meta cuatrenio")? Revise cómo está escrita',
    ]);
  });

  it('rejects a duplicated column and years that are not a four-year term', async () => {
    const file = await planXlsx(basePlan, { years: [2024, 2025, 2027], headers: { name: 'Sector' } });
    const error = await rejected(db, () => importPlan(db, file));
    expect(error.details).toEqual([
      'Columna "Sector": aparece 2 veces (columnas D y L); deje solo una',
      'Se esperan 4 columnas "Programación AAAA", una por cada año consecutivo del cuatrienio (p. ej. 2024 a 2027); el archivo tiene 2024, 2025, 2027',
    ]);
  });

  it('reports both rows of a duplicated goal code', async () => {
    const file = await planXlsx([...basePlan, goal('PI-002', 'SEDU', [1, 1, 1, 1])]);
    const error = await rejected(db, () => importPlan(db, file));
    expect(error.details).toEqual([
      'Fila 3, columna "Código meta": el código de meta "PI-002" está repetido (filas 3 y 7); cada meta debe tener un código único',
      'Fila 7, columna "Código meta": el código de meta "PI-002" está repetido (filas 3 y 7); cada meta debe tener un código único',
    ]);
  });

  it('rejects text in a number column', async () => {
    const file = await planXlsx(basePlan, { edit: (m) => (m[5]![13] = 'diez') });
    const error = await rejected(db, () => importPlan(db, file));
    expect(error.message).toBe('El archivo tiene 1 error; no se importó nada');
    expect(error.details).toEqual(['Fila 6, columna "Meta cuatrienio": debe ser un número (recibido "diez")']);
    expect(error.errors).toEqual([{ row: 6, column: 'Meta cuatrienio', message: 'debe ser un número (recibido "diez")' }]);
  });

  it('rejects negative values and unknown accumulation types', async () => {
    const file = await planXlsx(basePlan, {
      edit: (m) => {
        m[2]![16] = -3;
        m[3]![14] = 'Promedio';
      },
    });
    const error = await rejected(db, () => importPlan(db, file));
    expect(error.details).toEqual([
      'Fila 3, columna "Programación 2025": debe ser un número finito entre 0 y 1.000.000.000.000 (recibido -3)',
      'Fila 4, columna "Tipo de acumulación": tipo de acumulación desconocido "Promedio"; use Suma (o Acumulado), Flujo (o No acumulable), Stock (o Mantenimiento, Creciente), Capacidad, Reducción (o Decreciente) o Reducción anual',
    ]);
  });

  it('rejects values out of range (1e308, over 10^12) and four years adding up over the limit, naming row and column', async () => {
    const before = await counts(db);
    const file = await planXlsx(basePlan, {
      edit: (m) => {
        m[1]![13] = 1e308;
        m[2]![16] = 1e12 + 1;
        for (const column of [15, 16, 17, 18]) m[4]![column] = 4e11;
      },
    });
    const error = await rejected(db, () => importPlan(db, file));
    expect(error.details).toEqual([
      'Fila 2, columna "Meta cuatrienio": debe ser un número finito entre 0 y 1.000.000.000.000 (recibido 1e+308)',
      'Fila 3, columna "Programación 2025": debe ser un número finito entre 0 y 1.000.000.000.000 (recibido 1000000000001)',
      'Fila 5, columna "Programación 2024": la suma de la programación de 2024, 2025, 2026, 2027 (1.600.000.000.000) supera el máximo de 1.000.000.000.000',
    ]);
    expect(await counts(db)).toEqual(before);
  });

  it('proposes a department that is not registered nor in the Dependencias sheet, and refuses to create it unconfirmed', async () => {
    const file = await planXlsx([...basePlan, goal('PI-010', 'Secretaría de Cultura', [1, 1, 1, 1])], { departments: false });
    const preview = await importIndicativePlan(db, { fileName: 'plan.xlsx', content: file, importedBy }, { dryRun: true });
    expect(preview.departmentsFromPlan).toEqual([{ code: 'SCUL', name: 'Secretaría de Cultura', goals: 1 }]);
    const before = await counts(db);
    const error = await importPlan(db, file).then(
      () => null,
      (e: unknown) => e as AppError,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'conflict', details: ['Secretaría de Cultura: código SCUL (1 meta)'] });
    expect(error!.message).toMatch(/^El Plan Indicativo nombra dependencias que no están registradas \(1\).*--yes/);
    expect(await counts(db)).toEqual(before);
  });

  it('rejects an empty file, a file without data rows, a 20 MB file and an unknown type', async () => {
    expect((await rejected(db, () => importPlan(db, Buffer.alloc(0)))).details).toEqual(['El archivo está vacío']);
    const headersOnly = await xlsxOf([{ name: 'Plan Indicativo', rows: [planMatrix([])[0]!] }]);
    expect((await rejected(db, () => importPlan(db, headersOnly))).details).toEqual([
      'La hoja "Plan Indicativo" no tiene filas de datos debajo de los encabezados (fila 1)',
    ]);
    expect((await rejected(db, () => importPlan(db, Buffer.from('\r\n\r\n'), 'plan.csv'))).details).toEqual([
      'El archivo está vacío: no tiene encabezados ni filas de datos',
    ]);
    // Too big is refused as a whole (413), before anything is read.
    const huge = Buffer.alloc(20 * 1024 * 1024, 'a');
    const before = await counts(db);
    const tooBig = await importPlan(db, huge).catch((e: unknown) => e);
    expect(tooBig).toBeInstanceOf(UploadRefused);
    expect(tooBig).toMatchObject({ httpStatus: 413, message: 'El archivo pesa 20,0 MB; el máximo es 10 MB' });
    expect(await counts(db)).toEqual(before);
    expect((await rejected(db, () => importPlan(db, Buffer.from('%PDF-1.4'), 'plan.pdf'))).details).toEqual(['El archivo debe ser .xlsx o .csv (recibido .pdf)']);
    expect((await rejected(db, () => importPlan(db, Buffer.from('no es un zip')))).details).toEqual([
      'El archivo no es un XLSX válido (¿está dañado o protegido con contraseña?); ábralo en Excel y guárdelo de nuevo como .xlsx',
    ]);
  });

  it('rejects a formula cell in an XLSX, naming the cell', async () => {
    const file = await planXlsx(basePlan, { edit: (m) => (m[5]![13] = { formula: 'SUM(P6:S6)', result: 33 }) });
    const error = await rejected(db, () => importPlan(db, file));
    expect(error.details).toEqual([
      'Fila 6, columna "Meta cuatrienio": la celda N6 tiene una fórmula (=SUM(P6:S6)); las fórmulas no se aceptan: copie la hoja y use Pegado especial → Valores',
    ]);
  });

  it('rejects a CSV cell starting with "="', async () => {
    const file = csvOf(planMatrix(basePlan, { edit: (m) => (m[2]![15] = { formula: 'P2+1' }) }), { delimiter: ';' });
    const error = await rejected(db, () => importPlan(db, file, 'plan.csv'));
    expect(error.details).toEqual(['Fila 3, columna "Programación 2024": la celda P3 empieza con "=" (=P2+1); las fórmulas no se aceptan: escriba el valor']);
  });

  it('reports all the errors of a file at once', async () => {
    const file = await planXlsx([...basePlan, goal('PI-001', 'SEDU', [1, 1, 1, 1])], {
      edit: (m) => {
        m[2]![13] = 'diez';
        m[4]![0] = '5200';
      },
    });
    const error = await rejected(db, () => importPlan(db, file));
    expect(error.message).toBe('El archivo tiene 4 errores; no se importó nada');
    expect(error.details).toEqual([
      'Fila 2, columna "Código meta": el código de meta "PI-001" está repetido (filas 2 y 7); cada meta debe tener un código único',
      'Fila 3, columna "Meta cuatrienio": debe ser un número (recibido "diez")',
      'Fila 5, columna "Código DANE": el código DANE 05200 no coincide con el del resto del archivo (52001, p. ej. fila 2); el Plan Indicativo debe ser de un solo municipio',
      'Fila 7, columna "Código meta": el código de meta "PI-001" está repetido (filas 2 y 7); cada meta debe tener un código único',
    ]);
  });

  it('rejects invalid rows of the Dependencias sheet, naming the sheet', async () => {
    const file = await planXlsx(basePlan, { departments: [...fixtureDepartments, { code: 'SGOB', name: 'Secretaría de Gobierno', liaisonEmail: 'gobierno(at)pasto' }] });
    const error = await rejected(db, () => importPlan(db, file));
    expect(error.details).toEqual(['Hoja "Dependencias", fila 5, columna "Correo del enlace": no es un correo válido (recibido "gobierno(at)pasto")']);
  });

  it('rejects the Plan Indicativo of another municipality', async () => {
    const error = await rejected(db, async () => importPlan(db, await planXlsx(basePlan, { dane: '05001' })));
    expect(error.details).toEqual([
      'El archivo es del municipio con código DANE 05001, pero el plan registrado es de Municipio 52001 (52001); importe el Plan Indicativo de ese municipio',
    ]);
  });
});

describe('Hoja de Captura import', () => {
  let handle: DatabaseHandle;
  let db: Database;
  let firstFile: Buffer;

  beforeAll(async () => {
    handle = await openPglite();
    db = handle.db;
    await importPlan(db, await planXlsx(basePlan));
  });
  afterAll(() => handle.close());

  const progressOf = (goalCode: string, fiscalYear: number, quarter: number) =>
    db
      .select()
      .from(t.goalProgress)
      .where(and(eq(t.goalProgress.goalCode, goalCode), eq(t.goalProgress.fiscalYear, fiscalYear), eq(t.goalProgress.quarter, quarter)))
      .orderBy(t.goalProgress.version);

  it('imports executed values with their evidence', async () => {
    firstFile = await captureXlsx([
      { code: 'PI-001', year: 2025, quarter: 1, executed: 1, evidence: 'https://drive.example/acta-1.pdf' },
      { code: 'PI-001', year: 2025, quarter: 'T2', executed: 2 },
      { code: 'PI-003', year: '2025', quarter: 'Trimestre 1', executed: 93.5 },
      { code: 'pi-004', year: 2025, quarter: 1, executed: 0 },
    ]);
    const summary = await importCapture(db, firstFile);
    expect(summary).toEqual({
      importId: expect.any(Number),
      unchanged: false,
      progressVersionsCreated: 4,
      corrections: [],
      programmingVersionsCreated: 0,
      columns: expect.objectContaining({ applied: null, unmapped: [] }),
      reading: { format: 'xlsx', sheet: 'Hoja de Captura', separator: null, encoding: null, headerRow: 1, description: 'hoja "Hoja de Captura", encabezados en la fila 1' },
      unimportedColumns: [],
    });
    expect(await progressOf('PI-001', 2025, 1)).toEqual([
      expect.objectContaining({ version: 1, executed: 1, evidence: 'https://drive.example/acta-1.pdf', reportedBy: importedBy, planImportId: summary.importId }),
    ]);
    expect(await progressOf('PI-004', 2025, 1)).toEqual([expect.objectContaining({ version: 1, executed: 0 })]);
  });

  it('changes nothing when the same report is imported again', async () => {
    const before = await counts(db);
    expect(await importCapture(db, firstFile)).toMatchObject({ unchanged: true, progressVersionsCreated: 0 });
    const sameContent = captureCsv(
      [
        { code: 'PI-001', year: 2025, quarter: 1, executed: 1 },
        { code: 'PI-003', year: 2025, quarter: 1, executed: '93,5' },
      ],
      { delimiter: ';' },
    );
    expect(await importCapture(db, sameContent, 'captura.csv')).toMatchObject({ unchanged: true, importId: null });
    expect(await counts(db)).toEqual(before);
  });

  it('records a correction of an earlier quarter as version 2, keeping version 1', async () => {
    const summary = await importCapture(
      db,
      await captureXlsx([
        { code: 'PI-001', year: 2025, quarter: 1, executed: 1.5, evidence: 'Acta de corrección' },
        { code: 'PI-001', year: 2025, quarter: 3, executed: 1 },
      ]),
    );
    expect(summary).toMatchObject({ unchanged: false, progressVersionsCreated: 2, corrections: [{ goalCode: 'PI-001', fiscalYear: 2025, quarter: 1, before: 1, after: 1.5 }] });
    expect((await progressOf('PI-001', 2025, 1)).map((p) => [p.version, p.executed, p.evidence])).toEqual([
      [1, 1, 'https://drive.example/acta-1.pdf'],
      [2, 1.5, 'Acta de corrección'],
    ]);
  });

  it('creates a programming version when a quarter\'s "Programado" changes', async () => {
    const summary = await importCapture(
      db,
      await captureXlsx([
        { code: 'PI-002', year: 2026, quarter: 1, programmed: 10, executed: 9 },
        { code: 'PI-002', year: 2026, quarter: 2, programmed: 15, executed: 0 },
        { code: 'PI-003', year: 2026, quarter: 1, programmed: null, executed: 94 },
      ]),
    );
    expect(summary).toMatchObject({ progressVersionsCreated: 3, programmingVersionsCreated: 1 });
    expect((await programmingVersions(db, 'PI-002', 2026)).map((v) => [v.version, v.annualTarget, v.quarterlyTargets, v.reason])).toEqual([
      [1, 50, null, 'Importación del Plan Indicativo plan-indicativo.xlsx'],
      [2, 50, [10, 15, null, null], 'Importación de la Hoja de Captura hoja-de-captura.xlsx'],
    ]);
    // The same programmed values again change nothing.
    const again = await importCapture(db, await captureXlsx([{ code: 'PI-002', year: 2026, quarter: 2, programmed: 15, executed: 0 }]));
    expect(again).toMatchObject({ unchanged: true, importId: null });
  });

  it('rejects unknown goals, quarter 5, years outside the plan and duplicated rows, writing nothing', async () => {
    const file = await captureXlsx([
      { code: 'NO-EXISTE', year: 2025, quarter: 1, executed: 1 },
      { code: 'PI-001', year: 2025, quarter: 5, executed: 1 },
      { code: 'PI-002', year: 2031, quarter: 1, executed: 1 },
      { code: 'PI-004', year: 2025, quarter: 2, executed: 'dos' },
      { code: 'PI-005', year: 2025, quarter: 'T4', executed: 1, programmed: -1 },
      { code: 'PI-003', year: 2025, quarter: 2, executed: 1 },
      { code: 'PI-003', year: 2025, quarter: 'T2', executed: 2 },
    ]);
    const error = await rejected(db, () => importCapture(db, file));
    expect(error.details).toEqual([
      'Fila 2, columna "Código meta": la meta "NO-EXISTE" no existe en el Plan Indicativo importado',
      'Fila 3, columna "Trimestre": el trimestre debe ser 1, 2, 3 o 4 (o T1–T4); recibido "5"',
      'Fila 4, columna "Vigencia": la vigencia 2031 está fuera del plan (2024–2027)',
      'Fila 5, columna "Ejecutado": debe ser un número (recibido "dos")',
      'Fila 6, columna "Programado": debe ser un número finito entre 0 y 1.000.000.000.000 (recibido -1)',
      'Fila 7, columna "Código meta": la meta "PI-003" tiene más de un reporte para 2025 T2 (filas 7 y 8); deje una sola fila',
      'Fila 8, columna "Código meta": la meta "PI-003" tiene más de un reporte para 2025 T2 (filas 7 y 8); deje una sola fila',
    ]);
  });

  it('rejects an executed value of 1e308, and quarters of a year adding up over 10^12, writing nothing', async () => {
    const before = await counts(db);
    const huge = await rejected(db, async () => importCapture(db, await captureXlsx([{ code: 'PI-001', year: 2027, quarter: 1, executed: 1e308 }])));
    expect(huge.details).toEqual(['Fila 2, columna "Ejecutado": debe ser un número finito entre 0 y 1.000.000.000.000 (recibido 1e+308)']);
    const sums = await rejected(db, async () =>
      importCapture(
        db,
        await captureXlsx([
          { code: 'PI-002', year: 2027, quarter: 1, executed: 6e11 },
          { code: 'PI-002', year: 2027, quarter: 2, executed: 6e11 },
          { code: 'PI-004', year: 2027, quarter: 1, executed: 1, programmed: 7e11 },
          { code: 'PI-004', year: 2027, quarter: 2, executed: 1, programmed: 7e11 },
        ]),
      ),
    );
    expect(sums.details).toEqual([
      'Fila 3, columna "Ejecutado": la suma de lo ejecutado en los cuatro trimestres de 2027 (meta PI-002) (1.200.000.000.000) supera el máximo de 1.000.000.000.000',
      'Fila 5, columna "Programado": la suma de lo programado en los cuatro trimestres de 2027 (meta PI-004) (1.400.000.000.000) supera el máximo de 1.000.000.000.000',
    ]);
    expect(await counts(db)).toEqual(before);
  });

  it('reads a municipal Hoja: title rows, the indicator code as goal key, "Meta programada …" and "Avance ejecutado …", an unknown column listed', async () => {
    const file = csvOf(
      [
        ['HOJA DE CAPTURA – SEGUIMIENTO PLAN DE DESARROLLO'],
        ['Alcaldía de Pasto', null, null],
        [],
        ['Cód. del indicador', 'Año', 'Trimestre', 'Meta programada T2 2027', 'Avance ejecutado T2 2027', 'Observaciones', 'Recursos ejecutados SGP', 'Soportes'],
        ['IND-PI-002', 2027, 'T2', 12.5, 10, 'Se retrasó la contratación', 1500000, 'https://drive.example/t2.pdf'],
        ['ind-pi-004', 2027, 'T2', 0.5, 0.25, null, null, null],
      ],
      { delimiter: ';', encoding: 'windows-1252', numbers: 'es' },
    );
    const summary = await importCapture(db, file, 'captura-municipal.csv');
    expect(summary).toMatchObject({
      progressVersionsCreated: 2,
      programmingVersionsCreated: 2,
      reading: { description: "separador ';', codificación Windows-1252, encabezados en la fila 4" },
      unimportedColumns: [{ column: 'F', header: 'Observaciones' }],
    });
    expect(await progressOf('PI-002', 2027, 2)).toEqual([expect.objectContaining({ executed: 10, evidence: 'https://drive.example/t2.pdf' })]);
    expect(await progressOf('PI-004', 2027, 2)).toEqual([expect.objectContaining({ executed: 0.25 })]);
    const [programming] = (await programmingVersions(db, 'PI-002', 2027)).slice(-1);
    expect(programming?.quarterlyTargets).toEqual([null, 12.5, null, null]);

    // A misspelt optional column is named with the column it probably is, not dropped silently.
    const misspelt = await importCapture(
      db,
      await captureXlsx([{ code: 'PI-001', year: 2027, quarter: 2, executed: 1, programmed: 2 }], { edit: (m) => (m[0]![3] = 'Progamado') }),
    );
    expect(misspelt.unimportedColumns).toEqual([{ column: 'D', header: 'Progamado', suggestion: 'Programado' }]);
  });

  it('rejects missing columns and progress for a goal removed from the plan', async () => {
    const noExecuted = await rejected(db, async () =>
      importCapture(db, await captureXlsx([{ code: 'PI-001', year: 2025, quarter: 1, executed: 1 }], { edit: (m) => (m[0]![4] = 'Observaciones') })),
    );
    expect(noExecuted.details).toEqual(['Columna "Ejecutado": falta esta columna obligatoria en la fila de encabezados']);

    await importPlan(db, await planXlsx(basePlan.slice(0, 4)), 'plan-sin-pi-005.xlsx');
    const removed = await rejected(db, async () => importCapture(db, await captureXlsx([{ code: 'PI-005', year: 2025, quarter: 1, executed: 8 }])));
    expect(removed.details).toEqual([
      'Fila 2, columna "Código meta": la meta "PI-005" fue retirada del Plan Indicativo (no está en el último archivo importado); no se le puede reportar avance',
    ]);
  });
});
