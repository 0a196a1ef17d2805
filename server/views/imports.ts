import { html, type SafeHtml } from '../../domain/html';
import {
  type ImportError,
  type ImportKind,
  importKindLabels,
  importKinds,
  type ImportOutcome,
  type IndicativePlanImportSummary,
  type NewDepartment,
  type ProgressReportImportSummary,
  type UploadListItem,
  uploadStatusLabels,
  type UploadView,
} from '../../imports';
import { megabytes, type UploadLimits } from '../../imports/limits';
import { describeUnimported, type UnimportedColumn } from '../../imports/headers';
import type { FileReading } from '../../imports/table';
import { columnsSection, municipalityNote } from './columnMapping';
import { formatNumber } from '../../domain/format';
import { scrollRegion } from './scrollRegion';

// The Imports pages (/importaciones): the upload form with the recent uploads, and one upload with
// its preview, progress or result.

const kindOptions = (selected?: string) =>
  importKinds.map(
    (kind, i) =>
      html`<label for="kind-${i}" class="choice"><input type="radio" name="kind" value="${kind}"${(selected ?? importKinds[0]) === kind ? html` checked` : ''} required id="kind-${i}"> ${importKindLabels[kind]}</label>`,
  );

type When = (iso: string) => string;

/** Why the form's file was refused; `details` name rows and columns (control characters). */
export interface FormProblem {
  message: string;
  details?: string[];
  kind?: string;
}

const problemBox = (message: string, details: string[] | undefined) =>
  html`<div class="error" role="alert"><p>${message}</p>${details?.length ? html`<ul>${details.slice(0, 50).map((d) => html`<li>${d}</li>`)}</ul>` : ''}</div>`;

export function importListPage(items: UploadListItem[], csrf: string, when: When, limits: UploadLimits, problem?: FormProblem): SafeHtml {
  const rows = items.map(
    (u) =>
      html`<tr><td>${when(u.createdAt)}</td><td>${importKindLabels[u.kind]}</td><td><a href="/importaciones/${u.id}">${u.fileName}</a></td><td>${u.uploadedByName ?? u.uploadedBy}</td><td>${uploadStatusLabels[u.status]}</td></tr>`,
  );
  const history = items.length
    ? html`${scrollRegion('Cargas recientes', html`<table><caption class="visually-hidden">Cargas recientes</caption><thead><tr><th scope="col">Fecha</th><th scope="col">Tipo</th><th scope="col">Archivo</th><th scope="col">Subido por</th><th scope="col">Estado</th></tr></thead><tbody>${rows}</tbody></table>`)}`
    : html`<p>Aún no se ha subido ningún archivo.</p>`;
  return html`<h1>Importar archivos</h1>
${problem ? problemBox(problem.message, problem.details) : ''}
<p>Suba el Plan Indicativo o la Hoja de Captura (XLSX o CSV, hasta ${megabytes(limits.maxFileBytes)}; formatos en <code>samples/LEEME.md</code>).
Antes de importar verá qué cambiaría, o la lista de errores del archivo: <strong>nada se importa hasta que usted lo confirme</strong>.</p>
<form method="post" action="/importaciones" enctype="multipart/form-data">
<input type="hidden" name="_csrf" value="${csrf}">
<fieldset><legend>Tipo de archivo</legend>${kindOptions(problem?.kind)}</fieldset>
<label for="archivo">Archivo</label><input id="archivo" name="archivo" type="file" required accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv">
<p><button type="submit">Subir y ver la vista previa</button></p>
</form>
<h2>Cargas recientes</h2>
${history}`;
}

/** An action on an upload was refused: why, and the ways back (`uploadId` when the upload exists). */
export function importRefusalBody(error: { message: string; details: string[] }, uploadId: number | null): SafeHtml {
  const back = uploadId === null ? '' : html`<a href="/importaciones/${uploadId}">Volver a la carga ${uploadId}</a> · `;
  return html`<h1>No fue posible completar la acción</h1>${problemBox(error.message, error.details)}<p>${back}<a href="/importaciones">Importar archivos</a></p>`;
}

