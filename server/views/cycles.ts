import { html, type SafeHtml } from '../../domain/html';
import { goalStatusLabels, type GoalStatus } from '../../domain/goals';
import type { CyclePhase, GoalState, ReviewView } from '../../domain/reviewViews';
import { cycleTitle, formatNumber, quarterLabel } from '../../domain/format';
import type { CyclePreview } from '../../services/cycles';

// Operations pages: the cycles, starting one after its preview, and the cycle monitor.

type When = (iso: string) => string;

/** A review row of the cycle monitor (server/cyclePages.ts builds it from the read model). */
export interface CycleMonitorRow {
  workflowId: string;
  departmentCode: string;
  departmentName: string;
  /** The review machine's state as shown (ReviewView.state). */
  state: GoalState;
  /** That state in the office's words (alertada, esperando respuesta, …). */
  stateLabel: string;
  /** The badge's colour family (class state-<family>). */
  stateFamily: StateFamily;
  /** When a finished review closed (its outcome recorded or its cancellation). */
  closedAt: string | null;
  deadline: string | null;
  timeLeft: string | null;
  round: number | null;
  flaggedGoals: number;
  allowedActions: ReviewView['allowedActions'];
  running: boolean;
  cancellation: ReviewView['cancellation'];
  /** Why the department's stored data could not be processed (state dataError, "Error de datos"). */
  dataError: { reason: string; problems: string[] } | null;
  /** The review's stored records (constancia, justification and commitment), each a PDF. */
  documents: { id: number; label: string; fileName: string }[];
  /** The latest respuesta extemporánea that arrived after the deadline, if any (server/lateResponses.ts). */
  lateResponseId?: number;
}

export interface CycleMonitor {
  workflowId: string;
  /** "Revisión trimestral 2026 · T3" (domain/format cycleTitle). */
  title: string;
  fiscalYear: number;
  quarter: number;
  phase: CyclePhase;
  startedBy: string;
  startedAt: string;
  completedAt: string | null;
  reviews: CycleMonitorRow[];
  /** True when a filter left reviews out. */
  filtered?: boolean;
}

/**
 * The monitor's state families, each a badge colour with its text (app.css .state-*): waiting for
 * the department, answered (with the coordination), agreed (reprogrammed or kept with commitment),
 * constancia de negativa, cancelled, failed (data error or a failed workflow).
 */
export const stateFamilies = ['waiting', 'answered', 'agreed', 'noAdjustment', 'cancelled', 'failed'] as const;
export type StateFamily = (typeof stateFamilies)[number];

export const stateFamilyLabels: Record<StateFamily, string> = {
  waiting: 'Esperando a la dependencia',
  answered: 'Respondida, en coordinación',
  agreed: 'Acordada (reprogramada o con compromiso)',
  noAdjustment: 'Negativa registrada',
  cancelled: 'Cancelada',
  failed: 'Con error',
};

/** The family's word in the query string (?estado=esperando). */
export const stateFamilySlugs: Record<StateFamily, string> = {
  waiting: 'esperando',
  answered: 'respondida',
  agreed: 'acordada',
  noAdjustment: 'negativa',
  cancelled: 'cancelada',
  failed: 'fallida',
};

const familyOfState: Record<string, StateFamily> = {
  alerted: 'waiting',
  awaitingResponse: 'waiting',
  responseReceived: 'answered',
  underAgreement: 'answered',
  reprogrammed: 'agreed',
  keptWithCommitment: 'agreed',
  noAdjustment: 'noAdjustment',
  cancelled: 'cancelled',
  dataError: 'failed',
  failed: 'failed',
};

export const stateFamilyOf = (state: string): StateFamily => familyOfState[state] ?? 'waiting';

/** States in which the department must answer before the round's deadline. */
const awaitingDepartment: ReadonlySet<string> = new Set(['alerted', 'awaitingResponse']);

export const monitorOrders = ['dependencia', 'plazo', 'estado'] as const;
export type MonitorOrder = (typeof monitorOrders)[number];

/** What the signed-in role may do on the monitor. */
export interface MonitorPermissions {
  isCoordinator: boolean;
  mayCancel: boolean;
  isAdmin: boolean;
}


