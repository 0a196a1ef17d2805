import { formatNumber, quarterLabel } from '../../domain/format';
import { byAlertPriority } from '../../domain/goalPriority';
import { html, type SafeHtml } from '../../domain/html';
import { goalStateLabels } from '../../machines/goalStatus';
import type { ReviewView } from '../../domain/reviewViews';
import type { FieldError, FormGoal } from '../responseFields';
import { page } from './layout';
import { goalCard } from './responseGoalCard';
import { consolidationCommitmentsTable, consolidationSection } from './responseConsolidation';
import type { ConsolidationGoal } from '../../domain/consolidation';

// The liaison's pages behind the signed link: the response form, the read-only answer, the refusals.

function reviewHeader(view: ReviewView): SafeHtml {
  return html`<h1>Revisión de metas · ${view.department.name}</h1>
<p>Vigencia ${view.fiscalYear}, ${quarterLabel(view.quarter)}. Estado: <strong>${goalStateLabels[view.state]}</strong>.${view.round > 1 ? ` Ronda ${view.round}.` : ''}</p>`;
}

/** The deadline in the office's words and time zone (server/responseForm.ts). */
export type DeadlineWords = (deadline: string) => string;

/** An answered or closed review: what was submitted, and where the review stands. On a phone the table reads as cards. */
export function readOnlyPage(
  view: ReviewView,
  deadlineWords: DeadlineWords,
  notice?: string,
  commitments: Parameters<typeof consolidationCommitmentsTable>[0] = [],
): SafeHtml {
  const rows = [...view.goals].sort(byAlertPriority).map((g) => {
    const answer = g.answer;
    const action = !answer
      ? 'Sin respuesta'
      : answer.action === 'reprogram'
        ? `Reprogramar: ${answer.newQuarterlyTargets.map((v, i) => `T${i + 1} ${formatNumber(v)}`).join(' · ')}`
        : 'Mantener la programación';
    return html`<tr><th scope="row" data-label="Meta">${g.goalCode}</th><td data-label="Nombre">${g.name}</td><td data-label="Estado">${goalStateLabels[g.state]}</td><td data-label="Acción">${action}</td><td data-label="Justificación">${answer?.justification ?? '—'}</td><td data-label="Compromiso">${answer?.commitment ?? '—'}</td></tr>`;
  });
  const deadline = view.deadline ? html`<p>Plazo: ${deadlineWords(view.deadline)}</p>` : '';
  return page(
    'Revisión de metas',
    html`<div class="response">${reviewHeader(view)}${deadline}${notice ? html`<p class="error" role="alert">${notice}</p>` : ''}<table class="answers-table"><caption>Respuesta registrada</caption><thead><tr><th scope="col">Meta</th><th scope="col">Nombre</th><th scope="col">Estado</th><th scope="col">Acción</th><th scope="col">Justificación</th><th scope="col">Compromiso</th></tr></thead><tbody>${rows}</tbody></table>${consolidationCommitmentsTable(commitments)}</div>`,
  );
}

/** The deadline as the form shows it: in words, and what is left (domain/timeLeft.ts), which the script keeps current. */
export interface DeadlineInfo {
  iso: string;
  words: string;
  timeLeft: string;
  timeZone: string;
  /** Business days up to the deadline (the script cannot know the holidays). */
  businessDates: string[];
}

export interface ResponseFormModel {
  view: ReviewView;
  /** The goals in the alert e-mail's order, with what the form shows of each. */
  goals: FormGoal[];
  /** Q3: the year's lagging goals not in alert, each asking for a commitment (absent: none). */
  consolidation?: readonly ConsolidationGoal[];
  /** The form's values (a saved draft, or what a refused submission carried): nothing typed is lost. */
  values: Record<string, string>;
  /** The name to offer when the values have none: this round's respondent, else the previous round's. */
  respondentName: string | null;
  deadline: DeadlineInfo | null;
  notice?: string;
  errors?: { title: string; problems: FieldError[] };
  /** After the deadline: the notice of a respuesta extemporánea (server/views/lateResponses.ts); the form stays open. */
  late?: SafeHtml;
}

/** The countdown line: rendered by the server, updated each minute by the script. */
function countdown(deadline: DeadlineInfo): SafeHtml {
  return html`<p class="countdown" id="cuenta-regresiva" data-deadline="${deadline.iso}" data-time-zone="${deadline.timeZone}" data-business-days="${deadline.businessDates.join(' ')}">Plazo: ${deadline.words} · <strong data-time-left>${deadline.timeLeft}</strong></p>`;
}

/** The summary of a refusal: focused on load, each problem a link to its field. */
function errorSummary(errors: NonNullable<ResponseFormModel['errors']>): SafeHtml {
  const count = errors.problems.filter((p) => p.field).length;
  const heading = count ? `${errors.title} ${count === 1 ? 'corrija 1 campo' : `corrija ${count} campos`}.` : errors.title;
  const items = errors.problems.map((p) => (p.field ? html`<li><a href="#${p.field}">${p.message}</a></li>` : html`<li>${p.message}</li>`));
  return html`<div class="error-summary" id="resumen-errores" role="alert" tabindex="-1" autofocus aria-labelledby="resumen-errores-titulo"><h2 id="resumen-errores-titulo">${heading}</h2>${errors.problems.length ? html`<ul>${items}</ul>` : ''}</div>`;
}

