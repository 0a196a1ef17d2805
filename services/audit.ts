import { and, desc, ilike, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client';
import * as t from '../db/schema';

export interface AuditEntry {
  actor: string;
  action: string;
  subject: string;
  details: Record<string, unknown>;
}

/** One audit entry; the log is append-only. */
export async function recordAudit(db: Database, entry: AuditEntry): Promise<void> {
  await db.insert(t.auditLog).values(entry);
}

export interface AuditQuery {
  limit: number;
  offset: number;
  /** Part of the subject (a workflow ID, a path, an account). */
  subject?: string;
  /** Part of the action name (e.g. review., http.post). */
  action?: string;
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The audit log for administrators, newest first; it is never edited. */
export async function readAuditLog(db: Database, { limit, offset, subject, action }: AuditQuery) {
  const filters: SQL[] = [];
  if (subject) filters.push(ilike(t.auditLog.subject, likePattern(subject)));
  if (action) filters.push(ilike(t.auditLog.action, likePattern(action)));
  const where = filters.length ? and(...filters) : undefined;
  const [items, [total]] = await Promise.all([
    db.select().from(t.auditLog).where(where).orderBy(desc(t.auditLog.id)).limit(limit).offset(offset),
    db.select({ count: sql<number>`count(*)::int` }).from(t.auditLog).where(where),
  ]);
  return { total: total?.count ?? 0, items };
}