/** "10d" → "10 días hábiles" (hours, minutes and seconds for drills). */
export function windowWords(window: string): string {
  const match = /^(\d+)([dhms])$/.exec(window);
  if (!match) return window;
  const units: Record<string, [string, string]> = { d: ['día hábil', 'días hábiles'], h: ['hora', 'horas'], m: ['minuto', 'minutos'], s: ['segundo', 'segundos'] };
  const [one, many] = units[match[2] as string] as [string, string];
  return `${match[1]} ${match[1] === '1' ? one : many}`;
}

export function cycleListPage(
  cycles: { workflowId: string; fiscalYear: number; quarter: number; phase: CyclePhase; startedAt: string; responseWindow: string }[],
  canStart: boolean,
  when: When,
): SafeHtml {
  const list = cycles.length
    ? html`<div class="table-wrap"><table><caption>Ciclos de revisión trimestral</caption><thead><tr><th scope="col">Ciclo</th><th scope="col">Vigencia</th><th scope="col">Trimestre</th><th scope="col">Estado</th><th scope="col">Iniciado</th><th scope="col">Plazo de respuesta</th></tr></thead><tbody>${cycles.map(
        (c) =>
          html`<tr><th scope="row"><a href="/ciclos/${c.workflowId}">${cycleTitle(c.fiscalYear, c.quarter)}</a></th><td>${c.fiscalYear}</td><td>${quarterLabel(c.quarter)}</td><td>${
            c.phase === 'completed' ? 'Terminado' : 'En curso'
          }</td><td>${when(c.startedAt)}</td><td>${windowWords(c.responseWindow)}</td></tr>`,
      )}</tbody></table></div>`
    : html`<p>Aún no hay ciclos de revisión.</p>`;
  const start = canStart ? html`<p><a href="/ciclos/nuevo">Iniciar el ciclo de un trimestre</a></p>` : '';
  return html`<h1>Ciclos de revisión trimestral</h1>${start}${list}`;
}

export interface StartCycleValues {
  anio: string;
  trimestre: string;
  plazo: string;
}

function startCycleForm(values: StartCycleValues, years: number[]): SafeHtml {
  const yearOptions = years.map((y) => html`<option value="${y}"${String(y) === values.anio ? html` selected` : ''}>${y}</option>`);
  const quarterOptions = [1, 2, 3, 4].map((q) => html`<option value="${q}"${String(q) === values.trimestre ? html` selected` : ''}>T${q}</option>`);
  return html`<form method="get" action="/ciclos/nuevo" class="filters">
<div><label for="anio">Vigencia</label><select id="anio" name="anio" required>${yearOptions.length ? yearOptions : html`<option value="">(importe el Plan Indicativo)</option>`}</select></div>
<div><label for="trimestre">Trimestre</label><select id="trimestre" name="trimestre" required>${quarterOptions}</select></div>
<div><label for="plazo">Plazo de respuesta (días hábiles)</label><input id="plazo" name="plazo" value="${values.plazo}" inputmode="numeric" pattern="\\d{1,3}[dhms]?" size="4" required aria-describedby="plazo-ayuda"></div>
<button type="submit">Ver vista previa</button></form>
<p id="plazo-ayuda">Número de días hábiles en Colombia (sin fines de semana ni festivos), por ejemplo 10. El plazo vence al final del último día.</p>`;
}

/** The form to pick the quarter; `problem` is why the last choice could not be previewed. */
export function startCyclePage(values: StartCycleValues, years: number[], problem?: { errors: string[] } | { message: string }): SafeHtml {
  const form = startCycleForm(values, years);
  const shown = !problem
    ? ''
    : 'errors' in problem
      ? html`<div class="error" role="alert"><ul>${problem.errors.map((d) => html`<li>${d}</li>`)}</ul></div>`
      : html`<p class="error" role="alert">${problem.message}</p>`;
  return html`<h1>Iniciar el ciclo de un trimestre</h1>${shown}${form}`;
}

/** What the preview page shows of the cycle service's preview. */
export type CyclePreviewView = Pick<CyclePreview, 'workflowId' | 'existing' | 'evaluatedGoals' | 'totals' | 'departments'>;

