import express, { type Request, type Response } from 'express';
import { asc, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Auth } from '../auth';
import { roleSatisfies, type Role } from '../auth/roles';
import { requestScope, withinScope, type Scope } from '../auth/scope';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { fiscalYearSchema, goalStatusLabels, quarterSchema } from '../domain/goals';
import { describeIssues } from '../domain/review';
import { parseResponseWindow } from '../domain/responseWindow';
import type { CycleService } from '../services/cycles';
import { allowedActionsOf, isRunning, loadReviewRecords } from '../services/reviewReadModel';
import { readByDataVersion } from '../services/dataVersion';
import { AppError } from '../services/errors';
import type { ReviewView } from '../workflows/types';
import { escapeHtml, sendPage } from './html';
import { reviewStateLabel, timeLeft } from './reviewWords';
import { formatShortDateTime as formatDateTime } from '../domain/format';

export interface CycleMonitorRow {
  workflowId: string;
  departmentCode: string;
  departmentName: string;
  /** The review's state in the office's words (alertada, esperando respuesta, …). */
  state: string;
  machineState: string;
  deadline: string | null;
  timeLeft: string | null;
  round: number | null;
  flaggedGoals: number;
  allowedActions: ReviewView['allowedActions'];
  running: boolean;
  cancellation: ReviewView['cancellation'];
  /** Why the department's stored data could not be processed (state dataError, "Error de datos"). */
  dataError: { reason: string; problems: string[] } | null;
}

export interface CycleMonitor {
  workflowId: string;
  fiscalYear: number;
  quarter: number;
  status: string;
  startedBy: string;
  startedAt: string;
  completedAt: string | null;
  reviews: CycleMonitorRow[];
}

const cycleIdPattern = /^revision-\d{4}-T[1-4]$/;
const reviewIdPattern = /^revision-\d{4}-T[1-4]-[A-Za-z0-9_.-]+$/;

const startForm = z.object({
  anio: fiscalYearSchema,
  trimestre: quarterSchema,
  // Business days in real use (10d); hours, minutes or seconds are accepted for drills.
  plazo: z
    .string()
    .trim()
    .refine((w) => parseResponseWindow(w).ok, 'plazo: indique los días hábiles, por ejemplo 10d (en simulacros también 2h, 5m o 30s)')
    .default('10d'),
});

const cancelForm = z.object({ motivo: z.string().trim().min(10, 'motivo: escriba al menos 10 caracteres').max(2000) });

/** Confirmations shown after an action; the URL carries a code, never user text. */
const doneMessages: Record<string, string> = {
  iniciado: 'Ciclo iniciado: las alertas se envían a las dependencias con metas rezagadas o sobrecumplidas.',
  existente: 'El ciclo de este trimestre ya existía; se muestra el que está en curso.',
  cancelada: 'Revisión cancelada; el motivo quedó registrado y la dependencia fue informada.',
  ampliado: 'Plazo ampliado.',
  reenviada: 'Alerta reenviada a la dependencia.',
  nota: 'Nota agregada a la revisión.',
};

/**
 * Operations pages: the list of cycles, starting a cycle after a preview of what it will flag, and
 * the cycle monitor with each department's review in the office's words and the actions the
 * signed-in role may take. Every action is an update on the running workflow.
 */
