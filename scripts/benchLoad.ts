/**
 * Load benchmark: the product as `npm start` runs it (scripts/benchApp.ts: embedded Temporal dev
 * server, PGlite, the 306-goal demo municipality), real accounts signed in through the login form,
 * then bursts of concurrent requests on loopback:
 *
 * - N concurrent views of the dashboard, of the cycle monitor page, of its live part (polled every
 *   5 s by /assets/monitor.js) and of `GET /api/cycles/:id` (what `metas cycle status` reads);
 * - M concurrent liaison answers through the API (`POST /api/reviews/:id/response` with the
 *   liaison's session and CSRF token), each to a different department review: the quarters' cycles
 *   are started until there are M reviews waiting.
 *
 * Prints p50 / p95 / max of the HTTP round trip and the errors per kind; exits with 1 when a kind
 * has errors or its p95 is over the target. Bounded: one burst per kind, and the whole run stops
 * itself after --timeout-s.
 *
 *   npm run bench:load [-- --views 200 --submissions 50 --target-ms 1000 --timeout-s 900]
 *
 * DATA_DIR, TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE: as for bench:pages.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { ReviewView } from '../workflows/types';
import { answerAll } from '../test/support/answers';
import { ms, numberOption, percentile, startBenchApp, waitFor, type BenchApp } from './benchApp';
import { checkReply, type BurstOrder, type BurstReport } from './benchLoadClient';
import { cycleWorkflowId, parseWorkflowId } from '../domain/workflowIds';

export interface LoadKindResult {
  kind: string;
  path: string;
  requests: number;
  /** Round trip of every request, ms, in the order they finished. */
  times: number[];
  p50: number;
  p95: number;
  max: number;
  /** Errors by what went wrong ("HTTP 500", "tiempo agotado", "respuesta inesperada"). */
  errors: Record<string, number>;
  /** CPU time of the server process (web server, worker, PGlite; not the load generator) per request during the burst, ms. */
  cpuMsPerRequest: number;
  /** CPU time of the load generator's process per request, ms (for reference: not the server's). */
  clientCpuMsPerRequest: number;
}

export interface LoadBenchResult {
  goals: number;
  reviewsWaiting: number;
  cycles: string[];
  kinds: LoadKindResult[];
  targetMs: number;
  /** Kinds with errors or over the target. */
  failed: string[];
}

export interface LoadBenchOptions {
  views: number;
  submissions: number;
  targetMs: number;
  log: (message: string) => void;
  temporalAddress?: string;
  namespace?: string;
  /** Per request. */
  requestTimeoutMs?: number;
  /**
   * The command line's bound: after this long (or on Ctrl-C) everything started is stopped and the
   * process exits with 1.
   */
  exitAfterMs?: number;
}

/** Every (year, quarter) of the demo's plan, latest first: cycles are started in this order. */
const candidateQuarters = [2026, 2025, 2024, 2027].flatMap((year) => ([3, 2, 1, 4] as const).map((quarter) => ({ year, quarter })));

/**
 * The load generator: a child process (scripts/benchLoadClient.ts) that runs each burst's HTTP
 * clients, so that only the server's work is measured in this process.
 */
class LoadClient {
  private readonly child: ChildProcess;
  private pending: { resolve: (r: BurstReport) => void; reject: (e: Error) => void } | null = null;

  constructor() {
    this.child = fork(path.join(__dirname, 'benchLoadClient.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (message: { ok: boolean; report?: BurstReport; error?: string }) => {
      const waiting = this.pending;
      this.pending = null;
      if (!waiting) return;
      if (message.ok && message.report) waiting.resolve(message.report);
      else waiting.reject(new Error(`El generador de carga falló: ${message.error}`));
    });
    this.child.on('exit', (code) => {
      this.pending?.reject(new Error(`El generador de carga terminó (código ${code})`));
      this.pending = null;
    });
  }

