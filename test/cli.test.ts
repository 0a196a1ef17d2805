import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { promisify } from 'node:util';
import { Worker } from '@temporalio/worker';
import { createApiToken, createUser } from '../auth';
import { createHarness, createTestApp, eventually, reviewIn, type Harness } from './support/harness';

const run = promisify(execFile);
const tsx = path.join(__dirname, '..', 'node_modules', '.bin', 'tsx');
const cli = path.join(__dirname, '..', 'scripts', 'metas.ts');

/** The administrators' command line against a running app, as an administrator would use it. */
describe('metas CLI: the operations of the pages, with --json', () => {
  let h: Harness;
  let server: Server;
  let env: NodeJS.ProcessEnv;
  const metas = async (...args: string[]) => (await run(tsx, [cli, ...args], { env, timeout: 60_000 })).stdout;

  beforeAll(async () => {
    h = await createHarness({ defaultWindow: '10m' });
    const { app } = await createTestApp(h);
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const admin = await createUser(h.database.db, { email: `cli-${h.fiscalYear}@pruebas.gov.co`, name: 'Administradora CLI', role: 'admin', password: 'una clave de pruebas suficientemente larga' });
    const { token } = await createApiToken(h.database.db, { userId: admin.id, name: 'cli' });
    env = { ...process.env, METAS_API_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, METAS_API_TOKEN: token, XDG_CONFIG_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'metas-cli-')) };
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await h.close();
  });

  it('previews, starts, monitors, cancels, searches and reads the history and audit of a cycle', async () => {
    const year = h.fiscalYear;
    const preview = JSON.parse(await metas('cycle', 'preview', '--year', String(year), '--quarter', '2', '--json'));
    expect(preview).toMatchObject({ fiscalYear: year, quarter: 2, existing: false });
    expect(preview.departments.length).toBeGreaterThan(0);
    expect(JSON.parse(await metas('cycle', 'start', '--year', String(year), '--quarter', '2', '--json'))).toEqual({ workflowId: `revision-${year}-T2`, created: true });

    const reviewId = `revision-${year}-T2-${preview.departments[0].code}`;
    await reviewIn(h, reviewId, 'awaitingResponse');
    const monitor = JSON.parse(await metas('cycle', 'monitor', `revision-${year}-T2`, '--json'));
    expect(monitor.reviews.map((r: { departmentCode: string }) => r.departmentCode).sort()).toEqual(preview.departments.map((d: { code: string }) => d.code).sort());

    const reason = 'Cancelada desde la línea de comandos por fusión de dependencias';
    const cancelled = JSON.parse(await metas('review', 'cancel', reviewId, '--reason', reason, '--json'));
    expect(cancelled).toMatchObject({ state: 'cancelled', cancellation: { reason, by: 'Administradora CLI' } });
    const refused = await metas('review', 'cancel', reviewId, '--reason', reason).catch((e: { stderr: string }) => e.stderr);
    expect(refused).toMatch(/Error: .*ya terminó/);

    const found = await eventually(async () => {
      const list = JSON.parse(await metas('workflow', 'search', '--year', String(year), '--state', 'cancelled', '--json')) as { workflowId: string }[];
      return list.some((w) => w.workflowId === reviewId) ? list : undefined;
    }, { what: 'the cancelled review through visibility' });
    expect(found.every((w) => w.workflowId.startsWith(`revision-${year}-T2`))).toBe(true);

    const file = path.join(env.XDG_CONFIG_HOME as string, 'history.json');
    const history = await eventually(async () => {
      const data = JSON.parse(await metas('workflow', 'history', reviewId, '--download', file, '--json'));
      return data.timeline.some((e: { kind: string }) => e.kind === 'reviewCompleted') ? data : undefined;
    }, { what: 'the finished history' });
    expect(history.timeline.map((e: { kind: string }) => e.kind)).toContain('reviewCancelled');
    // The downloaded history is the one replay accepts.
    await Worker.runReplayHistory({ workflowsPath: require.resolve('../workflows') }, JSON.parse(fs.readFileSync(file, 'utf8')), reviewId);

    const audit = JSON.parse(await metas('audit', 'list', '--subject', reviewId, '--action', 'review.cancelled', '--json'));
    expect(audit.total).toBe(1);
    expect(await metas('audit', 'list', '--subject', reviewId)).toMatch(/review\.cancelled/);
  });
  it('previews a municipal Hoja de Captura with --dry-run: how it was read and the column it will not import', async () => {
    const year = h.fiscalYear;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metas-cli-hoja-')), 'captura.csv');
    // Windows-1252 (the "ó" as one byte), title rows, then a ";" header.
    fs.writeFileSync(
      file,
      Buffer.from(`SEGUIMIENTO PLAN DE DESARROLLO\r\n\r\nCód. meta;Año;Trimestre;Avance ejecutado T1 ${year};Observaci\u00f3n\r\n2201001-01;${year};T1;1,5;Revisar acta\r\n`, 'latin1'),
    );
    const out = await metas('progress', 'import', file, '--dry-run');
    expect(out).toContain("Archivo leído: separador ';', codificación Windows-1252, encabezados en la fila 3.");
    expect(out).toContain('Columnas que no se importarán (1):\n  Columna E ("Observación"): no se importará');
    expect(out).toMatch(/Vista previa \(no se importó nada\); al importar el archivo: 1 registro nuevo, 0 versiones de programación/);
  });
});
