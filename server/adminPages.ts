import express from 'express';
import { z } from 'zod';
import type { Auth } from '../auth';
import { describeIssues } from '../domain/review';
import { goalStateLabels, goalStates, type GoalState } from '../machines/goalStatus';
import type { AppServices } from '../services/appServices';
import type { CycleService } from '../services/cycles';
import { AppError } from '../services/errors';
import { reviewTimeline } from '../services/timeline';
import { reviewStateLabels, reviewStates, type ReviewState } from '../machines/departmentReview';
import { goalMachineSvg, reviewMachineSvg } from './diagram';
import { sendPage } from './html';
import { auditPage, mailNotFoundBody, outboxMessagePage, outboxPage, workflowHistoryPage, workflowSearchPage } from './views/admin';
import { reviewStateLabel } from './reviewWords';
import { formatShortDateTime as formatDateTime } from '../domain/format';
import { parseWorkflowId } from '../domain/workflowIds';

const cyclePhaseLabels: Record<string, string> = { loading: 'Cargando datos', classifying: 'Clasificando', reviewing: 'En revisión', completed: 'Terminado' };

const searchForm = z.object({
  anio: z.union([z.literal(''), z.coerce.number().int().min(2000, 'vigencia: use un año de cuatro cifras').max(2100, 'vigencia: use un año de cuatro cifras')]).optional(),
  trimestre: z.union([z.literal(''), z.coerce.number().int().min(1, 'trimestre: use 1 a 4').max(4, 'trimestre: use 1 a 4')]).optional(),
  dependencia: z.string().trim().max(40).optional(),
  estado: z.string().trim().max(40).optional(),
  tipo: z.enum(['', 'cycle', 'review'], { message: 'tipo: ciclo o revisión' }).optional(),
});

