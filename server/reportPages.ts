import { performance } from 'node:perf_hooks';
import express, { type NextFunction, type Request, type Response } from 'express';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Auth } from '../auth';
import { roleSatisfies } from '../auth/roles';
import { departmentFilter, requestScope, scopeQuarterReport } from '../auth/scope';
import type { Database } from '../db/client';
import { programmedYears } from '../db/queries';
import * as t from '../db/schema';
import {
  accumulationLabels,
  fiscalYearSchema,
  goalStatuses,
  goalStatusLabels,
  quarterSchema,
  type GoalStatus,
  type Quarter,
  type Thresholds,
} from '../domain/goals';
import { describeIssues } from '../domain/review';
import { goalStateLabels, type GoalState } from '../machines/goalStatus';
import { html, multiline, SafeHtml } from '../mail/html';
import { breakdown, loadQuarterReport, reportStatusOrder, statusColors, summarize, type QuarterReport, type ReportGoal } from '../reports';
import type { DashboardGroup, StatusBreakdown } from '../reports/dashboard';
import { formatNumber, formatShare, percentToShare, quarterTitle } from '../domain/format';
import { AppError } from '../services/errors';
import { goalHistory, type GoalHistory } from '../services/goalHistory';
import { planThresholds } from '../services/plan';
import { dataVersion } from '../services/dataVersion';
import { sharedRead } from '../services/sharedRead';
import { sendEncodedPage, sendPage } from './html';
import { formatShortDateTime as formatDateTime } from '../domain/format';

export interface ReportPagesOptions {
  db: Database;
  auth: Auth;
  /** Dates on the pages are shown in the office's time zone. */
  timeZone: string;
  /** Classification thresholds when the plan sets none. */
  thresholds: Thresholds;
}

/**
 * The tablero de control and each goal's record, rendered on the server for every account that
 * may read (viewer). The data comes from reports/ and services/goalHistory, the same functions as
 * the API and the exported files, so the page, the JSON and the XLSX agree.
 */
export function createReportPagesRouter({ db, auth, timeZone, thresholds }: ReportPagesOptions) {
  const router = express.Router();
  const reports = quarterReportCache(db, thresholds);
  const when = (iso: string) => formatDateTime(iso, timeZone);

  /** Our own errors become a Spanish page with the navigation; anything else goes to the app's handler. */
  const pageRoute =
    (handler: (req: Request, res: Response) => Promise<void>) =>
    async (req: Request, res: Response, next: NextFunction) => {
      try {
        await handler(req, res);
      } catch (error) {
        if (!(error instanceof AppError)) return next(error);
        const title = error.httpStatus === 404 ? 'No encontrado' : 'Solicitud no válida';
        sendPage(
          res,
          title,
          html`<h1>${title}</h1><div class="error" role="alert"><p>${error.message}</p>${
            error.details.length ? html`<ul>${error.details.map((d) => html`<li>${d}</li>`)}</ul>` : ''
          }</div><p><a href="/tablero">Volver al tablero de control</a></p>`.value,
          { csrf: auth.csrfToken(req) },
          error.httpStatus,
        );
      }
    };

  const serverTiming = (res: Response, started: number) => res.setHeader('Server-Timing', `app;dur=${(performance.now() - started).toFixed(1)}`);

  router.get(
    '/tablero',
    auth.requireRolePage('viewer'),
    pageRoute(async (req, res) => {
      const started = performance.now();
      const query = parseQuery(tableroQuery, req.query);
      const data = await reports.snapshot();
      const [periods, planThresholdValues] = await Promise.all([data.periods, data.thresholds]);
      const period = choosePeriod(query, periods, currentPeriod(timeZone));
      const options = { csrf: auth.csrfToken(req), current: '/tablero' };

      // A liaison reads its own department's tablero (auth/scope.ts); asking for another one is refused.
      const scope = requestScope(res);
      departmentFilter(scope, query.dependencia);
      let report: QuarterReport;
      try {
        report = scopeQuarterReport(scope, await data.report(period.year, period.quarter, planThresholdValues));
      } catch (error) {
        // No programming for the year: the page still offers the years that have it.
        if (!(error instanceof AppError) || error.code !== 'year_outside_plan') throw error;
        serverTiming(res, started);
        return sendPage(
          res,
          'Tablero de control',
          html`<h1>Tablero de control</h1>${filterForm(period, periods.years, null, query)}<p class="note" role="status">${error.message}</p>`.value,
          options,
          period.defaulted ? 200 : error.httpStatus,
        );
      }

      if (query.dependencia && !report.departments.some((d) => d.code === query.dependencia)) {
        throw new AppError('invalid_input', `La dependencia ${query.dependencia} no tiene metas en el tablero de ${period.year}-T${period.quarter}`, [
          `Dependencias del tablero: ${report.departments.map((d) => d.code).join(', ')}`,
        ]);
      }
      if (query.linea && !report.goals.some((g) => g.strategicLine === query.linea)) {
        throw new AppError('invalid_input', `La línea estratégica «${query.linea}» no tiene metas en el tablero de ${period.year}-T${period.quarter}`);
      }
      // The page's body depends only on the data, the reader's scope and the request's period and filters: rendered once per data version.
      const body = data.rendered(JSON.stringify([scope, period, query.dependencia, query.linea, query.estado, planThresholdValues]), () =>
        tableroPage(report, period, periods.years, query, when).value,
      );
      serverTiming(res, started);
      sendEncodedPage(res, `Tablero de control ${period.year}-T${period.quarter}`, body, options);
    }),
  );

  router.get(
    '/metas/:goalCode',
    auth.requireRolePage('viewer'),
    pageRoute(async (req, res) => {
      const started = performance.now();
      const goalCode = String(req.params.goalCode ?? '');
      if (!goalCodePattern.test(goalCode)) throw new AppError('not_found', `No existe la meta ${goalCode}`);
      const history = await goalHistory(db, goalCode, requestScope(res));
      const isAdmin = Boolean(res.locals.user && roleSatisfies(res.locals.user.role, ['admin']));
      const body = goalPage(history, { when, isAdmin });
      serverTiming(res, started);
      sendPage(res, `Meta ${history.goal.code}`, body.value, { csrf: auth.csrfToken(req) });
    }),
  );

  return router;
}

