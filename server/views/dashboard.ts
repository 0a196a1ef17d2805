import { html, type SafeHtml } from '../../domain/html';
import { goalStatusLabels, type GoalStatus, type Quarter } from '../../domain/goals';
import { breakdown, reportStatusOrder, summarize, type QuarterReport, type ReportGoal } from '../../reports';
import type { DashboardGroup, StatusBreakdown } from '../../reports/dashboard';
import { cycleTitle, formatNumber, formatShare, percentToShare, quarterTitle } from '../../domain/format';
import { statusClass } from './stylesheet';
import { scrollRegion } from './scrollRegion';

// The dashboard (tablero de control): semáforo of the plan, per department and per line, the goals and the downloads.
// ---------------------------------------------------------------------------------------

/** A classification's label on its colour. */
export const statusBadge = (status: GoalStatus) => html`<span class="badge ${statusClass(status)}">${goalStatusLabels[status]}</span>`;

/** The dashboard's filters, as the query names them. */
export interface DashboardFilters {
  dependencia?: string;
  linea?: string;
  estado?: GoalStatus;
}
type Filters = DashboardFilters;

/** The quarter shown. */
export interface ChosenPeriod {
  year: number;
  quarter: Quarter;
  /** Neither year nor quarter was asked for. */
  defaulted: boolean;
}

function dashboardHref(period: { year: number; quarter: number }, filters: Filters = {}): string {
  const params = new URLSearchParams({ anio: String(period.year), trimestre: String(period.quarter) });
  if (filters.dependencia) params.set('dependencia', filters.dependencia);
  if (filters.linea) params.set('linea', filters.linea);
  if (filters.estado) params.set('estado', filters.estado);
  return `/tablero?${params.toString()}`;
}

const option = (value: string, label: string, selected: boolean) => html`<option value="${value}"${selected ? html` selected` : ''}>${label}</option>`;

export function filterForm(period: ChosenPeriod, years: number[], report: QuarterReport | null, query: DashboardFilters): SafeHtml {
  const yearOptions = [...new Set([...years, period.year])].sort((a, b) => a - b);
  const lines = report ? [...new Set(report.goals.map((g) => g.strategicLine))].sort((a, b) => a.localeCompare(b, 'es')) : [];
  const field = (id: string, label: string, name: string, options: SafeHtml[]) =>
    html`<div><label for="${id}">${label}</label><select id="${id}" name="${name}">${options}</select></div>`;
  return html`<form method="get" action="/tablero" class="filters" role="search" aria-label="Filtros del tablero">
${field('f-anio', 'Vigencia', 'anio', yearOptions.map((y) => option(String(y), String(y), y === period.year)))}
${field('f-trimestre', 'Trimestre', 'trimestre', ([1, 2, 3, 4] as const).map((q) => option(String(q), `T${q}`, q === period.quarter)))}
${
  report
    ? html`${field('f-dependencia', 'Dependencia', 'dependencia', [
        option('', 'Todas', !query.dependencia),
        ...report.departments.map((d) => option(d.code, `${d.name} (${d.code})`, d.code === query.dependencia)),
      ])}
${field('f-linea', 'Línea estratégica', 'linea', [option('', 'Todas', !query.linea), ...lines.map((l) => option(l, l, l === query.linea))])}
${field('f-estado', 'Estado', 'estado', [option('', 'Todos', !query.estado), ...reportStatusOrder.map((s) => option(s, goalStatusLabels[s], s === query.estado))])}`
    : ''
}
<div><button type="submit">Ver tablero</button></div>
</form>`;
}

/** One rectangle per status with goals, as wide as its share (SVG attributes: the CSP allows no inline style). */
function stackSegments(b: StatusBreakdown): SafeHtml[] {
  let x = 0;
  return reportStatusOrder
    .filter((s) => b.counts[s] > 0)
    .map((s) => {
      const width = (100 * b.counts[s]) / b.total;
      const segment = html`<rect x="${x.toFixed(2)}" width="${width.toFixed(2)}" height="1" class="${statusClass(s)}"/>`;
      x += width;
      return segment;
    });
}

/** Counts and shares of one scope, with a proportional bar that repeats the table (decorative). */
function statusTable(b: StatusBreakdown, scope: string, caption: string): SafeHtml {
  const bar = b.total
    ? html`<svg class="stack" aria-hidden="true" viewBox="0 0 100 1" preserveAspectRatio="none">${stackSegments(b)}</svg>`
    : '';
  return html`${bar}<table class="semaforo"><caption>${caption}</caption>
<thead><tr><th scope="col">Estado</th><th scope="col" class="num">Metas</th><th scope="col" class="num">% de las evaluadas</th></tr></thead>
<tbody>${reportStatusOrder.map(
    (s) =>
      html`<tr><th scope="row">${statusBadge(s)}</th><td class="num" data-count="${scope}:${s}">${b.counts[s]}</td><td class="num">${
        s === 'notEvaluated' ? 'no cuenta' : formatShare(b.shares[s])
      }</td></tr>`,
  )}</tbody>
<tfoot><tr><th scope="row">Total</th><td class="num" data-count="${scope}:total">${b.total}</td><td class="num">${b.evaluated} evaluadas</td></tr>
<tr><th scope="row">Rezagadas (no iniciadas y atrasadas)</th><td class="num" data-count="${scope}:lagging">${b.lagging}</td><td class="num">${formatShare(b.laggingShare)}</td></tr></tfoot>
</table>`;
}

