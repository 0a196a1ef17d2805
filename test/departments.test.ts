import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Express } from 'express';
import request from 'supertest';
import { and, eq, sql } from 'drizzle-orm';
import { createApiToken, createUser } from '../auth';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { baseDepartmentCode, generateDepartmentCodes } from '../imports/departmentCodes';
import { loadReviewRecords } from '../services/reviewReadModel';
import { createHarness, createTestApp, eventually, reviewIn, type Harness, type TestApp } from './support/harness';
import { goal, planCsv } from './support/importFiles';
import { createTimeSkippingHarness, startTimeSkippingServer, type TimeSkippingServer } from './support/timeSkipping';

const PASSWORD = 'una clave de pruebas suficientemente larga';
const run = promisify(execFile);
const tsx = path.join(__dirname, '..', 'node_modules', '.bin', 'tsx');
const cli = path.join(__dirname, '..', 'scripts', 'metas.ts');

/** Eight departments an office names in its plan, none registered; two share the base code STRA. */
const planDepartments = [
  ['Secretaría de Educación', 'SEDU'],
  ['Secretaría de Salud', 'SSAL'],
  ['Secretaría de Infraestructura y Obras Públicas', 'SINF'],
  ['Secretaría de Gobierno', 'SGOB'],
  ['Oficina de Planeación', 'OPLA'],
  ['Instituto Municipal de Deportes y Recreación', 'IDEP'],
  ['Secretaría de Tránsito y Movilidad', 'STRA'],
  ['Secretaría de Transparencia', 'STRA2'],
] as const;

/** Two goals per department; the second row writes the name in capitals without accents, as exports do. */
const planWithNames = (prefix: string) =>
  planCsv(
    planDepartments.flatMap(([name], i) => [
      goal(`${prefix}-${i}A`, name, [1, 2, 3, 4]),
      goal(`${prefix}-${i}B`, name.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase(), [2, 2, 2, 2]),
    ]),
    { delimiter: ';', numbers: 'es' },
  );

async function signIn(app: Express, db: Database, role: 'operator' | 'viewer') {
  const email = `${role}-${randomUUID().slice(0, 8)}@pruebas.gov.co`;
  await createUser(db, { email, name: `Persona ${role}`, role, password: PASSWORD });
  const browser = request.agent(app);
  const form = await browser.get('/login').set('Accept', 'text/html').expect(200);
  const formToken = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1];
  const login = await browser.post('/login').set('Accept', 'application/json').send({ email, password: PASSWORD, _csrf: formToken }).expect(200);
  return { browser, csrf: String(login.body.csrfToken) };
}

const flat = (text: string) => text.replace(/\s+/g, ' ');

/** Every stream of a PDF, inflated where compressed, as text: the certified data attached to a record is among them. */
function inflatedStreams(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const texts: string[] = [];
  for (const match of raw.matchAll(/stream\r?\n/g)) {
    const start = match.index + match[0].length;
    const end = raw.indexOf('endstream', start);
    const bytes = pdf.subarray(start, end);
    try {
      texts.push(zlib.inflateSync(bytes).toString('utf8'));
    } catch {
      texts.push(bytes.toString('utf8'));
    }
  }
  return texts.join('\n');
}

describe('department codes generated from names', () => {
  it('takes the kind initial and the subject, skipping minor words, and keeps codes unique', () => {
    expect(planDepartments.slice(0, 7).map(([name]) => baseDepartmentCode(name))).toEqual(['SEDU', 'SSAL', 'SINF', 'SGOB', 'OPLA', 'IDEP', 'STRA']);
    expect(baseDepartmentCode('Tránsito')).toBe('TRAN');
    expect(baseDepartmentCode('Despacho del Alcalde')).toBe('DALC');
    expect(generateDepartmentCodes(['Secretaría de Educación', 'Secretaría de Educación Superior', 'Secretaría de Salud'], ['sedu'])).toEqual(['SEDU2', 'SEDU3', 'SSAL']);
  });
});

