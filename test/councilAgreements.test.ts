import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { and, eq } from 'drizzle-orm';
import type { Express } from 'express';
import request from 'supertest';
import { createApiToken, createUser } from '../auth';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { answerAll } from './support/answers';
import { createHarness, createTestApp, reviewIn, reviewLinkOf, type Harness, type TestApp } from './support/harness';

const run = promisify(execFile);
const tsx = path.join(__dirname, '..', 'node_modules', '.bin', 'tsx');
const cli = path.join(__dirname, '..', 'scripts', 'metas.ts');
const PASSWORD = 'una clave de pruebas suficientemente larga';
const pdf = (text: string) => Buffer.from(`%PDF-1.7\n% ${text}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`);
const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const flat = (text: string) => text.replace(/\s+/g, ' ');

async function signIn(app: Express, db: Database, role: 'operator' | 'liaison', departmentCode?: string) {
  const email = `${role}-${randomUUID().slice(0, 8)}@pruebas.gov.co`;
  await createUser(db, { email, name: `Persona ${role}`, role, departmentCode, password: PASSWORD });
  const browser = request.agent(app);
  const form = await browser.get('/login').set('Accept', 'text/html').expect(200);
  const formToken = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1];
  const login = await browser.post('/login').set('Accept', 'application/json').send({ email, password: PASSWORD, _csrf: formToken }).expect(200);
  return { browser, csrf: String(login.body.csrfToken) };
}

