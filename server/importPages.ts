import express, { type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import type { Auth } from '../auth';
import type { Database } from '../db/client';
import {
  createImportUploads,
  type ImportError,
  type ImportKind,
  importKindLabels,
  importKinds,
  type ImportOutcome,
  type IndicativePlanImportSummary,
  type NewDepartment,
  parseImportKind,
  type ProgressReportImportSummary,
  runImport,
  type UploadListItem,
  uploadStatusLabels,
  type UploadView,
  type ImportUploads,
} from '../imports';
import { defaultUploadLimits, megabytes, type UploadLimits } from '../imports/limits';
import { z } from 'zod';
import { describeIssues } from '../domain/review';
import { html } from '../mail/html';
import { parseColumnChoices } from '../imports/columnFields';
import { describeUnimported, type UnimportedColumn } from '../imports/headers';
import type { FileReading } from '../imports/table';
import { AppError } from '../services/errors';
import { choicesFromForm, columnsSection, municipalityNote } from './columnMappingPage';
import { escapeHtml, sendPage } from './html';
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
  db,
  auth,
  timeZone,
  log = console.error,
  limits = defaultUploadLimits,
}: {
  db: Database;
  auth: Auth;
  timeZone: string;
  log?: (message: string, error?: unknown) => void;
  /** What an uploaded file may weigh (config: UPLOAD_*). */
  limits?: UploadLimits;
}) {
  const router = express.Router();
  const uploads = createImportUploads(db, { log, limits });
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
    sendPage(res, 'Importar archivos', listPage(items, csrf, when, limits, problem), { csrf, current: '/importaciones' }, status);
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
    const back = id === null || error.code === 'not_found' ? '' : `<a href="/importaciones/${id}">Volver a la carga ${id}</a> · `;
    sendPage(
      res,
      'No fue posible',
      `<h1>No fue posible completar la acción</h1><div class="error" role="alert"><p>${escapeHtml(error.message)}</p>${
        error.details.length ? `<ul>${error.details.slice(0, 50).map((d) => `<li>${escapeHtml(d)}</li>`).join('')}</ul>` : ''
      }</div><p>${back}<a href="/importaciones">Importar archivos</a></p>`,
      { csrf: auth.csrfToken(req), current: '/importaciones' },
      error.httpStatus,
    );
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
    res.json({ dryRun: true, ...(await runImport(db, kind, { fileName, content, importedBy: actor(res) }, { dryRun: true, limits, departmentCodes, columns })) });
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

// ---- Views -----------------------------------------------------------------------------------------

const number = (n: number) => n.toLocaleString('es-CO');
const kindOptions = (selected?: string) =>
  importKinds
    .map(
      (kind, i) =>
        `<label for="kind-${i}" style="display:flex;gap:.5rem;align-items:center;font-weight:400"><input type="radio" name="kind" value="${kind}"${(selected ?? importKinds[0]) === kind ? ' checked' : ''} required id="kind-${i}" style="width:auto"> ${escapeHtml(importKindLabels[kind])}</label>`,
    )
    .join('');

type When = (iso: string) => string;

/** Why the form's file was refused; `details` name rows and columns (control characters). */
interface FormProblem {
  message: string;
  details?: string[];
  kind?: string;
}

function listPage(items: UploadListItem[], csrf: string, when: When, limits: UploadLimits, problem?: FormProblem): string {
  const rows = items
    .map(
      (u) =>
        `<tr><td>${escapeHtml(when(u.createdAt))}</td><td>${escapeHtml(importKindLabels[u.kind])}</td><td><a href="/importaciones/${u.id}">${escapeHtml(u.fileName)}</a></td><td>${escapeHtml(u.uploadedByName ?? u.uploadedBy)}</td><td>${escapeHtml(uploadStatusLabels[u.status])}</td></tr>`,
    )
    .join('');
  const history = items.length
    ? `<div class="table-wrap"><table><caption class="visually-hidden">Cargas recientes</caption><thead><tr><th scope="col">Fecha</th><th scope="col">Tipo</th><th scope="col">Archivo</th><th scope="col">Subido por</th><th scope="col">Estado</th></tr></thead><tbody>${rows}</tbody></table></div>`
    : '<p>Aún no se ha subido ningún archivo.</p>';
  return `<h1>Importar archivos</h1>
${problem ? `<div class="error" role="alert"><p>${escapeHtml(problem.message)}</p>${problem.details?.length ? `<ul>${problem.details.slice(0, 50).map((d) => `<li>${escapeHtml(d)}</li>`).join('')}</ul>` : ''}</div>` : ''}
<p>Suba el Plan Indicativo o la Hoja de Captura (XLSX o CSV, hasta ${escapeHtml(megabytes(limits.maxFileBytes))}; formatos en <code>samples/LEEME.md</code>).
Antes de importar verá qué cambiaría, o la lista de errores del archivo: <strong>nada se importa hasta que usted lo confirme</strong>.</p>
<form method="post" action="/importaciones" enctype="multipart/form-data">
<input type="hidden" name="_csrf" value="${escapeHtml(csrf)}">
<fieldset><legend>Tipo de archivo</legend>${kindOptions(problem?.kind)}</fieldset>
<label for="archivo">Archivo</label><input id="archivo" name="archivo" type="file" required accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv">
<p><button type="submit">Subir y ver la vista previa</button></p>
</form>
<h2>Cargas recientes</h2>
${history}`;
}

function uploadPage(view: UploadView, csrf: string, when: When): string {
  const kind = importKindLabels[view.kind];
  const facts = `<dl style="display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0 0 1rem">
<dt>Archivo</dt><dd style="margin:0">${escapeHtml(view.fileName)} (${escapeHtml(sizeOf(view.size))})</dd>
<dt>Subido</dt><dd style="margin:0">${escapeHtml(when(view.createdAt))} por ${escapeHtml(view.uploadedByName ?? view.uploadedBy)}</dd>
<dt>Estado</dt><dd style="margin:0"><span class="badge">${escapeHtml(uploadStatusLabels[view.status])}</span>${
    view.decidedBy && view.status !== 'pending' ? ` · ${escapeHtml(view.decidedByName ?? view.decidedBy)}, ${escapeHtml(when(view.updatedAt))}` : ''
  }</dd>
<dt>SHA-256</dt><dd style="margin:0;word-break:break-all"><code>${escapeHtml(view.sha256)}</code></dd>
</dl>`;
  const form = (path: string, label: string, className = '', fields = '') =>
    `<form method="post" action="/importaciones/${view.id}/${path}" class="inline"><input type="hidden" name="_csrf" value="${escapeHtml(csrf)}">${fields}<button type="submit"${className ? ` class="${className}"` : ''}>${escapeHtml(label)}</button></form>`;
  const canCommit = view.preview.ok && (view.status === 'pending' || view.status === 'failed');
  const proposed = view.preview.ok && 'departmentsFromPlan' in view.preview.summary ? view.preview.summary.departmentsFromPlan : [];
  const canDiscard = view.status === 'pending' || view.status === 'failed';
  const buttons =
    canCommit || canDiscard
      ? `<p style="display:flex;gap:1rem;flex-wrap:wrap">${canCommit ? form('confirmar', view.status === 'failed' ? 'Reintentar la importación' : proposed.length ? `Confirmar importación y crear ${proposed.length === 1 ? 'la dependencia' : `las ${proposed.length} dependencias`}` : 'Confirmar importación', '', newDepartmentsFields(proposed)) : ''} ${canDiscard ? form('descartar', 'Descartar', 'secondary') : ''}</p>`
      : '';

  let body: string;
  switch (view.status) {
    case 'committing':
      body = progressSection(view);
      break;
    case 'committed':
      body = `<p class="ok" role="status">El archivo se importó.</p>${view.result ? outcomeSection(view.kind, view.result, 'Resultado de la importación', false) : ''}`;
      break;
    case 'failed':
      body = `${view.result ? outcomeSection(view.kind, view.result, 'Resultado de la importación', false) : '<p class="error" role="alert">La importación falló; no se importó nada.</p>'}
${view.preview.ok ? '<p>Puede intentarlo de nuevo: la importación es todo o nada y se compara con los datos actuales.</p>' : ''}${buttons}`;
      break;
    case 'discarded':
      body = '<p class="note" role="status">Esta carga se descartó; no se importó nada.</p>';
      break;
    default:
      body = `${
        view.preview.ok
          ? `<p class="note">Vista previa: así quedarían los datos al confirmar. <strong>Todavía no se ha importado nada.</strong></p>${
              view.outdated
                ? '<p class="error" role="alert">Después de esta vista previa se importó otro archivo: al confirmar, el archivo se comparará con los datos actuales y el resultado puede ser distinto. Súbalo de nuevo para ver una vista previa actualizada.</p>'
                : ''
            }`
          : ''
      }${outcomeSection(view.kind, view.preview, 'Vista previa', true, buttons)}`;
  }
  return `<h1>${escapeHtml(kind)}: ${escapeHtml(view.fileName)}</h1>
${facts}
${municipalityNote(view)}
${columnsSection(view, csrf, when)}
${body}
<p><a href="/importaciones">Volver a Importar archivos</a></p>`;
}

function progressSection(view: UploadView): string {
  const { phase, done, total, label } = view.progress;
  // Rows are counted while validating and saving; reading a file has no measurable progress.
  const counted = total > 0 && (phase === 'validating' || phase === 'saving');
  const value = counted ? ` max="${total}" value="${Math.min(done, total)}"` : '';
  const statusUrl = view.progressTicket ? `/importaciones/${view.id}/progreso/${view.progressTicket}` : `/api/imports/uploads/${view.id}?fields=progress`;
  return `<section id="import-progress" data-status-url="${escapeHtml(statusUrl)}" aria-labelledby="import-progress-title">
<h2 id="import-progress-title">Importando…</h2>
<p><progress id="import-progress-bar"${value} aria-labelledby="import-progress-title" style="width:100%;max-width:36rem;height:1.2rem">${counted ? `${Math.round((100 * done) / total)} %` : ''}</progress></p>
<p data-phase role="status" aria-live="polite">${escapeHtml(label)}</p>
<p>La importación sigue en el servidor aunque cierre esta página. <a href="/importaciones/${view.id}" data-refresh>Actualizar</a></p>
</section>`;
}

const sizeOf = (bytes: number) => (bytes < 1024 * 1024 ? `${number(Math.max(1, Math.round(bytes / 1024)))} KB` : `${(bytes / (1024 * 1024)).toFixed(1).replace('.', ',')} MB`);

/** The summary in tables, or the table of the file's errors. */
function outcomeSection(kind: ImportKind, outcome: ImportOutcome, title: string, preview: boolean, actions = ''): string {
  if (!outcome.ok) {
    return `<h2>${escapeHtml(title)}</h2><div class="error" role="alert"><p>${escapeHtml(outcome.message)}.${
      preview ? ' Corrija el archivo y súbalo de nuevo.' : ''
    }</p></div>${readingSection(outcome.reading)}${actions}${outcome.errors.length ? errorTable(outcome.errors) : ''}`;
  }
  const summary = outcome.summary;
  const file = `${readingSection(summary.reading)}${unimportedSection(summary.unimportedColumns)}`;
  if (summary.unchanged) {
    const text =
      summary.importId !== null
        ? `Sin cambios: este archivo es el último ${importKindLabels[kind]} importado (importación ${summary.importId}); ${preview ? 'confirmarlo no cambiará nada' : 'no se cambió nada'}.`
        : `Sin cambios: los datos del archivo ya coinciden con los registrados${preview ? '; confirmarlo no cambiará nada' : ''}.`;
    return `<h2>${escapeHtml(title)}</h2>${file}<p class="note">${escapeHtml(text)}</p>${actions}`;
  }
  const rows = outcome.rows ? `<p>${number(outcome.rows)} filas en el archivo.</p>` : '';
  const { counts, details } =
    kind === 'indicativePlan' ? planSummary(summary as IndicativePlanImportSummary, preview) : progressSummary(summary as ProgressReportImportSummary, preview);
  return `<h2>${escapeHtml(title)}</h2>${file}${rows}${counts}${actions}${details}`;
}

/** Where the file's header row was found, and how a CSV was read. */
const readingSection = (reading: FileReading | undefined) =>
  reading ? html`<p class="note" data-reading>Archivo leído: ${reading.description}.</p>`.value : '';

/** Columns that are not imported: never dropped without a word. */
function unimportedSection(columns: UnimportedColumn[] | undefined): string {
  if (!columns?.length) return '';
  return html`<div class="error" role="alert" data-unimported><p><strong>${columns.length === 1 ? 'Una columna del archivo no se importará' : `${columns.length} columnas del archivo no se importarán`}</strong>: ${columns.length === 1 ? 'no corresponde a ningún campo. Si debe importarse, asígnela' : 'no corresponden a ningún campo. Si una debe importarse, asígnela'} a un campo en «Columnas del archivo» (se recuerda para los próximos archivos) o cambie su encabezado por el nombre del campo (samples/LEEME.md).</p><ul>${columns.map(
    (c) => html`<li>${describeUnimported(c)}</li>`,
  )}</ul></div>`.value;
}

/** Long tables are cut; the API has them whole. */
const MAX_TABLE_ROWS = 500;
const cut = <T>(items: readonly T[]) => ({
  shown: items.slice(0, MAX_TABLE_ROWS),
  more: items.length > MAX_TABLE_ROWS ? `<p>… y ${number(items.length - MAX_TABLE_ROWS)} más (la lista completa está en la API: <code>GET /api/imports/uploads/&lt;id&gt;</code>).</p>` : '',
});

const countsTable = (caption: string, counts: [string, number][]) =>
  `<table style="width:auto;min-width:min(100%,28rem)"><caption style="text-align:left;font-weight:600">${escapeHtml(caption)}</caption><thead><tr><th scope="col">Cambio</th><th scope="col" class="num">Cantidad</th></tr></thead><tbody>${counts
    .map(([label, n]) => `<tr><th scope="row">${escapeHtml(label)}</th><td class="num">${number(n)}</td></tr>`)
    .join('')}</tbody></table>`;

const codeList = (label: string, codes: string[]) => {
  if (!codes.length) return '';
  const { shown, more } = cut(codes);
  return `<details><summary>${escapeHtml(label)} (${number(codes.length)})</summary><p>${shown.map(escapeHtml).join(', ')}</p>${more}</details>`;
};

const amount = (n: number | null) => (n === null ? '—' : number(n));

/** The new departments with an editable code each, inside the confirmation form. */
function newDepartmentsFields(proposed: readonly NewDepartment[]): string {
  if (!proposed.length) return '';
  const rows = proposed.map(
    (d, i) =>
      html`<tr><td><label for="codigo-${i}">${d.name}</label></td><td class="num">${number(d.goals)}</td><td><input id="codigo-${i}" name="codigo-${i}" value="${d.code}" required maxlength="20" pattern="[A-Za-z0-9][A-Za-z0-9_.\-]{0,19}" style="max-width:10rem" aria-describedby="codigos-ayuda"></td></tr>`,
  );
  return html`<fieldset id="dependencias-nuevas"><legend>Dependencias nuevas (${proposed.length}): se crearán al confirmar</legend>
<p id="codigos-ayuda">El archivo nombra estas dependencias y no están registradas. Revise el código propuesto para cada una (letras sin tilde, números, punto o guion; hasta 20 caracteres); después podrá registrar su líder y su enlace en <a href="/dependencias">Dependencias</a>.</p>
<div class="table-wrap"><table><thead><tr><th scope="col">Dependencia</th><th scope="col" class="num">Metas</th><th scope="col">Código</th></tr></thead><tbody>${rows}</tbody></table></div></fieldset>`.toString();
}

function planSummary(s: IndicativePlanImportSummary, preview: boolean): { counts: string; details: string } {
  const counts = countsTable(preview ? 'Cambios que hará la importación' : 'Cambios hechos', [
    ['Metas nuevas', s.goalsAdded.length],
    ['Metas retiradas del plan', s.goalsRemoved.length],
    ['Metas reactivadas', s.goalsReactivated.length],
    ['Metas con datos cambiados', s.goalsChanged.length],
    ['Programaciones anuales cambiadas', s.programmingChanged.length],
    ['Dependencias nuevas', s.departmentsAdded.length],
    ['Dependencias actualizadas', s.departmentsChanged.length],
  ]);
  const lists = [
    codeList('Metas nuevas', s.goalsAdded),
    codeList('Metas retiradas del plan (quedan inactivas, con su historia)', s.goalsRemoved),
    codeList('Metas reactivadas', s.goalsReactivated),
    codeList('Metas con datos cambiados', s.goalsChanged),
    s.departmentsFromPlan?.length
      ? html`<p><strong>Dependencias nuevas (${s.departmentsFromPlan.length}):</strong> ${s.departmentsFromPlan.map((d, i) => html`${i ? ', ' : ''}${d.name} (${d.code})`)}</p>`.toString()
      : '',
    // Those the plan names are listed just above with their names; here, the Dependencias sheet's.
    codeList('Dependencias nuevas de la hoja Dependencias', s.departmentsAdded.filter((code) => !s.departmentsFromPlan?.some((d) => d.code === code))),
    codeList('Dependencias actualizadas', s.departmentsChanged),
  ].join('');
  const { shown, more } = cut(s.programmingChanged);
  const programming = shown.length
    ? `<h3>Programación anual cambiada</h3><div class="table-wrap"><table><thead><tr><th scope="col">Meta</th><th scope="col">Vigencia</th><th scope="col" class="num">Antes</th><th scope="col" class="num">Después</th></tr></thead><tbody>${shown
        .map((c) => `<tr><td>${escapeHtml(c.goalCode)}</td><td>${c.fiscalYear}</td><td class="num">${amount(c.before)}</td><td class="num">${amount(c.after)}</td></tr>`)
        .join('')}</tbody></table></div>${more}`
    : '';
  return { counts, details: `${lists}${programming}` };
}

function progressSummary(s: ProgressReportImportSummary, preview: boolean): { counts: string; details: string } {
  const counts = countsTable(preview ? 'Cambios que hará la importación' : 'Cambios hechos', [
    ['Registros de avance nuevos (versiones)', s.progressVersionsCreated],
    ['Correcciones de trimestres ya reportados', s.corrections.length],
    ['Versiones de programación nuevas', s.programmingVersionsCreated],
  ]);
  const { shown, more } = cut(s.corrections);
  const corrections = shown.length
    ? `<h3>Correcciones de trimestres ya reportados</h3><p>El valor anterior se conserva como versión anterior.</p><div class="table-wrap"><table><thead><tr><th scope="col">Meta</th><th scope="col">Vigencia</th><th scope="col">Trimestre</th><th scope="col" class="num">Antes</th><th scope="col" class="num">Después</th></tr></thead><tbody>${shown
        .map(
          (c) =>
            `<tr><td>${escapeHtml(c.goalCode)}</td><td>${c.fiscalYear}</td><td>T${c.quarter}</td><td class="num">${amount(c.before)}</td><td class="num">${amount(c.after)}</td></tr>`,
        )
        .join('')}</tbody></table></div>${more}`
    : '';
  return { counts, details: corrections };
}

function errorTable(errors: ImportError[]): string {
  const withSheet = errors.some((e) => e.sheet);
  const { shown, more } = cut(errors);
  return `<div class="table-wrap"><table><caption style="text-align:left;font-weight:600">Errores del archivo (${number(errors.length)})</caption><thead><tr>${
    withSheet ? '<th scope="col">Hoja</th>' : ''
  }<th scope="col">Fila</th><th scope="col">Columna</th><th scope="col">Mensaje</th></tr></thead><tbody>${shown
    .map(
      (e) =>
        `<tr>${withSheet ? `<td>${escapeHtml(e.sheet ?? '')}</td>` : ''}<td>${e.row === null ? 'Todo el archivo' : e.row}</td><td>${escapeHtml(e.column ?? '—')}</td><td>${escapeHtml(e.message)}</td></tr>`,
    )
    .join('')}</tbody></table></div>${more}`;
}
