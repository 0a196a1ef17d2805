import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { type DatabaseHandle } from '../db/client';
import * as t from '../db/schema';
import {
  createMailer,
  documentAttachment,
  MailDeliveryError,
  MailValidationError,
  messageIdFor,
  outboxMessage,
  readOutbox,
  type OutgoingMail,
} from '../mail/mailer';
import {
  changesRequested,
  noAdjustmentRecord,
  quarterlyAlert,
  reminder,
  reprogrammingApproved,
  responseReceipt,
  type MailContext,
  type QuarterlyAlertInput,
} from '../mail/templates';
import { closedPort, decodeWords, findLeaf, headerParam, mediaType, parseMime, SMTP_PASS, SMTP_USER, startSmtp, type TestSmtp } from './support/smtpPeer';
import { openPglite } from './support/pglite';

// ---------------------------------------------------------------------------------------------
// Fixtures

const context: MailContext = {
  municipality: 'Pasto',
  officeName: 'Oficina de Planeación de Gestión Institucional',
  timeZone: 'America/Bogota',
  signature: { name: 'Marcela Peña', role: 'Coordinadora general del MMSE' },
};
const department = { code: 'SEC01', name: 'Secretaría de Salud', liaisonName: 'Ana Gómez' };
const XSS = '<script>alert(1)</script>';
const RESPONSE_URL = 'https://metas.pasto.gov.co/respuestas/revision-2026-T3-SEC01?token=abc&x=1';
/** 10 business days after 2026-10-05 end at midnight Bogotá of 2026-10-20 (UTC-5). */
const DEADLINE = '2026-10-21T04:59:59.999Z';

const alertInput = (overrides: Partial<QuarterlyAlertInput> = {}): QuarterlyAlertInput => ({
  ...context,
  department,
  fiscalYear: 2026,
  quarter: 3,
  responseWindow: { unit: 'businessDays', amount: 10 },
  deadline: DEADLINE,
  responseUrl: RESPONSE_URL,
  matrixFileName: 'matriz-metas-rezagadas-2026-T3-SEC01.xlsx',
  includesCumulative: true,
  goals: [
    {
      goalCode: 'M-003',
      name: 'Campañas de vacunación <sobrecumplidas>',
      status: 'overachieved',
      unit: 'Número',
      measurement: { accumulation: 'sum', annualTarget: 10, expectedToDate: 7.5, executedToDate: 14, progressPercent: 186.67, annualPercent: 140 },
    },
    {
      goalCode: 'M-001',
      name: 'Centros de salud dotados',
      status: 'behind',
      unit: 'Número',
      measurement: { accumulation: 'sum', annualTarget: 1200.5, expectedToDate: 900, executedToDate: 450, progressPercent: 50, annualPercent: 37.5, termPercent: 66.66667 },
    },
    {
      goalCode: 'M-002',
      name: 'Brigadas rurales',
      status: 'notStarted',
      measurement: { accumulation: 'sum', annualTarget: 8, expectedToDate: 6, executedToDate: null, progressPercent: 0, annualPercent: 0 },
    },
  ],
  ...overrides,
});

