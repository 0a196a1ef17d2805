import path from 'node:path';
import express, { type Request } from 'express';
import { describeIssues } from '../domain/review';
import { AppError } from '../services/errors';
import type { CycleService, CycleStatus } from '../services/cycles';
import type { AppServices } from '../services/appServices';
import type { ImportKind, ImportOptions, ImportRequest } from '../imports';
import { parseColumnChoices } from '../imports/columnFields';
import { defaultUploadLimits, type UploadLimits } from '../imports/limits';
import { summarize, type ExportedFile } from '../reports';
import { defaultThresholds, fiscalYearSchema, quarterSchema, type Quarter, type Thresholds } from '../domain/goals';
import { z } from 'zod';
import { errorHandler, notFoundHandler, toAppError } from './errors';
import { createResponseFormRouter } from './responseForm';
import { createAccountsRouter } from './accounts';
import { reviewTimeline } from '../services/timeline';
import { goalMachineSvg } from './diagram';
import { goalStates, type GoalState } from '../machines/goalStatus';
import { auditRequests } from './audit';
import { createCoordinationRouter } from './coordination';
import { createLateResponsesRouter } from './lateResponses';
import { createAdminPagesRouter } from './adminPages';
import { createImportPagesRouter, departmentQuery } from './importPages';
import { createDepartmentsRouter } from './departments';
import { createReportPagesRouter } from './reportPages';
import { createActionPlanRouter } from './actionPlan';
import { createCyclePagesRouter } from './cyclePages';
import { createMyReviewsRouter } from './myReviews';
import { createTokenPagesRouter } from './tokenPages';
import { COUNCIL_AGREEMENTS_API, COUNCIL_AGREEMENTS_PAGE, createCouncilAgreementsRouter } from './councilAgreements';
import { createRecordFormatsRouter } from './recordFormatsPage';
import { createMunicipalityRouter, createEscudoUploadRouter, ESCUDO_UPLOAD_PATH } from './municipalityPage';
import { createSigningCertificateRouter, createSigningCertificateUploadRouter, SIGNING_CERTIFICATE_UPLOAD_PATH } from './signingCertificatePage';
import { brandHeader, brandingAssets } from './brandingAssets';
import { departmentOfReview, type Auth } from '../auth';
import { departmentFilter, requestScope, scopeCycleStatus, scopeQuarterReport } from '../auth/scope';
import { encodeBody, type EncodedBody } from './html';
import { errorPage, notFoundPage } from './views/errorPages';
import { stylesheetAsset } from './stylesheetAsset';
import { guardInput, keepRawBody } from './inputGuard';
import { createHealthCheck, databaseProbe, type HealthReport } from './health';
import { parseCycleWorkflowId, parseWorkflowId } from '../domain/workflowIds';

export interface AppDependencies {
  cycles: CycleService;
  /** Every read and write of the database (services/appServices), built once by the composition root. */
  services: AppServices;
  temporalUiUrl?: string | null;
  /** Dates on pages are shown in the office's time zone. */
  timeZone?: string;
  /** Classification thresholds when the plan sets none. */
  thresholds?: Thresholds;
  /** Accounts, sessions, CSRF, roles and the key of the liaisons' signed links (auth/). */
  auth: Auth;
  log?: (message: string, error?: unknown) => void;
  /** What an uploaded file may weigh and how it is read (config: UPLOAD_*). */
  uploadLimits?: UploadLimits;
  /** What /health reports (server/health.ts); default: the database only. */
  health?: () => Promise<HealthReport>;
  /** Days after a review's deadline its link takes late answers (config LATE_RESPONSE_DAYS). */
  lateResponseDays?: number;
  /** The clock of the liaison's link (deadlines, late answers); tests move it. */
  now?: () => Date;
}

const workflowIdParam = (req: Request) => {
  const id = String(req.params.workflowId ?? '');
  if (!parseWorkflowId(id)) {
    throw new AppError('invalid_input', `Identificador de revisión inválido: ${id}`);
  }
  return id;
};

