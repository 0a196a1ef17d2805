import express, { type Request, type Response } from 'express';
import multer from 'multer';
import type { Auth } from '../auth';
import type { AppServices } from '../services/appServices';
import { AppError } from '../services/errors';
import { MAX_CERTIFICATE_BYTES } from '../services/signingCertificate';
import { formatDate, formatNumber, formatShortDateTime } from '../domain/format';
import { sendPage } from './html';
import { signingCertificatePage, type SigningSaved } from './views/signingCertificate';
import { memoryUpload } from './uploads';

/** The certificate's upload (multipart: mounted before the app's CSRF check, which it runs after parsing). */
export const SIGNING_CERTIFICATE_UPLOAD_PATH = '/admin/firma-digital';
const PAGE_PATH = '/admin/firma-digital';

type Signing = AppServices['signing'];
const actor = (res: Response) => String(res.locals.actor ?? 'anónimo');
/** Who uploaded it, as the page shows it: the person's name (the audit log keeps the account). */
const personName = (res: Response) => (res.locals.user as { name?: string } | undefined)?.name ?? actor(res);
const savedCodes: Record<string, SigningSaved> = { certificado: 'certificado', quitado: 'quitado' };

async function showPage(signing: Signing, auth: Auth, timeZone: string, req: Request, res: Response, problem?: AppError) {
  const [current, versions] = await Promise.all([signing.current(), signing.versions()]);
  const csrf = auth.csrfToken(req);
  const saved = problem ? null : (savedCodes[String(req.query.guardado)] ?? null);
  const body = signingCertificatePage(
    { current, versions, maxBytes: MAX_CERTIFICATE_BYTES, now: new Date() },
    csrf,
    (iso) => formatShortDateTime(iso, timeZone),
    (iso) => formatDate(iso, timeZone),
    problem,
    saved,
  );
  sendPage(res, 'Firma digital', body, { csrf, current: PAGE_PATH }, problem?.httpStatus ?? 200);
}

/**
 * The signing certificate: the administrators' page /admin/firma-digital (the upload is in
 * createSigningCertificateUploadRouter) and the API for administrators: GET /api/signing-certificate
 * (the one in use and the history), PUT (JSON: fileName, contentBase64, passphrase), DELETE (stop
 * signing). Neither ever returns the file or the passphrase.
 */
export function createSigningCertificateRouter({ signing, auth, timeZone }: { signing: Signing; auth: Auth; timeZone: string }) {
  const router = express.Router();
  const adminPage = auth.requireRolePage('admin');
  const admin = auth.requireRole('admin');

  router.get(PAGE_PATH, adminPage, (req, res) => showPage(signing, auth, timeZone, req, res));
  router.post(`${PAGE_PATH}/quitar`, adminPage, async (_req, res) => {
    await signing.remove(personName(res));
    res.redirect(303, `${PAGE_PATH}?guardado=quitado`);
  });

  router.get('/api/signing-certificate', admin, async (_req, res) => {
    const [current, versions] = await Promise.all([signing.current(), signing.versions()]);
    res.json({ current, versions });
  });
  router.put('/api/signing-certificate', admin, async (req, res) => {
    res.status(201).json(await signing.save(req.body, personName(res)));
  });
  router.delete('/api/signing-certificate', admin, async (_req, res) => {
    await signing.remove(personName(res));
    res.json({ current: null });
  });
  return router;
}

/** POST /admin/firma-digital: the multipart form, parsed here, then the CSRF check, then the upload. */
export function createSigningCertificateUploadRouter({ signing, auth, timeZone }: { signing: Signing; auth: Auth; timeZone: string }) {
  const router = express.Router();
  const adminPage = auth.requireRolePage('admin');
  router.post(
    SIGNING_CERTIFICATE_UPLOAD_PATH,
    adminPage,
    memoryUpload('certificado', { fileSize: MAX_CERTIFICATE_BYTES + 1, files: 1, fields: 3, fieldSize: 2048 }),
    auth.csrf,
    async (req, res) => {
      const problem = res.locals.uploadProblem as unknown;
      try {
        if (problem instanceof multer.MulterError && problem.code === 'LIMIT_FILE_SIZE') {
          throw new AppError('invalid_input', `El certificado no es válido: el archivo pesa más de ${formatNumber(MAX_CERTIFICATE_BYTES / 1024)} KB`, [], 413);
        }
        if (problem) throw new AppError('invalid_input', 'El certificado no es válido: el formulario llegó incompleto; elija el archivo y envíelo de nuevo');
        const body = (req.body ?? {}) as Record<string, unknown>;
        await signing.save({ fileName: req.file?.originalname, content: req.file?.buffer, passphrase: body.passphrase }, personName(res));
        res.redirect(303, `${PAGE_PATH}?guardado=certificado`);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        await showPage(signing, auth, timeZone, req, res, error);
      }
    },
  );
  return router;
}
