import express, { type Request } from 'express';
import { rateLimit } from 'express-rate-limit';
import { linkStatus, reviewLinkMessages, verifyReviewLink } from '../auth/reviewLinks';
import type { CycleService, ReviewView } from '../services/cycles';
import type { AppServices } from '../services/appServices';
import { AppError } from '../services/errors';
import { linkRefusalPage, readOnlyPage, responsePage, responseReceivedPage, tooManyRequestsPage } from './views/responseForm';
import { formatDateTime } from '../domain/format';
import { businessDatesUntil, timeLeftWords } from '../domain/timeLeft';
import { answerProblems, draftProblems, formGoals, submissionFromForm } from './responseFields';

/**
 * The liaison's response form, reached only through the personal signed link of the alert e-mail
 * (`/responder/<review>/<token>`): the link names the review and the department, and is valid
 * until the review's current deadline (an extension moves it). Works without JavaScript.
 */
export function createResponseFormRouter({
  cycles,
  reviews,
  timeZone,
  linkKey,
}: {
  cycles: CycleService;
  reviews: AppServices['reviews'];
  timeZone: string;
  linkKey: Buffer;
}) {
  /** The latest draft of this round of the review, if the liaison saved one. */
  const latestDraft = (view: ReviewView) => reviews.latestDraft(view.workflowId, view.round);

  const router = express.Router();
  // Links are guessable by nobody, but a flood of attempts is still refused.
  router.use(
    rateLimit({
      windowMs: 60_000,
      limit: 60,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, res) => {
        res.status(429).type('html').send(tooManyRequestsPage().value);
      },
    }),
  );

  /** The review behind a link, or the page that explains why the link cannot be used. */
  async function openLink(req: Request): Promise<{ view: ReviewView; writable: boolean } | { status: number; message: string }> {
    const workflowId = String(req.params.workflowId ?? '');
    const verified = verifyReviewLink(String(req.params.token ?? ''), linkKey);
    if (!verified.ok) return { status: 400, message: reviewLinkMessages[verified.reason] };
    if (verified.payload.reviewWorkflowId !== workflowId) return { status: 403, message: reviewLinkMessages.foreign };
    // A review closed by its deadline needs no workflow query (which would replay the closed workflow).
    const stored = await reviews.closure(workflowId);
    if (stored?.completedAt && stored.state === 'noAdjustment' && stored.departmentCode === verified.payload.departmentCode) {
      return { status: 410, message: reviewLinkMessages.expired };
    }
    let view: ReviewView;
    try {
      view = await cycles.reviewStatus(workflowId);
    } catch (error) {
      if (error instanceof AppError && error.code === 'not_found') return { status: 404, message: 'Esta revisión no existe.' };
      throw error;
    }
    const status = linkStatus(verified.payload, { workflowId, departmentCode: view.department.code, deadline: view.deadline, state: view.state });
    if (status === 'foreign') return { status: 403, message: reviewLinkMessages.foreign };
    // A review closed by its deadline (constancia recorded) is an expired link, not a read-only answer.
    if (status === 'expired' || view.state === 'noAdjustment') return { status: 410, message: reviewLinkMessages.expired };
    return { view, writable: status === 'valid' && view.allowedActions.includes('submitResponse') };
  }

  const refusal = (message: string) => linkRefusalPage(message).value;
  const deadlineWords = (deadline: string) => formatDateTime(deadline, timeZone);

  /** Everything the form shows besides the values: goal cards, the name to offer, the countdown. */
  async function formContext(view: ReviewView) {
    const [descriptions, previousName] = await Promise.all([
      reviews.goalDescriptions(view.goals.map((g) => g.goalCode)),
      view.respondent ? Promise.resolve(null) : reviews.lastRespondentName(view.workflowId),
    ]);
    const now = new Date();
    const businessDates = view.deadline ? businessDatesUntil(view.deadline, now, timeZone) : [];
    const deadline = view.deadline
      ? { iso: view.deadline, words: deadlineWords(view.deadline), timeLeft: timeLeftWords(view.deadline, now, timeZone, businessDates), timeZone, businessDates }
      : null;
    return { view, goals: formGoals(view, descriptions), respondentName: view.respondent?.name ?? previousName, deadline };
  }

  router.get('/:workflowId/:token', async (req, res) => {
    const opened = await openLink(req);
    if ('message' in opened) return res.status(opened.status).type('html').send(refusal(opened.message));
    if (!opened.writable) return res.type('html').send(readOnlyPage(opened.view, deadlineWords, cancelledNotice(opened.view)).value);
    const draft = await latestDraft(opened.view);
    const notice = draft ? `Se recuperó el borrador guardado el ${formatDateTime(draft.createdAt, timeZone)}.` : undefined;
    res.type('html').send(responsePage({ ...(await formContext(opened.view)), values: draft?.fields ?? {}, notice }).value);
  });

  router.post('/:workflowId/:token', async (req, res) => {
    const opened = await openLink(req);
    if ('message' in opened) return res.status(opened.status).type('html').send(refusal(opened.message));
    if (!opened.writable) return res.status(409).type('html').send(readOnlyPage(opened.view, deadlineWords, reviewLinkMessages['closed-readonly']).value);
    const form = Object.fromEntries(
      Object.entries((req.body ?? {}) as Record<string, unknown>).filter(([key, v]) => typeof v === 'string' && key !== '_csrf' && key !== 'intent'),
    ) as Record<string, string>;
    const context = await formContext(opened.view);
    if ((req.body as Record<string, unknown>)?.intent === 'draft') {
      // Only the form's own fields, each within its length, and the whole within DRAFT_MAX_BYTES.
      const refused = draftProblems(opened.view, context.goals, (req.body ?? {}) as Record<string, unknown>);
      if (refused) {
        const problems = refused.problems.length ? refused.problems : [{ field: null, message: refused.message }];
        return res.status(refused.status).type('html').send(responsePage({ ...context, values: form, errors: { title: 'No se pudo guardar el borrador:', problems } }).value);
      }
      await reviews.saveDraft({ reviewWorkflowId: opened.view.workflowId, round: opened.view.round, fields: form });
      return res.type('html').send(responsePage({ ...context, values: form, notice: 'Borrador guardado. Puede volver con el mismo enlace y continuar.' }).value);
    }
    const submission = submissionFromForm(opened.view, context.goals, form);
    try {
      const after = await cycles.submitResponse(opened.view.workflowId, submission, { source: 'form', raw: req.rawBody });
      res.type('html').send(responseReceivedPage(after).value);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      // The workflow refused it; the same rules, read here by field, tell the person where to look.
      const byField = error.code === 'invalid_input' ? answerProblems(opened.view, context.goals, form, submission) : [];
      const problems = byField.length ? byField : [error.message, ...error.details].map((message) => ({ field: null, message }));
      const title = byField.length ? 'No se pudo registrar la respuesta:' : 'No se pudo registrar la respuesta.';
      res.status(error.httpStatus).type('html').send(responsePage({ ...context, values: form, errors: { title, problems } }).value);
    }
  });

  return router;
}

/** A cancelled review tells the liaison why, and that no answer is needed. */
const cancelledNotice = (view: ReviewView) =>
  view.state === 'cancelled'
    ? `Esta revisión fue cancelada${view.cancellation ? ` por ${view.cancellation.by}: ${view.cancellation.reason}` : ''}. No necesita responder.`
    : undefined;

export { DRAFT_MAX_BYTES, typedNumber } from './responseFields';
