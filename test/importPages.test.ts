import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { eq, sql } from 'drizzle-orm';
import { createApiToken, createAuth, createUser } from '../auth';
import { authPages } from '../server/views/errorPages';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { importIndicativePlan, importProgressReport, type ImportProgress } from '../imports';
import { createApp } from '../server/app';
import { createAppServices } from '../services/appServices';
import { createHarness, createTestApp, eventually, testAppSecret, testDatabases, type Harness, type TestApp } from './support/harness';
import { captureCsv, captureXlsx, goal, planXlsx } from './support/importFiles';

const PASSWORD = 'una clave de pruebas suficientemente larga';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const planGoals = [
  goal('M-001', 'SEDU', [10, 20, 30, 40]),
  goal('M-002', 'SSAL', [1, 1, 1, 1]),
  goal('M-003', 'SINF', [5, 0, 5, 0], { accumulation: 'Flujo', termTarget: 5 }),
];

/** Rows of the tables an import writes: a preview must leave them as they were. */
async function tableCounts(db: Database) {
  const result = await db.execute(sql`select
    (select count(*)::int from goals) as goals,
    (select count(*)::int from goal_revisions) as revisions,
    (select count(*)::int from goal_programming) as programming,
    (select count(*)::int from goal_progress) as progress,
    (select count(*)::int from departments) as departments,
    (select count(*)::int from plans) as plans,
    (select count(*)::int from plan_imports) as imports`);
  return (result as unknown as { rows: Record<'goals' | 'revisions' | 'programming' | 'progress' | 'departments' | 'plans' | 'imports', number>[] }).rows[0]!;
}

/** A browser session: the login form's token, then the session's CSRF token for the forms. */
async function signIn(app: Express, db: Database, role: 'operator' | 'viewer' | 'liaison') {
  const email = `${role}-${randomUUID().slice(0, 8)}@pruebas.gov.co`;
  await createUser(db, { email, name: `Persona ${role}`, role, departmentCode: role === 'liaison' ? 'SEDU' : undefined, password: PASSWORD });
  const browser = request.agent(app);
  const form = await browser.get('/login').set('Accept', 'text/html').expect(200);
  const formToken = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1];
  const login = await browser.post('/login').set('Accept', 'application/json').send({ email, password: PASSWORD, _csrf: formToken }).expect(200);
  return { browser, csrf: String(login.body.csrfToken) };
}

const html = (text: string) => text.replace(/\s+/g, ' ');

