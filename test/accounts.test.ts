import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import request from 'supertest';
import { eq, sql } from 'drizzle-orm';
import { createApiToken, createAuth, createUser, hashApiToken, type Auth, type AuthUser } from '../auth';
import { authPages } from '../server/views/errorPages';
import { BOOTSTRAP_FILE } from '../auth/bootstrap';
import { ConfigError, loadConfig } from '../config';
import { type Database, type DatabaseHandle } from '../db/client';
import * as t from '../db/schema';
import { openTestDatabase, testDatabaseKinds } from './support/harness';
import { createAccountsRouter } from '../server/accounts';
import { errorHandler, notFoundHandler } from '../server/errors';
import { createTokenPagesRouter } from '../server/tokenPages';
import { createAppServices } from '../services/appServices';
import { openPglite } from './support/pglite';

const SECRET = 'secreto-de-pruebas-metas-pdm-0123456789-abcdef';
const PASSWORD = 'Una clave larga de prueba 2026';
const databases = testDatabaseKinds;

/** The accounts API and the token pages wired as server/app.ts wires them. */
function buildApp(auth: Auth, db: Database) {
  const app = express();
  app.use(auth.securityHeaders);
  app.use(express.json());
  app.use(express.urlencoded({ extended: false }));
  app.use(auth.session);
  app.use(auth.authenticate);
  app.get('/login', auth.loginPage);
  app.post('/login', auth.loginRateLimit, auth.login);
  app.use(auth.csrf);
  app.get('/csrf', (req, res) => {
    res.json({ csrfToken: auth.csrfToken(req) });
  });
  const { accounts, apiTokens } = createAppServices(db);
  app.use('/api', createAccountsRouter({ accounts, apiTokens, auth }));
  app.use(createTokenPagesRouter({ apiTokens, auth, timeZone: 'America/Bogota' }));
  app.use('/api', notFoundHandler, errorHandler(() => undefined));
  app.use(((error, _req, res, _next) => {
    res.status((error as { httpStatus?: number }).httpStatus ?? 500).type('html').send(String((error as Error).message));
  }) as express.ErrorRequestHandler);
  return app;
}

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'metas-accounts-'));