function groupTable(groups: DashboardGroup[], scope: 'department' | 'line', caption: string, hrefOf: (g: DashboardGroup) => string): SafeHtml {
  const heading = scope === 'department' ? 'Dependencia' : 'Línea estratégica';
  return html`${scrollRegion(caption, html`<table class="groups"><caption>${caption}</caption>
<thead><tr><th scope="col">${heading}</th><th scope="col" class="num">Metas</th><th scope="col" class="num">Evaluadas</th>${reportStatusOrder.map(
    (s) => html`<th scope="col" class="num">${statusBadge(s)}</th>`,
  )}<th scope="col" class="num">Rezagadas</th></tr></thead>
<tbody>${groups.map(
    (g) =>
      html`<tr><th scope="row"><a href="${hrefOf(g)}">${g.label}</a></th><td class="num" data-count="${scope}:${g.key}:total">${g.total}</td><td class="num">${g.evaluated}</td>${reportStatusOrder.map(
        (s) =>
          html`<td class="num" data-count="${scope}:${g.key}:${s}">${g.counts[s]}${
            s === 'notEvaluated' || g.shares[s] === null ? '' : html`<span class="share"> (${formatShare(g.shares[s])})</span>`
          }</td>`,
      )}<td class="num" data-count="${scope}:${g.key}:lagging">${g.lagging}<span class="share"> (${formatShare(g.laggingShare)})</span></td></tr>`,
  )}</tbody></table>`)}`;
}

function goalTable(goals: ReportGoal[], caption: string): SafeHtml {
  if (!goals.length) return html`<p class="note" role="status">Ninguna meta cumple los filtros elegidos.</p>`;
  return html`${scrollRegion(caption, html`<table class="goals"><caption>${caption}</caption>
<thead><tr><th scope="col">Código</th><th scope="col">Meta</th><th scope="col">Dependencia</th><th scope="col">Línea estratégica</th><th scope="col" class="num">Programado (año)</th><th scope="col" class="num">Esperado a la fecha</th><th scope="col" class="num">Ejecutado a la fecha</th><th scope="col" class="num">Avance</th><th scope="col">Estado</th></tr></thead>
<tbody>${goals.map(
    (g) =>
      html`<tr data-goal="${g.goalCode}"><td><a href="/metas/${encodeURIComponent(g.goalCode)}">${g.goalCode}</a></td><td>${g.name}<br><small>${g.unit}</small></td><td>${g.departmentName}</td><td>${g.strategicLine}</td><td class="num">${formatNumber(g.annualTarget)}</td><td class="num">${formatNumber(g.expectedToDate)}</td><td class="num">${formatNumber(g.executedToDate)}</td><td class="num">${formatShare(percentToShare(g.progressPercent))}</td><td>${statusBadge(g.status)}</td></tr>`,
  )}</tbody></table>`)}`;
}

function downloads(report: QuarterReport, department: string | undefined): SafeHtml {
  const url = (base: string, extra: Record<string, string | undefined> = {}) => {
    const params = new URLSearchParams({ year: String(report.fiscalYear), quarter: String(report.quarter) });
    for (const [key, value] of Object.entries(extra)) if (value) params.set(key, value);
    return `${base}?${params.toString()}`;
  };
  const ofDepartment = department ? ` de ${department}` : '';
  const cumulative =
    report.quarter >= 3
      ? html`<a href="${url('/api/matrices/cumulative', { department })}" download>Matriz de metas rezagadas acumuladas${ofDepartment} (XLSX)</a>`
      : html`Matriz de metas rezagadas acumuladas: se consolida desde el tercer trimestre (T3).`;
  const justification =
    report.source === 'cycle'
      ? html`<a href="${url('/api/matrices/justification', { department })}" download>Matriz de metas rezagadas con justificación${ofDepartment} (XLSX)</a>`
      : html`Matriz con justificación: disponible cuando el ciclo del trimestre envíe las alertas a las dependencias.`;
  return html`<ul class="downloads">
<li><a href="${url('/api/dashboard', { format: 'xlsx' })}" download>Tablero de control PE_F_024 (XLSX)</a></li>
<li><a href="${url('/api/dashboard', { format: 'pptx' })}" download>Presentación para el Consejo de Gobierno (PPTX)</a></li>
<li><a href="${url('/api/matrices/quarterly', { department })}" download>Matriz de metas rezagadas del trimestre${ofDepartment} (XLSX)</a></li>
<li>${cumulative}</li>
<li>${justification}</li>
</ul>`;
}

