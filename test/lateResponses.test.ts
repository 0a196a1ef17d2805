import { eq } from 'drizzle-orm';
import request from 'supertest';
import * as t from '../db/schema';
import { createApp } from '../server/app';
import { createAppServices } from '../services/appServices';
import { createAuth } from '../auth';
import { authPages } from '../server/views/errorPages';
import type { ReviewView } from '../workflows/types';
import { createTestApp, eventually, reviewIn, reviewLinkOf, testAppSecret, type Harness, type TestApp } from './support/harness';
import { registerTestAgreement, termTargetOf } from './support/councilAgreements';
import { programmedQuarters } from '../domain/quarterProgramming';
import { createTimeSkippingHarness, startTimeSkippingServer, type TimeSkippingServer } from './support/timeSkipping';

/** The Acuerdo del Concejo registered for each review's first goal (beforeAll). */
const agreementIds = new Map<string, number>();

/** The form's fields for a complete answer: the first goal reprogrammed as typed in Colombia, the rest kept. */
function formOf(view: ReviewView, respondentName: string, firstTargets = ['0', '1.000', '0', '0']): Record<string, string> {
  const fields: Record<string, string> = { respondentName, intent: 'submit' };
  view.goals.forEach((g, i) => {
    fields[`action__${g.goalCode}`] = i === 0 ? 'reprogram' : 'keep';
    fields[`justification__${g.goalCode}`] = `La contratación de ${g.goalCode} se retrasó por el proceso licitatorio`;
    fields[`commitment__${g.goalCode}`] = 'Reportar el avance mensual a la OPGI';
    if (i === 0) {
      firstTargets.forEach((v, q) => (fields[`q${q + 1}__${g.goalCode}`] = v));
      // The new programming changes the meta cuatrienio: allowed with a registered Acuerdo del Concejo.
      fields[`council__${g.goalCode}`] = String(agreementIds.get(g.goalCode) ?? '');
    }
  });
  return fields;
}

/**
 * Respuestas extemporáneas, on a time-skipping Temporal server: the deadline passes when the test
 * skips time (never by waiting), the constancia is recorded by the real workflow, and the liaison's
 * link keeps taking the answer, stored apart and shown to the coordinator.
 */
