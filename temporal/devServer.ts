import { spawn, type ChildProcess } from 'node:child_process';
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
}

export interface DevServer {
  address: string;
  uiUrl: string | null;
  pid: number;
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

  // Not detached: Ctrl-C reaches the server too and it shuts down gracefully; the caller handles its own SIGINT.
  const child: ChildProcess = spawn(opts.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: false });
  createInterface({ input: child.stdout! }).on('line', onLine);
  createInterface({ input: child.stderr! }).on('line', onLine);

  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve();
    });
    child.once('error', (err) => {
      exitInfo ??= { code: null, signal: null };
      onLine(String(err.message));
      resolve();
    });
  });

  // Safety net if the caller forgets stop() or crashes: don't leave an orphan server holding the port.
  const killOnExit = () => {
    if (!exitInfo) child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (!exitInfo) {
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const timedOut = await Promise.race([
          exited.then(() => false),
          new Promise<boolean>((r) => (timer = setTimeout(() => r(true), STOP_GRACE_MS))),
        ]);
        clearTimeout(timer);
        if (timedOut) {
          log('El servidor de Temporal no se detuvo en 10 s; se fuerza el cierre (SIGKILL).');
          child.kill('SIGKILL');
          await exited;
        }
      }
      process.off('exit', killOnExit);
      if (logStream) await new Promise<void>((r) => logStream!.end(r));
    })();
    return stopping;
  };

  try {
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (err) => reject(new DevServerStartError(`No se pudo ejecutar la CLI de Temporal (${opts.cliPath}): ${err.message}`, [])));
    });
    await waitUntilReady();
  } catch (err) {
    await stop();
    throw err;
  }

  const uiUrl = opts.headless ? null : `http://${dialHost(ip)}:${opts.uiPort}`;
  log(`Servidor de Temporal listo en ${address}${uiUrl ? ` (interfaz web: ${uiUrl})` : ''}.`);
  return { address, uiUrl, pid: child.pid!, stop };

  async function waitUntilReady(): Promise<void> {
    const deadline = Date.now() + readyTimeoutMs;
    const exitedEarly = exited.then(() => {
      const info = exitInfo!;
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