export function createCyclePagesRouter({ db, cycles, auth, timeZone }: { db: Database; cycles: CycleService; auth: Auth; timeZone: string }) {
  const router = express.Router();
  const csrfOf = (req: Request) => auth.csrfToken(req);
  const userRole = (res: Response): Role | undefined => res.locals.user?.role;
  const may = (res: Response, roles: Role[]) => {
    const role = userRole(res);
    return role !== undefined && roleSatisfies(role, roles);
  };
  const userName = (res: Response) => String(res.locals.user?.name ?? '');

  router.get('/', auth.requireRolePage('viewer'), async (req, res) => {
    const rows = await db.select().from(t.cycles).orderBy(desc(t.cycles.fiscalYear), desc(t.cycles.quarter)).limit(100);
    const canStart = may(res, ['operator']);
    const list = rows.length
      ? `<div class="table-wrap"><table><caption>Ciclos de revisión trimestral</caption><thead><tr><th scope="col">Ciclo</th><th scope="col">Vigencia</th><th scope="col">Trimestre</th><th scope="col">Estado</th><th scope="col">Iniciado</th><th scope="col">Plazo de respuesta</th></tr></thead><tbody>${rows
          .map(
            (c) =>
              `<tr><th scope="row"><a href="/ciclos/${escapeHtml(c.workflowId)}">${escapeHtml(c.workflowId)}</a></th><td>${c.fiscalYear}</td><td>T${c.quarter}</td><td>${escapeHtml(
                c.status === 'completed' ? 'Terminado' : 'En curso',
              )}</td><td>${escapeHtml(formatDateTime(c.startedAt, timeZone))}</td><td>${escapeHtml(windowWords(c.responseWindow))}</td></tr>`,
          )
          .join('')}</tbody></table></div>`
      : '<p>Aún no hay ciclos de revisión.</p>';
    const start = canStart ? '<p><a href="/ciclos/nuevo">Iniciar el ciclo de un trimestre</a></p>' : '';
    sendPage(res, 'Ciclos de revisión', `<h1>Ciclos de revisión trimestral</h1>${start}${list}`, { csrf: csrfOf(req), current: '/' });
  });

  router.get('/ciclos/nuevo', auth.requireRolePage('operator'), async (req, res) => {
    const csrf = csrfOf(req);
    const years = (await db.selectDistinct({ year: t.goalProgramming.fiscalYear }).from(t.goalProgramming).orderBy(asc(t.goalProgramming.fiscalYear))).map(
      (r) => r.year,
    );
    const asked = Object.keys(req.query).length > 0;
    const parsed = startForm.safeParse(req.query);
    const values = { anio: String(req.query.anio ?? years.at(-1) ?? ''), trimestre: String(req.query.trimestre ?? ''), plazo: String(req.query.plazo ?? '10d') };
    const form = startCycleForm(values, years);
    if (!asked) return sendPage(res, 'Iniciar ciclo', `<h1>Iniciar el ciclo de un trimestre</h1>${form}`, { csrf, current: '/ciclos/nuevo' });
    if (!parsed.success) {
      const errors = describeIssues(parsed.error).map((d) => `<li>${escapeHtml(d)}</li>`).join('');
      return sendPage(res, 'Iniciar ciclo', `<h1>Iniciar el ciclo de un trimestre</h1><div class="error" role="alert"><ul>${errors}</ul></div>${form}`, { csrf, current: '/ciclos/nuevo' }, 400);
    }
    const { anio, trimestre, plazo } = parsed.data;
    let preview;
    try {
      preview = await cycles.previewCycle({ fiscalYear: anio, quarter: trimestre });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return sendPage(res, 'Iniciar ciclo', `<h1>Iniciar el ciclo de un trimestre</h1><p class="error" role="alert">${escapeHtml(error.message)}</p>${form}`, { csrf }, error.httpStatus);
    }
    const flagged = preview.departments.reduce((n, d) => n + d.goals.length, 0);
    const totals = Object.entries(preview.totals)
      .map(([status, count]) => `<li>${escapeHtml(goalStatusLabels[status as keyof typeof goalStatusLabels])}: ${count}</li>`)
      .join('');
    const departments = preview.departments
      .map(
        (d) => `<details><summary>${escapeHtml(d.name)} (${escapeHtml(d.code)}): ${d.goals.length} metas${d.liaisonEmail ? '' : ' — <strong>sin correo del enlace</strong>'}</summary>
<div class="table-wrap"><table><caption>Metas de ${escapeHtml(d.name)} que recibirán alerta</caption><thead><tr><th scope="col">Meta</th><th scope="col">Nombre</th><th scope="col">Estado</th><th scope="col" class="num">Esperado</th><th scope="col" class="num">Ejecutado</th></tr></thead><tbody>${d.goals
          .map(
            (g) =>
              `<tr><th scope="row"><a href="/metas/${encodeURIComponent(g.goalCode)}">${escapeHtml(g.goalCode)}</a></th><td>${escapeHtml(g.name)}</td><td>${escapeHtml(goalStatusLabels[g.status])}</td><td class="num">${number(g.measurement?.expectedToDate)}</td><td class="num">${number(g.measurement?.executedToDate)}</td></tr>`,
          )
          .join('')}</tbody></table></div></details>`,
      )
      .join('');
    const confirm = preview.existing
      ? `<p class="note">El ciclo ${escapeHtml(preview.workflowId)} ya existe. <a href="/ciclos/${escapeHtml(preview.workflowId)}">Ir al ciclo</a></p>`
      : `<form method="post" action="/ciclos"><input type="hidden" name="_csrf" value="${escapeHtml(csrf)}"><input type="hidden" name="anio" value="${anio}"><input type="hidden" name="trimestre" value="${trimestre}"><input type="hidden" name="plazo" value="${escapeHtml(plazo)}">
<button type="submit">Confirmar e iniciar el ciclo ${escapeHtml(preview.workflowId)}</button></form>`;
    sendPage(
      res,
      'Vista previa del ciclo',
      `<h1>Vista previa: vigencia ${anio}, trimestre ${trimestre}</h1>
<p>${preview.evaluatedGoals} metas programadas para la vigencia. Plazo de respuesta: ${escapeHtml(windowWords(plazo))}.</p>
<ul aria-label="Metas por estado">${totals}</ul>
<h2>${flagged} metas de ${preview.departments.length} dependencias recibirán alerta</h2>${departments || '<p>Ninguna meta queda rezagada ni sobrecumplida: no se enviarán alertas.</p>'}
${confirm}<h2>Cambiar los datos</h2>${form}`,
      { csrf, current: '/ciclos/nuevo' },
    );
  });

  router.post('/ciclos', auth.requireRolePage('operator'), async (req, res) => {
    const parsed = startForm.safeParse(req.body);
    if (!parsed.success) {
      throw new AppError('invalid_input', `Datos inválidos para iniciar el ciclo: ${describeIssues(parsed.error).join('; ')}`);
    }
    const { anio, trimestre, plazo } = parsed.data;
    const started = await cycles.startCycle({ fiscalYear: anio, quarter: trimestre, window: plazo, startedBy: userName(res) });
    res.redirect(303, `/ciclos/${started.workflowId}?hecho=${started.created ? 'iniciado' : 'existente'}`);
  });

  router.get('/ciclos/:workflowId', auth.requireRolePage('viewer'), async (req, res) => {
    const monitor = scopeMonitor(requestScope(res), await cycleMonitor(cycleIdOf(req)));
    const csrf = csrfOf(req);
    const done = doneMessages[String(req.query.hecho ?? '')];
    const role = userRole(res);
    sendPage(
      res,
      `Ciclo ${monitor.workflowId}`,
      `<h1>Ciclo ${escapeHtml(monitor.workflowId)}</h1>
${done ? `<p class="ok" role="status">${escapeHtml(done)}</p>` : ''}
<p>Vigencia ${monitor.fiscalYear}, trimestre ${monitor.quarter} · iniciado por ${escapeHtml(monitor.startedBy)} el ${escapeHtml(formatDateTime(monitor.startedAt, timeZone))} ·
<a href="/tablero?anio=${monitor.fiscalYear}&amp;trimestre=${monitor.quarter}">Tablero del trimestre</a>${may(res, ['admin']) ? ` · <a href="/admin/flujos/${escapeHtml(monitor.workflowId)}">Historial del flujo</a>` : ''}</p>
<div id="monitor" data-refresh="/ciclos/${escapeHtml(monitor.workflowId)}/estado">${monitorSection(monitor, role, csrf, timeZone)}</div>`,
      { csrf, current: '/', scripts: ['/assets/monitor.js'] },
    );
  });

  // The monitor's live part, fetched by /assets/monitor.js to refresh without a full reload.
  router.get('/ciclos/:workflowId/estado', auth.requireRolePage('viewer'), async (req, res) => {
    const monitor = scopeMonitor(requestScope(res), await cycleMonitor(cycleIdOf(req)));
    res.type('html').send(monitorSection(monitor, userRole(res), csrfOf(req), timeZone));
  });

  router.get('/api/cycles/:workflowId/monitor', auth.requireRole('viewer'), async (req, res) => {
    res.json(scopeMonitor(requestScope(res), await cycleMonitor(cycleIdOf(req))));
  });

  const reviewAction = (path: string, roles: Parameters<typeof auth.requireRolePage>, act: (req: Request, res: Response, reviewId: string) => Promise<string>) =>
    router.post(`/ciclos/:workflowId/revisiones/:reviewId/${path}`, auth.requireRolePage(...roles), async (req, res) => {
      const cycleId = cycleIdOf(req);
      const reviewId = String(req.params.reviewId ?? '');
      if (!reviewIdPattern.test(reviewId) || !reviewId.startsWith(`${cycleId}-`)) throw new AppError('invalid_input', `Revisión inválida: ${reviewId}`);
      const done = await act(req, res, reviewId);
      res.redirect(303, `/ciclos/${cycleId}?hecho=${done}`);
    });

  reviewAction('cancelacion', ['operator', 'coordinator'], async (req, res, reviewId) => {
    const parsed = cancelForm.safeParse(req.body);
    if (!parsed.success) throw new AppError('invalid_input', 'La cancelación necesita un motivo', describeIssues(parsed.error));
    await cycles.cancelReview(reviewId, { cancelledBy: userName(res), reason: parsed.data.motivo });
    return 'cancelada';
  });
  reviewAction('ampliacion', ['coordinator'], async (req, res, reviewId) => {
    const form = (req.body ?? {}) as Record<string, string>;
    await cycles.extendDeadline(reviewId, { coordinator: userName(res), reason: form.motivo ?? '', window: form.plazo ?? '' });
    return 'ampliado';
  });
  reviewAction('reenvio', ['coordinator'], async (_req, res, reviewId) => {
    await cycles.resendAlert(reviewId, { coordinator: userName(res) });
    return 'reenviada';
  });
  reviewAction('nota', ['coordinator'], async (req, res, reviewId) => {
    await cycles.addNote(reviewId, { coordinator: userName(res), text: String((req.body as Record<string, string>)?.texto ?? '') });
    return 'nota';
  });

  // Concurrent views of the same cycle share one read (each still sees the data as of its arrival),
  // reused while the database's data version is unchanged (services/dataVersion).
  const readMonitorRecords = readByDataVersion(db, async (workflowId) => {
    const [[recorded], records] = await Promise.all([db.select().from(t.cycles).where(eq(t.cycles.workflowId, workflowId)), loadReviewRecords(db, workflowId)]);
    return { recorded, records };
  });

  /**
   * The cycle and every review as the activities recorded them (services/reviewReadModel): two
   * indexed queries, no call to Temporal per review, so the page answers under load and while
   * Temporal is down.
   */
  async function cycleMonitor(workflowId: string): Promise<CycleMonitor> {
    const { recorded, records } = await readMonitorRecords(workflowId);
    // Just started: the workflow exists but its first activity has not recorded the cycle yet.
    const cycle = recorded ?? (await justStarted(workflowId));
    const now = new Date();
    const reviews = records.map((review): CycleMonitorRow => {
      const running = isRunning(review);
      const deadline = review.context?.deadline ?? review.deadline;
      return {
        workflowId: review.workflowId,
        departmentCode: review.department.code,
        departmentName: review.department.name,
        state: reviewStateLabel(review.status, running ? (review.context?.changeRequests.length ?? 0) : 0),
        machineState: review.status,
        deadline,
        timeLeft: review.status === 'awaitingResponse' ? timeLeft(deadline, now) : null,
        round: running ? 1 + (review.context?.changeRequests.length ?? 0) : null,
        flaggedGoals: review.flaggedGoals,
        allowedActions: allowedActionsOf(review),
        running,
        cancellation: review.context?.cancellation ?? null,
        dataError: review.dataError,
      };
    });
    return {
      workflowId,
      fiscalYear: cycle.fiscalYear,
      quarter: cycle.quarter,
      status: cycle.status,
      startedBy: cycle.startedBy,
      startedAt: cycle.startedAt,
      completedAt: cycle.completedAt,
      reviews,
    };
  }

  async function justStarted(workflowId: string) {
    const status = await cycles.cycleStatus(workflowId); // not_found when there is no such workflow
    return {
      fiscalYear: status.cycle.fiscalYear,
      quarter: status.cycle.quarter,
      status: 'running',
      startedBy: '—',
      startedAt: new Date().toISOString(),
      completedAt: null,
    };
  }

  return router;
}

