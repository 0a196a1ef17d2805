import express, { type Request, type Response } from 'express';
import type { Auth } from '../auth';
import { inScope, messages, requestScope, withinScope } from '../auth/scope';
import { roleSatisfies } from '../auth/roles';
import type { AppServices } from '../services/appServices';
import { departmentCodePattern } from '../services/departments';
import { AppError } from '../services/errors';
import { sendPage } from './html';
import { detailPage, formFields, listPage } from './views/departments';
import { formatShortDateTime as formatDateTime } from '../domain/format';

/**
 * The departments registry: /dependencias (list, add), /dependencias/:code (versions, edit, the
 * alerts sent) and the same over /api/departments. Every account reads (a liaison only its own
 * department, auth/scope.ts); operators and administrators add and edit; each change is a new
 * version, audit-logged (services/departments.ts).
 */
export function createDepartmentsRouter({
  departments: registry,
  people,
  auth,
  timeZone,
}: {
  departments: AppServices['departments'];
  /** Names of the accounts that changed a department (versions keep user:N). */
  people?: AppServices['people'];
  auth: Auth;
  timeZone: string;
}) {
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
    const found = await registry.withVersions(code);
    if (!inScope(scope, found.department.code)) throw new AppError('forbidden', messages.foreignDepartment);
    return found;
  };
  const alertsOf = (code: string) => registry.alerts(code, 50);

  // ---- API ---------------------------------------------------------------------------------------
  router.get('/api/departments', auth.requireRole('viewer'), async (_req, res) => {
    res.json({ departments: withinScope(requestScope(res), await registry.list(), (d) => d.code) });
  });
  router.get('/api/departments/:code', auth.requireRole('viewer'), async (req, res) => {
    const { department, versions } = await readable(req, res);
    res.json({ department, versions, alerts: await alertsOf(department.code) });
  });
  router.post('/api/departments', auth.requireRole('operator'), async (req, res) => {
    res.status(201).json(await registry.create(req.body, actor(res)));
  });
  router.patch('/api/departments/:code', auth.requireRole('operator'), async (req, res) => {
    res.json(await registry.update(codeParam(req), req.body, actor(res)));
  });

  // ---- Pages -------------------------------------------------------------------------------------
  const listView = async (req: Request, res: Response, problem?: { error: AppError; values: Record<string, unknown> }) => {
    const csrf = auth.csrfToken(req);
    const departments = withinScope(requestScope(res), await registry.list(), (d) => d.code);
    sendPage(res, 'Dependencias', listPage(departments, canEdit(res) ? csrf : null, problem), { csrf, current: '/dependencias' }, problem?.error.httpStatus ?? 200);
  };
  router.get('/dependencias', auth.requireRolePage('viewer'), (req, res) => listView(req, res));
  router.post('/dependencias', auth.requireRolePage('operator'), async (req, res) => {
    const values = formValues(req.body, true);
    try {
      const department = await registry.create(values, actor(res));
      res.redirect(303, `/dependencias/${encodeURIComponent(department.code)}?guardado=1`);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      await listView(req, res, { error, values });
    }
  });

  const detailView = async (req: Request, res: Response, problem?: { error: AppError; values: Record<string, unknown> }) => {
    const csrf = auth.csrfToken(req);
    const { department, versions: recorded } = await readable(req, res);
    const names = (await people?.names(recorded.map((v) => v.changedBy))) ?? new Map<string, string>();
    const versions = recorded.map((v) => ({ ...v, changedBy: names.get(v.changedBy) ?? v.changedBy }));
    const body = detailPage({ department, versions, alerts: await alertsOf(department.code), csrf: canEdit(res) ? csrf : null, when, saved: req.query.guardado === '1', problem });
    sendPage(res, `Dependencia ${department.code}`, body, { csrf, current: '/dependencias' }, problem?.error.httpStatus ?? 200);
  };
  router.get('/dependencias/:code', auth.requireRolePage('viewer'), (req, res) => detailView(req, res));
  router.post('/dependencias/:code', auth.requireRolePage('operator'), async (req, res) => {
    const values = formValues(req.body, false);
    try {
      const { department } = await registry.update(codeParam(req), values, actor(res));
      res.redirect(303, `/dependencias/${encodeURIComponent(department.code)}?guardado=1`);
    } catch (error) {
      if (!(error instanceof AppError) || error.code === 'not_found') throw error;
      await detailView(req, res, { error, values });
    }
  });

  return router;
}

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
