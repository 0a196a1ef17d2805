import ExcelJS from 'exceljs';
import request from 'supertest';
import { defaultThresholds, goalStatusLabels } from '../domain/goals';
import { createMailer } from '../mail';
import { exportMatrix } from '../reports';
import { createHarness, createTestApp, eventually, reviewIn, reviewLinkOf, type Harness } from './support/harness';
import { decodeWords, leaves, parseMime, startSmtp, type MimePart, type TestSmtp } from './support/smtpPeer';
import { pdfText } from './support/pdfText';
import { LAGGED_GOAL, reprogramInThirdQuarter, seedLaggedGoal, storedDashboard } from './support/verdictScenario';

const attachmentName = (p: MimePart) => decodeWords(/filename="?([^";]+)"?/i.exec(p.headers.get('content-disposition') ?? '')?.[1] ?? '');

async function workbookOf(content: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(content as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  return workbook;
}

/** Rows under the header whose first cell is "Código", as header → cell value. */
function tableRows(ws: ExcelJS.Worksheet): Record<string, ExcelJS.CellValue>[] {
  let header = 0;
  for (let r = 1; r <= 30 && !header; r++) if (ws.getCell(r, 1).value === 'Código') header = r;
  if (!header) throw new Error(`no table in ${ws.name}`);
  const headers: string[] = [];
  ws.getRow(header).eachCell((cell, col) => (headers[col - 1] = String(cell.value)));
  const rows: Record<string, ExcelJS.CellValue>[] = [];
  for (let r = header + 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    if (row.getCell(1).value !== null) rows.push(Object.fromEntries(headers.map((h, i) => [h, row.getCell(i + 1).value])));
  }
  return rows;
}

/**
 * PE-P-008 task 4 reaches the departments: the Q3 alert attaches the department's cumulative matrix
 * (from the recorded verdicts), the form asks a commitment for every goal that lagged in the year,
 * also one not in alert now, and the justification matrix records it.
 */
describe('Q3 consolidation sent to each department', () => {
  let h: Harness | undefined;
  let smtp: TestSmtp | undefined;
  const cycles: string[] = [];
  afterEach(async () => {
    for (const id of cycles) await h?.client.workflow.getHandle(id).terminate('fin de la prueba').catch(() => undefined);
    await h?.close();
    await smtp?.close();
    h = undefined;
    smtp = undefined;
  });

  it('attaches the cumulative matrix to the Q3 alert, requires the commitment on a goal lagged in T1–T2 and records it in the justification matrix', async () => {
    smtp = await startSmtp();
    const smtpUrl = smtp.url;
    h = await createHarness({
      defaultWindow: '2h',
      seed: seedLaggedGoal,
      activities: (db) => ({ mailer: createMailer({ db, smtpUrl, from: 'Planeación Municipal <planeacion@pasto.gov.co>', transportOptions: { ignoreTLS: true } }) }),
    });
    const { db } = h.database;
    const year = h.fiscalYear;
    for (const quarter of [1, 2] as const) {
      cycles.push((await h.cycles.startCycle({ fiscalYear: year, quarter, startedBy: 'operador.prueba' })).workflowId);
      await storedDashboard(h, quarter);
    }
    await reprogramInThirdQuarter(db, year);
    const t3 = (await h.cycles.startCycle({ fiscalYear: year, quarter: 3, startedBy: 'operador.prueba' })).workflowId;
    cycles.push(t3);
    const reviewId = `${t3}-SINF`;
    const view = await reviewIn(h, reviewId, 'awaitingResponse');
    // The goal is on track in T3: not in alert, yet it lagged in T1 and T2.
    expect(view.goals.map((g) => g.goalCode)).not.toContain(LAGGED_GOAL);

    // The alert as the mail server received it, with both matrices; the cumulative one read back.
    const cumulativeName = `matriz-rezagadas-acumuladas-${year}-T3-SINF.xlsx`;
    const alert = await eventually(
      async () =>
        smtp?.messages.map((m) => parseMime(m.raw)).find((mime) => leaves(mime).some((p) => attachmentName(p) === cumulativeName)),
      { what: 'the SINF alert with its cumulative matrix' },
    );
    const attached = leaves(alert).filter((p) => /attachment/i.test(p.headers.get('content-disposition') ?? ''));
    expect(attached.map(attachmentName)).toEqual([`matriz-rezagadas-trimestre-${year}-T3-SINF.xlsx`, cumulativeName]);
    const text = leaves(alert).find((p) => (p.headers.get('content-type') ?? '').startsWith('text/plain'))?.body.toString('utf8') ?? '';
    expect(text.replace(/\s+/g, ' ')).toContain(`Matriz de metas rezagadas acumuladas de la vigencia (${cumulativeName})`);
    const cumulative = await workbookOf(attached[1]?.body as Buffer);
    const row = tableRows(cumulative.worksheets[0] as ExcelJS.Worksheet).find((r) => r['Código'] === LAGGED_GOAL);
    expect(row).toMatchObject({
      'T1 esperado': 0.5,
      'T1 ejecutado': 0,
      'T1 estado': goalStatusLabels.notStarted,
      'T2 esperado': 1,
      'T2 estado': goalStatusLabels.notStarted,
      'T3 esperado': 10,
      'T3 ejecutado': 10,
      'T3 estado': goalStatusLabels.onTrack,
      'Trimestres rezagada': 'T1, T2',
    });

    // The form asks for the commitment on that goal, and refuses the answer without it.
    const { app, as } = await createTestApp(h);
    // An API client learns the same goals from the review itself.
    const listed = await (await as('liaison', 'SINF')).get(`/api/reviews/${reviewId}`).expect(200);
    expect(listed.body.consolidationGoals.map((g: { goalCode: string }) => g.goalCode)).toEqual([LAGGED_GOAL]);
    const link = reviewLinkOf(reviewId, 'SINF');
    const form = (await request(app).get(link).expect(200)).text;
    const field = `consolidation__${LAGGED_GOAL}`;
    expect(form).toContain(`id="${field}"`);
    expect(form).toContain('Consolidación del tercer trimestre');
    const fields: Record<string, string> = { respondentName: 'Enlace de Infraestructura' };
    for (const goal of view.goals) {
      fields[`action__${goal.goalCode}`] = 'keep';
      fields[`justification__${goal.goalCode}`] = 'Las lluvias retrasaron la obra en el primer semestre';
      fields[`commitment__${goal.goalCode}`] = 'Recuperar el rezago en el cuarto trimestre';
    }
    const refused = await request(app).post(link).type('form').send({ ...fields, [field]: 'corto' }).expect(400);
    expect(refused.text).toContain(`Compromiso de consolidación de la meta ${LAGGED_GOAL} (Puentes peatonales construidos): escriba al menos 10 caracteres`);
    await expect(h.cycles.submitResponse(reviewId, { respondent: { name: 'Enlace por API' }, answers: [] })).rejects.toMatchObject({
      code: 'invalid_input',
      details: [expect.stringContaining(`Compromiso de consolidación de la meta ${LAGGED_GOAL}`)],
    });

    const commitment = 'Contratar los dos puentes peatonales antes de octubre y reportar avance mensual';
    const accepted = await request(app).post(link).type('form').send({ ...fields, [field]: commitment }).expect(200);
    expect(accepted.text).toContain('Respuesta recibida');
    await reviewIn(h, reviewId, 'underAgreement');
    // The coordinator reads it before agreeing, and the liaison's link shows it once answered.
    const coordinatorPage = await (await as('coordinator')).get(`/coordinacion/${reviewId}`).expect(200);
    expect(coordinatorPage.text).toContain('Consolidación del tercer trimestre: compromisos por metas rezagadas en la vigencia');
    expect(coordinatorPage.text).toContain(commitment);
    const answeredPage = await request(app).get(link).expect(200);
    expect(answeredPage.text).toContain(`<th scope="row" data-label="Meta">${LAGGED_GOAL}</th>`);
    expect(answeredPage.text).toContain(commitment);
    await h.cycles.decide(reviewId, { decision: 'approve', coordinator: 'Coordinadora MMSE' });

    // The justification and commitment document (PDF) sent with the agreement carries it too.
    const documentName = `justificacion-y-compromiso-${year}-T3-SINF.pdf`;
    const agreement = await eventually(
      async () => smtp?.messages.map((m) => parseMime(m.raw)).flatMap((mime) => leaves(mime)).find((p) => attachmentName(p) === documentName),
      { what: 'the agreement e-mail with its PDF' },
    );
    const pdf = (await pdfText(agreement.body)).join(' ').replace(/\s+/g, ' ');
    expect(pdf).toContain('Consolidación del tercer trimestre');
    expect(pdf).toContain(`Meta ${LAGGED_GOAL}`);
    expect(pdf).toContain(commitment);

    // The justification matrix records the commitment, read back from the XLSX.
    const matrix = await exportMatrix(db, { kind: 'justification', fiscalYear: year, quarter: 3, departmentCode: 'SINF', thresholds: defaultThresholds });
    const sheet = (await workbookOf(matrix.content)).getWorksheet('Compromisos consolidación T3');
    expect(sheet).toBeDefined();
    expect(tableRows(sheet as ExcelJS.Worksheet)).toEqual([
      expect.objectContaining({
        'Código': LAGGED_GOAL,
        'Dependencia': 'Secretaría de Infraestructura',
        'Trimestres rezagada': 'T1 no iniciada, T2 no iniciada',
        'Compromiso de consolidación': commitment,
      }),
    ]);
  });
});
