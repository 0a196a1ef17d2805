import type { ConsolidationGoal } from '../../domain/consolidation';
import { COMMITMENT_MAX, COMMITMENT_MIN } from '../../domain/consolidation';
import { formatNumber } from '../../domain/format';
import { goalStatusLabels } from '../../domain/goals';
import { html, type SafeHtml } from '../../domain/html';

/** How a card of the form reads and marks a field (server/views/responseForm.ts). */
interface FieldState {
  value: (id: string) => string;
  error: (id: string) => string | undefined;
}

const quarterText = (q: ConsolidationGoal['byQuarter'][number]) =>
  `T${q.quarter}: ${goalStatusLabels[q.status] ?? q.status} (esperado ${formatNumber(q.expectedToDate)}, ejecutado ${formatNumber(q.executedToDate)})`;

/**
 * PE-P-008 task 4 in the form: the year's lagging goals that are not in alert this quarter, each
 * with what its cycles recorded and a required commitment (the goals in alert commit on their card).
 */
export function consolidationSection(goals: readonly ConsolidationGoal[], state: FieldState): SafeHtml | '' {
  if (goals.length === 0) return '';
  const cards = goals.map((goal) => {
    const id = `consolidation__${goal.goalCode}`;
    const error = state.error(id);
    const hint = `${id}-ayuda`;
    return html`<fieldset class="goal-card consolidation-card" id="consolidacion-${goal.goalCode}"><legend><span class="jump-code">${goal.goalCode}</span> ${goal.name}</legend>
<p id="${hint}">Estado registrado por trimestre: ${goal.byQuarter.map(quarterText).join(' · ')}.</p>
<label for="${id}">Compromiso de la dependencia para la meta ${goal.goalCode}</label>${error ? html`<p class="field-error" id="error-${id}">${error}</p>` : ''}
<textarea id="${id}" name="${id}" rows="3" minlength="${COMMITMENT_MIN}" maxlength="${COMMITMENT_MAX}" aria-required="true" aria-describedby="${hint}${error ? ` error-${id}` : ''}"${error ? html` aria-invalid="true"` : ''}>${state.value(id)}</textarea>
</fieldset>`;
  });
  return html`<section class="consolidation" aria-labelledby="consolidacion-titulo"><h2 id="consolidacion-titulo">Consolidación del tercer trimestre: compromisos por metas rezagadas en la vigencia</h2>
<p>Estas metas estuvieron rezagadas en algún trimestre de la vigencia (matriz de metas rezagadas acumuladas adjunta al correo), aunque no están en alerta en este trimestre. Indique el compromiso de la dependencia para cada una (entre ${COMMITMENT_MIN} y ${formatNumber(COMMITMENT_MAX)} caracteres).</p>
${cards}</section>`;
}

/** The consolidation commitments an answer made on the goals it was asked about (read-only page, coordinator's page); nothing outside Q3. */
export function consolidationCommitmentsTable(commitments: readonly { goalCode: string; name: string; commitment: string }[]): SafeHtml | '' {
  if (commitments.length === 0) return '';
  const rows = commitments.map(
    (c) => html`<tr><th scope="row" data-label="Meta">${c.goalCode}</th><td data-label="Nombre">${c.name}</td><td data-label="Compromiso">${c.commitment}</td></tr>`,
  );
  return html`<table class="answers-table"><caption>Consolidación del tercer trimestre: compromisos por metas rezagadas en la vigencia</caption><thead><tr><th scope="col">Meta</th><th scope="col">Nombre</th><th scope="col">Compromiso</th></tr></thead><tbody>${rows}</tbody></table>`;
}