export function createApp({
  cycles,
  services,
  temporalUiUrl = null,
  timeZone = 'America/Bogota',
  thresholds = defaultThresholds,
  auth,
  log = console.error,
  uploadLimits = defaultUploadLimits,
  health = createHealthCheck({ database: databaseProbe(services.pingDatabase) }),
  lateResponseDays,
  now,
}: AppDependencies) {
  const { requireRole } = auth;
  const app = express();
  app.disable('x-powered-by');
  app.use(auth.securityHeaders);
  // Our own scripts and styles (the CSP allows no inline or foreign script or style).
  app.get(stylesheetAsset.path, stylesheetAsset.handler);
  app.use(brandingAssets(services.branding));
  app.use('/assets', express.static(path.join(__dirname, 'assets'), { maxAge: '1h', fallthrough: false }));
  // Before sessions and everything else that reads the database: it must answer while the database is down.
  // 503 names what is down (Temporal, database, worker), for a container probe or an operator; no department data.
  app.get('/health', async (_req, res) => {
    const report = await health();
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });
  const imports = createImportPagesRouter({ imports: services.imports, auth, timeZone, log, limits: uploadLimits });
  // A running import's progress answers from memory, before the session (which reads the database).
  app.use(imports.liveProgress);
  app.use(express.json({ limit: BODY_LIMIT, verify: keepRawBody }));
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, verify: keepRawBody }));
  // Every JSON or form body and query string: known content type, no control characters, bounded nesting.
  app.use(
    guardInput({
      ownBody: (req) => req.path.startsWith('/api/imports/') || req.path === '/importaciones' || req.path.startsWith('/importaciones/') || req.path === ESCUDO_UPLOAD_PATH || (req.method === 'POST' && req.path === SIGNING_CERTIFICATE_UPLOAD_PATH) || req.path === COUNCIL_AGREEMENTS_PAGE || req.path === COUNCIL_AGREEMENTS_API,
      storesRefused: (req) => req.method === 'POST' && (/^\/api\/reviews\/[^/]+\/response$/.test(req.path) || /^\/responder\/[^/]+\/[^/]+$/.test(req.path)),
    }),
  );
  app.use(auth.session);
  app.use(auth.authenticate);
  app.use(auditRequests(services.audit, log));
  app.use(brandHeader(services.branding));
  app.get('/login', auth.loginPage);
  app.post('/login', auth.loginRateLimit, auth.login);
  // Before the CSRF check: its upload form is multipart, parsed by the router, which checks CSRF itself.
  app.use(imports.pages);
  // The escudo's upload form is multipart too: its router checks CSRF after parsing it.
  app.use(createEscudoUploadRouter({ municipality: services.municipality, branding: services.branding, auth, timeZone }));
  // So is the signing certificate's (file and passphrase).
  app.use(createSigningCertificateUploadRouter({ signing: services.signing, auth, timeZone }));
  app.use(createCouncilAgreementsRouter({ services, auth, timeZone }));
  app.use(auth.csrf);
  app.post('/logout', auth.logout);
  /** Who acts, as recorded (an account reference, never a password or a cookie). */
  const actor = (res: express.Response) => String(res.locals.actor ?? 'anónimo');
  // Liaisons reach only their own department's reviews.
  const ownDepartment = auth.requireDepartmentAccess((req) => departmentOfReview(String(req.params.workflowId ?? '')));

  // ---- API -------------------------------------------------------------------------------------
  app.post('/api/cycles', requireRole('operator'), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const result = await cycles.startCycle({
      fiscalYear: body.fiscalYear as number,
      quarter: body.quarter as number,
      window: body.window as string | undefined,
      reminders: body.reminders as string | undefined,
      startedBy: actor(res),
    });
    res.status(result.created ? 201 : 200).json(result);
  });

  // A cycle's status (every goal of every review) is serialised once per read of its records and
  // reader's scope, shared by the concurrent requests that got the same read; a liaison's body is
  // keyed by its department, so it never gets another reader's.
  // The encoded body and its ETag are kept with it (a client that has it gets a 304).
  const cycleJson = new WeakMap<object, Map<string, EncodedBody>>();
  app.get('/api/cycles/:workflowId', requireRole('viewer'), async (req, res) => {
    const workflowId = workflowIdParam(req);
    const scope = requestScope(res);
    const recorded = await cycles.recordedCycleStatus(workflowId);
    if (!recorded) return void res.json(scopeCycleStatus(scope, await cycles.cycleStatus(workflowId)));
    let bodies = cycleJson.get(recorded);
    if (!bodies) cycleJson.set(recorded, (bodies = new Map()));
    const key = scope.kind === 'all' ? 'all' : `department:${scope.departmentCode ?? ''}`;
    let body = bodies.get(key);
    if (body === undefined) bodies.set(key, (body = encodeBody(JSON.stringify(scopeCycleStatus(scope, recorded as CycleStatus)))));
    res.set('ETag', body.etag).type('json').send(body.bytes);
  });

  app.get('/api/reviews/:workflowId', requireRole('viewer'), ownDepartment, async (req, res) => {
    const view = await cycles.reviewStatus(workflowIdParam(req));
    // Q3: the goals the answer must commit on (consolidationCommitments), as the form asks them.
    res.json({ ...view, consolidationGoals: await services.reviews.consolidationGoals(view.workflowId) });
  });

  app.post('/api/reviews/:workflowId/response', requireRole('liaison'), ownDepartment, async (req, res) => {
    res.json(await cycles.submitResponse(workflowIdParam(req), req.body, { source: 'api', raw: req.rawBody }));
  });

  // The coordinator is the account that decides, whatever the body says.
  const asCoordinator = (req: Request, res: express.Response) => ({ ...(req.body ?? {}), coordinator: String(res.locals.user?.name ?? '') });
  app.post('/api/reviews/:workflowId/decision', requireRole('coordinator'), async (req, res) => {
    res.json(await cycles.decide(workflowIdParam(req), asCoordinator(req, res)));
  });

  app.post('/api/reviews/:workflowId/deadline-extension', requireRole('coordinator'), async (req, res) => {
    res.json(await cycles.extendDeadline(workflowIdParam(req), asCoordinator(req, res)));
  });

  app.post('/api/reviews/:workflowId/alert-resend', requireRole('coordinator'), async (req, res) => {
    res.json(await cycles.resendAlert(workflowIdParam(req), asCoordinator(req, res)));
  });

  app.post('/api/reviews/:workflowId/notes', requireRole('coordinator'), async (req, res) => {
    res.json(await cycles.addNote(workflowIdParam(req), asCoordinator(req, res)));
  });

  // Operators and coordinators may withdraw a waiting review; the account that does it is recorded.
  app.post('/api/reviews/:workflowId/cancellation', requireRole('operator', 'coordinator'), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    res.json(await cycles.cancelReview(workflowIdParam(req), { reason: body.reason, cancelledBy: String(res.locals.user?.name ?? '') }));
  });

  app.get('/api/goals/:goalCode/history', requireRole('viewer'), async (req, res) => {
    const goalCode = String(req.params.goalCode ?? '');
    if (!/^[A-Za-z0-9._-]{1,40}$/.test(goalCode)) throw new AppError('invalid_input', `Código de meta inválido: ${goalCode}`);
    res.json(await services.goals.history(goalCode, requestScope(res)));
  });

  const sendFile = (res: express.Response, file: ExportedFile) => {
    res
      .type(file.contentType)
      .attachment(file.fileName)
      .send(file.content);
  };

  // Imports: the file is the request body (XLSX or CSV), its name in ?fileName=. All or nothing.
  // Slightly above the importers' own limit, so they give the precise message.
  const uploadBody = express.raw({ type: () => true, limit: uploadLimits.maxFileBytes + 1024 * 1024 });
  const importRoute = (kind: ImportKind, run: (request: ImportRequest, options: ImportOptions) => Promise<unknown>) =>
    [
      requireRole('operator'),
      uploadBody,
      async (req: Request, res: express.Response) => {
        const fileName = String(req.query.fileName ?? '').trim();
        if (!fileName) throw new AppError('invalid_input', 'Indique el nombre del archivo (?fileName=plan.xlsx)');
        if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw new AppError('invalid_input', 'El archivo está vacío');
        // Plan Indicativo: new departments are created only with ?confirmNewDepartments=1 (codes: ?departmentCode=Nombre=CÓDIGO).
        // ?map=Encabezado=campo (repeatable): the operator's column mapping, saved with the import.
        const columns = parseColumnChoices(kind, req.query.map);
        res.json(await run({ fileName, content: req.body, importedBy: actor(res) }, { limits: uploadLimits, columns, ...departmentQuery(req.query as Record<string, unknown>) }));
      },
    ] as const;
  app.post('/api/imports/indicative-plan', ...importRoute('indicativePlan', services.imports.indicativePlan));
  app.post('/api/imports/progress-report', ...importRoute('progressReport', services.imports.progressReport));

  // The outbox: every e-mail as sent (or kept, when no SMTP is configured).
  app.get('/api/outbox', requireRole('admin'), async (req, res) => {
    const query = parseQuery(pageQuery, req.query);
    res.json(await services.outbox.list(query));
  });
  // Workflow history for administrators: the domain timeline next to the raw events, and the
  // history as JSON that Worker.runReplayHistory accepts.
  app.get('/api/workflows/:workflowId/history', requireRole('admin'), async (req, res) => {
    const workflowId = workflowIdParam(req);
    const history = await cycles.history(workflowId);
    res.json({
      workflowId,
      temporalUiUrl: temporalUiUrl ? `${temporalUiUrl}/namespaces/${encodeURIComponent(cycles.namespace)}/workflows/${encodeURIComponent(workflowId)}` : null,
      timeline: reviewTimeline(history, timeZone),
      events: history.events ?? [],
    });
  });
  // Search through Temporal visibility on the search attributes (FiscalYear, Quarter, DepartmentCode, ReviewStatus).
  app.get('/api/workflows', requireRole('admin'), async (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    res.json(
      await cycles.searchWorkflows({
        fiscalYear: q.year ? (Number(q.year) as number) : undefined,
        quarter: q.quarter ? Number(q.quarter) : undefined,
        departmentCode: q.department || undefined,
        // `status` is the parameter's older name.
        state: q.state || q.status || undefined,
        kind: (q.kind || undefined) as 'cycle' | 'review' | undefined,
        limit: q.limit ? Number(q.limit) : undefined,
      }),
    );
  });
  app.get('/api/cycles/:workflowId/preview', requireRole('operator'), async (req, res) => {
    const cycle = parseCycleWorkflowId(String(req.params.workflowId ?? ''));
    if (!cycle) throw new AppError('invalid_input', `Identificador de ciclo inválido: ${req.params.workflowId}`);
    res.json(await cycles.previewCycle({ fiscalYear: cycle.fiscalYear, quarter: cycle.quarter }));
  });
  app.get('/api/workflows/:workflowId/history.json', requireRole('admin'), async (req, res) => {
    const workflowId = workflowIdParam(req);
    res.type('application/json').attachment(`${workflowId}.history.json`).send(JSON.stringify(await cycles.history(workflowId)));
  });

  // The goal-status machine, drawn from its definition, with a state highlighted (?state=…).
  app.get('/api/machine/diagram.svg', requireRole('viewer'), async (req, res) => {
    const state = typeof req.query.state === 'string' ? req.query.state : null;
    if (state !== null && !(goalStates as string[]).includes(state)) throw new AppError('invalid_input', `Estado desconocido: ${state}`);
    res.type('image/svg+xml').send(await goalMachineSvg(state as GoalState | null));
  });

  app.get('/api/audit', requireRole('admin'), async (req, res) => {
    res.json(await services.audit.read(parseQuery(auditQuery, req.query)));
  });
  app.get('/api/outbox/:id', requireRole('admin'), async (req, res) => {
    const message = await services.outbox.message(numericId(req, 'id', 'mensaje'));
    if (!message) throw new AppError('not_found', `No existe el mensaje ${req.params.id}`);
    res.json(message);
  });

  // Documents (PDF constancias, justification and commitment): stored once, downloaded as stored.
  app.get('/api/reviews/:workflowId/documents', requireRole('viewer'), ownDepartment, async (req, res) => {
    const reviewWorkflowId = workflowIdParam(req);
    res.json(await services.documents.ofReview(reviewWorkflowId));
  });
  app.get('/api/documents/:id', requireRole('viewer'), async (req, res) => {
    const document = await services.documents.readInScope(numericId(req, 'id', 'documento'), requestScope(res));
    if (!document) throw new AppError('not_found', `No existe el documento ${req.params.id}`);
    res.type(document.contentType).attachment(document.fileName).send(document.content);
  });

  app.get('/api/plan/thresholds', requireRole('viewer'), async (_req, res) => {
    res.json(await services.plan.thresholds(thresholds));
  });
  app.put('/api/plan/thresholds', requireRole('operator'), async (req, res) => {
    res.json(await services.plan.setThresholds({ ...(req.body ?? {}), changedBy: actor(res) }));
  });

  // Tablero de control (PE_F_024) and the Consejo de Gobierno presentation.
  app.get('/api/dashboard', requireRole('viewer'), async (req, res) => {
    const query = parseQuery(dashboardQuery, req.query);
    const request = { fiscalYear: query.year, quarter: query.quarter as Quarter, thresholds: await services.plan.thresholds(thresholds) };
    const scope = requestScope(res);
    if (query.format === 'json') {
      const report = scopeQuarterReport(scope, await services.reports.loadQuarterReport({ ...request, departmentCode: departmentFilter(scope, undefined) }));
      return res.json({ ...report, summary: summarize(report.goals) });
    }
    sendFile(res, await services.reports.exportDashboard({ ...request, format: query.format, timeZone, departmentCode: departmentFilter(scope, undefined) }));
  });

  // Matrices de metas rezagadas: del trimestre, acumuladas (T3) y con justificación.
  app.get('/api/matrices/:kind', requireRole('viewer'), async (req, res) => {
    const query = parseQuery(matrixQuery, { ...req.query, kind: req.params.kind });
    sendFile(
      res,
      await services.reports.exportMatrix({
        kind: query.kind,
        fiscalYear: query.year,
        quarter: query.quarter,
        departmentCode: departmentFilter(requestScope(res), query.department),
        thresholds: await services.plan.thresholds(thresholds),
        timeZone,
      }),
    );
  });

  app.use('/api', createAccountsRouter({ accounts: services.accounts, apiTokens: services.apiTokens, auth }));
  app.use(createDepartmentsRouter({ departments: services.departments, people: services.people, auth, timeZone }));
  app.use(createCoordinationRouter({ reviews: services.reviews, cycles, auth, timeZone, lateResponses: services.lateResponses }));
  app.use(createLateResponsesRouter({ lateResponses: services.lateResponses, auth, timeZone }));
  app.use(createAdminPagesRouter({ services, auth, timeZone, cycles, temporalUiUrl }));
  app.use(createReportPagesRouter({ services, auth, timeZone, thresholds }));
  app.use(createActionPlanRouter({ actionPlan: services.actionPlan, plan: services.plan, departments: services.departments, auth, timeZone }));
  app.use(createCyclePagesRouter({ services, cycles, auth, timeZone }));
  app.use(createMyReviewsRouter({ reviews: services.reviews, auth, timeZone }));
  app.use(createTokenPagesRouter({ apiTokens: services.apiTokens, auth, timeZone }));
  app.use(createMunicipalityRouter({ municipality: services.municipality, branding: services.branding, auth, timeZone }));
  app.use(createSigningCertificateRouter({ signing: services.signing, auth, timeZone }));
  app.use(createRecordFormatsRouter({ recordFormats: services.recordFormats, auth, timeZone }));

  app.use('/api', notFoundHandler, errorHandler(log));

  // ---- Pages -----------------------------------------------------------------------------------
  app.use('/responder', createResponseFormRouter({ cycles, reviews: services.reviews, lateResponses: services.lateResponses, timeZone, linkKey: auth.reviewLinkKey, lateResponseDays, now }));

  app.use((req, res) => {
    res.status(404).type('html').send(notFoundPage(req.path).value);
  });
  app.use(((error, _req, res, _next) => {
    const known = toAppError(error);
    if (!known) log('Error no controlado en una página', error);
    const status = known ? known.httpStatus : 500;
    const message = known ? known.message : 'Ocurrió un error interno. Intente de nuevo más tarde.';
    res.status(status).type('html').send(errorPage({ title: 'Error', heading: 'No fue posible completar la solicitud', message }).value);
  }) as express.ErrorRequestHandler);

  return app;
}

