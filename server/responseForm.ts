import express, { type Request, type Response } from 'express';
import type { SafeHtml } from '../domain/html';
import type { LateSource } from '../services/lateResponses';
import { rateLimit } from 'express-rate-limit';
import { linkStatus, reviewLinkMessages, verifyReviewLink } from '../auth/reviewLinks';
import type { GoalAnswer, ResponseSubmission } from '../domain/review';
import type { CycleService, ReviewView } from '../services/cycles';
import type { AppServices } from '../services/appServices';
import { AppError } from '../services/errors';
import { linkRefusalPage, readOnlyPage, responsePage, responseReceivedPage, tooManyRequestsPage } from './views/responseForm';
import { describeUnsafeInput, findUnsafeInput, sanitizeForMessage, sizeWords } from '../domain/inputText';
import { formatDateTime } from '../domain/format';
import { parseNumber } from '../imports/numbers';
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
  async function answerLate(res: Response, view: ReviewView, form: Record<string, string>, late: SafeHtml, source: LateSource) {
    try {
      const stored = await lateResponses.record({ view, submission: submissionFromForm(view, form), form, source });
      res.type('html').send(lateReceivedPage(view.department.name, formatDateTime(stored.receivedAt, timeZone), source === 'refused').value);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      res.status(error.httpStatus).type('html').send(responsePage(view, [error.message, ...error.details], deadlineWords, form, undefined, undefined, late).value);
    }
  }

  const refusal = (message: string) => linkRefusalPage(message).value;
  const deadlineWords = (deadline: string) => formatDateTime(deadline, timeZone);

  router.get('/:workflowId/:token', async (req, res) => {
    const opened = await openLink(req);
    if ('message' in opened) return res.status(opened.status).type('html').send(refusal(opened.message));
    if (opened.late) {
      const draft = await latestDraft(opened.view);
      const notice = draft ? `Se recuperó el borrador guardado el ${formatDateTime(draft.createdAt, timeZone)}.` : undefined;
      return res.type('html').send(responsePage(opened.view, [], deadlineWords, draft?.fields ?? {}, notice, undefined, opened.late).value);
    }
    if (!opened.writable) return res.type('html').send(readOnlyPage(opened.view, deadlineWords, cancelledNotice(opened.view)).value);
    const draft = await latestDraft(opened.view);
    const notice = draft ? `Se recuperó el borrador guardado el ${formatDateTime(draft.createdAt, timeZone)}.` : undefined;
    res.type('html').send(responsePage(opened.view, [], deadlineWords, draft?.fields ?? {}, notice).value);
  });

  router.post('/:workflowId/:token', async (req, res) => {
    const opened = await openLink(req);
    const form = Object.fromEntries(
      Object.entries((req.body ?? {}) as Record<string, unknown>).filter(([key, v]) => typeof v === 'string' && key !== '_csrf' && key !== 'intent'),
    ) as Record<string, string>;
    if ('message' in opened) {
      // Past the time for late answers: nothing is stored, but what was typed is shown back.
      if (opened.view) return res.status(opened.status).type('html').send(lateClosedPage(opened.message, typedFields(opened.view, form)).value);
      return res.status(opened.status).type('html').send(refusal(opened.message));
    }
    if (!opened.late && !opened.writable) return res.status(409).type('html').send(readOnlyPage(opened.view, deadlineWords, reviewLinkMessages['closed-readonly']).value);
    if ((req.body as Record<string, unknown>)?.intent === 'draft') {
      // Only the form's own fields, each within its length, and the whole within DRAFT_MAX_BYTES.
      const refused = draftProblems(opened.view, (req.body ?? {}) as Record<string, unknown>);
      if (refused) {
        return res.status(refused.status).type('html').send(responsePage(opened.view, [refused.message, ...refused.details], deadlineWords, form, undefined, 'No se pudo guardar el borrador:').value);
      }
      await reviews.saveDraft({ reviewWorkflowId: opened.view.workflowId, round: opened.view.round, fields: form });
      return res.type('html').send(responsePage(opened.view, [], deadlineWords, form, 'Borrador guardado. Puede volver con el mismo enlace y continuar.').value);
    }
    if (opened.late) return answerLate(res, opened.view, form, opened.late, 'closed');
    const submission = submissionFromForm(opened.view, form);
    try {
      const after = await cycles.submitResponse(opened.view.workflowId, submission, { source: 'form', raw: req.rawBody });
      res.type('html').send(responseReceivedPage(after).value);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === 'deadline_passed') {
        // The deadline came while the liaison typed: the answer is kept as extemporánea, never lost.
        const late = lateLink(opened.view);
        if ('late' in late && late.late) return answerLate(res, opened.view, form, late.late, 'refused');
      }
      res.status(error.httpStatus).type('html').send(responsePage(opened.view, [error.message, ...error.details], deadlineWords, form).value);
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

/** The form's non-empty fields with the names a person knows, in the form's order (shown back when refused). */
function typedFields(view: ReviewView, form: Record<string, string>): { label: string; value: string }[] {
  const known = draftFields(view);
  return [...known].filter(([name]) => form[name]?.trim()).map(([name, field]) => ({ label: field.label, value: form[name] as string }));
}

/** A draft is at most this size (names and values, in UTF-8). */
export const DRAFT_MAX_BYTES = 64 * 1024;

const fieldLabels: Record<string, [string, number]> = {
  action: ['acción', 20],
  justification: ['justificación', 4000],
  commitment: ['compromiso', 4000],
  council: ['acuerdo del Concejo', 200],
};

/** The form's fields for this review, each with the name a person knows and its length limit. */
function draftFields(view: ReviewView): Map<string, { label: string; max: number }> {
  const fields = new Map<string, { label: string; max: number }>([['respondentName', { label: 'nombre de quien responde', max: 200 }]]);
  for (const goal of view.goals) {
    const of = `de la meta ${goal.goalCode}`;
    for (const [name, [label, max]] of Object.entries(fieldLabels)) fields.set(`${name}__${goal.goalCode}`, { label: `${label} ${of}`, max });
    for (const q of [1, 2, 3, 4]) fields.set(`q${q}__${goal.goalCode}`, { label: `T${q} ${of}`, max: 40 });
    for (const y of goal.term?.annualTargets ?? []) {
      if (y.fiscalYear > view.fiscalYear) fields.set(`y${y.fiscalYear}__${goal.goalCode}`, { label: `vigencia ${y.fiscalYear} ${of}`, max: 40 });
    }
  }
  return fields;
}

/** Why a draft cannot be kept (413: too large; 422: unknown field, too long, characters no record holds), or null. */
function draftProblems(view: ReviewView, body: Record<string, unknown>): { status: number; message: string; details: string[] } | null {
  const entries = Object.entries(body).filter(([key]) => key !== '_csrf' && key !== 'intent');
  const size = entries.reduce((n, [key, value]) => n + Buffer.byteLength(key) + Buffer.byteLength(typeof value === 'string' ? value : JSON.stringify(value ?? '')), 0);
  if (size > DRAFT_MAX_BYTES) {
    return { status: 413, message: `El borrador supera el tamaño máximo de ${sizeWords(DRAFT_MAX_BYTES)} (${sizeWords(size)}); acorte los textos.`, details: [] };
  }
  const known = draftFields(view);
  const unknown = entries.filter(([key]) => !known.has(key)).map(([key]) => `«${sanitizeForMessage(key)}»`);
  if (unknown.length) {
    return { status: 422, message: `El borrador tiene campos que el formulario no conoce: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ` y ${unknown.length - 5} más` : ''}.`, details: [] };
  }
  const details: string[] = [];
  for (const [key, value] of entries) {
    const field = known.get(key) as { label: string; max: number };
    if (typeof value !== 'string') details.push(`${field.label}: envíe un solo valor de texto`);
    else if (value.length > field.max) details.push(`${field.label}: máximo ${field.max} caracteres (tiene ${value.length})`);
    else {
      const unsafe = findUnsafeInput(value);
      if (unsafe) details.push(describeUnsafeInput({ ...unsafe, path: [key] }, () => field.label));
    }
  }
  return details.length ? { status: 422, message: 'El borrador tiene campos inválidos.', details } : null;
}

/** A cancelled review tells the liaison why, and that no answer is needed. */
const cancelledNotice = (view: ReviewView) =>
  view.state === 'cancelled'
    ? `Esta revisión fue cancelada${view.cancellation ? ` por ${view.cancellation.by}: ${view.cancellation.reason}` : ''}. No necesita responder.`
    : undefined;

/**
 * A number as a person in Colombia types it (19.000 · 3,5 · 1.234,56; 19000 and 3.5 too). Text that
 * is no number, or is ambiguous (1.234.5), becomes NaN, which the answer's validation refuses by field.
 */
export function typedNumber(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return Number.NaN;
  const parsed = parseNumber(text, 'es');
  return parsed.ok ? parsed.value : Number.NaN;
}

function submissionFromForm(view: ReviewView, form: Record<string, string>): ResponseSubmission {
  const answers: GoalAnswer[] = view.goals.map((goal) => {
    const field = (name: string) => form[`${name}__${goal.goalCode}`] ?? '';
    const common = { goalCode: goal.goalCode, justification: field('justification'), commitment: field('commitment') };
    if (field('action') === 'reprogram') {
      const targets = [1, 2, 3, 4].map((q) => typedNumber(field(`q${q}`))) as [number, number, number, number];
      // Only the later years whose programming the liaison changed are moved.
      const changed = Object.fromEntries(
        (goal.term?.annualTargets ?? [])
          .filter((y) => y.fiscalYear > view.fiscalYear && field(`y${y.fiscalYear}`).trim() !== '')
          .map((y) => [String(y.fiscalYear), typedNumber(field(`y${y.fiscalYear}`)), y.annualTarget] as const)
          .filter(([, value, current]) => value !== current)
          .map(([year, value]) => [year, value]),
      );
      const council = field('council').trim();
      return {
        ...common,
        action: 'reprogram',
        newQuarterlyTargets: targets,
        ...(Object.keys(changed).length ? { futureAnnualTargets: changed } : {}),
        ...(council ? { councilAgreement: council } : {}),
      };
    }
    return { ...common, action: 'keep' };
  });
  return { respondent: { name: form.respondentName ?? '' }, answers };
}
