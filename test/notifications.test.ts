import { eq } from 'drizzle-orm';
import * as t from '../db/schema';
import request from 'supertest';
import { createMailer } from '../mail';
import { answerAll } from './support/answers';
import { pdfText } from './support/pdfText';
import { reminderInstants } from '../domain/businessDays';
import { reviewTimeline } from '../services/timeline';
import { eventually, reviewIn, createTestApp, sharedBundle, type Harness } from './support/harness';
import { createTimeSkippingHarness, startTimeSkippingServer, type TimeSkippingServer } from './support/timeSkipping';
import { Worker } from '@temporalio/worker';
import { saveHistories } from './support/histories';
import { decodeWords, leaves, mediaType, parseMime, startSmtp, type TestSmtp } from './support/smtpPeer';

interface Delivered {
  to: string[];
  subject: string;
  attachments: string[];
  text: string;
}

function delivered(smtp: TestSmtp): Delivered[] {
  return smtp.messages.map((m) => {
    const mime = parseMime(m.raw);
    const parts = leaves(mime);
    return {
      to: m.rcptTo,
      subject: decodeWords(mime.headers.get('subject') ?? ''),
      attachments: parts
        .filter((p) => /attachment/i.test(p.headers.get('content-disposition') ?? ''))
        .map((p) => decodeWords(/filename="?([^";]+)"?/i.exec(p.headers.get('content-disposition') ?? '')?.[1] ?? '')),
      text: parts.find((p) => mediaType(p) === 'text/plain')?.body.toString('utf8') ?? '',
    };
  });
}

/** Instants within a minute of each other (the activity is scheduled right after its timer fires). */
const atInstant = (actual: string | undefined, expected: string) => expect(Math.abs(Date.parse(actual as string) - Date.parse(expected))).toBeLessThan(60_000);

/**
 * The human loop by e-mail, with a real SMTP peer: alert with the matrix and the personal link,
 * reminders on the workflow's timers, receipt, request for changes, approval with its PDF, and the
 * constancia with its PDF when nobody answers. The window is in business days as in production:
 * the test server skips the days (support/timeSkipping.ts) once the answers are in.
 */
