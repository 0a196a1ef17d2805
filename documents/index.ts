import { fileNamePart } from '../domain/format';
import type { Database } from '../db/client';
import {
  PDF_CONTENT_TYPE,
  renderJustificationAndCommitment,
  renderNoAdjustmentRecord,
  type DocumentKind,
  type JustificationInput,
  type NoAdjustmentRecordInput,
} from './pdf';
import { storeDocument, type StoredDocumentRef } from './store';

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

type Executor = Pick<Database, 'select' | 'insert'>;

function storeRecord(db: Executor, kind: DocumentKind, input: NoAdjustmentRecordInput | JustificationInput, render: () => Promise<Buffer>) {
  return storeDocument(db, {
    documentKey: documentKey(input.reviewWorkflowId, kind),
    kind,
    reviewWorkflowId: input.reviewWorkflowId,
    fileName: documentFileName(kind, { fiscalYear: input.fiscalYear, quarter: input.quarter, departmentCode: input.department.code }),
    contentType: PDF_CONTENT_TYPE,
    render,
  });
}

/** The constancia de negativa de ajustes of a review, rendered and stored once. */
export function storeNoAdjustmentRecord(db: Executor, input: NoAdjustmentRecordInput): Promise<StoredDocumentRef> {
  return storeRecord(db, 'noAdjustmentRecord', input, () => renderNoAdjustmentRecord(input));
}

/** The justification and commitment document of a review, rendered and stored once. */
export function storeJustificationAndCommitment(db: Executor, input: JustificationInput): Promise<StoredDocumentRef> {
  return storeRecord(db, 'justificationAndCommitment', input, () => renderJustificationAndCommitment(input));
}
