import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { AppError } from '../domain/errors';
import { recordAuthEvent } from './audit';
import { userSubject } from './roles';

export const API_TOKEN_PREFIX = 'mpdm_';
/** 32 random bytes in base64url are 43 characters. */
const tokenPattern = /^mpdm_[A-Za-z0-9_-]{43}$/;
/** lastUsedAt is refreshed at most this often, so a busy script does not write on every call. */
const LAST_USED_RESOLUTION_MS = 60_000;
/** How long a token lives unless the installation says otherwise (API_TOKEN_DAYS). */
export const DEFAULT_API_TOKEN_DAYS = 90;

export const hashApiToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

export interface CreatedApiToken {
  id: number;
  name: string;
  /** The bearer token: shown once, only its SHA-256 is stored. */
  token: string;
  createdAt: string;
  expiresAt: string;
}

/** Issues an API token for scripts and integrations (`Authorization: Bearer mpdm_…`), valid for `days` days. */
export async function createApiToken(
  db: Database,
  { userId, name, days = DEFAULT_API_TOKEN_DAYS }: { userId: number; name: string; days?: number },
  { by = 'sistema' }: { by?: string } = {},
): Promise<CreatedApiToken> {
  const label = String(name ?? '').trim();
  if (!label || label.length > 100) throw new AppError('invalid_input', 'Dé al token un nombre de 1 a 100 caracteres (p. ej. «Importación nocturna»)');
  if (!Number.isFinite(days) || days <= 0 || days > 3650) throw new AppError('invalid_input', 'La vigencia del token debe estar entre 1 y 3650 días');
  const [user] = await db.select().from(t.users).where(eq(t.users.id, userId));
  if (!user || user.disabledAt || user.personalDataRemovedAt) throw new AppError('not_found', `No existe un usuario activo con id ${userId}`);
  const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(Date.now() + days * 86_400_000).toISOString();
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(t.apiTokens).values({ userId, name: label, tokenHash: hashApiToken(token), expiresAt }).returning();
    if (!row) throw new Error('INSERT … RETURNING devolvió cero filas');
    await recordAuthEvent(tx, { actor: by, action: 'auth.token.created', subject: userSubject(userId), details: { tokenId: row.id, name: label, role: user.role, expiresAt } });
    return { id: row.id, name: row.name, token, createdAt: row.createdAt, expiresAt: new Date(row.expiresAt).toISOString() };
  });
}

export type ApiTokenVerification =
  | { ok: true; tokenId: number; userId: number }
  /** `expired` carries when; `invalid` is malformed, unknown or revoked (not told apart). */
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'expired'; expiredAt: string };

/**
 * The account a bearer token belongs to, or why not: malformed, unknown or revoked tokens are
 * `invalid`, expired ones `expired`. Records the use in lastUsedAt at most once a minute (one
 * conditional UPDATE, so a busy script does not write on every call). Whether the account is still
 * active is the caller's check.
 */
export async function verifyApiToken(db: Database, token: string, now = new Date()): Promise<ApiTokenVerification> {
  if (typeof token !== 'string' || !tokenPattern.test(token)) return { ok: false, reason: 'invalid' };
  const [row] = await db
    .select({ id: t.apiTokens.id, userId: t.apiTokens.userId, expiresAt: t.apiTokens.expiresAt, lastUsedAt: t.apiTokens.lastUsedAt })
    .from(t.apiTokens)
    .where(and(eq(t.apiTokens.tokenHash, hashApiToken(token)), isNull(t.apiTokens.revokedAt)));
  if (!row) return { ok: false, reason: 'invalid' };
  const expiresAt = new Date(row.expiresAt);
  if (expiresAt <= now) return { ok: false, reason: 'expired', expiredAt: expiresAt.toISOString() };
  if (!row.lastUsedAt || now.getTime() - new Date(row.lastUsedAt).getTime() >= LAST_USED_RESOLUTION_MS) {
    await db
      .update(t.apiTokens)
      .set({ lastUsedAt: now.toISOString() })
      .where(
        and(
          eq(t.apiTokens.id, row.id),
          sql`(${t.apiTokens.lastUsedAt} is null or ${t.apiTokens.lastUsedAt} < ${new Date(now.getTime() - LAST_USED_RESOLUTION_MS).toISOString()}::timestamptz)`,
        ),
      );
  }
  return { ok: true, tokenId: row.id, userId: row.userId };
}

/**
 * Revokes a token; false when it did not exist or was already revoked. With `ownerId` only that
 * account's token is revoked (someone else's counts as not existing).
 */
export async function revokeApiToken(db: Database, tokenId: number, { by = 'sistema', ownerId }: { by?: string; ownerId?: number } = {}): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(t.apiTokens)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(t.apiTokens.id, tokenId), isNull(t.apiTokens.revokedAt), ownerId === undefined ? undefined : eq(t.apiTokens.userId, ownerId)))
      .returning({ userId: t.apiTokens.userId, name: t.apiTokens.name });
    if (!row) return false;
    await recordAuthEvent(tx, { actor: by, action: 'auth.token.revoked', subject: userSubject(row.userId), details: { tokenId, name: row.name } });
    return true;
  });
}

export type ApiTokenState = 'active' | 'expired' | 'revoked';

export interface ApiTokenSummary {
  id: number;
  name: string;
  userId: number;
  /** The owner's e-mail and name (for the administrators' list). */
  userEmail: string;
  userName: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  state: ApiTokenState;
}

const iso = (value: string | null) => (value === null ? null : new Date(value).toISOString());

/**
 * Tokens without their hashes, newest first: one account's (`userId`) or every account's (admins).
 * Revoked and expired tokens stay listed, with their state.
 */
export async function listApiTokens(db: Database, { userId, now = new Date(), limit = 500 }: { userId?: number; now?: Date; limit?: number } = {}): Promise<ApiTokenSummary[]> {
  const rows = await db
    .select({
      id: t.apiTokens.id,
      name: t.apiTokens.name,
      userId: t.apiTokens.userId,
      userEmail: t.users.email,
      userName: t.users.name,
      createdAt: t.apiTokens.createdAt,
      expiresAt: t.apiTokens.expiresAt,
      lastUsedAt: t.apiTokens.lastUsedAt,
      revokedAt: t.apiTokens.revokedAt,
    })
    .from(t.apiTokens)
    .innerJoin(t.users, eq(t.users.id, t.apiTokens.userId))
    .where(userId === undefined ? undefined : eq(t.apiTokens.userId, userId))
    .orderBy(desc(t.apiTokens.id))
    .limit(limit);
  return rows.map((r) => ({
    ...r,
    createdAt: iso(r.createdAt)!,
    expiresAt: iso(r.expiresAt)!,
    lastUsedAt: iso(r.lastUsedAt),
    revokedAt: iso(r.revokedAt),
    state: r.revokedAt !== null ? 'revoked' : new Date(r.expiresAt) <= now ? 'expired' : 'active',
  }));
}
