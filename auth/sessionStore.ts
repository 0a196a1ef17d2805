import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import session, { type SessionData } from 'express-session';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import type { AuthUser } from './users';

declare module 'express-session' {
  interface SessionData {
    /** The logged-in account; absent in the anonymous session that only carries the login form's CSRF token. */
    userId?: number;
    /**
     * Where the login came from. The store moves it to the `ip` and `user_agent` columns and does
     * not keep it in `data`.
     */
    client?: { ip: string | null; userAgent: string | null };
    /**
     * The session's account as read with the session (one query per request instead of two): null
     * when it is disabled, removed or missing. Never stored.
     */
    account?: AuthUser | null;
  }
}

/**
 * A rolling session's expiry is written at most this often. Its idle timeout is hours long, so a
 * minute's lag is harmless, and a page polled by many people no longer writes on every request.
 */
export const TOUCH_INTERVAL_MS = 60_000;
/** Bounds the memory of when sessions were last written (it is only an optimisation). */
const MAX_REMEMBERED_TOUCHES = 50_000;

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
  /** When this process last wrote each session's expiry. */
  private readonly writtenAt = new Map<string, number>();

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

  private rememberWrite(sid: string): void {
    if (this.writtenAt.size >= MAX_REMEMBERED_TOUCHES) this.writtenAt.clear();
    this.writtenAt.set(sid, Date.now());
  }

  private cappedExpiry(expiry: Date) {
    return sql`least(${expiry.toISOString()}::timestamptz, ${t.sessions.createdAt} + ${this.absoluteTimeoutMs} * interval '1 millisecond')`;
  }

  override get(sid: string, callback: Callback<SessionData | null>): void {
    this.run(callback, async () => {
      const now = new Date().toISOString();
      const u = t.users;
      const [row] = await this.db
        .select({
          data: t.sessions.data,
          account: { id: u.id, email: u.email, name: u.name, role: u.role, departmentCode: u.departmentCode, disabledAt: u.disabledAt, removedAt: u.personalDataRemovedAt },
        })
        .from(t.sessions)
        .leftJoin(u, eq(u.id, t.sessions.userId))
        .where(
          and(
            eq(t.sessions.sid, sid),
            isNull(t.sessions.revokedAt),
            sql`${t.sessions.expiresAt} > ${now}::timestamptz`,
            sql`${t.sessions.createdAt} + ${this.absoluteTimeoutMs} * interval '1 millisecond' > ${now}::timestamptz`,
          ),
        );
      if (!row) return null;
      const data = row.data as SessionData;
      if (data.userId === undefined) return data;
      const a = row.account;
      const active = a && a.id !== null && !a.disabledAt && !a.removedAt;
      return { ...data, account: active ? { id: a.id, email: a.email, name: a.name, role: a.role, departmentCode: a.departmentCode } : null };
    });
  }

  override set(sid: string, data: SessionData, callback?: Callback): void {
    this.run(callback, async () => {
      // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the account is read with the session, never stored
      const { client, account, ...rest } = JSON.parse(JSON.stringify(data)) as SessionData;
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
      this.rememberWrite(sid);
    });
  }

  override touch(sid: string, data: SessionData, callback?: Callback): void {
    this.run(callback, async () => {
      const last = this.writtenAt.get(sid);
      if (last !== undefined && Date.now() - last < TOUCH_INTERVAL_MS) return;
      await this.db
        .update(t.sessions)
        .set({ expiresAt: this.cappedExpiry(this.expiryOf(data)) })
        .where(and(eq(t.sessions.sid, sid), isNull(t.sessions.revokedAt)));
      this.rememberWrite(sid);
    });
  }

  override destroy(sid: string, callback?: Callback): void {
    this.writtenAt.delete(sid);
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
