import { createHash } from 'node:crypto';
import { desc, eq, inArray, sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { z } from 'zod';
import type { Database } from '../db/client';
import * as t from '../db/schema';

/**
 * Every e-mail of PE-P-008 (alerts, reminders, receipts, constancias) goes through here. The outbox
 * row is written before anything leaves, keyed by a deterministic idempotency key, so a Temporal
 * activity retried after a crash or a failed attempt never delivers the same e-mail twice under
 * two identities: a re-send reuses the same Message-ID, which mail servers and clients recognise.
 */

export interface OutgoingAttachment {
  fileName: string;
  contentType: string;
  content: Buffer;
  /** The `documents` row this file is (its SHA-256 must match); null/absent for files not kept there. */
  documentId?: number | null;
}

export interface OutgoingMail {
  /** Deterministic: review workflow ID + purpose, e.g. `revision-2026-T3-SEC01:alert`. */
  idempotencyKey: string;
  to: string[];
  cc?: string[];
  subject: string;
  html: string;
  text: string;
  attachments?: OutgoingAttachment[];
  /**
   * The instant this attempt commits the delivery (ISO), kept with the claim: facts the content
   * states from it (a deadline) can be recomputed when a later call finds the message already sent.
   */
  committedAt?: string;
}

export type OutboxStatus = (typeof t.outbox.$inferSelect)['status'];

export interface SentMail {
  outboxId: number;
  status: OutboxStatus;
  messageId: string | null;
  /** True when an earlier call with the same key already sent (or stored) it: nothing was sent now. */
  alreadySent: boolean;
  /** The committed instant of the attempt whose content went out (see OutgoingMail.committedAt); null if none was given. */
  committedAt: string | null;
  /** When the SMTP server accepted it, or when it was stored in the outbox (no SMTP). */
  deliveredAt: string | null;
}

export interface MailerOptions {
  db: Database;
  /** smtp://user:pass@host:587 or smtps://…:465; without it messages are kept in the outbox only. */
  smtpUrl?: string;
  /** "Planeación Municipal <planeacion@municipio.gov.co>" or a bare address. */
  from: string;
  transportOptions?: {
    /** Do not upgrade with STARTTLS even if offered (test servers, trusted internal relays). */
    ignoreTLS?: boolean;
    /** Milliseconds; defaults keep a dead server from holding an activity for minutes. */
    connectionTimeout?: number;
    greetingTimeout?: number;
    socketTimeout?: number;
  };
}

export interface Mailer {
  /** 'smtp' when an SMTP server is configured, 'outbox' when messages are only stored. */
  readonly transport: 'smtp' | 'outbox';
  send(message: OutgoingMail): Promise<SentMail>;
  /** Closes the SMTP connections (at worker shutdown). */
  close(): void;
}

/** Invalid input: retrying cannot fix it (an activity should fail non-retryably). */
export class MailValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Correo inválido:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'MailValidationError';
  }
}

/** The SMTP server did not take the message; the outbox row is 'failed' with the reason. */
export class MailDeliveryError extends Error {
  constructor(
    message: string,
    readonly outboxId: number,
    /** True when the server refused for good (5xx): a retry will fail the same way until someone fixes it. */
    readonly permanent: boolean,
    readonly code: string | null,
    readonly responseCode: number | null,
  ) {
    super(message);
    this.name = 'MailDeliveryError';
  }
}

const MAX_ATTACHMENTS_BYTES = 15 * 1024 * 1024;
const noLineBreaks = (s: string) => !/[\r\n]/.test(s);
const noControlChars = (s: string) => [...s].every((ch) => {
  const code = ch.charCodeAt(0);
  return code >= 0x20 && code !== 0x7f;
});

const address = z.string().trim().pipe(z.email({ message: 'no es una dirección de correo válida' }));

/** Case-insensitive de-duplication that keeps the first spelling. */
function uniqueAddresses(list: string[], exclude: string[] = []): string[] {
  const seen = new Set(exclude.map((a) => a.toLowerCase()));
  return list.filter((a) => {
    const key = a.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const attachmentSchema = z.object({
  fileName: z
    .string()
    .trim()
    .min(1, 'nombre de archivo vacío')
    .max(200, 'nombre de archivo de más de 200 caracteres')
    .refine((s) => noControlChars(s) && !/[/\\]/.test(s), 'el nombre de archivo no puede tener barras ni caracteres de control'),
  contentType: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/, 'tipo de contenido inválido (p. ej. application/pdf)'),
  content: z
    .instanceof(Uint8Array, { message: 'el contenido debe ser un Buffer' })
    .transform((bytes) => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)))
    .refine((bytes) => bytes.length > 0, 'el archivo adjunto está vacío'),
  documentId: z.number().int().positive().nullable().optional(),
});

