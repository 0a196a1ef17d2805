import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { Express } from 'express';
import JSZip from 'jszip';
import request from 'supertest';
import { createUser } from '../auth';
import type { Database } from '../db/client';
import { loadDemoData } from '../db/demo';
import * as t from '../db/schema';
import { readDocument, storeJustificationAndCommitment, storeNoAdjustmentRecord, type JustificationInput, type NoAdjustmentRecordInput } from '../documents';
import { formatShare, percentToShare } from '../domain/format';
import { exportDashboard, exportMatrix, loadQuarterReport } from '../reports';
import { saveEscudo } from '../services/municipalityBranding';
import { saveRecordFormat } from '../services/recordFormats';
import { escudoPng } from './support/escudo';
import { createHarness, createTestApp, type Harness, type TestApp } from './support/harness';
import { pdfText } from './support/pdfText';

const PASSWORD = 'una clave de pruebas suficientemente larga';
const thresholds = { behindBelowPercent: 90, overachievedAbovePercent: 100 };
const generatedAt = new Date('2026-07-15T15:00:00Z');
const flat = (text: string) => text.replace(/\s+/g, ' ');
const YEAR = 2026;

const goal = (i: number) => ({
  goalCode: `HD-${String(i + 1).padStart(3, '0')}`,
  name: `Meta de prueba ${i + 1}`,
  status: 'behind' as const,
  measurement: { expectedToDate: 100, executedToDate: 40, progressPercent: 40, annualPercent: 20, termPercent: 66.66666 },
});

const review = (id: string) => ({
  issuer: { municipality: 'Pasto' },
  reviewWorkflowId: id,
  fiscalYear: YEAR,
  quarter: 2 as const,
  department: {
    code: 'SAL',
    name: 'Secretaría de Salud',
    liaisonName: 'María Ñáñez',
    liaisonEmail: 'enlace.salud@pasto.gov.co',
    headName: 'Ana Lucía Burbano',
    headTitle: 'Secretaria de Salud',
  },
  alert: { sentAt: '2026-07-15T15:00:00.000Z', recipient: 'enlace.salud@pasto.gov.co' },
  reminders: [],
  deadline: { initial: '2026-07-29T04:59:59.999Z', extensions: [] },
  recordedAt: '2026-07-29T05:00:00.000Z',
});

const constancia = (id: string, goals = 1): NoAdjustmentRecordInput => ({ ...review(id), goals: Array.from({ length: goals }, (_, i) => goal(i)) });

const agreement = (id: string): JustificationInput => ({
  ...review(id),
  goals: [
    {
      ...goal(0),
      action: 'keep',
      justification: 'Retraso en la contratación.',
      commitment: 'Cumplir antes del cierre.',
      before: { annualTarget: 100, quarterlyTargets: [25, 25, 25, 25] },
      after: null,
    },
  ],
  response: { respondent: { name: 'María Ñáñez', email: 'enlace.salud@pasto.gov.co' }, submittedAt: '2026-07-25T16:00:00.000Z' },
  approval: { approvedBy: 'Carlos Pérez Benavides', approvedAt: '2026-07-30T15:00:00.000Z', round: 1 },
});

/** Image XObjects in a PDF (an RGBA PNG gives the image and its soft mask). */
const imageObjects = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Subtype \/Image/g) ?? []).length;

async function storedText(db: Database, id: number) {
  const stored = await readDocument(db, id);
  if (!stored) throw new Error(`document ${id} not stored`);
  return { pdf: stored.content, pages: await pdfText(stored.content), text: flat((await pdfText(stored.content)).join('\n')) };
}

async function signIn(app: Express, db: Database, role: 'admin' | 'coordinator') {
  const email = `${role}-${randomUUID().slice(0, 8)}@pruebas.gov.co`;
  await createUser(db, { email, name: `Persona ${role}`, role, password: PASSWORD });
  const browser = request.agent(app);
  const form = await browser.get('/login').set('Accept', 'text/html').expect(200);
  const formToken = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1];
  const login = await browser.post('/login').set('Accept', 'application/json').send({ email, password: PASSWORD, _csrf: formToken }).expect(200);
  return { browser, csrf: String(login.body.csrfToken) };
}

/** The text of every slide, in order. */
async function slideTexts(content: Buffer): Promise<{ zip: JSZip; slides: string[] }> {
  const zip = await JSZip.loadAsync(content);
  const names = Object.keys(zip.files)
    .filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n))
    .sort((a, b) => Number(/\d+/.exec(a)?.[0]) - Number(/\d+/.exec(b)?.[0]));
  const slides = await Promise.all(
    names.map(async (n) => [...(await (zip.file(n) as JSZip.JSZipObject).async('string')).matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((m) => m[1]).join(' ').replace(/&amp;/g, '&')),
  );
  return { zip, slides };
}

