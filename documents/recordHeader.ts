import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Database } from '../db/client';
import { users } from '../db/schema';
import { currentRecordFormat, escudoForRecords } from '../db/recordFormats';
import { entityName } from '../domain/format';
import { recordFormatNames, type RecordFormatKey, type RecordHeader } from '../domain/recordFormats';
import { PROCEDURE_CODE, PROCEDURE_NAME } from './pdfInput';

/**
 * The institutional header of a record, one seam for every file type: the PDF records
 * (documents/pdfLayout.ts), the workbooks (reports/xlsxTable.ts) and the presentation
 * (reports/presentationPptx.ts) draw what this builds. It reads the format in use (code, version,
 * approval date: db/recordFormats.ts) and the escudo in use when the record is made.
 */

export const DEFAULT_OFFICE = 'Oficina de Planeación de Gestión Institucional – OPGI';
export const DEFAULT_PROCESS = 'Planeación Estratégica';

export interface RecordHeaderRequest {
  format: RecordFormatKey;
  fiscalYear: number;
  /** As in plans.municipality or the municipality page ("Pasto"); null prints "Alcaldía municipal". */
  municipality: string | null;
  /** The record's title; defaults to the format's name. */
  title?: string;
  office?: string;
  process?: string;
}

export async function loadRecordHeader(db: Database, request: RecordHeaderRequest): Promise<RecordHeader> {
  const [format, escudo] = await Promise.all([currentRecordFormat(db, request.format), escudoForRecords(db)]);
  return {
    entity: request.municipality ? entityName(request.municipality) : 'Alcaldía municipal',
    office: request.office ?? DEFAULT_OFFICE,
    process: request.process ?? DEFAULT_PROCESS,
    procedure: `${PROCEDURE_CODE} ${PROCEDURE_NAME}`,
    title: request.title ?? recordFormatNames[request.format],
    format: { key: format.key, code: format.code, version: format.version, approvedOn: format.approvedOn },
    formatVersionId: format.versionId,
    fiscalYear: request.fiscalYear,
    escudo,
  };
}

/** What a record certifies about its header: everything but the image's bytes (named by version and hash). */
export function certifiedHeader(header: RecordHeader) {
  const { escudo, ...rest } = header;
  return { ...rest, escudo: escudo ? { version: escudo.version, sha256: escudo.sha256 } : null };
}

/**
 * The coordinator in charge, who issues what the system issues on its own (the constancia at the
 * deadline): the oldest active coordinator account. Null when the office has none yet.
 */
export async function coordinatorInCharge(db: Pick<Database, 'select'>): Promise<string | null> {
  const [row] = await db
    .select({ name: users.name, email: users.email })
    .from(users)
    .where(and(eq(users.role, 'coordinator'), isNull(users.disabledAt), isNull(users.personalDataRemovedAt)))
    .orderBy(asc(users.id))
    .limit(1);
  return row ? row.name.trim() || row.email : null;
}