const outgoingMailSchema = z
  .object({
    idempotencyKey: z
      .string()
      .min(1, 'la clave de idempotencia es obligatoria')
      .max(500, 'la clave de idempotencia tiene más de 500 caracteres')
      .refine((s) => s.trim() === s && noControlChars(s), 'la clave de idempotencia no puede tener espacios al borde ni caracteres de control'),
    to: z.array(address, { message: 'destinatarios: debe ser una lista' }).min(1, 'indique al menos un destinatario').max(50, 'máximo 50 destinatarios'),
    cc: z.array(address).max(50, 'máximo 50 destinatarios en copia').default([]),
    subject: z
      .string()
      .trim()
      .min(1, 'el asunto es obligatorio')
      .max(250, 'el asunto tiene más de 250 caracteres')
      .refine(noLineBreaks, 'el asunto no puede tener saltos de línea'),
    html: z.string().refine((s) => s.trim().length > 0, 'el cuerpo HTML es obligatorio').refine((s) => s.length <= 2_000_000, 'el cuerpo HTML es demasiado grande'),
    text: z.string().refine((s) => s.trim().length > 0, 'el texto plano es obligatorio').refine((s) => s.length <= 2_000_000, 'el texto plano es demasiado grande'),
    attachments: z.array(attachmentSchema).max(20, 'máximo 20 adjuntos').default([]),
    committedAt: z.iso.datetime({ message: 'committedAt: debe ser un instante ISO 8601' }).optional(),
  })
  .transform((m) => {
    // The same person twice (or in To and Cc) gets one copy.
    const to = uniqueAddresses(m.to);
    const cc = uniqueAddresses(m.cc, to);
    return { ...m, to, cc };
  })
  .refine((m) => m.attachments.reduce((n, a) => n + a.content.length, 0) <= MAX_ATTACHMENTS_BYTES, {
    message: `los adjuntos superan ${MAX_ATTACHMENTS_BYTES / 1024 / 1024} MB en total`,
    path: ['attachments'],
  });

type ValidMail = z.infer<typeof outgoingMailSchema>;

const optionsSchema = z.object({
  smtpUrl: z
    .string()
    .refine((u) => /^smtps?:\/\/[^/\s]+/i.test(u), 'SMTP_URL debe tener la forma smtp://usuario:clave@servidor:587 o smtps://…:465')
    .optional(),
  from: z.string().trim().min(3, 'MAIL_FROM es obligatorio'),
});

/** `Nombre <correo>` or `correo`: the address part, or null when it is not valid. */
function senderAddress(from: string): string | null {
  const match = /^(?:[^<>\r\n]*<\s*([^<>\s]+)\s*>|([^<>\s]+))$/.exec(from.trim());
  const candidate = match?.[1] ?? match?.[2];
  return candidate && z.email().safeParse(candidate).success ? candidate : null;
}

/** `<sha256(key)@metas-pdm>`: the same key always gives the same Message-ID, so a re-send is recognisable. */
export function messageIdFor(idempotencyKey: string): string {
  return `<${createHash('sha256').update(idempotencyKey, 'utf8').digest('hex')}@metas-pdm>`;
}

/** Timestamps as ISO 8601 in UTC, whatever text the driver returned. */
const isoOrNull = (value: string | null) => (value === null ? null : new Date(value).toISOString());

const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
    return `${where}${issue.message}`;
  });
}

/** Credentials of SMTP_URL never reach the outbox or the logs. */
function redact(text: string, smtpUrl: string | undefined): string {
  let out = text.replace(/(smtps?:\/\/)[^@\s/]*@/gi, '$1***@');
  if (smtpUrl) {
    try {
      const url = new URL(smtpUrl);
      for (const secret of [url.password, decodeURIComponent(url.password)]) {
        if (secret.length >= 3) out = out.split(secret).join('***');
      }
    } catch {
      // An unparsable URL was rejected at creation; nothing to redact.
    }
  }
  return out;
}

interface SmtpErrorShape {
  message?: unknown;
  code?: unknown;
  responseCode?: unknown;
  response?: unknown;
  command?: unknown;
  permanent?: unknown;
}

