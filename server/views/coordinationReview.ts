import { html, multiline, type SafeHtml } from '../../domain/html';
import { cycleTitle, formatNumber } from '../../domain/format';
import type { ReviewView } from '../../domain/reviewViews';
import { answerCounts, reviewPagePath } from './coordination';
import { keptGoal, reprogrammedGoal, unansweredGoals } from './coordinationComparison';
import { consolidationCommitmentsTable } from './responseConsolidation';

// One review on the coordinator's desk (/coordinacion/<id>): who answered and when, every goal's
// answer with the programming before and after, and the actions the review allows, once.

export type CoordinatorForm = 'approve' | 'requestChanges' | 'extension' | 'note' | 'resend';

/** A refused action, shown in its own form with everything typed kept. */
export interface FormRefusal {
  form: CoordinatorForm;
  /** The field the message belongs to (its name). */
  field: string;
  message: string;
  details: string[];
  values: Record<string, string>;
}

export interface ReviewPageData {
  view: ReviewView;
  csrf: string;
  stateLabel: string;
  /** The latest accepted answer's arrival, in words. */
  received: string | null;
  deadline: string | null;
  timeLeft: string | null;
  /** An instant in words (notes, requests for changes). */
  when: (iso: string) => string;
  notice: { kind: 'ok' | 'error'; text: string } | null;
  refusal: FormRefusal | null;
  /** Q3: the commitments the answer made on the year's other lagging goals (PE-P-008 task 4). */
  commitments: Parameters<typeof consolidationCommitmentsTable>[0];
}

/** The id of each field a refusal can point at. */
const fieldIds: Record<string, string> = {
  'approve comment': 'aprobar-comentario',
  'approve confirm': 'aprobar-confirmacion',
  'requestChanges comment': 'ajustes-comentario',
  'requestChanges window': 'ajustes-plazo',
  'extension reason': 'ampliar-motivo',
  'extension window': 'ampliar-plazo',
  'note text': 'nota-texto',
};
const formSections: Record<CoordinatorForm, string> = { approve: 'decidir', requestChanges: 'decidir', extension: 'acciones', resend: 'acciones', note: 'notas' };
const fieldId = (form: CoordinatorForm, field: string) => fieldIds[`${form} ${field}`] ?? formSections[form];

const windowOptions = (options: [string, string][], chosen: string | undefined) =>
  options.map(([value, label]) => html`<option value="${value}"${value === chosen ? html` selected` : ''}>${label}</option>`);

/** The attributes and message of a field the last refusal was about. */
function fieldState(data: ReviewPageData, form: CoordinatorForm, field: string) {
  const id = fieldId(form, field);
  const refusal = data.refusal?.form === form && data.refusal.field === field ? data.refusal : null;
  const value = data.refusal?.form === form ? (data.refusal.values[field] ?? '') : '';
  const attributes = refusal ? html` aria-invalid="true" aria-describedby="${id}-error" autofocus` : '';
  const message = refusal
    ? html`<p class="field-error" id="${id}-error" role="alert">${refusal.message}${refusal.details.length ? html`<span class="details">: ${refusal.details.join('; ')}</span>` : ''}</p>`
    : '';
  return { value, attributes, message };
}

const hidden = (csrf: string, decision?: string) =>
  html`<input type="hidden" name="_csrf" value="${csrf}">${decision ? html`<input type="hidden" name="decision" value="${decision}">` : ''}`;

