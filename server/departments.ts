import express, { type Request, type Response } from 'express';
import { desc, eq } from 'drizzle-orm';
import type { Auth } from '../auth';
import { inScope, messages, requestScope, withinScope } from '../auth/scope';
import { roleSatisfies } from '../auth/roles';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { html, SafeHtml } from '../mail/html';
import {
  createDepartment,
  type Department,
  departmentCodePattern,
  departmentWithVersions,
  type DepartmentVersion,
  listDepartments,
  type DepartmentListItem,
  updateDepartment,
} from '../services/departments';
import { AppError } from '../services/errors';
import { sendPage } from './html';
import { formatShortDateTime as formatDateTime } from '../domain/format';

/**
 * The departments registry: /dependencias (list, add), /dependencias/:code (versions, edit, the
 * alerts sent) and the same over /api/departments. Every account reads (a liaison only its own
 * department, auth/scope.ts); operators and administrators add and edit; each change is a new
 * version, audit-logged (services/departments.ts).
 */
export function createDepartmentsRouter({ db, auth, timeZone }: { db: Database; auth: Auth; timeZone: string }) {
  const router = express.Router();
  const actor = (res: Response) => String(res.locals.actor ?? 'anónimo');
  const when = (iso: string) => formatDateTime(iso, timeZone);
  const canEdit = (res: Response) => Boolean(res.locals.user && roleSatisfies(res.locals.user.role, ['operator']));

  const codeParam = (req: Request) => {
    const code = String(req.params.code ?? '');
    if (!departmentCodePattern.test(code) && !/^[A-Za-z0-9_.-]{1,40}$/.test(code)) throw new AppError('invalid_input', `Código de dependencia inválido: ${code.slice(0, 40)}`);
    return code;
  };
  /** The address names the department: another department's is a 403 that says why (auth/scope.ts). */
  const readable = async (req: Request, res: Response) => {
    const code = codeParam(req);
    const scope = requestScope(res);
    if (scope.kind === 'department' && !scope.departmentCode) throw new AppError('forbidden', messages.noDepartment);
    // Refused before looking it up: a liaison learns nothing about which other codes exist.
    if (scope.kind === 'department' && code.toUpperCase() !== scope.departmentCode!.toUpperCase()) throw new AppError('forbidden', messages.foreignDepartment);
    const found = await departmentWithVersions(db, code);
    if (!inScope(scope, found.department.code)) throw new AppError('forbidden', messages.foreignDepartment);
    return found;
  };
  const alertsOf = (code: string) =>
    db
      .select({ reviewWorkflowId: t.alerts.reviewWorkflowId, recipient: t.alerts.recipient, departmentVersion: t.alerts.departmentVersion, sentAt: t.alerts.sentAt })
      .from(t.alerts)
      .where(eq(t.alerts.departmentCode, code))
      .orderBy(desc(t.alerts.sentAt))
      .limit(50);

  // ---- API ---------------------------------------------------------------------------------------
  router.get('/api/departments', auth.requireRole('viewer'), async (_req, res) => {
    res.json({ departments: withinScope(requestScope(res), await listDepartments(db), (d) => d.code) });
  });
  router.get('/api/departments/:code', auth.requireRole('viewer'), async (req, res) => {
    const { department, versions } = await readable(req, res);
    res.json({ department, versions, alerts: await alertsOf(department.code) });
  });
  router.post('/api/departments', auth.requireRole('operator'), async (req, res) => {
    res.status(201).json(await createDepartment(db, req.body, actor(res)));
  });
  router.patch('/api/departments/:code', auth.requireRole('operator'), async (req, res) => {
    res.json(await updateDepartment(db, codeParam(req), req.body, actor(res)));
  });

  // ---- Pages -------------------------------------------------------------------------------------
  const listView = async (req: Request, res: Response, problem?: { error: AppError; values: Record<string, unknown> }) => {
    const csrf = auth.csrfToken(req);
    const departments = withinScope(requestScope(res), await listDepartments(db), (d) => d.code);
    sendPage(res, 'Dependencias', listPage(departments, canEdit(res) ? csrf : null, problem).toString(), { csrf, current: '/dependencias' }, problem?.error.httpStatus ?? 200);
  };
  router.get('/dependencias', auth.requireRolePage('viewer'), (req, res) => listView(req, res));
  router.post('/dependencias', auth.requireRolePage('operator'), async (req, res) => {
    const values = formValues(req.body, true);
    try {
      const department = await createDepartment(db, values, actor(res));
      res.redirect(303, `/dependencias/${encodeURIComponent(department.code)}?guardado=1`);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      await listView(req, res, { error, values });
    }
  });

  const detailView = async (req: Request, res: Response, problem?: { error: AppError; values: Record<string, unknown> }) => {
    const csrf = auth.csrfToken(req);
    const { department, versions } = await readable(req, res);
    const body = detailPage({ department, versions, alerts: await alertsOf(department.code), csrf: canEdit(res) ? csrf : null, when, saved: req.query.guardado === '1', problem });
    sendPage(res, `Dependencia ${department.code}`, body.toString(), { csrf, current: '/dependencias' }, problem?.error.httpStatus ?? 200);
  };
  router.get('/dependencias/:code', auth.requireRolePage('viewer'), (req, res) => detailView(req, res));
  router.post('/dependencias/:code', auth.requireRolePage('operator'), async (req, res) => {
    const values = formValues(req.body, false);
    try {
      const { department } = await updateDepartment(db, codeParam(req), values, actor(res));
      res.redirect(303, `/dependencias/${encodeURIComponent(department.code)}?guardado=1`);
    } catch (error) {
      if (!(error instanceof AppError) || error.code === 'not_found') throw error;
      await detailView(req, res, { error, values });
    }
  });

  return router;
}