describe('Acuerdos del Concejo: API, page and CLI', () => {
  let h: Harness;
  let web: TestApp;
  let server: Server;
  beforeAll(async () => {
    h = await createHarness({ planYears: (year) => [year, year + 1] });
    web = await createTestApp(h);
    server = web.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await h.close();
  });

  const register = (agent: Awaited<ReturnType<TestApp['as']>>, fields: Record<string, string>, file: Buffer | null = pdf('acuerdo'), fileName = 'acuerdo.pdf') => {
    let req = agent.post('/api/concejo-agreements');
    for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
    return file ? req.attach('pdf', file, { filename: fileName, contentType: 'application/pdf' }) : req;
  };

  it('an operator registers an acuerdo with its PDF through the API: a new version of the meta cuatrienio, nothing overwritten', async () => {
    const { db } = h.database;
    const [goal] = await db.select().from(t.goals).where(eq(t.goals.code, '1905002-01'));
    const operator = await web.as('operator');
    const file = pdf('Acuerdo 012 de 2026');
    const first = await register(operator, { number: '012', date: '2026-03-15', goalCode: '1905002-01', termTarget: '19.000' }, file, 'acuerdo 012.pdf').expect(201);
    expect(first.body).toMatchObject({
      number: '012',
      date: '2026-03-15',
      goalCode: '1905002-01',
      termTarget: 19000,
      previousTermTarget: goal?.termTarget,
      version: 1,
      fileName: 'acuerdo 012.pdf',
      label: 'Acuerdo 012 del 15 de marzo de 2026',
    });
    const second = await register(operator, { number: '020', date: '2026-06-01', goalCode: '1905002-01', termTarget: '3,5' }).expect(201);
    expect(second.body).toMatchObject({ termTarget: 3.5, previousTermTarget: 19000, version: 2 });

    const versions = await db.select().from(t.goalTermTargets).where(eq(t.goalTermTargets.goalCode, '1905002-01')).orderBy(t.goalTermTargets.version);
    expect(versions.map((v) => [v.version, v.previousTermTarget, v.termTarget, v.councilAgreementId])).toEqual([
      [1, goal?.termTarget, 19000, first.body.id],
      [2, 19000, 3.5, second.body.id],
    ]);
    // The plan's own meta cuatrienio stays as imported; the official one is the latest version.
    const [after] = await db.select().from(t.goals).where(eq(t.goals.code, '1905002-01'));
    expect(after?.termTarget).toBe(goal?.termTarget);
    expect((await operator.get('/api/goals/1905002-01/term-target').expect(200)).body).toMatchObject({ planTermTarget: goal?.termTarget, officialTermTarget: 3.5 });
    const goalPage = await operator.get('/metas/1905002-01').set('Accept', 'text/html').expect(200);
    expect(flat(goalPage.text)).toContain(`Versión 2: de 19.000 a 3,5 por el <a href="/concejo/${second.body.id}/pdf">Acuerdo 020 del 1 de junio de 2026</a>`);
    expect(flat(goalPage.text)).toContain(`Plan Indicativo: ${goal?.termTarget}`);

    // The PDF is kept as a document and served back byte for byte.
    const [document] = await db.select().from(t.documents).where(eq(t.documents.id, first.body.documentId));
    expect(document).toMatchObject({ kind: 'councilAgreement', contentType: 'application/pdf', reviewWorkflowId: null });
    const downloaded = await operator.get(`/api/concejo-agreements/${first.body.id}/pdf`).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(Buffer.compare(downloaded.body as Buffer, file)).toBe(0);
    const [audit] = await db.select().from(t.auditLog).where(and(eq(t.auditLog.action, 'councilAgreement.registered'), eq(t.auditLog.subject, 'goal:1905002-01')));
    expect(audit?.details).toMatchObject({ number: '012', termTarget: 19000, version: 1 });

    const duplicate = await register(operator, { number: '012', date: '2026-03-15', goalCode: '1905002-01', termTarget: '10' }).expect(409);
    expect(duplicate.body.error.message).toBe('El Acuerdo 012 del 15 de marzo de 2026 ya está registrado');
  });

  it('refuses a file that is not a PDF, missing or wrong fields, and an oversized PDF, by field', async () => {
    const operator = await web.as('operator');
    const fields = { number: '030', date: '2026-04-01', goalCode: '2402002-01', termTarget: '70' };
    const notPdf = await register(operator, fields, png, 'escudo.pdf').expect(400);
    expect(notPdf.body.error).toMatchObject({ code: 'invalid_input', details: [expect.stringContaining('PDF del acuerdo: el archivo no es un PDF')] });
    const noFile = await register(operator, fields, null).expect(400);
    expect(noFile.body.error.details).toEqual(['PDF del acuerdo: adjunte el archivo PDF firmado']);
    const wrong = await register(operator, { number: '', date: '15/04/2026', goalCode: '2402002-01', termTarget: '1.234.5' }).expect(400);
    expect(wrong.body.error.details).toEqual([
      'número del acuerdo: es obligatorio',
      'fecha del acuerdo: use el formato AAAA-MM-DD, p. ej. 2026-03-15',
      'nueva meta cuatrienio: escriba un número entre 0 y 1.000.000.000.000, como 19.000 o 3,5',
    ]);
    const unknownGoal = await register(operator, { ...fields, goalCode: 'NO-EXISTE' }).expect(400);
    expect(unknownGoal.body.error.details).toEqual(['meta: no existe la meta NO-EXISTE']);
    const big = Buffer.concat([pdf('grande'), Buffer.alloc(10 * 1024 * 1024)]);
    const tooBig = await register(operator, fields, big).expect(413);
    expect(tooBig.body.error.message).toMatch(/^PDF del acuerdo: el archivo pesa más de 10(,0)? MB, el máximo$/);
    expect(await h.database.db.select().from(t.councilAgreements).where(eq(t.councilAgreements.number, '030'))).toEqual([]);
  });

  it('a liaison cannot register one, and reads only those of its own department', async () => {
    const operator = await web.as('operator');
    const created = await register(operator, { number: '040', date: '2026-05-05', goalCode: '2402003-01', termTarget: '3' }).expect(201);
    const ssal = await web.as('liaison', 'SSAL');
    const sinf = await web.as('liaison', 'SINF');
    const refused = await register(sinf, { number: '041', date: '2026-05-05', goalCode: '2402003-01', termTarget: '4' }).expect(403);
    expect(refused.body.error.code).toBe('forbidden');

    expect((await sinf.get(`/api/concejo-agreements/${created.body.id}`).expect(200)).body).toMatchObject({ goalCode: '2402003-01' });
    const other = await ssal.get(`/api/concejo-agreements/${created.body.id}`).expect(404);
    expect(other.body.error.message).toBe(`No existe el acuerdo del Concejo ${created.body.id}`);
    await ssal.get(`/api/concejo-agreements/${created.body.id}/pdf`).expect(404);
    const listed = (await ssal.get('/api/concejo-agreements').expect(200)).body.agreements as { goalCode: string }[];
    expect(listed.map((a) => a.goalCode)).not.toContain('2402003-01');
    expect(((await (await web.as('viewer')).get('/api/concejo-agreements').expect(200)).body.agreements as { id: number }[]).map((a) => a.id)).toContain(created.body.id);
  });

  it('another municipality (its own installation and database) cannot read it', async () => {
    const operator = await web.as('operator');
    const created = await register(operator, { number: '050', date: '2026-05-06', goalCode: '2402001-01', termTarget: '35' }).expect(201);
    const other = await createHarness({});
    try {
      const { admin } = await createTestApp(other);
      await admin.get(`/api/concejo-agreements/${created.body.id}`).expect(404);
      expect((await admin.get('/api/concejo-agreements').expect(200)).body.agreements).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('the page lists the acuerdos and lets an operator register one with its PDF; a wrong file is refused on the page', async () => {
    const { db } = h.database;
    const operator = await signIn(web.app, db, 'operator');
    const page = await operator.browser.get('/concejo').expect(200);
    expect(page.text).toContain('<h1>Acuerdos del Concejo</h1>');
    expect(page.text).toContain('enctype="multipart/form-data"');

    const wrong = await operator.browser
      .post('/concejo')
      .field('_csrf', operator.csrf)
      .field('number', '060')
      .field('date', '2026-07-01')
      .field('goalCode', '4003001-01')
      .field('termTarget', '14')
      .attach('pdf', png, { filename: 'acuerdo.pdf', contentType: 'application/pdf' })
      .expect(400);
    expect(flat(wrong.text)).toContain('PDF del acuerdo: el archivo no es un PDF');
    expect(wrong.text).toContain('value="060"');

    const done = await operator.browser
      .post('/concejo')
      .field('_csrf', operator.csrf)
      .field('number', '060')
      .field('date', '2026-07-01')
      .field('goalCode', '4003001-01')
      .field('termTarget', '14,5')
      .attach('pdf', pdf('Acuerdo 060'), { filename: 'acuerdo-060.pdf', contentType: 'application/pdf' })
      .expect(303);
    const shown = await operator.browser.get(String(done.headers.location)).expect(200);
    expect(flat(shown.text)).toContain('Se registró el Acuerdo 060 del 1 de julio de 2026: la meta cuatrienio de 4003001-01 es ahora 14,5 (versión 1).');
    const [version] = await db.select().from(t.goalTermTargets).where(eq(t.goalTermTargets.goalCode, '4003001-01'));
    expect(version).toMatchObject({ termTarget: 14.5, version: 1 });

    // Without the form's CSRF token nothing is registered.
    await operator.browser.post('/concejo').field('number', '061').field('date', '2026-07-01').field('goalCode', '4003001-01').field('termTarget', '15').attach('pdf', pdf('x'), 'a.pdf').expect(403);
    const liaison = await signIn(web.app, db, 'liaison', 'SINF');
    const refused = await liaison.browser
      .post('/concejo')
      .field('_csrf', liaison.csrf)
      .field('number', '062')
      .field('date', '2026-07-01')
      .field('goalCode', '4003001-01')
      .field('termTarget', '15')
      .attach('pdf', pdf('x'), 'a.pdf')
      .set('Accept', 'text/html');
    expect(refused.status).toBe(403);
    expect(await db.select().from(t.councilAgreements).where(eq(t.councilAgreements.number, '062'))).toEqual([]);
  });

  it('the CLI registers an acuerdo (es-CO number) and refuses a file that is not a PDF', async () => {
    const { db } = h.database;
    const user = await createUser(db, { email: `cli-${randomUUID().slice(0, 8)}@pruebas.gov.co`, name: 'Operadora CLI', role: 'operator', password: PASSWORD });
    const { token } = await createApiToken(db, { userId: user.id, name: 'cli' });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metas-concejo-'));
    const env = { ...process.env, METAS_API_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, METAS_API_TOKEN: token, XDG_CONFIG_HOME: dir };
    const metas = async (...args: string[]) => (await run(tsx, [cli, ...args], { env, timeout: 60_000 })).stdout;
    const file = path.join(dir, 'acuerdo-070.pdf');
    fs.writeFileSync(file, pdf('Acuerdo 070'));
    const created = JSON.parse(await metas('concejo', 'register', '--number', '070', '--date', '2026-08-10', '--pdf', file, '--goal', '4003003-01', '--term-target', '2.345,5', '--json'));
    expect(created).toMatchObject({ number: '070', goalCode: '4003003-01', termTarget: 2345.5, version: 1, fileName: 'acuerdo-070.pdf' });
    const words = await metas('concejo', 'list');
    expect(words).toContain('Acuerdo 070 del 10 de agosto de 2026');

    const fake = path.join(dir, 'foto.pdf');
    fs.writeFileSync(fake, png);
    const refused = await metas('concejo', 'register', '--number', '071', '--date', '2026-08-10', '--pdf', fake, '--goal', '4003003-01', '--term-target', '10').catch(
      (e: { stderr: string }) => e.stderr,
    );
    expect(refused).toContain('PDF del acuerdo: el archivo no es un PDF');
  });
});

describe('a reprogramming that changes the meta cuatrienio names a registered acuerdo', () => {
  let h: Harness;
  afterAll(async () => {
    await h?.close();
  });

  it('refuses free text and acuerdos of other goals, offers the registered ones in the form, and records the one applied', async () => {
    h = await createHarness({ planYears: (year) => [year, year + 1] });
    const { app, as } = await createTestApp(h);
    const { db } = h.database;
    const { workflowId } = await h.cycles.startCycle({ fiscalYear: h.fiscalYear, quarter: 2, window: '5m' });
    const reviewId = `${workflowId}-SSAL`;
    const view = await reviewIn(h, reviewId, 'awaitingResponse');
    const operator = await as('operator');
    const registerFor = (goalCode: string, number: string, termTarget: string) =>
      operator
        .post('/api/concejo-agreements')
        .field('number', number)
        .field('date', '2026-09-01')
        .field('goalCode', goalCode)
        .field('termTarget', termTarget)
        .attach('pdf', pdf(number), { filename: `${number}.pdf`, contentType: 'application/pdf' })
        .expect(201);
    const liaison = await as('liaison', 'SSAL');
    const lowered = answerAll(view, ['1905002-01'], [0, 0, 1, 1]);
    const naming = (id: number) => ({ ...lowered, answers: lowered.answers.map((a) => (a.action === 'reprogram' ? { ...a, councilAgreementId: id } : a)) });

    // An acuerdo authorises the meta cuatrienio it fixes (7), not the 6 this programming gives.
    const fixesSeven = (await registerFor('1905002-01', '079', '7')).body as { id: number; label: string };
    const mismatch = await liaison.post(`/api/reviews/${reviewId}/response`).send(naming(fixesSeven.id)).expect(400);
    expect(mismatch.body.error.details).toEqual([
      'Meta 1905002-01: el Acuerdo del Concejo fija la meta cuatrienio en 7, pero la programación propuesta da 6. Ajuste la programación a lo que fija el acuerdo.',
    ]);
    const forGoal = (await registerFor('1905002-01', '080', '6')).body as { id: number; label: string };
    const forOther = (await registerFor('1905004-01', '081', '2000')).body as { id: number };
    // A later acuerdo replaced it: only the one in force counts, and only it is offered.
    const superseded = await liaison.post(`/api/reviews/${reviewId}/response`).send(naming(fixesSeven.id)).expect(400);
    expect(superseded.body.error.details).toEqual([
      `Meta 1905002-01, acuerdo del Concejo: el ${fixesSeven.label} ya no es el vigente para esta meta (otro acuerdo registrado después fijó su meta cuatrienio); elija el vigente`,
    ]);

    // The form offers the acuerdo in force for each goal in a select, never a free-text box.
    const form = await request(app).get(reviewLinkOf(reviewId, 'SSAL')).expect(200);
    expect(form.text).toContain('<select id="council__1905002-01" name="council__1905002-01"');
    expect(flat(form.text)).toContain(`<option value="${forGoal.id}">Acuerdo 080 del 1 de septiembre de 2026: meta cuatrienio 6</option>`);
    expect(form.text).not.toContain('Acuerdo 079');

    const withText = { ...lowered, answers: lowered.answers.map((a) => (a.action === 'reprogram' ? { ...a, councilAgreement: 'Acuerdo 012 de 2026' } : a)) };
    const text = await liaison.post(`/api/reviews/${reviewId}/response`).send(withText).expect(400);
    expect(text.body.error.details).toEqual(['Meta 1905002-01, acuerdo del Concejo: elija un acuerdo registrado por la Oficina de Planeación (ya no se escribe a mano)']);
    const other = await liaison.post(`/api/reviews/${reviewId}/response`).send(naming(forOther.id)).expect(400);
    expect(other.body.error.details).toEqual([`Meta 1905002-01, acuerdo del Concejo: el acuerdo ${forOther.id} no está registrado para esta meta`]);
    const none = await liaison.post(`/api/reviews/${reviewId}/response`).send(lowered).expect(400);
    expect(none.body.error.details.join(' ')).toMatch(/1905002-01: la meta cuatrienio pasaría de 8 a 6 \(meta cuatrienio vigente: 16\)/);

    const progressBefore = await db.select().from(t.goalProgress).where(eq(t.goalProgress.goalCode, '1905002-01'));
    await liaison.post(`/api/reviews/${reviewId}/response`).send(naming(forGoal.id)).expect(200);
    expect((await h.cycles.decide(reviewId, { decision: 'approve', coordinator: 'Coordinadora MMSE' })).outcome).toBe('reprogrammed');
    const [applied] = await db.select().from(t.reprogrammings).where(eq(t.reprogrammings.reviewWorkflowId, reviewId));
    expect(applied).toMatchObject({ goalCode: '1905002-01', councilAgreementId: forGoal.id, councilAgreement: `${forGoal.label} (meta cuatrienio 6)` });
    expect(await db.select().from(t.goalProgress).where(eq(t.goalProgress.goalCode, '1905002-01'))).toEqual(progressBefore);
  });
});
