import { html, trustedHtml, type SafeHtml } from '../../domain/html';
import { auditActionWords, auditDetailSummary, auditSubjectWords } from './auditWords';
import { scrollRegion } from './scrollRegion';

// The administrators' pages: workflow search and history, the audit log, the outbox.

type When = (iso: string) => string;

export interface WorkflowSearchForm {
  q: { anio?: number | ''; trimestre?: number | ''; dependencia?: string; estado?: string; tipo?: string };
  departments: { code: string; name: string }[];
  /** [value, label] of every state a workflow can be searched by. */
  statusOptions: [string, string][];
}

export interface FoundWorkflow {
  workflowId: string;
  kind: 'cycle' | 'review';
  fiscalYear: number | null;
  quarter: number | null;
  department: string;
  /** The review's state or the cycle's phase in the office's words. */
  stateLabel: string;
  execution: string;
  startTime: string;
  temporalUi: string | null;
}

function searchForm({ q, departments, statusOptions }: WorkflowSearchForm): SafeHtml {
  const selected = (value: unknown, option: string) => (String(value ?? '') === option ? html` selected` : '');
  return html`<form method="get" action="/admin/flujos" class="filters">
<div><label for="anio">Vigencia</label><input id="anio" name="anio" inputmode="numeric" value="${String(q.anio ?? '')}"></div>
<div><label for="trimestre">Trimestre</label><select id="trimestre" name="trimestre"><option value="">Todos</option>${[1, 2, 3, 4].map((n) => html`<option value="${n}"${selected(q.trimestre, String(n))}>T${n}</option>`)}</select></div>
<div><label for="dependencia">Dependencia</label><select id="dependencia" name="dependencia"><option value="">Todas</option>${departments.map((d) => html`<option value="${d.code}"${selected(q.dependencia, d.code)}>${d.name}</option>`)}</select></div>
<div><label for="estado">Estado</label><select id="estado" name="estado"><option value="">Todos</option>${statusOptions.map(([v, l]) => html`<option value="${v}"${selected(q.estado, v)}>${l}</option>`)}</select></div>
<div><label for="tipo">Tipo</label><select id="tipo" name="tipo"><option value="">Ciclos y revisiones</option><option value="cycle"${selected(q.tipo, 'cycle')}>Ciclos</option><option value="review"${selected(q.tipo, 'review')}>Revisiones</option></select></div>
<button type="submit">Buscar</button></form>`;
}

export function workflowSearchPage(form: WorkflowSearchForm, result: { errors: string[] } | { found: FoundWorkflow[] }, when: When): SafeHtml {
  if ('errors' in result) {
    return html`<h1>Buscar flujos</h1>${searchForm(form)}<div class="error" role="alert"><ul>${result.errors.map((d) => html`<li>${d}</li>`)}</ul></div>`;
  }
  const rows = result.found.map(
    (w) =>
      html`<tr><th scope="row"><a href="/admin/flujos/${w.workflowId}">${w.workflowId}</a></th><td>${w.kind === 'cycle' ? 'Ciclo' : 'Revisión'}</td><td>${w.fiscalYear ?? '—'}</td><td>${w.quarter ? `T${w.quarter}` : '—'}</td><td>${w.department}</td><td>${w.stateLabel}</td><td>${w.execution}</td><td>${when(w.startTime)}</td><td>${w.temporalUi ? html`<a href="${w.temporalUi}">Temporal UI</a>` : '—'}</td></tr>`,
  );
  return html`<h1>Buscar flujos</h1>${searchForm(form)}<p role="status">${result.found.length} flujos encontrados (consulta de visibilidad de Temporal sobre FiscalYear, Quarter, DepartmentCode y ReviewStatus).</p>
${scrollRegion('Flujos encontrados', html`<table><caption>Flujos encontrados</caption><thead><tr><th scope="col">Flujo</th><th scope="col">Tipo</th><th scope="col">Vigencia</th><th scope="col">Trimestre</th><th scope="col">Dependencia</th><th scope="col">Estado</th><th scope="col">Ejecución</th><th scope="col">Inicio</th><th scope="col">Temporal</th></tr></thead><tbody>${
    rows.length ? rows : html`<tr><td colspan="9">Ningún flujo coincide.</td></tr>`
  }</tbody></table>`)}`;
}

