import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Request } from 'express';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { AppError } from '../domain/errors';
import { createUser, type AuthUser, type CreateUserInput } from './users';

/** The request header that carries the installation code (a header: no form of another site can send it). */
export const BOOTSTRAP_HEADER = 'x-bootstrap-token';
/** The file in DATA_DIR where `npm start` leaves the code for the command line of the same machine. */
export const BOOTSTRAP_FILE = 'bootstrap-token';
const FIRST_ADMIN_STEP = 'first-admin';

export const bootstrapMessages = {
  foreignOrigin: 'Solicitud rechazada: el primer administrador no se puede crear desde otro sitio web.',
  missingToken:
    'Falta el código de instalación o no es válido. Créelo desde el servidor con «npm run metas -- user create --role admin …» (lo lee de DATA_DIR/bootstrap-token) o indique el código que «npm start» mostró al arrancar (--bootstrap-token).',
  noToken: 'No hay código de instalación vigente: reinicie la aplicación («npm start») y use el código que muestra al arrancar.',
  notAdmin: 'La primera cuenta debe ser de administrador (--role admin).',
  alreadyDone: 'La instalación ya tiene su primer administrador. Pida a un administrador que cree su cuenta.',
} as const;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** True while the installation has no account and nobody has claimed the first administrator. */
export async function bootstrapOpen(db: Database): Promise<boolean> {
  const [anyUser] = await db.select({ id: t.users.id }).from(t.users).limit(1);
  if (anyUser) return false;
  const [claim] = await db.select({ step: t.installationClaims.step }).from(t.installationClaims).where(eq(t.installationClaims.step, FIRST_ADMIN_STEP));
  return !claim;
}

/**
 * Creates the first administrator, once ever. The claim row's primary key decides between racing
 * requests: in PostgreSQL a second transaction waits on the first one's uncommitted row and then
 * finds the conflict; in PGlite transactions run one at a time. If the account cannot be created
 * (say, a weak password), the claim is rolled back with it and the step stays open.
 */
export async function createFirstAdministrator(db: Database, input: CreateUserInput): Promise<AuthUser> {
  if (input.role !== 'admin') throw new AppError('invalid_input', bootstrapMessages.notAdmin);
  return db.transaction(async (tx) => {
    const claimed = await tx.insert(t.installationClaims).values({ step: FIRST_ADMIN_STEP }).onConflictDoNothing().returning({ step: t.installationClaims.step });
    if (claimed.length === 0) throw new AppError('conflict', bootstrapMessages.alreadyDone);
    const [{ count } = { count: 0 }] = await tx.select({ count: sql<number>`count(*)::int` }).from(t.users);
    if (count > 0) throw new AppError('conflict', bootstrapMessages.alreadyDone);
    const user = await createUser(tx as unknown as Database, input, { by: 'instalación' });
    await tx.update(t.installationClaims).set({ userId: user.id }).where(eq(t.installationClaims.step, FIRST_ADMIN_STEP));
    return user;
  });
}

/**
 * The one-time installation code: made at start while there is no account, shown in the start-up
 * log and left in DATA_DIR/bootstrap-token (readable by the server's user only) for the command line.
 * Only its SHA-256 stays in memory.
 */
export function createBootstrap({ db, dataDir }: { db: Database; dataDir?: string }) {
  let expected: Buffer | null = null;
  const file = dataDir ? path.join(dataDir, BOOTSTRAP_FILE) : null;

  const discard = async () => {
    expected = null;
    if (file) await fs.rm(file, { force: true });
  };

  return {
    /** At start: a new code when the installation has no account (returned), otherwise none (null). */
    async prepare(): Promise<{ token: string; file: string | null } | null> {
      if (!(await bootstrapOpen(db))) {
        await discard();
        return null;
      }
      const token = randomBytes(24).toString('base64url');
      expected = sha256(token);
      if (file) {
        await fs.mkdir(path.dirname(file), { recursive: true });
        await fs.rm(file, { force: true });
        await fs.writeFile(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
      }
      return { token, file };
    },
    /** Compares in constant time; false when there is no code (accounts exist, or not prepared). */
    verify(candidate: unknown): boolean {
      if (!expected || typeof candidate !== 'string' || candidate.length > 200) return false;
      return timingSafeEqual(sha256(candidate.trim()), expected);
    },
    get active(): boolean {
      return expected !== null;
    },
    /** After the first administrator exists the code is useless: forget it and delete the file. */
    discard,
  };
}

export type Bootstrap = ReturnType<typeof createBootstrap>;

/**
 * A browser request from another site (or one that hides its origin as `null`). Requests without
 * Origin or Sec-Fetch-Site headers (the command line, curl) are not cross-site.
 */
export function crossSite(req: Request): boolean {
  const fetchSite = req.get('sec-fetch-site');
  if (fetchSite && fetchSite !== 'same-origin' && fetchSite !== 'none') return true;
  const origin = req.get('origin');
  if (origin === undefined) return false;
  return origin !== `${req.protocol}://${req.host}`;
}
