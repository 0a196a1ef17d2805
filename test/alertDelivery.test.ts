import { eq } from 'drizzle-orm';
import * as t from '../db/schema';
import { formatFullDateTime } from '../domain/format';
import { createMailer } from '../mail';
import { createHarness, eventually, reviewIn, type Harness } from './support/harness';
import { saveHistories } from './support/histories';
import { decodeWords, leaves, mediaType, parseMime, startSmtp, type TestSmtp } from './support/smtpPeer';

const WINDOW_MS = 10 * 60_000;
const TIME_ZONE = 'America/Bogota';

/** The plain text of the alert e-mails the peer received for an address, whitespace folded. */
const alertTexts = (smtp: TestSmtp, address: string) =>
  smtp.messages
    .filter((m) => m.rcptTo.includes(address))
    .map((m) => parseMime(m.raw))
    .filter((mime) => /alerta trimestral/i.test(decodeWords(mime.headers.get('subject') ?? '')))
    .map((mime) => (leaves(mime).find((p) => mediaType(p) === 'text/plain')?.body.toString('utf8') ?? '').replace(/\s+/g, ' '));

/**
 * "The window counts from delivery", on the run's real Temporal dev server and a real SMTP peer:
 * the peer refuses one department's first attempt (451) and stalls another's past the client's
 * timeout; the deadline each review waits on is the one its e-mail states, counted from the
 * delivery that succeeded, not from when the alert was recorded.
 */
describe('the response window counts from the alert e-mail delivery', () => {
  let h: Harness;
  let smtp: TestSmtp;
  afterAll(async () => {
    await h?.close();
    await smtp?.close();
  });

  it('states and waits on delivery + window even when the first attempt is refused or stalls', async () => {
    smtp = await startSmtp();
    const refused = 'enlace.salud@demo.gov.co';
    const stalled = 'enlace.infraestructura@demo.gov.co';
    const punctual = 'enlace.educacion@demo.gov.co';
    smtp.refuseOnce.add(refused);
    smtp.delayOnce.set(stalled, 5_000);
    h = await createHarness({
      activities: (db) => ({
        // A short inactivity timeout: the stalled attempt gives up and Temporal retries it.
        mailer: createMailer({ db, smtpUrl: smtp.url, from: 'Planeación Municipal <planeacion@pasto.gov.co>', transportOptions: { ignoreTLS: true, socketTimeout: 2_000 } }),
      }),
    });
    const { workflowId } = await h.cycles.startCycle({ fiscalYear: h.fiscalYear, quarter: 2, window: '10m', reminders: '' });
    const cases = [
      { department: 'SSAL', address: refused, lostAtLeastMs: 1_000 },
      { department: 'SINF', address: stalled, lostAtLeastMs: 3_000 },
      { department: 'SEDU', address: punctual, lostAtLeastMs: 0 },
    ];
    const reviewIds: string[] = [];
    for (const { department, address, lostAtLeastMs } of cases) {
      const reviewId = `${workflowId}-${department}`;
      reviewIds.push(reviewId);
      const view = await reviewIn(h, reviewId, 'awaitingResponse');
      const [alert] = await h.database.db.select().from(t.alerts).where(eq(t.alerts.reviewWorkflowId, reviewId));
      const [delivery] = await h.database.db.select().from(t.alertDeliveries).where(eq(t.alertDeliveries.reviewWorkflowId, reviewId));
      const recordedAt = Date.parse(alert!.sentAt);
      const deliveredAt = Date.parse(delivery!.deliveredAt!);
      const deadline = Date.parse(delivery!.deadline);

      // The workflow waits on the deadline the delivery recorded.
      expect(view.deadline).toBe(new Date(deadline).toISOString());
      // Counted from the delivery: committed just before the SMTP transaction that was accepted.
      expect(deadline).toBeLessThanOrEqual(deliveredAt + WINDOW_MS + 50);
      expect(deadline).toBeGreaterThan(deliveredAt + WINDOW_MS - 1_500);
      // The refused or stalled attempt (and the retry's wait) is not taken from the department.
      expect(deadline - (recordedAt + WINDOW_MS)).toBeGreaterThanOrEqual(lostAtLeastMs);

      // One e-mail reached the liaison, and it states that deadline, counted from its reception.
      const texts = await eventually(async () => alertTexts(smtp, address).length > 0 && alertTexts(smtp, address), { what: `the ${department} alert` });
      expect(texts).toHaveLength(1);
      expect(texts[0]).toContain(`Plazo para responder: tiene 10 minutos desde la recepción de esta alerta, hasta el ${formatFullDateTime(new Date(deadline), TIME_ZONE)}.`);
    }
    // The refused and the stalled alerts were each delivered on their second attempt, under the same key.
    const outbox = await h.database.db.select().from(t.outbox);
    const alertsSent = outbox.filter((m) => m.idempotencyKey.endsWith(':alert'));
    expect(alertsSent.length).toBeGreaterThanOrEqual(3);
    expect(alertsSent.every((m) => m.status === 'sent' && m.committedAt !== null)).toBe(true);
    expect(smtp.refuseOnce.size + smtp.delayOnce.size).toBe(0);

    await saveHistories(h.client, 'alert-delivery', [workflowId, ...reviewIds]);
  }, 240_000);
});
