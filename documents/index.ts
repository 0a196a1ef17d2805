import { DEFAULT_TIME_ZONE, fileNamePart } from '../domain/format';
import type { Database } from '../db/client';
import {
  PDF_CONTENT_TYPE,
  renderJustificationAndCommitment,
  renderNoAdjustmentRecord,
  type DocumentKind,
  type JustificationInput,
  type NoAdjustmentRecordInput,
} from './pdf';
import { storeNumberedDocument, type StoredDocumentRef } from './store';
import { localDate } from '../domain/businessDays';

export * from './pdf';
export * from './store';
export { canonicalJson } from './canonicalJson';

/** The documents table's key for a review's record of a kind: one file per record, ever. */
export const documentKey = (reviewWorkflowId: string, kind: DocumentKind) => `${reviewWorkflowId}:${kind}`;

const fileNamePrefix: Record<DocumentKind, string> = {
  noAdjustmentRecord: 'constancia-negativa-ajustes',
  justificationAndCommitment: 'justificacion-y-compromiso',
};

/** "constancia-negativa-ajustes-2026-T2-SAL.pdf" */
export const documentFileName = (kind: DocumentKind, ref: { fiscalYear: number; quarter: number; departmentCode: string }) =>
  `${fileNamePrefix[kind]}-${ref.fiscalYear}-T${ref.quarter}-${fileNamePart(ref.departmentCode)}.pdf`;

/** A record is numbered in its series for the year it is issued, in the office's time zone. */
function storeRecord<I extends NoAdjustmentRecordInput | JustificationInput>(db: Database, kind: DocumentKind, input: I, render: (numbered: I) => Promise<Buffer>) {
  return storeNumberedDocument(db, {
    documentKey: documentKey(input.reviewWorkflowId, kind),
    kind,
    reviewWorkflowId: input.reviewWorkflowId,
    fileName: documentFileName(kind, { fiscalYear: input.fiscalYear, quarter: input.quarter, departmentCode: input.department.code }),
    contentType: PDF_CONTENT_TYPE,
    series: kind,
    year: Number(localDate(new Date(input.recordedAt), input.timeZone ?? DEFAULT_TIME_ZONE).slice(0, 4)),
    render: (recordNumber) => render({ ...input, recordNumber }),
  });
}

/** The constancia de negativa de ajustes of a review, rendered and stored once. */
export function storeNoAdjustmentRecord(db: Database, input: NoAdjustmentRecordInput): Promise<StoredDocumentRef> {
  return storeRecord(db, 'noAdjustmentRecord', input, renderNoAdjustmentRecord);
}

/** The justification and commitment document of a review, rendered and stored once. */
export function storeJustificationAndCommitment(db: Database, input: JustificationInput): Promise<StoredDocumentRef> {
  return storeRecord(db, 'justificationAndCommitment', input, renderJustificationAndCommitment);
}