describe.each(databases)('the first administrator (%s)', (database) => {
  let handle: DatabaseHandle;
  let db: Database;
  let auth: Auth;
  let app: express.Express;
  let dataDir: string;

  beforeAll(async () => {
    handle = await openTestDatabase(database);
    db = handle.db;
    dataDir = tempDir();
    auth = createAuth({ db, pages: authPages, secret: SECRET, secureCookies: false, dataDir });
    app = buildApp(auth, db);
  });
  afterAll(async () => {
    await handle?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const countUsers = async () => (await db.select({ n: sql<number>`count(*)::int` }).from(t.users))[0]!.n;
  const admin = (email: string, password = PASSWORD) => ({ email, name: 'Primera administradora', role: 'admin', password });

  it('is created once, by exactly one of many parallel attempts, only with the one-time code and never from another site', async () => {
    const prepared = await auth.bootstrap.prepare();
    expect(prepared).not.toBeNull();
    const file = path.join(dataDir, BOOTSTRAP_FILE);
    expect(prepared!.file).toBe(file);
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(prepared!.token);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const code = prepared!.token;

    // The attack of the issue: six parallel form posts from a foreign page, without any token.
    const foreign = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        request(app).post('/api/users').set('Origin', 'https://atacante.example').type('form').send({ email: `intruso${i}@ejemplo.com`, name: 'Intruso', role: 'admin', password: PASSWORD }),
      ),
    );
    for (const res of foreign) {
      expect(res.status).toBe(403);
      expect(res.body.error).toEqual({ code: 'forbidden', message: 'Solicitud rechazada: el primer administrador no se puede crear desde otro sitio web.', details: [] });
    }
    // Even carrying the code, a cross-site request is refused (a page cannot read the code, but it could be pasted into one).
    await request(app).post('/api/users').set('Origin', 'https://atacante.example').set('x-bootstrap-token', code).send(admin('a@municipio.gov.co')).expect(403);
    await request(app).post('/api/users').set('Sec-Fetch-Site', 'cross-site').set('x-bootstrap-token', code).send(admin('a@municipio.gov.co')).expect(403);
    // Same site (or no Origin, as the command line) but without the code, or with a wrong one, or in the form body.
    const missing = await request(app).post('/api/users').type('form').send(admin('a@municipio.gov.co')).expect(403);
    expect(missing.body.error.message).toMatch(/^Falta el código de instalación o no es válido/);
    await request(app).post('/api/users').set('x-bootstrap-token', `${code}x`).send(admin('a@municipio.gov.co')).expect(403);
    await request(app).post('/api/users').type('form').send({ ...admin('a@municipio.gov.co'), 'x-bootstrap-token': code }).expect(403);
    // Not an administrator, or a weak password: refused, and the step stays open.
    await request(app).post('/api/users').set('x-bootstrap-token', code).send({ ...admin('a@municipio.gov.co'), role: 'viewer' }).expect(400);
    const weak = await request(app).post('/api/users').set('x-bootstrap-token', code).send(admin('a@municipio.gov.co', 'corta')).expect(400);
    expect(weak.body.error.details).toContain('La contraseña debe tener al menos 12 caracteres.');
    expect(await countUsers()).toBe(0);

    // Ten parallel attempts with the right code: exactly one wins.
    const host = 'localhost';
    const attempts = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        request(app).post('/api/users').set('Host', host).set('Origin', `http://${host}`).set('x-bootstrap-token', code).send(admin(`admin${i}@municipio.gov.co`)),
      ),
    );
    const statuses = attempts.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    const winner = attempts.find((r) => r.status === 201)!.body as AuthUser;
    expect(winner).toMatchObject({ role: 'admin' });
    for (const lost of attempts.filter((r) => r.status === 409)) {
      expect(lost.body.error).toEqual({ code: 'conflict', message: 'La instalación ya tiene su primer administrador. Pida a un administrador que cree su cuenta.', details: [] });
    }
    expect(await countUsers()).toBe(1);
    expect(await db.select().from(t.installationClaims)).toEqual([expect.objectContaining({ step: 'first-admin', userId: winner.id })]);
    expect(fs.existsSync(file)).toBe(false);
    expect(auth.bootstrap.active).toBe(false);

    // Afterwards: the code is spent, and anonymous account creation needs an administrator.
    await request(app).post('/api/users').set('x-bootstrap-token', code).send(admin('tarde@municipio.gov.co')).expect(409);
    await request(app).post('/api/users').send(admin('tarde@municipio.gov.co')).expect(401);
    expect(await auth.bootstrap.prepare()).toBeNull();
    const [audit] = await db.select().from(t.auditLog).where(eq(t.auditLog.action, 'user.created'));
    expect(audit).toMatchObject({ actor: 'instalación', subject: `user:${winner.id}` });
  });

  it('stays closed after the first administrator is gone, and without a prepared code', async () => {
    // A fresh auth (a restart) with accounts present makes no code; removing every account does not reopen the step.
    const restarted = createAuth({ db, pages: authPages, secret: SECRET, secureCookies: false, dataDir });
    expect(await restarted.bootstrap.prepare()).toBeNull();
    await db.delete(t.users);
    expect(await restarted.bootstrap.prepare()).toBeNull();
    const res = await request(buildApp(restarted, db)).post('/api/users').set('x-bootstrap-token', 'cualquiera-cualquiera').send(admin('otra@municipio.gov.co'));
    expect(res.status).toBe(409);
  });
});