describe('departments: from the plan, and the registry (API, pages, CLI)', () => {
  let h: Harness;
  let app: Express;
  let as: TestApp['as'];
  let db: Database;
  let server: Server;
  let env: NodeJS.ProcessEnv;
  const metas = (...args: string[]) => run(tsx, [cli, ...args], { env, timeout: 90_000 });

  beforeAll(async () => {
    // An empty installation: no plan, no departments.
    h = await createHarness({ seed: async () => undefined });
    ({ app, as } = await createTestApp(h));
    db = h.database.db;
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const operator = await createUser(db, { email: `cli-${randomUUID().slice(0, 8)}@pruebas.gov.co`, name: 'Operadora CLI', role: 'operator', password: PASSWORD });
    const { token } = await createApiToken(db, { userId: operator.id, name: 'cli' });
    env = {
      ...process.env,
      METAS_API_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      METAS_API_TOKEN: token,
      XDG_CONFIG_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'metas-departments-')),
    };
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await h?.close();
  });

  it('proposes the 8 unregistered departments of a CSV plan in one preview and creates them, with an edited code, on confirmation', async () => {
    const operator = await signIn(app, db, 'operator');
    const uploaded = await (await as('operator'))
      .post('/api/imports/uploads?kind=indicativePlan&fileName=plan-municipal.csv')
      .type('application/octet-stream')
      .send(planWithNames('DP'))
      .expect(201);
    expect(uploaded.body.preview.ok).toBe(true);
    expect(uploaded.body.preview.summary.departmentsFromPlan).toEqual(planDepartments.map(([name, code]) => ({ name, code, goals: 2 })));
    // One proposal per department: no error per row, nothing written by the preview.
    expect(uploaded.body.preview.summary.goalsAdded).toHaveLength(16);
    expect(await db.select().from(t.departments)).toEqual([]);

    const id = uploaded.body.id as number;
    const page = flat((await operator.browser.get(`/importaciones/${id}`).expect(200)).text);
    expect(page).toContain('<strong>Dependencias nuevas (8):</strong> Secretaría de Educación (SEDU), Secretaría de Salud (SSAL)');
    expect(page).toContain('<legend>Dependencias nuevas (8): se crearán al confirmar</legend>');
    // Listed once (by name, with its code), not again as a bare list of codes.
    expect(page).not.toMatch(/<summary>Dependencias nuevas/);
    expect(page).toMatch(/<label for="codigo-7">Secretaría de Transparencia<\/label><\/td><td class="num">2<\/td><td><input id="codigo-7" name="codigo-7" value="STRA2"/);
    expect(page).toContain('Confirmar importación y crear las 8 dependencias');

    // A code that clashes with another proposal is refused before anything starts.
    const clash = await operator.browser.post(`/importaciones/${id}/confirmar`).type('form').send({ _csrf: operator.csrf, 'codigo-7': 'stra' }).expect(400);
    expect(flat(clash.text)).toContain('Los códigos de las dependencias nuevas no son válidos');
    const invalid = await operator.browser.post(`/importaciones/${id}/confirmar`).type('form').send({ _csrf: operator.csrf, 'codigo-7': 'TRANSP ARENCIA' }).expect(400);
    expect(flat(invalid.text)).toContain('El código &quot;TRANSP ARENCIA&quot; de la dependencia nueva &quot;Secretaría de Transparencia&quot; no es válido');

    await operator.browser.post(`/importaciones/${id}/confirmar`).type('form').send({ _csrf: operator.csrf, 'codigo-7': 'stpa' }).expect(202);
    const done = await eventually(
      async () => {
        const { body } = await operator.browser.get(`/api/imports/uploads/${id}`).expect(200);
        return body.status === 'committed' || body.status === 'failed' ? body : undefined;
      },
      { what: 'the import to finish' },
    );
    expect(done.status).toBe('committed');
    const expected = planDepartments.map(([name, code]) => ({ name, code: code === 'STRA2' ? 'STPA' : code }));
    expect(done.result.summary.departmentsFromPlan).toEqual(expected.map((d) => ({ ...d, goals: 2 })));

    const departments = await db.select({ code: t.departments.code, name: t.departments.name, version: t.departments.version }).from(t.departments).orderBy(t.departments.code);
    expect(departments).toEqual([...expected].sort((a, b) => a.code.localeCompare(b.code)).map((d) => ({ ...d, version: 1 })));
    const goals = await db.select({ code: t.goals.code, departmentCode: t.goals.departmentCode }).from(t.goals).orderBy(t.goals.code);
    expect(goals).toHaveLength(16);
    expect(goals.find((g) => g.code === 'DP-7B')?.departmentCode).toBe('STPA');
    expect(goals.find((g) => g.code === 'DP-1B')?.departmentCode).toBe('SSAL');
    const versions = await db.select().from(t.departmentVersions);
    expect(versions).toHaveLength(8);
    expect(versions.every((v) => v.version === 1 && v.reason === 'Importación del Plan Indicativo plan-municipal.csv' && /^user:\d+$/.test(v.changedBy))).toBe(true);
    const audited = await db.select().from(t.auditLog).where(eq(t.auditLog.action, 'department.created'));
    expect(audited.map((a) => a.subject).sort()).toEqual(expected.map((d) => `department:${d.code}`).sort());
  });

  it('refuses to create departments through the API unless confirmed, and creates them with the chosen codes when confirmed', async () => {
    const admin = await as('operator');
    const file = planCsv([goal('API-1', 'Secretaría de Cultura', [1, 1, 1, 1]), goal('API-2', 'SEDU', [1, 1, 1, 1])], { delimiter: ';' });
    const refused = await admin.post('/api/imports/indicative-plan?fileName=plan-cultura.csv').type('application/octet-stream').send(file).expect(409);
    expect(refused.body.error.message).toMatch(/^El Plan Indicativo nombra dependencias que no están registradas \(1\).*--yes.*confirmNewDepartments=1/);
    expect(refused.body.error.details).toEqual(['Secretaría de Cultura: código SCUL (1 meta)']);
    expect(await db.select().from(t.goals).where(eq(t.goals.code, 'API-1'))).toEqual([]);

    const badCode = await admin
      .post(`/api/imports/indicative-plan?fileName=plan-cultura.csv&confirmNewDepartments=1&departmentCode=${encodeURIComponent('Secretaría de Cultura=SEDU')}`)
      .type('application/octet-stream')
      .send(file)
      .expect(400);
    expect(badCode.body.error.details).toContain('El código "SEDU" de la dependencia nueva "Secretaría de Cultura" ya es de una dependencia registrada; elija otro');

    const imported = await admin
      .post(`/api/imports/indicative-plan?fileName=plan-cultura.csv&confirmNewDepartments=1&departmentCode=${encodeURIComponent('secretaria de cultura=cult')}`)
      .type('application/octet-stream')
      .send(file)
      .expect(200);
    expect(imported.body.departmentsFromPlan).toEqual([{ code: 'CULT', name: 'Secretaría de Cultura', goals: 1 }]);
    expect((await db.select().from(t.goals).where(eq(t.goals.code, 'API-1')))[0]?.departmentCode).toBe('CULT');
  });

  it('adds, edits (as a new version), lists and scopes departments over the API, with Spanish errors naming the field', async () => {
    const operator = await as('operator');
    const invalid = await operator.post('/api/departments').send({ code: 'SEC HAC', name: '', liaisonEmail: 'no-es-correo' }).expect(400);
    expect(invalid.body.error).toMatchObject({ code: 'invalid_input', message: 'Datos de la dependencia inválidos' });
    expect(invalid.body.error.details).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^code: código: de 1 a 20 caracteres/),
        'name: nombre: es obligatorio',
        expect.stringMatching(/^liaisonEmail: correo del enlace: no es un correo válido/),
      ]),
    );
    const created = await operator
      .post('/api/departments')
      .send({ code: 'shac', name: 'Secretaría de Hacienda', headName: 'Luisa Fernanda Ortiz', headTitle: 'Secretaria de Hacienda', headEmail: 'Hacienda@Pasto.gov.co', liaisonName: 'Pedro Pablo Díaz', liaisonEmail: 'enlace.hacienda@pasto.gov.co' })
      .expect(201);
    expect(created.body).toMatchObject({ code: 'SHAC', headEmail: 'hacienda@pasto.gov.co', version: 1 });
    expect((await operator.post('/api/departments').send({ code: 'SHAC', name: 'Otra' }).expect(409)).body.error.message).toMatch(/Ya existe la dependencia SHAC/);

    const unknownField = await operator.patch('/api/departments/SHAC').send({ liason: 'x' }).expect(400);
    expect(unknownField.body.error.details).toEqual([expect.stringMatching(/^campo desconocido \(liason\): use name, headName/)]);
    const updated = await operator.patch('/api/departments/shac').send({ liaisonName: 'Marta Lucía Caicedo', liaisonEmail: 'mcaicedo@pasto.gov.co', reason: 'Cambio de enlace' }).expect(200);
    expect(updated.body).toMatchObject({ changed: true, department: { code: 'SHAC', version: 2, liaisonName: 'Marta Lucía Caicedo', headName: 'Luisa Fernanda Ortiz' } });
    expect((await operator.patch('/api/departments/SHAC').send({ liaisonName: 'Marta Lucía Caicedo' }).expect(200)).body.changed).toBe(false);
    const cleared = await operator.patch('/api/departments/SHAC').send({ headTitle: null }).expect(200);
    expect(cleared.body.department).toMatchObject({ version: 3, headTitle: null });

    const detail = await operator.get('/api/departments/SHAC').expect(200);
    expect(detail.body.versions.map((v: { version: number; liaisonEmail: string; reason: string }) => [v.version, v.liaisonEmail, v.reason])).toEqual([
      [3, 'mcaicedo@pasto.gov.co', 'Editada en el registro de dependencias'],
      [2, 'mcaicedo@pasto.gov.co', 'Cambio de enlace'],
      [1, 'enlace.hacienda@pasto.gov.co', 'Registrada en el registro de dependencias'],
    ]);
    const audit = await db.select().from(t.auditLog).where(and(eq(t.auditLog.subject, 'department:SHAC'), eq(t.auditLog.action, 'department.updated')));
    expect(audit.map((a) => (a.details as { fields: string[] }).fields)).toEqual(expect.arrayContaining([['liaisonName', 'liaisonEmail'], ['headTitle']]));
    await operator.get('/api/departments/NOEXISTE').expect(404);

    // Roles: a viewer reads but does not edit; a liaison reads only its own department.
    await operator.post('/api/departments').send({ code: 'SPRU', name: 'Secretaría de Pruebas' }).expect(201);
    const viewer = await as('viewer');
    expect((await viewer.get('/api/departments').expect(200)).body.departments.map((d: { code: string }) => d.code)).toEqual(expect.arrayContaining(['SHAC', 'SPRU']));
    await viewer.post('/api/departments').send({ code: 'SX', name: 'X' }).expect(403);
    await viewer.patch('/api/departments/SHAC').send({ name: 'X' }).expect(403);
    const liaison = await as('liaison', 'SHAC');
    expect((await liaison.get('/api/departments').expect(200)).body.departments.map((d: { code: string }) => d.code)).toEqual(['SHAC']);
    expect((await liaison.get('/api/departments/SPRU').expect(403)).body.error.message).toMatch(/solo puede consultar la información de su propia secretaría/);
    await liaison.get('/api/departments/SHAC').expect(200);
    // Another code is refused the same way whether it exists or not.
    await liaison.get('/api/departments/NOEXISTE').expect(403);
  });

  it('lists, adds and edits departments on the page; viewers get no forms', async () => {
    const operator = await signIn(app, db, 'operator');
    const list = flat((await operator.browser.get('/dependencias').expect(200)).text);
    expect(list).toContain('<h2 id="agregar">Agregar dependencia</h2>');
    expect(list).toMatch(/<a href="\/dependencias\/SEDU">SEDU<\/a><\/td><td>Secretaría de Educación<\/td>/);

    const refused = await operator.browser.post('/dependencias').type('form').send({ _csrf: operator.csrf, codigo: 'SMUJ', nombre: 'Secretaría de las Mujeres', correo_enlace: 'mujeres@' }).expect(400);
    expect(flat(refused.text)).toContain('liaisonEmail: correo del enlace: no es un correo válido');
    expect(flat(refused.text)).toContain('value="Secretaría de las Mujeres"');
    const added = await operator.browser.post('/dependencias').type('form').send({ _csrf: operator.csrf, codigo: 'SMUJ', nombre: 'Secretaría de las Mujeres', enlace: 'Rosa <Elena>', correo_enlace: 'mujeres@pasto.gov.co' }).expect(303);
    expect(added.headers.location).toBe('/dependencias/SMUJ?guardado=1');
    const detail = flat((await operator.browser.get(added.headers.location as string).expect(200)).text);
    expect(detail).toContain('Rosa &lt;Elena&gt; · mujeres@pasto.gov.co');
    await operator.browser.post('/dependencias/SMUJ').type('form').send({ _csrf: operator.csrf, nombre: 'Secretaría de las Mujeres y Equidad de Género', enlace: 'Rosa Elena Pantoja', correo_enlace: 'mujeres@pasto.gov.co', motivo: 'Nombre del decreto' }).expect(303);
    const edited = flat((await operator.browser.get('/dependencias/SMUJ').expect(200)).text);
    expect(edited).toContain('<h1>Secretaría de las Mujeres y Equidad de Género (SMUJ)</h1>');
    expect(edited).toMatch(/<td class="num">2<\/td><td>[^<]+<\/td><td>Secretaría de las Mujeres y Equidad de Género<\/td>.*Nombre del decreto/);

    const viewer = await signIn(app, db, 'viewer');
    const read = flat((await viewer.browser.get('/dependencias').expect(200)).text);
    expect(read).toContain('SMUJ');
    expect(read).not.toContain('Agregar dependencia');
    await viewer.browser.post('/dependencias').type('form').send({ _csrf: viewer.csrf, codigo: 'SX', nombre: 'X' }).expect(403);
  });

  it('manages departments and confirms a plan\'s new departments from the command line', async () => {
    const added = JSON.parse((await metas('department', 'add', 'sdec', '--name', 'Secretaría de Desarrollo Económico', '--liaison-email', 'economia@pasto.gov.co', '--json')).stdout);
    expect(added).toMatchObject({ code: 'SDEC', version: 1, liaisonEmail: 'economia@pasto.gov.co' });
    const updated = await metas('department', 'update', 'SDEC', '--liaison-name', 'Camilo Ortega', '--head-name', 'Diana Rosero', '--head-title', 'Secretaria');
    expect(updated.stdout).toContain('Dependencia actualizada (versión 2)');
    expect(updated.stdout).toContain('Líder: Diana Rosero · Secretaria');
    const listed = (await metas('department', 'list')).stdout;
    expect(listed).toMatch(/SDEC\s+Secretaría de Desarrollo Económico — enlace: Camilo Ortega · economia@pasto.gov.co/);
    // Each version says who the head and the liaison were, so the change to the head is visible.
    const shown = (await metas('department', 'show', 'SDEC')).stdout;
    expect(shown).toMatch(/v2 .* por user:\d+: Secretaría de Desarrollo Económico · líder Diana Rosero · Secretaria · enlace Camilo Ortega · economia@pasto.gov.co — /);
    expect(shown).toMatch(/v1 .* por user:\d+: Secretaría de Desarrollo Económico · líder — · enlace economia@pasto.gov.co — /);
    const bad = await metas('department', 'add', 'X Y', '--name', 'Mal', '--head-email', 'nada').catch((e: { stderr: string; code: number }) => e);
    expect(bad).toMatchObject({ code: 1 });
    expect((bad as { stderr: string }).stderr).toMatch(/Error: Datos de la dependencia inválidos\n {2}- code: código: .*\n {2}- headEmail: correo del líder: no es un correo válido/);

    const dir = env.XDG_CONFIG_HOME as string;
    const file = path.join(dir, 'plan-con-dependencias-nuevas.csv');
    fs.writeFileSync(file, planCsv([goal('CLI-1', 'Secretaría de Vivienda', [1, 1, 1, 1]), goal('CLI-2', 'Secretaría de Agricultura', [1, 1, 1, 1])], { delimiter: ';' }));
    const preview = (await metas('plan', 'import', file, '--dry-run')).stdout;
    expect(preview).toContain('Dependencias nuevas (2): Secretaría de Vivienda (SVIV), Secretaría de Agricultura (SAGR)\n  Se crearán al importar con --yes; otro código con --department-code "Nombre=CÓDIGO".');
    // Not interactive and no --yes: nothing imported, and the message says how to confirm.
    const unconfirmed = await metas('plan', 'import', file).catch((e: { stderr: string; code: number }) => e);
    expect(unconfirmed).toMatchObject({ code: 1 });
    expect((unconfirmed as { stderr: string }).stderr).toMatch(/no se importó nada\. Ejecute de nuevo con --yes/);
    expect((unconfirmed as { stderr: string }).stderr).toContain('- Secretaría de Vivienda: código SVIV (1 meta)');
    expect(await db.select().from(t.goals).where(eq(t.goals.code, 'CLI-1'))).toEqual([]);

    const imported = (await metas('plan', 'import', file, '--yes', '--department-code', 'Secretaría de Agricultura=SAMA')).stdout;
    expect(imported).toMatch(/Plan importado \(versión \d+\)\./);
    expect(imported).toContain('Dependencias nuevas (2): Secretaría de Vivienda (SVIV), Secretaría de Agricultura (SAMA)');
    const [sama] = await db.select().from(t.departments).where(eq(t.departments.code, 'SAMA'));
    expect(sama).toMatchObject({ name: 'Secretaría de Agricultura', version: 1 });
  });
});

