import request from 'supertest';
import { createHarness, createTestApp, eventually, reviewIn, type Harness, type TestApp } from './support/harness';

/** Every `href="#evento-N"` of the timeline must have its row `id="evento-N"` among the raw events. */
function timelineAnchors(html: string) {
  const links = [...html.matchAll(/href="#evento-(\d+)"/g)].map((m) => m[1]);
  const rows = new Set([...html.matchAll(/id="evento-(\d+)"/g)].map((m) => m[1]));
  return { links, missing: links.filter((id) => !rows.has(id)) };
}

describe('operations pages: start a cycle, follow it, cancel a review, inspect its history', () => {
  let h: Harness;
  let web: TestApp;
  beforeAll(async () => {
    h = await createHarness({ defaultWindow: '10m' });
    web = await createTestApp(h);
  });
  afterAll(async () => {
    await h.close();
  });

  it('previews the flagged goals, starts the cycle once, and follows it in the monitor', async () => {
    const year = h.fiscalYear;
    const operator = await web.as('operator');
    const form = await operator.get('/ciclos/nuevo');
    expect(form.status).toBe(200);
    expect(form.text).toContain('<label for="trimestre">Trimestre</label>');

    const badQuarter = await operator.get(`/ciclos/nuevo?anio=${year}&trimestre=7`);
    expect(badQuarter.status).toBe(400);
    expect(badQuarter.text).toMatch(/trimestre/);

    const preview = await operator.get(`/ciclos/nuevo?anio=${year}&trimestre=2&plazo=10d`);
    expect(preview.status).toBe(200);
    const api = (await operator.get(`/api/cycles/revision-${year}-T2/preview`)).body;
    const flagged = api.departments.reduce((n: number, d: { goals: unknown[] }) => n + d.goals.length, 0);
    expect(flagged).toBeGreaterThan(0);
    expect(preview.text).toContain(`${flagged} metas de ${api.departments.length} dependencias recibirán alerta`);
    for (const d of api.departments) expect(preview.text).toContain(d.name);
    expect(preview.text).toContain(`Confirmar e iniciar la Revisión trimestral ${year} · T2`);

    const started = await operator.post('/ciclos').type('form').send({ anio: year, trimestre: 2, plazo: '10d' });
    expect(started.status).toBe(303);
    expect(started.headers.location).toBe(`/ciclos/revision-${year}-T2?hecho=iniciado`);
    const again = await operator.post('/ciclos').type('form').send({ anio: year, trimestre: 2, plazo: '10d' });
    expect(again.headers.location).toBe(`/ciclos/revision-${year}-T2?hecho=existente`);
    expect((await operator.get(`/ciclos/nuevo?anio=${year}&trimestre=2`)).text).toContain('ya existe');

    // The workflow's reviews match the preview, department by department.
    const monitor = await eventually(async () => {
      const body = (await operator.get(`/api/cycles/revision-${year}-T2/monitor`)).body;
      return body.reviews?.length === api.departments.length && body.reviews.every((r: { state: string }) => r.state === 'awaitingResponse') ? body : undefined;
    }, { what: 'every review awaiting its response' });
    for (const d of api.departments) {
      expect(monitor.reviews.find((r: { departmentCode: string }) => r.departmentCode === d.code)?.flaggedGoals).toBe(d.goals.length);
    }
    const page = await operator.get(`/ciclos/revision-${year}-T2?hecho=iniciado`);
    expect(page.text).toContain('Ciclo iniciado');
    expect(page.text).toContain('Esperando respuesta');
    expect(page.text).toMatch(/Quedan \d+ (días|día|horas|hora|minutos)/);
    expect(page.text).toContain('/assets/monitor.js');
    expect(page.text).toContain('Cancelar revisión');
    const fragment = await operator.get(`/ciclos/revision-${year}-T2/estado`);
    expect(fragment.text).toContain('<table>');
    expect(fragment.text).not.toContain('<html');

    const viewer = await web.as('viewer');
    const seen = await viewer.get(`/ciclos/revision-${year}-T2`);
    expect(seen.status).toBe(200);
    expect(seen.text).not.toContain('Cancelar revisión');
    const coordinator = await web.as('coordinator');
    const coordinated = await coordinator.get(`/ciclos/revision-${year}-T2`);
    expect(coordinated.text).toContain('Ampliar plazo');
    expect(coordinated.text).toContain('Reenviar alerta');

    const liaison = await web.as('liaison', 'SINF');
    expect((await liaison.get('/ciclos/nuevo')).status).toBe(403);
    expect((await liaison.post('/ciclos').type('form').send({ anio: year, trimestre: 3 })).status).toBe(403);
    const anonymous = await request(web.app).get('/ciclos/nuevo');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toMatch(/^\/login/);
  });

  it('cancels a review with a reason, and the administrator sees it in search, history and audit', async () => {
    const year = h.fiscalYear;
    const reviewId = `revision-${year}-T2-SINF`;
    await reviewIn(h, reviewId, 'awaitingResponse');
    const operator = await web.as('operator');
    const noReason = await operator.post(`/ciclos/revision-${year}-T2/revisiones/${reviewId}/cancelacion`).type('form').send({ motivo: 'no' });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toMatch(/motivo/);
    const foreign = await operator.post(`/ciclos/revision-${year}-T2/revisiones/revision-${year}-T3-SINF/cancelacion`).type('form').send({ motivo: 'Motivo suficientemente largo' });
    expect(foreign.status).toBe(400);

    const reason = 'La dependencia fue liquidada; sus metas pasan a otra secretaría';
    const cancelled = await operator.post(`/ciclos/revision-${year}-T2/revisiones/${reviewId}/cancelacion`).type('form').send({ motivo: reason });
    expect(cancelled.status).toBe(303);
    expect(cancelled.headers.location).toBe(`/ciclos/revision-${year}-T2?hecho=cancelada`);
    const page = await operator.get(String(cancelled.headers.location));
    expect(page.text).toContain('Revisión cancelada; el motivo quedó registrado');
    expect(page.text).toContain('Cancelada');
    expect(page.text).toContain(reason);

    const admin = web.admin;
    const search = await eventually(async () => {
      const found = await admin.get(`/admin/flujos?anio=${year}&dependencia=SINF&estado=cancelled`);
      return found.text.includes(reviewId) ? found : undefined;
    }, { what: 'the cancelled review in visibility' });
    expect(search.status).toBe(200);
    expect(search.text).toContain('Revisión: Cancelada');
    const api = (await admin.get(`/api/workflows?year=${year}&kind=review`)).body as { workflowId: string }[];
    expect(api.map((w) => w.workflowId)).toContain(reviewId);
    expect((await admin.get('/admin/flujos?trimestre=9')).status).toBe(400);

    const history = await eventually(async () => {
      const response = await admin.get(`/admin/flujos/${reviewId}`);
      return response.text.includes('Revisión terminada') ? response : undefined;
    }, { what: 'the finished review history' });
    expect(history.text).toContain('Revisión cancelada');
    expect(history.text).toContain(reason);
    const anchors = timelineAnchors(history.text);
    expect(anchors.links.length).toBeGreaterThanOrEqual(5);
    expect(anchors.missing).toEqual([]);
    expect(history.text).toMatch(/<svg role="img" aria-label="[^"]*Cancelada"/);
    // The review machine's own diagram, next to the goal machine's, its final state highlighted.
    expect(history.text).toContain('<svg role="img" aria-label="Máquina de estados de la revisión de la dependencia; estado de la revisión: Cancelada"');
    expect(history.text).toContain('Solicitando ajustes');
    expect(history.text).toContain(`/api/workflows/${reviewId}/history.json`);

    const audit = await admin.get(`/admin/auditoria?sujeto=${reviewId}&accion=review.cancelled`);
    expect(audit.status).toBe(200);
    expect(audit.text).toContain('1 registros');
    expect(audit.text).toContain(reason);
    expect((await operator.get('/admin/auditoria')).status).toBe(403);
  });
});
