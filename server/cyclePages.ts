import { localDate } from '../domain/businessDays';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { Auth } from '../auth';
import { roleSatisfies, type Role } from '../auth/roles';
import { requestScope, withinScope, type Scope } from '../auth/scope';
import { describeIssues } from '../domain/review';
import { parseResponseWindow } from '../domain/responseWindow';
import type { AppServices } from '../services/appServices';
import type { CycleService } from '../services/cycles';
import { allowedActionsOf, isRunning } from '../services/reviewReadModel';
import { AppError } from '../services/errors';
import { sendPage } from './html';
import {
  cycleListPage,
  cycleMonitorPage,
  cyclePreviewPage,
  monitorOrders,
  monitorSection,
  startCyclePage,
  stateFamilies,
  stateFamilyOf,
  stateFamilySlugs,
  type CycleMonitor,
  type CycleMonitorRow,
  type MonitorFilter,
  type MonitorOrder,
  type MonitorPermissions,
} from './views/cycles';
import { reviewStateLabel, timeLeft } from './reviewWords';
import { cycleTitle, formatShortDateTime as formatDateTime } from '../domain/format';
import { nameOf } from '../services/people';
import { parseCycleWorkflowId, parseReviewWorkflowId } from '../domain/workflowIds';

export type { CycleMonitor, CycleMonitorRow } from './views/cycles';


/** Whole business days ("10") as the form asks them; the older "10d" and drill units (2h, 5m, 30s) still work. */
const windowOf = (typed: string) => (/^\d{1,3}$/.test(typed) ? `${Number(typed)}d` : typed);

const startForm = z.object({
  anio: z.coerce
    .number({ message: 'elija un año de la lista' })
    .int('elija un año de la lista')
    .min(2000, 'debe ser un año entre 2000 y 2100')
    .max(2100, 'debe ser un año entre 2000 y 2100'),
  trimestre: z.coerce.number({ message: 'elija un trimestre de T1 a T4' }).int('elija un trimestre de T1 a T4').min(1, 'elija un trimestre de T1 a T4').max(4, 'elija un trimestre de T1 a T4'),
  plazo: z
    .string({ message: 'escriba el número de días hábiles, por ejemplo 10' })
    .trim()
    .default('10')
    .transform(windowOf)
    .refine((w) => parseResponseWindow(w).ok, 'escriba un número de días hábiles mayor que cero, por ejemplo 10'),
});

/** The start form's fields as the operator sees them. */
const startFormLabels = { anio: 'Vigencia', trimestre: 'Trimestre', plazo: 'Plazo de respuesta' };

/** The records a review keeps, as the office names them. */
const documentLabels: Record<string, string> = {
  noAdjustmentRecord: 'Constancia de negativa de ajustes',
  justificationAndCommitment: 'Justificación y compromiso',
};

