import type { Database } from '../db/client';
import { currentRecordFormats, insertRecordFormat, recordFormatHistory, type RecordFormatInUse } from '../db/recordFormats';
import { recordFormatChangeSchema, recordFormatKeys, recordFormatNames, type RecordFormatKey } from '../domain/recordFormats';
import { AppError } from './errors';

/**
 * The table of controlled formats (code, version, approval date per record type) an administrator
 * keeps on /admin/formatos and through PUT /api/record-formats/{key}. Each change is a new row;
 * the next record issued prints it, records already issued keep theirs.
 */

export interface RecordFormatEntry extends RecordFormatInUse {
  name: string;
}

const named = (format: RecordFormatInUse): RecordFormatEntry => ({ ...format, name: recordFormatNames[format.key] });

export async function listRecordFormats(db: Database): Promise<RecordFormatEntry[]> {
  return (await currentRecordFormats(db)).map(named);
}

export function isRecordFormatKey(key: string): key is RecordFormatKey {
  return (recordFormatKeys as readonly string[]).includes(key);
}

export async function recordFormatVersions(db: Database, key: string): Promise<RecordFormatEntry[]> {
  if (!isRecordFormatKey(key)) throw new AppError('not_found', `No existe el formato «${key}»: use ${recordFormatKeys.join(', ')}`);
  return (await recordFormatHistory(db, key)).map(named);
}

const fieldLabels: Record<string, string> = { key: 'Formato', code: 'Código', version: 'Versión', approvedOn: 'Fecha de aprobación' };

/** Records a new version of a format, validated; the refusal names each field in Spanish. */
export async function saveRecordFormat(db: Database, input: unknown, actor: string): Promise<RecordFormatEntry> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new AppError('invalid_input', 'Formato no válido: envíe un objeto con key, code, version y approvedOn');
  }
  const parsed = recordFormatChangeSchema.safeParse(input);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => `${fieldLabels[String(issue.path[0])] ?? 'Formato'}: ${issue.message.replace(/^[^:]+: /, '')}`);
    throw new AppError('invalid_input', `El formato no se guardó: ${details.join('; ')}`, details);
  }
  return named(await insertRecordFormat(db, parsed.data, actor));
}