export function uploadPage(view: UploadView, csrf: string, when: When): SafeHtml {
  const kind = importKindLabels[view.kind];
  const facts = html`<dl class="facts">
<dt>Archivo</dt><dd>${view.fileName} (${sizeOf(view.size)})</dd>
<dt>Subido</dt><dd>${when(view.createdAt)} por ${view.uploadedByName ?? view.uploadedBy}</dd>
<dt>Estado</dt><dd><span class="badge">${uploadStatusLabels[view.status]}</span>${
    view.decidedBy && view.status !== 'pending' ? ` · ${view.decidedByName ?? view.decidedBy}, ${when(view.updatedAt)}` : ''
  }</dd>
<dt>SHA-256</dt><dd class="code"><code>${view.sha256}</code></dd>
</dl>`;
  const form = (path: string, label: string, className = '', fields: SafeHtml | '' = '') =>
    html`<form method="post" action="/importaciones/${view.id}/${path}" class="inline"><input type="hidden" name="_csrf" value="${csrf}">${fields}<button type="submit"${className ? html` class="${className}"` : ''}>${label}</button></form>`;
  const canCommit = view.preview.ok && (view.status === 'pending' || view.status === 'failed');
  const proposed = view.preview.ok && 'departmentsFromPlan' in view.preview.summary ? view.preview.summary.departmentsFromPlan : [];
  const canDiscard = view.status === 'pending' || view.status === 'failed';
  const commitLabel =
    view.status === 'failed'
      ? 'Reintentar la importación'
      : proposed.length
        ? `Confirmar importación y crear ${proposed.length === 1 ? 'la dependencia' : `las ${proposed.length} dependencias`}`
        : 'Confirmar importación';
  const buttons =
    canCommit || canDiscard
      ? html`<p class="actions">${canCommit ? form('confirmar', commitLabel, '', newDepartmentsFields(proposed)) : ''} ${canDiscard ? form('descartar', 'Descartar', 'secondary') : ''}</p>`
      : '';

  let body: SafeHtml;
  switch (view.status) {
    case 'committing':
      body = progressSection(view);
      break;
    case 'committed':
      body = html`<p class="ok" role="status">El archivo se importó.</p>${view.result ? outcomeSection(view.kind, view.result, 'Resultado de la importación', false) : ''}`;
      break;
    case 'failed':
      body = html`${view.result ? outcomeSection(view.kind, view.result, 'Resultado de la importación', false) : html`<p class="error" role="alert">La importación falló; no se importó nada.</p>`}
${view.preview.ok ? html`<p>Puede intentarlo de nuevo: la importación es todo o nada y se compara con los datos actuales.</p>` : ''}${buttons}`;
      break;
    case 'discarded':
      body = html`<p class="note" role="status">Esta carga se descartó; no se importó nada.</p>`;
      break;
    default:
      body = html`${
        view.preview.ok
          ? html`<p class="note">Vista previa: así quedarían los datos al confirmar. <strong>Todavía no se ha importado nada.</strong></p>${
              view.outdated
                ? html`<p class="error" role="alert">Después de esta vista previa se importó otro archivo: al confirmar, el archivo se comparará con los datos actuales y el resultado puede ser distinto. Súbalo de nuevo para ver una vista previa actualizada.</p>`
                : ''
            }`
          : ''
      }${outcomeSection(view.kind, view.preview, 'Vista previa', true, buttons)}`;
  }
  return html`<h1>${kind}: ${view.fileName}</h1>
${facts}
${municipalityNote(view)}
${columnsSection(view, csrf, when)}
${body}
<p><a href="/importaciones">Volver a Importar archivos</a></p>`;
}

function progressSection(view: UploadView): SafeHtml {
  const { phase, done, total, label } = view.progress;
  // Rows are counted while validating and saving; reading a file has no measurable progress.
  const counted = total > 0 && (phase === 'validating' || phase === 'saving');
  const value = counted ? html` max="${total}" value="${Math.min(done, total)}"` : '';
  const statusUrl = view.progressTicket ? `/importaciones/${view.id}/progreso/${view.progressTicket}` : `/api/imports/uploads/${view.id}?fields=progress`;
  return html`<section id="import-progress" data-status-url="${statusUrl}" aria-labelledby="import-progress-title">
<h2 id="import-progress-title">Importando…</h2>
<p><progress id="import-progress-bar"${value} aria-labelledby="import-progress-title" class="wide">${counted ? `${Math.round((100 * done) / total)} %` : ''}</progress></p>
<p data-phase role="status" aria-live="polite">${label}</p>
<p>La importación sigue en el servidor aunque cierre esta página. <a href="/importaciones/${view.id}" data-refresh>Actualizar</a></p>
</section>`;
}

const sizeOf = (bytes: number) => (bytes < 1024 * 1024 ? `${formatNumber(Math.max(1, Math.round(bytes / 1024)))} KB` : `${(bytes / (1024 * 1024)).toFixed(1).replace('.', ',')} MB`);

