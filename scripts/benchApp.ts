/**
 * What the page benchmarks share: the whole product as `npm start` runs it (embedded Temporal dev
 * server unless TEMPORAL_ADDRESS is given, PGlite in a fresh DATA_DIR, the 306-goal demo
 * municipality, worker and web server through startServices), an administrator with an API token,
 * and HTTP on loopback. Used by scripts/benchPages.ts and scripts/benchLoad.ts.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createApiToken, createUser } from '../auth';
import { loadConfig } from '../config';
import { openDatabase, type Database } from '../db/client';
import { generateMunicipality, loadMunicipality, type MunicipalityData } from './demo';
import { startServices } from '../temporal/runtime';
import { resolveTemporalCli } from '../temporal/cli';
import { findFreePort, startDevServer } from '../temporal/devServer';
import type { DevServer } from '../temporal/devServerTypes';
import { searchAttributeTypes } from '../workflows/searchAttributes';

export function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? String(process.argv[index + 1]) : fallback;
}

export function numberOption(name: string, fallback: number): number {
  const value = Number(option(name, String(fallback)));
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} debe ser un número positivo`);
  return value;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` gives a value, telling `what` it waits for every few seconds. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, { timeoutMs = 180_000, log }: { timeoutMs?: number; log: (m: string) => void }): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastReport = 0;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Tiempo agotado esperando: ${what}`);
    if (Date.now() - lastReport > 5_000) {
      log(`esperando: ${what}…`);
      lastReport = Date.now();
    }
    await sleep(500);
  }
}

export const percentile = (sorted: number[], p: number) =>
  sorted.length ? (sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number) : NaN;
export const ms = (value: number) => value.toFixed(1);

// ---- HTTP on loopback ---------------------------------------------------------------------------

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Keep-alive agents, one per source address (127.0.0.0/8 is all loopback on Linux) and socket cap. */
export class Loopback {
  private readonly agents = new Map<string, http.Agent>();
  constructor(readonly base: URL) {}

  private agentFor(localAddress: string, maxSockets: number, pool: string) {
    const key = `${pool}#${localAddress}#${maxSockets}`;
    let agent = this.agents.get(key);
    if (!agent) this.agents.set(key, (agent = new http.Agent({ keepAlive: true, maxSockets, localAddress })));
    return agent;
  }

