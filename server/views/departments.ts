import { html, type SafeHtml } from '../../domain/html';
import { workflowTitle } from '../../domain/workflowIds';
import type { Department, DepartmentListItem, DepartmentVersion } from '../../services/departments';
import type { AppError } from '../../services/errors';
import { scrollRegion } from './scrollRegion';

// The departments registry: the list with its add form, one department with its versions and alerts.

/** The form's fields by their Spanish names; a blank optional field clears it. */
export const formFields = [
  ['code', 'codigo', 'Código'],
  ['name', 'nombre', 'Nombre'],
  ['headName', 'lider', 'Líder (nombre)'],
  ['headTitle', 'cargo', 'Cargo del líder'],
  ['headEmail', 'correo_lider', 'Correo del líder'],
  ['liaisonName', 'enlace', 'Enlace (nombre)'],
  ['liaisonEmail', 'correo_enlace', 'Correo del enlace'],
] as const;

const problemBox = (problem?: { error: AppError }) =>
  problem ? html`<div class="error" role="alert"><p>${problem.error.message}</p>${problem.error.details.length ? html`<ul>${problem.error.details.map((d) => html`<li>${d}</li>`)}</ul>` : ''}</div>` : '';

function departmentForm(action: string, submit: string, csrf: string, values: Record<string, unknown>, withCode: boolean): SafeHtml {
  const fields = formFields
    .filter(([field]) => withCode || field !== 'code')
    .map(([field, name, label]) => {
      const type = field.endsWith('Email') ? 'email' : 'text';
      const required = field === 'code' || field === 'name';
      return html`<label for="${name}">${label}${required ? '' : ' (opcional)'}</label><input id="${name}" name="${name}" type="${type}" value="${String(values[field] ?? '')}"${required ? html` required` : ''}${field === 'code' ? html` maxlength="20" autocapitalize="characters"` : html` maxlength="200"`}>`;
    });
  return html`<form method="post" action="${action}"><input type="hidden" name="_csrf" value="${csrf}">${fields}${
    withCode ? '' : html`<label for="motivo">Motivo del cambio (opcional)</label><input id="motivo" name="motivo" type="text" maxlength="500">`
  }<p><button type="submit">${submit}</button></p></form>`;
}

const person = (name: string | null, email: string | null, title?: string | null) =>
  [name, title, email].filter(Boolean).join(' · ') || '—';


export function listPage(departments: DepartmentListItem[], csrf: string | null, problem?: { error: AppError; values: Record<string, unknown> }): SafeHtml {
  const rows = departments.map(
    (d) =>
      html`<tr><td><a href="/dependencias/${encodeURIComponent(d.code)}">${d.code}</a></td><td>${d.name}</td><td>${person(d.headName, d.headEmail, d.headTitle)}</td><td>${person(d.liaisonName, d.liaisonEmail)}</td><td class="num">${d.activeGoals}</td><td class="num">${d.version}</td></tr>`,
  );
  const table = departments.length
    ? html`${scrollRegion('Dependencias registradas', html`<table><caption class="visually-hidden">Dependencias registradas</caption><thead><tr><th scope="col">Código</th><th scope="col">Nombre</th><th scope="col">Líder</th><th scope="col">Enlace</th><th scope="col" class="num">Metas activas</th><th scope="col" class="num">Versión</th></tr></thead><tbody>${rows}</tbody></table>`)}`
    : html`<p>Aún no hay dependencias registradas. Agréguelas aquí o importe el Plan Indicativo: las dependencias que nombre se crean al confirmar la importación.</p>`;
  const add = csrf
    ? html`<h2 id="agregar">Agregar dependencia</h2>${problemBox(problem)}${departmentForm('/dependencias', 'Agregar dependencia', csrf, problem?.values ?? {}, true)}`
    : '';
  return html`<h1>Dependencias</h1><p>Las secretarías, oficinas e institutos responsables de metas, con su líder (firma los compromisos) y su enlace (recibe la alerta trimestral). Cada cambio queda como una versión nueva: las alertas ya enviadas conservan a quién se enviaron.</p>${table}${add}`;
}

export function detailPage(input: {
  department: Department;
  versions: DepartmentVersion[];
  alerts: { reviewWorkflowId: string; recipient: string | null; departmentVersion: number | null; sentAt: string }[];
  csrf: string | null;
  when: (iso: string) => string;
  saved: boolean;
  problem?: { error: AppError; values: Record<string, unknown> };
}): SafeHtml {
  const { department: d, versions, alerts, csrf, when, saved, problem } = input;
  const facts = html`<dl class="facts">
<dt>Código</dt><dd>${d.code}</dd><dt>Nombre</dt><dd>${d.name}</dd>
<dt>Líder</dt><dd>${person(d.headName, d.headEmail, d.headTitle)}</dd>
<dt>Enlace</dt><dd>${person(d.liaisonName, d.liaisonEmail)}</dd>
<dt>Versión</dt><dd>${d.version}</dd></dl>`;
  const history = versions.length
    ? html`<h2>Versiones</h2>${scrollRegion('Versiones de la dependencia', html`<table><thead><tr><th scope="col" class="num">Versión</th><th scope="col">Fecha</th><th scope="col">Nombre</th><th scope="col">Líder</th><th scope="col">Enlace</th><th scope="col">Por</th><th scope="col">Motivo</th></tr></thead><tbody>${versions.map(
        (v) =>
          html`<tr><td class="num">${v.version}</td><td>${when(v.createdAt)}</td><td>${v.name}</td><td>${person(v.headName, v.headEmail, v.headTitle)}</td><td>${person(v.liaisonName, v.liaisonEmail)}</td><td>${v.changedBy}</td><td>${v.reason}</td></tr>`,
      )}</tbody></table>`)}`
    : html`<p>Sin cambios desde que se registró (versión ${d.version}).</p>`;
  const sent = alerts.length
    ? html`<h2>Alertas enviadas</h2>${scrollRegion('Alertas enviadas', html`<table><thead><tr><th scope="col">Revisión</th><th scope="col">Enviada</th><th scope="col">A</th><th scope="col" class="num">Versión de la dependencia</th></tr></thead><tbody>${alerts.map(
        (a) => html`<tr><td>${workflowTitle(a.reviewWorkflowId)}</td><td>${when(a.sentAt)}</td><td>${a.recipient ?? 'sin correo del enlace'}</td><td class="num">${a.departmentVersion ?? '—'}</td></tr>`,
      )}</tbody></table>`)}`
    : '';
  const values = problem?.values ?? { name: d.name, headName: d.headName, headTitle: d.headTitle, headEmail: d.headEmail, liaisonName: d.liaisonName, liaisonEmail: d.liaisonEmail };
  const edit = csrf ? html`<h2 id="editar">Editar</h2>${problemBox(problem)}${departmentForm(`/dependencias/${encodeURIComponent(d.code)}`, 'Guardar como versión nueva', csrf, values, false)}` : '';
  return html`<h1>${d.name} (${d.code})</h1>${saved ? html`<p class="ok" role="status">Cambios guardados.</p>` : ''}${facts}${edit}${history}${sent}<p><a href="/dependencias">Volver a Dependencias</a></p>`;
}
