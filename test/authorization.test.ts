import request from 'supertest';
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
