import express, { type RequestHandler, type Response } from 'express';
import type { Auth } from '../auth';
import type { AppServices } from '../services/appServices';
import { AppError } from '../services/errors';
import { parseIdentity } from '../services/municipality';
import { sendPage } from './html';
import { municipalityPage } from './views/municipality';
import { formatShortDateTime as formatDateTime } from '../domain/format';

/**
 * The municipality's identity (name, DANE code): the administrators' page /admin/municipio and the
 * API (GET /api/municipality for every account, PUT for administrators). Pages show the name in
 * their header (`municipalityHeader`); exports and documents read it from the plan.
 */
export function createMunicipalityRouter({ municipality, auth, timeZone }: { municipality: AppServices['municipality']; auth: Auth; timeZone: string }) {
  const router = express.Router();
  const adminPage = auth.requireRolePage('admin');
  const actor = (res: Response) => String(res.locals.actor ?? 'anónimo');

  const show = async (req: express.Request, res: Response, problem?: AppError, values?: { name?: unknown; daneCode?: unknown }) => {
    const identity = await municipality.readIdentity();
    const csrf = auth.csrfToken(req);
    const body = municipalityPage(identity, csrf, (iso) => formatDateTime(iso, timeZone), problem, values, !problem && req.query.guardado === '1');
    // The header shows the name just saved.
    if (identity) res.locals.municipality = identity.name;
    sendPage(res, 'Municipio', body, { csrf, current: '/admin/municipio' }, problem?.httpStatus ?? 200);
  };

  router.get('/admin/municipio', adminPage, (req, res) => show(req, res));
  router.post('/admin/municipio', adminPage, async (req, res) => {
    const body = (req.body ?? {}) as { name?: unknown; daneCode?: unknown };
    try {
      await municipality.saveIdentity(parseIdentity(body), 'page', actor(res));
      res.redirect(303, '/admin/municipio?guardado=1');
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      await show(req, res, error, body);
    }
  });

  router.get('/api/municipality', auth.requireRole('viewer'), async (_req, res) => {
    res.json((await municipality.readIdentity()) ?? { name: null, daneCode: null, source: null, updatedAt: null });
  });
  router.put('/api/municipality', auth.requireRole('admin'), async (req, res) => {
    res.json(await municipality.saveIdentity(parseIdentity(req.body), 'page', actor(res)));
  });
  return router;
}

/** Puts the municipality's name in res.locals for the pages' header (cached a few seconds). */
export const municipalityHeader =
  (municipality: AppServices['municipality']): RequestHandler =>
  (req, res, next) => {
    if (req.path.startsWith('/api/')) return next();
    municipality.name().then(
      (name) => {
        res.locals.municipality = name;
        next();
      },
      // The header can do without it; the page itself reports a database problem.
      () => next(),
    );
  };