/** Bytes that look like an XLSX (a ZIP local file header) with some binary content. */
const xlsxBytes = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 37) % 256))]);
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('mail', () => {
  let handle: DatabaseHandle;
  let smtp: TestSmtp;

  beforeAll(async () => {
    [handle, smtp] = await Promise.all([openPglite(), startSmtp()]);
  });
  afterAll(async () => {
    await smtp?.close();
    await handle?.close();
  });

  const smtpMailer = (url = smtp.url) =>
    createMailer({ db: handle.db, smtpUrl: url, from: 'Planeación Municipal <planeacion@pasto.gov.co>', transportOptions: { ignoreTLS: true } });

  const outboxRow = async (key: string) => (await handle.db.select().from(t.outbox).where(eq(t.outbox.idempotencyKey, key)))[0];

  const alertMail = (key: string, extra: Partial<OutgoingMail> = {}): OutgoingMail => ({
    idempotencyKey: key,
    to: ['enlace.salud@pasto.gov.co'],
    cc: ['coordinacion.mmse@pasto.gov.co'],
    ...quarterlyAlert(alertInput()),
    attachments: [{ fileName: 'matriz-metas-rezagadas-2026-T3-SEC01.xlsx', contentType: XLSX_TYPE, content: xlsxBytes }],
    ...extra,
  });

  it('delivers an alert once over SMTP with its attachment, and the same key never reaches the server again', async () => {
    const [doc] = await handle.db
      .insert(t.documents)
      .values({
        documentKey: 'revision-2026-T3-SEC01:matrix',
        kind: 'laggingMatrix',
        reviewWorkflowId: 'revision-2026-T3-SEC01',
        fileName: 'matriz-metas-rezagadas-2026-T3-SEC01.xlsx',
        contentType: XLSX_TYPE,
        sha256: sha256(xlsxBytes),
        content: xlsxBytes.toString('base64'),
      })
      .returning();
    const attachment = await documentAttachment(handle.db, doc!.id);
    const mailer = smtpMailer();
    const key = 'revision-2026-T3-SEC01:alert';
    const message = alertMail(key, { attachments: [attachment] });
    const before = { messages: smtp.messages.length, connections: smtp.connections };

    const sent = await mailer.send(message);
    expect(sent).toEqual({ outboxId: expect.any(Number), status: 'sent', messageId: messageIdFor(key), alreadySent: false, committedAt: null, deliveredAt: expect.any(String) });
    expect(sent.messageId).toMatch(/^<[0-9a-f]{64}@metas-pdm>$/);

    expect(smtp.messages.length).toBe(before.messages + 1);
    const received = smtp.messages.at(-1)!;
    expect(received.user).toBe(SMTP_USER);
    expect(received.mailFrom).toBe('planeacion@pasto.gov.co');
    expect([...received.rcptTo].sort()).toEqual(['coordinacion.mmse@pasto.gov.co', 'enlace.salud@pasto.gov.co']);

    const mime = parseMime(received.raw);
    expect(decodeWords(mime.headers.get('subject') ?? '')).toBe(message.subject);
    expect(message.subject).toBe('PE-P-008 · Reporte de alerta trimestral de metas de producto · T3-2026 · Secretaría de Salud');
    expect(mime.headers.get('message-id')).toBe(messageIdFor(key));
    expect(mime.headers.get('to')).toContain('enlace.salud@pasto.gov.co');
    expect(mime.headers.get('cc')).toContain('coordinacion.mmse@pasto.gov.co');
    expect(decodeWords(mime.headers.get('from') ?? '')).toContain('Planeación Municipal');

    const plain = findLeaf(mime, (p) => mediaType(p) === 'text/plain');
    const htmlPart = findLeaf(mime, (p) => mediaType(p) === 'text/html');
    expect(plain?.body.toString('utf8')).toContain(RESPONSE_URL);
    expect(htmlPart?.body.toString('utf8')).toContain('lang="es-CO"');
    const file = findLeaf(mime, (p) => /attachment/i.test(p.headers.get('content-disposition') ?? ''));
    expect(file).toBeDefined();
    expect(mediaType(file!)).toBe(XLSX_TYPE);
    expect(headerParam(file!.headers.get('content-disposition'), 'filename')).toBe('matriz-metas-rezagadas-2026-T3-SEC01.xlsx');
    expect(file!.body.equals(xlsxBytes)).toBe(true);

    const row = await outboxRow(key);
    expect(row).toMatchObject({
      id: sent.outboxId,
      status: 'sent',
      transport: 'smtp',
      messageId: messageIdFor(key),
      error: null,
      to: ['enlace.salud@pasto.gov.co'],
      cc: ['coordinacion.mmse@pasto.gov.co'],
      subject: message.subject,
      attachments: [{ fileName: 'matriz-metas-rezagadas-2026-T3-SEC01.xlsx', contentType: XLSX_TYPE, documentId: doc!.id, sha256: sha256(xlsxBytes) }],
    });
    expect(row?.sentAt).not.toBeNull();
    expect(row?.html).toBe(message.html);
    expect(row?.text).toBe(message.text);

    // A retried activity: same key, answered from the outbox without opening an SMTP connection.
    const again = await mailer.send(message);
    expect(again).toEqual({ ...sent, alreadySent: true });
    const fresh = smtpMailer();
    expect(await fresh.send(message)).toMatchObject({ alreadySent: true, status: 'sent' });
    expect(smtp.messages.length).toBe(before.messages + 1);
    expect(smtp.connections).toBe(before.connections + 1);
    mailer.close();
    fresh.close();
  });

  it('marks a refused attempt failed and throws; the retry sends it once with the same Message-ID', async () => {
    const mailer = smtpMailer();
    const key = 'revision-2026-T3-SEC02:reminder:1';
    const before = smtp.messages.length;
    smtp.rejectRecipients = { code: 450, message: 'Buzón temporalmente no disponible' };
    try {
      const error = await mailer.send(alertMail(key)).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(MailDeliveryError);
      expect(error).toMatchObject({ permanent: false, responseCode: 450 });
    } finally {
      smtp.rejectRecipients = null;
    }
    expect(smtp.messages.length).toBe(before);
    const failed = await outboxRow(key);
    expect(failed).toMatchObject({ status: 'failed', transport: 'smtp', sentAt: null });
    expect(failed?.error).toContain('450');

    const retried = await mailer.send(alertMail(key));
    expect(retried).toEqual({ outboxId: failed!.id, status: 'sent', messageId: messageIdFor(key), alreadySent: false, committedAt: null, deliveredAt: expect.any(String) });
    expect(smtp.messages.length).toBe(before + 1);
    expect(parseMime(smtp.messages.at(-1)!.raw).headers.get('message-id')).toBe(messageIdFor(key));
    expect(await outboxRow(key)).toMatchObject({ status: 'sent', error: null });

    // A permanent refusal (5xx) says so, for the activity to stop retrying a hopeless address.
    smtp.rejectRecipients = { code: 550, message: 'Buzón inexistente' };
    try {
      await expect(mailer.send(alertMail('revision-2026-T3-SEC02:reminder:2'))).rejects.toMatchObject({ name: 'MailDeliveryError', permanent: true, responseCode: 550 });
    } finally {
      smtp.rejectRecipients = null;
    }
    expect(await outboxRow('revision-2026-T3-SEC02:reminder:2')).toMatchObject({ status: 'failed' });
    expect(smtp.messages.length).toBe(before + 1);
    mailer.close();
  });

  it('records an unreachable server as failed without leaking the SMTP password, and a later retry sends once', async () => {
    const port = await closedPort();
    const down = smtpMailer(`smtp://${SMTP_USER}:${SMTP_PASS}@127.0.0.1:${port}`);
    const key = 'revision-2026-T3-SEC03:alert';
    const before = smtp.messages.length;
    await expect(down.send(alertMail(key))).rejects.toBeInstanceOf(MailDeliveryError);
    const failed = await outboxRow(key);
    expect(failed).toMatchObject({ status: 'failed', sentAt: null });
    expect(failed?.error).toMatch(/ECONNECTION|ECONNREFUSED|ESOCKET/);
    expect(failed?.error).not.toContain(SMTP_PASS);
    down.close();

    const up = smtpMailer();
    const sent = await up.send(alertMail(key));
    expect(sent).toMatchObject({ outboxId: failed!.id, status: 'sent', alreadySent: false });
    expect(smtp.messages.length).toBe(before + 1);
    expect(await up.send(alertMail(key))).toMatchObject({ alreadySent: true });
    expect(smtp.messages.length).toBe(before + 1);
    up.close();
  });

  it('re-sends an attempt that crashed mid-send with the same Message-ID', async () => {
    const key = 'revision-2026-T3-SEC04:alert';
    const mail = alertMail(key);
    // What a worker that died between claiming the row and hearing the server's reply leaves behind.
    await handle.db.insert(t.outbox).values({
      idempotencyKey: key,
      to: mail.to,
      cc: mail.cc ?? [],
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      status: 'sending',
      transport: 'smtp',
      messageId: messageIdFor(key),
    });
    const before = smtp.messages.length;
    const mailer = smtpMailer();
    expect(await mailer.send(mail)).toMatchObject({ status: 'sent', alreadySent: false, messageId: messageIdFor(key) });
    expect(smtp.messages.length).toBe(before + 1);
    expect(parseMime(smtp.messages.at(-1)!.raw).headers.get('message-id')).toBe(messageIdFor(key));
    mailer.close();
  });

  it('keeps the instant a delivery was committed: a later call with the same key gets the first one back', async () => {
    const mailer = createMailer({ db: handle.db, from: 'planeacion@pasto.gov.co' });
    const key = 'revision-2026-T3-SEC06:alert';
    const committedAt = '2026-11-30T15:00:00.000Z';
    const dated = await mailer.send({ ...alertMail(key), committedAt });
    expect(dated).toMatchObject({ status: 'stored', committedAt, alreadySent: false });
    expect(await mailer.send({ ...alertMail(key), committedAt: '2026-12-01T15:00:00.000Z' })).toEqual({ ...dated, alreadySent: true });
    await expect(mailer.send({ ...alertMail(`${key}:bad`), committedAt: 'ayer' })).rejects.toThrow(/committedAt/);
  });

  it('without SMTP keeps the message in the outbox for an administrator and sends nothing', async () => {
    const before = { messages: smtp.messages.length, connections: smtp.connections };
    const mailer = createMailer({ db: handle.db, from: 'planeacion@pasto.gov.co' });
    expect(mailer.transport).toBe('outbox');
    const key = 'revision-2026-T3-SEC05:alert';
    const stored = await mailer.send(alertMail(key));
    expect(stored).toEqual({ outboxId: expect.any(Number), status: 'stored', messageId: null, alreadySent: false, committedAt: null, deliveredAt: expect.any(String) });
    expect(await mailer.send(alertMail(key))).toEqual({ ...stored, alreadySent: true });
    // Configuring SMTP later does not send what was already handed to the administrator.
    const later = smtpMailer();
    expect(await later.send(alertMail(key))).toEqual({ ...stored, alreadySent: true });
    later.close();
    expect(smtp.messages.length).toBe(before.messages);
    expect(smtp.connections).toBe(before.connections);

    const row = await outboxMessage(handle.db, stored.outboxId);
    expect(row).toMatchObject({ status: 'stored', transport: 'outbox', messageId: null, sentAt: null, error: null });
    expect(row?.attachments).toEqual([{ fileName: 'matriz-metas-rezagadas-2026-T3-SEC01.xlsx', contentType: XLSX_TYPE, documentId: null, sha256: sha256(xlsxBytes) }]);
    expect(row?.html).toContain('Reporte de alerta trimestral');
    expect(await outboxMessage(handle.db, 999_999)).toBeNull();

    const page = await readOutbox(handle.db, { limit: 2, offset: 0 });
    expect(page.total).toBeGreaterThanOrEqual(5);
    expect(page.items).toHaveLength(2);
    expect(page.items[0]).toMatchObject({ id: stored.outboxId, idempotencyKey: key, status: 'stored' });
    expect(page.items[0]).not.toHaveProperty('html');
    const next = await readOutbox(handle.db, { limit: 2, offset: 2 });
    expect(next.items.every((i) => i.id < page.items[1]!.id)).toBe(true);
  });

  it('refuses invalid messages before writing or sending anything', async () => {
    const mailer = smtpMailer();
    const before = { messages: smtp.messages.length, connections: smtp.connections };
    const cases: [string, Partial<OutgoingMail>][] = [
      ['no-recipients', { to: [] }],
      ['bad-recipient', { to: ['no es un correo'] }],
      ['empty-subject', { subject: '   ' }],
      ['header-injection', { subject: 'Alerta\r\nBcc: intruso@example.com' }],
      ['empty-text', { text: '' }],
      ['bad-file-name', { attachments: [{ fileName: '../../etc/passwd', contentType: 'text/plain', content: Buffer.from('x') }] }],
      ['unknown-document', { attachments: [{ fileName: 'a.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.7'), documentId: 987_654 }] }],
    ];
    for (const [name, change] of cases) {
      const key = `invalid:${name}`;
      await expect(mailer.send(alertMail(key, change))).rejects.toBeInstanceOf(MailValidationError);
      expect(await outboxRow(key)).toBeUndefined();
    }
    // A document reference must be the very same bytes that are attached.
    const [doc] = await handle.db
      .insert(t.documents)
      .values({ documentKey: 'invalid:doc', kind: 'noAdjustmentRecord', fileName: 'constancia.pdf', contentType: 'application/pdf', sha256: sha256(Buffer.from('%PDF-1.7 original')), content: Buffer.from('%PDF-1.7 original').toString('base64') })
      .returning();
    await expect(
      mailer.send(alertMail('invalid:mismatch', { attachments: [{ fileName: 'constancia.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.7 otra'), documentId: doc!.id }] })),
    ).rejects.toThrow(/no coincide/);
    expect(smtp.messages.length).toBe(before.messages);
    expect(smtp.connections).toBe(before.connections);
    expect(() => createMailer({ db: handle.db, from: 'sin correo' })).toThrow(MailValidationError);
    expect(() => createMailer({ db: handle.db, from: 'a@b.co', smtpUrl: 'http://mail.example.com' })).toThrow(MailValidationError);
    mailer.close();
  });

  it('de-duplicates recipients and keeps To and Cc apart', async () => {
    const mailer = smtpMailer();
    const sent = await mailer.send(alertMail('dedupe:1', { to: ['A@pasto.gov.co', 'a@pasto.gov.co'], cc: ['a@pasto.gov.co', 'b@pasto.gov.co'] }));
    expect(sent.status).toBe('sent');
    expect(smtp.messages.at(-1)!.rcptTo).toEqual(['A@pasto.gov.co', 'b@pasto.gov.co']);
    expect(await outboxRow('dedupe:1')).toMatchObject({ to: ['A@pasto.gov.co'], cc: ['b@pasto.gov.co'] });
    mailer.close();
  });
});

