import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Connection } from '@temporalio/client';
import { killQuietly, removePidFileIfOurs, stopLeftover, writePidFile } from './devServerLeftovers';
import {
  DevServerPortInUseError,
  DevServerStartError,
  POLL_MS,
  STOP_GRACE_MS,
  type DevServer,
  type DevServerExit,
  type DevServerOptions,
  type SearchAttributeType,
} from './devServerTypes';

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