export function cyclePreviewPage(preview: CyclePreviewView, chosen: { anio: number; trimestre: number; plazo: string }, values: StartCycleValues, years: number[], csrf: string): SafeHtml {
  const { anio, trimestre, plazo } = chosen;
  const flagged = preview.departments.reduce((n, d) => n + d.goals.length, 0);
  const totals = Object.entries(preview.totals).map(([status, count]) => html`<li>${goalStatusLabels[status as GoalStatus]}: ${count}</li>`);
  const departments = preview.departments.map(
    (d) => html`<details><summary>${d.name} (${d.code}): ${d.goals.length} metas${d.liaisonEmail ? '' : html` — <strong>sin correo del enlace</strong>`}</summary>
<div class="table-wrap"><table><caption>Metas de ${d.name} que recibirán alerta</caption><thead><tr><th scope="col">Meta</th><th scope="col">Nombre</th><th scope="col">Estado</th><th scope="col" class="num">Esperado</th><th scope="col" class="num">Ejecutado</th></tr></thead><tbody>${d.goals.map(
      (g) =>
        html`<tr><th scope="row"><a href="/metas/${encodeURIComponent(g.goalCode)}">${g.goalCode}</a></th><td>${g.name}</td><td>${goalStatusLabels[g.status]}</td><td class="num">${formatNumber(g.measurement?.expectedToDate)}</td><td class="num">${formatNumber(g.measurement?.executedToDate)}</td></tr>`,
    )}</tbody></table></div></details>`,
  );
  const confirm = preview.existing
    ? html`<p class="note">La ${cycleTitle(anio, trimestre)} ya existe. <a href="/ciclos/${preview.workflowId}">Ir al ciclo</a></p>`
    : html`<form method="post" action="/ciclos"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="anio" value="${anio}"><input type="hidden" name="trimestre" value="${trimestre}"><input type="hidden" name="plazo" value="${plazo}">
<button type="submit">Confirmar e iniciar la ${cycleTitle(anio, trimestre)}</button></form>`;
  return html`<h1>Vista previa: ${cycleTitle(anio, trimestre)}</h1>
<p>${preview.evaluatedGoals} metas programadas para la vigencia. Plazo de respuesta: ${windowWords(plazo)}.</p>
<ul aria-label="Metas por estado">${totals}</ul>
<h2>${flagged} metas de ${preview.departments.length} dependencias recibirán alerta</h2>${
    departments.length ? departments : html`<p>Ninguna meta queda rezagada ni sobrecumplida: no se enviarán alertas.</p>`
  }
${confirm}<h2>Cambiar los datos</h2>${startCycleForm(values, years)}`;
}

/** The page's filter and order (query string ?estado=&dependencia=&orden=), so they work without JS. */
export interface MonitorFilter {
  estado: StateFamily | '';
  dependencia: string;
  orden: MonitorOrder;
}

const orderLabels: Record<MonitorOrder, string> = { dependencia: 'Dependencia (A–Z)', plazo: 'Plazo más próximo', estado: 'Estado' };

/** The query string of a filter, without its defaults ("" when nothing is chosen). */
export function filterQuery(filter: MonitorFilter): string {
  const params = new URLSearchParams();
  if (filter.estado) params.set('estado', stateFamilySlugs[filter.estado]);
  if (filter.dependencia) params.set('dependencia', filter.dependencia);
  if (filter.orden !== 'dependencia') params.set('orden', filter.orden);
  return params.size ? `?${params.toString()}` : '';
}

