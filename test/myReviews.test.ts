import { createHarness, createTestApp, reviewIn, type Harness, type TestApp } from './support/harness';

/** A signed-in liaison finds its department's reviews and answers without the alert e-mail. */
describe('Mis revisiones: a liaison’s own reviews', () => {
  let h: Harness;
  let web: TestApp;
  beforeAll(async () => {
    h = await createHarness({ defaultWindow: '10m' });
    web = await createTestApp(h);
    const { workflowId } = await h.cycles.startCycle({ fiscalYear: h.fiscalYear, quarter: 2 });
    await reviewIn(h, `${workflowId}-SINF`, 'awaitingResponse');
    await reviewIn(h, `${workflowId}-SEDU`, 'awaitingResponse');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('lists only its department, with the link that opens the response form, and is in its navigation', async () => {
    const liaison = await web.as('liaison', 'SINF');
    const page = await liaison.get('/mis-revisiones').set('Accept', 'text/html').expect(200);
    expect(page.text).toContain('<a href="/mis-revisiones" aria-current="page">Mis revisiones</a>');
    expect(page.text).toContain(`Vigencia ${h.fiscalYear} · Trimestre 2`);
    expect(page.text).toContain('Esperando respuesta');
    const links = [...page.text.matchAll(/href="(\/responder\/[^"]+)"/g)].map((m) => m[1] as string);
    expect(links).toHaveLength(1);
    expect(links[0]).toContain(`revision-${h.fiscalYear}-T2-SINF/`);
    const form = await liaison.get(links[0]!).expect(200);
    expect(form.text).toContain('name="respondentName"');
    expect(form.text).toContain('Secretaría de Infraestructura');
  });

  it('offers a review closed by the constancia for a respuesta extemporánea', async () => {
    const { workflowId } = await h.cycles.startCycle({ fiscalYear: h.fiscalYear, quarter: 3, window: '3s' });
    await reviewIn(h, `${workflowId}-SINF`, 'noAdjustment');
    const liaison = await web.as('liaison', 'SINF');
    const page = await liaison.get('/mis-revisiones').set('Accept', 'text/html').expect(200);
    const late = /<a href="(\/responder\/[^"]+)">Enviar respuesta extemporánea<\/a>/.exec(page.text)?.[1];
    expect(late).toContain(`${workflowId}-SINF/`);
    const form = await liaison.get(late as string).expect(200);
    expect(form.text).toContain('su respuesta se registrará como respuesta extemporánea');
    expect(form.text).toContain('name="respondentName"');
  });

  it('is a liaison’s page: other roles do not see it in their navigation and are refused', async () => {
    const viewer = await web.as('viewer');
    const home = await viewer.get('/').set('Accept', 'text/html').expect(200);
    expect(home.text).not.toContain('Mis revisiones');
    expect((await web.admin.get('/').set('Accept', 'text/html').expect(200)).text).not.toContain('Mis revisiones');
    await viewer.get('/mis-revisiones').set('Accept', 'text/html').expect(403);
  });
});
