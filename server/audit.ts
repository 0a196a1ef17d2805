import type { RequestHandler } from 'express';
import type { AppServices } from '../services/appServices';

const changesState = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Personal link tokens never reach the log: the review stays, the token is masked. */
const loggedPath = (url: string) => url.split('?')[0]?.replace(/^(\/responder\/[^/]+)\/[^/]+/, '$1/…') ?? url;

/**
 * Every request that changes something leaves an audit entry: who (account and role), from where
 * (IP), what (method and path) and how it ended (status). Bodies are not logged (passwords, files);
 * the domain records (responses, decisions, versions) keep the content.
 */
export function auditRequests(audit: AppServices['audit'], log: (message: string, error?: unknown) => void): RequestHandler {
  return (req, res, next) => {
    if (changesState.has(req.method)) {
      res.on('finish', () => {
        audit
          .record({
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
