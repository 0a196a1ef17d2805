import { html, type SafeHtml } from '../../domain/html';
import { cycleTitle, formatNumber } from '../../domain/format';
import type { ReviewView } from '../../domain/reviewViews';

// The coordinator's inbox (/coordinacion): one compact row per review, each opening its own page
// (server/views/coordinationReview.ts), where the actions are. No form is repeated here.

/** "Revisión trimestral 2026 · T3": how the office names a quarter's review (the year is not a quantity: no "2.026"). */

/** Where the coordinator opens one review. */
export const reviewPagePath = (workflowId: string) => `/coordinacion/${encodeURIComponent(workflowId)}`;

/** A review waiting for the coordinator's agreement, with when its answer arrived. */
export interface AgreementRow {
  view: ReviewView;
  /** The latest accepted answer's arrival, in words; null when none is recorded. */
  received: string | null;
}

/** A review waiting for the department's answer, with its deadline in words and the time left. */
export interface WaitingRow {
  view: ReviewView;
  deadline: string | null;
  timeLeft: string | null;
  /** "Esperando respuesta" or "Cambios solicitados". */
  stateLabel: string;
}

export interface InboxData {
  agreements: AgreementRow[];
  waiting: WaitingRow[];
  /** What the last action did ("Decisión registrada…"), announced once. */
  notice: { kind: 'ok' | 'error'; text: string } | null;
}

/** "2 reprogramar · 11 mantener" for a review's answers. */
export function answerCounts(view: ReviewView): { reprogram: number; keep: number } {
  const reprogram = view.goals.filter((g) => g.answer?.action === 'reprogram').length;
  const keep = view.goals.filter((g) => g.answer?.action === 'keep').length;
  return { reprogram, keep };
}

const metas = (n: number) => `${formatNumber(n)} ${n === 1 ? 'meta' : 'metas'}`;

function agreementRow({ view, received }: AgreementRow): SafeHtml {
  const { reprogram, keep } = answerCounts(view);
  const department = view.department.name;
  return html`<tr>
<th scope="row" data-label="Dependencia">${department}</th>
<td data-label="Ciclo">${cycleTitle(view.fiscalYear, view.quarter)}</td>
<td data-label="Ronda" class="num">${formatNumber(view.round)}</td>
<td data-label="Recibida">${received ?? 'Sin registro'}</td>
<td data-label="Propuestas"><span class="proposal-count${reprogram ? ' has-changes' : ''}">${metas(reprogram)} con reprogramación</span><br>${metas(keep)} se mantienen</td>
<td data-label="Acción"><a class="button-link" href="${reviewPagePath(view.workflowId)}" aria-label="Revisar la respuesta de ${department}, ${cycleTitle(view.fiscalYear, view.quarter)}">Revisar</a></td>
</tr>`;
}

function waitingRow({ view, deadline, timeLeft, stateLabel }: WaitingRow): SafeHtml {
  const department = view.department.name;
  return html`<tr>
<th scope="row" data-label="Dependencia">${department}</th>
<td data-label="Ciclo">${cycleTitle(view.fiscalYear, view.quarter)}</td>
<td data-label="Estado">${stateLabel}${view.round > 1 ? html` (ronda ${formatNumber(view.round)})` : ''}</td>
<td data-label="Plazo de respuesta">${deadline ?? 'Sin plazo'}${timeLeft ? html`<br><span class="hint">${timeLeft}</span>` : ''}</td>
<td data-label="Acción"><a href="${reviewPagePath(view.workflowId)}" aria-label="Ver la revisión de ${department}, ${cycleTitle(view.fiscalYear, view.quarter)}">Ver</a></td>
</tr>`;
}

function agreementsSection(rows: AgreementRow[]): SafeHtml {
  return html`<section aria-labelledby="acordar"><h2 id="acordar">Respuestas para acordar (${formatNumber(rows.length)})</h2>${
    rows.length
      ? html`<table class="inbox cards"><caption class="visually-hidden">Respuestas de las dependencias que esperan su acuerdo</caption>
<thead><tr><th scope="col">Dependencia</th><th scope="col">Ciclo</th><th scope="col" class="num">Ronda</th><th scope="col">Recibida</th><th scope="col">Propuestas</th><th scope="col"><span class="visually-hidden">Acción</span></th></tr></thead>
<tbody>${rows.map(agreementRow)}</tbody></table>`
      : html`<p>No hay respuestas pendientes de acuerdo.</p>`
  }</section>`;
}

function waitingSection(rows: WaitingRow[]): SafeHtml {
  return html`<section aria-labelledby="esperando"><h2 id="esperando">Esperando respuesta (${formatNumber(rows.length)})</h2>${
    rows.length
      ? html`<table class="inbox cards"><caption class="visually-hidden">Revisiones que esperan la respuesta de la dependencia</caption>
<thead><tr><th scope="col">Dependencia</th><th scope="col">Ciclo</th><th scope="col">Estado</th><th scope="col">Plazo de respuesta</th><th scope="col"><span class="visually-hidden">Acción</span></th></tr></thead>
<tbody>${rows.map(waitingRow)}</tbody></table>`
      : html`<p>Ninguna revisión espera respuesta.</p>`
  }</section>`;
}

/** The inbox: a notice of the last action, then one section per kind of pending work. */
export function inboxPage(data: InboxData): SafeHtml {
  const notice = data.notice
    ? html`<p class="${data.notice.kind}" role="${data.notice.kind === 'ok' ? 'status' : 'alert'}">${data.notice.text}</p>`
    : '';
  return html`<h1>Bandeja de coordinación</h1>${notice}
<p>Abra cada revisión para comparar la programación actual con la propuesta y decidir.</p>
${agreementsSection(data.agreements)}
${waitingSection(data.waiting)}`;
}