describe.each(testDatabases)('the Imports page: upload, preview, confirm, follow the progress (%s)', (database) => {
  let h: Harness;
  let app: Express;
  let as: TestApp['as'];
  let db: Database;
  let operator: Awaited<ReturnType<typeof signIn>>;

  beforeAll(async () => {
    h = await createHarness({ database, seed: async () => undefined });
    ({ app, as } = await createTestApp(h));
    db = h.database.db;
    operator = await signIn(app, db, 'operator');
  });
  afterAll(async () => {
    await h?.close();
  });

  const waitForEnd = (id: number) =>
    eventually(
      async () => {
        const { body } = await operator.browser.get(`/api/imports/uploads/${id}`).expect(200);
        return body.status === 'committed' || body.status === 'failed' ? body : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 50, what: `upload ${id} to finish` },
    );

  it('previews a Plan Indicativo without writing anything, imports it on confirmation and refuses a second confirmation', async () => {
    const before = await tableCounts(db);
    const uploaded = await operator.browser
      .post('/importaciones')
      .field('_csrf', operator.csrf)
      .field('kind', 'indicativePlan')
      .attach(
        'archivo',
        await planXlsx(planGoals, { edit: (m) => m.forEach((row, i) => row.push(i === 0 ? 'Observaciones' : 'Revisar acta')) }),
        { filename: 'Plan Indicativo – Año 1.xlsx', contentType: XLSX },
      )
      .expect(303);
    const location = String(uploaded.headers.location);
    expect(location).toMatch(/^\/importaciones\/\d+$/);
    const id = Number(location.split('/').pop());

    // The preview: the summary in tables, nothing imported yet.
    const preview = html((await operator.browser.get(location).set('Accept', 'text/html').expect(200)).text);
    expect(preview).toContain('Plan Indicativo: Plan Indicativo – Año 1.xlsx');
    expect(preview).toContain('Todavía no se ha importado nada');
    expect(preview).toMatch(/<th scope="row">Metas nuevas<\/th><td class="num">3<\/td>/);
    expect(preview).toMatch(/<th scope="row">Dependencias nuevas<\/th><td class="num">3<\/td>/);
    expect(preview).toContain('Confirmar importación');
    expect(preview).toContain(`action="/importaciones/${id}/descartar"`);
    // How the file was read, and the column that will not be imported: never dropped without a word.
    expect(preview).toContain('Archivo leído: hoja &quot;Plan Indicativo&quot;, encabezados en la fila 1.');
    expect(preview).toContain('<strong>Una columna del archivo no se importará</strong>: no corresponde a ningún campo. Si debe importarse, asígnela a un campo');
    expect(preview).toContain('<li>Columna U (&quot;Observaciones&quot;): no se importará</li>');
    expect(await tableCounts(db)).toEqual(before);

    const view = (await operator.browser.get(`/api/imports/uploads/${id}`).expect(200)).body;
    expect(view).toMatchObject({ id, kind: 'indicativePlan', status: 'pending', phase: 'pending', uploadedByName: 'Persona operator', total: 3 });
    expect(view.preview.summary.goalsAdded).toEqual(['M-001', 'M-002', 'M-003']);
    expect(view.preview.summary.unimportedColumns).toEqual([{ column: 'U', header: 'Observaciones' }]);
    expect(view).not.toHaveProperty('content');

    // Confirmed: the import runs in the background and its progress ends done.
    const confirmed = await operator.browser.post(`/importaciones/${id}/confirmar`).type('form').send({ _csrf: operator.csrf });
    expect(confirmed.status).toBe(202);
    expect(confirmed.text).toMatch(new RegExp(`data-status-url="/importaciones/${id}/progreso/[A-Za-z0-9_-]{20,}"`));
    const finished = await waitForEnd(id);
    expect(finished).toMatchObject({ status: 'committed', phase: 'done', decidedByName: 'Persona operator' });
    expect(finished.total).toBeGreaterThan(0);
    expect(finished.done).toBe(finished.total);
    // What was previewed is what was imported.
    const { importId, ...imported } = finished.result.summary;
    expect(importId).toEqual(expect.any(Number));
    expect({ ...view.preview.summary, importId: undefined }).toEqual({ ...imported, importId: undefined });
    const after = await tableCounts(db);
    expect(after).toMatchObject({ goals: 3, departments: 3, plans: 1, imports: before.imports + 1, programming: 12 });
    const page = html((await operator.browser.get(location).set('Accept', 'text/html').expect(200)).text);
    expect(page).toContain('El archivo se importó');
    expect(page).not.toContain('Confirmar importación');

    // The same upload cannot be imported twice, from the page or the API.
    const again = await operator.browser.post(`/importaciones/${id}/confirmar`).type('form').send({ _csrf: operator.csrf }).expect(409);
    expect(again.text).toContain('ya fue importada');
    const api = await (await as('operator')).post(`/api/imports/uploads/${id}/commit`).expect(409);
    expect(api.body.error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/ya fue importada; un archivo se importa una sola vez/) });
    expect(await tableCounts(db)).toEqual(after);

    // The history lists it.
    const list = html((await operator.browser.get('/importaciones').set('Accept', 'text/html').expect(200)).text);
    expect(list).toContain(`<a href="/importaciones/${id}">Plan Indicativo – Año 1.xlsx</a>`);
    expect(list).toContain('enctype="multipart/form-data"');
  });

  it('shows the row errors of an invalid file, refuses to import it and lets it be discarded', async () => {
    const api = await as('operator');
    const broken = captureCsv([
      { code: 'M-001', year: 2026, quarter: 'T5', executed: 3 },
      { code: 'NO-EXISTE', year: 2026, quarter: 1, executed: 2 },
    ]);
    const before = await tableCounts(db);
    const created = await api.post('/api/imports/uploads?kind=progressReport&fileName=captura-rota.csv').set('content-type', 'text/csv').send(broken).expect(201);
    expect(created.body).toMatchObject({ status: 'pending', preview: { ok: false } });
    expect(created.body.preview.errors).toEqual(
      expect.arrayContaining([
        { row: 2, column: 'Trimestre', message: expect.stringMatching(/1, 2, 3 o 4/) },
        { row: 3, column: 'Código meta', message: expect.stringMatching(/NO-EXISTE/) },
      ]),
    );
    const id = created.body.id as number;

    expect(created.body.preview.reading).toMatchObject({ separator: ',', encoding: 'UTF-8', headerRow: 1 });
    const page = html((await operator.browser.get(`/importaciones/${id}`).set('Accept', 'text/html').expect(200)).text);
    expect(page).toContain('Archivo leído: separador &#39;,&#39;, codificación UTF-8, encabezados en la fila 1.');
    expect(page).toContain('<th scope="col">Fila</th><th scope="col">Columna</th><th scope="col">Mensaje</th>');
    expect(page).toMatch(/<tr><td>2<\/td><td>Trimestre<\/td><td>[^<]*1, 2, 3 o 4/);
    expect(page).toMatch(/<tr><td>3<\/td><td>Código meta<\/td><td>la meta &quot;NO-EXISTE&quot;/);
    expect(page).not.toContain('Confirmar importación');
    expect(page).toContain('Descartar');

    const refused = await api.post(`/api/imports/uploads/${id}/commit`).expect(400);
    expect(refused.body.error.message).toMatch(/El archivo tiene 2 errores; no se importó nada/);
    await operator.browser.post(`/importaciones/${id}/confirmar`).type('form').send({ _csrf: operator.csrf }).expect(400);
    expect(await tableCounts(db)).toEqual(before);

    await operator.browser.post(`/importaciones/${id}/descartar`).type('form').send({ _csrf: operator.csrf }).expect(303);
    expect((await api.get(`/api/imports/uploads/${id}`).expect(200)).body).toMatchObject({ status: 'discarded', phase: 'discarded' });
    const twice = await api.post(`/api/imports/uploads/${id}/discard`).expect(409);
    expect(twice.body.error.message).toMatch(/solo se descarta una carga pendiente o fallida/);
    await api.post(`/api/imports/uploads/${id}/commit`).expect(409);

    // Whole-file problems are refused before anything is stored, with the form shown again.
    const wrongType = await operator.browser
      .post('/importaciones')
      .field('_csrf', operator.csrf)
      .field('kind', 'progressReport')
      .attach('archivo', Buffer.from('%PDF-1.4'), { filename: 'captura.pdf', contentType: 'application/pdf' })
      .expect(400);
    expect(wrongType.text).toMatch(/debe ser .xlsx o .csv/);
    expect(wrongType.text).toMatch(/value="progressReport" checked/);
    for (const [megabytes, status, message] of [
      [10.5, 413, /El archivo pesa 10,5 MB; el máximo es 10 MB/],
      [12, 413, /El archivo pesa más de 10 MB, el máximo/],
    ] as const) {
      const tooBig = await operator.browser
        .post('/importaciones')
        .field('_csrf', operator.csrf)
        .field('kind', 'indicativePlan')
        .attach('archivo', Buffer.alloc(megabytes * 1024 * 1024, 'a'), { filename: 'enorme.csv', contentType: 'text/csv' })
        .expect(status);
      expect(tooBig.text).toMatch(message);
    }
    expect(await tableCounts(db)).toEqual(before);
  });

  it('imports a Hoja de Captura through the API and reports its progress until done', async () => {
    const api = await as('operator');
    const capture = await captureXlsx(
      ['M-001', 'M-002', 'M-003'].flatMap((code) => [1, 2].map((quarter) => ({ code, year: 2026, quarter, executed: quarter, programmed: quarter }))),
    );
    const created = await api.post('/api/imports/uploads?kind=progressReport&fileName=captura.xlsx').set('content-type', 'application/octet-stream').send(capture).expect(201);
    expect(created.body.preview).toMatchObject({ ok: true, rows: 6, summary: { progressVersionsCreated: 6, programmingVersionsCreated: 3 } });

    // Another upload waits for confirmation meanwhile: its preview will be out of date.
    const waiting = await api
      .post('/api/imports/uploads?kind=progressReport&fileName=otra.xlsx')
      .set('content-type', 'application/octet-stream')
      .send(await captureXlsx([{ code: 'M-003', year: 2026, quarter: 1, executed: 4 }]))
      .expect(201);
    expect(waiting.body.outdated).toBe(false);

    const committing = await api.post(`/api/imports/uploads/${created.body.id}/commit`).expect(202);
    expect(['committing', 'committed']).toContain(committing.body.status);
    const seen = new Set<string>();
    const done = await eventually(
      async () => {
        const { body } = await api.get(`/api/imports/uploads/${created.body.id}?fields=progress`).expect(200);
        seen.add(body.phase);
        return body.status === 'committing' ? undefined : body;
      },
      { timeoutMs: 30_000, intervalMs: 20, what: 'the Hoja de Captura import' },
    );
    expect(done).toEqual({ id: created.body.id, status: 'committed', phase: 'done', label: 'Importación terminada', done: 6, total: 6 });
    expect((await api.get(`/api/imports/uploads/${created.body.id}`).expect(200)).body.result.summary.progressVersionsCreated).toBe(6);
    expect([...seen].every((phase) => ['waiting', 'reading', 'validating', 'saving', 'done'].includes(phase))).toBe(true);
    expect((await tableCounts(db)).progress).toBe(6);
    expect((await api.get(`/api/imports/uploads/${waiting.body.id}`).expect(200)).body.outdated).toBe(true);
    const outdated = html((await operator.browser.get(`/importaciones/${waiting.body.id}`).set('Accept', 'text/html').expect(200)).text);
    expect(outdated).toContain('Después de esta vista previa se importó otro archivo');

    // The stateless preview (metas … --dry-run) stores nothing, not even an upload.
    const uploadsBefore = (await api.get('/api/imports/uploads').expect(200)).body.total;
    const changed = await captureXlsx([{ code: 'M-001', year: 2026, quarter: 1, executed: 9 }]);
    const dryRun = await api.post('/api/imports/preview?kind=progressReport&fileName=correccion.xlsx').set('content-type', 'application/octet-stream').send(changed).expect(200);
    expect(dryRun.body).toMatchObject({ dryRun: true, importId: null, progressVersionsCreated: 1, corrections: [{ goalCode: 'M-001', before: 1, after: 9 }] });
    expect((await api.get('/api/imports/uploads').expect(200)).body.total).toBe(uploadsBefore);
    expect((await tableCounts(db)).progress).toBe(6);
  });

  it('reports the phases of an import through its progress callback, dry run or not', async () => {
    const content = await captureXlsx([{ code: 'M-002', year: 2026, quarter: 3, executed: 1 }]);
    const request = { fileName: 'fases.xlsx', content, importedBy: 'user:pruebas' };
    const phases = async (dryRun: boolean) => {
      const seen: ImportProgress[] = [];
      await importProgressReport(db, request, { dryRun, onProgress: (p) => seen.push(p) });
      return seen;
    };
    const before = await tableCounts(db);
    const previewed = await phases(true);
    expect(await tableCounts(db)).toEqual(before);
    const imported = await phases(false);
    for (const seen of [previewed, imported]) {
      expect([...new Set(seen.map((p) => p.phase))]).toEqual(['reading', 'validating', 'saving']);
      expect(seen.at(-1)).toEqual({ phase: 'saving', done: 2, total: 2 });
      expect(seen.find((p) => p.phase === 'validating' && p.done === 1)).toEqual({ phase: 'validating', done: 1, total: 1 });
    }
    expect((await tableCounts(db)).progress).toBe(before.progress + 1);
    // A plan with errors throws on a dry run exactly as on a real import (an unknown department is a proposal, not an error).
    await expect(importIndicativePlan(db, { ...request, content: await planXlsx([goal('X-1', 'SEDU', [1, 1, 1, 1], { accumulation: 'Promedio' })]) }, { dryRun: true })).rejects.toThrow(
      /no se importó nada/,
    );
  });

  it('refuses the page and the API to liaisons, viewers, anonymous visitors and forms without their CSRF token', async () => {
    for (const role of ['liaison', 'viewer'] as const) {
      const person = await signIn(app, db, role);
      const page = await person.browser.get('/importaciones').set('Accept', 'text/html').expect(403);
      expect(page.text).toContain('Acceso denegado');
      await person.browser
        .post('/importaciones')
        .field('_csrf', person.csrf)
        .field('kind', 'indicativePlan')
        .attach('archivo', Buffer.from('a,b\n'), { filename: 'plan.csv', contentType: 'text/csv' })
        .expect(403);
      const token = await as(role, role === 'liaison' ? 'SEDU' : undefined);
      const api = await token.post('/api/imports/uploads?kind=indicativePlan&fileName=plan.csv').send(Buffer.from('a,b\n')).expect(403);
      expect(api.body.error.message).toMatch(/no permite realizar esta acción/);
      await token.get('/api/imports/uploads/1').expect(403);
      await token.post('/api/imports/preview?kind=indicativePlan&fileName=plan.csv').send(Buffer.from('a,b\n')).expect(403);
    }
    const anonymous = await request(app).get('/importaciones').set('Accept', 'text/html').expect(303);
    expect(anonymous.headers.location).toBe('/login?next=%2Fimportaciones');
    await request(app).get('/api/imports/uploads').expect(401);

    const uploadsBefore = (await db.select({ id: t.importUploads.id }).from(t.importUploads)).length;
    const forged = await operator.browser
      .post('/importaciones')
      .field('kind', 'indicativePlan')
      .attach('archivo', await planXlsx(planGoals), { filename: 'plan.xlsx', contentType: XLSX })
      .set('Accept', 'text/html')
      .expect(403);
    expect(forged.text).toContain('El formulario expiró o no es válido');
    await operator.browser.post('/importaciones/1/descartar').type('form').send({}).expect(403);
    expect((await db.select({ id: t.importUploads.id }).from(t.importUploads)).length).toBe(uploadsBefore);
  });

  it('settles an import that a stopped server left running: committed when it was, failed (and retryable) when it was not', async () => {
    const user = await createUser(db, { email: `operador-${randomUUID().slice(0, 8)}@pruebas.gov.co`, name: 'Operación', role: 'operator', password: PASSWORD });
    const bearer = `Bearer ${(await createApiToken(db, { userId: user.id, name: 'pruebas' })).token}`;
    const api = request.agent(app).set('Authorization', bearer);
    // An upload whose import never ran, left "committing".
    const plan = await planXlsx([...planGoals, goal('M-004', 'SEDU', [2, 2, 2, 2])]);
    const interrupted = (await api.post('/api/imports/uploads?kind=indicativePlan&fileName=plan-v2.xlsx').set('content-type', 'application/octet-stream').send(plan).expect(201)).body;
    await db.update(t.importUploads).set({ status: 'committing', decidedBy: `user:${user.id}`, updatedAt: sql`now()` }).where(eq(t.importUploads.id, interrupted.id));
    // An upload whose import committed but whose new status was never written.
    const [first] = await db.select({ id: t.importUploads.id }).from(t.importUploads).where(eq(t.importUploads.status, 'committed')).orderBy(t.importUploads.id).limit(1);
    await db.update(t.importUploads).set({ status: 'committing', result: null, updatedAt: sql`now() - interval '1 hour'` }).where(eq(t.importUploads.id, first!.id));

    // The server starts again on the same database.
    const restarted = createApp({ cycles: h.cycles, services: createAppServices(db), auth: createAuth({ db, pages: authPages, secret: testAppSecret, secureCookies: false }), log: () => undefined });
    const again = request.agent(restarted).set('Authorization', bearer);
    const statusOf = async (id: number) => (await again.get(`/api/imports/uploads/${id}`).expect(200)).body;
    const failed = await eventually(async () => ((await statusOf(interrupted.id)).status === 'failed' ? statusOf(interrupted.id) : undefined), {
      timeoutMs: 10_000,
      intervalMs: 20,
      what: 'the interrupted upload to be marked failed',
    });
    expect(failed.result).toEqual({ ok: false, message: expect.stringMatching(/se interrumpió porque el servidor se detuvo; no se importó nada/), errors: [] });
    expect(await statusOf(first!.id)).toMatchObject({ status: 'committed', phase: 'done', result: { ok: true, summary: { goalsAdded: ['M-001', 'M-002', 'M-003'] } } });
    const page = html((await operator.browser.get(`/importaciones/${interrupted.id}`).set('Accept', 'text/html').expect(200)).text);
    expect(page).toContain('Reintentar la importación');

    // The failed one is confirmed again, on the restarted server.
    await again.post(`/api/imports/uploads/${interrupted.id}/commit`).expect(202);
    const retried = await eventually(async () => {
      const body = await statusOf(interrupted.id);
      return body.status === 'committing' ? undefined : body;
    }, { timeoutMs: 30_000, intervalMs: 20, what: 'the retried import' });
    expect(retried).toMatchObject({ status: 'committed', result: { ok: true, summary: { goalsAdded: ['M-004'] } } });
  });

  it('shows the progress of a long import live, answered from memory while the import holds the database', async () => {
    const many = Array.from({ length: 3000 }, (_, i) => goal(`L-${String(i + 1).padStart(4, '0')}`, ['SEDU', 'SSAL', 'SINF'][i % 3] as string, [4, 4, 4, 4]));
    const upload = await operator.browser
      .post('/importaciones')
      .field('_csrf', operator.csrf)
      .field('kind', 'indicativePlan')
      .attach('archivo', await planXlsx(many), { filename: 'plan-grande.xlsx', contentType: XLSX })
      .expect(303);
    const id = Number(String(upload.headers.location).split('/').pop());
    const confirmed = await operator.browser.post(`/importaciones/${id}/confirmar`).type('form').send({ _csrf: operator.csrf }).expect(202);
    expect(confirmed.text).toContain('/assets/imports.js');
    const statusUrl = /data-status-url="([^"]+)"/.exec(confirmed.text)?.[1] as string;
    expect(statusUrl).toMatch(/^\/importaciones\/\d+\/progreso\//);

    // Polled without a session, like the page's script: phases with counts while it runs, then finished.
    const seen: { phase: string; done: number; total: number }[] = [];
    await eventually(
      async () => {
        const { body } = await request(app).get(statusUrl).expect(200);
        if (body.status === 'committing') seen.push(body);
        return body.status === 'finished' ? body : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 20, what: 'the long import' },
    );
    const counted = seen.filter((p) => p.phase === 'saving' && p.total > 0);
    expect(counted.length).toBeGreaterThan(0);
    expect(counted.every((p) => p.done <= p.total)).toBe(true);
    expect((await waitForEnd(id)).status).toBe('committed');
    expect((await tableCounts(db)).goals).toBeGreaterThanOrEqual(3000);
    // A made-up ticket reveals nothing.
    await request(app).get(`/importaciones/${id}/progreso/inventado-${'x'.repeat(20)}`).expect(404);
  });
});
