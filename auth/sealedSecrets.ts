import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { deriveKey, type KeyPurpose } from './keys';

/**
 * Secrets the application must keep and use again (the signing certificate's passphrase), sealed
 * with AES-256-GCM under a key derived from APP_SECRET for that purpose: a copy of the database
 * alone does not reveal them, and a changed APP_SECRET makes them unreadable rather than wrong.
 */
export function sealSecret(appSecret: string, purpose: KeyPurpose, secret: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(appSecret, purpose), nonce);
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, sealed, cipher.getAuthTag()]).toString('base64url');
}

/** The sealed secret, or null when it was sealed under another APP_SECRET (or damaged). */
export function openSealedSecret(appSecret: string, purpose: KeyPurpose, sealed: string): string | null {
  const bytes = Buffer.from(sealed, 'base64url');
  if (bytes.length < 12 + 16) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', deriveKey(appSecret, purpose), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