describe('API tokens', () => {
  let handle: DatabaseHandle;
  let db: Database;
  let auth: Auth;
  let app: express.Express;
  const people: Record<'admin' | 'viewer' | 'other', AuthUser> = {} as never;

  beforeAll(async () => {
    handle = await openPglite();
    db = handle.db;
    auth = createAuth({ db, pages: authPages, secret: SECRET, secureCookies: false, apiTokenDays: 30 });
    app = buildApp(auth, db);
    for (const [key, role] of [
      ['admin', 'admin'],
      ['viewer', 'viewer'],
      ['other', 'operator'],
    ] as const) {
      people[key] = await createUser(db, { email: `${key}@municipio.gov.co`, name: `Persona <${key}>`, role, password: PASSWORD });
    }
  });
  afterAll(async () => {
    await handle?.close();
  });

  const issue = async (email: string, body: Record<string, unknown> = {}) => {
    const res = await request(app).post('/api/auth/tokens').send({ email, password: PASSWORD, name: 'script de pruebas', ...body });
    expect(res.status).toBe(201);
    return res.body as { id: number; token: string; expiresAt: string; createdAt: string };
  };
  const bearer = (token: string) => `Bearer ${token}`;
  const listAs = async (email: string, query = '') => {
    const { token } = await issue(email);
    return (await request(app).get(`/api/auth/tokens${query}`).set('Authorization', bearer(token)).expect(200)).body.tokens as { id: number; userId: number; state: string }[];
  };

  const rowOf = async (id: number) => (await db.select().from(t.apiTokens).where(eq(t.apiTokens.id, id)))[0]!;

  it('reads the lifetime from API_TOKEN_DAYS (default 90) with a Spanish error', () => {
    expect(loadConfig({}).API_TOKEN_DAYS).toBe(90);
    expect(loadConfig({ API_TOKEN_DAYS: '7' }).API_TOKEN_DAYS).toBe(7);
    expect(() => loadConfig({ API_TOKEN_DAYS: 'nunca' })).toThrow(ConfigError);
    expect(() => loadConfig({ API_TOKEN_DAYS: '0' })).toThrow(/API_TOKEN_DAYS: al menos 1 día/);
  });

  it('issues tokens that expire, lists them without secrets, records their last use once a minute and revokes them', async () => {
    const created = await issue('viewer@municipio.gov.co');
    const lifetime = new Date(created.expiresAt).getTime() - new Date(created.createdAt).getTime();
    expect(Math.abs(lifetime - 30 * 86_400_000)).toBeLessThan(60_000);
    // A shorter lifetime may be asked for, never a longer one.
    const short = await issue('viewer@municipio.gov.co', { days: 2 });
    expect(new Date(short.expiresAt).getTime() - Date.now()).toBeLessThan(2 * 86_400_000 + 60_000);
    const long = await issue('viewer@municipio.gov.co', { days: 400 });
    expect(new Date(long.expiresAt).getTime() - Date.now()).toBeLessThan(30 * 86_400_000 + 60_000);

    expect((await rowOf(created.id)).expiresAt).not.toBeNull();
    expect((await rowOf(created.id)).lastUsedAt).toBeNull();
    const list = await request(app).get('/api/auth/tokens').set('Authorization', bearer(created.token)).expect(200);
    const mine = list.body.tokens.find((tk: { id: number }) => tk.id === created.id);
    expect(mine).toMatchObject({ id: created.id, name: 'script de pruebas', state: 'active', userId: people.viewer.id, revokedAt: null });
    expect(list.body.tokens.every((tk: { userId: number }) => tk.userId === people.viewer.id)).toBe(true);
    expect(JSON.stringify(list.body)).not.toContain(created.token);
    expect(JSON.stringify(list.body)).not.toContain((await rowOf(created.id)).tokenHash);

    // The listing itself was a use; a second use within the minute does not write again.
    const firstUse = (await rowOf(created.id)).lastUsedAt;
    expect(firstUse).not.toBeNull();
    await request(app).get('/api/auth/tokens').set('Authorization', bearer(created.token)).expect(200);
    expect((await rowOf(created.id)).lastUsedAt).toBe(firstUse);
    const longAgo = new Date(Date.now() - 5 * 60_000).toISOString();
    await db.update(t.apiTokens).set({ lastUsedAt: longAgo }).where(eq(t.apiTokens.id, created.id));
    await request(app).get('/api/auth/tokens').set('Authorization', bearer(created.token)).expect(200);
    expect(new Date((await rowOf(created.id)).lastUsedAt!).getTime()).toBeGreaterThan(Date.now() - 60_000);

    await request(app).delete(`/api/auth/tokens/${short.id}`).set('Authorization', bearer(created.token)).expect(200, { revoked: true, id: short.id });
    const refused = await request(app).get('/api/auth/tokens').set('Authorization', bearer(short.token)).expect(401);
    expect(refused.body.error.code).toBe('unauthenticated');
    const states = (await request(app).get('/api/auth/tokens').set('Authorization', bearer(created.token)).expect(200)).body.tokens;
    expect(states.find((tk: { id: number }) => tk.id === short.id)).toMatchObject({ state: 'revoked', revokedAt: expect.any(String) });
    await request(app).delete(`/api/auth/tokens/${short.id}`).set('Authorization', bearer(created.token)).expect(404);
    const audit = await db.select().from(t.auditLog).where(eq(t.auditLog.action, 'auth.token.revoked'));
    expect(audit).toEqual([expect.objectContaining({ actor: `user:${people.viewer.id}`, details: { tokenId: short.id, name: 'script de pruebas' } })]);
  });

  it('refuses an expired token with a Spanish 401 that says it expired', async () => {
    const created = await issue('viewer@municipio.gov.co');
    await db.update(t.apiTokens).set({ expiresAt: '2026-01-15T12:00:00.000Z' }).where(eq(t.apiTokens.id, created.id));
    const res = await request(app).get('/api/auth/tokens').set('Authorization', bearer(created.token)).expect(401);
    expect(res.body.error).toEqual({
      code: 'token_expired',
      message: 'El token de acceso venció el 2026-01-15. Obtenga uno nuevo con «npm run metas -- login» o en la página Tokens de acceso (/cuenta/tokens).',
      details: [],
    });
    expect(res.headers['www-authenticate']).toMatch(/error="invalid_token", error_description="expired"/);
    const listed = await listAs('viewer@municipio.gov.co');
    expect(listed.find((tk: { id: number }) => tk.id === created.id)).toMatchObject({ state: 'expired' });
  });

  it("keeps people to their own tokens; administrators list and revoke everyone's", async () => {
    const victim = await issue('other@municipio.gov.co');
    const viewer = await issue('viewer@municipio.gov.co');
    const refused = await request(app).delete(`/api/auth/tokens/${victim.id}`).set('Authorization', bearer(viewer.token)).expect(404);
    expect(refused.body.error.message).toMatch(/No tiene un token activo con id/);
    await request(app).get('/api/auth/tokens').set('Authorization', bearer(victim.token)).expect(200);
    const all = await request(app).get('/api/auth/tokens?all=1').set('Authorization', bearer(viewer.token)).expect(403);
    expect(all.body.error.message).toBe('Solo un administrador puede ver los tokens de todas las cuentas.');
    await request(app).get('/api/auth/tokens?all=quizá').set('Authorization', bearer(viewer.token)).expect(400);

    const everyone = await listAs('admin@municipio.gov.co', '?all=1');
    expect(new Set(everyone.map((tk) => tk.userId))).toEqual(new Set([people.admin.id, people.viewer.id, people.other.id]));
    const { token: adminToken } = await issue('admin@municipio.gov.co');
    await request(app).delete(`/api/auth/tokens/${victim.id}`).set('Authorization', bearer(adminToken)).expect(200);
    await request(app).get('/api/auth/tokens').set('Authorization', bearer(victim.token)).expect(401);
    await request(app).delete('/api/auth/tokens/abc').set('Authorization', bearer(adminToken)).expect(400);
  });

  it('logs a token out: the token the request carries is revoked on the server', async () => {
    const created = await issue('other@municipio.gov.co');
    await request(app).delete('/api/auth/tokens/current').set('Authorization', bearer(created.token)).expect(200, { revoked: true, id: created.id });
    expect((await rowOf(created.id)).revokedAt).not.toBeNull();
    await request(app).delete('/api/auth/tokens/current').set('Authorization', bearer(created.token)).expect(401);
    await request(app).delete('/api/auth/tokens/current').expect(401);
  });

  it('shows one’s own tokens on /cuenta/tokens (create once, revoke with CSRF) and everyone’s on /admin/tokens', async () => {
    const foreign = await createApiToken(db, { userId: people.other.id, name: 'de otra persona' });
    const agent = request.agent(app);
    const form = await agent.get('/login').expect(200);
    const loginCsrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1]!;
    await agent.post('/login').type('form').set('Accept', 'text/html').send({ _csrf: loginCsrf, email: 'viewer@municipio.gov.co', password: PASSWORD, next: '/cuenta/tokens' }).expect(303);

    const page = await agent.get('/cuenta/tokens').set('Accept', 'text/html').expect(200);
    expect(page.text).toContain('Mis tokens de acceso');
    expect(page.text).toContain('Vencen a los 30 días como máximo');
    expect(page.text).not.toContain('de otra persona');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;

    // Creating: the name is escaped, the token shown once and usable.
    const created = await agent.post('/cuenta/tokens').type('form').set('Accept', 'text/html').send({ _csrf: csrf, nombre: '<script>alert(1)</script>', dias: '5' }).expect(201);
    expect(created.text).not.toContain('<script>alert(1)</script>');
    expect(created.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const shown = /<pre id="nuevo-token">(mpdm_[A-Za-z0-9_-]{43})<\/pre>/.exec(created.text)![1]!;
    await request(app).get('/api/auth/tokens').set('Authorization', bearer(shown)).expect(200);
    const again = await agent.get('/cuenta/tokens').set('Accept', 'text/html').expect(200);
    expect(again.text).not.toContain(shown);
    const invalid = await agent.post('/cuenta/tokens').type('form').set('Accept', 'text/html').send({ _csrf: csrf, nombre: '', dias: '31' }).expect(400);
    expect(invalid.text).toContain('nombre: es obligatorio');
    expect(invalid.text).toContain('vigencia: como máximo 30 días');

    // Revoking: CSRF required; someone else's token is not found.
    const [row] = await db.select().from(t.apiTokens).where(eq(t.apiTokens.tokenHash, hashApiToken(shown)));
    await agent.post(`/cuenta/tokens/${row!.id}/revocar`).type('form').set('Accept', 'text/html').send({}).expect(403);
    const revoked = await agent.post(`/cuenta/tokens/${row!.id}/revocar`).type('form').set('Accept', 'text/html').send({ _csrf: csrf }).expect(200);
    expect(revoked.text).toContain(`Token #${row!.id} revocado.`);
    await request(app).get('/api/auth/tokens').set('Authorization', bearer(shown)).expect(401);
    await agent.post(`/cuenta/tokens/${foreign.id}/revocar`).type('form').set('Accept', 'text/html').send({ _csrf: csrf }).expect(404);
    expect((await rowOf(foreign.id)).revokedAt).toBeNull();
    await agent.get('/admin/tokens').set('Accept', 'text/html').expect(403);
    await agent.post(`/admin/tokens/${foreign.id}/revocar`).type('form').set('Accept', 'text/html').send({ _csrf: csrf }).expect(403);

    // The administrators' page lists every account's tokens and revokes any.
    const adminAgent = request.agent(app);
    const adminForm = await adminAgent.get('/login').expect(200);
    await adminAgent
      .post('/login')
      .type('form')
      .set('Accept', 'text/html')
      .send({ _csrf: /name="_csrf" value="([^"]+)"/.exec(adminForm.text)![1]!, email: 'admin@municipio.gov.co', password: PASSWORD })
      .expect(303);
    const adminPage = await adminAgent.get('/admin/tokens').set('Accept', 'text/html').expect(200);
    expect(adminPage.text).toContain('de otra persona');
    expect(adminPage.text).toContain('Persona &lt;other&gt;');
    const adminCsrf = /name="_csrf" value="([^"]+)"/.exec(adminPage.text)![1]!;
    const done = await adminAgent.post(`/admin/tokens/${foreign.id}/revocar`).type('form').set('Accept', 'text/html').send({ _csrf: adminCsrf }).expect(200);
    expect(done.text).toContain(`Token #${foreign.id} revocado.`);
    expect((await rowOf(foreign.id)).revokedAt).not.toBeNull();
  });
});

