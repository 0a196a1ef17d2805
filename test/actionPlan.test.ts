import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { createActivities } from '../activities';
import { createApiToken, createUser } from '../auth';
import { ImportFailed, importIndicativePlan } from '../imports';
import { reprogrammingApproved } from '../mail';
import { renderJustificationAndCommitment } from '../documents';
import { pdfText } from './support/pdfText';
import { createHarness, createTestApp, type Harness, type TestApp } from './support/harness';
import { departmentsMatrix, fixtureDepartments, goal, planMatrix, xlsxOf, type Matrix } from './support/importFiles';

const run = promisify(execFile);
const tsx = path.join(__dirname, '..', 'node_modules', '.bin', 'tsx');
const cli = path.join(__dirname, '..', 'scripts', 'metas.ts');

/** Cells of a sheet as text/number, and the row whose cells hold the table's headers. */
async function readWorkbook(content: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(content as unknown as ArrayBuffer);
  const sheet = (name: string) => {
    const worksheet = workbook.getWorksheet(name);
    if (!worksheet) throw new Error(`no sheet ${name}`);
    const rows: unknown[][] = [];
    worksheet.eachRow({ includeEmpty: true }, (row, n) => {
      rows[n - 1] = (row.values as unknown[]).slice(1);
    });
    const headerIndex = rows.findIndex((r) => r?.includes('Código meta'));
    const headers = (rows[headerIndex] ?? []) as string[];
    const records = rows.slice(headerIndex + 1).map((r) => Object.fromEntries(headers.map((h, i) => [h, r?.[i] ?? null])));
    return { title: rows.slice(0, headerIndex).map((r) => (r ?? []).join(' ')).join('\n'), headers, records };
  };
  return { sheet };
}

const binary = (res: request.Response, callback: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
};

