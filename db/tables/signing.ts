/** The certificate that signs the PDF records (PAdES), set by an administrator; append-only. */
import { bigserial, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { bytea, createdAt } from './columns';

/**
 * Each PKCS#12 (.p12/.pfx) an administrator uploaded, never overwritten: the latest row is the one
 * in use (its id is its version); a row without content records that signing was turned off. The
 * file is kept as uploaded (its key is encrypted by its own passphrase); the passphrase is sealed
 * with a key derived from APP_SECRET (auth/sealedSecrets.ts), so the database alone cannot sign.
 */
export const signingCertificates = pgTable('signing_certificates', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  content: bytea('content'),
  /** AES-256-GCM of the passphrase: base64url of nonce, ciphertext and tag. */
  sealedPassphrase: text('sealed_passphrase'),
  fileName: text('file_name'),
  subject: text('subject'),
  issuer: text('issuer'),
  serialNumber: text('serial_number'),
  notBefore: timestamp('not_before', { withTimezone: true, mode: 'string' }),
  notAfter: timestamp('not_after', { withTimezone: true, mode: 'string' }),
  /** SHA-256 of the certificate's DER (its fingerprint). */
  fingerprintSha256: text('fingerprint_sha256'),
  uploadedBy: text('uploaded_by').notNull(),
  createdAt: createdAt(),
});
