import express, { type Request, type Response } from 'express';
import type { SafeHtml } from '../domain/html';
import type { LateSource } from '../services/lateResponses';
import { rateLimit } from 'express-rate-limit';
import { linkStatus, reviewLinkMessages, verifyReviewLink } from '../auth/reviewLinks';
import type { CycleService, ReviewView } from '../services/cycles';
import type { AppServices } from '../services/appServices';
import { AppError } from '../services/errors';
import { linkRefusalPage, readOnlyPage, responsePage, responseReceivedPage, tooManyRequestsPage } from './views/responseForm';
import { formatDateTime } from '../domain/format';
import { businessDatesUntil, timeLeftWords } from '../domain/timeLeft';
import { answerProblems, draftProblems, DRAFT_MAX_BYTES, formFieldsOnly, formGoals, submissionFromForm, typedFields, type FieldError } from './responseFields';
import { sizeWords } from '../domain/inputText';
import { lateAnswersUntil } from '../services/lateResponses';
import { lateClosedPage, lateNotice, lateReceivedPage } from './views/lateResponses';

/**
 * The liaison's response form, reached only through the personal signed link of the alert e-mail
 * (`/responder/<review>/<token>`): the link names the review and the department, and takes the
 * answer until the review's current deadline (an extension moves it). After the deadline it still
 * takes one, kept as a respuesta extemporánea (services/lateResponses.ts), for `lateResponseDays`
 * days. Works without JavaScript.
 */
