/** What was sent and generated: the e-mail outbox and the documents attached or kept. */
import { bigserial, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt } from './columns';

/**
 * Every e-mail the system sends, kept as sent (the record of alerts, reminders and constancias).
 * With no SMTP configured this is the outbox an administrator reads; with SMTP it is the log.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** Deterministic key (workflow ID + purpose): a retried activity never sends twice. */
    idempotencyKey: text('idempotency_key').notNull(),
    to: jsonb('to').$type<string[]>().notNull(),
    cc: jsonb('cc').$type<string[]>().notNull().default([]),
    subject: text('subject').notNull(),
    html: text('html').notNull(),
    text: text('text').notNull(),
    attachments: jsonb('attachments').$type<{ fileName: string; contentType: string; documentId: number | null; sha256: string }[]>().notNull().default([]),
    /** 'stored' (no SMTP: kept in the outbox), 'sending', 'sent', 'failed'. */
    status: text('status', { enum: ['stored', 'sending', 'sent', 'failed'] }).notNull(),
    transport: text('transport', { enum: ['outbox', 'smtp'] }).notNull(),
    messageId: text('message_id'),
    error: text('error'),
    createdAt: createdAt(),
    /** When the attempt that delivered (or is delivering) the content was committed: facts in the content (a deadline) count from it. */
    committedAt: timestamp('committed_at', { withTimezone: true, mode: 'string' }),
    sentAt: timestamp('sent_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [uniqueIndex('outbox_idempotency').on(t.idempotencyKey)],
);

/** Generated documents (PDF constancias, justification documents, matrices attached to e-mails). */
export const documents = pgTable(
  'documents',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** Deterministic key (review workflow ID + kind): the same record never gets a second, different file. */
    documentKey: text('document_key').notNull(),
    kind: text('kind').notNull(),
    reviewWorkflowId: text('review_workflow_id'),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    sha256: text('sha256').notNull(),
    content: text('content_base64').notNull(),
    /** The record's consecutive number (PE-P-008-CNA-2026-0001), printed on it; null on documents issued before numbering. */
    recordNumber: text('record_number'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('documents_key').on(t.documentKey)],
);

/**
 * The last consecutive number issued per record series and year. A number is taken in the same
 * transaction that stores its record, so a failed or repeated issue leaves no gap.
 */
export const recordNumbers = pgTable(
  'record_numbers',
  {
    series: text('series').notNull(),
    year: integer('year').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.series, t.year] })],
);
