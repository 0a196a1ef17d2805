import express, { type Request, type Response } from 'express';
import type { Auth } from '../auth';
import { departmentFilter, inScope, requestScope } from '../auth/scope';
import { formatDateTime } from '../domain/format';
import type { AppServices } from '../services/appServices';
import { AppError } from '../services/errors';
import { sendPage } from './html';
import { lateResponseBody } from './views/lateResponses';

/** Who reads late answers: the office (every department) and liaisons (their own, auth/scope.ts). */
const readers = ['operator', 'coordinator', 'liaison'] as const;

/**
 * Respuestas extemporáneas for the office: `GET /api/late-responses` (newest first) and
 * `/api/late-responses/:id` as JSON, and the read-only page `/coordinacion/extemporaneas/:id`.
 * A liaison reads only their own department's; another department's answer is a 404, as if it
 * did not exist (its number is opaque).
 */
export function createLateResponsesRouter({ lateResponses, auth, timeZone }: { lateResponses: AppServices['lateResponses']; auth: Auth; timeZone: string }) {
  const router = express.Router();

  async function readInScope(req: Request, res: Response) {
    const text = String(req.params.id ?? '');
    if (!/^[1-9]\d{0,15}$/.test(text)) throw new AppError('invalid_input', `Identificador de respuesta extemporánea inválido: ${text.slice(0, 40)} (use un número entero positivo)`);
    const item = await lateResponses.read(Number(text));
    if (!item || !inScope(requestScope(res), item.departmentCode)) throw new AppError('not_found', `No existe la respuesta extemporánea ${text}`);
    return item;
  }

  router.get('/api/late-responses', auth.requireRole(...readers), async (_req, res) => {
    res.json(await lateResponses.list({ departmentCode: departmentFilter(requestScope(res), undefined) }));
  });

  router.get('/api/late-responses/:id', auth.requireRole(...readers), async (req, res) => {
    res.json(await readInScope(req, res));
  });

  router.get('/coordinacion/extemporaneas/:id', auth.requireRolePage(...readers), async (req, res) => {
    const item = await readInScope(req, res);
    const review = await lateResponses.review(item.reviewWorkflowId);
    const when = (iso: string) => formatDateTime(iso, timeZone);
    // A liaison reads its own department's late answers from "Mis revisiones", not the coordination inbox.
    const back = res.locals.user?.role === 'liaison' ? { href: '/mis-revisiones', label: 'Volver a Mis revisiones' } : { href: '/coordinacion', label: 'Volver a la bandeja' };
    sendPage(res, `Respuesta extemporánea · ${item.departmentName}`, lateResponseBody(item, review?.goals ?? [], when, back), { csrf: auth.csrfToken(req), current: back.href });
  });

  return router;
}
