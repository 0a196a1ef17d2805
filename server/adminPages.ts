import express from 'express';
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Auth } from '../auth';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { describeIssues } from '../domain/review';
import { outboxMessage, readOutbox } from '../mail';
import { goalStateLabels, goalStates, type GoalState } from '../machines/goalStatus';
import type { CycleService } from '../services/cycles';
import { AppError } from '../services/errors';
import { reviewTimeline } from '../services/timeline';
import { reviewStateLabels, reviewStates, type ReviewState } from '../machines/departmentReview';
import { goalMachineSvg, reviewMachineSvg } from './diagram';
import { readAuditLog } from './audit';
import { escapeHtml, sendPage } from './html';
import { reviewStateLabel } from './reviewWords';
import { formatShortDateTime as formatDateTime } from '../domain/format';

const workflowIdPattern = /^revision-\d{4}-T[1-4](-[A-Za-z0-9_.-]+)?$/;
const cyclePhaseLabels: Record<string, string> = { loading: 'Cargando datos', classifying: 'Clasificando', reviewing: 'En revisión', completed: 'Terminado' };

const searchForm = z.object({
  anio: z.union([z.literal(''), z.coerce.number().int().min(2000, 'vigencia: use un año de cuatro cifras').max(2100, 'vigencia: use un año de cuatro cifras')]).optional(),
  trimestre: z.union([z.literal(''), z.coerce.number().int().min(1, 'trimestre: use 1 a 4').max(4, 'trimestre: use 1 a 4')]).optional(),
  dependencia: z.string().trim().max(40).optional(),
  estado: z.string().trim().max(40).optional(),
  tipo: z.enum(['', 'cycle', 'review'], { message: 'tipo: ciclo o revisión' }).optional(),
});

const statusLabels: Record<string, string> = { stored: 'En bandeja (sin SMTP)', sending: 'Enviando', sent: 'Enviado', failed: 'Falló' };