/** The summary in tables, or the table of the file's errors. */
function outcomeSection(kind: ImportKind, outcome: ImportOutcome, title: string, preview: boolean, actions: SafeHtml | '' = ''): SafeHtml {
  if (!outcome.ok) {
    return html`<h2>${title}</h2><div class="error" role="alert"><p>${outcome.message}.${
      preview ? ' Corrija el archivo y súbalo de nuevo.' : ''
    }</p></div>${readingSection(outcome.reading)}${actions}${outcome.errors.length ? errorTable(outcome.errors) : ''}`;
  }
  const summary = outcome.summary;
  const file = html`${readingSection(summary.reading)}${unimportedSection(summary.unimportedColumns)}`;
  if (summary.unchanged) {
    const text =
      summary.importId !== null
        ? `Sin cambios: este archivo es el último ${importKindLabels[kind]} importado (importación ${summary.importId}); ${preview ? 'confirmarlo no cambiará nada' : 'no se cambió nada'}.`
        : `Sin cambios: los datos del archivo ya coinciden con los registrados${preview ? '; confirmarlo no cambiará nada' : ''}.`;
    return html`<h2>${title}</h2>${file}<p class="note">${text}</p>${actions}`;
  }
  const rows = outcome.rows ? html`<p>${formatNumber(outcome.rows)} filas en el archivo.</p>` : '';
  const { counts, details } =
    kind === 'indicativePlan' ? planSummary(summary as IndicativePlanImportSummary, preview) : progressSummary(summary as ProgressReportImportSummary, preview);
  return html`<h2>${title}</h2>${file}${rows}${counts}${actions}${details}`;
}

/** Where the file's header row was found, and how a CSV was read. */
const readingSection = (reading: FileReading | undefined) => (reading ? html`<p class="note" data-reading>Archivo leído: ${reading.description}.</p>` : '');

/** Columns that are not imported: never dropped without a word. */
function unimportedSection(columns: UnimportedColumn[] | undefined): SafeHtml | '' {
  if (!columns?.length) return '';
  return html`<div class="error" role="alert" data-unimported><p><strong>${columns.length === 1 ? 'Una columna del archivo no se importará' : `${columns.length} columnas del archivo no se importarán`}</strong>: ${columns.length === 1 ? 'no corresponde a ningún campo. Si debe importarse, asígnela' : 'no corresponden a ningún campo. Si una debe importarse, asígnela'} a un campo en «Columnas del archivo» (se recuerda para los próximos archivos) o cambie su encabezado por el nombre del campo (samples/LEEME.md).</p><ul>${columns.map(
    (c) => html`<li>${describeUnimported(c)}</li>`,
  )}</ul></div>`;
}

/** Long tables are cut; the API has them whole. */
const MAX_TABLE_ROWS = 500;
const cut = <T>(items: readonly T[]) => ({
  shown: items.slice(0, MAX_TABLE_ROWS),
  more:
    items.length > MAX_TABLE_ROWS
      ? html`<p>… y ${formatNumber(items.length - MAX_TABLE_ROWS)} más (la lista completa está en la API: <code>GET /api/imports/uploads/&lt;id&gt;</code>).</p>`
      : '',
});

const countsTable = (caption: string, counts: [string, number][]) =>
  html`<table class="counts"><caption>${caption}</caption><thead><tr><th scope="col">Cambio</th><th scope="col" class="num">Cantidad</th></tr></thead><tbody>${counts.map(
    ([label, n]) => html`<tr><th scope="row">${label}</th><td class="num">${formatNumber(n)}</td></tr>`,
  )}</tbody></table>`;

const codeList = (label: string, codes: string[]) => {
  if (!codes.length) return '';
  const { shown, more } = cut(codes);
  return html`<details><summary>${label} (${formatNumber(codes.length)})</summary><p>${shown.join(', ')}</p>${more}</details>`;
};

const amount = (n: number | null) => (n === null ? '—' : formatNumber(n));

/** The new departments with an editable code each, inside the confirmation form. */
function newDepartmentsFields(proposed: readonly NewDepartment[]): SafeHtml | '' {
  if (!proposed.length) return '';
  const rows = proposed.map(
    (d, i) =>
      html`<tr><td><label for="codigo-${i}">${d.name}</label></td><td class="num">${formatNumber(d.goals)}</td><td><input id="codigo-${i}" name="codigo-${i}" value="${d.code}" required maxlength="20" pattern="[A-Za-z0-9][A-Za-z0-9_.\-]{0,19}" class="code" aria-describedby="codigos-ayuda"></td></tr>`,
  );
  return html`<fieldset id="dependencias-nuevas"><legend>Dependencias nuevas (${proposed.length}): se crearán al confirmar</legend>
<p id="codigos-ayuda">El archivo nombra estas dependencias y no están registradas. Revise el código propuesto para cada una (letras sin tilde, números, punto o guion; hasta 20 caracteres); después podrá registrar su líder y su enlace en <a href="/dependencias">Dependencias</a>.</p>
${scrollRegion('Dependencias del archivo', html`<table><thead><tr><th scope="col">Dependencia</th><th scope="col" class="num">Metas</th><th scope="col">Código</th></tr></thead><tbody>${rows}</tbody></table>`)}</fieldset>`;
}

