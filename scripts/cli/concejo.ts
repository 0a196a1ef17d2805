/** `metas concejo …`: registering Acuerdos del Concejo (número, fecha, PDF) and the meta cuatrienio they set. */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { formatNumber } from '../../domain/format';
import type { CouncilAgreement } from '../../services/councilAgreements';
import { api, ApiError, call, printTable } from './client';

interface RegisterOptions {
  number: string;
  date: string;
  pdf: string;
  goal: string;
  termTarget: string;
  json?: boolean;
}

export function registerCouncilCommands(program: Command) {
  const concejo = program.command('concejo').description('acuerdos del Concejo: cada uno fija una versión nueva de la meta cuatrienio de una meta');

  concejo
    .command('register')
    .description('registra un acuerdo del Concejo con su PDF firmado y la nueva meta cuatrienio de la meta')
    .requiredOption('--number <numero>', 'número del acuerdo, p. ej. 012')
    .requiredOption('--date <fecha>', 'fecha del acuerdo, AAAA-MM-DD')
    .requiredOption('--pdf <archivo>', 'el acuerdo firmado en PDF')
    .requiredOption('--goal <codigo>', 'código de la meta cuyo cuatrienio cambia, p. ej. 2402002-01')
    .requiredOption('--term-target <valor>', 'nueva meta cuatrienio, escrita como en Colombia: 19.000 o 123,5')
    .option('--json', 'salida JSON')
    .action(async (opts: RegisterOptions) => {
      let content: Buffer;
      try {
        content = await readFile(opts.pdf);
      } catch {
        throw new ApiError(`No se pudo leer el archivo ${opts.pdf}`);
      }
      const form = new FormData();
      form.set('number', opts.number);
      form.set('date', opts.date);
      form.set('goalCode', opts.goal);
      form.set('termTarget', opts.termTarget);
      form.set('pdf', new Blob([content], { type: 'application/pdf' }), basename(opts.pdf));
      const response = await call('/api/concejo-agreements', { method: 'POST', body: form });
      const agreement = (await response.json()) as CouncilAgreement;
      if (opts.json) return void console.log(JSON.stringify(agreement));
      console.log(`Se registró el ${agreement.label} (id ${agreement.id}).`);
      console.log(`Meta ${agreement.goalCode}: la meta cuatrienio pasa de ${formatNumber(agreement.previousTermTarget)} a ${formatNumber(agreement.termTarget)} (versión ${agreement.version}).`);
      console.log(`PDF guardado: ${agreement.fileName} (SHA-256 ${agreement.sha256}).`);
    });

  concejo
    .command('list')
    .description('lista los acuerdos del Concejo registrados')
    .option('--json', 'salida JSON')
    .action(async (opts: { json?: boolean }) => {
      const { data } = await api<{ agreements: CouncilAgreement[] }>('GET', '/api/concejo-agreements');
      if (opts.json) return void console.log(JSON.stringify(data.agreements, null, 2));
      if (!data.agreements.length) return void console.log('Todavía no hay acuerdos del Concejo registrados.');
      printTable(
        ['Acuerdo', 'Meta', 'Anterior', 'Nueva', 'Versión'],
        data.agreements.map((a) => [a.label, a.goalCode, formatNumber(a.previousTermTarget), formatNumber(a.termTarget), String(a.version)]),
        { leftColumns: 2 },
      );
    });
}
