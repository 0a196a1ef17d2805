import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import * as t from '../db/schema';
import { launchBrowser, screenshot, startTestServer, type TestBrowser, type TestServer } from './support/browser';
import { createHarness, createTestApp, eventually, reviewIn, type Harness } from './support/harness';

/**
 * A liaison answers on a 390 px phone from the alert e-mail's link (Debian's chromium through
 * playwright-core, the real app, worker and database): the numbers are read back as typed, a
 * refusal lands on a summary whose links take the focus to each field, and nothing is wider than
 * the screen.
 */

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Nothing wider than the phone's screen. */
const pageWidth = (page: Page) => page.evaluate('document.scrollingElement.scrollWidth') as Promise<number>;
/** "Enviar respuesta", and the page it answers with. */
async function submit(page: Page, link: string): Promise<void> {
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.url() === link),
    page.getByRole('button', { name: 'Enviar respuesta' }).click(),
  ]);
  await page.waitForLoadState();
}
const activeId = (page: Page) => page.evaluate('document.activeElement && document.activeElement.id') as Promise<string>;
/** Controls (and the summary's and jump list's links) shorter than 44 px, as "id: height". */
const smallTargets = (page: Page) =>
  page.evaluate(`Array.from(document.querySelectorAll('main input, main select, main textarea, main button, .jump-list a, .error-summary a'))
    .filter((e) => e.offsetParent !== null)
    .map((e) => (e.id || e.getAttribute('href') || e.textContent) + ': ' + Math.round(e.getBoundingClientRect().height))
    .filter((s) => Number(s.split(': ').pop()) < 44)`) as Promise<string[]>;

