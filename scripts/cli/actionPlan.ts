/** `metas action-plan …`: the Plan de Acción (PE_F_012) of a vigencia, its versions and the XLSX of one. */
import type { Command } from 'commander';
import type { ActionPlanVersion } from '../../reports';
import { api, download, integer, printTable } from './client';

export function registerActionPlanCommands(program: Command) {
  const actionPlan = program.command('action-plan').description('Plan de Acción (PE_F_012): una versión por reprogramación aplicada');
  actionPlan
    .command('export')
    .description('escribe el Plan de Acción de una vigencia en XLSX (la última versión, o la indicada)')
    .requiredOption('--year <year>', 'vigencia, p. ej. 2026', integer('--year'))
    .option('--version <n>', 'versión (1 = el plan importado); por defecto la vigente', integer('--version'))
    .option('--department <code>', 'solo las metas de una dependencia (código)')
    .option('--out <file>', 'archivo de salida')
    .action(async (opts: { year: number; version?: number; department?: string; out?: string }) => {
      const query = new URLSearchParams({ year: String(opts.year) });
      if (opts.version !== undefined) query.set('version', String(opts.version));
      if (opts.department) query.set('department', opts.department);
      const file = await download(`/api/action-plan?${query.toString()}`, opts.out);
      console.log(`Archivo escrito: ${file}`);
    });
  actionPlan
    .command('versions')
    .description('lista las versiones del Plan de Acción de una vigencia')
    .requiredOption('--year <year>', 'vigencia', integer('--year'))
    .option('--json', 'salida JSON')
    .action(async (opts: { year: number; json?: boolean }) => {
      const { data } = await api<{ fiscalYear: number; versions: (ActionPlanVersion & { url: string })[] }>('GET', `/api/action-plan/versions?year=${opts.year}`);
      if (opts.json) return console.log(JSON.stringify(data, null, 2));
      printTable(
        ['Versión', 'Fecha', 'Origen', 'Acta', 'Metas'],
        data.versions.map((v) => [String(v.version), v.createdAt ?? '—', v.reviewWorkflowId ?? 'Plan Indicativo importado', v.agreementRecordNumber ?? '—', String(v.goalCodes.length)]),
        { leftColumns: 4 },
      );
    });
}
