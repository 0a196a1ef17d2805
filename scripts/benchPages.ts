/**
 * Page benchmark: the whole product as `npm start` runs it (embedded Temporal dev server, PGlite in
 * a fresh DATA_DIR, the 306-goal demo municipality, worker and web server through startServices),
 * a 2026 T3 cycle with a short window so there are reviews in every state (approved, under
 * agreement, still waiting after an extension, closed with a constancia), then every page type of
 * test/support/pageTypes.ts requested N times over HTTP on loopback, signed in as an administrator.
 * Prints p50 / p95 / max of the server time (the server runs in this process: from the request's
 * arrival to the response's last byte, through Node's http diagnostics channels) and the p95 of the
 * HTTP round trip on loopback (keep-alive connections); exits with 1 when a page's server p95 is
 * over the target. Pages not built yet (404) are "no disponible".
 *
 *   npm run bench:pages [-- --requests 50 --target-ms 200 --window 30s]
 *
 * DATA_DIR: where to create the data (default: a temporary folder, removed at the end; a given
 * folder is kept). TEMPORAL_ADDRESS: use that cluster instead of a dev server (its namespace
 * TEMPORAL_NAMESPACE must exist with the search attributes).
 */
import diagnostics from 'node:diagnostics_channel';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createApiToken, createUser } from '../auth';
import { loadConfig } from '../config';
import { openDatabase } from '../db/client';
import { generateMunicipality, loadMunicipality } from '../db/demoMunicipality';
import { startServices } from '../server/runtime';
import { resolveTemporalCli } from '../temporal/cli';
import { findFreePort, startDevServer, type DevServer } from '../temporal/devServer';
import { searchAttributeTypes } from '../workflows/searchAttributes';
import type { ReviewView } from '../workflows/types';
import { answerAll } from '../test/support/answers';
import { pageAvailability, pageTypes, type PageIds } from '../test/support/pageTypes';

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? String(process.argv[index + 1]) : fallback;
}
function numberOption(name: string, fallback: number): number {
  const value = Number(option(name, String(fallback)));
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} debe ser un número positivo`);
  return value;
}

const REQUESTS = numberOption('requests', 50);
const TARGET_MS = numberOption('target-ms', 200);
const WINDOW = option('window', '30s');
const say = (message: string) => console.log(`[bench:pages] ${message}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` gives a value, printing `what` every few seconds. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 180_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastReport = 0;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Tiempo agotado esperando: ${what}`);
    if (Date.now() - lastReport > 5_000) {
      say(`esperando: ${what}…`);
      lastReport = Date.now();
    }
    await sleep(500);
  }
}

// ---- HTTP on loopback, keep-alive ---------------------------------------------------------------

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const agents = new Map<string, http.Agent>();
/**
 * One keep-alive agent per source address. The liaisons' link pages allow 60 requests a minute per
 * address (as many liaisons would each have their own), so each page's requests come in batches of
 * 50 from their own loopback address (127.0.0.0/8 is all loopback on Linux).
 */
const agentFor = (localAddress: string) => {
  let agent = agents.get(localAddress);
  if (!agent) agents.set(localAddress, (agent = new http.Agent({ keepAlive: true, maxSockets: 1, localAddress })));
  return agent;
};

function send(
  base: URL,
  method: string,
  pathname: string,
  { headers = {}, body, localAddress = '127.0.0.1' }: { headers?: Record<string, string>; body?: string; localAddress?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: base.hostname, port: base.port, method, path: pathname, agent: agentFor(localAddress), headers: { ...headers, ...(body ? { 'Content-Length': Buffer.byteLength(body) } : {}) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    if (body) request.write(body);
    request.end();
  });
}