/** A liaison's monitor lists only its own department's review (auth/scope.ts). */
const scopeMonitor = (scope: Scope, monitor: CycleMonitor): CycleMonitor => ({ ...monitor, reviews: withinScope(scope, monitor.reviews, (r) => r.departmentCode) });

function cycleIdOf(req: Request): string {
  const id = String(req.params.workflowId ?? '');
  if (!cycleIdPattern.test(id)) throw new AppError('invalid_input', `Identificador de ciclo inválido: ${id}`);
  return id;
}

const number = (value: number | null | undefined) => (value === null || value === undefined ? '—' : escapeHtml(value.toLocaleString('es-CO')));

function windowWords(window: string): string {
  const match = /^(\d+)([dhms])$/.exec(window);
  if (!match) return window;
  const units: Record<string, [string, string]> = { d: ['día hábil', 'días hábiles'], h: ['hora', 'horas'], m: ['minuto', 'minutos'], s: ['segundo', 'segundos'] };
  const [one, many] = units[match[2] as string] as [string, string];
  return `${match[1]} ${match[1] === '1' ? one : many}`;
}

function startCycleForm(values: { anio: string; trimestre: string; plazo: string }, years: number[]): string {
  const yearOptions = years.map((y) => `<option value="${y}"${String(y) === values.anio ? ' selected' : ''}>${y}</option>`).join('');
  const quarterOptions = [1, 2, 3, 4].map((q) => `<option value="${q}"${String(q) === values.trimestre ? ' selected' : ''}>T${q}</option>`).join('');
  return `<form method="get" action="/ciclos/nuevo" class="filters">
<div><label for="anio">Vigencia</label><select id="anio" name="anio" required>${yearOptions || '<option value="">(importe el Plan Indicativo)</option>'}</select></div>
<div><label for="trimestre">Trimestre</label><select id="trimestre" name="trimestre" required>${quarterOptions}</select></div>
<div><label for="plazo">Plazo de respuesta (días hábiles)</label><input id="plazo" name="plazo" value="${escapeHtml(values.plazo)}" pattern="\\d{1,3}[dhms]" required aria-describedby="plazo-ayuda"></div>
<button type="submit">Ver vista previa</button></form>
<p id="plazo-ayuda">Días hábiles en Colombia (sin fines de semana ni festivos), por ejemplo <code>10d</code>. El plazo vence al final del último día.</p>`;
}

