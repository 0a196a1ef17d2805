import { html, type SafeHtml } from '../../domain/html';
import { goalStatusLabels } from '../../domain/goals';
import type { ReviewView } from '../../domain/reviewViews';

// The coordinator's inbox (/coordinacion): responses to agree on, reviews waiting for an answer.

type When = (iso: string | null) => string;

const targets = (values: readonly (number | null)[] | null | undefined) => (values ? values.map((v) => v ?? '—').join(' · ') : '—');

function agreementSection(view: ReviewView, csrf: string): SafeHtml {
  const rows = view.goals.map((g) => {
    const answer = g.answer;
    const proposed = answer?.action === 'reprogram' ? targets(answer.newQuarterlyTargets) : 'Mantener';
    return html`<tr><th scope="row">${g.goalCode}</th><td>${g.name}</td><td>${g.status ? goalStatusLabels[g.status] : '—'}</td><td>${targets(g.programming.quarterlyTargets)}</td><td>${proposed}</td><td>${answer?.justification ?? '—'}</td><td>${answer?.commitment ?? '—'}</td></tr>`;
  });
  const id = view.workflowId;
  return html`<section aria-labelledby="h-${id}"><h2 id="h-${id}">${view.department.name} · ${id}</h2>
<p>Respondió: ${view.respondent?.name ?? '—'} (ronda ${view.round}).</p>
<table><caption>Programación trimestral antes y después</caption><thead><tr><th scope="col">Meta</th><th scope="col">Nombre</th><th scope="col">Estado</th><th scope="col">Programación actual</th><th scope="col">Propuesta</th><th scope="col">Justificación</th><th scope="col">Compromiso</th></tr></thead><tbody>${rows}</tbody></table>
<form method="post" action="/coordinacion/${id}/decision"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="decision" value="approve"><button type="submit">Aprobar</button></form>
<form method="post" action="/coordinacion/${id}/decision"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="decision" value="requestChanges">
<label for="c-${id}">Comentario para la dependencia</label><textarea id="c-${id}" name="comment" rows="2" required minlength="10"></textarea>
<label for="w-${id}">Nuevo plazo</label><select id="w-${id}" name="window"><option value="5d">5 días hábiles</option><option value="10d">10 días hábiles</option></select>
<button type="submit">Solicitar ajustes</button></form>${noteForm(view, csrf)}</section>`;
}

function noteForm(view: ReviewView, csrf: string): SafeHtml {
  const id = view.workflowId;
  const notes = (view.notes ?? []).map((n) => html`<li>${n.coordinator}: ${n.text}</li>`);
  return html`${notes.length ? html`<ul aria-label="Notas">${notes}</ul>` : ''}<form method="post" action="/coordinacion/${id}/notes"><input type="hidden" name="_csrf" value="${csrf}">
<label for="n-${id}">Nota</label><input id="n-${id}" name="text" required minlength="3"><button type="submit">Agregar nota</button></form>`;
}

function waitingRow(view: ReviewView, csrf: string, when: When): SafeHtml {
  const id = view.workflowId;
  return html`<tr><th scope="row">${view.department.name}</th><td>${id}</td><td>${when(view.deadline)}</td><td>
<form method="post" action="/coordinacion/${id}/extension"><input type="hidden" name="_csrf" value="${csrf}">
<label for="r-${id}">Motivo</label><input id="r-${id}" name="reason" required minlength="10">
<label for="e-${id}">Ampliar</label><select id="e-${id}" name="window"><option value="3d">3 días hábiles</option><option value="5d">5 días hábiles</option></select>
<button type="submit">Ampliar plazo</button></form>
<form method="post" action="/coordinacion/${id}/alert-resend"><input type="hidden" name="_csrf" value="${csrf}"><button type="submit">Reenviar alerta</button></form>
${noteForm(view, csrf)}</td></tr>`;
}

export function inboxPage(views: ReviewView[], csrf: string, when: When): SafeHtml {
  const agreements = views.filter((v) => v.state === 'underAgreement');
  const waiting = views.filter((v) => v.state === 'awaitingResponse');
  return html`<h1>Bandeja de coordinación</h1>
<h2>Respuestas para acordar (${agreements.length})</h2>${agreements.length ? agreements.map((v) => agreementSection(v, csrf)) : html`<p>No hay respuestas pendientes de acuerdo.</p>`}
<h2>Esperando respuesta (${waiting.length})</h2>${
      waiting.length
        ? html`<table><thead><tr><th scope="col">Dependencia</th><th scope="col">Revisión</th><th scope="col">Plazo</th><th scope="col">Ampliar plazo</th></tr></thead><tbody>${waiting.map((v) => waitingRow(v, csrf, when))}</tbody></table>`
        : html`<p>Ninguna revisión espera respuesta.</p>`
    }`;
}
