import fs from 'node:fs';
import path from 'node:path';
import { asc, desc } from 'drizzle-orm';
import type { DatabaseHandle, Database } from '../db/client';
import { openPglite } from './support/pglite';
import { generateMunicipality } from '../scripts/demo';
import * as t from '../db/schema';
import { importIndicativePlan, importProgressReport } from '../imports';
import { buildShapeSamples, SHAPE_FILES } from '../scripts/generateShapeSamples';
import { SAMPLE_FILES, SAMPLE_YEAR, samplesFolder, selectSampleSubset } from '../scripts/generateSamples';
import { describeMunicipality } from '../scripts/cli/importSummary';
import { listDepartments } from '../services/departments';
import { readIdentity } from '../services/municipality';

const importedBy = 'equipo.mmse@pasto.gov.co';
const sample = (name: string) => ({ fileName: name, content: fs.readFileSync(path.join(samplesFolder, name)), importedBy });
const expected = selectSampleSubset(generateMunicipality());

/** Every goal, its annual programming and its 2026 progress, field by field, as the samples hold them. */
async function expectImportedData(db: Database, options: { keyedByIndicator: boolean; withProgress: boolean; renamedDepartments?: Record<string, string> }) {
  const departmentOf = (code: string) => options.renamedDepartments?.[code] ?? code;
  const keyOf = (goal: (typeof expected.goals)[number]) => (options.keyedByIndicator ? goal.indicatorCode : goal.code);
  const goals = await db.select().from(t.goals).orderBy(asc(t.goals.code));
  expect(goals.map(({ createdAt: _createdAt, ...goal }) => goal)).toEqual(
    expected.goals
      .map((g) => ({
        code: keyOf(g), departmentCode: departmentOf(g.departmentCode), strategicLine: g.strategicLine, sector: g.sector, programCode: g.programCode, program: g.program,
        productCode: g.productCode, productName: g.productName, indicatorCode: g.indicatorCode, name: g.name, indicator: g.indicator, unit: g.unit,
        termTarget: g.termTarget, baseline: null, accumulation: g.accumulation, active: true,
      }))
      .sort((a, b) => a.code.localeCompare(b.code)),
  );

  const codeOf = new Map(expected.goals.map((g) => [g.code, keyOf(g)]));
  const programming = await db.select().from(t.goalProgramming).orderBy(asc(t.goalProgramming.goalCode), asc(t.goalProgramming.fiscalYear), desc(t.goalProgramming.version));
  const latest = new Map<string, (typeof programming)[number]>();
  for (const p of programming) if (!latest.has(`${p.goalCode}/${p.fiscalYear}`)) latest.set(`${p.goalCode}/${p.fiscalYear}`, p);
  expect(new Map([...latest].map(([key, p]) => [key, p.annualTarget]))).toEqual(new Map(expected.programming.map((p) => [`${codeOf.get(p.goalCode)}/${p.fiscalYear}`, p.annualTarget])));

  const progress = await db.select().from(t.goalProgress).orderBy(asc(t.goalProgress.goalCode), asc(t.goalProgress.quarter));
  if (!options.withProgress) return expect(progress).toEqual([]);
  expect(progress.map((p) => ({ goalCode: p.goalCode, fiscalYear: p.fiscalYear, quarter: p.quarter, version: p.version, executed: p.executed, evidence: p.evidence }))).toEqual(
    expected.progress
      .map((p) => ({ goalCode: codeOf.get(p.goalCode)!, fiscalYear: p.fiscalYear, quarter: p.quarter, version: 1, executed: p.executed, evidence: p.evidence }))
      .sort((a, b) => a.goalCode.localeCompare(b.goalCode) || a.quarter - b.quarter),
  );
  // The Hoja's "Programado" (or "Meta programada …") became the quarters' programmed values.
  for (const goal of expected.goals) {
    const targets = latest.get(`${keyOf(goal)}/${SAMPLE_YEAR}`)?.quarterlyTargets;
    const programmed = expected.programming.find((p) => p.goalCode === goal.code && p.fiscalYear === SAMPLE_YEAR)!.quarterlyTargets;
    for (const row of expected.progress.filter((p) => p.goalCode === goal.code)) expect([goal.code, row.quarter, targets?.[row.quarter - 1]]).toEqual([goal.code, row.quarter, programmed[row.quarter - 1]]);
  }
}