function monitorSection(monitor: CycleMonitor, role: Role | undefined, csrf: string, timeZone: string): string {
  const isCoordinator = role !== undefined && roleSatisfies(role, ['coordinator']);
  const mayCancel = role !== undefined && roleSatisfies(role, ['operator', 'coordinator']);
  const isAdmin = role !== undefined && roleSatisfies(role, ['admin']);
  const base = `/ciclos/${escapeHtml(monitor.workflowId)}/revisiones`;
  const hidden = `<input type="hidden" name="_csrf" value="${escapeHtml(csrf)}">`;
  const rows = monitor.reviews
    .map((r) => {
      const id = escapeHtml(r.workflowId);
      const can = (action: ReviewView['allowedActions'][number]) => r.allowedActions.includes(action);
      const actions = [
        isCoordinator && can('decide') ? `<a href="/coordinacion#h-${id}">Decidir en la bandeja de coordinación</a>` : '',
        isCoordinator && can('extendDeadline')
          ? `<details><summary>Ampliar plazo</summary><form method="post" action="${base}/${id}/ampliacion">${hidden}<label for="m-${id}">Motivo</label><input id="m-${id}" name="motivo" required minlength="10"><label for="p-${id}">Ampliar en</label><select id="p-${id}" name="plazo"><option value="3d">3 días hábiles</option><option value="5d">5 días hábiles</option></select><button type="submit">Ampliar</button></form></details>`
          : '',
        isCoordinator && can('resendAlert') ? `<form method="post" action="${base}/${id}/reenvio" class="inline">${hidden}<button type="submit" class="secondary">Reenviar alerta</button></form>` : '',
        isCoordinator && can('addNote')
          ? `<details><summary>Agregar nota</summary><form method="post" action="${base}/${id}/nota">${hidden}<label for="n-${id}">Nota</label><input id="n-${id}" name="texto" required minlength="3"><button type="submit">Guardar nota</button></form></details>`
          : '',
        mayCancel && can('cancelReview')
          ? `<details><summary>Cancelar revisión</summary><form method="post" action="${base}/${id}/cancelacion">${hidden}<label for="c-${id}">Motivo de la cancelación</label><textarea id="c-${id}" name="motivo" required minlength="10" rows="2"></textarea><button type="submit" class="danger">Cancelar la revisión</button></form></details>`
          : '',
        isAdmin ? `<a href="/admin/flujos/${id}">Historial</a>` : '',
      ]
        .filter(Boolean)
        .join(' ');
      const deadline = r.deadline ? `${escapeHtml(formatDateTime(r.deadline, timeZone))}${r.timeLeft ? `<br><small>${escapeHtml(r.timeLeft)}</small>` : ''}` : '—';
      const cancelled = r.cancellation ? `<br><small>Motivo: ${escapeHtml(r.cancellation.reason)}</small>` : '';
      const dataError = r.dataError
        ? `<div class="error" role="alert"><small>${escapeHtml(r.dataError.reason)}</small>${
            r.dataError.problems.length ? `<ul>${r.dataError.problems.slice(0, 10).map((p) => `<li><small>${escapeHtml(p)}</small></li>`).join('')}</ul>` : ''
          }</div>`
        : '';
      return `<tr><th scope="row">${escapeHtml(r.departmentName)}<br><small>${id}</small></th><td><span class="badge">${escapeHtml(r.state)}</span>${cancelled}${dataError}</td><td>${deadline}</td><td class="num">${r.flaggedGoals}</td><td class="num">${r.round ?? '—'}</td><td>${actions || '—'}</td></tr>`;
    })
    .join('');
  const counts = new Map<string, number>();
  for (const r of monitor.reviews) counts.set(r.state, (counts.get(r.state) ?? 0) + 1);
  const summary = [...counts].map(([state, n]) => `${escapeHtml(state)}: ${n}`).join(' · ');
  const status = monitor.status === 'completed' ? 'Ciclo terminado' : monitor.reviews.length ? 'Ciclo en curso' : 'Clasificando las metas del trimestre…';
  return `<p role="status"><strong>${status}</strong>${summary ? ` — ${summary}` : ''} · <small>Actualizado: ${escapeHtml(formatDateTime(new Date().toISOString(), timeZone))}</small></p>
<div class="table-wrap"><table><caption>Revisiones por dependencia</caption><thead><tr><th scope="col">Dependencia</th><th scope="col">Estado</th><th scope="col">Plazo</th><th scope="col" class="num">Metas</th><th scope="col" class="num">Ronda</th><th scope="col">Acciones</th></tr></thead><tbody>${rows || '<tr><td colspan="6">Aún no hay revisiones.</td></tr>'}</tbody></table></div>`;
}
