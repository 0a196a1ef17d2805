/** Supervision while the app runs: the dev server restarted whenever it exits unexpectedly. */
import { startDevServer } from './devServer';
import type { DevServerOptions } from './devServerTypes';

export interface SupervisedDevServer {
  address: string;
  uiUrl: string | null;
  /** The current server process (changes after a restart). */
  pid(): number;
  /** For /health: up or not, restarts so far, and in Spanish what is being done while it is down. */
  status(): { running: boolean; restarts: number; message?: string };
  /**
   * No more restarts from now on: call it first when shutting down, since Ctrl-C reaches the server
   * too and its exit must not look unexpected.
   */
  stopRestarting(): void;
  stop(): Promise<void>;
}

const RESTART_FIRST_MS = 500;
const RESTART_MAX_MS = 30_000;

/**
 * Starts the dev server and restarts it whenever it exits unexpectedly, on the same database file
 * and ports, waiting 0.5 s, 1 s, 2 s … up to 30 s between failed attempts. Workflows, timers and
 * reviews live in that file, so they resume where they were; the worker reconnects on its own.
 */
export async function superviseDevServer(opts: DevServerOptions): Promise<SupervisedDevServer> {
  const log = opts.log ?? (() => {});
  let server = await startDevServer(opts);
  let stopped = false;
  let running = true;
  let restarts = 0;
  let message: string | undefined;
  let wake: () => void = () => {};

  const loop = (async () => {
    for (;;) {
      const exit = await server.exited;
      if (stopped) return;
      running = false;
      const how = exit.signal ? `por la señal ${exit.signal}` : `con código ${exit.code}`;
      log(`El servidor de Temporal terminó inesperadamente ${how}; se reinicia sobre la misma base de datos…`);
      for (let attempt = 0; ; attempt++) {
        message = `El servidor de Temporal embebido terminó ${how}; reinicio automático en curso (intento ${attempt + 1}).`;
        const delay = Math.min(RESTART_MAX_MS, RESTART_FIRST_MS * 2 ** attempt);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        if (stopped) return;
        try {
          const next = await startDevServer(opts);
          server = next;
          if (stopped) return;
          restarts++;
          running = true;
          message = undefined;
          log(`Servidor de Temporal reiniciado (reinicio número ${restarts}).`);
          break;
        } catch (error) {
          log(`No se pudo reiniciar el servidor de Temporal: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
  })();

  return {
    address: server.address,
    uiUrl: server.uiUrl,
    pid: () => server.pid,
    status: () => ({ running, restarts, ...(message ? { message } : {}) }),
    stopRestarting() {
      stopped = true;
      wake();
    },
    async stop() {
      stopped = true;
      wake();
      await server.stop();
      await loop;
      // A restart that was under way when stop() came in.
      await server.stop();
    },
  };
}
