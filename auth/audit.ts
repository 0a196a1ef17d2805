import type { Database } from '../db/client';
import * as t from '../db/schema';

export type AuthAction =
  | 'auth.login.succeeded'
  | 'auth.login.failed'
  | 'auth.login.throttled'
  | 'auth.bootstrap.refused'
  | 'auth.logout'
  | 'auth.token.created'
  | 'auth.token.revoked'
  | 'user.created'
  | 'user.password.changed'
  | 'user.personalData.exported'
  | 'user.personalData.removed';

type Executor = Pick<Database, 'insert'>;

/** Appends an authentication event to the audit log. Callers never pass passwords or tokens in `details`. */
export async function recordAuthEvent(
  db: Executor,
  entry: { actor: string; action: AuthAction; subject: string; details?: Record<string, unknown> },
): Promise<void> {
  await db.insert(t.auditLog).values({ actor: entry.actor, action: entry.action, subject: entry.subject, details: entry.details ?? null });
}