/** Administrators read the outbox in the browser; a message's HTML is shown sandboxed, never inline. */
export function createAdminPagesRouter({
  db,
  auth,
  timeZone,
  cycles,
  temporalUiUrl,
}: {
  db: Database;
  auth: Auth;
  timeZone: string;
  cycles: CycleService;
  temporalUiUrl: string | null;
}) {
  const router = express.Router();
  const uiLink = (workflowId: string) =>
    temporalUiUrl ? `${temporalUiUrl}/namespaces/${encodeURIComponent(cycles.namespace)}/workflows/${encodeURIComponent(workflowId)}` : null;

  // Search of cycles and reviews through Temporal visibility queries on the search attributes.
  router.get('/admin/flujos', auth.requireRolePage('admin'), async (req, res) => {
    const csrf = auth.csrfToken(req);
    const parsed = searchForm.safeParse(req.query);
    const departments = await db.select({ code: t.departments.code, name: t.departments.name }).from(t.departments).orderBy(asc(t.departments.name));
    const q = parsed.success ? parsed.data : {};
    const selected = (value: unknown, option: string) => (String(value ?? '') === option ? ' selected' : '');
    const statusOptions = [
      ...Object.entries(cyclePhaseLabels).map(([value, label]) => [value, `Ciclo: ${label}`]),
      ...goalStates.filter((s) => !['unclassified', 'notEvaluated', 'onTrack', 'achieved', 'notStarted', 'behind', 'overachieved'].includes(s)).map((s) => [s, `Revisión: ${reviewStateLabel(s)}`]),
    ];
    const form = `<form method="get" action="/admin/flujos" class="filters">
<div><label for="anio">Vigencia</label><input id="anio" name="anio" inputmode="numeric" value="${escapeHtml(String(q.anio ?? ''))}"></div>
<div><label for="trimestre">Trimestre</label><select id="trimestre" name="trimestre"><option value="">Todos</option>${[1, 2, 3, 4].map((n) => `<option value="${n}"${selected(q.trimestre, String(n))}>T${n}</option>`).join('')}</select></div>
<div><label for="dependencia">Dependencia</label><select id="dependencia" name="dependencia"><option value="">Todas</option>${departments.map((d) => `<option value="${escapeHtml(d.code)}"${selected(q.dependencia, d.code)}>${escapeHtml(d.name)}</option>`).join('')}</select></div>
<div><label for="estado">Estado</label><select id="estado" name="estado"><option value="">Todos</option>${statusOptions.map(([v, l]) => `<option value="${escapeHtml(v as string)}"${selected(q.estado, v as string)}>${escapeHtml(l as string)}</option>`).join('')}</select></div>
<div><label for="tipo">Tipo</label><select id="tipo" name="tipo"><option value="">Ciclos y revisiones</option><option value="cycle"${selected(q.tipo, 'cycle')}>Ciclos</option><option value="review"${selected(q.tipo, 'review')}>Revisiones</option></select></div>
<button type="submit">Buscar</button></form>`;
    if (!parsed.success) {
      const errors = describeIssues(parsed.error).map((d) => `<li>${escapeHtml(d)}</li>`).join('');
      return sendPage(res, 'Flujos', `<h1>Buscar flujos</h1>${form}<div class="error" role="alert"><ul>${errors}</ul></div>`, { csrf, current: '/admin/flujos' }, 400);
    }
    const found = await cycles.searchWorkflows({
      fiscalYear: q.anio === '' ? undefined : q.anio,
      quarter: q.trimestre === '' ? undefined : q.trimestre,
      departmentCode: q.dependencia || undefined,
      status: q.estado || undefined,
      kind: q.tipo || undefined,
    });
    const names = new Map(departments.map((d) => [d.code, d.name]));
    const rows = found
      .map((w) => {
        const id = escapeHtml(w.workflowId);
        const state = w.kind === 'cycle' ? (cyclePhaseLabels[w.status ?? ''] ?? w.status ?? '—') : reviewStateLabel(w.status ?? '—');
        const ui = uiLink(w.workflowId);
        return `<tr><th scope="row"><a href="/admin/flujos/${id}">${id}</a></th><td>${w.kind === 'cycle' ? 'Ciclo' : 'Revisión'}</td><td>${w.fiscalYear ?? '—'}</td><td>${w.quarter ? `T${w.quarter}` : '—'}</td><td>${escapeHtml(w.departmentCode ? (names.get(w.departmentCode) ?? w.departmentCode) : '—')}</td><td>${escapeHtml(state)}</td><td>${escapeHtml(executionWords[w.execution] ?? w.execution)}</td><td>${escapeHtml(formatDateTime(w.startTime, timeZone))}</td><td>${ui ? `<a href="${escapeHtml(ui)}">Temporal UI</a>` : '—'}</td></tr>`;
      })
      .join('');
    sendPage(
      res,
      'Flujos',
      `<h1>Buscar flujos</h1>${form}<p role="status">${found.length} flujos encontrados (consulta de visibilidad de Temporal sobre FiscalYear, Quarter, DepartmentCode y ReviewStatus).</p>
<div class="table-wrap"><table><caption>Flujos encontrados</caption><thead><tr><th scope="col">Flujo</th><th scope="col">Tipo</th><th scope="col">Vigencia</th><th scope="col">Trimestre</th><th scope="col">Dependencia</th><th scope="col">Estado</th><th scope="col">Ejecución</th><th scope="col">Inicio</th><th scope="col">Temporal</th></tr></thead><tbody>${rows || '<tr><td colspan="9">Ningún flujo coincide.</td></tr>'}</tbody></table></div>`,
      { csrf, current: '/admin/flujos' },
    );
  });

  // A workflow's history: the domain timeline next to the raw events it comes from, the diagram, downloads.
  router.get('/admin/flujos/:workflowId', auth.requireRolePage('admin'), async (req, res) => {
    const workflowId = String(req.params.workflowId ?? '');
    if (!workflowIdPattern.test(workflowId)) throw new AppError('invalid_input', `Identificador de flujo inválido: ${workflowId}`);
    const history = await cycles.history(workflowId);
    const events = (history.events ?? []) as { eventId: string; eventTime: string; eventType: string }[];
    const timeline = reviewTimeline(history);
    const [review] = await db.select().from(t.departmentReviews).where(eq(t.departmentReviews.workflowId, workflowId));
    const state = review && (goalStates as string[]).includes(review.status) ? (review.status as GoalState) : null;
    const diagram = review ? inlineSvg(await goalMachineSvg(state), `Máquina de estados de las metas; estado actual: ${state ? goalStateLabels[state] : 'sin estado'}`) : '';
    // The review's status uses the goal-state words; the review machine's own states share them.
    const reviewState = review && (reviewStates as string[]).includes(review.status) ? (review.status as ReviewState) : null;
    const reviewDiagram = review
      ? inlineSvg(await reviewMachineSvg(reviewState), `Máquina de estados de la revisión de la dependencia; estado de la revisión: ${reviewState ? reviewStateLabels[reviewState] : 'sin estado'}`)
      : '';
    const cycleId = workflowId.replace(/^(revision-\d{4}-T[1-4]).*$/, '$1');
    const ui = uiLink(workflowId);
    const entries = timeline
      .map(
        (e) =>
          `<tr><td>${escapeHtml(formatDateTime(e.time, timeZone))}</td><th scope="row">${escapeHtml(e.label)}</th><td>${escapeHtml(e.actor ?? '—')}</td><td>${escapeHtml(e.detail ?? '')}</td><td><a href="#evento-${e.eventId}">Evento ${e.eventId}</a></td></tr>`,
      )
      .join('');
    const raw = events
      .map(
        (e) =>
          `<tr id="evento-${escapeHtml(e.eventId)}"><td class="num">${escapeHtml(e.eventId)}</td><td>${escapeHtml(formatDateTime(e.eventTime, timeZone))}</td><td><code>${escapeHtml(e.eventType.replace(/^EVENT_TYPE_/, ''))}</code></td></tr>`,
      )
      .join('');
    sendPage(
      res,
      `Historial ${workflowId}`,
      `<h1>Historial de ${escapeHtml(workflowId)}</h1>
<p>${review ? `Revisión de la dependencia ${escapeHtml(review.departmentCode)}: <span class="badge">${escapeHtml(reviewStateLabel(review.status))}</span> · ` : ''}<a href="/ciclos/${escapeHtml(cycleId)}">Monitor del ciclo</a> · <a href="/api/workflows/${escapeHtml(workflowId)}/history.json" download>Descargar el historial (JSON, reproducible con Worker.runReplayHistory)</a>${ui ? ` · <a href="${escapeHtml(ui)}">Ver en Temporal UI</a>` : ''}</p>
<h2>Línea de tiempo</h2>
<div class="table-wrap"><table><caption>Qué pasó, según el historial real del flujo en Temporal</caption><thead><tr><th scope="col">Fecha</th><th scope="col">Hecho</th><th scope="col">Quién</th><th scope="col">Detalle</th><th scope="col">Evento</th></tr></thead><tbody>${entries}</tbody></table></div>
${reviewDiagram ? `<h2>Máquina de estados de la revisión</h2><p>La revisión de la dependencia: plazo, recordatorios, respuesta, decisión y cierre. Generada a partir de la definición de la máquina; el estado actual está resaltado.</p><div class="table-wrap" tabindex="0" role="region" aria-label="Diagrama de la máquina de la revisión (desplazable)">${reviewDiagram}</div>` : ''}
${diagram ? `<h2>Máquina de estados de la meta</h2><p>Generada a partir de la definición de la máquina; el estado actual está resaltado.</p><div class="table-wrap" tabindex="0" role="region" aria-label="Diagrama de la máquina de estados (desplazable)">${diagram}</div>` : ''}
<h2>Eventos del historial (${events.length})</h2>
<div class="table-wrap"><table><caption>Eventos crudos de Temporal</caption><thead><tr><th scope="col" class="num">N.º</th><th scope="col">Fecha</th><th scope="col">Tipo</th></tr></thead><tbody>${raw}</tbody></table></div>`,
      { csrf: auth.csrfToken(req), current: '/admin/flujos' },
    );
  });

  router.get('/admin/auditoria', auth.requireRolePage('admin'), async (req, res) => {
    const offset = offsetOf(req.query.desde);
    const subject = String(req.query.sujeto ?? '').trim().slice(0, 200);
    const action = String(req.query.accion ?? '').trim().slice(0, 100);
    const { total, items } = await readAuditLog(db, { limit: 50, offset, subject: subject || undefined, action: action || undefined });
    const rows = items
      .map(
        (a) =>
          `<tr><td>${escapeHtml(formatDateTime(a.createdAt, timeZone))}</td><td>${escapeHtml(a.actor)}</td><td><code>${escapeHtml(a.action)}</code></td><td>${escapeHtml(a.subject)}</td><td><small>${escapeHtml(a.details ? JSON.stringify(a.details).slice(0, 300) : '')}</small></td></tr>`,
      )
      .join('');
    const params = (from: number) => `/admin/auditoria?desde=${from}&amp;sujeto=${encodeURIComponent(subject)}&amp;accion=${encodeURIComponent(action)}`;
    const next = offset + 50 < total ? `<a href="${params(offset + 50)}">Más antiguos</a>` : '';
    const previous = offset > 0 ? `<a href="${params(Math.max(0, offset - 50))}">Más recientes</a>` : '';
    sendPage(
      res,
      'Auditoría',
      `<h1>Registro de auditoría</h1>
<form method="get" action="/admin/auditoria" class="filters"><div><label for="sujeto">Sujeto contiene</label><input id="sujeto" name="sujeto" value="${escapeHtml(subject)}"></div><div><label for="accion">Acción contiene</label><input id="accion" name="accion" value="${escapeHtml(action)}"></div><button type="submit">Filtrar</button></form>
<p role="status">${total} registros.</p>
<div class="table-wrap"><table><caption>Registro de auditoría, del más reciente al más antiguo</caption><thead><tr><th scope="col">Fecha</th><th scope="col">Quién</th><th scope="col">Acción</th><th scope="col">Sujeto</th><th scope="col">Detalle</th></tr></thead><tbody>${rows}</tbody></table></div><p>${previous} ${next}</p>`,
      { csrf: auth.csrfToken(req), current: '/admin/auditoria' },
    );
  });
  const when = (iso: string) => formatDateTime(iso, timeZone);

  router.get('/admin/correos', auth.requireRolePage('admin'), async (req, res) => {
    const offset = offsetOf(req.query.desde);
    const { total, items } = await readOutbox(db, { limit: 50, offset });
    const rows = items
      .map(
        (m) =>
          `<tr><td>${escapeHtml(when(m.createdAt))}</td><td>${escapeHtml(m.to.join(', '))}</td><td><a href="/admin/correos/${m.id}">${escapeHtml(m.subject)}</a></td><td>${escapeHtml(statusLabels[m.status] ?? m.status)}</td></tr>`,
      )
      .join('');
    const next = offset + 50 < total ? `<p><a href="/admin/correos?desde=${offset + 50}">Más antiguos</a></p>` : '';
    sendPage(
      res,
      'Correos',
        `<h1>Correos enviados y bandeja de salida</h1><p>${total} correos.</p><table><thead><tr><th scope="col">Fecha</th><th scope="col">Para</th><th scope="col">Asunto</th><th scope="col">Estado</th></tr></thead><tbody>${rows}</tbody></table>${next}`,
      { csrf: auth.csrfToken(req), current: '/admin/correos' },
    );
  });

  router.get('/admin/correos/:id', auth.requireRolePage('admin'), async (req, res) => {
    const id = String(req.params.id ?? '');
    const message = /^[1-9]\d{0,15}$/.test(id) && Number.isSafeInteger(Number(id)) ? await outboxMessage(db, Number(id)) : null;
    if (!message) return sendPage(res, 'No encontrado', '<h1>Correo no encontrado</h1>', {}, 404);
    const attachments = message.attachments
      .map((a) => (a.documentId ? `<li><a href="/api/documents/${a.documentId}">${escapeHtml(a.fileName)}</a></li>` : `<li>${escapeHtml(a.fileName)}</li>`))
      .join('');
    sendPage(
      res,
      message.subject,
        `<h1>${escapeHtml(message.subject)}</h1>
<p>Para: ${escapeHtml(message.to.join(', '))}${message.cc.length ? ` · Copia: ${escapeHtml(message.cc.join(', '))}` : ''} · ${escapeHtml(when(message.createdAt))} · ${escapeHtml(statusLabels[message.status] ?? message.status)}</p>
${attachments ? `<h2>Adjuntos</h2><ul>${attachments}</ul>` : ''}
<h2>Mensaje</h2><iframe title="Contenido del correo" sandbox srcdoc="${escapeHtml(message.html)}" style="width:100%;height:32rem;border:1px solid #888"></iframe>
<h2>Versión de texto</h2><pre style="white-space:pre-wrap">${escapeHtml(message.text)}</pre>
<p><a href="/admin/correos">Volver</a></p>`,
      { csrf: auth.csrfToken(req), current: '/admin/correos' },
    );
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

/** Graphviz's SVG without its XML prologue, labelled for assistive technology. */
function inlineSvg(svg: string, label: string): string {
  const start = svg.indexOf('<svg');
  return svg.slice(start).replace('<svg', `<svg role="img" aria-label="${escapeHtml(label)}"`);
}
