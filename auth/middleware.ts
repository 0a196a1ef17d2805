import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import expressSession from 'express-session';
import { csrfSync } from 'csrf-sync';
import helmet from 'helmet';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import type { Database } from '../db/client';
import { DEFAULT_API_TOKEN_DAYS, verifyApiToken } from './apiTokens';
import { createBootstrap } from './bootstrap';
import { recordAuthEvent } from './audit';
import { deriveKey } from './keys';
import { actorOf, roleLabels, roleSatisfies, userSubject, type Role } from './roles';
import { DatabaseSessionStore, DEFAULT_ABSOLUTE_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS } from './sessionStore';
import { authenticate as authenticateCredentials, findActiveUser, LOGIN_FAILED_MESSAGE, type AuthUser } from './users';
import { departmentInReviewId } from '../domain/workflowIds';

declare module 'express-serve-static-core' {
  interface Locals {
    /** The authenticated account (set by `authenticate`). */
    user?: AuthUser;
    /** What records and the audit log name as the actor: `user:<id>`. */
    actor?: string;
    /** How the request was authenticated. */
    authMethod?: 'session' | 'token';
    /** The API token's id when authMethod is 'token' (so `logout` can revoke exactly it). */
    apiTokenId?: number;
  }
}

export const SESSION_COOKIE_NAME = 'metas.sid';
export const LOGIN_PATH = '/login';

/**
 * The pages auth answers browsers with, rendered by the server's views (server/views/errorPages.ts):
 * auth decides what to say, never how it looks.
 */
export interface AuthPages {
  login(form: { action: string; csrfToken: string; next: string; email: string; error?: string }): string;
  error(view: { title: string; heading: string; message: string }): string;
}

export interface AuthOptions {
  db: Database;
  pages: AuthPages;
  /** APP_SECRET (≥ 32 characters); the keys for sessions and review links are derived from it. */
  secret: string;
  /** Cookies only over HTTPS (`Secure`), plus HSTS and upgrade-insecure-requests. True in production. */
  secureCookies: boolean;
  /**
   * Behind a reverse proxy that terminates TLS: the session trusts X-Forwarded-Proto for the Secure
   * cookie. The app must also `app.set('trust proxy', trustProxy)` so req.ip (rate limits, audit) is right.
   */
  trustProxy?: boolean | number | string;
  idleTimeoutMs?: number;
  absoluteTimeoutMs?: number;
  /** Failed logins per address (successful ones are not counted): 100 per 15 minutes by default. */
  loginLimit?: { limit: number; windowMs: number };
  linkLimit?: { limit: number; windowMs: number };
  /** Where the one-time installation code is left for the command line (DATA_DIR). */
  dataDir?: string;
  /** Lifetime of new API tokens, in days (API_TOKEN_DAYS; 90 by default). */
  apiTokenDays?: number;
  /** The clock of the login throttle (a test's own, to step over a wait without sleeping). */
  now?: () => Date;
}

const messages = {
  unauthenticated: 'Debe iniciar sesión para usar esta función.',
  invalidToken: 'El token de acceso no es válido, fue revocado o su cuenta está deshabilitada.',
  expiredToken: (date: string) =>
    `El token de acceso venció el ${date}. Obtenga uno nuevo con «npm run metas -- login» o en la página Tokens de acceso (/cuenta/tokens).`,
  forbidden: (role: Role) => `Su rol (${roleLabels[role]}) no permite realizar esta acción.`,
  foreignDepartment: 'Como enlace de secretaría solo puede acceder a las revisiones de su propia secretaría.',
  csrf: 'El formulario expiró o no es válido. Recargue la página e intente de nuevo.',
  loginRateLimited: 'Demasiados intentos fallidos de inicio de sesión desde esta dirección. Espere 15 minutos e intente de nuevo.',
  linkRateLimited: 'Demasiadas solicitudes desde esta dirección. Espere un minuto e intente de nuevo.',
  loginInvalid: 'Indique el correo electrónico y la contraseña.',
} as const;

/** API calls and JSON clients get the error envelope; browsers navigating pages get an HTML page. */
function wantsHtml(req: Request): boolean {
  if (req.originalUrl.startsWith('/api/') || req.originalUrl === '/api') return false;
  if (req.is('application/json')) return false;
  return req.accepts(['json', 'html']) === 'html';
}

const errorEnvelope =
  (pages: AuthPages) =>
  (req: Request, res: Response, status: number, code: string, message: string, details: string[] = []): void => {
    if (wantsHtml(req)) {
      res.status(status).type('html').send(pages.error({ title: 'Error', heading: 'No fue posible completar la solicitud', message }));
      return;
    }
    res.status(status).json({ error: { code, message, details } });
  };