/** The form's fields by their Spanish names; a blank optional field clears it. */
const formFields = [
  ['code', 'codigo', 'Código'],
  ['name', 'nombre', 'Nombre'],
  ['headName', 'lider', 'Líder (nombre)'],
  ['headTitle', 'cargo', 'Cargo del líder'],
  ['headEmail', 'correo_lider', 'Correo del líder'],
  ['liaisonName', 'enlace', 'Enlace (nombre)'],
  ['liaisonEmail', 'correo_enlace', 'Correo del enlace'],
] as const;

function formValues(body: unknown, withCode: boolean): Record<string, unknown> {
  const form = (body ?? {}) as Record<string, unknown>;
  const values: Record<string, unknown> = {};
  for (const [field, name] of formFields) {
    if (field === 'code' && !withCode) continue;
    values[field] = typeof form[name] === 'string' ? form[name] : '';
  }
  if (!withCode && typeof form.motivo === 'string' && form.motivo.trim()) values.reason = form.motivo;
  return values;
}

const problemBox = (problem?: { error: AppError }) =>
  problem ? html`<div class="error" role="alert"><p>${problem.error.message}</p>${problem.error.details.length ? html`<ul>${problem.error.details.map((d) => html`<li>${d}</li>`)}</ul>` : ''}</div>` : '';

function departmentForm(action: string, submit: string, csrf: string, values: Record<string, unknown>, withCode: boolean): SafeHtml {
  const fields = formFields
    .filter(([field]) => withCode || field !== 'code')
    .map(([field, name, label]) => {
      const type = field.endsWith('Email') ? 'email' : 'text';
      const required = field === 'code' || field === 'name';
      return html`<label for="${name}">${label}${required ? '' : ' (opcional)'}</label><input id="${name}" name="${name}" type="${type}" value="${String(values[field] ?? '')}"${new SafeHtml(required ? ' required' : '')}${new SafeHtml(field === 'code' ? ' maxlength="20" autocapitalize="characters"' : ' maxlength="200"')}>`;
    });
  return html`<form method="post" action="${action}"><input type="hidden" name="_csrf" value="${csrf}">${fields}${
    withCode ? '' : html`<label for="motivo">Motivo del cambio (opcional)</label><input id="motivo" name="motivo" type="text" maxlength="500">`
  }<p><button type="submit">${submit}</button></p></form>`;
}

const person = (name: string | null, email: string | null, title?: string | null) =>
  [name, title, email].filter(Boolean).join(' · ') || '—';

