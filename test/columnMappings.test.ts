import { asc, sql } from 'drizzle-orm';
import type { Database, DatabaseHandle } from '../db/client';
import { openPglite } from './support/pglite';
import * as t from '../db/schema';
import { ImportFailed, importIndicativePlan, importProgressReport, type ImportOptions } from '../imports';
import { parseColumnChoices } from '../imports/columnFields';
import type { ColumnReport } from '../imports/columnMappings';
import { AppError } from '../services/errors';
import { ConfigError, loadConfig } from '../config';
import { applyConfiguredIdentity, identityFromTitles, readIdentity, saveIdentity } from '../services/municipality';
import { csvOf, goal, type Matrix, planXlsx } from './support/importFiles';

const importedBy = 'equipo.mmse@pasto.gov.co';
const planGoals = [goal('M-001', 'SEDU', [10, 20, 30, 40]), goal('M-002', 'SSAL', [4, 4, 4, 4])];

/** A Hoja de Captura as an office keeps it: its own spellings, which no alias knows. */
const officeHeaders = ['Código meta', 'Vigencia', 'Trimestre', 'Cifra planeada (oficina)', 'Valor logrado a la fecha (oficina)', 'Observaciones del enlace'];
const officeCapture = (executed: [number, number], headers = officeHeaders): Buffer => {
  const matrix: Matrix = [headers, ['M-001', 2026, 'T1', 5, executed[0], 'Sin novedad'], ['M-002', 2026, 'T1', 1, executed[1], null]];
  return csvOf(matrix, { delimiter: ';' });
};
const officeMapping = [
  { header: 'Cifra planeada (oficina)', field: 'programmed' },
  { header: 'Valor logrado a la fecha (oficina)', field: 'executed' },
  { header: 'Observaciones del enlace', field: 'ignore' },
];

async function count(db: Database, table: typeof t.planImports | typeof t.columnMappings | typeof t.goalProgress | typeof t.municipalityIdentity): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(table);
  return row?.n ?? 0;
}

const failureOf = async (run: Promise<unknown>) => {
  const error = await run.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ImportFailed);
  return error as ImportFailed;
};

describe('versions: a preview never consumes a number', () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openPglite();
  });
  afterAll(async () => handle?.close());

  it('numbers imports 1, 2, 3 whatever the dry runs and failed imports in between', async () => {
    const { db } = handle;
    const plan = await planXlsx(planGoals);
    const preview = await importIndicativePlan(db, { fileName: 'plan.xlsx', content: plan, importedBy }, { dryRun: true });
    expect(preview.importId).toBeNull();
    expect(preview.goalsAdded).toEqual(['M-001', 'M-002']);
    expect(await count(db, t.planImports)).toBe(0);
    // A second preview, and a failed import, consume nothing either.
    await importIndicativePlan(db, { fileName: 'plan.xlsx', content: plan, importedBy }, { dryRun: true });
    await failureOf(importIndicativePlan(db, { fileName: 'roto.csv', content: Buffer.from('Nada;que;ver\n1;2;3\n'), importedBy }));

    expect((await importIndicativePlan(db, { fileName: 'plan.xlsx', content: plan, importedBy })).importId).toBe(1);
    const capture = (executed: [number, number]) =>
      csvOf([['Código meta', 'Vigencia', 'Trimestre', 'Ejecutado'], ['M-001', 2026, 1, executed[0]], ['M-002', 2026, 1, executed[1]]]);
    const dry = await importProgressReport(db, { fileName: 'hoja.csv', content: capture([1, 1]), importedBy }, { dryRun: true });
    expect(dry).toMatchObject({ importId: null, progressVersionsCreated: 2 });
    expect((await importProgressReport(db, { fileName: 'hoja.csv', content: capture([1, 1]), importedBy })).importId).toBe(2);
    await importProgressReport(db, { fileName: 'hoja.csv', content: capture([2, 2]), importedBy }, { dryRun: true });
    expect((await importProgressReport(db, { fileName: 'hoja.csv', content: capture([3, 3]), importedBy })).importId).toBe(3);
    const ids = await db.select({ id: t.planImports.id }).from(t.planImports).orderBy(asc(t.planImports.id));
    expect(ids.map((r) => r.id)).toEqual([1, 2, 3]);
  });
});