function planSummary(s: IndicativePlanImportSummary, preview: boolean): { counts: SafeHtml; details: SafeHtml } {
  const counts = countsTable(preview ? 'Cambios que hará la importación' : 'Cambios hechos', [
    ['Metas nuevas', s.goalsAdded.length],
    ['Metas retiradas del plan', s.goalsRemoved.length],
    ['Metas reactivadas', s.goalsReactivated.length],
    ['Metas con datos cambiados', s.goalsChanged.length],
    ['Programaciones anuales cambiadas', s.programmingChanged.length],
    ['Dependencias nuevas', s.departmentsAdded.length],
    ['Dependencias actualizadas', s.departmentsChanged.length],
  ]);
  const lists = [
    codeList('Metas nuevas', s.goalsAdded),
    codeList('Metas retiradas del plan (quedan inactivas, con su historia)', s.goalsRemoved),
    codeList('Metas reactivadas', s.goalsReactivated),
    codeList('Metas con datos cambiados', s.goalsChanged),
    s.departmentsFromPlan?.length
      ? html`<p><strong>Dependencias nuevas (${s.departmentsFromPlan.length}):</strong> ${s.departmentsFromPlan.map((d, i) => html`${i ? ', ' : ''}${d.name} (${d.code})`)}</p>`
      : '',
    // Those the plan names are listed just above with their names; here, the Dependencias sheet's.
    codeList('Dependencias nuevas de la hoja Dependencias', s.departmentsAdded.filter((code) => !s.departmentsFromPlan?.some((d) => d.code === code))),
    codeList('Dependencias actualizadas', s.departmentsChanged),
    s.financing
      ? html`<p><strong>Plan de Acción (PE_F_012):</strong> recursos por fuente, BPIN y proyecto de ${formatNumber(s.financing.goals)} metas, de las columnas ${s.financing.columns.join(', ')}${s.financing.changed ? '' : ' (sin cambios respecto de lo registrado)'}.</p>`
      : '',
  ];
  const { shown, more } = cut(s.programmingChanged);
  const programming = shown.length
    ? html`<h3>Programación anual cambiada</h3>${scrollRegion('Programación anual cambiada', html`<table><thead><tr><th scope="col">Meta</th><th scope="col">Vigencia</th><th scope="col" class="num">Antes</th><th scope="col" class="num">Después</th></tr></thead><tbody>${shown.map(
        (c) => html`<tr><td>${c.goalCode}</td><td>${c.fiscalYear}</td><td class="num">${amount(c.before)}</td><td class="num">${amount(c.after)}</td></tr>`,
      )}</tbody></table>`)}${more}`
    : '';
  return { counts, details: html`${lists}${programming}` };
}

function progressSummary(s: ProgressReportImportSummary, preview: boolean): { counts: SafeHtml; details: SafeHtml } {
  const counts = countsTable(preview ? 'Cambios que hará la importación' : 'Cambios hechos', [
    ['Registros de avance nuevos (versiones)', s.progressVersionsCreated],
    ['Correcciones de trimestres ya reportados', s.corrections.length],
    ['Versiones de programación nuevas', s.programmingVersionsCreated],
  ]);
  const { shown, more } = cut(s.corrections);
  const corrections = shown.length
    ? html`<h3>Correcciones de trimestres ya reportados</h3><p>El valor anterior se conserva como versión anterior.</p>${scrollRegion('Correcciones de trimestres ya reportados', html`<table><thead><tr><th scope="col">Meta</th><th scope="col">Vigencia</th><th scope="col">Trimestre</th><th scope="col" class="num">Antes</th><th scope="col" class="num">Después</th></tr></thead><tbody>${shown.map(
        (c) => html`<tr><td>${c.goalCode}</td><td>${c.fiscalYear}</td><td>T${c.quarter}</td><td class="num">${amount(c.before)}</td><td class="num">${amount(c.after)}</td></tr>`,
      )}</tbody></table>`)}${more}`
    : html``;
  return { counts, details: corrections };
}

function errorTable(errors: ImportError[]): SafeHtml {
  const withSheet = errors.some((e) => e.sheet);
  const { shown, more } = cut(errors);
  return html`${scrollRegion('Errores del archivo', html`<table><caption>Errores del archivo (${formatNumber(errors.length)})</caption><thead><tr>${
    withSheet ? html`<th scope="col">Hoja</th>` : ''
  }<th scope="col">Fila</th><th scope="col">Columna</th><th scope="col">Mensaje</th></tr></thead><tbody>${shown.map(
    (e) => html`<tr>${withSheet ? html`<td>${e.sheet ?? ''}</td>` : ''}<td>${e.row === null ? 'Todo el archivo' : e.row}</td><td>${e.column ?? '—'}</td><td>${e.message}</td></tr>`,
  )}</tbody></table>`)}${more}`;
}
