import express, { type Request } from 'express';
import { rateLimit } from 'express-rate-limit';
import { linkStatus, reviewLinkMessages, verifyReviewLink } from '../auth/reviewLinks';
import { goalStatusLabels } from '../domain/goals';
import type { GoalAnswer, ResponseSubmission } from '../domain/review';
import { goalStateLabels } from '../machines/goalStatus';
import type { CycleService } from '../services/cycles';
import { and, desc, eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { AppError } from '../services/errors';
import type { ReviewView } from '../domain/reviewViews';
import { escapeHtml, page } from './html';
import { describeUnsafeInput, findUnsafeInput, sanitizeForMessage, sizeWords } from '../domain/inputText';

/**
 * The liaison's response form, reached only through the personal signed link of the alert e-mail
 * (`/responder/<review>/<token>`): the link names the review and the department, and is valid
 * until the review's current deadline (an extension moves it). Works without JavaScript.
 */
export function createResponseFormRouter({ cycles, db, timeZone, linkKey }: { cycles: CycleService; db: Database; timeZone: string; linkKey: Buffer }) {
  /** The latest draft of this round of the review, if the liaison saved one. */
  const latestDraft = async (view: ReviewView) =>
    (
      await db
        .select({ fields: t.responseDrafts.fields, createdAt: t.responseDrafts.createdAt })
        .from(t.responseDrafts)
        .where(and(eq(t.responseDrafts.reviewWorkflowId, view.workflowId), eq(t.responseDrafts.round, view.round)))
        .orderBy(desc(t.responseDrafts.id))
        .limit(1)
    )[0];

  const router = express.Router();
  // Links are guessable by nobody, but a flood of attempts is still refused.
  router.use(
    rateLimit({
      windowMs: 60_000,
      limit: 60,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, res) => {
        res.status(429).type('html').send(page('Demasiadas solicitudes', '<h1>Demasiadas solicitudes</h1><p class="error">Espere un minuto e intente de nuevo.</p>'));
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
    const [stored] = await db
      .select({ status: t.departmentReviews.status, departmentCode: t.departmentReviews.departmentCode, completedAt: t.departmentReviews.completedAt })
      .from(t.departmentReviews)
      .where(eq(t.departmentReviews.workflowId, workflowId));
    if (stored?.completedAt && stored.status === 'noAdjustment' && stored.departmentCode === verified.payload.departmentCode) {
      return { status: 410, message: reviewLinkMessages.expired };
    }
    let view: ReviewView;
    try {
      view = await cycles.reviewStatus(workflowId);
    } catch (error) {
      if (error instanceof AppError && error.code === 'not_found') return { status: 404, message: 'Esta revisión no existe.' };
      throw error;
    }
    const status = linkStatus(verified.payload, { workflowId, departmentCode: view.department.code, deadline: view.deadline, status: view.status });
    if (status === 'foreign') return { status: 403, message: reviewLinkMessages.foreign };
    // A review closed by its deadline (constancia recorded) is an expired link, not a read-only answer.
    if (status === 'expired' || view.status === 'noAdjustment') return { status: 410, message: reviewLinkMessages.expired };
    return { view, writable: status === 'valid' && view.allowedActions.includes('submitResponse') };
  }

  const refusal = (message: string) => page('Enlace no disponible', `<h1>No es posible abrir este enlace</h1><p class="error" role="alert">${escapeHtml(message)}</p>`);

  router.get('/:workflowId/:token', async (req, res) => {
    const opened = await openLink(req);
    if ('message' in opened) return res.status(opened.status).type('html').send(refusal(opened.message));
    if (!opened.writable) return res.type('html').send(readOnlyPage(opened.view, timeZone, cancelledNotice(opened.view)));
    const draft = await latestDraft(opened.view);
    const notice = draft ? `Se recuperó el borrador guardado el ${new Date(draft.createdAt).toLocaleString('es-CO', { timeZone })}.` : undefined;
    res.type('html').send(responsePage(opened.view, [], timeZone, draft?.fields ?? {}, notice));
  });

  router.post('/:workflowId/:token', async (req, res) => {
    const opened = await openLink(req);
    if ('message' in opened) return res.status(opened.status).type('html').send(refusal(opened.message));
    if (!opened.writable) return res.status(409).type('html').send(readOnlyPage(opened.view, timeZone, reviewLinkMessages['closed-readonly']));
    const form = Object.fromEntries(
      Object.entries((req.body ?? {}) as Record<string, unknown>).filter(([key, v]) => typeof v === 'string' && key !== '_csrf' && key !== 'intent'),
    ) as Record<string, string>;
    if ((req.body as Record<string, unknown>)?.intent === 'draft') {
      // Only the form's own fields, each within its length, and the whole within DRAFT_MAX_BYTES.
      const refused = draftProblems(opened.view, (req.body ?? {}) as Record<string, unknown>);
      if (refused) {
        return res.status(refused.status).type('html').send(responsePage(opened.view, [refused.message, ...refused.details], timeZone, form, undefined, 'No se pudo guardar el borrador:'));
      }
      await db.insert(t.responseDrafts).values({ reviewWorkflowId: opened.view.workflowId, round: opened.view.round, fields: form });
      return res.type('html').send(responsePage(opened.view, [], timeZone, form, 'Borrador guardado. Puede volver con el mismo enlace y continuar.'));
    }
    const submission = submissionFromForm(opened.view, form);
    try {
      const after = await cycles.submitResponse(opened.view.workflowId, submission, { source: 'form', raw: req.rawBody });
      res.type('html').send(
        page(
          'Respuesta recibida',
          `<h1>Respuesta recibida</h1><p class="ok" role="status">Gracias. La respuesta de ${escapeHtml(after.department.name)} quedó registrada y pasa a acuerdo con la coordinación del MMSE. Recibirá una copia por correo.</p><p>Estado: ${escapeHtml(goalStateLabels[after.status])}</p>`,
        ),
      );
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      res.status(error.httpStatus).type('html').send(responsePage(opened.view, [error.message, ...error.details], timeZone, form));
    }
  });

  return router;
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

const formatDeadline = (deadline: string | null, timeZone: string) =>
  deadline ? new Date(deadline).toLocaleString('es-CO', { timeZone, dateStyle: 'long', timeStyle: 'short' }) : '—';

function reviewHeader(view: ReviewView, timeZone: string): string {
  return `<h1>Revisión de metas · ${escapeHtml(view.department.name)}</h1>
<p>Vigencia ${view.fiscalYear}, trimestre T${view.quarter}. Estado: <strong>${escapeHtml(goalStateLabels[view.status])}</strong>.
${view.deadline ? `Plazo: ${escapeHtml(formatDeadline(view.deadline, timeZone))}` : ''}</p>`;
}

/** An answered or closed review: what was submitted, and where the review stands. */
/** A cancelled review tells the liaison why, and that no answer is needed. */
const cancelledNotice = (view: ReviewView) =>
  view.status === 'cancelled'
    ? `Esta revisión fue cancelada${view.cancellation ? ` por ${view.cancellation.by}: ${view.cancellation.reason}` : ''}. No necesita responder.`
    : undefined;

function readOnlyPage(view: ReviewView, timeZone: string, notice?: string): string {
  const rows = view.goals
    .map((g) => {
      const answer = g.answer;
      const action = !answer ? 'Sin respuesta' : answer.action === 'reprogram' ? `Reprogramar: ${answer.newQuarterlyTargets.join(' · ')}` : 'Mantener la programación';
      return `<tr><th scope="row">${escapeHtml(g.goalCode)}</th><td>${escapeHtml(g.name)}</td><td>${escapeHtml(goalStateLabels[g.state])}</td><td>${escapeHtml(action)}</td><td>${escapeHtml(answer?.justification ?? '—')}</td><td>${escapeHtml(answer?.commitment ?? '—')}</td></tr>`;
    })
    .join('');
  return page(
    'Revisión de metas',
    `${reviewHeader(view, timeZone)}${notice ? `<p class="error" role="alert">${escapeHtml(notice)}</p>` : ''}<table><caption>Respuesta registrada</caption><thead><tr><th scope="col">Meta</th><th scope="col">Nombre</th><th scope="col">Estado</th><th scope="col">Acción</th><th scope="col">Justificación</th><th scope="col">Compromiso</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}

const numberOrNaN = (text: string | undefined) => (text === undefined || text.trim() === '' ? Number.NaN : Number(text.replace(',', '.')));

function submissionFromForm(view: ReviewView, form: Record<string, string>): ResponseSubmission {
  const answers: GoalAnswer[] = view.goals.map((goal) => {
    const field = (name: string) => form[`${name}__${goal.goalCode}`] ?? '';
    const common = { goalCode: goal.goalCode, justification: field('justification'), commitment: field('commitment') };
    if (field('action') === 'reprogram') {
      const targets = [1, 2, 3, 4].map((q) => numberOrNaN(field(`q${q}`))) as [number, number, number, number];
      // Only the later years whose programming the liaison changed are moved.
      const changed = Object.fromEntries(
        (goal.term?.annualTargets ?? [])
          .filter((y) => y.fiscalYear > view.fiscalYear && field(`y${y.fiscalYear}`).trim() !== '')
          .map((y) => [String(y.fiscalYear), numberOrNaN(field(`y${y.fiscalYear}`)), y.annualTarget] as const)
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

/**
 * Later years of the term, to move what is pending there (the meta cuatrienio must stay), and the
 * Acuerdo del Concejo that authorises changing it when it does change.
 */
function futureYears(view: ReviewView, goal: ReviewView['goals'][number], value: (name: string, fallback?: unknown) => string): string {
  const later = (goal.term?.annualTargets ?? []).filter((y) => y.fiscalYear > view.fiscalYear);
  const previous = goal.answer?.action === 'reprogram' ? goal.answer : null;
  const id = (name: string) => `${name}__${goal.goalCode}`;
  const inputs = later
    .map(
      (y) =>
        `<div><label for="${id(`y${y.fiscalYear}`)}">${y.fiscalYear}</label><input id="${id(`y${y.fiscalYear}`)}" name="${id(`y${y.fiscalYear}`)}" inputmode="decimal" value="${value(`y${y.fiscalYear}`, previous?.futureAnnualTargets?.[String(y.fiscalYear)] ?? y.annualTarget ?? '')}"></div>`,
    )
    .join('');
  return `${later.length ? `<p>Programación de las vigencias siguientes (para trasladar lo pendiente; la meta cuatrienio debe mantenerse):</p><div class="targets">${inputs}</div>` : ''}
<label for="${id('council')}">Acuerdo del Concejo (solo si el cambio modifica la meta cuatrienio)</label><input id="${id('council')}" name="${id('council')}" value="${value('council', previous?.councilAgreement ?? '')}">`;
}

/**
 * The response form: works without JavaScript; one fieldset per flagged goal. `values` refills it
 * (from a saved draft, or from a submission the workflow refused) so nothing typed is lost.
 */
function responsePage(
  view: ReviewView,
  errors: string[],
  timeZone: string,
  values: Record<string, string> = {},
  notice?: string,
  errorTitle = 'No se pudo registrar la respuesta:',
): string {
  const errorBox = errors.length
    ? `<div class="error" role="alert"><p>${escapeHtml(errorTitle)}</p><ul>${errors.map((e) => `<li>${escapeHtml(e)}</li>`).join('')}</ul></div>`
    : '';
  const noticeBox = notice ? `<p class="ok" role="status">${escapeHtml(notice)}</p>` : '';
  const header = reviewHeader(view, timeZone);
  if (!view.allowedActions.includes('submitResponse')) {
    return page('Revisión de metas', `${header}${errorBox}<p>Esta revisión no está recibiendo respuestas.</p>`);
  }
  const latestChange = view.changeRequests.at(-1);
  const changes = latestChange
    ? `<div class="error" role="note"><p>La coordinación solicitó ajustes: ${escapeHtml(latestChange.comment)}</p></div>`
    : '';
  const goals = view.goals
    .map((g) => {
      const id = (name: string) => `${name}__${g.goalCode}`;
      const value = (name: string, fallback: unknown = '') => escapeHtml(values[id(name)] ?? fallback);
      const m = g.measurement;
      const previous = g.answer;
      const action = values[id('action')] ?? previous?.action ?? 'keep';
      const targets = [1, 2, 3, 4]
        .map((q) => {
          const fallback = previous?.action === 'reprogram' ? previous.newQuarterlyTargets[q - 1] : g.programming.quarterlyTargets?.[q - 1];
          return `<div><label for="${id(`q${q}`)}">T${q}</label><input id="${id(`q${q}`)}" name="${id(`q${q}`)}" inputmode="decimal" value="${value(`q${q}`, fallback ?? '')}"></div>`;
        })
        .join('');
      const option = (v: string, label: string) => `<option value="${v}"${action === v ? ' selected' : ''}>${label}</option>`;
      return `<fieldset><legend>${escapeHtml(g.goalCode)} · ${escapeHtml(g.name)}</legend>
<p>Estado: <strong>${escapeHtml(g.status ? goalStatusLabels[g.status] : '—')}</strong>. Programado en el año: ${escapeHtml(g.programming.annualTarget ?? '—')}; esperado a la fecha: ${escapeHtml(m?.expectedToDate)}; ejecutado: ${escapeHtml(m?.executedToDate ?? 'sin reporte')}.</p>
<label for="${id('action')}">Acción</label>
<select id="${id('action')}" name="${id('action')}">${option('keep', 'Mantener la programación')}${option('reprogram', 'Proponer reprogramación')}</select>
<label for="${id('justification')}">Justificación</label><textarea id="${id('justification')}" name="${id('justification')}" rows="3">${value('justification', previous?.justification)}</textarea>
<label for="${id('commitment')}">Compromiso</label><textarea id="${id('commitment')}" name="${id('commitment')}" rows="2">${value('commitment', previous?.commitment)}</textarea>
<p>Nueva programación trimestral (solo si propone reprogramar):</p><div class="targets">${targets}</div>
${futureYears(view, g, value)}
</fieldset>`;
    })
    .join('');
  return page(
    'Revisión de metas',
    `${header}${noticeBox}${changes}${errorBox}<form method="post"><label for="respondentName">Nombre de quien responde</label><input id="respondentName" name="respondentName" autocomplete="name" required value="${escapeHtml(values.respondentName ?? '')}">${goals}
<p><button type="submit" name="intent" value="submit">Enviar respuesta</button> <button type="submit" name="intent" value="draft" formnovalidate>Guardar borrador</button></p></form>`,
  );
}
