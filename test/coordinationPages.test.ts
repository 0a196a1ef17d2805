import { answerAll } from './support/answers';
import { registerTestAgreement, termTargetOf } from './support/councilAgreements';
import { createHarness, createTestApp, eventually, reviewIn, type Harness, type TestApp } from './support/harness';

/**
 * The coordinator's pages, server-rendered against a real worker and database: a compact inbox
 * with one link per review, a review page with the programming before and after, and the decision
 * taken there (the review then leaves the inbox).
 */
describe('coordination pages', () => {
  let h: Harness;
  let web: TestApp;
  let ssal: string;
  let sedu: string;
  let sinf: string;
  let changedGoal: string;

  const count = (text: string, part: string) => text.split(part).length - 1;

  beforeAll(async () => {
    h = await createHarness({ defaultWindow: '10m' });
    web = await createTestApp(h);
    const { workflowId } = await h.cycles.startCycle({ fiscalYear: h.fiscalYear, quarter: 2 });
    [ssal, sedu, sinf] = ['SSAL', 'SEDU', 'SINF'].map((d) => `${workflowId}-${d}`) as [string, string, string];
    const ssalView = await reviewIn(h, ssal, 'awaitingResponse');
    const seduView = await reviewIn(h, sedu, 'awaitingResponse');
    await reviewIn(h, sinf, 'awaitingResponse');

    // One SSAL goal reprogrammed: T2 up by 3,3, T3 set to 19.000, T1 and T4 unchanged.
    const goal = ssalView.goals[0]!;
    changedGoal = goal.goalCode;
    const [q1, q2, , q4] = (goal.programming.quarterlyTargets ?? [0, 0, 0, 0]).map((v) => v ?? 0) as [number, number, number, number];
    const targets: [number, number, number, number] = [q1, Math.round((q2 + 3.3) * 10) / 10, 19000, q4];
    const submission = answerAll(ssalView, [changedGoal], targets);
    const councilAgreementId = await registerTestAgreement(h.database.db, changedGoal, termTargetOf(ssalView, changedGoal, targets));
    for (const answer of submission.answers) if (answer.action === 'reprogram') answer.councilAgreementId = councilAgreementId;
    await h.cycles.submitResponse(ssal, submission);
    await h.cycles.submitResponse(sedu, answerAll(seduView));
    await reviewIn(h, ssal, 'underAgreement');
    await reviewIn(h, sedu, 'underAgreement');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('lists each waiting review once, compactly: a link to its page and no forms', async () => {
    const coordinator = await web.as('coordinator');
    const page = await coordinator.get('/coordinacion').set('Accept', 'text/html').expect(200);
    for (const id of [ssal, sedu, sinf]) expect(count(page.text, `href="/coordinacion/${id}"`)).toBe(1);
    expect(page.text).not.toContain('action="/coordinacion/');
    expect(page.text).toContain(`Revisión trimestral ${h.fiscalYear} · T2`);
    expect(page.text).toContain('Respuestas para acordar (2)');
    expect(page.text).toContain('Esperando respuesta (1)');
    expect(page.text).toMatch(/1 meta con reprogramación/);
    expect(page.text).not.toContain(`>${ssal}`);
  });

  it('shows a review with the programming before and after, the differences marked in es-CO, and the actions once', async () => {
    const coordinator = await web.as('coordinator');
    const page = await coordinator.get(`/coordinacion/${ssal}`).set('Accept', 'text/html').expect(200);
    expect(page.text).toContain('Secretaría de Salud');
    expect(page.text).toContain(`${changedGoal} · `);
    expect(page.text).toMatch(/<td class="num changed" data-label="Propuesta">19\.000/);
    expect(page.text).toMatch(/<td class="num difference changed" data-label="Diferencia">\+3,3<\/td>/);
    expect(page.text).toContain('Sin cambio');
    // A T2 review: only T1 has elapsed, as the liaison's form says.
    expect(page.text).toMatch(/T1 <span class="hint">\(transcurrido\)<\/span>/);
    expect(page.text).not.toMatch(/T2 <span class="hint">\(transcurrido\)<\/span>/);
    expect(page.text).not.toMatch(/>\s*3\.3\b/);
    // The registered acuerdo the liaison chose, by its number and date.
    expect(page.text).toMatch(/Acuerdo T-[^<]* del 15 de marzo de 2026 \(meta cuatrienio [\d.,]+\)/);
    expect(page.text).toContain('Cumplir la nueva programación trimestral');
    expect(page.text).toMatch(/<details class="kept-goal">/);
    expect(count(page.text, `action="/coordinacion/${ssal}/decision"`)).toBe(2);
    expect(page.text).toContain('name="confirm"');
  });

  it('keeps what was typed when a decision is refused, with the message next to the field', async () => {
    const coordinator = await web.as('coordinator');
    const short = await coordinator
      .post(`/coordinacion/${sedu}/decision`)
      .set('Accept', 'text/html')
      .type('form')
      .send({ decision: 'requestChanges', comment: 'corto', window: '5d' })
      .expect(400);
    expect(short.text).toMatch(/<textarea id="ajustes-comentario"[^>]*aria-invalid="true"[^>]*>corto<\/textarea>/);
    expect(short.text).toContain('al menos 10 caracteres');
    expect(short.text).toContain('href="#ajustes-comentario"');
    const unconfirmed = await coordinator
      .post(`/coordinacion/${sedu}/decision`)
      .set('Accept', 'text/html')
      .type('form')
      .send({ decision: 'approve', comment: 'Acordado por teléfono' })
      .expect(400);
    expect(unconfirmed.text).toContain('Marque la confirmación');
    expect(unconfirmed.text).toContain('>Acordado por teléfono</textarea>');
    expect((await h.cycles.reviewStatus(sedu)).state).toBe('underAgreement');
  });

  it('approves from the review page: back to the inbox with a message, and the review has left it', async () => {
    const coordinator = await web.as('coordinator');
    const approved = await coordinator
      .post(`/coordinacion/${ssal}/decision`)
      .set('Accept', 'text/html')
      .type('form')
      .send({ decision: 'approve', comment: 'Acordado con la secretaría', confirm: 'si' })
      .expect(303);
    expect(approved.headers.location).toBe(`/coordinacion?hecho=aprobada&revision=${encodeURIComponent(ssal)}`);
    const inbox = await coordinator.get(approved.headers.location as string).set('Accept', 'text/html').expect(200);
    expect(inbox.text).toMatch(/role="status">Decisión registrada: Secretaría de Salud · Revisión trimestral \d{4} · T2 quedó Reprogramada/);
    expect(inbox.text).not.toContain(`href="/coordinacion/${ssal}"`);
    expect(inbox.text).toContain(`href="/coordinacion/${sedu}"`);
    const done = await eventually(async () => {
      const view = await h.cycles.reviewStatus(ssal);
      return view.outcome ? view : undefined;
    }, { what: `${ssal} closed` });
    expect(done.state).toBe('reprogrammed');
    const page = await coordinator.get(`/coordinacion/${ssal}`).set('Accept', 'text/html').expect(200);
    expect(page.text).toContain('no espera una decisión');
    expect(page.text).not.toContain(`action="/coordinacion/${ssal}/decision"`);

    // A second approval (another tab, a colleague) is refused with the reason, on the review's page.
    const again = await coordinator
      .post(`/coordinacion/${ssal}/decision`)
      .set('Accept', 'text/html')
      .type('form')
      .send({ decision: 'approve', confirm: 'si' });
    expect(again.status).toBeGreaterThanOrEqual(400);
    expect(again.status).toBeLessThan(500);
    expect(again.text).toContain('No fue posible registrar la acción');
  });

  it('shows a review still waiting for its answer with the goals alerted, and takes a note there', async () => {
    const coordinator = await web.as('coordinator');
    const page = await coordinator.get(`/coordinacion/${sinf}`).set('Accept', 'text/html').expect(200);
    expect(page.text).toContain('Metas alertadas, aún sin respuesta');
    expect(page.text).toContain(`action="/coordinacion/${sinf}/extension"`);
    expect(page.text).not.toContain(`action="/coordinacion/${sinf}/decision"`);
    const noted = await coordinator.post(`/coordinacion/${sinf}/notes`).set('Accept', 'text/html').type('form').send({ text: 'Llamé al enlace; responde el lunes' }).expect(303);
    expect(noted.headers.location).toBe(`/coordinacion/${encodeURIComponent(sinf)}?hecho=nota#notas`);
    const after = await coordinator.get(`/coordinacion/${sinf}?hecho=nota`).set('Accept', 'text/html').expect(200);
    expect(after.text).toContain('Nota agregada');
    expect(after.text).toContain('Llamé al enlace; responde el lunes');
  });

  it('is the coordinators’ page: viewers and liaisons are refused, other municipalities’ and unknown reviews are not found', async () => {
    for (const other of [await web.as('viewer'), await web.as('liaison', 'SSAL'), await web.as('operator')]) {
      await other.get('/coordinacion').set('Accept', 'text/html').expect(403);
      await other.get(`/coordinacion/${sedu}`).set('Accept', 'text/html').expect(403);
      await other.post(`/coordinacion/${sedu}/decision`).set('Accept', 'text/html').type('form').send({ decision: 'approve', confirm: 'si' }).expect(403);
    }
    const coordinator = await web.as('coordinator');
    for (const path of [`/coordinacion/revision-${h.fiscalYear}-T4-SSAL`, `/coordinacion/otro-${sedu}`, '/coordinacion/no-es-una-revision']) {
      const page = await coordinator.get(path).set('Accept', 'text/html').expect(404);
      expect(page.text).toContain('Página no encontrada');
    }
    await coordinator.post(`/coordinacion/otro-${sedu}/decision`).set('Accept', 'text/html').type('form').send({ decision: 'approve', confirm: 'si' }).expect(404);
    expect((await h.cycles.reviewStatus(sedu)).state).toBe('underAgreement');
  });
});
