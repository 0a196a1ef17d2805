import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { AppError } from '../services/errors';
import { recordAuthEvent } from './audit';
import { userSubject } from './roles';

export const API_TOKEN_PREFIX = 'mpdm_';
/** 32 random bytes in base64url are 43 characters. */
const tokenPattern = /^mpdm_[A-Za-z0-9_-]{43}$/;
/** lastUsedAt is refreshed at most this often, so a busy script does not write on every call. */
const LAST_USED_RESOLUTION_MS = 60_000;

export const hashApiToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

export interface CreatedApiToken {
  id: number;
  name: string;
  /** The bearer token: shown once, only its SHA-256 is stored. */
  token: string;
  createdAt: string;
}

/** Issues an API token for scripts and integrations (`Authorization: Bearer mpdm_…`). */
export async function createApiToken(
  db: Database,
  { userId, name }: { userId: number; name: string },
  { by = 'sistema' }: { by?: string } = {},
): Promise<CreatedApiToken> {
  const label = String(name ?? '').trim();
  if (!label || label.length > 100) throw new AppError('invalid_input', 'Dé al token un nombre de 1 a 100 caracteres (p. ej. «Importación nocturna»)');
  const [user] = await db.select().from(t.users).where(eq(t.users.id, userId));
  if (!user || user.disabledAt || user.personalDataRemovedAt) throw new AppError('not_found', `No existe un usuario activo con id ${userId}`);
  const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(t.apiTokens).values({ userId, name: label, tokenHash: hashApiToken(token) }).returning();
    if (!row) throw new Error('INSERT … RETURNING devolvió cero filas');
    await recordAuthEvent(tx, { actor: by, action: 'auth.token.created', subject: userSubject(userId), details: { tokenId: row.id, name: label, role: user.role } });
    return { id: row.id, name: row.name, token, createdAt: row.createdAt };
  });
}

/**
 * The account a bearer token belongs to, or null when the token is malformed, unknown or revoked.
 * Records the use in lastUsedAt. (Whether the account is still active is the caller's check.)
 */
export async function verifyApiToken(db: Database, token: string): Promise<{ tokenId: number; userId: number } | null> {
  if (typeof token !== 'string' || !tokenPattern.test(token)) return null;
  const [row] = await db
    .select({ id: t.apiTokens.id, userId: t.apiTokens.userId })
    .from(t.apiTokens)
    .where(and(eq(t.apiTokens.tokenHash, hashApiToken(token)), isNull(t.apiTokens.revokedAt)));
  if (!row) return null;
  const now = new Date();
  await db
    .update(t.apiTokens)
    .set({ lastUsedAt: now.toISOString() })
    .where(
      and(
        eq(t.apiTokens.id, row.id),
        sql`(${t.apiTokens.lastUsedAt} is null or ${t.apiTokens.lastUsedAt} < ${new Date(now.getTime() - LAST_USED_RESOLUTION_MS).toISOString()}::timestamptz)`,
      ),
    );
  return { tokenId: row.id, userId: row.userId };
}

/** Revokes a token; false when it did not exist or was already revoked. */
export async function revokeApiToken(db: Database, tokenId: number, { by = 'sistema' }: { by?: string } = {}): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(t.apiTokens)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(t.apiTokens.id, tokenId), isNull(t.apiTokens.revokedAt)))
      .returning({ userId: t.apiTokens.userId, name: t.apiTokens.name });
    if (!row) return false;
    await recordAuthEvent(tx, { actor: by, action: 'auth.token.revoked', subject: userSubject(row.userId), details: { tokenId, name: row.name } });
    return true;
  });
}

/** A person's tokens without their hashes (for the account page). */
export function listApiTokens(db: Database, userId: number) {
  return db
    .select({ id: t.apiTokens.id, name: t.apiTokens.name, createdAt: t.apiTokens.createdAt, lastUsedAt: t.apiTokens.lastUsedAt, revokedAt: t.apiTokens.revokedAt })
    .from(t.apiTokens)
    .where(eq(t.apiTokens.userId, userId))
    .orderBy(asc(t.apiTokens.id));
}
