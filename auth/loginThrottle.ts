import { createHash } from 'node:crypto';
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import * as t from '../db/schema';

/**
 * Failed logins slow further attempts down; they never lock an account.
 *
 * - Per account and client address: the first 3 consecutive failures cost nothing; after the n-th
 *   (n ≥ 3) the next attempt from that address waits 2^(n-3) s (1, 2, 4 … s), at most 5 minutes.
 * - Per account, whatever the address: after the n-th failure (n ≥ 10) the next attempt from an
 *   address the account has not logged in from waits 2^(n-10) s, at most 60 s. Addresses where the
 *   correct password was given in the last 90 days skip this part, so failures from elsewhere
 *   (rotating addresses) never delay the owner at the usual place; a new address waits at most 60 s.
 * - Counts restart after 15 minutes without failures and after a correct password.
 * - An attempt made while its wait runs is refused without checking the password (HTTP 429 with
 *   Retry-After and «espere N s»), and does not make the wait longer.
 * Unknown e-mails are counted the same way, so the answers do not reveal which accounts exist.
 */
export const loginThrottleRules = {
  clientFreeFailures: 3,
  clientMaxDelaySeconds: 300,
  accountFreeFailures: 10,
  accountMaxDelaySeconds: 60,
  resetAfterMs: 15 * 60_000,
  knownClientDays: 90,
} as const;

/** The whole-account row of `login_throttles`. */
const ACCOUNT_WIDE = '*';

/** The throttling key of an account, or of an e-mail that has no account (hashed: no e-mails stored for strangers). */
export function throttleAccountKey(user: { id: number } | undefined, normalizedEmail: string): string {
  return user ? `user:${user.id}` : `email:${createHash('sha256').update(normalizedEmail, 'utf8').digest('hex').slice(0, 32)}`;
}

export const throttleClientKey = (ip: string | null | undefined) => `ip:${ip ?? 'desconocida'}`;

/** Seconds to wait after `failures` consecutive failures when the first `free` are free. */
export function delaySeconds(failures: number, free: number, max: number): number {
  if (failures < free) return 0;
  return Math.min(2 ** Math.min(failures - free, 30), max);
}

export interface LoginWait {
  retryAfterSeconds: number;
  /** `client`: failures from this address; `account`: failures on the account from anywhere. */
  scope: 'client' | 'account';
}

/** How long this client must still wait before trying this account again, or null. */
export async function loginWait(db: Database, { account, client, now = new Date() }: { account: string; client: string; now?: Date }): Promise<LoginWait | null> {
  const rows = await db
    .select()
    .from(t.loginThrottles)
    .where(and(eq(t.loginThrottles.account, account), or(eq(t.loginThrottles.client, client), eq(t.loginThrottles.client, ACCOUNT_WIDE))));
  const own = rows.find((r) => r.client === client);
  const whole = rows.find((r) => r.client === ACCOUNT_WIDE);
  const remaining = (until: string | null | undefined) => (until ? Math.ceil((new Date(until).getTime() - now.getTime()) / 1000) : 0);
  const ownWait = remaining(own?.blockedUntil);
  if (ownWait > 0) return { retryAfterSeconds: ownWait, scope: 'client' };
  const known = own?.lastSuccessAt != null && now.getTime() - new Date(own.lastSuccessAt).getTime() < loginThrottleRules.knownClientDays * 86_400_000;
  const wholeWait = known ? 0 : remaining(whole?.blockedUntil);
  if (wholeWait > 0) return { retryAfterSeconds: wholeWait, scope: 'account' };
  return null;
}

/** Counts a failure for the client and for the whole account; returns both counts. */
export async function recordLoginFailure(
  db: Database,
  { account, client, now = new Date() }: { account: string; client: string; now?: Date },
): Promise<{ clientFailures: number; accountFailures: number }> {
  const nowIso = now.toISOString();
  const stale = new Date(now.getTime() - loginThrottleRules.resetAfterMs).toISOString();
  const count = async (key: string, free: number, max: number) => {
    const [row] = await db
      .insert(t.loginThrottles)
      .values({ account, client: key, failures: 1, lastFailureAt: nowIso })
      .onConflictDoUpdate({
        target: [t.loginThrottles.account, t.loginThrottles.client],
        set: {
          failures: sql`case when ${t.loginThrottles.lastFailureAt} is null or ${t.loginThrottles.lastFailureAt} < ${stale}::timestamptz then 1 else ${t.loginThrottles.failures} + 1 end`,
          lastFailureAt: nowIso,
        },
      })
      .returning({ failures: t.loginThrottles.failures });
    const failures = row?.failures ?? 1;
    const delay = delaySeconds(failures, free, max);
    await db
      .update(t.loginThrottles)
      .set({ blockedUntil: delay > 0 ? new Date(now.getTime() + delay * 1000).toISOString() : null })
      .where(and(eq(t.loginThrottles.account, account), eq(t.loginThrottles.client, key)));
    return failures;
  };
  const clientFailures = await count(client, loginThrottleRules.clientFreeFailures, loginThrottleRules.clientMaxDelaySeconds);
  const accountFailures = await count(ACCOUNT_WIDE, loginThrottleRules.accountFreeFailures, loginThrottleRules.accountMaxDelaySeconds);
  // Now and then, forget what no longer matters (strangers' e-mails, old failures).
  if (Math.random() < 0.02) await pruneLoginThrottles(db, now);
  return { clientFailures, accountFailures };
}

/** A correct password: this client becomes known to the account, and both counts restart. */
export async function recordLoginSuccess(db: Database, { account, client, now = new Date() }: { account: string; client: string; now?: Date }): Promise<void> {
  const nowIso = now.toISOString();
  await db
    .insert(t.loginThrottles)
    .values({ account, client, failures: 0, lastSuccessAt: nowIso })
    .onConflictDoUpdate({ target: [t.loginThrottles.account, t.loginThrottles.client], set: { failures: 0, blockedUntil: null, lastSuccessAt: nowIso } });
  await db
    .update(t.loginThrottles)
    .set({ failures: 0, blockedUntil: null })
    .where(and(eq(t.loginThrottles.account, account), eq(t.loginThrottles.client, ACCOUNT_WIDE)));
}

/** Forgets an account's counts and known addresses (password change, personal data removal). */
export async function clearLoginThrottles(db: Pick<Database, 'delete'>, account: string): Promise<void> {
  await db.delete(t.loginThrottles).where(eq(t.loginThrottles.account, account));
}

/** Deletes rows without a recent failure that are not a known address of an account. */
export async function pruneLoginThrottles(db: Database, now = new Date()): Promise<number> {
  const dayAgo = new Date(now.getTime() - 86_400_000).toISOString();
  const knownCutoff = new Date(now.getTime() - loginThrottleRules.knownClientDays * 86_400_000).toISOString();
  const deleted = await db
    .delete(t.loginThrottles)
    .where(
      and(
        or(isNull(t.loginThrottles.lastFailureAt), lt(t.loginThrottles.lastFailureAt, dayAgo)),
        or(isNull(t.loginThrottles.lastSuccessAt), lt(t.loginThrottles.lastSuccessAt, knownCutoff)),
      ),
    )
    .returning({ account: t.loginThrottles.account });
  return deleted.length;
}

/**
 * Attempts on one account run one after the other in this process, so a burst of parallel
 * guesses cannot all pass the wait check before the first failure is recorded.
 */
const queues = new Map<string, Promise<unknown>>();
export function oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(work, work);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return run;
}