  /** Runs one burst in the client; `serverCpuMs` is this (server) process's CPU meanwhile. */
  async burst(order: BurstOrder): Promise<BurstReport & { serverCpuMs: number }> {
    if (this.pending) throw new Error('Una ráfaga a la vez');
    const cpu = process.cpuUsage();
    if (process.env.BENCH_LOAD_MARKS) console.log(`[marca] ${order.pool} inicio ${process.hrtime.bigint() / 1000n}`);
    const report = await new Promise<BurstReport>((resolve, reject) => {
      this.pending = { resolve, reject };
      this.child.send(order);
    });
    const used = process.cpuUsage(cpu);
    if (process.env.BENCH_LOAD_MARKS) console.log(`[marca] ${order.pool} fin ${process.hrtime.bigint() / 1000n}`);
    return { ...report, serverCpuMs: (used.user + used.system) / 1000 };
  }

  stop() {
    if (this.child.connected) this.child.disconnect();
    if (this.child.exitCode === null) this.child.kill();
  }
}

function summarize(kind: string, path: string, { times, errors, serverCpuMs, clientCpuMs }: BurstReport & { serverCpuMs: number }): LoadKindResult {
  const sorted = [...times].sort((a, b) => a - b);
  const n = Math.max(times.length, 1);
  return {
    kind,
    path,
    requests: times.length,
    times,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted.at(-1) ?? NaN,
    errors,
    cpuMsPerRequest: serverCpuMs / n,
    clientCpuMsPerRequest: clientCpuMs / n,
  };
}

/** Starts cycles until `needed` department reviews wait for their answer; returns them. */
async function openReviews(app: BenchApp, needed: number, log: (m: string) => void): Promise<{ cycles: string[]; waiting: ReviewView[] }> {
  const cycles: string[] = [];
  const waiting: ReviewView[] = [];
  type CycleReply = { cycle: { departments: unknown[] }; reviews: ReviewView[] };
  for (const { year, quarter } of candidateQuarters) {
    if (waiting.length >= needed) break;
    const preview = await app.http.api<{ departments: unknown[]; existing: boolean }>(app.token, 'GET', `/api/cycles/${cycleWorkflowId(year, quarter)}/preview`);
    if (preview.existing || preview.departments.length === 0) continue;
    const started = await app.http.api<{ workflowId: string; created: boolean }>(app.token, 'POST', '/api/cycles', { fiscalYear: year, quarter, window: '2h' });
    if (!started.created) {
      log(`El ciclo ${started.workflowId} ya existía en Temporal; se prueba otro trimestre`);
      continue;
    }
    cycles.push(started.workflowId);
    const reviews = await waitFor(
      `las ${preview.departments.length} revisiones de ${started.workflowId}`,
      async () => {
        const status = await app.http.api<CycleReply>(app.token, 'GET', `/api/cycles/${started.workflowId}`);
        return status.cycle.departments.length === preview.departments.length &&
          status.reviews.length === preview.departments.length &&
          status.reviews.every((r) => r.state === 'awaitingResponse')
          ? status.reviews
          : undefined;
      },
      { log, timeoutMs: 300_000 },
    );
    waiting.push(...reviews);
    log(`${started.workflowId}: ${reviews.length} revisiones esperan respuesta (${waiting.length} en total)`);
  }
  if (waiting.length < needed) throw new Error(`Solo hay ${waiting.length} revisiones esperando respuesta; se necesitan ${needed}`);
  return { cycles, waiting };
}

