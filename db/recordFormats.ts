import { desc, eq } from 'drizzle-orm';
import { defaultRecordFormats, recordFormatKeys, type RecordFormat, type RecordFormatChange, type RecordFormatKey } from '../domain/recordFormats';
import type { Database } from './client';
import { municipalityEscudos, recordFormatVersions } from './schema';

type Reader = Pick<Database, 'select'>;

export interface RecordFormatInUse extends RecordFormat {
  /** The row in use (null: the built-in default, nobody changed it yet). */
  versionId: number | null;
  changedBy: string | null;
  changedAt: string | null;
}

type Row = typeof recordFormatVersions.$inferSelect;
const inUse = (key: RecordFormatKey, row: Row | undefined): RecordFormatInUse =>
  row
    ? { key, code: row.code, version: row.version, approvedOn: row.approvedOn, versionId: row.id, changedBy: row.changedBy, changedAt: row.createdAt }
    : { ...defaultRecordFormats[key], versionId: null, changedBy: null, changedAt: null };

/** The format in use for a record type: its latest version row, or the default. */
export async function currentRecordFormat(db: Reader, key: RecordFormatKey): Promise<RecordFormatInUse> {
  const [row] = await db.select().from(recordFormatVersions).where(eq(recordFormatVersions.formatKey, key)).orderBy(desc(recordFormatVersions.id)).limit(1);
  return inUse(key, row);
}

/** Every format in use, in the table's order. */
export async function currentRecordFormats(db: Reader): Promise<RecordFormatInUse[]> {
  const rows = await db.select().from(recordFormatVersions).orderBy(desc(recordFormatVersions.id));
  return recordFormatKeys.map((key) => inUse(key, rows.find((r) => r.formatKey === key)));
}

/** Every version a format had, newest first (defaults are not rows). */
export async function recordFormatHistory(db: Reader, key: RecordFormatKey): Promise<RecordFormatInUse[]> {
  const rows = await db.select().from(recordFormatVersions).where(eq(recordFormatVersions.formatKey, key)).orderBy(desc(recordFormatVersions.id));
  return rows.map((row) => inUse(key, row));
}

/** A new version of a format (insert only: earlier versions stay). */
export async function insertRecordFormat(db: Pick<Database, 'insert'>, change: RecordFormatChange, changedBy: string): Promise<RecordFormatInUse> {
  const [row] = await db
    .insert(recordFormatVersions)
    .values({ formatKey: change.key, code: change.code, version: change.version, approvedOn: change.approvedOn, changedBy })
    .returning();
  if (!row) throw new Error(`insertRecordFormat(${change.key}): nothing was stored`);
  return inUse(change.key, row);
}

/**
 * The escudo records print: the latest upload's bytes (null when none was uploaded or the latest row
 * records its removal). The same rule as services/municipalityBranding.ts currentEscudo(), read here
 * so the record renderers (documents/, reports/) stay below the services.
 */
export async function escudoForRecords(db: Reader): Promise<{ version: number; sha256: string; mediaType: 'image/png' | 'image/jpeg'; content: Buffer } | null> {
  const [row] = await db.select().from(municipalityEscudos).orderBy(desc(municipalityEscudos.id)).limit(1);
  return row?.content && row.mediaType && row.sha256 ? { version: row.id, sha256: row.sha256, mediaType: row.mediaType, content: row.content } : null;
}
