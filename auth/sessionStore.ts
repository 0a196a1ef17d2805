import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import session, { type SessionData } from 'express-session';
import type { Database } from '../db/client';
import * as t from '../db/schema';

declare module 'express-session' {
  interface SessionData {
    /** The logged-in account; absent in the anonymous session that only carries the login form's CSRF token. */
    userId?: number;
    /**
     * Where the login came from. The store moves it to the `ip` and `user_agent` columns and does
     * not keep it in `data`.
     */
    client?: { ip: string | null; userAgent: string | null };
  }
}

export const DEFAULT_IDLE_TIMEOUT_MS = 8 * 60 * 60_000;
export const DEFAULT_ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60_000;

export interface SessionStoreOptions {
  /** Without activity a session ends after this long (the cookie's rolling maxAge sets it). */
  idleTimeoutMs?: number;
  /** However active, a session ends this long after it was created (i.e. after login). */
  absoluteTimeoutMs?: number;
}

type Callback<T = void> = (error: unknown, result?: T) => void;

/**
 * express-session's store over the `sessions` table. A session is found only while it is neither
 * expired (idle or absolute) nor revoked. Destroying a logged-in session revokes it and wipes its
 * data, keeping the metadata for the person's record; a revoked session stays revoked even if a
 * late request tries to save it again.
 */
export class DatabaseSessionStore extends session.Store {
  readonly idleTimeoutMs: number;
  readonly absoluteTimeoutMs: number;

  constructor(
    private readonly db: Database,
    options: SessionStoreOptions = {},
  ) {
    super();
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.absoluteTimeoutMs = options.absoluteTimeoutMs ?? DEFAULT_ABSOLUTE_TIMEOUT_MS;
  }

  private run<T>(callback: Callback<T> | undefined, work: () => Promise<T>): void {
    work().then(
      (result) => callback?.(null, result),
      (error: unknown) => callback?.(error),
    );
  }

  /** The end of a session saved now: the cookie's expiry, never past the absolute limit. */
  private expiryOf(data: SessionData): Date {
    const now = Date.now();
    const cookieExpiry = data.cookie?.expires ? new Date(data.cookie.expires).getTime() : now + this.idleTimeoutMs;
    return new Date(Math.min(cookieExpiry, now + this.absoluteTimeoutMs));
  }

  private cappedExpiry(expiry: Date) {
    return sql`least(${expiry.toISOString()}::timestamptz, ${t.sessions.createdAt} + ${this.absoluteTimeoutMs} * interval '1 millisecond')`;
  }

  override get(sid: string, callback: Callback<SessionData | null>): void {
    this.run(callback, async () => {
      const now = new Date().toISOString();
      const [row] = await this.db
        .select({ data: t.sessions.data })
        .from(t.sessions)
        .where(
          and(
            eq(t.sessions.sid, sid),
            isNull(t.sessions.revokedAt),
            sql`${t.sessions.expiresAt} > ${now}::timestamptz`,
            sql`${t.sessions.createdAt} + ${this.absoluteTimeoutMs} * interval '1 millisecond' > ${now}::timestamptz`,
          ),
        );
      return row ? (row.data as SessionData) : null;
    });
  }

  override set(sid: string, data: SessionData, callback?: Callback): void {
    this.run(callback, async () => {
      const { client, ...rest } = JSON.parse(JSON.stringify(data)) as SessionData;
      const expiresAt = this.expiryOf(data);
      await this.db
        .insert(t.sessions)
        .values({
          sid,
          userId: rest.userId ?? null,
          data: rest,
          ip: client?.ip ?? null,
          userAgent: client?.userAgent ?? null,
          expiresAt: expiresAt.toISOString(),
        })
        .onConflictDoUpdate({
          target: t.sessions.sid,
          set: {
            userId: sql`excluded.user_id`,
            data: sql`excluded.data`,
            ip: sql`coalesce(excluded.ip, ${t.sessions.ip})`,
            userAgent: sql`coalesce(excluded.user_agent, ${t.sessions.userAgent})`,
            expiresAt: this.cappedExpiry(expiresAt),
          },
          setWhere: isNull(t.sessions.revokedAt),
        });
    });
  }

  override touch(sid: string, data: SessionData, callback?: Callback): void {
    this.run(callback, async () => {
      await this.db
        .update(t.sessions)
        .set({ expiresAt: this.cappedExpiry(this.expiryOf(data)) })
        .where(and(eq(t.sessions.sid, sid), isNull(t.sessions.revokedAt)));
    });
  }

  override destroy(sid: string, callback?: Callback): void {
    this.run(callback, async () => {
      // Anonymous sessions (a CSRF token for the login form) leave nothing worth keeping.
      await this.db.delete(t.sessions).where(and(eq(t.sessions.sid, sid), isNull(t.sessions.userId)));
      await this.db
        .update(t.sessions)
        .set({ revokedAt: sql`coalesce(${t.sessions.revokedAt}, now())`, data: {} })
        .where(eq(t.sessions.sid, sid));
    });
  }
}

/**
 * Ends every open session of a person (password change, disabling, data removal). With `erase`
 * the IP, browser and data of all their sessions are wiped too. Returns how many were open.
 */
export async function revokeUserSessions(db: Database, userId: number, { erase = false }: { erase?: boolean } = {}): Promise<number> {
  const revoked = await db
    .update(t.sessions)
    .set({ revokedAt: sql`now()`, data: {} })
    .where(and(eq(t.sessions.userId, userId), isNull(t.sessions.revokedAt)))
    .returning({ sid: t.sessions.sid });
  if (erase) await db.update(t.sessions).set({ ip: null, userAgent: null, data: {} }).where(eq(t.sessions.userId, userId));
  return revoked.length;
}

/**
 * Deletes anonymous sessions that are over and logged-in sessions that ended more than
 * `retentionDays` ago. Run it daily (e.g. from the server's start-up and a timer).
 */
export async function pruneSessions(db: Database, { retentionDays = 90 }: { retentionDays?: number } = {}): Promise<number> {
  const now = new Date();
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000).toISOString();
  const deleted = await db
    .delete(t.sessions)
    .where(
      or(
        and(isNull(t.sessions.userId), or(lt(t.sessions.expiresAt, now.toISOString()), sql`${t.sessions.revokedAt} is not null`)),
        lt(t.sessions.expiresAt, cutoff),
        lt(t.sessions.revokedAt, cutoff),
      ),
    )
    .returning({ sid: t.sessions.sid });
  return deleted.length;
}