/** "3 de 13 metas respondidas": a goal counts once its justification is written. */
const answeredCount = (model: ResponseFormModel, justification: (code: string) => string) => model.goals.filter((g) => justification(g.goalCode).trim() !== '').length;

/**
 * The response form: works without JavaScript, better with server/assets/responseForm.js. Goals
 * come as cards in the alert e-mail's order, with a jump list and the progress at the top and the
 * buttons in a bar that stays at the bottom of a phone's screen.
 */
export function responsePage(model: ResponseFormModel): SafeHtml {
  const { view, values } = model;
  const problems = new Map((model.errors?.problems ?? []).flatMap((p) => (p.field ? [[p.field, p.message] as const] : [])));
  const value = (id: string, fallback: unknown = '') => String(values[id] ?? fallback ?? '');
  const state = { value, error: (id: string) => problems.get(id) };
  const summary = model.errors ? errorSummary(model.errors) : '';
  const noticeBox = model.notice ? html`<p class="ok" role="status">${model.notice}</p>` : '';
  const header = html`${reviewHeader(view)}${model.deadline ? countdown(model.deadline) : ''}`;
  if (!model.late && !view.allowedActions.includes('submitResponse')) {
    return page('Revisión de metas', html`${header}${summary}<p>Esta revisión no está recibiendo respuestas.</p>`);
  }
  const latestChange = view.changeRequests.at(-1);
  const changes = latestChange ? html`<div class="note" role="note"><p>La coordinación solicitó ajustes: ${latestChange.comment}</p></div>` : '';
  const justification = (code: string) => value(`justification__${code}`, model.goals.find((g) => g.goalCode === code)?.answer?.justification);
  const answered = answeredCount(model, justification);
  const jumpList = model.goals.map((g) => {
    const done = justification(g.goalCode).trim() !== '';
    return html`<li data-jump="${g.goalCode}"${done ? html` class="answered"` : ''}><a href="#meta-${g.goalCode}"><span class="jump-code">${g.goalCode}</span> ${g.name}<span class="jump-state">${done ? ' · respondida' : ' · pendiente'}</span></a></li>`;
  });
  const name = fieldErrorOf('respondentName', problems);
  const cards = model.goals.map((g) => goalCard(view, g, state));
  return page(
    'Revisión de metas',
    html`<div class="response">${header}${model.late ?? ''}${summary}${noticeBox}${changes}
<form method="post" class="response-form" novalidate>
<label for="respondentName">Nombre de quien responde</label>${name.message}<input id="respondentName" name="respondentName" autocomplete="name" aria-required="true" value="${value('respondentName', model.respondentName ?? '')}"${name.attributes}>
<nav class="jump-list" aria-labelledby="progreso"><p id="progreso" class="progress" role="status" data-total="${model.goals.length}">${answered} de ${model.goals.length} ${model.goals.length === 1 ? 'meta respondida' : 'metas respondidas'}</p><ol>${jumpList}</ol></nav>
${cards}
${consolidationSection(model.consolidation ?? [], state)}
<div class="submit-bar"><button type="submit" name="intent" value="submit" class="primary">Enviar respuesta</button><button type="submit" name="intent" value="draft" class="secondary" formnovalidate>Guardar borrador</button></div>
</form></div>`,
    { scripts: [RESPONSE_FORM_SCRIPT] },
  );
}

/** The progressive enhancement of the form (read-back, differences, countdown, "Mantener" hides the targets). */
export const RESPONSE_FORM_SCRIPT = '/assets/responseForm.js';

function fieldErrorOf(id: string, problems: Map<string, string>): { message: SafeHtml | ''; attributes: SafeHtml | '' } {
  const message = problems.get(id);
  if (!message) return { message: '', attributes: '' };
  return { message: html`<p class="field-error" id="error-${id}">${message}</p>`, attributes: html` aria-invalid="true" aria-describedby="error-${id}"` };
}

export const tooManyRequestsPage = (): SafeHtml =>
  page('Demasiadas solicitudes', html`<h1>Demasiadas solicitudes</h1><p class="error">Espere un minuto e intente de nuevo.</p>`);

/** Why a link cannot be opened (invalid, foreign, expired, unknown review). */
export const linkRefusalPage = (message: string): SafeHtml =>
  page('Enlace no disponible', html`<h1>No es posible abrir este enlace</h1><p class="error" role="alert">${message}</p>`);

export const responseReceivedPage = (after: ReviewView): SafeHtml =>
  page(
    'Respuesta recibida',
    html`<h1>Respuesta recibida</h1><p class="ok" role="status">Gracias. La respuesta de ${after.department.name} quedó registrada y pasa a acuerdo con la coordinación del MMSE. Recibirá una copia por correo.</p><p>Estado: ${goalStateLabels[after.state]}</p>`,
  );