function describeSmtpError(error: unknown, smtpUrl: string | undefined) {
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as SmtpErrorShape;
  const code = typeof e.code === 'string' ? e.code : null;
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : null;
  const parts = [
    code,
    typeof e.command === 'string' ? `(${e.command})` : null,
    typeof e.message === 'string' ? e.message : String(error),
    typeof e.response === 'string' && !(typeof e.message === 'string' && e.message.includes(e.response)) ? `— ${e.response}` : null,
  ].filter(Boolean);
  return {
    text: redact(parts.join(' '), smtpUrl).slice(0, 2000),
    code,
    responseCode,
    permanent: e.permanent === true,
  };
}

export function createMailer(options: MailerOptions): Mailer {
  const parsedOptions = optionsSchema.safeParse({ smtpUrl: options.smtpUrl || undefined, from: options.from });
  if (!parsedOptions.success) throw new MailValidationError(describeIssues(parsedOptions.error));
  const { smtpUrl, from } = parsedOptions.data;
  const envelopeFrom = senderAddress(from);
  if (!envelopeFrom) throw new MailValidationError(['MAIL_FROM: use "Nombre <correo@dominio>" o solo la dirección de correo']);
  const { db } = options;

  const transporter = smtpUrl
    ? nodemailer.createTransport({
        url: smtpUrl,
        ignoreTLS: options.transportOptions?.ignoreTLS ?? false,
        connectionTimeout: options.transportOptions?.connectionTimeout ?? 15_000,
        greetingTimeout: options.transportOptions?.greetingTimeout ?? 15_000,
        socketTimeout: options.transportOptions?.socketTimeout ?? 60_000,
      })
    : null;

  /** Documents referenced by attachments must exist and be the very same bytes. */
  async function checkDocuments(mail: ValidMail, digests: string[]): Promise<void> {
    const ids = [...new Set(mail.attachments.flatMap((a) => (a.documentId ? [a.documentId] : [])))];
    if (!ids.length) return;
    const rows = await db
      .select({ id: t.documents.id, sha256: t.documents.sha256 })
      .from(t.documents)
      .where(inArray(t.documents.id, ids));
    const byId = new Map(rows.map((r) => [r.id, r.sha256.toLowerCase()]));
    const problems = mail.attachments.flatMap((a, i) => {
      if (!a.documentId) return [];
      const stored = byId.get(a.documentId);
      if (stored === undefined) return [`attachments.${i}: el documento ${a.documentId} no existe`];
      if (stored !== digests[i]) return [`attachments.${i}: el archivo ${a.fileName} no coincide con el documento ${a.documentId} guardado (SHA-256 distinto)`];
      return [];
    });
    if (problems.length) throw new MailValidationError(problems);
  }

  async function existing(idempotencyKey: string): Promise<SentMail> {
    const [row] = await db
      .select({ id: t.outbox.id, status: t.outbox.status, messageId: t.outbox.messageId, committedAt: t.outbox.committedAt, createdAt: t.outbox.createdAt, sentAt: t.outbox.sentAt })
      .from(t.outbox)
      .where(eq(t.outbox.idempotencyKey, idempotencyKey));
    if (!row) throw new Error(`Outbox row for ${idempotencyKey} vanished`);
    const deliveredAt = row.status === 'stored' ? row.createdAt : row.sentAt;
    return { outboxId: row.id, status: row.status, messageId: row.messageId, alreadySent: true, committedAt: isoOrNull(row.committedAt), deliveredAt: isoOrNull(deliveredAt) };
  }

  return {
    transport: transporter ? 'smtp' : 'outbox',

    async send(message: OutgoingMail): Promise<SentMail> {
      const parsed = outgoingMailSchema.safeParse(message);
      if (!parsed.success) throw new MailValidationError(describeIssues(parsed.error));
      const mail = parsed.data;
      const digests = mail.attachments.map((a) => sha256Hex(a.content));
      await checkDocuments(mail, digests);

      const messageId = messageIdFor(mail.idempotencyKey);
      const content = {
        to: mail.to,
        cc: mail.cc,
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
        attachments: mail.attachments.map((a, i) => ({
          fileName: a.fileName,
          contentType: a.contentType,
          documentId: a.documentId ?? null,
          sha256: digests[i] as string,
        })),
      };
      const committedAt = mail.committedAt ?? null;
      const claim = transporter
        ? { status: 'sending' as const, transport: 'smtp' as const, messageId, committedAt }
        : { status: 'stored' as const, transport: 'outbox' as const, messageId: null, committedAt };

      // Claim the key. A row already 'sent' or 'stored' is left alone (nothing returned); one left
      // 'sending' by a crashed attempt or 'failed' by a refused one is taken over and re-sent.
      const [row] = await db
        .insert(t.outbox)
        .values({ idempotencyKey: mail.idempotencyKey, ...content, ...claim, error: null })
        .onConflictDoUpdate({
          target: t.outbox.idempotencyKey,
          set: { ...content, ...claim, error: null },
          setWhere: inArray(t.outbox.status, ['sending', 'failed']),
        })
        .returning({ id: t.outbox.id, createdAt: t.outbox.createdAt });
      if (!row) return existing(mail.idempotencyKey);
      if (!transporter) return { outboxId: row.id, status: 'stored', messageId: null, alreadySent: false, committedAt, deliveredAt: isoOrNull(row.createdAt) };

      let rejected: string[] = [];
      try {
        const info = await transporter.sendMail({
          from,
          envelope: { from: envelopeFrom, to: [...mail.to, ...mail.cc] },
          to: mail.to,
          cc: mail.cc.length ? mail.cc : undefined,
          subject: mail.subject,
          html: mail.html,
          text: mail.text,
          messageId,
          attachments: mail.attachments.map((a) => ({ filename: a.fileName, contentType: a.contentType, content: a.content })),
          disableFileAccess: true,
          disableUrlAccess: true,
        });
        rejected = (info.rejected ?? []).map(String);
      } catch (error) {
        const failure = describeSmtpError(error, smtpUrl);
        try {
          await db.update(t.outbox).set({ status: 'failed', error: failure.text }).where(eq(t.outbox.id, row.id));
        } catch {
          // The delivery error is the one the caller must see; the row stays 'sending' and is retried the same way.
        }
        throw new MailDeliveryError(`No se pudo enviar el correo ${mail.idempotencyKey}: ${failure.text}`, row.id, failure.permanent, failure.code, failure.responseCode);
      }

      // Some recipients refused while others accepted: it is sent, and the record says to whom not.
      const note = rejected.length ? `Destinatarios rechazados por el servidor: ${rejected.join(', ')}` : null;
      const [sent] = await db
        .update(t.outbox)
        .set({ status: 'sent', messageId, sentAt: sql`now()`, error: note })
        .where(eq(t.outbox.id, row.id))
        .returning({ sentAt: t.outbox.sentAt });
      return { outboxId: row.id, status: 'sent', messageId, alreadySent: false, committedAt, deliveredAt: isoOrNull(sent?.sentAt ?? null) };
    },

    close() {
      transporter?.close();
    },
  };
}