export async function runLoadBench(options: LoadBenchOptions): Promise<LoadBenchResult> {
  const { views, submissions, targetMs, log, requestTimeoutMs = 120_000 } = options;
  const app = await startBenchApp({ name: 'bench-load', log, temporalAddress: options.temporalAddress, namespace: options.namespace });
  const giveUp = (why: string, code: number) => {
    console.error(`[bench:load] ${why}; se detiene.`);
    void app.stop().finally(() => process.exit(code));
  };
  const watchdog = options.exitAfterMs ? setTimeout(() => giveUp(`Se superó el límite de ${Math.round((options.exitAfterMs as number) / 1000)} s`, 1), options.exitAfterMs) : null;
  const interrupted = () => giveUp('Interrumpido', 130);
  if (options.exitAfterMs) process.once('SIGINT', interrupted);
  const client = new LoadClient();
  try {
    const { cycles, waiting } = await openReviews(app, Math.max(submissions, 1), log);
    const monitored = cycles[0] as string;

    // Real accounts, each session signed in through the login form from its own loopback address.
    let address = 0;
    const nextAddress = () => {
      address += 1;
      return `127.0.${10 + Math.floor(address / 250)}.${1 + (address % 250)}`;
    };
    const readers = await Promise.all(
      (['viewer', 'coordinator', 'operator', 'admin'] as const).map((role) =>
        app.createAccount({ email: `${role}.carga@demo.gov.co`, name: `Cuenta ${role} (carga)`, role }),
      ),
    );
    const readerSessions: { cookie: string; csrf: string; localAddress: string }[] = [];
    for (let i = 0; i < 8; i++) {
      const account = readers[i % readers.length] as { email: string; password: string };
      const localAddress = nextAddress();
      readerSessions.push({ ...(await app.http.login(account.email, account.password, localAddress)), localAddress });
    }
    const departments = [...new Set(waiting.map((r) => r.department.code))];
    const liaisonSessions = new Map<string, { cookie: string; csrf: string; localAddress: string }>();
    for (const code of departments) {
      const account = await app.createAccount({ email: `enlace.${code.toLowerCase()}.carga@demo.gov.co`, name: `Enlace ${code} (carga)`, role: 'liaison', departmentCode: code });
      const localAddress = nextAddress();
      liaisonSessions.set(code, { ...(await app.http.login(account.email, account.password, localAddress)), localAddress });
    }
    log(`${readerSessions.length} sesiones de lectura y ${liaisonSessions.size} de enlaces iniciadas con el formulario de inicio de sesión`);

    const kinds: LoadKindResult[] = [];
    const view = async (kind: string, path: string, accept: string, check: BurstOrder['check']) => {
      const request = (i: number) => {
        const session = readerSessions[i % readerSessions.length] as (typeof readerSessions)[number];
        return { method: 'GET', path, headers: { Accept: accept, Cookie: session.cookie }, localAddress: session.localAddress };
      };
      // One request first: the page answers and any per-process warm-up is out of the figures.
      const first = await app.http.send('GET', path, { headers: request(0).headers, localAddress: request(0).localAddress, timeoutMs: requestTimeoutMs });
      if (checkReply(check, first)) throw new Error(`${path}: HTTP ${first.status} antes de la carga: ${first.body.slice(0, 200)}`);
      const orders = Array.from({ length: views }, (_, i) => request(i));
      const result = summarize(kind, path, await client.burst({ base: app.http.base.href, requests: orders, maxSockets: views, timeoutMs: requestTimeoutMs, pool: kind, check }));
      kinds.push(result);
      log(
        `${kind}: ${views} a la vez → p50 ${ms(result.p50)} ms, p95 ${ms(result.p95)} ms, máx ${ms(result.max)} ms, CPU del servidor ${ms(result.cpuMsPerRequest)} ms/solicitud, errores ${Object.values(result.errors).reduce((a, b) => a + b, 0)}`,
      );
    };
    const { fiscalYear: year, quarter } = parseWorkflowId(monitored) ?? {};
    await view('tablero', `/tablero?anio=${year}&trimestre=${quarter}`, 'text/html', { status: 200, contains: 'Tablero de control' });
    await view('monitor (página)', `/ciclos/${monitored}`, 'text/html', { status: 200, contains: 'Revisiones por dependencia' });
    await view('monitor (parte en vivo)', `/ciclos/${monitored}/estado`, 'text/html', { status: 200, contains: 'Revisiones por dependencia' });
    await view('ciclo (API)', `/api/cycles/${monitored}`, 'application/json', { status: 200, contains: '"reviews"' });

    // Liaison answers, each to a different review, with the liaison's own session.
    const answered = waiting.slice(0, submissions);
    const submitted = summarize(
      'respuestas de enlaces',
      'POST /api/reviews/:id/response',
      await client.burst({
        base: app.http.base.href,
        requests: answered.map((review) => {
          const session = liaisonSessions.get(review.department.code) as { cookie: string; csrf: string; localAddress: string };
          return {
            method: 'POST',
            path: `/api/reviews/${review.workflowId}/response`,
            headers: { Accept: 'application/json', 'Content-Type': 'application/json', Cookie: session.cookie, 'x-csrf-token': session.csrf },
            body: JSON.stringify(answerAll(review)),
            localAddress: session.localAddress,
          };
        }),
        maxSockets: submissions,
        timeoutMs: requestTimeoutMs,
        pool: 'submissions',
        check: { status: 200, jsonState: 'underAgreement' },
      }),
    );
    kinds.push(submitted);
    log(`respuestas: ${answered.length} a la vez → p50 ${ms(submitted.p50)} ms, p95 ${ms(submitted.p95)} ms, máx ${ms(submitted.max)} ms, CPU del servidor ${ms(submitted.cpuMsPerRequest)} ms/solicitud`);

    const failed = kinds.filter((k) => Object.keys(k.errors).length > 0 || !(k.p95 <= targetMs)).map((k) => k.kind);
    return { goals: app.demo.goals.length, reviewsWaiting: waiting.length, cycles, kinds, targetMs, failed };
  } finally {
    if (watchdog) clearTimeout(watchdog);
    process.removeListener('SIGINT', interrupted);
    log('Deteniendo…');
    client.stop();
    await app.stop();
  }
}