describe('the response form on a phone', () => {
  let server: TestServer;
  let h: Harness;
  let browser: TestBrowser;
  let reviewId: string;

  beforeAll(async () => {
    server = await startTestServer();
    // Two years of term, so the pending amount can move to the next one.
    h = await createHarness({ publicUrl: server.url, planYears: (year) => [year, year + 1] });
    const { app } = await createTestApp(h);
    server.serve(app);
    browser = await launchBrowser({ baseURL: server.url });
    const { workflowId } = await h.cycles.startCycle({ fiscalYear: h.fiscalYear, quarter: 2, window: '10m' });
    reviewId = `${workflowId}-SINF`;
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
    await server?.close();
  });

  it('reads back 19.000 and 3,5 as typed, takes the liaison from the error summary to each field, and takes the fixed answer', async () => {
    await reviewIn(h, reviewId, 'awaitingResponse');
    // The personal link of the alert e-mail (kept in the outbox when no SMTP is configured).
    const link = await eventually(
      async () => {
        const [mail] = await h.database.db.select().from(t.outbox).where(eq(t.outbox.idempotencyKey, `${reviewId}:alert`));
        return new RegExp(`${escapeRegExp(server.url)}/responder/${escapeRegExp(reviewId)}/[A-Za-z0-9_.-]+`).exec(mail?.text ?? '')?.[0];
      },
      { what: 'the alert e-mail' },
    );
    const phone = await browser.phoneContext();
    const liaison = await phone.newPage();
    expect((await liaison.goto(link))?.status()).toBe(200);
    expect(await liaison.evaluate('innerWidth')).toBe(390);
    await expect(liaison.locator('#progreso').textContent()).resolves.toBe('0 de 2 metas respondidas');
    await expect(liaison.locator('[data-time-left]').textContent()).resolves.toMatch(/^quedan? \d+ minutos?$/);

    // "Mantener" (the default) hides the targets; choosing to reprogram shows them.
    const rural = liaison.locator('#meta-2402002-01');
    await expect(rural.locator('#q3__2402002-01').isVisible()).resolves.toBe(false);
    await rural.getByLabel('Acción', { exact: true }).selectOption({ label: 'Proponer reprogramación' });
    await expect(rural.locator('#q3__2402002-01').isVisible()).resolves.toBe(true);
    // T1 has elapsed (T2 review): shown, not editable.
    await expect(rural.locator('#q1__2402002-01').count()).resolves.toBe(0);
    await expect(rural.locator('.quarter.elapsed').textContent()).resolves.toContain('10');

    // Each number read back as the server will read it, with its difference against the current 10.
    await rural.locator('#q3__2402002-01').fill('19.000');
    await expect(liaison.locator('#lectura-q3__2402002-01').textContent()).resolves.toBe('= 19.000 · +18.990 frente a lo vigente');
    await rural.locator('#q4__2402002-01').fill('3,5');
    await expect(liaison.locator('#lectura-q4__2402002-01').textContent()).resolves.toBe('= 3,5 · \u22126,5 frente a lo vigente');
    await rural.locator('#q2__2402002-01').fill('1.234.5');
    await expect(liaison.locator('#lectura-q2__2402002-01').textContent()).resolves.toMatch(/^Número ambiguo/);
    await rural.getByLabel('Justificación').fill('Corta');
    await rural.getByLabel('Compromiso').fill('Terminar los tramos pendientes el año siguiente');
    const bridges = liaison.locator('#meta-2402003-01');
    await bridges.getByLabel('Justificación').fill('El contrato de obra se firmó en junio');
    await bridges.getByLabel('Compromiso').fill('Iniciar la obra en el tercer trimestre');
    await expect(liaison.locator('#progreso').textContent()).resolves.toBe('2 de 2 metas respondidas');
    expect(await pageWidth(liaison)).toBeLessThanOrEqual(390);
    expect(await smallTargets(liaison)).toEqual([]);
    await screenshot(liaison, 'formulario-telefono-lectura');

    // Sent without a name and with an ambiguous number: the summary takes the focus.
    await submit(liaison, link);
    await liaison.waitForLoadState();
    const summary = liaison.getByRole('alert');
    await expect(summary.getByRole('heading').textContent()).resolves.toContain('corrija 3 campos');
    await eventually(async () => (await activeId(liaison)) === 'resumen-errores', { what: 'the focus on the summary', timeoutMs: 5000 });
    expect(await pageWidth(liaison)).toBeLessThanOrEqual(390);
    expect(await smallTargets(liaison)).toEqual([]);
    await screenshot(liaison, 'formulario-telefono-errores');
    // Everything typed is still there.
    await expect(liaison.locator('#q3__2402002-01').inputValue()).resolves.toBe('19.000');
    await expect(liaison.locator('#lectura-q3__2402002-01').textContent()).resolves.toMatch(/^= 19\.000/);

    // Each link of the summary takes the focus to its field, which is on screen.
    await summary.getByRole('link', { name: /^Nueva programación T2 de la meta 2402002-01 \(Vías rurales mejoradas\): «1\.234\.5» es ambiguo/ }).click();
    expect(await activeId(liaison)).toBe('q2__2402002-01');
    await expect(liaison.locator('#q2__2402002-01').isVisible()).resolves.toBe(true);
    await liaison.keyboard.press('Control+A');
    await liaison.keyboard.type('4');
    await summary.getByRole('link', { name: /^Justificación de la meta 2402002-01/ }).click();
    expect(await activeId(liaison)).toBe('justification__2402002-01');
    await liaison.keyboard.type(': las lluvias retrasaron las obras');
    await summary.getByRole('link', { name: /^Nombre de quien responde/ }).click();
    expect(await activeId(liaison)).toBe('respondentName');
    await liaison.keyboard.type('María Fernanda Guerrero');

    // The total stays 80 over the term: 10 + 4 + 12,5 + 3,5 this year, 50 the next.
    await liaison.locator('#q3__2402002-01').fill('12,5');
    await liaison.locator(`#y${h.fiscalYear + 1}__2402002-01`).fill('50');
    await expect(rural.locator('[data-year-total]').textContent()).resolves.toBe('Meta del año con esta programación: 30 (vigente: 40; \u221210)');
    await submit(liaison, link);
    await liaison.waitForLoadState();
    await expect(liaison.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Respuesta recibida');
    const answer = (await h.cycles.reviewStatus(reviewId)).goals.find((g) => g.goalCode === '2402002-01')?.answer;
    expect(answer).toMatchObject({ action: 'reprogram', newQuarterlyTargets: [10, 4, 12.5, 3.5], futureAnnualTargets: { [String(h.fiscalYear + 1)]: 50 } });
    expect((await h.cycles.reviewStatus(reviewId)).respondent?.name).toBe('María Fernanda Guerrero');

    // The answer read-only, on the same link: its table reads as cards, within the screen.
    await liaison.goto(link);
    await expect(liaison.getByRole('table').textContent()).resolves.toContain('Respuesta registrada');
    expect(await pageWidth(liaison)).toBeLessThanOrEqual(390);
    await screenshot(liaison, 'formulario-telefono-respuesta');
    await phone.close();
  });
});