export type OutboxRow = typeof t.outbox.$inferSelect;
export type OutboxSummary = Omit<OutboxRow, 'html' | 'text'>;

/** The outbox for the administrator's list, newest first, without the bodies. */
export async function readOutbox(
  db: Database,
  { limit = 50, offset = 0 }: { limit?: number; offset?: number } = {},
): Promise<{ total: number; items: OutboxSummary[] }> {
  const safeLimit = Math.min(Math.max(Math.trunc(limit) || 50, 1), 200);
  const safeOffset = Math.max(Math.trunc(offset) || 0, 0);
  const [items, [count]] = await Promise.all([
    db
      .select({
        id: t.outbox.id,
        idempotencyKey: t.outbox.idempotencyKey,
        to: t.outbox.to,
        cc: t.outbox.cc,
        subject: t.outbox.subject,
        attachments: t.outbox.attachments,
        status: t.outbox.status,
        transport: t.outbox.transport,
        messageId: t.outbox.messageId,
        error: t.outbox.error,
        createdAt: t.outbox.createdAt,
        committedAt: t.outbox.committedAt,
        sentAt: t.outbox.sentAt,
      })
      .from(t.outbox)
      .orderBy(desc(t.outbox.id))
      .limit(safeLimit)
      .offset(safeOffset),
    db.select({ n: sql<number>`count(*)::int` }).from(t.outbox),
  ]);
  return { total: count?.n ?? 0, items };
}

/** One message as kept (with its HTML and text) for the administrator's detail view; null if absent. */
export async function outboxMessage(db: Database, id: number): Promise<OutboxRow | null> {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const [row] = await db.select().from(t.outbox).where(eq(t.outbox.id, id));
  return row ?? null;
}

/** A stored document (PDF constancia, matrix…) as an attachment that references it. */
export async function documentAttachment(db: Database, documentId: number): Promise<OutgoingAttachment> {
  const [doc] = await db.select().from(t.documents).where(eq(t.documents.id, documentId));
  if (!doc) throw new MailValidationError([`el documento ${documentId} no existe`]);
  return { fileName: doc.fileName, contentType: doc.contentType, content: Buffer.from(doc.content, 'base64'), documentId: doc.id };
}
