import { html, type SafeHtml } from '../../domain/html';
import type { AppError } from '../../services/errors';
import { identitySourceLabels, type MunicipalityIdentity } from '../../services/municipality';

/** /admin/municipio: the identity in use and the form to set it. */
export function municipalityPage(
  identity: MunicipalityIdentity | null,
  csrf: string,
  when: (iso: string) => string,
  problem?: AppError,
  values?: { name?: unknown; daneCode?: unknown },
  saved = false,
): SafeHtml {
  const name = typeof values?.name === 'string' ? values.name : (identity?.name ?? '');
  const daneCode = typeof values?.daneCode === 'string' ? values.daneCode : (identity?.daneCode ?? '');
  const current = identity
    ? html`<p>Municipio actual: <strong>${identity.name}</strong> (código DANE ${identity.daneCode}), definido en ${identitySourceLabels[identity.source]} (${when(identity.updatedAt)})</p>`
    : html`<p>Todavía no se ha definido el municipio: se toma de los títulos del Plan Indicativo (p. ej. «MUNICIPIO DE PASTO – NARIÑO», «Código DANE: 52001») o de la configuración (<code>MUNICIPALITY_NAME</code>, <code>MUNICIPALITY_DANE_CODE</code>).</p>`;
  const error = problem
    ? html`<div class="error" role="alert"><p>${problem.message}</p>${problem.details.length ? html`<ul>${problem.details.map((d) => html`<li>${d}</li>`)}</ul>` : ''}</div>`
    : '';
  return html`${saved ? html`<p class="ok" role="status">Se guardó el municipio.</p>` : ''}<h1>Municipio</h1>
${error}${current}
<p>El nombre aparece en el encabezado de las páginas, en las hojas de cálculo exportadas y en los documentos (PDF). Lo que se defina aquí no lo reemplaza el nombre escrito en un archivo importado.</p>
<form method="post" action="/admin/municipio">
<input type="hidden" name="_csrf" value="${csrf}">
<label for="municipio-nombre">Nombre del municipio</label><input id="municipio-nombre" name="name" required minlength="2" maxlength="120" value="${name}" placeholder="Pasto">
<label for="municipio-dane">Código DANE (5 dígitos)</label><input id="municipio-dane" name="daneCode" required pattern="[0-9]{5}" inputmode="numeric" maxlength="5" value="${daneCode}" placeholder="52001">
<p><button type="submit">Guardar</button></p>
</form>`;
}
