import { createHash } from 'node:crypto';
import { desc } from 'drizzle-orm';
import { z } from 'zod';
import { sealSecret } from '../auth/sealedSecrets';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { CertificateProblem, openPkcs12 } from '../documents';
import { formatDate, formatNumber } from '../domain/format';
import { recordAudit } from './audit';
import { AppError } from './errors';

/**
 * The certificate that digitally signs every PDF record (PAdES; Ley 527 de 1999), configured by an
 * administrator on /admin/firma-digital or through the API. Each upload is a new version (the
 * earlier ones are kept); it is opened on upload, so a wrong passphrase, a file without its key or
 * an expired certificate is refused at once. The passphrase is kept sealed with APP_SECRET and is
 * never shown, logged or returned.
 */

/** A .p12/.pfx holds a key and a few certificates: a few KB. */
export const MAX_CERTIFICATE_BYTES = 64 * 1024;

const uploadSchema = z.object({
  fileName: z.string().trim().max(255, 'el nombre del archivo es demasiado largo').default('certificado.p12'),
  content: z
    .instanceof(Buffer, { message: 'elija el archivo del certificado (.p12 o .pfx)' })
    .refine((b) => b.length > 0, 'elija el archivo del certificado (.p12 o .pfx)')
    .refine((b) => b.length <= MAX_CERTIFICATE_BYTES, `el archivo pesa más de ${formatNumber(MAX_CERTIFICATE_BYTES / 1024)} KB; un certificado .p12 o .pfx pesa unos pocos KB`),
  passphrase: z.string({ message: 'escriba la contraseña del certificado' }).min(1, 'escriba la contraseña del certificado').max(1024, 'la contraseña es demasiado larga'),
});

/** The API's JSON form: the file as base64. */
const apiUploadSchema = z.object({
  fileName: z.string().optional(),
  contentBase64: z
    .string({ message: 'envíe el archivo .p12 o .pfx en base64' })
    .regex(/^[A-Za-z0-9+/=\s]+$/, 'no es base64')
    .transform((text) => Buffer.from(text, 'base64')),
});

const fields = {
  content: { label: 'Certificado', refusal: 'El certificado no es válido' },
  fileName: { label: 'Certificado', refusal: 'El certificado no es válido' },
  contentBase64: { label: 'Certificado', refusal: 'El certificado no es válido' },
  passphrase: { label: 'Contraseña del certificado', refusal: 'La contraseña del certificado no es válida' },
} as const;
type Field = keyof typeof fields;

const refuse = (field: Field, message: string): never => {
  throw new AppError('invalid_input', `${fields[field].refusal}: ${message}`, [`${fields[field].label}: ${message}`]);
};
function refuseParse(error: z.ZodError): never {
  const first = error.issues[0]!;
  const field = (String(first.path[0]) in fields ? String(first.path[0]) : 'content') as Field;
  return refuse(field, first.message);
}

/** What pages and the API show of a version: never the file, the key or the passphrase. */
export interface SigningCertificateInfo {
  version: number;
  fileName: string | null;
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  fingerprintSha256: string;
  uploadedBy: string;
  createdAt: string;
}
/** A row of the history: a certificate, or signing turned off. */
export type SigningCertificateVersion = SigningCertificateInfo | { version: number; removed: true; uploadedBy: string; createdAt: string };

type Row = typeof t.signingCertificates.$inferSelect;
const toVersion = (row: Row): SigningCertificateVersion =>
  row.content && row.subject
    ? {
        version: row.id,
        fileName: row.fileName,
        subject: row.subject,
        issuer: row.issuer ?? '',
        serialNumber: row.serialNumber ?? '',
        notBefore: new Date(row.notBefore!).toISOString(),
        notAfter: new Date(row.notAfter!).toISOString(),
        fingerprintSha256: row.fingerprintSha256 ?? '',
        uploadedBy: row.uploadedBy,
        createdAt: row.createdAt,
      }
    : { version: row.id, removed: true, uploadedBy: row.uploadedBy, createdAt: row.createdAt };

export const isCertificate = (v: SigningCertificateVersion | null): v is SigningCertificateInfo => !!v && !('removed' in v);

/** Every version, newest first. */
export async function signingCertificateVersions(db: Database): Promise<SigningCertificateVersion[]> {
  const rows = await db.select().from(t.signingCertificates).orderBy(desc(t.signingCertificates.id)).limit(50);
  return rows.map(toVersion);
}

/** The certificate in use (null: none, or signing turned off). */
export async function currentSigningCertificate(db: Database): Promise<SigningCertificateInfo | null> {
  const [latest] = await signingCertificateVersions(db);
  return latest && isCertificate(latest) ? latest : null;
}

/**
 * Checks and records a new certificate: it must open with the passphrase, hold its private key and
 * be valid today. `input` is { fileName, content: Buffer, passphrase } (the page) or
 * { fileName, contentBase64, passphrase } (the API).
 */
export async function saveSigningCertificate(db: Database, appSecret: string, input: unknown, actor: string, now = new Date()): Promise<SigningCertificateInfo> {
  const raw = (input ?? {}) as Record<string, unknown>;
  let candidate: unknown = raw;
  if (!Buffer.isBuffer(raw.content) && 'contentBase64' in raw) {
    const api = apiUploadSchema.safeParse(raw);
    if (!api.success) refuseParse(api.error);
    candidate = { fileName: api.data.fileName, content: api.data.contentBase64, passphrase: raw.passphrase };
  }
  const parsed = uploadSchema.safeParse(candidate);
  if (!parsed.success) refuseParse(parsed.error);
  const { content, passphrase, fileName } = parsed.data;

  let summary: ReturnType<typeof openPkcs12>['summary'];
  try {
    summary = openPkcs12(content, passphrase).summary;
  } catch (error) {
    if (error instanceof CertificateProblem) refuse(error.field, error.message);
    throw error;
  }
  if (Date.parse(summary.notAfter) < now.getTime()) {
    refuse('content', `venció el ${formatDate(summary.notAfter)}; cargue un certificado vigente`);
  }
  if (Date.parse(summary.notBefore) > now.getTime()) {
    refuse('content', `aún no es válido: lo será desde el ${formatDate(summary.notBefore)}`);
  }
  const [row] = await db
    .insert(t.signingCertificates)
    .values({
      content,
      sealedPassphrase: sealSecret(appSecret, 'signing-certificate', passphrase),
      fileName,
      subject: summary.subject,
      issuer: summary.issuer,
      serialNumber: summary.serialNumber,
      notBefore: summary.notBefore,
      notAfter: summary.notAfter,
      fingerprintSha256: summary.fingerprintSha256,
      uploadedBy: actor,
    })
    .returning();
  const info = toVersion(row!) as SigningCertificateInfo;
  await recordAudit(db, {
    actor,
    action: 'signing-certificate.configured',
    subject: `signing-certificate/${info.version}`,
    details: { subject: info.subject, issuer: info.issuer, serialNumber: info.serialNumber, notAfter: info.notAfter, fingerprintSha256: info.fingerprintSha256, fileSha256: createHash('sha256').update(content).digest('hex') },
  });
  return info;
}

/** Records are issued unsigned from now on (recorded as a version; the earlier ones are kept). */
export async function removeSigningCertificate(db: Database, actor: string): Promise<void> {
  const [row] = await db.insert(t.signingCertificates).values({ uploadedBy: actor }).returning({ id: t.signingCertificates.id });
  await recordAudit(db, { actor, action: 'signing-certificate.removed', subject: `signing-certificate/${row!.id}`, details: {} });
}
