import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { describeIssues } from '../domain/review';
import { AppError } from '../domain/errors';
import { recordAuthEvent } from './audit';
import { assertPasswordPolicy, dummyPasswordHash, hashPassword, needsRehash, PASSWORD_MAX_LENGTH, verifyPassword } from './passwords';
import { actorOf, roles, userSubject, type AuthUser } from './roles';
import { clearLoginThrottles, loginWait, oneAtATime, recordLoginFailure, recordLoginSuccess, throttleAccountKey, throttleClientKey, type LoginWait } from './loginThrottle';
import { revokeUserSessions } from './sessionStore';

export type { AuthUser } from './roles';

/**
 * The one message for every failed login: it does not say whether the e-mail exists, whether the
 * password was wrong or whether the account is locked, so it cannot be used to find accounts.
 */
export const LOGIN_FAILED_MESSAGE =
  'No fue posible iniciar sesión: revise el correo y la contraseña. Tras varios intentos fallidos deberá esperar unos segundos entre un intento y otro.';

const emailSchema = z
  .string({ message: 'el correo electrónico es obligatorio' })
  .trim()
  .toLowerCase()
  .max(254, 'el correo electrónico es demasiado largo')
  .pipe(z.email('correo electrónico inválido'));

export const createUserSchema = z.object({
  email: emailSchema,
  name: z.string({ message: 'el nombre es obligatorio' }).trim().min(1, 'el nombre es obligatorio').max(200, 'el nombre es demasiado largo'),
  role: z.enum(roles, { message: 'rol: use admin, operator, coordinator, liaison o viewer' }),
  departmentCode: z.string().trim().min(1).max(40).nullish(),
  password: z.string().optional(),
});

export type CreateUserInput = z.input<typeof createUserSchema>;

const toAuthUser = (u: typeof t.users.$inferSelect): AuthUser => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  departmentCode: u.departmentCode,
});

/** PostgreSQL's unique_violation, whether the driver error arrives bare or wrapped by drizzle. */
function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

/**
 * Creates an account. The e-mail is stored lower-case; a liaison must name an existing department
 * (any other role may name one too, and it must exist). Without a password the account cannot log
 * in until `setPassword`.
 */
export async function createUser(db: Database, input: CreateUserInput, { by = 'sistema' }: { by?: string } = {}): Promise<AuthUser> {
  const parsed = createUserSchema.safeParse(input);
  if (!parsed.success) throw new AppError('invalid_input', 'Datos de usuario inválidos', describeIssues(parsed.error));
  const { email, name, role, password } = parsed.data;
  const departmentCode = parsed.data.departmentCode ?? null;
  if (role === 'liaison' && !departmentCode) {
    throw new AppError('invalid_input', 'Datos de usuario inválidos', ['departmentCode: un enlace debe estar asociado a una secretaría']);
  }
  if (departmentCode) {
    const [department] = await db.select({ code: t.departments.code }).from(t.departments).where(eq(t.departments.code, departmentCode));
    if (!department) throw new AppError('invalid_input', 'Datos de usuario inválidos', [`departmentCode: no existe la secretaría ${departmentCode}`]);
  }
  if (password !== undefined) assertPasswordPolicy(password, email);
  const passwordHash = password === undefined ? null : await hashPassword(password);

  const [existing] = await db.select({ id: t.users.id }).from(t.users).where(eq(t.users.email, email));
  if (existing) throw new AppError('conflict', `Ya existe un usuario con el correo ${email}`);
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx.insert(t.users).values({ email, name, role, departmentCode, passwordHash }).returning();
      if (!row) throw new Error('INSERT … RETURNING devolvió cero filas');
      await recordAuthEvent(tx, { actor: by, action: 'user.created', subject: userSubject(row.id), details: { role, departmentCode } });
      return toAuthUser(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('conflict', `Ya existe un usuario con el correo ${email}`);
    throw error;
  }
}

/** Sets a new password (policy enforced), clears the lockout and ends the person's other sessions. */
export async function setPassword(db: Database, userId: number, password: string, { by }: { by: string }): Promise<void> {
  const [user] = await db.select().from(t.users).where(eq(t.users.id, userId));
  if (!user || user.personalDataRemovedAt) throw new AppError('not_found', `No existe el usuario ${userId}`);
  assertPasswordPolicy(password, user.email);
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    await tx.update(t.users).set({ passwordHash, failedLogins: 0, lockedUntil: null }).where(eq(t.users.id, userId));
    await clearLoginThrottles(tx, `user:${userId}`);
    await revokeUserSessions(tx, userId);
    await recordAuthEvent(tx, { actor: by, action: 'user.password.changed', subject: userSubject(userId), details: { role: user.role } });
  });
}