export function loadTable(result: LoadBenchResult): string {
  const header = ['tipo', 'a la vez', 'p50 ms', 'p95 ms', 'máx ms', 'CPU servidor ms/solicitud', 'CPU cliente ms/solicitud', 'errores'];
  const rows = result.kinds.map((k) => [
    k.kind,
    String(k.requests),
    ms(k.p50),
    ms(k.p95),
    ms(k.max),
    ms(k.cpuMsPerRequest),
    ms(k.clientCpuMsPerRequest),
    Object.keys(k.errors).length ? Object.entries(k.errors).map(([what, n]) => `${what}: ${n}`).join(', ') : '0',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 1 && i <= 6 ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join(' | ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const say = (message: string) => console.log(`[bench:load] ${message}`);
  // The run stops itself: nothing it started may outlive the bound (and a start that hangs neither).
  const timeoutS = numberOption('timeout-s', 900);
  setTimeout(() => {
    console.error(`[bench:load] Sin terminar ${timeoutS + 120} s después de empezar; se detiene.`);
    process.exit(1);
  }, (timeoutS + 120) * 1000).unref();
  const result = await runLoadBench({
    views: numberOption('views', 200),
    submissions: numberOption('submissions', 50),
    targetMs: numberOption('target-ms', 1000),
    exitAfterMs: timeoutS * 1000,
    log: say,
  });
  console.log('');
  console.log(loadTable(result));
  console.log('');
  console.log(
    `Ida y vuelta HTTP en loopback; el generador de carga corre en otro proceso (CPU del servidor: servidor web, worker y PGlite). ${result.goals} metas; ciclos ${result.cycles.join(', ')} con ${result.reviewsWaiting} revisiones esperando respuesta; objetivo p95 < ${result.targetMs} ms y 0 errores.`,
  );
  if (result.failed.length) {
    console.log(`No cumplen el objetivo: ${result.failed.join(', ')}`);
    process.exitCode = 1;
  } else console.log('Todos los tipos cumplen el objetivo.');
}

if (require.main === module) {
  main().then(
    // Everything was stopped; leftover handles (native Temporal runtime) must not keep the process up.
    () => process.exit(process.exitCode ?? 0),
    (error) => {
      console.error('[bench:load] Falló:', error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
