import { DEFAULT_TIME_ZONE, fileNamePart } from '../domain/format';
import type { Database } from '../db/client';
import {
  PDF_CONTENT_TYPE,
  renderJustificationAndCommitment,
  renderNoAdjustmentRecord,
  type DocumentKind,
  type JustificationInput,
  type NoAdjustmentRecordInput,
  type RenderPdfOptions,
} from './pdf';
import { unsignedPdfs, type PdfSigner } from './pdfSigner';
import { certifiedHeader, coordinatorInCharge, loadRecordHeader } from './recordHeader';
import { storeNumberedDocument, type StoredDocumentRef } from './store';
import { localDate } from '../domain/businessDays';

export * from './pdf';
export * from './store';
export * from './pdfSigner';
export { CertificateProblem, openPkcs12, type CertificateSummary } from './pdfSignature';
export { canonicalJson } from './canonicalJson';
export { loadRecordHeader, certifiedHeader, coordinatorInCharge } from './recordHeader';

/** The documents table's key for a review's record of a kind: one file per record, ever. */
export const documentKey = (reviewWorkflowId: string, kind: DocumentKind) => `${reviewWorkflowId}:${kind}`;

const fileNamePrefix: Record<DocumentKind, string> = {
  noAdjustmentRecord: 'constancia-negativa-ajustes',
  justificationAndCommitment: 'justificacion-y-compromiso',
};

/** "constancia-negativa-ajustes-2026-T2-SAL.pdf" */
export const documentFileName = (kind: DocumentKind, ref: { fiscalYear: number; quarter: number; departmentCode: string }) =>
  `${fileNamePrefix[kind]}-${ref.fiscalYear}-T${ref.quarter}-${fileNamePart(ref.departmentCode)}.pdf`;

/**
 * A record is numbered in its series for the year it is issued, in the office's time zone, and
 * carries the format (code, version, approval date) and the escudo in use when it is issued; with a
 * signer, the stored bytes are the signed PDF (signed once, when first stored, at its issue time).
 */
async function storeRecord<I extends NoAdjustmentRecordInput | JustificationInput>(
  db: Database,
  kind: DocumentKind,
  input: I,
  render: (numbered: I, options: RenderPdfOptions) => Promise<Buffer>,
  signer?: PdfSigner,
) {
  const issuedAt = new Date(input.recordedAt);
  const signing = signer ? await signer.prepare(issuedAt) : unsignedPdfs;
  const header = await loadRecordHeader(db, { format: kind, fiscalYear: input.fiscalYear, municipality: input.issuer.municipality });
  const { escudo } = certifiedHeader(header);
  const withHeader = {
    ...input,
    format: input.format ?? { code: header.format.code, version: header.format.version, approvedOn: header.format.approvedOn, versionId: header.formatVersionId },
    escudo: input.escudo ?? escudo,
  };
  return storeNumberedDocument(db, {
    documentKey: documentKey(input.reviewWorkflowId, kind),
    kind,
    reviewWorkflowId: input.reviewWorkflowId,
    fileName: documentFileName(kind, { fiscalYear: input.fiscalYear, quarter: input.quarter, departmentCode: input.department.code }),
    contentType: PDF_CONTENT_TYPE,
    series: kind,
    year: Number(localDate(issuedAt, input.timeZone ?? DEFAULT_TIME_ZONE).slice(0, 4)),
    render: async (recordNumber) =>
      signing.sign(await render({ ...withHeader, recordNumber }, { escudo: header.escudo, signatureStatement: signing.statement }), {
        signingTime: issuedAt,
        location: `Alcaldía de ${input.issuer.municipality}`,
      }),
  });
}

/** The constancia de negativa de ajustes of a review, rendered (and signed, with a signer) and stored once. */
export async function storeNoAdjustmentRecord(db: Database, input: NoAdjustmentRecordInput, signer?: PdfSigner): Promise<StoredDocumentRef> {
  // Issued by the system at the deadline: the coordinator in charge signs it as its issuer.
  const automatic = input.issuedAutomatically ?? !input.coordinator;
  const coordinator = input.coordinator ?? (await coordinatorInCharge(db));
  return storeRecord(db, 'noAdjustmentRecord', { ...input, coordinator, issuedAutomatically: automatic }, renderNoAdjustmentRecord, signer);
}

/** The justification and commitment document of a review, rendered (and signed, with a signer) and stored once. */
export function storeJustificationAndCommitment(db: Database, input: JustificationInput, signer?: PdfSigner): Promise<StoredDocumentRef> {
  return storeRecord(db, 'justificationAndCommitment', input, renderJustificationAndCommitment, signer);
}
