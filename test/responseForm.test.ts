import request from 'supertest';
import { eq } from 'drizzle-orm';
import * as t from '../db/schema';
import { createHarness, createTestApp, eventually, reviewIn, reviewLinkOf, type Harness, type TestApp } from './support/harness';

/**
 * The liaison's response form as the server renders it (no JavaScript): goal cards in the alert
 * e-mail's order, errors beside each field naming the goal with a summary linking to them,
 * everything typed kept, elapsed quarters read-only, and the name kept between rounds.
 */

const decode = (text: string) =>
  text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Goal codes in the order their cards appear. */
const cardOrder = (page: string) => [...page.matchAll(/<fieldset class="goal-card" id="meta-([^"]+)"/g)].map((m) => m[1]);
/** The summary's links: target id and text. */
const summaryLinks = (page: string) => {
  const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(page)?.[0] ?? '';
  return [...summary.matchAll(/<a href="#([^"]+)">([^<]*)<\/a>/g)].map((m) => ({ id: m[1] as string, text: decode(m[2] as string) }));
};
const ids = (page: string) => new Set([...page.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
/** The message shown above a field. */
const fieldMessage = (page: string, id: string) => {
  const match = new RegExp(`<p class="field-error" id="error-${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}">([^<]*)</p>`).exec(page);
  return match ? decode(match[1] as string) : undefined;
};
const inputValue = (page: string, id: string) => {
  const match = new RegExp(`<input id="${id}"[^>]*value="([^"]*)"`).exec(page);
  return match ? decode(match[1] as string) : undefined;
};

describe('the response form (server-rendered)', () => {
  let h: Harness;
  let app: TestApp['app'];
  let cycleId: string;

  beforeAll(async () => {
    // Two years of term, so a reprogramming can move what is pending to the next one.
    h = await createHarness({ planYears: (year) => [year, year + 1] });
    const test = await createTestApp(h);
    app = test.app;
    const started = await test.admin.post('/api/cycles').send({ fiscalYear: h.fiscalYear, quarter: 2, window: '10m' }).expect(201);
    cycleId = started.body.workflowId;
  });

  afterAll(async () => {
    await h?.close();
  });

  it("lists the goals in the alert e-mail's order, each with its indicator, unit, accumulation and current programming", async () => {
    const reviewId = `${cycleId}-SSAL`;
    const view = await reviewIn(h, reviewId, 'awaitingResponse');
    const alert = await eventually(
      async () => (await h.database.db.select().from(t.outbox).where(eq(t.outbox.idempotencyKey, `${reviewId}:alert`)))[0],
      { what: 'the alert e-mail' },
    );
    const page = (await request(app).get(reviewLinkOf(reviewId, 'SSAL')).expect(200)).text;
    const mailOrder = [...new Set([...alert.text.matchAll(/\b\d{7}-\d{2}\b/g)].map((m) => m[0]))];
    expect(cardOrder(page)).toEqual(mailOrder);
    expect(cardOrder(page)).toHaveLength(view.goals.length);
    // Lagging goals first: not the order of the codes.
    expect(cardOrder(page)).not.toEqual([...cardOrder(page)].sort());

    const card = /<fieldset class="goal-card" id="meta-1905002-01"[\s\S]*?<\/fieldset>/.exec(page)?.[0] ?? '';
    expect(card).toContain('Campañas de salud mental realizadas');
    expect(card).toMatch(/<dt>Unidad<\/dt><dd>Número<\/dd>/);
    expect(card).toMatch(/<dt>Tipo de acumulación<\/dt><dd>Suma \(acumulado\)<\/dd>/);
    expect(card).toContain('cantidad del trimestre');
    // The current programming beside each input (4 a year, 1 a quarter).
    expect(card).toContain('id="vigente-q3__1905002-01">Vigente: 1</span>');
    // A stock goal's inputs are levels.
    const stock = /<fieldset class="goal-card" id="meta-1906001-01"[\s\S]*?<\/fieldset>/.exec(page)?.[0];
    if (stock) expect(stock).toContain('nivel al cierre del trimestre');
    // The phone-first parts: progress, jump list, countdown, the two distinct buttons.
    expect(page).toContain(`0 de ${view.goals.length} metas respondidas`);
    for (const code of cardOrder(page)) expect(page).toContain(`href="#meta-${code}"`);
    expect(page).toMatch(/data-time-left>quedan? \d+ minutos?</);
    expect(page).toContain('class="primary">Enviar respuesta');
    expect(page).toContain('class="secondary" formnovalidate>Guardar borrador');
    expect(page).toContain('<script src="/assets/responseForm.js" defer>');
    expect(page).not.toMatch(/<input id="respondentName"[^>]*\srequired/);
  });

  it('refuses with a message beside each field naming the goal, a summary linking to each, and keeps everything typed', async () => {
    const reviewId = `${cycleId}-SINF`;
    const view = await reviewIn(h, reviewId, 'awaitingResponse');
    const link = reviewLinkOf(reviewId, 'SINF');
    const fields: Record<string, string> = { respondentName: '' };
    for (const goal of view.goals) {
      fields[`action__${goal.goalCode}`] = 'keep';
      fields[`justification__${goal.goalCode}`] = 'Las lluvias retrasaron la obra en el primer semestre';
      fields[`commitment__${goal.goalCode}`] = 'Recuperar el rezago en el tercer trimestre';
    }
    Object.assign(fields, {
      'action__2402002-01': 'reprogram',
      'justification__2402002-01': 'corta',
      'q1__2402002-01': '999',
      'q2__2402002-01': '1.234.5',
      'q3__2402002-01': '19.000',
      'q4__2402002-01': '3,5',
    });
    const refused = await request(app).post(link).type('form').send(fields).expect(400);
    const page = refused.text;
    const links = summaryLinks(page);
    expect(links.map((l) => l.id)).toEqual(['respondentName', 'justification__2402002-01', 'q2__2402002-01']);
    // Every link goes to a field of the page; no message carries a path.
    const present = ids(page);
    for (const { id, text } of links) {
      expect(present.has(id)).toBe(true);
      expect(text).not.toMatch(/answers|respondent\.name|newQuarterlyTargets|justification|__/);
      expect(fieldMessage(page, id)).toBe(text);
    }
    expect(fieldMessage(page, 'justification__2402002-01')).toBe('Justificación de la meta 2402002-01 (Vías rurales mejoradas): escriba al menos 10 caracteres');
    expect(fieldMessage(page, 'q2__2402002-01')).toMatch(/^Nueva programación T2 de la meta 2402002-01 \(Vías rurales mejoradas\): «1\.234\.5» es ambiguo/);
    expect(fieldMessage(page, 'respondentName')).toMatch(/^Nombre de quien responde: escriba al menos 3 caracteres/);
    expect(page).toMatch(/<div class="error-summary" id="resumen-errores" role="alert" tabindex="-1" autofocus/);
    expect(page).toContain('aria-invalid="true"');
    // Everything typed is kept, exactly as typed.
    expect(inputValue(page, 'q2__2402002-01')).toBe('1.234.5');
    expect(inputValue(page, 'q3__2402002-01')).toBe('19.000');
    expect(inputValue(page, 'q4__2402002-01')).toBe('3,5');
    expect(page).toContain('Recuperar el rezago en el tercer trimestre');
    expect(page).toMatch(/<option value="reprogram" selected>/);
    // T1 has elapsed (the review is of T2): shown, not editable, and not taken from the post.
    expect(page).not.toContain('id="q1__2402002-01"');
    expect(page).toMatch(/<div class="quarter elapsed" data-value="10"><span class="quarter-name">T1<\/span><span class="elapsed-value">10<\/span>/);

    // Fixed, with the pending amount moved to next year: accepted, and T1 keeps its programming.
    const accepted = await request(app)
      .post(link)
      .type('form')
      .send({
        ...fields,
        respondentName: 'María Fernanda Guerrero',
        'justification__2402002-01': 'Temporada de lluvias retrasó las obras',
        'q2__2402002-01': '4',
        'q3__2402002-01': '12,5',
        'q4__2402002-01': '3,5',
        [`y${h.fiscalYear + 1}__2402002-01`]: '50',
      })
      .expect(200);
    expect(accepted.text).toContain('Respuesta recibida');
    const after = await h.cycles.reviewStatus(reviewId);
    const answer = after.goals.find((g) => g.goalCode === '2402002-01')?.answer;
    expect(answer).toMatchObject({ action: 'reprogram', newQuarterlyTargets: [10, 4, 12.5, 3.5], futureAnnualTargets: { [String(h.fiscalYear + 1)]: 50 } });
  });

  it('keeps the name between rounds, from the previous answer and from a draft', async () => {
    const reviewId = `${cycleId}-SEDU`;
    const view = await reviewIn(h, reviewId, 'awaitingResponse');
    const link = reviewLinkOf(reviewId, 'SEDU');
    const fields: Record<string, string> = { respondentName: 'Ana Lucía Rosero' };
    for (const goal of view.goals) {
      fields[`action__${goal.goalCode}`] = 'keep';
      fields[`justification__${goal.goalCode}`] = 'La contratación se firmó tarde en el semestre';
      fields[`commitment__${goal.goalCode}`] = 'Reportar el avance mensual a Planeación';
    }
    await request(app).post(link).type('form').send(fields).expect(200);
    await reviewIn(h, reviewId, 'underAgreement');
    await h.cycles.decide(reviewId, { decision: 'requestChanges', coordinator: 'Coordinadora MMSE', comment: 'Precise las fechas del compromiso, por favor' });
    const round2 = await eventually(async () => {
      const v = await h.cycles.reviewStatus(reviewId);
      return v.state === 'awaitingResponse' && v.round === 2 ? v : undefined;
    }, { what: 'round 2' });
    expect(round2.respondent).toBeNull();
    const page = (await request(app).get(link).expect(200)).text;
    expect(inputValue(page, 'respondentName')).toBe('Ana Lucía Rosero');
    expect(page).toContain('Precise las fechas del compromiso');
    expect(page).toContain(`${view.goals.length} de ${view.goals.length} metas respondidas`);
    // A draft of this round with another name wins over the previous round's.
    await request(app).post(link).type('form').send({ ...fields, respondentName: 'Pedro Pablo Pantoja', intent: 'draft' }).expect(200);
    expect(inputValue((await request(app).get(link).expect(200)).text, 'respondentName')).toBe('Pedro Pablo Pantoja');
  });

  it('names the field of a refused draft by goal, and keeps the draft typed', async () => {
    const reviewId = `${cycleId}-SSAL`;
    const view = await reviewIn(h, reviewId, 'awaitingResponse');
    const code = view.goals[0]?.goalCode as string;
    const refused = await request(app)
      .post(reviewLinkOf(reviewId, 'SSAL'))
      .type('form')
      .send({ intent: 'draft', respondentName: 'Jorge Eliécer Bravo', [`commitment__${code}`]: 'x'.repeat(4001) })
      .expect(422);
    const links = summaryLinks(refused.text);
    expect(links).toEqual([{ id: `commitment__${code}`, text: expect.stringMatching(new RegExp(`^Compromiso de la meta ${code} \\(.+\\): máximo 4\\.000 caracteres`)) }]);
    expect(inputValue(refused.text, 'respondentName')).toBe('Jorge Eliécer Bravo');
  });
});