async function api<T>(base: URL, token: string, method: string, pathname: string, body?: unknown): Promise<T> {
  const reply = await send(base, method, pathname, {
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (reply.status >= 400) throw new Error(`${method} ${pathname}: HTTP ${reply.status} ${reply.body.slice(0, 300)}`);
  return JSON.parse(reply.body) as T;
}

/** Signs in through the login form, as a browser does; returns the session cookie. */
async function loginCookie(base: URL, email: string, password: string): Promise<string> {
  const form = await send(base, 'GET', '/login', { headers: { Accept: 'text/html' } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
  const cookie = (form.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
  if (!csrf || !cookie) throw new Error('El formulario de inicio de sesión no trajo su token CSRF o su cookie');
  const reply = await send(base, 'POST', '/login', {
    headers: { Accept: 'text/html', 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
    body: new URLSearchParams({ _csrf: csrf, email, password, next: '/' }).toString(),
  });
  const session = (reply.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
  if (reply.status !== 303 || !session) throw new Error(`No fue posible iniciar sesión: HTTP ${reply.status}`);
  return session;
}

/**
 * Server time of each request, measured inside the server (same process) from the request's
 * arrival to the end of its response; requests are matched by the X-Bench-Request header.
 */
const serverTimes = new Map<string, number>();
const arrivals = new WeakMap<object, number>();
diagnostics.subscribe('http.server.request.start', (message) => arrivals.set((message as { request: object }).request, performance.now()));
diagnostics.subscribe('http.server.response.finish', (message) => {
  const { request } = message as { request: http.IncomingMessage };
  const id = request.headers['x-bench-request'];
  const arrival = arrivals.get(request);
  if (typeof id === 'string' && arrival !== undefined) serverTimes.set(id, performance.now() - arrival);
});

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
const ms = (value: number) => value.toFixed(1);

// ---- The run ------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const givenDataDir = process.env.DATA_DIR;
  const dataDir = path.resolve(givenDataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'metas-pdm-bench-pages-')));
  if (givenDataDir && fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0) {
    throw new Error(`DATA_DIR=${dataDir} no está vacío: el benchmark necesita una carpeta nueva`);
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error) => console.error('[bench:pages] Error al detener:', error));
    for (const agent of agents.values()) agent.destroy();
    if (!givenDataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));

  try {
    say(`Datos en ${dataDir}`);
    const namespace = process.env.TEMPORAL_NAMESPACE || 'metas-pdm';
    let temporalAddress = process.env.TEMPORAL_ADDRESS;
    if (!temporalAddress) {
      const cliPath = await resolveTemporalCli({ log: say });
      say('Iniciando el servidor de desarrollo de Temporal…');
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
      temporalAddress = devServer.address;
    }
    say(`Temporal en ${temporalAddress} (espacio de nombres ${namespace})`);

    const database = await openDatabase({ pgliteDir: path.join(dataDir, 'pglite') });
    stops.push(() => database.close());
    const demo = generateMunicipality();
    const loadStart = performance.now();
    await loadMunicipality(database.db, demo);
    say(`Municipio de demostración cargado: ${demo.departments.length} dependencias, ${demo.goals.length} metas (${ms((performance.now() - loadStart) / 1000)} s)`);

    const port = await findFreePort();
    const base = new URL(`http://127.0.0.1:${port}`);
    // No SMTP: e-mails stay in the outbox, where the liaisons' links are read from.
    const config = loadConfig({
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: base.origin,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: namespace,
      TEMPORAL_TASK_QUEUE: `bench-pages-${process.pid}`,
      TEMPORAL_TLS: process.env.TEMPORAL_TLS,
      TEMPORAL_TLS_CERT_PATH: process.env.TEMPORAL_TLS_CERT_PATH,
      TEMPORAL_TLS_KEY_PATH: process.env.TEMPORAL_TLS_KEY_PATH,
      TEMPORAL_API_KEY: process.env.TEMPORAL_API_KEY,
      TZ: 'America/Bogota',
    });
    say('Iniciando el worker y el servidor web (como npm start)…');
    const services = await startServices({ config, db: database.db, temporalUiUrl: null, log: say });
    stops.push(() => services.stop());

    const password = 'clave del benchmark de páginas, solo local';
    const email = 'admin.bench@demo.gov.co';
    const admin = await createUser(database.db, { email, name: 'Administración (benchmark)', role: 'admin', password });
    const { token } = await createApiToken(database.db, { userId: admin.id, name: 'bench:pages' });

    // A cycle with reviews in every state.
    let cycleId: string | undefined;
    for (const [fiscalYear, quarter] of [[2026, 3], [2026, 2], [2026, 1], [2025, 4]] as const) {
      const started = await api<{ workflowId: string; created: boolean }>(base, token, 'POST', '/api/cycles', { fiscalYear, quarter, window: WINDOW });
      if (started.created) {
        cycleId = started.workflowId;
        break;
      }
      say(`El ciclo ${started.workflowId} ya existía en Temporal; se prueba otro trimestre`);
    }
    if (!cycleId) throw new Error('Todos los ciclos candidatos ya existían en Temporal: use un espacio de nombres nuevo');
    say(`Ciclo ${cycleId} iniciado (plazo ${WINDOW})`);
    type CycleReply = { cycle: { departments: { reviewWorkflowId: string }[] }; reviews: (ReviewView | null)[] };
    const waiting = await waitFor('las revisiones abiertas', async () => {
      const status = await api<CycleReply>(base, token, 'GET', `/api/cycles/${cycleId}`);
      const reviews = status.reviews.filter((r): r is ReviewView => r !== null);
      return status.cycle.departments.length > 0 && reviews.length === status.cycle.departments.length && reviews.every((r) => r.status === 'awaitingResponse')
        ? reviews
        : undefined;
    });
    say(`${waiting.length} dependencias con metas rezagadas esperan respuesta`);
    if (waiting.length < 4) throw new Error('Se necesitan al menos 4 revisiones para tener todos los estados');
    const [approved, underAgreement, extended] = waiting as [ReviewView, ReviewView, ReviewView];
    for (const review of [approved, underAgreement]) await api(base, token, 'POST', `/api/reviews/${review.workflowId}/response`, answerAll(review));
    await api(base, token, 'POST', `/api/reviews/${approved.workflowId}/decision`, { decision: 'approve' });
    await api(base, token, 'POST', `/api/reviews/${extended.workflowId}/deadline-extension`, { reason: 'La dependencia pidió más tiempo por cierre contable', window: '30m' });
    say(`${approved.workflowId}: respondida y aprobada · ${underAgreement.workflowId}: en acuerdo · ${extended.workflowId}: plazo ampliado`);
    const others = new Set(waiting.slice(3).map((r) => r.workflowId));
    await waitFor(`las constancias de ${others.size} revisiones sin respuesta (plazo ${WINDOW})`, async () => {
      const status = await api<CycleReply>(base, token, 'GET', `/api/cycles/${cycleId}`);
      const closed = status.reviews.filter((r) => r && others.has(r.workflowId) && r.status === 'noAdjustment').length;
      return closed === others.size ? true : undefined;
    });
    const states = (await api<CycleReply>(base, token, 'GET', `/api/cycles/${cycleId}`)).reviews.reduce<Record<string, number>>((counts, r) => {
      if (r) counts[r.status] = (counts[r.status] ?? 0) + 1;
      return counts;
    }, {});
    say(`Estados de las revisiones: ${Object.entries(states).map(([s, n]) => `${s} ${n}`).join(', ')}`);

    // The liaisons' links, as the alert e-mails carry them.
    const outbox = await api<{ items: { id: number; idempotencyKey: string }[] }>(base, token, 'GET', '/api/outbox?limit=200');
    const linkOf = async (reviewWorkflowId: string) => {
      const item = outbox.items.find((m) => m.idempotencyKey === `${reviewWorkflowId}:alert`);
      if (!item) throw new Error(`No se encontró el correo de alerta de ${reviewWorkflowId}`);
      const message = await api<{ text: string }>(base, token, 'GET', `/api/outbox/${item.id}`);
      const link = new RegExp(`/responder/${reviewWorkflowId}/[A-Za-z0-9_.-]+`).exec(message.text)?.[0];
      if (!link) throw new Error(`El correo de alerta de ${reviewWorkflowId} no trae el enlace`);
      return link;
    };
    const expiredReview = [...others][0] as string;
    const ids: PageIds = {
      cycleWorkflowId: cycleId,
      reviewWorkflowId: approved.workflowId,
      goalCode: approved.goals[0]?.goalCode ?? demo.goals[0]!.code,
      outboxId: outbox.items[0]!.id,
      liaisonLinks: { open: await linkOf(extended.workflowId), answered: await linkOf(underAgreement.workflowId), expired: await linkOf(expiredReview) },
    };

    const cookie = await loginCookie(base, email, password);
    say(`Sesión de administración iniciada; ${pageTypes.length} tipos de página × ${REQUESTS} solicitudes`);

    interface Row {
      name: string;
      path: string;
      result: 'ok' | 'unavailable' | 'unexpected';
      status: number;
      /** Server time of each request, ms. */
      server: number[];
      /** HTTP round trip of each request, ms. */
      roundTrip: number[];
    }
    const rows: Row[] = [];
    for (const [index, type] of pageTypes.entries()) {
      const pathname = type.path(ids);
      const headers: Record<string, string> = { Accept: 'text/html', ...(type.role === 'anonymous' ? {} : { Cookie: cookie }) };
      const sourceOf = (i: number) => `127.${1 + Math.floor(index / 250)}.${1 + (index % 250)}.${1 + Math.floor(i / 50)}`;
      // A first request decides whether the page exists, and warms caches (not timed).
      const first = await send(base, 'GET', pathname, { headers, localAddress: sourceOf(0) });
      const result = pageAvailability(type, first.status);
      const row: Row = { name: type.name, path: pathname, result, status: first.status, server: [], roundTrip: [] };
      rows.push(row);
      if (result !== 'ok') {
        say(`${type.name}: ${result === 'unavailable' ? 'no disponible (404)' : `HTTP ${first.status}, se esperaba ${type.status ?? 200}`}`);
        continue;
      }
      const requestIds: string[] = [];
      for (let i = 0; i < REQUESTS; i++) {
        const requestId = `${type.name}-${i}`;
        requestIds.push(requestId);
        const start = performance.now();
        const reply = await send(base, 'GET', pathname, { headers: { ...headers, 'X-Bench-Request': requestId }, localAddress: sourceOf(i + 1) });
        row.roundTrip.push(performance.now() - start);
        if (reply.status !== first.status) throw new Error(`${pathname}: HTTP ${reply.status} en la solicitud ${i + 1} (antes ${first.status})`);
      }
      // Each response's 'finish' has fired by the time its bytes were read; tolerate stragglers anyway.
      await waitFor(`los tiempos de servidor de ${type.name}`, async () => (requestIds.every((id) => serverTimes.has(id)) ? true : undefined), 10_000);
      row.server = requestIds.map((id) => serverTimes.get(id) as number);
      const sorted = [...row.server].sort((a, b) => a - b);
      say(`${type.name}: servidor p50 ${ms(percentile(sorted, 50))} ms, p95 ${ms(percentile(sorted, 95))} ms`);
    }

    // The table.
    const sortedOf = (values: number[]) => [...values].sort((a, b) => a - b);
    const table = rows.map((r) => {
      const server = sortedOf(r.server);
      const cells =
        r.result === 'ok'
          ? [ms(percentile(server, 50)), ms(percentile(server, 95)), ms(server.at(-1) as number), ms(percentile(sortedOf(r.roundTrip), 95))]
          : r.result === 'unavailable'
            ? ['no disponible', '', '', '']
            : [`HTTP ${r.status}`, '', '', ''];
      return [r.name, r.path.length > 60 ? `${r.path.slice(0, 57)}…` : r.path, ...cells];
    });
    const header = ['página', 'ruta', 'p50 ms', 'p95 ms', 'máx ms', 'ida y vuelta p95'];
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] as string).length)));
    const line = (cells: string[]) => cells.map((c, i) => (i >= 2 ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join(' | ');
    console.log('');
    console.log(line(header));
    console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
    for (const row of table) console.log(line(row as string[]));
    console.log('');
    console.log(
      `p50 / p95 / máx: tiempo de servidor (llegada de la solicitud → último byte de la respuesta); ida y vuelta: HTTP en loopback con conexiones persistentes. ${REQUESTS} solicitudes por página, ${demo.goals.length} metas.`,
    );

    const slow = rows.filter((r) => r.result === 'ok' && percentile(sortedOf(r.server), 95) > TARGET_MS);
    const wrong = rows.filter((r) => r.result === 'unexpected');
    if (wrong.length) console.log(`Páginas con una respuesta inesperada: ${wrong.map((r) => `${r.name} (HTTP ${r.status})`).join(', ')}`);
    if (slow.length) console.log(`Sobre el objetivo de p95 < ${TARGET_MS} ms: ${slow.map((r) => r.name).join(', ')}`);
    else console.log(`Todas las páginas disponibles cumplen p95 < ${TARGET_MS} ms.`);
    if (slow.length || wrong.length) process.exitCode = 1;
  } finally {
    say('Deteniendo…');
    await stopAll();
  }
}

main().then(
  // Everything was stopped; leftover handles (native Temporal runtime) must not keep the process up.
  () => process.exit(process.exitCode ?? 0),
  (error) => {
    console.error('[bench:pages] Falló:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
