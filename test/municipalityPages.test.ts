import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import type { Express } from 'express';
import request from 'supertest';
import { createApiToken, createUser } from '../auth';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { createHarness, createTestApp, eventually, type Harness, type TestApp } from './support/harness';
import { csvOf, goal, type Matrix, planXlsx } from './support/importFiles';

const PASSWORD = 'una clave de pruebas suficientemente larga';
const run = promisify(execFile);
const tsx = path.join(__dirname, '..', 'node_modules', '.bin', 'tsx');
const cli = path.join(__dirname, '..', 'scripts', 'metas.ts');
const html = (text: string) => text.replace(/\s+/g, ' ');

async function signIn(app: Express, db: Database, role: 'operator' | 'admin') {
  const email = `${role}-${randomUUID().slice(0, 8)}@pruebas.gov.co`;
  await createUser(db, { email, name: `Persona ${role}`, role, password: PASSWORD });
  const browser = request.agent(app);
  const form = await browser.get('/login').set('Accept', 'text/html').expect(200);
  const formToken = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1];
  const login = await browser.post('/login').set('Accept', 'application/json').send({ email, password: PASSWORD, _csrf: formToken }).expect(200);
  return { browser, csrf: String(login.body.csrfToken) };
}

const planGoals = [goal('M-001', 'SEDU', [10, 20, 30, 40]), goal('M-002', 'SSAL', [4, 4, 4, 4])];
const officeHeaders = ['Código meta', 'Vigencia', 'Trimestre', 'Valor logrado a la fecha (oficina)', 'Observaciones del enlace'];
const officeCapture = (executed: number, quarter = 'T1') =>
  csvOf([officeHeaders, ['M-001', 2026, quarter, executed, 'Sin novedad'], ['M-002', 2026, quarter, 1, null]] as Matrix, { delimiter: ';' });