describe('metas CLI: first administrator, login, token list|revoke and logout', () => {
  const run = (args: string[], env: NodeJS.ProcessEnv, input?: string) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const tsx = path.join(__dirname, '..', 'node_modules', '.bin', 'tsx');
      const child = execFile(tsx, [path.join(__dirname, '..', 'scripts', 'metas.ts'), ...args], { env, timeout: 60_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
      child.stdin?.end(input ?? '');
    });
  let handle: DatabaseHandle;
  let server: Server;
  let env: NodeJS.ProcessEnv;
  let dataDir: string;
  let configDir: string;

  beforeAll(async () => {
    handle = await openPglite();
    dataDir = tempDir();
    configDir = tempDir();
    const auth = createAuth({ db: handle.db, pages: authPages, secret: SECRET, secureCookies: false, dataDir });
    expect(await auth.bootstrap.prepare()).not.toBeNull();
    server = buildApp(auth, handle.db).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { METAS_API_TOKEN: _ignored, ...rest } = process.env;
    env = { ...rest, METAS_API_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, DATA_DIR: dataDir, XDG_CONFIG_HOME: configDir };
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await handle?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(configDir, { recursive: true, force: true });
  });

  it('creates the first administrator from the server with the code file, then manages tokens and logs out on the server', async () => {
    const created = await run(['user', 'create', '--role', 'admin', '--email', 'cli@municipio.gov.co', '--name', 'Admin CLI'], env, `${PASSWORD}\n`);
    expect(created.stderr).toBe('');
    expect(created.stdout).toMatch(/^Cuenta creada: #\d+ cli@municipio\.gov\.co \(admin\)/);
    expect(fs.existsSync(path.join(dataDir, BOOTSTRAP_FILE))).toBe(false);
    const again = await run(['user', 'create', '--role', 'admin', '--email', 'otro@municipio.gov.co', '--bootstrap-token', 'x'.repeat(32)], env, `${PASSWORD}\n`);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('Error: La instalación ya tiene su primer administrador.');

    expect((await run(['login', '--email', 'cli@municipio.gov.co'], env, `${PASSWORD}\n`)).stdout).toMatch(/Sesión iniciada/);
    const tokenFile = path.join(configDir, 'metas-pdm', 'token');
    const saved = fs.readFileSync(tokenFile, 'utf8').trim();
    const [admin] = await handle.db.select().from(t.users).where(eq(t.users.email, 'cli@municipio.gov.co'));
    const spare = await createApiToken(handle.db, { userId: admin!.id, name: 'de repuesto' });

    const listed = JSON.parse((await run(['token', 'list', '--json'], env)).stdout) as { id: number; name: string; state: string }[];
    expect(listed.map((tk) => [tk.name, tk.state])).toEqual([
      ['de repuesto', 'active'],
      [expect.stringMatching(/^línea de comandos \(/), 'active'],
    ]);
    const table = (await run(['token', 'list', '--all'], env)).stdout;
    expect(table).toMatch(/#\s+Cuenta\s+Nombre\s+Estado\s+Creado\s+Vence\s+Último uso \(UTC\)/);
    expect(table).toContain('cli@municipio.gov.co');
    expect((await run(['token', 'revoke', String(spare.id)], env)).stdout).toBe(`Token #${spare.id} revocado.\n`);
    const missing = await run(['token', 'revoke', String(spare.id)], env);
    expect(missing.stderr).toMatch(/No tiene un token activo con id/);

    const loggedOut = await run(['logout'], env);
    expect(loggedOut.stdout).toMatch(/^Token #\d+ revocado en el servidor\.\nToken eliminado de /);
    expect(fs.existsSync(tokenFile)).toBe(false);
    const tokens = await handle.db.select().from(t.apiTokens).where(eq(t.apiTokens.userId, admin!.id));
    expect(tokens.every((tk) => tk.revokedAt !== null)).toBe(true);
    expect(tokens.some((tk) => tk.tokenHash === hashApiToken(saved))).toBe(true);
    expect((await run(['token', 'list'], env)).stderr).toMatch(/Debe iniciar sesión/);
  }, 180_000);
});