describe('Plan de Acción (PE_F_012): resources, BPIN and projects imported; one XLSX version per applied reprogramming', () => {
  let h: Harness;
  let test: TestApp;
  let year: number;
  const reviewId = () => `revision-${year}-T2-SEDU`;

  /** The fixture's plan with the Plan de Acción's columns, values written as Colombian offices write them. */
  const planWithFinancing = (edit?: (m: Matrix) => void, actionPlanSheet?: Matrix) => {
    const main = planMatrix([goal('PA-1', 'SEDU', [8, 10, 10, 12]), goal('PA-2', 'SSAL', [4, 4, 4, 4]), goal('PA-3', 'SEDU', [1, 1, 1, 1])], {
      years: [year, year + 1, year + 2, year + 3],
      edit: (m) => {
        m[0]!.push('BPIN', 'Código del proyecto', 'Nombre del proyecto', `SGP ${year}`, `Recursos propios ${year}`, `Cofinanciación ${year}`, `SGR ${year + 1}`);
        m[1]!.push('2024520010001', 'P-001', 'Mejoramiento de la permanencia escolar', '$ 19.000.000', '1.234.567,89', null, 5_000_000);
        m[2]!.push(2024520010002, 'P-002', 'Salud pública', '2.500.000', null, '$ 750.000', null);
        m[3]!.push(null, null, null, null, null, null, null);
        edit?.(m);
      },
    });
    return xlsxOf([
      { name: 'Plan Indicativo', rows: main },
      { name: 'Dependencias', rows: departmentsMatrix(fixtureDepartments) },
      ...(actionPlanSheet ? [{ name: 'Plan de Acción', rows: actionPlanSheet }] : []),
    ]);
  };

  beforeAll(async () => {
    h = await createHarness({ seed: async () => undefined });
    year = h.fiscalYear;
    test = await createTestApp(h);
    await importIndicativePlan(h.database.db, { fileName: 'plan-con-recursos.xlsx', content: await planWithFinancing(), importedBy: 'prueba' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('refuses bad amounts and BPIN naming row and column, and imports nothing', async () => {
    const bad = await planWithFinancing((m) => {
      m[1]![m[0]!.indexOf(`SGP ${year}`)] = 'diez millones';
      m[2]![m[0]!.indexOf(`Recursos propios ${year}`)] = '-5';
      m[3]![m[0]!.indexOf(`SGR ${year + 1}`)] = '5.000.000.000.000';
      m[3]![m[0]!.indexOf('BPIN')] = 'ABC-12';
    });
    const error = await importIndicativePlan(h.database.db, { fileName: 'malo.xlsx', content: bad, importedBy: 'prueba' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFailed);
    const details = (error as ImportFailed).details;
    expect(details).toContainEqual(expect.stringMatching(new RegExp(`^Fila 2, columna "SGP ${year}": debe ser un valor en pesos`)));
    expect(details).toContainEqual(expect.stringMatching(new RegExp(`^Fila 3, columna "Recursos propios ${year}": debe ser un valor en pesos entre 0 y 1\\.000\\.000\\.000\\.000`)));
    expect(details).toContainEqual(expect.stringMatching(new RegExp(`^Fila 4, columna "SGR ${year + 1}": debe ser un valor en pesos entre 0 y 1\\.000\\.000\\.000\\.000`)));
    expect(details).toContainEqual(expect.stringMatching(/^Fila 4, columna "BPIN": el BPIN debe tener solo dígitos/));
    // All or nothing: the financing in force is still the first file's.
    const v1 = await test.admin.get(`/api/action-plan?year=${year}&version=1`).buffer(true).parse(binary).expect(200);
    const plan = (await readWorkbook(v1.body as Buffer)).sheet('Plan de Acción');
    expect(plan.records.find((r) => r['Código meta'] === 'PA-1')?.[`SGP ${year} ($)`]).toBe(19_000_000);
  });

  it('exports version 1 with the header, the resources per source, BPIN and project read back from the cells', async () => {
    const res = await test.admin.get(`/api/action-plan?year=${year}`).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-disposition']).toContain(`PE_F_012-plan-de-accion-${year}-v1.xlsx`);
    const plan = (await readWorkbook(res.body as Buffer)).sheet('Plan de Acción');
    // The institutional header of the format table (documents/recordHeader.ts), then the plan's own lines.
    expect(plan.title).toContain('Plan de Acción · Código: PE_F_012 · Versión: 01 · Fecha de aprobación:');
    expect(plan.title).toContain('Procedimiento PE-P-008');
    expect(plan.title).toContain(`Vigencia ${year}`);
    expect(plan.title).toContain(`Plan de Acción ${year} — versión 1`);
    expect(plan.title).toContain('Versión del plan: 1 · Fecha de generación:');
    expect(plan.headers).toEqual(expect.arrayContaining([`SGP ${year} ($)`, `Recursos propios ${year} ($)`, `Cofinanciación ${year} ($)`, `Total recursos ${year} ($)`]));
    const pa1 = plan.records.find((r) => r['Código meta'] === 'PA-1')!;
    expect(pa1).toMatchObject({
      BPIN: '2024520010001',
      'Código proyecto': 'P-001',
      Proyecto: 'Mejoramiento de la permanencia escolar',
      [`SGP ${year} ($)`]: 19_000_000,
      [`Recursos propios ${year} ($)`]: 1_234_567.89,
      [`Total recursos ${year} ($)`]: 20_234_567.89,
      [`Programación ${year}`]: 8,
    });
    const pa2 = plan.records.find((r) => r['Código meta'] === 'PA-2')!;
    expect(pa2).toMatchObject({ BPIN: '2024520010002', [`SGP ${year} ($)`]: 2_500_000, [`Cofinanciación ${year} ($)`]: 750_000 });
    expect(plan.records.find((r) => r['Código meta'] === 'PA-3')).toMatchObject({ BPIN: null, [`Total recursos ${year} ($)`]: null });
    // The next year's SGR is in the next vigencia's plan.
    const next = await test.admin.get(`/api/action-plan?year=${year + 1}`).buffer(true).parse(binary).expect(200);
    expect((await readWorkbook(next.body as Buffer)).sheet('Plan de Acción').records.find((r) => r['Código meta'] === 'PA-1')?.[`SGR ${year + 1} ($)`]).toBe(5_000_000);
  });

  it('an applied reprogramming creates version 2, whose cells show before and after; version 1 stays as it was', async () => {
    const activities = createActivities({ db: h.database.db, timeZone: 'America/Bogota' });
    await activities.applyReprogramming({
      reviewWorkflowId: reviewId(),
      fiscalYear: year,
      quarter: 2,
      department: { code: 'SEDU', name: 'Secretaría de Educación', liaisonName: null, liaisonEmail: null },
      approvedBy: 'Coordinadora MMSE',
      goals: [
        {
          goalCode: 'PA-1',
          answer: { goalCode: 'PA-1', action: 'reprogram', justification: 'Retraso en la contratación del transporte escolar', commitment: 'Cumplir en el segundo semestre', newQuarterlyTargets: [1, 2, 3, 4] },
        },
      ],
    });
    const listing = await test.admin.get(`/api/action-plan/versions?year=${year}`).expect(200);
    expect(listing.body.versions).toHaveLength(2);
    expect(listing.body.versions[1]).toMatchObject({ version: 2, reviewWorkflowId: reviewId(), approvedBy: 'Coordinadora MMSE', goalCodes: ['PA-1'], url: `/api/action-plan?year=${year}&version=2` });

    const v2 = await test.admin.get(`/api/action-plan?year=${year}&version=2`).buffer(true).parse(binary).expect(200);
    const book = await readWorkbook(v2.body as Buffer);
    const plan = book.sheet('Plan de Acción');
    expect(plan.title).toContain(`Versión del plan: 2`);
    expect(plan.title).toContain(`Origen: reprogramación aplicada en ${reviewId()}`);
    expect(plan.records.find((r) => r['Código meta'] === 'PA-1')).toMatchObject({
      [`Programación ${year} versión 1 (antes)`]: 8,
      [`Programación ${year} versión 2 (después)`]: 10,
      [`T1 ${year}`]: 1,
      [`T4 ${year}`]: 4,
      'Reprogramada en esta versión': 'Sí',
    });
    expect(plan.records.find((r) => r['Código meta'] === 'PA-2')).toMatchObject({ 'Reprogramada en esta versión': 'No', [`Programación ${year} versión 2 (después)`]: 4 });
    const changes = book.sheet('Cambios').records;
    expect(changes.map((c) => [c['Código meta'], c['Período'], c['Antes'], c['Después']])).toEqual([
      ['PA-1', 'Anual', 8, 10],
      ['PA-1', 'T1', null, 1],
      ['PA-1', 'T2', null, 2],
      ['PA-1', 'T3', null, 3],
      ['PA-1', 'T4', null, 4],
    ]);
    expect(changes[0]).toMatchObject({ Revisión: reviewId(), 'Acta de acuerdo (consecutivo)': 'pendiente de emisión' });

    const v1 = await test.admin.get(`/api/action-plan?year=${year}&version=1`).buffer(true).parse(binary).expect(200);
    const before = (await readWorkbook(v1.body as Buffer)).sheet('Plan de Acción');
    expect(before.records.find((r) => r['Código meta'] === 'PA-1')?.[`Programación ${year}`]).toBe(8);
    expect((await readWorkbook(v1.body as Buffer)).sheet('Cambios').records).toEqual([]);

    const missing = await test.admin.get(`/api/action-plan?year=${year}&version=3`).expect(404);
    expect(missing.body.error.message).toBe(`El Plan de Acción ${year} no tiene la versión 3: tiene las versiones 1 a 2`);
  });

  it('API and page are role-checked: no session refused, a liaison reads only its own department', async () => {
    await request(test.app).get(`/api/action-plan?year=${year}`).expect(401);
    await request(test.app).get(`/api/action-plan/versions?year=${year}`).expect(401);
    const anonymousPage = await request(test.app).get(`/plan-de-accion?vigencia=${year}`).expect(303);
    expect(anonymousPage.headers.location).toMatch(/^\/login\?next=/);

    const health = await test.as('liaison', 'SSAL');
    const refused = await health.get(`/api/action-plan?year=${year}&department=SEDU`).expect(403);
    expect(refused.body.error.message).toBe('Como enlace de secretaría solo puede consultar la información de su propia secretaría.');
    await health.get(`/plan-de-accion?vigencia=${year}&dependencia=SEDU`).expect(403);
    const own = await health.get(`/api/action-plan?year=${year}`).buffer(true).parse(binary).expect(200);
    expect(own.headers['content-disposition']).toContain(`-v2-SSAL.xlsx`);
    const ownSheet = (await readWorkbook(own.body as Buffer)).sheet('Plan de Acción');
    expect(ownSheet.records.map((r) => r['Código meta'])).toEqual(['PA-2']);
    // Version 2 reprogrammed SEDU's goal: the liaison of SSAL reads neither its review nor its approver.
    expect(ownSheet.title).toContain('Origen: reprogramación de otra dependencia');
    expect(ownSheet.title).not.toContain(reviewId());
    // Versions are the vigencia's; another department's reprogrammed goals are not listed to a liaison.
    const theirs = await health.get(`/api/action-plan/versions?year=${year}`).expect(200);
    expect(theirs.body.versions[1]).toMatchObject({ version: 2, goalCodes: [], reviewWorkflowId: null, approvedBy: null, agreementRecordNumber: null, url: `/api/action-plan?year=${year}&version=2&department=SSAL` });
    const education = await test.as('liaison', 'SEDU');
    expect((await education.get(`/api/action-plan/versions?year=${year}`).expect(200)).body.versions[1]).toMatchObject({ departmentCode: 'SEDU', goalCodes: ['PA-1'] });

    const page = await test.admin.get(`/plan-de-accion?vigencia=${year}`).expect(200);
    expect(page.text).toContain(`Plan de Acción ${year} (PE_F_012)`);
    expect(page.text).toContain(`/api/action-plan?year=${year}&amp;version=2`);
    expect(page.text).toContain(`/api/action-plan?year=${year}&amp;version=1`);
    expect(page.text).toContain(`Reprogramación ${reviewId()}`);
    const bad = await test.admin.get(`/api/action-plan?year=dos-mil&version=0`).expect(400);
    expect(bad.body.error.details.join(' ')).toMatch(/vigencia/);
  });

  it('the CLI writes the file of a version', async () => {
    const server: Server = test.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const user = await createUser(h.database.db, { email: `cli-pa-${year}@pruebas.gov.co`, name: 'Operadora', role: 'operator', password: 'una clave de pruebas suficientemente larga' });
      const { token } = await createApiToken(h.database.db, { userId: user.id, name: 'cli' });
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metas-pa-'));
      const out = path.join(dir, 'plan.xlsx');
      const env = { ...process.env, METAS_API_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, METAS_API_TOKEN: token, XDG_CONFIG_HOME: dir };
      const { stdout } = await run(tsx, [cli, 'action-plan', 'export', '--year', String(year), '--version', '2', '--out', out], { env, timeout: 60_000 });
      expect(stdout).toContain(`Archivo escrito: ${out}`);
      const cells = (await readWorkbook(fs.readFileSync(out))).sheet('Cambios');
      expect(cells.records[0]).toMatchObject({ 'Código meta': 'PA-1', Antes: 8, Después: 10 });
      const refused = await run(tsx, [cli, 'action-plan', 'export', '--year', String(year), '--version', '9', '--out', out], { env, timeout: 60_000 }).catch((e: { stderr: string }) => e);
      expect((refused as { stderr: string }).stderr).toContain(`El Plan de Acción ${year} no tiene la versión 9`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('the optional "Plan de Acción" sheet adds activities and responsible and replaces the vigencia\'s resources; its errors name sheet, row and column', async () => {
    const header = ['Código meta', 'Vigencia', 'Actividades', 'Responsable', 'BPIN', 'SGP', 'Recursos propios'];
    const bad = await planWithFinancing(undefined, [header, ['PA-1', year, 'Transporte', 'Ana', null, '$ 1.000', null], ['NO-EXISTE', year, null, null, null, null, null], ['PA-2', year, null, null, null, 'mucho', null]]);
    const error = (await importIndicativePlan(h.database.db, { fileName: 'hoja-mala.xlsx', content: bad, importedBy: 'prueba' }).catch((e: unknown) => e)) as ImportFailed;
    expect(error).toBeInstanceOf(ImportFailed);
    expect(error.details).toContainEqual('Hoja "Plan de Acción", fila 3, columna "Código meta": la meta "NO-EXISTE" no está en la hoja del Plan Indicativo');
    expect(error.details).toContainEqual(expect.stringMatching(/^Hoja "Plan de Acción", fila 4, columna "SGP": debe ser un valor en pesos/));

    const good = await planWithFinancing(undefined, [
      header,
      ['PA-1', year, 'Contratar el transporte escolar rural', 'Ana Lucía Rosero', null, '$ 25.000.000', null],
      ['PA-2', year + 1, 'Jornadas de vacunación', null, null, null, '3.000.000'],
    ]);
    const summary = await importIndicativePlan(h.database.db, { fileName: 'plan-con-hoja.xlsx', content: good, importedBy: 'prueba' });
    expect(summary.financing).toMatchObject({ changed: true, goals: 3 });
    const res = await test.admin.get(`/api/action-plan?year=${year}`).buffer(true).parse(binary).expect(200);
    const pa1 = (await readWorkbook(res.body as Buffer)).sheet('Plan de Acción').records.find((r) => r['Código meta'] === 'PA-1');
    expect(pa1).toMatchObject({
      Actividades: 'Contratar el transporte escolar rural',
      Responsable: 'Ana Lucía Rosero',
      BPIN: '2024520010001',
      [`SGP ${year} ($)`]: 25_000_000,
      [`Total recursos ${year} ($)`]: 25_000_000,
    });
    const next = await test.admin.get(`/api/action-plan?year=${year + 1}`).buffer(true).parse(binary).expect(200);
    const pa2 = (await readWorkbook(next.body as Buffer)).sheet('Plan de Acción').records.find((r) => r['Código meta'] === 'PA-2');
    expect(pa2).toMatchObject({ Actividades: 'Jornadas de vacunación', [`Recursos propios ${year + 1} ($)`]: 3_000_000 });
    // The same file again changes nothing.
    expect((await importIndicativePlan(h.database.db, { fileName: 'plan-con-hoja.xlsx', content: good, importedBy: 'prueba' })).unchanged).toBe(true);
  });

  it('the agreement e-mail links to the Plan de Acción version the reprogramming created', () => {
    const url = `https://metas.pasto.gov.co/api/action-plan?year=${year}&version=2&department=SEDU`;
    const mail = reprogrammingApproved({
      municipality: 'Pasto',
      timeZone: 'America/Bogota',
      officeName: 'Oficina de Planeación',
      recordNumber: null,
      department: { code: 'SEDU', name: 'Secretaría de Educación', liaisonName: null },
      fiscalYear: year,
      quarter: 2,
      reference: reviewId(),
      approvedBy: 'Coordinadora MMSE',
      approvedAt: new Date().toISOString(),
      reprogrammed: [],
      documentFileName: 'justificacion.pdf',
      reviewUrl: 'https://metas.pasto.gov.co/responder/x',
      actionPlan: { fiscalYear: year, version: 2, url },
    } as Parameters<typeof reprogrammingApproved>[0]);
    expect(mail.text).toContain(`la versión 2 del Plan de Acción (PE_F_012) de la vigencia ${year}, que puede descargar en ${url}`);
    expect(mail.html).toContain(url.replace(/&/g, '&amp;'));
  });

  it('the agreement PDF names the Plan de Acción version and its address', async () => {
    const url = `https://metas.pasto.gov.co/api/action-plan?year=${year}&version=2&department=SEDU`;
    const pdf = await renderJustificationAndCommitment({
      issuer: { municipality: 'Pasto' },
      reviewWorkflowId: reviewId(),
      fiscalYear: year,
      quarter: 2,
      department: { code: 'SEDU', name: 'Secretaría de Educación', liaisonName: null, liaisonEmail: null },
      alert: { sentAt: `${year}-07-15T15:00:00.000Z`, recipient: 'enlace@pasto.gov.co' },
      reminders: [],
      deadline: { initial: `${year}-07-29T04:59:59.999Z`, extensions: [] },
      recordedAt: `${year}-07-30T16:00:00.000Z`,
      goals: [
        {
          goalCode: 'PA-1',
          name: 'Meta PA-1',
          status: 'behind' as const,
          measurement: { expectedToDate: 4, executedToDate: 1, progressPercent: 25 },
          action: 'reprogram' as const,
          justification: 'Retraso en la contratación del transporte escolar',
          commitment: 'Cumplir en el segundo semestre',
          before: { annualTarget: 8, quarterlyTargets: null },
          after: { annualTarget: 10, quarterlyTargets: [1, 2, 3, 4] as [number, number, number, number] },
        },
      ],
      approval: { approvedBy: 'Coordinadora MMSE', approvedAt: `${year}-07-30T15:00:00.000Z` },
      actionPlan: { fiscalYear: year, version: 2, url },
    });
    const text = (await pdfText(pdf)).join(' ').replace(/\s+/g, ' ');
    expect(text).toContain(`como la versión 2 del Plan de Acción (PE_F_012) de la vigencia ${year}`);
    expect(text.replace(/\s/g, '')).toContain(url);
  });
});
