import type { RequestHandler } from 'express';
import { and, desc, ilike, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client';
import * as t from '../db/schema';

const changesState = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Personal link tokens never reach the log: the review stays, the token is masked. */
const loggedPath = (url: string) => url.split('?')[0]?.replace(/^(\/responder\/[^/]+)\/[^/]+/, '$1/…') ?? url;

/**
 * Every request that changes something leaves an audit entry: who (account and role), from where
 * (IP), what (method and path) and how it ended (status). Bodies are not logged (passwords, files);
 * the domain records (responses, decisions, versions) keep the content.
 */
export function auditRequests(db: Database, log: (message: string, error?: unknown) => void): RequestHandler {
  return (req, res, next) => {
    if (changesState.has(req.method)) {
      res.on('finish', () => {
        db.insert(t.auditLog)
          .values({
            actor: String(res.locals.actor ?? 'anónimo'),
            action: `http.${req.method.toLowerCase()}`,
            subject: loggedPath(req.originalUrl),
            details: { role: res.locals.user?.role ?? null, ip: req.ip ?? null, status: res.statusCode },
          })
          .catch((error: unknown) => log('No se pudo registrar la auditoría de una solicitud', error));
      });
    }
    next();
  };
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
