import express, { type Request, type Response } from 'express';
import multer from 'multer';
import type { Auth } from '../auth';
import { roleSatisfies, type Role } from '../auth/roles';
import { requestScope } from '../auth/scope';
import { formatShortDateTime } from '../domain/format';
import type { AppServices } from '../services/appServices';
import { MAX_COUNCIL_PDF_BYTES } from '../services/councilAgreements';
import { AppError } from '../services/errors';
import { sizeWords } from '../domain/inputText';
import { sendPage } from './html';
import { councilAgreementsPage, type CouncilAgreementValues } from './views/councilAgreements';
import { memoryUpload } from './uploads';

/**
 * Acuerdos del Concejo: the page /concejo (everyone reads, operators register) and the API
 * (GET/POST /api/concejo-agreements, GET /api/concejo-agreements/:id and its PDF). Both POSTs are
 * multipart (the fields and the PDF): mounted before the app's CSRF check, which they run after parsing.
 */
const PAGE_PATH = '/concejo';
/** The multipart POSTs (their fields are checked by the service, not by the app's input guard). */
export const COUNCIL_AGREEMENTS_PAGE = PAGE_PATH;
export const COUNCIL_AGREEMENTS_API = '/api/concejo-agreements';
const actor = (res: Response) => String(res.locals.actor ?? 'anónimo');

const uploadProblem = (problem: unknown): AppError | null => {
  if (!problem) return null;
  if (problem instanceof multer.MulterError && problem.code === 'LIMIT_FILE_SIZE') {
    return new AppError('invalid_input', `PDF del acuerdo: el archivo pesa más de ${sizeWords(MAX_COUNCIL_PDF_BYTES)}, el máximo`, [], 413);
  }
  if (problem instanceof multer.MulterError && problem.code === 'LIMIT_UNEXPECTED_FILE') {
    return new AppError('invalid_input', 'El acuerdo del Concejo tiene errores', ['PDF del acuerdo: envíe un solo archivo en el campo «pdf»']);
  }
  return new AppError('invalid_input', 'El acuerdo del Concejo tiene errores', ['el formulario llegó incompleto; elija el archivo y envíelo de nuevo']);
};

const agreementId = (req: Request): number => {
  const text = String(req.params.id ?? '');
  if (!/^[1-9]\d{0,15}$/.test(text)) throw new AppError('invalid_input', `Identificador de acuerdo inválido: ${text.slice(0, 40)} (use un número entero positivo)`);
  return Number(text);
};

const typedValues = (body: unknown): CouncilAgreementValues => {
  const b = (body ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 200) : undefined);
  return { number: text(b.number), date: text(b.date), goalCode: text(b.goalCode), termTarget: text(b.termTarget) };
};

export function createCouncilAgreementsRouter({ services, auth, timeZone }: { services: AppServices; auth: Auth; timeZone: string }) {
  const router = express.Router();
  const agreements = services.councilAgreements;
  // One byte over the limit is enough to know it is too big.
  const parseUpload = memoryUpload('pdf', { fileSize: MAX_COUNCIL_PDF_BYTES + 1, files: 1, fields: 8, fieldSize: 1024 });
  const register = (req: Request, res: Response) => {
    const problem = uploadProblem(res.locals.uploadProblem);
    if (problem) throw problem;
    return agreements.register({ fields: req.body, pdf: req.file ? { fileName: req.file.originalname, content: req.file.buffer } : null }, actor(res));
  };

  async function showPage(req: Request, res: Response, problem?: { error: AppError; values: CouncilAgreementValues }) {
    const scope = requestScope(res);
    const role = (res.locals.user as { role?: Role } | undefined)?.role;
    const canRegister = role !== undefined && roleSatisfies(role, ['operator']);
    const [list, goals] = await Promise.all([agreements.list(scope), canRegister ? agreements.goals() : Promise.resolve([])]);
    const registeredId = Number(req.query.registrado);
    const view = { agreements: list, goals, maxPdfBytes: MAX_COUNCIL_PDF_BYTES, registered: list.find((a) => a.id === registeredId) ?? null };
    const csrf = canRegister ? auth.csrfToken(req) : null;
    const body = councilAgreementsPage(view, csrf, (iso) => formatShortDateTime(iso, timeZone), problem);
    sendPage(res, 'Acuerdos del Concejo', body, { csrf: csrf ?? auth.csrfToken(req), current: PAGE_PATH }, problem?.error.httpStatus ?? 200);
  }

  router.get(PAGE_PATH, auth.requireRolePage('viewer'), async (req, res) => showPage(req, res));
  router.post(PAGE_PATH, auth.requireRolePage('operator'), parseUpload, auth.csrf, async (req, res) => {
    try {
      const registered = await register(req, res);
      res.redirect(303, `${PAGE_PATH}?registrado=${registered.id}`);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      await showPage(req, res, { error, values: typedValues(req.body) });
    }
  });
  router.get(`${PAGE_PATH}/:id/pdf`, auth.requireRolePage('viewer'), async (req, res) => {
    const document = await agreements.pdf(agreementId(req), requestScope(res));
    res.type('application/pdf').set('Content-Disposition', `inline; filename="${document.fileName}"`).send(document.content);
  });

  router.get(COUNCIL_AGREEMENTS_API, auth.requireRole('viewer'), async (_req, res) => {
    res.json({ agreements: await agreements.list(requestScope(res)) });
  });
  router.post(COUNCIL_AGREEMENTS_API, auth.requireRole('operator'), parseUpload, auth.csrf, async (req, res) => {
    res.status(201).json(await register(req, res));
  });
  router.get('/api/concejo-agreements/:id', auth.requireRole('viewer'), async (req, res) => {
    res.json(await agreements.read(agreementId(req), requestScope(res)));
  });
  router.get('/api/concejo-agreements/:id/pdf', auth.requireRole('viewer'), async (req, res) => {
    const document = await agreements.pdf(agreementId(req), requestScope(res));
    res.type('application/pdf').set('Content-Disposition', `attachment; filename="${document.fileName}"`).send(document.content);
  });
  router.get('/api/goals/:goalCode/term-target', auth.requireRole('viewer'), async (req, res) => {
    res.json(await agreements.termTargetVersions(String(req.params.goalCode ?? ''), requestScope(res)));
  });
  return router;
}
