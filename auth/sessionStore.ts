import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import session, { type SessionData } from 'express-session';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import type { AuthUser } from './roles';

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

/**
 * A session read from the database answers this process's requests with the same session id for
 * at most this long (one query for a burst of a page's requests instead of one each). Bound: a
 * logout in this process takes effect at once, as does a revocation or a disabled account (the
 * reads of every store are forgotten when it starts and when it is written; a read racing its
 * transaction's commit, or a change made by another process such as the CLI or a second server,
 * lasts at most this many milliseconds); the session's own expiry is checked on every request.
 */
export const SESSION_CACHE_MS = 2_000;
/** Bounds the memory of recently read sessions. */
const MAX_CACHED_SESSIONS = 10_000;

/** Bumped by every revocation in this process: every store forgets the sessions it read before. */
let sessionGeneration = 0;
/** Every cached session read of every store in this process is dropped (revocations, disabled accounts). */
export function forgetCachedSessions(): void {
  sessionGeneration += 1;
}

interface CachedRead {
  at: number;
  generation: number;
  read: Promise<{ data: SessionData; endsAt: number } | null>;
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
  /** When this process last wrote each session's expiry. */
  private readonly writtenAt = new Map<string, number>();
  /** Recent reads by session id, shared by concurrent requests (SESSION_CACHE_MS). */
  private readonly recentReads = new Map<string, CachedRead>();

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

  /** The session and its account as stored, with when it ends; null when it is not open. */
  private async readSession(sid: string): Promise<{ data: SessionData; endsAt: number } | null> {
    const now = new Date().toISOString();
    const u = t.users;
    const [row] = await this.db
      .select({
        data: t.sessions.data,
        endsAt: sql<number>`extract(epoch from least(${t.sessions.expiresAt}, ${t.sessions.createdAt} + ${this.absoluteTimeoutMs} * interval '1 millisecond')) * 1000`.mapWith(Number),
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
    const endsAt = row.endsAt;
    const data = row.data as SessionData;
    if (data.userId === undefined) return { data, endsAt };
    const a = row.account;
    const active = a && a.id !== null && !a.disabledAt && !a.removedAt;
    return { data: { ...data, account: active ? { id: a.id, email: a.email, name: a.name, role: a.role, departmentCode: a.departmentCode } : null }, endsAt };
  }

  override get(sid: string, callback: Callback<SessionData | null>): void {
    this.run(callback, async () => {
      const now = Date.now();
      let entry = this.recentReads.get(sid);
      if (!entry || entry.generation !== sessionGeneration || now - entry.at >= SESSION_CACHE_MS) {
        if (this.recentReads.size >= MAX_CACHED_SESSIONS) this.recentReads.clear();
        const fresh: CachedRead = { at: now, generation: sessionGeneration, read: this.readSession(sid) };
        fresh.read.catch(() => {
          if (this.recentReads.get(sid) === fresh) this.recentReads.delete(sid);
        });
        this.recentReads.set(sid, (entry = fresh));
      }
      const found = await entry.read;
      if (!found || found.endsAt <= Date.now()) return null;
      // Each request gets its own copy: express-session and the routes may change theirs.
      return structuredClone(found.data);
    });
  }

  override set(sid: string, data: SessionData, callback?: Callback): void {
    this.recentReads.delete(sid);
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
      this.recentReads.delete(sid);
    });
  }

  override destroy(sid: string, callback?: Callback): void {
    this.writtenAt.delete(sid);
    this.recentReads.delete(sid);
    this.run(callback, async () => {
      // Anonymous sessions (a CSRF token for the login form) leave nothing worth keeping.
      await this.db.delete(t.sessions).where(and(eq(t.sessions.sid, sid), isNull(t.sessions.userId)));
      await this.db
        .update(t.sessions)
        .set({ revokedAt: sql`coalesce(${t.sessions.revokedAt}, now())`, data: {} })
        .where(eq(t.sessions.sid, sid));
      // A read that started before the revocation committed must not serve it again.
      this.recentReads.delete(sid);
    });
  }
}

/**
 * Ends every open session of a person (password change, disabling, data removal). With `erase`
 * the IP, browser and data of all their sessions are wiped too. Returns how many were open.
 */
export async function revokeUserSessions(db: Database, userId: number, { erase = false }: { erase?: boolean } = {}): Promise<number> {
  forgetCachedSessions();
  const revoked = await db
    .update(t.sessions)
    .set({ revokedAt: sql`now()`, data: {} })
    .where(and(eq(t.sessions.userId, userId), isNull(t.sessions.revokedAt)))
    .returning({ sid: t.sessions.sid });
  if (erase) await db.update(t.sessions).set({ ip: null, userAgent: null, data: {} }).where(eq(t.sessions.userId, userId));
  // Again once written: a read racing the update must not be served from memory either.
  forgetCachedSessions();
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
