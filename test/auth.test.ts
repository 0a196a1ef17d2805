import express from 'express';
import request from 'supertest';
import { and, eq, sql } from 'drizzle-orm';
import { hash } from '@node-rs/argon2';
import { type Database, type DatabaseHandle } from '../db/client';
import * as t from '../db/schema';
import { AppError } from '../services/errors';
import {
  assertPasswordPolicy,
  authenticate,
  createApiToken,
  createAuth,
  createUser,
  departmentOfReview,
  deriveKey,
  exportPersonalData,
  hashApiToken,
  hashPassword,
  linkStatus,
  delaySeconds,
  LOGIN_FAILED_MESSAGE,
  loginThrottledMessage,
  needsRehash,
  passwordProblems,
  pruneSessions,
  removePersonalData,
  revokeApiToken,
  setPassword,
  SESSION_CACHE_MS,
  SESSION_COOKIE_NAME,
  revokeUserSessions,
  signReviewLink,
  verifyPassword,
  verifyReviewLink,
  type Auth,
  type AuthUser,
} from '../auth';
import { authPages } from '../server/views/errorPages';
import { openPglite } from './support/pglite';

const SECRET = 'secreto-de-pruebas-metas-pdm-0123456789-abcdef';
const PASSWORD = 'Una clave larga de prueba 2026';

/** A small app wired the way server/app.ts should be: headers, parsers, session, identity, CSRF. */
function buildApp(auth: Auth, db: Database, { trustProxy }: { trustProxy?: number } = {}) {
  const app = express();
  if (trustProxy !== undefined) app.set('trust proxy', trustProxy);
  app.use(auth.securityHeaders);
  app.use(express.json());
  app.use(express.urlencoded({ extended: false }));
  app.use(auth.session);
  app.use(auth.authenticate);
  app.get('/login', auth.loginPage);
  // Rate-limited before anything else, so every attempt counts; login checks its CSRF token itself.
  app.post('/login', auth.loginRateLimit, auth.login);
  app.use(auth.csrf);
  app.post('/logout', auth.logout);
  app.get('/csrf', (req, res) => {
    res.json({ csrfToken: auth.csrfToken(req) });
  });
  app.get('/api/me', auth.requireRole('viewer'), (_req, res) => {
    res.json({ user: res.locals.user, actor: res.locals.actor, method: res.locals.authMethod });
  });
  app.post('/api/notes', auth.requireRole('viewer'), (_req, res) => {
    res.json({ saved: true });
  });
  app.post('/api/cycles', auth.requireRole('operator'), (_req, res) => {
    res.status(201).json({ startedBy: res.locals.actor });
  });
  app.get(
    '/api/reviews/:workflowId',
    auth.requireRole('viewer'),
    auth.requireDepartmentAccess((req) => departmentOfReview(String(req.params.workflowId))),
    (req, res) => {
      res.json({ workflowId: req.params.workflowId });
    },
  );
  app.get('/panel', auth.requireRolePage('operator'), (_req, res) => {
    res.type('html').send('<h1>Panel</h1>');
  });
  app.get('/responder/:token', auth.linkRateLimit, async (req, res) => {
    const verified = verifyReviewLink(String(req.params.token), auth.reviewLinkKey);
    if (!verified.ok) return void res.status(400).json({ status: verified.reason });
    const [review] = await db.select().from(t.departmentReviews).where(eq(t.departmentReviews.workflowId, verified.payload.reviewWorkflowId));
    if (!review) return void res.status(404).json({ status: 'missing' });
    res.json({ status: linkStatus(verified.payload, { ...review, state: review.status }) });
  });
  return app;
}

const sessionCookieOf = (res: request.Response): string | undefined => {
  const cookies = res.headers['set-cookie'] as unknown as string[] | undefined;
  return cookies?.find((c) => c.startsWith(`${SESSION_COOKIE_NAME}=`));
};

/** Logs in through the HTTP API as a browser script would: CSRF token first, then credentials. */
async function logIn(agent: ReturnType<typeof request.agent>, email: string, password = PASSWORD) {
  const { body } = await agent.get('/csrf').expect(200);
  return agent.post('/login').set('x-csrf-token', body.csrfToken).send({ email, password });
}


/**
 * A session changed in the database by someone else (another process, the CLI) is refused within
 * SESSION_CACHE_MS (auth/sessionStore.ts): polls /api/me until 401, failing past that bound.
 */
