import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Connection } from '@temporalio/client';

export type SearchAttributeType = 'Keyword' | 'Int' | 'Text' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList';

export interface DevServerOptions {
  cliPath: string;
  dbFile: string;
  namespace: string;
  port: number;
  uiPort: number;
  /** Default 127.0.0.1: the dev server skips security checks, so it must not listen on the network by default. */
  ip?: string;
  searchAttributes: Record<string, SearchAttributeType>;
  log?: (msg: string) => void;
  /** true = pass --headless (no Web UI). */
  headless?: boolean;
  /** Server stdout/stderr are appended here as well. */
  logFile?: string;
  /** Default 60 s. */
  readyTimeoutMs?: number;
  /**
   * Where the running server's identity is kept (pid, start time, command line) so the next start on
   * the same data folder recognises a server left by a run that crashed and stops it.
   */
  pidFile?: string;
}

export interface DevServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface DevServer {
  address: string;
  uiUrl: string | null;
  /** The Temporal server's own process (it runs under a small guard process, see devServerGuard.cjs). */
  pid: number;
  /** Settles when the server has exited, whether stop() was called or it died. */
  exited: Promise<DevServerExit>;
  stop(): Promise<void>;
}

export class DevServerPortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly ip: string,
    envVar: string,
  ) {
    super(
      `El puerto ${port} (${ip}) ya está en uso, así que no se puede iniciar el servidor de desarrollo de Temporal. ` +
        `¿Hay otra instancia corriendo? Deténgala o elija otro puerto con ${envVar} (p. ej. ${envVar}=${port + 1}).`,
    );
    this.name = 'DevServerPortInUseError';
  }
}

export class DevServerStartError extends Error {
  constructor(
    message: string,
    readonly output: string[],
  ) {
    super(output.length ? `${message}\nÚltimas líneas del servidor de Temporal:\n${output.map((l) => `  ${l}`).join('\n')}` : message);
    this.name = 'DevServerStartError';
  }
}

// Numeric values of temporal.api.enums.v1.IndexedValueType, to avoid importing @temporalio/proto (not a direct dependency).
const INDEXED_VALUE_TYPE: Record<SearchAttributeType, number> = {
  Text: 1,
  Keyword: 2,
  Int: 3,
  Double: 4,
  Bool: 5,
  Datetime: 6,
  KeywordList: 7,
};

const GUARD_SCRIPT = path.join(__dirname, 'devServerGuard.cjs');
const RING_SIZE = 200;
const ERROR_TAIL = 40;
const STOP_GRACE_MS = 10_000;
const POLL_MS = 250;

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close((err) => (err ? reject(err) : resolve(port)));
    });
  });
}