describe('the preview page maps columns; the municipality is named on pages, exports and the CLI', () => {
  let h: Harness;
  let app: Express;
  let admin: TestApp['admin'];
  let db: Database;
  let server: Server;
  let env: NodeJS.ProcessEnv;
  const metas = async (...args: string[]) => (await run(tsx, [cli, ...args], { env, timeout: 90_000 })).stdout;
  const metasFails = (...args: string[]) => run(tsx, [cli, ...args], { env, timeout: 90_000 }).then(() => '', (e: { stderr: string }) => e.stderr);

  beforeAll(async () => {
    h = await createHarness({ seed: async () => undefined });
    ({ app, admin } = await createTestApp(h));
    db = h.database.db;
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const user = await createUser(db, { email: `cli-${randomUUID().slice(0, 8)}@pruebas.gov.co`, name: 'Operadora CLI', role: 'admin', password: PASSWORD });
    const { token } = await createApiToken(db, { userId: user.id, name: 'cli' });
    env = { ...process.env, METAS_API_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, METAS_API_TOKEN: token, XDG_CONFIG_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'metas-cli-')) };
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await h?.close();
  });

  it('imports a titled plan from the CLI as "versión 1" after a dry run, then maps, saves and reuses a Hoja mapping on the page', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metas-plan-'));
    const planFile = path.join(dir, 'plan-pasto.xlsx');
    fs.writeFileSync(planFile, await planXlsx(planGoals, { edit: (m) => m.unshift(['MUNICIPIO DE PASTO – NARIÑO'], ['Código DANE: 52001'], []) }));
    expect(await metas('plan', 'import', planFile, '--dry-run')).toMatch(/Vista previa \(no se importó nada\)/);
    expect(await metas('plan', 'import', planFile)).toMatch(/Plan importado \(versión 1\)\./);
    expect((await db.select().from(t.plans))[0]?.municipality).toBe('Pasto');

    // The operator's page: the plan's preview says what its title rows name and whether it is recorded.
    const operator = await signIn(app, db, 'operator');
    const renamed = await operator.browser
      .post('/importaciones')
      .field('_csrf', operator.csrf)
      .field('kind', 'indicativePlan')
      .attach('archivo', await planXlsx(planGoals, { edit: (m) => m.unshift(['ALCALDÍA DE SAN JUAN DE PASTO'], []) }), { filename: 'plan-renombrado.xlsx' })
      .expect(303);
    const renamedPage = html((await operator.browser.get(String(renamed.headers.location)).set('Accept', 'text/html').expect(200)).text);
    expect(renamedPage).toContain(
      'Municipio encontrado en los títulos del archivo: <strong>San Juan de Pasto</strong>. Se guardará al importar como el municipio de esta instalación: páginas, exportaciones y documentos dirán «San Juan de Pasto».',
    );
    await operator.browser.post(`${String(renamed.headers.location)}/descartar`).type('form').send({ _csrf: operator.csrf }).expect(303);
    expect((await db.select().from(t.plans))[0]?.municipality).toBe('Pasto');

    // The unrecognised columns are listed with a choice of field.
    const uploaded = await operator.browser
      .post('/importaciones')
      .field('_csrf', operator.csrf)
      .field('kind', 'progressReport')
      .attach('archivo', officeCapture(7), { filename: 'hoja-oficina.csv', contentType: 'text/csv' })
      .expect(303);
    const location = String(uploaded.headers.location);
    const id = Number(location.split('/').pop());
    const before = html((await operator.browser.get(location).set('Accept', 'text/html').expect(200)).text);
    // The preview fails (no "Ejecutado"): the error points at the near miss, and both columns are offered for mapping.
    expect(before).toContain('¿es la columna D (&quot;Valor logrado a la fecha (oficina)&quot;)?');
    expect(before).toContain('<label for="map-0">Valor logrado a la fecha (oficina)</label>');
    expect(before).toContain('<label for="map-1">Observaciones del enlace</label>');
    expect(before).toContain('— Sin asignar (no se importará) —');
    expect(before).toContain(`<form method="post" action="/importaciones/${id}/mapeo">`);
    expect(before).toMatch(/<option value="executed">Ejecutado<\/option>/);
    expect(before).toMatch(/<option value="ignore">No importar<\/option>/);
    expect(before).toMatch(/falta esta columna obligatoria/);
    expect(before).toContain('<span class="entity-name municipality">Alcaldía de Pasto</span>');

    // A field that does not exist: a Spanish error listing the valid ones, nothing changed.
    const refused = await operator.browser
      .post(`/importaciones/${id}/mapeo`)
      .type('form')
      .send({ _csrf: operator.csrf, header: 'Valor logrado a la fecha (oficina)', field: 'Avance' })
      .expect(400);
    expect(html(refused.text)).toMatch(/el campo &quot;Avance&quot; no existe; campos válidos: &quot;Código meta&quot;, .*&quot;Ejecutado&quot;.* y &quot;No importar&quot;/);

    await operator.browser
      .post(`/importaciones/${id}/mapeo`)
      .type('form')
      .send(`_csrf=${encodeURIComponent(operator.csrf)}&header=${encodeURIComponent('Valor logrado a la fecha (oficina)')}&field=executed&header=${encodeURIComponent('Observaciones del enlace')}&field=ignore`)
      .expect(303);
    const mapped = html((await operator.browser.get(location).set('Accept', 'text/html').expect(200)).text);
    expect(mapped).toContain('Se aplicó el mapeo elegido para este archivo; se guardará al importarlo');
    expect(mapped).toContain('<td>Valor logrado a la fecha (oficina)</td><td>Ejecutado</td>');
    expect(mapped).toContain('Confirmar importación');
    expect(mapped).not.toContain('no se importarán');
    expect(await db.$count(t.columnMappings)).toBe(0);

    await operator.browser.post(`/importaciones/${id}/confirmar`).type('form').send({ _csrf: operator.csrf }).expect(202);
    const done = await eventually(
      async () => {
        const { body } = await operator.browser.get(`/api/imports/uploads/${id}`).expect(200);
        return body.status === 'committed' || body.status === 'failed' ? body : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100, what: 'the mapped import' },
    );
    expect(done.status).toBe('committed');
    expect(done.result.summary.importId).toBe(2);
    expect(await db.$count(t.columnMappings)).toBe(1);

    // The next file with the same headers: mapped by itself, and the preview says so.
    const next = await operator.browser
      .post('/importaciones')
      .field('_csrf', operator.csrf)
      .field('kind', 'progressReport')
      .attach('archivo', officeCapture(9, 'T2'), { filename: 'hoja-oficina-t2.csv', contentType: 'text/csv' })
      .expect(303);
    const again = html((await operator.browser.get(String(next.headers.location)).set('Accept', 'text/html').expect(200)).text);
    expect(again).toMatch(/Se aplicó el mapeo guardado el \d/);
    expect(again).toContain('Confirmar importación');

    // Over the API: a stored upload is mapped with POST …/columns (fields by their Spanish label).
    const apiUpload = await admin
      .post('/api/imports/uploads?kind=progressReport&fileName=hoja-api.csv')
      .set('content-type', 'text/csv')
      .send(csvOf([['Código meta', 'Vigencia', 'Trimestre', 'Cifra lograda'], ['M-001', 2026, 'T2', 10]] as Matrix, { delimiter: ';' }))
      .expect(201);
    expect(apiUpload.body.preview).toMatchObject({ ok: false, columns: { unmapped: ['Cifra lograda'], applied: null } });
    const badField = await admin.post(`/api/imports/uploads/${apiUpload.body.id}/columns`).send({ columns: [{ header: 'Cifra lograda', field: 'Logro' }] }).expect(400);
    expect(badField.body.error).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('el campo "Logro" no existe; campos válidos: "Código meta"') });
    const apiMapped = await admin.post(`/api/imports/uploads/${apiUpload.body.id}/columns`).send({ columns: [{ header: 'Cifra lograda', field: 'Ejecutado' }] }).expect(200);
    expect(apiMapped.body).toMatchObject({ status: 'pending', columnMap: [{ header: 'Cifra lograda', field: 'executed' }], preview: { ok: true, columns: { unmapped: [] } } });
    await admin.post(`/api/imports/uploads/${apiUpload.body.id}/discard`).expect(200);

    // The CLI: --map with an unknown field is refused with the valid ones; a good one is applied.
    const otherHeaders = csvOf([['Código meta', 'Vigencia', 'Trimestre', 'Logro acumulado'], ['M-001', 2026, 'T3', 12]] as Matrix, { delimiter: ';' });
    const captureFile = path.join(dir, 'hoja-t3.csv');
    fs.writeFileSync(captureFile, otherHeaders);
    expect(await metasFails('progress', 'import', captureFile, '--map', 'Logro acumulado=Avance')).toMatch(/el campo "Avance" no existe; campos válidos: .*"Ejecutado"/);
    expect(await metasFails('progress', 'import', captureFile, '--map', 'sin igual')).toMatch(/Encabezado=campo/);
    const preview = await metas('progress', 'import', captureFile, '--dry-run', '--map', 'Logro acumulado=Ejecutado');
    expect(preview).toContain('Mapeo de columnas aplicado: "Logro acumulado" → Ejecutado (se guardará al importar).');
    expect(await metas('progress', 'import', captureFile, '--map', 'Logro acumulado=Ejecutado')).toMatch(/Avance importado \(versión \d+\): 1 registro nuevo,/);
    expect((await db.select({ id: t.planImports.id }).from(t.planImports)).map((r) => r.id).sort()).toEqual([1, 2, 3]);
  });

  it('lets an administrator set the municipality (validated), and names it in the header, the API and the exported spreadsheet', async () => {
    const adminPage = await signIn(app, db, 'admin');
    const badCode = await adminPage.browser.post('/admin/municipio').type('form').send({ _csrf: adminPage.csrf, name: 'Pasto', daneCode: '5200' }).expect(400);
    expect(html(badCode.text)).toContain('el código DANE del municipio tiene 5 dígitos (p. ej. 52001 para Pasto)');
    const otherCode = await adminPage.browser.post('/admin/municipio').type('form').send({ _csrf: adminPage.csrf, name: 'Tumaco', daneCode: '52835' }).expect(400);
    expect(html(otherCode.text)).toContain('El Plan Indicativo importado es del municipio con código DANE 52001');

    await adminPage.browser.post('/admin/municipio').type('form').send({ _csrf: adminPage.csrf, name: 'San Juan de Pasto', daneCode: '52001' }).expect(303);
    const page = html((await adminPage.browser.get('/admin/municipio?guardado=1').set('Accept', 'text/html').expect(200)).text);
    expect(page).toContain('Se guardó el municipio.');
    expect(page).toContain('Municipio actual: <strong>San Juan de Pasto</strong> (código DANE 52001), definido en la página Municipio');
    expect(page).toContain('<span class="entity-name municipality">Alcaldía de San Juan de Pasto</span>');

    expect((await admin.get('/api/municipality').expect(200)).body).toMatchObject({ name: 'San Juan de Pasto', daneCode: '52001', source: 'page' });
    const invalid = await admin.put('/api/municipality').send({ name: 'P', daneCode: 'abcde' }).expect(400);
    expect(invalid.body.error.details).toEqual(['Nombre: el nombre del municipio debe tener al menos 2 caracteres', 'Código DANE: el código DANE del municipio tiene 5 dígitos (p. ej. 52001 para Pasto)']);

    const xlsx = await admin.get('/api/dashboard?year=2026&quarter=1&format=xlsx').buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(xlsx.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const texts: string[] = [];
    workbook.worksheets[0]!.eachRow((row) => row.eachCell((cell) => texts.push(String(cell.value))));
    expect(texts.join('\n')).toContain('Municipio: San Juan de Pasto');
    expect(texts.join('\n')).not.toContain('Municipio 52001');
  });
});