// ---- Query and period ----------------------------------------------------------------------------

const goalCodePattern = /^[A-Za-z0-9._-]{1,40}$/;

/** An empty select ("Todas") arrives as an empty string: it means "no filter". */
const blank = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const tableroQuery = z.object({
  anio: z.preprocess(blank, fiscalYearSchema.optional()),
  trimestre: z.preprocess(blank, quarterSchema.optional()),
  dependencia: z.preprocess(
    blank,
    z
      .string({ message: 'la dependencia debe ser un código' })
      .trim()
      .max(40, 'código de dependencia demasiado largo')
      .regex(/^[A-Za-z0-9_.-]+$/, 'código de dependencia inválido')
      .optional(),
  ),
  linea: z.preprocess(blank, z.string({ message: 'la línea estratégica debe ser un texto' }).trim().max(300, 'línea estratégica demasiado larga').optional()),
  estado: z.preprocess(
    blank,
    z.enum(goalStatuses, { message: `estado: use uno de ${goalStatuses.map((s) => `${s} (${goalStatusLabels[s]})`).join(', ')}` }).optional(),
  ),
});
type TableroQuery = z.infer<typeof tableroQuery>;

function parseQuery<T>(schema: z.ZodType<T>, query: unknown): T {
  const parsed = schema.safeParse(query);
  if (!parsed.success) throw new AppError('invalid_input', 'Los parámetros del tablero no son válidos', describeIssues(parsed.error));
  return parsed.data;
}

interface Periods {
  /** Years with programming (those a tablero can be built for). */
  years: number[];
  /** Latest quarter with reported progress, per year. */
  latestReported: Map<number, Quarter>;
}

interface ChosenPeriod {
  year: number;
  quarter: Quarter;
  /** Neither year nor quarter was asked for. */
  defaulted: boolean;
}

/** Building an Intl.DateTimeFormat costs more than a cached tablero: one per time zone. */
const yearMonthFormats = new Map<string, Intl.DateTimeFormat>();