export function createResponseFormRouter({
  cycles,
  reviews,
  lateResponses,
  timeZone,
  linkKey,
  lateResponseDays = DEFAULT_LATE_RESPONSE_DAYS,
  now = () => new Date(),
}: {
  cycles: CycleService;
  reviews: AppServices['reviews'];
  lateResponses: AppServices['lateResponses'];
  timeZone: string;
  linkKey: Buffer;
  /** Days after the deadline during which late answers are taken (config LATE_RESPONSE_DAYS). */
  lateResponseDays?: number;
  now?: () => Date;
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

  /**
   * A review past its deadline: the form takes a late answer until `lateResponseDays` after it;
   * then a 410 (the view kept, so a refused POST can show back what was typed).
   */
  function lateLink(view: ReviewView): Opened {
    if (!view.deadline) return { status: 410, message: reviewLinkMessages.expired };
    const until = lateAnswersUntil(view.deadline, lateResponseDays);
    if (until.getTime() <= now().getTime()) {
      return {
        status: 410,
        message: `El plazo para responder venció el ${deadlineWords(view.deadline)} y este enlace recibió respuestas extemporáneas hasta el ${deadlineWords(until.toISOString())}. Comuníquese con la coordinación del MMSE.`,
        view,
      };
    }
    return { view, writable: false, late: lateNotice(deadlineWords(view.deadline), deadlineWords(until.toISOString())) };
  }

  /** The review behind a link, or the page that explains why the link cannot be used. */
  async function openLink(req: Request): Promise<Opened> {
    const workflowId = String(req.params.workflowId ?? '');
    const verified = verifyReviewLink(String(req.params.token ?? ''), linkKey);
    if (!verified.ok) return { status: 400, message: reviewLinkMessages[verified.reason] };
    if (verified.payload.reviewWorkflowId !== workflowId) return { status: 403, message: reviewLinkMessages.foreign };
    // A review closed by its deadline needs no workflow query (which would replay the closed workflow).
    const stored = await reviews.closure(workflowId);
    if (stored?.completedAt && stored.state === 'noAdjustment' && stored.departmentCode === verified.payload.departmentCode) {
      const recorded = await lateResponses.review(workflowId);
      return recorded ? lateLink(recorded) : { status: 410, message: reviewLinkMessages.expired };
    }
    let view: ReviewView;
    try {
      view = await cycles.reviewStatus(workflowId);
    } catch (error) {
      if (error instanceof AppError && error.code === 'not_found') return { status: 404, message: 'Esta revisión no existe.' };
      throw error;
    }
    const status = linkStatus(verified.payload, { workflowId, departmentCode: view.department.code, deadline: view.deadline, state: view.state }, now());
    if (status === 'foreign') return { status: 403, message: reviewLinkMessages.foreign };
    // Past the deadline (constancia recorded, or about to be): the answer is taken as extemporánea.
    if (status === 'expired' || view.state === 'noAdjustment') return lateLink(view);
    return { view, writable: status === 'valid' && view.allowedActions.includes('submitResponse') };
  }

  /** Stores a late answer and confirms it, or shows the form again with the refusal by field. */
  async function answerLate(res: Response, context: FormContext, posted: Record<string, string>, source: LateSource) {
    const { view } = context;
    // The record keeps the form's own fields only, within the size a draft may have.
    const form = formFieldsOnly(view, context.goals, posted, context.consolidation);
    const size = Object.entries(form).reduce((n, [key, value]) => n + Buffer.byteLength(key) + Buffer.byteLength(value), 0);
    if (size > DRAFT_MAX_BYTES) {
      const message = `La respuesta supera el tamaño máximo de ${sizeWords(DRAFT_MAX_BYTES)} (${sizeWords(size)}); acorte los textos.`;
      return res.status(413).type('html').send(responsePage({ ...context, values: form, errors: { title: 'No se pudo registrar la respuesta:', problems: [{ field: null, message }] } }).value);
    }
    const submission = submissionFromForm(view, context.goals, form, context.consolidation);
    try {
      const stored = await lateResponses.record({ view, submission, form, source });
      res.type('html').send(lateReceivedPage(view.department.name, formatDateTime(stored.receivedAt, timeZone), source === 'refused').value);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const byField: FieldError[] = error.code === 'invalid_input' ? answerProblems(view, context.goals, form, submission, context.consolidation) : [];
      const problems = byField.length ? byField : [error.message, ...error.details].map((message) => ({ field: null, message }));
      res.status(error.httpStatus).type('html').send(responsePage({ ...context, values: form, errors: { title: 'No se pudo registrar la respuesta:', problems } }).value);
    }
  }

  const refusal = (message: string) => linkRefusalPage(message).value;
  const deadlineWords = (deadline: string) => formatDateTime(deadline, timeZone);

  /** Everything the form shows besides the values: goal cards, the name to offer, the countdown (none once late). */
  async function formContext(view: ReviewView, late?: SafeHtml) {
    const [descriptions, previousName, agreements, consolidation] = await Promise.all([
      reviews.goalDescriptions(view.goals.map((g) => g.goalCode)),
      view.respondent ? Promise.resolve(null) : reviews.lastRespondentName(view.workflowId),
      reviews.councilAgreementChoices(view.goals.map((g) => g.goalCode)),
      // Q3: the year's lagging goals not in alert, each asking for a commitment (PE-P-008 task 4).
      reviews.consolidationGoals(view.workflowId),
    ]);
    const now = new Date();
    const businessDates = view.deadline ? businessDatesUntil(view.deadline, now, timeZone) : [];
    const deadline = view.deadline && !late
      ? { iso: view.deadline, words: deadlineWords(view.deadline), timeLeft: timeLeftWords(view.deadline, now, timeZone, businessDates), timeZone, businessDates }
      : null;
    return { view, goals: formGoals(view, descriptions, now, agreements), consolidation, respondentName: view.respondent?.name ?? previousName, deadline, late };
  }
  type FormContext = Awaited<ReturnType<typeof formContext>>;

  router.get('/:workflowId/:token', async (req, res) => {
    const opened = await openLink(req);
    if ('message' in opened) return res.status(opened.status).type('html').send(refusal(opened.message));
    if (opened.late) {
      const draft = await latestDraft(opened.view);
      const notice = draft ? `Se recuperó el borrador guardado el ${formatDateTime(draft.createdAt, timeZone)}.` : undefined;
      return res.type('html').send(responsePage({ ...(await formContext(opened.view, opened.late)), values: draft?.fields ?? {}, notice }).value);
    }
    if (!opened.writable) return res.type('html').send(readOnlyPage(opened.view, deadlineWords, cancelledNotice(opened.view), await reviews.consolidationCommitments(opened.view.workflowId)).value);
    const draft = await latestDraft(opened.view);
    const notice = draft ? `Se recuperó el borrador guardado el ${formatDateTime(draft.createdAt, timeZone)}.` : undefined;
    res.type('html').send(responsePage({ ...(await formContext(opened.view)), values: draft?.fields ?? {}, notice }).value);
  });

  router.post('/:workflowId/:token', async (req, res) => {
    const opened = await openLink(req);
    const form = Object.fromEntries(
      Object.entries((req.body ?? {}) as Record<string, unknown>).filter(([key, v]) => typeof v === 'string' && key !== '_csrf' && key !== 'intent'),
    ) as Record<string, string>;
    if ('message' in opened) {
      // Past the time for late answers: nothing is stored, but what was typed is shown back.
      if (opened.view) {
        const { goals, consolidation } = await formContext(opened.view);
        return res.status(opened.status).type('html').send(lateClosedPage(opened.message, typedFields(opened.view, goals, form, consolidation)).value);
      }
      return res.status(opened.status).type('html').send(refusal(opened.message));
    }
    if (!opened.late && !opened.writable) {
      const commitments = await reviews.consolidationCommitments(opened.view.workflowId);
      return res.status(409).type('html').send(readOnlyPage(opened.view, deadlineWords, reviewLinkMessages['closed-readonly'], commitments).value);
    }
    const context = await formContext(opened.view, opened.late);
    if ((req.body as Record<string, unknown>)?.intent === 'draft') {
      // Only the form's own fields, each within its length, and the whole within DRAFT_MAX_BYTES.
      const refused = draftProblems(opened.view, context.goals, (req.body ?? {}) as Record<string, unknown>, context.consolidation);
      if (refused) {
        const problems = refused.problems.length ? refused.problems : [{ field: null, message: refused.message }];
        return res.status(refused.status).type('html').send(responsePage({ ...context, values: form, errors: { title: 'No se pudo guardar el borrador:', problems } }).value);
      }
      await reviews.saveDraft({ reviewWorkflowId: opened.view.workflowId, round: opened.view.round, fields: form });
      return res.type('html').send(responsePage({ ...context, values: form, notice: 'Borrador guardado. Puede volver con el mismo enlace y continuar.' }).value);
    }
    if (opened.late) return answerLate(res, context, form, 'closed');
    const submission = submissionFromForm(opened.view, context.goals, form, context.consolidation);
    try {
      const after = await cycles.submitResponse(opened.view.workflowId, submission, { source: 'form', raw: req.rawBody });
      res.type('html').send(responseReceivedPage(after).value);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === 'deadline_passed') {
        // The deadline came while the liaison typed: the answer is kept as extemporánea, never lost.
        const late = lateLink(opened.view);
        if ('late' in late && late.late) return answerLate(res, { ...context, deadline: null, late: late.late }, form, 'refused');
      }
      // The workflow refused it; the same rules, read here by field, tell the person where to look.
      const byField = error.code === 'invalid_input' ? answerProblems(opened.view, context.goals, form, submission, context.consolidation) : [];
      const problems = byField.length ? byField : [error.message, ...error.details].map((message) => ({ field: null, message }));
      const title = byField.length ? 'No se pudo registrar la respuesta:' : 'No se pudo registrar la respuesta.';
      res.status(error.httpStatus).type('html').send(responsePage({ ...context, values: form, errors: { title, problems } }).value);
    }
  });

  return router;
}

/** What a link opens: the review (to answer, read-only, or late), or why it cannot be used. */
type Opened =
  | { view: ReviewView; writable: boolean; late?: SafeHtml }
  | { status: number; message: string; view?: ReviewView };

/** Days after the deadline a link takes late answers when not configured (config LATE_RESPONSE_DAYS). */
export const DEFAULT_LATE_RESPONSE_DAYS = 90;

/** A cancelled review tells the liaison why, and that no answer is needed. */
const cancelledNotice = (view: ReviewView) =>
  view.state === 'cancelled'
    ? `Esta revisión fue cancelada${view.cancellation ? ` por ${view.cancellation.by}: ${view.cancellation.reason}` : ''}. No necesita responder.`
    : undefined;

export { typedNumber } from './responseFields';