describe('an alert keeps the department version it was sent with', () => {
  let h: Harness;
  let as: TestApp['as'];
  // The constancia comes when the deadline passes: the test server skips to it.
  let server: TimeSkippingServer;

  beforeAll(async () => {
    server = await startTimeSkippingServer();
    h = await createTimeSkippingHarness(server, { defaultWindow: '10m' });
    ({ as } = await createTestApp(h));
  });
  afterAll(async () => {
    await h?.close();
    await server?.close();
  });

  it('shows the old liaison for an alert sent before the department was edited', async () => {
    const db = h.database.db;
    const operator = await as('operator');
    const year = h.fiscalYear;
    const preview = (await operator.get(`/api/cycles/revision-${year}-T2/preview`).expect(200)).body as { departments: { code: string }[] };
    const code = preview.departments[0]!.code;
    const [before] = await db.select().from(t.departments).where(eq(t.departments.code, code));
    // The review ends with the constancia, whose PDF must name the liaison alerted.
    await operator.post('/api/cycles').send({ fiscalYear: year, quarter: 2, window: '2h', reminders: '1h' }).expect(201);
    const reviewId = `revision-${year}-T2-${code}`;
    await reviewIn(h, reviewId, 'awaitingResponse');

    const newLiaison = { liaisonName: 'Enlace Nuevo Después de la Alerta', liaisonEmail: `nuevo.${randomUUID().slice(0, 6)}@pasto.gov.co` };
    expect((await operator.patch(`/api/departments/${code}`).send(newLiaison).expect(200)).body.department.version).toBe(before!.version + 1);

    const [alert] = await db.select().from(t.alerts).where(eq(t.alerts.reviewWorkflowId, reviewId));
    expect(alert).toMatchObject({ recipient: before!.liaisonEmail, departmentVersion: before!.version });
    // The review's record shows whom the alert went to, not the department as it is now.
    const record = (await loadReviewRecords(db, `revision-${year}-T2`)).find((r) => r.workflowId === reviewId);
    expect(record?.department).toEqual({ code, name: before!.name, liaisonName: before!.liaisonName, liaisonEmail: before!.liaisonEmail });
    const detail = (await operator.get(`/api/departments/${code}`).expect(200)).body;
    expect(detail.department.liaisonEmail).toBe(newLiaison.liaisonEmail);
    expect(detail.versions.find((v: { version: number }) => v.version === before!.version)).toMatchObject({ liaisonEmail: before!.liaisonEmail, liaisonName: before!.liaisonName });
    expect(detail.alerts).toEqual([expect.objectContaining({ reviewWorkflowId: reviewId, recipient: before!.liaisonEmail, departmentVersion: before!.version })]);
    const sent = await eventually(
      async () => (await db.select().from(t.outbox).where(sql`${t.outbox.idempotencyKey} = ${`${reviewId}:alert`}`))[0],
      { what: 'the alert e-mail' },
    );
    expect(sent.to).toEqual([before!.liaisonEmail]);

    // The constancia de negativa (a PDF kept as the record) states the liaison of the alert; its e-mail goes to today's liaison.
    await server.skip('3h');
    const constancia = await eventually(
      async () => (await db.select().from(t.documents).where(and(eq(t.documents.reviewWorkflowId, reviewId), eq(t.documents.kind, 'noAdjustmentRecord'))))[0],
      { what: 'the constancia de negativa' },
    );
    const streams = inflatedStreams(Buffer.from(constancia.content, 'base64'));
    expect(streams).toContain(before!.liaisonEmail!);
    expect(streams).not.toContain(newLiaison.liaisonEmail);
    const recordMail = await eventually(
      async () => (await db.select().from(t.outbox).where(sql`${t.outbox.idempotencyKey} = ${`${reviewId}:noAdjustment`}`))[0],
      { what: 'the constancia e-mail' },
    );
    expect(recordMail.to).toEqual([newLiaison.liaisonEmail]);
  });
});
