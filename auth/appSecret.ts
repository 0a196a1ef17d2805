import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * APP_SECRET from the environment, or (in development) one generated once and kept in DATA_DIR:
 * a new secret at every start would log everyone out and break the links already e-mailed.
 */
export function resolveAppSecret({ appSecret, dataDir }: { appSecret?: string; dataDir: string }): string {
  if (appSecret) return appSecret;
  const file = path.join(dataDir, 'app-secret');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(dataDir, { recursive: true });
    const secret = randomBytes(48).toString('base64url');
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  }
}
