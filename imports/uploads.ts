import { randomBytes } from 'node:crypto';
import { and, desc, eq, getTableColumns, gte, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { AppError } from '../domain/errors';
import type { ColumnChoice, ColumnReport } from './columnMappings';
import { type ImportError, ImportFailed } from './errors';
import type { IndicativePlanImportSummary } from './indicativePlan';
import { importIndicativePlan } from './indicativePlanImport';
import { importProgressReport, type ProgressReportImportSummary } from './progressReport';
import { describeProgress, type ImportKind, type ImportOptions, type ImportProgress, type ImportRequest, sha256 } from './store';
import { defaultUploadLimits, type UploadLimits } from './limits';
import { checkUpload, type FileReading } from './table';
import { departmentCodeProblem, departmentNameKey } from './departmentCodes';

/**
 * Staged imports: a file is uploaded and stored with its preview (the real import, rolled back);
 * the operator confirms it, and the real import runs from the stored bytes as a background job of
 * this process whose progress can be polled. Status: pending → committing → committed | failed;
 * pending | failed → discarded; failed may be confirmed again (imports are all or nothing).
 *
 * A server stopped during an import leaves its upload "committing". On start it is settled: if the
 * import's transaction had committed (its plan_imports row is there) the upload is marked committed
 * with that summary; otherwise it is marked failed with a Spanish message and the operator may
 * confirm it again. It is not re-run by itself: an import is a person's decision, not the boot's.
 */

export const importKinds = ['indicativePlan', 'progressReport'] as const satisfies readonly ImportKind[];
export const importKindLabels: Record<ImportKind, string> = { indicativePlan: 'Plan Indicativo', progressReport: 'Hoja de Captura' };

export type ImportSummary = IndicativePlanImportSummary | ProgressReportImportSummary;
export type UploadStatus = (typeof t.importUploads.$inferSelect)['status'];
export const uploadStatusLabels: Record<UploadStatus, string> = {
  pending: 'Pendiente de confirmar',
  committing: 'Importando',
  committed: 'Importado',
  discarded: 'Descartado',
  failed: 'Falló',
};

/** What an import did (or, previewed, would do): its summary and the file's rows, or every problem of the file. */
export type ImportOutcome = (
  | { ok: true; summary: ImportSummary; rows: number }
  /** `reading`: how the file was read, when it could be (where its header row was found). */
  | { ok: false; message: string; errors: ImportError[]; reading?: FileReading }
) & {
  /** The file's columns: the mapping applied and the columns not imported (when the header was found). */
  columns?: ColumnReport;
};
/** The preview, and the latest plan_imports row when it was made (a later import makes it out of date). */
export type UploadPreview = ImportOutcome & { basisImportId: number | null };

export interface UploadProgress {
  phase: 'pending' | 'waiting' | ImportProgress['phase'] | 'done' | 'failed' | 'discarded';
  /** In Spanish: `Guardando: 2.000 de 7.500`. */
  label: string;
  done: number;
  total: number;
}

export interface UploadView {
  id: number;
  kind: ImportKind;
  fileName: string;
  sha256: string;
  size: number;
  status: UploadStatus;
  uploadedBy: string;
  uploadedByName: string | null;
  decidedBy: string | null;
  decidedByName: string | null;
  createdAt: string;
  updatedAt: string;
  preview: UploadPreview;
  result: ImportOutcome | null;
  /** The operator's column mapping for this file, applied to its preview and import. */
  columnMap: ColumnChoice[] | null;
  /** Pending, and another file was imported after its preview: confirming compares against newer data. */
  outdated: boolean;
  progress: UploadProgress;
  /** While this process runs the import: the ticket of its database-free progress URL. */
  progressTicket: string | null;
}

export type UploadListItem = Omit<UploadView, 'preview' | 'result' | 'columnMap' | 'outdated' | 'progress' | 'progressTicket'>;

const INTERRUPTED =
  'La importación se interrumpió porque el servidor se detuvo; no se importó nada (las importaciones son todo o nada). Puede confirmarla de nuevo.';
const INTERNAL = 'Ocurrió un error interno al importar; no se importó nada. Intente de nuevo o consulte el registro del servidor.';

type Importer = (db: Database, request: ImportRequest, options?: ImportOptions) => Promise<ImportSummary>;
const importers: Record<ImportKind, Importer> = { indicativePlan: importIndicativePlan, progressReport: importProgressReport };

export function parseImportKind(value: unknown): ImportKind {
  if (typeof value === 'string' && (importKinds as readonly string[]).includes(value)) return value as ImportKind;
  throw new AppError('invalid_input', 'Indique el tipo de archivo: indicativePlan (Plan Indicativo) o progressReport (Hoja de Captura)');
}

/** Imports a file of either kind (`dryRun` previews it). Throws ImportFailed when the file has problems. */
export const runImport = (db: Database, kind: ImportKind, request: ImportRequest, options: ImportOptions = {}) => importers[kind](db, request, options);

/** The import's outcome instead of ImportFailed; other errors (the database, a bug) still throw. */
async function attempt(db: Database, kind: ImportKind, request: ImportRequest, options: ImportOptions): Promise<ImportOutcome> {
  let rows = 0;
  let columns: ColumnReport | undefined;
  const withColumns = (outcome: ImportOutcome): ImportOutcome => (columns ? { ...outcome, columns } : outcome);
  try {
    const summary = await runImport(db, kind, request, {
      ...options,
      onColumns: (report) => {
        columns = report;
        options.onColumns?.(report);
      },
      onProgress: (progress) => {
        if (progress.phase === 'validating') rows = progress.total;
        options.onProgress?.(progress);
      },
    });
    return withColumns({ ok: true, summary, rows });
  } catch (error) {
    if (error instanceof ImportFailed) return withColumns({ ok: false, message: error.message, errors: error.errors, ...(error.reading ? { reading: error.reading } : {}) });
    throw error;
  }
}

const latestImportId = async (db: Database) =>
  (await db.select({ id: t.planImports.id }).from(t.planImports).orderBy(desc(t.planImports.id)).limit(1))[0]?.id ?? null;

/** Every column but the bytes, plus their size. */
const { content: _content, ...listedColumns } = getTableColumns(t.importUploads);
const listed = { ...listedColumns, size: sql<number>`octet_length(${t.importUploads.content})::int` };
type ListedRow = Omit<typeof t.importUploads.$inferSelect, 'content'> & { size: number };

/** Display names of `user:<id>` actors. */
async function namesOf(db: Database, actors: (string | null)[]): Promise<Map<string, string>> {
  const ids = [...new Set(actors.map((a) => /^user:(\d+)$/.exec(a ?? '')?.[1]).filter((id): id is string => id !== undefined))].map(Number);
  if (!ids.length) return new Map();
  const rows = await db.select({ id: t.users.id, name: t.users.name }).from(t.users).where(inArray(t.users.id, ids));
  return new Map(rows.map((r) => [`user:${r.id}`, r.name]));
}

function listItem(row: ListedRow, names: Map<string, string>): UploadListItem {
  return {
    id: row.id,
    kind: row.kind,
    fileName: row.fileName,
    sha256: row.sha256,
    size: row.size,
    status: row.status,
    uploadedBy: row.uploadedBy,
    uploadedByName: names.get(row.uploadedBy) ?? null,
    decidedBy: row.decidedBy,
    decidedByName: row.decidedBy ? (names.get(row.decidedBy) ?? null) : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

const rowsOf = (outcome: ImportOutcome | null | undefined) => (outcome?.ok ? outcome.rows : 0);

export interface ImportUploads {
  /** Stores the file with its preview (nothing else is written). Whole-file problems (empty, not XLSX/CSV, beyond a limit: 413/422) are refused unstored. */
  upload(request: { kind: ImportKind; fileName: string; content: Buffer; uploadedBy: string; columns?: readonly ColumnChoice[] }): Promise<UploadView>;
  get(id: number): Promise<UploadView | null>;
  list(page?: { limit?: number; offset?: number }): Promise<{ total: number; items: UploadListItem[] }>;
  /** Sets the operator's column mapping of a pending or failed upload (replacing an earlier one) and previews it again; it is saved only when imported. */
  remap(id: number, columns: readonly ColumnChoice[], actor: string): Promise<UploadView>;
  /**
   * Starts the real import in the background; refused (409) unless pending or failed, and (400) when the preview found errors.
   * Confirming creates the departments the preview proposed, with the codes chosen here (by name) or the proposed ones.
   */
  commit(id: number, actor: string, choices?: CommitChoices): Promise<UploadView>;
  discard(id: number, actor: string): Promise<UploadView>;
  /** Resolves when the upload's background import (if any) has finished and its result is stored. */
  settled(id: number): Promise<void>;
  /** Resolves when every background import of this process has finished (for an orderly stop). */
  idle(): Promise<void>;
  /**
   * A running import's progress from memory, for the ticket its page was given; no database access,
   * so it answers while the import holds the embedded database (PGlite runs one transaction at a time).
   * 'finished' once the job ended; null for an unknown ticket.
   */
  live(id: number, ticket: string): LiveProgress | null;
}

export interface CommitChoices {
  /** Codes for the new departments the preview proposed, by name as the preview lists them. */
  departmentCodes?: Readonly<Record<string, string>>;
}

export type LiveProgress = ({ status: 'committing' } & UploadProgress) | { status: 'finished' };

/** Tickets of finished jobs are remembered a while, so a last poll learns the job ended. */
const FINISHED_TICKETS_KEPT = 200;

export function createImportUploads(
  db: Database,
  { log = console.error, limits = defaultUploadLimits }: { log?: (message: string, error?: unknown) => void; limits?: UploadLimits } = {},
): ImportUploads {
  const jobs = new Map<number, { progress: ImportProgress | null; rows: number; finished: Promise<void>; ticket: string }>();
  const finishedTickets = new Map<string, number>();
  const recovered = settleInterrupted(db).catch((error: unknown) => log('No se pudieron revisar las importaciones interrumpidas', error));

  function progressOf(row: ListedRow): UploadProgress {
    const preview = row.preview as UploadPreview;
    const result = row.result as ImportOutcome | null;
    switch (row.status) {
      case 'committing': {
        const job = jobs.get(row.id);
        if (!job?.progress) return { phase: 'waiting', label: 'Importación en espera de comenzar', done: 0, total: job?.rows ?? rowsOf(preview) };
        return { ...job.progress, label: describeProgress(job.progress) };
      }
      case 'committed': {
        const rows = rowsOf(result);
        return { phase: 'done', label: 'Importación terminada', done: rows, total: rows };
      }
      case 'failed':
        return { phase: 'failed', label: result && !result.ok ? result.message : 'La importación falló', done: 0, total: rowsOf(preview) };
      case 'discarded':
        return { phase: 'discarded', label: 'Carga descartada; no se importó nada', done: 0, total: 0 };
      default:
        return {
          phase: 'pending',
          label: preview.ok ? 'Vista previa lista: falta confirmar la importación' : 'El archivo tiene errores: no se puede importar',
          done: 0,
          total: rowsOf(preview),
        };
    }
  }

  async function get(id: number): Promise<UploadView | null> {
    if (!Number.isSafeInteger(id) || id <= 0) return null;
    const [row] = await db.select(listed).from(t.importUploads).where(eq(t.importUploads.id, id));
    if (!row) return null;
    const preview = row.preview as UploadPreview;
    const [names, latest] = await Promise.all([namesOf(db, [row.uploadedBy, row.decidedBy]), row.status === 'pending' ? latestImportId(db) : null]);
    return {
      ...listItem(row, names),
      preview,
      result: (row.result as ImportOutcome | null) ?? null,
      columnMap: row.columnMap ?? null,
      outdated: row.status === 'pending' && preview.ok && latest !== preview.basisImportId,
      progress: progressOf(row),
      progressTicket: row.status === 'committing' ? (jobs.get(row.id)?.ticket ?? null) : null,
    };
  }

  async function existing(id: number): Promise<UploadView> {
    const view = await get(id);
    if (!view) throw new AppError('not_found', `No existe la carga de archivo ${id}`);
    return view;
  }

  /** Runs the import in the background; returns the ticket of its progress URL. */
  function startJob(row: typeof t.importUploads.$inferSelect, actor: string, choices: CommitChoices): string {
    const job = {
      progress: null as ImportProgress | null,
      rows: rowsOf(row.preview as UploadPreview),
      finished: Promise.resolve(),
      ticket: randomBytes(18).toString('base64url'),
    };
    jobs.set(row.id, job);
    job.finished = (async () => {
      let outcome: ImportOutcome;
      try {
        outcome = await attempt(db, row.kind, { fileName: row.fileName, content: row.content, importedBy: actor }, {
          limits,
          columns: row.columnMap ?? undefined,
          onProgress: (p) => (job.progress = p),
          // The operator saw the proposed departments in the preview and confirmed.
          confirmNewDepartments: true,
          departmentCodes: choices.departmentCodes,
        });
      } catch (error) {
        if (!(error instanceof AppError)) log(`La importación de la carga ${row.id} (${row.fileName}) falló`, error);
        outcome = { ok: false, message: error instanceof AppError ? error.message : INTERNAL, errors: [] };
      }
      try {
        await db
          .update(t.importUploads)
          .set({ status: outcome.ok ? 'committed' : 'failed', result: outcome, updatedAt: sql`now()` })
          .where(eq(t.importUploads.id, row.id));
      } catch (error) {
        // The row stays "committing"; the next start settles it from plan_imports.
        log(`No se pudo registrar el resultado de la carga ${row.id}`, error);
      } finally {
        jobs.delete(row.id);
        finishedTickets.set(job.ticket, row.id);
        if (finishedTickets.size > FINISHED_TICKETS_KEPT) finishedTickets.delete(finishedTickets.keys().next().value as string);
      }
    })();
    return job.ticket;
  }

  return {
    live(id, ticket) {
      const job = jobs.get(id);
      if (job && job.ticket === ticket) {
        if (!job.progress) return { status: 'committing', phase: 'waiting', label: 'Importación en espera de comenzar', done: 0, total: job.rows };
        return { status: 'committing', ...job.progress, label: describeProgress(job.progress) };
      }
      return finishedTickets.get(ticket) === id ? { status: 'finished' } : null;
    },

    async upload({ kind, fileName, content, uploadedBy, columns }) {
      const name = fileName.trim();
      if (!name) throw new AppError('invalid_input', 'Falta el nombre del archivo');
      const [problem] = checkUpload({ fileName: name, content }, limits);
      if (problem) throw new AppError('invalid_input', problem.message);
      const basisImportId = await latestImportId(db);
      const columnMap = columns?.length ? [...columns] : null;
      const outcome = await attempt(db, kind, { fileName: name, content, importedBy: uploadedBy }, { dryRun: true, limits, columns: columnMap ?? undefined });
      const preview: UploadPreview = { ...outcome, basisImportId };
      const [row] = await db
        .insert(t.importUploads)
        .values({ kind, fileName: name, sha256: sha256(content), content, uploadedBy, preview, columnMap })
        .returning({ id: t.importUploads.id });
      return existing(row!.id);
    },

    get,

    async list({ limit = 50, offset = 0 } = {}) {
      const [rows, [count]] = await Promise.all([
        db.select(listed).from(t.importUploads).orderBy(desc(t.importUploads.id)).limit(limit).offset(offset),
        db.select({ n: sql<number>`count(*)::int` }).from(t.importUploads),
      ]);
      const names = await namesOf(db, rows.flatMap((r) => [r.uploadedBy, r.decidedBy]));
      return { total: count?.n ?? 0, items: rows.map((r) => listItem(r, names)) };
    },

    async commit(id, actor, choices = {}) {
      await recovered;
      const row = await db.transaction(async (tx) => {
        const [current] = await tx.select().from(t.importUploads).where(eq(t.importUploads.id, id)).for('update');
        if (!current) throw new AppError('not_found', `No existe la carga de archivo ${id}`);
        const refusal = commitRefusal(current);
        if (refusal) throw refusal;
        await checkDepartmentCodes(tx, current.preview as UploadPreview, choices.departmentCodes);
        const [updated] = await tx
          .update(t.importUploads)
          .set({ status: 'committing', decidedBy: actor, result: null, updatedAt: sql`now()` })
          .where(eq(t.importUploads.id, id))
          .returning();
        return updated!;
      });
      // Read before the import starts: on the embedded database a later read would wait for it to end.
      const view = await existing(id);
      const ticket = startJob(row, actor, choices);
      return { ...view, progressTicket: ticket };
    },

    async remap(id, columns, actor) {
      const [current] = await db.select().from(t.importUploads).where(eq(t.importUploads.id, id));
      if (!current) throw new AppError('not_found', `No existe la carga de archivo ${id}`);
      if (current.status !== 'pending' && current.status !== 'failed') {
        throw new AppError('conflict', `La carga ${id} (${current.fileName}) está en estado "${uploadStatusLabels[current.status]}"; solo se cambia el mapeo de una carga pendiente o fallida`);
      }
      // The mapping given replaces this file's earlier one (the form sends every column it shows).
      const columnMap = [...columns];
      const basisImportId = await latestImportId(db);
      const outcome = await attempt(db, current.kind, { fileName: current.fileName, content: current.content, importedBy: actor }, { dryRun: true, limits, columns: columnMap });
      const preview: UploadPreview = { ...outcome, basisImportId };
      await db
        .update(t.importUploads)
        .set({ columnMap, preview, status: 'pending', result: null, updatedAt: sql`now()` })
        .where(and(eq(t.importUploads.id, id), inArray(t.importUploads.status, ['pending', 'failed'])));
      return existing(id);
    },

    async discard(id, actor) {
      await db.transaction(async (tx) => {
        const [current] = await tx.select(listed).from(t.importUploads).where(eq(t.importUploads.id, id)).for('update');
        if (!current) throw new AppError('not_found', `No existe la carga de archivo ${id}`);
        if (current.status !== 'pending' && current.status !== 'failed') {
          throw new AppError('conflict', `La carga ${id} (${current.fileName}) está en estado "${uploadStatusLabels[current.status]}"; solo se descarta una carga pendiente o fallida`);
        }
        await tx.update(t.importUploads).set({ status: 'discarded', decidedBy: actor, updatedAt: sql`now()` }).where(eq(t.importUploads.id, id));
      });
      return existing(id);
    },

    async settled(id) {
      await recovered;
      await jobs.get(id)?.finished;
    },

    async idle() {
      await recovered;
      await Promise.all([...jobs.values()].map((j) => j.finished));
    },
  };
}

/** The codes chosen for the preview's new departments, checked before the import starts (400 with every problem). */
async function checkDepartmentCodes(tx: Pick<Database, 'select'>, preview: UploadPreview, codes: Readonly<Record<string, string>> | undefined): Promise<void> {
  if (!codes || !Object.keys(codes).length) return;
  const proposed = preview.ok && 'departmentsFromPlan' in preview.summary ? preview.summary.departmentsFromPlan : [];
  const byKey = new Map(proposed.map((d) => [departmentNameKey(d.name), d.name]));
  const registered = new Set((await tx.select({ code: t.departments.code }).from(t.departments)).map((d) => d.code.toUpperCase()));
  // The proposals whose code is not being changed keep theirs.
  const changing = new Set(Object.keys(codes).map(departmentNameKey));
  const chosen = new Map(proposed.filter((d) => !changing.has(departmentNameKey(d.name))).map((d) => [d.code.toUpperCase(), d.name]));
  const problems: string[] = [];
  for (const [name, code] of Object.entries(codes)) {
    const proposal = byKey.get(departmentNameKey(name));
    if (!proposal) {
      problems.push(`La vista previa no propone la dependencia nueva "${name}"; las propuestas son: ${proposed.map((d) => d.name).join(', ') || 'ninguna'}`);
      continue;
    }
    const problem = departmentCodeProblem(code.trim(), proposal, registered, chosen);
    if (problem) problems.push(problem);
    else chosen.set(code.trim().toUpperCase(), proposal);
  }
  if (problems.length) throw new AppError('invalid_input', 'Los códigos de las dependencias nuevas no son válidos; corríjalos y confirme de nuevo', problems);
}

/** Why an upload cannot be confirmed now (null: it can). */
function commitRefusal(upload: typeof t.importUploads.$inferSelect): AppError | null {
  const which = `La carga ${upload.id} (${upload.fileName})`;
  switch (upload.status) {
    case 'committed':
      return new AppError('conflict', `${which} ya fue importada; un archivo se importa una sola vez. Para cambiar los datos, suba un archivo nuevo.`);
    case 'committing':
      return new AppError('conflict', `${which} ya se está importando; espere a que termine.`);
    case 'discarded':
      return new AppError('conflict', `${which} fue descartada; súbala de nuevo para importarla.`);
  }
  const preview = upload.preview as UploadPreview;
  return preview.ok ? null : new ImportFailed(preview.errors);
}

/** Uploads left "committing" by a server that stopped: committed if their import is in plan_imports, else failed. */
async function settleInterrupted(db: Database): Promise<void> {
  const stuck = await db
    .select({ id: t.importUploads.id, kind: t.importUploads.kind, sha256: t.importUploads.sha256, updatedAt: t.importUploads.updatedAt })
    .from(t.importUploads)
    .where(eq(t.importUploads.status, 'committing'));
  for (const upload of stuck) {
    // The import's row is the latest of its kind, has these bytes and was written after the confirmation.
    const [latest] = await db
      .select()
      .from(t.planImports)
      .where(and(eq(t.planImports.kind, upload.kind), gte(t.planImports.createdAt, upload.updatedAt)))
      .orderBy(desc(t.planImports.id))
      .limit(1);
    const recorded = latest?.sha256 === upload.sha256 ? (latest.summary as Record<string, unknown>) : null;
    const result: ImportOutcome = recorded
      ? {
          ok: true,
          summary: { importId: latest!.id, unchanged: false, ...recorded } as unknown as ImportSummary,
          rows: Number(recorded.goals ?? recorded.rows ?? 0),
        }
      : { ok: false, message: INTERRUPTED, errors: [] };
    await db
      .update(t.importUploads)
      .set({ status: result.ok ? 'committed' : 'failed', result, updatedAt: sql`now()` })
      .where(and(eq(t.importUploads.id, upload.id), eq(t.importUploads.status, 'committing')));
  }
}
