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
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ReviewView } from '../workflows/types';
import { answerAll } from '../test/support/answers';
import { pageAvailability, pageTypes, type PageIds } from '../test/support/pageTypes';
import { ms, numberOption, option, percentile, startBenchApp, waitFor as waitUntil } from './benchApp';

const REQUESTS = numberOption('requests', 50);
const TARGET_MS = numberOption('target-ms', 200);
const WINDOW = option('window', '30s');
const say = (message: string) => console.log(`[bench:pages] ${message}`);
const waitFor = <T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 180_000) => waitUntil(what, check, { timeoutMs, log: say });

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

// ---- The run ------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const app = await startBenchApp({ name: 'bench-pages', log: say });
  process.once('SIGINT', () => void app.stop().then(() => process.exit(130)));
  const { demo, token } = app;
  const { email, password } = app.admin;

  try {
    // A cycle with reviews in every state.
    let cycleId: string | undefined;
    for (const [fiscalYear, quarter] of [[2026, 3], [2026, 2], [2026, 1], [2025, 4]] as const) {
      const started = await app.http.api<{ workflowId: string; created: boolean }>(token, 'POST', '/api/cycles', { fiscalYear, quarter, window: WINDOW });
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
      const status = await app.http.api<CycleReply>(token, 'GET', `/api/cycles/${cycleId}`);
      const reviews = status.reviews.filter((r): r is ReviewView => r !== null);
      return status.cycle.departments.length > 0 && reviews.length === status.cycle.departments.length && reviews.every((r) => r.state === 'awaitingResponse')
        ? reviews
        : undefined;
    });
    say(`${waiting.length} dependencias con metas rezagadas esperan respuesta`);
    if (waiting.length < 4) throw new Error('Se necesitan al menos 4 revisiones para tener todos los estados');
    const [approved, underAgreement, extended] = waiting as [ReviewView, ReviewView, ReviewView];
    for (const review of [approved, underAgreement]) await app.http.api(token, 'POST', `/api/reviews/${review.workflowId}/response`, answerAll(review));
    await app.http.api(token, 'POST', `/api/reviews/${approved.workflowId}/decision`, { decision: 'approve' });
    await app.http.api(token, 'POST', `/api/reviews/${extended.workflowId}/deadline-extension`, { reason: 'La dependencia pidió más tiempo por cierre contable', window: '30m' });
    say(`${approved.workflowId}: respondida y aprobada · ${underAgreement.workflowId}: en acuerdo · ${extended.workflowId}: plazo ampliado`);
    const others = new Set(waiting.slice(3).map((r) => r.workflowId));
    await waitFor(`las constancias de ${others.size} revisiones sin respuesta (plazo ${WINDOW})`, async () => {
      const status = await app.http.api<CycleReply>(token, 'GET', `/api/cycles/${cycleId}`);
      const closed = status.reviews.filter((r) => r && others.has(r.workflowId) && r.state === 'noAdjustment').length;
      return closed === others.size ? true : undefined;
    });
    const states = (await app.http.api<CycleReply>(token, 'GET', `/api/cycles/${cycleId}`)).reviews.reduce<Record<string, number>>((counts, r) => {
      if (r) counts[r.state] = (counts[r.state] ?? 0) + 1;
      return counts;
    }, {});
    say(`Estados de las revisiones: ${Object.entries(states).map(([s, n]) => `${s} ${n}`).join(', ')}`);

    // The liaisons' links, as the alert e-mails carry them.
    const outbox = await app.http.api<{ items: { id: number; idempotencyKey: string }[] }>(token, 'GET', '/api/outbox?limit=200');
    const linkOf = async (reviewWorkflowId: string) => {
      const item = outbox.items.find((m) => m.idempotencyKey === `${reviewWorkflowId}:alert`);
      if (!item) throw new Error(`No se encontró el correo de alerta de ${reviewWorkflowId}`);
      const message = await app.http.api<{ text: string }>(token, 'GET', `/api/outbox/${item.id}`);
      const link = new RegExp(`/responder/${reviewWorkflowId}/[A-Za-z0-9_.-]+`).exec(message.text)?.[0];
      if (!link) throw new Error(`El correo de alerta de ${reviewWorkflowId} no trae el enlace`);
      return link;
    };
    const expiredReview = [...others][0] as string;
    // A respuesta extemporánea through the expired link, as a liaison's form sends it.
    const expiredLink = await linkOf(expiredReview);
    const lateForm = new URLSearchParams({ respondentName: 'Enlace de la dependencia', intent: 'submit' });
    for (const goal of waiting.find((r) => r.workflowId === expiredReview)?.goals ?? []) {
      lateForm.set(`action__${goal.goalCode}`, 'keep');
      lateForm.set(`justification__${goal.goalCode}`, 'El rezago se recupera en el semestre con la contratación en curso');
      lateForm.set(`commitment__${goal.goalCode}`, 'Reportar el avance mensual a la Oficina de Planeación');
    }
    const late = await app.http.send('POST', expiredLink, { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: lateForm.toString() });
    if (late.status !== 200) throw new Error(`La respuesta extemporánea no se registró: HTTP ${late.status}`);
    const [lateResponse] = await app.http.api<{ id: number }[]>(token, 'GET', '/api/late-responses');
    const ids: PageIds = {
      cycleWorkflowId: cycleId,
      reviewWorkflowId: approved.workflowId,
      goalCode: approved.goals[0]?.goalCode ?? demo.goals[0]!.code,
      outboxId: outbox.items[0]!.id,
      liaisonLinks: { open: await linkOf(extended.workflowId), answered: await linkOf(underAgreement.workflowId), expired: expiredLink },
      lateResponseId: lateResponse?.id ?? 0,
    };

    const { cookie } = await app.http.login(email, password);
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
      const first = await app.http.send('GET', pathname, { headers, localAddress: sourceOf(0) });
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
        const reply = await app.http.send('GET', pathname, { headers: { ...headers, 'X-Bench-Request': requestId }, localAddress: sourceOf(i + 1) });
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
    await app.stop();
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
