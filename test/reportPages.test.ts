import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { eq } from 'drizzle-orm';
import { createApiToken, createUser } from '../auth';
import { loadMunicipality, MUNICIPALITY_LAST_REPORTED } from '../scripts/demo';
import * as t from '../db/schema';
import { goalStatuses, goalStatusLabels, type GoalStatus } from '../domain/goals';
import type { Dashboard } from '../reports/dashboard';
import { summarize } from '../reports/dashboard';
import type { QuarterReport } from '../reports';
import { escapeHtml } from '../domain/html';
import { answerAll } from './support/answers';
import { createHarness, createTestApp, reviewIn, type Harness, type TestApp } from './support/harness';

const PASSWORD = 'una clave de pruebas suficientemente larga';

type DashboardJson = QuarterReport & { summary: Dashboard };

/** Signs in through the login form, as a browser does: the agent keeps the session cookie. */
async function loggedInViewer(test: TestApp, db: Harness['database']['db']) {
  const email = `consulta-${Math.random().toString(36).slice(2, 10)}@pruebas.gov.co`;
  await createUser(db, { email, name: 'Persona de consulta', role: 'viewer', password: PASSWORD });
  const agent = request.agent(test.app);
  const form = await agent.get('/login').expect(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1];
  if (!csrf) throw new Error('login form without CSRF token');
  const login = await agent.post('/login').set('Accept', 'text/html').type('form').send({ _csrf: csrf, email, password: PASSWORD, next: '/tablero' }).expect(303);
  expect(login.headers.location).toBe('/tablero');
  return agent;
}

