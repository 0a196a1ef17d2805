import { html, type SafeHtml } from '../../domain/html';
import { fieldOptions } from '../../imports/columnFields';
import type { ColumnChoice } from '../../imports/columnMappings';
import type { ImportKind } from '../../imports';
import type { UploadView } from '../../imports/uploadTypes';
import type { IndicativePlanImportSummary } from '../../imports/indicativePlan';
import { identitySourceLabels } from '../../services/municipality';

/**
 * The preview's column-mapping step: the mapping applied (the operator's or the one saved for
 * these headers) and, for each column nothing imports, a choice of field or "No importar".
 * Submitting previews the file again with the mapping; it is saved when the file is imported.
 */
export function columnsSection(view: UploadView, csrf: string, when: (iso: string) => string): SafeHtml | '' {
  const report = view.preview.columns;
  if (!report) return '';
  const editable = view.status === 'pending' || view.status === 'failed';
  const applied = report.applied;
  const appliedNote = !applied
    ? ''
    : applied.source === 'saved'
      ? html`<p class="note" role="status">Se aplicó el mapeo guardado el ${applied.savedAt ? when(applied.savedAt) : '—'} para archivos con estos mismos encabezados.</p>`
      : html`<p class="note" role="status">Se aplicó el mapeo elegido para este archivo; se guardará al importarlo y se aplicará a los próximos archivos con estos mismos encabezados.</p>`;
  const appliedTable = applied?.entries.length
    ? html`<table class="compact"><caption>Mapeo de columnas aplicado</caption><thead><tr><th scope="col">Columna del archivo</th><th scope="col">Campo</th></tr></thead><tbody>${applied.entries.map(
        (e) => html`<tr><td>${e.header}</td><td>${e.label}</td></tr>`,
      )}</tbody></table>`
    : '';
  // Offered: the columns nothing imports, and those the mapping decided (to change them).
  const rows: ColumnChoice[] = [
    ...report.unmapped.map((header) => ({ header, field: '' })),
    ...(applied?.entries ?? []).filter((e) => !report.unmapped.includes(e.header)).map(({ header, field }) => ({ header, field })),
  ];
  const form =
    editable && rows.length
      ? html`<form method="post" action="/importaciones/${String(view.id)}/mapeo">
<input type="hidden" name="_csrf" value="${csrf}">
<table class="compact"><caption>Asignar columnas a campos</caption><thead><tr><th scope="col">Columna del archivo</th><th scope="col">Importar como</th></tr></thead><tbody>${rows.map(
          (row, i) => html`<tr><td><label for="map-${String(i)}">${row.header}</label><input type="hidden" name="header" value="${row.header}"></td><td><select id="map-${String(i)}" name="field">${fieldSelect(view.kind, row.field)}</select></td></tr>`,
        )}</tbody></table>
<p><button type="submit">Aplicar el mapeo y ver la vista previa</button></p>
</form>`
      : '';
  // The columns not imported are listed (with hints) by the preview's own section above.
  if (!appliedNote && !form) return '';
  return html`<section aria-labelledby="columns-title"><h2 id="columns-title">Columnas del archivo</h2>${appliedNote}${appliedTable}${form}</section>`;
}

/** A column already mapped is changed to another field or to "No importar"; only a new one may stay unassigned. */
function fieldSelect(kind: ImportKind, selected: string): SafeHtml {
  return html`${selected ? '' : html`<option value="" selected>— Sin asignar (no se importará) —</option>`}${fieldOptions(kind).map(
    (o) => html`<option value="${o.field}"${o.field === selected ? html` selected` : ''}>${o.label}</option>`,
  )}`;
}

/** What the plan's title rows said about the municipality, and whether the import records it. */
export function municipalityNote(view: UploadView): SafeHtml | '' {
  const outcome = view.status === 'committed' && view.result?.ok ? view.result : view.preview;
  if (!outcome.ok || view.kind !== 'indicativePlan') return '';
  const report = (outcome.summary as IndicativePlanImportSummary).municipality;
  if (!report) return '';
  const imported = view.status === 'committed';
  const found = report.found?.name
    ? html`Municipio encontrado en los títulos del archivo: <strong>${report.found.name}</strong>${report.found.daneCode ? ` (código DANE ${report.found.daneCode})` : ''}. `
    : html`Los títulos del archivo no nombran el municipio. `;
  const decision = report.willSave
    ? html`${imported ? 'Se guardó' : 'Se guardará al importar'} como el municipio de esta instalación: páginas, exportaciones y documentos dirán «${report.name ?? ''}».`
    : report.name && report.source
      ? html`Se usa «${report.name}» (código DANE ${report.daneCode}), definido en ${identitySourceLabels[report.source]}${report.found?.name && report.found.name !== report.name ? '; el nombre del archivo no lo reemplaza' : ''}.`
      : html`Un administrador puede definir el nombre en la página <a href="/admin/municipio">Municipio</a>; mientras tanto se muestra «Municipio ${report.daneCode}».`;
  return html`<p class="note" role="status">${found}${decision}</p>`;
}