describe('institutional header, format table and signatures on every record', () => {
  let h: Harness;
  let app: Express;
  let admin: TestApp['admin'];
  let db: Database;

  beforeAll(async () => {
    h = await createHarness({ seed: async () => undefined });
    ({ app, admin } = await createTestApp(h));
    db = h.database.db;
    await loadDemoData(db, { planYears: [YEAR], progressYear: YEAR });
    await db.insert(t.plans).values({ id: 1, name: 'Plan de Desarrollo Municipal 2024–2027', municipality: 'Pasto', daneCode: '52001', termStartYear: 2024, termEndYear: 2027 });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('the constancia prints the header, the number and an "Expidió" block for the coordinator in charge; the escudo is embedded once', async () => {
    await createUser(db, { email: `coord-${randomUUID().slice(0, 8)}@pasto.gov.co`, name: 'Carlos Pérez Benavides', role: 'coordinator', password: PASSWORD });
    // Without an escudo: no image.
    const plain = await storeNoAdjustmentRecord(db, constancia(`hd-plain-${randomUUID()}`));
    expect(imageObjects((await storedText(db, plain.id)).pdf)).toBe(0);

    await saveEscudo(db, { fileName: 'escudo.png', content: escudoPng(64) }, 'Adriana Administradora');
    // 60 goals: three pages, one image embedded once and drawn on each.
    const ref = await storeNoAdjustmentRecord(db, constancia(`hd-escudo-${randomUUID()}`, 60));
    const { pdf, pages, text } = await storedText(db, ref.id);
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((page, i) => {
      const p = flat(page);
      expect(p).toContain('ALCALDÍA DE PASTO');
      expect(p).toContain('Código: PE-P-008-F01');
      expect(p).toContain('Versión: 01');
      expect(p).toContain('Fecha de aprobación: 1 de junio de 2024');
      expect(p).toContain(`Vigencia ${YEAR}`);
      expect(p).toContain(`Página ${i + 1} de ${pages.length}`);
    });
    expect(imageObjects(pdf)).toBe(2); // the image and its alpha mask, once for every page
    expect(pdf.toString('latin1').match(/\/XObject/g)?.length).toBeGreaterThanOrEqual(pages.length);
    expect(text).toMatch(new RegExp(`Consecutivo ${ref.recordNumber}`));
    expect(text).toMatch(/Expidió Carlos Pérez Benavides Coordinador general del MMSE/);
    expect(text).toContain('Expedida automáticamente por el sistema Metas PDM al vencer el plazo de respuesta');
    expect(text).not.toContain('sin intervención manual');
    // Both avances in the goal table, es-CO.
    expect(text).toMatch(/HD-001 Meta de prueba 1 Atrasada 100 40 20 % 66,7 % 40 %/);
  });

  it('the justification and commitment document is signed by the coordinator, the líder and the enlace', async () => {
    const ref = await storeJustificationAndCommitment(db, agreement(`hd-agreement-${randomUUID()}`));
    const { text, pdf } = await storedText(db, ref.id);
    expect(text).toContain('Código: PE-P-008-F05');
    expect(text).toMatch(new RegExp(`Consecutivo ${ref.recordNumber}`));
    expect(text).toMatch(/Aprobó y expidió Carlos Pérez Benavides Coordinador general del MMSE/);
    expect(text).toMatch(/Acordó Ana Lucía Burbano Secretaria de Salud · Secretaría de Salud/);
    expect(text).toContain('Avances Avance de la vigencia: 20 % · avance del cuatrienio: 66,7 %');
    expect(text).toMatch(/Presentó María Ñáñez Enlace de la dependencia · Secretaría de Salud/);
    expect(imageObjects(pdf)).toBe(2);
  });

  it('the matrices and the tablero carry the header, the escudo as a media file, page X of Y and both avances', async () => {
    const report = await loadQuarterReport(db, { fiscalYear: YEAR, quarter: 2, thresholds });
    const withTerm = report.goals.find((g) => g.avanceCuatrienio !== null && g.avanceVigencia !== null);
    expect(withTerm).toBeDefined();

    const files = [
      { file: await exportDashboard(db, { fiscalYear: YEAR, quarter: 2, thresholds, format: 'xlsx', generatedAt }), code: 'PE_F_024', table: 'Metas' },
      { file: await exportMatrix(db, { kind: 'quarterly', fiscalYear: YEAR, quarter: 2, thresholds, generatedAt }), code: 'PE-P-008-F02', table: null },
      { file: await exportMatrix(db, { kind: 'cumulative', fiscalYear: YEAR, quarter: 3, thresholds, generatedAt }), code: 'PE-P-008-F03', table: null },
    ];
    for (const { file, code, table } of files) {
      const zip = await JSZip.loadAsync(file.content);
      expect(Object.keys(zip.files).filter((n) => /^xl\/media\/image\d+\.png$/.test(n))).toHaveLength(1);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(file.content as unknown as ExcelJS.Buffer);
      for (const ws of workbook.worksheets) {
        expect(ws.getCell('B1').value).toBe('ALCALDÍA DE PASTO');
        expect(String(ws.getCell('B2').value)).toContain('Proceso Planeación Estratégica · Procedimiento PE-P-008');
        expect(String(ws.getCell('B3').value)).toContain(`Código: ${code} · Versión: 01 · Fecha de aprobación: 1 de junio de 2024`);
        expect(ws.getCell('B4').value).toBe(`Vigencia ${YEAR}`);
        expect(ws.headerFooter.oddHeader).toContain(code);
        expect(ws.headerFooter.oddFooter).toContain('Página &P de &N');
        expect(ws.getImages()).toHaveLength(1);
      }
      const ws = table ? workbook.getWorksheet(table) : workbook.worksheets[0];
      const headerRow = [...Array(20).keys()].map((i) => i + 1).find((r) => ws?.getCell(r, 1).value === 'Código') ?? 0;
      const headers = (ws?.getRow(headerRow).values as unknown[]).map(String);
      expect(headers.some((h) => h.startsWith('Avance de la vigencia'))).toBe(true);
      expect(headers.some((h) => h.startsWith('Avance del cuatrienio'))).toBe(true);
      if (table) {
        const col = headers.indexOf('Avance del cuatrienio');
        const row = [...Array(ws?.rowCount ?? 0).keys()].map((i) => ws?.getRow(i + 1)).find((r) => r?.getCell(1).value === withTerm?.goalCode);
        expect(row?.getCell(col).value as number).toBeCloseTo(percentToShare(withTerm?.avanceCuatrienio ?? null) ?? NaN, 9);
        expect(row?.getCell(col).numFmt).toBe('0.0%');
      }
    }

    // The cumulative matrix states both avances at its cut (T3), as the T3 tablero does.
    const q3 = await loadQuarterReport(db, { fiscalYear: YEAR, quarter: 3, thresholds });
    const cumulative = new ExcelJS.Workbook();
    await cumulative.xlsx.load(files[2]?.file.content as unknown as ExcelJS.Buffer);
    const sheet = cumulative.worksheets[0] as ExcelJS.Worksheet;
    const cumulativeHeaderRow = [...Array(20).keys()].map((i) => i + 1).find((r) => sheet.getCell(r, 1).value === 'Código') ?? 0;
    const cumulativeHeaders = (sheet.getRow(cumulativeHeaderRow).values as unknown[]).map(String);
    const checked = [...Array(sheet.rowCount).keys()]
      .map((i) => sheet.getRow(i + 1))
      .filter((r) => r.number > cumulativeHeaderRow && r.getCell(1).value !== null)
      .map((r) => {
        const expected = q3.goals.find((g) => g.goalCode === r.getCell(1).value);
        expect(r.getCell(cumulativeHeaders.indexOf('Avance de la vigencia (T3)')).value ?? null).toEqual(percentToShare(expected?.avanceVigencia ?? null));
        expect(r.getCell(cumulativeHeaders.indexOf('Avance del cuatrienio (T3)')).value ?? null).toEqual(percentToShare(expected?.avanceCuatrienio ?? null));
        return expected?.avanceCuatrienio;
      });
    expect(checked.filter((v) => v !== null && v !== undefined).length).toBeGreaterThan(0);

    const pptx = await exportDashboard(db, { fiscalYear: YEAR, quarter: 2, thresholds, format: 'pptx', generatedAt });
    const { zip, slides } = await slideTexts(pptx.content);
    expect(Object.keys(zip.files).some((n) => /^ppt\/media\/image[-\d]*\.png$/.test(n))).toBe(true);
    slides.forEach((slide, i) => {
      expect(slide).toContain('ALCALDÍA DE PASTO');
      expect(slide).toContain('Código: PE_F_024');
      expect(slide).toContain('Fecha de aprobación: 1 de junio de 2024');
      expect(slide).toContain(`Vigencia ${YEAR}`);
      expect(slide).toContain(`Página ${i + 1} de ${slides.length}`);
    });
    const lagging = report.goals.find((g) => (g.status === 'behind' || g.status === 'notStarted') && g.avanceCuatrienio !== null);
    const slide = slides.find((s) => lagging && s.includes(lagging.goalCode));
    expect(slide).toContain('Avance cuatrienio');
    expect(slide).toContain(formatShare(percentToShare(lagging?.avanceCuatrienio ?? null)));
  });

  it('an administrator registers a new version on the page; others are refused; the next record prints it and stored ones keep theirs', async () => {
    const before = await storeNoAdjustmentRecord(db, constancia(`hd-before-${randomUUID()}`));
    const beforeBytes = (await readDocument(db, before.id))?.content;

    const coordinator = await signIn(app, db, 'coordinator');
    await coordinator.browser.get('/admin/formatos').set('Accept', 'text/html').expect(403);
    await coordinator.browser.post('/admin/formatos').set('Accept', 'text/html').type('form').send({ _csrf: coordinator.csrf, key: 'noAdjustmentRecord', code: 'X-1', version: '9', approvedOn: '2026-01-01' }).expect(403);

    const { browser, csrf } = await signIn(app, db, 'admin');
    const page = flat((await browser.get('/admin/formatos?formato=noAdjustmentRecord').expect(200)).text);
    expect(page).toContain('Formatos de los registros');
    expect(page).toContain('Constancia de negativa de ajustes');
    expect(page).toContain('1 de junio de 2024');

    const refused = await browser.post('/admin/formatos').type('form').send({ _csrf: csrf, key: 'noAdjustmentRecord', code: 'PE-P-008-F01', version: '02', approvedOn: '2026-02-30' }).expect(400);
    expect(flat(refused.text)).toContain('Fecha de aprobación: no es una fecha del calendario');
    expect(refused.text).toContain('value="02"');

    await browser
      .post('/admin/formatos')
      .type('form')
      .send({ _csrf: csrf, key: 'noAdjustmentRecord', code: 'PE-P-008-F01', version: '02', approvedOn: '2026-03-15' })
      .expect(303)
      .expect('Location', '/admin/formatos?guardado=noAdjustmentRecord');
    const saved = flat((await browser.get('/admin/formatos?guardado=noAdjustmentRecord').expect(200)).text);
    expect(saved).toContain('Se registró la versión 02 de «Constancia de negativa de ajustes»');
    expect(saved).toContain('15 de marzo de 2026');

    const after = await storeNoAdjustmentRecord(db, constancia(`hd-after-${randomUUID()}`));
    const afterText = (await storedText(db, after.id)).text;
    expect(afterText).toContain('Versión: 02');
    expect(afterText).toContain('Fecha de aprobación: 15 de marzo de 2026');
    const unchanged = await readDocument(db, before.id);
    expect(unchanged?.content.equals(beforeBytes as Buffer)).toBe(true);
    expect(flat((await pdfText(unchanged?.content as Buffer)).join(' '))).toContain('Versión: 01');
    // The change is a new row; nothing was overwritten.
    expect((await db.select().from(t.recordFormatVersions)).filter((r) => r.formatKey === 'noAdjustmentRecord').map((r) => r.version)).toEqual(['02']);
  });

  it('the API lists the formats, lets an administrator change one, refuses others and bad input in Spanish', async () => {
    const list = await admin.get('/api/record-formats').expect(200);
    expect((list.body as { formats: { key: string; code: string }[] }).formats.map((f) => f.key)).toContain('justificationMatrix');

    const changed = await admin.put('/api/record-formats/justificationMatrix').send({ code: 'PE-P-008-F04', version: '03', approvedOn: '2026-04-01' }).expect(200);
    expect(changed.body).toMatchObject({ key: 'justificationMatrix', version: '03', approvedOn: '2026-04-01', changedBy: 'Cuenta admin' });
    const versions = await admin.get('/api/record-formats/justificationMatrix/versions').expect(200);
    expect((versions.body as { versions: { version: string }[] }).versions.map((v) => v.version)).toEqual(['03']);

    const bad = await admin.put('/api/record-formats/justificationMatrix').send({ code: '', version: '03', approvedOn: '01/04/2026' }).expect(400);
    expect(bad.body.error.code).toBe('invalid_input');
    expect(bad.body.error.details).toEqual(expect.arrayContaining([expect.stringMatching(/^Código: /), 'Fecha de aprobación: use el formato AAAA-MM-DD']));
    await admin.put('/api/record-formats/otro').send({ code: 'X-1', version: '1', approvedOn: '2026-01-01' }).expect(404);

    const viewer = await createTestApp(h).then((a) => a.as('viewer'));
    await viewer.get('/api/record-formats').expect(200);
    await viewer.put('/api/record-formats/justificationMatrix').send({ code: 'X-1', version: '1', approvedOn: '2026-01-01' }).expect(403);

    await saveRecordFormat(db, { key: 'quarterlyMatrix', code: 'PE-P-008-F02', version: '07', approvedOn: '2026-05-20' }, 'prueba');
    const matrix = await exportMatrix(db, { kind: 'quarterly', fiscalYear: YEAR, quarter: 2, departmentCode: 'SSAL', thresholds, generatedAt });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(matrix.content as unknown as ExcelJS.Buffer);
    expect(String(workbook.worksheets[0]?.getCell('B3').value)).toContain('Versión: 07 · Fecha de aprobación: 20 de mayo de 2026');
  });
});
