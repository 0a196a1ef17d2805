import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants as fsConstants, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

export const TEMPORAL_CLI_VERSION = 'v1.5.1';

const CLI_MODULE = `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`;
const BINARY_NAME = process.platform === 'win32' ? 'temporal.exe' : 'temporal';
const LOCK_NAME = '.build.lock';
/** A build takes ~3–5 min; a lock older than this belongs to a process that hung or vanished. */
const STALE_LOCK_MS = 30 * 60_000;
const LOCK_POLL_MS = 250;
const HEARTBEAT_MS = 30_000;

/** Thrown when no Temporal CLI could be found (or built); the message tells the user what to do. */
export class TemporalCliNotFoundError extends Error {
  constructor(detail?: string) {
    super(
      [
        `No se encontró Temporal CLI ${TEMPORAL_CLI_VERSION}${detail ? ` (${detail})` : ''}.`,
        'Para solucionarlo, elija una de estas opciones:',
        '  1. Instale Go (https://go.dev/dl/) y vuelva a ejecutar el comando: la CLI se compila sola la primera vez (unos 3–5 minutos).',
        '  2. Defina TEMPORAL_CLI_PATH con la ruta a un binario `temporal` ya descargado.',
        '  3. Ponga el ejecutable `temporal` en una carpeta del PATH.',
        '  4. Defina TEMPORAL_ADDRESS (p. ej. temporal.municipio.gov.co:7233) para usar un clúster de Temporal existente.',
      ].join('\n'),
    );
    this.name = 'TemporalCliNotFoundError';
  }
}

/** Thrown when TEMPORAL_CLI_PATH is set but unusable: the user asked for that file explicitly, so we don't fall back. */
export class TemporalCliPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemporalCliPathError';
  }
}

export function temporalCliCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), '.cache');
  return path.join(path.resolve(base), 'metas-pdm', `temporal-cli-${TEMPORAL_CLI_VERSION}`);
}

export interface ResolveTemporalCliOptions {
  env?: NodeJS.ProcessEnv;
  log?: (msg: string) => void;
  /** false = never compile with Go (fail instead). */
  build?: boolean;
}

export async function resolveTemporalCli(options: ResolveTemporalCliOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => {});

  const explicit = env.TEMPORAL_CLI_PATH;
  if (explicit) {
    const p = path.resolve(explicit);
    const problem = await executableProblem(p);
    if (problem === 'missing') {
      throw new TemporalCliPathError(`TEMPORAL_CLI_PATH apunta a "${p}", pero ese archivo no existe. Corrija la ruta o quite la variable.`);
    }
    if (problem === 'not-file') {
      throw new TemporalCliPathError(`TEMPORAL_CLI_PATH apunta a "${p}", que no es un archivo. Debe ser la ruta al ejecutable \`temporal\`.`);
    }
    if (problem === 'not-executable') {
      throw new TemporalCliPathError(`TEMPORAL_CLI_PATH apunta a "${p}", pero ese archivo no es ejecutable. Dele permisos con: chmod +x "${p}"`);
    }
    return p;
  }

  const onPath = await findOnPath('temporal', env);
  if (onPath) return onPath;

  const cacheDir = temporalCliCacheDir(env);
  const cached = path.join(cacheDir, BINARY_NAME);
  if ((await executableProblem(cached)) === null) return cached;

  if (options.build === false) throw new TemporalCliNotFoundError();

  const go = await findOnPath('go', env);
  if (!go) throw new TemporalCliNotFoundError('Go no está instalado, así que no se puede compilar automáticamente');

  return buildWithLock(go, cacheDir, env, log);
}

type ExecutableProblem = 'missing' | 'not-file' | 'not-executable' | null;

async function executableProblem(p: string): Promise<ExecutableProblem> {
  let stat;
  try {
    stat = await fs.stat(p);
  } catch {
    return 'missing';
  }
  if (!stat.isFile()) return 'not-file';
  try {
    await fs.access(p, fsConstants.X_OK);
  } catch {
    return 'not-executable';
  }
  return null;
}

/** Own PATH lookup so we depend neither on `which` nor on the current process's PATH (tests pass their own env). */
export async function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const pathVar = env.PATH ?? env.Path ?? '';
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  // Empty entries mean "current directory"; skipping them avoids running a stray ./temporal.
  for (const dir of pathVar.split(path.delimiter).filter(Boolean)) {
    for (const ext of exts) {
      const candidate = path.resolve(dir, name + ext);
      if ((await executableProblem(candidate)) === null) return candidate;
    }
  }
  return null;
}

/**
 * Only one process compiles; the rest wait for it. Correctness doesn't hinge on the lock:
 * the binary appears via an atomic rename, so even a double build never exposes a partial file.
 */
