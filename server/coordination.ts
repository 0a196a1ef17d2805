import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { Auth } from '../auth';
import type { AppServices } from '../services/appServices';
import type { CycleService, ReviewView } from '../services/cycles';
import { AppError } from '../services/errors';
import { sendPage } from './html';
import { parseReviewWorkflowId } from '../domain/workflowIds';
import { notFoundPage } from './views/errorPages';
import { inboxPage, reviewPagePath, type AgreementRow, type WaitingRow } from './views/coordination';
import { reviewPage, type CoordinatorForm, type FormRefusal } from './views/coordinationReview';
import { cycleTitle, formatDateTime } from '../domain/format';
import { reviewStateLabel, timeLeft } from './reviewWords';
import { lateResponsesSection } from './views/lateResponses';
import { html } from '../domain/html';

const waitingStates = ['underAgreement', 'awaitingResponse'] as const;

// What the coordinator's forms send, read before any update reaches the workflow. Messages name
// the field in words, never a path.
const decisionForm = z.discriminatedUnion(
  'decision',
  [
    z.object({
      decision: z.literal('approve'),
      comment: z.string().trim().max(4000, 'El comentario admite hasta 4000 caracteres').optional(),
      confirm: z.literal('si', { message: 'Marque la confirmación de que acordó esta respuesta con la dependencia' }),
    }),
    z.object({
      decision: z.literal('requestChanges'),
      comment: z
        .string({ message: 'Escriba qué debe ajustar la dependencia' })
        .trim()
        .min(10, 'Escriba qué debe ajustar la dependencia (al menos 10 caracteres)')
        .max(4000, 'El comentario admite hasta 4000 caracteres'),
      window: z.enum(['5d', '10d'], { message: 'Elija el nuevo plazo: 5 o 10 días hábiles' }).optional(),
    }),
  ],
  { message: 'Elija aprobar o solicitar ajustes' },
);
const extensionForm = z.object({
  reason: z.string({ message: 'Escriba el motivo de la ampliación' }).trim().min(10, 'Escriba el motivo de la ampliación (al menos 10 caracteres)').max(4000),
  window: z.enum(['3d', '5d'], { message: 'Elija cuánto ampliar: 3 o 5 días hábiles' }),
});
const noteForm = z.object({
  text: z.string({ message: 'Escriba la nota' }).trim().min(3, 'Escriba la nota (al menos 3 caracteres)').max(4000, 'La nota admite hasta 4000 caracteres'),
});

