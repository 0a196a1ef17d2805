/** The embedded Temporal dev server's options, handle and errors (temporal/devServer.ts starts it). */

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


/** How long a server gets to stop before SIGKILL, and how often a wait checks again. */
export const STOP_GRACE_MS = 10_000;
export const POLL_MS = 250;
