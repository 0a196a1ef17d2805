import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { findFreePort } from '../../temporal/devServer';

/**
 * The real product, started the way a person starts it (`npx tsx scripts/start.ts`, i.e. `npm
 * start`) with its own DATA_DIR and free ports, for the fault suite. Nothing is mocked: the app
 * starts its own Temporal dev server, PGlite and worker, and mails a real SMTP peer.
 */

const REPO = path.resolve(__dirname, '..', '..');

export async function until<T>(what: string, probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Alive and not a zombie its new parent hasn't reaped yet. */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
}

export class Product {
  readonly baseUrl: string;
  private child: ChildProcess | null = null;
  private readonly groups = new Set<number>();
  private output: string[] = [];
  token: string | null = null;

  private constructor(
    readonly dataDir: string,
    readonly port: number,
    readonly temporalPort: number,
    readonly uiPort: number,
    private readonly env: Record<string, string>,
  ) {
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  static async create(dataDir: string, env: Record<string, string>): Promise<Product> {
    return new Product(dataDir, await findFreePort(), await findFreePort(), await findFreePort(), env);
  }

  get pidFile(): string {
    return path.join(this.dataDir, 'temporal', 'server.pid');
  }

  log(): string {
    return this.output.slice(-60).join('');
  }

  /** `npx tsx scripts/start.ts`, then waits for /health to answer 200. */
  async start(timeoutMs = 150_000): Promise<void> {
    const child = spawn('npx', ['tsx', 'scripts/start.ts'], {
      cwd: REPO,
      env: {
        ...process.env,
        NODE_ENV: 'development',
        DATA_DIR: this.dataDir,
        PORT: String(this.port),
        HOST: '127.0.0.1',
        PUBLIC_URL: this.baseUrl,
        TEMPORAL_DEV_SERVER_PORT: String(this.temporalPort),
        TEMPORAL_UI_PORT: String(this.uiPort),
        ...this.env,
      },
      // Its own process group, so cleanup can reach every process it started.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.groups.add(child.pid!);
    const keep = (chunk: Buffer) => {
      this.output.push(String(chunk));
      if (this.output.length > 400) this.output.shift();
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    await until(
      '/health to answer 200',
      async () => {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the product exited (${child.exitCode ?? child.signalCode}):\n${this.log()}`);
        const res = await fetch(`${this.baseUrl}/health`, { signal: AbortSignal.timeout(3_000) }).catch(() => null);
        return res?.status === 200;
      },
      timeoutMs,
      250,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${this.log()}`);
    });
  }

  async serverPids(): Promise<{ pid: number; guardPid: number }> {
    return JSON.parse(await fs.readFile(this.pidFile, 'utf8')) as { pid: number; guardPid: number };
  }

  /** The Node process that runs scripts/start.ts: the parent of the dev server's guard. */
  async appPid(): Promise<number> {
    const { guardPid } = await this.serverPids();
    const pid = parentOf(guardPid);
    if (!pid) throw new Error('the dev server guard has no parent');
    return pid;
  }

  /** kill -9 of the app process alone (what an out-of-memory kill does); waits until the npx wrapper is gone. */
  async kill9App(): Promise<{ serverPid: number }> {
    const { pid: serverPid } = await this.serverPids();
    process.kill(await this.appPid(), 'SIGKILL');
    const child = this.child!;
    await until('npx to exit after the app was killed', () => child.exitCode !== null || child.signalCode !== null, 20_000);
    this.child = null;
    return { serverPid };
  }

  /** Every process this product started, whatever state it is in. */
  async kill(): Promise<void> {
    let serverPid: number | null = null;
    try {
      serverPid = (await this.serverPids()).pid;
    } catch {
      // no pid file
    }
    for (const group of this.groups) {
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        // gone
      }
    }
    if (serverPid && isRunning(serverPid)) process.kill(serverPid, 'SIGKILL');
  }

  async request<T = unknown>(method: string, apiPath: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const isBuffer = Buffer.isBuffer(body);
    const res = await fetch(`${this.baseUrl}${apiPath}`, {
      method,
      headers: {
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': isBuffer ? 'application/octet-stream' : 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : isBuffer ? new Uint8Array(body as Buffer) : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed as T };
  }

  /** The first administrator, as README says (`npm run metas -- user create`, password on stdin), and an API token. */
  async createAdmin(email: string, password: string): Promise<void> {
    const cli = spawn('npx', ['tsx', 'scripts/metas.ts', 'user', 'create', '--role', 'admin', '--email', email, '--name', 'Administración de pruebas'], {
      cwd: REPO,
      // DATA_DIR: the CLI reads the installation code `npm start` left there.
      env: { ...process.env, METAS_API_URL: this.baseUrl, HOME: this.dataDir, DATA_DIR: this.dataDir },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    cli.stdout!.on('data', (d) => (out += String(d)));
    cli.stderr!.on('data', (d) => (out += String(d)));
    cli.stdin!.end(`${password}\n`);
    const code = await new Promise<number | null>((resolve) => cli.on('close', resolve));
    if (code !== 0) throw new Error(`user create failed (${code}): ${out}`);
    const { status, body } = await this.request<{ token: string }>('POST', '/api/auth/tokens', { email, password, name: 'suite de fallas' });
    if (status !== 201) throw new Error(`token: ${status} ${JSON.stringify(body)}`);
    this.token = body.token;
  }
}

/** Decodes a header's RFC 2047 encoded words (what nodemailer writes for non-ASCII subjects). */
export function headerOf(raw: Buffer, name: string): string {
  const head = raw.toString('utf8').split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  if (!line) return '';
  const value = line.slice(name.length + 1).trim();
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_m, _charset: string, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_x, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'),
    );
}