function decisionForms(data: ReviewPageData): SafeHtml {
  const { view, csrf } = data;
  const action = `${reviewPagePath(view.workflowId)}/decision`;
  const { reprogram } = answerCounts(view);
  const approveComment = fieldState(data, 'approve', 'comment');
  const approveConfirm = fieldState(data, 'approve', 'confirm');
  const changesComment = fieldState(data, 'requestChanges', 'comment');
  const changesWindow = data.refusal?.form === 'requestChanges' ? data.refusal.values.window : undefined;
  const applies = reprogram
    ? `Se aplicará la nueva programación de ${formatNumber(reprogram)} ${reprogram === 1 ? 'meta' : 'metas'} como nueva versión del plan de acción; las demás quedan con su compromiso.`
    : 'Todas las metas se mantienen con su compromiso; la programación no cambia.';
  return html`<section aria-labelledby="decidir" class="decision"><h2 id="decidir">Decisión</h2>
<div class="decision-forms">
<form method="post" action="${action}" class="panel">${hidden(csrf, 'approve')}
<h3>Aprobar</h3><p>${applies}</p>
<label for="aprobar-comentario">Comentario para la dependencia (opcional)</label>
<textarea id="aprobar-comentario" name="comment" rows="3" maxlength="4000"${approveComment.attributes}>${approveComment.value}</textarea>${approveComment.message}
<label class="choice" for="aprobar-confirmacion"><input type="checkbox" id="aprobar-confirmacion" name="confirm" value="si" required${approveConfirm.attributes}> Confirmo que acordé esta respuesta con la dependencia</label>${approveConfirm.message}
<p><button type="submit">Aprobar</button></p></form>
<form method="post" action="${action}" class="panel">${hidden(csrf, 'requestChanges')}
<h3>Solicitar ajustes</h3><p>La dependencia recibirá su comentario y un nuevo plazo para responder.</p>
<label for="ajustes-comentario">Qué debe ajustar la dependencia</label>
<textarea id="ajustes-comentario" name="comment" rows="3" required minlength="10" maxlength="4000"${changesComment.attributes}>${changesComment.value}</textarea>${changesComment.message}
<label for="ajustes-plazo">Nuevo plazo de respuesta</label>
<select id="ajustes-plazo" name="window">${windowOptions([['5d', '5 días hábiles'], ['10d', '10 días hábiles']], changesWindow)}</select>
<p><button type="submit" class="secondary">Solicitar ajustes</button></p></form>
</div></section>`;
}

function waitingForms(data: ReviewPageData): SafeHtml {
  const { view, csrf } = data;
  const base = reviewPagePath(view.workflowId);
  const can = (action: ReviewView['allowedActions'][number]) => view.allowedActions.includes(action);
  const reason = fieldState(data, 'extension', 'reason');
  const chosen = data.refusal?.form === 'extension' ? data.refusal.values.window : undefined;
  const extension = can('extendDeadline')
    ? html`<form method="post" action="${base}/extension" class="panel">${hidden(csrf)}<h3>Ampliar el plazo</h3>
<label for="ampliar-motivo">Motivo de la ampliación</label>
<input id="ampliar-motivo" name="reason" required minlength="10" maxlength="4000" value="${reason.value}"${reason.attributes}>${reason.message}
<label for="ampliar-plazo">Ampliar en</label><select id="ampliar-plazo" name="window">${windowOptions([['3d', '3 días hábiles'], ['5d', '5 días hábiles']], chosen)}</select>
<p><button type="submit">Ampliar plazo</button></p></form>`
    : '';
  const resend = can('resendAlert')
    ? html`<form method="post" action="${base}/alert-resend" class="panel">${hidden(csrf)}<h3>Reenviar la alerta</h3>
<p>La dependencia recibirá de nuevo el reporte de alerta con su enlace personal.</p>
<p><button type="submit" class="secondary">Reenviar alerta</button></p></form>`
    : '';
  if (!extension && !resend) return html``;
  return html`<section aria-labelledby="acciones"><h2 id="acciones">Acciones</h2><div class="decision-forms">${extension}${resend}</div></section>`;
}

function notesSection(data: ReviewPageData): SafeHtml {
  const { view, csrf } = data;
  const notes = view.notes ?? [];
  const text = fieldState(data, 'note', 'text');
  const list = notes.length
    ? html`<ul class="notes">${notes.map((n) => html`<li><strong>${n.coordinator}</strong>, ${data.when(n.at)}: ${multiline(n.text)}</li>`)}</ul>`
    : html`<p>Sin notas.</p>`;
  const form = view.allowedActions.includes('addNote')
    ? html`<form method="post" action="${reviewPagePath(view.workflowId)}/notes">${hidden(csrf)}
<label for="nota-texto">Nueva nota (queda en la revisión y en el registro de auditoría)</label>
<textarea id="nota-texto" name="text" rows="2" required minlength="3" maxlength="4000"${text.attributes}>${text.value}</textarea>${text.message}
<p><button type="submit" class="secondary">Agregar nota</button></p></form>`
    : '';
  return html`<section aria-labelledby="notas"><h2 id="notas">Notas de coordinación</h2>${list}${form}</section>`;
}