async function refusedWithinSessionCache(agent: ReturnType<typeof request.agent>): Promise<void> {
  const deadline = Date.now() + SESSION_CACHE_MS + 1_000;
  for (;;) {
    const reply = await agent.get('/api/me');
    if (reply.status === 401) return;
    expect(reply.status).toBe(200);
    if (Date.now() > deadline) throw new Error(`La sesión seguía aceptada ${SESSION_CACHE_MS + 1_000} ms después del cambio`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('authentication and accounts', () => {
  let handle: DatabaseHandle;
  let db: Database;
  let auth: Auth;
  let app: express.Express;
  const users: Record<string, AuthUser> = {};

  beforeAll(async () => {
    handle = await openPglite();
    db = handle.db;
    await db.insert(t.departments).values([
      { code: 'SEDU', name: 'Secretaría de Educación' },
      { code: 'SSAL', name: 'Secretaría de Salud' },
    ]);
    for (const [key, role, departmentCode] of [
      ['admin', 'admin', null],
      ['operator', 'operator', null],
      ['viewer', 'viewer', null],
      ['sedu', 'liaison', 'SEDU'],
    ] as const) {
      users[key] = await createUser(db, { email: `${key}@municipio.gov.co`, name: `Persona ${key}`, role, departmentCode, password: PASSWORD });
    }
    // This app logs in many times; the limit itself is tested on its own app with the defaults.
    auth = createAuth({ db, pages: authPages, secret: SECRET, secureCookies: false, loginLimit: { limit: 1000, windowMs: 15 * 60_000 } });
    app = buildApp(auth, db);
  });

  afterAll(async () => {
    await handle?.close();
  });

  const user = (key: string) => users[key]!;

  describe('passwords', () => {
    it('hashes with argon2id and verifies only the right password', async () => {
      const stored = await hashPassword(PASSWORD);
      expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(await verifyPassword(stored, PASSWORD)).toBe(true);
      expect(await verifyPassword(stored, `${PASSWORD} `)).toBe(false);
      expect(await verifyPassword('no-es-un-hash', PASSWORD)).toBe(false);
      expect(needsRehash(stored)).toBe(false);
      expect(needsRehash(await hash(PASSWORD, { memoryCost: 4096, timeCost: 1 }))).toBe(true);
    });

    it('applies the policy with Spanish messages', () => {
      expect(passwordProblems('corta')).toEqual(['La contraseña debe tener al menos 12 caracteres.']);
      expect(passwordProblems('aaaaaaaaaaaaaa')).toEqual(['La contraseña no puede repetir un solo carácter.']);
      expect(passwordProblems('Ana.Perez@Municipio.gov.co', 'ana.perez@municipio.gov.co')).toEqual(['La contraseña no puede ser igual al correo electrónico.']);
      expect(passwordProblems(PASSWORD, 'ana@municipio.gov.co')).toEqual([]);
      expect(() => assertPasswordPolicy('1234')).toThrow(AppError);
    });
  });

  describe('accounts', () => {
    it('normalises the e-mail and refuses duplicates, liaisons without a valid department and weak passwords', async () => {
      const created = await createUser(db, { email: '  Coordinacion@Municipio.GOV.co ', name: 'Coordinación', role: 'coordinator' });
      expect(created.email).toBe('coordinacion@municipio.gov.co');

      const failure = async (input: Parameters<typeof createUser>[1]) => {
        const error = await createUser(db, input).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(AppError);
        const appError = error as AppError;
        return { code: appError.code, status: appError.httpStatus, text: [appError.message, ...appError.details].join(' ') };
      };
      expect(await failure({ email: 'COORDINACION@municipio.gov.co', name: 'Otra', role: 'viewer' })).toMatchObject({ code: 'conflict', status: 409 });
      expect(await failure({ email: 'enlace@municipio.gov.co', name: 'Enlace', role: 'liaison' })).toMatchObject({
        code: 'invalid_input',
        text: expect.stringMatching(/un enlace debe estar asociado a una secretaría/),
      });
      expect(await failure({ email: 'enlace@municipio.gov.co', name: 'Enlace', role: 'liaison', departmentCode: 'SXYZ' })).toMatchObject({
        code: 'invalid_input',
        text: expect.stringMatching(/no existe la secretaría SXYZ/),
      });
      expect(await failure({ email: 'no-es-correo', name: 'X', role: 'viewer' })).toMatchObject({ code: 'invalid_input', text: expect.stringMatching(/correo electrónico inválido/) });
      expect(await failure({ email: 'x@municipio.gov.co', name: 'X', role: 'superuser' as 'viewer' })).toMatchObject({ code: 'invalid_input' });
      expect(await failure({ email: 'debil@municipio.gov.co', name: 'Débil', role: 'viewer', password: 'corta' })).toMatchObject({
        code: 'invalid_input',
        text: expect.stringMatching(/al menos 12 caracteres/),
      });
      const rows = await db.select({ email: t.users.email }).from(t.users).where(sql`${t.users.email} in ('enlace@municipio.gov.co', 'debil@municipio.gov.co')`);
      expect(rows).toEqual([]);
    });

    it('slows a client down after 3 failures (1, 2, 4 … s, at most 5 min) without ever locking the correct password out', async () => {
      const person = await createUser(db, { email: 'lento@municipio.gov.co', name: 'Lento', role: 'viewer', password: PASSWORD });
      const ip = '203.0.113.7';
      let now = new Date('2026-03-02T13:00:00.000Z');
      const attempt = (password: string) => authenticate(db, 'lento@municipio.gov.co', password, { ip, now });
      for (let i = 0; i < 3; i++) expect(await attempt('contraseña equivocada')).toEqual({ ok: false, reason: 'invalid_credentials', message: LOGIN_FAILED_MESSAGE });
      // The 4th attempt comes too soon: refused without checking the password, even the right one.
      const early = await attempt(PASSWORD);
      expect(early).toEqual({ ok: false, reason: 'throttled', scope: 'client', retryAfterSeconds: 1, message: loginThrottledMessage(1) });
      expect(loginThrottledMessage(1)).toBe('Hubo varios intentos fallidos con esta cuenta. Espere 1 s e intente de nuevo.');
      // Each further failure doubles the wait up to the cap; waiting it out always gives a real attempt.
      const waits: number[] = [];
      for (let i = 0; i < 11; i++) {
        const refused = await attempt('contraseña equivocada');
        expect(refused).toMatchObject({ reason: 'throttled' });
        const wait = (refused as { retryAfterSeconds: number }).retryAfterSeconds;
        waits.push(wait);
        now = new Date(now.getTime() + wait * 1000);
        expect(await attempt('contraseña equivocada')).toMatchObject({ reason: 'invalid_credentials' });
      }
      expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300]);
      expect(delaySeconds(40, 3, 300)).toBe(300);
      // 14 failures later the owner still gets in once the (capped) wait is over.
      const last = await attempt(PASSWORD);
      expect(last).toMatchObject({ reason: 'throttled', retryAfterSeconds: 300 });
      now = new Date(now.getTime() + 300_000);
      expect(await attempt(PASSWORD)).toMatchObject({ ok: true, user: { id: person.id } });
      // A correct password starts the count again.
      expect(await attempt('contraseña equivocada')).toMatchObject({ reason: 'invalid_credentials' });
      expect(await attempt(PASSWORD)).toMatchObject({ ok: true });

      const audit = await db.select().from(t.auditLog).where(eq(t.auditLog.subject, `user:${person.id}`));
      const actions = audit.map((a) => a.action);
      expect(actions.filter((a) => a === 'auth.login.failed')).toHaveLength(15);
      expect(actions.filter((a) => a === 'auth.login.throttled')).toHaveLength(13);
      expect(actions.filter((a) => a === 'auth.login.succeeded')).toHaveLength(2);
      expect(audit.find((a) => a.action === 'auth.login.succeeded')).toMatchObject({ actor: `user:${person.id}`, details: { ip, role: 'viewer' } });
      expect(JSON.stringify(audit)).not.toContain(PASSWORD);
      expect(JSON.stringify(audit)).not.toContain('contraseña equivocada');
    });

    it('does not let failures from rotating addresses lock the owner out: the usual address is unaffected, a new one waits at most 60 s', async () => {
      const owner = await createUser(db, { email: 'rotacion@municipio.gov.co', name: 'Rotación', role: 'operator', password: PASSWORD });
      let now = new Date('2026-03-02T15:00:00.000Z');
      const at = (ip: string, password: string) => authenticate(db, 'rotacion@municipio.gov.co', password, { ip, now });
      // The owner logs in from the office once: that address becomes known to the account.
      expect(await at('198.51.100.10', PASSWORD)).toMatchObject({ ok: true });
      // An attacker rotates addresses: 40 guesses, each address never reaching its own limit.
      const attacker = Array.from({ length: 40 }, (_, i) => `192.0.2.${i + 1}`);
      let refusedForAccount = 0;
      for (const ip of attacker) {
        const result = await at(ip, 'adivinando la clave');
        if (!result.ok && result.reason === 'throttled') {
          refusedForAccount++;
          expect(result).toMatchObject({ scope: 'account' });
          expect(result.retryAfterSeconds).toBeLessThanOrEqual(60);
        }
        now = new Date(now.getTime() + 1000);
      }
      // The account-wide part slowed the attacker down after 10 failures …
      expect(refusedForAccount).toBeGreaterThan(20);
      // … but the owner at the usual address gets straight in,
      expect(await at('198.51.100.10', PASSWORD)).toMatchObject({ ok: true, user: { id: owner.id } });
      // and, after more failures, from a new address waits at most 60 s, then gets in.
      for (const ip of attacker.slice(0, 17)) {
        now = new Date(now.getTime() + 61_000);
        expect(await at(ip, 'adivinando la clave')).toMatchObject({ reason: 'invalid_credentials' });
      }
      const fresh = await at('203.0.113.99', PASSWORD);
      expect(fresh).toMatchObject({ ok: false, reason: 'throttled', scope: 'account', retryAfterSeconds: 60 });
      now = new Date(now.getTime() + 60_000);
      expect(await at('203.0.113.99', PASSWORD)).toMatchObject({ ok: true, user: { id: owner.id } });
    });

    it('slows unknown e-mails down exactly like accounts, so the answers tell nothing', async () => {
      const now = new Date('2026-03-02T17:00:00.000Z');
      const results = [];
      for (let i = 0; i < 4; i++) results.push(await authenticate(db, 'no-existe@municipio.gov.co', PASSWORD, { ip: '203.0.113.50', now }));
      expect(results.map((r) => (r.ok ? 'ok' : r.reason))).toEqual(['invalid_credentials', 'invalid_credentials', 'invalid_credentials', 'throttled']);
      expect(results[3]).toMatchObject({ message: loginThrottledMessage(1), retryAfterSeconds: 1 });
      const stored = await db.select().from(t.loginThrottles).where(sql`${t.loginThrottles.account} like 'email:%'`);
      expect(JSON.stringify(stored)).not.toContain('no-existe');
    });

    it('answers an unknown e-mail exactly like a wrong password, and audits it without the e-mail', async () => {
      const agent = request.agent(app);
      const unknown = await logIn(agent, 'nadie@municipio.gov.co', PASSWORD);
      const wrong = await logIn(agent, 'viewer@municipio.gov.co', 'otra clave cualquiera');
      expect(unknown.status).toBe(401);
      expect(wrong.status).toBe(401);
      expect(unknown.body).toEqual(wrong.body);
      expect(unknown.body).toEqual({ error: { code: 'invalid_credentials', message: LOGIN_FAILED_MESSAGE, details: [] } });
      const [entry] = await db.select().from(t.auditLog).where(eq(t.auditLog.subject, 'user:desconocido'));
      expect(entry).toMatchObject({ actor: 'anónimo', action: 'auth.login.failed', details: { reason: 'invalid_credentials' } });
      expect(JSON.stringify(entry)).not.toContain('nadie@');
    });
  });

  describe('sessions', () => {
    it('logs in with an HttpOnly SameSite=Lax cookie, and a logged-out cookie no longer works', async () => {
      const agent = request.agent(app);
      const res = await logIn(agent, 'OPERATOR@municipio.gov.co');
      expect(res.status).toBe(200);
      expect(res.body.user).toEqual({ id: user('operator').id, email: 'operator@municipio.gov.co', name: 'Persona operator', role: 'operator', departmentCode: null });
      const cookie = sessionCookieOf(res);
      expect(cookie).toBeDefined();
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Lax/);
      expect(cookie).toMatch(/; Path=\//);
      expect(cookie).not.toMatch(/; Secure/);
      const expires = new Date(/Expires=([^;]+)/.exec(cookie!)![1]!).getTime() - Date.now();
      expect(expires).toBeGreaterThan(7.9 * 3600_000);
      expect(expires).toBeLessThanOrEqual(8 * 3600_000 + 1000);
      const rawCookie = cookie!.split(';')[0]!;

      const me = await agent.get('/api/me').expect(200);
      expect(me.body).toMatchObject({ user: { id: user('operator').id, role: 'operator' }, actor: `user:${user('operator').id}`, method: 'session' });
      expect(me.headers['cache-control']).toBe('no-store');

      const [stored] = await db.select().from(t.sessions).where(eq(t.sessions.userId, user('operator').id));
      expect(stored).toMatchObject({ revokedAt: null });
      expect(stored?.ip).toMatch(/127\.0\.0\.1|::1/);
      expect(stored?.data).not.toHaveProperty('client');

      // Logout needs the CSRF token issued at login.
      await agent.post('/logout').expect(403);
      await agent.post('/logout').set('x-csrf-token', res.body.csrfToken).expect(200, { ok: true });
      await request(app).get('/api/me').set('Cookie', rawCookie).expect(401);
      const [revoked] = await db.select().from(t.sessions).where(eq(t.sessions.sid, stored!.sid));
      expect(revoked?.revokedAt).not.toBeNull();
      expect(revoked?.data).toEqual({});
      const [logoutEntry] = await db
        .select()
        .from(t.auditLog)
        .where(and(eq(t.auditLog.action, 'auth.logout'), eq(t.auditLog.subject, `user:${user('operator').id}`)));
      expect(logoutEntry).toMatchObject({ actor: `user:${user('operator').id}`, details: { role: 'operator' } });
    });

    it('changes the session ID at login, so a cookie planted before login stays anonymous', async () => {
      const agent = request.agent(app);
      const before = await agent.get('/csrf').expect(200);
      const anonymousCookie = sessionCookieOf(before)!.split(';')[0]!;
      const res = await agent.post('/login').set('x-csrf-token', before.body.csrfToken).send({ email: 'viewer@municipio.gov.co', password: PASSWORD }).expect(200);
      expect(sessionCookieOf(res)!.split(';')[0]).not.toBe(anonymousCookie);
      await request(app).get('/api/me').set('Cookie', anonymousCookie).expect(401);
      await agent.get('/api/me').expect(200);
    });

    it('ends sessions after 8 hours idle or 12 hours in total', async () => {
      const idle = request.agent(app);
      await logIn(idle, 'viewer@municipio.gov.co').then((r) => expect(r.status).toBe(200));
      const total = request.agent(app);
      await logIn(total, 'admin@municipio.gov.co').then((r) => expect(r.status).toBe(200));
      await idle.get('/api/me').expect(200);
      await total.get('/api/me').expect(200);

      await db
        .update(t.sessions)
        .set({ expiresAt: new Date(Date.now() - 1000).toISOString() })
        .where(and(eq(t.sessions.userId, user('viewer').id), sql`${t.sessions.revokedAt} is null`));
      await db
        .update(t.sessions)
        .set({ createdAt: new Date(Date.now() - 12 * 3600_000 - 1000).toISOString() })
        .where(and(eq(t.sessions.userId, user('admin').id), sql`${t.sessions.revokedAt} is null`));
      // Changed behind the server's back (as another process would): refused within the session cache's bound.
      await refusedWithinSessionCache(idle);
      await refusedWithinSessionCache(total);
    });

    it('ends every session of a person whose password changes, and prunes sessions that are over', async () => {
      const person = await createUser(db, { email: 'cambio@municipio.gov.co', name: 'Cambio', role: 'viewer', password: PASSWORD });
      const agent = request.agent(app);
      await logIn(agent, 'cambio@municipio.gov.co').then((r) => expect(r.status).toBe(200));
      await agent.get('/api/me').expect(200);
      await expect(setPassword(db, person.id, 'cambio@municipio.gov.co', { by: 'user:1' })).rejects.toThrow(AppError);
      await setPassword(db, person.id, 'Otra clave larga de prueba', { by: `user:${user('admin').id}` });
      await agent.get('/api/me').expect(401);
      expect((await authenticate(db, 'cambio@municipio.gov.co', PASSWORD, { ip: null })).ok).toBe(false);
      expect((await authenticate(db, 'cambio@municipio.gov.co', 'Otra clave larga de prueba', { ip: null })).ok).toBe(true);

      const longAgo = new Date(Date.now() - 91 * 86_400_000).toISOString();
      const soon = new Date(Date.now() + 3600_000).toISOString();
      await db.insert(t.sessions).values([
        { sid: 'anonima-vencida', data: {}, expiresAt: new Date(Date.now() - 1000).toISOString() },
        { sid: 'anonima-vigente', data: {}, expiresAt: soon },
        { sid: 'antigua', userId: person.id, data: {}, expiresAt: longAgo, revokedAt: longAgo },
      ]);
      expect(await pruneSessions(db)).toBeGreaterThanOrEqual(2);
      const left = await db.select({ sid: t.sessions.sid }).from(t.sessions).where(sql`${t.sessions.sid} in ('anonima-vencida', 'anonima-vigente', 'antigua')`);
      expect(left).toEqual([{ sid: 'anonima-vigente' }]);
      // The session ended by the password change is recent: kept for the person's record.
      const kept = await db.select().from(t.sessions).where(eq(t.sessions.userId, person.id));
      expect(kept.map((k) => k.revokedAt !== null)).toEqual([true]);
    });

    it('refuses a state-changing request without the CSRF token and accepts it with the token', async () => {
      const agent = request.agent(app);
      // The login form itself is protected (login CSRF).
      const noToken = await agent.post('/login').send({ email: 'viewer@municipio.gov.co', password: PASSWORD }).expect(403);
      expect(noToken.body.error.code).toBe('csrf_invalid');

      const res = await logIn(agent, 'viewer@municipio.gov.co');
      const token = res.body.csrfToken as string;
      const refused = await agent.post('/api/notes').send({ text: 'hola' }).expect(403);
      expect(refused.body.error).toEqual({ code: 'csrf_invalid', message: expect.stringMatching(/formulario expiró/), details: [] });
      await agent.post('/api/notes').set('x-csrf-token', 'x'.repeat(token.length)).send({ text: 'hola' }).expect(403);
      await agent.post('/api/notes').set('x-csrf-token', token).send({ text: 'hola' }).expect(200, { saved: true });
      // A form field works as well as the header.
      await agent.post('/api/notes').type('form').send({ _csrf: token, text: 'hola' }).expect(200);
    });

    it('logs in through the HTML form and sends the person back to the page they asked for', async () => {
      const agent = request.agent(app);
      const redirect = await agent.get('/panel').set('Accept', 'text/html').expect(303);
      expect(redirect.headers.location).toBe('/login?next=%2Fpanel');
      const form = await agent.get(redirect.headers.location!).expect(200);
      const csrfToken = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1];
      expect(csrfToken).toBeDefined();
      expect(form.text).toContain('value="/panel"');
      const wrong = await agent
        .post('/login')
        .set('Accept', 'text/html')
        .type('form')
        .send({ _csrf: csrfToken!, email: 'operator@municipio.gov.co', password: 'equivocada-123456', next: '/panel' })
        .expect(401);
      expect(wrong.text).toContain('No fue posible iniciar sesión');
      const ok = await agent
        .post('/login')
        .set('Accept', 'text/html')
        .type('form')
        .send({ _csrf: csrfToken!, email: 'operator@municipio.gov.co', password: PASSWORD, next: '/panel' })
        .expect(303);
      expect(ok.headers.location).toBe('/panel');
      await agent.get('/panel').set('Accept', 'text/html').expect(200);
      // Only local paths are followed after login.
      const evil = request.agent(app);
      const evilForm = await evil.get('/login?next=%2F%2Fevil.example').expect(200);
      expect(evilForm.text).toContain('name="next" value="/"');
    });
  });

  describe('API tokens', () => {
    it('authenticates with a Bearer token without CSRF, records its use and stops at revocation', async () => {
      const created = await createApiToken(db, { userId: user('operator').id, name: 'Importación nocturna' }, { by: `user:${user('admin').id}` });
      expect(created.token).toMatch(/^mpdm_[A-Za-z0-9_-]{43}$/);
      const [row] = await db.select().from(t.apiTokens).where(eq(t.apiTokens.id, created.id));
      expect(row).toMatchObject({ tokenHash: hashApiToken(created.token), lastUsedAt: null });
      expect(JSON.stringify(row)).not.toContain(created.token);

      const bearer = `Bearer ${created.token}`;
      const me = await request(app).get('/api/me').set('Authorization', bearer).expect(200);
      expect(me.body).toMatchObject({ user: { id: user('operator').id }, method: 'token' });
      await request(app).post('/api/cycles').set('Authorization', bearer).send({}).expect(201, { startedBy: `user:${user('operator').id}` });
      const [used] = await db.select().from(t.apiTokens).where(eq(t.apiTokens.id, created.id));
      expect(used?.lastUsedAt).not.toBeNull();

      const badToken = await request(app).get('/api/me').set('Authorization', 'Bearer mpdm_inventado').expect(401);
      expect(badToken.body.error.code).toBe('unauthenticated');
      expect(badToken.headers['www-authenticate']).toMatch(/invalid_token/);

      expect(await revokeApiToken(db, created.id)).toBe(true);
      expect(await revokeApiToken(db, created.id)).toBe(false);
      await request(app).get('/api/me').set('Authorization', bearer).expect(401);
      // A rejected token never falls back to the browser session.
      const agent = request.agent(app);
      await logIn(agent, 'operator@municipio.gov.co').then((r) => expect(r.status).toBe(200));
      await agent.get('/api/me').set('Authorization', bearer).expect(401);
    });

    it('refuses a session revoked in this process at once, even right after it was read', async () => {
      const person = await createUser(db, { email: 'revocada.al.instante@municipio.gov.co', name: 'Revocada', role: 'viewer', password: PASSWORD });
      const agent = request.agent(app);
      await logIn(agent, 'revocada.al.instante@municipio.gov.co').then((r) => expect(r.status).toBe(200));
      await agent.get('/api/me').expect(200);
      expect(await revokeUserSessions(db, person.id)).toBe(1);
      await agent.get('/api/me').expect(401);
    });

    it('refuses tokens and sessions of a disabled account', async () => {
      const person = await createUser(db, { email: 'deshabilitado@municipio.gov.co', name: 'Deshabilitado', role: 'operator', password: PASSWORD });
      const { token } = await createApiToken(db, { userId: person.id, name: 'script' });
      const agent = request.agent(app);
      await logIn(agent, 'deshabilitado@municipio.gov.co').then((r) => expect(r.status).toBe(200));
      await agent.get('/api/me').expect(200);
      await db.update(t.users).set({ disabledAt: new Date().toISOString() }).where(eq(t.users.id, person.id));
      await refusedWithinSessionCache(agent);
      await request(app).get('/api/me').set('Authorization', `Bearer ${token}`).expect(401);
      expect((await authenticate(db, 'deshabilitado@municipio.gov.co', PASSWORD, { ip: null })).ok).toBe(false);
    });
  });

  describe('roles', () => {
    const tokenFor = async (key: string) => `Bearer ${(await createApiToken(db, { userId: user(key).id, name: `roles-${key}` })).token}`;

    it('answers anonymous API calls with 401 and the wrong role with 403; admin passes every role', async () => {
      const anonymous = await request(app).post('/api/cycles').send({}).expect(401);
      expect(anonymous.body).toEqual({ error: { code: 'unauthenticated', message: 'Debe iniciar sesión para usar esta función.', details: [] } });

      const viewer = await request(app).post('/api/cycles').set('Authorization', await tokenFor('viewer')).send({}).expect(403);
      expect(viewer.body.error).toMatchObject({ code: 'forbidden', message: 'Su rol (Consulta) no permite realizar esta acción.' });
      await request(app).post('/api/cycles').set('Authorization', await tokenFor('admin')).send({}).expect(201);
      await request(app).post('/api/cycles').set('Authorization', await tokenFor('operator')).send({}).expect(201);
      await request(app).get('/api/me').set('Authorization', await tokenFor('sedu')).expect(200);
    });

    it("keeps a liaison to their own department's reviews", async () => {
      const sedu = await tokenFor('sedu');
      await request(app).get('/api/reviews/revision-2026-T2-SEDU').set('Authorization', sedu).expect(200);
      const foreign = await request(app).get('/api/reviews/revision-2026-T2-SSAL').set('Authorization', sedu).expect(403);
      expect(foreign.body.error.message).toMatch(/solo puede acceder a las revisiones de su propia secretaría/);
      await request(app).get('/api/reviews/revision-2026-T2').set('Authorization', sedu).expect(403);
      await request(app).get('/api/reviews/revision-2026-T2-SSAL').set('Authorization', await tokenFor('viewer')).expect(200);
    });

    it('sends anonymous page visits to the login and shows a 403 page for the wrong role', async () => {
      const res = await request(app).get('/panel?tab=1').set('Accept', 'text/html').expect(303);
      expect(res.headers.location).toBe('/login?next=%2Fpanel%3Ftab%3D1');
      const agent = request.agent(app);
      await logIn(agent, 'viewer@municipio.gov.co').then((r) => expect(r.status).toBe(200));
      const denied = await agent.get('/panel').set('Accept', 'text/html').expect(403);
      expect(denied.text).toContain('Acceso denegado');
    });
  });

  describe('signed review links', () => {
    const key = deriveKey(SECRET, 'review-links');
    const issuedAt = new Date('2026-07-01T13:00:00.000Z');
    const link = signReviewLink({ reviewWorkflowId: 'revision-2026-T2-SEDU', departmentCode: 'SEDU', issuedAt }, key);
    const review = { workflowId: 'revision-2026-T2-SEDU', departmentCode: 'SEDU', deadline: '2026-07-15T22:00:00.000Z', state: 'awaitingResponse' };
    const now = new Date('2026-07-10T15:00:00.000Z');
    const changeCharAt = (text: string, index: number) => text.slice(0, index) + (text[index] === 'A' ? 'B' : 'A') + text.slice(index + 1);

    it('derives separate keys per purpose', () => {
      expect(deriveKey(SECRET, 'review-links')).toHaveLength(32);
      expect(deriveKey(SECRET, 'review-links').equals(deriveKey(SECRET, 'sessions'))).toBe(false);
      expect(deriveKey(SECRET, 'review-links').equals(deriveKey(SECRET, 'csrf'))).toBe(false);
      expect(() => deriveKey('corto', 'sessions')).toThrow(/32 caracteres/);
    });

    it('verifies a valid link and tells tampered from malformed ones', () => {
      expect(link).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
      expect(verifyReviewLink(link, key)).toEqual({ ok: true, payload: { reviewWorkflowId: 'revision-2026-T2-SEDU', departmentCode: 'SEDU', issuedAt } });
      const dot = link.indexOf('.');
      for (const index of [0, 5, dot - 1, dot + 1, link.length - 1]) {
        expect(verifyReviewLink(changeCharAt(link, index), key)).toEqual({ ok: false, reason: 'tampered' });
      }
      expect(verifyReviewLink(link, deriveKey(`${SECRET}-otro`, 'review-links'))).toEqual({ ok: false, reason: 'tampered' });
      for (const malformed of ['', 'abc', `${link}.x`, `%%%${link}`, link.slice(0, -1), `${link.slice(0, dot)}.`, 'a'.repeat(600)]) {
        expect(verifyReviewLink(malformed, key)).toEqual({ ok: false, reason: 'malformed' });
      }
    });

    it('judges a link against the review as it is now', () => {
      const { payload } = verifyReviewLink(link, key) as { ok: true; payload: Parameters<typeof linkStatus>[0] };
      expect(linkStatus(payload, review, now)).toBe('valid');
      expect(linkStatus(payload, { ...review, departmentCode: 'SSAL' }, now)).toBe('foreign');
      expect(linkStatus(payload, { ...review, workflowId: 'revision-2026-T2-SSAL', departmentCode: 'SSAL' }, now)).toBe('foreign');
      expect(linkStatus(payload, { ...review, deadline: '2026-07-09T22:00:00.000Z' }, now)).toBe('expired');
      // A deadline extension revives the same link.
      expect(linkStatus(payload, { ...review, deadline: '2026-07-20T22:00:00.000Z' }, now)).toBe('valid');
      expect(linkStatus(payload, { ...review, state: 'responseReceived', deadline: '2026-07-09T22:00:00.000Z' }, now)).toBe('closed-readonly');
      expect(linkStatus(payload, { ...review, state: 'reprogrammed' }, now)).toBe('closed-readonly');
    });

    it('serves links through the rate limiter against the stored review', async () => {
      await db.insert(t.departmentReviews).values({
        workflowId: 'revision-2026-T3-SEDU',
        cycleWorkflowId: 'revision-2026-T3',
        departmentCode: 'SEDU',
        fiscalYear: 2026,
        quarter: 3,
        status: 'awaitingResponse',
        deadline: new Date(Date.now() + 86_400_000).toISOString(),
      });
      const token = signReviewLink({ reviewWorkflowId: 'revision-2026-T3-SEDU', departmentCode: 'SEDU', issuedAt: new Date() }, auth.reviewLinkKey);
      const valid = await request(app).get(`/responder/${token}`).expect(200, { status: 'valid' });
      expect(valid.headers['ratelimit-policy']).toMatch(/^"review-links"; q=60; w=60(;|$)/);
      await db.update(t.departmentReviews).set({ deadline: new Date(Date.now() - 1000).toISOString() }).where(eq(t.departmentReviews.workflowId, 'revision-2026-T3-SEDU'));
      await request(app).get(`/responder/${token}`).expect(200, { status: 'expired' });
      await db.update(t.departmentReviews).set({ status: 'responseReceived' }).where(eq(t.departmentReviews.workflowId, 'revision-2026-T3-SEDU'));
      await request(app).get(`/responder/${token}`).expect(200, { status: 'closed-readonly' });
      await request(app).get(`/responder/${changeCharAt(token, 3)}`).expect(400, { status: 'tampered' });
    });
  });

  describe('HTTP protections', () => {
    it('sends a CSP without inline scripts and no HSTS over plain HTTP', async () => {
      const res = await request(app).get('/login').expect(200);
      const csp = res.headers['content-security-policy'] ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain("script-src-attr 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    });

    it('sets Secure cookies and HSTS behind a TLS proxy when configured', async () => {
      const secureAuth = createAuth({ db, pages: authPages, secret: SECRET, secureCookies: true, trustProxy: 1 });
      const secureApp = buildApp(secureAuth, db, { trustProxy: 1 });
      const res = await request(secureApp).get('/csrf').set('X-Forwarded-Proto', 'https').expect(200);
      expect(sessionCookieOf(res)).toMatch(/; Secure/);
      expect(res.headers['strict-transport-security']).toMatch(/max-age=15552000/);
      expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
    });

    it('counts only failed logins per address: 30 logins from one office address pass, the 101st failure gets a Spanish 429', async () => {
      const limitedApp = buildApp(createAuth({ db, pages: authPages, secret: SECRET, secureCookies: false }), db);
      await createUser(db, { email: 'oficina@municipio.gov.co', name: 'Oficina', role: 'viewer', password: PASSWORD });
      for (let i = 0; i < 30; i++) {
        const res = await logIn(request.agent(limitedApp), 'oficina@municipio.gov.co');
        expect(res.status).toBe(200);
      }
      // Failures (different e-mails, so no account is slowed down) are what the address limit counts.
      const agent = request.agent(limitedApp);
      const { body } = await agent.get('/csrf').expect(200);
      for (let i = 1; i <= 100; i++) {
        const res = await agent.post('/login').set('x-csrf-token', body.csrfToken).send({ email: `intruso${i}@ejemplo.com`, password: 'adivinando-clave' });
        expect(res.status).toBe(401);
      }
      const limited = await agent.post('/login').set('x-csrf-token', body.csrfToken).send({ email: 'intruso101@ejemplo.com', password: 'adivinando-clave' });
      expect(limited.status).toBe(429);
      expect(limited.body.error).toEqual({ code: 'rate_limited', message: expect.stringMatching(/^Demasiados intentos fallidos de inicio de sesión desde esta dirección/), details: [] });
      expect(limited.headers['ratelimit-policy']).toMatch(/^"login"; q=100; w=900(;|$)/);
      expect(limited.headers['ratelimit']).toMatch(/^"login"; r=0; t=\d+/);
    }, 120_000);

    it('behind a proxy, failures from rotating addresses do not lock an account, and a slowed-down address gets in after a bounded wait', async () => {
      // The throttle's clock stands still unless the test moves it: a busy machine cannot outlast a wait.
      let clock = Date.now();
      const proxied = buildApp(createAuth({ db, pages: authPages, secret: SECRET, secureCookies: false, trustProxy: 1, now: () => new Date(clock) }), db, { trustProxy: 1 });
      const owner = await createUser(db, { email: 'duena@municipio.gov.co', name: 'Dueña', role: 'operator', password: PASSWORD });
      const loginFrom = async (ip: string, password: string, accept = 'application/json') => {
        const agent = request.agent(proxied);
        const { body } = await agent.get('/csrf').set('X-Forwarded-For', ip).expect(200);
        const post = agent.post('/login').set('X-Forwarded-For', ip).set('Accept', accept);
        const fields = { _csrf: body.csrfToken as string, email: 'duena@municipio.gov.co', password };
        return accept === 'text/html' ? post.type('form').send(fields) : post.send(fields);
      };
      expect((await loginFrom('198.51.100.20', PASSWORD)).status).toBe(200);
      for (let i = 0; i < 5; i++) expect((await loginFrom(`192.0.2.${100 + i}`, 'adivinando-clave')).status).toBe(401);
      expect((await loginFrom('198.51.100.20', PASSWORD)).status).toBe(200);
      expect((await loginFrom('203.0.113.200', PASSWORD)).status).toBe(200);
      const failures = await db.select().from(t.auditLog).where(and(eq(t.auditLog.subject, `user:${owner.id}`), eq(t.auditLog.action, 'auth.login.failed')));
      expect(failures.map((f) => (f.details as { ip: string }).ip).sort()).toEqual(['192.0.2.100', '192.0.2.101', '192.0.2.102', '192.0.2.103', '192.0.2.104']);

      // Three failures from one address: the next attempt from it is told to wait, in Spanish.
      for (let i = 0; i < 3; i++) expect((await loginFrom('192.0.2.150', 'adivinando-clave')).status).toBe(401);
      const slowed = await loginFrom('192.0.2.150', PASSWORD);
      expect(slowed.status).toBe(429);
      expect(slowed.headers['retry-after']).toBe('1');
      expect(slowed.body.error).toEqual({ code: 'login_throttled', message: 'Hubo varios intentos fallidos con esta cuenta. Espere 1 s e intente de nuevo.', details: [] });
      // Other addresses are unaffected; the slowed one gets in once the wait is over.
      expect((await loginFrom('198.51.100.20', PASSWORD)).status).toBe(200);
      // Still waiting until the announced second has passed, then in.
      clock += 500;
      expect((await loginFrom('192.0.2.150', PASSWORD)).status).toBe(429);
      clock += 600;
      expect((await loginFrom('192.0.2.150', PASSWORD)).status).toBe(200);
      // The HTML form says it too.
      for (let i = 0; i < 3; i++) await loginFrom('192.0.2.151', 'adivinando-clave', 'text/html');
      const page = await loginFrom('192.0.2.151', PASSWORD, 'text/html');
      expect(page.status).toBe(429);
      expect(page.text).toContain('Espere 1 s e intente de nuevo');
    }, 60_000);
  });

  describe('personal data (Ley 1581 de 2012)', () => {
    it('exports what we hold about a person without secrets, and removes it keeping id and role', async () => {
      const person = await createUser(db, { email: 'enlace.ssal@municipio.gov.co', name: 'María Enlace', role: 'liaison', departmentCode: 'SSAL', password: PASSWORD });
      const agent = request.agent(app);
      const loggedIn = await logIn(agent, 'enlace.ssal@municipio.gov.co');
      expect(loggedIn.status).toBe(200);
      const { token } = await createApiToken(db, { userId: person.id, name: 'Hoja de cálculo' });
      await request(app).get('/api/me').set('Authorization', `Bearer ${token}`).expect(200);

      const admin = `user:${user('admin').id}`;
      const exported = await exportPersonalData(db, person.id, { by: admin });
      expect(exported.account).toMatchObject({ id: person.id, email: 'enlace.ssal@municipio.gov.co', name: 'María Enlace', role: 'liaison', departmentCode: 'SSAL', hasPassword: true });
      expect(exported.sessions).toHaveLength(1);
      expect(exported.sessions[0]).toMatchObject({ revokedAt: null, ip: expect.any(String) });
      expect(exported.apiTokens).toEqual([expect.objectContaining({ name: 'Hoja de cálculo', lastUsedAt: expect.any(String), revokedAt: null })]);
      expect(exported.auditEntries.map((e) => e.action)).toContain('auth.login.succeeded');
      expect(exported.loginAddresses).toEqual([expect.objectContaining({ client: expect.stringMatching(/^ip:/), failures: 0, lastSuccessAt: expect.any(String) })]);
      const [session] = await db.select().from(t.sessions).where(eq(t.sessions.userId, person.id));
      const [user0] = await db.select().from(t.users).where(eq(t.users.id, person.id));
      const text = JSON.stringify(exported);
      for (const secret of [session!.sid, user0!.passwordHash!, hashApiToken(token), token]) expect(text).not.toContain(secret);

      const removed = await removePersonalData(db, person.id, { by: admin });
      expect(removed).toMatchObject({ userId: person.id, role: 'liaison', alreadyRemoved: false });
      const [row] = await db.select().from(t.users).where(eq(t.users.id, person.id));
      expect(row).toMatchObject({
        id: person.id,
        email: `eliminado-${person.id}@invalid`,
        name: `Usuario eliminado ${person.id}`,
        role: 'liaison',
        departmentCode: 'SSAL',
        passwordHash: null,
      });
      expect(row?.personalDataRemovedAt).not.toBeNull();
      expect(row?.disabledAt).not.toBeNull();
      const sessions = await db.select().from(t.sessions).where(eq(t.sessions.userId, person.id));
      expect(sessions.map((s) => [s.revokedAt !== null, s.ip, s.userAgent, s.data])).toEqual([[true, null, null, {}]]);
      expect(await db.select().from(t.loginThrottles).where(eq(t.loginThrottles.account, `user:${person.id}`))).toEqual([]);
      const tokens = await db.select().from(t.apiTokens).where(eq(t.apiTokens.userId, person.id));
      expect(tokens.every((tk) => tk.revokedAt !== null)).toBe(true);

      await agent.get('/api/me').expect(401);
      await request(app).get('/api/me').set('Authorization', `Bearer ${token}`).expect(401);
      expect(await authenticate(db, 'enlace.ssal@municipio.gov.co', PASSWORD, { ip: null })).toMatchObject({ ok: false });

      const audit = await db.select().from(t.auditLog).where(eq(t.auditLog.subject, `user:${person.id}`));
      expect(audit.find((a) => a.action === 'user.personalData.removed')).toMatchObject({ actor: admin, details: { role: 'liaison' } });
      expect(audit.find((a) => a.action === 'user.personalData.exported')).toMatchObject({ actor: admin });
      // Records made as the person keep naming user:<id>, whose role is still known.
      expect(audit.filter((a) => a.actor === `user:${person.id}`).map((a) => a.action)).toContain('auth.login.succeeded');

      expect(await removePersonalData(db, person.id, { by: admin })).toMatchObject({ alreadyRemoved: true });
      const again = await exportPersonalData(db, person.id);
      expect(JSON.stringify(again)).not.toContain('María');
      expect(JSON.stringify(again)).not.toContain('enlace.ssal@');
    });
  });
});
