import request from 'supertest';
import { storeDocument } from '../documents';
import { createHarness, createTestApp, reviewIn, type Harness, type TestApp } from './support/harness';

type Caller = 'anonymous' | 'viewer' | 'operator' | 'coordinator' | 'liaisonOwn' | 'liaisonOther' | 'admin';
const callers: Caller[] = ['anonymous', 'viewer', 'operator', 'coordinator', 'liaisonOwn', 'liaisonOther', 'admin'];

interface Route {
  method: 'get' | 'post' | 'put' | 'delete';
  path: (year: number) => string;
  /** Who gets past authorization; everyone else gets 401 (anonymous) or 403. */
  allowed: Caller[];
  body?: unknown;
}

const everyone: Caller[] = ['viewer', 'operator', 'coordinator', 'liaisonOwn', 'liaisonOther', 'admin'];
const review = (year: number) => `/api/reviews/revision-${year}-T2-SINF`;

/** Every API route: the liaison "own" is bound to SINF, the "other" to SEDU. */
const routes: Route[] = [
  { method: 'post', path: () => '/api/cycles', allowed: ['operator', 'admin'], body: {} },
  { method: 'get', path: (y) => `/api/cycles/revision-${y}-T2`, allowed: everyone },
  { method: 'get', path: review, allowed: ['viewer', 'operator', 'coordinator', 'liaisonOwn', 'admin'] },
  { method: 'post', path: (y) => `${review(y)}/response`, allowed: ['liaisonOwn', 'admin'], body: {} },
  { method: 'post', path: (y) => `${review(y)}/decision`, allowed: ['coordinator', 'admin'], body: {} },
  { method: 'post', path: (y) => `${review(y)}/deadline-extension`, allowed: ['coordinator', 'admin'], body: {} },
  { method: 'post', path: (y) => `${review(y)}/alert-resend`, allowed: ['coordinator', 'admin'], body: {} },
  { method: 'post', path: (y) => `${review(y)}/notes`, allowed: ['coordinator', 'admin'], body: {} },
  { method: 'get', path: (y) => `${review(y)}/documents`, allowed: ['viewer', 'operator', 'coordinator', 'liaisonOwn', 'admin'] },
  { method: 'get', path: () => '/api/documents/999999', allowed: everyone },
  { method: 'get', path: () => '/api/goals/2402002-01/history', allowed: everyone },
  { method: 'get', path: () => '/api/goals/2402002-01/term-target', allowed: everyone },
  { method: 'get', path: (y) => `/api/action-plan?year=${y}`, allowed: everyone },
  { method: 'get', path: () => '/api/concejo-agreements', allowed: everyone },
  { method: 'post', path: () => '/api/concejo-agreements', allowed: ['operator', 'admin'], body: {} },
  { method: 'get', path: () => '/api/concejo-agreements/999999', allowed: everyone },
  { method: 'post', path: () => '/api/imports/indicative-plan', allowed: ['operator', 'admin'] },
  { method: 'post', path: () => '/api/imports/progress-report', allowed: ['operator', 'admin'] },
  { method: 'get', path: (y) => `/api/dashboard?year=${y}&quarter=2`, allowed: everyone },
  { method: 'get', path: (y) => `/api/matrices/quarterly?year=${y}&quarter=2`, allowed: everyone },
  { method: 'get', path: () => '/api/plan/thresholds', allowed: everyone },
  { method: 'put', path: () => '/api/plan/thresholds', allowed: ['operator', 'admin'], body: {} },
  { method: 'get', path: () => '/api/inbox', allowed: ['coordinator', 'admin'] },
  { method: 'get', path: () => '/api/outbox', allowed: ['admin'] },
  { method: 'get', path: () => '/api/audit', allowed: ['admin'] },
  { method: 'get', path: () => '/api/machine/diagram.svg?state=awaitingResponse', allowed: everyone },
  { method: 'get', path: (y) => `/api/workflows/revision-${y}-T2-SINF/history`, allowed: ['admin'] },
  { method: 'get', path: () => '/api/outbox/1', allowed: ['admin'] },
  { method: 'post', path: () => '/api/users', allowed: ['admin'], body: { role: 'viewer' } },
  { method: 'get', path: () => '/api/users/1/personal-data', allowed: ['admin'] },
  { method: 'delete', path: () => '/api/users/999999/personal-data', allowed: ['admin'] },
  { method: 'get', path: () => '/api/auth/tokens', allowed: everyone },
  { method: 'get', path: () => '/api/auth/tokens?all=1', allowed: ['admin'] },
  { method: 'delete', path: () => '/api/auth/tokens/999999', allowed: everyone },
];