/** Graphviz's SVG (trusted: rendered here from our own machine definitions) without its XML prologue, labelled for assistive technology. */
function inlineSvg(svg: string, label: string): SafeHtml {
  const start = svg.indexOf('<svg');
  return html`<svg role="img" aria-label="${label}"${trustedHtml(svg.slice(start + '<svg'.length))}`;
}

export interface WorkflowHistoryView {
  workflowId: string;
  cycleId: string;
  review: { departmentCode: string; stateLabel: string } | null;
  temporalUi: string | null;
  timeline: { time: string; label: string; actor?: string | null; detail?: string | null; eventId: string | number }[];
  events: { eventId: string; eventTime: string; eventType: string }[];
  /** Graphviz SVG of each machine with its accessible label, when the workflow is a review. */
  reviewDiagram: { svg: string; label: string } | null;
  goalDiagram: { svg: string; label: string } | null;
}

export function workflowHistoryPage(v: WorkflowHistoryView, when: When): SafeHtml {
  const entries = v.timeline.map(
    (e) =>
      html`<tr><td>${when(e.time)}</td><th scope="row">${e.label}</th><td>${e.actor ?? '—'}</td><td>${e.detail ?? ''}</td><td><a href="#evento-${e.eventId}">Evento ${e.eventId}</a></td></tr>`,
  );
  const raw = v.events.map(
    (e) => html`<tr id="evento-${e.eventId}"><td class="num">${e.eventId}</td><td>${when(e.eventTime)}</td><td><code>${e.eventType.replace(/^EVENT_TYPE_/, '')}</code></td></tr>`,
  );
  return html`<h1>Historial de ${v.workflowId}</h1>
<p>${v.review ? html`Revisión de la dependencia ${v.review.departmentCode}: <span class="badge">${v.review.stateLabel}</span> · ` : ''}<a href="/ciclos/${v.cycleId}">Monitor del ciclo</a> · <a href="/api/workflows/${v.workflowId}/history.json" download>Descargar el historial (JSON, reproducible con Worker.runReplayHistory)</a>${
    v.temporalUi ? html` · <a href="${v.temporalUi}">Ver en Temporal UI</a>` : ''
  }</p>
<h2>Línea de tiempo</h2>
${scrollRegion('Historial de la revisión', html`<table><caption>Qué pasó, según el historial real del flujo en Temporal</caption><thead><tr><th scope="col">Fecha</th><th scope="col">Hecho</th><th scope="col">Quién</th><th scope="col">Detalle</th><th scope="col">Evento</th></tr></thead><tbody>${entries}</tbody></table>`)}
${
  v.reviewDiagram
    ? html`<h2>Máquina de estados de la revisión</h2><p>La revisión de la dependencia: plazo, recordatorios, respuesta, decisión y cierre. Generada a partir de la definición de la máquina; el estado actual está resaltado.</p>${scrollRegion('Diagrama de la máquina de la revisión (desplazable)', inlineSvg(v.reviewDiagram.svg, v.reviewDiagram.label), 'diagram-region')}`
    : ''
}
${
  v.goalDiagram
    ? html`<h2>Máquina de estados de la meta</h2><p>Generada a partir de la definición de la máquina; el estado actual está resaltado.</p>${scrollRegion('Diagrama de la máquina de estados (desplazable)', inlineSvg(v.goalDiagram.svg, v.goalDiagram.label), 'diagram-region')}`
    : ''
}
<h2>Eventos del historial (${v.events.length})</h2>
${scrollRegion('Eventos crudos de Temporal', html`<table><caption>Eventos crudos de Temporal</caption><thead><tr><th scope="col" class="num">N.º</th><th scope="col">Fecha</th><th scope="col">Tipo</th></tr></thead><tbody>${raw}</tbody></table>`)}`;
}

export interface AuditEntry {
  createdAt: string;
  actor: string;
  action: string;
  subject: string;
  details: unknown;
}

