import { html, type SafeHtml } from '../../domain/html';
import { scrollRegion } from './scrollRegion';

export interface MyReviewRow {
  title: string;
  stateLabel: string;
  deadline: string | null;
  /** The liaison's signed link to the review: the form while it is open, the answer read-only after. */
  link: string | null;
  open: boolean;
  /** The deadline passed with no answer: the link takes a respuesta extemporánea. */
  late?: boolean;
}

/** A liaison's own reviews, with the way into each one. */
export function myReviewsPage(department: string | null, rows: MyReviewRow[]): SafeHtml {
  if (!department) {
    return html`<h1>Mis revisiones</h1><p>Su cuenta no tiene una dependencia asignada; pida a un administrador que la asigne.</p>`;
  }
  const list = rows.length
    ? html`${scrollRegion('Revisiones de la dependencia', html`<table><caption>Revisiones trimestrales de ${department}</caption><thead><tr><th scope="col">Trimestre</th><th scope="col">Estado</th><th scope="col">Plazo</th><th scope="col">Acción</th></tr></thead><tbody>${rows.map(
        (r) =>
          html`<tr><th scope="row">${r.title}</th><td><span class="badge">${r.stateLabel}</span></td><td>${r.deadline ?? '—'}</td><td>${r.link ? html`<a href="${r.link}">${r.open ? 'Responder' : r.late ? 'Enviar respuesta extemporánea' : 'Ver la revisión'}</a>` : '—'}</td></tr>`,
      )}</tbody></table>`)}`
    : html`<p>Su dependencia aún no tiene revisiones trimestrales.</p>`;
  return html`<h1>Mis revisiones</h1>${list}`;
}
