import { desc } from 'drizzle-orm';
import { openSealedSecret } from '../auth/sealedSecrets';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { formatDate } from '../domain/format';
import { UNSIGNED_STATEMENT } from './pdfInput';
import { openPkcs12, signPdf, type CertificateSummary } from './pdfSignature';

/** How a record about to be issued is signed: the line it prints and what is done to its bytes. */
export interface PdfSigning {
  statement: string;
  sign(pdf: Buffer, at: { signingTime: Date; location: string }): Promise<Buffer>;
}

/** Finds, when a record is issued, the certificate in use (the latest an administrator configured). */
export interface PdfSigner {
  prepare(issuedAt: Date): Promise<PdfSigning>;
}

const unsigned = (statement: string): PdfSigning => ({ statement, sign: async (pdf) => pdf });
export const unsignedPdfs: PdfSigning = unsigned(UNSIGNED_STATEMENT);

export const signedStatement = (certificate: Pick<CertificateSummary, 'subjectName' | 'issuerName' | 'serialNumber'>) =>
  `Documento firmado digitalmente (PAdES, Ley 527 de 1999) con el certificado de ${certificate.subjectName}, ` +
  `emitido por ${certificate.issuerName} (serie ${certificate.serialNumber}); la firma se verifica en el panel de firmas del lector de PDF.`;

/**
 * The PDF signer of an installation: the certificate is read from the database when a record is
 * issued (a new upload applies to the next record) and its passphrase opened with APP_SECRET. A
 * certificate that cannot sign at the record's issue time (expired, or sealed under another
 * APP_SECRET) never blocks the record: it is issued unsigned and says why.
 */
export function createPdfSigner(db: Pick<Database, 'select'>, appSecret: string, timeZone?: string): PdfSigner {
  return {
    async prepare(issuedAt) {
      const [row] = await db.select().from(t.signingCertificates).orderBy(desc(t.signingCertificates.id)).limit(1);
      if (!row?.content || !row.sealedPassphrase) return unsignedPdfs;
      const passphrase = openSealedSecret(appSecret, 'signing-certificate', row.sealedPassphrase);
      if (passphrase === null) {
        return unsigned('Documento sin firma digital: el certificado configurado no se pudo abrir con la clave de esta instalación (APP_SECRET); un administrador debe cargarlo de nuevo.');
      }
      let credentials: ReturnType<typeof openPkcs12>;
      try {
        credentials = openPkcs12(row.content, passphrase);
      } catch {
        return unsigned('Documento sin firma digital: el certificado configurado no se pudo abrir; un administrador debe cargarlo de nuevo.');
      }
      const { notBefore, notAfter } = credentials.summary;
      if (issuedAt.getTime() > Date.parse(notAfter)) {
        return unsigned(`Documento sin firma digital: el certificado configurado venció el ${formatDate(new Date(notAfter), timeZone)}.`);
      }
      if (issuedAt.getTime() < Date.parse(notBefore)) {
        return unsigned(`Documento sin firma digital: el certificado configurado es válido solo desde el ${formatDate(new Date(notBefore), timeZone)}.`);
      }
      return {
        statement: signedStatement(credentials.summary),
        sign: (pdf, { signingTime, location }) => signPdf(pdf, credentials, { signingTime, location, reason: 'Expedición del documento' }),
      };
    },
  };
}