function monitorFilterForm(monitor: CycleMonitor, departments: { code: string; name: string }[], filter: MonitorFilter): SafeHtml {
  const option = (value: string, label: string, chosen: string) => html`<option value="${value}"${value === chosen ? html` selected` : ''}>${label}</option>`;
  const chosenFamily = filter.estado ? stateFamilySlugs[filter.estado] : '';
  return html`<form method="get" action="/ciclos/${monitor.workflowId}" class="filters" aria-label="Filtrar y ordenar las revisiones">
<div><label for="f-estado">Estado</label><select id="f-estado" name="estado">${option('', 'Todos', chosenFamily)}${stateFamilies.map((f) => option(stateFamilySlugs[f], stateFamilyLabels[f], chosenFamily))}</select></div>
<div><label for="f-dependencia">Dependencia</label><select id="f-dependencia" name="dependencia">${option('', 'Todas', filter.dependencia)}${departments.map((d) => option(d.code, d.name, filter.dependencia))}</select></div>
<div><label for="f-orden">Ordenar por</label><select id="f-orden" name="orden">${monitorOrders.map((o) => option(o, orderLabels[o], filter.orden))}</select></div>
<button type="submit" class="secondary">Aplicar</button>${filterQuery(filter) ? html` <a href="/ciclos/${monitor.workflowId}">Quitar filtros</a>` : ''}</form>`;
}

export function cycleMonitorPage(input: {
  monitor: CycleMonitor;
  done: string | undefined;
  permissions: MonitorPermissions;
  csrf: string;
  when: When;
  now: string;
  filter: MonitorFilter;
  /** Every department of the cycle (the filter's choices), before filtering. */
  departments: { code: string; name: string }[];
}): SafeHtml {
  const { monitor, done, permissions, when, filter } = input;
  return html`<h1>${monitor.title}</h1>
${done ? html`<p class="ok" role="status">${done}</p>` : ''}
<p>Vigencia ${monitor.fiscalYear}, ${quarterLabel(monitor.quarter)} · iniciado por ${monitor.startedBy} el ${when(monitor.startedAt)} ·
<a href="/tablero?anio=${monitor.fiscalYear}&amp;trimestre=${monitor.quarter}">Tablero del trimestre</a>${
    permissions.isAdmin ? html` · <a href="/admin/flujos/${monitor.workflowId}">Historial del flujo</a> <small>(${monitor.workflowId})</small>` : ''
  }</p>
${monitorFilterForm(monitor, input.departments, filter)}
<div id="monitor" data-refresh="/ciclos/${monitor.workflowId}/estado${filterQuery(filter)}">${monitorSection(input)}</div>`;
}

/** A review's actions in one menu (a <details>, so it works without JS); empty when there are none. */
function actionsMenu(r: CycleMonitorRow, monitor: CycleMonitor, permissions: MonitorPermissions, csrf: string): SafeHtml | '' {
  const { isCoordinator, mayCancel, isAdmin } = permissions;
  const id = r.workflowId;
  const base = `/ciclos/${monitor.workflowId}/revisiones/${id}`;
  const hidden = html`<input type="hidden" name="_csrf" value="${csrf}">`;
  const can = (action: ReviewView['allowedActions'][number]) => r.allowedActions.includes(action);
  const items = [
    isCoordinator && can('decide') ? html`<li><a href="/coordinacion/${id}">Decidir en la bandeja de coordinación</a></li>` : '',
    isCoordinator && can('extendDeadline')
      ? html`<li><details><summary>Ampliar plazo</summary><form method="post" action="${base}/ampliacion">${hidden}<label for="m-${id}">Motivo</label><input id="m-${id}" name="motivo" required minlength="10"><label for="p-${id}">Ampliar en</label><select id="p-${id}" name="plazo"><option value="3d">3 días hábiles</option><option value="5d">5 días hábiles</option></select><button type="submit">Ampliar</button></form></details></li>`
      : '',
    isCoordinator && can('resendAlert') ? html`<li><form method="post" action="${base}/reenvio" class="inline">${hidden}<button type="submit" class="link">Reenviar alerta</button></form></li>` : '',
    isCoordinator && can('addNote')
      ? html`<li><details><summary>Agregar nota</summary><form method="post" action="${base}/nota">${hidden}<label for="n-${id}">Nota</label><input id="n-${id}" name="texto" required minlength="3"><button type="submit">Guardar nota</button></form></details></li>`
      : '',
    mayCancel && can('cancelReview')
      ? html`<li><details><summary>Cancelar revisión</summary><form method="post" action="${base}/cancelacion">${hidden}<label for="c-${id}">Motivo de la cancelación</label><textarea id="c-${id}" name="motivo" required minlength="10" rows="2"></textarea><button type="submit" class="danger">Cancelar la revisión</button></form></details></li>`
      : '',
    isAdmin ? html`<li><a href="/admin/flujos/${id}">Historial del flujo</a></li>` : '',
  ].filter((item): item is SafeHtml => item !== '');
  return items.length ? html`<details class="actions-menu"><summary>Acciones<span class="visually-hidden"> de ${r.departmentName}</span></summary><ul>${items}</ul></details>` : '';
}

