import request from 'supertest';
import { createUser } from '../auth';
import { eq } from 'drizzle-orm';
import * as t from '../db/schema';
import { responsesWithVerdicts } from '../db/responseVerdicts';
import { createHarness, eventually, createTestApp, reviewLinkOf, type Harness, type TestApp } from './support/harness';

describe('HTTP API and response page', () => {
  let h: Harness;
  let app: TestApp['app'];
  let admin: TestApp['admin'];
  let as: TestApp['as'];
  beforeAll(async () => {
    h = await createHarness();
    ({ app, admin, as } = await createTestApp(h));
  });
  afterAll(async () => {
    await h?.close();
  });

  it('starts a cycle once, and reports its departments and goals', async () => {
    const body = { fiscalYear: h.fiscalYear, quarter: 2, window: '5m' };
    const first = await admin.post('/api/cycles').send(body).expect(201);
    expect(first.body).toEqual({ workflowId: `revision-${h.fiscalYear}-T2`, created: true });
    const second = await admin.post('/api/cycles').send(body).expect(200);
    expect(second.body).toEqual({ workflowId: first.body.workflowId, created: false });

    const status = await eventually(
      async () => {
        const res = await admin.get(`/api/cycles/${first.body.workflowId}`).expect(200);
        return res.body.reviews.length === 3 && res.body.reviews.every((r: { state: string }) => r.state === 'awaitingResponse')
          ? res.body
          : undefined;
      },
      { what: 'three reviews awaiting response' },
    );
    expect(status.cycle.goals).toHaveLength(20);
    const sinf = status.reviews.find((r: { department: { code: string } }) => r.department.code === 'SINF');
    expect(sinf.goals.map((g: { goalCode: string; state: string }) => [g.goalCode, g.state])).toEqual([
      ['2402002-01', 'awaitingResponse'],
      ['2402003-01', 'awaitingResponse'],
    ]);
  });

  it('asks who is calling: anonymous 401, a role that does not fit 403, a liaison only its own department', async () => {
    const anonymous = await request(app).get(`/api/cycles/revision-${h.fiscalYear}-T2`).expect(401);
    expect(anonymous.body.error).toMatchObject({ code: 'unauthenticated', message: 'Debe iniciar sesión para usar esta función.' });
    const viewer = await as('viewer');
    await viewer.get(`/api/cycles/revision-${h.fiscalYear}-T2`).expect(200);
    expect((await viewer.post('/api/cycles').send({ fiscalYear: h.fiscalYear, quarter: 2 }).expect(403)).body.error.code).toBe('forbidden');
    const seduLiaison = await as('liaison', 'SEDU');
    await seduLiaison.get(`/api/reviews/revision-${h.fiscalYear}-T2-SEDU`).expect(200);
    const foreign = await seduLiaison.get(`/api/reviews/revision-${h.fiscalYear}-T2-SINF`).expect(403);
    expect(foreign.body.error.message).toMatch(/solo puede acceder a las revisiones de su propia secretaría/);
    await request(app).get('/api/outbox').set('Authorization', 'Bearer mpdm_inventado').expect(401);
    expect((await (await as('operator')).get('/api/outbox').expect(403)).body.error.code).toBe('forbidden');
    // Pages send anonymous visitors to the login form.
    const home = await request(app).get('/').set('Accept', 'text/html').expect(303);
    expect(home.headers.location).toBe('/login?next=%2F');
  });

  it('answers bad input with the error envelope, naming each field', async () => {
    const bad = await admin.post('/api/cycles').send({ fiscalYear: 'dos mil', quarter: 7 }).expect(400);
    expect(bad.body.error.code).toBe('invalid_input');
    expect(bad.body.error.details.join(' ')).toMatch(/fiscalYear: la vigencia debe ser un año/);
    expect(bad.body.error.details.join(' ')).toMatch(/quarter: el trimestre debe estar entre 1 y 4/);

    const malformed = await admin.post('/api/cycles').set('content-type', 'application/json').send('{"fiscalYear":').expect(400);
    expect(malformed.body.error).toEqual({ code: 'invalid_input', message: 'El cuerpo de la solicitud no es válido (JSON o formulario mal formado)', details: [] });

    const missing = await admin.get(`/api/cycles/revision-${h.fiscalYear}-T4`).expect(404);
    expect(missing.body.error.message).toMatch(/No existe el ciclo/);
    await admin.get('/api/cycles/rm -rf').expect(400);
    expect((await admin.get('/api/nada').expect(404)).body.error.code).toBe('not_found');
  });

  it('takes a response through the form, and the coordinator decision through the API', async () => {
    const reviewId = `revision-${h.fiscalYear}-T2-SINF`;
    const link = reviewLinkOf(reviewId, 'SINF');
    // Only the personal signed link opens the form: not the bare address, not a tampered or foreign link.
    await request(app).get(`/responder/${reviewId}`).expect(404);
    const tampered = await request(app).get(`${link.slice(0, -3)}${link.endsWith('A') ? 'BBB' : 'AAA'}`).expect(400);
    expect(tampered.text).toContain('parece modificado');
    const foreign = await request(app).get(`/responder/${reviewId}/${reviewLinkOf(`revision-${h.fiscalYear}-T2-SEDU`, 'SEDU').split('/').at(-1)}`).expect(403);
    expect(foreign.text).toContain('no corresponde a esta revisión');
    expect((await request(app).get(`/responder/${reviewId}/no-es-un-token`).expect(400)).text).toContain('no es válido');
    const form = await request(app).get(link).expect(200);
    expect(form.text).toContain('Secretaría de Infraestructura');
    expect(form.text).toContain('name="justification__2402003-01"');
    expect(form.text).toContain('<label for="respondentName">');

    const fields = {
      respondentName: 'María Fernanda Guerrero',
      'action__2402002-01': 'reprogram',
      'justification__2402002-01': 'Temporada de lluvias retrasó las obras',
      'commitment__2402002-01': 'Terminar los tramos pendientes en el segundo semestre',
      // T1 has elapsed (this is the T2 review): it keeps its programming (10), whatever is posted.
      'q1__2402002-01': '3',
      'q2__2402002-01': '4',
      'q3__2402002-01': '13',
      'q4__2402002-01': '13',
      'action__2402003-01': 'keep',
      'justification__2402003-01': '',
      'commitment__2402003-01': 'Iniciar la obra en el tercer trimestre',
    };
    // A draft is saved and resumed with the same link.
    const saved = await request(app).post(link).type('form').send({ ...fields, intent: 'draft' }).expect(200);
    expect(saved.text).toContain('Borrador guardado');
    const resumed = await request(app).get(link).expect(200);
    expect(resumed.text).toContain('Se recuperó el borrador');
    expect(resumed.text).toContain('Temporada de lluvias retrasó las obras');
    expect(resumed.text).toMatch(/<option value="reprogram" selected>/);

    // A number that is ambiguous as typed (1.234.5) is refused, never saved as something else.
    const ambiguous = await request(app)
      .post(link)
      .type('form')
      .send({ ...fields, 'justification__2402003-01': 'El contrato de obra se firmó en junio', 'q3__2402002-01': '1.234.5' })
      .expect(400);
    expect(ambiguous.text).toContain('«1.234.5» es ambiguo');
    const rejected = await request(app).post(link).type('form').send(fields).expect(400);
    expect(rejected.text).toContain('Justificación de la meta 2402003-01 (Puentes peatonales construidos): escriba al menos 10 caracteres');
    // What the liaison typed stays in the form after a refusal.
    expect(rejected.text).toContain('Terminar los tramos pendientes en el segundo semestre');
    expect(rejected.text).toContain('role="alert"');

    const accepted = await request(app)
      .post(link)
      .type('form')
      .send({ ...fields, 'justification__2402003-01': 'El contrato de obra se firmó en junio' })
      .expect(200);
    expect(accepted.text).toContain('Respuesta recibida');
    // After answering, the same link shows the answer read-only and refuses a second submission.
    const readOnly = await request(app).get(link).expect(200);
    expect(readOnly.text).toContain('Respuesta registrada');
    expect(readOnly.text).toContain('Temporada de lluvias retrasó las obras');
    expect(readOnly.text).not.toContain('<form');
    expect((await request(app).post(link).type('form').send(fields).expect(409)).text).toContain('ya fue respondida');

    await eventually(async () => (await h.cycles.reviewStatus(reviewId)).state === 'underAgreement', { what: 'underAgreement' });
    const noComment = await admin
      .post(`/api/reviews/${reviewId}/decision`)
      .send({ decision: 'requestChanges', coordinator: 'Coordinadora MMSE' })
      .expect(400);
    expect(noComment.body.error.details.join(' ')).toMatch(/comentario/);
    const decided = await admin
      .post(`/api/reviews/${reviewId}/decision`)
      .send({ decision: 'approve', coordinator: 'Coordinadora MMSE' })
      .expect(200);
    expect(decided.body.outcome).toBe('reprogrammed');
    const again = await admin
      .post(`/api/reviews/${reviewId}/decision`)
      .send({ decision: 'approve', coordinator: 'Coordinadora MMSE' })
      .expect(409);
    expect(again.body.error.code).toBe('conflict');

    const [reprogramming] = await h.database.db.select().from(t.reprogrammings).where(eq(t.reprogrammings.reviewWorkflowId, reviewId));
    expect(reprogramming?.after).toEqual({ annualTarget: 40, quarterlyTargets: [10, 4, 13, 13] });
    // The approver recorded is the account that decided, not a name in the request body.
    expect(reprogramming?.approvedBy).toBe('Cuenta admin');
  });

  it('adds the cumulative matrix of lagging goals in the third quarter', async () => {
    const res = await admin.post('/api/cycles').send({ fiscalYear: h.fiscalYear, quarter: 3, window: '5m' }).expect(201);
    const cycle = await eventually(
      async () => {
        const body = (await admin.get(`/api/cycles/${res.body.workflowId}`).expect(200)).body;
        return body.cycle.phase === 'reviewing' ? body.cycle : undefined;
      },
      { what: 'the Q3 cycle to classify' },
    );
    const rows = cycle.cumulativeLagging as { goalCode: string; byQuarter: { quarter: number; status: string }[] }[];
    const never = rows.find((r) => r.goalCode === '2201004-01');
    expect(never?.byQuarter.map((q) => [q.quarter, q.status])).toEqual([
      [1, 'noReport'],
      [2, 'noReport'],
      [3, 'noReport'],
    ]);
    // The demo has no T3 reports: a goal ahead in T1 and T2 is listed for its quarter without report,
    // with each quarter's own verdict (a missing report is never read as the last value).
    expect(rows.find((r) => r.goalCode === '2201005-01')?.byQuarter.map((q) => q.status)).toEqual(['onTrack', 'overachieved', 'noReport']);
    const [snapshot] = await h.database.db.select().from(t.dashboardSnapshots).where(eq(t.dashboardSnapshots.cycleWorkflowId, res.body.workflowId));
    expect(snapshot?.cumulativeLagging).toEqual(rows);
  });

  it('serves the tablero as JSON, XLSX and PPTX, and the matrices as XLSX', async () => {
    const year = h.fiscalYear;
    const json = await admin.get(`/api/dashboard?year=${year}&quarter=2`).expect(200);
    expect(json.body.goals).toHaveLength(20);
    // Avance de la vigencia and del cuatrienio for every goal (DNP): acumulado 11 of 20 and of 80;
    // reducción from its línea base 10 to 9, at 8,5: 150 %.
    for (const goal of json.body.goals) expect(Object.keys(goal)).toEqual(expect.arrayContaining(['avanceVigencia', 'avanceCuatrienio', 'baseline']));
    const byCode = (code: string) => json.body.goals.find((g: { goalCode: string }) => g.goalCode === code);
    expect(byCode('2201001-01')).toMatchObject({ avanceVigencia: 55, avanceCuatrienio: 13.75, baseline: null });
    expect(byCode('1905003-01')).toMatchObject({ avanceVigencia: 150, avanceCuatrienio: 150, baseline: 10 });
    expect(JSON.stringify(json.body.summary)).toContain('"notStarted"');

    const xlsx = await admin.get(`/api/dashboard?year=${year}&quarter=2&format=xlsx`).buffer(true).expect(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(xlsx.headers['content-disposition']).toContain(`tablero-control-${year}-T2.xlsx`);
    const pptx = await admin.get(`/api/dashboard?year=${year}&quarter=2&format=pptx`).buffer(true).expect(200);
    expect(pptx.headers['content-type']).toContain('presentationml');

    const matrix = await admin.get(`/api/matrices/quarterly?year=${year}&quarter=2&department=SINF`).buffer(true).expect(200);
    expect(matrix.headers['content-disposition']).toMatch(/matriz-rezagadas-trimestre-\d{4}-T2-SINF\.xlsx/);

    const badFormat = await admin.get(`/api/dashboard?year=${year}&quarter=2&format=pdf`).expect(400);
    expect(badFormat.body.error.details.join(' ')).toMatch(/formato: use json, xlsx o pptx/);
    const badKind = await admin.get(`/api/matrices/otra?year=${year}&quarter=2`).expect(400);
    expect(badKind.body.error.details.join(' ')).toMatch(/matriz: use quarterly/);
    await admin.get(`/api/matrices/quarterly?year=${year}&quarter=2&department=NOEXISTE`).expect(404);
  });

  it('takes one of two simultaneous submissions, tells the other why, and shows HTML in answers as text', async () => {
    const reviewId = `revision-${h.fiscalYear}-T2-SSAL`;
    const link = reviewLinkOf(reviewId, 'SSAL');
    const view = await h.cycles.reviewStatus(reviewId);
    const script = '<script>alert("x")</script>';
    const fields: Record<string, string> = { respondentName: 'Jorge Eliécer Bravo' };
    for (const goal of view.goals) {
      fields[`action__${goal.goalCode}`] = 'keep';
      fields[`justification__${goal.goalCode}`] = `Justificación con ${script} incluido`;
      fields[`commitment__${goal.goalCode}`] = 'Seguimiento mensual del indicador';
    }
    const [first, second] = await Promise.all([
      request(app).post(link).type('form').send(fields),
      request(app).post(link).type('form').send(fields),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    expect((first.status === 409 ? first : second).text).toMatch(/ya (fue respondida|respondió)/);
    const stored = await responsesWithVerdicts(h.database.db, eq(t.responses.reviewWorkflowId, reviewId));
    expect(stored.filter((r) => r.accepted === true)).toHaveLength(1);

    const page = await request(app).get(link).expect(200);
    expect(page.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(page.text).not.toContain(script);

    // Oversized and malformed posts get a clear answer, not a stack trace.
    const huge = await request(app).post(link).type('form').send({ respondentName: 'x'.repeat(2 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.text).not.toMatch(/at .*\.ts:\d+/);
  });

  it("shows the coordinator's inbox with the programming before and after, and takes decisions from it", async () => {
    const coordinator = await as('coordinator');
    const reviewId = `revision-${h.fiscalYear}-T2-SSAL`;
    const inbox = await coordinator.get('/api/inbox').expect(200);
    expect(inbox.body.map((v: { workflowId: string; state: string }) => [v.workflowId, v.state])).toEqual(
      expect.arrayContaining([[reviewId, 'underAgreement']]),
    );
    const inboxPage = await coordinator.get('/coordinacion').set('Accept', 'text/html').expect(200);
    expect(inboxPage.text).toContain(`href="/coordinacion/${reviewId}"`);
    const page = await coordinator.get(`/coordinacion/${reviewId}`).set('Accept', 'text/html').expect(200);
    expect(page.text).toContain('Metas que se mantienen');
    expect(page.text).toContain(`action="/coordinacion/${reviewId}/decision"`);
    expect(page.text).toContain('&lt;script&gt;');
    await (await as('viewer')).get('/coordinacion').set('Accept', 'text/html').expect(403);

    const tooShort = await coordinator.post(`/coordinacion/${reviewId}/decision`).type('form').send({ decision: 'requestChanges', comment: 'corto' }).expect(400);
    expect(tooShort.text).toContain('al menos 10 caracteres');
    const changes = await coordinator
      .post(`/coordinacion/${reviewId}/decision`)
      .type('form')
      .send({ decision: 'requestChanges', comment: 'Distribuya la meta también en el cuarto trimestre', window: '5d' })
      .expect(303);
    const changesNotice = await coordinator.get(changes.headers.location as string).set('Accept', 'text/html').expect(200);
    expect(changesNotice.text).toContain('Se solicitaron ajustes');
    const view = await h.cycles.reviewStatus(reviewId);
    expect(view.state).toBe('awaitingResponse');
    expect(view.changeRequests.at(-1)?.comment).toBe('Distribuya la meta también en el cuarto trimestre');

    const extended = await coordinator
      .post(`/coordinacion/${reviewId}/extension`)
      .type('form')
      .send({ reason: 'La secretaría pidió más tiempo por cierre fiscal', window: '3d' })
      .expect(303);
    expect((await coordinator.get(extended.headers.location as string).set('Accept', 'text/html').expect(200)).text).toContain('nuevo plazo');

    // Resend the alert and leave a note: both are updates on the workflow, both leave a record.
    await coordinator.post(`/api/reviews/${reviewId}/alert-resend`).send({}).expect(200);
    const noted = await coordinator.post(`/api/reviews/${reviewId}/notes`).send({ text: 'Llamé al enlace; responde el lunes' }).expect(200);
    expect(noted.body.notes).toEqual([expect.objectContaining({ coordinator: 'Cuenta coordinator', text: 'Llamé al enlace; responde el lunes' })]);
    const outbox = await h.database.db.select({ key: t.outbox.idempotencyKey }).from(t.outbox);
    expect(outbox.map((o) => o.key)).toEqual(expect.arrayContaining([`${reviewId}:alert`, `${reviewId}:alert:resend:1`]));
    const actions = await h.database.db.select({ action: t.auditLog.action, actor: t.auditLog.actor }).from(t.auditLog);
    expect(actions).toEqual(expect.arrayContaining([{ action: 'alert.resent', actor: 'Cuenta coordinator' }, { action: 'review.note', actor: 'Cuenta coordinator' }]));
    const empty = await coordinator.post(`/api/reviews/${reviewId}/notes`).send({ text: '' }).expect(400);
    expect(empty.body.error.details.join(' ')).toMatch(/nota/);
  });

  it('signs a coordinator in with a session and refuses a form without its CSRF token', async () => {
    const email = `coordinacion-${h.fiscalYear}@pruebas.gov.co`;
    await createUser(h.database.db, { email, name: 'Coordinación MMSE', role: 'coordinator', password: 'una clave de sesión bastante larga' });
    const browser = request.agent(app);
    const loginPage = await browser.get('/login').set('Accept', 'text/html').expect(200);
    const formToken = /name="_csrf" value="([^"]+)"/.exec(loginPage.text)?.[1];
    expect(formToken).toBeDefined();
    const login = await browser.post('/login').set('Accept', 'application/json').send({ email, password: 'una clave de sesión bastante larga', _csrf: formToken }).expect(200);
    expect(String(login.headers['set-cookie'])).toMatch(/metas\.sid=.*HttpOnly.*SameSite=Lax/i);

    const reviewId = `revision-${h.fiscalYear}-T2-SEDU`;
    const withoutToken = await browser.post(`/coordinacion/${reviewId}/notes`).type('form').send({ text: 'Nota sin token' });
    expect(withoutToken.status).toBe(403);
    await browser.post(`/coordinacion/${reviewId}/notes`).type('form').send({ text: 'Nota con token', _csrf: login.body.csrfToken }).expect(303);
    expect((await h.cycles.reviewStatus(reviewId)).notes?.map((n) => n.text)).toEqual(['Nota con token']);

    // Every change left an audit entry with the account, its role and the address, tokens masked.
    const audit = await admin.get('/api/audit?limit=200').expect(200);
    const entries = audit.body.items as { actor: string; action: string; subject: string; details: { role: string | null; ip: string | null; status: number } }[];
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'http.post', subject: `/coordinacion/${reviewId}/notes`, details: expect.objectContaining({ role: 'coordinator', status: 403 }) }),
        expect.objectContaining({ action: 'http.post', subject: '/api/cycles', details: expect.objectContaining({ role: 'admin', status: 201 }) }),
      ]),
    );
    expect(entries.some((e) => /\/responder\/[^/]+\/(?!…)/.test(e.subject))).toBe(false);
    expect(entries.some((e) => e.subject.startsWith('/responder/') && e.subject.endsWith('/…'))).toBe(true);

    // After logout the same cookie no longer opens anything.
    await browser.post('/logout').set('x-csrf-token', login.body.csrfToken).expect((res) => expect([200, 204, 303]).toContain(res.status));
    await browser.get('/api/inbox').expect(401);
  });
});
