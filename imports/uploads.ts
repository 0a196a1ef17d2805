import { randomBytes } from 'node:crypto';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { AppError } from '../domain/errors';
import { describeProgress, type ImportProgress, sha256 } from './store';
import { defaultUploadLimits, type UploadLimits } from './limits';
import { checkUpload } from './table';
import { attempt } from './importRunner';
import { checkDepartmentCodes, commitRefusal, latestImportId, listed, listItem, namesOf, rowsOf, settleInterrupted, type ListedRow } from './uploadRows';
import { uploadStatusLabels, type CommitChoices, type ImportOutcome, type ImportUploads, type UploadPreview, type UploadProgress, type UploadView } from './uploadTypes';

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

const INTERNAL = 'Ocurrió un error interno al importar; no se importó nada. Intente de nuevo o consulte el registro del servidor.';

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
