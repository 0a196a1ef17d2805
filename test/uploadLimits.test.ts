import type { Express } from 'express';
import JSZip from 'jszip';
import request from 'supertest';
import { sql } from 'drizzle-orm';
import { createApiToken, createAuth, createUser } from '../auth';
import { authPages } from '../server/views/errorPages';
import { ConfigError, loadConfig } from '../config';
import type { Database } from '../db/client';
import { defaultUploadLimits, type UploadLimits } from '../imports';
import { createApp } from '../server/app';
import { createAppServices } from '../services/appServices';
import { createHarness, createTestApp, eventually, testAppSecret, type Harness, type TestApp } from './support/harness';
import { csvOf, goal, type GoalFixture, planCsv, planMatrix, planXlsx, xlsxOf } from './support/importFiles';
import { xlsxBomb, xlsxWithParts } from './support/zipBomb';

/**
 * Uploads that would take the process down (issue 12): expanding XLSX files, too many rows,
 * cells or characters, control characters, and a reader that runs out of memory or time. Each is
 * refused with a Spanish 413/422 naming the limit, nothing is stored or imported, and the app
 * keeps answering while the file is read (the reading happens in a worker thread).
 */

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function tableCounts(db: Database) {
  const result = await db.execute(sql`select
    (select count(*)::int from goals) as goals,
    (select count(*)::int from goal_programming) as programming,
    (select count(*)::int from plan_imports) as imports,
    (select count(*)::int from import_uploads) as uploads`);
  return (result as unknown as { rows: Record<string, number>[] }).rows[0]!;
}

/** An app over the same database and Temporal, with other upload limits, and an operator's API agent for it. */
async function appWithLimits(h: Harness, limits: Partial<UploadLimits>): Promise<{ app: Express; api: ReturnType<typeof request.agent> }> {
  const { db } = h.database;
  const auth = createAuth({ db, pages: authPages, secret: testAppSecret, secureCookies: false });
  const app = createApp({ cycles: h.cycles, services: createAppServices(db), auth, log: () => undefined, uploadLimits: { ...defaultUploadLimits, ...limits } });
  const user = await createUser(db, {
    email: `operador-${Math.random().toString(36).slice(2, 10)}@pruebas.gov.co`,
    name: 'Operador de límites',
    role: 'operator',
    password: 'una clave de pruebas suficientemente larga',
  });
  const { token } = await createApiToken(db, { userId: user.id, name: 'pruebas' });
  return { app, api: request.agent(app).set('Authorization', `Bearer ${token}`) };
}

/** An operator's browser session: the login form's token, then the session's CSRF token for the forms. */
async function signIn(app: Express, db: Database) {
  const email = `operador-${Math.random().toString(36).slice(2, 10)}@pruebas.gov.co`;
  const password = 'una clave de pruebas suficientemente larga';
  await createUser(db, { email, name: 'Operadora del formulario', role: 'operator', password });
  const browser = request.agent(app);
  const form = await browser.get('/login').set('Accept', 'text/html').expect(200);
  const formToken = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1];
  const login = await browser.post('/login').set('Accept', 'application/json').send({ email, password, _csrf: formToken }).expect(200);
  return { browser, csrf: String(login.body.csrfToken) };
}

/** A 600-goal Plan Indicativo, shaped like a real municipality's. */
const realGoals: GoalFixture[] = Array.from({ length: 600 }, (_, i) =>
  goal(`M-${String(i + 1).padStart(4, '0')}`, ['SEDU', 'SSAL', 'SINF'][i % 3]!, [10, 20, 30, 40].map((v) => v + (i % 7)), {
    name: `Meta de producto número ${i + 1} del Plan de Desarrollo Municipal`,
    indicator: `Indicador de producto número ${i + 1}`,
  }),
);