async function buildWithLock(go: string, cacheDir: string, env: NodeJS.ProcessEnv, log: (msg: string) => void): Promise<string> {
  await fs.mkdir(cacheDir, { recursive: true });
  const target = path.join(cacheDir, BINARY_NAME);
  const lockPath = path.join(cacheDir, LOCK_NAME);
  let announcedWait = false;

  for (;;) {
    if (await tryAcquireLock(lockPath)) {
      try {
        // Another process may have finished between our cache check and taking the lock.
        if ((await executableProblem(target)) === null) return target;
        await removeAbandonedBuilds(cacheDir);
        await buildInto(go, cacheDir, target, env, log);
        return target;
      } finally {
        await fs.rm(lockPath, { force: true });
      }
    }
    if (await breakStaleLock(lockPath)) continue;
    if (!announcedWait) {
      log(`Otro proceso está compilando Temporal CLI ${TEMPORAL_CLI_VERSION}; esperando a que termine…`);
      announcedWait = true;
    }
    await waitForLockRelease(lockPath);
    if ((await executableProblem(target)) === null) return target;
    // The other build failed or was interrupted: loop and try ourselves.
  }
}

/** Temp GOBIN folders left by builds that were killed (Ctrl-C, OOM) would pile up otherwise. */
async function removeAbandonedBuilds(cacheDir: string): Promise<void> {
  for (const entry of await fs.readdir(cacheDir)) {
    const m = /^\.build-(\d+)-[0-9a-f]+$/.exec(entry);
    if (m && !isAlive(Number(m[1]))) await fs.rm(path.join(cacheDir, entry), { recursive: true, force: true });
  }
}

async function tryAcquireLock(lockPath: string): Promise<boolean> {
  try {
    const handle = await fs.open(lockPath, 'wx');
    try {
      await handle.writeFile(JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString() }));
    } finally {
      await handle.close();
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

async function breakStaleLock(lockPath: string): Promise<boolean> {
  let stale = false;
  try {
    const [raw, stat] = await Promise.all([fs.readFile(lockPath, 'utf8'), fs.stat(lockPath)]);
    if (Date.now() - stat.mtimeMs > STALE_LOCK_MS) stale = true;
    else {
      const owner = safeParse(raw);
      // Only trust the pid on the same machine (the cache could live on a shared home).
      if (owner && owner.host === os.hostname() && typeof owner.pid === 'number' && !isAlive(owner.pid)) stale = true;
      // A lock with unreadable content may be mid-write; give it the benefit of the doubt unless it's old.
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true; // released meanwhile: retry now
    throw err;
  }
  if (stale) await fs.rm(lockPath, { force: true });
  return stale;
}

function safeParse(raw: string): { pid?: unknown; host?: unknown } | null {
  try {
    return JSON.parse(raw) as { pid?: unknown; host?: unknown };
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitForLockRelease(lockPath: string): Promise<void> {
  for (;;) {
    try {
      await fs.access(lockPath);
    } catch {
      return;
    }
    if (await breakStaleLock(lockPath)) return;
    await new Promise((r) => setTimeout(r, LOCK_POLL_MS));
  }
}

async function buildInto(go: string, cacheDir: string, target: string, env: NodeJS.ProcessEnv, log: (msg: string) => void): Promise<void> {
  // GOBIN is a private folder inside the cache dir: same filesystem, so the final rename is atomic.
  const tmpBin = path.join(cacheDir, `.build-${process.pid}-${randomBytes(4).toString('hex')}`);
  await fs.mkdir(tmpBin, { recursive: true });
  const started = Date.now();
  log(`Compilando Temporal CLI ${TEMPORAL_CLI_VERSION} con Go (la primera vez tarda unos 3–5 minutos)…`);
  log(`  Destino: ${target}`);
  try {
    const tail: string[] = [];
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(go, ['install', CLI_MODULE], {
        env: { ...env, GOBIN: tmpBin },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const onLine = (line: string) => {
        tail.push(line);
        if (tail.length > 40) tail.shift();
        log(`  [go] ${line}`);
      };
      createInterface({ input: child.stdout }).on('line', onLine);
      createInterface({ input: child.stderr }).on('line', onLine);
      // go install is silent while downloading/compiling; reassure the user it isn't stuck.
      const heartbeat = setInterval(() => {
        log(`  Aún compilando Temporal CLI… (${Math.round((Date.now() - started) / 1000)} s)`);
      }, HEARTBEAT_MS);
      heartbeat.unref();
      child.on('error', (err) => {
        clearInterval(heartbeat);
        reject(new Error(`No se pudo ejecutar Go (${go}): ${err.message}`));
      });
      child.on('close', (c) => {
        clearInterval(heartbeat);
        resolve(c);
      });
    });
    if (code !== 0) {
      throw new Error(
        `Falló la compilación de Temporal CLI ${TEMPORAL_CLI_VERSION} con Go (código de salida ${code}).\n` +
          (tail.length ? `Últimas líneas de Go:\n${tail.map((l) => `  ${l}`).join('\n')}\n` : '') +
          'Revise la conexión al proxy de módulos de Go (GOPROXY) o defina TEMPORAL_CLI_PATH con un binario ya descargado.',
      );
    }
    const built = path.join(tmpBin, BINARY_NAME);
    if ((await executableProblem(built)) !== null) {
      throw new Error(`Go terminó sin errores pero no dejó el ejecutable en ${built}.`);
    }
    await fs.rename(built, target);
    log(`Temporal CLI ${TEMPORAL_CLI_VERSION} compilada en ${Math.round((Date.now() - started) / 1000)} s: ${target}`);
  } finally {
    await fs.rm(tmpBin, { recursive: true, force: true });
  }
}