/** Resolves true if we could bind ip:port (and released it), false on EADDRINUSE. */
async function isPortFree(port: number, ip: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' ? resolve(false) : reject(err)));
    srv.listen({ port, host: ip, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** Address a client can dial: a wildcard bind is reachable through loopback. */
function dialHost(ip: string): string {
  if (ip === '0.0.0.0') return '127.0.0.1';
  if (ip === '::') return '[::1]';
  return ip.includes(':') && !ip.startsWith('[') ? `[${ip}]` : ip;
}

export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  const ip = opts.ip ?? '127.0.0.1';
  const log = opts.log ?? (() => {});
  const readyTimeoutMs = opts.readyTimeoutMs ?? 60_000;

  if (opts.pidFile) await stopLeftover(opts.pidFile, log);
  if (!(await isPortFree(opts.port, ip))) throw new DevServerPortInUseError(opts.port, ip, 'TEMPORAL_DEV_SERVER_PORT');
  if (!opts.headless && !(await isPortFree(opts.uiPort, ip))) throw new DevServerPortInUseError(opts.uiPort, ip, 'TEMPORAL_UI_PORT');

  await fs.mkdir(path.dirname(path.resolve(opts.dbFile)), { recursive: true });

  const args = [
    'server',
    'start-dev',
    '--db-filename',
    opts.dbFile,
    '--namespace',
    opts.namespace,
    '--port',
    String(opts.port),
    '--ui-port',
    String(opts.uiPort),
    '--ip',
    ip,
    ...Object.entries(opts.searchAttributes).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
    '--log-level',
    'warn',
    // WAL + busy_timeout: the workers and the server touch the file concurrently; avoids "database is locked".
    '--sqlite-pragma',
    'journal_mode=WAL',
    '--sqlite-pragma',
    'synchronous=NORMAL',
    '--sqlite-pragma',
    'busy_timeout=5000',
    ...(opts.headless ? ['--headless'] : []),
  ];

  let logStream: WriteStream | null = null;
  if (opts.logFile) {
    await fs.mkdir(path.dirname(path.resolve(opts.logFile)), { recursive: true });
    logStream = createWriteStream(opts.logFile, { flags: 'a' });
    logStream.on('error', () => {}); // a broken log file must not take the server down
    logStream.write(`--- ${new Date().toISOString()} temporal ${args.join(' ')}\n`);
  }

  const ring: string[] = [];
  const onLine = (line: string) => {
    ring.push(line);
    if (ring.length > RING_SIZE) ring.shift();
    logStream?.write(`${line}\n`);
  };
  const tail = () => ring.slice(-ERROR_TAIL);

  const address = `${dialHost(ip)}:${opts.port}`;
  log(`Iniciando el servidor de desarrollo de Temporal en ${address} (base de datos: ${opts.dbFile})…`);

  // Through the guard (devServerGuard.cjs), which stops the server when this process dies, even on
  // kill -9. Not detached: Ctrl-C reaches the server too and it shuts down gracefully.
  const child: ChildProcess = spawn(process.execPath, [GUARD_SCRIPT, opts.cliPath, ...args], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: false,
  });
  createInterface({ input: child.stdout! }).on('line', onLine);
  createInterface({ input: child.stderr! }).on('line', onLine);

  let exitInfo: DevServerExit | null = null;
  let serverPid: number | null = null;
  let spawnError: string | null = null;
  const spawned = new Promise<void>((resolve) => {
    child.on('message', (message: { type?: string; pid?: number; code?: number | null; signal?: NodeJS.Signals | null; message?: string }) => {
      if (message?.type === 'spawned' && typeof message.pid === 'number') {
        serverPid = message.pid;
        resolve();
      } else if (message?.type === 'exit') {
        exitInfo ??= { code: message.code ?? null, signal: message.signal ?? null };
      } else if (message?.type === 'error') {
        spawnError = String(message.message);
      }
    });
    child.once('exit', () => resolve());
  });
  const exited = new Promise<DevServerExit>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo ??= { code, signal };
      resolve(exitInfo);
    });
    child.once('error', (err) => {
      exitInfo ??= { code: null, signal: null };
      onLine(String(err.message));
      resolve(exitInfo);
    });
  });
  const isRunning = () => exitInfo === null && child.exitCode === null && child.signalCode === null;
  void exited.then(async () => {
    if (opts.pidFile) await removePidFileIfOurs(opts.pidFile, serverPid);
  });

  // Safety net if the caller forgets stop(): the guard stops the server (it would on its own too,
  // when this process's IPC channel closes).
  const killOnExit = () => {
    if (isRunning()) child.kill('SIGTERM');
  };
  process.on('exit', killOnExit);

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (isRunning()) {
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const timedOut = await Promise.race([
          exited.then(() => false),
          new Promise<boolean>((r) => (timer = setTimeout(() => r(true), STOP_GRACE_MS))),
        ]);
        clearTimeout(timer);
        if (timedOut) {
          log('El servidor de Temporal no se detuvo en 10 s; se fuerza el cierre (SIGKILL).');
          if (serverPid) killQuietly(serverPid, 'SIGKILL');
          child.kill('SIGKILL');
          await exited;
        }
      }
      if (opts.pidFile) await removePidFileIfOurs(opts.pidFile, serverPid);
      process.off('exit', killOnExit);
      if (logStream) await new Promise<void>((r) => logStream!.end(r));
    })();
    return stopping;
  };

  try {
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (err) => reject(new DevServerStartError(`No se pudo ejecutar Node para el guardián del servidor de Temporal: ${err.message}`, [])));
    });
    await spawned;
    if (serverPid === null) {
      throw new DevServerStartError(`No se pudo ejecutar la CLI de Temporal (${opts.cliPath})${spawnError ? `: ${spawnError}` : ''}`, tail());
    }
    if (opts.pidFile) await writePidFile(opts.pidFile, serverPid, child.pid!, opts);
    await waitUntilReady();
  } catch (err) {
    await stop();
    throw err;
  }

  const uiUrl = opts.headless ? null : `http://${dialHost(ip)}:${opts.uiPort}`;
  log(`Servidor de Temporal listo en ${address}${uiUrl ? ` (interfaz web: ${uiUrl})` : ''}.`);
  return { address, uiUrl, pid: serverPid, exited, stop };

  async function waitUntilReady(): Promise<void> {
    const deadline = Date.now() + readyTimeoutMs;
    const exitedEarly = exited.then((info) => {
      const how = info.signal ? `por la señal ${info.signal}` : `con código ${info.code}`;
      const portTaken = ring.some((l) => /address already in use/i.test(l));
      throw new DevServerStartError(
        portTaken
          ? `El servidor de Temporal terminó ${how}: el puerto ${opts.port} o ${opts.uiPort} ya está en uso. Elija otro con TEMPORAL_DEV_SERVER_PORT / TEMPORAL_UI_PORT.`
          : `El servidor de Temporal terminó ${how} antes de quedar listo.`,
        tail(),
      );
    });
    exitedEarly.catch(() => {}); // only observed through the races below
    const sleep = () => new Promise((r) => setTimeout(r, POLL_MS));
    const wanted = Object.entries(opts.searchAttributes);

    let connection: Connection | null = null;
    let lastProblem = 'sin respuesta';
    try {
      while (Date.now() < deadline) {
        const remaining = Math.max(deadline - Date.now(), 1);
        try {
          connection ??= await Promise.race([
            Connection.connect({ address, connectTimeout: Math.min(remaining, 2_000) }),
            exitedEarly,
          ]);
          const conn = connection;
          const callDeadline = Date.now() + Math.min(remaining, 5_000);
          await Promise.race([
            conn.withDeadline(callDeadline, () => conn.workflowService.describeNamespace({ namespace: opts.namespace })),
            exitedEarly,
          ]);
          if (wanted.length === 0) return;
          const { customAttributes } = await Promise.race([
            conn.withDeadline(callDeadline, () => conn.operatorService.listSearchAttributes({ namespace: opts.namespace })),
            exitedEarly,
          ]);
          const missing = wanted.filter(([name, type]) => customAttributes?.[name] !== INDEXED_VALUE_TYPE[type]);
          if (missing.length === 0) return;
          lastProblem = `atributos de búsqueda sin registrar o con otro tipo: ${missing.map(([n, t]) => `${n}=${t}`).join(', ')}`;
        } catch (err) {
          if (err instanceof DevServerStartError) throw err;
          lastProblem = err instanceof Error ? err.message : String(err);
        }
        await Promise.race([sleep(), exitedEarly]);
      }
    } finally {
      await connection?.close().catch(() => {});
    }
    throw new DevServerStartError(
      `El servidor de Temporal no quedó listo en ${Math.round(readyTimeoutMs / 1000)} s (${address}, namespace ${opts.namespace}). Último problema: ${lastProblem}`,
      tail(),
    );
  }
}

