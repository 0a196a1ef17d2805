/** `metas plan …` and `metas progress …`: importing the Plan Indicativo and the Hoja de Captura, the plan's thresholds. */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { UNCONFIRMED_DEPARTMENTS } from '../../imports/departmentCodes';
import type { MunicipalityReport } from '../../services/municipality';
import { api, ApiError, call, confirm } from './client';
import { describeCorrection, describeMunicipality, describeProgrammingChange, plural, type CorrectionRow, type ProgrammingChangeRow } from './importSummary';

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

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerImportCommands(program: Command) {
  const plan = program.command('plan').description('Plan Indicativo');

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
      const financing = summary.financing as { columns: string[]; goals: number; changed: boolean } | undefined;
      if (financing) console.log(`Plan de Acción (PE_F_012): recursos, BPIN y proyecto de ${financing.goals} metas (columnas: ${financing.columns.join(', ')})${financing.changed ? '' : ', sin cambios'}.`);
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
}
