import type { Database } from '../db/client';
import * as t from '../db/schema';

export interface AuditEntry {
  /** Written once per key: a retried activity never logs twice. */
  key: string;
  actor: string;
  action: string;
  subject: string;
  details?: unknown;
}

export type Audit = (entry: AuditEntry, executor?: Pick<Database, 'insert'>) => Promise<unknown>;

/** One audit entry, written once per idempotency key (inside the caller's transaction if given). */
export const createAudit =
  (db: Pick<Database, 'insert'>): Audit =>
  (entry, executor = db) =>
    executor
      .insert(t.auditLog)
      .values({ idempotencyKey: entry.key, actor: entry.actor, action: entry.action, subject: entry.subject, details: entry.details ?? null })
      .onConflictDoNothing();
