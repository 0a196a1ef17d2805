import fs from 'node:fs';
import path from 'node:path';
import { asc } from 'drizzle-orm';
import { type DatabaseHandle, openDatabase } from '../db/client';
import * as t from '../db/schema';
import { importIndicativePlan, importProgressReport } from '../imports';
import { buildShapeSamples, KPT_CAPTURE_HEADERS, SHAPE_FILES } from '../scripts/generateShapeSamples';
import { samplesFolder } from '../scripts/generateSamples';
import { readIdentity } from '../services/municipality';

const importedBy = 'equipo.mmse@pasto.gov.co';
const sample = (name: string) => fs.readFileSync(path.join(samplesFolder, name));

/**
 * The samples of the shapes offices deliver (samples/LEEME.md). Those that import with this branch
 * alone are imported here; the Windows-1252 CSV with bare title lines needs the header detection.
 */
describe('samples of the shapes real offices deliver', () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openDatabase({});
  });
  afterAll(async () => handle?.close());

  it('are committed as the generator writes them (regenerate with `npx tsx scripts/generateShapeSamples.ts`) and described in LEEME.md', async () => {
    const files = await buildShapeSamples();
    const leeme = fs.readFileSync(path.join(samplesFolder, 'LEEME.md'), 'utf8');
    for (const [name, content] of Object.entries(files)) {
      expect(sample(name).equals(content)).toBe(true);
      expect(leeme).toContain(`\`${name}\``);
    }
  });

  it('imports the plan with merged title cells, naming the municipality, then the plan keyed by department names and its KPT Hoja with a mapping', async () => {
    const { db } = handle;
    const titled = await importIndicativePlan(db, { fileName: SHAPE_FILES.mergedTitlesXlsx, content: sample(SHAPE_FILES.mergedTitlesXlsx), importedBy });
    expect(titled.goalsAdded).toHaveLength(12);
    expect(titled.municipality).toMatchObject({ found: { name: 'Pasto', daneCode: '52001' }, willSave: true });
    expect(await readIdentity(db)).toMatchObject({ name: 'Pasto', daneCode: '52001', source: 'file' });

    // Department names resolve once the departments are registered (here by the previous file);
    // without "Código meta" the goals are keyed by their indicator's code.
    const byName = await importIndicativePlan(db, { fileName: SHAPE_FILES.departmentNamesCsv, content: sample(SHAPE_FILES.departmentNamesCsv), importedBy });
    expect(byName.goalsAdded).toHaveLength(12);
    expect(byName.goalsAdded.every((code) => /^\d{9}$/.test(code))).toBe(true);

    const [kptKey, , , programmed, executed, evidence] = KPT_CAPTURE_HEADERS;
    const columns = [
      { header: kptKey!, field: 'goalCode' },
      { header: programmed!, field: 'programmed' },
      { header: executed!, field: 'executed' },
      { header: evidence!, field: 'evidence' },
    ];
    const capture = await importProgressReport(db, { fileName: SHAPE_FILES.kptCaptureXlsx, content: sample(SHAPE_FILES.kptCaptureXlsx), importedBy }, { columns });
    expect(capture.progressVersionsCreated).toBeGreaterThanOrEqual(30);
    expect(capture.columns?.unmapped).toEqual([]);
    const progress = await db.select({ goalCode: t.goalProgress.goalCode }).from(t.goalProgress).orderBy(asc(t.goalProgress.goalCode));
    expect(new Set(progress.map((p) => p.goalCode))).toEqual(new Set(byName.goalsAdded));
  });
});