/** The account behind a session or token, if it may still act (not disabled, data not removed). */
export async function findActiveUser(db: Database, userId: number): Promise<AuthUser | null> {
  const [user] = await db.select().from(t.users).where(eq(t.users.id, userId));
  if (!user || user.disabledAt || user.personalDataRemovedAt) return null;
  return toAuthUser(user);
}

export type AuthenticationResult =
  | { ok: true; user: AuthUser }
  /** `reason` is for the audit log and tests; people only ever see `message`. */
  | { ok: false; reason: 'invalid_credentials' | 'disabled'; message: string }
  /** Too many recent failures: try again after `retryAfterSeconds` (HTTP 429). */
  | { ok: false; reason: 'throttled'; message: string; retryAfterSeconds: number; scope: LoginWait['scope'] };

export interface AuthenticateContext {
  ip: string | null;
  userAgent?: string | null;
  now?: Date;
}

/** The answer to an attempt made while its wait runs (unknown e-mails get it too). */
export const loginThrottledMessage = (seconds: number) =>
  `Hubo varios intentos fallidos con esta cuenta. Espere ${seconds} s e intente de nuevo.`;

/**
 * Checks e-mail and password. Failures slow further attempts down (auth/loginThrottle.ts: per
 * account and address, and gently per account) but never lock the account: a correct password
 * given after the announced wait always opens it. Unknown e-mails, disabled accounts and accounts
 * without a password cost one argon2 verification too, are counted the same way, and every failure
 * returns the same message. Every attempt is audited, never with the password.
 */
export async function authenticate(db: Database, email: string, password: string, context: AuthenticateContext): Promise<AuthenticationResult> {
  const ip = context.ip;
  const normalized = String(email ?? '').trim().toLowerCase();
  const fail = (reason: 'invalid_credentials' | 'disabled'): AuthenticationResult => ({ ok: false, reason, message: LOGIN_FAILED_MESSAGE });

  const [user] = normalized ? await db.select().from(t.users).where(eq(t.users.email, normalized)) : [];
  const account = throttleAccountKey(user, normalized);
  const client = throttleClientKey(ip);
  const subject = user ? userSubject(user.id) : 'user:desconocido';
  return oneAtATime(account, async () => {
    const now = context.now ?? new Date();
    const wait = await loginWait(db, { account, client, now });
    if (wait) {
      await recordAuthEvent(db, {
        actor: 'anónimo',
        action: 'auth.login.throttled',
        subject,
        details: { ip, role: user?.role ?? null, reason: 'throttled', scope: wait.scope, retryAfterSeconds: wait.retryAfterSeconds },
      });
      return { ok: false, reason: 'throttled', message: loginThrottledMessage(wait.retryAfterSeconds), ...wait };
    }

    const usable = user && user.passwordHash && !user.disabledAt && !user.personalDataRemovedAt && password.length <= PASSWORD_MAX_LENGTH;
    const matches = usable ? await verifyPassword(user.passwordHash!, password) : await verifyPassword(await dummyPasswordHash(), password.slice(0, PASSWORD_MAX_LENGTH));
    if (!usable || !matches) {
      const counts = await recordLoginFailure(db, { account, client, now });
      const reason = user && (user.disabledAt || user.personalDataRemovedAt) ? 'disabled' : 'invalid_credentials';
      await recordAuthEvent(db, {
        actor: 'anónimo',
        action: 'auth.login.failed',
        subject,
        details: { ip, role: user?.role ?? null, reason, failedLogins: counts.clientFailures, accountFailedLogins: counts.accountFailures },
      });
      return fail(reason);
    }

    const rehash = needsRehash(user.passwordHash!) ? await hashPassword(password) : undefined;
    await recordLoginSuccess(db, { account, client, now });
    await db.transaction(async (tx) => {
      if (rehash) await tx.update(t.users).set({ passwordHash: rehash }).where(eq(t.users.id, user.id));
      await recordAuthEvent(tx, { actor: actorOf(user), action: 'auth.login.succeeded', subject: userSubject(user.id), details: { ip, role: user.role } });
    });
    return { ok: true, user: toAuthUser(user) };
  });
}

/**
 * What we hold about a person (Ley 1581 de 2012, derecho de acceso): the account, the metadata of
 * their sessions and API tokens (never session IDs or token hashes) and the audit entries where
 * they acted. Audited when `by` is given.
 */
