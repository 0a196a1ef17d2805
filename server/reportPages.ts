import { performance } from 'node:perf_hooks';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Auth } from '../auth';
import { roleSatisfies } from '../auth/roles';
import { departmentFilter, requestScope, scopeQuarterReport } from '../auth/scope';
import { fiscalYearSchema, goalStatuses, goalStatusLabels, quarterSchema, type Quarter, type Thresholds } from '../domain/goals';
import { describeIssues } from '../domain/review';
import type { QuarterReport } from '../reports';
import type { AppServices } from '../services/appServices';
import { AppError } from '../services/errors';
import { sharedRead } from '../services/sharedRead';
import { sendEncodedPage, sendPage } from './html';
import { refusalBody } from './views/errorPages';
import { goalPage } from './views/goalRecord';
import { dashboardPage, dashboardWithoutPlan, type ChosenPeriod } from './views/dashboard';
import { formatShortDateTime as formatDateTime } from '../domain/format';
import { parseReviewWorkflowId } from '../domain/workflowIds';

export interface ReportPagesOptions {
  services: AppServices;
  auth: Auth;
  /** Dates on the pages are shown in the office's time zone. */
  timeZone: string;
  /** Classification thresholds when the plan sets none. */
  thresholds: Thresholds;
}

/**
 * The dashboard (tablero de control) and each goal's record, rendered on the server for every account that
 * may read (viewer). The data comes from reports/ and services/goalHistory, the same functions as
 * the API and the exported files, so the page, the JSON and the XLSX agree.
 */
export function createReportPagesRouter({ services, auth, timeZone, thresholds }: ReportPagesOptions) {
  const router = express.Router();
  const reports = quarterReportCache(services, thresholds);
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
          refusalBody({ title, message: error.message, details: error.details, back: { href: '/tablero', label: 'Volver al tablero de control' } }),
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
      const query = parseQuery(dashboardPageQuery, req.query);
      const data = await reports.snapshot();
      const [periods, planThresholdValues] = await Promise.all([data.periods, data.thresholds]);
      const period = choosePeriod(query, periods, currentPeriod(timeZone));
      const options = { csrf: auth.csrfToken(req), current: '/tablero' };

      // A liaison reads its own department's dashboard (auth/scope.ts); asking for another one is refused.
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
          dashboardWithoutPlan(period, periods.years, query, error.message),
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
        dashboardPage(report, period, periods.years, query, when).value,
      );
      serverTiming(res, started);
      sendEncodedPage(res, `Tablero de control ${period.year}-T${period.quarter}`, body, options);
    }),
  );

  /** Records keep accounts (user:N); the goal's page shows their names (services/people). */
  async function withPeopleNames(history: Awaited<ReturnType<typeof services.goals.history>>) {
    const names = await services.people.names([
      ...history.programming.flatMap((v) => [v.createdBy, ...(v.reprogramming ? [v.reprogramming.approvedBy] : [])]),
      ...history.progress.map((p) => p.reportedBy),
    ]);
    const name = (actor: string) => names.get(actor) ?? actor;
    return {
      ...history,
      programming: history.programming.map((v) => ({ ...v, createdBy: name(v.createdBy), reprogramming: v.reprogramming && { ...v.reprogramming, approvedBy: name(v.reprogramming.approvedBy) } })),
      progress: history.progress.map((p) => ({ ...p, reportedBy: name(p.reportedBy) })),
    };
  }

  router.get(
    '/metas/:goalCode',
    auth.requireRolePage('viewer'),
    pageRoute(async (req, res) => {
      const started = performance.now();
      const goalCode = String(req.params.goalCode ?? '');
      if (!goalCodePattern.test(goalCode)) throw new AppError('not_found', `No existe la meta ${goalCode}`);
      const recorded = await services.goals.history(goalCode, requestScope(res));
      const history = await withPeopleNames(recorded);
      const isAdmin = Boolean(res.locals.user && roleSatisfies(res.locals.user.role, ['admin']));
      const body = goalPage(history, { when, isAdmin, reviewPeriod });
      serverTiming(res, started);
      sendPage(res, `Meta ${history.goal.code}`, body, { csrf: auth.csrfToken(req) });
    }),
  );

  return router;
}