function listPage(departments: DepartmentListItem[], csrf: string | null, problem?: { error: AppError; values: Record<string, unknown> }): SafeHtml {
  const rows = departments.map(
    (d) =>
      html`<tr><td><a href="/dependencias/${encodeURIComponent(d.code)}">${d.code}</a></td><td>${d.name}</td><td>${person(d.headName, d.headEmail, d.headTitle)}</td><td>${person(d.liaisonName, d.liaisonEmail)}</td><td class="num">${d.activeGoals}</td><td class="num">${d.version}</td></tr>`,
  );
  const table = departments.length
    ? html`<div class="table-wrap"><table><caption class="visually-hidden">Dependencias registradas</caption><thead><tr><th scope="col">Código</th><th scope="col">Nombre</th><th scope="col">Líder</th><th scope="col">Enlace</th><th scope="col" class="num">Metas activas</th><th scope="col" class="num">Versión</th></tr></thead><tbody>${rows}</tbody></table></div>`
    : html`<p>Aún no hay dependencias registradas. Agréguelas aquí o importe el Plan Indicativo: las dependencias que nombre se crean al confirmar la importación.</p>`;
  const add = csrf
    ? html`<h2 id="agregar">Agregar dependencia</h2>${problemBox(problem)}${departmentForm('/dependencias', 'Agregar dependencia', csrf, problem?.values ?? {}, true)}`
    : '';
  return html`<h1>Dependencias</h1><p>Las secretarías, oficinas e institutos responsables de metas, con su líder (firma los compromisos) y su enlace (recibe la alerta trimestral). Cada cambio queda como una versión nueva: las alertas ya enviadas conservan a quién se enviaron.</p>${table}${add}`;
}

function detailPage(input: {
  department: Department;
  versions: DepartmentVersion[];
  alerts: { reviewWorkflowId: string; recipient: string | null; departmentVersion: number | null; sentAt: string }[];
  csrf: string | null;
  when: (iso: string) => string;
  saved: boolean;
  problem?: { error: AppError; values: Record<string, unknown> };
}): SafeHtml {
  const { department: d, versions, alerts, csrf, when, saved, problem } = input;
  const facts = html`<dl style="display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem">
<dt>Código</dt><dd style="margin:0">${d.code}</dd><dt>Nombre</dt><dd style="margin:0">${d.name}</dd>
<dt>Líder</dt><dd style="margin:0">${person(d.headName, d.headEmail, d.headTitle)}</dd>
<dt>Enlace</dt><dd style="margin:0">${person(d.liaisonName, d.liaisonEmail)}</dd>
<dt>Versión</dt><dd style="margin:0">${d.version}</dd></dl>`;
  const history = versions.length
    ? html`<h2>Versiones</h2><div class="table-wrap"><table><thead><tr><th scope="col" class="num">Versión</th><th scope="col">Fecha</th><th scope="col">Nombre</th><th scope="col">Líder</th><th scope="col">Enlace</th><th scope="col">Por</th><th scope="col">Motivo</th></tr></thead><tbody>${versions.map(
        (v) =>
          html`<tr><td class="num">${v.version}</td><td>${when(v.createdAt)}</td><td>${v.name}</td><td>${person(v.headName, v.headEmail, v.headTitle)}</td><td>${person(v.liaisonName, v.liaisonEmail)}</td><td>${v.changedBy}</td><td>${v.reason}</td></tr>`,
      )}</tbody></table></div>`
    : html`<p>Sin cambios desde que se registró (versión ${d.version}).</p>`;
  const sent = alerts.length
    ? html`<h2>Alertas enviadas</h2><div class="table-wrap"><table><thead><tr><th scope="col">Revisión</th><th scope="col">Enviada</th><th scope="col">A</th><th scope="col" class="num">Versión de la dependencia</th></tr></thead><tbody>${alerts.map(
        (a) => html`<tr><td>${a.reviewWorkflowId}</td><td>${when(a.sentAt)}</td><td>${a.recipient ?? 'sin correo del enlace'}</td><td class="num">${a.departmentVersion ?? '—'}</td></tr>`,
      )}</tbody></table></div>`
    : '';
  const values = problem?.values ?? { name: d.name, headName: d.headName, headTitle: d.headTitle, headEmail: d.headEmail, liaisonName: d.liaisonName, liaisonEmail: d.liaisonEmail };
  const edit = csrf ? html`<h2 id="editar">Editar</h2>${problemBox(problem)}${departmentForm(`/dependencias/${encodeURIComponent(d.code)}`, 'Guardar como versión nueva', csrf, values, false)}` : '';
  return html`<h1>${d.name} (${d.code})</h1>${saved ? html`<p class="ok" role="status">Cambios guardados.</p>` : ''}${facts}${edit}${history}${sent}<p><a href="/dependencias">Volver a Dependencias</a></p>`;
}
