/**
 * The load generator of scripts/benchLoad.ts, in its own process: the bursts' HTTP clients (their
 * sockets, parsing and timers) must not spend the CPU of the server they measure. The parent sends
 * one burst at a time over the IPC channel and gets back every round trip and the errors.
 */
import { performance } from 'node:perf_hooks';
import { Loopback, type Reply } from './benchApp';

export interface BurstRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  localAddress: string;
}

export interface BurstOrder {
  base: string;
  requests: BurstRequest[];
  maxSockets: number;
  timeoutMs: number;
  pool: string;
  /** Checks the reply: `status` expected, and the body must contain `contains` / have JSON `state` (a review's machine state) equal to `jsonState`. */
  check: { status: number; contains?: string; jsonState?: string };
}

export interface BurstReport {
  times: number[];
  errors: Record<string, number>;
  /** CPU of this client process during the burst, ms. */
  clientCpuMs: number;
}

export function checkReply(check: BurstOrder['check'], reply: Reply): string | null {
  if (reply.status !== check.status) return `HTTP ${reply.status}`;
  if (check.contains && !reply.body.includes(check.contains)) return 'respuesta inesperada';
  if (check.jsonState) {
    try {
      if ((JSON.parse(reply.body) as { state?: string }).state !== check.jsonState) return 'respuesta inesperada';
    } catch {
      return 'respuesta inesperada';
    }
  }
  return null;
}

const clients = new Map<string, Loopback>();

async function runBurst(order: BurstOrder): Promise<BurstReport> {
  let http = clients.get(order.base);
  if (!http) clients.set(order.base, (http = new Loopback(new URL(order.base))));
  const client = http;
  const errors: Record<string, number> = {};
  const times: number[] = [];
  const cpu = process.cpuUsage();
  await Promise.all(
    order.requests.map(async (r) => {
      const start = performance.now();
      let problem: string | null;
      try {
        const reply = await client.send(r.method, r.path, {
          headers: r.headers,
          body: r.body,
          localAddress: r.localAddress,
          maxSockets: order.maxSockets,
          timeoutMs: order.timeoutMs,
          pool: order.pool,
        });
        problem = checkReply(order.check, reply);
      } catch (error) {
        problem = error instanceof Error && /tiempo agotado/.test(error.message) ? 'tiempo agotado' : `error de red: ${error instanceof Error ? error.message : String(error)}`;
      }
      times.push(performance.now() - start);
      if (problem) errors[problem] = (errors[problem] ?? 0) + 1;
    }),
  );
  const used = process.cpuUsage(cpu);
  return { times, errors, clientCpuMs: (used.user + used.system) / 1000 };
}

if (require.main === module) {
  if (!process.send) {
    console.error('scripts/benchLoadClient.ts se inicia desde scripts/benchLoad.ts (canal IPC)');
    process.exit(2);
  }
  // The parent going away ends the client.
  process.on('disconnect', () => {
    for (const c of clients.values()) c.destroy();
    process.exit(0);
  });
  process.on('message', (order: BurstOrder) => {
    runBurst(order).then(
      (report) => process.send?.({ ok: true, report }),
      (error) => process.send?.({ ok: false, error: error instanceof Error ? error.message : String(error) }),
    );
  });
}
