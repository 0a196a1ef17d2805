import { html, type SafeHtml } from '../../domain/html';
import { formatApprovalDate, recordFormatKeys, recordFormatNames, type RecordFormatKey } from '../../domain/recordFormats';
import type { AppError } from '../../services/errors';
import type { RecordFormatEntry } from '../../services/recordFormats';
import { scrollRegion } from './scrollRegion';

export interface RecordFormatsView {
  formats: RecordFormatEntry[];
  /** The format whose form is open (?formato=key or the one just refused). */
  editing: RecordFormatKey;
}

const problemBox = (problem: AppError) =>
  html`<div class="error" role="alert"><p>${problem.message}</p>${problem.details.length > 1 ? html`<ul>${problem.details.map((d) => html`<li>${d}</li>`)}</ul>` : ''}</div>`;

/**
 * /admin/formatos: the code, version and approval date each record prints in its institutional
 * header, and the form to register a new version of one (earlier versions are kept).
 */
export function recordFormatsPage(
  view: RecordFormatsView,
  csrf: string,
  when: (iso: string) => string,
  problem?: AppError,
  values?: Record<string, unknown>,
  saved?: RecordFormatEntry | null,
): SafeHtml {
  const current = view.formats.find((f) => f.key === view.editing) ?? view.formats[0];
  const text = (key: string, fallback: string) => (typeof values?.[key] === 'string' ? (values[key] as string) : fallback);
  const rows = view.formats.map(
    (f) => html`<tr><th scope="row">${f.name}</th><td><code>${f.code}</code></td><td>${f.version}</td><td>${formatApprovalDate(f.approvedOn)}</td><td>${
      f.changedAt ? html`${when(f.changedAt)} por ${f.changedBy ?? ''}` : 'Predeterminado'
    }</td><td><a href="/admin/formatos?formato=${f.key}#editar">Registrar versión<span class="visually-hidden"> de ${f.name}</span></a></td></tr>`,
  );
  const options = recordFormatKeys.map(
    (key) => html`<option value="${key}"${key === (text('key', current?.key ?? '') || current?.key) ? html` selected` : ''}>${recordFormatNames[key]}</option>`,
  );
  return html`${saved ? html`<p class="ok" role="status">Se registró la versión ${saved.version} de «${saved.name}» (${saved.code}, aprobada el ${formatApprovalDate(saved.approvedOn)}): los registros que se expidan desde ahora la imprimen; los ya expedidos conservan la suya.</p>` : ''}<h1>Formatos de los registros</h1>
<p>Cada registro (PDF, hoja de cálculo o presentación) imprime en su encabezado institucional el código, la versión y la fecha de aprobación de su formato, como los lista el sistema de gestión de calidad. Cada cambio queda como una versión nueva; los registros ya expedidos no cambian.</p>
${scrollRegion('Formatos en uso', html`<table><caption>Formatos en uso</caption><thead><tr><th scope="col">Registro</th><th scope="col">Código</th><th scope="col">Versión</th><th scope="col">Fecha de aprobación</th><th scope="col">Definido</th><th scope="col"><span class="visually-hidden">Acciones</span></th></tr></thead><tbody>${rows}</tbody></table>`)}
<section aria-labelledby="editar"><h2 id="editar">Registrar una nueva versión</h2>
${problem ? problemBox(problem) : ''}
<form method="post" action="/admin/formatos">
<input type="hidden" name="_csrf" value="${csrf}">
<label for="formato-registro">Registro</label><select id="formato-registro" name="key">${options}</select>
<label for="formato-codigo">Código del formato</label><input id="formato-codigo" name="code" required maxlength="40" value="${text('code', current?.code ?? '')}" placeholder="PE_F_024">
<label for="formato-version">Versión</label><input id="formato-version" name="version" required maxlength="20" value="${text('version', current?.version ?? '')}" placeholder="02">
<label for="formato-fecha">Fecha de aprobación</label><input id="formato-fecha" name="approvedOn" type="date" required value="${text('approvedOn', current?.approvedOn ?? '')}">
<p><button type="submit">Registrar versión</button></p>
</form></section>`;
}
