/**
 * `npm run metas -- …`: the administrators' command line. It talks to the running application's
 * API (the embedded database belongs to one process), so `npm start` must be running, or
 * METAS_API_URL must point at a deployed instance.
 */
import fsSync from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path, { basename } from 'node:path';
import readline from 'node:readline';
import { Command, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { goalStatuses, goalStatusLabels, type GoalStatus } from '../domain/goals';
import { goalStateLabels } from '../machines/goalStatus';
import type { CycleStatus } from '../services/cycles';
import type { GoalHistory } from '../services/goalHistory';
import type { QuarterReport } from '../reports';
import { reportStatusOrder, summarize, type Dashboard, type StatusBreakdown } from '../reports/dashboard';
import { formatShare } from '../domain/format';
import { registerOperationCommands } from './cli/operations';
import { registerDepartmentCommands } from './cli/departments';
import { UNCONFIRMED_DEPARTMENTS } from '../imports/departmentCodes';
import { describeCorrection, describeMunicipality, describeProgrammingChange, plural, type CorrectionRow, type ProgrammingChangeRow } from './cli/importSummary';
import type { MunicipalityReport } from '../services/municipality';

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
const tokenFile = () => path.join(cliEnv.parse(process.env).XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'metas-pdm', 'token');

function savedToken(): string | undefined {
  try {
    return fsSync.readFileSync(tokenFile(), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function apiToken(): string | undefined {
  return cliEnv.parse(process.env).METAS_API_TOKEN ?? savedToken();
}

/** The installation code: --bootstrap-token, METAS_BOOTSTRAP_TOKEN, or the file `npm start` left in DATA_DIR. */
function bootstrapToken(option?: string): string | undefined {
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
async function readPassword(prompt: string): Promise<string> {
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

class ApiError extends Error {
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
async function call(apiPath: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Response> {
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

async function api<T>(
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
async function download(apiPath: string, out?: string): Promise<string> {
  const response = await call(apiPath);
  const disposition = response.headers.get('content-disposition') ?? '';
  const fileName = out ?? /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? 'exportacion.bin';
  await writeFile(fileName, Buffer.from(await response.arrayBuffer()));
  return fileName;
}

const integer = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`${name} debe ser un número entero`);
  return n;
};

function printStatus(status: CycleStatus) {
  const { cycle } = status;
  console.log(`Ciclo ${status.workflowId} — vigencia ${cycle.fiscalYear}, T${cycle.quarter} — fase: ${cycle.phase} (${status.execution})`);
  const totals = Object.entries(cycle.totals)
    .map(([s, n]) => `${goalStatusLabels[s as keyof typeof goalStatusLabels]}: ${n}`)
    .join(' · ');
  console.log(`Metas: ${totals || 'sin clasificar aún'}`);
  for (const review of status.reviews) {
    console.log(`\n${review.department.name} (${review.department.code}) — ${review.workflowId}`);
    console.log(`  Estado: ${goalStateLabels[review.state]} (${review.state})${review.deadline ? ` · plazo ${review.deadline}` : ''}`);
    for (const goal of review.goals) {
      const status = goal.status ? goalStatusLabels[goal.status] : '—';
      console.log(`  - ${goal.goalCode} ${goal.name}: ${goalStateLabels[goal.state]} (${goal.state}) · clasificación ${status}`);
    }
  }
}

const program = new Command('metas').description('Metas PDM: revisión trimestral de metas de producto (PE-P-008)');
const cycle = program.command('cycle').description('ciclos de revisión trimestral');

cycle
  .command('start')
  .description('inicia (o retoma) el ciclo de revisión de un trimestre')
  .requiredOption('--year <year>', 'vigencia, p. ej. 2026', integer('--year'))
  .requiredOption('--quarter <quarter>', 'trimestre 1 a 4', integer('--quarter'))
  .option('--window <window>', 'plazo de respuesta: 10d (días hábiles), 48h, 2m, 30s')
  .option('--reminders <list>', 'recordatorios antes del plazo: 5,1 (días hábiles) o p. ej. 20s en simulacros')
  .option('--json', 'salida JSON')
  .action(async (opts: { year: number; quarter: number; window?: string; reminders?: string; json?: boolean }) => {
    const { data } = await api<{ workflowId: string; created: boolean }>('POST', '/api/cycles', {
      fiscalYear: opts.year,
      quarter: opts.quarter,
      window: opts.window,
      reminders: opts.reminders,
    });
    if (opts.json) console.log(JSON.stringify(data));
    else console.log(data.created ? `Ciclo iniciado: ${data.workflowId}` : `El ciclo ya existía: ${data.workflowId} (no se creó otro)`);
  });

cycle
  .command('status <workflowId>')
  .description('estado de cada dependencia y de cada meta del ciclo')
  .option('--json', 'salida JSON')
  .action(async (workflowId: string, opts: { json?: boolean }) => {
    const { data } = await api<CycleStatus>('GET', `/api/cycles/${encodeURIComponent(workflowId)}`);
    if (opts.json) console.log(JSON.stringify(data, null, 2));
    else printStatus(data);
  });

/** `--map "Encabezado=campo"` (repeatable): checked here for its form; the server checks the field and lists the valid ones. */
const mapArgument = z.string().refine((v) => {
  const at = v.lastIndexOf('=');
  return at > 0 && v.slice(0, at).trim() !== '' && v.slice(at + 1).trim() !== '';
});
function collectMap(value: string, previous: string[] = []): string[] {
  if (!mapArgument.safeParse(value).success) {
    throw new InvalidArgumentError('use la forma "Encabezado=campo", p. ej. --map "Avance ejecutado T3=Ejecutado" (campo "No importar" para omitir la columna)');
  }
  return [...previous, value];
}
const mapQuery = (map: string[] | undefined) => (map ?? []).map((m) => `&map=${encodeURIComponent(m)}`).join('');

interface ColumnsSummary {
  unmapped: string[];
  applied: { source: 'given' | 'saved'; savedAt: string | null; entries: { header: string; label: string }[] } | null;
}

/** The mapping applied and the columns that were not imported. */
function printColumns(columns: ColumnsSummary | undefined, dryRun: boolean | undefined) {
  if (!columns) return;
  if (columns.applied) {
    const entries = columns.applied.entries.map((e) => `"${e.header}" → ${e.label}`).join(', ');
    console.log(
      columns.applied.source === 'saved'
        ? `Se aplicó el mapeo de columnas guardado el ${columns.applied.savedAt?.slice(0, 10) ?? '—'}: ${entries}.`
        : `Mapeo de columnas aplicado: ${entries}${dryRun ? ' (se guardará al importar)' : ' (guardado para los próximos archivos con estos encabezados)'}.`,
    );
  }
}

async function upload(apiPath: string, file: string): Promise<unknown> {
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch {
    throw new ApiError(`No se pudo leer el archivo ${file}`);
  }
  const response = await call(`${apiPath}${apiPath.includes('?') ? '&' : '?'}fileName=${encodeURIComponent(basename(file))}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: content,
  });
  return response.json();
}

/** A summary line per kind of change; long lists are cut (the --json output has them whole). */
const list = (label: string, items: unknown[]) => {
  if (!items.length) return;
  const shown = items.slice(0, 15).map((i) => (typeof i === 'string' ? i : JSON.stringify(i)));
  const more = items.length > shown.length ? ` … y ${items.length - shown.length} más (use --json)` : '';
  console.log(`  ${label} (${items.length}): ${shown.join(', ')}${more}`);
};

/** How the file was read and its columns that are not imported: printed even when nothing changes. */
function printFileFacts(response: object) {
  const summary = response as { reading?: { description: string }; unimportedColumns?: { column: string; header: string; suggestion?: string }[] };
  if (summary.reading) console.log(`Archivo leído: ${summary.reading.description}.`);
  const columns = summary.unimportedColumns ?? [];
  if (!columns.length) return;
  console.log(`Columnas que no se importarán (${columns.length}):`);
  for (const c of columns) {
    console.log(`  Columna ${c.column} ${c.header ? `("${c.header}")` : '(sin encabezado, con datos)'}: no se importará${c.suggestion ? `; ¿es la columna "${c.suggestion}"?` : ''}`);
  }
  console.log('  Asígnelas a un campo con --map "Encabezado=campo" (se guarda para los próximos archivos).');
}

const plan = program.command('plan').description('Plan Indicativo');
const collect = (value: string, previous: string[]) => [...previous, value];

/** A yes/no question on the terminal (only asked when there is one). */
async function confirm(question: string): Promise<boolean> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  const answer = await new Promise<string>((resolve) => rl.question(question, resolve));
  rl.close();
  return /^(s|si|sí|y|yes)$/i.test(answer.trim());
}

plan
  .command('import <file>')
  .description('importa un Plan Indicativo (XLSX o CSV); todo o nada')
  .option('--dry-run', 'solo la vista previa: qué cambiaría, sin importar nada')
  .option('--yes', 'confirma la creación de las dependencias nuevas que nombra el plan (para scripts, sin preguntar)')
  .option('--department-code <nombre=código>', 'código para una dependencia nueva, p. ej. "Secretaría de Cultura=SCUL" (repetible)', collect, [])
  .option('--map <Encabezado=campo>', 'asigna una columna del archivo a un campo (repetible); se guarda para los próximos archivos', collectMap)
  .option('--json', 'salida JSON')
  .action(async (file: string, opts: { json?: boolean; dryRun?: boolean; yes?: boolean; departmentCode: string[]; map?: string[] }) => {
    const choices = opts.departmentCode.map((pair) => `&departmentCode=${encodeURIComponent(pair)}`).join('') + mapQuery(opts.map);
    const importPlan = async (confirmed: boolean) =>
      (await upload(
        opts.dryRun ? `/api/imports/preview?kind=indicativePlan${choices}` : `/api/imports/indicative-plan?kind=indicativePlan&confirmNewDepartments=${confirmed ? 1 : 0}${choices}`,
        file,
      )) as Record<string, unknown[]> & {
        unchanged: boolean;
        importId: number | null;
        departmentsFromPlan?: { code: string; name: string; goals: number }[];
        columns?: ColumnsSummary;
        municipality?: MunicipalityReport;
      };
    let summary: Awaited<ReturnType<typeof importPlan>>;
    try {
      summary = await importPlan(Boolean(opts.yes));
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 409 && error.message.startsWith(UNCONFIRMED_DEPARTMENTS))) throw error;
      // Nothing was imported: the plan names departments that would be created.
      const how = 'Ejecute de nuevo con --yes para crearlas (elija otros códigos con --department-code "Nombre=CÓDIGO"), o regístrelas antes con «metas department add».';
      if (!process.stdin.isTTY || !process.stdout.isTTY || opts.json) throw new ApiError(`${error.message.split(';')[0]}; no se importó nada. ${how}`, error.details, error.status);
      console.log(`${error.message.split(';')[0]}:`);
      for (const detail of error.details) console.log(`  - ${detail}`);
      if (!(await confirm(`¿Crear estas ${error.details.length} dependencias e importar el plan? [s/N] `))) return console.log('No se importó nada.');
      summary = await importPlan(true);
    }
    if (opts.json) return console.log(JSON.stringify(summary, null, 2));
    printFileFacts(summary);
    if (summary.municipality) console.log(describeMunicipality(summary.municipality, !opts.dryRun));
    printColumns(summary.columns, opts.dryRun);
    if (summary.unchanged) return console.log(opts.dryRun ? 'Vista previa: sin cambios, el plan ya está importado así.' : 'Sin cambios: el plan ya estaba importado así.');
    console.log(opts.dryRun ? 'Vista previa (no se importó nada); al importar el archivo:' : `Plan importado (versión ${summary.importId}).`);
    list('Metas nuevas', summary.goalsAdded ?? []);
    list('Metas retiradas', summary.goalsRemoved ?? []);
    list('Metas reactivadas', summary.goalsReactivated ?? []);
    list('Metas con datos cambiados', summary.goalsChanged ?? []);
    list('Programación cambiada', ((summary.programmingChanged ?? []) as ProgrammingChangeRow[]).map(describeProgrammingChange));
    const fromPlan = summary.departmentsFromPlan ?? [];
    list('Dependencias nuevas', fromPlan.map((d) => `${d.name} (${d.code})`));
    if (opts.dryRun && fromPlan.length) console.log('  Se crearán al importar con --yes; otro código con --department-code "Nombre=CÓDIGO".');
    const fromPlanCodes = new Set(fromPlan.map((d) => d.code));
    list('Dependencias nuevas de la hoja Dependencias', ((summary.departmentsAdded ?? []) as string[]).filter((c) => !fromPlanCodes.has(c)));
    list('Dependencias actualizadas', summary.departmentsChanged ?? []);
  });

plan
  .command('thresholds')
  .description('muestra o cambia los umbrales de clasificación del plan')
  .option('--behind <percent>', 'por debajo de este % de lo esperado la meta está atrasada', Number)
  .option('--overachieved <percent>', 'por encima de este % de lo programado en el año la meta está sobrecumplida', Number)
  .action(async (opts: { behind?: number; overachieved?: number }) => {
    const current = (await api<{ behindBelowPercent: number; overachievedAbovePercent: number }>('GET', '/api/plan/thresholds')).data;
    const next =
      opts.behind === undefined && opts.overachieved === undefined
        ? current
        : (
            await api<typeof current>('PUT', '/api/plan/thresholds', {
              behindBelowPercent: opts.behind ?? current.behindBelowPercent,
              overachievedAbovePercent: opts.overachieved ?? current.overachievedAbovePercent,
            })
          ).data;
    console.log(`Atrasada por debajo del ${next.behindBelowPercent} % de lo esperado; sobrecumplida por encima del ${next.overachievedAbovePercent} % de lo programado.`);
  });

const progress = program.command('progress').description('Hoja de Captura (avance)');
progress
  .command('import <file>')
  .description('importa una Hoja de Captura (XLSX o CSV); todo o nada')
  .option('--dry-run', 'solo la vista previa: qué cambiaría, sin importar nada')
  .option('--map <Encabezado=campo>', 'asigna una columna del archivo a un campo (repetible); se guarda para los próximos archivos', collectMap)
  .option('--json', 'salida JSON')
  .action(async (file: string, opts: { json?: boolean; dryRun?: boolean; map?: string[] }) => {
    const summary = (await upload(`${opts.dryRun ? '/api/imports/preview?kind=progressReport' : '/api/imports/progress-report?kind=progressReport'}${mapQuery(opts.map)}`, file)) as Record<string, unknown> & {
      unchanged: boolean;
      importId: number | null;
      corrections: unknown[];
      columns?: ColumnsSummary;
    };
    if (opts.json) return console.log(JSON.stringify(summary, null, 2));
    printFileFacts(summary);
    printColumns(summary.columns, opts.dryRun);
    if (summary.unchanged) return console.log(opts.dryRun ? 'Vista previa: sin cambios, el avance ya está importado así.' : 'Sin cambios: el avance ya estaba importado así.');
    const counts = `${plural(Number(summary.progressVersionsCreated), 'registro nuevo', 'registros nuevos')}, ${plural(Number(summary.programmingVersionsCreated), 'versión de programación', 'versiones de programación')}`;
    console.log(opts.dryRun ? `Vista previa (no se importó nada); al importar el archivo: ${counts}.` : `Avance importado (versión ${summary.importId}): ${counts}.`);
    list('Correcciones de trimestres anteriores', ((summary.corrections ?? []) as CorrectionRow[]).map(describeCorrection));
  });

const dashboard = program.command('dashboard').description('tablero de control (PE_F_024)');
dashboard
  .command('export')
  .description('exporta el tablero de control en XLSX o la presentación trimestral en PPTX')
  .requiredOption('--year <year>', 'vigencia', integer('--year'))
  .requiredOption('--quarter <quarter>', 'trimestre 1 a 4', integer('--quarter'))
  .option('--format <format>', 'xlsx o pptx', 'xlsx')
  .option('--out <file>', 'archivo de salida')
  .action(async (opts: { year: number; quarter: number; format: string; out?: string }) => {
    const file = await download(`/api/dashboard?year=${opts.year}&quarter=${opts.quarter}&format=${encodeURIComponent(opts.format)}`, opts.out);
    console.log(`Archivo escrito: ${file}`);
  });

const goalStatusArg = (value: string): GoalStatus => {
  if (!(goalStatuses as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`use uno de: ${goalStatuses.map((s) => `${s} (${goalStatusLabels[s]})`).join(', ')}`);
  }
  return value as GoalStatus;
};

/** Columns padded to their widest cell; the first `leftColumns` (1) are text, the rest numbers (right-aligned). */
function printTable(headers: string[], rows: string[][], { leftColumns = 1 }: { leftColumns?: number } = {}) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < leftColumns ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  console.log(line(headers));
  for (const row of rows) console.log(line(row));
}

const countAndShare = (b: StatusBreakdown, status: GoalStatus) =>
  status === 'notEvaluated' || b.shares[status] === null ? String(b.counts[status]) : `${b.counts[status]} (${formatShare(b.shares[status])})`;

function printDashboard(summary: Dashboard) {
  const { plan } = summary;
  console.log(`\nSemáforo: ${plan.total} metas, ${plan.evaluated} evaluadas (los % son sobre las evaluadas)`);
  printTable(
    ['Estado', 'Metas', '% evaluadas'],
    [
      ...reportStatusOrder.map((s) => [goalStatusLabels[s], String(plan.counts[s]), s === 'notEvaluated' ? 'no cuenta' : formatShare(plan.shares[s])]),
      ['Rezagadas (no iniciadas y atrasadas)', String(plan.lagging), formatShare(plan.laggingShare)],
    ],
  );
  const groups = (title: string, heading: string, list: Dashboard['byDepartment']) => {
    console.log(`\n${title}:`);
    printTable(
      [heading, 'Metas', ...reportStatusOrder.map((s) => goalStatusLabels[s]), 'Rezagadas'],
      list.map((g) => [g.label, String(g.total), ...reportStatusOrder.map((s) => countAndShare(g, s)), `${g.lagging} (${formatShare(g.laggingShare)})`]),
    );
  };
  groups('Por dependencia', 'Dependencia', summary.byDepartment);
  groups('Por línea estratégica', 'Línea estratégica', summary.byLine);
}

dashboard
  .command('show')
  .description('muestra el semáforo del tablero de control: todo el plan, por dependencia y por línea estratégica')
  .requiredOption('--year <year>', 'vigencia', integer('--year'))
  .requiredOption('--quarter <quarter>', 'trimestre 1 a 4', integer('--quarter'))
  .option('--department <code>', 'solo las metas de una dependencia (código)')
  .option('--line <line>', 'solo las metas de una línea estratégica (nombre exacto)')
  .option('--status <status>', `solo las metas en un estado: ${goalStatuses.join(', ')}`, goalStatusArg)
  .option('--json', 'salida JSON')
  .action(async (opts: { year: number; quarter: number; department?: string; line?: string; status?: GoalStatus; json?: boolean }) => {
    const { data } = await api<QuarterReport>('GET', `/api/dashboard?year=${opts.year}&quarter=${opts.quarter}`);
    if (opts.department && !data.departments.some((d) => d.code === opts.department)) {
      throw new ApiError(`La dependencia ${opts.department} no tiene metas en el tablero de ${opts.year}-T${opts.quarter}`, [
        `Dependencias del tablero: ${data.departments.map((d) => d.code).join(', ')}`,
      ]);
    }
    if (opts.line && !data.goals.some((g) => g.strategicLine === opts.line)) {
      throw new ApiError(`La línea estratégica «${opts.line}» no tiene metas en el tablero de ${opts.year}-T${opts.quarter}`, [
        `Líneas del tablero: ${[...new Set(data.goals.map((g) => g.strategicLine))].join(' | ')}`,
      ]);
    }
    const goals = data.goals.filter(
      (g) =>
        (!opts.department || g.departmentCode === opts.department) &&
        (!opts.line || g.strategicLine === opts.line) &&
        (!opts.status || g.status === opts.status),
    );
    const summary = summarize(goals);
    const filters = { department: opts.department ?? null, line: opts.line ?? null, status: opts.status ?? null };
    if (opts.json) {
      const { fiscalYear, quarter, source, cycleWorkflowId, classifiedAt } = data;
      return console.log(JSON.stringify({ fiscalYear, quarter, source, cycleWorkflowId, classifiedAt, filters, goalCount: goals.length, summary }, null, 2));
    }
    const origin = data.source === 'cycle' ? `clasificación guardada por el ciclo ${data.cycleWorkflowId}` : 'clasificación con los datos actuales (sin ciclo)';
    console.log(`Tablero de control ${data.fiscalYear}-T${data.quarter} — ${origin}`);
    const chosen = [
      opts.department ? `dependencia ${opts.department}` : '',
      opts.line ? `línea «${opts.line}»` : '',
      opts.status ? `estado ${goalStatusLabels[opts.status]}` : '',
    ].filter(Boolean);
    if (chosen.length) console.log(`Filtros: ${chosen.join(' · ')} (${goals.length} de ${data.goals.length} metas)`);
    printDashboard(summary);
  });

const matrix = program.command('matrix').description('matrices de metas rezagadas');
matrix
  .command('export <kind>')
  .description('exporta una matriz: quarterly (del trimestre), cumulative (acumuladas, T3) o justification (con justificación)')
  .requiredOption('--year <year>', 'vigencia', integer('--year'))
  .requiredOption('--quarter <quarter>', 'trimestre 1 a 4', integer('--quarter'))
  .option('--department <code>', 'solo una dependencia')
  .option('--out <file>', 'archivo de salida')
  .action(async (kind: string, opts: { year: number; quarter: number; department?: string; out?: string }) => {
    const department = opts.department ? `&department=${encodeURIComponent(opts.department)}` : '';
    const file = await download(`/api/matrices/${encodeURIComponent(kind)}?year=${opts.year}&quarter=${opts.quarter}${department}`, opts.out);
    console.log(`Archivo escrito: ${file}`);
  });

const outbox = program.command('outbox').description('correos enviados o en la bandeja de salida');
outbox
  .command('list')
  .description('lista los correos (los más recientes primero)')
  .option('--limit <n>', 'cuántos', '20')
  .option('--json', 'salida JSON')
  .action(async (opts: { limit: string; json?: boolean }) => {
    const { data } = await api<{ total: number; items: { id: number; to: string[]; subject: string; status: string; createdAt: string }[] }>(
      'GET',
      `/api/outbox?limit=${encodeURIComponent(opts.limit)}`,
    );
    if (opts.json) return console.log(JSON.stringify(data, null, 2));
    console.log(`${data.total} correos`);
    for (const m of data.items) console.log(`  #${m.id} ${m.createdAt} [${m.status}] ${m.to.join(', ')} — ${m.subject}`);
  });

const user = program.command('user').description('cuentas de usuario');
user
  .command('create')
  .description('crea una cuenta; la primera debe ser de administrador y se crea desde el mismo servidor')
  .requiredOption('--email <email>', 'correo de la cuenta')
  .requiredOption('--role <role>', 'admin, operator, coordinator, liaison o viewer')
  .option('--name <name>', 'nombre de la persona')
  .option('--department <code>', 'dependencia (obligatoria para enlaces)')
  .option('--bootstrap-token <code>', 'código de instalación que mostró «npm start» (solo para el primer administrador; en el servidor se lee de DATA_DIR/bootstrap-token)')
  .action(async (opts: { email: string; role: string; name?: string; department?: string; bootstrapToken?: string }) => {
    const password = await readPassword('Contraseña (mínimo 12 caracteres): ');
    // Only without a logged-in account: the code is how the first administrator is created.
    const code = apiToken() ? undefined : bootstrapToken(opts.bootstrapToken);
    const { data } = await api<{ id: number; email: string; role: string }>(
      'POST',
      '/api/users',
      { email: opts.email, name: opts.name ?? opts.email, role: opts.role, departmentCode: opts.department, password },
      code ? { 'x-bootstrap-token': code } : {},
    );
    console.log(`Cuenta creada: #${data.id} ${data.email} (${data.role}). Inicie sesión con: npm run metas -- login --email ${data.email}`);
  });

program
  .command('login')
  .description('obtiene un token de acceso para la línea de comandos y lo guarda para este usuario del sistema')
  .requiredOption('--email <email>', 'correo de la cuenta')
  .action(async (opts: { email: string }) => {
    const password = await readPassword('Contraseña: ');
    const { data } = await api<{ token: string }>('POST', '/api/auth/tokens', { email: opts.email, password, name: `línea de comandos (${os.hostname()})` });
    const file = tokenFile();
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, `${data.token}\n`, { mode: 0o600 });
    console.log(`Sesión iniciada; token guardado en ${file}`);
  });

program
  .command('logout')
  .description('revoca en el servidor el token guardado por login y lo borra de este equipo')
  .option('--local', 'solo borra el archivo (si el servidor no está disponible); el token sigue vigente hasta que venza o se revoque')
  .action(async (opts: { local?: boolean }) => {
    const file = tokenFile();
    const token = savedToken();
    if (!token) return console.log(`No hay token guardado en ${file}.`);
    if (!opts.local) {
      try {
        const { data } = await api<{ id: number }>('DELETE', '/api/auth/tokens/current', undefined, { authorization: `Bearer ${token}` });
        console.log(`Token #${data.id} revocado en el servidor.`);
      } catch (error) {
        // A token the server no longer accepts (revoked, expired) only needs deleting here.
        if (!(error instanceof ApiError && error.status === 401)) {
          throw new ApiError(`${error instanceof Error ? error.message : String(error)} El token no se borró: intente de nuevo, o use «logout --local» y revóquelo después en /cuenta/tokens.`);
        }
        console.log('El servidor ya no aceptaba este token (vencido o revocado).');
      }
    }
    await rm(file, { force: true });
    console.log(`Token eliminado de ${file}.`);
  });

interface TokenRow {
  id: number;
  name: string;
  userEmail: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  state: 'active' | 'expired' | 'revoked';
}
const tokenStateLabels: Record<TokenRow['state'], string> = { active: 'vigente', expired: 'vencido', revoked: 'revocado' };

const token = program.command('token').description('tokens de acceso de la API');
token
  .command('list')
  .description('sus tokens (con --all, los de todas las cuentas: administradores)')
  .option('--all', 'todas las cuentas')
  .option('--json', 'salida JSON')
  .action(async (opts: { all?: boolean; json?: boolean }) => {
    const { data } = await api<{ tokens: TokenRow[] }>('GET', `/api/auth/tokens${opts.all ? '?all=1' : ''}`);
    if (opts.json) return console.log(JSON.stringify(data.tokens, null, 2));
    if (!data.tokens.length) return console.log('No hay tokens.');
    printTable(
      ['#', ...(opts.all ? ['Cuenta'] : []), 'Nombre', 'Estado', 'Creado', 'Vence', 'Último uso (UTC)'],
      data.tokens.map((tk) => [
        String(tk.id),
        ...(opts.all ? [tk.userEmail] : []),
        tk.name,
        tokenStateLabels[tk.state],
        tk.createdAt.slice(0, 10),
        tk.expiresAt.slice(0, 10),
        tk.lastUsedAt ? tk.lastUsedAt.slice(0, 16).replace('T', ' ') : 'nunca',
      ]),
      { leftColumns: opts.all ? 7 : 6 },
    );
  });
token
  .command('revoke <id>')
  .description('revoca un token (los suyos; un administrador, cualquiera)')
  .action(async (id: string) => {
    const n = integer('id')(id);
    await api('DELETE', `/api/auth/tokens/${n}`);
    console.log(`Token #${n} revocado.`);
  });

const goal = program.command('goal').description('metas de producto');
goal
  .command('history <goalCode>')
  .description('historia completa de una meta: versiones de programación, avance, estado por trimestre y revisiones')
  .option('--json', 'salida JSON')
  .action(async (goalCode: string, opts: { json?: boolean }) => {
    const { data } = await api<GoalHistory>('GET', `/api/goals/${encodeURIComponent(goalCode)}/history`);
    if (opts.json) return console.log(JSON.stringify(data, null, 2));
    console.log(`${data.goal.code} — ${data.goal.name} (${data.goal.departmentName})`);
    console.log(`Meta cuatrienio: ${data.goal.termTarget} ${data.goal.unit} · ${data.goal.active ? 'activa' : 'retirada del plan'}`);
    console.log('\nProgramación:');
    for (const v of data.programming) {
      const by = v.reprogramming ? ` · reprogramada en ${v.reprogramming.reviewWorkflowId}, aprobó ${v.reprogramming.approvedBy}` : '';
      console.log(`  ${v.fiscalYear} v${v.version}: ${v.annualTarget ?? '—'} [${(v.quarterlyTargets ?? []).join(', ')}] — ${v.reason}${by}`);
    }
    console.log('\nAvance:');
    for (const p of data.progress) console.log(`  ${p.fiscalYear} T${p.quarter} v${p.version}: ${p.executed}${p.evidence ? ` · ${p.evidence}` : ''}`);
    console.log('\nEstado por trimestre:');
    for (const s of data.statuses) console.log(`  ${s.fiscalYear} T${s.quarter}: ${s.status ? goalStatusLabels[s.status] : '—'}`);
    console.log('\nRevisiones:');
    for (const r of data.reviews) {
      console.log(`  ${r.reviewWorkflowId}: ${r.states.map((x) => x.state).join(' → ')}${r.outcome ? ` (${r.outcome})` : ''}`);
    }
  });

registerOperationCommands(program, api);
registerDepartmentCommands(program, api);

program.parseAsync(process.argv).catch((error) => {
  if (error instanceof ApiError) {
    console.error(`Error: ${error.message}`);
    for (const detail of error.details) console.error(`  - ${detail}`);
  } else {
    console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
});
