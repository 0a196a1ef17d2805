import express, { type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import type { Auth } from '../auth';
import { importKindLabels, parseImportKind, type UploadView, type ImportUploads } from '../imports';
import { defaultUploadLimits, megabytes, type UploadLimits } from '../imports/limits';
import { z } from 'zod';
import { describeIssues } from '../domain/review';
import { parseColumnChoices } from '../imports/columnFields';
import type { AppServices } from '../services/appServices';
import { AppError } from '../services/errors';
import { sendPage } from './html';
import { importListPage, importRefusalBody, uploadPage, type FormProblem } from './views/imports';
import { formatShortDateTime as formatDateTime } from '../domain/format';

/**
 * The Imports page (/importaciones): upload a Plan Indicativo or a Hoja de Captura, see what it
 * would change (or the table of its row errors) before confirming, then follow the import while
 * it runs in the background. The same over the API (/api/imports/uploads) and a stateless preview
 * (/api/imports/preview) for `metas … import --dry-run`.
 *
 * Mount before the app's CSRF check: a multipart form carries its `_csrf` field in a body that only
 * multer parses, so this router checks CSRF itself, after multer on the upload form and before
 * every other route of its own.
 */
/**
 * The progress of a running import, answered from memory (no session, no database) so it keeps
 * answering while the import holds the embedded database. The unguessable ticket, given only to
 * the operator's page, is the authorisation; it reveals nothing but the counters.
 */
function createLiveProgressRouter(uploads: ImportUploads) {
  const router = express.Router();
  router.get('/importaciones/:id/progreso/:ticket', (req, res) => {
    const live = uploads.live(Number(req.params.id), String(req.params.ticket ?? ''));
    res.setHeader('Cache-Control', 'no-store');
    if (!live) return res.status(404).json({ error: { code: 'not_found', message: 'No hay una importación en curso con ese enlace' } });
    res.json(live);
  });
  return router;
}

export function createImportPagesRouter({
  imports,
  auth,
  timeZone,
  log = console.error,
  limits = defaultUploadLimits,
}: {
  imports: AppServices['imports'];
  auth: Auth;
  timeZone: string;
  log?: (message: string, error?: unknown) => void;
  /** What an uploaded file may weigh (config: UPLOAD_*). */
  limits?: UploadLimits;
}) {
  const router = express.Router();
  const uploads = imports.createUploads({ log, limits });
  /** Mount before the session middleware (which reads the database). */
  const liveProgress = createLiveProgressRouter(uploads);
  const actor = (res: Response) => String(res.locals.actor ?? 'anónimo');
  const when = (iso: string) => formatDateTime(iso, timeZone);
  const operatorPage = auth.requireRolePage('operator');
  const operatorApi = auth.requireRole('operator');

  // Slightly above the importers' limit, so they give the precise message.
  const bodyLimit = limits.maxFileBytes + 1024 * 1024;
  const rawBody = express.raw({ type: () => true, limit: bodyLimit });
  // Browsers write the file name in UTF-8 (Plan Indicativo – Año 2026.xlsx).
  const formFile = multer({ storage: multer.memoryStorage(), defParamCharset: 'utf8', limits: { fileSize: bodyLimit, files: 1, fields: 5, fieldSize: 4096 } }).single(
    'archivo',
  );
  // A refused file (too big, malformed form) is told on the form itself, after the CSRF check.
  const receiveForm: RequestHandler = (req, res, next) =>
    formFile(req, res, (error: unknown) => {
      if (error) res.locals.formProblem = formError(error, limits);
      next();
    });

  // ---- Pages -------------------------------------------------------------------------------------
  const uploadForm = async (req: Request, res: Response, problem?: FormProblem, status = 200) => {
    const csrf = auth.csrfToken(req);
    const { items } = await uploads.list({ limit: 30 });
    sendPage(res, 'Importar archivos', importListPage(items, csrf, when, limits, problem), { csrf, current: '/importaciones' }, status);
  };

  router.get('/importaciones', operatorPage, (req, res) => uploadForm(req, res));

  router.post('/importaciones', operatorPage, receiveForm, auth.csrf, async (req, res) => {
    const form = (req.body ?? {}) as Record<string, unknown>;
    try {
      if (res.locals.formProblem) throw res.locals.formProblem;
      if (!req.file) throw new AppError('invalid_input', 'Elija el archivo que va a importar (XLSX o CSV)');
      const view = await uploads.upload({ kind: parseImportKind(form.kind), fileName: req.file.originalname, content: req.file.buffer, uploadedBy: actor(res) });
      res.redirect(303, `/importaciones/${view.id}`);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      await uploadForm(req, res, { message: error.message, details: error.details, kind: typeof form.kind === 'string' ? form.kind : undefined }, error.httpStatus);
    }
  });

  // Every other route of this router is checked here, as the app checks the rest.
  router.use(['/importaciones', '/api/imports'], auth.csrf);

  const uploadOf = async (req: Request): Promise<UploadView> => {
    const id = idParam(req);
    const view = id === null ? null : await uploads.get(id);
    if (!view) throw new AppError('not_found', `No existe la carga de archivo ${String(req.params.id)}`);
    return view;
  };

  router.get('/importaciones/:id', operatorPage, async (req, res) => {
    try {
      const view = await uploadOf(req);
      const csrf = auth.csrfToken(req);
      sendPage(res, `${importKindLabels[view.kind]}: ${view.fileName}`, uploadPage(view, csrf, when), {
        csrf,
        current: '/importaciones',
        scripts: view.status === 'committing' ? ['/assets/imports.js'] : [],
      });
    } catch (error) {
      refusedPage(req, res, error);
    }
  });

  const action = (run: (id: number, who: string) => Promise<UploadView>) =>
    [
      operatorPage,
      async (req: Request, res: Response) => {
        try {
          const view = await run((await uploadOf(req)).id, actor(res));
          res.redirect(303, `/importaciones/${view.id}`);
        } catch (error) {
          refusedPage(req, res, error);
        }
      },
    ] as const;
  // The progress page is answered at once, from the view read before the import started: on the
  // embedded database any later page request waits until the import ends.
  router.post('/importaciones/:id/confirmar', operatorPage, async (req, res) => {
    try {
      const upload = await uploadOf(req);
      const view = await uploads.commit(upload.id, actor(res), { departmentCodes: formDepartmentCodes(upload, req.body) });
      if (view.status !== 'committing') return res.redirect(303, `/importaciones/${view.id}`);
      const csrf = auth.csrfToken(req);
      sendPage(res, `${importKindLabels[view.kind]}: ${view.fileName}`, uploadPage(view, csrf, when), { csrf, current: '/importaciones', scripts: ['/assets/imports.js'] }, 202);
    } catch (error) {
      refusedPage(req, res, error);
    }
  });
  router.post('/importaciones/:id/descartar', ...action(uploads.discard));
  router.post('/importaciones/:id/mapeo', operatorPage, async (req, res) => {
    try {
      const view = await uploadOf(req);
      const choices = parseColumnChoices(view.kind, choicesFromForm((req.body ?? {}) as Record<string, unknown>));
      await uploads.remap(view.id, choices, actor(res));
      res.redirect(303, `/importaciones/${view.id}`);
    } catch (error) {
      refusedPage(req, res, error);
    }
  });

  function refusedPage(req: Request, res: Response, error: unknown): void {
    if (!(error instanceof AppError)) throw error;
    const id = idParam(req);
    sendPage(res, 'No fue posible', importRefusalBody(error, id === null || error.code === 'not_found' ? null : id), { csrf: auth.csrfToken(req), current: '/importaciones' }, error.httpStatus);
  }

  // ---- API ---------------------------------------------------------------------------------------
  /** The file is the body (XLSX or CSV), its name in ?fileName= and its kind in ?kind=. */
  const fileOf = (req: Request) => {
    const fileName = String(req.query.fileName ?? '').trim();
    if (!fileName) throw new AppError('invalid_input', 'Indique el nombre del archivo (?fileName=plan.xlsx)');
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw new AppError('invalid_input', 'El archivo está vacío');
    const kind = parseImportKind(req.query.kind);
    return { kind, fileName, content: req.body, columns: parseColumnChoices(kind, req.query.map) };
  };

  // The preview alone, nothing stored: the import's summary, or ImportFailed (400) listing every problem.
  router.post('/api/imports/preview', operatorApi, rawBody, async (req, res) => {
    const { kind, fileName, content, columns } = fileOf(req);
    const { departmentCodes } = departmentQuery(req.query);
    res.json({ dryRun: true, ...(await imports.run(kind, { fileName, content, importedBy: actor(res) }, { dryRun: true, limits, departmentCodes, columns })) });
  });

  router.post('/api/imports/uploads', operatorApi, rawBody, async (req, res) => {
    const file = fileOf(req);
    res.status(201).json(apiView(await uploads.upload({ ...file, uploadedBy: actor(res) })));
  });

  router.get('/api/imports/uploads', operatorApi, async (req, res) => {
    const limit = Math.min(200, Math.max(1, Number(req.query.limit ?? 50) || 50));
    const offset = Math.max(0, Number(req.query.offset ?? 0) || 0);
    res.json(await uploads.list({ limit, offset }));
  });

  // ?fields=progress: only what a progress bar needs (the page's script polls it twice a second).
  router.get('/api/imports/uploads/:id', operatorApi, async (req, res) => {
    const view = await uploadOf(req);
    res.json(req.query.fields === 'progress' ? { id: view.id, status: view.status, ...view.progress } : apiView(view));
  });

  router.post('/api/imports/uploads/:id/commit', operatorApi, async (req, res) => {
    const choices = parseBody(commitBody, req.body ?? {});
    res.status(202).json(apiView(await uploads.commit((await uploadOf(req)).id, actor(res), choices)));
  });

  // Body: { "columns": [{ "header": "Avance ejecutado T3", "field": "Ejecutado" }] } (field: its label, or "No importar").
  router.post('/api/imports/uploads/:id/columns', operatorApi, express.json({ limit: '64kb' }), async (req, res) => {
    const view = await uploadOf(req);
    const columns = parseColumnChoices(view.kind, (req.body as { columns?: unknown } | undefined)?.columns ?? []);
    res.json(apiView(await uploads.remap(view.id, columns, actor(res))));
  });

  router.post('/api/imports/uploads/:id/discard', operatorApi, async (req, res) => {
    res.json(apiView(await uploads.discard((await uploadOf(req)).id, actor(res))));
  });

  return { pages: router, liveProgress };
}

/** The codes typed in the preview's table of new departments (`codigo-<n>`, in the preview's order). */
function formDepartmentCodes(upload: UploadView, body: unknown): Record<string, string> | undefined {
  const proposed = upload.preview.ok && 'departmentsFromPlan' in upload.preview.summary ? upload.preview.summary.departmentsFromPlan : [];
  const form = (body ?? {}) as Record<string, unknown>;
  const codes = Object.fromEntries(
    proposed.flatMap((d, i) => {
      const typed = form[`codigo-${i}`];
      return typeof typed === 'string' && typed.trim() ? [[d.name, typed.trim()]] : [];
    }),
  );
  return Object.keys(codes).length ? codes : undefined;
}

const commitBody = z.object(
  {
    departmentCodes: z
      .record(z.string().max(200, 'departmentCodes: nombres de hasta 200 caracteres'), z.string({ message: 'departmentCodes: cada código debe ser texto' }).max(40, 'departmentCodes: códigos de hasta 20 caracteres'), {
        message: 'departmentCodes: un objeto { "Nombre de la dependencia": "CÓDIGO" }',
      })
      .optional(),
  },
  { message: 'El cuerpo debe ser un objeto JSON' },
);

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new AppError('invalid_input', 'Datos inválidos', describeIssues(parsed.error));
  return parsed.data;
}