// ---- Leftovers of a crashed run -----------------------------------------------------------------

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

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

async function writePidFile(pidFile: string, pid: number, guardPid: number, opts: DevServerOptions): Promise<void> {
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

async function removePidFileIfOurs(pidFile: string, pid: number | null): Promise<void> {
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

// ---- Supervision while the app runs ------------------------------------------------------------

export interface SupervisedDevServer {
  address: string;
  uiUrl: string | null;
  /** The current server process (changes after a restart). */
  pid(): number;
  /** For /health: up or not, restarts so far, and in Spanish what is being done while it is down. */
  status(): { running: boolean; restarts: number; message?: string };
  /**
   * No more restarts from now on: call it first when shutting down, since Ctrl-C reaches the server
   * too and its exit must not look unexpected.
   */
  stopRestarting(): void;
  stop(): Promise<void>;
}

const RESTART_FIRST_MS = 500;
const RESTART_MAX_MS = 30_000;

/**
 * Starts the dev server and restarts it whenever it exits unexpectedly, on the same database file
 * and ports, waiting 0.5 s, 1 s, 2 s … up to 30 s between failed attempts. Workflows, timers and
 * reviews live in that file, so they resume where they were; the worker reconnects on its own.
 */
export async function superviseDevServer(opts: DevServerOptions): Promise<SupervisedDevServer> {
  const log = opts.log ?? (() => {});
  let server = await startDevServer(opts);
  let stopped = false;
  let running = true;
  let restarts = 0;
  let message: string | undefined;
  let wake: () => void = () => {};

  const loop = (async () => {
    for (;;) {
      const exit = await server.exited;
      if (stopped) return;
      running = false;
      const how = exit.signal ? `por la señal ${exit.signal}` : `con código ${exit.code}`;
      log(`El servidor de Temporal terminó inesperadamente ${how}; se reinicia sobre la misma base de datos…`);
      for (let attempt = 0; ; attempt++) {
        message = `El servidor de Temporal embebido terminó ${how}; reinicio automático en curso (intento ${attempt + 1}).`;
        const delay = Math.min(RESTART_MAX_MS, RESTART_FIRST_MS * 2 ** attempt);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        if (stopped) return;
        try {
          const next = await startDevServer(opts);
          server = next;
          if (stopped) return;
          restarts++;
          running = true;
          message = undefined;
          log(`Servidor de Temporal reiniciado (reinicio número ${restarts}).`);
          break;
        } catch (error) {
          log(`No se pudo reiniciar el servidor de Temporal: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
  })();

  return {
    address: server.address,
    uiUrl: server.uiUrl,
    pid: () => server.pid,
    status: () => ({ running, restarts, ...(message ? { message } : {}) }),
    stopRestarting() {
      stopped = true;
      wake();
    },
    async stop() {
      stopped = true;
      wake();
      await server.stop();
      await loop;
      // A restart that was under way when stop() came in.
      await server.stop();
    },
  };
}
