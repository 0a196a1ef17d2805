import express, { type Request, type Response } from 'express';
import type { Auth } from '../auth';
import type { AppServices } from '../services/appServices';
import { goalStateLabels } from '../machines/goalStatus';
import type { CycleService, ReviewView } from '../services/cycles';
import { AppError } from '../services/errors';
import { sendPage } from './html';
import { parseReviewWorkflowId } from '../domain/workflowIds';
import { doneBody, refusalBody } from './views/errorPages';
import { inboxPage } from './views/coordination';
import { lateResponsesSection } from './views/lateResponses';
import { html } from '../domain/html';
import { formatDateTime, NO_VALUE } from '../domain/format';

const waitingStates = ['underAgreement', 'awaitingResponse'] as const;

/**
 * The coordinator's inbox (PE-P-008 task 5): responses waiting for agreement, with the programming
 * before and after side by side, and the reviews still waiting for an answer. Every action is an
 * update on the running workflow; the page shows the workflow's own state.
 */
export function createCoordinationRouter({
  reviews,
  cycles,
  auth,
  timeZone,
  lateResponses,
}: {
  reviews: AppServices['reviews'];
  cycles: CycleService;
  auth: Auth;
  timeZone: string;
  /** Respuestas extemporáneas, listed after the inbox (server/lateResponses.ts). */
  lateResponses?: AppServices['lateResponses'];
}) {
  const router = express.Router();

  async function inbox(): Promise<ReviewView[]> {
    const workflowIds = await reviews.idsInStates(waitingStates);
    const views = await Promise.all(workflowIds.map((workflowId) => cycles.reviewStatus(workflowId).catch(() => null)));
    return views.filter((v): v is ReviewView => v !== null && (waitingStates as readonly string[]).includes(v.state));
  }

  router.get('/api/inbox', auth.requireRole('coordinator'), async (_req, res) => {
    res.json(await inbox());
  });

  router.get('/coordinacion', auth.requireRolePage('coordinator'), async (req, res) => {
    const csrf = auth.csrfToken(req);
    const late = lateResponses ? lateResponsesSection(await lateResponses.list(), (iso) => formatDateTime(iso, timeZone)) : '';
    sendPage(res, 'Bandeja de coordinación', html`${inboxPage(await inbox(), csrf, (iso) => formatDate(iso, timeZone))}${late}`, { csrf, current: '/coordinacion' });
  });

  const coordinatorOf = (res: Response) => String(res.locals.user?.name ?? '');
  const reviewIdOf = (req: Request) => {
    const id = String(req.params.workflowId ?? '');
    if (!parseReviewWorkflowId(id)) throw new AppError('invalid_input', `Identificador de revisión inválido: ${id}`);
    return id;
  };
  const toInbox = { href: '/coordinacion', label: 'Volver a la bandeja' };
  const done = (res: Response, title: string, message: string) =>
    sendPage(res, title, doneBody({ title, message, back: toInbox }));
  const refused = (res: Response, error: AppError) =>
    sendPage(
      res,
      'No fue posible',
      refusalBody({ title: 'No fue posible completar la acción', message: error.message, details: error.details, back: toInbox }),
      {},
      error.httpStatus,
    );

  router.post('/coordinacion/:workflowId/decision', auth.requireRolePage('coordinator'), async (req, res) => {
    const form = (req.body ?? {}) as Record<string, string>;
    const decision =
      form.decision === 'approve'
        ? { decision: 'approve', coordinator: coordinatorOf(res), comment: form.comment || undefined }
        : { decision: 'requestChanges', coordinator: coordinatorOf(res), comment: form.comment ?? '', window: form.window || undefined };
    try {
      const view = await cycles.decide(reviewIdOf(req), decision);
      done(res, 'Decisión registrada', view.outcome ? `Revisión cerrada: ${goalStateLabels[view.state]}.` : `Se solicitaron ajustes; nuevo plazo: ${formatDate(view.deadline, timeZone)}.`);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      refused(res, error);
    }
  });

  router.post('/coordinacion/:workflowId/alert-resend', auth.requireRolePage('coordinator'), async (req, res) => {
    try {
      await cycles.resendAlert(reviewIdOf(req), { coordinator: coordinatorOf(res) });
      done(res, 'Alerta reenviada', 'La dependencia recibirá de nuevo el reporte de alerta con su enlace personal.');
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      refused(res, error);
    }
  });

  router.post('/coordinacion/:workflowId/notes', auth.requireRolePage('coordinator'), async (req, res) => {
    try {
      await cycles.addNote(reviewIdOf(req), { coordinator: coordinatorOf(res), text: String(((req.body ?? {}) as Record<string, string>).text ?? '') });
      done(res, 'Nota agregada', 'La nota quedó en la revisión y en el registro de auditoría.');
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      refused(res, error);
    }
  });

  router.post('/coordinacion/:workflowId/extension', auth.requireRolePage('coordinator'), async (req, res) => {
    const form = (req.body ?? {}) as Record<string, string>;
    try {
      const view = await cycles.extendDeadline(reviewIdOf(req), { coordinator: coordinatorOf(res), reason: form.reason ?? '', window: form.window ?? '' });
      done(res, 'Plazo ampliado', `Nuevo plazo: ${formatDate(view.deadline, timeZone)}.`);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      refused(res, error);
    }
  });

  return router;
}

const formatDate = (iso: string | null, timeZone: string) => (iso ? formatDateTime(iso, timeZone) : NO_VALUE);
