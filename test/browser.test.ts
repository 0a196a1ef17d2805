import type { BrowserContext, Page } from 'playwright-core';
import { eq } from 'drizzle-orm';
import * as t from '../db/schema';
import { createMailer, type Mailer } from '../mail';
import {
  createAccount,
  describeViolations,
  horizontalOverflow,
  launchBrowser,
  login,
  resetScreenshots,
  scanAccessibility,
  screenshot,
  startTestServer,
  type TestAccount,
  type TestBrowser,
  type TestServer,
} from './support/browser';
import { createHarness, createTestApp, eventually, reviewIn, type Harness } from './support/harness';
import { escudoPng } from './support/escudo';
import { pageAvailability, pageTypes, type PageIds, type PageRole } from './support/pageTypes';
import { decodeWords, leaves, mediaType, parseMime, startSmtp, type TestSmtp } from './support/smtpPeer';

/**
 * The product in a real browser (Debian's chromium through playwright-core) against a real
 * listening server, Temporal worker, database and SMTP peer: an operator starts a cycle, a liaison
 * answers on a phone from the e-mailed link, the coordinator approves in the inbox, an administrator
 * reads the history and the machine diagram; a review nobody answers ends in the constancia. Every
 * page type is photographed (test-artifacts/screenshots/) and scanned with axe-core.
 *
 * Each step is one function, so a step done today through the API (starting the cycle, reading the
 * history) can be swapped for its page when the page exists.
 */

interface Mail {
  to: string[];
  subject: string;
  text: string;
}

const mailsOf = (smtp: TestSmtp): Mail[] =>
  smtp.messages.map((m) => {
    const mime = parseMime(m.raw);
    return {
      to: m.rcptTo,
      subject: decodeWords(mime.headers.get('subject') ?? ''),
      text: leaves(mime).find((p) => mediaType(p) === 'text/plain')?.body.toString('utf8') ?? '',
    };
  });

/** What the accessibility scan refuses: every impact axe-core reports except 'minor'. */
const scannedImpacts = ['moderate', 'serious', 'critical'];

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface TimelineEntry {
  eventId: number;
  kind: string;
  label: string;
  actor: string | null;
}
interface RawEvent {
  eventId: string;
  eventType: string;
  activityTaskScheduledEventAttributes?: { activityType?: { name?: string } };
  activityTaskCompletedEventAttributes?: { scheduledEventId?: string | number };
  workflowExecutionUpdateAcceptedEventAttributes?: { acceptedRequest?: { input?: { name?: string } } };
}