/**
 * `?departmentCode=Secretaría de Cultura=SCUL` (repeatable) chooses codes for the plan's new
 * departments; `?confirmNewDepartments=1` confirms creating them (the import refuses otherwise).
 */
export function departmentQuery(query: Record<string, unknown>): { departmentCodes?: Record<string, string>; confirmNewDepartments: boolean } {
  const raw = query.departmentCode;
  const pairs = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
  const departmentCodes: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.lastIndexOf('=');
    if (at <= 0 || at === pair.length - 1) throw new AppError('invalid_input', `departmentCode: use "Nombre de la dependencia=CÓDIGO" (recibido "${pair.slice(0, 100)}")`);
    departmentCodes[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  const confirm = String(query.confirmNewDepartments ?? '');
  if (!['', '0', '1', 'true', 'false'].includes(confirm)) throw new AppError('invalid_input', 'confirmNewDepartments: use 1 (crear las dependencias nuevas) o 0');
  return { ...(pairs.length ? { departmentCodes } : {}), confirmNewDepartments: confirm === '1' || confirm === 'true' };
}

/** The upload as the API gives it: the progress flattened (status, phase, label, done, total). */
const apiView = ({ progress, ...view }: UploadView) => ({ ...view, ...progress });

function idParam(req: Request): number | null {
  const text = String(req.params.id ?? '');
  return /^\d{1,15}$/.test(text) ? Number(text) : null;
}

function formError(error: unknown, limits: UploadLimits): AppError {
  if (error instanceof multer.MulterError && error.code === 'LIMIT_FILE_SIZE') {
    return new AppError('invalid_input', `El archivo pesa más de ${megabytes(limits.maxFileBytes)}, el máximo`, [], 413);
  }
  return new AppError('invalid_input', 'El formulario no es válido: elija un solo archivo en el campo «Archivo» y envíelo de nuevo');
}

/** The form's pairs: `header` and `field` repeated in the same order; a column left unassigned is skipped. */
export function choicesFromForm(body: Record<string, unknown>): { header: string; field: string }[] {
  const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)]);
  const headers = list(body.header);
  const fields = list(body.field);
  return headers.map((header, i) => ({ header, field: fields[i] ?? '' })).filter((c) => c.field.trim() !== '');
}