  send(
    method: string,
    pathname: string,
    {
      headers = {},
      body,
      localAddress = '127.0.0.1',
      maxSockets = 1,
      timeoutMs = 120_000,
      pool = '',
    }: {
      headers?: Record<string, string>;
      body?: string;
      localAddress?: string;
      maxSockets?: number;
      timeoutMs?: number;
      /** Connections of another pool are not reused (a burst on fresh connections, not ones the server may be closing). */
      pool?: string;
    } = {},
  ): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          host: this.base.hostname,
          port: this.base.port,
          method,
          path: pathname,
          agent: this.agentFor(localAddress, maxSockets, pool),
          headers: { ...headers, ...(body ? { 'Content-Length': Buffer.byteLength(body) } : {}) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', reject);
        },
      );
      request.setTimeout(timeoutMs, () => request.destroy(new Error(`tiempo agotado (${timeoutMs} ms)`)));
      request.on('error', reject);
      if (body) request.write(body);
      request.end();
    });
  }

  /** JSON API call with a bearer token; an HTTP error is thrown with its body. */
  async api<T>(token: string, method: string, pathname: string, body?: unknown): Promise<T> {
    const reply = await this.send(method, pathname, {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (reply.status >= 400) throw new Error(`${method} ${pathname}: HTTP ${reply.status} ${reply.body.slice(0, 300)}`);
    return JSON.parse(reply.body) as T;
  }

  /**
   * Signs in through the login form, as a browser does (the form's CSRF token, then the credentials
   * as JSON); returns the session cookie and the session's CSRF token for scripts' POSTs.
   */
  async login(email: string, password: string, localAddress = '127.0.0.1'): Promise<{ cookie: string; csrf: string }> {
    const form = await this.send('GET', '/login', { headers: { Accept: 'text/html' }, localAddress });
    const formCsrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
    const cookie = (form.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    if (!formCsrf || !cookie) throw new Error('El formulario de inicio de sesión no trajo su token CSRF o su cookie');
    const reply = await this.send('POST', '/login', {
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', Cookie: cookie, 'x-csrf-token': formCsrf },
      body: JSON.stringify({ email, password }),
      localAddress,
    });
    const session = (reply.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    if (reply.status !== 200 || !session) throw new Error(`No fue posible iniciar sesión como ${email}: HTTP ${reply.status} ${reply.body.slice(0, 200)}`);
    return { cookie: session, csrf: String((JSON.parse(reply.body) as { csrfToken?: string }).csrfToken ?? '') };
  }

  destroy() {
    for (const agent of this.agents.values()) agent.destroy();
  }
}

// ---- The app --------------------------------------------------------------------------------------

export interface BenchApp {
  dataDir: string;
  db: Database;
  demo: MunicipalityData;
  http: Loopback;
  /** The administrator's API token and credentials. */
  token: string;
  admin: { id: number; email: string; password: string };
  /** Creates an account (for sessions of other roles). */
  createAccount(input: { email: string; name: string; role: 'admin' | 'operator' | 'coordinator' | 'liaison' | 'viewer'; departmentCode?: string }): Promise<{ email: string; password: string }>;
  /** Stops everything started, in reverse order, and removes a temporary DATA_DIR. */
  stop(): Promise<void>;
}

/**
 * Starts the product for a benchmark. DATA_DIR (empty or absent) keeps the data, otherwise a
 * temporary folder is used and removed by stop(). `temporalAddress` (or TEMPORAL_ADDRESS) uses that
 * cluster instead of a dev server (its namespace must exist with the search attributes).
 */
export async function startBenchApp({
  name,
  log,
  temporalAddress = process.env.TEMPORAL_ADDRESS,
  namespace = process.env.TEMPORAL_NAMESPACE || 'metas-pdm',
  dataDir: givenDataDir = process.env.DATA_DIR,
}: {
  name: string;
  log: (message: string) => void;
  temporalAddress?: string;
  namespace?: string;
  dataDir?: string;
}): Promise<BenchApp> {
  const dataDir = path.resolve(givenDataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), `metas-pdm-${name}-`)));
  if (givenDataDir && fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0) {
    throw new Error(`DATA_DIR=${dataDir} no está vacío: el benchmark necesita una carpeta nueva`);
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const stops: (() => Promise<void>)[] = [];
  let loopback: Loopback | null = null;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const step of stops.reverse()) await step().catch((error) => console.error(`[${name}] Error al detener:`, error));
    loopback?.destroy();
    if (!givenDataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    log(`Datos en ${dataDir}`);
    let address = temporalAddress;
    if (!address) {
      const cliPath = await resolveTemporalCli({ log });
      log('Iniciando el servidor de desarrollo de Temporal…');
      const devServer: DevServer = await startDevServer({
        cliPath,
        dbFile: path.join(dataDir, 'temporal', 'temporal.db'),
        logFile: path.join(dataDir, 'temporal', 'server.log'),
        namespace,
        port: await findFreePort(),
        uiPort: await findFreePort(),
        headless: true,
        searchAttributes: searchAttributeTypes,
      });
      stops.push(() => devServer.stop());
      address = devServer.address;
    }
    log(`Temporal en ${address} (espacio de nombres ${namespace})`);

    // DATABASE_URL (an empty database) measures PostgreSQL; otherwise the embedded PGlite, as npm start runs.
    const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, pgliteDir: path.join(dataDir, 'pglite') });
    stops.push(() => database.close());
    const demo = generateMunicipality();
    const loadStart = performance.now();
    await loadMunicipality(database.db, demo);
    log(`Municipio de demostración cargado: ${demo.departments.length} dependencias, ${demo.goals.length} metas (${ms((performance.now() - loadStart) / 1000)} s)`);

    const port = await findFreePort();
    const base = new URL(`http://127.0.0.1:${port}`);
    // No SMTP: e-mails stay in the outbox, where the liaisons' links are read from.
    const config = loadConfig({
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: base.origin,
      TEMPORAL_ADDRESS: address,
      TEMPORAL_NAMESPACE: namespace,
      TEMPORAL_TASK_QUEUE: `${name}-${process.pid}-${Date.now()}`,
      // On a shared server (another run's cycles in the namespace) its own workflow IDs, so it never finds theirs.
      TEMPORAL_WORKFLOW_ID_PREFIX: temporalAddress ? `${name.replace(/[^A-Za-z0-9]/g, '')}${process.pid}${Date.now().toString(36)}` : undefined,
      TEMPORAL_TLS: process.env.TEMPORAL_TLS,
      TEMPORAL_TLS_CERT_PATH: process.env.TEMPORAL_TLS_CERT_PATH,
      TEMPORAL_TLS_KEY_PATH: process.env.TEMPORAL_TLS_KEY_PATH,
      TEMPORAL_API_KEY: process.env.TEMPORAL_API_KEY,
      TZ: 'America/Bogota',
    });
    log('Iniciando el worker y el servidor web (como npm start)…');
    const services = await startServices({ config, db: database.db, temporalUiUrl: null, log });
    stops.push(() => services.stop());
    loopback = new Loopback(base);

    const password = `clave de ${name}, solo local`;
    const adminEmail = `admin.${name}@demo.gov.co`;
    const admin = await createUser(database.db, { email: adminEmail, name: `Administración (${name})`, role: 'admin', password });
    const { token } = await createApiToken(database.db, { userId: admin.id, name });
    return {
      dataDir,
      db: database.db,
      demo,
      http: loopback,
      token,
      admin: { id: admin.id, email: adminEmail, password },
      async createAccount(input) {
        await createUser(database.db, { ...input, password });
        return { email: input.email, password };
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
