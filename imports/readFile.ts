import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { UploadRefused } from './errors';
import { count, type UploadLimits } from './limits';
import type { ParseRequest, ParseResponse } from './parseResult';

/**
 * Reads an uploaded file in a worker thread (parse.ts), so unzipping and parsing never block the
 * event loop that serves the pages and runs the Temporal worker. The worker has a heap limit and a
 * time limit: running out of either ends the worker only, and the upload is refused (422) with a
 * message that names the limit. At most `parseConcurrency` files are read at once.
 *
 * A fresh worker per file: a file's garbage dies with its worker, and a few hundred milliseconds
 * of start-up are nothing next to an import. The bootstrap (parseWorker.cjs) explains how the
 * TypeScript entry is loaded under tsx and under jest alike.
 */
const bootstrap = path.join(__dirname, 'parseWorker.cjs');

let running = 0;
const queue: (() => void)[] = [];

async function turn(concurrency: number): Promise<() => void> {
  if (running >= Math.max(1, concurrency)) await new Promise<void>((resolve) => queue.push(resolve));
  else running++;
  return () => {
    const next = queue.shift();
    if (next) next();
    else running--;
  };
}

const seconds = (ms: number) => count(Math.round(ms / 100) / 10);

export async function readInWorker(request: ParseRequest): Promise<ParseResponse> {
  const release = await turn(request.limits.parseConcurrency);
  try {
    return await run(request);
  } finally {
    release();
  }
}

function run(request: ParseRequest): Promise<ParseResponse> {
  const { limits } = request;
  return new Promise((resolve, reject) => {
    let settled = false;
    const worker = new Worker(bootstrap, {
      workerData: request,
      execArgv: [],
      resourceLimits: {
        maxOldGenerationSizeMb: limits.parseMemoryMb,
        maxYoungGenerationSizeMb: Math.max(4, Math.min(32, Math.floor(limits.parseMemoryMb / 8))),
        stackSizeMb: 4,
      },
    });
    const timer = setTimeout(() => {
      settle(() => reject(timeLimit(limits)));
      void worker.terminate();
    }, limits.parseTimeoutMs);
    const settle = (done: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done();
    };
    worker.once('message', (response: ParseResponse) => {
      settle(() => resolve(response));
      void worker.terminate();
    });
    worker.once('error', (error: Error & { code?: string }) => {
      settle(() => reject(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? memoryLimit(limits) : unreadable()));
    });
    worker.once('exit', (code) => settle(() => reject(code === 0 ? unreadable() : unreadable(code))));
  });
}

const memoryLimit = (limits: UploadLimits) =>
  new UploadRefused(
    422,
    `Leer el archivo necesita más de ${count(limits.parseMemoryMb)} MB de memoria, el máximo; no se importó nada. Quite hojas, columnas o filas que no se importan, o guárdelo como CSV`,
  );
const timeLimit = (limits: UploadLimits) =>
  new UploadRefused(
    422,
    `Leer el archivo tomó más de ${seconds(limits.parseTimeoutMs)} s, el máximo; no se importó nada. Quite hojas, columnas o filas que no se importan, o guárdelo como CSV`,
  );
const unreadable = (code?: number) =>
  new UploadRefused(422, `No se pudo leer el archivo${code === undefined ? '' : ` (el lector terminó con el código ${code})`}; no se importó nada. Ábralo en Excel y guárdelo de nuevo como .xlsx o como CSV`);
