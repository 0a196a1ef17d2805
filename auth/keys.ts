import { hkdfSync } from 'node:crypto';

/** What a derived key is for: each purpose gets its own key, so one leaking says nothing of the others. */
export type KeyPurpose = 'sessions' | 'review-links' | 'csrf' | 'signing-certificate';

const SALT = 'metas-pdm/app-secret/v1';

/**
 * Derives a 32-byte key for one purpose from APP_SECRET with HKDF-SHA256 (RFC 5869), so the
 * installation configures a single secret and sessions, review links and CSRF never share a key.
 */
export function deriveKey(appSecret: string, purpose: KeyPurpose): Buffer {
  if (appSecret.length < 32) throw new Error('APP_SECRET debe tener al menos 32 caracteres');
  return Buffer.from(hkdfSync('sha256', appSecret, SALT, purpose, 32));
}