function currentPeriod(timeZone: string, now = new Date()): { year: number; quarter: Quarter } {
  let format = yearMonthFormats.get(timeZone);
  if (!format) yearMonthFormats.set(timeZone, (format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric' })));
  const parts = format.formatToParts(now);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: part('year'), quarter: Math.ceil(part('month') / 3) as Quarter };
}

/**
 * Without a year and quarter the tablero shows the latest quarter with reported progress (or the
 * current quarter when nothing was reported). A year alone gets its latest reported quarter.
 */
function choosePeriod(query: TableroQuery, periods: Periods, now: { year: number; quarter: Quarter }): ChosenPeriod {
  const reportedYears = [...periods.latestReported.keys()].sort((a, b) => a - b);
  const latestYear = reportedYears.at(-1);
  const year = query.anio ?? latestYear ?? now.year;
  const quarterOfYear = (): Quarter => {
    const reported = periods.latestReported.get(year);
    if (reported) return reported;
    if (year === now.year) return now.quarter;
    return year < now.year ? 4 : 1;
  };
  return { year, quarter: (query.trimestre as Quarter | undefined) ?? quarterOfYear(), defaulted: query.anio === undefined && query.trimestre === undefined };
}

// ---- Data: one quarter report per data version ------------------------------------------------

/**
 * A quarter's tablero takes some 60–100 ms to load and classify for 306 goals (the cycle's own
 * activity and state machine) and tens of milliseconds more to render, more than a page may take
 * when hundreds of people open it at once. Each request first reads a signature of the tables the
 * report reads — row count and sum of the row versions (xmin), which change with any insert, update
 * or delete, whoever commits it (an import, a reprogramming applied by the worker, a cycle's stored
 * tablero, new thresholds) — and reuses the thresholds, the report and the rendered page computed
 * for the same signature, so the page stays fast and never shows data older than the database.
 */
const dataSignatureQuery = sql`select concat_ws('|',
  (select count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) from ${t.plans}),
  (select count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) from ${t.departments}),
  (select count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) from ${t.goals}),
  (select count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) from ${t.goalProgramming}),
  (select count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) from ${t.goalProgress}),
  (select count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) from ${t.dashboardSnapshots})
) as signature`;

const MAX_CACHED_REPORTS = 12;
const MAX_CACHED_PAGES = 64;

function quarterReportCache(db: Database, fallbackThresholds: Thresholds) {
  interface State {
    signature: string;
    periods: Promise<Periods>;
    thresholds: Promise<Thresholds>;
    reports: Map<string, Promise<QuarterReport>>;
    pages: Map<string, Buffer>;
    /** The database's data version (services/dataVersion) the signature was read at. */
    version: string;
  }
  let state: State | null = null;

  const loadPeriods = async (): Promise<Periods> => {
    const [years, reported] = await Promise.all([
      programmedYears(db),
      db
        .select({ year: t.goalProgress.fiscalYear, quarter: sql<number>`max(${t.goalProgress.quarter})`.mapWith(Number) })
        .from(t.goalProgress)
        .groupBy(t.goalProgress.fiscalYear),
    ]);
    return { years, latestReported: new Map(reported.map((r) => [r.year, r.quarter as Quarter])) };
  };
  const readSignature = sharedRead(async () => {
    const result = (await db.execute(dataSignatureQuery)) as unknown as { rows: { signature: string }[] };
    return String(result.rows[0]?.signature ?? '');
  });

  return {
    /** The data as of now: the years and quarters with data, the plan's thresholds, the quarter reports and pages. */
    async snapshot() {
      // Nothing committed since the signature was read (one tiny query, shared): the data is the same.
      const version = await dataVersion(db);
      if (state?.version !== version) {
        const signature = await readSignature();
        // Only other tables changed (sessions, the audit log): the same data, now known at this version.
        if (state && state.signature === signature) state.version = version;
        else {
          const fresh: State = { signature, version, periods: loadPeriods(), thresholds: planThresholds(db, fallbackThresholds), reports: new Map(), pages: new Map() };
          const forget = () => {
            if (state === fresh) state = null;
          };
          fresh.periods.catch(forget);
          fresh.thresholds.catch(forget);
          state = fresh;
        }
      }
      const current = state as State;
      return {
        periods: current.periods,
        thresholds: current.thresholds,
        report(fiscalYear: number, quarter: Quarter, thresholds: Thresholds): Promise<QuarterReport> {
          const key = `${fiscalYear}-${quarter}-${thresholds.behindBelowPercent}-${thresholds.overachievedAbovePercent}`;
          let report = current.reports.get(key);
          if (!report) {
            report = loadQuarterReport(db, { fiscalYear, quarter, thresholds });
            current.reports.set(key, report);
            report.catch(() => current.reports.delete(key));
            if (current.reports.size > MAX_CACHED_REPORTS) current.reports.delete(current.reports.keys().next().value as string);
          }
          return report;
        },
        /** A page body rendered once for this data version (the oldest is dropped past the limit). */
        rendered(key: string, render: () => string): Buffer {
          let page = current.pages.get(key);
          if (page === undefined) {
            page = Buffer.from(render(), 'utf8');
            current.pages.set(key, page);
            if (current.pages.size > MAX_CACHED_PAGES) current.pages.delete(current.pages.keys().next().value as string);
          }
          return page;
        },
      };
    },
  };
}

// ---- Tablero ---------------------------------------------------------------------------------------

const statusBadge = (status: GoalStatus) => {
  const { fill, text } = statusColors[status];
  return html`<span class="badge" style="background:#${fill};color:#${text}">${goalStatusLabels[status]}</span>`;
};

const raw = (markup: string) => new SafeHtml(markup);

type Filters = Pick<TableroQuery, 'dependencia' | 'linea' | 'estado'>;

function tableroHref(period: { year: number; quarter: number }, filters: Filters = {}): string {
  const params = new URLSearchParams({ anio: String(period.year), trimestre: String(period.quarter) });
  if (filters.dependencia) params.set('dependencia', filters.dependencia);
  if (filters.linea) params.set('linea', filters.linea);
  if (filters.estado) params.set('estado', filters.estado);
  return `/tablero?${params.toString()}`;
}

const option = (value: string, label: string, selected: boolean) => html`<option value="${value}"${raw(selected ? ' selected' : '')}>${label}</option>`;

function filterForm(period: ChosenPeriod, years: number[], report: QuarterReport | null, query: TableroQuery): SafeHtml {
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

/** Counts and shares of one scope, with a proportional bar that repeats the table (decorative). */
function statusTable(b: StatusBreakdown, scope: string, caption: string): SafeHtml {
  const bar = b.total
    ? html`<div class="stack" aria-hidden="true">${reportStatusOrder
        .filter((s) => b.counts[s] > 0)
        .map((s) => raw(`<span style="width:${((100 * b.counts[s]) / b.total).toFixed(2)}%;background:#${statusColors[s].fill}"></span>`))}</div>`
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
  return html`<div class="table-wrap"><table class="groups"><caption>${caption}</caption>
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
  )}</tbody></table></div>`;
}

function goalTable(goals: ReportGoal[], caption: string): SafeHtml {
  if (!goals.length) return html`<p class="note" role="status">Ninguna meta cumple los filtros elegidos.</p>`;
  return html`<div class="table-wrap"><table class="goals"><caption>${caption}</caption>
<thead><tr><th scope="col">Código</th><th scope="col">Meta</th><th scope="col">Dependencia</th><th scope="col">Línea estratégica</th><th scope="col" class="num">Programado (año)</th><th scope="col" class="num">Esperado a la fecha</th><th scope="col" class="num">Ejecutado a la fecha</th><th scope="col" class="num">Avance</th><th scope="col">Estado</th></tr></thead>
<tbody>${goals.map(
    (g) =>
      html`<tr data-goal="${g.goalCode}"><td><a href="/metas/${encodeURIComponent(g.goalCode)}">${g.goalCode}</a></td><td>${g.name}<br><small>${g.unit}</small></td><td>${g.departmentName}</td><td>${g.strategicLine}</td><td class="num">${formatNumber(g.annualTarget)}</td><td class="num">${formatNumber(g.expectedToDate)}</td><td class="num">${formatNumber(g.executedToDate)}</td><td class="num">${formatShare(percentToShare(g.progressPercent))}</td><td>${statusBadge(g.status)}</td></tr>`,
  )}</tbody></table></div>`;
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

const tableroStyles = raw(`<style>
  .stack { display: flex; height: 1.2rem; border: 1px solid #555; border-radius: .2rem; overflow: hidden; margin: .5rem 0; max-width: 40rem; }
  .stack span { display: block; height: 100%; }
  table.semaforo { max-width: 40rem; }
  caption { text-align: left; font-weight: 600; padding: .3rem 0; }
  .share { color: #444; font-size: .85rem; white-space: nowrap; }
  .groups .badge { font-size: .75rem; }
  .downloads li { margin: .3rem 0; }
</style>`);

function tableroPage(
  report: QuarterReport,
  period: ChosenPeriod,
  years: number[],
  query: TableroQuery,
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
      ? html`Clasificación guardada por el ciclo <a href="/ciclos/${encodeURIComponent(report.cycleWorkflowId)}">${report.cycleWorkflowId}</a>${
          report.classifiedAt ? ` el ${when(report.classifiedAt)}` : ''
        }: es el tablero que se envió a las dependencias.`
      : html`Clasificación con los datos actuales (aún no hay ciclo ${report.cycleWorkflowId})${
          report.thresholds
            ? `: atrasada por debajo del ${report.thresholds.behindBelowPercent} % de lo esperado, sobrecumplida por encima del ${report.thresholds.overachievedAbovePercent} % de lo programado`
            : ''
        }.`;
  const caption = `Metas${scopeWords ? ` de la ${scopeWords}` : ''}${filters.estado ? ` en estado ${goalStatusLabels[filters.estado]}` : ''}: ${listed.length} de ${report.goals.length}`;
  const hrefKeepingFilters = (extra: Filters) => tableroHref(period, { ...filters, estado: undefined, ...extra });

  return html`${tableroStyles}<h1>Tablero de control</h1>
<p>${quarterTitle(period.year, period.quarter)}${report.planName ? ` · ${report.planName}` : ''}${report.municipality ? ` · ${report.municipality}` : ''}</p>
<p class="note">${source} Los porcentajes se calculan sobre las metas evaluadas (con programación en la vigencia).</p>
${invalidGoalsNotice(report.invalidGoals)}
${filterForm(period, years, report, query)}
<p><a href="#metas">Ir a la tabla de metas</a> · <a href="#descargas">Ir a las descargas</a>${
    scopeWords || filters.estado ? html` · <a href="${tableroHref(period)}">Quitar filtros</a>` : ''
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

// ---- Goal record -----------------------------------------------------------------------------------

interface QuarterPoint {
  year: number;
  quarter: Quarter;
  programmed: number | null;
  executed: number | null;
  /** How many times the quarter's progress was reported (corrections add versions). */
  reports: number;
  status: GoalStatus | null;
  cycleWorkflowId: string | null;
}

/** Per quarter of every year with programming or progress: the current programming and the latest report. */
function quarterPoints(history: GoalHistory): QuarterPoint[] {
  const latestProgramming = new Map<number, GoalHistory['programming'][number]>();
  for (const v of history.programming) latestProgramming.set(v.fiscalYear, v); // oldest first: the last one wins
  const progress = new Map<string, { executed: number; reports: number }>();
  for (const p of history.progress) {
    const key = `${p.fiscalYear}-${p.quarter}`;
    progress.set(key, { executed: p.executed, reports: (progress.get(key)?.reports ?? 0) + 1 });
  }
  const statuses = new Map(history.statuses.map((s) => [`${s.fiscalYear}-${s.quarter}`, s]));
  const years = [...new Set([...history.programming.map((v) => v.fiscalYear), ...history.progress.map((p) => p.fiscalYear)])].sort((a, b) => a - b);
  return years.flatMap((year) =>
    ([1, 2, 3, 4] as const).map((quarter) => {
      const key = `${year}-${quarter}`;
      const status = statuses.get(key);
      return {
        year,
        quarter,
        programmed: latestProgramming.get(year)?.quarterlyTargets?.[quarter - 1] ?? null,
        executed: progress.get(key)?.executed ?? null,
        reports: progress.get(key)?.reports ?? 0,
        status: status?.status ?? null,
        cycleWorkflowId: status?.cycleWorkflowId ?? null,
      };
    }),
  );
}

/** A step of 1, 2 or 5 × 10^n that divides the axis into about four parts. */
function niceStep(max: number): number {
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough);
  return step ?? 10 * magnitude;
}

/**
 * Programmed (outlined bars) against executed (filled bars) per quarter, drawn on the server: no
 * script, and the shapes differ, not only the colours. The title and description are the text
 * alternative; the data table after the chart has every value.
 */
function progressChartSvg(points: QuarterPoint[], goalCode: string): SafeHtml {
  const values = points.flatMap((p) => [p.programmed, p.executed]).filter((v): v is number => v !== null && Number.isFinite(v));
  const top = Math.max(0, ...values);
  const step = top > 0 ? niceStep(top) : 1;
  const axisMax = top > 0 ? Math.ceil(top / step) * step : 4;
  const group = 40;
  const bar = 14;
  const left = 64;
  const plotTop = 28;
  const plotHeight = 160;
  const width = left + points.length * group + 16;
  const height = plotTop + plotHeight + 44;
  const y = (v: number) => plotTop + plotHeight - (Math.max(0, v) / axisMax) * plotHeight;
  const n = (v: number) => Number(v.toFixed(2));

  const ticks: SafeHtml[] = [];
  for (let v = 0; v <= axisMax + step / 2; v += step) {
    ticks.push(
      html`<line x1="${left}" x2="${width - 8}" y1="${n(y(v))}" y2="${n(y(v))}" stroke="#d0d0d0"/><text x="${left - 6}" y="${n(y(v) + 4)}" text-anchor="end">${formatNumber(v)}</text>`,
    );
  }
  const bars = points.map((p, i) => {
    const x = left + i * group + (group - 2 * bar - 2) / 2;
    const programmed =
      p.programmed === null
        ? ''
        : html`<rect x="${n(x)}" y="${n(y(p.programmed))}" width="${bar}" height="${n(plotTop + plotHeight - y(p.programmed))}" fill="#ffffff" stroke="#3d3d3d" stroke-width="1.5"/>`;
    const executed =
      p.executed === null
        ? ''
        : html`<rect x="${n(x + bar + 2)}" y="${n(y(p.executed))}" width="${bar}" height="${n(plotTop + plotHeight - y(p.executed))}" fill="#0b4f8a"/>`;
    return html`${programmed}${executed}<text x="${n(left + i * group + group / 2)}" y="${plotTop + plotHeight + 14}" text-anchor="middle">T${p.quarter}</text>`;
  });
  const years = [...new Set(points.map((p) => p.year))].map((year) => {
    const first = points.findIndex((p) => p.year === year);
    const count = points.filter((p) => p.year === year).length;
    const x0 = left + first * group;
    return html`<text x="${n(x0 + (count * group) / 2)}" y="${plotTop + plotHeight + 30}" text-anchor="middle" font-weight="600">${year}</text>${
      first > 0 ? html`<line x1="${x0}" x2="${x0}" y1="${plotTop}" y2="${plotTop + plotHeight + 34}" stroke="#8c8c8c"/>` : ''
    }`;
  });
  const id = `grafico-${goalCode.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  const described = points
    .map((p) => `${p.year} T${p.quarter}: programado ${formatNumber(p.programmed)}, ejecutado ${formatNumber(p.executed)}`)
    .join('; ');
  return html`<svg role="img" aria-labelledby="${id}-titulo ${id}-desc" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" style="max-width:100%;height:auto" font-family="system-ui, sans-serif" font-size="11" fill="#1a1a1a">
<title id="${id}-titulo">Programado y ejecutado por trimestre de la meta ${goalCode}</title>
<desc id="${id}-desc">Barras con contorno: programado; barras rellenas: ejecutado. ${described}. Los mismos valores están en la tabla que sigue al gráfico.</desc>
<rect x="${left}" y="4" width="12" height="12" fill="#ffffff" stroke="#3d3d3d" stroke-width="1.5"/><text x="${left + 16}" y="14">Programado</text>
<rect x="${left + 100}" y="4" width="12" height="12" fill="#0b4f8a"/><text x="${left + 116}" y="14">Ejecutado</text>
${ticks}${bars}${years}
<line x1="${left}" x2="${width - 8}" y1="${plotTop + plotHeight}" y2="${plotTop + plotHeight}" stroke="#1a1a1a"/>
</svg>`;
}

const answerActionLabels: Record<string, string> = { reprogram: 'Reprogramar', keep: 'Mantener la programación con compromiso' };
const stateLabel = (state: string | null | undefined) => (state ? (goalStateLabels[state as GoalState] ?? state) : '—');
const reviewPeriod = (reviewWorkflowId: string) => {
  const match = /^(revision-(\d{4})-T([1-4]))-(.+)$/.exec(reviewWorkflowId);
  return match ? { cycleWorkflowId: match[1] as string, year: Number(match[2]), quarter: Number(match[3]), department: match[4] as string } : null;
};
const targets = (values: readonly (number | null)[] | null | undefined) => (values ? values.map((v) => formatNumber(v)).join(' · ') : '—');

function identity(goal: GoalHistory['goal']): SafeHtml {
  const row = (label: string, value: SafeHtml | string) => html`<tr><th scope="row">${label}</th><td>${value}</td></tr>`;
  return html`<table class="identity"><caption class="visually-hidden">Datos de la meta</caption><tbody>
${row('Código', goal.code)}
${row('Nombre', goal.name)}
${row('Dependencia', `${goal.departmentName} (${goal.departmentCode})`)}
${row('Línea estratégica', goal.strategicLine)}
${row('Programa', goal.programCode && !goal.program.startsWith(goal.programCode) ? `${goal.programCode} ${goal.program}` : goal.program)}
${goal.productName ? row('Producto', goal.productCode ? `${goal.productCode} ${goal.productName}` : goal.productName) : ''}
${row('Indicador', goal.indicator)}
${row('Unidad', goal.unit)}
${row('Meta del cuatrienio', `${formatNumber(goal.termTarget)} ${goal.unit}`)}
${row('Tipo de acumulación', accumulationLabels[goal.accumulation])}
${row('En el plan', goal.active ? 'Activa' : 'Retirada del Plan Indicativo (su historia se conserva)')}
</tbody></table>`;
}

function programmingTable(history: GoalHistory, when: (iso: string) => string): SafeHtml {
  if (!history.programming.length) return html`<p>La meta no tiene programación registrada.</p>`;
  const latestVersion = new Map<number, number>();
  for (const v of history.programming) latestVersion.set(v.fiscalYear, Math.max(latestVersion.get(v.fiscalYear) ?? 0, v.version));
  return html`<div class="table-wrap"><table class="versions"><caption>Cada versión de la programación, de la más antigua a la más reciente por vigencia</caption>
<thead><tr><th scope="col">Vigencia</th><th scope="col">Versión</th><th scope="col" class="num">Programación anual</th><th scope="col" class="num">T1</th><th scope="col" class="num">T2</th><th scope="col" class="num">T3</th><th scope="col" class="num">T4</th><th scope="col">Motivo</th><th scope="col">Registrada por</th><th scope="col">Fecha</th></tr></thead>
<tbody>${history.programming.map((v) => {
    const q = v.quarterlyTargets ?? [null, null, null, null];
    const reprogramming = v.reprogramming
      ? html`<br><small>Reprogramación aprobada por ${v.reprogramming.approvedBy} en la revisión <a href="#${reviewAnchor(v.reprogramming.reviewWorkflowId)}">${v.reprogramming.reviewWorkflowId}</a>${
          v.reprogramming.councilAgreement ? ` · Acuerdo del Concejo ${v.reprogramming.councilAgreement}` : ''
        }</small>`
      : '';
    const current = latestVersion.get(v.fiscalYear) === v.version ? html` <small>(vigente)</small>` : '';
    return html`<tr data-version="${v.fiscalYear}-${v.version}"><td>${v.fiscalYear}</td><td>v${v.version}${current}</td><td class="num">${formatNumber(v.annualTarget)}</td>${q.map(
      (value) => html`<td class="num">${formatNumber(value)}</td>`,
    )}<td>${v.reason}${reprogramming}</td><td>${v.createdBy}</td><td>${when(v.createdAt)}</td></tr>`;
  })}</tbody></table></div>`;
}

function progressSection(history: GoalHistory, when: (iso: string) => string): SafeHtml {
  const points = quarterPoints(history);
  if (!points.length) return html`<p>Sin programación ni avance registrados.</p>`;
  const table = html`<div class="table-wrap"><table class="progress"><caption>Datos del gráfico: programado (versión vigente) y ejecutado (último reporte) por trimestre</caption>
<thead><tr><th scope="col">Vigencia</th><th scope="col">Trimestre</th><th scope="col" class="num">Programado</th><th scope="col" class="num">Ejecutado</th><th scope="col">Reportes</th><th scope="col">Estado en el ciclo</th></tr></thead>
<tbody>${points.map(
    (p) =>
      html`<tr><td>${p.year}</td><td>T${p.quarter}</td><td class="num">${formatNumber(p.programmed)}</td><td class="num">${formatNumber(p.executed)}</td><td>${
        p.reports === 0 ? 'sin reporte' : p.reports === 1 ? '1 reporte' : `${p.reports} reportes (con correcciones)`
      }</td><td>${
        p.status && p.cycleWorkflowId ? html`${statusBadge(p.status)} <a href="/ciclos/${encodeURIComponent(p.cycleWorkflowId)}">${p.cycleWorkflowId}</a>` : 'sin ciclo'
      }</td></tr>`,
  )}</tbody></table></div>`;
  const reports = history.progress.length
    ? html`<details><summary>Todos los reportes de avance (${history.progress.length})</summary><div class="table-wrap"><table><thead><tr><th scope="col">Vigencia</th><th scope="col">Trimestre</th><th scope="col">Versión</th><th scope="col" class="num">Ejecutado</th><th scope="col">Evidencia</th><th scope="col">Reportado por</th><th scope="col">Fecha</th></tr></thead><tbody>${history.progress.map(
        (p) =>
          html`<tr><td>${p.fiscalYear}</td><td>T${p.quarter}</td><td>v${p.version}</td><td class="num">${formatNumber(p.executed)}</td><td>${p.evidence ?? '—'}</td><td>${p.reportedBy}</td><td>${when(p.createdAt)}</td></tr>`,
      )}</tbody></table></div></details>`
    : '';
  return html`<figure class="chart">${progressChartSvg(points, history.goal.code)}<figcaption>Barras con contorno: programado en el trimestre; barras rellenas: ejecutado reportado. Valores en ${history.goal.unit}.</figcaption></figure>
${table}${reports}`;
}

function classificationTable(history: GoalHistory): SafeHtml {
  if (!history.statuses.length) return html`<p>La meta aún no ha sido clasificada por un ciclo de revisión.</p>`;
  return html`<div class="table-wrap"><table><caption>Clasificación guardada por cada ciclo (valores acumulados a la fecha de corte)</caption>
<thead><tr><th scope="col">Ciclo</th><th scope="col" class="num">Esperado a la fecha</th><th scope="col" class="num">Ejecutado a la fecha</th><th scope="col" class="num">Avance</th><th scope="col">Estado</th></tr></thead>
<tbody>${history.statuses.map(
    (s) =>
      html`<tr><td><a href="/ciclos/${encodeURIComponent(s.cycleWorkflowId)}">${s.cycleWorkflowId}</a> (${s.fiscalYear}-T${s.quarter})</td><td class="num">${formatNumber(
        s.measurement?.expectedToDate ?? null,
      )}</td><td class="num">${formatNumber(s.measurement?.executedToDate ?? null)}</td><td class="num">${formatShare(
        percentToShare(s.measurement?.progressPercent ?? null),
      )}</td><td>${s.status ? statusBadge(s.status) : 'Sin clasificar'}</td></tr>`,
  )}</tbody></table></div>`;
}

const reviewAnchor = (reviewWorkflowId: string) => `revision-${reviewWorkflowId.replace(/[^A-Za-z0-9_-]/g, '-')}`;

function reviewsSection(history: GoalHistory, { when, isAdmin }: { when: (iso: string) => string; isAdmin: boolean }): SafeHtml {
  if (!history.reviews.length) return html`<p>La meta no ha pasado por revisiones de dependencia.</p>`;
  return html`${history.reviews.map((review) => {
    const period = reviewPeriod(review.reviewWorkflowId);
    const last = review.states.at(-1);
    const answer = review.answer;
    const answerBlock = answer
      ? html`<table class="answer"><caption>Respuesta de la dependencia</caption><tbody>
<tr><th scope="row">Acción</th><td>${answerActionLabels[answer.action] ?? answer.action}</td></tr>
<tr><th scope="row">Justificación</th><td>${multiline(answer.justification)}</td></tr>
<tr><th scope="row">Compromiso</th><td>${multiline(answer.commitment)}</td></tr>
${
  answer.action === 'reprogram'
    ? html`<tr><th scope="row">Nueva programación trimestral</th><td>${targets(answer.newQuarterlyTargets)}</td></tr>${
        answer.futureAnnualTargets && Object.keys(answer.futureAnnualTargets).length
          ? html`<tr><th scope="row">Traslado a vigencias siguientes</th><td>${Object.entries(answer.futureAnnualTargets)
              .map(([year, value]) => `${year}: ${formatNumber(value)}`)
              .join(' · ')}</td></tr>`
          : ''
      }${answer.councilAgreement ? html`<tr><th scope="row">Acuerdo del Concejo</th><td>${answer.councilAgreement}</td></tr>` : ''}`
    : ''
}
</tbody></table>`
      : html`<p>Sin respuesta de la dependencia.</p>`;
    return html`<section class="review" id="${reviewAnchor(review.reviewWorkflowId)}" aria-labelledby="${reviewAnchor(review.reviewWorkflowId)}-h">
<h3 id="${reviewAnchor(review.reviewWorkflowId)}-h">${period ? `Vigencia ${period.year}, trimestre ${period.quarter}` : review.reviewWorkflowId} · revisión ${review.reviewWorkflowId}</h3>
<p>${
      period ? html`Ciclo: <a href="/ciclos/${encodeURIComponent(period.cycleWorkflowId)}">${period.cycleWorkflowId}</a>` : ''
    }${isAdmin ? html` · Flujo de la revisión: <a href="/admin/flujos/${encodeURIComponent(review.reviewWorkflowId)}">${review.reviewWorkflowId}</a>` : ''}</p>
<p>Estado de la meta: <strong>${stateLabel(last?.state)}</strong>${review.outcome ? ` · Resultado de la revisión de la dependencia: ${stateLabel(review.outcome)}` : ''}</p>
${answerBlock}
<details><summary>Estados por los que pasó la meta (${review.states.length})</summary><ol>${review.states.map(
      (s) => html`<li>${stateLabel(s.state)} <small>(${when(s.at)})</small></li>`,
    )}</ol></details>
</section>`;
  })}`;
}

const goalStyles = raw(`<style>
  table.identity { max-width: 48rem; } table.identity th { width: 14rem; }
  caption { text-align: left; font-weight: 600; padding: .3rem 0; }
  figure.chart { margin: 1rem 0; } figure.chart figcaption { font-size: .9rem; }
  section.review { border-top: 1px solid #ccc; margin-top: 1rem; }
  table.answer th { width: 14rem; }
</style>`);

function goalPage(history: GoalHistory, options: { when: (iso: string) => string; isAdmin: boolean }): SafeHtml {
  const { goal } = history;
  return html`${goalStyles}<p><a href="/tablero">← Tablero de control</a></p>
<h1>Meta ${goal.code}: ${goal.name}</h1>
${identity(goal)}
<h2>Versiones de la programación</h2>
${programmingTable(history, options.when)}
<h2>Avance por trimestre</h2>
${progressSection(history, options.when)}
<h2>Clasificación en cada ciclo</h2>
${classificationTable(history)}
<h2>Revisiones</h2>
${reviewsSection(history, options)}`;
}