/** The current round's deadline while the department must answer; otherwise what stands instead. */
function deadlineCell(r: CycleMonitorRow, when: When): SafeHtml {
  if (!r.running) return r.closedAt ? html`<small>Cerrada el</small><br>${when(r.closedAt)}` : html`<small>Cerrada</small>`;
  if (!r.deadline || !awaitingDepartment.has(r.state)) return html`<small>Sin plazo: la respuesta está en manos de la coordinación</small>`;
  return html`${when(r.deadline)}${r.timeLeft ? html`<br><small>${r.timeLeft}</small>` : ''}`;
}

/** The monitor's live part (also sent alone to /assets/monitor.js); `now` is when it was read. */
export function monitorSection({ monitor, permissions, csrf, when, now }: { monitor: CycleMonitor; permissions: MonitorPermissions; csrf: string; when: When; now: string }): SafeHtml {
  const rows = monitor.reviews.map((r) => {
    const actions = actionsMenu(r, monitor, permissions, csrf);
    const cancelled = r.cancellation ? html`<br><small>Motivo: ${r.cancellation.reason}</small>` : '';
    const dataError = r.dataError
      ? html`<div class="error" role="alert"><small>${r.dataError.reason}</small>${
          r.dataError.problems.length ? html`<ul>${r.dataError.problems.slice(0, 10).map((p) => html`<li><small>${p}</small></li>`)}</ul>` : ''
        }</div>`
      : '';
    const documents = r.documents.length
      ? html`<br><small>${r.documents.map((d, i) => html`${i ? ' · ' : ''}<a href="/api/documents/${d.id}" download="${d.fileName}">${d.label} (PDF)</a>`)}</small>`
      : '';
    const idLine = permissions.isAdmin ? html`<br><small>${r.workflowId}</small>` : '';
    return html`<tr><th scope="row">${r.departmentName}${idLine}</th><td><span class="badge state-${r.stateFamily}">${r.stateLabel}</span>${cancelled}${dataError}${documents}${r.lateResponseId ? html`<br><small>${permissions.isCoordinator || permissions.isAdmin ? html`<a href="/coordinacion/extemporaneas/${r.lateResponseId}">Respuesta extemporánea recibida</a>` : 'Respuesta extemporánea recibida'}</small>` : ''}</td><td>${deadlineCell(r, when)}</td><td class="num">${r.flaggedGoals}</td><td class="num">${r.round ?? '—'}</td><td>${actions || '—'}</td></tr>`;
  });
  const counts = new Map<string, number>();
  for (const r of monitor.reviews) counts.set(r.stateLabel, (counts.get(r.stateLabel) ?? 0) + 1);
  const summary = [...counts].map(([state, n]) => `${state}: ${n}`).join(' · ');
  const status = monitor.phase === 'completed' ? 'Ciclo terminado' : monitor.reviews.length || monitor.filtered ? 'Ciclo en curso' : 'Clasificando las metas del trimestre…';
  const empty = monitor.filtered ? 'Ninguna revisión cumple el filtro.' : 'Aún no hay revisiones.';
  return html`<p><span role="status"><strong>${status}</strong>${summary ? ` — ${summary}` : ''}</span> · <small>Actualizado: ${when(now)}</small></p>
<div class="table-wrap"><table><caption>Revisiones por dependencia</caption><thead><tr><th scope="col">Dependencia</th><th scope="col">Estado</th><th scope="col">Plazo de esta ronda</th><th scope="col" class="num">Metas</th><th scope="col" class="num">Ronda</th><th scope="col">Acciones</th></tr></thead><tbody>${
    rows.length ? rows : html`<tr><td colspan="6">${empty}</td></tr>`
  }</tbody></table></div>`;
}
