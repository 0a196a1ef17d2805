/** The command line's connection to the app's API: credentials, requests, downloads and terminal helpers. */
import fsSync from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { InvalidArgumentError } from 'commander';
import { z } from 'zod';

const cliEnv = z.object({
  METAS_API_URL: z.url({ message: 'METAS_API_URL debe ser una URL, p. ej. http://localhost:3000' }).optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** An API token (mpdm_…); otherwise the one saved by `metas login`. */
  METAS_API_TOKEN: z.string().min(10).optional(),
  XDG_CONFIG_HOME: z.string().optional(),
  /** The one-time installation code for the first administrator (otherwise read from DATA_DIR/bootstrap-token). */
  METAS_BOOTSTRAP_TOKEN: z.string().min(10).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
});

/** Where `metas login` keeps the token: readable by this user only. */
export const tokenFile = () => path.join(cliEnv.parse(process.env).XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'metas-pdm', 'token');

export function savedToken(): string | undefined {
  try {
    return fsSync.readFileSync(tokenFile(), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

export function apiToken(): string | undefined {
  return cliEnv.parse(process.env).METAS_API_TOKEN ?? savedToken();
}

/** The installation code: --bootstrap-token, METAS_BOOTSTRAP_TOKEN, or the file `npm start` left in DATA_DIR. */
export function bootstrapToken(option?: string): string | undefined {
  if (option) return option;
  const env = cliEnv.parse(process.env);
  if (env.METAS_BOOTSTRAP_TOKEN) return env.METAS_BOOTSTRAP_TOKEN;
  try {
    return fsSync.readFileSync(path.join(env.DATA_DIR, 'bootstrap-token'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

const authHeaders = (): Record<string, string> => {
  const token = apiToken();
  return token ? { authorization: `Bearer ${token}` } : {};
};

/** A password from the terminal without echo, or the first line of standard input when piped. */
export async function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  }
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const output = rl as unknown as { _writeToOutput: (text: string) => void };
  process.stdout.write(prompt);
  output._writeToOutput = () => undefined;
  const answer = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stdout.write('\n');
  return answer;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly details: string[] = [],
    /** The HTTP status, when the server answered. */
    readonly status?: number,
  ) {
    super(message);
  }
}

function apiBase(): string {
  const env = cliEnv.parse(process.env);
  return env.METAS_API_URL ?? `http://localhost:${env.PORT}`;
}

/** One request to the app's API with the saved credentials; errors become the server's Spanish message. */
export async function call(apiPath: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer | FormData } = {}): Promise<Response> {
  const base = apiBase();
  let response: Response;
  try {
    response = await fetch(`${base}${apiPath}`, { ...init, headers: { ...authHeaders(), ...init.headers } });
  } catch {
    throw new ApiError(`No hay conexión con la aplicación en ${base}. ¿Está corriendo "npm start"? (o defina METAS_API_URL)`);
  }
  if (!response.ok) {
    const data = (await response.json().catch(() => null)) as { error?: { message: string; details?: string[] } } | null;
    throw new ApiError(data?.error?.message ?? `Error HTTP ${response.status}`, data?.error?.details ?? [], response.status);
  }
  return response;
}

export async function api<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  apiPath: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; data: T }> {
  const response = await call(apiPath, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, data: (await response.json()) as T };
}

/** Downloads a file from the API and writes it (default: the server's file name in the current folder). */
export async function download(apiPath: string, out?: string): Promise<string> {
  const response = await call(apiPath);
  const disposition = response.headers.get('content-disposition') ?? '';
  const fileName = out ?? /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? 'exportacion.bin';
  await writeFile(fileName, Buffer.from(await response.arrayBuffer()));
  return fileName;
}

export const integer = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`${name} debe ser un número entero`);
  return n;
};

/** A yes/no question on the terminal (only asked when there is one). */
export async function confirm(question: string): Promise<boolean> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  const answer = await new Promise<string>((resolve) => rl.question(question, resolve));
  rl.close();
  return /^(s|si|sí|y|yes)$/i.test(answer.trim());
}

/** Columns padded to their widest cell; the first `leftColumns` (1) are text, the rest numbers (right-aligned). */
export function printTable(headers: string[], rows: string[][], { leftColumns = 1 }: { leftColumns?: number } = {}) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < leftColumns ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  console.log(line(headers));
  for (const row of rows) console.log(line(row));
}
