/**
 * Leftovers of a crashed run: the pid file that identifies a running dev server and its guard, so
 * the next start on the same data folder stops what a crashed run left behind.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DevServerStartError, POLL_MS, STOP_GRACE_MS, type DevServerOptions } from './devServerTypes';

interface PidFileContent {
  /** The Temporal server process and the guard that runs it, each with what identifies it. */
  pid: number;
  identity: string | null;
  guardPid: number;
  guardIdentity: string | null;
  /** The app that started them: while it runs, they are not leftovers. */
  appPid?: number;
  appIdentity?: string | null;
  dbFile: string;
  port: number;
  startedAt: string;
}

/**
 * What tells this process apart from a later one that got the same pid: on Linux the start time in
 * clock ticks since boot (/proc/<pid>/stat, field 22) and the command line; elsewhere `ps`.
 */
export async function processIdentity(pid: number): Promise<string | null> {
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces: count fields after it.
    const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const startTime = afterName[19];
    const cmdline = (await fs.readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter(Boolean).join(' ');
    return `${startTime} ${cmdline}`;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && (await fs.stat('/proc/self/stat').catch(() => null))) return null;
  }
  return new Promise((resolve) => {
    execFile('ps', ['-o', 'lstart=,args=', '-p', String(pid)], (error, stdout) => resolve(error ? null : stdout.trim() || null));
  });
}

export function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

export async function writePidFile(pidFile: string, pid: number, guardPid: number, opts: DevServerOptions): Promise<void> {
  const content: PidFileContent = {
    pid,
    identity: await processIdentity(pid),
    guardPid,
    guardIdentity: await processIdentity(guardPid),
    appPid: process.pid,
    appIdentity: await processIdentity(process.pid),
    dbFile: path.resolve(opts.dbFile),
    port: opts.port,
    startedAt: new Date().toISOString(),
  };
  await fs.mkdir(path.dirname(path.resolve(pidFile)), { recursive: true });
  const tmp = `${pidFile}.${process.pid}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(content, null, 2));
  await fs.rename(tmp, pidFile);
}

async function readPidFile(pidFile: string): Promise<PidFileContent | null> {
  try {
    const parsed = JSON.parse(await fs.readFile(pidFile, 'utf8')) as Partial<PidFileContent>;
    if (typeof parsed.pid !== 'number' || typeof parsed.guardPid !== 'number') return null;
    return parsed as PidFileContent;
  } catch {
    return null;
  }
}

export async function removePidFileIfOurs(pidFile: string, pid: number | null): Promise<void> {
  const content = await readPidFile(pidFile);
  if (content && content.pid === pid) await fs.rm(pidFile, { force: true });
}

/** True when `pid` still is the very process the pid file described (not a reused pid). */
async function stillThere(pid: number, identity: string | null): Promise<boolean> {
  if (!identity) return false;
  return (await processIdentity(pid)) === identity;
}

/**
 * A server (or its guard) left by a run that crashed on the same data folder is stopped: SIGTERM,
 * then SIGKILL after 10 s. A pid that now belongs to another process is never touched.
 */
export async function stopLeftover(pidFile: string, log: (msg: string) => void = () => {}): Promise<boolean> {
  const content = await readPidFile(pidFile);
  if (!content) {
    await fs.rm(pidFile, { force: true });
    return false;
  }
  // Another `npm start` on the same data folder that is still running: its server is no leftover.
  if (content.appPid && content.appPid !== process.pid && (await stillThere(content.appPid, content.appIdentity ?? null))) {
    throw new DevServerStartError(
      `Otra ejecución de la aplicación (pid ${content.appPid}) está usando esta carpeta de datos y su servidor de Temporal (pid ${content.pid}). ` +
        'Deténgala primero (Ctrl-C en su terminal) o use otra carpeta con DATA_DIR.',
      [],
    );
  }
  const leftovers = [
    { pid: content.pid, identity: content.identity },
    { pid: content.guardPid, identity: content.guardIdentity },
  ];
  const alive = [];
  for (const p of leftovers) if (await stillThere(p.pid, p.identity)) alive.push(p);
  if (alive.length > 0) {
    log(
      `Se encontró un servidor de Temporal que quedó de una ejecución anterior (pid ${content.pid}, iniciado ${content.startedAt}, base de datos ${content.dbFile}); se detiene antes de continuar…`,
    );
    for (const p of alive) killQuietly(p.pid, 'SIGTERM');
    const deadline = Date.now() + STOP_GRACE_MS;
    for (;;) {
      const still = [];
      for (const p of alive) if (await stillThere(p.pid, p.identity)) still.push(p);
      if (still.length === 0) break;
      if (Date.now() > deadline) {
        for (const p of still) killQuietly(p.pid, 'SIGKILL');
        if (Date.now() > deadline + 5_000) break;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    log('Servidor de Temporal anterior detenido.');
  }
  await fs.rm(pidFile, { force: true });
  return alive.length > 0;
}