const departmentsIn = (db: Database) =>
  db.select({ code: t.departments.code, name: t.departments.name, liaisonName: t.departments.liaisonName, liaisonEmail: t.departments.liaisonEmail, version: t.departments.version }).from(t.departments).orderBy(asc(t.departments.code));
const byCode = <D extends { code: string }>(list: readonly D[]) => list.slice().sort((a, b) => a.code.localeCompare(b.code));
const sampleDepartmentCodes = expected.departments.map((d) => d.code).sort();

/**
 * Every sample of samples/ imports into an empty installation as an office delivers it, with no
 * renaming and no mapping: a preview first (it says how the file was read and writes nothing), then
 * the import confirmed, then the data checked field by field.
 */
describe('samples import as an office delivers them', () => {
  const handles: DatabaseHandle[] = [];
  const emptyInstallation = async () => {
    const handle = await openPglite();
    handles.push(handle);
    return handle.db;
  };
  afterAll(async () => Promise.all(handles.map((h) => h.close())));

  it('are committed as the generator writes them (regenerate with `npx tsx scripts/generateShapeSamples.ts`) and described in LEEME.md', async () => {
    const files = await buildShapeSamples();
    const leeme = fs.readFileSync(path.join(samplesFolder, 'LEEME.md'), 'utf8');
    for (const [name, content] of Object.entries(files)) {
      expect(sample(name).content.equals(content)).toBe(true);
      expect(leeme).toContain(`\`${name}\``);
    }
    for (const name of fs.readdirSync(samplesFolder).filter((n) => /\.(csv|xlsx)$/.test(n))) expect(leeme).toContain(`\`${name}\``);
  });

  it('the CSV with title rows in Windows-1252 and ";": header found in row 5, municipality from the titles, departments proposed from their codes; then the plain Hoja CSV', async () => {
    const db = await emptyInstallation();
    const preview = await importIndicativePlan(db, sample(SHAPE_FILES.titledCsv), { dryRun: true });
    expect(preview.reading?.description).toBe("separador ';', codificación Windows-1252, encabezados en la fila 5");
    expect(preview.unimportedColumns).toEqual([]);
    expect(preview.columns?.unmapped).toEqual([]);
    expect(byCode(preview.departmentsFromPlan)).toEqual(sampleDepartmentCodes.map((code) => ({ code, name: code, goals: 4 })));
    expect(preview.municipality).toMatchObject({ found: { name: 'Pasto', daneCode: '52001' }, willSave: true });
    // What `metas plan import --dry-run` prints about it.
    expect(describeMunicipality(preview.municipality!, false)).toBe('Municipio encontrado en los títulos del archivo: Pasto (código DANE 52001). Se guardará al importar como el municipio de esta instalación.');
    expect(await db.select().from(t.goals)).toEqual([]);
    expect(await db.select().from(t.planImports)).toEqual([]);

    // Unconfirmed, nothing is created; confirmed (the page's button, --yes), the departments are.
    await expect(importIndicativePlan(db, sample(SHAPE_FILES.titledCsv))).rejects.toThrow(/nada se importó/);
    const plan = await importIndicativePlan(db, sample(SHAPE_FILES.titledCsv), { confirmNewDepartments: true });
    expect(plan.importId).toBe(1);
    expect(plan.departmentsAdded.slice().sort()).toEqual(sampleDepartmentCodes);
    expect(plan.goalsAdded).toHaveLength(12);
    expect(await readIdentity(db)).toMatchObject({ name: 'Pasto', daneCode: '52001', source: 'file' });
    expect((await departmentsIn(db)).map((d) => [d.code, d.name, d.version])).toEqual(sampleDepartmentCodes.map((code) => [code, code, 1]));

    const capture = await importProgressReport(db, sample(SAMPLE_FILES.captureCsv));
    expect(capture).toMatchObject({ importId: 2, progressVersionsCreated: expected.progress.length, programmingVersionsCreated: 12, unimportedColumns: [] });
    expect(capture.reading?.description).toBe("separador ';', codificación UTF-8, encabezados en la fila 1");
    await expectImportedData(db, { keyedByIndicator: false, withProgress: true });
  });

  it('the XLSX with merged title cells and its Dependencias sheet: header in row 5, departments with their liaisons; then the plain Hoja XLSX', async () => {
    const db = await emptyInstallation();
    const preview = await importIndicativePlan(db, sample(SHAPE_FILES.mergedTitlesXlsx), { dryRun: true });
    expect(preview.reading?.description).toBe('hoja "Plan Indicativo", encabezados en la fila 5');
    expect(preview).toMatchObject({ importId: null, departmentsFromPlan: [], unimportedColumns: [] });
    const plan = await importIndicativePlan(db, sample(SHAPE_FILES.mergedTitlesXlsx));
    expect(plan.importId).toBe(1);
    expect(plan.municipality).toMatchObject({ found: { name: 'Pasto', daneCode: '52001' }, willSave: true });
    expect(await departmentsIn(db)).toEqual(
      expected.departments.map((d) => ({ code: d.code, name: d.name, liaisonName: d.liaisonName, liaisonEmail: d.liaisonEmail, version: 1 })).sort((a, b) => a.code.localeCompare(b.code)),
    );
    const capture = await importProgressReport(db, sample(SAMPLE_FILES.captureXlsx));
    expect(capture).toMatchObject({ importId: 2, progressVersionsCreated: expected.progress.length, unimportedColumns: [] });
    await expectImportedData(db, { keyedByIndicator: false, withProgress: true });
  });

  it('the KPT-style plan naming departments by name: they are proposed with generated codes and created on confirmation; its KPT Hoja imports with no mapping', async () => {
    const db = await emptyInstallation();
    const preview = await importIndicativePlan(db, sample(SHAPE_FILES.departmentNamesCsv), { dryRun: true });
    expect(byCode(preview.departmentsFromPlan)).toEqual(byCode(expected.departments.map((d) => ({ code: d.code, name: d.name, goals: 4 }))));
    expect(preview.unimportedColumns).toEqual([]);
    expect(await db.select().from(t.departments)).toEqual([]);

    // The operator may edit a proposed code.
    const [first] = expected.departments;
    const plan = await importIndicativePlan(db, sample(SHAPE_FILES.departmentNamesCsv), { confirmNewDepartments: true, departmentCodes: { [first!.name]: 'EDUCACION' } });
    expect(plan.importId).toBe(1);
    expect(plan.goalsAdded.slice().sort()).toEqual(expected.goals.map((g) => g.indicatorCode).sort());
    expect((await departmentsIn(db)).map((d) => [d.code, d.name])).toEqual(
      expected.departments.map((d) => [d === first ? 'EDUCACION' : d.code, d.name]).sort((a, b) => a[0]!.localeCompare(b[0]!)),
    );
    // The registry counts each department's goals (`department list`, /dependencias).
    expect((await listDepartments(db)).map((d) => [d.code, d.activeGoals]).sort()).toEqual([['EDUCACION', 4], ['SINF', 4], ['SSAL', 4]]);

    const capturePreview = await importProgressReport(db, sample(SHAPE_FILES.kptCaptureXlsx), { dryRun: true });
    expect(capturePreview.reading?.description).toBe('hoja "Seguimiento", encabezados en la fila 4');
    expect(capturePreview.unimportedColumns).toEqual([]);
    expect(capturePreview.columns?.unmapped).toEqual([]);
    const capture = await importProgressReport(db, sample(SHAPE_FILES.kptCaptureXlsx));
    // The preview did not consume a number: versions are consecutive.
    expect(capture).toMatchObject({ importId: 2, progressVersionsCreated: expected.progress.length, programmingVersionsCreated: 12 });

    await expectImportedData(db, { keyedByIndicator: true, withProgress: true, renamedDepartments: { [first!.code]: 'EDUCACION' } });
  });

  it('the plain plan CSV and XLSX import on their own; the CSV proposes its department codes', async () => {
    const csvDb = await emptyInstallation();
    const csv = await importIndicativePlan(csvDb, sample(SAMPLE_FILES.planCsv), { confirmNewDepartments: true });
    expect(csv.departmentsFromPlan.map((d) => d.code).sort()).toEqual(sampleDepartmentCodes);
    await expectImportedData(csvDb, { keyedByIndicator: false, withProgress: false });
    const xlsxDb = await emptyInstallation();
    const xlsx = await importIndicativePlan(xlsxDb, sample(SAMPLE_FILES.planXlsx));
    expect(xlsx).toMatchObject({ importId: 1, departmentsFromPlan: [] });
    await expectImportedData(xlsxDb, { keyedByIndicator: false, withProgress: false });
  });
});