/**
 * The coordinator's inbox (PE-P-008 task 5): a compact list of the reviews waiting for agreement
 * or for an answer, and one page per review with the programming before and after and the
 * actions it allows. Every action is an update on the running workflow; the pages show the
 * workflow's own state.
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
  const when = (iso: string) => formatDateTime(iso, timeZone);

  /** What each `hecho` of the inbox's address announces, given the review it was about. */
  const doneNotices: Record<string, (review: string, view: ReviewView | null) => string> = {
    aprobada: (review, view) => `Decisión registrada: ${review} quedó ${view ? reviewStateLabel(view.state) : 'aprobada'}.`,
    ajustes: (review) => `Se solicitaron ajustes a ${review}; la dependencia recibirá su comentario y el nuevo plazo.`,
    plazo: (review, view) => `Plazo ampliado para ${review}${view?.deadline ? `: nuevo plazo ${when(view.deadline)}` : ''}.`,
    alerta: (review) => `Alerta reenviada a ${review}: la dependencia recibirá de nuevo el reporte con su enlace personal.`,
  };

  async function inbox(): Promise<ReviewView[]> {
    const workflowIds = await reviews.idsInStates(waitingStates);
    const views = await Promise.all(workflowIds.map((workflowId) => cycles.reviewStatus(workflowId).catch(() => null)));
    return views.filter((v): v is ReviewView => v !== null && (waitingStates as readonly string[]).includes(v.state));
  }

  router.get('/api/inbox', auth.requireRole('coordinator'), async (_req, res) => {
    res.json(await inbox());
  });

  /** "Secretaría de Salud · Revisión trimestral 2026 · T3", or the ID's department when the review can't be read. */
  const reviewName = (workflowId: string, view: ReviewView | null) =>
    view ? `${view.department.name} · ${cycleTitle(view.fiscalYear, view.quarter)}` : `la revisión ${parseReviewWorkflowId(workflowId)?.departmentCode ?? ''}`;

  async function inboxNotice(query: Request['query']) {
    const done = typeof query.hecho === 'string' ? doneNotices[query.hecho] : undefined;
    const workflowId = typeof query.revision === 'string' ? query.revision : '';
    if (!done || !parseReviewWorkflowId(workflowId)) return null;
    const view = await cycles.reviewStatus(workflowId).catch(() => null);
    return { kind: 'ok' as const, text: done(reviewName(workflowId, view), view) };
  }

  router.get('/coordinacion', auth.requireRolePage('coordinator'), async (req, res) => {
    const csrf = auth.csrfToken(req);
    const [views, notice] = await Promise.all([inbox(), inboxNotice(req.query)]);
    const byDepartment = (a: ReviewView, b: ReviewView) => a.department.name.localeCompare(b.department.name, 'es') || a.workflowId.localeCompare(b.workflowId);
    const agreementViews = views.filter((v) => v.state === 'underAgreement');
    const received = await reviews.responseTimes(agreementViews.map((v) => v.workflowId));
    const now = new Date();
    const agreements: AgreementRow[] = agreementViews
      .map((view) => {
        const at = received.get(view.workflowId);
        return { view, received: at ? when(at.toISOString()) : null, at: at?.getTime() ?? 0 };
      })
      // Oldest answer first: it has waited longest.
      .sort((a, b) => a.at - b.at || byDepartment(a.view, b.view))
      .map(({ view, received: text }) => ({ view, received: text }));
    const waiting: WaitingRow[] = views
      .filter((v) => v.state === 'awaitingResponse')
      .sort((a, b) => (a.deadline ?? '').localeCompare(b.deadline ?? '') || byDepartment(a, b))
      .map((view) => ({
        view,
        deadline: view.deadline ? when(view.deadline) : null,
        timeLeft: timeLeft(view.deadline, now),
        stateLabel: reviewStateLabel(view.state, view.changeRequests.length),
      }));
    const late = lateResponses ? lateResponsesSection(await lateResponses.list(), when) : '';
    sendPage(res, 'Bandeja de coordinación', html`${inboxPage({ agreements, waiting, notice })}${late}`, { csrf, current: '/coordinacion' });
  });

  const coordinatorOf = (res: Response) => String(res.locals.user?.name ?? '');
  const formOf = (req: Request): Record<string, string> =>
    Object.fromEntries(Object.entries((req.body ?? {}) as Record<string, unknown>).filter(([key, value]) => key !== '_csrf' && typeof value === 'string')) as Record<string, string>;

  /** The review a path names, or null when it is none of this installation's (another prefix, unknown). */
  async function reviewOf(req: Request): Promise<ReviewView | null> {
    const workflowId = String(req.params.workflowId ?? '');
    if (!parseReviewWorkflowId(workflowId)) return null;
    try {
      return await cycles.reviewStatus(workflowId);
    } catch (error) {
      if (error instanceof AppError && error.code === 'not_found') return null;
      throw error;
    }
  }

  const notFound = (req: Request, res: Response) => res.status(404).type('html').send(notFoundPage(req.path).value);

  async function showReview(
    req: Request,
    res: Response,
    view: ReviewView,
    { notice = null, refusal = null, status = 200 }: { notice?: { kind: 'ok' | 'error'; text: string } | null; refusal?: FormRefusal | null; status?: number } = {},
  ) {
    const [times, commitments] = await Promise.all([reviews.responseTimes([view.workflowId]), reviews.consolidationCommitments(view.workflowId)]);
    const received = times.get(view.workflowId);
    const csrf = auth.csrfToken(req);
    const body = reviewPage({
      view,
      commitments,
      csrf,
      stateLabel: reviewStateLabel(view.state, view.changeRequests.length),
      received: received ? when(received.toISOString()) : null,
      deadline: view.deadline ? when(view.deadline) : null,
      timeLeft: view.state === 'awaitingResponse' ? timeLeft(view.deadline, new Date()) : null,
      when,
      notice,
      refusal,
    });
    sendPage(res, `${view.department.name} · ${cycleTitle(view.fiscalYear, view.quarter)}`, body, { csrf, current: '/coordinacion' }, status);
  }

  router.get('/coordinacion/:workflowId', auth.requireRolePage('coordinator'), async (req, res) => {
    const view = await reviewOf(req);
    if (!view) return notFound(req, res);
    const notice = req.query.hecho === 'nota' ? { kind: 'ok' as const, text: 'Nota agregada: quedó en la revisión y en el registro de auditoría.' } : null;
    await showReview(req, res, view, { notice });
  });

  /**
   * Runs one action of a review's page: the form is read with `schema`; a refusal (the form's or the
   * workflow's) shows the page again with the message next to its field and everything typed kept.
   */
  function action<S extends z.ZodType>(
    name: string,
    schema: S,
    formName: (values: Record<string, string>) => CoordinatorForm,
    run: (workflowId: string, input: z.infer<S>, res: Response) => Promise<string>,
  ) {
    router.post(`/coordinacion/:workflowId/${name}`, auth.requireRolePage('coordinator'), async (req, res) => {
      const view = await reviewOf(req);
      if (!view) return notFound(req, res);
      const values = formOf(req);
      const form = formName(values);
      const parsed = schema.safeParse(values);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = String(issue?.path[0] ?? '');
        const refusal = { form, field, message: issue?.message ?? 'Revise el formulario', details: [], values };
        return showReview(req, res, view, { refusal, status: 400 });
      }
      try {
        res.redirect(303, await run(view.workflowId, parsed.data, res));
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        if (error.code === 'not_found') return notFound(req, res);
        // The workflow refused (already decided elsewhere, the deadline passed…): its current state, the reason on top.
        const current = await cycles.reviewStatus(view.workflowId).catch(() => view);
        const refusal = { form, field: '', message: error.message, details: error.details, values };
        await showReview(req, res, current, { refusal, status: error.httpStatus });
      }
    });
  }

  const toInbox = (done: string, workflowId: string) => `/coordinacion?hecho=${done}&revision=${encodeURIComponent(workflowId)}`;

  action(
    'decision',
    decisionForm,
    (values) => (values.decision === 'approve' ? 'approve' : 'requestChanges'),
    async (workflowId, input, res) => {
      const coordinator = coordinatorOf(res);
      if (input.decision === 'approve') {
        await cycles.decide(workflowId, { decision: 'approve', coordinator, comment: input.comment || undefined });
        return toInbox('aprobada', workflowId);
      }
      await cycles.decide(workflowId, { decision: 'requestChanges', coordinator, comment: input.comment, window: input.window });
      return toInbox('ajustes', workflowId);
    },
  );

  action('extension', extensionForm, () => 'extension', async (workflowId, input, res) => {
    await cycles.extendDeadline(workflowId, { coordinator: coordinatorOf(res), reason: input.reason, window: input.window });
    return toInbox('plazo', workflowId);
  });

  action('alert-resend', z.object({}), () => 'resend', async (workflowId, _input, res) => {
    await cycles.resendAlert(workflowId, { coordinator: coordinatorOf(res) });
    return toInbox('alerta', workflowId);
  });

  action('notes', noteForm, () => 'note', async (workflowId, input, res) => {
    await cycles.addNote(workflowId, { coordinator: coordinatorOf(res), text: input.text });
    return `${reviewPagePath(workflowId)}?hecho=nota#notas`;
  });

  return router;
}