/** Only paths of this site: no scheme, no `//host`, no backslash tricks. */
export function safeNextPath(next: unknown): string {
  if (typeof next !== 'string' || next.length > 2000) return '/';
  const unsafeChar = [...next].some((c) => c === '\\' || c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
  if (!next.startsWith('/') || next.startsWith('//') || unsafeChar) return '/';
  return next;
}

const bearerPattern = /^Bearer\s+(.+)$/i;
/** A Bearer header decides alone: such requests never fall back to the session (nor need CSRF tokens). */
const bearerOf = (req: Request): string | undefined => bearerPattern.exec(req.get('authorization') ?? '')?.[1]?.trim();

const loginBody = z.object({
  email: z.string().max(320),
  password: z.string().max(1024),
  next: z.string().optional(),
});

const sameLength = (a: string, b: string) => a.length === b.length;

export function createAuth(options: AuthOptions) {
  const { db, secret, secureCookies, trustProxy, pages } = options;
  const sendError = errorEnvelope(pages);
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const absoluteTimeoutMs = options.absoluteTimeoutMs ?? DEFAULT_ABSOLUTE_TIMEOUT_MS;
  const store = new DatabaseSessionStore(db, { idleTimeoutMs, absoluteTimeoutMs });
  const reviewLinkKey = deriveKey(secret, 'review-links');

  const cookieOptions = { httpOnly: true, sameSite: 'lax' as const, secure: secureCookies, path: '/' };

  /** Sessions in the database; the cookie rolls 8 h of inactivity, the store caps the session at 12 h. */
  const session = expressSession({
    name: SESSION_COOKIE_NAME,
    secret: deriveKey(secret, 'sessions').toString('base64url'),
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    unset: 'destroy',
    proxy: trustProxy === undefined || trustProxy === false ? undefined : true,
    cookie: { ...cookieOptions, maxAge: idleTimeoutMs },
  });

  // Synchroniser token pattern: the token lives in the session; forms send `_csrf`, scripts `x-csrf-token`.
  const csrfLibrary = csrfSync({
    getTokenFromRequest: (req) => {
      const header = req.get('x-csrf-token');
      if (header) return header;
      const field = (req.body as Record<string, unknown> | undefined)?._csrf;
      return typeof field === 'string' ? field : undefined;
    },
  });
  const csrfSafeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

  /** The CSRF token for a form or a page's script (creates it in the session when needed). */
  const csrfToken = (req: Request): string => csrfLibrary.generateToken(req);

  /** The request carries the session's CSRF token (header or `_csrf` field), compared in constant time. */
  const csrfValid = (req: Request): boolean => {
    const expected = req.session ? csrfLibrary.getTokenFromState(req) : undefined;
    const received = csrfLibrary.getTokenFromRequest(req);
    // csrf-sync compares with ===; compare in constant time instead.
    return (
      typeof expected === 'string' &&
      typeof received === 'string' &&
      sameLength(expected, received) &&
      timingSafeEqual(Buffer.from(expected), Buffer.from(received))
    );
  };

  /**
   * Rejects state-changing requests of a logged-in session without the session's token (403).
   * Requests with a Bearer header and anonymous requests carry no ambient credentials and pass
   * (requireRole answers the anonymous ones with 401); `login` checks its own token.
   */
  const csrf: RequestHandler = (req, res, next) => {
    if (csrfSafeMethods.has(req.method) || bearerOf(req) !== undefined || req.session?.userId === undefined) return next();
    if (csrfValid(req)) return next();
    sendError(req, res, 403, 'csrf_invalid', messages.csrf);
  };

  const setUser = (res: Response, user: AuthUser, method: 'session' | 'token', tokenId?: number) => {
    res.locals.user = user;
    if (tokenId !== undefined) res.locals.apiTokenId = tokenId;
    res.locals.actor = actorOf(user);
    res.locals.authMethod = method;
    // Pages and data of a signed-in person are not kept by browsers or proxies (shared office computers).
    res.setHeader('Cache-Control', 'no-store');
  };

  const destroySession = (req: Request) =>
    new Promise<void>((resolve, reject) => (req.session ? req.session.destroy((error) => (error ? reject(error) : resolve())) : resolve()));

  /**
   * Identifies the caller: `Authorization: Bearer mpdm_…` (an invalid token is a 401, never a
   * fallback to the session) or the session's user. Disabled accounts count as anonymous and lose
   * their session. Anonymous requests continue; `requireRole` decides.
   */
  const authenticate: RequestHandler = async (req, res, next) => {
    const bearer = bearerOf(req);
    if (bearer !== undefined) {
      const verified = await verifyApiToken(db, bearer);
      const user = verified.ok ? await findActiveUser(db, verified.userId) : null;
      if (!verified.ok || !user) {
        const expired = !verified.ok && verified.reason === 'expired';
        res.setHeader('WWW-Authenticate', `Bearer realm="metas-pdm", error="invalid_token"${expired ? ', error_description="expired"' : ''}`);
        if (expired) return sendError(req, res, 401, 'token_expired', messages.expiredToken(verified.expiredAt.slice(0, 10)));
        return sendError(req, res, 401, 'unauthenticated', messages.invalidToken);
      }
      setUser(res, user, 'token', verified.tokenId);
      return next();
    }
    const userId = req.session?.userId;
    if (userId !== undefined) {
      // Read with the session by the store; a session made during this request has none yet.
      const user = req.session.account !== undefined ? req.session.account : await findActiveUser(db, userId);
      if (user) setUser(res, user, 'session');
      else await destroySession(req);
    }
    next();
  };

  /** API routes: 401 envelope when anonymous, 403 when the role does not allow it. Admin passes every check. */
  const requireRole =
    (...roles: Role[]): RequestHandler =>
    (req, res, next) => {
      const user = res.locals.user;
      if (!user) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="metas-pdm"');
        return sendError(req, res, 401, 'unauthenticated', messages.unauthenticated);
      }
      if (!roleSatisfies(user.role, roles)) return sendError(req, res, 403, 'forbidden', messages.forbidden(user.role));
      next();
    };

  const redirectToLogin = (req: Request, res: Response) => {
    // After login a GET comes back where it was; a form post cannot be replayed, so it starts over at '/'.
    const next = req.method === 'GET' ? safeNextPath(req.originalUrl) : '/';
    res.redirect(303, `${LOGIN_PATH}?next=${encodeURIComponent(next)}`);
  };

  /** Pages: anonymous visitors go to /login?next=…; a wrong role gets a 403 page. */
  const requireRolePage =
    (...roles: Role[]): RequestHandler =>
    (req, res, next) => {
      const user = res.locals.user;
      if (!user) return redirectToLogin(req, res);
      if (!roleSatisfies(user.role, roles)) {
        res.status(403).type('html').send(pages.error({ title: 'Acceso denegado', heading: 'Acceso denegado', message: messages.forbidden(user.role) }));
        return;
      }
      next();
    };

  /**
   * Liaisons reach only their own department's resources; other roles pass (use after requireRole).
   * `getDepartmentCode` names the department the request is about (e.g. from the review's ID);
   * when it cannot tell, liaisons are refused.
   */
  const requireDepartmentAccess =
    (getDepartmentCode: (req: Request, res: Response) => string | null | undefined | Promise<string | null | undefined>): RequestHandler =>
    async (req, res, next) => {
      const user = res.locals.user;
      if (!user) return wantsHtml(req) ? redirectToLogin(req, res) : sendError(req, res, 401, 'unauthenticated', messages.unauthenticated);
      if (user.role !== 'liaison') return next();
      const code = await getDepartmentCode(req, res);
      if (code && user.departmentCode && code === user.departmentCode) return next();
      sendError(req, res, 403, 'forbidden', messages.foreignDepartment);
    };

  const limiter = (name: string, { limit, windowMs }: { limit: number; windowMs: number }, message: string, { failuresOnly = false } = {}) =>
    rateLimit({
      windowMs,
      limit,
      // Successful requests (status < 400) are taken back off the count when they finish.
      skipSuccessfulRequests: failuresOnly,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      identifier: name,
      handler: (req, res, _next, opts) => sendError(req, res, opts.statusCode, 'rate_limited', message),
    });

  /**
   * Per IP: 100 failed logins per 15 minutes (in memory: one server process). Successful logins do
   * not count, so an office behind one address is never stopped by its own people logging in; the
   * per-account slowdown is in auth/loginThrottle.ts.
   */
  const loginRateLimit = limiter('login', options.loginLimit ?? { limit: 100, windowMs: 15 * 60_000 }, messages.loginRateLimited, { failuresOnly: true });
  /** Per IP: 60 requests per minute on signed review links. */
  const linkRateLimit = limiter('review-links', options.linkLimit ?? { limit: 60, windowMs: 60_000 }, messages.linkRateLimited);

  /**
   * helmet with a CSP of our own origin only: no inline or foreign scripts, no framing, no plugins.
   * Styles only from our stylesheet (no inline style: pages use classes of /assets/app.css). HSTS and
   * upgrade-insecure-requests only when served over HTTPS.
   */
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        ...(secureCookies ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: secureCookies ? { maxAge: 180 * 86_400, includeSubDomains: true } : false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });

  const regenerate = (req: Request) => new Promise<void>((resolve, reject) => req.session.regenerate((error) => (error ? reject(error) : resolve())));
  const save = (req: Request) => new Promise<void>((resolve, reject) => req.session.save((error) => (error ? reject(error) : resolve())));

  const loginForm = (req: Request, { error, email = '', next = '/' }: { error?: string; email?: string; next?: string }) =>
    pages.login({ action: LOGIN_PATH, csrfToken: csrfToken(req), next: safeNextPath(next), email, error });

  /** GET /login: the form (with its CSRF token); a signed-in person goes straight to `next`. */
  const loginPage: RequestHandler = (req, res) => {
    const next = safeNextPath(req.query.next);
    if (res.locals.user) return res.redirect(303, next);
    res.type('html').send(loginForm(req, { next }));
  };

  /**
   * POST /login (after loginRateLimit; it checks the login form's CSRF token itself). JSON `{email, password}` → `{ user, csrfToken }`;
   * a form → 303 to `next`. The session ID changes at login (no fixation). Failures are a 401 with
   * one message whatever the cause; an attempt made while failures make it wait is a 429 with
   * Retry-After and «espere N s» (auth/loginThrottle.ts).
   */
  const login: RequestHandler = async (req, res) => {
    if (!csrfValid(req)) return sendError(req, res, 403, 'csrf_invalid', messages.csrf);
    const parsed = loginBody.safeParse(req.body ?? {});
    const html = wantsHtml(req);
    if (!parsed.success) {
      if (html) return void res.status(400).type('html').send(loginForm(req, { error: messages.loginInvalid }));
      return sendError(req, res, 400, 'invalid_input', messages.loginInvalid);
    }
    const { email, password } = parsed.data;
    const next = safeNextPath(parsed.data.next);
    const ip = req.ip ?? null;
    const userAgent = req.get('user-agent')?.slice(0, 500) ?? null;
    const result = await authenticateCredentials(db, email, password, { ip, userAgent, now: options.now?.() });
    if (!result.ok && result.reason === 'throttled') {
      res.setHeader('Retry-After', String(result.retryAfterSeconds));
      if (html) return void res.status(429).type('html').send(loginForm(req, { error: result.message, email, next }));
      return sendError(req, res, 429, 'login_throttled', result.message);
    }
    if (!result.ok) {
      if (html) return void res.status(401).type('html').send(loginForm(req, { error: result.message, email, next }));
      return sendError(req, res, 401, 'invalid_credentials', result.message);
    }
    await regenerate(req);
    req.session.userId = result.user.id;
    req.session.client = { ip, userAgent };
    const token = csrfLibrary.generateToken(req, true);
    await save(req);
    if (html) return res.redirect(303, next);
    res.json({ user: result.user, csrfToken: token });
  };

  /** POST /logout (after csrf): revokes the session in the store, clears the cookie, audits. */
  const logout: RequestHandler = async (req, res) => {
    const userId = res.locals.user?.id ?? req.session?.userId;
    const role = res.locals.user?.role ?? null;
    await destroySession(req);
    res.clearCookie(SESSION_COOKIE_NAME, cookieOptions);
    if (userId !== undefined) {
      await recordAuthEvent(db, { actor: actorOf({ id: userId }), action: 'auth.logout', subject: userSubject(userId), details: { ip: req.ip ?? null, role } });
    }
    if (wantsHtml(req)) return res.redirect(303, LOGIN_PATH);
    res.json({ ok: true });
  };

  return {
    store,
    session,
    csrf,
    csrfToken,
    authenticate,
    requireRole,
    requireRolePage,
    requireDepartmentAccess,
    loginRateLimit,
    linkRateLimit,
    securityHeaders,
    loginPage,
    login,
    logout,
    /** Key for signReviewLink / verifyReviewLink. */
    reviewLinkKey,
    /** The one-time installation code for the first administrator (auth/bootstrap.ts). */
    bootstrap: createBootstrap({ db, dataDir: options.dataDir }),
    /** Lifetime of new API tokens, in days. */
    apiTokenDays: options.apiTokenDays ?? DEFAULT_API_TOKEN_DAYS,
    /** 403 envelope or page (for routers that check something of their own). */
    sendError,
  };
}

export type Auth = ReturnType<typeof createAuth>;

/** The department in a review workflow ID (`revision-2026-T2-SEDU` → `SEDU`), for requireDepartmentAccess. */
export const departmentOfReview = departmentInReviewId;

export { LOGIN_FAILED_MESSAGE };
