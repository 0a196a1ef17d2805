import express, { type Request, type Response } from 'express';
import type { Auth } from '../auth';
import type { AppServices } from '../services/appServices';
import { AppError } from '../services/errors';
import { recordFormatKeys, type RecordFormatKey } from '../domain/recordFormats';
import { formatShortDateTime } from '../domain/format';
import { sendPage } from './html';
import { recordFormatsPage } from './views/recordFormats';

const PAGE_PATH = '/admin/formatos';

/** Who registered a version, as the page shows it: the person's name (the audit log keeps the account). */
const personName = (res: Response) => (res.locals.user as { name?: string } | undefined)?.name ?? String(res.locals.actor ?? 'anónimo');

const keyOf = (value: unknown): RecordFormatKey =>
  typeof value === 'string' && (recordFormatKeys as readonly string[]).includes(value) ? (value as RecordFormatKey) : recordFormatKeys[0];

/**
 * The format table: the administrators' page /admin/formatos and the API (GET /api/record-formats
 * for every account; PUT /api/record-formats/{key} and GET …/{key}/versions for administrators).
 */
export function createRecordFormatsRouter({ recordFormats, auth, timeZone }: { recordFormats: AppServices['recordFormats']; auth: Auth; timeZone: string }) {
  const router = express.Router();
  const adminPage = auth.requireRolePage('admin');

  async function show(req: Request, res: Response, problem?: AppError, values?: Record<string, unknown>) {
    const formats = await recordFormats.list();
    const csrf = auth.csrfToken(req);
    const savedKey = problem ? null : typeof req.query.guardado === 'string' ? req.query.guardado : null;
    const saved = savedKey ? (formats.find((f) => f.key === savedKey) ?? null) : null;
    const editing = keyOf(values?.key ?? req.query.formato ?? savedKey);
    const body = recordFormatsPage({ formats, editing }, csrf, (iso) => formatShortDateTime(iso, timeZone), problem, values, saved);
    sendPage(res, 'Formatos de los registros', body, { csrf, current: PAGE_PATH }, problem?.httpStatus ?? 200);
  }

  router.get(PAGE_PATH, adminPage, (req, res) => show(req, res));
  router.post(PAGE_PATH, adminPage, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      const saved = await recordFormats.save({ key: body.key, code: body.code, version: body.version, approvedOn: body.approvedOn }, personName(res));
      res.redirect(303, `${PAGE_PATH}?guardado=${saved.key}`);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      await show(req, res, error, body);
    }
  });

  router.get('/api/record-formats', auth.requireRole('viewer'), async (_req, res) => {
    res.json({ formats: await recordFormats.list() });
  });
  router.get('/api/record-formats/:key/versions', auth.requireRole('admin'), async (req, res) => {
    res.json({ versions: await recordFormats.versions(String(req.params.key)) });
  });
  router.put('/api/record-formats/:key', auth.requireRole('admin'), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const key = String(req.params.key);
    if (!(recordFormatKeys as readonly string[]).includes(key)) throw new AppError('not_found', `No existe el formato «${key}»: use ${recordFormatKeys.join(', ')}`);
    res.json(await recordFormats.save({ ...(typeof body === 'object' && !Array.isArray(body) ? body : {}), key }, personName(res)));
  });
  return router;
}
