import type { LateResponse } from '../../services/lateResponses';
import { cycleTitle, formatNumber } from '../../domain/format';
import { html, type SafeHtml } from '../../domain/html';
import type { GoalAnswer } from '../../domain/review';
import type { GoalView } from '../../domain/reviewViews';
import { page } from './layout';

// Respuestas extemporáneas: the liaison's notice, confirmation and refusal after the deadline, and
// the coordinator's list and read-only page (services/lateResponses.ts keeps them).

/** What the pages show of a late answer (services/lateResponses.ts). */
export type LateResponseItem = Pick<
  LateResponse,
  'id' | 'reviewWorkflowId' | 'departmentName' | 'fiscalYear' | 'quarter' | 'round' | 'deadline' | 'respondentName' | 'receivedAt'
> & { answers: { answers: GoalAnswer[] } };

/** Instants in the office's words ("3 de diciembre de 2026 a las 14:05"). */
type When = (iso: string) => string;


/** Above the form once the deadline has passed: the answer is still taken, as extemporánea. */
export const lateNotice = (deadline: string, until: string): SafeHtml =>
  html`<div class="note" role="note" id="aviso-extemporanea"><p><strong>Respuesta extemporánea.</strong> El plazo venció el ${deadline}; su respuesta se registrará como respuesta extemporánea. La coordinación la verá y podrá tenerla en cuenta en una nueva ronda o en el próximo trimestre.</p>
<p>Este enlace recibe respuestas extemporáneas hasta el ${until}.</p></div>`;

/** After a late answer is stored. */
export const lateReceivedPage = (departmentName: string, receivedAt: string, refusedAtDeadline: boolean): SafeHtml =>
  page(
    'Respuesta extemporánea recibida',
    html`<h1>Respuesta extemporánea recibida</h1>
<p class="ok" role="status">La respuesta de ${departmentName} quedó registrada el ${receivedAt} como <strong>respuesta extemporánea</strong>.</p>
${refusedAtDeadline ? html`<p>El plazo venció mientras usted diligenciaba el formulario; nada de lo escrito se perdió.</p>` : ''}
<p>Esta respuesta no es el acuerdo de reprogramación: la revisión quedó cerrada con la constancia de negativa de ajustes. La coordinación del MMSE la verá y podrá tenerla en cuenta en una nueva ronda o en el próximo trimestre.</p>`,
  );

/** The link no longer takes late answers; whatever was typed is shown back so it can be copied. */
export function lateClosedPage(message: string, typed: { label: string; value: string }[]): SafeHtml {
  const kept = typed.filter((f) => f.value.trim() !== '');
  return page(
    'Plazo vencido',
    html`<h1>No es posible registrar la respuesta</h1><p class="error" role="alert">${message}</p>
${
  kept.length
    ? html`<h2>Lo que usted escribió</h2><p>Copie este texto y envíelo a la coordinación del MMSE:</p><dl class="typed">${kept.map((f) => html`<dt>${f.label}</dt><dd>${f.value}</dd>`)}</dl>`
    : ''
}`,
  );
}

/** The coordinator's inbox section: every late answer, newest first. */
export function lateResponsesSection(items: LateResponseItem[], when: When): SafeHtml {
  const rows = items.map(
    (r) =>
      html`<tr><th scope="row">${r.departmentName}</th><td>${cycleTitle(r.fiscalYear, r.quarter)}</td><td>${when(r.receivedAt)}</td><td>${r.respondentName}</td><td><a href="/coordinacion/extemporaneas/${String(r.id)}">Ver respuesta<span class="visually-hidden"> de ${r.departmentName} recibida el ${when(r.receivedAt)}</span></a></td></tr>`,
  );
  return html`<section aria-labelledby="h-extemporaneas"><h2 id="h-extemporaneas">Respuestas extemporáneas (${items.length})</h2>
<p>Respuestas enviadas después del plazo. No cambian la revisión cerrada: puede tenerlas en cuenta en una nueva ronda o en el próximo trimestre.</p>
${
  items.length
    ? html`<div class="table-wrap" tabindex="0" role="region" aria-label="Respuestas extemporáneas"><table><thead><tr><th scope="col">Dependencia</th><th scope="col">Revisión</th><th scope="col">Recibida</th><th scope="col">Respondió</th><th scope="col">Respuesta</th></tr></thead><tbody>${rows}</tbody></table></div>`
    : html`<p>No hay respuestas extemporáneas.</p>`
}</section>`;
}

const targetsText = (values: readonly (number | null)[] | null | undefined) => (values ? values.map((v) => formatNumber(v)).join(' · ') : '—');

function answerBlock(answer: GoalAnswer, goal: GoalView | undefined): SafeHtml {
  const later = answer.action === 'reprogram' && answer.futureAnnualTargets ? Object.entries(answer.futureAnnualTargets) : [];
  return html`<section class="goal-answer" aria-labelledby="meta-${answer.goalCode}"><h2 id="meta-${answer.goalCode}">${answer.goalCode}${goal ? html` · ${goal.name}` : ''}</h2>
<dl>
<dt>Acción</dt><dd>${answer.action === 'reprogram' ? 'Propone reprogramar' : 'Mantener la programación'}</dd>
${goal ? html`<dt>Programación trimestral vigente</dt><dd>${targetsText(goal.programming.quarterlyTargets)}</dd>` : ''}
${answer.action === 'reprogram' ? html`<dt>Programación trimestral propuesta</dt><dd>${targetsText(answer.newQuarterlyTargets)}</dd>` : ''}
${later.map(([year, value]) => html`<dt>Vigencia ${year} propuesta</dt><dd>${formatNumber(value)}</dd>`)}
${answer.action === 'reprogram' && answer.councilAgreement ? html`<dt>Acuerdo del Concejo</dt><dd>${answer.councilAgreement}</dd>` : ''}
<dt>Justificación</dt><dd>${answer.justification}</dd>
<dt>Compromiso</dt><dd>${answer.commitment}</dd>
</dl></section>`;
}

/** One late answer, read-only, by goal with numbers in es-CO. */
export function lateResponseBody(item: LateResponseItem, goals: GoalView[], when: When, back = { href: '/coordinacion', label: 'Volver a la bandeja' }): SafeHtml {
  const byCode = new Map(goals.map((g) => [g.goalCode, g]));
  return html`<h1>Respuesta extemporánea · ${item.departmentName}</h1>
<p>${cycleTitle(item.fiscalYear, item.quarter)} (ronda ${item.round}). Recibida el ${when(item.receivedAt)}${item.deadline ? html`, después del plazo del ${when(item.deadline)}` : ''}. Respondió: ${item.respondentName}.</p>
<p class="note">No es el acuerdo de reprogramación: la revisión se cerró sin respuesta a tiempo. Puede tenerla en cuenta en una nueva ronda o en el próximo trimestre.</p>
${item.answers.answers.map((a) => answerBlock(a, byCode.get(a.goalCode)))}
<p><a href="${back.href}">${back.label}</a></p>`;
}