/** The number in the cell marked data-count="<scope>". */
function countOf(page: string, scope: string): number {
  const match = new RegExp(`data-count="${escapeRegExp(escapeHtml(scope))}">(\\d+)`).exec(page);
  if (!match) throw new Error(`no data-count="${scope}" in the page`);
  return Number(match[1]);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const goalRows = (page: string) => [...page.matchAll(/<tr data-goal="([^"]+)">/g)].map((m) => m[1]);
const serverTime = (res: request.Response) => Number(/app;dur=([\d.]+)/.exec(String(res.headers['server-timing']))?.[1]);

/** Every count of the page's semáforo (plan, each department, each line) equals the API's JSON. */
function expectSameCounts(page: string, summary: Dashboard) {
  const scopes: [string, Dashboard['plan']][] = [
    ['plan', summary.plan],
    ...summary.byDepartment.map((g): [string, Dashboard['plan']] => [`department:${g.key}`, g]),
    ...summary.byLine.map((g): [string, Dashboard['plan']] => [`line:${g.key}`, g]),
  ];
  for (const [scope, b] of scopes) {
    for (const status of goalStatuses) expect([scope, status, countOf(page, `${scope}:${status}`)]).toEqual([scope, status, b.counts[status]]);
    expect(countOf(page, `${scope}:total`)).toBe(b.total);
    expect(countOf(page, `${scope}:lagging`)).toBe(b.lagging);
  }
}

/** WCAG 2.x contrast ratio of two #RRGGBB colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [0, 2, 4].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe('tablero de control and goal pages (demo municipality, 20 goals)', () => {
  let h: Harness;
  let test: TestApp;
  let viewer: ReturnType<typeof request.agent>;
  let year: number;
  const api = async (quarter: number) => (await viewer.get(`/api/dashboard?year=${year}&quarter=${quarter}`).expect(200)).body as DashboardJson;

  beforeAll(async () => {
    h = await createHarness();
    year = h.fiscalYear;
    test = await createTestApp(h);
    viewer = await loggedInViewer(test, h.database.db);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('shows the semáforo of the whole plan, per department and per line with the counts of /api/dashboard', async () => {
    const res = await viewer.get(`/tablero?anio=${year}&trimestre=2&dependencia=&linea=&estado=`).expect(200);
    expect(res.headers['content-type']).toContain('text/html');
    const json = await api(2);
    expectSameCounts(res.text, json.summary);
    expect(json.summary.byDepartment.map((g) => g.key)).toEqual(['SEDU', 'SINF', 'SSAL']);
    expect(goalRows(res.text)).toEqual(json.goals.map((g) => g.goalCode));
    expect(res.text).toContain(`Vigencia ${year} · Trimestre 2`);
    // Every status is written, next to its colour, and each pair reads at WCAG AA.
    // The colours are rules of the app's own stylesheet (the CSP allows no inline style).
    expect(res.text).toContain('<link rel="stylesheet" href="/assets/app.css">');
    expect(res.text).not.toMatch(/<style|style="/);
    expect(res.headers['content-security-policy']).toContain("style-src 'self';");
    const stylesheet = await viewer.get('/assets/app.css').expect(200).expect('content-type', /text\/css/).expect('cache-control', 'public, max-age=3600');
    await viewer.get('/assets/app.css').set('If-None-Match', stylesheet.headers.etag as string).expect(304);
    const css = stylesheet.text;
    const colours = new Map([...css.matchAll(/\.status-(\w+) \{ background: #([0-9A-F]{6}); color: #([0-9A-F]{6});/g)].map((m) => [m[1], [m[2], m[3]]]));
    const badges = [...res.text.matchAll(/<span class="badge status-(\w+)">([^<]+)<\/span>/g)];
    expect(new Set(badges.map((b) => b[2]))).toEqual(new Set(goalStatuses.map((s) => goalStatusLabels[s])));
    for (const [, status] of badges) {
      const [fill, text] = colours.get(status as string) ?? [];
      expect(contrast(fill as string, text as string)).toBeGreaterThanOrEqual(4.5);
    }
    // The filters are a GET form of labelled selects.
    expect(res.text).toContain('<form method="get" action="/tablero"');
    for (const [id, name] of [['f-anio', 'anio'], ['f-trimestre', 'trimestre'], ['f-dependencia', 'dependencia'], ['f-linea', 'linea'], ['f-estado', 'estado']]) {
      expect(res.text).toMatch(new RegExp(`<label for="${id}">[^<]+</label><select id="${id}" name="${name}">`));
    }
  });

  it('opens on the latest quarter with reported progress', async () => {
    const res = await viewer.get('/tablero').expect(200);
    // The demo reports the first two quarters of the harness's year.
    expect(res.text).toContain(`Vigencia ${year} · Trimestre 2`);
    expect(res.text).toContain(`<option value="${year}" selected>${year}</option>`);
    expect(res.text).toContain('<option value="2" selected>T2</option>');
  });

  it('narrows the table with the filters and shows the semáforo of the selection', async () => {
    const json = await api(2);
    const codes = (keep: (g: DashboardJson['goals'][number]) => boolean) => json.goals.filter(keep).map((g) => g.goalCode);

    const sinf = await viewer.get(`/tablero?anio=${year}&trimestre=2&dependencia=SINF`).expect(200);
    expect(goalRows(sinf.text)).toEqual(codes((g) => g.departmentCode === 'SINF'));
    expect(countOf(sinf.text, 'selection:total')).toBe(6);
    expectSameCounts(sinf.text, json.summary); // the plan's semáforo stays whole
    expect(sinf.text).toContain('<option value="SINF" selected>');

    // The demo's goals without reports are "sin reporte", a status of its own on the tablero.
    const noReport = await viewer.get(`/tablero?anio=${year}&trimestre=2&estado=noReport`).expect(200);
    expect(goalRows(noReport.text)).toEqual(codes((g) => g.status === 'noReport'));
    expect(goalRows(noReport.text).length).toBeGreaterThan(0);
    expect(noReport.text).toContain('Sin reporte');

    const line = json.goals.find((g) => g.departmentCode === 'SSAL')?.strategicLine as string;
    const byLine = await viewer.get(`/tablero?anio=${year}&trimestre=2&linea=${encodeURIComponent(line)}&estado=behind`).expect(200);
    expect(goalRows(byLine.text)).toEqual(codes((g) => g.strategicLine === line && g.status === 'behind'));

    const none = await viewer.get(`/tablero?anio=${year}&trimestre=2&dependencia=SEDU&estado=overachieved`).expect(200);
    const expected = codes((g) => g.departmentCode === 'SEDU' && g.status === 'overachieved');
    expect(goalRows(none.text)).toEqual(expected);
    if (!expected.length) expect(none.text).toContain('Ninguna meta cumple los filtros elegidos');

    const unknown = await viewer.get(`/tablero?anio=${year}&trimestre=2&dependencia=NOEXISTE`).expect(400);
    expect(unknown.text).toContain('La dependencia NOEXISTE no tiene metas');
  });

  it('links every goal to its record and offers the downloads of the quarter', async () => {
    const res = await viewer.get(`/tablero?anio=${year}&trimestre=2`).expect(200);
    expect(res.text).toContain('<a href="/metas/2201001-01">2201001-01</a>');
    const goal = await viewer.get('/metas/2201001-01').expect(200);
    expect(goal.text).toContain('Meta 2201001-01: Sedes educativas con conectividad');
    expect(goal.text).toContain('Secretaría de Educación (SEDU)');
    expect(goal.text).toContain('Suma (acumulado)');
    // The chart is an image with a title and a description, followed by its data table.
    const labelled = /<svg role="img" aria-labelledby="([^" ]+) ([^"]+)"/.exec(goal.text);
    expect(labelled).not.toBeNull();
    expect(goal.text).toContain(`<title id="${labelled?.[1]}">Programado y ejecutado por trimestre de la meta 2201001-01</title>`);
    expect(goal.text).toContain(`<desc id="${labelled?.[2]}">`);
    expect(goal.text).toContain(`${year} T1: programado 5, ejecutado 5`);
    expect(goal.text).toContain('Datos del gráfico');

    const period = `year=${year}&amp;quarter=2`;
    for (const href of [
      `/api/dashboard?${period}&amp;format=xlsx`,
      `/api/dashboard?${period}&amp;format=pptx`,
      `/api/matrices/quarterly?${period}`,
    ]) {
      expect(res.text).toContain(`href="${href}"`);
    }
    // The accumulated matrix is a third-quarter one; the justification one needs the cycle's alerts.
    expect(res.text).not.toContain('/api/matrices/cumulative');
    expect(res.text).toContain('se consolida desde el tercer trimestre');
    expect(res.text).not.toContain('/api/matrices/justification');
    const t3 = await viewer.get(`/tablero?anio=${year}&trimestre=3&dependencia=SEDU`).expect(200);
    expect(t3.text).toContain(`href="/api/matrices/cumulative?year=${year}&amp;quarter=3&amp;department=SEDU"`);
    const xlsx = await viewer.get(`/api/dashboard?year=${year}&quarter=2&format=xlsx`).buffer(true).expect(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
  });

  it('answers an invalid query with a Spanish page (400) and an unknown goal with 404', async () => {
    const quarter = await viewer.get('/tablero?anio=2026&trimestre=5').expect(400);
    expect(quarter.headers['content-type']).toContain('text/html');
    expect(quarter.text).toContain('Trimestre: el trimestre debe estar entre 1 y 4');
    expect(quarter.text).toContain('<html lang="es-CO">');
    const status = await viewer.get(`/tablero?anio=${year}&trimestre=2&estado=rojo`).expect(400);
    expect(status.text).toContain('Estado: use uno de');
    const year400 = (await viewer.get('/tablero?anio=dos-mil').expect(400)).text;
    // Fields named as the page names them, never by their query-string key.
    expect(year400).toContain('Vigencia: la vigencia debe ser un año');
    expect(year400).not.toContain('anio:');

    const missing = await viewer.get('/metas/9999999-99').expect(404);
    expect(missing.text).toContain('No existe la meta 9999999-99');
    const odd = await viewer.get(`/metas/${encodeURIComponent('<b>x</b>')}`).expect(404);
    expect(odd.text).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(odd.text).not.toContain('<b>x</b>');
  });

  it('sends anonymous visitors to the login page', async () => {
    const tablero = await request(test.app).get(`/tablero?anio=${year}&trimestre=2`).set('Accept', 'text/html').expect(303);
    expect(tablero.headers.location).toBe(`/login?next=${encodeURIComponent(`/tablero?anio=${year}&trimestre=2`)}`);
    const goal = await request(test.app).get('/metas/2201001-01').set('Accept', 'text/html').expect(303);
    expect(goal.headers.location).toBe('/login?next=%2Fmetas%2F2201001-01');
  });

  it('escapes a goal name with markup on both pages, and shows a renamed goal at once', async () => {
    await viewer.get(`/tablero?anio=${year}&trimestre=2`).expect(200); // the quarter is now computed and kept
    const name = 'Aulas <script>alert("x")</script> mejoradas';
    await h.database.db.update(t.goals).set({ name }).where(eq(t.goals.code, '2201004-01'));
    const tablero = await viewer.get(`/tablero?anio=${year}&trimestre=2`).expect(200);
    const escaped = 'Aulas &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; mejoradas';
    expect(tablero.text).toContain(escaped);
    expect(tablero.text).not.toContain('<script>alert');
    const goal = await viewer.get('/metas/2201004-01').expect(200);
    expect(goal.text).toContain(escaped);
    expect(goal.text).not.toContain('<script>alert');
  });

  it('shows every programming version, the quarterly status and the review after a reprogramming', async () => {
    const goalCode = '2402002-01';
    const reviewId = `revision-${year}-T2-SINF`;
    await test.admin.post('/api/cycles').send({ fiscalYear: year, quarter: 2, window: '5m' }).expect(201);
    const view = await reviewIn(h, reviewId, 'awaitingResponse');
    await h.cycles.submitResponse(reviewId, answerAll(view, [goalCode], [3, 4, 16.5, 16.5]));
    await reviewIn(h, reviewId, 'underAgreement');
    await test.admin.post(`/api/reviews/${reviewId}/decision`).send({ decision: 'approve' }).expect(200);

    const res = await viewer.get(`/metas/${goalCode}`).expect(200);
    expect(res.text).toContain(`data-version="${year}-1"`);
    expect(res.text).toContain(`data-version="${year}-2"`);
    expect(res.text).toMatch(/v2 <small>\(vigente\)<\/small>/);
    expect(res.text).toContain('Reprogramación aprobada por Cuenta admin');
    expect(res.text).toContain(`${year} T3: programado 16,5`);
    // The review: links to its cycle, the state in Spanish and the liaison's answer.
    expect(res.text).toContain(`<a href="/ciclos/revision-${year}-T2">Revisión trimestral ${year} · T2</a>`);
    expect(res.text).toContain('Estado de la meta: <strong>Reprogramada</strong>');
    expect(res.text).toContain(`Reprogramación de ${goalCode} por retrasos en la contratación`);
    expect(res.text).toContain('3 · 4 · 16,5 · 16,5');
    // The status the cycle gave the goal in the quarter.
    expect(res.text).toMatch(new RegExp(`"/ciclos/revision-${year}-T2">Revisión trimestral ${year} · T2</a></td>(<td class="num">[^<]*</td>){5}<td><span class="badge status-behind">Atrasada</span>`));
    // The línea base and the avances de la vigencia y del cuatrienio are on the page.
    expect(res.text).toContain('<th scope="row">Línea base</th>');
    expect(res.text).toContain('Avance del cuatrienio');
    // The workflow's history is for administrators.
    expect(res.text).not.toContain('/admin/flujos/');
    const asAdmin = await test.admin.get(`/metas/${goalCode}`).expect(200);
    expect(asAdmin.text).toContain(`<a href="/admin/flujos/${reviewId}">${reviewId}</a>`);

    // The quarter's dashboard is now the one the cycle stored, still equal to the API's.
    const tablero = await viewer.get(`/tablero?anio=${year}&trimestre=2`).expect(200);
    expect(tablero.text).toContain(`Clasificación guardada por la <a href="/ciclos/revision-${year}-T2">Revisión trimestral ${year} · T2</a>`);
    expectSameCounts(tablero.text, (await api(2)).summary);
    expect(tablero.text).toContain(`href="/api/matrices/justification?year=${year}&amp;quarter=2"`);
  });
});

describe('tablero de control of the 306-goal municipality', () => {
  let h: Harness;
  let test: TestApp;
  let viewer: ReturnType<typeof request.agent>;
  const { fiscalYear, quarter } = MUNICIPALITY_LAST_REPORTED;

  beforeAll(async () => {
    h = await createHarness({ seed: (db) => loadMunicipality(db) });
    test = await createTestApp(h);
    viewer = await loggedInViewer(test, h.database.db);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('opens on the last reported quarter with the counts of /api/dashboard, and reports its server time', async () => {
    const first = await viewer.get('/tablero').expect(200);
    expect(first.text).toContain(`Vigencia ${fiscalYear} · Trimestre ${quarter}`);
    const json = (await viewer.get(`/api/dashboard?year=${fiscalYear}&quarter=${quarter}`).expect(200)).body as DashboardJson;
    expect(json.goals).toHaveLength(306);
    expect(goalRows(first.text)).toHaveLength(306);
    expectSameCounts(first.text, json.summary);

    // Every variant answers with its server time (Server-Timing); the speed target lives in npm run bench:pages.
    for (const query of ['', `?anio=${fiscalYear}&trimestre=${quarter}`, `?anio=${fiscalYear}&trimestre=${quarter}&estado=behind`, '?dependencia=SEDU']) {
      expect(Number.isFinite(serverTime(await viewer.get(`/tablero${query}`).expect(200)))).toBe(true);
    }
  });

  it('prints the same semáforo from the command line (dashboard show --json) and a goal history as JSON', async () => {
    const user = await createUser(h.database.db, { email: 'cli@pruebas.gov.co', name: 'CLI', role: 'viewer', password: PASSWORD });
    const { token } = await createApiToken(h.database.db, { userId: user.id, name: 'pruebas' });
    const server = test.app.listen(0);
    try {
      const env = { ...process.env, METAS_API_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, METAS_API_TOKEN: token };
      const run = (args: string[]) =>
        promisify(execFile)(process.execPath, [path.join(__dirname, '..', 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(__dirname, '..', 'scripts', 'metas.ts'), ...args], {
          env,
          cwd: path.join(__dirname, '..'),
        });
      const json = (await viewer.get(`/api/dashboard?year=${fiscalYear}&quarter=${quarter}`).expect(200)).body as DashboardJson;
      const sedu = json.goals.filter((g) => g.departmentCode === 'SEDU');

      const shown = JSON.parse((await run(['dashboard', 'show', '--year', String(fiscalYear), '--quarter', String(quarter), '--department', 'SEDU', '--json'])).stdout);
      expect(shown.goalCount).toBe(sedu.length);
      expect(shown.summary).toEqual(JSON.parse(JSON.stringify(summarize(sedu))));

      const text = (await run(['dashboard', 'show', '--year', String(fiscalYear), '--quarter', String(quarter)])).stdout;
      expect(text).toContain('Semáforo: 306 metas');
      const statusLine = (status: GoalStatus) => new RegExp(`^${goalStatusLabels[status]}\\s+${json.summary.plan.counts[status]}\\s`, 'm');
      for (const status of goalStatuses) expect(text).toMatch(statusLine(status));

      const history = JSON.parse((await run(['goal', 'history', json.goals[0]?.goalCode as string, '--json'])).stdout);
      expect(history.goal.code).toBe(json.goals[0]?.goalCode);
      expect(history.programming.length).toBeGreaterThan(0);
    } finally {
      server.close();
    }
  });
});