export async function exportPersonalData(db: Database, userId: number, { by }: { by?: string } = {}) {
  const [user] = await db.select().from(t.users).where(eq(t.users.id, userId));
  if (!user) throw new AppError('not_found', `No existe el usuario ${userId}`);
  const sessions = await db
    .select({
      createdAt: t.sessions.createdAt,
      expiresAt: t.sessions.expiresAt,
      revokedAt: t.sessions.revokedAt,
      ip: t.sessions.ip,
      userAgent: t.sessions.userAgent,
    })
    .from(t.sessions)
    .where(eq(t.sessions.userId, userId))
    .orderBy(asc(t.sessions.createdAt));
  const apiTokens = await db
    .select({ id: t.apiTokens.id, name: t.apiTokens.name, createdAt: t.apiTokens.createdAt, lastUsedAt: t.apiTokens.lastUsedAt, expiresAt: t.apiTokens.expiresAt, revokedAt: t.apiTokens.revokedAt })
    .from(t.apiTokens)
    .where(eq(t.apiTokens.userId, userId))
    .orderBy(asc(t.apiTokens.id));
  // The addresses logins came from, with their failure counts (auth/loginThrottle.ts).
  const loginAddresses = await db
    .select({
      client: t.loginThrottles.client,
      failures: t.loginThrottles.failures,
      lastFailureAt: t.loginThrottles.lastFailureAt,
      lastSuccessAt: t.loginThrottles.lastSuccessAt,
      blockedUntil: t.loginThrottles.blockedUntil,
    })
    .from(t.loginThrottles)
    .where(eq(t.loginThrottles.account, userSubject(userId)))
    .orderBy(asc(t.loginThrottles.client));
  // Entries written with the stable actor, and any written with the e-mail before accounts existed.
  const actors = [actorOf(user), ...(user.personalDataRemovedAt ? [] : [user.email])];
  const auditEntries = await db
    .select({ id: t.auditLog.id, action: t.auditLog.action, subject: t.auditLog.subject, details: t.auditLog.details, createdAt: t.auditLog.createdAt })
    .from(t.auditLog)
    .where(inArray(t.auditLog.actor, actors))
    .orderBy(asc(t.auditLog.id));
  if (by) await recordAuthEvent(db, { actor: by, action: 'user.personalData.exported', subject: userSubject(userId), details: { role: user.role } });
  return {
    exportedAt: new Date().toISOString(),
    account: {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      departmentCode: user.departmentCode,
      hasPassword: user.passwordHash !== null,
      createdAt: user.createdAt,
      disabledAt: user.disabledAt,
      personalDataRemovedAt: user.personalDataRemovedAt,
    },
    sessions,
    apiTokens,
    loginAddresses,
    auditEntries,
  };
}

export type PersonalDataExport = Awaited<ReturnType<typeof exportPersonalData>>;

/**
 * Removes a person's data (Ley 1581 de 2012, supresión): e-mail and name are replaced, the password
 * is cleared, sessions (with their IP and browser) and API tokens are revoked, and the account is
 * disabled. The id and role stay, so records and audit entries naming `user:<id>` and the role
 * remain valid (Ley 594 de 2000). Idempotent; audited.
 */
export async function removePersonalData(db: Database, userId: number, { by }: { by: string }) {
  return db.transaction(async (tx) => {
    const [user] = await tx.select().from(t.users).where(eq(t.users.id, userId)).for('update');
    if (!user) throw new AppError('not_found', `No existe el usuario ${userId}`);
    if (user.personalDataRemovedAt) return { userId, role: user.role, removedAt: user.personalDataRemovedAt, alreadyRemoved: true };
    const removedAt = new Date().toISOString();
    await tx
      .update(t.users)
      .set({
        email: `eliminado-${userId}@invalid`,
        name: `Usuario eliminado ${userId}`,
        passwordHash: null,
        failedLogins: 0,
        lockedUntil: null,
        personalDataRemovedAt: removedAt,
        disabledAt: user.disabledAt ?? removedAt,
      })
      .where(eq(t.users.id, userId));
    await revokeUserSessions(tx, userId, { erase: true });
    // The addresses it logged in from.
    await clearLoginThrottles(tx, `user:${userId}`);
    await tx
      .update(t.apiTokens)
      .set({ revokedAt: removedAt })
      .where(and(eq(t.apiTokens.userId, userId), sql`${t.apiTokens.revokedAt} is null`));
    await recordAuthEvent(tx, { actor: by, action: 'user.personalData.removed', subject: userSubject(userId), details: { role: user.role } });
    return { userId, role: user.role, removedAt, alreadyRemoved: false };
  });
}
