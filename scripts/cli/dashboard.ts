/** `metas dashboard …` and `metas matrix …`: the tablero de control on the terminal and the exported files. */
import { type Command, InvalidArgumentError } from 'commander';
import { formatShare } from '../../domain/format';
import { goalStatuses, goalStatusLabels, type GoalStatus } from '../../domain/goals';
import type { QuarterReport } from '../../reports';
import { reportStatusOrder, summarize, type Dashboard, type StatusBreakdown } from '../../reports/dashboard';
import { api, ApiError, download, integer, printTable } from './client';

const goalStatusArg = (value: string): GoalStatus => {
  if (!(goalStatuses as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`use uno de: ${goalStatuses.map((s) => `${s} (${goalStatusLabels[s]})`).join(', ')}`);
  }
  return value as GoalStatus;
};

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

export function registerDashboardCommands(program: Command) {
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
}