function facts(data: ReviewPageData): SafeHtml {
  const { view } = data;
  const respondent = view.respondent ? html`${view.respondent.name}${view.respondent.email ? html` (${view.respondent.email})` : ''}` : 'Aún no responde';
  const requests = view.changeRequests.length
    ? html`<dt>Ajustes solicitados antes</dt><dd><ol>${view.changeRequests.map((c) => html`<li>${multiline(c.comment)} <span class="hint">(plazo: ${data.when(c.deadline)})</span></li>`)}</ol></dd>`
    : '';
  const waiting = view.state === 'awaitingResponse' || view.state === 'alerted';
  return html`<dl class="facts review-facts"><dt>Estado</dt><dd><span class="badge">${data.stateLabel}</span></dd>
<dt>Ronda</dt><dd>${formatNumber(view.round)}</dd>
<dt>Respondió</dt><dd>${respondent}</dd>
<dt>Recibida</dt><dd>${data.received ?? (view.respondent ? 'Sin registro' : '—')}</dd>
${waiting ? html`<dt>Plazo de respuesta</dt><dd>${data.deadline ?? 'Sin plazo'}${data.timeLeft ? html` · ${data.timeLeft}` : ''}</dd>` : ''}${requests}</dl>`;
}

function goalsSection(view: ReviewView): SafeHtml {
  const reprogrammed = view.goals.filter((g) => g.answer?.action === 'reprogram');
  const kept = view.goals.filter((g) => g.answer?.action === 'keep');
  const unanswered = view.goals.filter((g) => !g.answer);
  const { reprogram, keep } = answerCounts(view);
  const summary =
    reprogram || keep
      ? html`<p class="summary">${formatNumber(reprogram)} ${reprogram === 1 ? 'meta propone' : 'metas proponen'} reprogramación · ${formatNumber(keep)} ${keep === 1 ? 'se mantiene' : 'se mantienen'} con compromiso.</p>`
      : '';
  return html`${summary}
${reprogrammed.length ? html`<section aria-labelledby="propuestas"><h2 id="propuestas">Propuestas de reprogramación (${formatNumber(reprogrammed.length)})</h2>${reprogrammed.map((g) => reprogrammedGoal(g, view.fiscalYear, view.quarter))}</section>` : ''}
${kept.length ? html`<section aria-labelledby="mantienen"><h2 id="mantienen">Metas que se mantienen (${formatNumber(kept.length)})</h2>${kept.map(keptGoal)}</section>` : ''}
${unanswered.length ? html`<section aria-labelledby="sin-respuesta"><h2 id="sin-respuesta">Metas sin respuesta (${formatNumber(unanswered.length)})</h2>${unansweredGoals(unanswered)}</section>` : ''}`;
}

function actions(data: ReviewPageData): SafeHtml {
  const { view } = data;
  if (view.allowedActions.includes('decide')) return decisionForms(data);
  if (view.state === 'awaitingResponse' || view.state === 'alerted') return waitingForms(data);
  return html`<p class="note">Esta revisión no espera una decisión de coordinación (estado: ${data.stateLabel}). <a href="/ciclos/${view.cycleWorkflowId}">Ver el ciclo</a></p>`;
}

/** The review page: header facts, a notice, the goals compared, the actions, the notes. */
export function reviewPage(data: ReviewPageData): SafeHtml {
  const { view } = data;
  const notice = data.notice ? html`<p class="${data.notice.kind}" role="${data.notice.kind === 'ok' ? 'status' : 'alert'}">${data.notice.text}</p>` : '';
  const summary = data.refusal
    ? html`<div class="error" role="alert"><p>No fue posible registrar la acción: ${data.refusal.message}</p>${
        data.refusal.details.length ? html`<ul>${data.refusal.details.map((d) => html`<li>${d}</li>`)}</ul>` : ''
      }<p><a href="#${fieldId(data.refusal.form, data.refusal.field)}">Ir al campo</a></p></div>`
    : '';
  return html`<p><a href="/coordinacion">← Bandeja de coordinación</a></p>
<h1>${view.department.name} <span class="subtitle">${cycleTitle(view.fiscalYear, view.quarter)}</span></h1>${notice}${summary}
${facts(data)}
${goalsSection(view)}
${consolidationCommitmentsTable(data.commitments)}
${actions(data)}
${notesSection(data)}`;
}
