import request from 'supertest';
import { and, eq } from 'drizzle-orm';
import * as t from '../db/schema';
import { responsesWithVerdicts } from '../db/responseVerdicts';
import { createHarness, createTestApp, reviewIn, reviewLinkOf, type Harness, type TestApp } from './support/harness';

type Agent = ReturnType<typeof request.agent>;

/** The API's envelope, a Spanish message, never a 500. */
function expectEnvelope(res: request.Response, status: number, message: RegExp) {
  expect(res.status).toBe(status);
  expect(res.body).toEqual({ error: { code: expect.any(String), message: expect.any(String), details: expect.any(Array) } });
  expect(res.body.error.message).toMatch(message);
}

/**
 * Every malformed input gets a Spanish 4xx through the error envelope (or a Spanish page), never a
 * 500; a refused liaison submission is still stored as it arrived; drafts have limits.
 */
describe('clear errors for malformed input', () => {
  let h: Harness;
  let app: TestApp['app'];
  let admin: Agent;
  let liaison: Agent;
  const reviewId = () => `revision-${h.fiscalYear}-T2-SINF`;

  beforeAll(async () => {
    h = await createHarness();
    const testApp = await createTestApp(h);
    app = testApp.app;
    admin = testApp.admin;
    liaison = await testApp.as('liaison', 'SINF');
    await h.cycles.startCycle({ fiscalYear: h.fiscalYear, quarter: 2, window: '10m' });
    await reviewIn(h, reviewId(), 'awaitingResponse');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('refuses null bytes and control characters in any JSON field, naming the field', async () => {
    const nul = await admin.post('/api/cycles').send({ fiscalYear: h.fiscalYear, quarter: 2, window: '10m\u0000' });
    expectEnvelope(nul, 400, /El campo «window» contiene un carácter no permitido \(U\+0000, carácter nulo\)/);
    const bell = await admin.post(`/api/reviews/${reviewId()}/notes`).send({ text: 'Nota con campana \u0007' });
    expectEnvelope(bell, 400, /«text» contiene un carácter no permitido \(U\+0007/);
    const nested = await admin.put('/api/plan/thresholds').send({ extra: [{ deep: 'a\u001bb' }] });
    expectEnvelope(nested, 400, /«extra\.0\.deep».*U\+001B, escape/);
    const key = await admin.post('/api/cycles').send({ 'fiscal\u0000Year': 2030 });
    expectEnvelope(key, 400, /El nombre del campo «fiscal\\u0000Year»/);
    // Broken Unicode (a lone surrogate) cannot be stored either.
    const surrogate = await admin.post(`/api/reviews/${reviewId()}/notes`).set('content-type', 'application/json').send('{"text":"texto \\ud800 roto"}');
    expectEnvelope(surrogate, 400, /«text» contiene texto mal codificado/);
    // Line breaks and tabs are ordinary text, not refused by the guard.
    const multiline = await admin.post(`/api/reviews/${reviewId()}/notes`).send({ text: 'Primera línea\nSegunda\tcon tabulador' });
    expect(multiline.status).toBe(200);
    // The query string too.
    expectEnvelope(await admin.get(`/api/dashboard?year=${h.fiscalYear}&quarter=2%00`), 400, /Parámetros de la dirección inválidos.*«quarter»/);
  });

  it('refuses deeply nested, oversized, malformed and non-JSON bodies with Spanish 4xx', async () => {
    for (const depth of [25, 100_000]) {
      const deep = await admin.post('/api/cycles').set('content-type', 'application/json').send(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
      expectEnvelope(deep, 400, /demasiados niveles anidados \(máximo 20\)/);
    }
    const arrays = await admin.post('/api/cycles').set('content-type', 'application/json').send(`${'['.repeat(50)}${']'.repeat(50)}`);
    expectEnvelope(arrays, 400, /niveles anidados/);

    const huge = await admin.post('/api/cycles').send({ startedBy: 'x'.repeat(2 * 1024 * 1024) });
    expectEnvelope(huge, 413, /demasiado grande \(máximo 1 MB\)/);

    const xml = await admin.post('/api/cycles').set('content-type', 'application/xml').send('<ciclo><anio>2030</anio></ciclo>');
    expectEnvelope(xml, 415, /Tipo de contenido no admitido \(application\/xml\).*application\/json/);
    const text = await admin.post(`/api/reviews/${reviewId()}/notes`).set('content-type', 'text/plain').send('una nota');
    expectEnvelope(text, 415, /Tipo de contenido no admitido \(text\/plain\)/);
    const latin1 = await admin.post('/api/cycles').set('content-type', 'application/json; charset=latin1').send('{"quarter":2}');
    expectEnvelope(latin1, 415, /Juego de caracteres no admitido/);

    const malformed = await admin.post('/api/cycles').set('content-type', 'application/json').send('{"fiscalYear": 2030,');
    expectEnvelope(malformed, 400, /JSON o formulario mal formado/);
    const anonymousXml = await request(app).post('/api/cycles').set('content-type', 'application/xml').send('<a/>');
    expect(anonymousXml.status).toBeGreaterThanOrEqual(400);
    expect(anonymousXml.status).toBeLessThan(500);
  });

  it('refuses bad IDs with a 400, and an unknown one with a 404', async () => {
    for (const id of ['1e308', '-1', '1.5', '0', '99999999999999999999', 'abc', '%00']) {
      expectEnvelope(await admin.get(`/api/documents/${id}`), 400, /Identificador de documento inválido/);
      expectEnvelope(await admin.get(`/api/outbox/${id}`), 400, /Identificador de mensaje inválido/);
    }
    expectEnvelope(await admin.get('/api/documents/123456789012'), 404, /No existe el documento 123456789012/);
    expectEnvelope(await admin.get('/api/reviews/revision-1e308/documents'), 400, /Identificador de revisión inválido/);
    expectEnvelope(await admin.get('/api/goals/%00/history'), 400, /Código de meta inválido/);
    expectEnvelope(await admin.get('/api/audit?offset=1e308'), 400, /Parámetros inválidos/);
    expectEnvelope(await admin.get('/api/outbox?limit=-5'), 400, /Parámetros inválidos/);
    const page = await admin.get('/admin/correos/1e308').set('Accept', 'text/html');
    expect(page.status).toBe(404);
    const offset = await admin.get('/admin/correos?desde=1e308').set('Accept', 'text/html');
    expect(offset.status).toBe(200);
  });

  it('answers a form post with control characters or no body with a Spanish page, not a 500', async () => {
    const coordinator = admin;
    const noBody = await coordinator.post(`/coordinacion/${reviewId()}/decision`).set('Accept', 'text/html');
    expect(noBody.status).toBeGreaterThanOrEqual(400);
    expect(noBody.status).toBeLessThan(500);
    const nul = await coordinator.post(`/coordinacion/${reviewId()}/notes`).set('Accept', 'text/html').type('form').send('text=hola%00mundo');
    expect(nul.status).toBe(400);
    expect(nul.text).toContain('contiene un carácter no permitido (U+0000, carácter nulo)');
  });

  it('stores a refused API submission with a null byte as it arrived, and names the field', async () => {
    const view = await h.cycles.reviewStatus(reviewId());
    const goal = view.goals[0]?.goalCode as string;
    const body = JSON.stringify({
      respondent: { name: 'Enlace de Infraestructura' },
      answers: view.goals.map((g) => ({ goalCode: g.goalCode, action: 'keep', justification: `Las lluvias\u0000 retrasaron ${g.goalCode}`, commitment: 'Terminar en el tercer trimestre' })),
    });
    const refused = await liaison.post(`/api/reviews/${reviewId()}/response`).set('content-type', 'application/json').send(body);
    expectEnvelope(refused, 400, new RegExp(`«justificación de la meta ${goal}» contiene un carácter no permitido \\(U\\+0000, carácter nulo\\)`));
    const rows = await responsesWithVerdicts(h.database.db, and(eq(t.responses.reviewWorkflowId, reviewId()), eq(t.responses.source, 'api')));
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row?.accepted).toBe(false);
    expect(row?.rejectionReason).toMatch(/justificación de la meta/);
    expect(row?.payload).toBeNull();
    expect(Buffer.from(row?.rawBase64 ?? '', 'base64').toString('utf8')).toBe(body);
    // The workflow never saw it: the review still waits for the answer.
    expect((await h.cycles.reviewStatus(reviewId())).state).toBe('awaitingResponse');
  });

  it('stores a refused form submission as it arrived and shows back what was typed', async () => {
    const view = await h.cycles.reviewStatus(reviewId());
    const link = reviewLinkOf(reviewId(), 'SINF');
    const typed = 'Las lluvias de abril retrasaron la obra del puente';
    const fields: Record<string, string> = { respondentName: 'María Fernanda Guerrero' };
    for (const g of view.goals) {
      fields[`action__${g.goalCode}`] = 'keep';
      fields[`justification__${g.goalCode}`] = `${typed}\u0000 ${g.goalCode}`;
      fields[`commitment__${g.goalCode}`] = 'Terminar los tramos pendientes en el segundo semestre';
    }
    const before = await h.database.db.select({ id: t.responses.id }).from(t.responses).where(eq(t.responses.source, 'form'));
    const page = await request(app).post(link).type('form').send({ ...fields, intent: 'submit' });
    expect(page.status).toBe(400);
    expect(page.text).toContain('No se pudo registrar la respuesta');
    expect(page.text).toMatch(/Justificación de la meta [^«»]+» contiene un carácter no permitido \(U\+0000, carácter nulo\)/);
    expect(page.text).toContain(typed);
    expect(page.text).toContain('Terminar los tramos pendientes en el segundo semestre');
    expect(page.text).toContain('María Fernanda Guerrero');
    const rows = await responsesWithVerdicts(h.database.db, and(eq(t.responses.reviewWorkflowId, reviewId()), eq(t.responses.source, 'form')));
    expect(rows).toHaveLength(before.length + 1);
    const row = rows.at(-1);
    expect(row?.accepted).toBe(false);
    const raw = Buffer.from(row?.rawBase64 ?? '', 'base64').toString('utf8');
    expect(raw).toContain('%00');
    expect(Object.fromEntries(new URLSearchParams(raw))).toEqual({ ...fields, intent: 'submit' });
  });

  it('keeps drafts within their fields and sizes', async () => {
    const view = await h.cycles.reviewStatus(reviewId());
    const goal = view.goals[0]?.goalCode as string;
    const link = reviewLinkOf(reviewId(), 'SINF');
    const drafts = async () => (await h.database.db.select({ id: t.responseDrafts.id }).from(t.responseDrafts).where(eq(t.responseDrafts.reviewWorkflowId, reviewId()))).length;
    const start = await drafts();

    const unknown = await request(app).post(link).type('form').send({ intent: 'draft', respondentName: 'Enlace', cualquierCosa: 'x' });
    expect(unknown.status).toBe(422);
    expect(unknown.text).toContain('No se pudo guardar el borrador');
    expect(unknown.text).toContain('campos que el formulario no conoce: «cualquierCosa»');
    expect(unknown.text).toContain('value="Enlace"');

    const large = await request(app).post(link).type('form').send({ intent: 'draft', [`justification__${goal}`]: 'a'.repeat(70 * 1024) });
    expect(large.status).toBe(413);
    expect(large.text).toContain('El borrador supera el tamaño máximo de 64 KB');

    const long = await request(app).post(link).type('form').send({ intent: 'draft', [`justification__${goal}`]: 'b'.repeat(4001) });
    expect(long.status).toBe(422);
    expect(long.text).toMatch(new RegExp(`Justificación de la meta ${goal} \\([^)]+\\): máximo 4\\.000 caracteres \\(tiene 4\\.001\\)`));

    const nul = await request(app).post(link).type('form').send({ intent: 'draft', [`commitment__${goal}`]: 'Compromiso con \u0000 nulo' });
    expect(nul.status).toBe(422);
    expect(nul.text).toMatch(new RegExp(`«Compromiso de la meta ${goal} \\([^)]+\\)» contiene un carácter no permitido`));
    expect(nul.text).toContain('Compromiso con');
    expect(await drafts()).toBe(start);

    const ok = await request(app).post(link).type('form').send({ intent: 'draft', respondentName: 'Enlace SINF', [`justification__${goal}`]: 'Borrador dentro de los límites' });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('Borrador guardado');
    expect(await drafts()).toBe(start + 1);
  });
});