describe('the column mapping: given once, saved with the import, applied to the next file with the same headers', () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openPglite();
    await importIndicativePlan(handle.db, { fileName: 'plan.xlsx', content: await planXlsx(planGoals), importedBy });
  });
  afterAll(async () => handle?.close());

  it('lists the unrecognised columns, imports with the mapping, saves it only on a real import and reuses it', async () => {
    const { db } = handle;
    const reports: ColumnReport[] = [];
    const options = (extra: ImportOptions = {}): ImportOptions => ({ ...extra, onColumns: (r) => reports.push(r) });

    // Unmapped: the executed value is missing, and the preview knows which columns nothing imports.
    const unmapped = await failureOf(importProgressReport(db, { fileName: 'hoja.csv', content: officeCapture([2, 1]), importedBy }, options()));
    expect(unmapped.errors.map((e) => e.column)).toContain('Ejecutado');
    expect(reports.at(-1)).toEqual({ headers: officeHeaders, unmapped: officeHeaders.slice(3), applied: null });

    // A mapped header the file does not have (a typo) is an error, not a silent no-op.
    const typo = await failureOf(importProgressReport(db, { fileName: 'hoja.csv', content: officeCapture([2, 1]), importedBy }, options({ dryRun: true, columns: [{ header: 'Valor logrado', field: 'executed' }] })));
    expect(typo.errors).toEqual([
      { row: null, column: 'Valor logrado', message: `el mapeo nombra esta columna, pero no está en la fila de encabezados del archivo (${officeHeaders.map((h) => `"${h}"`).join(', ')})` },
    ]);

    // A dry run with the mapping: imports cleanly, saves nothing.
    const preview = await importProgressReport(db, { fileName: 'hoja.csv', content: officeCapture([2, 1]), importedBy }, options({ dryRun: true, columns: officeMapping }));
    expect(preview.progressVersionsCreated).toBe(2);
    expect(preview.columns?.applied).toMatchObject({ source: 'given', savedAt: null });
    expect(preview.columns?.applied?.entries.map((e) => e.label)).toEqual(['Programado', 'Ejecutado', 'No importar']);
    expect(preview.columns?.unmapped).toEqual([]);
    expect(await count(db, t.columnMappings)).toBe(0);

    // The real import saves it, and the mapped values are in: executed and the quarter's programming.
    const first = await importProgressReport(db, { fileName: 'hoja.csv', content: officeCapture([2, 1]), importedBy }, options({ columns: officeMapping }));
    expect(first).toMatchObject({ unchanged: false, progressVersionsCreated: 2, programmingVersionsCreated: 2 });
    expect(await count(db, t.columnMappings)).toBe(1);
    const progress = await db.select().from(t.goalProgress).orderBy(asc(t.goalProgress.goalCode));
    expect(progress.map((p) => [p.goalCode, p.executed])).toEqual([['M-001', 2], ['M-002', 1]]);
    const programming = await db.select().from(t.goalProgramming).where(sql`${t.goalProgramming.goalCode} = 'M-001' and ${t.goalProgramming.fiscalYear} = 2026`).orderBy(asc(t.goalProgramming.version));
    expect(programming.at(-1)?.quarterlyTargets).toEqual([5, null, null, null]);

    // The next file with the same headers (written in capitals, no accents): the saved mapping, with its date.
    const sameHeaders = officeHeaders.map((h) => h.toUpperCase().normalize('NFD').replace(/\p{M}/gu, ''));
    const next = await importProgressReport(db, { fileName: 'hoja-t1-corregida.csv', content: officeCapture([3, 1], sameHeaders), importedBy }, options());
    expect(next.columns?.applied?.source).toBe('saved');
    expect(Date.parse(next.columns?.applied?.savedAt ?? '')).not.toBeNaN();
    expect(next.corrections).toEqual([{ goalCode: 'M-001', fiscalYear: 2026, quarter: 1, before: 2, after: 3 }]);

    // Other headers (a column more): not the same file shape, the mapping is not applied.
    const other = [...officeHeaders, 'Fecha de corte'];
    const otherFile = csvOf([other, ['M-001', 2026, 'T1', 5, 4, null, '2026-03-31']], { delimiter: ';' });
    await failureOf(importProgressReport(db, { fileName: 'otra.csv', content: otherFile, importedBy }, options()));
    expect(reports.at(-1)?.applied).toBeNull();
  });

  it('validates the choices with a Spanish message listing the valid fields', () => {
    expect(parseColumnChoices('progressReport', ['Valor logrado=ejecutado', 'Observaciones=No importar'])).toEqual([
      { header: 'Valor logrado', field: 'executed' },
      { header: 'Observaciones', field: 'ignore' },
    ]);
    const unknown = (() => {
      try {
        parseColumnChoices('progressReport', ['Valor logrado=Avance real']);
      } catch (error) {
        return error;
      }
    })() as AppError;
    expect(unknown).toBeInstanceOf(AppError);
    expect(unknown.message).toBe(
      'El mapeo de columnas no es válido: Columna "Valor logrado": el campo "Avance real" no existe; campos válidos: "Código meta", "Código indicador", "Vigencia", "Trimestre", "Programado", "Ejecutado", "Soportes" y "No importar"',
    );
    expect(() => parseColumnChoices('progressReport', ['sin signo igual'])).toThrow(/El mapeo de columnas no es válido/);
    expect(() => parseColumnChoices('indicativePlan', ['A=Meta cuatrienio', 'a=Sector'])).toThrow(/aparece dos veces/);
    expect(parseColumnChoices('indicativePlan', ['Dependencia que responde=dependencia responsable'])).toEqual([{ header: 'Dependencia que responde', field: 'department' }]);
  });
});

