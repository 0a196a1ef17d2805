/** The stored uploads: how they are listed, why one cannot be confirmed, and settling the ones a stopped server left. */
import { and, desc, eq, getTableColumns, gte, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { AppError } from '../domain/errors';
import { ImportFailed } from './errors';
import { departmentCodeProblem, departmentNameKey } from './departmentCodes';
import type { ImportOutcome, ImportSummary, UploadListItem, UploadPreview } from './uploadTypes';

const INTERRUPTED =
  'La importación se interrumpió porque el servidor se detuvo; no se importó nada (las importaciones son todo o nada). Puede confirmarla de nuevo.';

export const latestImportId = async (db: Database) =>
  (await db.select({ id: t.planImports.id }).from(t.planImports).orderBy(desc(t.planImports.id)).limit(1))[0]?.id ?? null;

/** Every column but the bytes, plus their size. */
const { content: _content, ...listedColumns } = getTableColumns(t.importUploads);
export const listed = { ...listedColumns, size: sql<number>`octet_length(${t.importUploads.content})::int` };
export type ListedRow = Omit<typeof t.importUploads.$inferSelect, 'content'> & { size: number };

/** Display names of `user:<id>` actors. */
export async function namesOf(db: Database, actors: (string | null)[]): Promise<Map<string, string>> {
  const ids = [...new Set(actors.map((a) => /^user:(\d+)$/.exec(a ?? '')?.[1]).filter((id): id is string => id !== undefined))].map(Number);
  if (!ids.length) return new Map();
  const rows = await db.select({ id: t.users.id, name: t.users.name }).from(t.users).where(inArray(t.users.id, ids));
  return new Map(rows.map((r) => [`user:${r.id}`, r.name]));
}

export function listItem(row: ListedRow, names: Map<string, string>): UploadListItem {
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

export const rowsOf = (outcome: ImportOutcome | null | undefined) => (outcome?.ok ? outcome.rows : 0);

/** The codes chosen for the preview's new departments, checked before the import starts (400 with every problem). */
export async function checkDepartmentCodes(tx: Pick<Database, 'select'>, preview: UploadPreview, codes: Readonly<Record<string, string>> | undefined): Promise<void> {
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
export function commitRefusal(upload: typeof t.importUploads.$inferSelect): AppError | null {
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
export async function settleInterrupted(db: Database): Promise<void> {
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
