/**
 * Load benchmark: the product as `npm start` runs it (scripts/benchApp.ts: embedded Temporal dev
 * server, PGlite, the 306-goal demo municipality), real accounts signed in through the login form,
 * then bursts of concurrent requests on loopback:
 *
 * - N concurrent views of the tablero, of the cycle monitor page, of its live part (polled every
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
import { performance } from 'node:perf_hooks';
import type { ReviewView } from '../workflows/types';
import { answerAll } from '../test/support/answers';
import { ms, numberOption, percentile, startBenchApp, waitFor, type BenchApp, type Reply } from './benchApp';

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
  /** CPU time of this process (web server, worker, PGlite and the client) per request during the burst, ms. */
  cpuMsPerRequest: number;
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

/** Runs `count` requests at once; each resolves to its round trip and an error kind or null. */
async function burst(
  count: number,
  request: (i: number) => Promise<Reply>,
  check: (reply: Reply) => string | null,
): Promise<{ times: number[]; errors: Record<string, number>; cpuMsPerRequest: number }> {
  const errors: Record<string, number> = {};
  const times: number[] = [];
  const cpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const start = performance.now();
      let problem: string | null;
      try {
        problem = check(await request(i));
      } catch (error) {
        problem = error instanceof Error && /tiempo agotado/.test(error.message) ? 'tiempo agotado' : `error de red: ${error instanceof Error ? error.message : String(error)}`;
      }
      times.push(performance.now() - start);
      if (problem) errors[problem] = (errors[problem] ?? 0) + 1;
    }),
  );
  const used = process.cpuUsage(cpu);
  return { times, errors, cpuMsPerRequest: (used.user + used.system) / 1000 / Math.max(count, 1) };
}

function summarize(kind: string, path: string, { times, errors, cpuMsPerRequest }: { times: number[]; errors: Record<string, number>; cpuMsPerRequest: number }): LoadKindResult {
  const sorted = [...times].sort((a, b) => a - b);
  return { kind, path, requests: times.length, times, p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1) ?? NaN, errors, cpuMsPerRequest };
}

const statusCheck =
  (expected: number, contains?: string) =>
  (reply: Reply): string | null => {
    if (reply.status !== expected) return `HTTP ${reply.status}`;
    if (contains && !reply.body.includes(contains)) return 'respuesta inesperada';
    return null;
  };

/** Starts cycles until `needed` department reviews wait for their answer; returns them. */
async function openReviews(app: BenchApp, needed: number, log: (m: string) => void): Promise<{ cycles: string[]; waiting: ReviewView[] }> {
  const cycles: string[] = [];
  const waiting: ReviewView[] = [];
  type CycleReply = { cycle: { departments: unknown[] }; reviews: ReviewView[] };
  for (const { year, quarter } of candidateQuarters) {
    if (waiting.length >= needed) break;
    const preview = await app.http.api<{ departments: unknown[]; existing: boolean }>(app.token, 'GET', `/api/cycles/revision-${year}-T${quarter}/preview`);
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
          status.reviews.every((r) => r.status === 'awaitingResponse')
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
    const view = async (kind: string, path: string, accept: string, check: (reply: Reply) => string | null) => {
      const get = (i: number) => {
        const session = readerSessions[i % readerSessions.length] as (typeof readerSessions)[number];
        return app.http.send('GET', path, {
          headers: { Accept: accept, Cookie: session.cookie },
          localAddress: session.localAddress,
          maxSockets: views,
          timeoutMs: requestTimeoutMs,
          pool: kind,
        });
      };
      // One request first: the page answers and any per-process warm-up is out of the figures.
      const first = await get(0);
      if (check(first)) throw new Error(`${path}: HTTP ${first.status} antes de la carga: ${first.body.slice(0, 200)}`);
      const result = summarize(kind, path, await burst(views, get, check));
      kinds.push(result);
      log(`${kind}: ${views} a la vez → p50 ${ms(result.p50)} ms, p95 ${ms(result.p95)} ms, máx ${ms(result.max)} ms, errores ${Object.values(result.errors).reduce((a, b) => a + b, 0)}`);
    };
    const [year, quarter] = /revision-(\d{4})-T(\d)/.exec(monitored)?.slice(1) ?? [];
    await view('tablero', `/tablero?anio=${year}&trimestre=${quarter}`, 'text/html', statusCheck(200, 'Tablero de control'));
    await view('monitor (página)', `/ciclos/${monitored}`, 'text/html', statusCheck(200, 'Revisiones por dependencia'));
    await view('monitor (parte en vivo)', `/ciclos/${monitored}/estado`, 'text/html', statusCheck(200, 'Revisiones por dependencia'));
    await view('ciclo (API)', `/api/cycles/${monitored}`, 'application/json', statusCheck(200, '"reviews"'));

    // Liaison answers, each to a different review, with the liaison's own session.
    const answered = waiting.slice(0, submissions);
    const submit = (i: number) => {
      const review = answered[i] as ReviewView;
      const session = liaisonSessions.get(review.department.code) as { cookie: string; csrf: string; localAddress: string };
      return app.http.send('POST', `/api/reviews/${review.workflowId}/response`, {
        headers: { Accept: 'application/json', 'Content-Type': 'application/json', Cookie: session.cookie, 'x-csrf-token': session.csrf },
        body: JSON.stringify(answerAll(review)),
        localAddress: session.localAddress,
        maxSockets: submissions,
        timeoutMs: requestTimeoutMs,
        pool: 'submissions',
      });
    };
    const submitted = summarize(
      'respuestas de enlaces',
      'POST /api/reviews/:id/response',
      await burst(answered.length, submit, (reply) => {
        if (reply.status !== 200) return `HTTP ${reply.status}`;
        return (JSON.parse(reply.body) as { status?: string }).status === 'underAgreement' ? null : 'respuesta inesperada';
      }),
    );
    kinds.push(submitted);
    log(`respuestas: ${answered.length} a la vez → p50 ${ms(submitted.p50)} ms, p95 ${ms(submitted.p95)} ms, máx ${ms(submitted.max)} ms`);

    const failed = kinds.filter((k) => Object.keys(k.errors).length > 0 || !(k.p95 <= targetMs)).map((k) => k.kind);
    return { goals: app.demo.goals.length, reviewsWaiting: waiting.length, cycles, kinds, targetMs, failed };
  } finally {
    if (watchdog) clearTimeout(watchdog);
    process.removeListener('SIGINT', interrupted);
    log('Deteniendo…');
    await app.stop();
  }
}

export function loadTable(result: LoadBenchResult): string {
  const header = ['tipo', 'a la vez', 'p50 ms', 'p95 ms', 'máx ms', 'CPU ms/solicitud', 'errores'];
  const rows = result.kinds.map((k) => [
    k.kind,
    String(k.requests),
    ms(k.p50),
    ms(k.p95),
    ms(k.max),
    ms(k.cpuMsPerRequest),
    Object.keys(k.errors).length ? Object.entries(k.errors).map(([what, n]) => `${what}: ${n}`).join(', ') : '0',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 1 && i <= 5 ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join(' | ');
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
    `Ida y vuelta HTTP en loopback (cliente, servidor web y worker en este proceso). ${result.goals} metas; ciclos ${result.cycles.join(', ')} con ${result.reviewsWaiting} revisiones esperando respuesta; objetivo p95 < ${result.targetMs} ms y 0 errores.`,
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