/** `names`: people's names by actor (user:N), from services/people. */
export function auditPage(v: { subject: string; action: string; offset: number; total: number; items: AuditEntry[]; names: Map<string, string> }, when: When): SafeHtml {
  const nameOf = (actor: string) => v.names.get(actor) ?? actor;
  const rows = v.items.map(
    (a) =>
      html`<tr><td>${when(a.createdAt)}</td><td>${nameOf(a.actor)}</td><td>${auditActionWords(a.action)}</td><td>${auditSubjectWords(a.subject, nameOf)}</td><td>${auditDetails(a)}</td></tr>`,
  );
  const params = (from: number) => `/admin/auditoria?desde=${from}&sujeto=${encodeURIComponent(v.subject)}&accion=${encodeURIComponent(v.action)}`;
  const next = v.offset + 50 < v.total ? html`<a href="${params(v.offset + 50)}">Más antiguos</a>` : '';
  const previous = v.offset > 0 ? html`<a href="${params(Math.max(0, v.offset - 50))}">Más recientes</a>` : '';
  return html`<h1>Registro de auditoría</h1>
<form method="get" action="/admin/auditoria" class="filters"><div><label for="sujeto">Sujeto contiene</label><input id="sujeto" name="sujeto" value="${v.subject}"></div><div><label for="accion">Acción contiene</label><input id="accion" name="accion" value="${v.action}"></div><button type="submit">Filtrar</button></form>
<p role="status">${v.total} registros.</p>
${scrollRegion('Registro de auditoría', html`<table><caption>Registro de auditoría, del más reciente al más antiguo</caption><thead><tr><th scope="col">Fecha</th><th scope="col">Quién</th><th scope="col">Acción</th><th scope="col">Sujeto</th><th scope="col">Detalle</th></tr></thead><tbody>${rows}</tbody></table>`)}<p>${previous} ${next}</p>`;
}

/** A readable summary; the full record (action code, subject, JSON) folded away for whoever needs it. */
function auditDetails(a: AuditEntry): SafeHtml {
  const summary = auditDetailSummary(a.details);
  return html`${summary ? html`<small>${summary}</small>` : ''}<details><summary>Registro completo</summary><small><code>${a.action}</code> · ${a.subject}</small>${
    a.details ? html`<pre>${JSON.stringify(a.details, null, 1).slice(0, 2000)}</pre>` : ''
  }</details>`;
}

export const mailStatusLabels: Record<string, string> = { stored: 'En bandeja (sin SMTP)', sending: 'Enviando', sent: 'Enviado', failed: 'Falló' };

export function outboxPage(v: { offset: number; total: number; items: { id: number; createdAt: string; to: string[]; subject: string; status: string }[] }, when: When): SafeHtml {
  const rows = v.items.map(
    (m) => html`<tr><td>${when(m.createdAt)}</td><td>${m.to.join(', ')}</td><td><a href="/admin/correos/${m.id}">${m.subject}</a></td><td>${mailStatusLabels[m.status] ?? m.status}</td></tr>`,
  );
  const next = v.offset + 50 < v.total ? html`<p><a href="/admin/correos?desde=${v.offset + 50}">Más antiguos</a></p>` : '';
  return html`<h1>Correos enviados y bandeja de salida</h1><p>${v.total} correos.</p>${scrollRegion('Correos enviados', html`<table><thead><tr><th scope="col">Fecha</th><th scope="col">Para</th><th scope="col">Asunto</th><th scope="col">Estado</th></tr></thead><tbody>${rows}</tbody></table>`)}${next}`;
}

export const mailNotFoundBody = (): SafeHtml => html`<h1>Correo no encontrado</h1>`;

/** One message: its HTML only inside a sandboxed iframe (srcdoc, escaped), never inline. */
export function outboxMessagePage(
  m: { subject: string; to: string[]; cc: string[]; createdAt: string; status: string; html: string; text: string; attachments: { documentId?: number | string | null; fileName: string }[] },
  when: When,
): SafeHtml {
  const attachments = m.attachments.map((a) => (a.documentId ? html`<li><a href="/api/documents/${a.documentId}">${a.fileName}</a></li>` : html`<li>${a.fileName}</li>`));
  return html`<h1>${m.subject}</h1>
<p>Para: ${m.to.join(', ')}${m.cc.length ? ` · Copia: ${m.cc.join(', ')}` : ''} · ${when(m.createdAt)} · ${mailStatusLabels[m.status] ?? m.status}</p>
${attachments.length ? html`<h2>Adjuntos</h2><ul>${attachments}</ul>` : ''}
<h2>Mensaje</h2><iframe title="Contenido del correo" sandbox srcdoc="${m.html}" class="mail"></iframe>
<h2>Versión de texto</h2><pre>${m.text}</pre>
<p><a href="/admin/correos">Volver</a></p>`;
}