/** The raw event a domain entry must stand on: its type (and activity or update name); `byId` finds a completion's scheduling. */
const expectedEvent: Record<string, (e: RawEvent, byId: Map<number, RawEvent>) => boolean> = {
  reviewStarted: (e) => e.eventType === 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED',
  reviewCompleted: (e) => e.eventType === 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED',
  alertSent: (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'recordAlert',
  // The window opens when the alert is delivered: the completion of deliverAlertEmail (sendAlertEmail before that patch).
  responseWindowOpened: (e, byId) =>
    e.activityTaskScheduledEventAttributes?.activityType?.name === 'sendAlertEmail' ||
    (e.eventType === 'EVENT_TYPE_ACTIVITY_TASK_COMPLETED' &&
      byId.get(Number(e.activityTaskCompletedEventAttributes?.scheduledEventId))?.activityTaskScheduledEventAttributes?.activityType?.name === 'deliverAlertEmail'),
  reprogrammingApplied: (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'applyReprogramming',
  commitmentRecorded: (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'recordCommitment',
  noAdjustmentRecorded: (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'recordNoAdjustment',
  responseReceived: (e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'submitResponse',
  approved: (e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'decide',
};

describe('in the browser', () => {
  let smtp: TestSmtp;
  let server: TestServer;
  let h: Harness;
  let mailer: Mailer | undefined;
  let browser: TestBrowser;
  let accounts: Record<'operator' | 'coordinator' | 'admin', TestAccount>;
  /** Identifiers of this run, for the page types. */
  const ids: Omit<Partial<PageIds>, 'liaisonLinks'> & { liaisonLinks: Partial<PageIds['liaisonLinks']> } = { liaisonLinks: {} };
  /** The cycle whose short window runs out while the happy path goes on (the timeout path). */
  let lateCycle: string;

  // ---- Steps (one function each: swap the API ones for pages as they are built) ----------------

  /** The operator starts a quarterly cycle in /ciclos/nuevo: preview of the flagged goals, then confirm. */
  async function operatorStartsCycle(quarter: number, window: string): Promise<string> {
    const operator = await signedIn(accounts.operator);
    try {
      await operator.page.goto('/ciclos/nuevo');
      await operator.page.getByLabel('Vigencia').selectOption(String(h.fiscalYear));
      await operator.page.getByLabel('Trimestre').selectOption(String(quarter));
      await operator.page.getByLabel(/Plazo de respuesta/).fill(window);
      await operator.page.getByRole('button', { name: 'Ver vista previa' }).click();
      await expect(operator.page.getByRole('heading', { level: 2, name: /metas de \d+ dependencias recibirán alerta/ }).count()).resolves.toBe(1);
      await screenshot(operator.page, `flujo-0-vista-previa-T${quarter}`);
      await operator.page.getByRole('button', { name: /Confirmar e iniciar la Revisión trimestral/ }).click();
      await operator.page.waitForURL(/\/ciclos\/revision-\d{4}-T[1-4]\?hecho=iniciado$/);
      await expect(operator.page.getByRole('status').first().textContent()).resolves.toContain('Ciclo iniciado');
      return new URL(operator.page.url()).pathname.split('/').at(-1) as string;
    } finally {
      await operator.context.close();
    }
  }

  /** The personal link of a review's alert e-mail, as received by the SMTP peer (full URL). */
  const emailedLink = (reviewWorkflowId: string) =>
    eventually(
      async () => {
        const pattern = new RegExp(`${escapeRegExp(server.url)}/responder/${escapeRegExp(reviewWorkflowId)}/[A-Za-z0-9_.-]+`);
        for (const mail of mailsOf(smtp)) {
          const link = pattern.exec(mail.text)?.[0];
          if (link && mail.subject.includes('Reporte de alerta trimestral')) return link;
        }
        return undefined;
      },
      { what: `the alert e-mail of ${reviewWorkflowId}` },
    );

  /** A desktop browser context signed in as `account` through /login. */
  async function signedIn(account: TestAccount): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext();
    const page = await context.newPage();
    await login(page, account.email, account.password);
    return { context, page };
  }

  beforeAll(async () => {
    smtp = await startSmtp();
    server = await startTestServer();
    h = await createHarness({
      publicUrl: server.url,
      activities: (db) => ({
        mailer: (mailer = createMailer({ db, smtpUrl: smtp.url, from: 'Planeación Municipal <planeacion@pasto.gov.co>', transportOptions: { ignoreTLS: true } })),
      }),
    });
    const { app } = await createTestApp(h);
    server.serve(app);
    const { db } = h.database;
    accounts = {
      operator: await createAccount(db, 'operator', 'Olga Operadora'),
      coordinator: await createAccount(db, 'coordinator', 'Carlos Coordinador'),
      admin: await createAccount(db, 'admin', 'Adriana Administradora'),
    };
    resetScreenshots();
    browser = await launchBrowser({ baseURL: server.url });
    // The timeout path's cycle starts first: its 15 s run out while the happy path goes on.
    lateCycle = await operatorStartsCycle(1, '15s');
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
    mailer?.close();
    await server?.close();
    await smtp?.close();
  });

  it('operator starts a cycle → liaison answers on a phone from the e-mail → coordinator approves → administrator reads the history and the diagram', async () => {
    const cycleId = await operatorStartsCycle(2, '10m');
    ids.cycleWorkflowId = cycleId;
    const ssalId = `${cycleId}-SSAL`;
    ids.reviewWorkflowId = ssalId;
    ids.goalCode = '1905002-01';

    // The operator keeps the cycle monitor open; it must follow the review without a reload.
    await reviewIn(h, ssalId, 'awaitingResponse');
    const monitor = await signedIn(accounts.operator);
    await monitor.page.goto(`/ciclos/${cycleId}`);
    // Operators see the department's name; workflow IDs are for administrators.
    const ssalRow = monitor.page.getByRole('row', { name: /Secretaría de Salud/ });
    await ssalRow.getByText('Esperando respuesta').waitFor({ timeout: 30_000 });
    await expect(ssalRow.getByText('Esperando respuesta').count()).resolves.toBe(1);
    await monitor.page.evaluate(() => ((globalThis as unknown as { sameDocument: boolean }).sameDocument = true));
    // Its live status line is announced only when its words change: refreshes bringing the same news leave it untouched.
    await monitor.page.evaluate(`(() => {
      const live = document.querySelector('#monitor [role="status"]');
      window.liveProbe = { node: live, text: live.textContent, mutations: 0, refreshes: 0 };
      new MutationObserver((records) => { window.liveProbe.mutations += records.length; }).observe(live, { subtree: true, childList: true, characterData: true });
      const original = window.fetch;
      window.fetch = (...args) => original(...args).then((response) => {
        const text = response.text.bind(response);
        response.text = () => text().then((body) => { setTimeout(() => { window.liveProbe.refreshes += 1; }, 0); return body; });
        return response;
      });
    })()`);
    // A function, not a string: the page's CSP forbids eval.
    await monitor.page.waitForFunction(() => (globalThis as unknown as { liveProbe: { refreshes: number } }).liveProbe.refreshes >= 2, undefined, { timeout: 30_000 });
    await expect(
      monitor.page.evaluate(`({ same: window.liveProbe.node === document.querySelector('#monitor [role="status"]'), sameText: window.liveProbe.text === window.liveProbe.node.textContent, mutations: window.liveProbe.mutations })`),
    ).resolves.toEqual({ same: true, sameText: true, mutations: 0 });

    // The liaison opens the link of the alert e-mail on a phone and answers, reprogramming one goal.
    const ssalLink = await emailedLink(ssalId);
    ids.liaisonLinks.answered = new URL(ssalLink).pathname;
    ids.liaisonLinks.open = new URL(await emailedLink(`${cycleId}-SINF`)).pathname;
    await reviewIn(h, ssalId, 'awaitingResponse');
    const phone = await browser.phoneContext();
    const liaison = await phone.newPage();
    expect((await liaison.goto(ssalLink))?.status()).toBe(200);
    expect(await liaison.evaluate(() => (globalThis as unknown as { innerWidth: number }).innerWidth)).toBe(390);
    await expect(liaison.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Secretaría de Salud');
    await screenshot(liaison, 'flujo-1-enlace-formulario');

    await liaison.getByLabel('Nombre de quien responde').fill('Jorge Eliécer Bravo');
    const goals = liaison.getByRole('group');
    const goalCount = await goals.count();
    let reprogrammed = 0;
    for (let i = 0; i < goalCount; i++) {
      const goal = goals.nth(i);
      const legend = (await goal.locator('legend').textContent()) ?? '';
      if (legend.startsWith('1905002-01')) {
        await goal.getByLabel('Acción', { exact: true }).selectOption({ label: 'Proponer reprogramación' });
        await goal.getByLabel('Justificación').fill('Las campañas se concentran en el segundo semestre por la contratación');
        await goal.getByLabel('Compromiso').fill('Realizar dos campañas en T3 y dos en T4');
        // T1 has elapsed (T2 review) and keeps its 1; the year's 4 stay.
        for (const [q, value] of [['T2', '0'], ['T3', '2'], ['T4', '1']]) await goal.getByLabel(q as string, { exact: true }).fill(value as string);
        reprogrammed += 1;
      } else {
        await goal.getByLabel('Justificación').fill('El rezago se recupera en el semestre con la contratación en curso');
        await goal.getByLabel('Compromiso').fill('Reportar el avance mensual a la Oficina de Planeación');
      }
    }
    expect(reprogrammed).toBe(1);
    await screenshot(liaison, 'flujo-2-formulario-diligenciado');
    const [submitted] = await Promise.all([
      liaison.waitForResponse((r) => r.request().method() === 'POST' && r.url() === ssalLink),
      liaison.getByRole('button', { name: 'Enviar respuesta' }).click(),
    ]);
    expect(submitted.status()).toBe(200);
    await liaison.waitForLoadState();
    await expect(liaison.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Respuesta recibida');
    await expect(liaison.getByRole('status').textContent()).resolves.toContain('quedó registrada');
    await screenshot(liaison, 'flujo-3-respuesta-recibida');

    // The coordinator opens the review from the inbox, compares before and after, and approves there.
    await reviewIn(h, ssalId, 'underAgreement');
    const coordinator = await signedIn(accounts.coordinator);
    await coordinator.page.goto('/coordinacion');
    await screenshot(coordinator.page, 'flujo-4-bandeja-coordinacion');
    const ssalInInbox = /^(Revisar la respuesta|Ver la revisión) de Secretaría de Salud, Revisión trimestral \d{4} · T2$/;
    await coordinator.page.getByRole('link', { name: ssalInInbox }).click();
    await coordinator.page.waitForURL(new RegExp(`/coordinacion/${escapeRegExp(ssalId)}$`));
    const proposal = coordinator.page.getByRole('article', { name: /^1905002-01 · / });
    // T4 proposed 1 (and T1, elapsed, kept as programmed).
    await expect(proposal.getByRole('row', { name: /^T4/ }).getByRole('cell').nth(1).textContent()).resolves.toMatch(/^1\b/);
    await expect(proposal.locator('td.changed').count()).resolves.toBeGreaterThan(0);
    await screenshot(coordinator.page, 'flujo-4b-revision-coordinacion');
    // Scanned here, while its decision forms are shown (the page type in the list below is the decided review).
    expect(describeViolations(await scanAccessibility(coordinator.page))).toBe('');
    await coordinator.page.getByLabel('Confirmo que acordé esta respuesta con la dependencia').check();
    await coordinator.page.getByRole('button', { name: 'Aprobar', exact: true }).click();
    await coordinator.page.waitForURL(/\/coordinacion\?hecho=aprobada/);
    await expect(coordinator.page.getByRole('status').first().textContent()).resolves.toContain('Decisión registrada');
    await expect(coordinator.page.getByRole('link', { name: ssalInInbox }).count()).resolves.toBe(0);
    await screenshot(coordinator.page, 'flujo-5-decision-registrada');

    // The monitor refreshed itself in the same document: the review is reprogrammed there too.
    await ssalRow.getByText('Reprogramada').waitFor({ timeout: 30_000 });
    expect(await monitor.page.evaluate(() => (globalThis as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    await monitor.context.close();

    // The administrator reads the history of the same run (the JSON API, then the page).
    const reviewed = await eventually(async () => {
      const view = await h.cycles.reviewStatus(ssalId);
      return view.outcome ? view : undefined;
    }, { what: `${ssalId} closed` });
    expect(reviewed.state).toBe('reprogrammed');
    const admin = await signedIn(accounts.admin);
    const history = (await eventually(async () => {
      const response = await admin.page.goto(`/api/workflows/${ssalId}/history`);
      const body = (await response?.json()) as { timeline: TimelineEntry[]; events: RawEvent[] };
      return body.timeline.some((e) => e.kind === 'reviewCompleted') ? body : undefined;
    }, { what: 'the completed history' })) as { timeline: TimelineEntry[]; events: RawEvent[] };
    const kinds = history.timeline.map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['alertSent', 'responseReceived', 'approved', 'reprogrammingApplied', 'reviewCompleted']));
    const reprogramming = history.timeline.filter((e) => e.kind === 'reprogrammingApplied');
    expect(reprogramming.length).toBeGreaterThanOrEqual(1);
    expect(reprogramming[0]?.label).toMatch(/Reprogramación aplicada/);
    // Every domain entry stands on a real event of the raw history, of the matching type.
    const byId = new Map(history.events.map((e) => [Number(e.eventId), e]));
    for (const entry of history.timeline) {
      const event = byId.get(entry.eventId);
      expect({ entry, found: event !== undefined }).toEqual({ entry, found: true });
      const matches = expectedEvent[entry.kind];
      if (matches) expect({ entry, eventType: event?.eventType, matches: matches(event as RawEvent, byId) }).toEqual({ entry, eventType: event?.eventType, matches: true });
    }
    expect(history.timeline.find((e) => e.kind === 'approved')?.actor).toBe(accounts.coordinator.name);

    // The same in the administrator's history page: each timeline row links to its raw event row,
    // and the diagram generated from the machine shows the review's final state, and only it, highlighted.
    await admin.page.goto(`/admin/flujos/${ssalId}`);
    await expect(admin.page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(ssalId);
    const timelineRows = admin.page.locator('table').first().locator('tbody tr');
    await expect(timelineRows.count()).resolves.toBe(history.timeline.length);
    await expect(admin.page.getByRole('rowheader', { name: /Reprogramación aplicada/ }).count()).resolves.toBeGreaterThanOrEqual(1);
    for (const href of await admin.page.locator('a[href^="#evento-"]').evaluateAll((links) => links.map((a) => a.getAttribute('href')))) {
      await expect(admin.page.locator(`tr${href}`).count()).resolves.toBe(1);
    }
    const diagram = admin.page.getByRole('img', { name: /estado actual: Reprogramada/ });
    const highlighted = await diagram.locator('g.node').filter({ has: admin.page.locator('[fill="#0b4f8a"]') }).locator('title').allTextContents();
    expect(highlighted).toEqual(['reprogrammed']);
    await expect(admin.page.getByRole('link', { name: /Descargar el historial/ }).getAttribute('href')).resolves.toBe(`/api/workflows/${ssalId}/history.json`);
    await screenshot(admin.page, 'flujo-6-historial-y-diagrama');
    // The diagram opened scrolled (inside its own box) to the highlighted state.
    const shown = await admin.page.evaluate<{ region: number[]; node: number[] }[]>(
      `[...document.querySelectorAll('.diagram-region')].filter((region) => region.querySelector('.current-state')).map((region) => {
        const r = region.getBoundingClientRect(); const n = region.querySelector('.current-state').getBoundingClientRect(); return { region: [r.left, r.right], node: [n.left, n.right] }; })`,
    );
    expect(shown.length).toBeGreaterThanOrEqual(1);
    for (const { region, node } of shown) expect({ region, node, inView: node[0]! >= region[0]! - 1 && node[1]! <= region[1]! + 1 }).toMatchObject({ inView: true });
  });

  it('a review nobody answers ends in the constancia: the e-mailed link takes a late answer and the outbox shows the constancia', async () => {
    const sinfId = `${lateCycle}-SINF`;
    const link = await emailedLink(sinfId);
    await reviewIn(h, sinfId, 'noAdjustment');
    const constancia = await eventually(async () => mailsOf(smtp).find((m) => m.subject.includes('Constancia de negativa de ajustes') && m.text.includes(sinfId)), {
      what: 'the constancia e-mail',
    });
    expect(constancia.to).toContain('enlace.infraestructura@demo.gov.co');

    // The liaison opens the old link on the phone: the form, saying the answer will be extemporánea.
    const phone = await browser.phoneContext();
    const liaison = await phone.newPage();
    const expired = await liaison.goto(link);
    expect(expired?.status()).toBe(200);
    await expect(liaison.getByRole('note').first().textContent()).resolves.toContain('su respuesta se registrará como respuesta extemporánea');
    await screenshot(liaison, 'flujo-7-enlace-vencido');
    ids.liaisonLinks.expired = new URL(link).pathname;
    // The late answer is kept: every goal answered, sent, confirmed as extemporánea.
    await liaison.getByLabel('Nombre de quien responde').fill('María Fernanda Guerrero');
    const goals = liaison.getByRole('group');
    for (let i = 0; i < (await goals.count()); i++) {
      await goals.nth(i).getByLabel('Justificación').fill('La obra se contrató tarde; el avance se recupera en el segundo semestre');
      await goals.nth(i).getByLabel('Compromiso').fill('Reportar el avance mensual a la Oficina de Planeación');
    }
    const [lateSubmitted] = await Promise.all([
      liaison.waitForResponse((r) => r.request().method() === 'POST' && r.url() === link),
      liaison.getByRole('button', { name: 'Enviar respuesta' }).click(),
    ]);
    expect(lateSubmitted.status()).toBe(200);
    await liaison.waitForLoadState();
    await expect(liaison.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Respuesta extemporánea recibida');
    await screenshot(liaison, 'flujo-7b-respuesta-extemporanea-recibida');
    const [late] = await h.database.db.select({ id: t.lateResponses.id }).from(t.lateResponses).where(eq(t.lateResponses.reviewWorkflowId, sinfId));
    ids.lateResponseId = late?.id;

    // The administrator finds the constancia in the outbox and opens it.
    const admin = await signedIn(accounts.admin);
    await admin.page.goto('/admin/correos');
    const row = admin.page.getByRole('row').filter({ hasText: 'Constancia de negativa de ajustes' }).filter({ hasText: 'enlace.infraestructura@demo.gov.co' });
    await expect(row.count()).resolves.toBeGreaterThanOrEqual(1);
    await screenshot(admin.page, 'flujo-8-correos');
    await row.first().getByRole('link').click();
    await admin.page.waitForURL(/\/admin\/correos\/\d+$/);
    ids.outboxId = Number(/\/admin\/correos\/(\d+)$/.exec(admin.page.url())?.[1]);
    await expect(admin.page.getByRole('link', { name: /^constancia-negativa-ajustes-\d{4}-T1-SINF\.pdf$/ }).count()).resolves.toBe(1);
    await screenshot(admin.page, 'flujo-9-correo-constancia');
  });

  it('every page type, on a desktop and on a 390 px phone: a screenshot of each, no sideways scroll, no accessibility violation; the escudo and colours in the header', async () => {
    const complete = ids as unknown as PageIds;
    for (const key of ['cycleWorkflowId', 'reviewWorkflowId', 'goalCode', 'outboxId', 'lateResponseId'] as const) expect(complete[key]).toBeDefined();
    for (const key of ['open', 'answered', 'expired'] as const) expect(complete.liaisonLinks[key]).toBeDefined();

    const pages = new Map<string, Page>();
    // Every page records what the CSP refused (an inline style or script would be), from its first script on.
    const watchPolicy = async (page: Page) => {
      await page.addInitScript({
        content: `window.refusedByPolicy = []; document.addEventListener('securitypolicyviolation', (e) => window.refusedByPolicy.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sample));`,
      });
      return page;
    };
    const pageFor = async (role: PageRole, phone: boolean): Promise<Page> => {
      const key = `${role}:${phone ? 'phone' : 'desktop'}`;
      const existing = pages.get(key);
      if (existing) return existing;
      const page = await watchPolicy(await (phone ? await browser.phoneContext() : await browser.newContext()).newPage());
      if (role === 'admin') await login(page, accounts.admin.email, accounts.admin.password);
      pages.set(key, page);
      return page;
    };

    // The scanner itself works under the app's CSP: a missing alt text is found.
    const probe = await pageFor('anonymous', false);
    await probe.goto('/login');
    await probe.locator('main').evaluate((main) => main.insertAdjacentHTML('beforeend', '<img src="/sin-texto-alternativo.png">'));
    expect((await scanAccessibility(probe, { impacts: scannedImpacts })).map((v) => v.id)).toContain('image-alt');

    // An administrator uploads the escudo on /admin/municipio: every page's header shows it from then on.
    const admin = await pageFor('admin', false);
    await admin.goto('/admin/municipio');
    await admin.getByLabel('Cargar el escudo').setInputFiles({ name: 'escudo-pasto.png', mimeType: 'image/png', buffer: escudoPng(120) });
    await Promise.all([admin.waitForURL(/\/admin\/municipio\?guardado=escudo$/), admin.getByRole('button', { name: 'Cargar escudo' }).click()]);
    await expect(admin.getByRole('status').textContent()).resolves.toContain('Se guardó el escudo');
    await screenshot(admin, 'municipio-escudo-cargado');

    const problems: string[] = [];
    const unavailable: string[] = [];
    for (const type of pageTypes) {
      // Liaisons' pages are for phones first; every page is also seen on the other size.
      const sizes = type.phone ? [true, false] : [false, true];
      for (const phone of sizes) {
        const size = phone ? 'telefono' : 'escritorio';
        const page = await pageFor(type.role ?? 'admin', phone);
        const path = type.path(complete);
        const response = await page.goto(path);
        const availability = pageAvailability(type, response?.status() ?? 0);
        if (availability === 'unavailable') {
          unavailable.push(`${type.name} (${path})`);
          break;
        }
        const where = `${type.name} (${path}, ${size})`;
        if (availability === 'unexpected') problems.push(`${where}: HTTP ${response?.status()}, se esperaba ${type.status ?? 200}`);
        // Styled by the app's own stylesheets (/assets/app.css, /assets/identity.css), and nothing refused by the CSP.
        const { font, primary, escudo, refused } = await page.evaluate<{ font: string; primary: string; escudo: number | null; refused: string[] }>(
          `({ font: getComputedStyle(document.body).fontFamily, primary: getComputedStyle(document.documentElement).getPropertyValue('--color-primary').trim(),
              escudo: document.querySelector('header img.escudo')?.naturalWidth ?? null, refused: window.refusedByPolicy ?? [] })`,
        );
        if (!font.includes('system-ui')) problems.push(`${where}: sin la hoja de estilos (font-family ${font})`);
        if (!/^#[0-9a-f]{6}$/.test(primary)) problems.push(`${where}: sin los colores del municipio (/assets/identity.css): --color-primary «${primary}»`);
        if (escudo !== 120) problems.push(`${where}: el encabezado no muestra el escudo (ancho natural ${escudo})`);
        if (refused.length) problems.push(`${where}: bloqueado por la CSP: ${refused.join('; ')}`);
        const overflow = await horizontalOverflow(page);
        if (overflow.scrollWidth > overflow.clientWidth) {
          problems.push(`${where}: desplazamiento horizontal, ${overflow.scrollWidth} px en ${overflow.clientWidth} px: ${overflow.culprits.join(', ')}`);
        }
        await screenshot(page, `pagina-${type.name}-${size}`);
        const violations = await scanAccessibility(page, { impacts: scannedImpacts });
        if (violations.length) problems.push(`${where}:\n${describeViolations(violations)}`);
      }
    }
    if (unavailable.length) console.log(`Páginas aún no disponibles (404): ${unavailable.join(', ')}`);
    expect(problems).toEqual([]);
  }, 600_000);
});