/** The authorization matrix: every route × every role, anonymous and a liaison of another department. */
describe('authorization matrix', () => {
  let h: Harness;
  let app: TestApp['app'];
  const agents = new Map<Caller, ReturnType<typeof request.agent> | ReturnType<typeof request>>();

  beforeAll(async () => {
    h = await createHarness();
    const testApp = await createTestApp(h);
    app = testApp.app;
    agents.set('admin', testApp.admin);
    agents.set('viewer', await testApp.as('viewer'));
    agents.set('operator', await testApp.as('operator'));
    agents.set('coordinator', await testApp.as('coordinator'));
    agents.set('liaisonOwn', await testApp.as('liaison', 'SINF'));
    agents.set('liaisonOther', await testApp.as('liaison', 'SEDU'));
    await h.cycles.startCycle({ fiscalYear: h.fiscalYear, quarter: 2, window: '10m' });
    await reviewIn(h, `revision-${h.fiscalYear}-T2-SINF`, 'awaitingResponse');
  });
  afterAll(async () => {
    await h?.close();
  });

  it.each(routes.map((r) => [`${r.method.toUpperCase()} ${r.path(2030)}`, r] as const))('%s', async (_name, route) => {
    const outcomes: Record<string, number> = {};
    for (const caller of callers) {
      const agent = caller === 'anonymous' ? request(app) : (agents.get(caller) as ReturnType<typeof request.agent>);
      let call = agent[route.method](route.path(h.fiscalYear)).set('Accept', 'application/json');
      if (route.body !== undefined) call = call.send(route.body as object);
      outcomes[caller] = (await call).status;
    }
    const expected = Object.fromEntries(
      callers.map((caller) => [caller, caller === 'anonymous' ? 401 : route.allowed.includes(caller) ? 'allowed' : 403]),
    );
    const actual = Object.fromEntries(
      callers.map((caller) => {
        const status = outcomes[caller] as number;
        return [caller, status === 401 || status === 403 ? status : 'allowed'];
      }),
    );
    expect(actual).toEqual(expected);
  });
});

/**
 * The matrix at object level: every route that returns department data, asked by a liaison of the
 * department that owns the object (SINF) and by a liaison of another one (SEDU). The owner sees its
 * object; the other gets a 404 when the address is opaque (document number, goal code) or a 403
 * when the address names the department (review IDs, ?department=), or a list without the object.
 */
