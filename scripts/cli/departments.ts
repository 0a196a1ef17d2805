import type { Command } from 'commander';
import type { Department, DepartmentListItem, DepartmentVersion } from '../../services/departments';

type Api = <T>(method: 'GET' | 'POST' | 'PATCH', apiPath: string, body?: unknown) => Promise<{ status: number; data: T }>;

const person = (name: string | null, email: string | null, title?: string | null) => [name, title, email].filter(Boolean).join(' · ') || '—';

/** The fields `add` and `update` take; an empty value ("") clears an optional one. */
interface DepartmentOptions {
  name?: string;
  headName?: string;
  headTitle?: string;
  headEmail?: string;
  liaisonName?: string;
  liaisonEmail?: string;
  reason?: string;
  json?: boolean;
}

const withFields = (command: Command) =>
  command
    .option('--head-name <name>', 'líder de la dependencia: nombre')
    .option('--head-title <title>', 'líder: cargo (p. ej. Secretario de Educación)')
    .option('--head-email <email>', 'líder: correo')
    .option('--liaison-name <name>', 'enlace de la dependencia: nombre')
    .option('--liaison-email <email>', 'enlace: correo (recibe la alerta trimestral)')
    .option('--json', 'salida JSON');

const fieldsOf = (opts: DepartmentOptions) =>
  Object.fromEntries(
    (['name', 'headName', 'headTitle', 'headEmail', 'liaisonName', 'liaisonEmail', 'reason'] as const)
      .filter((k) => opts[k] !== undefined)
      .map((k) => [k, opts[k] === '' ? null : opts[k]]),
  );

function printDepartment(d: Department) {
  console.log(`${d.code} — ${d.name} (versión ${d.version})`);
  console.log(`  Líder: ${person(d.headName, d.headEmail, d.headTitle)}`);
  console.log(`  Enlace: ${person(d.liaisonName, d.liaisonEmail)}`);
}

/** `metas department list|show|add|update`: the departments registry over the API. */
export function registerDepartmentCommands(program: Command, api: Api) {
  const department = program.command('department').description('dependencias: código, nombre, líder y enlace (cada cambio es una versión nueva)');

  department
    .command('list')
    .description('lista las dependencias registradas')
    .option('--json', 'salida JSON')
    .action(async (opts: { json?: boolean }) => {
      const { data } = await api<{ departments: DepartmentListItem[] }>('GET', '/api/departments');
      if (opts.json) return console.log(JSON.stringify(data.departments, null, 2));
      if (!data.departments.length) return console.log('No hay dependencias registradas.');
      console.log(data.departments.length === 1 ? '1 dependencia' : `${data.departments.length} dependencias`);
      for (const d of data.departments) {
        console.log(`  ${d.code.padEnd(8)} ${d.name} — enlace: ${person(d.liaisonName, d.liaisonEmail)} · líder: ${person(d.headName, d.headEmail, d.headTitle)} · ${d.activeGoals} metas · v${d.version}`);
      }
    });

  department
    .command('show <code>')
    .description('una dependencia con sus versiones y las alertas que se le enviaron')
    .option('--json', 'salida JSON')
    .action(async (code: string, opts: { json?: boolean }) => {
      const { data } = await api<{ department: Department; versions: DepartmentVersion[]; alerts: { reviewWorkflowId: string; recipient: string | null; departmentVersion: number | null; sentAt: string }[] }>(
        'GET',
        `/api/departments/${encodeURIComponent(code)}`,
      );
      if (opts.json) return console.log(JSON.stringify(data, null, 2));
      printDepartment(data.department);
      if (data.versions.length) console.log('\nVersiones:');
      for (const v of data.versions) {
        console.log(`  v${v.version} ${v.createdAt} por ${v.changedBy}: ${v.name} · líder ${person(v.headName, v.headEmail, v.headTitle)} · enlace ${person(v.liaisonName, v.liaisonEmail)} — ${v.reason}`);
      }
      if (data.alerts.length) console.log('\nAlertas enviadas:');
      for (const a of data.alerts) console.log(`  ${a.reviewWorkflowId} ${a.sentAt} a ${a.recipient ?? 'sin correo'} (versión ${a.departmentVersion ?? '—'})`);
    });

  withFields(
    department
      .command('add <code>')
      .description('registra una dependencia')
      .requiredOption('--name <name>', 'nombre, p. ej. "Secretaría de Educación"'),
  ).action(async (code: string, opts: DepartmentOptions) => {
    const { data } = await api<Department>('POST', '/api/departments', { code, ...fieldsOf(opts) });
    if (opts.json) return console.log(JSON.stringify(data, null, 2));
    console.log('Dependencia registrada:');
    printDepartment(data);
  });

  withFields(
    department
      .command('update <code>')
      .description('cambia una dependencia (solo los campos indicados; "" borra uno opcional); queda como versión nueva')
      .option('--name <name>', 'nombre')
      .option('--reason <text>', 'motivo del cambio'),
  ).action(async (code: string, opts: DepartmentOptions) => {
    const fields = fieldsOf(opts);
    if (!Object.keys(fields).some((k) => k !== 'reason')) {
      throw new Error('Indique qué cambia: --name, --head-name, --head-title, --head-email, --liaison-name o --liaison-email');
    }
    const { data } = await api<{ department: Department; changed: boolean }>('PATCH', `/api/departments/${encodeURIComponent(code)}`, fields);
    if (opts.json) return console.log(JSON.stringify(data, null, 2));
    console.log(data.changed ? `Dependencia actualizada (versión ${data.department.version}):` : 'Sin cambios: la dependencia ya tenía esos datos.');
    printDepartment(data.department);
  });
}