describe('late answers are kept', () => {
  let server: TimeSkippingServer;
  let h: Harness;
  let web: TestApp;
  let reviews: Record<'SINF' | 'SSAL' | 'SEDU', ReviewView>;
  let cycleId: string;

  beforeAll(async () => {
    server = await startTimeSkippingServer();
    h = await createTimeSkippingHarness(server);
    web = await createTestApp(h);
    cycleId = (await h.cycles.startCycle({ fiscalYear: h.fiscalYear, quarter: 2, window: '2h' })).workflowId;
    const [SINF, SSAL, SEDU] = await Promise.all((['SINF', 'SSAL', 'SEDU'] as const).map((d) => reviewIn(h, `${cycleId}-${d}`, 'awaitingResponse')));
    reviews = { SINF: SINF as ReviewView, SSAL: SSAL as ReviewView, SEDU: SEDU as ReviewView };
    for (const view of Object.values(reviews)) {
      const first = view.goals[0]?.goalCode;
      if (!first) continue;
      // The acuerdo fixes what formOf's programming gives: T1 stays as programmed (before the review's quarter), then 1.000, 0, 0.
      const goal = view.goals[0]!;
      const [q1] = programmedQuarters(goal.programming, goal.measurement?.accumulation ?? goal.term?.accumulation ?? 'sum');
      agreementIds.set(first, await registerTestAgreement(h.database.db, first, termTargetOf(view, first, [q1 ?? 0, 1000, 0, 0])));
    }
  });
  afterAll(async () => {
    await h?.close();
    await server?.close();
  });

  it('keeps an answer typed on time and posted after the deadline, and takes new late answers through the same link', async () => {
    const ssal = reviews.SSAL;
    const ssalLink = reviewLinkOf(ssal.workflowId, 'SSAL');
    // On time: the ordinary form, no late notice.
    const onTime = await request(web.app).get(ssalLink).expect(200);
    expect(onTime.text).toContain('<form method="post"');
    expect(onTime.text).not.toContain('Respuesta extemporánea');

    // The deadline passes while the liaison types: the workflow records the constancia.
    await server.skip('3h');
    await Promise.all(['SINF', 'SSAL', 'SEDU'].map((d) => reviewIn(h, `${cycleId}-${d}`, 'noAdjustment')));
    await eventually(async () => (await h.database.db.select().from(t.records).where(eq(t.records.reviewWorkflowId, ssal.workflowId))).length > 0, {
      what: 'the constancia of SSAL',
    });

    const posted = await request(web.app).post(ssalLink).type('form').send(formOf(ssal, 'Jorge Eliécer Bravo')).expect(200);
    expect(posted.text).toContain('Respuesta extemporánea recibida');
    expect(posted.text).toContain('no es el acuerdo');
    const [row] = await h.database.db.select().from(t.lateResponses).where(eq(t.lateResponses.reviewWorkflowId, ssal.workflowId));
    expect(row).toMatchObject({ departmentCode: 'SSAL', respondentName: 'Jorge Eliécer Bravo', source: 'closed', fiscalYear: h.fiscalYear, quarter: 2, round: 1 });
    const stored = row?.answers as { answers: { goalCode: string; action: string; newQuarterlyTargets?: number[] }[] };
    expect(stored.answers.find((a) => a.goalCode === ssal.goals[0]?.goalCode)).toMatchObject({ goalCode: ssal.goals[0]?.goalCode, action: 'reprogram', newQuarterlyTargets: [expect.any(Number), 1000, 0, 0] });
    // T1 had elapsed (a T2 review): it keeps its programming whatever is posted.
    expect(row?.rawForm).toMatchObject({ [`q2__${ssal.goals[0]?.goalCode}`]: '1.000' });
    const audit = await h.database.db.select().from(t.auditLog).where(eq(t.auditLog.subject, ssal.workflowId));
    expect(audit.filter((a) => a.action === 'review.lateResponse')).toHaveLength(1);
    // The review itself is unchanged: the constancia stands.
    expect((await h.cycles.reviewStatus(ssal.workflowId)).state).toBe('noAdjustment');
  });

  it('opens the late form after the constancia, refuses an invalid late answer by field keeping everything typed, and keeps every valid one', async () => {
    const sinf = reviews.SINF;
    const link = reviewLinkOf(sinf.workflowId, 'SINF');
    await reviewIn(h, sinf.workflowId, 'noAdjustment');
    const opened = await request(web.app).get(link).expect(200);
    expect(opened.text).toContain('El plazo venció el');
    expect(opened.text).toContain('su respuesta se registrará como respuesta extemporánea');
    expect(opened.text).toContain('<form method="post"');

    // Invalid: a short justification and an ambiguous number. Refused by goal, nothing stored, all kept.
    const goal = sinf.goals[0]?.goalCode as string;
    const invalid = { ...formOf(sinf, 'María Fernanda Guerrero', ['0', '1.234.5', '0', '0']), [`justification__${goal}`]: 'corta' };
    const refused = await request(web.app).post(link).type('form').send(invalid).expect(400);
    expect(refused.text).toContain(`de la meta ${goal}`);
    expect(refused.text).toContain('El plazo venció el');
    expect(refused.text).toContain('value="1.234.5"');
    expect(refused.text).toContain('>corta</textarea>');
    expect(refused.text).toContain('value="María Fernanda Guerrero"');
    expect(await h.database.db.select().from(t.lateResponses).where(eq(t.lateResponses.reviewWorkflowId, sinf.workflowId))).toHaveLength(0);

    // Two valid late answers from the same department: both kept, the latest listed first.
    await request(web.app).post(link).type('form').send(formOf(sinf, 'María Fernanda Guerrero', ['0', '997,5', '2,5', '0'])).expect(200);
    await request(web.app).post(link).type('form').send(formOf(sinf, 'Pedro Pablo Ortega')).expect(200);
    const rows = await h.database.db.select().from(t.lateResponses).where(eq(t.lateResponses.reviewWorkflowId, sinf.workflowId));
    expect(rows).toHaveLength(2);

    const coordinator = await web.as('coordinator');
    const listed = (await coordinator.get('/api/late-responses').expect(200)).body as { id: number; reviewWorkflowId: string; respondentName: string; departmentName: string }[];
    const ofSinf = listed.filter((r) => r.reviewWorkflowId === sinf.workflowId);
    expect(ofSinf.map((r) => r.respondentName)).toEqual(['Pedro Pablo Ortega', 'María Fernanda Guerrero']);
    expect(ofSinf[0]?.departmentName).toBe('Secretaría de Infraestructura');

    // The coordinator's inbox lists them, in human words, each with its read-only page by goal.
    const inbox = await coordinator.get('/coordinacion').set('Accept', 'text/html').expect(200);
    expect(inbox.text).toContain('Respuestas extemporáneas (');
    expect(inbox.text).toContain(`Revisión trimestral ${h.fiscalYear} · T2`);
    expect(inbox.text).toContain(`/coordinacion/extemporaneas/${ofSinf[0]?.id}`);
    const older = ofSinf[1]?.id as number;
    const detail = await coordinator.get(`/coordinacion/extemporaneas/${older}`).set('Accept', 'text/html').expect(200);
    expect(detail.text).toContain(`${goal} · ${sinf.goals[0]?.name}`);
    expect(detail.text).toContain('997,5 · 2,5 · 0');
    expect(detail.text).toMatch(/Acuerdo T-[^<]* del 15 de marzo de 2026/);
    const newest = await coordinator.get(`/coordinacion/extemporaneas/${ofSinf[0]?.id}`).set('Accept', 'text/html').expect(200);
    expect(newest.text).toContain('1.000 · 0 · 0');

    // The cycle's monitor says so on the review's row.
    const monitor = await coordinator.get(`/ciclos/${cycleId}`).set('Accept', 'text/html').expect(200);
    expect(monitor.text).toContain('Respuesta extemporánea recibida');

    // Scope: a liaison reads only their own department's late answers; a viewer none.
    const ownLiaison = await web.as('liaison', 'SINF');
    expect(((await ownLiaison.get('/api/late-responses').expect(200)).body as { departmentCode: string }[]).every((r) => r.departmentCode === 'SINF')).toBe(true);
    await ownLiaison.get(`/api/late-responses/${older}`).expect(200);
    const otherLiaison = await web.as('liaison', 'SEDU');
    expect(((await otherLiaison.get('/api/late-responses').expect(200)).body as { reviewWorkflowId: string }[]).some((r) => r.reviewWorkflowId === sinf.workflowId)).toBe(false);
    await otherLiaison.get(`/api/late-responses/${older}`).expect(404);
    await otherLiaison.get(`/coordinacion/extemporaneas/${older}`).set('Accept', 'text/html').expect(404);
    await (await web.as('viewer')).get('/api/late-responses').expect(403);
    await coordinator.get('/api/late-responses/abc').expect(400);
  });

  it('keeps an answer the workflow refused because the deadline came after the page read the review', async () => {
    const sedu = reviews.SEDU;
    await reviewIn(h, sedu.workflowId, 'noAdjustment');
    // The page read the review just before the deadline (a stale read: open, with time left);
    // posting goes to the real workflow, which refuses it.
    const services = createAppServices(h.database.db);
    const app = createApp({
      cycles: { ...h.cycles, reviewStatus: async () => sedu },
      services: { ...services, reviews: { ...services.reviews, closure: async () => undefined } },
      auth: createAuth({ db: h.database.db, pages: authPages, secret: testAppSecret, secureCookies: false }),
      log: () => undefined,
      now: () => new Date(Date.parse(sedu.deadline as string) - 60_000),
    });
    const posted = await request(app).post(reviewLinkOf(sedu.workflowId, 'SEDU')).type('form').send(formOf(sedu, 'Ana Lucía Rosero')).expect(200);
    expect(posted.text).toContain('Respuesta extemporánea recibida');
    expect(posted.text).toContain('nada de lo escrito se perdió');
    const rows = await h.database.db.select().from(t.lateResponses).where(eq(t.lateResponses.reviewWorkflowId, sedu.workflowId));
    expect(rows).toMatchObject([{ source: 'refused', respondentName: 'Ana Lucía Rosero' }]);
  });

  it('stops taking late answers LATE_RESPONSE_DAYS after the deadline, showing back everything typed', async () => {
    const sinf = reviews.SINF;
    const link = reviewLinkOf(sinf.workflowId, 'SINF');
    const app = createApp({
      cycles: h.cycles,
      services: createAppServices(h.database.db),
      auth: createAuth({ db: h.database.db, pages: authPages, secret: testAppSecret, secureCookies: false }),
      log: () => undefined,
      lateResponseDays: 30,
      now: () => new Date(Date.parse(sinf.deadline as string) + 31 * 24 * 60 * 60 * 1000),
    });
    const before = (await h.database.db.select().from(t.lateResponses)).length;
    const closed = await request(app).get(link).expect(410);
    expect(closed.text).toContain('recibió respuestas extemporáneas hasta el');
    const form = formOf(sinf, 'María Fernanda Guerrero');
    const refused = await request(app).post(link).type('form').send(form).expect(410);
    expect(refused.text).toContain('Lo que usted escribió');
    expect(refused.text).toContain(form[`justification__${sinf.goals[0]?.goalCode}`]);
    expect((await h.database.db.select().from(t.lateResponses)).length).toBe(before);
  });
});