describe('mail templates', () => {
  it('quarterlyAlert: Spanish, escaped, accessible, lagging goals first, deadline in local time, link and attachment note', () => {
    const mail = quarterlyAlert(alertInput({ department: { ...department, liaisonName: `Ana ${XSS}` } }));
    expect(mail.subject).toContain('Reporte de alerta trimestral');
    expect(mail.html).toMatch(/^<!DOCTYPE html>\n<html lang="es-CO">/);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('Ana &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).toContain('Campañas de vacunación &lt;sobrecumplidas&gt;');
    expect(mail.html).toContain('<th scope="col"');
    expect(mail.html).toContain('<th scope="row"');
    expect(mail.html).toContain('<caption');
    // The link keeps its query string, escaped as an attribute.
    expect(mail.html).toContain('href="https://metas.pasto.gov.co/respuestas/revision-2026-T3-SEC01?token=abc&amp;x=1"');
    expect(mail.text).toContain(RESPONSE_URL);
    for (const body of [mail.html, mail.text]) {
      expect(body).toContain('PE-P-008');
      expect(body).toContain('10 días hábiles');
      expect(body).toContain('martes, 20 de octubre de 2026');
      expect(body).toMatch(/11:59\sp\.\s?m\./);
      expect(body).toContain('hora estándar de Colombia');
      expect(body).toContain('matriz-metas-rezagadas-2026-T3-SEC01.xlsx');
      expect(body).toContain('constancia de negativa de ajustes');
      expect(body).toContain('Alcaldía de Pasto');
      expect(body).toContain('1.200,5');
      // Both avances of each goal, es-CO (a non-breaking space before the sign).
      expect(body).toContain('Avance de la vigencia');
      expect(body).toContain('Avance del cuatrienio');
      expect(body).toContain('37,5\u00a0%');
      expect(body).toContain('66,7\u00a0%');
    }
    expect(mail.text).toContain('Avance de la vigencia: 37,5\u00a0%. Avance del cuatrienio: 66,7\u00a0%.');
    // Rezagadas (no iniciada, atrasada) come before sobrecumplidas.
    const order = ['M-002', 'M-001', 'M-003'].map((code) => mail.text.indexOf(code));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(mail.text).toContain('Estado: No iniciada');
    expect(mail.text).toContain('Estado: Sobrecumplida');
    expect(mail.text).not.toMatch(/&lt;|&amp;/);
  });

  it('refuses a link that is not http(s)', () => {
    expect(() => quarterlyAlert(alertInput({ responseUrl: 'javascript:alert(1)' }))).toThrow(/Enlace inválido/);
    expect(() => quarterlyAlert(alertInput({ responseUrl: '/respuestas/1' }))).toThrow(/Enlace inválido/);
  });

  it('reminder: business days left, deadline and link', () => {
    const mail = reminder({
      ...context,
      department,
      fiscalYear: 2026,
      quarter: 3,
      businessDaysLeft: 3,
      deadline: DEADLINE,
      alertedAt: '2026-10-05T14:00:00Z',
      responseUrl: RESPONSE_URL,
      pendingGoals: [{ goalCode: 'M-001', name: `Centros ${XSS}` }],
      reminderNumber: 2,
    });
    expect(mail.subject).toBe('PE-P-008 · Recordatorio n.º 2: quedan 3 días hábiles para responder · T3-2026 · Secretaría de Salud');
    expect(mail.html).toContain('Centros &lt;script&gt;');
    expect(mail.text).toContain('Quedan 3 días hábiles: el plazo vence el martes, 20 de octubre de 2026');
    expect(mail.text).toContain('5 de octubre de 2026');
    expect(mail.text).toContain(RESPONSE_URL);
    expect(reminder({ ...context, department, fiscalYear: 2026, quarter: 3, businessDaysLeft: 0, deadline: DEADLINE, alertedAt: DEADLINE, responseUrl: RESPONSE_URL, pendingGoals: [] }).text).toContain('Hoy vence el plazo');
  });

  it('responseReceipt: what was submitted per goal, escaped, with the review state and link', () => {
    const mail = responseReceipt({
      ...context,
      department,
      fiscalYear: 2026,
      quarter: 3,
      respondent: { name: 'Ana Gómez', email: 'enlace.salud@pasto.gov.co' },
      receivedAt: '2026-10-08T20:30:00Z',
      round: 1,
      reviewState: 'responseReceived',
      reviewUrl: 'https://metas.pasto.gov.co/revisiones/revision-2026-T3-SEC01',
      answers: [
        {
          goalCode: 'M-001',
          name: 'Centros de salud dotados',
          answer: {
            goalCode: 'M-001',
            action: 'reprogram',
            justification: `Retraso en la contratación ${XSS}\nsegunda línea`,
            commitment: 'Completar la dotación en el cuarto trimestre',
            newQuarterlyTargets: [100, 200, 150, 750.5],
            futureAnnualTargets: { '2027': 12 },
          },
        },
        { goalCode: 'M-002', name: 'Brigadas rurales', answer: { goalCode: 'M-002', action: 'keep', justification: 'La programación es alcanzable', commitment: 'Ejecutar las brigadas en noviembre' } },
      ],
    });
    expect(mail.subject).toContain('Respuesta recibida');
    expect(mail.html).toContain('Retraso en la contratación &lt;script&gt;alert(1)&lt;/script&gt;<br>segunda línea');
    expect(mail.html).not.toContain(XSS);
    expect(mail.text).toContain(`Justificación: Retraso en la contratación ${XSS}`);
    for (const body of [mail.html, mail.text]) {
      expect(body).toContain('Reprogramar la meta');
      expect(body).toContain('Mantener la programación');
      expect(body).toContain('T4: 750,5');
      expect(body).toContain('2027: 12');
      expect(body).toContain('Estado actual de la revisión: Respuesta recibida');
      expect(body).toContain('8 de octubre de 2026');
      expect(body).toContain('https://metas.pasto.gov.co/revisiones/revision-2026-T3-SEC01');
    }
  });

  it('changesRequested: the coordinator comment, the new deadline and the link', () => {
    const mail = changesRequested({
      ...context,
      department,
      fiscalYear: 2026,
      quarter: 3,
      coordinatorName: 'Marcela Peña',
      comment: `Revise la meta M-001 ${XSS}`,
      requestedAt: '2026-10-09T15:00:00Z',
      newDeadline: '2026-10-24T04:59:59.999Z',
      responseWindow: { unit: 'businessDays', amount: 5 },
      responseUrl: RESPONSE_URL,
      round: 2,
    });
    expect(mail.subject).toContain('Solicitud de ajustes');
    expect(mail.html).toContain('Revise la meta M-001 &lt;script&gt;');
    expect(mail.text).toContain(`> Revise la meta M-001 ${XSS}`);
    for (const body of [mail.html, mail.text]) {
      expect(body).toContain('Nuevo plazo para responder (5 días hábiles): hasta el viernes, 23 de octubre de 2026');
      expect(body).toContain('ronda 2');
    }
    expect(mail.text).toContain(RESPONSE_URL);
  });

  it('noAdjustmentRecord: the constancia with the dates of alert, reminders and deadline, PDF attached', () => {
    const mail = noAdjustmentRecord({
      ...context,
      department,
      fiscalYear: 2026,
      quarter: 3,
      reference: 'revision-2026-T3-SEC01',
      goals: [{ goalCode: 'M-001', name: `Centros ${XSS}`, status: 'behind' }],
      alertedAt: '2026-10-05T14:00:00Z',
      remindersSentAt: ['2026-10-14T14:00:00Z', '2026-10-19T14:00:00Z'],
      deadline: DEADLINE,
      recordedAt: '2026-10-21T05:00:00Z',
      pdfFileName: 'constancia-negativa-ajustes-2026-T3-SEC01.pdf',
    });
    expect(mail.subject).toBe('PE-P-008 · Constancia de negativa de ajustes · T3-2026 · Secretaría de Salud');
    expect(mail.html).toContain('Centros &lt;script&gt;');
    for (const body of [mail.html, mail.text]) {
      expect(body).toContain('se deja constancia');
      expect(body).toContain('lunes, 5 de octubre de 2026');
      expect(body).toContain('se enviaron 2 recordatorios: el miércoles, 14 de octubre de 2026');
      expect(body).toContain('miércoles, 14 de octubre de 2026');
      expect(body).toContain('lunes, 19 de octubre de 2026');
      expect(body).toContain('martes, 20 de octubre de 2026');
      expect(body).toContain('no se realizaron ajustes ni reprogramaciones');
      expect(body).toContain('constancia-negativa-ajustes-2026-T3-SEC01.pdf');
      expect(body).toContain('Atrasada');
    }
  });

  it('reprogrammingApproved: before and after, kept goals, council note and the document', () => {
    const mail = reprogrammingApproved({
      ...context,
      department,
      fiscalYear: 2026,
      quarter: 3,
      reference: 'revision-2026-T3-SEC01',
      approvedBy: 'Marcela Peña',
      approvedAt: '2026-10-12T16:00:00Z',
      reprogrammed: [
        {
          goalCode: 'M-001',
          name: 'Centros de salud dotados',
          before: { annualTarget: 1200, quarterlyTargets: [300, 300, 300, 300] },
          after: { annualTarget: 1000, quarterlyTargets: [300, 150, 150, 400], futureAnnualTargets: { '2027': 200 } },
          justification: `Retraso ${XSS}`,
          commitment: 'Completar en el cuarto trimestre',
          altersTermTarget: true,
          councilAgreement: 'Acuerdo 012 de 2026',
        },
      ],
      kept: [{ goalCode: 'M-002', name: 'Brigadas rurales', justification: 'Alcanzable', commitment: 'Noviembre' }],
      documentFileName: 'justificacion-compromiso-2026-T3-SEC01.pdf',
      reviewUrl: 'https://metas.pasto.gov.co/revisiones/revision-2026-T3-SEC01',
    });
    expect(mail.subject).toContain('Reprogramación de metas aprobada');
    expect(mail.html).toContain('Retraso &lt;script&gt;');
    for (const body of [mail.html, mail.text]) {
      expect(body).toContain('anual 1.200 (T1: 300 · T2: 300 · T3: 300 · T4: 300)');
      expect(body).toContain('anual 1.000 (T1: 300 · T2: 150 · T3: 150 · T4: 400)');
      expect(body).toContain('Vigencias futuras: 2027: 200');
      expect(body).toContain('M-002');
      expect(body).toContain('M-001 (acuerdo registrado: Acuerdo 012 de 2026) modifica la meta cuatrienio');
      expect(body).toContain('nueva versión del Plan de Acción');
      expect(body).toContain('justificacion-compromiso-2026-T3-SEC01.pdf');
      expect(body).toContain('https://metas.pasto.gov.co/revisiones/revision-2026-T3-SEC01');
    }
  });
});