describe("the municipality's identity from the plan's title rows", () => {
  let handle: DatabaseHandle;
  beforeEach(async () => {
    handle = await openPglite();
  });
  afterEach(async () => handle?.close());

  const titled = (titles: string[][]) =>
    planXlsx(planGoals, { edit: (matrix) => matrix.unshift(...titles.map((row) => row as Matrix[number]), []) });

  it('reads "MUNICIPIO DE PASTO – NARIÑO" and "Código DANE: 52001", previews it without saving, saves it with the import', async () => {
    const { db } = handle;
    const file = await titled([['PLAN INDICATIVO 2024–2027'], ['MUNICIPIO DE PASTO – NARIÑO'], ['Código DANE: 52001']]);
    const preview = await importIndicativePlan(db, { fileName: 'plan.xlsx', content: file, importedBy }, { dryRun: true });
    expect(preview.municipality).toEqual({ found: { name: 'Pasto', daneCode: '52001' }, name: 'Pasto', daneCode: '52001', source: 'file', willSave: true });
    expect(await count(db, t.municipalityIdentity)).toBe(0);

    await importIndicativePlan(db, { fileName: 'plan.xlsx', content: file, importedBy });
    expect(await readIdentity(db)).toMatchObject({ name: 'Pasto', daneCode: '52001', source: 'file' });
    const [plan] = await db.select().from(t.plans);
    expect(plan?.municipality).toBe('Pasto');
  });

  it('keeps the name an administrator set, refuses a title with another DANE code, and names the plan "Municipio 52001" only when nothing is known', async () => {
    const { db } = handle;
    const untitled = await importIndicativePlan(db, { fileName: 'plan.xlsx', content: await planXlsx(planGoals), importedBy }, { dryRun: true });
    expect(untitled.municipality).toEqual({ found: null, name: null, daneCode: '52001', source: null, willSave: false });

    await saveIdentity(db, { name: 'San Juan de Pasto', daneCode: '52001' }, 'page', 'admin');
    const kept = await importIndicativePlan(db, { fileName: 'plan.xlsx', content: await titled([['Alcaldía de Pasto']]), importedBy });
    expect(kept.municipality).toMatchObject({ found: { name: 'Pasto', daneCode: null }, name: 'San Juan de Pasto', source: 'page', willSave: false });
    expect((await db.select().from(t.plans))[0]?.municipality).toBe('San Juan de Pasto');

    const wrong = await failureOf(importIndicativePlan(db, { fileName: 'plan2.xlsx', content: await titled([['Municipio de Tumaco'], ['Código DANE: 52835']]), importedBy }));
    expect(wrong.errors[0]?.message).toMatch(/títulos del archivo dicen código DANE 52835.*columna "Código DANE" dice 52001/);
    // The page refuses a code of another municipality than the plan's.
    await expect(saveIdentity(db, { name: 'Tumaco', daneCode: '52835' }, 'page', 'admin')).rejects.toThrow(/código DANE 52001/);
  });

  it('takes the configured identity (validated: both variables, 5 digits) unless an administrator set one on the page', async () => {
    const { db } = handle;
    expect(loadConfig({ MUNICIPALITY_NAME: 'Pasto', MUNICIPALITY_DANE_CODE: '52001' }).municipality).toEqual({ name: 'Pasto', daneCode: '52001' });
    expect(loadConfig({}).municipality).toBeNull();
    const problems = (env: NodeJS.ProcessEnv) => {
      try {
        loadConfig(env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ MUNICIPALITY_NAME: 'Pasto' })).toContain('MUNICIPALITY_NAME: MUNICIPALITY_NAME y MUNICIPALITY_DANE_CODE van juntos (nombre y código DANE del municipio)');
    expect(problems({ MUNICIPALITY_NAME: 'Pasto', MUNICIPALITY_DANE_CODE: '520' })).toContain('MUNICIPALITY_DANE_CODE: debe ser el código DANE del municipio, 5 dígitos (p. ej. 52001)');

    await applyConfiguredIdentity(db, { name: 'Pasto', daneCode: '52001' });
    expect(await readIdentity(db)).toMatchObject({ name: 'Pasto', source: 'config' });
    const fromConfig = await importIndicativePlan(db, { fileName: 'plan.xlsx', content: await titled([['Municipio de San Juan de Pasto']]), importedBy });
    expect(fromConfig.municipality).toMatchObject({ name: 'Pasto', source: 'config', willSave: false });
    await saveIdentity(db, { name: 'San Juan de Pasto', daneCode: '52001' }, 'page', 'admin');
    await applyConfiguredIdentity(db, { name: 'Pasto', daneCode: '52001' });
    expect(await readIdentity(db)).toMatchObject({ name: 'San Juan de Pasto', source: 'page' });
  });

  it('finds the name and code in the usual title spellings', () => {
    expect(identityFromTitles(['PLAN INDICATIVO 2024-2027 - ALCALDÍA DE SAN JUAN DE PASTO'])).toEqual({ name: 'San Juan de Pasto', daneCode: null });
    expect(identityFromTitles(['Alcaldía Municipal de Tumaco, Nariño (DANE 52835)'])).toEqual({ name: 'Tumaco', daneCode: '52835' });
    expect(identityFromTitles(['Municipio de El Carmen de Viboral - Antioquia', 'Cód. DANE 5148'])).toEqual({ name: 'El Carmen de Viboral', daneCode: '05148' });
    expect(identityFromTitles(['Plan de Desarrollo "Pasto, la gran capital"'])).toEqual({ name: null, daneCode: null });
  });
});