const cancelForm = z.object({ motivo: z.string().trim().min(10, 'escriba al menos 10 caracteres').max(2000, 'máximo 2000 caracteres') });

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
export function createCyclePagesRouter({ services, cycles, auth, timeZone }: { services: AppServices; cycles: CycleService; auth: Auth; timeZone: string }) {
  const router = express.Router();
  const csrfOf = (req: Request) => auth.csrfToken(req);
  const userRole = (res: Response): Role | undefined => res.locals.user?.role;
  const may = (res: Response, roles: Role[]) => {
    const role = userRole(res);
    return role !== undefined && roleSatisfies(role, roles);
  };
  const userName = (res: Response) => String(res.locals.user?.name ?? '');
  const actorOf = (res: Response) => String(res.locals.actor ?? userName(res));
  const when = (iso: string) => formatDateTime(iso, timeZone);
  const permissionsOf = (res: Response): MonitorPermissions => ({
    isCoordinator: may(res, ['coordinator']),
    mayCancel: may(res, ['operator', 'coordinator']),
    isAdmin: may(res, ['admin']),
  });

  router.get('/', auth.requireRolePage('viewer'), async (req, res) => {
    const rows = await services.cycleRecords.recent(100);
    sendPage(res, 'Ciclos de revisión', cycleListPage(rows, may(res, ['operator']), when), { csrf: csrfOf(req), current: '/' });
  });

  router.get('/ciclos/nuevo', auth.requireRolePage('operator'), async (req, res) => {
    const csrf = csrfOf(req);
    const [years, reported] = await Promise.all([services.plan.programmedYears(), services.reports.latestReportedQuarters()]);
    const asked = Object.keys(req.query).length > 0;
    const parsed = startForm.safeParse(req.query);
    const suggested = suggestedQuarter(years, reported, timeZone);
    const typedWindow = String(req.query.plazo ?? '10');
    const values = {
      anio: String(req.query.anio ?? suggested.fiscalYear ?? ''),
      trimestre: String(req.query.trimestre ?? suggested.quarter),
      // "10d" (older links) reads back as the number the field asks for.
      plazo: /^\d{1,3}d$/.test(typedWindow) ? typedWindow.slice(0, -1) : typedWindow,
    };
    const options = { csrf, current: '/ciclos/nuevo' };
    if (!asked) return sendPage(res, 'Iniciar ciclo', startCyclePage(values, years), options);
    if (!parsed.success) return sendPage(res, 'Iniciar ciclo', startCyclePage(values, years, { errors: describeIssues(parsed.error, startFormLabels) }), options, 400);
    const { anio, trimestre, plazo } = parsed.data;
    let preview;
    try {
      preview = await cycles.previewCycle({ fiscalYear: anio, quarter: trimestre });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return sendPage(res, 'Iniciar ciclo', startCyclePage(values, years, { message: error.message }), { csrf }, error.httpStatus);
    }
    sendPage(res, 'Vista previa del ciclo', cyclePreviewPage(preview, { anio, trimestre, plazo }, values, years, csrf), options);
  });

  router.post('/ciclos', auth.requireRolePage('operator'), async (req, res) => {
    const parsed = startForm.safeParse(req.body);
    if (!parsed.success) {
      throw new AppError('invalid_input', `No se pudo iniciar el ciclo: ${describeIssues(parsed.error, startFormLabels).join('; ')}`);
    }
    const { anio, trimestre, plazo } = parsed.data;
    // The account (user:N), as the API records it; pages show its name (services/people).
    const started = await cycles.startCycle({ fiscalYear: anio, quarter: trimestre, window: plazo, startedBy: actorOf(res) });
    res.redirect(303, `/ciclos/${started.workflowId}?hecho=${started.created ? 'iniciado' : 'existente'}`);
  });

  router.get('/ciclos/:workflowId', auth.requireRolePage('viewer'), async (req, res) => {
    const whole = scopeMonitor(requestScope(res), await cycleMonitor(cycleIdOf(req)));
    const filter = filterOf(req);
    const monitor = filteredMonitor(whole, filter);
    const departments = whole.reviews.map((r) => ({ code: r.departmentCode, name: r.departmentName })).sort((a, b) => collator.compare(a.name, b.name));
    const csrf = csrfOf(req);
    const done = doneMessages[String(req.query.hecho ?? '')];
    const body = cycleMonitorPage({ monitor, done, permissions: permissionsOf(res), csrf, when, now: new Date().toISOString(), filter, departments });
    sendPage(res, monitor.title, body, { csrf, current: '/', scripts: ['/assets/monitor.js'] });
  });

  // The monitor's live part, fetched by /assets/monitor.js to refresh without a full reload (same filter).
  router.get('/ciclos/:workflowId/estado', auth.requireRolePage('viewer'), async (req, res) => {
    const monitor = filteredMonitor(scopeMonitor(requestScope(res), await cycleMonitor(cycleIdOf(req))), filterOf(req));
    res.type('html').send(monitorSection({ monitor, permissions: permissionsOf(res), csrf: csrfOf(req), when, now: new Date().toISOString() }).value);
  });

  router.get('/api/cycles/:workflowId/monitor', auth.requireRole('viewer'), async (req, res) => {
    res.json(scopeMonitor(requestScope(res), await cycleMonitor(cycleIdOf(req))));
  });

  const reviewAction = (path: string, roles: Parameters<typeof auth.requireRolePage>, act: (req: Request, res: Response, reviewId: string) => Promise<string>) =>
    router.post(`/ciclos/:workflowId/revisiones/:reviewId/${path}`, auth.requireRolePage(...roles), async (req, res) => {
      const cycleId = cycleIdOf(req);
      const reviewId = String(req.params.reviewId ?? '');
      if (parseReviewWorkflowId(reviewId)?.cycleWorkflowId !== cycleId) throw new AppError('invalid_input', `Revisión inválida: ${reviewId}`);
      const done = await act(req, res, reviewId);
      res.redirect(303, `/ciclos/${cycleId}?hecho=${done}`);
    });

  reviewAction('cancelacion', ['operator', 'coordinator'], async (req, res, reviewId) => {
    const parsed = cancelForm.safeParse(req.body);
    if (!parsed.success) throw new AppError('invalid_input', 'La cancelación necesita un motivo', describeIssues(parsed.error, { motivo: 'Motivo' }));
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

  /**
   * The cycle and every review as the activities recorded them (services/reviewReadModel): two
   * indexed queries, no call to Temporal per review, so the page answers under load and while
   * Temporal is down.
   */
  async function cycleMonitor(workflowId: string): Promise<CycleMonitor> {
    const { recorded, records, documents } = await services.cycleRecords.withReviews(workflowId);
    // Just started: the workflow exists but its first activity has not recorded the cycle yet.
    const cycle = recorded ?? (await justStarted(workflowId));
    const now = new Date();
    const late = await services.lateResponses.reviewsWithLate(records.map((r) => r.workflowId));
    const reviews = records.map((review): CycleMonitorRow => {
      const running = isRunning(review);
      const deadline = review.context?.deadline ?? review.deadline;
      return {
        workflowId: review.workflowId,
        departmentCode: review.department.code,
        departmentName: review.department.name,
        state: review.state,
        stateLabel: reviewStateLabel(review.state, running ? (review.context?.changeRequests.length ?? 0) : 0),
        stateFamily: stateFamilyOf(review.state),
        // A negativa closes when its deadline passes, before the workflow records its end.
        closedAt: running ? null : (review.completedAt ?? review.context?.cancellation?.at ?? (review.state === 'noAdjustment' ? deadline : null)),
        deadline,
        timeLeft: review.state === 'awaitingResponse' ? timeLeft(deadline, now) : null,
        round: running ? 1 + (review.context?.changeRequests.length ?? 0) : null,
        flaggedGoals: review.flaggedGoals,
        allowedActions: allowedActionsOf(review),
        running,
        cancellation: review.context?.cancellation ?? null,
        dataError: review.dataError,
        documents: documents
          .filter((d) => d.reviewWorkflowId === review.workflowId)
          .map((d) => ({ id: d.id, label: documentLabels[d.kind] ?? d.kind, fileName: d.fileName })),
        lateResponseId: late.get(review.workflowId),
      };
    });
    const names = await services.people.names([cycle.startedBy]);
    return {
      workflowId,
      title: cycleTitle(cycle.fiscalYear, cycle.quarter),
      fiscalYear: cycle.fiscalYear,
      quarter: cycle.quarter,
      phase: cycle.phase,
      startedBy: nameOf(names, cycle.startedBy),
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
      phase: status.cycle.phase,
      startedBy: status.cycle.startedBy ?? '—',
      startedAt: new Date().toISOString(),
      completedAt: null,
    };
  }

  return router;
}

/** A liaison's monitor lists only its own department's review (auth/scope.ts). */
const scopeMonitor = (scope: Scope, monitor: CycleMonitor): CycleMonitor => ({ ...monitor, reviews: withinScope(scope, monitor.reviews, (r) => r.departmentCode) });

/** The monitor's filter and order from the query string; anything unknown is ignored. */
function filterOf(req: Request): MonitorFilter {
  const slug = String(req.query.estado ?? '');
  const orden = String(req.query.orden ?? '');
  return {
    estado: stateFamilies.find((f) => stateFamilySlugs[f] === slug) ?? '',
    dependencia: String(req.query.dependencia ?? '').slice(0, 60),
    orden: (monitorOrders as readonly string[]).includes(orden) ? (orden as MonitorOrder) : 'dependencia',
  };
}

const collator = new Intl.Collator('es-CO');
/** Waiting reviews first by their deadline; the others after, by department. */
const byDeadline = (a: CycleMonitorRow, b: CycleMonitorRow) => {
  const deadline = (r: CycleMonitorRow) => (r.running && r.stateFamily === 'waiting' && r.deadline ? Date.parse(r.deadline) : Number.POSITIVE_INFINITY);
  return deadline(a) - deadline(b) || collator.compare(a.departmentName, b.departmentName);
};
const byState = (a: CycleMonitorRow, b: CycleMonitorRow) =>
  stateFamilies.indexOf(a.stateFamily) - stateFamilies.indexOf(b.stateFamily) || collator.compare(a.departmentName, b.departmentName);

function filteredMonitor(monitor: CycleMonitor, filter: MonitorFilter): CycleMonitor {
  const kept = monitor.reviews.filter((r) => (!filter.estado || r.stateFamily === filter.estado) && (!filter.dependencia || r.departmentCode === filter.dependencia));
  const order = filter.orden === 'plazo' ? byDeadline : filter.orden === 'estado' ? byState : (a: CycleMonitorRow, b: CycleMonitorRow) => collator.compare(a.departmentName, b.departmentName);
  return { ...monitor, reviews: kept.sort(order), filtered: kept.length < monitor.reviews.length };
}

/**
 * The quarter the start form proposes: the latest one with reported progress (the one whose data
 * is in); without any, the current quarter of a programmed year.
 */
function suggestedQuarter(years: number[], reported: Map<number, number>, timeZone: string, now = new Date()): { fiscalYear: number | undefined; quarter: number } {
  const latestReported = [...reported.keys()].filter((y) => years.includes(y)).sort((a, b) => b - a)[0];
  if (latestReported !== undefined) return { fiscalYear: latestReported, quarter: reported.get(latestReported) ?? 1 };
  // Today in the office's time zone, not the server's (31 December 20:00 in Bogotá is already 1 January in UTC).
  const [thisYear, month] = localDate(now, timeZone).split('-').map(Number) as [number, number];
  return { fiscalYear: years.includes(thisYear) ? thisYear : years.at(-1), quarter: Math.floor((month - 1) / 3) + 1 };
}

function cycleIdOf(req: Request): string {
  const id = String(req.params.workflowId ?? '');
  if (!parseCycleWorkflowId(id)) throw new AppError('invalid_input', `Identificador de ciclo inválido: ${id}`);
  return id;
}