/** `xlsx` with `xml` inserted into the first worksheet after its cells (a hand-made merged range). */
async function withSheetXml(xlsx: Buffer, xml: string): Promise<Buffer> {
  const zip = await JSZip.loadAsync(xlsx);
  const sheet = zip.file('xl/worksheets/sheet1.xml')!;
  const text = (await sheet.async('string')).replace(/<mergeCells[^]*?<\/mergeCells>/, '').replace('</sheetData>', `</sheetData>${xml}`);
  zip.file('xl/worksheets/sheet1.xml', text);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

describe('upload limits: nothing a person sends takes the process down', () => {
  let h: Harness;
  let api: TestApp['admin'];
  let app: Express;
  let db: Database;
  let small: Buffer;

  beforeAll(async () => {
    h = await createHarness({ seed: async () => undefined });
    let as: TestApp['as'];
    ({ app, as } = await createTestApp(h));
    api = await as('operator');
    db = h.database.db;
    small = await planXlsx([goal('M-001', 'SEDU', [1, 2, 3, 4])]);
  });
  afterAll(async () => {
    await h?.close();
  });

  const upload = (agent: ReturnType<typeof request.agent>, file: Buffer, fileName: string, kind = 'indicativePlan') =>
    agent.post(`/api/imports/uploads?kind=${kind}&fileName=${encodeURIComponent(fileName)}`).set('content-type', fileName.endsWith('.csv') ? 'text/csv' : XLSX).send(file);

  it('refuses an XLSX whose shared strings inflate to 400 MB (413, naming the limit) and answers other requests meanwhile', async () => {
    const before = await tableCounts(db);
    // Declared honestly: refused from the zip's central directory, nothing inflated.
    const honest = await xlsxBomb(small, { inflatedMb: 400 });
    expect(honest.length).toBeLessThan(1024 * 1024 * 1.5);
    const refused = await upload(api, honest, 'bomba.xlsx').expect(413);
    expect(refused.body.error.message).toMatch(/^El archivo descomprimido supera 50 MB, el máximo/);

    // Declared as 1 KB: inflated through the byte budget and stopped at 50 MB. Meanwhile the app
    // answers: /health and a database read complete while the upload is still being read.
    const lying = await xlsxBomb(small, { inflatedMb: 400, declaredBytes: 1000 });
    let settled = false;
    const pending = upload(api, lying, 'bomba-2.xlsx').then((res) => {
      settled = true;
      return res;
    });
    let answeredMeanwhile = 0;
    for (let i = 0; i < 1000 && !settled; i++) {
      await request(app).get('/health').expect(200);
      await api.get('/api/imports/uploads?limit=1').expect(200);
      if (!settled) answeredMeanwhile++;
    }
    const lyingRefused = await pending;
    expect(lyingRefused.status).toBe(413);
    expect(lyingRefused.body.error.message).toMatch(/^El archivo descomprimido supera 50 MB/);
    expect(answeredMeanwhile).toBeGreaterThan(0);

    // The direct import route refuses it the same way.
    const direct = await api.post('/api/imports/indicative-plan?fileName=bomba.xlsx').set('content-type', XLSX).send(lying).expect(413);
    expect(direct.body.error.message).toMatch(/descomprimido supera 50 MB/);
    expect(await tableCounts(db)).toEqual(before);
    // The process still serves.
    await request(app).get('/health').expect(200);
  });

  it('refuses 100 MB of text zipped into 7 MB, with the honest and with a false size', async () => {
    for (const declaredBytes of [undefined, 1000]) {
      const file = await xlsxBomb(small, { inflatedMb: 100, content: 'random', declaredBytes });
      expect(file.length).toBeLessThan(10 * 1024 * 1024);
      const refused = await upload(api, file, 'cien.xlsx').expect(413);
      expect(refused.body.error.message).toMatch(/descomprimido supera 50 MB/);
    }
  });

  it('refuses a zip with too many entries, a merged range of billions of cells, columns beyond Excel, too many rows and too long a cell', async () => {
    const before = await tableCounts(db);
    const parts = await upload(api, await xlsxWithParts(small, 600), 'partes.xlsx').expect(413);
    expect(parts.body.error.message).toMatch(/más de 500 partes internas, el máximo/);

    // 10 KB whose one merged range exceljs would fill cell by cell (17 billion).
    const merged = await withSheetXml(small, '<mergeCells count="1"><mergeCell ref="A3:XFD1048576"/></mergeCells>');
    expect(merged.length).toBeLessThan(20_000);
    const cells = await upload(api, merged, 'combinadas.xlsx').expect(413);
    expect(cells.body.error.message).toMatch(/más de 1\.000\.000 celdas \(las combinadas cuentan completas\), el máximo/);

    // A column range beyond Excel's 16,384 columns, which exceljs would create one by one.
    const columns = await upload(api, await withSheetXml(small, '<cols><col min="1" max="1000000000" width="12"/></cols>'), 'columnas.xlsx').expect(422);
    expect(columns.body.error.message).toMatch(/una columna fuera de una hoja de Excel \(1\.048\.576 filas × 16\.384 columnas\)/);

    const long = 'x'.repeat(40_000);
    const longXlsx = await planXlsx([goal('M-001', 'SEDU', [1, 2, 3, 4], { name: long })]);
    const longCell = await upload(api, longXlsx, 'larga.xlsx').expect(413);
    expect(longCell.body.error.message).toMatch(/más de 32\.767 caracteres/);
    const longCsv = await upload(api, planCsv([goal('M-001', 'SEDU', [1, 2, 3, 4], { name: long })]), 'larga.csv').expect(413);
    expect(longCsv.body.error.message).toMatch(/^Fila 2, columna 12: una celda tiene más de 32\.767 caracteres/);

    // Rows and cells, with an app whose limits are small.
    const limited = await appWithLimits(h, { maxRows: 50, maxCells: 2000 });
    const rows = Array.from({ length: 60 }, (_, i) => goal(`F-${i}`, 'SEDU', [1, 1, 1, 1]));
    for (const [file, name] of [
      [await planXlsx(rows, { departments: false }), 'filas.xlsx'],
      [planCsv(rows), 'filas.csv'],
    ] as const) {
      const refused = await upload(limited.api, file, name).expect(413);
      expect(refused.body.error.message).toMatch(/más de 50 filas, el máximo/);
    }
    const wide = planMatrix(rows.slice(0, 40));
    for (const row of wide) row.push(...Array.from({ length: 40 }, () => 'relleno'));
    for (const [file, name] of [
      [await xlsxOf([{ name: 'Plan Indicativo', rows: wide }]), 'celdas.xlsx'],
      [csvOf(wide), 'celdas.csv'],
    ] as const) {
      const refused = await upload(limited.api, file, name).expect(413);
      expect(refused.body.error.message).toMatch(/más de 2\.000 celdas/);
    }
    expect(await tableCounts(db)).toEqual(before);
  });

  it('refuses control characters in a CSV or XLSX cell (422, naming row and column) and in the file name (400)', async () => {
    const before = await tableCounts(db);
    const csv = planCsv([goal('M-001', 'SEDU', [1, 2, 3, 4]), goal('M-002', 'SSAL', [1, 1, 1, 1], { name: 'Meta\u0000 con nulo' })]);
    const refused = await upload(api, csv, 'nulo.csv').expect(422);
    expect(refused.body.error.message).toMatch(/caracteres de control \(como el byte nulo\)/);
    expect(refused.body.error.details).toEqual(['Fila 3, columna "Meta de producto" (L): contiene el carácter de control U+0000; bórrelo']);
    const direct = await api.post('/api/imports/indicative-plan?fileName=nulo.csv').set('content-type', 'text/csv').send(csv).expect(422);
    expect(direct.body.error.details[0]).toMatch(/^Fila 3, columna "Meta de producto"/);
    // In an XLSX, Excel writes a control character as `_x0000_`, which exceljs decodes.
    const zip = await JSZip.loadAsync(await planXlsx([goal('M-001', 'SEDU', [1, 2, 3, 4], { name: 'Meta con nulo' })]));
    const strings = await zip.file('xl/sharedStrings.xml')!.async('string');
    zip.file('xl/sharedStrings.xml', strings.replace('Meta con nulo', 'Meta_x0000_ con nulo'));
    const xlsx = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    const inXlsx = await upload(api, xlsx, 'nulo.xlsx').expect(422);
    expect(inXlsx.body.error.details).toEqual(['Hoja "Plan Indicativo", fila 2, columna "Meta de producto" (L): contiene el carácter de control U+0000; bórrelo']);
    // The Imports page shows the same, on the form.
    const operator = await signIn(app, db);
    const page = await operator.browser
      .post('/importaciones')
      .field('_csrf', operator.csrf)
      .field('kind', 'indicativePlan')
      .attach('archivo', csv, { filename: 'nulo.csv', contentType: 'text/csv' })
      .expect(422);
    expect(page.text).toMatch(/caracteres de control/);
    expect(page.text).toMatch(/<li>Fila 3, columna &quot;Meta de producto&quot; \(L\): contiene el carácter de control U\+0000; bórrelo<\/li>/);

    const fileName = await upload(api, small, 'plan\u0000.xlsx').expect(400);
    // The request guard answers first for any query parameter (server/inputGuard.ts), naming it.
    expect(fileName.body.error.message).toMatch(/«fileName» contiene un carácter no permitido \(U\+0000, carácter nulo\)/);
    const directName = await api.post(`/api/imports/indicative-plan?fileName=${encodeURIComponent('plan\u0007.xlsx')}`).set('content-type', XLSX).send(small).expect(400);
    expect(directName.body.error.message).toMatch(/«fileName» contiene un carácter no permitido \(U\+0007, carácter de control\)/);
    expect(await tableCounts(db)).toEqual(before);
  });

  it('turns a reader out of memory or out of time into a 422, marks a confirmed upload failed, and keeps serving', async () => {
    const file = await planXlsx(realGoals);
    const starved = await appWithLimits(h, { parseMemoryMb: 8 });
    const memory = await upload(starved.api, file, 'memoria.xlsx').expect(422);
    expect(memory.body.error.message).toMatch(/^Leer el archivo necesita más de 8 MB de memoria, el máximo; no se importó nada/);
    const slow = await appWithLimits(h, { parseTimeoutMs: 50 });
    const time = await upload(slow.api, file, 'lento.xlsx').expect(422);
    expect(time.body.error.message).toMatch(/^Leer el archivo tomó más de 0,1 s, el máximo/);
    await request(app).get('/health').expect(200);

    // Staged with the normal limits, confirmed where the reader runs out of memory: the upload is
    // marked failed with the reason, nothing is imported, and it can be confirmed again.
    const before = await tableCounts(db);
    const staged = await upload(api, file, 'plan-600.xlsx').expect(201);
    expect(staged.body.preview).toMatchObject({ ok: true, rows: 600 });
    await starved.api.post(`/api/imports/uploads/${staged.body.id}/commit`).expect(202);
    const failed = await eventually(
      async () => {
        const body = (await api.get(`/api/imports/uploads/${staged.body.id}`).expect(200)).body;
        return body.status === 'failed' ? body : undefined;
      },
      { what: 'the upload marked failed' },
    );
    expect(failed.result).toMatchObject({ ok: false, message: expect.stringMatching(/más de 8 MB de memoria/) });
    expect(failed.label).toMatch(/más de 8 MB de memoria/);
    expect(await tableCounts(db)).toEqual({ ...before, uploads: before.uploads! + 1 });

    // Confirmed again with the normal limits, the real-shaped file imports.
    await api.post(`/api/imports/uploads/${staged.body.id}/commit`).expect(202);
    const committed = await eventually(
      async () => {
        const body = (await api.get(`/api/imports/uploads/${staged.body.id}`).expect(200)).body;
        return body.status === 'committed' ? body : undefined;
      },
      { what: 'the upload committed' },
    );
    expect(committed.result).toMatchObject({ ok: true, rows: 600 });
    expect((await tableCounts(db)).goals).toBe(600);
    // Its CSV is read in the worker too and changes nothing more.
    const csv = await api.post('/api/imports/indicative-plan?fileName=plan-600.csv').set('content-type', 'text/csv').send(planCsv(realGoals)).expect(200);
    expect(csv.body.unchanged).toBe(true);
  });
});

describe('upload limits in the configuration', () => {
  it('defaults to the limits sized for real files, and reads UPLOAD_* with Spanish errors', () => {
    expect(loadConfig({}).uploadLimits).toEqual(defaultUploadLimits);
    const config = loadConfig({ UPLOAD_MAX_FILE_MB: '20', UPLOAD_MAX_UNCOMPRESSED_MB: '80', UPLOAD_MAX_ROWS: '5000', UPLOAD_PARSE_TIMEOUT_SECONDS: '5' });
    expect(config.uploadLimits).toMatchObject({ maxFileBytes: 20 * 1024 * 1024, maxUncompressedBytes: 80 * 1024 * 1024, maxRows: 5000, parseTimeoutMs: 5000 });
    let problems: string[] = [];
    try {
      loadConfig({ UPLOAD_MAX_ROWS: 'muchas', UPLOAD_PARSE_MEMORY_MB: '4' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      problems = (error as ConfigError).problems;
    }
    expect(problems).toEqual(['UPLOAD_MAX_ROWS: debe ser un número', 'UPLOAD_PARSE_MEMORY_MB: debe ser al menos 32']);
  });
});