describe('PE-P-008 by e-mail', () => {
  let h: Harness;
  let smtp: TestSmtp;
  let server: TimeSkippingServer;
  beforeAll(async () => {
    [smtp, server] = await Promise.all([startSmtp(), startTimeSkippingServer()]);
  });
  afterAll(async () => {
    await h?.close();
    await server?.close();
    await smtp?.close();
  });

  it('sends the alert, reminders at their instants before the deadline, the receipt, the request for changes, the agreement and the constancia', async () => {
    h = await createTimeSkippingHarness(server, {
      activities: (db) => ({
        mailer: createMailer({ db, smtpUrl: smtp.url, from: 'Planeación Municipal <planeacion@pasto.gov.co>', transportOptions: { ignoreTLS: true } }),
        coordinatorEmail: 'coordinacion.mmse@pasto.gov.co',
        publicUrl: 'https://metas.pasto.gov.co',
      }),
    });
    const { app, admin, as } = await createTestApp(h);
    const coordinator = await as('coordinator');
    // Salud's líder, with whom the adjustment is agreed: copied on the alert and the agreement, signs it.
    const ssalHead = 'lider.salud@demo.gov.co';
    await admin.patch('/api/departments/SSAL').send({ headName: 'Rosa Elvira Guerrero', headTitle: 'Secretaria de Salud', headEmail: ssalHead, reason: 'Líder de la dependencia' }).expect(200);

    const { workflowId } = await h.cycles.startCycle({ fiscalYear: h.fiscalYear, quarter: 2, window: '3d', reminders: '2,1' });
    const ssalId = `${workflowId}-SSAL`;
    const sinfId = `${workflowId}-SINF`;
    const sinfMail = 'enlace.infraestructura@demo.gov.co';
    const ssalMail = 'enlace.salud@demo.gov.co';

    // Salud follows the link of its alert e-mail, answers in the form, is asked for changes,
    // answers again through the same link and is approved.
    const ssalAlert = await eventually(async () => delivered(smtp).find((m) => m.to.includes(ssalMail)), { what: 'the SSAL alert e-mail' });
    const ssalFormLink = new RegExp(`https://metas\\.pasto\\.gov\\.co(/responder/${ssalId}/[A-Za-z0-9_.-]+)`).exec(ssalAlert.text)?.[1] as string;
    const formFields = (view: Awaited<ReturnType<typeof reviewIn>>) => {
      const submission = answerAll(view, ['1905002-01'], [1, 0, 1, 2]);
      const fields: Record<string, string> = { respondentName: 'Jorge Eliécer Bravo' };
      for (const a of submission.answers) {
        fields[`action__${a.goalCode}`] = a.action;
        fields[`justification__${a.goalCode}`] = a.justification;
        fields[`commitment__${a.goalCode}`] = a.commitment;
        if (a.action === 'reprogram') a.newQuarterlyTargets.forEach((v, i) => (fields[`q${i + 1}__${a.goalCode}`] = String(v)));
      }
      return fields;
    };
    expect((await request(app).get(ssalFormLink).expect(200)).text).toContain('<form method="post"');
    await request(app).post(ssalFormLink).type('form').send(formFields(await reviewIn(h, ssalId, 'awaitingResponse'))).expect(200);
    await coordinator.post(`/api/reviews/${ssalId}/decision`).send({ decision: 'requestChanges', comment: 'Precise las fechas de cada compromiso', window: '2d' }).expect(200);
    const reopened = await request(app).get(ssalFormLink).expect(200);
    expect(reopened.text).toContain('Precise las fechas de cada compromiso');
    await request(app).post(ssalFormLink).type('form').send(formFields(await reviewIn(h, ssalId, 'awaitingResponse'))).expect(200);
    expect((await coordinator.post(`/api/reviews/${ssalId}/decision`).send({ decision: 'approve' }).expect(200)).body.outcome).toBe('reprogrammed');

    // Infraestructura never answers: two reminders at 08:00 two and one business days before the
    // deadline, then the constancia. Awaiting the cycle's result skips the days.
    const waiting = await reviewIn(h, sinfId, 'awaitingResponse');
    expect(delivered(smtp).filter((m) => m.to.includes(sinfMail))).toHaveLength(1);
    await h.client.workflow.getHandle(workflowId).result();
    await reviewIn(h, sinfId, 'noAdjustment');
    const mails = await eventually(
      async () => {
        const all = delivered(smtp);
        const forSinf = all.filter((m) => m.to.includes(sinfMail));
        const forSsal = all.filter((m) => m.to.includes(ssalMail));
        return forSinf.length >= 4 && forSsal.length >= 5 ? { forSinf, forSsal } : undefined;
      },
      { what: 'the e-mails of SINF and SSAL', timeoutMs: 60_000 },
    );

    expect(mails.forSinf.map((m) => m.subject)).toEqual([
      expect.stringContaining('Reporte de alerta trimestral'),
      expect.stringMatching(/ · Recordatorio: /),
      expect.stringMatching(/ · Recordatorio n\.º 2: /),
      expect.stringContaining('Constancia de negativa de ajustes'),
    ]);
    const [alert, , , constancia] = mails.forSinf;
    // Each record issued by e-mail carries its consecutive number in the subject and under the title.
    expect(alert?.subject).toMatch(/Reporte de alerta trimestral de metas de producto No\. PE-P-008-RAT-\d{4}-\d{4} · /);
    expect(constancia?.subject).toMatch(/Constancia de negativa de ajustes No\. PE-P-008-CNA-\d{4}-\d{4} · /);
    expect(constancia?.text).toMatch(/Consecutivo PE-P-008-CNA-\d{4}-\d{4}/);
    expect(mails.forSsal[4]?.subject).toMatch(/Reprogramación de metas aprobada No\. PE-P-008-JYC-\d{4}-\d{4} · /);
    // The agreement links to the Plan de Acción version its reprogramming created.
    expect(mails.forSsal[4]?.text).toMatch(/la versión \d+ del Plan de Acción \(PE_F_012\) de la vigencia \d{4}, que puede descargar en https:\/\/\S+\/plan-de-accion\?vigencia=\d{4}/);
    // Days left counted on the activities' clock (the skipped one), not the machine's.
    expect(mails.forSinf[1]!.text).toContain('Quedan 2 días hábiles');
    expect(mails.forSinf[2]!.text).toContain('Queda 1 día hábil');

    // On the workflow's clock: each reminder at its instant, the constancia once the deadline passed.
    const deadline = waiting.deadline as string;
    const expectedReminders = reminderInstants(deadline, [2, 1], new Date(waiting.alertedAt as string), 'America/Bogota');
    expect(expectedReminders).toHaveLength(2);
    const sinfTimeline = reviewTimeline(await h.cycles.history(sinfId));
    const reminders = sinfTimeline.filter((e) => e.kind === 'reminderSent');
    expect(reminders).toHaveLength(2);
    reminders.forEach((entry, i) => atInstant(entry.time, expectedReminders[i] as string));
    atInstant(sinfTimeline.find((e) => e.kind === 'noAdjustmentRecorded')?.time, deadline);
    expect(Date.parse(sinfTimeline.find((e) => e.kind === 'noAdjustmentRecorded')?.time as string)).toBeGreaterThanOrEqual(Date.parse(deadline));
    expect(alert?.attachments).toEqual([expect.stringMatching(/^matriz-rezagadas-trimestre-\d{4}-T2-SINF\.xlsx$/)]);
    const emailedLink = new RegExp(`https://metas\\.pasto\\.gov\\.co(/responder/${sinfId}/[A-Za-z0-9_.-]+)`).exec(alert?.text ?? '')?.[1];
    expect(emailedLink).toBeDefined();
    expect(alert?.to).toContain('coordinacion.mmse@pasto.gov.co');
    expect(constancia?.attachments).toEqual([expect.stringMatching(/^constancia-negativa-ajustes-\d{4}-T2-SINF\.pdf$/)]);

    expect(mails.forSsal.map((m) => m.subject)).toEqual([
      expect.stringContaining('Reporte de alerta trimestral'),
      expect.stringContaining('Respuesta recibida'),
      expect.stringContaining('Solicitud de ajustes'),
      expect.stringContaining('Respuesta recibida (ronda 2)'),
      expect.stringContaining('Reprogramación de metas aprobada'),
    ]);
    expect(mails.forSsal[4]?.attachments).toEqual([expect.stringMatching(/^justificacion-y-compromiso-\d{4}-T2-SSAL\.pdf$/)]);
    expect(mails.forSsal.filter((m) => m.to.includes(ssalHead)).map((m) => m.subject)).toEqual([
      expect.stringContaining('Reporte de alerta trimestral'),
      expect.stringContaining('Reprogramación de metas aprobada'),
    ]);

    // The records behind them: documents stored once, outbox of what was sent, reminders in the machine.
    const { db } = h.database;
    const documents = await db.select({ kind: t.documents.kind, review: t.documents.reviewWorkflowId }).from(t.documents);
    expect(documents).toEqual(
      expect.arrayContaining([
        { kind: 'noAdjustmentRecord', review: sinfId },
        { kind: 'justificationAndCommitment', review: ssalId },
      ]),
    );
    const versions = await db.select().from(t.goalProgramming).where(eq(t.goalProgramming.goalCode, '1905002-01'));
    expect(versions.map((v) => [v.version, v.quarterlyTargets])).toEqual(expect.arrayContaining([[2, [1, 0, 1, 2]]]));
    const outbox = await db.select().from(t.outbox).where(eq(t.outbox.status, 'sent'));
    expect(outbox.map((o) => o.idempotencyKey)).toEqual(
      expect.arrayContaining([`${sinfId}:alert`, `${sinfId}:reminder:1`, `${sinfId}:reminder:2`, `${sinfId}:noAdjustment`, `${ssalId}:receipt:2`, `${ssalId}:agreement`]),
    );
    const sinfView = await h.cycles.reviewStatus(sinfId);
    expect(sinfView.remindersSent).toBe(2);

    // What an administrator reads: the outbox and the stored documents, over the API.
    const listed = await admin.get('/api/outbox?limit=5').expect(200);
    expect(listed.body.total).toBeGreaterThanOrEqual(10);
    expect(listed.body.items).toHaveLength(5);
    const one = await admin.get(`/api/outbox/${listed.body.items[0].id}`).expect(200);
    expect(one.body.html).toContain('lang="es-CO"');
    const outboxPage = await admin.get('/admin/correos').set('Accept', 'text/html').expect(200);
    expect(outboxPage.text).toContain('Correos enviados y bandeja de salida');
    const messagePage = await admin.get(`/admin/correos/${listed.body.items[0].id}`).set('Accept', 'text/html').expect(200);
    expect(messagePage.text).toContain('<iframe title="Contenido del correo" sandbox srcdoc="');
    // The e-mail's own markup is escaped into the sandboxed frame, never inlined in the page.
    expect(messagePage.text).toMatch(/srcdoc="&lt;/);
    const docs = await admin.get(`/api/reviews/${sinfId}/documents`).expect(200);
    expect(docs.body).toEqual([expect.objectContaining({ kind: 'noAdjustmentRecord', fileName: expect.stringMatching(/\.pdf$/) })]);
    const pdfBytes = async (path: string): Promise<Buffer> =>
      (
        await admin
          .get(path)
          .buffer(true)
          .parse((res, done) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => done(null, Buffer.concat(chunks)));
          })
          .expect(200)
      ).body as Buffer;
    expect((await pdfBytes(`/api/documents/${docs.body[0].id}`)).subarray(0, 5).toString()).toBe('%PDF-');
    await admin.get('/api/documents/999999').expect(404);
    // The agreement record states the programming each kept goal keeps, next to the reprogrammed one.
    const [agreement] = (await admin.get(`/api/reviews/${ssalId}/documents`).expect(200)).body as { id: number }[];
    const agreementText = (await pdfText(await pdfBytes(`/api/documents/${agreement?.id}`))).join('\n');
    expect(agreementText).toContain('Programación vigente');
    expect(agreementText).toContain('Programación nueva');
    expect(agreementText).not.toContain('Sin programación registrada');
    expect(agreementText).toMatch(/Acordó\s+Rosa Elvira Guerrero\s+Secretaria de Salud\s+·\s+Secretaría\s+de\s+Salud/);

    // The links e-mailed: Infraestructura's past its deadline takes a late answer; Salud's shows its answer read-only.
    expect((await request(app).get(emailedLink as string).expect(200)).text).toContain('su respuesta se registrará como respuesta extemporánea');
    const ssalLink = new RegExp(`https://metas\\.pasto\\.gov\\.co(/responder/${ssalId}/[A-Za-z0-9_.-]+)`).exec(mails.forSsal[0]?.text ?? '')?.[1];
    const ssalPage = await request(app).get(ssalLink as string).expect(200);
    expect(ssalPage.text).toContain('Respuesta registrada');
    expect(ssalPage.text).toContain('Reprogramada');

    // The administrator's view of the same run: a timeline from the real history, each entry on a
    // real event, and a JSON download that replays with the current workflow code.
    const history = await admin.get(`/api/workflows/${ssalId}/history`).expect(200);
    const kinds = history.body.timeline.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['alertSent', 'responseReceived', 'changesRequested', 'approved', 'reprogrammingApplied', 'reviewCompleted']));
    const eventIds = new Set(history.body.events.map((e: { eventId: string }) => Number(e.eventId)));
    expect(history.body.timeline.every((e: { eventId: number }) => eventIds.has(e.eventId))).toBe(true);
    expect(history.body.timeline.find((e: { kind: string }) => e.kind === 'approved').actor).toBe('Cuenta coordinator');
    const download = await admin.get(`/api/workflows/${ssalId}/history.json`).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    await Worker.runReplayHistory({ workflowBundle: await sharedBundle() }, JSON.parse((download.body as Buffer).toString('utf8')));

    await saveHistories(h.client, 'notifications', [ssalId, sinfId]);
  });
});