describe('authorization matrix at object level (a liaison of another department)', () => {
  let h: Harness;
  let testApp: TestApp;
  let own: ReturnType<typeof request.agent>;
  let other: ReturnType<typeof request.agent>;
  let viewer: ReturnType<typeof request.agent>;
  const documentIds = { SINF: 0, SEDU: 0 };
  const sinfGoal = '2402002-01';

  beforeAll(async () => {
    h = await createHarness();
    testApp = await createTestApp(h);
    own = await testApp.as('liaison', 'SINF');
    other = await testApp.as('liaison', 'SEDU');
    viewer = await testApp.as('viewer');
    await h.cycles.startCycle({ fiscalYear: h.fiscalYear, quarter: 2, window: '10m' });
    await reviewIn(h, `revision-${h.fiscalYear}-T2-SINF`, 'awaitingResponse');
    await reviewIn(h, `revision-${h.fiscalYear}-T2-SEDU`, 'awaitingResponse');
    // A stored PDF per department, as the constancia or the justification document would be.
    for (const department of ['SINF', 'SEDU'] as const) {
      const reviewWorkflowId = `revision-${h.fiscalYear}-T2-${department}`;
      const stored = await storeDocument(h.database.db, {
        documentKey: `${reviewWorkflowId}:pruebaDeAcceso`,
        kind: 'justificationAndCommitment',
        reviewWorkflowId,
        fileName: `prueba-${department}.pdf`,
        contentType: 'application/pdf',
        render: async () => Buffer.from(`%PDF-1.4 documento de ${department}`),
      });
      documentIds[department] = stored.id;
    }
  });
  afterAll(async () => {
    await h?.close();
  });

  const cycleId = () => `revision-${h.fiscalYear}-T2`;
  const sinfReview = () => `${cycleId()}-SINF`;
  const json = (agent: ReturnType<typeof request.agent>, path: string) => agent.get(path).set('Accept', 'application/json');
  const html = (agent: ReturnType<typeof request.agent>, path: string) => agent.get(path).set('Accept', 'text/html');

  it('documents by number: the owner downloads, another department gets the same 404 as a missing one', async () => {
    const mine = await json(own, `/api/documents/${documentIds.SINF}`).buffer(true).expect(200);
    expect(mine.body.toString()).toContain('documento de SINF');
    const foreign = await json(other, `/api/documents/${documentIds.SINF}`).expect(404);
    const missing = await json(other, '/api/documents/999999999').expect(404);
    expect(foreign.body.error.code).toBe('not_found');
    expect(foreign.body.error.message).toBe(`No existe el documento ${documentIds.SINF}`);
    expect(missing.body.error.message).toBe('No existe el documento 999999999');
    await json(other, `/api/documents/${documentIds.SEDU}`).expect(200);
    await json(viewer, `/api/documents/${documentIds.SINF}`).expect(200);
    // The review's list of documents names the department in its address: a 403 that says why.
    await json(other, `/api/reviews/${sinfReview()}/documents`).expect(403);
    expect((await json(own, `/api/reviews/${sinfReview()}/documents`).expect(200)).body.map((d: { id: number }) => d.id)).toContain(documentIds.SINF);
  });

  it("cycle detail: another department's respondents, answers, goals and rows are left out", async () => {
    const all = (await json(viewer, `/api/cycles/${cycleId()}`).expect(200)).body;
    expect(all.reviews.map((r: { department: { code: string } }) => r.department.code).sort()).toEqual(['SEDU', 'SINF', 'SSAL']);
    for (const [agent, code] of [[own, 'SINF'], [other, 'SEDU']] as const) {
      const body = (await json(agent, `/api/cycles/${cycleId()}`).expect(200)).body;
      expect(body.reviews.map((r: { department: { code: string } }) => r.department.code)).toEqual([code]);
      expect(body.cycle.departments.map((d: { code: string }) => d.code)).toEqual([code]);
      expect(body.cycle.goals.length).toBeGreaterThan(0);
      expect(body.cycle.goals.every((g: { departmentCode: string }) => g.departmentCode === code)).toBe(true);
      const monitor = (await json(agent, `/api/cycles/${cycleId()}/monitor`).expect(200)).body;
      expect(monitor.reviews.map((r: { departmentCode: string }) => r.departmentCode)).toEqual([code]);
    }
    // The monitor names departments (workflow IDs are for administrators): only the liaison's own.
    const page = await html(other, `/ciclos/${cycleId()}`).expect(200);
    expect(page.text).toContain('<tr><th scope="row">Secretaría de Educación</th>');
    expect(page.text).not.toContain('Secretaría de Infraestructura');
    expect(page.text).not.toContain(sinfReview());
    const live = await html(other, `/ciclos/${cycleId()}/estado`).expect(200);
    expect(live.text).toContain('Secretaría de Educación');
    expect(live.text).not.toContain('Secretaría de Infraestructura');
    expect(live.text).not.toContain(sinfReview());
    await json(other, `/api/reviews/${sinfReview()}`).expect(403);
    await json(own, `/api/reviews/${sinfReview()}`).expect(200);
  });

  it('goal history and goal page: only goals of the own department', async () => {
    await json(own, `/api/goals/${sinfGoal}/history`).expect(200);
    const foreign = await json(other, `/api/goals/${sinfGoal}/history`).expect(404);
    expect(foreign.body.error.message).toBe(`No existe la meta ${sinfGoal}`);
    await json(viewer, `/api/goals/${sinfGoal}/history`).expect(200);
    expect((await html(own, `/metas/${sinfGoal}`).expect(200)).text).toContain(`Meta ${sinfGoal}`);
    expect((await html(other, `/metas/${sinfGoal}`).expect(404)).text).toContain(`No existe la meta ${sinfGoal}`);
    // Its meta cuatrienio and the acuerdos that changed it, likewise.
    expect((await json(own, `/api/goals/${sinfGoal}/term-target`).expect(200)).body.officialTermTarget).toEqual(expect.any(Number));
    expect((await json(other, `/api/goals/${sinfGoal}/term-target`).expect(404)).body.error.message).toBe(`No existe la meta ${sinfGoal}`);
    await json(viewer, `/api/goals/${sinfGoal}/term-target`).expect(200);
  });

  it('tablero and matrices: the own department only; another department asked by name is a 403', async () => {
    const year = h.fiscalYear;
    const everything = (await json(viewer, `/api/dashboard?year=${year}&quarter=2`).expect(200)).body;
    expect(new Set(everything.goals.map((g: { departmentCode: string }) => g.departmentCode)).size).toBeGreaterThan(1);
    const sedu = (await json(other, `/api/dashboard?year=${year}&quarter=2`).expect(200)).body;
    expect(sedu.goals.length).toBeGreaterThan(0);
    expect(sedu.goals.every((g: { departmentCode: string }) => g.departmentCode === 'SEDU')).toBe(true);
    expect(sedu.departments.map((d: { code: string }) => d.code)).toEqual(['SEDU']);
    expect(sedu.summary.plan.total).toBe(sedu.goals.length);
    expect(sedu.summary.byDepartment.map((d: { key: string }) => d.key)).toEqual(['SEDU']);
    const xlsx = await json(other, `/api/dashboard?year=${year}&quarter=2&format=xlsx`).buffer(true).expect(200);
    expect(xlsx.headers['content-disposition']).toContain(`tablero-control-${year}-T2-SEDU.xlsx`);

    const matrix = await json(other, `/api/matrices/quarterly?year=${year}&quarter=2`).buffer(true).expect(200);
    expect(matrix.headers['content-disposition']).toContain(`matriz-rezagadas-trimestre-${year}-T2-SEDU.xlsx`);
    const foreignMatrix = await json(other, `/api/matrices/justification?year=${year}&quarter=2&department=SINF`).expect(403);
    expect(foreignMatrix.body.error.message).toMatch(/solo puede consultar la información de su propia secretaría/);
    await json(own, `/api/matrices/justification?year=${year}&quarter=2&department=SINF`).buffer(true).expect(200);

    const page = await html(other, `/tablero?anio=${year}&trimestre=2`).expect(200);
    expect(page.text).not.toContain(sinfGoal);
    expect(page.text).not.toContain('value="SINF"');
    await html(other, `/tablero?anio=${year}&trimestre=2&dependencia=SINF`).expect(403);
    expect((await html(viewer, `/tablero?anio=${year}&trimestre=2`).expect(200)).text).toContain(sinfGoal);
  });

  it('administration routes (workflow history, outbox, audit) stay closed to liaisons', async () => {
    for (const path of [`/api/workflows/${sinfReview()}/history`, `/api/workflows/${sinfReview()}/history.json`, '/api/outbox', '/api/audit', '/api/inbox']) {
      await json(own, path).expect(403);
      await json(other, path).expect(403);
    }
    await html(other, `/admin/flujos/${sinfReview()}`).expect(403);
  });
});
