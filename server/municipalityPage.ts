import express, { type Request, type Response } from 'express';
import multer from 'multer';
import type { Auth } from '../auth';
import type { AppServices } from '../services/appServices';
import { AppError } from '../services/errors';
import { parseIdentity } from '../services/municipality';
import { MAX_ESCUDO_BYTES } from '../services/municipalityBranding';
import { defaultIdentityColors } from '../domain/identityColors';
import { formatNumber, formatShortDateTime as formatDateTime } from '../domain/format';
import { escudoUrl } from './brandingAssets';
import { sendPage } from './html';
import { municipalityPage, type MunicipalitySaved, type MunicipalitySection } from './views/municipality';
import { memoryUpload } from './uploads';

/** The escudo's upload (multipart: mounted before the app's CSRF check, which it runs after parsing). */
export const ESCUDO_UPLOAD_PATH = '/admin/municipio/escudo';
const PAGE_PATH = '/admin/municipio';

const savedCodes: Record<string, MunicipalitySaved> = { '1': 'identity', municipio: 'identity', escudo: 'escudo', 'escudo-quitado': 'escudo-removed', colores: 'colors' };
const actor = (res: Response) => String(res.locals.actor ?? 'anónimo');
/** Who set the escudo or the colours, as the page shows it: the person's name (the audit log keeps the account). */
const personName = (res: Response) => (res.locals.user as { name?: string } | undefined)?.name ?? actor(res);

interface Services {
  municipality: AppServices['municipality'];
  branding: AppServices['branding'];
}

async function showPage(
  { municipality, branding }: Services,
  auth: Auth,
  timeZone: string,
  req: Request,
  res: Response,
  problem?: { section: MunicipalitySection; error: AppError },
  values?: Record<string, unknown>,
) {
  const [identity, escudo, colors] = await Promise.all([municipality.readIdentity(), branding.currentEscudo(), branding.colors()]);
  const csrf = auth.csrfToken(req);
  const saved = problem ? null : (savedCodes[String(req.query.guardado)] ?? null);
  const view = {
    identity,
    escudo: escudo ? { ...escudo, content: undefined, url: escudoUrl(escudo) } : null,
    colors,
    maxEscudoBytes: MAX_ESCUDO_BYTES,
  };
  const body = municipalityPage(view, csrf, (iso) => formatDateTime(iso, timeZone), problem, values, saved);
  // The header shows what was just saved.
  if (identity) res.locals.municipality = identity.name;
  sendPage(res, 'Municipio', body, { csrf, current: PAGE_PATH, municipality: identity?.name, escudoUrl: view.escudo?.url ?? null }, problem?.error.httpStatus ?? 200);
}

/**
 * The municipality's identity: the administrators' page /admin/municipio (name and DANE code,
 * colours, removing the escudo) and the API (GET /api/municipality for every account, PUT for
 * administrators; PUT /api/municipality/colors). Pages show the name, escudo and colours in their
 * header (server/brandingAssets.ts); exports and documents read the name from the plan and the
 * escudo from services/municipalityBranding.
 */
export function createMunicipalityRouter({ municipality, branding, auth, timeZone }: Services & { auth: Auth; timeZone: string }) {
  const router = express.Router();
  const adminPage = auth.requireRolePage('admin');
  const show = (req: Request, res: Response, problem?: { section: MunicipalitySection; error: AppError }, values?: Record<string, unknown>) =>
    showPage({ municipality, branding }, auth, timeZone, req, res, problem, values);
  /** Runs a change; a refusal is shown next to its form, keeping what was typed. */
  const change =
    (section: MunicipalitySection, saved: string, apply: (body: Record<string, unknown>, res: Response) => Promise<unknown>) =>
    async (req: Request, res: Response) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      try {
        await apply(body, res);
        res.redirect(303, `${PAGE_PATH}?guardado=${saved}`);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        await show(req, res, { section, error }, body);
      }
    };

  router.get(PAGE_PATH, adminPage, (req, res) => show(req, res));
  router.post(PAGE_PATH, adminPage, change('identity', 'municipio', (body, res) => municipality.saveIdentity(parseIdentity(body), 'page', actor(res))));
  router.post(
    `${PAGE_PATH}/colores`,
    adminPage,
    change('colors', 'colores', (body, res) => branding.saveColors(body.restablecer ? defaultIdentityColors : { primary: body.primary, accent: body.accent }, personName(res))),
  );
  router.post(`${ESCUDO_UPLOAD_PATH}/quitar`, adminPage, change('escudo', 'escudo-quitado', (_body, res) => branding.removeEscudo(personName(res))));

  router.get('/api/municipality', auth.requireRole('viewer'), async (_req, res) => {
    const [identity, escudo, colors] = await Promise.all([municipality.readIdentity(), branding.currentEscudo(), branding.colors()]);
    const { content: _bytes, ...escudoInfo } = escudo ?? { content: null };
    res.json({
      ...(identity ?? { name: null, daneCode: null, source: null, updatedAt: null }),
      escudo: escudo ? { ...escudoInfo, url: escudoUrl(escudo) } : null,
      colors,
    });
  });
  router.put('/api/municipality', auth.requireRole('admin'), async (req, res) => {
    res.json(await municipality.saveIdentity(parseIdentity(req.body), 'page', actor(res)));
  });
  router.put('/api/municipality/colors', auth.requireRole('admin'), async (req, res) => {
    res.json(await branding.saveColors(req.body, personName(res)));
  });
  return router;
}

/** POST /admin/municipio/escudo: the multipart form, parsed here, then the CSRF check, then the upload. */
export function createEscudoUploadRouter({ branding, auth, municipality, timeZone }: Services & { auth: Auth; timeZone: string }) {
  const router = express.Router();
  const adminPage = auth.requireRolePage('admin');
  // One byte over the limit is enough to know it is too big (the service words the refusal).
  router.post(
    ESCUDO_UPLOAD_PATH,
    adminPage,
    memoryUpload('escudo', { fileSize: MAX_ESCUDO_BYTES + 1, files: 1, fields: 3, fieldSize: 1024 }),
    auth.csrf,
    async (req, res) => {
      const problem = res.locals.uploadProblem as unknown;
      try {
        if (problem instanceof multer.MulterError && problem.code === 'LIMIT_FILE_SIZE') {
          throw new AppError('invalid_input', `El escudo no es válido: el archivo pesa más de ${formatNumber(MAX_ESCUDO_BYTES / 1024)} KB, el máximo`, [], 413);
        }
        if (problem) throw new AppError('invalid_input', 'El escudo no es válido: el formulario llegó incompleto; elija el archivo y envíelo de nuevo');
        await branding.saveEscudo({ fileName: req.file?.originalname, content: req.file?.buffer }, personName(res));
        res.redirect(303, `${PAGE_PATH}?guardado=escudo`);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        await showPage({ municipality, branding }, auth, timeZone, req, res, { section: 'escudo', error });
      }
    },
  );
  return router;
}