/** JSON and form bodies (a liaison's response with every justification is far below it). */
const BODY_LIMIT = '1mb';

const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000, 'desde (offset): máximo 1000000').default(0),
});

const auditQuery = pageQuery.extend({
  subject: z.string().trim().max(200).optional(),
  action: z.string().trim().max(100).optional(),
});

const yearQuarter = { year: fiscalYearSchema, quarter: quarterSchema };
const dashboardQuery = z.object({ ...yearQuarter, format: z.enum(['json', 'xlsx', 'pptx'], { message: 'formato: use json, xlsx o pptx' }).default('json') });
const matrixQuery = z.object({
  ...yearQuarter,
  kind: z.enum(['quarterly', 'cumulative', 'justification'], { message: 'matriz: use quarterly, cumulative o justification' }),
  department: z.string().trim().min(1).max(40).optional(),
});

/** A numeric ID in the path (documents, messages): a positive integer the database can hold, else a 400. */
function numericId(req: Request, param: string, what: string): number {
  const text = String(req.params[param] ?? '');
  const id = /^[1-9]\d{0,15}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(id)) throw new AppError('invalid_input', `Identificador de ${what} inválido: ${text.slice(0, 40)} (use un número entero positivo)`);
  return id;
}

function parseQuery<T>(schema: z.ZodType<T>, query: unknown): T {
  const parsed = schema.safeParse(query);
  if (!parsed.success) throw new AppError('invalid_input', 'Parámetros inválidos', describeIssues(parsed.error));
  return parsed.data;
}