export function dashboardPage(
  report: QuarterReport,
  period: ChosenPeriod,
  years: number[],
  query: DashboardFilters,
  when: (iso: string) => string,
): SafeHtml {
  const filters: Filters = { dependencia: query.dependencia, linea: query.linea, estado: query.estado };
  const dashboard = summarize(report.goals);
  const inScope = report.goals.filter(
    (g) => (!filters.dependencia || g.departmentCode === filters.dependencia) && (!filters.linea || g.strategicLine === filters.linea),
  );
  const listed = filters.estado ? inScope.filter((g) => g.status === filters.estado) : inScope;
  const department = report.departments.find((d) => d.code === filters.dependencia);
  const scopeWords = [department ? `dependencia ${department.name}` : '', filters.linea ? `línea «${filters.linea}»` : ''].filter(Boolean).join(', ');
  const source =
    report.source === 'cycle'
      ? html`Clasificación guardada por la <a href="/ciclos/${encodeURIComponent(report.cycleWorkflowId)}">${cycleTitle(period.year, period.quarter)}</a>${
          report.classifiedAt ? ` el ${when(report.classifiedAt)}` : ''
        }: es el tablero que se envió a las dependencias.`
      : html`Clasificación con los datos actuales, calculada con la programación actual: ningún ciclo registró el veredicto de este trimestre (aún no se inició la ${cycleTitle(period.year, period.quarter)})${
          report.thresholds
            ? `: atrasada por debajo del ${report.thresholds.behindBelowPercent} % de lo esperado, sobrecumplida por encima del ${report.thresholds.overachievedAbovePercent} % de lo programado`
            : ''
        }.`;
  const caption = `Metas${scopeWords ? ` de la ${scopeWords}` : ''}${filters.estado ? ` en estado ${goalStatusLabels[filters.estado]}` : ''}: ${listed.length} de ${report.goals.length}`;
  const hrefKeepingFilters = (extra: Filters) => dashboardHref(period, { ...filters, estado: undefined, ...extra });

  return html`<h1>Tablero de control</h1>
<p>${quarterTitle(period.year, period.quarter)}${report.planName ? ` · ${report.planName}` : ''}${report.municipality ? ` · ${report.municipality}` : ''}</p>
<p class="note">${source} Los porcentajes se calculan sobre las metas evaluadas (con programación en la vigencia).</p>
${invalidGoalsNotice(report.invalidGoals)}
${filterForm(period, years, report, query)}
<p><a href="#metas">Ir a la tabla de metas</a> · <a href="#descargas">Ir a las descargas</a>${
    scopeWords || filters.estado ? html` · <a href="${dashboardHref(period)}">Quitar filtros</a>` : ''
  }</p>
<h2>Semáforo del plan</h2>
${statusTable(dashboard.plan, 'plan', `Todo el plan: ${dashboard.plan.total} metas`)}
${scopeWords ? html`<h2>Semáforo de la selección</h2>${statusTable(breakdown(inScope.map((g) => g.status)), 'selection', `Metas de la ${scopeWords}: ${inScope.length}`)}` : ''}
<h2>Por dependencia</h2>
${groupTable(dashboard.byDepartment, 'department', 'Semáforo por dependencia (entre paréntesis, % de sus metas evaluadas)', (g) => hrefKeepingFilters({ dependencia: g.key }))}
<h2>Por línea estratégica</h2>
${groupTable(dashboard.byLine, 'line', 'Semáforo por línea estratégica (entre paréntesis, % de sus metas evaluadas)', (g) => hrefKeepingFilters({ linea: g.key }))}
<h2 id="metas">Metas</h2>
${goalTable(listed, caption)}
<h2 id="descargas">Descargas</h2>
${downloads(report, filters.dependencia)}`;
}

/** Goals whose stored numbers cannot be used: named, with the reason, instead of a failed page. */
function invalidGoalsNotice(invalid: QuarterReport['invalidGoals'] | undefined): SafeHtml | string {
  if (!invalid?.length) return '';
  return html`<div class="error" role="alert"><p>${invalid.length === 1 ? 'Una meta tiene' : `${invalid.length} metas tienen`} datos guardados que no se pueden usar (fuera de rango o no numéricos); se muestran sin valores como «No evaluada». Corrija su programación o su avance:</p><ul>${invalid.map(
    (g) => html`<li>${g.goalCode}: ${g.reason}</li>`,
  )}</ul></div>`;
}

/** The dashboard of a year without programming: only the filters, to pick another year. */
export function dashboardWithoutPlan(period: ChosenPeriod, years: number[], query: DashboardFilters, message: string): SafeHtml {
  return html`<h1>Tablero de control</h1>${filterForm(period, years, null, query)}<p class="note" role="status">${message}</p>`;
}
