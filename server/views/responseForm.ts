import { html, type SafeHtml } from '../../domain/html';
import { goalStatusLabels } from '../../domain/goals';
import { goalStateLabels } from '../../machines/goalStatus';
import type { ReviewView } from '../../domain/reviewViews';
import { page } from './layout';

// The liaison's pages behind the signed link: the response form, the read-only answer, the refusals.

/** The deadline in the office's words and time zone (server/responseForm.ts). */
type DeadlineWords = (deadline: string) => string;

function reviewHeader(view: ReviewView, deadlineWords: DeadlineWords): SafeHtml {
  return html`<h1>Revisión de metas · ${view.department.name}</h1>
<p>Vigencia ${view.fiscalYear}, trimestre T${view.quarter}. Estado: <strong>${goalStateLabels[view.state]}</strong>.
${view.deadline ? `Plazo: ${deadlineWords(view.deadline)}` : ''}</p>`;
}

/** An answered or closed review: what was submitted, and where the review stands. */
export function readOnlyPage(view: ReviewView, deadlineWords: DeadlineWords, notice?: string): SafeHtml {
  const rows = view.goals.map((g) => {
    const answer = g.answer;
    const action = !answer ? 'Sin respuesta' : answer.action === 'reprogram' ? `Reprogramar: ${answer.newQuarterlyTargets.join(' · ')}` : 'Mantener la programación';
    return html`<tr><th scope="row">${g.goalCode}</th><td>${g.name}</td><td>${goalStateLabels[g.state]}</td><td>${action}</td><td>${answer?.justification ?? '—'}</td><td>${answer?.commitment ?? '—'}</td></tr>`;
  });
  return page(
    'Revisión de metas',
    html`${reviewHeader(view, deadlineWords)}${notice ? html`<p class="error" role="alert">${notice}</p>` : ''}<table><caption>Respuesta registrada</caption><thead><tr><th scope="col">Meta</th><th scope="col">Nombre</th><th scope="col">Estado</th><th scope="col">Acción</th><th scope="col">Justificación</th><th scope="col">Compromiso</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}

/**
 * Later years of the term, to move what is pending there (the meta cuatrienio must stay), and the
 * Acuerdo del Concejo that authorises changing it when it does change.
 */
function futureYears(view: ReviewView, goal: ReviewView['goals'][number], value: (name: string, fallback?: unknown) => string): SafeHtml {
  const later = (goal.term?.annualTargets ?? []).filter((y) => y.fiscalYear > view.fiscalYear);
  const previous = goal.answer?.action === 'reprogram' ? goal.answer : null;
  const id = (name: string) => `${name}__${goal.goalCode}`;
  const inputs = later.map(
    (y) =>
      html`<div><label for="${id(`y${y.fiscalYear}`)}">${y.fiscalYear}</label><input id="${id(`y${y.fiscalYear}`)}" name="${id(`y${y.fiscalYear}`)}" inputmode="decimal" value="${value(`y${y.fiscalYear}`, previous?.futureAnnualTargets?.[String(y.fiscalYear)] ?? y.annualTarget ?? '')}"></div>`,
  );
  return html`${later.length ? html`<p>Programación de las vigencias siguientes (para trasladar lo pendiente; la meta cuatrienio debe mantenerse):</p><div class="targets">${inputs}</div>` : ''}
<label for="${id('council')}">Acuerdo del Concejo (solo si el cambio modifica la meta cuatrienio)</label><input id="${id('council')}" name="${id('council')}" value="${value('council', previous?.councilAgreement ?? '')}">`;
}

/**
 * The response form: works without JavaScript; one fieldset per flagged goal. `values` refills it
 * (from a saved draft, or from a submission the workflow refused) so nothing typed is lost.
 */
export function responsePage(
  view: ReviewView,
  errors: string[],
  deadlineWords: DeadlineWords,
  values: Record<string, string> = {},
  notice?: string,
  errorTitle = 'No se pudo registrar la respuesta:',
  /** After the deadline: the notice of a respuesta extemporánea (server/views/lateResponses.ts); the form stays open. */
  late?: SafeHtml,
): SafeHtml {
  const errorBox = errors.length ? html`<div class="error" role="alert"><p>${errorTitle}</p><ul>${errors.map((e) => html`<li>${e}</li>`)}</ul></div>` : '';
  const noticeBox = notice ? html`<p class="ok" role="status">${notice}</p>` : '';
  const header = reviewHeader(view, deadlineWords);
  if (!late && !view.allowedActions.includes('submitResponse')) {
    return page('Revisión de metas', html`${header}${errorBox}<p>Esta revisión no está recibiendo respuestas.</p>`);
  }
  const latestChange = view.changeRequests.at(-1);
  const changes = latestChange ? html`<div class="error" role="note"><p>La coordinación solicitó ajustes: ${latestChange.comment}</p></div>` : '';
  const goals = view.goals.map((g) => {
    const id = (name: string) => `${name}__${g.goalCode}`;
    const value = (name: string, fallback: unknown = '') => String(values[id(name)] ?? fallback ?? '');
    const m = g.measurement;
    const previous = g.answer;
    const action = values[id('action')] ?? previous?.action ?? 'keep';
    const targets = [1, 2, 3, 4].map((q) => {
      const fallback = previous?.action === 'reprogram' ? previous.newQuarterlyTargets[q - 1] : g.programming.quarterlyTargets?.[q - 1];
      return html`<div><label for="${id(`q${q}`)}">T${q}</label><input id="${id(`q${q}`)}" name="${id(`q${q}`)}" inputmode="decimal" value="${value(`q${q}`, fallback ?? '')}"></div>`;
    });
    const option = (v: string, label: string) => html`<option value="${v}"${action === v ? html` selected` : ''}>${label}</option>`;
    return html`<fieldset><legend>${g.goalCode} · ${g.name}</legend>
<p>Estado: <strong>${g.status ? goalStatusLabels[g.status] : '—'}</strong>. Programado en el año: ${g.programming.annualTarget ?? '—'}; esperado a la fecha: ${m?.expectedToDate}; ejecutado: ${m?.executedToDate ?? 'sin reporte'}.</p>
<label for="${id('action')}">Acción</label>
<select id="${id('action')}" name="${id('action')}">${option('keep', 'Mantener la programación')}${option('reprogram', 'Proponer reprogramación')}</select>
<label for="${id('justification')}">Justificación</label><textarea id="${id('justification')}" name="${id('justification')}" rows="3">${value('justification', previous?.justification)}</textarea>
<label for="${id('commitment')}">Compromiso</label><textarea id="${id('commitment')}" name="${id('commitment')}" rows="2">${value('commitment', previous?.commitment)}</textarea>
<p>Nueva programación trimestral (solo si propone reprogramar):</p><div class="targets">${targets}</div>
${futureYears(view, g, value)}
</fieldset>`;
  });
  return page(
    'Revisión de metas',
    html`${header}${late ?? ''}${noticeBox}${changes}${errorBox}<form method="post"><label for="respondentName">Nombre de quien responde</label><input id="respondentName" name="respondentName" autocomplete="name" required value="${values.respondentName ?? ''}">${goals}
<p><button type="submit" name="intent" value="submit">Enviar respuesta</button> <button type="submit" name="intent" value="draft" formnovalidate>Guardar borrador</button></p></form>`,
  );
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
