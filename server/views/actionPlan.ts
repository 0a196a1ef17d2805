import { html, type SafeHtml } from '../../domain/html';
import { scrollRegion } from './scrollRegion';

export interface ActionPlanVersionRow {
  version: number;
  date: string;
  origin: string;
  recordNumber: string | null;
  goals: number;
  downloadUrl: string;
}

/** The Plan de Acción (PE_F_012) of a vigencia: its versions, each with its XLSX. */
export function actionPlanPage(input: { fiscalYear: number; years: number[]; department: string | null; rows: ActionPlanVersionRow[]; message?: string }): SafeHtml {
  const yearLinks = input.years.length
    ? html`<nav aria-label="Vigencias"><p>Vigencias: ${input.years.map((y, i) => html`${i ? ' · ' : ''}${y === input.fiscalYear ? html`<strong>${y}</strong>` : html`<a href="/plan-de-accion?vigencia=${y}">${y}</a>`}`)}</p></nav>`
    : '';
  const scope = input.department ? html`<p>Dependencia: ${input.department}</p>` : '';
  const table = input.rows.length
    ? scrollRegion(
        'Versiones del Plan de Acción',
        html`<table><caption>Versiones del Plan de Acción ${input.fiscalYear} (PE_F_012)</caption><thead><tr><th scope="col">Versión</th><th scope="col">Fecha</th><th scope="col">Origen</th><th scope="col">Acta de acuerdo</th><th scope="col">Metas reprogramadas</th><th scope="col">Archivo</th></tr></thead><tbody>${input.rows.map(
          (r) =>
            html`<tr><th scope="row">${r.version}</th><td>${r.date}</td><td>${r.origin}</td><td>${r.recordNumber ?? '—'}</td><td>${r.goals}</td><td><a href="${r.downloadUrl}">Descargar XLSX</a></td></tr>`,
        )}</tbody></table>`,
      )
    : html`<p>${input.message ?? 'No hay Plan de Acción para esta vigencia.'}</p>`;
  return html`<h1>Plan de Acción ${input.fiscalYear} (PE_F_012)</h1>${yearLinks}${scope}<p>La versión 1 es el plan importado; cada reprogramación aprobada y aplicada crea una nueva versión, con una hoja «Cambios» que muestra cada valor antes y después.</p>${table}`;
}
