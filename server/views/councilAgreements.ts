import { formatNumber } from '../../domain/format';
import { html, type SafeHtml } from '../../domain/html';
import type { AppError } from '../../services/errors';
import type { CouncilAgreement } from '../../services/councilAgreements';

/** The registration form's values as typed, shown back after a refusal (never the file). */
export interface CouncilAgreementValues {
  number?: string;
  date?: string;
  goalCode?: string;
  termTarget?: string;
}

export interface CouncilAgreementsPageView {
  agreements: CouncilAgreement[];
  goals: { code: string; name: string; officialTermTarget: number }[];
  maxPdfBytes: number;
  /** The acuerdo just registered (after the redirect), for the confirmation. */
  registered: CouncilAgreement | null;
}

const problemBox = (error: AppError | undefined) =>
  error
    ? html`<div class="error" role="alert"><p>${error.message}</p>${error.details.length ? html`<ul>${error.details.map((d) => html`<li>${d}</li>`)}</ul>` : ''}</div>`
    : '';

function registrationForm(view: CouncilAgreementsPageView, csrf: string, values: CouncilAgreementValues): SafeHtml {
  const goalOption = (g: CouncilAgreementsPageView['goals'][number]) =>
    html`<option value="${g.code}"${values.goalCode === g.code ? html` selected` : ''}>${g.code} · ${g.name} (meta cuatrienio vigente: ${formatNumber(g.officialTermTarget)})</option>`;
  return html`<form method="post" action="/concejo" enctype="multipart/form-data">
<input type="hidden" name="_csrf" value="${csrf}">
<label for="acuerdo-numero">Número del acuerdo</label><p class="hint" id="acuerdo-numero-ayuda">Como lo numera el Concejo, p. ej. 012.</p>
<input id="acuerdo-numero" name="number" required maxlength="40" value="${values.number ?? ''}" aria-describedby="acuerdo-numero-ayuda">
<label for="acuerdo-fecha">Fecha del acuerdo</label>
<input id="acuerdo-fecha" name="date" type="date" required value="${values.date ?? ''}">
<label for="acuerdo-meta">Meta cuyo cuatrienio modifica</label>
<select id="acuerdo-meta" name="goalCode" required><option value="">Elija la meta</option>${view.goals.map(goalOption)}</select>
<label for="acuerdo-meta-cuatrienio">Nueva meta cuatrienio</label><p class="hint" id="acuerdo-meta-cuatrienio-ayuda">Escriba el número como de costumbre: 19.000 o 3,5. Queda como una versión nueva; las anteriores se conservan.</p>
<input id="acuerdo-meta-cuatrienio" name="termTarget" inputmode="decimal" required value="${values.termTarget ?? ''}" aria-describedby="acuerdo-meta-cuatrienio-ayuda">
<label for="acuerdo-pdf">Acuerdo firmado (PDF)</label><p class="hint" id="acuerdo-pdf-ayuda">Archivo PDF de hasta ${formatNumber(view.maxPdfBytes / (1024 * 1024))} MB.</p>
<input id="acuerdo-pdf" name="pdf" type="file" accept="application/pdf,.pdf" required aria-describedby="acuerdo-pdf-ayuda">
<p><button type="submit">Registrar el acuerdo</button></p>
</form>`;
}

function agreementRow(a: CouncilAgreement, when: (iso: string) => string): SafeHtml {
  return html`<tr><th scope="row">${a.label}</th><td>${a.goalCode} · ${a.goalName}</td><td class="num">${formatNumber(a.previousTermTarget)}</td><td class="num">${formatNumber(a.termTarget)}</td><td class="num">${a.version}</td><td><a href="/concejo/${a.id}/pdf">${a.fileName}</a></td><td>${when(a.createdAt)}</td></tr>`;
}

/** /concejo: the registered Acuerdos del Concejo and, for operators, the form to register one. */
export function councilAgreementsPage(
  view: CouncilAgreementsPageView,
  csrf: string | null,
  when: (iso: string) => string,
  problem?: { error: AppError; values: CouncilAgreementValues },
): SafeHtml {
  const done = view.registered
    ? html`<div class="note" role="status"><p>Se registró el ${view.registered.label}: la meta cuatrienio de ${view.registered.goalCode} es ahora ${formatNumber(view.registered.termTarget)} (versión ${view.registered.version}).</p></div>`
    : '';
  const list = view.agreements.length
    ? html`<table class="versions"><caption>Acuerdos registrados</caption>
<thead><tr><th scope="col">Acuerdo</th><th scope="col">Meta</th><th scope="col" class="num">Meta cuatrienio anterior</th><th scope="col" class="num">Nueva meta cuatrienio</th><th scope="col" class="num">Versión</th><th scope="col">PDF</th><th scope="col">Registrado</th></tr></thead>
<tbody>${view.agreements.map((a) => agreementRow(a, when))}</tbody></table>`
    : html`<p>Todavía no hay acuerdos registrados.</p>`;
  const form = csrf ? html`<h2 id="registrar">Registrar un acuerdo</h2>${problemBox(problem?.error)}${registrationForm(view, csrf, problem?.values ?? {})}` : '';
  return html`<h1>Acuerdos del Concejo</h1>
<p>Solo un Acuerdo del Concejo cambia la meta cuatrienio de una meta (Ley 152 de 1994). Cada acuerdo registrado crea una versión nueva de la meta cuatrienio; la reprogramación que la cambie debe elegir el acuerdo en el formulario de respuesta.</p>
${done}${list}${form}`;
}