/** Administrators read the outbox in the browser; a message's HTML is shown sandboxed, never inline. */
export function createAdminPagesRouter({
  services,
  auth,
  timeZone,
  cycles,
  temporalUiUrl,
}: {
  services: AppServices;
  auth: Auth;
  timeZone: string;
  cycles: CycleService;
  temporalUiUrl: string | null;
}) {
  const router = express.Router();
  const when = (iso: string) => formatDateTime(iso, timeZone);
  const uiLink = (workflowId: string) =>
    temporalUiUrl ? `${temporalUiUrl}/namespaces/${encodeURIComponent(cycles.namespace)}/workflows/${encodeURIComponent(workflowId)}` : null;

  // Search of cycles and reviews through Temporal visibility queries on the search attributes.
  router.get('/admin/flujos', auth.requireRolePage('admin'), async (req, res) => {
    const csrf = auth.csrfToken(req);
    const parsed = searchForm.safeParse(req.query);
    const departments = await services.departments.names();
    const q = parsed.success ? parsed.data : {};
    const statusOptions: [string, string][] = [
      ...Object.entries(cyclePhaseLabels).map(([value, label]): [string, string] => [value, `Ciclo: ${label}`]),
      ...goalStates
        .filter((s) => !['unclassified', 'notEvaluated', 'onTrack', 'achieved', 'notStarted', 'behind', 'overachieved', 'noReport', 'unprogrammedExecution'].includes(s))
        .map((s): [string, string] => [s, `Revisión: ${reviewStateLabel(s)}`]),
    ];
    const form = { q, departments, statusOptions };
    const options = { csrf, current: '/admin/flujos' };
    if (!parsed.success) return sendPage(res, 'Flujos', workflowSearchPage(form, { errors: describeIssues(parsed.error) }, when), options, 400);
    const found = await cycles.searchWorkflows({
      fiscalYear: q.anio === '' ? undefined : q.anio,
      quarter: q.trimestre === '' ? undefined : q.trimestre,
      departmentCode: q.dependencia || undefined,
      state: q.estado || undefined,
      kind: q.tipo || undefined,
    });
    const names = new Map(departments.map((d) => [d.code, d.name]));
    const rows = found.map((w) => ({
      ...w,
      department: w.departmentCode ? (names.get(w.departmentCode) ?? w.departmentCode) : '—',
      stateLabel: w.kind === 'cycle' ? (cyclePhaseLabels[w.phase ?? ''] ?? w.phase ?? '—') : reviewStateLabel(w.state ?? '—'),
      execution: executionWords[w.execution] ?? w.execution,
      temporalUi: uiLink(w.workflowId),
    }));
    sendPage(res, 'Flujos', workflowSearchPage(form, { found: rows }, when), options);
  });

  // A workflow's history: the domain timeline next to the raw events it comes from, the diagram, downloads.
  router.get('/admin/flujos/:workflowId', auth.requireRolePage('admin'), async (req, res) => {
    const workflowId = String(req.params.workflowId ?? '');
    if (!parseWorkflowId(workflowId)) throw new AppError('invalid_input', `Identificador de flujo inválido: ${workflowId}`);
    const history = await cycles.history(workflowId);
    const events = (history.events ?? []) as { eventId: string; eventTime: string; eventType: string }[];
    const recorded = reviewTimeline(history, timeZone);
    const names = await services.people.names(recorded.flatMap((e) => (e.actor ? [e.actor] : [])));
    const timeline = recorded.map((e) => ({ ...e, actor: e.actor && (names.get(e.actor) ?? e.actor) }));
    const review = await services.reviews.stored(workflowId);
    const state = review && (goalStates as string[]).includes(review.state) ? (review.state as GoalState) : null;
    const goalDiagram = review ? { svg: await goalMachineSvg(state), label: `Máquina de estados de las metas; estado actual: ${state ? goalStateLabels[state] : 'sin estado'}` } : null;
    // The review's state uses the goal-state words; the review machine's own states share them.
    const reviewState = review && (reviewStates as string[]).includes(review.state) ? (review.state as ReviewState) : null;
    const reviewDiagram = review
      ? { svg: await reviewMachineSvg(reviewState), label: `Máquina de estados de la revisión de la dependencia; estado de la revisión: ${reviewState ? reviewStateLabels[reviewState] : 'sin estado'}` }
      : null;
    const cycleId = parseWorkflowId(workflowId)?.cycleWorkflowId ?? workflowId;
    const body = workflowHistoryPage(
      {
        workflowId,
        cycleId,
        review: review ? { departmentCode: review.departmentCode, stateLabel: reviewStateLabel(review.state) } : null,
        temporalUi: uiLink(workflowId),
        timeline,
        events,
        reviewDiagram,
        goalDiagram,
      },
      when,
    );
    sendPage(res, `Historial ${workflowId}`, body, { csrf: auth.csrfToken(req), current: '/admin/flujos', scripts: ['/assets/diagram.js'] });
  });

  router.get('/admin/auditoria', auth.requireRolePage('admin'), async (req, res) => {
    const offset = offsetOf(req.query.desde);
    const subject = String(req.query.sujeto ?? '').trim().slice(0, 200);
    const action = String(req.query.accion ?? '').trim().slice(0, 100);
    const { total, items } = await services.audit.read({ limit: 50, offset, subject: subject || undefined, action: action || undefined });
    const names = await services.people.names(items.flatMap((a) => [a.actor, a.subject]));
    sendPage(res, 'Auditoría', auditPage({ subject, action, offset, total, items, names }, when), { csrf: auth.csrfToken(req), current: '/admin/auditoria' });
  });

  router.get('/admin/correos', auth.requireRolePage('admin'), async (req, res) => {
    const offset = offsetOf(req.query.desde);
    const { total, items } = await services.outbox.list({ limit: 50, offset });
    sendPage(res, 'Correos', outboxPage({ offset, total, items }, when), { csrf: auth.csrfToken(req), current: '/admin/correos' });
  });

  router.get('/admin/correos/:id', auth.requireRolePage('admin'), async (req, res) => {
    const id = String(req.params.id ?? '');
    const message = /^[1-9]\d{0,15}$/.test(id) && Number.isSafeInteger(Number(id)) ? await services.outbox.message(Number(id)) : null;
    if (!message) return sendPage(res, 'No encontrado', mailNotFoundBody(), {}, 404);
    // The message's own HTML (inline styles) is shown in a sandboxed srcdoc iframe, which inherits
    // this page's CSP: only this page lets inline styles through, so the e-mail looks as sent.
    res.setHeader('Content-Security-Policy', String(res.getHeader('Content-Security-Policy') ?? '').replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"));
    sendPage(res, message.subject, outboxMessagePage(message, when), { csrf: auth.csrfToken(req), current: '/admin/correos' });
  });

  return router;
}

/** A page offset (?desde=): a whole number up to a million, anything else is the first page. */
const offsetOf = (value: unknown) => {
  const n = Number(value ?? 0);
  return Number.isSafeInteger(n) && n > 0 ? Math.min(n, 1_000_000) : 0;
};

const executionWords: Record<string, string> = {
  RUNNING: 'En curso',
  COMPLETED: 'Terminado',
  FAILED: 'Falló',
  CANCELLED: 'Cancelado',
  TERMINATED: 'Terminado a la fuerza',
  TIMED_OUT: 'Venció',
  CONTINUED_AS_NEW: 'Continuado',
};