// ---- Query and period ----------------------------------------------------------------------------

const goalCodePattern = /^[A-Za-z0-9._-]{1,40}$/;

/** An empty select ("Todas") arrives as an empty string: it means "no filter". */
const blank = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const dashboardPageQuery = z.object({
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
    z.enum(goalStatuses, { message: `use uno de ${goalStatuses.map((s) => `${s} (${goalStatusLabels[s]})`).join(', ')}` }).optional(),
  ),
});
type DashboardPageQuery = z.infer<typeof dashboardPageQuery>;

/** The tablero's filters as the page names them, for messages without query-string keys. */
const dashboardQueryLabels: Readonly<Record<string, string>> = {
  anio: 'Vigencia',
  trimestre: 'Trimestre',
  dependencia: 'Dependencia',
  linea: 'Línea estratégica',
  estado: 'Estado',
  formato: 'Formato',
  tipo: 'Tipo de matriz',
};

function parseQuery<T>(schema: z.ZodType<T>, query: unknown): T {
  const parsed = schema.safeParse(query);
  if (!parsed.success) throw new AppError('invalid_input', 'Los parámetros del tablero no son válidos', describeIssues(parsed.error, dashboardQueryLabels));
  return parsed.data;
}

interface Periods {
  /** Years with programming (those a dashboard can be built for). */
  years: number[];
  /** Latest quarter with reported progress, per year. */
  latestReported: Map<number, Quarter>;
}


/** Building an Intl.DateTimeFormat costs more than a cached dashboard: one per time zone. */
const yearMonthFormats = new Map<string, Intl.DateTimeFormat>();

function currentPeriod(timeZone: string, now = new Date()): { year: number; quarter: Quarter } {
  let format = yearMonthFormats.get(timeZone);
  if (!format) yearMonthFormats.set(timeZone, (format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric' })));
  const parts = format.formatToParts(now);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: part('year'), quarter: Math.ceil(part('month') / 3) as Quarter };
}

/**
 * Without a year and quarter the dashboard shows the latest quarter with reported progress (or the
 * current quarter when nothing was reported). A year alone gets its latest reported quarter.
 */
function choosePeriod(query: DashboardPageQuery, periods: Periods, now: { year: number; quarter: Quarter }): ChosenPeriod {
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

const MAX_CACHED_REPORTS = 12;
const MAX_CACHED_PAGES = 64;

/**
 * A quarter's dashboard takes some 60–100 ms to load and classify for 306 goals (the cycle's own
 * activity and state machine) and tens of milliseconds more to render, more than a page may take
 * when hundreds of people open it at once. Each request first reads a signature of the tables the
 * report reads (services/readModels reportDataSignature: it changes with any insert, update or
 * delete, whoever commits it) and reuses the thresholds, the report and the rendered page computed
 * for the same signature, so the page stays fast and never shows data older than the database.
 */
function quarterReportCache({ plan, reports }: AppServices, fallbackThresholds: Thresholds) {
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
    const [years, latestReported] = await Promise.all([plan.programmedYears(), reports.latestReportedQuarters()]);
    return { years, latestReported };
  };
  const readSignature = sharedRead(reports.dataSignature);

  return {
    /** The data as of now: the years and quarters with data, the plan's thresholds, the quarter reports and pages. */
    async snapshot() {
      // Nothing committed since the signature was read (one tiny query, shared): the data is the same.
      const version = await reports.dataVersion();
      if (state?.version !== version) {
        const signature = await readSignature();
        // Only other tables changed (sessions, the audit log): the same data, now known at this version.
        if (state && state.signature === signature) state.version = version;
        else {
          const fresh: State = { signature, version, periods: loadPeriods(), thresholds: plan.thresholds(fallbackThresholds), reports: new Map(), pages: new Map() };
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
            report = reports.loadQuarterReport({ fiscalYear, quarter, thresholds });
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

const reviewPeriod = (reviewWorkflowId: string) => {
  const parsed = parseReviewWorkflowId(reviewWorkflowId);
  return parsed ? { cycleWorkflowId: parsed.cycleWorkflowId, year: parsed.fiscalYear, quarter: parsed.quarter, department: parsed.departmentCode as string } : null;
};
